"""Reads of 整改清单 and unit ratings, already scoped to the reader (out of scope → not in the queryset)."""

from __future__ import annotations

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from yishiting.areas.choices import Role
from yishiting.areas.models import Organization, Person
from yishiting.common.paging import SubqueryCount
from yishiting.common.rules import active_roles, scope_for

from ..models import RectificationItem, RectificationList
from ..rules import OFFICE, UNIT_ROLES, rated_units_q
from ..transitions import OPEN_ITEM


def _worker_orgs(user) -> set[int]:
    return {r.organization_id for r in active_roles(user) if r.role in UNIT_ROLES and r.organization_id}


def lists_visible_to(user) -> QuerySet[RectificationList]:
    """Lists whose target or issuing level is in the reader's scope, and lists with an item for their unit."""
    scope = scope_for(user, "oversight.rectifications_view")
    query = scope.q("path") | scope.q("issuer_path")
    orgs = _worker_orgs(user) | scope.organization_ids
    if orgs:
        query |= Q(items__organization_id__in=orgs) | Q(target_organization_id__in=orgs)
    ids = RectificationList.objects.filter(query).values("pk")
    items = RectificationItem.objects.filter(list=OuterRef("pk"))
    return (RectificationList.objects.filter(pk__in=ids)
            .select_related("issuer_area", "target_area", "target_organization", "issued_by")
            .annotate(item_count=SubqueryCount(items), open_count=SubqueryCount(items.filter(status__in=OPEN_ITEM)))
            .order_by("-issued_at", "-pk"))  # counted per listed row, not joined and grouped over every list


def list_search(queryset: QuerySet[RectificationList], *, text: str = "", status: str = "") -> QuerySet:
    """The list page's filter (title, number, target or an item's words; open or done)."""
    text = (text or "").strip()
    if text:
        queryset = queryset.filter(Q(title__icontains=text) | Q(number__icontains=text)
                                   | Q(target_organization__name__icontains=text) | Q(target_area__name__icontains=text)
                                   | Q(items__description__icontains=text)).distinct()
    if status == "open":
        queryset = queryset.filter(items__status__in=OPEN_ITEM).distinct()
    elif status == "done":
        queryset = queryset.exclude(items__status__in=OPEN_ITEM)
    return queryset


def items_of(rectification_list: RectificationList) -> QuerySet[RectificationItem]:
    return (rectification_list.items.select_related("organization", "area", "list")
            .prefetch_related("reports__photos", "reports__reporter", "warnings"))


def my_items(user) -> QuerySet[RectificationItem]:
    """Items the user's unit (or, for community staff, their community) has to work on, soonest first."""
    orgs = _worker_orgs(user)
    query = Q(organization_id__in=orgs) if orgs else Q(pk__in=[])
    for role in active_roles(user):
        if role.role in OFFICE and role.role not in (Role.STREET_OFFICIAL, Role.DISTRICT_OFFICIAL):
            query |= Q(organization__isnull=True, path=role.path)
    return (RectificationItem.objects.filter(query, status__in=OPEN_ITEM)
            .select_related("list", "organization", "area").order_by("deadline", "pk"))


def units_rated_for(user) -> QuerySet[Organization]:
    return Organization.objects.filter(rated_units_q(user)).select_related("area").order_by("path", "name")


def has_records_in(year: int) -> ExpressionWrapper:
    """Whether a unit has anything its rating for `year` is computed from (an Organization annotation, the parts
    of oversight.rating): a task assigned that year, a 组织考评 of a round opened that year on a topic with its
    task, a 五方互评 score given that year to its party on a topic in its area or with its task, an annual
    evaluation, a 整改 item issued that year, or a kept rating with a score. EXISTS on indexed keys: the list
    puts the units with records first without rating every unit."""
    from yishiting.handling.models import OrgAssessment, PartyRating, Task
    from yishiting.handling.services.evaluation import PARTY_REPRESENTATIVES

    from ..models import AnnualEvaluation, UnitRating

    unit = OuterRef("pk")
    on_its_topics = Q(round__topic__path__startswith=OuterRef("path")) | Q(round__topic__tasks__organization=unit)
    rated = Q(pk__in=[])
    for party, (_roles, kinds) in PARTY_REPRESENTATIVES.items():
        rated |= Q(kind__in=kinds) & Exists(PartyRating.objects.filter(
            on_its_topics, ratee_party=party, round__opened_at__year=year))
    found = (rated
             | Exists(Task.objects.filter(organization=unit, created_at__year=year).exclude(status="cancelled"))
             | Exists(OrgAssessment.objects.filter(round__opened_at__year=year, round__topic__tasks__organization=unit))
             | Exists(AnnualEvaluation.objects.filter(organization=unit, year=year))
             | Exists(RectificationItem.objects.filter(organization=unit, list__issued_at__year=year)
                      .exclude(status="cancelled"))
             | Exists(UnitRating.objects.filter(organization=unit, year=year, score__isnull=False)))
    return ExpressionWrapper(found, output_field=BooleanField())


def units_by_records(units: QuerySet[Organization], year: int) -> QuerySet[Organization]:
    """The units with `has_records` for the year, those with records first (then in tree order)."""
    return units.annotate(has_records=has_records_in(year)).order_by("-has_records", "path", "name")


def handlers_of(item: RectificationItem) -> list[Person]:
    """Who is told about an item: its unit's handlers and representatives, else the community's office staff."""
    if item.organization_id:
        people = Person.objects.filter(roles__organization_id=item.organization_id, roles__role__in=UNIT_ROLES,
                                       roles__is_active=True)
    else:
        people = Person.objects.filter(roles__path=item.path, roles__is_active=True,
                                       roles__role__in=[Role.COMMUNITY_SECRETARY, Role.COMMUNITY_STAFF])
    return list(people.distinct().order_by("pk"))


def issuable_targets(user, limit: int = 500) -> tuple[list, list]:
    """(communities, units) the user may issue a list to (the issue form's choices)."""
    from yishiting.areas.models import Area
    from yishiting.areas.selectors import community_depth

    from ..rules import OFFICIALS

    roles = [r for r in active_roles(user) if r.role in OFFICIALS or r.role == Role.COMMUNITY_SECRETARY]
    if user.is_superuser:
        area_q, org_q = Q(), Q()
    else:
        area_q, org_q = Q(pk__in=[]), Q(pk__in=[])
        for role in roles:
            org_q |= Q(path__startswith=role.path)
            if role.role in OFFICIALS:
                area_q |= Q(path__startswith=role.path)
    depth = community_depth()
    communities = [a for a in Area.objects.filter(area_q).filter(level__depth=depth).order_by("path")[:limit]]
    units = list(Organization.objects.filter(org_q, is_active=True).order_by("path", "name")[:limit])
    return communities, units


def year_ratings(units, year: int) -> dict[int, object]:
    """{organization id: UnitRating or Summary} for a page of units: kept ratings of closed years, else computed
    now for all of them at once (oversight.rating_batch: a fixed number of queries, not ~7 per unit)."""
    from ..models import UnitRating
    from ..rating_batch import unit_ratings

    units = list(units)
    kept = {r.organization_id: r for r in UnitRating.objects.filter(organization__in=units, year=year)}
    computed = unit_ratings([org for org in units if org.pk not in kept], year)
    return {org.pk: kept.get(org.pk) or computed[org.pk] for org in units}


def rating_history(org: Organization) -> list:
    from ..models import UnitRating

    return list(UnitRating.objects.filter(organization=org).order_by("-year"))
