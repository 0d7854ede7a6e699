"""Volunteering: teams of a community or street (七彩志愿服务队, 雪都送餐队) with members and leaders; activities
with sign-up, capacity, QR check-in, check-out and hours; 公益服务岗 a volunteer claims for a period, with shifts
logged as hours. Every record keeps its area's path so scope filters are one prefix match."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, PathField, Person

from .choices import ActivityStatus, AttendanceStatus, ClaimStatus, ShiftStatus

RATING = [MinValueValidator(1), MaxValueValidator(5)]
HOURS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))]


class Team(models.Model):
    """A volunteer team of a community or a street; its leaders organise its activities."""

    name = models.CharField(gettext_lazy("队名"), max_length=60)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所属社区或街道"), on_delete=models.PROTECT,
                             related_name="volunteer_teams")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    description = models.CharField(gettext_lazy("简介"), max_length=300, blank=True)
    is_active = models.BooleanField(gettext_lazy("在册"), default=True)
    created_at = models.DateTimeField(gettext_lazy("成立登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("志愿服务队")
        verbose_name_plural = gettext_lazy("志愿服务队")
        ordering = ["path", "name", "pk"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="team_name_per_area")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path


class TeamMember(models.Model):
    """A person in a team (a leader or not). Leaving keeps the row with its end, so the record stays."""

    team = models.ForeignKey(Team, verbose_name=gettext_lazy("服务队"), on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("队员"), on_delete=models.PROTECT,
                               related_name="volunteer_memberships")
    is_leader = models.BooleanField(gettext_lazy("队长"), default=False)
    joined_at = models.DateTimeField(gettext_lazy("入队时间"), auto_now_add=True)
    left_at = models.DateTimeField(gettext_lazy("退队时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("服务队队员")
        verbose_name_plural = gettext_lazy("服务队队员")
        ordering = ["-is_leader", "joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], condition=Q(left_at__isnull=True),
                                               name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team} · {self.person}"


class Activity(models.Model):
    """A volunteer activity at a place and time with a number of places; the QR code for check-in is signed
    with `checkin_key` (rotated by the organiser if a photo of it circulates). With a `served` person (a home
    visit to an elder) that person rates each volunteer after check-out, and that rating confirms the hours."""

    title = models.CharField(gettext_lazy("活动名称"), max_length=100)
    team = models.ForeignKey(Team, verbose_name=gettext_lazy("服务队"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="activities")
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT,
                             related_name="volunteer_activities")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    place = models.CharField(gettext_lazy("地点"), max_length=100)
    description = models.TextField(gettext_lazy("内容"), max_length=2000, blank=True)
    starts_at = models.DateTimeField(gettext_lazy("开始时间"))
    ends_at = models.DateTimeField(gettext_lazy("结束时间"))
    capacity = models.PositiveIntegerField(gettext_lazy("名额"), validators=[MinValueValidator(1)])
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ActivityStatus.choices,
                              default=ActivityStatus.OPEN)
    organiser = models.ForeignKey(Person, verbose_name=gettext_lazy("组织人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="organised_activities")
    served = models.ForeignKey(Person, verbose_name=gettext_lazy("服务对象"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="served_by_activities",
                               help_text=gettext_lazy("上门服务的对象（如独居老人）：由其评价，评价后时长才确认"))
    checkin_key = models.CharField(gettext_lazy("签到码密钥"), max_length=32, editable=False)
    created_at = models.DateTimeField(gettext_lazy("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("志愿活动")
        verbose_name_plural = gettext_lazy("志愿活动")
        ordering = ["-starts_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="activity_time_order")]
        indexes = [models.Index(fields=["path", "starts_at"], name="activity_path_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path


class Attendance(models.Model):
    """One person's sign-up for an activity, through check-in and check-out to confirmed hours and a rating."""

    activity = models.ForeignKey(Activity, verbose_name=gettext_lazy("活动"), on_delete=models.CASCADE,
                                 related_name="attendances")
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("志愿者"), on_delete=models.PROTECT,
                               related_name="volunteer_attendances")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=AttendanceStatus.choices)
    signed_up_at = models.DateTimeField(gettext_lazy("报名时间"), auto_now_add=True)
    checked_in_at = models.DateTimeField(gettext_lazy("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(gettext_lazy("签退时间"), null=True, blank=True)
    hours = models.DecimalField(gettext_lazy("服务时长（小时）"), max_digits=4, decimal_places=1, null=True, blank=True,
                                validators=HOURS)
    hours_reason = models.CharField(gettext_lazy("时长调整原因"), max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("评价（星）"), null=True, blank=True, validators=RATING)
    rated_by = models.ForeignKey(Person, verbose_name=gettext_lazy("评价人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = gettext_lazy("活动报名")
        verbose_name_plural = gettext_lazy("活动报名")
        ordering = ["signed_up_at", "pk"]
        constraints = [models.UniqueConstraint(
            fields=["activity", "person"], name="attendance_once",
            condition=Q(status__in=["signed_up", "waiting", "checked_in", "checked_out"]))]

    def __str__(self) -> str:
        return f"{self.activity} · {self.person}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]


class Post(models.Model):
    """A standing 公益服务岗 of a community (楼道清洁岗, 助老岗): volunteers claim it for a period."""

    name = models.CharField(gettext_lazy("岗位名称"), max_length=60)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT,
                             related_name="volunteer_posts")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    team = models.ForeignKey(Team, verbose_name=gettext_lazy("服务队"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="posts")
    description = models.CharField(gettext_lazy("岗位职责"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(gettext_lazy("同时在岗人数"), default=1, validators=[MinValueValidator(1)])
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("公益服务岗")
        verbose_name_plural = gettext_lazy("公益服务岗")
        ordering = ["path", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path


class PostClaim(models.Model):
    """A volunteer on a post from one day to another (or released early, the real end kept)."""

    post = models.ForeignKey(Post, verbose_name=gettext_lazy("岗位"), on_delete=models.CASCADE, related_name="claims")
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("志愿者"), on_delete=models.PROTECT,
                               related_name="volunteer_claims")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    starts_on = models.DateField(gettext_lazy("认领起始日"))
    ends_on = models.DateField(gettext_lazy("认领截止日"))
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ClaimStatus.choices,
                              default=ClaimStatus.ACTIVE)
    released_on = models.DateField(gettext_lazy("退岗日"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("认领时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("认岗记录")
        verbose_name_plural = gettext_lazy("认岗记录")
        ordering = ["-starts_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="claim_period_order")]

    def __str__(self) -> str:
        return f"{self.post} · {self.person}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]


class Shift(models.Model):
    """One stint on a claimed post: logged by the volunteer (or staff), confirmed with hours and a rating."""

    claim = models.ForeignKey(PostClaim, verbose_name=gettext_lazy("认岗记录"), on_delete=models.CASCADE,
                              related_name="shifts")
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("志愿者"), on_delete=models.PROTECT,
                               related_name="volunteer_shifts")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    day = models.DateField(gettext_lazy("服务日期"))
    hours = models.DecimalField(gettext_lazy("服务时长（小时）"), max_digits=4, decimal_places=1, validators=HOURS)
    note = models.CharField(gettext_lazy("服务内容"), max_length=200, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ShiftStatus.choices,
                              default=ShiftStatus.LOGGED)
    hours_reason = models.CharField(gettext_lazy("时长调整原因"), max_length=200, blank=True)
    rating = models.PositiveSmallIntegerField(gettext_lazy("评价（星）"), null=True, blank=True, validators=RATING)
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("值岗记录")
        verbose_name_plural = gettext_lazy("值岗记录")
        ordering = ["-day", "-pk"]

    def __str__(self) -> str:
        return f"{self.claim} · {self.day}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]
