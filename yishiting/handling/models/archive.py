"""The dossier (一事一档, 备): assembled from the event log when a matter is archived, then never changed.

`content` is the assembled record (every event in order with actors masked, every attachment with its SHA-256);
`content_sha256` seals it and `chain_head` is the hash of the last event of the matter at archive time, so
`yishiting verify` can prove both the dossier and the log it came from.

Immutability is enforced by the database (migration 0003): a row of Dossier or SealedSubject can be neither
updated nor deleted, and no event may be appended to a sealed subject. On SQLite the triggers ask the function
`yishiting_archive_writable()`, registered on each connection below: it answers 1 only inside
`archive_maintenance()` (used by `manage.py flush`, which must empty every table), so a change made through any
other path — including the sqlite3 shell, where the function does not exist — is refused. On PostgreSQL
`TRUNCATE` (what flush uses) fires no row trigger, so there is no way around the triggers but dropping them."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from yishiting.areas.models import Area, PathField


class Dossier(models.Model):
    topic = models.OneToOneField("deliberation.Topic", verbose_name=_("议题"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="dossier")
    task = models.OneToOneField("handling.Task", verbose_name=_("任务"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="dossier")
    mediation = models.OneToOneField("mediation.MediationCase", verbose_name=_("调解案件"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="dossier")
    number = models.CharField(_("档案号"), max_length=32, unique=True)
    title = models.CharField(_("标题"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    path = PathField(_("路径"), max_length=255, editable=False)
    category = models.CharField(_("类别"), max_length=64, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    search_text = models.TextField(_("检索文本"), editable=False)
    content = models.JSONField(_("档案内容"))
    content_sha256 = models.CharField(_("内容哈希"), max_length=64)
    chain_head = models.CharField(_("事件链哈希"), max_length=64)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("归档人"), null=True,
                                    on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField(_("归档时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("一事一档")
        verbose_name_plural = _("一事一档")
        ordering = ["-archived_at", "-pk"]
        indexes = [models.Index(fields=["path", "year"], name="dossier_path_year_idx"),
                   models.Index(fields=["category", "year"], name="dossier_category_year_idx")]
        constraints = [
            # Exactly one matter: a topic, a direct-handling task or a mediation case.
            models.CheckConstraint(
                condition=(models.Q(topic__isnull=False, task__isnull=True, mediation__isnull=True)
                           | models.Q(topic__isnull=True, task__isnull=False, mediation__isnull=True)
                           | models.Q(topic__isnull=True, task__isnull=True, mediation__isnull=False)),
                name="dossier_one_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def scope_path(self) -> str:
        return self.path


class SealedSubject(models.Model):
    """One event-log subject (a topic, its demands, notices, tasks …) closed by a dossier: the database refuses
    any further event on it, so nothing about an archived matter can change afterwards."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("档案"), on_delete=models.PROTECT, related_name="sealed")
    subject_type = models.CharField(_("对象类型"), max_length=64)
    subject_id = models.CharField(_("对象编号"), max_length=64)

    class Meta:
        verbose_name = _("已封存对象")
        verbose_name_plural = _("已封存对象")
        constraints = [models.UniqueConstraint(fields=["subject_type", "subject_id"], name="sealed_subject_once")]

    def __str__(self) -> str:
        return f"{self.subject_type}#{self.subject_id}"


_maintenance = threading.local()


@contextlib.contextmanager
def archive_maintenance() -> Iterator[None]:
    """Lets this thread's SQLite connection delete dossiers (flush empties every table). Nothing else uses it."""
    _maintenance.on = True
    try:
        yield
    finally:
        _maintenance.on = False


def _archive_writable() -> int:
    return 1 if getattr(_maintenance, "on", False) else 0


@receiver(connection_created, dispatch_uid="yishiting_archive_writable")
def _register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("yishiting_archive_writable", 0, _archive_writable,
                                              deterministic=False)


class DossierFile(models.Model):
    """A dossier's PDF or DOCX, rendered once by a background job after archiving (handling/jobs.py) from the
    sealed content, and served as stored from then on: the file printed next year is the file of the archive day.
    Until the job has run, a download renders the same file on the spot."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    dossier = models.ForeignKey(Dossier, verbose_name=_("档案"), on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("格式"), max_length=8, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="dossiers/%Y/")
    sha256 = models.CharField(_("文件哈希"), max_length=64)
    size = models.PositiveIntegerField(_("大小"))
    rendered_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("档案文件")
        verbose_name_plural = _("档案文件")
        constraints = [models.UniqueConstraint(fields=["dossier", "kind"], name="dossier_file_one_per_kind")]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.kind}"
