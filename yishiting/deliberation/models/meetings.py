"""Venues, meetings (协商会议) with their agenda, participants and recorded steps, and resolutions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, PathField, Person

from ..choices import MeetingForm, MeetingStatus, NextStep, Party, StepKind, VenueKind
from .templates import ProcessTemplate
from .topics import Topic


class Venue(models.Model):
    """A place to deliberate (Kenli's 1+N matrix: halls, stations, points), with its capacity."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=VenueKind.choices, default=VenueKind.POINT)
    area = models.ForeignKey(Area, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="venues")
    path = PathField(_("路径"), max_length=255, editable=False)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    capacity = models.PositiveSmallIntegerField(_("容纳人数"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("议事场所")
        verbose_name_plural = _("议事场所")
        ordering = ["path", "name"]

    def __str__(self) -> str:
        return gettext("%(name)s（%(capacity)s 人）") % {"name": self.name, "capacity": self.capacity}

    @property
    def scope_path(self) -> str:
        return self.path


class Meeting(models.Model):
    title = models.CharField(_("会议名称"), max_length=200)
    form = models.CharField(_("形式"), max_length=16, choices=MeetingForm.choices)
    template = models.ForeignKey(ProcessTemplate, verbose_name=_("议事规则模板"), on_delete=models.PROTECT,
                                 related_name="meetings")
    level_area = models.ForeignKey(Area, verbose_name=_("层级区域"), on_delete=models.PROTECT, related_name="meetings")
    path = PathField(_("路径"), max_length=255, editable=False)
    venue = models.ForeignKey(Venue, verbose_name=_("场所"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="meetings")
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), help_text=_("网上议事为截止时间"))
    chair = models.ForeignKey(Person, verbose_name=_("主持人"), on_delete=models.PROTECT, related_name="chaired_meetings")
    requirements = models.TextField(_("会议要求和注意事项"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    warnings = models.JSONField(_("核对提醒"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协商会议")
        verbose_name_plural = _("协商会议")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["path", "starts_at"], name="meeting_path_start_idx"),
                   models.Index(fields=["venue", "starts_at"], name="meeting_venue_start_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="meeting_ends_after_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda")
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["meeting", "order"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"], name="agenda_topic_once"),
                       models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_once")]

    def __str__(self) -> str:
        return f"{self.order}. {self.topic}"


class Participant(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="meetings_joined")
    party = models.CharField(_("代表方"), max_length=32, choices=Party.choices)
    is_council_member = models.BooleanField(_("议事会成员"), default=False, help_text=_("计入法定人数"))
    sign_in_code = models.CharField(_("签到码"), max_length=32, unique=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    signed_in_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签到登记人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["meeting", "party", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="participant_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_party_display()}"


class MeetingStep(models.Model):
    """One recorded step of the procedure: what was said, by whom, for which party."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="steps")
    topic = models.ForeignKey(Topic, verbose_name=_("议题"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="meeting_steps")
    seq = models.PositiveIntegerField(_("序号"))
    kind = models.CharField(_("环节"), max_length=16, choices=StepKind.choices)
    speaker = models.ForeignKey(Person, verbose_name=_("发言人"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    party = models.CharField(_("代表方"), max_length=32, choices=Party.choices, blank=True)
    text = models.TextField(_("内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议记录")
        verbose_name_plural = _("会议记录")
        ordering = ["meeting", "seq"]
        constraints = [models.UniqueConstraint(fields=["meeting", "seq"], name="step_seq_once")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.get_kind_display()}"


class Resolution(models.Model):
    """协商决议: the text, the vote results it rests on, and where the topic goes next."""

    topic = models.ForeignKey(Topic, verbose_name=_("议题"), on_delete=models.PROTECT, related_name="resolutions")
    meeting = models.ForeignKey(Meeting, verbose_name=_("会议"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="resolutions")
    text = models.TextField(_("决议内容"))
    next_step = models.CharField(_("下一步"), max_length=16, choices=NextStep.choices)
    reason = models.TextField(_("理由"), blank=True)
    votes = models.JSONField(_("表决结果"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("形成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("协商决议")
        verbose_name_plural = _("协商决议")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.topic} · {self.get_next_step_display()}"

    @property
    def scope_path(self) -> str:
        return self.topic.path
