"""Writes of 破题报告: submitted by the cadre, reviewed by experts of the 导师库 with a score and comment, and
selected as an example by the office (published to every signed-in reader)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from yishiting.areas.selectors import person_of_user
from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.transitions import transition

from ..choices import ReportStatus
from ..models import Cadre, Mentor, Programme, Report, Review
from ..transitions import REPORT_TRANSITIONS
from .common import own_cadre, require_office, text


@transaction.atomic
def report_submit(*, actor, title: str, problem: str, plan: str, programme: Programme | None = None,
                  cadre: Cadre | None = None) -> Report:
    """A cadre submits a 破题报告 (event cadres.report_submitted)."""
    cadre = own_cadre(actor, cadre)
    if programme is not None and not programme.cadres.filter(pk=cadre.pk).exists():
        raise DomainError("not_enrolled", gettext("您不是这个培训班的学员。"), details={"field": "programme"})
    report = Report.objects.create(cadre=cadre, programme=programme, path=cadre.path, title=text(title, "title", 80),
                                   problem=text(problem, "problem", 2000), plan=text(plan, "plan", 4000))
    event_append(subject=report, kind="cadres.report_submitted", actor=actor, new_subject=True,
                 payload={"cadre": cadre.pk, "title": report.title})
    return report


def reviewer_of(actor, report: Report, mentor: Mentor | None = None) -> Mentor:
    """An expert of the pool whose area covers the report's, never its author."""
    if actor is not None:
        person = person_of_user(actor)
        mentor = Mentor.objects.filter(person_id=person.pk, is_active=True).first() if person else None
    if mentor is None or not report.path.startswith(mentor.path):
        raise PermissionDeniedError(gettext("只有本辖区导师库的专家可以点评。"))
    if mentor.person_id == report.cadre.person_id:
        raise PermissionDeniedError(gettext("不能点评自己的报告。"))
    return mentor


@transaction.atomic
def report_review(*, actor, report: Report, score: int, comment: str, mentor: Mentor | None = None) -> Review:
    """An expert's score and comment (event cadres.report_reviewed); the first moves it to 已点评."""
    reviewer = reviewer_of(actor, report, mentor)
    if not 1 <= score <= 100:
        raise DomainError("bad_score", gettext("评分须在 1 到 100 之间。"), details={"field": "score"})
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status == ReportStatus.PUBLISHED:
        raise Conflict("published", gettext("报告已入选示范，不再接受点评。"))
    if Review.objects.filter(report=locked, reviewer=reviewer).exists():
        raise Conflict("already_reviewed", gettext("您已点评过这份报告。"))
    review = Review.objects.create(report=locked, reviewer=reviewer, score=score,
                                   comment=text(comment, "comment", 2000))
    if locked.status == ReportStatus.SUBMITTED:
        transition(locked, to=ReportStatus.REVIEWED, actor=actor, table=REPORT_TRANSITIONS,
                   kind="cadres.report_reviewed", payload={"review": review.pk, "score": score})
    else:
        event_append(subject=locked, kind="cadres.report_reviewed", actor=actor,
                     payload={"review": review.pk, "score": score})
    report.status = locked.status
    return review


@transaction.atomic
def report_publish(*, actor, report: Report) -> Report:
    """Select a reviewed report as an example (入选示范; event cadres.report_published)."""
    require_office(actor, report)
    if report.status == ReportStatus.SUBMITTED:
        raise Conflict("not_reviewed", gettext("报告须经专家点评后才能入选示范。"))
    return transition(report, to=ReportStatus.PUBLISHED, actor=actor, table=REPORT_TRANSITIONS,
                      kind="cadres.report_published", changes={"published_at": timezone.now()})
