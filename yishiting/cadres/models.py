"""干部成长档案 (issue 21, seeds 000/001/004): a cadre's archive, the 导师库 and mentorships with notes, posts held
and AB岗 rotations, training programmes with activities, attendance and credits, monthly 优秀学员 and 约谈 records,
破题报告 with expert reviews, and the 践诺清单 with its progress updates.

A cadre is an existing Person (with the roles areas keeps); the archive row adds what the training office knows.
Matters led and ratings are read live from the other apps (matters.py), never copied here."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, PathField, Person

from .choices import ActivityKind, CadreKind, MentorKind, PledgeStatus, PostKind, ReportStatus

USER = settings.AUTH_USER_MODEL


class Cadre(models.Model):
    """One person's 成长档案 (一人一册), kept by the office of the area they serve in."""

    person = models.OneToOneField(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="cadre")
    kind = models.CharField(_("类别"), max_length=16, choices=CadreKind.choices)
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="cadres")
    path = PathField(_("路径"), max_length=255, editable=False)
    post = models.CharField(_("现任岗位"), max_length=60)
    created_by = models.ForeignKey(USER, verbose_name=_("建档人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("建档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("干部成长档案")
        verbose_name_plural = _("干部成长档案")
        ordering = ["path", "pk"]
        indexes = [models.Index(fields=["path"], name="cadre_path_idx")]

    def __str__(self) -> str:
        return self.person.name

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]


class PostRecord(models.Model):
    """A post held, an AB岗 rotation or a 试岗 period, with its dates."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("干部"), on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(_("类型"), max_length=16, choices=PostKind.choices)
    title = models.CharField(_("岗位"), max_length=60)
    area = models.ForeignKey(Area, verbose_name=_("所在区域"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任职经历")
        verbose_name_plural = _("任职经历")
        ordering = ["cadre", "-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class Mentor(models.Model):
    """A person in the 导师库 of an area (a street's or the district's)."""

    person = models.OneToOneField(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="mentor")
    kind = models.CharField(_("导师类别"), max_length=16, choices=MentorKind.choices)
    specialty = models.CharField(_("擅长领域"), max_length=100, blank=True)
    area = models.ForeignKey(Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="+")
    path = PathField(_("路径"), max_length=255, editable=False)
    is_active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("导师")
        verbose_name_plural = _("导师库")
        ordering = ["path", "pk"]

    def __str__(self) -> str:
        return self.person.name

    @property
    def scope_path(self) -> str:
        return self.path


class Mentorship(models.Model):
    """A mentor assigned to a cadre (导师帮带) from a day; ended when rotated (seed 001: every three months)."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("干部"), on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(Mentor, verbose_name=_("导师"), on_delete=models.PROTECT, related_name="mentorships")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    is_active = models.BooleanField(_("帮带中"), default=True)

    class Meta:
        verbose_name = _("导师帮带")
        verbose_name_plural = _("导师帮带")
        ordering = ["cadre", "-starts_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["cadre", "mentor"], condition=Q(is_active=True),
                                               name="mentorship_one_active")]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.cadre}"


class MentorNote(models.Model):
    mentorship = models.ForeignKey(Mentorship, verbose_name=_("导师帮带"), on_delete=models.CASCADE,
                                   related_name="notes")
    text = models.TextField(_("帮带记录"), max_length=1000)
    written_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("帮带记录")
        verbose_name_plural = _("帮带记录")
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Programme(models.Model):
    """A training programme run by a street's or the district's organisation office (seed 001: one year)."""

    name = models.CharField(_("培训班"), max_length=60)
    area = models.ForeignKey(Area, verbose_name=_("举办区域"), on_delete=models.PROTECT, related_name="+")
    path = PathField(_("路径"), max_length=255, editable=False)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    bottom_count = models.PositiveSmallIntegerField(
        _("每月提醒名额"), default=3, validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("每月学分排名最后几名列入约谈提醒"))
    cadres = models.ManyToManyField(Cadre, verbose_name=_("学员"), related_name="programmes", blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["path"], name="programme_path_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path


class Activity(models.Model):
    """A course or activity of a programme on a day, worth `credits` to each cadre who attends."""

    programme = models.ForeignKey(Programme, verbose_name=_("培训班"), on_delete=models.CASCADE,
                                  related_name="activities")
    kind = models.CharField(_("类型"), max_length=16, choices=ActivityKind.choices)
    title = models.CharField(_("名称"), max_length=80)
    held_on = models.DateField(_("日期"))
    credits = models.DecimalField(_("学分"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("课程活动")
        verbose_name_plural = _("课程活动")
        ordering = ["programme", "held_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """A cadre present at an activity, with the credits earned there (at most the activity's)."""

    activity = models.ForeignKey(Activity, verbose_name=_("课程活动"), on_delete=models.CASCADE,
                                 related_name="attendances")
    cadre = models.ForeignKey(Cadre, verbose_name=_("学员"), on_delete=models.CASCADE, related_name="attendances")
    credits = models.DecimalField(_("学分"), max_digits=4, decimal_places=1)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("出勤学分")
        verbose_name_plural = _("出勤学分")
        ordering = ["activity", "pk"]
        constraints = [models.UniqueConstraint(fields=["activity", "cadre"], name="cadre_attendance_once")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.activity}"


class Honour(models.Model):
    """优秀学员 of a programme for a month (named by the office from the monthly ranking)."""

    programme = models.ForeignKey(Programme, verbose_name=_("培训班"), on_delete=models.CASCADE,
                                  related_name="honours")
    cadre = models.ForeignKey(Cadre, verbose_name=_("学员"), on_delete=models.CASCADE, related_name="honours")
    month = models.DateField(_("月份"))

    class Meta:
        verbose_name = _("优秀学员")
        verbose_name_plural = _("优秀学员")
        ordering = ["-month", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "cadre", "month"], name="cadre_honour_once")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.month:%Y-%m}"


class Talk(models.Model):
    """约谈提醒: a talk with a cadre at the bottom of a month's ranking, and what was said."""

    programme = models.ForeignKey(Programme, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="talks")
    cadre = models.ForeignKey(Cadre, verbose_name=_("学员"), on_delete=models.CASCADE, related_name="talks")
    month = models.DateField(_("月份"))
    held_on = models.DateField(_("约谈日期"))
    note = models.TextField(_("约谈情况"), max_length=1000)
    held_by = models.ForeignKey(Person, verbose_name=_("约谈人"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("约谈记录")
        verbose_name_plural = _("约谈记录")
        ordering = ["-month", "-held_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "cadre", "month"], name="cadre_talk_once")]

    def __str__(self) -> str:
        return f"{self.cadre} {self.month:%Y-%m}"


class Report(models.Model):
    """破题报告: a problem of the cadre's area analysed after training (问题查摆、原因分析、破解思路)."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="reports")
    programme = models.ForeignKey(Programme, verbose_name=_("培训班"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="reports")
    path = PathField(_("路径"), max_length=255, editable=False)
    title = models.CharField(_("题目"), max_length=80)
    problem = models.TextField(_("问题查摆"), max_length=2000)
    plan = models.TextField(_("破解思路"), max_length=4000)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("入选时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("破题报告")
        verbose_name_plural = _("破题报告")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["path", "status"], name="report_path_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.cadre.person_id]


class Review(models.Model):
    """An expert's comment on a report (专家点评), one per expert."""

    report = models.ForeignKey(Report, verbose_name=_("破题报告"), on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(Mentor, verbose_name=_("点评专家"), on_delete=models.PROTECT, related_name="reviews")
    score = models.PositiveSmallIntegerField(_("评分"), validators=[MinValueValidator(1), MaxValueValidator(100)])
    comment = models.TextField(_("点评意见"), max_length=2000)
    reviewed_at = models.DateTimeField(_("点评时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家点评")
        verbose_name_plural = _("专家点评")
        ordering = ["report", "reviewed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "reviewer"], name="cadre_review_once")]

    def __str__(self) -> str:
        return f"{self.report} {self.score}"


class Pledge(models.Model):
    """One line of a cadre's 践诺清单: what they pledge, by when, how it is measured, and how far it has come."""

    cadre = models.ForeignKey(Cadre, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="pledges")
    programme = models.ForeignKey(Programme, verbose_name=_("培训班"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="pledges")
    path = PathField(_("路径"), max_length=255, editable=False)
    what = models.CharField(_("践诺事项"), max_length=120)
    measure = models.CharField(_("衡量标准"), max_length=200)
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(_("状态"), max_length=16, choices=PledgeStatus.choices, default=PledgeStatus.ACTIVE)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0,
                                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    is_overdue = models.BooleanField(_("已逾期"), default=False)
    is_stale = models.BooleanField(_("进度久未更新"), default=False)
    last_update_on = models.DateField(_("最近更新"))
    result = models.CharField(_("兑现情况"), max_length=300, blank=True)
    completed_on = models.DateField(_("兑现日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("践诺事项")
        verbose_name_plural = _("践诺清单")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["path", "status"], name="pledge_path_status_idx"),
                   models.Index(fields=["status", "due_on"], name="pledge_status_due_idx")]

    def __str__(self) -> str:
        return self.what

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.cadre.person_id]


class PledgeUpdate(models.Model):
    pledge = models.ForeignKey(Pledge, verbose_name=_("践诺事项"), on_delete=models.CASCADE, related_name="updates")
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    note = models.CharField(_("进展情况"), max_length=300)
    updated_on = models.DateField(_("更新日期"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("践诺进展")
        verbose_name_plural = _("践诺进展")
        ordering = ["-updated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.pledge} {self.progress}%"
