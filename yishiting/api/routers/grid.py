"""/grid: the grid's field work for the phone — my 包联 (who is not yet visited this month), a visit or patrol
recorded with an `Idempotency-Key` (a retry answers 201 with the same record; the same key with other content
409), with photos through /grid/records/multipart; a finding made a demand in one call; coverage per grid;
and /grid/mine, the chain that serves the caller's building (亮身份). Same services, selectors and rules as the
pages (/grid/…)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.routers.demands import idempotency_key
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.grid import (
    CoveragePage,
    CoverageQuery,
    FieldRecordIn,
    FieldRecordOut,
    FieldRecordQuery,
    GridAssignmentIn,
    GridAssignmentOut,
    GridAssignmentQuery,
    MineOut,
    RecordBase,
    RecordFormIn,
    ReportedOut,
)
from yishiting.areas.models import Area, Household, Organization, Person
from yishiting.areas.selectors import person_for_user
from yishiting.common.errors import NotFound
from yishiting.common.masking import mask_name
from yishiting.demands.photos import MAX_BYTES
from yishiting.grid import selectors
from yishiting.grid import services as grid
from yishiting.grid.models import Assignment, FieldRecord, Finding

router = Router(tags=["网格工作"])
SOLVED_RULE = ("网格内解决（小事不出网格）：走访巡查发现并转为诉求的问题，由本社区筛选为直接办理、没有提请上级，"
               "办理层级仍是本网格（小区），且办理任务已凭证销号。")


def _place(a: Assignment) -> str:
    if a.household_id:
        unit = a.household.unit
        return f"{unit.parent.name}{unit.name} {a.household.number}"
    return a.building.name


def assignment_out(a: Assignment, office: set[int] | None = None) -> dict:
    named = a.keeper_id in (office if office is not None else selectors.in_office([a.keeper_id]))
    return {"id": a.pk, "estate": a.estate.name, "estate_id": a.estate_id, "household_id": a.household_id,
            "building_id": a.building_id, "place": _place(a), "keeper": a.keeper.name if named else mask_name(a.keeper.name),
            "visited": bool(getattr(a, "visited", False))}


def record_out(r: FieldRecord) -> dict:
    findings = [{"id": f.pk, "text": f.text, "demand_id": f.demand_id,
                 "demand_number": f.demand.number if f.demand_id else None} for f in selectors.findings_of(r)]
    return {"id": r.pk, "kind": r.kind, "kind_label": str(r.get_kind_display()), "estate_id": r.estate_id,
            "estate": r.estate.name, "place_id": r.place_id, "place": r.place.name, "household_id": r.household_id,
            "occurred_at": r.occurred_at, "position": r.position, "latitude": r.latitude, "longitude": r.longitude,
            "summary": r.summary,
            "participants": r.participants, "recorder": mask_name(r.recorder.name), "findings": findings,
            "photos": [reverse("web:grid_record_photo", args=[r.pk, p.pk]) for p in r.photos.all()]}


@router.get("/assignments", response={200: page_of(GridAssignmentOut), **COMMON_ERRORS}, summary="包联（默认本人的）")
def assignment_list(request: HttpRequest, query: Query[GridAssignmentQuery]):
    user, month = actor(request), selectors.Month.parse(query.month)
    if query.estate is not None:
        estate = visible_or_404(selectors.estates_for(user, "grid.view"), query.estate, "找不到该小区，或您无权查看。")
        rows = selectors.with_visits(selectors.assignments_visible_to(user).filter(estate=estate, is_active=True),
                                     month).order_by("visited", "path", "pk")
    else:
        rows = selectors.assignments_of(person_for_user(user), month)
    if query.unvisited:
        rows = rows.filter(visited=False)
    page = paginate(rows, query)
    office = selectors.in_office([a.keeper_id for a in page["items"]])
    page["items"] = [assignment_out(a, office) for a in page["items"]]
    return page


@router.post("/assignments", response={201: GridAssignmentOut, **WRITE_ERRORS}, summary="安排包联（社区工作人员、网格长）")
def assignment_create(request: HttpRequest, payload: GridAssignmentIn):
    user = actor(request)
    keeper = visible_or_404(Person.objects.all(), payload.keeper_id, "找不到该包联人。")
    household = (visible_or_404(Household.objects.all(), payload.household_id, "找不到该住户。")
                 if payload.household_id is not None else None)
    building = (visible_or_404(Area.objects.all(), payload.building_id, "找不到该楼栋。")
                if payload.building_id is not None else None)
    a = grid.assignment_create(actor=user, keeper=keeper, household=household, building=building)
    return Status(201, assignment_out(a))


@router.post("/assignments/{int:assignment_id}/end", response={200: GridAssignmentOut, **WRITE_ERRORS}, summary="结束包联")
def assignment_end(request: HttpRequest, assignment_id: int):
    user = actor(request)
    a = visible_or_404(selectors.assignments_visible_to(user), assignment_id, "找不到该包联。")
    return assignment_out(grid.assignment_end(actor=user, assignment=a))


def _entry(user, payload: RecordBase, findings: list[str], photos: list[bytes]) -> grid.RecordEntry:
    place = visible_or_404(Area.objects.all(), payload.place_id, "找不到该地点。")
    household = (visible_or_404(Household.objects.all(), payload.household_id, "找不到该住户。")
                 if payload.household_id is not None else None)
    organizations = list(Organization.objects.filter(pk__in=payload.organization_ids, is_active=True))
    if len(organizations) != len(set(payload.organization_ids)):
        raise NotFound("找不到参加单位。")
    return grid.RecordEntry(kind=payload.kind, place=place, summary=payload.summary, household=household,
                            occurred_at=payload.occurred_at, position=payload.position, latitude=payload.latitude,
                            longitude=payload.longitude, findings=findings, participants=payload.participants,
                            organizations=organizations, photos=photos)


def _record(request: HttpRequest, payload: RecordBase, findings: list[str], photos: list[bytes]):
    user = actor(request)
    key = idempotency_key(request.headers.get("Idempotency-Key", ""))
    record = grid.record_create(actor=user, entry=_entry(user, payload, findings, photos), idempotency_key=key)
    return Status(201, record_out(record))


@router.post("/records", response={201: FieldRecordOut, **WRITE_ERRORS}, summary="记录走访、巡查（手机）")
def record_create(request: HttpRequest, payload: FieldRecordIn):
    """请求头 `Idempotency-Key` 防止弱网重复提交：重试返回同一条记录（201），同一个键配不同内容返回 409。
    走访须给出 household_id；联合巡查、三方对话会限网格和社区工作人员。附照片请用 `POST /grid/records/multipart`。"""
    return _record(request, payload, payload.findings, [])


@router.post("/records/multipart", response={201: FieldRecordOut, **WRITE_ERRORS}, summary="记录走访、巡查（附照片）")
def record_create_multipart(request: HttpRequest, payload: Form[RecordFormIn],
                            photos: File[list[UploadedFile]] = None):
    """multipart/form-data：字段同 `POST /grid/records`，findings 一行一条；另可附最多 9 个名为 photos 的文件。"""
    raws = [upload.read(MAX_BYTES + 1) for upload in (photos or [])]
    return _record(request, payload, payload.findings.splitlines(), raws)


@router.get("/records", response={200: page_of(FieldRecordOut), **COMMON_ERRORS}, summary="走访巡查记录")
def record_list(request: HttpRequest, query: Query[FieldRecordQuery]):
    user = actor(request)
    start, end = selectors.Month.parse(query.month).bounds
    rows = selectors.records_visible_to(user).filter(occurred_at__gte=start, occurred_at__lt=end)
    if query.kind:
        rows = rows.filter(kind=query.kind)
    if query.estate is not None:
        rows = rows.filter(estate_id=query.estate)
    if query.mine:
        rows = rows.filter(recorder=person_for_user(user))
    page = paginate(rows.prefetch_related("photos"), query)
    page["items"] = [record_out(r) for r in page["items"]]
    return page


@router.get("/records/{int:record_id}", response={200: FieldRecordOut, **COMMON_ERRORS}, summary="一条记录")
def record_detail(request: HttpRequest, record_id: int):
    return record_out(visible_or_404(selectors.records_visible_to(actor(request)), record_id, "找不到该记录。"))


@router.post("/findings/{int:finding_id}/demand", response={201: ReportedOut, **WRITE_ERRORS},
             summary="发现的问题一键转为诉求")
def finding_report(request: HttpRequest, finding_id: int):
    """渠道为民情家访（走访）或网格巡查（巡查），附上记录的照片；再次调用返回同一条诉求。"""
    user = actor(request)
    finding = visible_or_404(Finding.objects.filter(record__in=selectors.records_visible_to(user)), finding_id,
                             "找不到该问题。")
    demand = grid.finding_report(actor=user, finding=finding)
    return Status(201, {"finding_id": finding.pk, "demand_id": demand.pk, "number": demand.number,
                        "channel": demand.channel})


@router.get("/coverage", response={200: CoveragePage, **COMMON_ERRORS}, summary="网格覆盖（按月）")
def coverage(request: HttpRequest, query: Query[CoverageQuery]):
    user, month = actor(request), selectors.Month.parse(query.month)
    estates = list(selectors.estates_for(user, "grid.view")[(query.page - 1) * 50: query.page * 50 + 1])
    rows = selectors.coverage_for(estates[:50], month)
    return {"month": month.key, "definition": SOLVED_RULE, "has_next": len(estates) > 50, "items": [
        {"estate_id": c.estate.pk, "estate": c.estate.name, "community": c.estate.parent.name,
         **{k: getattr(c, k) for k in ("households", "visited", "assigned", "assigned_unvisited", "visits", "patrols",
                                       "talks", "findings", "reported", "solved_in_grid")}} for c in rows]}


@router.get("/mine", response={200: MineOut, **COMMON_ERRORS}, summary="我的网格（亮身份）")
def mine(request: HttpRequest):
    person = person_for_user(actor(request))
    household = person.household if person else None
    if household is None:
        return {"chain": [], "keepers": []}
    unit = household.unit
    estate, building = selectors.estate_of(unit), selectors.building_of(unit)
    return {"estate": estate.name if estate else None, "building": building.name if building else None,
            "keepers": selectors.keepers_of(household),
            "chain": [{"role": c.role.role, "label": c.label, "name": c.name, "area": c.role.area.name,
                       "plaque_on": c.plaque_on} for c in selectors.chain_for(unit)]}

