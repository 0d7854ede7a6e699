"""Tasks (办理任务, 办): from a resolution or a direct-handling demand; milestones, progress reports with photos,
returns, deadline extensions approved by a supervisor, and 销号 — closed only with evidence, once verified."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Organization, PathField, Person

from ..choices import ExtensionStatus, FileKind, SubjectKind, TaskStatus


class Task(models.Model):
    Status = TaskStatus

    title = models.CharField(_("任务"), max_length=200)
    topic = models.ForeignKey("deliberation.Topic", verbose_name=_("议题"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="tasks")
    resolution = models.ForeignKey("deliberation.Resolution", verbose_name=_("决议"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="tasks")
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="tasks")
    path = PathField(_("路径"), max_length=255, editable=False)
    subject_kind = models.CharField(_("责任主体"), max_length=16, choices=SubjectKind.choices,
                                    default=SubjectKind.COMMUNITY)
    organization = models.ForeignKey(Organization, verbose_name=_("责任单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="tasks")
    handler = models.ForeignKey(Person, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="tasks")
    supervisor = models.ForeignKey(Person, verbose_name=_("核验人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="supervised_tasks",
                                   help_text=_("审批延期、核验销号的人；空时由交办层级的社区两委核验"))
    standard = models.TextField(_("办理标准"), blank=True)
    deadline = models.DateField(_("办理期限"))
    original_deadline = models.DateField(_("原定期限"), null=True, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("期限（工作日）"), null=True, blank=True)
    # What the current deadline represented when it was set (交办, or a supervisor's approved extension): the
    # working days after `window_start` up to it, on that day's calendar. Holidays entered later push the deadline
    # so that it keeps them (handling.services.deadlines); a date chosen on a form is kept whole the same way.
    window_start = models.DateField(_("期限起算日"), null=True, blank=True)
    window_days = models.PositiveIntegerField(_("期限内工作日数"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    percent = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    evidence = models.TextField(_("销号佐证说明"), blank=True)
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("交办人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理任务")
        verbose_name_plural = _("办理任务")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["path", "status"], name="task_path_status_idx"),
                   models.Index(fields=["status", "deadline"], name="task_status_deadline_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(percent__lte=100), name="task_percent_at_most_100")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path


class Milestone(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点"), max_length=200)
    due_on = models.DateField(_("计划完成"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("办理节点")
        verbose_name_plural = _("办理节点")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports")
    text = models.TextField(_("进展"))
    percent = models.PositiveSmallIntegerField(_("进度（%）"))
    milestone = models.ForeignKey(Milestone, verbose_name=_("完成的节点"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    reporter = models.ForeignKey(Person, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.task} {self.percent}%"


class TaskFile(models.Model):
    """A progress photo or a piece of 销号 evidence; content-checked like demand photos, listed in the dossier."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="files")
    report = models.ForeignKey(ProgressReport, verbose_name=_("进展报告"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类别"), max_length=16, choices=FileKind.choices)
    name = models.CharField(_("文件名"), max_length=200)
    file = models.FileField(_("文件"), upload_to="tasks/%Y/%m/")  # a photo: ≤ 1600 px, no EXIF (demands.photos)
    thumbnail = models.FileField(_("缩略图"), upload_to="tasks/thumbs/%Y/%m/", blank=True)  # photos only; made on first view
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)  # of the stored `file`
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("任务附件")
        verbose_name_plural = _("任务附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class Extension(models.Model):
    """A request to move a deadline; only a supervisor's approval moves it, and it stays in the figures."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="extensions")
    reason = models.TextField(_("理由"))
    old_deadline = models.DateField(_("原期限"))
    new_deadline = models.DateField(_("申请延至"))
    status = models.CharField(_("状态"), max_length=16, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True,
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # At most one request waits at a time: a second one is a clear error, not a queue.
            models.UniqueConstraint(fields=["task"], condition=models.Q(status="pending"),
                                    name="extension_one_pending_per_task"),
        ]

    def __str__(self) -> str:
        return f"{self.task} → {self.new_deadline}"
