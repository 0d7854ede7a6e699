"""挂点联系 links (a leader ↔ a community, for a period) and 党代表联系群众 records with the matters raised."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, PathField, Person

from .choices import ContactMethod, DeputyKind, LeaderLevel


class LiaisonLink(models.Model):
    """A district or street leader linked to a community (挂点联系) from `starts_on` to `ends_on` (open-ended when
    empty). While in force the leader reads the community's matters (rules.linked_paths). Revoked links are kept."""

    leader = models.ForeignKey(Person, verbose_name=gettext_lazy("挂点领导"), on_delete=models.PROTECT,
                               related_name="liaison_links")
    level = models.CharField(gettext_lazy("层级"), max_length=16, choices=LeaderLevel.choices)
    community = models.ForeignKey(Area, verbose_name=gettext_lazy("联系社区"), on_delete=models.PROTECT,
                                  related_name="liaison_links")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    starts_on = models.DateField(gettext_lazy("开始日期"))
    ends_on = models.DateField(gettext_lazy("结束日期"), null=True, blank=True,
                               help_text=gettext_lazy("不填表示长期"))
    note = models.CharField(gettext_lazy("备注"), max_length=200, blank=True)
    is_active = models.BooleanField(gettext_lazy("有效"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("设立人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("设立时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("挂点联系")
        verbose_name_plural = gettext_lazy("挂点联系")
        ordering = ["path", "pk"]
        constraints = [models.UniqueConstraint(fields=["leader", "community"], condition=Q(is_active=True),
                                               name="liaison_link_one_active")]
        indexes = [models.Index(fields=["path"], name="liaison_link_path_idx")]

    def __str__(self) -> str:
        return f"{self.leader} → {self.community}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.leader_id]

    def in_force(self, day: date) -> bool:
        return self.is_active and self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)


def in_force_q(day: date, prefix: str = "") -> Q:
    """Links in force on `day` as a filter (the one definition the grant, the pages and the API read)."""
    return (Q(**{f"{prefix}is_active": True, f"{prefix}starts_on__lte": day})
            & (Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})))


class ContactRecord(models.Model):
    """A deputy's contact with residents (党代表联系群众): when, where, how, whom they met and what was raised."""

    deputy = models.ForeignKey(Person, verbose_name=gettext_lazy("代表"), on_delete=models.PROTECT,
                               related_name="contact_records")
    deputy_kind = models.CharField(gettext_lazy("代表类别"), max_length=16, choices=DeputyKind.choices)
    area = models.ForeignKey(Area, verbose_name=gettext_lazy("地点所在区域"), on_delete=models.PROTECT,
                             related_name="contact_records")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    held_on = models.DateField(gettext_lazy("日期"))
    place = models.CharField(gettext_lazy("地点"), max_length=100)
    method = models.CharField(gettext_lazy("方式"), max_length=16, choices=ContactMethod.choices)
    people_count = models.PositiveIntegerField(gettext_lazy("联系群众人数"))
    people = models.ManyToManyField(Person, verbose_name=gettext_lazy("联系的居民"), blank=True,
                                    related_name="deputy_contacts")
    summary = models.TextField(gettext_lazy("群众反映情况"), max_length=2000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=gettext_lazy("记录人"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(gettext_lazy("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("代表联系群众记录")
        verbose_name_plural = gettext_lazy("代表联系群众记录")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["path"], name="contact_record_path_idx"),
                   models.Index(fields=["deputy", "held_on"], name="contact_record_deputy_idx")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def scope_path(self) -> str:
        return self.path

    def owner_person_ids(self) -> list[int]:
        return [self.deputy_id]


class RaisedMatter(models.Model):
    """One matter residents raised at a contact; `demand` once the deputy turned it into a demand (one tap)."""

    record = models.ForeignKey(ContactRecord, verbose_name=gettext_lazy("联系记录"), on_delete=models.CASCADE,
                               related_name="matters")
    text = models.TextField(gettext_lazy("反映的事项"), max_length=500)
    demand = models.OneToOneField("demands.Demand", verbose_name=gettext_lazy("转成的诉求"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="liaison_matter")
    created_at = models.DateTimeField(gettext_lazy("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("反映事项")
        verbose_name_plural = gettext_lazy("反映事项")
        ordering = ["record", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def scope_path(self) -> str:
        return self.record.path

    def owner_person_ids(self) -> list[int]:
        return [self.record.deputy_id]
