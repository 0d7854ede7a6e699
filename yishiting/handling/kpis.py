"""The three rates of an area over a period, counted from the event log (the source of truth), each with its
numerator, denominator, the rule in words and the first counted records — so a page can show how it was counted.

- 响应率 response: demands submitted in the period (event demand.submitted) whose first screening decision
  (demand.topic|handling|escalate|reject|merged) fell on or before their screening deadline. A demand screened
  to mediation is answered when a mediator accepts the case (demand.mediation_accepted), or when the case ends
  without being accepted (a party refused: demand.mediation_closed) — not when screening says "mediation".
  An escalation counts as the response of the level that escalated; the deadline read is the demand's current
  one (an escalated demand's is the upper level's, set at the escalation, so it is never earlier).
- 按期办结率 on time: tasks closed in the period (event task.closed; a task closed twice counts once, in the
  period of its last closing ever — so periods add up and the roll-ups can keep it by day) closed on or before the deadline then in force (payload `deadline`: an approved extension's new
  deadline counts); how many of them were extended (event task.extended) is reported beside. Mediation cases
  closed in the period (mediation.closed|failed|refused|withdrawn) count the same way against their limit.
- 满意率 satisfaction: ratings given in the period (event rating.given on a round, a task or a mediation case),
  (满意 + w × 基本满意) ÷ valid ratings,
  w = the district default template's "基本满意" weight (0.90) unless given.

Area = the area's subtree by path prefix. A handful of grouped queries whatever the volume; no per-row queries.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.apps import apps
from django.db.models import BigIntegerField, Count, Min, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.common.models import Event
from yishiting.deliberation.services.topics import default_template
from yishiting.demands.models import Demand

from .models import Task
from .selectors.evaluation import basic_weight_of, percent_text, satisfied_from

SAMPLE = 20
DEMAND, TASK, CASE = "demands.demand", "handling.task", "mediation.mediationcase"
SCREEN_KINDS = ["demand.topic", "demand.handling", "demand.mediation_accepted", "demand.mediation_closed",
                "demand.escalate", "demand.reject", "demand.merged"]
CASE_CLOSING = ["mediation.closed", "mediation.failed", "mediation.refused", "mediation.withdrawn"]


@dataclass
class Figure:
    key: str
    label: str
    numerator: str
    denominator: int
    percent: str | None
    rule: str
    counted: list[str] = field(default_factory=list)       # first SAMPLE records in the numerator
    not_counted: list[str] = field(default_factory=list)   # first SAMPLE in the denominator only
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Rates:
    area: dict[str, Any]
    start: str
    end: str
    figures: list[Figure]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    return (datetime.combine(start, time.min, tzinfo=zone),
            datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone))


def _events(kind: str | list[str], subject_type: str, start: date, end: date) -> QuerySet[Event]:
    lo, hi = _window(start, end)
    kinds = [kind] if isinstance(kind, str) else kind
    return Event.objects.filter(subject_type=subject_type, kind__in=kinds, at__gte=lo, at__lt=hi)


def _ids(events: QuerySet[Event]) -> QuerySet:
    """The events' subjects as integer keys, for a subquery against the subject's table (no id lists in memory)."""
    return events.annotate(sid=Cast("subject_id", BigIntegerField())).values("sid")


def _share(numerator: int, denominator: int) -> str | None:
    return percent_text(Fraction(numerator, denominator)) if denominator else None


def response_rate(area: Area, start: date, end: date) -> Figure:
    submitted = _events("demand.submitted", DEMAND, start, end)
    demands = list(Demand.objects.filter(path__startswith=area.path, pk__in=_ids(submitted))
                   .values_list("pk", "number", "screening_deadline").order_by("pk"))
    # A decision comes after its submission, so nothing before the window (a day's margin for clocks) is read:
    # on PostgreSQL the months before it are not even opened (common.partitions).
    first = dict(Event.objects.filter(subject_type=DEMAND, kind__in=SCREEN_KINDS,
                                      at__gte=_window(start, end)[0] - timedelta(days=1),
                                      subject_id__in=submitted.values("subject_id"))
                 .values("subject_id").annotate(first=Min("at")).values_list("subject_id", "first").order_by())
    on_time, late, waiting = [], [], []
    for pk, number, deadline in demands:
        at = first.get(str(pk))
        bucket = waiting if at is None else on_time if timezone.localdate(at) <= deadline else late
        bucket.append(number)
    return Figure("response", _("响应率"), str(len(on_time)), len(demands), _share(len(on_time), len(demands)),
                  _("期限内作出筛选决定的诉求 %(on_time)s ÷ 期间收到的诉求 %(demands)s（筛选决定：转议题、直接办理、提请上级、不予受理或合并，以首次决定为准；转入调解的以调解员受理为准）") % {"on_time": len(on_time), "demands": len(demands)},
                  on_time[:SAMPLE], (late + waiting)[:SAMPLE], {"late": len(late), "waiting": len(waiting)})


def on_time_rate(area: Area, start: date, end: date) -> Figure:
    closes = _events("task.closed", TASK, start, end)
    in_area = set(Task.objects.filter(path__startswith=area.path, pk__in=_ids(closes)).values_list("pk", flat=True))
    last = _last_closings(TASK, ["task.closed"], {str(pk) for pk in in_area}, start, end)
    extended = set(Event.objects.filter(subject_type=TASK, kind="task.extended", subject_id__in=list(last))
                   .values_list("subject_id", flat=True).distinct())
    on_time, late = [], []
    for subject_id, (at, deadline) in sorted(last.items(), key=lambda item: int(item[0])):
        ok = bool(deadline) and timezone.localdate(at) <= date.fromisoformat(deadline)
        (on_time if ok else late).append(_("任务 %(subject_id)s") % {"subject_id": subject_id})
    cases = _closed_cases(area, start, end)
    for subject_id, (at, deadline) in cases:
        ok = bool(deadline) and timezone.localdate(at) <= date.fromisoformat(deadline)
        (on_time if ok else late).append(_("调解案件 %(subject_id)s") % {"subject_id": subject_id})
    total = len(last) + len(cases)
    return Figure("on_time", _("按期办结率"), str(len(on_time)), total, _share(len(on_time), total),
                  _("期限内销号的任务和结案的调解案件 %(on_time)s ÷ 期间销号的任务和结案的调解案件 %(total)s（经批准延期的以新期限为准；其中延过期的 %(extended)s 项）") % {"on_time": len(on_time), "total": total, "extended": len(extended)},
                  on_time[:SAMPLE], late[:SAMPLE], {"late": len(late), "extended": len(extended)})


def _closed_cases(area: Area, start: date, end: date) -> list[tuple[str, tuple[datetime, str]]]:
    """Mediation cases closed in the period under `area` (path in the closing event's subject row), each with
    its closing time and the limit then in force (payload `deadline`)."""
    closes = _events(CASE_CLOSING, CASE, start, end)
    # mediation sits above handling: its table is read by label, never imported
    ids = {str(pk) for pk in apps.get_model("mediation", "MediationCase").objects.filter(
        path__startswith=area.path, pk__in=_ids(closes)).values_list("pk", flat=True)}
    return sorted(_last_closings(CASE, CASE_CLOSING, ids, start, end).items(), key=lambda item: int(item[0]))


def _last_closings(subject_type: str, kinds: list[str], ids: set[str], start: date,
                   end: date) -> dict[str, tuple[datetime, str]]:
    """Each subject's last closing ever (time, deadline then in force), kept when it fell in the period: a
    matter closed twice counts once, in the period of its last closing (so the counts add up over periods)."""
    lo, hi = _window(start, end)
    last: dict[str, tuple[datetime, str]] = {}
    # closings before the window cannot be a last one that falls in it: not read (nor their months' partitions)
    rows = Event.objects.filter(subject_type=subject_type, kind__in=kinds, at__gte=lo, subject_id__in=list(ids))
    for subject_id, at, payload in rows.values_list("subject_id", "at", "payload").order_by("at", "pk"):
        last[subject_id] = (at, payload.get("deadline", ""))
    return {key: value for key, value in last.items() if lo <= value[0] < hi}


def satisfaction_rate(area: Area, start: date, end: date, basic_weight: Decimal) -> Figure:
    ratings = (_events("rating.given", "handling.evaluationround", start, end)
               | _events("rating.given", TASK, start, end)
               | _events("rating.given", CASE, start, end)).filter(payload__path__startswith=area.path)
    counts = dict(ratings.values_list("payload__value").annotate(n=Count("pk")).order_by())
    sat = satisfied_from(counts, basic_weight)
    counted = [_("评价 %(r)s") % {"r": r} for r in ratings.order_by("at", "pk").values_list("payload__rating", flat=True)[:SAMPLE]]
    return Figure("satisfaction", _("满意率"), str(sat.numerator), sat.valid, percent_text(sat.rate),
                  sat.rule(), counted, [], {"counts": sat.as_dict()["counts"], "basic_weight": str(basic_weight)})


def rates(area: Area, start: date, end: date, *, basic_weight: Decimal | None = None) -> Rates:
    """The three rates of `area` (its subtree) from `start` to `end` (both days included)."""
    if end < start:
        raise DomainError("invalid_period", _("结束日期不能早于开始日期。"), details={"field": "end"})
    if basic_weight is None:
        basic_weight = basic_weight_of(default_template())
    return Rates(area={"id": area.pk, "name": area.name, "full_name": area.full_name},
                 start=start.isoformat(), end=end.isoformat(),
                 figures=[response_rate(area, start, end), on_time_rate(area, start, end),
                          satisfaction_rate(area, start, end, basic_weight)])
