"""Demands (诉求): what residents ask for, from every channel, until screened to exactly one outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.models import Area, PathField, Person
from yishiting.common.labels import QuickLabels

from .choices import Channel, Nature, Outcome, ReporterKind, Status, Urgency


class Category(models.Model):
    """An entry of the editable category catalogue, with its screening time limit in working days."""

    name = models.CharField(gettext_lazy("名称"), max_length=32, unique=True)
    code = models.SlugField(gettext_lazy("代码"), max_length=32, unique=True, help_text="Open311 service_code")
    description = models.CharField(gettext_lazy("说明"), max_length=200, blank=True)
    class ListKind(models.TextChoices):
        PROBLEM = "problem", gettext_lazy("问题清单")
        NEED = "need", gettext_lazy("需求清单")

    screening_days = models.PositiveSmallIntegerField(gettext_lazy("筛选时限（工作日）"), default=2)
    list_kind = models.CharField(gettext_lazy("归入清单"), max_length=16, choices=ListKind.choices, default=ListKind.PROBLEM,
                                 help_text=gettext_lazy("三张清单（阿勒泰）：问题清单或需求清单；已落实责任的另见责任清单"))
    sort_order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("诉求类别")
        verbose_name_plural = gettext_lazy("诉求类别")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class ConsultationRule(models.Model):
    """The 协商目录: what is deliberated (议) and what is not (不议). Rejections cite a 不议 entry."""

    class Kind(models.TextChoices):
        DELIBERATE = "deliberate", gettext_lazy("议")
        EXCLUDE = "exclude", gettext_lazy("不议")

    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=Kind.choices)
    text = models.CharField(gettext_lazy("内容"), max_length=200)
    is_example = models.BooleanField(gettext_lazy("示例条目"), default=False,
                                     help_text=gettext_lazy("随系统提供的示例，各地应按本地协商目录修改"))
    sort_order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("协商目录条目")
        verbose_name_plural = gettext_lazy("协商目录（五议五不议）")
        ordering = ["kind", "sort_order", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.text}"


PARTIAL_FK_INDEXES = ("household", "rejection_rule", "merged_into", "topic", "task", "mediation", "screened_by")


class Demand(QuickLabels, models.Model):
    number = models.CharField(gettext_lazy("编号"), max_length=20)
    # No index of its own: demand_number_unique (district, number) starts with it.
    district = models.ForeignKey(Area, verbose_name=gettext_lazy("所属区"), on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    text = models.TextField(gettext_lazy("内容"), max_length=2000)
    category = models.ForeignKey(Category, verbose_name=gettext_lazy("类别"), on_delete=models.PROTECT, related_name="demands")
    suggested_category = models.ForeignKey(Category, verbose_name=gettext_lazy("系统建议类别"), null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    suggested_confidence = models.DecimalField(gettext_lazy("建议置信度"), max_digits=4, decimal_places=3, null=True, blank=True)
    channel = models.CharField(gettext_lazy("渠道"), max_length=20, choices=Channel.choices)
    urgency = models.CharField(gettext_lazy("紧急程度"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("发生地"), on_delete=models.PROTECT, related_name="demands")
    household = models.ForeignKey("areas.Household", verbose_name=gettext_lazy("住户"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="demands", db_index=False)
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    address = models.CharField(gettext_lazy("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(gettext_lazy("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(gettext_lazy("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    reporter_kind = models.CharField(gettext_lazy("提交方式"), max_length=16, choices=ReporterKind.choices)
    reporter = models.ForeignKey(Person, verbose_name=gettext_lazy("诉求人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="demands")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("录入人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    consent_recorded = models.BooleanField(gettext_lazy("已取得本人同意代录"), default=False)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    screening_area = models.ForeignKey(Area, verbose_name=gettext_lazy("筛选层级"), on_delete=models.PROTECT, related_name="+",
                                       help_text=gettext_lazy("负责筛选的区域（社区；提请后为上级）"))
    screening_path = PathField(gettext_lazy("筛选层级路径"), max_length=255, editable=False)
    level_area = models.ForeignKey(Area, verbose_name=gettext_lazy("办理层级"), on_delete=models.PROTECT, related_name="+",
                                   help_text=gettext_lazy("覆盖该事项的最低一级（小事不出网格、大事不出社区）"))
    screening_deadline = models.DateField(gettext_lazy("筛选期限"))
    deadline_warning = models.CharField(gettext_lazy("期限提示"), max_length=200, blank=True)
    outcome = models.CharField(gettext_lazy("筛选结果"), max_length=16, choices=Outcome.choices, blank=True)
    nature = models.CharField(gettext_lazy("性质"), max_length=16, choices=Nature.choices, blank=True)
    outcome_reason = models.TextField(gettext_lazy("理由"), blank=True)
    # Set at screening, empty at intake: indexed only where set (Meta.indexes, PARTIAL_FK_INDEXES).
    rejection_rule = models.ForeignKey(ConsultationRule, verbose_name=gettext_lazy("不予受理依据"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+", db_index=False)
    merged_into = models.ForeignKey("self", verbose_name=gettext_lazy("合并到"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="duplicates", db_index=False)
    topic = models.ForeignKey("deliberation.Topic", verbose_name=gettext_lazy("议题"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="demands", db_index=False)
    task = models.ForeignKey("handling.Task", verbose_name=gettext_lazy("办理任务"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="demands", db_index=False)
    mediation = models.ForeignKey("mediation.MediationCase", verbose_name=gettext_lazy("调解案件"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="demands", db_index=False)
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("筛选人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", db_index=False)
    screened_at = models.DateTimeField(gettext_lazy("筛选时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("提交时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = gettext_lazy("诉求")
        verbose_name_plural = gettext_lazy("诉求")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["district", "number"], name="demand_number_unique")]
        indexes = [
            models.Index(fields=["path", "created_at"], name="demand_path_idx"),
            models.Index(fields=["screening_path", "status", "screening_deadline"], name="demand_inbox_idx"),
            models.Index(fields=["status", "created_at"], name="demand_status_idx"),
            # A status filter's bounded count within an area (API pages: COUNT over LIMIT 10,001) as an index-only
            # range: without it PostgreSQL read the table until it had counted 10,001 (a street: 224,000 rows).
            models.Index(fields=["status", "path"], name="demand_status_path_idx"),
            # what is waiting for screening under an area (the overview's open count and its overdue on top):
            # only pending rows, a backlog of days, whatever the years of demands behind it
            models.Index(fields=["path", "screening_deadline"], condition=models.Q(status="pending"),
                         name="demand_pending_idx"),
            # … and the overdue on top for a whole district or street, read in deadline order until 15 under the
            # area are found (with the index above alone PostgreSQL sorted every overdue row: 1 M, 2.9 s at 10 M)
            models.Index(fields=["screening_deadline", "id"], condition=models.Q(status="pending"),
                         name="demand_pending_due_idx"),
            # Foreign keys empty when a demand comes in (most stay empty): a partial index holds only the rows
            # that have one, so intake does not add an entry to each (`topic_id = 5` implies NOT NULL, so
            # lookups and the deletion checks still use them).
            *(models.Index(fields=[name], condition=models.Q(**{f"{name}__isnull": False}),
                           name=f"demand_{name}_idx") for name in PARTIAL_FK_INDEXES),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:20]}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.reporter_id] if self.reporter_id else []

    @property
    def is_open(self) -> bool:
        return self.status in {Status.PENDING, Status.ESCALATED}


class DemandPhoto(models.Model):
    demand = models.ForeignKey(Demand, verbose_name=gettext_lazy("诉求"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(gettext_lazy("图片"), upload_to="demands/%Y/%m/")  # ≤ 1600 px, no EXIF (demands.photos)
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="demands/thumbs/%Y/%m/", blank=True)  # empty: made on first view
    content_type = models.CharField(gettext_lazy("类型"), max_length=32)
    sha256 = models.CharField("SHA-256", max_length=64)  # of the stored `image`
    width = models.PositiveIntegerField(gettext_lazy("宽"))
    height = models.PositiveIntegerField(gettext_lazy("高"))
    size = models.PositiveIntegerField(gettext_lazy("字节数"))

    class Meta:
        verbose_name = gettext_lazy("诉求照片")
        verbose_name_plural = gettext_lazy("诉求照片")
        ordering = ["id"]

    def __str__(self) -> str:
        return gettext('%(number)s 照片 %(sha256_8)s') % {"number": self.demand.number, "sha256_8": self.sha256[:8]}


class DemandKey(models.Model):
    """The similar-demand index: the signature keys of each demand (see demands.suggest)."""

    # Derived rows, rebuilt from the demand's text; about seven per demand, so each constraint and index costs
    # intake seven times over. No database constraints (Django's CASCADE deletes them with their demand or
    # community) and no index on community (demandkey_local_idx serves lookups; an area is seldom deleted).
    key = models.CharField(max_length=64)
    community = models.ForeignKey(Area, null=True, on_delete=models.CASCADE, related_name="+", db_index=False,
                                  db_constraint=False)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="keys", db_constraint=False)
    created_at = models.DateTimeField()
    version = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = gettext_lazy("相似检索键")
        verbose_name_plural = gettext_lazy("相似检索键")
        # demand last: the candidate lookup (intake._candidate_ids) reads only the index.
        indexes = [
            models.Index(fields=["key", "community", "-created_at", "demand"], name="demandkey_local_idx"),
            models.Index(fields=["key", "-created_at", "demand"], name="demandkey_global_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class IdempotencyRecord(models.Model):
    """An Idempotency-Key already used by a user: a retry gets the same demand, never a second one."""

    # No index of its own: idempotency_user_key_unique (user, key) starts with it.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("幂等键")
        verbose_name_plural = gettext_lazy("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_user_key_unique")]

    def __str__(self) -> str:
        return self.key


class DemandCounter(models.Model):
    """The last number issued per district and year (2026-000123)."""

    district = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = gettext_lazy("编号计数器")
        verbose_name_plural = gettext_lazy("编号计数器")
        constraints = [models.UniqueConstraint(fields=["district", "year"], name="demandcounter_unique")]

    def __str__(self) -> str:
        return f"{self.district_id}-{self.year}: {self.last}"
