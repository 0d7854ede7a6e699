"""事务预约: the bookable services of a community or street (党群服务中心 rooms, legal advice hours, government
services at the centre), their weekly opening hours, the slots made from them on working days, and bookings."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, gettext_lazy

from yishiting.areas.models import Area, PathField, Person
from yishiting.deliberation.models import Venue

from .choices import BookingStatus, ServiceKind, Weekday


class Service(models.Model):
    """Something a resident books a time for. A room reuses the deliberation Venue (its name and capacity are
    the room's); other services name their place and staff."""

    name = models.CharField(gettext_lazy("名称"), max_length=100)
    kind = models.CharField(gettext_lazy("类型"), max_length=16, choices=ServiceKind.choices)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所属社区或街道"), on_delete=models.PROTECT,
                             related_name="appointment_services")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    venue = models.ForeignKey(Venue, verbose_name=gettext_lazy("场所"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="appointment_services", help_text=gettext_lazy("场地预约选择议事场所"))
    place = models.CharField(gettext_lazy("办理地点"), max_length=100, blank=True)
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    slot_minutes = models.PositiveSmallIntegerField(gettext_lazy("每个时段（分钟）"), default=30)
    capacity = models.PositiveSmallIntegerField(gettext_lazy("每个时段可约人数"), default=1)
    cancel_cutoff_hours = models.PositiveSmallIntegerField(gettext_lazy("最晚取消（开始前小时数）"), default=2)
    is_active = models.BooleanField(gettext_lazy("开放预约"), default=True)

    class Meta:
        verbose_name = gettext_lazy("预约事项")
        verbose_name_plural = gettext_lazy("预约事项")
        ordering = ["path", "kind", "name"]
        constraints = [models.CheckConstraint(condition=Q(capacity__gte=1) & Q(slot_minutes__gte=10),
                                              name="service_capacity_slot_positive")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def where(self) -> str:
        return self.venue.name if self.venue_id else self.place


class OpeningHours(models.Model):
    """Weekly hours; only working days open (common.calendar): a public holiday closes, a 调休 weekend workday
    opens with Monday's hours."""

    service = models.ForeignKey(Service, verbose_name=gettext_lazy("预约事项"), on_delete=models.CASCADE,
                                related_name="hours")
    weekday = models.PositiveSmallIntegerField(gettext_lazy("星期"), choices=Weekday.choices)
    opens_at = models.TimeField(gettext_lazy("开始"))
    closes_at = models.TimeField(gettext_lazy("结束"))

    class Meta:
        verbose_name = gettext_lazy("开放时间")
        verbose_name_plural = gettext_lazy("开放时间")
        ordering = ["weekday", "opens_at"]
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="hours_order")]

    def __str__(self) -> str:
        return gettext("%(day)s %(start)s–%(end)s") % {"day": self.get_weekday_display(),
                                                       "start": f"{self.opens_at:%H:%M}", "end": f"{self.closes_at:%H:%M}"}


class Slot(models.Model):
    """One bookable time of a service. `booked` counts the places taken; bookings lock this row, so the
    count never passes `capacity` however many book at once."""

    service = models.ForeignKey(Service, verbose_name=gettext_lazy("预约事项"), on_delete=models.CASCADE,
                                related_name="slots")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    starts_at = models.DateTimeField(gettext_lazy("开始时间"))
    ends_at = models.DateTimeField(gettext_lazy("结束时间"))
    capacity = models.PositiveSmallIntegerField(gettext_lazy("可约人数"))
    booked = models.PositiveSmallIntegerField(gettext_lazy("已约人数"), default=0)

    class Meta:
        verbose_name = gettext_lazy("预约时段")
        verbose_name_plural = gettext_lazy("预约时段")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_never_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


class Booking(models.Model):
    number = models.CharField(gettext_lazy("编号"), max_length=20, unique=True)
    slot = models.ForeignKey(Slot, verbose_name=gettext_lazy("时段"), on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, verbose_name=gettext_lazy("预约事项"), on_delete=models.PROTECT,
                                related_name="bookings")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("预约人"), on_delete=models.PROTECT,
                               related_name="bookings")
    booked_by = models.ForeignKey(Person, verbose_name=gettext_lazy("代约人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  help_text=gettext_lazy("工作人员代居民预约时记录是谁代约的"))
    status = models.CharField(gettext_lazy("状态"), max_length=16, choices=BookingStatus.choices,
                              default=BookingStatus.BOOKED)
    code = models.CharField(gettext_lazy("签到码"), max_length=6)
    note = models.CharField(gettext_lazy("办理事项说明"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(gettext_lazy("提醒时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(gettext_lazy("签到时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(gettext_lazy("取消时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("预约时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("预约")
        verbose_name_plural = gettext_lazy("预约")
        ordering = ["slot__starts_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["slot", "person"], condition=Q(status="booked"),
                                               name="booking_one_per_person_slot")]
        indexes = [models.Index(fields=["status", "slot"], name="booking_status_slot_idx"),
                   models.Index(fields=["path", "status"], name="booking_path_status_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.person_id]
