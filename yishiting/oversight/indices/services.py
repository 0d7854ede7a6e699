"""Computing the snapshots: every party organisation's 堡垒指数 and every party member's 先锋指数 for one period,
part by part, then the ranks among peers. Recomputing a period replaces its snapshots (idempotent); other
periods are left as they were (history).

Scoring, as the detail page says in words:
- a count part scores min(records ÷ (monthly target × months in the period), 1) × 100;
- a rate part scores counted ÷ considered × 100, a satisfaction part (满意 + w × 基本满意) ÷ ratings × 100
  (w: the district default template's 基本满意 weight); a rate part with no records scores 0;
- the index is Σ score × weight ÷ Σ weights, two decimals half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import groupby

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import PATH_STEP, Area, Organization, RoleAssignment
from yishiting.areas.selectors import community_depth
from yishiting.deliberation.services.topics import default_template
from yishiting.handling.selectors.evaluation import basic_weight_of

from ..models import IndexKind, IndexScheme, IndexSnapshot
from .measures import COUNT, DEFAULT_PARTS, MEASURES, SATISFACTION, Found, Scope
from .periods import MONTHS, bounds

PARTY_ORGS = [OrganizationKind.PARTY_COMMITTEE, OrganizationKind.PARTY_BRANCH]
MEMBER_ROLES = [Role.PARTY_MEMBER, Role.INSERVICE_PARTY_MEMBER, Role.CENTRAL_HOUSEHOLD]
CENT = Decimal("0.01")
SAVED_FIELDS = ["end", "area", "path", "peer_area", "value", "rank", "peers", "parts", "computed_at"]
WRITE_BATCH = 2000


@dataclass
class Subject:
    organization: Organization
    person_id: int | None
    area: Area
    peer_area: Area
    peer_key: str
    reads: str | int  # what the measures read: an area path (organisation) or a person id (member)


def parts_of(district: Area, kind: str) -> list[tuple[str, int, int]]:
    """The district's (measure, weight, monthly target) for `kind`: its scheme in the admin, else the built-in."""
    scheme = IndexScheme.objects.filter(district=district, kind=kind).prefetch_related("parts").first()
    parts = [(p.measure, p.weight, p.monthly_target) for p in scheme.parts.all()
             if p.measure in MEASURES and p.weight] if scheme else []
    return parts or DEFAULT_PARTS[kind]


def _dec(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(CENT, rounding=ROUND_HALF_UP)


def _score(measure, found: Found, target: int, months: int, weight: Decimal) -> Fraction:
    if measure.kind == COUNT:
        return min(Fraction(len(found.ids), target * months), Fraction(1)) * 100
    if not found.ids:
        return Fraction(0)
    if measure.kind == SATISFACTION:
        return (Fraction(len(found.hits) - found.basic) + Fraction(weight) * found.basic) / len(found.ids) * 100
    return Fraction(len(found.hits), len(found.ids)) * 100


def _bounds(start: date, end: date) -> tuple[datetime, datetime, int]:
    zone = timezone.get_current_timezone()
    lo = datetime.combine(start, time.min, tzinfo=zone)
    hi = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return lo, hi, round((end.year - start.year) * 12 + end.month - start.month + 1)


def read_parts(scope: Scope, subjects_: list[Subject], parts: list[tuple[str, int, int]], start: date,
               end: date) -> dict[str, dict[object, Found]]:
    """Each part's records for every subject at once: one query per measure, whatever the number of subjects."""
    lo, hi, _months = _bounds(start, end)
    wanted = {s.reads for s in subjects_}
    return {key: MEASURES[key].read_all(scope, wanted, lo, hi) for key, _w, _t in parts} if wanted else {}


def score_parts(subject: Subject, parts: list[tuple[str, int, int]], start: date, end: date,
                basic_weight: Decimal, read: dict[str, dict[object, Found]]) -> tuple[Decimal, list[dict]]:
    """The index and its parts (each with the records considered and counted) for one subject and period, from
    the records `read_parts` found (no query)."""
    months = _bounds(start, end)[2]
    total_weight, total, rows = sum(w for _m, w, _t in parts), Fraction(0), []
    for key, weight, target in parts:
        measure = MEASURES[key]
        found = read[key].get(subject.reads) or Found()
        score = _score(measure, found, target, months, basic_weight)
        points = score * weight / total_weight
        total += points
        rows.append({"key": key, "kind": measure.kind, "model": measure.model, "weight": weight,
                     "target": target * months if measure.kind == COUNT else None,
                     "considered": len(found.ids), "counted": len(found.hits), "score": str(_dec(score)),
                     "points": str(_dec(points)), "ids": found.ids, "hits": found.hits,
                     "basic_weight": str(basic_weight) if measure.kind == SATISFACTION else None})
    return _dec(total), rows


def subjects(kind: str, district: Area) -> list[Subject]:
    """Every active party organisation (堡垒指数) or party member (先锋指数) in the district: two queries."""
    if kind == IndexKind.FORTRESS:
        orgs = (Organization.objects.filter(kind__in=PARTY_ORGS, is_active=True, area__path__startswith=district.path)
                .select_related("area__parent").order_by("pk"))
        return [Subject(o, None, o.area, o.area.parent or o.area, o.kind, o.area.path) for o in orgs]
    roles = list(_member_roles(district).select_related("organization", "area").order_by("person_id", "pk"))
    cut = community_depth() * PATH_STEP
    communities = Area.objects.in_bulk({r.path[:cut] for r in roles}, field_name="path")  # one query, not per member
    found: list[Subject] = []
    for person_id, held in groupby(roles, key=lambda r: r.person_id):
        role = next(held)
        found.append(Subject(role.organization, person_id, role.area, communities.get(role.path[:cut]) or role.area,
                             "", person_id))
    return found


def _member_roles(district: Area):
    return RoleAssignment.objects.filter(Q(role__in=MEMBER_ROLES) | Q(organization__kind__in=PARTY_ORGS),
                                         is_active=True, organization__isnull=False, path__startswith=district.path)


def _scope(kind: str, district: Area) -> Scope:
    """What the measures read for: the district's subtree, and its members as a subquery (no id list sent)."""
    people = _member_roles(district).values("person_id") if kind == IndexKind.PIONEER else None
    return Scope(district.path, people)


def _rank(snapshots: list[IndexSnapshot], keys: dict[int, str]) -> None:
    """Competition ranking (1, 1, 3) within each peer group, highest index first."""
    groups: dict[tuple, list[IndexSnapshot]] = {}
    for snap in snapshots:
        groups.setdefault((snap.peer_area_id, keys[id(snap)]), []).append(snap)
    for members in groups.values():
        members.sort(key=lambda s: -s.value)
        for position, snap in enumerate(members):
            snap.rank = position + 1 if position == 0 or snap.value != members[position - 1].value else members[position - 1].rank
            snap.peers = len(members)


@transaction.atomic
def index_snapshots_compute(*, actor=None, kind: str, period: str, on: date, district: Area) -> list[IndexSnapshot]:
    """Compute (or recompute, replacing) one index of every subject in `district` for the period containing `on`.
    No transition: snapshots are derived figures; `actor` is None for the tick."""
    start, end = bounds(period, on)
    parts, weight = parts_of(district, kind), basic_weight_of(default_template())
    existing = {(s.organization_id, s.person_id): s for s in IndexSnapshot.objects.select_for_update().filter(
        kind=kind, period=period, start=start, path__startswith=district.path)}
    found = subjects(kind, district)
    read = read_parts(_scope(kind, district), found, parts, start, end)
    kept, keys, now = [], {}, timezone.now()
    for subject in found:
        value, rows = score_parts(subject, parts, start, end, weight, read)
        snap = existing.pop((subject.organization.pk, subject.person_id), None) or IndexSnapshot(
            kind=kind, period=period, start=start, organization=subject.organization, person_id=subject.person_id)
        snap.end, snap.area, snap.path, snap.peer_area = end, subject.area, subject.area.path, subject.peer_area
        snap.value, snap.parts, snap.computed_at = value, rows, now
        keys[id(snap)] = subject.peer_key
        kept.append(snap)
    _rank(kept, keys)
    IndexSnapshot.objects.filter(pk__in=[s.pk for s in existing.values()]).delete()  # subjects no longer there
    # Written in batches (not one save per subject): the number of statements stays flat with the subjects.
    IndexSnapshot.objects.bulk_update([s for s in kept if s.pk], SAVED_FIELDS, batch_size=WRITE_BATCH)
    IndexSnapshot.objects.bulk_create([s for s in kept if not s.pk], batch_size=WRITE_BATCH)
    return kept


def indices_compute(*, actor=None, period: str, on: date, district: Area | None = None) -> int:
    """Both indices for every district (or one) for the period containing `on`; the number of snapshots."""
    districts = [district] if district else list(Area.objects.filter(parent__isnull=True, is_active=True))
    return sum(len(index_snapshots_compute(actor=actor, kind=kind, period=period, on=on, district=d))
               for d in districts for kind in IndexKind.values)


def indices_tick(today: date) -> tuple[str, set[str]]:
    """At each period's end: compute the last whole month, quarter and year once (catches up if a day was missed)."""
    from .periods import previous

    done = []
    for period in MONTHS:
        start, _end = previous(period, today)
        if not IndexSnapshot.objects.filter(period=period, start=start).exists():
            count = indices_compute(period=period, on=start)
            done.append(f"{PERIOD_WORDS[period]}（{start} 起）{count} 个")  # zh-only: the tick's log line
    if not done:
        return "堡垒指数、先锋指数：均已计算，无需补算", set()  # zh-only: the tick's log line
    return f"堡垒指数、先锋指数：新计算 {'；'.join(done)}", set()  # zh-only: the tick's log line


PERIOD_WORDS = {"month": "月度", "quarter": "季度", "year": "年度"}  # zh-only: the tick's log line
