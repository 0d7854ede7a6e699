"""Participation: 双报到 (units and in-service party members report to a community; their services, the community's
quarterly assessment) and the service menu (居民点单·社区派单·党员接单·组织晒单)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person
from yishiting.common.masking import mask_name
from yishiting.common.stored_photo import StoredPhoto

from .choices import Grade, OrderStatus, ProviderKind


class UnitRegistration(models.Model):
    """A unit (机关、企事业单位) reports to a community with a co-building agreement (共建协议): what it brings
    (resources), what it promises (commitments), and who to call. Ended agreements are kept."""

    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("报到单位"), on_delete=models.PROTECT,
                                     related_name="unit_registrations")
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("报到社区"), on_delete=models.PROTECT,
                                  related_name="unit_registrations")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    resources = models.TextField(gettext_lazy("共建资源"), max_length=2000,
                                 help_text=gettext_lazy("如：场地、车辆、专业人员、资金"))
    commitments = models.TextField(gettext_lazy("共建承诺"), max_length=2000,
                                   help_text=gettext_lazy("如：每季度开展两次服务活动"))
    contact_name = models.CharField(gettext_lazy("联系人"), max_length=32)
    contact_phone = models.CharField(gettext_lazy("联系电话"), max_length=20)
    signed_on = models.DateField(gettext_lazy("协议签订日"))
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("双报到单位")
        verbose_name_plural = gettext_lazy("双报到单位")
        ordering = ["path", "organization__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["organization", "community"], condition=Q(is_active=True),
                                               name="unit_registration_one_active")]
        indexes = [models.Index(fields=["path"], name="unitreg_path_idx")]

    def __str__(self) -> str:
        return f"{self.organization} → {self.community}"

    @property
    def scope_path(self) -> str:
        return self.path


class MemberRegistration(models.Model):
    """An in-service party member reports to the community where they live, or to their unit's partner community,
    with the service posts they take and their skills."""

    person = models.ForeignKey(Person, verbose_name=gettext_lazy("党员"), on_delete=models.PROTECT,
                               related_name="member_registrations")
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("报到社区"), on_delete=models.PROTECT,
                                  related_name="member_registrations")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    unit = models.ForeignKey(Organization, verbose_name=gettext_lazy("所在单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="member_registrations")
    posts = models.JSONField(gettext_lazy("服务岗位"), default=list)
    skills = models.CharField(gettext_lazy("特长"), max_length=200, blank=True)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    created_at = models.DateTimeField(gettext_lazy("报到时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("在职党员报到")
        verbose_name_plural = gettext_lazy("在职党员报到")
        ordering = ["path", "pk"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=Q(is_active=True),
                                               name="member_registration_one_active")]
        indexes = [models.Index(fields=["path"], name="memberreg_path_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.community}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]

    def post_labels(self) -> list[str]:
        from .choices import ServicePost

        return [str(ServicePost(p).label) for p in self.posts if p in ServicePost.values]


class ServiceProvider(models.Model):
    """Whoever serves from a community's menu: a unit, a party member, a volunteer or a social organisation. A
    person provider serves in person; an organisation's orders are accepted by its liaison (单位代表)."""

    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=ProviderKind.choices)
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("服务社区"), on_delete=models.PROTECT,
                                  related_name="service_providers")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="service_providers")
    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("组织"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="service_providers")
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)

    class Meta:
        verbose_name = gettext_lazy("服务提供方")
        verbose_name_plural = gettext_lazy("服务提供方")
        ordering = ["path", "kind", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(person__isnull=False) | Q(organization__isnull=False),
                                   name="provider_person_or_org"),
            models.UniqueConstraint(fields=["community", "person"], condition=Q(organization__isnull=True),
                                    name="provider_one_person"),
            models.UniqueConstraint(fields=["community", "organization"], condition=Q(person__isnull=True),
                                    name="provider_one_org"),
        ]

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """What the showcase shows: an organisation by name, a person masked (张*) with their kind."""
        if self.person_id is None:
            return self.organization.name
        return f"{self.get_kind_display()} {mask_name(self.person.name)}"

    @property
    def scope_path(self) -> str:
        return self.path


def default_accept_hours() -> int:
    """A new menu's time to accept (PARTICIPATION_ACCEPT_HOURS); each community may change its own in the admin."""
    return settings.PARTICIPATION_ACCEPT_HOURS


class ServiceMenu(models.Model):
    """A community's published menu, and how long an order may wait for a provider before it goes back to the
    community (the order template's time)."""

    community = models.OneToOneField(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT,
                                     related_name="service_menu")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    title = models.CharField(gettext_lazy("名称"), max_length=60, default=gettext_lazy("为民服务菜单"))
    accept_hours = models.PositiveSmallIntegerField(
        gettext_lazy("接单时限（小时）"), default=default_accept_hours,
        help_text=gettext_lazy("派单后无人接单超过此时限，订单退回社区重新派单"))
    is_published = models.BooleanField(gettext_lazy("已发布"), default=True)

    class Meta:
        verbose_name = gettext_lazy("服务菜单")
        verbose_name_plural = gettext_lazy("服务菜单")
        ordering = ["path"]

    def __str__(self) -> str:
        return f"{self.community} · {self.title}"


class MenuItem(models.Model):
    """One service on the menu: who offers it, where, how many orders it can take at once, and when."""

    menu = models.ForeignKey(ServiceMenu, verbose_name=gettext_lazy("菜单"), on_delete=models.CASCADE, related_name="items")
    provider = models.ForeignKey(ServiceProvider, verbose_name=gettext_lazy("服务提供方"), on_delete=models.PROTECT,
                                 related_name="items")
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("服务范围"), on_delete=models.PROTECT, related_name="menu_items")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    title = models.CharField(gettext_lazy("服务项目"), max_length=60)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(gettext_lazy("同时可接订单数"), default=3)
    times = models.CharField(gettext_lazy("服务时间"), max_length=60, help_text=gettext_lazy("如：每周六上午"))
    is_active = models.BooleanField(gettext_lazy("上架"), default=True)

    class Meta:
        verbose_name = gettext_lazy("服务项目")
        verbose_name_plural = gettext_lazy("服务项目")
        ordering = ["path", "title", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path


class ServiceOrder(models.Model):
    """A resident's order (点单) from the menu, or a request for something not on it."""

    number = models.CharField(gettext_lazy("编号"), max_length=20, unique=True)
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="service_orders")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    resident = models.ForeignKey(Person, verbose_name=gettext_lazy("点单居民"), on_delete=models.PROTECT,
                                 related_name="service_orders")
    placed_by = models.ForeignKey(Person, verbose_name=gettext_lazy("代点单人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text=gettext_lazy("工作人员代居民点单时记录是谁代点的"))
    item = models.ForeignKey(MenuItem, verbose_name=gettext_lazy("服务项目"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="orders")
    title = models.CharField(gettext_lazy("需求"), max_length=60)
    text = models.CharField(gettext_lazy("具体情况"), max_length=500, blank=True)
    wanted = models.CharField(gettext_lazy("希望时间"), max_length=60, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.SUBMITTED)
    offered_to = models.ManyToManyField(ServiceProvider, verbose_name=gettext_lazy("派单对象"), blank=True,
                                        related_name="offered_orders")
    provider = models.ForeignKey(ServiceProvider, verbose_name=gettext_lazy("接单方"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="orders")
    served_by = models.ForeignKey(Person, verbose_name=gettext_lazy("服务人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="served_orders")
    dispatched_at = models.DateTimeField(gettext_lazy("派单时间"), null=True, blank=True)
    accept_due = models.DateTimeField(gettext_lazy("接单时限"), null=True, blank=True)
    accepted_at = models.DateTimeField(gettext_lazy("接单时间"), null=True, blank=True)
    reported_at = models.DateTimeField(gettext_lazy("完成时间"), null=True, blank=True)
    report = models.CharField(gettext_lazy("服务情况"), max_length=500, blank=True)
    hours = models.DecimalField(gettext_lazy("服务时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("评价"), null=True, blank=True)
    rating_comment = models.CharField(gettext_lazy("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(gettext_lazy("评价时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("点单时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("服务订单")
        verbose_name_plural = gettext_lazy("服务订单")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["path", "status"], name="order_path_status_idx"),
                   models.Index(fields=["status", "accept_due"], name="order_accept_due_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.resident_id]


class OrderPhoto(StoredPhoto):
    """The provider's photo of the service done (stored without EXIF, ≤ 1600 px: demands.photos)."""

    order = models.ForeignKey(ServiceOrder, verbose_name=gettext_lazy("订单"), on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(gettext_lazy("图片"), upload_to="participation/%Y/%m/")
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="participation/thumbs/%Y/%m/", blank=True)

    class Meta(StoredPhoto.Meta):
        verbose_name = gettext_lazy("服务照片")
        verbose_name_plural = gettext_lazy("服务照片")

    def __str__(self) -> str:
        return f"{self.order_id} {self.sha256[:8]}"


class ServiceRecord(models.Model):
    """A registered party member's service: what, when, hours, whom it served and that person's rating. A rated
    menu order served by a member writes one; the member or the staff may record others (a patrol, a clean-up),
    which the served person then rates. The unit's quarterly report lists these."""

    member = models.ForeignKey(MemberRegistration, verbose_name=gettext_lazy("报到党员"), on_delete=models.PROTECT,
                               related_name="records")
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="service_records")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    what = models.CharField(gettext_lazy("服务内容"), max_length=100)
    served_on = models.DateField(gettext_lazy("服务日期"))
    hours = models.DecimalField(gettext_lazy("服务时长（小时）"), max_digits=5, decimal_places=1)
    served_person = models.ForeignKey(Person, verbose_name=gettext_lazy("服务对象"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="services_received")
    order = models.OneToOneField(ServiceOrder, verbose_name=gettext_lazy("服务订单"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="record")
    rating = models.PositiveSmallIntegerField(gettext_lazy("评价"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("服务记录")
        verbose_name_plural = gettext_lazy("服务记录")
        ordering = ["-served_on", "-pk"]
        indexes = [models.Index(fields=["path", "served_on"], name="record_path_day_idx")]

    def __str__(self) -> str:
        return f"{self.served_on} {self.what}"

    @property
    def scope_path(self) -> str:
        return self.path


class Assessment(models.Model):
    """The community's quarterly 考核建议 of a unit or a member (好/较好/一般/差 with reasons). Written again in
    the same quarter, it replaces the earlier one (each write is an event)."""

    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="assessments")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(gettext_lazy("年度"))
    quarter = models.PositiveSmallIntegerField(gettext_lazy("季度"))
    unit = models.ForeignKey(UnitRegistration, verbose_name=gettext_lazy("单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="assessments")
    member = models.ForeignKey(MemberRegistration, verbose_name=gettext_lazy("党员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assessments")
    grade = models.CharField(gettext_lazy("考核建议"), max_length=16, choices=Grade.choices)
    reasons = models.CharField(gettext_lazy("理由"), max_length=500)
    assessed_by = models.ForeignKey(Person, verbose_name=gettext_lazy("填写人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(gettext_lazy("填写时间"), auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("季度考核建议")
        verbose_name_plural = gettext_lazy("季度考核建议")
        ordering = ["-year", "-quarter", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(unit__isnull=True, member__isnull=False) | Q(unit__isnull=False, member__isnull=True),
                                   name="assessment_one_subject"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="assessment_quarter_range"),
            models.UniqueConstraint(fields=["year", "quarter", "unit"], condition=Q(unit__isnull=False),
                                    name="assessment_one_per_unit"),
            models.UniqueConstraint(fields=["year", "quarter", "member"], condition=Q(member__isnull=False),
                                    name="assessment_one_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter} {self.get_grade_display()}"
