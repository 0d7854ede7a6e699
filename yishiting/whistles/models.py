"""吹哨·应哨: a matter a grid worker, community staff or party member could not solve alone, the units named to
respond by a deadline (working days), and each unit's 报到 and what it did."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person
from yishiting.common.stored_photo import StoredPhoto

from .choices import ClosedHow, ResponseStatus, WhistleStatus


class Whistle(models.Model):
    number = models.CharField(gettext_lazy("编号"), max_length=20, unique=True)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("发生地"), on_delete=models.PROTECT,
                             related_name="whistles")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    title = models.CharField(gettext_lazy("事由"), max_length=60)
    text = models.TextField(gettext_lazy("情况说明"), max_length=1000)
    demand = models.ForeignKey("demands.Demand", verbose_name=gettext_lazy("诉求"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="whistles")
    topic = models.ForeignKey("deliberation.Topic", verbose_name=gettext_lazy("议题"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="whistles")
    task = models.ForeignKey("handling.Task", verbose_name=gettext_lazy("办理任务"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="whistles")
    blown_by = models.ForeignKey(Person, verbose_name=gettext_lazy("吹哨人"), on_delete=models.PROTECT,
                                 related_name="whistles_blown")
    blower_role = models.CharField(gettext_lazy("吹哨人身份"), max_length=40, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=WhistleStatus.choices,
                              default=WhistleStatus.OPEN)
    deadline = models.DateField(gettext_lazy("应哨期限"))
    deadline_warning = models.CharField(gettext_lazy("期限提示"), max_length=200, blank=True)
    blown_at = models.DateTimeField(gettext_lazy("吹哨时间"), auto_now_add=True)
    closed_at = models.DateTimeField(gettext_lazy("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(Person, verbose_name=gettext_lazy("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="whistles_closed")
    closed_how = models.CharField(gettext_lazy("办结方式"), max_length=16, choices=ClosedHow.choices, blank=True)
    summary = models.CharField(gettext_lazy("办结情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = gettext_lazy("吹哨")
        verbose_name_plural = gettext_lazy("吹哨")
        ordering = ["-blown_at", "-pk"]
        indexes = [models.Index(fields=["path", "status"], name="whistle_path_status_idx"),
                   models.Index(fields=["status", "deadline"], name="whistle_status_deadline_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.blown_by_id]

    @property
    def is_open(self) -> bool:
        return self.status in (WhistleStatus.OPEN, WhistleStatus.ANSWERED)

    @property
    def blower_label(self) -> str:
        """"网格员 赵网格": someone acting in office is named in full; a party member as 党员 张* (docs/masking.md)."""
        from yishiting.areas.choices import IN_OFFICE_ROLES, Role
        from yishiting.common.masking import mask_name

        role = Role(self.blower_role) if self.blower_role in Role.values else None
        name = self.blown_by.name if role in IN_OFFICE_ROLES else mask_name(self.blown_by.name)
        return f"{role.label} {name}" if role else name


class WhistleResponse(models.Model):
    """One named unit's answer (应哨): its 报到 and what it did. One per unit and whistle."""

    whistle = models.ForeignKey(Whistle, verbose_name=gettext_lazy("吹哨"), on_delete=models.CASCADE,
                                related_name="responses")
    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("应哨单位"), on_delete=models.PROTECT,
                                     related_name="whistle_responses")
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=ResponseStatus.choices,
                              default=ResponseStatus.PENDING)
    # Each unit's own: the whistle's for the units named when it was blown, later ones for a unit added after.
    called_at = models.DateTimeField(gettext_lazy("召集时间"), default=timezone.now)
    deadline = models.DateField(gettext_lazy("应哨期限"))
    added = models.BooleanField(gettext_lazy("吹哨后增加"), default=False)
    arrived_at = models.DateTimeField(gettext_lazy("报到时间"), null=True, blank=True)
    arrived_by = models.ForeignKey(Person, verbose_name=gettext_lazy("报到人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    responded_at = models.DateTimeField(gettext_lazy("应哨时间"), null=True, blank=True)
    responded_by = models.ForeignKey(Person, verbose_name=gettext_lazy("应哨人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    note = models.TextField(gettext_lazy("处置情况"), max_length=1000, blank=True)
    late = models.BooleanField(gettext_lazy("超期"), default=False,
                               help_text=gettext_lazy("期限过后才应哨，或到办结时仍未应哨"))

    class Meta:
        verbose_name = gettext_lazy("应哨")
        verbose_name_plural = gettext_lazy("应哨")
        ordering = ["whistle_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["whistle", "organization"], name="whistle_response_once")]
        indexes = [models.Index(fields=["organization", "status"], name="whistle_response_org_idx")]

    def __str__(self) -> str:
        return f"{self.whistle_id} {self.organization_id}"

    @property
    def scope_path(self) -> str:
        return self.whistle.path


class ResponsePhoto(StoredPhoto):
    response = models.ForeignKey(WhistleResponse, verbose_name=gettext_lazy("应哨"), on_delete=models.CASCADE,
                                 related_name="photos")
    image = models.FileField(gettext_lazy("图片"), upload_to="whistles/%Y/%m/")  # ≤ 1600 px, no EXIF (demands.photos)
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="whistles/thumbs/%Y/%m/", blank=True)

    class Meta(StoredPhoto.Meta):
        verbose_name = gettext_lazy("应哨照片")
        verbose_name_plural = gettext_lazy("应哨照片")

    def __str__(self) -> str:
        return f"{self.response_id} {self.sha256[:8]}"


class WhistleWarning(models.Model):
    """A deadline warning given to a unit that has not answered (unique per response, level and deadline: `tick`
    never warns twice)."""

    response = models.ForeignKey(WhistleResponse, verbose_name=gettext_lazy("应哨"), on_delete=models.CASCADE,
                                 related_name="warnings")
    level = models.CharField(gettext_lazy("级别"), max_length=16)
    deadline = models.DateField(gettext_lazy("期限"))
    created_at = models.DateTimeField(gettext_lazy("预警时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("应哨预警")
        verbose_name_plural = gettext_lazy("应哨预警")
        constraints = [models.UniqueConstraint(fields=["response", "level", "deadline"], name="whistle_warning_once")]

    def __str__(self) -> str:
        return f"{self.response_id} {self.level}"
