"""Reads of 微心愿: what each persona sees, the review queue, one's claims, and the public wall (no login)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet

from yishiting.areas.models import Area
from yishiting.common.rules import scope_for

from .choices import WishStatus
from .models import Wish
from .transitions import ON_WALL

DEFAULT_CLAIM_DAYS = 14


def claim_days() -> int:
    """Days a donor has to fulfil a claimed wish before `yishiting tick` releases it (setting WISH_CLAIM_DAYS)."""
    return int(getattr(settings, "WISH_CLAIM_DAYS", DEFAULT_CLAIM_DAYS))


def _rows(queryset: QuerySet[Wish]) -> QuerySet[Wish]:
    return queryset.select_related("community", "wisher", "posted_by", "donor_person", "donor_organization")


def wishes_visible_to(user) -> QuerySet[Wish]:
    """Staff: everything of their subtree. Members: the approved wishes of their community. Everyone: their own
    wishes (posted, or posted for them) and their claims."""
    if not getattr(user, "is_authenticated", False):
        return Wish.objects.none()
    manage, view = scope_for(user, "wishes.manage"), scope_for(user, "wishes.view")
    query = manage.q("path") | (view.q("path") & Q(status__in=ON_WALL))
    person = getattr(user, "person", None)
    if person is not None:
        query |= Q(wisher=person) | Q(posted_by=person) | Q(donor_person=person)
    return _rows(Wish.objects.filter(query))


def wishes_of(person) -> QuerySet[Wish]:
    """A person's own wishes, and those they posted for someone else."""
    if person is None:
        return Wish.objects.none()
    return _rows(Wish.objects.filter(Q(wisher=person) | Q(posted_by=person)))


def claims_of(person) -> QuerySet[Wish]:
    if person is None:
        return Wish.objects.none()
    return _rows(Wish.objects.filter(donor_person=person))


def open_wishes_for(user) -> QuerySet[Wish]:
    """Wishes waiting for a donor where the user may claim them, theirs excepted."""
    scope = scope_for(user, "wishes.claim")
    person = getattr(user, "person", None)
    rows = Wish.objects.filter(scope.q("path"), status=WishStatus.OPEN)
    if person is not None:
        rows = rows.exclude(Q(wisher=person) | Q(posted_by=person))
    return _rows(rows).order_by("created_at", "pk")


def review_queue(user) -> QuerySet[Wish]:
    """待审核 wishes in the reviewer's subtree, oldest first."""
    return _rows(Wish.objects.filter(scope_for(user, "wishes.review").q("path"), status=WishStatus.PENDING)
                 ).order_by("created_at", "pk")


def wall(community: Area | None = None) -> QuerySet[Wish]:
    """The public wall: approved wishes (open, claimed, fulfilled), newest first. Only `public_text`, the
    category, the community's name and the donor's kind are ever shown from these rows."""
    rows = Wish.objects.filter(status__in=ON_WALL)
    if community is not None:
        rows = rows.filter(path__startswith=community.path)
    return rows.select_related("community").only(
        "pk", "number", "community__name", "category", "public_text", "status", "donor_kind", "created_at",
        "fulfilled_at", "path").order_by("-created_at", "-pk")


def overdue_claims(today) -> QuerySet[Wish]:
    return Wish.objects.filter(status=WishStatus.CLAIMED, claim_due_on__lt=today)


def wisher_pool(user):
    """Whom staff may post a wish for (an elder without a phone, a child): people where they hold
    wishes.post_for — the people picker searches it (name, pinyin, building/unit, the mobile's last digits)."""
    from yishiting.areas.models import Person
    from yishiting.common.rules import scope_for

    return Person.objects.filter(scope_for(user, "wishes.post_for").q("path")).select_related("household", "area")
