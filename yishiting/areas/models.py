"""Places and people: the area tree, households, persons, organizations and the roles people hold."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.common.labels import QuickLabels

from .choices import ClaimRelation, ClaimStatus, ExpertLevel, OrganizationKind, Role

# Each tree level adds one fixed-width segment to an area's path, so "everything under X" is a prefix match
# (one index range scan) and ordering by path is depth-first tree order.
PATH_STEP = 4
PATH_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def path_segment(number: int) -> str:
    """The fixed-width base-36 segment for the n-th child (1 → '0001')."""
    if not 0 < number < 36**PATH_STEP:
        raise ValueError("too many children under one area")
    digits = ""
    while number:
        number, rem = divmod(number, 36)
        digits = PATH_ALPHABET[rem] + digits
    return digits.rjust(PATH_STEP, "0")


class PathField(models.CharField):
    """A materialized path. On PostgreSQL the column uses the "C" collation, so one plain B-tree index serves
    both `LIKE 'prefix%'` (the subtree filter) and `ORDER BY path` (an ordered index scan for the first page),
    whatever the database's default collation. SQLite compares bytes already."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class AreaLevel(models.Model):
    """A level of the area tree. Levels are data: the default six (区/街道/社区/小区网格/楼栋/单元) or others."""

    code = models.SlugField(gettext_lazy("代码"), max_length=32, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=32)
    depth = models.PositiveSmallIntegerField(gettext_lazy("层级序号"), unique=True, help_text=gettext_lazy("1 为最高一级（区）"))
    holds_households = models.BooleanField(gettext_lazy("下设住户"), default=False)

    class Meta:
        verbose_name = gettext_lazy("区域层级")
        verbose_name_plural = gettext_lazy("区域层级")
        ordering = ["depth"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    parent = models.ForeignKey("self", verbose_name=gettext_lazy("上级区域"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    level = models.ForeignKey(AreaLevel, verbose_name=gettext_lazy("层级"), on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    code = models.CharField(gettext_lazy("编码"), max_length=64, unique=True,
                            validators=[RegexValidator(r"^[0-9A-Za-z_-]+$", gettext_lazy("编码只能包含字母、数字、下划线和连字符。"))])
    path = PathField(gettext_lazy("路径"), max_length=255, unique=True, editable=False)
    full_name = models.CharField(gettext_lazy("全称"), max_length=500, editable=False, default="")
    search_key = models.CharField(gettext_lazy("检索键"), max_length=500, editable=False, default="",
                                  help_text=gettext_lazy("名称的拼音首字母与全拼，供区域选择器检索"))
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("区域")
        verbose_name_plural = gettext_lazy("区域")
        ordering = ["path"]
        indexes = []  # the unique constraint on path is the index

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(PATH_STEP, len(self.path) + 1, PATH_STEP)]

    @property
    def scope_path(self) -> str:
        return self.path


class Household(models.Model):
    """A dwelling (户) under a unit-level area; its exclusive area (专有部分面积) weights owner votes."""

    unit = models.ForeignKey(Area, verbose_name=gettext_lazy("所属单元"), on_delete=models.PROTECT, related_name="households")
    number = models.CharField(gettext_lazy("户号"), max_length=32)
    exclusive_area = models.DecimalField(gettext_lazy("专有部分面积（㎡）"), max_digits=10, decimal_places=2,
                                         validators=[MinValueValidator(Decimal("0.01"))])
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False, help_text=gettext_lazy("所属单元的路径，用于按区域子树查询"))

    class Meta:
        verbose_name = gettext_lazy("住户")
        verbose_name_plural = gettext_lazy("住户")
        ordering = ["path", "number"]
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="household_unit_number_unique")]
        indexes = [models.Index(fields=["path", "number"], name="household_path_number_idx")]

    def __str__(self) -> str:
        return f"{self.unit} {self.number}"

    def owner_person_ids(self) -> list[int]:
        return list(self.people.values_list("pk", flat=True))

    @property
    def scope_path(self) -> str:
        return self.path


mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", gettext_lazy("手机号应为 11 位数字，以 1 开头。"))


class Person(models.Model):
    name = models.CharField(gettext_lazy("姓名"), max_length=50)
    mobile = models.CharField(gettext_lazy("手机号"), max_length=11, blank=True, validators=[mobile_validator], db_index=True)
    id_number = models.CharField(gettext_lazy("身份证号"), max_length=18, null=True, blank=True, unique=True)
    household = models.ForeignKey(Household, verbose_name=gettext_lazy("住户"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="people")
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所属区域"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="people", help_text=gettext_lazy("居住或工作的区域；有住户时为住户所在单元"))
    path = PathField(gettext_lazy("路径"), max_length=255, blank=True, editable=False)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("登录账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="person")
    search_key = models.CharField(gettext_lazy("检索键"), max_length=200, editable=False, default="",
                                  help_text=gettext_lazy("姓名的拼音首字母和全拼，供人员选择器查找"))

    class Meta:
        verbose_name = gettext_lazy("人员")
        verbose_name_plural = gettext_lazy("人员")
        ordering = ["path", "id"]
        indexes = [models.Index(fields=["path", "id"], name="person_path_idx")]

    def __str__(self) -> str:
        from yishiting.common.masking import mask_name

        return mask_name(self.name)

    def owner_person_ids(self) -> list[int]:
        return [self.pk]

    @property
    def scope_path(self) -> str:
        return self.path


class Organization(models.Model):
    kind = models.CharField(gettext_lazy("类型"), max_length=32, choices=OrganizationKind.choices)
    name = models.CharField(gettext_lazy("名称"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("服务区域"), on_delete=models.PROTECT, related_name="organizations")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    parent = models.ForeignKey("self", verbose_name=gettext_lazy("上级组织"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    credit_code = models.CharField(gettext_lazy("统一社会信用代码"), max_length=18, blank=True)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("组织")
        verbose_name_plural = gettext_lazy("组织")
        ordering = ["path", "kind", "name"]
        # One name per area whatever the kind: pickers list organizations by name, so two "幸福区人民检察院" under
        # one area could not be told apart (migration 0003 renames older duplicates before adding this).
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="organization_unique_name_area",
                                               violation_error_message=gettext_lazy("同一区域内已有同名组织，请换一个名称。"))]
        indexes = [models.Index(fields=["path"], name="organization_path_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path


class RoleAssignment(QuickLabels, models.Model):
    """A person holds a role at an area (covering its whole subtree), optionally for an organization."""

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(gettext_lazy("角色"), max_length=32, choices=Role.choices)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("区域"), on_delete=models.PROTECT, related_name="role_assignments")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="role_assignments")
    expert_level = models.PositiveSmallIntegerField(gettext_lazy("专家库级别"), choices=ExpertLevel.choices, null=True, blank=True)
    title = models.CharField(gettext_lazy("职务"), max_length=64, blank=True, help_text=gettext_lazy("如：总网格长、片区长、人大代表"))
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    created_at = models.DateTimeField(gettext_lazy("设立时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("角色")
        verbose_name_plural = gettext_lazy("角色分配")
        ordering = ["path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "area"], condition=Q(is_active=True),
                                    name="role_active_unique"),
        ]
        indexes = [models.Index(fields=["path"], name="role_path_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_role_display()} @ {self.area}"

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]

    @property
    def scope_path(self) -> str:
        return self.path


class HouseholdClaim(models.Model):
    """A person's claim to live in (or own) a household. Pending until the community staff or the area's grid
    worker verify it, or verified at once when it matches the owner list; only then does the person get the
    owner or resident role there (see areas.claims). Status changes follow areas.transitions."""

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("申报人"), on_delete=models.CASCADE, related_name="household_claims")
    household = models.ForeignKey(Household, verbose_name=gettext_lazy("住户"), on_delete=models.PROTECT, related_name="claims")
    relation = models.CharField(gettext_lazy("与住户关系"), max_length=16, choices=ClaimRelation.choices)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False, help_text=gettext_lazy("住户所在单元的路径，用于按辖区审核"))
    auto_verified = models.BooleanField(gettext_lazy("与业主名册一致自动认证"), default=False)
    reason = models.CharField(gettext_lazy("未通过原因"), max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("审核人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(gettext_lazy("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("申报时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("住户申报")
        verbose_name_plural = gettext_lazy("住户申报")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One claim in play per person: a retry or a second tab cannot file two.
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=["pending", "approved"]),
                                    name="household_claim_one_open"),
        ]
        indexes = [models.Index(fields=["status", "path"], name="household_claim_inbox_idx")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_relation_display()} {self.household}"

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]

    @property
    def scope_path(self) -> str:
        return self.path
