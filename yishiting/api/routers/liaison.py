"""/liaison: 挂点联系 links (set up, revoked; the leader's glance at each linked community) and 党代表联系群众 records
(recorded, a matter added, a matter turned into a demand, the yearly count per deputy) — the same services,
selectors and rules as the pages (/liaison/…)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.liaison import (
    ContactRecordIn,
    ContactRecordOut,
    ContactRecordQuery,
    DemandRef,
    DeputyYearOut,
    GlanceOut,
    LinkEndIn,
    LinkIn,
    LinkOut,
    LinkQuery,
    MatterIn,
)
from yishiting.areas.models import Area, Person
from yishiting.liaison import selectors, services
from yishiting.liaison.models import ContactRecord, LiaisonLink, RaisedMatter

router = Router(tags=["挂点联系与代表联系群众"])


def link_out(link: LiaisonLink) -> dict:
    return {"id": link.pk, "leader_id": link.leader_id, "leader": link.leader.name, "level": link.level,
            "community_id": link.community_id, "community": link.community.name, "starts_on": link.starts_on,
            "ends_on": link.ends_on, "is_active": link.is_active, "in_force": link.in_force(timezone.localdate())}


def record_out(record: ContactRecord, *, matters: bool = True) -> dict:
    rows = selectors.matter_rows(record) if matters else []
    return {"id": record.pk, "deputy": record.deputy.name, "deputy_kind": record.deputy_kind,
            "area_id": record.area_id, "area": record.area.name, "held_on": record.held_on, "place": record.place,
            "method": record.method, "method_label": str(record.get_method_display()),
            "people_count": record.people_count, "summary": record.summary,
            "matters": [{"id": r.matter.pk, "text": r.matter.text, "demand_id": r.matter.demand_id,
                         "demand_number": r.matter.demand.number if r.matter.demand else None,
                         "demand_status": r.status, "done": r.done} for r in rows]}


@router.get("/links", response={200: page_of(LinkOut), **COMMON_ERRORS}, summary="挂点联系（本辖区的和本人的）")
def link_list(request: HttpRequest, query: Query[LinkQuery]):
    user = actor(request)
    rows = selectors.link_search(selectors.links_visible_to(user), text=query.q, state=query.state,
                                 today=timezone.localdate()).order_by("path", "-starts_on", "pk")
    page = paginate(rows, query)
    page["items"] = [link_out(link) for link in page["items"]]
    return page


@router.post("/links", response={201: LinkOut, **WRITE_ERRORS}, summary="设立挂点联系")
def link_create(request: HttpRequest, payload: LinkIn):
    user = actor(request)
    require(user, "liaison.links_manage")
    community = visible_or_404(Area.objects.filter(is_active=True), payload.community_id, "找不到该社区。")
    leader = visible_or_404(Person.objects.all(), payload.leader_id, "找不到该人员。")
    link = services.link_create(actor=user, leader=leader, community=community, starts_on=payload.starts_on,
                                ends_on=payload.ends_on, note=payload.note)
    return Status(201, link_out(link))


@router.post("/links/{int:link_id}/end", response={200: LinkOut, **WRITE_ERRORS}, summary="撤销挂点联系")
def link_end(request: HttpRequest, link_id: int, payload: LinkEndIn):
    user = actor(request)
    link = visible_or_404(selectors.links_visible_to(user), link_id, "找不到该挂点联系。")
    return link_out(services.link_end(actor=user, link=link, reason=payload.reason))


@router.get("/mine", response={200: list[GlanceOut], **COMMON_ERRORS}, summary="我联系的社区（挂点期内）")
def my_communities(request: HttpRequest):
    user, today = actor(request), timezone.localdate()
    out = []
    for link in selectors.my_links(user, today):
        g = selectors.glance(link, today)
        out.append({"link": link_out(link), "stages": [vars(s) for s in g.stages],
                    "pressing": [{k: v for k, v in i.items() if k != "url"} for i in g.pressing],
                    "meetings": [{"id": m.pk, "title": m.title, "starts_at": m.starts_at.isoformat(),
                                  "status_label": str(m.get_status_display())} for m in g.meetings],
                    "satisfaction_percent": g.satisfaction.percent if g.satisfaction else None,
                    "satisfaction_count": g.satisfaction.denominator if g.satisfaction else 0})
    return out


@router.get("/records", response={200: page_of(ContactRecordOut), **COMMON_ERRORS}, summary="代表联系群众记录")
def record_list(request: HttpRequest, query: Query[ContactRecordQuery]):
    user = actor(request)
    require(user, "liaison.records_view")
    rows = selectors.record_search(selectors.records_visible_to(user), text=query.q, method=query.method,
                                   year=query.year, deputy_id=query.deputy_id).order_by("-held_on", "-pk")
    page = paginate(rows, query)
    page["items"] = [record_out(r, matters=False) for r in page["items"]]
    return page


@router.post("/records", response={201: ContactRecordOut, **WRITE_ERRORS}, summary="记录一次联系群众")
def record_create(request: HttpRequest, payload: ContactRecordIn):
    user = actor(request)
    area = visible_or_404(Area.objects.filter(is_active=True), payload.area_id, "找不到该地点。")
    people = list(Person.objects.filter(pk__in=payload.person_ids)) if payload.person_ids else []
    record = services.record_create(actor=user, area=area, held_on=payload.held_on, place=payload.place,
                                    method=payload.method, deputy_kind=payload.deputy_kind,
                                    people_count=payload.people_count, summary=payload.summary,
                                    matters=payload.matters, people=people)
    return Status(201, record_out(record))


def _record(user, pk: int) -> ContactRecord:
    return visible_or_404(selectors.records_visible_to(user), pk, "找不到该联系记录。")


@router.get("/records/{int:record_id}", response={200: ContactRecordOut, **COMMON_ERRORS}, summary="联系记录及事项去向")
def record_detail(request: HttpRequest, record_id: int):
    return record_out(_record(actor(request), record_id))


@router.post("/records/{int:record_id}/matters", response={201: ContactRecordOut, **WRITE_ERRORS}, summary="补记一个事项")
def matter_add(request: HttpRequest, record_id: int, payload: MatterIn):
    user = actor(request)
    record = _record(user, record_id)
    services.matter_add(actor=user, record=record, text=payload.text)
    return Status(201, record_out(record))


@router.post("/matters/{int:matter_id}/demand", response={200: DemandRef, **WRITE_ERRORS},
             summary="事项转为诉求（再次调用返回同一诉求）")
def matter_demand(request: HttpRequest, matter_id: int):
    user = actor(request)
    matter = visible_or_404(RaisedMatter.objects.filter(record__in=selectors.records_visible_to(user)), matter_id,
                            "找不到该事项。")
    demand = services.matter_to_demand(actor=user, matter=matter)
    return {"id": demand.pk, "number": demand.number, "status": demand.status}


@router.get("/deputies/{int:year}", response={200: list[DeputyYearOut], **COMMON_ERRORS}, summary="代表年度联系统计")
def deputy_year(request: HttpRequest, year: int = Path(..., ge=2000, le=2100, description="年度")):
    user = actor(request)
    require(user, "liaison.records_view")
    return [vars(row) for row in selectors.yearly_counts(selectors.records_visible_to(user), year)]
