"""The grid at work: 包联 assignments (who keeps in touch with which household or building), field records
(走访 visits, 巡查 patrols, 联合巡查 joint patrols and 三方对话会 of an estate) with their photos and findings, and the
挂牌 plaque of a 党员中心户 shown on the resident's 我的网格 page (亮身份)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Household, Organization, PathField, Person, RoleAssignment
from yishiting.common.stored_photo import StoredPhoto

from .choices import RecordKind


class Assignment(models.Model):
    """包联: a cadre, party member or grid worker keeps in touch with one household or one building."""

    keeper = models.ForeignKey(Person, verbose_name=gettext_lazy("包联人"), on_delete=models.PROTECT,
                               related_name="grid_assignments")
    estate = models.ForeignKey(Area, verbose_name=gettext_lazy("网格（小区）"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, verbose_name=gettext_lazy("包联住户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="grid_assignments")
    building = models.ForeignKey(Area, verbose_name=gettext_lazy("包联楼栋"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="grid_assignments")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    assigned_by = models.ForeignKey(Person, verbose_name=gettext_lazy("安排人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    created_at = models.DateTimeField(gettext_lazy("安排时间"), auto_now_add=True)
    ended_at = models.DateTimeField(gettext_lazy("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("包联")
        verbose_name_plural = gettext_lazy("包联")
        ordering = ["path", "pk"]
        indexes = [models.Index(fields=["path", "is_active"], name="grid_assign_path_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(household__isnull=True) ^ Q(building__isnull=True),
                                   name="grid_assign_one_target"),
            models.UniqueConstraint(fields=["keeper", "household"], condition=Q(is_active=True),
                                    name="grid_assign_household_once"),
            models.UniqueConstraint(fields=["keeper", "building"], condition=Q(is_active=True),
                                    name="grid_assign_building_once"),
        ]

    def __str__(self) -> str:
        return f"{self.keeper_id} → {self.household or self.building}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.keeper_id]


class FieldRecord(models.Model):
    """One visit, patrol, joint patrol or 三方对话会, recorded on the phone where it happened."""

    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=RecordKind.choices)
    estate = models.ForeignKey(Area, verbose_name=gettext_lazy("网格（小区）"), on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(Area, verbose_name=gettext_lazy("地点"), on_delete=models.PROTECT, related_name="+",
                              help_text=gettext_lazy("楼栋，或整个小区"))
    household = models.ForeignKey(Household, verbose_name=gettext_lazy("走访住户"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="grid_records")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    position = models.CharField(gettext_lazy("位置说明"), max_length=100, blank=True)
    latitude = models.DecimalField(gettext_lazy("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(gettext_lazy("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    occurred_at = models.DateTimeField(gettext_lazy("时间"), db_index=True)
    recorder = models.ForeignKey(Person, verbose_name=gettext_lazy("记录人"), on_delete=models.PROTECT,
                                 related_name="grid_records")
    summary = models.TextField(gettext_lazy("情况记录"), max_length=1000)
    participants = models.CharField(gettext_lazy("参加人员"), max_length=300, blank=True,
                                    help_text=gettext_lazy("联合巡查、三方对话会：物业、业主代表等"))
    organizations = models.ManyToManyField(Organization, verbose_name=gettext_lazy("参加单位"), blank=True,
                                           related_name="grid_records")
    # Empty for records imported in bulk (the demo's district-wide month), which no account typed in.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("录入账号"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    idempotency_key = models.CharField("Idempotency-Key", max_length=100, blank=True)
    fingerprint = models.CharField(gettext_lazy("内容指纹"), max_length=64, blank=True)
    created_at = models.DateTimeField(gettext_lazy("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("走访巡查记录")
        verbose_name_plural = gettext_lazy("走访巡查记录")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["path", "occurred_at"], name="grid_record_path_idx")]
        constraints = [models.UniqueConstraint(fields=["created_by", "idempotency_key"],
                                               condition=~Q(idempotency_key=""), name="grid_record_key_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.recorder_id]


class Finding(models.Model):
    """A problem found on a visit or patrol; one tap makes it a demand (channel 民情家访 / 网格巡查)."""

    record = models.ForeignKey(FieldRecord, verbose_name=gettext_lazy("记录"), on_delete=models.CASCADE,
                               related_name="findings")
    text = models.CharField(gettext_lazy("发现的问题"), max_length=500)
    demand = models.OneToOneField("demands.Demand", verbose_name=gettext_lazy("转成的诉求"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="grid_finding")
    created_at = models.DateTimeField(gettext_lazy("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("发现问题")
        verbose_name_plural = gettext_lazy("发现问题")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:30]


class RecordPhoto(StoredPhoto):
    record = models.ForeignKey(FieldRecord, verbose_name=gettext_lazy("记录"), on_delete=models.CASCADE,
                               related_name="photos")
    image = models.FileField(gettext_lazy("图片"), upload_to="grid/%Y/%m/")  # ≤ 1600 px, no EXIF (demands.photos)
    thumbnail = models.FileField(gettext_lazy("缩略图"), upload_to="grid/thumbs/%Y/%m/", blank=True)

    class Meta(StoredPhoto.Meta):
        verbose_name = gettext_lazy("现场照片")
        verbose_name_plural = gettext_lazy("现场照片")

    def __str__(self) -> str:
        return f"{self.record_id} {self.sha256[:8]}"


class Plaque(models.Model):
    """挂牌: the plaque on the door of a 党员中心户 (Wuhan 江欣苑: 177 of them), shown to the building's residents."""

    role = models.OneToOneField(RoleAssignment, verbose_name=gettext_lazy("党员中心户"), on_delete=models.CASCADE,
                                related_name="plaque")
    hung_on = models.DateField(gettext_lazy("挂牌日期"))

    class Meta:
        verbose_name = gettext_lazy("中心户挂牌")
        verbose_name_plural = gettext_lazy("中心户挂牌")

    def __str__(self) -> str:
        return f"{self.role_id} {self.hung_on}"

    @property
    def scope_path(self) -> str:
        return self.role.path
