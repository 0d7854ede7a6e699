"""/oversight/rectifications (整改清单) and /oversight/unit-ratings (单位年度评级): the same services, selectors and
rules as the pages (/oversight/…)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Status, UploadedFile

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.oversight_ratings import (
    AnnualEvaluationIn,
    AnnualEvaluationOut,
    RectificationDetailOut,
    RectificationIssueIn,
    RectificationItemOut,
    RectificationListOut,
    RectificationNoteIn,
    RectificationQuery,
    RectificationTextIn,
    UnitRatingDetailOut,
    UnitRatingOut,
    UnitRatingQuery,
    UnitYearQuery,
)
from yishiting.areas.models import Area, Organization
from yishiting.common.masking import mask_name
from yishiting.demands.photos import MAX_BYTES
from yishiting.oversight import selectors
from yishiting.oversight.models import RectificationItem
from yishiting.oversight.rating import unit_rating
from yishiting.oversight.rules import may_decide, may_work
from yishiting.oversight.services import rectification as svc
from yishiting.oversight.services.ratings import annual_evaluation_save

router = Router(tags=["整改清单"])  # /oversight/rectifications
ratings_router = Router(tags=["单位评级"])  # /oversight/unit-ratings


def _actions(user, item: RectificationItem) -> list[str]:
    work, decide, s = may_work(user, item), may_decide(user, item), item.status
    return [name for name, ok in [
        ("acknowledge", work and s == "issued"), ("report", work and s in ("acknowledged", "returned")),
        ("submit", work and s in ("acknowledged", "returned")), ("accept", decide and s == "submitted"),
        ("return", decide and s == "submitted"), ("cancel", decide and s in ("issued", "acknowledged", "returned"))]
        if ok]


def item_out(user, item: RectificationItem) -> dict:
    return {"id": item.pk, "number": str(item), "seq": item.seq, "description": item.description,
            "responsible": item.responsible_name, "organization_id": item.organization_id,
            "deadline_days": item.deadline_days, "deadline": item.deadline, "status": item.status,
            "status_label": str(item.get_status_display()), "returns": item.returns, "last_note": item.last_note,
            "warnings": [w.level for w in item.warnings.all()], "actions": _actions(user, item),
            "reports": [{"id": r.pk, "kind": r.kind, "text": r.text, "reporter": mask_name(r.reporter.name),
                         "photos": len(r.photos.all()), "created_at": r.created_at} for r in item.reports.all()]}


def list_out(rect) -> dict:
    return {"id": rect.pk, "number": rect.number, "title": rect.title, "target": rect.target_name,
            "issuer_area": rect.issuer_area.name, "issued_at": rect.issued_at,
            "item_count": getattr(rect, "item_count", 0), "open_count": getattr(rect, "open_count", 0)}


def detail_out(user, pk: int) -> dict:
    rect = visible_or_404(selectors.lists_visible_to(user), pk, "找不到该整改清单。")
    return {**list_out(rect), "basis": rect.basis, "items": [item_out(user, i) for i in selectors.items_of(rect)]}


@router.get("", response={200: page_of(RectificationListOut), **COMMON_ERRORS}, summary="整改清单")
def rectification_lists(request: HttpRequest, query: Query[RectificationQuery]):
    """下发的、下发给本单位（本社区）的和辖区内的整改清单，可按字词、是否全部销号筛选。"""
    user = actor(request)
    require(user, "oversight.rectifications_view")
    found = paginate(selectors.list_search(selectors.lists_visible_to(user), text=query.q or "",
                                           status=query.status or ""), query)
    return {**found, "items": [list_out(r) for r in found["items"]]}


@router.post("", response={201: RectificationDetailOut, **WRITE_ERRORS}, summary="下发整改清单")
def rectification_issue(request: HttpRequest, payload: RectificationIssueIn):
    """街道、区级干部向辖区内的社区或单位下发；社区书记向本社区的共驻共建单位下发。期限按工作日计算。"""
    user = actor(request)
    require(user, "oversight.rectify")
    area = visible_or_404(Area.objects.all(), payload.target_area_id, "找不到该社区。") \
        if payload.target_area_id else None
    org = visible_or_404(Organization.objects.all(), payload.target_organization_id, "找不到该单位。") \
        if payload.target_organization_id else None
    items = [svc.ItemInput(i.description, i.deadline_days, visible_or_404(Organization.objects.all(), i.organization_id,
                                                                          "找不到该单位。") if i.organization_id else None)
             for i in payload.items]
    rect = svc.rectification_issue(actor=user, title=payload.title, basis=payload.basis, items=items,
                                   target_area=area, target_organization=org)
    return Status(201, detail_out(user, rect.pk))


@router.get("/{int:list_id}", response={200: RectificationDetailOut, **COMMON_ERRORS},
            summary="整改清单详情")
def rectification_detail(request: HttpRequest, list_id: int):
    """每项的状态、期限、预警、进展报告，以及调用者现在可做的操作（actions）。"""
    return detail_out(actor(request), list_id)


def _item(request: HttpRequest, item_id: int) -> RectificationItem:
    user = actor(request)
    return visible_or_404(RectificationItem.objects.filter(list__in=selectors.lists_visible_to(user))
                          .select_related("list"), item_id, "找不到该整改事项。")


def _uploads(files) -> list[bytes]:
    return [upload.read(MAX_BYTES + 1) for upload in (files or [])]


@router.post("/items/{int:item_id}/acknowledge", response={200: RectificationItemOut, **WRITE_ERRORS},
             summary="签收整改事项")
def acknowledge(request: HttpRequest, item_id: int):
    item = svc.rectification_acknowledge(actor=actor(request), item=_item(request, item_id))
    return item_out(actor(request), _fresh(item))


def _fresh(item: RectificationItem) -> RectificationItem:
    return RectificationItem.objects.select_related("list", "organization", "area").prefetch_related(
        "reports__photos", "reports__reporter", "warnings").get(pk=item.pk)


@router.post("/items/{int:item_id}/reports", response={201: RectificationItemOut, **WRITE_ERRORS},
             summary="报告整改进展")
def report(request: HttpRequest, item_id: int, payload: Form[RectificationTextIn],
           photos: File[list[UploadedFile]] = None):
    """multipart/form-data 或表单：text，另可附最多 9 张名为 photos 的照片。"""
    item = _item(request, item_id)
    svc.rectification_report(actor=actor(request), item=item, text=payload.text, photos=_uploads(photos))
    return Status(201, item_out(actor(request), _fresh(item)))


@router.post("/items/{int:item_id}/submit", response={200: RectificationItemOut, **WRITE_ERRORS},
             summary="提交销号")
def submit(request: HttpRequest, item_id: int, payload: Form[RectificationTextIn],
           photos: File[list[UploadedFile]] = None):
    item = svc.rectification_submit(actor=actor(request), item=_item(request, item_id), text=payload.text,
                                    photos=_uploads(photos))
    return item_out(actor(request), _fresh(item))


@router.post("/items/{int:item_id}/accept", response={200: RectificationItemOut, **WRITE_ERRORS},
             summary="验收销号")
def accept(request: HttpRequest, item_id: int, payload: RectificationNoteIn):
    item = svc.rectification_accept(actor=actor(request), item=_item(request, item_id), note=payload.note)
    return item_out(actor(request), _fresh(item))


@router.post("/items/{int:item_id}/return", response={200: RectificationItemOut, **WRITE_ERRORS},
             summary="退回整改事项")
def return_item(request: HttpRequest, item_id: int, payload: RectificationNoteIn):
    item = svc.rectification_return(actor=actor(request), item=_item(request, item_id), reason=payload.note)
    return item_out(actor(request), _fresh(item))


@router.post("/items/{int:item_id}/cancel", response={200: RectificationItemOut, **WRITE_ERRORS},
             summary="撤销整改事项")
def cancel(request: HttpRequest, item_id: int, payload: RectificationNoteIn):
    item = svc.rectification_cancel(actor=actor(request), item=_item(request, item_id), reason=payload.note)
    return item_out(actor(request), _fresh(item))


def rating_out(org: Organization, d) -> dict:
    score = getattr(d, "score", None)
    return {"organization_id": org.pk, "name": org.name, "kind": org.kind, "year": d.year,
            "score": str(score) if score is not None else None, "grade": d.grade}


@ratings_router.get("", response={200: page_of(UnitRatingOut), **COMMON_ERRORS}, summary="单位年度评级")
def unit_ratings(request: HttpRequest, query: Query[UnitRatingQuery]):
    """调用者所见单位（辖区内及服务本辖区的区直部门；社区：本社区的共驻共建单位）某年度的综合得分和等次。"""
    user = actor(request)
    require(user, "oversight.ratings_view")
    units = selectors.units_rated_for(user)
    if query.q:
        units = units.filter(name__icontains=query.q)
    year = query.year or timezone.localdate().year
    found = paginate(units, query)
    ratings = selectors.year_ratings(found["items"], year)
    return {**found, "items": [rating_out(org, ratings[org.pk]) for org in found["items"]]}


@ratings_router.get("/{int:organization_id}", response={200: UnitRatingDetailOut, **COMMON_ERRORS},
            summary="单位评级及计算过程")
def unit_rating_detail(request: HttpRequest, organization_id: int, query: Query[UnitYearQuery]):
    """每一部分的权重、得分、规则、计数和所依据的记录，以及历年保存的评级。"""
    user = actor(request)
    require(user, "oversight.ratings_view")
    org = visible_or_404(selectors.units_rated_for(user), organization_id, "找不到该单位。")
    d = unit_rating(org, query.year or timezone.localdate().year)
    data = d.as_dict()
    return {**rating_out(org, d), "cutoff": d.cutoff, "parts": data["parts"],
            "history": [rating_out(org, h) for h in selectors.rating_history(org)]}


@ratings_router.post("/evaluations", response={200: AnnualEvaluationOut, **WRITE_ERRORS}, summary="年度评议")
def evaluate(request: HttpRequest, payload: AnnualEvaluationIn):
    """镇街评议区直部门、社区评议本社区的共驻共建单位：每个评议方对每个单位每年一份，关闭年度前可修改。"""
    user = actor(request)
    require(user, "oversight.evaluate")
    area = visible_or_404(Area.objects.all(), payload.evaluator_area_id, "找不到该评议方。")
    org = visible_or_404(Organization.objects.all(), payload.organization_id, "找不到该单位。")
    e = annual_evaluation_save(actor=user, evaluator_area=area, organization=org, year=payload.year,
                               score=payload.score, comment=payload.comment)
    return {"id": e.pk, "evaluator_area": area.name, "organization_id": org.pk, "year": e.year, "score": e.score,
            "comment": e.comment}
