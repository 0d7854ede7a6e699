"""微心愿: a small wish of a resident (or of an elderly person or a child, posted by staff on their behalf), what
staff approved for the public, who claimed it and how it came true."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person
from yishiting.common.stored_photo import StoredPhoto

from .choices import DonorKind, PhotoKind, WishCategory, WishStatus


class Wish(models.Model):
    number = models.CharField(gettext_lazy("编号"), max_length=20, unique=True)
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("社区"), on_delete=models.PROTECT, related_name="wishes")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    wisher = models.ForeignKey(Person, verbose_name=gettext_lazy("心愿人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="wishes",
                               help_text=gettext_lazy("代老人、儿童发布且其未登记时为空"))
    posted_by = models.ForeignKey(Person, verbose_name=gettext_lazy("发布人"), on_delete=models.PROTECT,
                                  related_name="wishes_posted")
    on_behalf = models.BooleanField(gettext_lazy("工作人员代发"), default=False)
    beneficiary_note = models.CharField(gettext_lazy("受助人情况（仅工作人员可见）"), max_length=100, blank=True)
    category = models.CharField(gettext_lazy("类别"), max_length=16, choices=WishCategory.choices)
    original_text = models.TextField(gettext_lazy("心愿原文"))
    public_text = models.CharField(gettext_lazy("公开内容"), max_length=200, blank=True)
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=WishStatus.choices, default=WishStatus.PENDING)
    reject_reason = models.CharField(gettext_lazy("未通过原因"), max_length=200, blank=True)
    reviewed_by = models.ForeignKey(Person, verbose_name=gettext_lazy("审核人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="wishes_reviewed")
    reviewed_at = models.DateTimeField(gettext_lazy("审核时间"), null=True, blank=True)
    donor_kind = models.CharField(gettext_lazy("认领方类型"), max_length=16, choices=DonorKind.choices, blank=True)
    donor_person = models.ForeignKey(Person, verbose_name=gettext_lazy("认领人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="wishes_claimed")
    donor_organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("认领单位"), null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="wishes_claimed")
    claimed_at = models.DateTimeField(gettext_lazy("认领时间"), null=True, blank=True)
    claim_due_on = models.DateField(gettext_lazy("实现期限"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(gettext_lazy("实现时间"), null=True, blank=True)
    fulfil_note = models.CharField(gettext_lazy("实现情况"), max_length=200, blank=True)
    thanks = models.CharField(gettext_lazy("心愿人的感谢"), max_length=200, blank=True)
    created_at = models.DateTimeField(gettext_lazy("发布时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("微心愿")
        verbose_name_plural = gettext_lazy("微心愿")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["path", "status"], name="wish_path_status_idx"),
                   models.Index(fields=["status", "claim_due_on"], name="wish_claim_due_idx")]
        constraints = [models.CheckConstraint(
            condition=~Q(status="claimed") | Q(donor_person__isnull=False) | Q(donor_organization__isnull=False),
            name="wish_claimed_has_donor")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [pk for pk in (self.wisher_id, self.posted_by_id) if pk]

    @property
    def shown_text(self) -> str:
        """What everyone but the wisher and staff reads: the text staff approved."""
        return self.public_text


class WishPhoto(StoredPhoto):
    """The wish's own photo (seen by the wisher, the claimant and staff) or the fulfilment photo."""

    wish = models.ForeignKey(Wish, verbose_name=gettext_lazy("微心愿"), on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(gettext_lazy("类别"), max_length=16, choices=PhotoKind.choices)
    image = models.FileField(gettext_lazy("图片"), upload_to="wishes/%Y/%m/")  # ≤ 1600 px, no EXIF (demands.photos)
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="wishes/thumbs/%Y/%m/", blank=True)

    class Meta(StoredPhoto.Meta):
        verbose_name = gettext_lazy("心愿照片")
        verbose_name_plural = gettext_lazy("心愿照片")

    def __str__(self) -> str:
        return f"{self.wish_id} {self.kind}"
