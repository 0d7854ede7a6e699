"""Reads of publicity (公): the notices a user may see, one notice with its objections, a community's public
notices, and the legal reviews waiting for a street or district."""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Q, QuerySet
from django.utils import timezone

from yishiting.areas.models import Area
from yishiting.areas.selectors import person_for_user
from yishiting.common.paging import SubqueryCount
from yishiting.common.rules import has_perm, scope_for
from yishiting.deliberation.services.topics import lives_in

from ..choices import NoticeStatus, ReviewStatus
from ..models import LegalReview, Notice, Objection
from ..services.notices import days_left

# What residents may read: a draft is the office's own work until it is published.
PUBLIC = [NoticeStatus.PUBLISHED, NoticeStatus.COMPLETED, NoticeStatus.WITHDRAWN]


def _with_related(queryset: QuerySet[Notice]) -> QuerySet[Notice]:
    return (queryset.select_related("topic", "topic__level_area", "topic__scope_area", "topic__template",
                                    "resolution")
            .annotate(objection_count=SubqueryCount(Objection.objects.filter(notice=OuterRef("pk"))),
                      unanswered_count=SubqueryCount(Objection.objects.filter(notice=OuterRef("pk"),
                                                                              answered_at__isnull=True))))


def notices_visible_to(user) -> QuerySet[Notice]:
    """Office staff see every notice of their scope (drafts too); everyone else with handling.view sees the
    published ones of topics held within or reaching into their scope. Newest first."""
    manage, view = scope_for(user, "handling.notices"), scope_for(user, "handling.view")
    where = manage.q("topic__path") | (
        (view.q("topic__path") | view.q("topic__scope_area_path")) & Q(status__in=PUBLIC))
    return _with_related(Notice.objects.filter(where)).order_by("-created_at", "-pk")


def notice_search(queryset: QuerySet[Notice], *, status: str | None = None, text: str | None = None,
                  area_path: str | None = None) -> QuerySet[Notice]:
    """One filter for the API list and the staff page: status, words in the title or decision, an area."""
    if status:
        queryset = queryset.filter(status=status)
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(decision__icontains=text))
    if area_path:
        queryset = queryset.filter(topic__path__startswith=area_path)
    return queryset


def public_notice(pk: int) -> Notice | None:
    """A published (or ended) notice as anyone may read it on the board or by its QR code; drafts never."""
    return _with_related(Notice.objects.filter(pk=pk, status__in=PUBLIC)).first()


def public_notices_of(community: Area) -> QuerySet[Notice]:
    """The notices of matters at or under a community (or reaching into it), running ones first."""
    where = Q(topic__path__startswith=community.path) | Q(topic__scope_area_path__startswith=community.path)
    return (_with_related(Notice.objects.filter(where, status__in=PUBLIC))
            .order_by("-published_at", "-pk"))


def objections_of(notice: Notice) -> QuerySet[Objection]:
    """Objections in the order raised; callers show the objector masked (张*)."""
    return notice.objections.select_related("person", "answered_by").order_by("created_at", "pk")


def notices_of_topic(topic) -> QuerySet[Notice]:
    return _with_related(topic.notices.all()).order_by("-created_at", "-pk")


def legal_reviews_for(user, *, status: str | None = ReviewStatus.PENDING) -> QuerySet[LegalReview]:
    """Legal reviews at the user's levels (a district official also sees the streets'), oldest first."""
    scope = scope_for(user, "handling.legal_review")
    queryset = LegalReview.objects.filter(scope.q("reviewer_area__path"))
    if status:
        queryset = queryset.filter(status=status)
    return (queryset.select_related("topic", "topic__level_area", "notice", "reviewer_area", "reviewed_by")
            .order_by("requested_at", "pk"))


def notice_for(user, notice: Notice, today: date | None = None) -> Notice:
    """Decorate one notice for its viewer (API and pages alike): days left, the latest legal review, whether
    the viewer may manage it or object; the calendar warning is blanked for anyone but office staff."""
    today = today or timezone.localdate()
    notice.may_manage = has_perm(user, "handling.notices", notice)
    notice.days_left = days_left(notice, today)
    notice.legal_review = notice.legal_reviews.select_related("reviewer_area").order_by("-pk").first()
    if not notice.may_manage:
        notice.calendar_warnings = []
    person = person_for_user(user)
    notice.may_object = bool(person and notice.status == NoticeStatus.PUBLISHED and notice.starts_on
                             and notice.starts_on <= today <= notice.ends_on
                             and lives_in(person, notice.topic.opinion_path))
    return notice
