"""Standing bodies (议事会 and its kin): a body of a kind sits at an area and has members — real people or real
organizations (with the person who speaks for it) — each with a role and a term. Every record keeps its area's path,
so scope filters are one prefix match; membership changes are events on the body (its history)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from yishiting.areas.models import Area, Organization, PathField, Person

from .choices import MemberRole


class BodyKind(models.Model):
    """A kind of body (社区党群议事会, 小区居民议事会 …); the process templates name kinds by code per level."""

    code = models.SlugField(gettext_lazy("代码"), max_length=32, unique=True)
    name = models.CharField(gettext_lazy("名称"), max_length=60)
    level_code = models.SlugField(gettext_lazy("通常所在层级"), max_length=32,
                                  help_text=gettext_lazy("区域层级代码，如 community（社区）、estate（小区）、building（楼栋）"))
    description = models.CharField(gettext_lazy("说明"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(gettext_lazy("排序"), default=0)
    is_active = models.BooleanField(gettext_lazy("启用"), default=True)

    class Meta:
        verbose_name = gettext_lazy("议事组织类型")
        verbose_name_plural = gettext_lazy("议事组织类型")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Body(models.Model):
    """A standing body of an area: one active body of a kind per area."""

    area = models.ForeignKey(Area, verbose_name=gettext_lazy("所属区域"), on_delete=models.PROTECT, related_name="bodies")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    kind = models.ForeignKey(BodyKind, verbose_name=gettext_lazy("类型"), on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(gettext_lazy("名称"), max_length=100)
    is_active = models.BooleanField(gettext_lazy("在册"), default=True)
    created_at = models.DateTimeField(gettext_lazy("设立登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("议事组织")
        verbose_name_plural = gettext_lazy("议事组织")
        ordering = ["path", "kind__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["area", "kind"], condition=Q(is_active=True),
                                               name="body_one_active_kind_per_area")]
        indexes = [models.Index(fields=["path"], name="body_path_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_path(self) -> str:
        return self.path


def current_q(today: date | None = None, prefix: str = "") -> Q:
    """Memberships in force on `today`: begun, not ended, term not run out."""
    today = today or timezone.localdate()
    return (Q(**{f"{prefix}ended_on__isnull": True, f"{prefix}term_start__lte": today})
            & (Q(**{f"{prefix}term_end__isnull": True}) | Q(**{f"{prefix}term_end__gte": today})))


class Membership(models.Model):
    """A seat in a body: a person, or an organization (with the person who represents it, if named)."""

    body = models.ForeignKey(Body, verbose_name=gettext_lazy("议事组织"), on_delete=models.CASCADE, related_name="memberships")
    path = PathField(gettext_lazy("路径"), max_length=255, editable=False)
    person = models.ForeignKey(Person, verbose_name=gettext_lazy("成员"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="body_memberships")
    organization = models.ForeignKey(Organization, verbose_name=gettext_lazy("成员单位"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="body_memberships")
    representative = models.ForeignKey(Person, verbose_name=gettext_lazy("单位代表"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="body_representations")
    role = models.CharField(gettext_lazy("职务"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER)
    term_start = models.DateField(gettext_lazy("任期开始"))
    term_end = models.DateField(gettext_lazy("任期结束"), null=True, blank=True)
    ended_on = models.DateField(gettext_lazy("离任日期"), null=True, blank=True)
    end_reason = models.CharField(gettext_lazy("离任原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(gettext_lazy("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = gettext_lazy("议事组织成员")
        verbose_name_plural = gettext_lazy("议事组织成员")
        ordering = ["body", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False, organization__isnull=True, representative__isnull=True)
                           | Q(person__isnull=True, organization__isnull=False)),
                name="membership_person_or_organization"),
            models.CheckConstraint(condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                                   name="membership_term_order"),
            models.UniqueConstraint(fields=["body", "person"], condition=Q(ended_on__isnull=True, person__isnull=False),
                                    name="membership_person_once"),
            models.UniqueConstraint(fields=["body", "organization"],
                                    condition=Q(ended_on__isnull=True, organization__isnull=False),
                                    name="membership_organization_once"),
        ]
        indexes = [models.Index(fields=["path"], name="membership_path_idx")]

    def __str__(self) -> str:
        return f"{self.body} · {self.organization or self.person}"

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def seat_person(self) -> Person | None:
        """Who sits in the meeting for this seat: the member, or the organization's representative."""
        return self.person if self.person_id else self.representative

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.ended_on is None and self.term_start <= today
                and (self.term_end is None or self.term_end >= today))
