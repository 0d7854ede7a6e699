"""整改清单: an official's list of rectification items to a community or unit; each item is followed like a task
(acknowledge, report with photos, submit, accept or return) and warned yellow and red by `yishiting tick`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, Organization, PathField, Person

from ..choices import ItemStatus, ReportKind, WarningLevel


class RectificationList(models.Model):
    number = models.CharField(_("编号"), max_length=20, unique=True)
    title = models.CharField(_("清单名称"), max_length=200)
    basis = models.TextField(_("整改依据"), blank=True)
    issuer_area = models.ForeignKey(Area, verbose_name=_("下发层级"), on_delete=models.PROTECT, related_name="+")
    issuer_path = PathField(_("下发层级路径"), max_length=255, editable=False)
    target_area = models.ForeignKey(Area, verbose_name=_("整改社区"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    target_organization = models.ForeignKey(Organization, verbose_name=_("整改单位"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="rectification_lists")
    path = PathField(_("路径"), max_length=255, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下发人"), null=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改清单")
        verbose_name_plural = _("整改清单")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["path"], name="rectlist_path_idx"),
                   models.Index(fields=["issuer_path"], name="rectlist_issuer_path_idx")]
        constraints = [models.CheckConstraint(
            condition=models.Q(target_area__isnull=False) ^ models.Q(target_organization__isnull=False),
            name="rectlist_one_target")]

    def __str__(self) -> str:
        return self.title

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def target_name(self) -> str:
        return str(self.target_organization or self.target_area)


class RectificationItem(models.Model):
    Status = ItemStatus

    list = models.ForeignKey(RectificationList, verbose_name=_("整改清单"), on_delete=models.CASCADE,
                             related_name="items")
    seq = models.PositiveSmallIntegerField(_("序号"))
    description = models.TextField(_("整改事项"))
    organization = models.ForeignKey(Organization, verbose_name=_("责任单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="rectification_items")
    area = models.ForeignKey(Area, verbose_name=_("责任社区"), on_delete=models.PROTECT, related_name="+")
    path = PathField(_("路径"), max_length=255, editable=False)
    deadline_days = models.PositiveSmallIntegerField(_("期限（工作日）"))
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.ISSUED)
    returns = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    last_note = models.TextField(_("最近意见"), blank=True)
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["list", "seq"]
        indexes = [models.Index(fields=["path", "status"], name="rectitem_path_status_idx"),
                   models.Index(fields=["status", "deadline"], name="rectitem_status_deadline_idx")]
        constraints = [models.UniqueConstraint(fields=["list", "seq"], name="rectitem_seq_once")]

    def __str__(self) -> str:
        return f"{self.list.number}-{self.seq}"

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def responsible_name(self) -> str:
        return str(self.organization or self.area)


class RectificationReport(models.Model):
    item = models.ForeignKey(RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE,
                             related_name="reports")
    kind = models.CharField(_("类别"), max_length=16, choices=ReportKind.choices, default=ReportKind.PROGRESS)
    text = models.TextField(_("整改情况"))
    reporter = models.ForeignKey(Person, verbose_name=_("报告人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("报告时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item} {self.get_kind_display()}"


class RectificationPhoto(models.Model):
    """Evidence photo of a report: resized, EXIF dropped, thumbnailed (demands.photos.clean_photo)."""

    report = models.ForeignKey(RectificationReport, verbose_name=_("整改进展"), on_delete=models.CASCADE,
                               related_name="photos")
    image = models.FileField(_("照片"), upload_to="rectification/%Y/%m/")
    thumbnail = models.FileField(_("缩略图"), upload_to="rectification/thumbs/%Y/%m/", blank=True)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)

    class Meta:
        verbose_name = _("整改照片")
        verbose_name_plural = _("整改照片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.sha256[:12]


class RectificationWarning(models.Model):
    item = models.ForeignKey(RectificationItem, verbose_name=_("整改事项"), on_delete=models.CASCADE,
                             related_name="warnings")
    level = models.CharField(_("预警级别"), max_length=8, choices=WarningLevel.choices)
    deadline = models.DateField(_("期限"))
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改预警")
        verbose_name_plural = _("整改预警")
        constraints = [models.UniqueConstraint(fields=["item", "level", "deadline"], name="rectwarning_once")]

    def __str__(self) -> str:
        return f"{self.item} {self.get_level_display()}"
