"""/legal: the expert pool (for planners and mediators), 一社区一法律顾问 coverage and the 云律团 consultations —
the same services, selectors and rules as the pages (/legal/…)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.legal import (
    AskIn,
    ConsultationDetailOut,
    ConsultationOut,
    ConsultationQuery,
    CoverageOut,
    ExpertOut,
    ExpertQuery,
    ExpertRecordOut,
    FieldOut,
    RateIn,
    ReferredOut,
    TextIn,
)
from yishiting.areas.models import Area
from yishiting.common.errors import DomainError
from yishiting.legal import selectors
from yishiting.legal import services as legal
from yishiting.legal.choices import ConsultationStatus
from yishiting.legal.models import Expert, ExpertField
from yishiting.legal.rules import is_asker, may_answer, may_claim, may_refer
from yishiting.legal.thread import asker_label, thread_rows

router = Router(tags=["法律服务"])


def expert_out(e: Expert) -> dict:
    return {"id": e.pk, "person_id": e.person_id, "name": str(e.person), "level": e.level, "area": e.area.name,
            "fields": [f.code for f in e.fields.all()], "is_lawyer": e.is_lawyer, "title": e.title,
            "availability": e.availability_on(), "busy_until": e.busy_until}


def consultation_out(user, c) -> dict:
    return {"id": c.pk, "number": c.number, "title": c.title, "field": c.field.code, "status": c.status,
            "status_label": str(c.get_status_display()), "community": c.community.name, "asker": asker_label(user, c),
            "due_on": c.due_on, "lawyer": c.lawyer.person.name if c.lawyer_id else None,
            "adviser": c.adviser.person.name if c.adviser_id else None, "rating": c.rating,
            "mediation_case_id": c.mediation_case_id, "created_at": c.created_at}


def detail_out(user, pk: int) -> dict:
    c = visible_or_404(selectors.consultations_visible_to(user), pk, "找不到该咨询。")
    asker = is_asker(user, c)
    actions = [name for name, allowed in [
        ("claim", may_claim(user, c)), ("answer", may_answer(user, c)),
        ("follow_up", asker and c.status == ConsultationStatus.ANSWERED),
        ("rate", asker and c.status == ConsultationStatus.ANSWERED),
        ("refer", may_refer(user, c) and c.status != ConsultationStatus.OPEN)] if allowed]
    messages = [{"kind": r.kind, "who": r.who, "text": r.text, "at": r.at} for r in thread_rows(user, c)]
    return {**consultation_out(user, c), "messages": messages, "actions": actions}


@router.get("/fields", response={200: list[FieldOut], **COMMON_ERRORS}, summary="专业领域")
def fields(request: HttpRequest):
    actor(request)
    return list(selectors.active_fields())


@router.get("/experts", response={200: page_of(ExpertOut), **COMMON_ERRORS}, summary="专家库")
def experts(request: HttpRequest, query: Query[ExpertQuery]):
    """按领域、级别筛选；给出 area 时只列可约请的、该区域所在社区、街道、区的专家依次在前（安排会议、指派调解员时用）。"""
    user = actor(request)
    require(user, "legal.pool")
    if query.area is not None:
        area = visible_or_404(Area.objects.all(), query.area, "找不到该区域。")
        found, _more = selectors.pool_pick(area=area, field_code=query.field or "", level=query.level, limit=200)
        ids = [e.pk for e in found]
        queryset = selectors.experts_visible_to(user).filter(pk__in=ids)
        page = paginate(queryset, query)
        page["items"] = sorted(page["items"], key=lambda e: ids.index(e.pk))
    else:
        queryset = selectors.experts_visible_to(user).filter(is_active=True)
        if query.field:
            queryset = queryset.filter(fields__code=query.field)
        if query.level:
            queryset = queryset.filter(level=query.level)
        page = paginate(queryset.distinct(), query)
    page["items"] = [expert_out(e) for e in page["items"]]
    return page


@router.get("/experts/{int:expert_id}", response={200: ExpertRecordOut, **COMMON_ERRORS}, summary="专家履职记录")
def expert_record(request: HttpRequest, expert_id: int):
    user = actor(request)
    require(user, "legal.pool")
    record = selectors.expert_record(visible_or_404(selectors.experts_visible_to(user), expert_id, "找不到该专家。"))
    return {**{k: getattr(record, k) for k in ("answered", "claimed", "escalated_from", "rated", "rating", "median_hours")},
            "expert": expert_out(record.expert), "meetings": len(record.meetings), "cases": len(record.cases)}


@router.get("/coverage", response={200: list[CoverageOut], **COMMON_ERRORS}, summary="一社区一法律顾问覆盖情况")
def coverage(request: HttpRequest):
    """辖区内每个社区的法律顾问：未聘任、任期已满的排在前面。"""
    user = actor(request)
    require(user, "legal.coverage")
    return [{"community_id": r.community.pk, "community": r.community.full_name, "state": r.state,
             "adviser": r.post.expert.person.name if r.post else None,
             "starts_on": r.post.starts_on if r.post else None, "ends_on": r.post.ends_on if r.post else None}
            for r in selectors.coverage(user)]


@router.get("/consultations", response={200: page_of(ConsultationOut), **COMMON_ERRORS}, summary="法律咨询")
def consultations(request: HttpRequest, query: Query[ConsultationQuery]):
    """您可看到的咨询：自己提的、本社区已解答的（不显示提问人）、律师本领域的、工作人员辖区内的。"""
    user = actor(request)
    queryset = selectors.consultations_visible_to(user)
    if query.mine:
        queryset = queryset.filter(asker__user=user)
    if query.status:
        queryset = queryset.filter(status=query.status)
    page = paginate(queryset, query)
    page["items"] = [consultation_out(user, c) for c in page["items"]]
    return page


@router.post("/consultations", response={201: ConsultationDetailOut, **WRITE_ERRORS}, summary="提出法律咨询")
def ask(request: HttpRequest, payload: AskIn):
    """解答期限按模板（默认 2 个工作日）；逾期未解答的由 `yishiting tick` 转本社区法律顾问。"""
    user = actor(request)
    field = ExpertField.objects.filter(code=payload.field, is_active=True, is_legal=True).first()
    if field is None:
        raise DomainError("invalid_choice", "请选择问题所属的法律类领域。", details={"field": "field"})
    c = legal.consultation_ask(actor=user, question=legal.Question(field=field, title=payload.title, text=payload.text))
    return Status(201, detail_out(user, c.pk))


@router.get("/consultations/{int:consultation_id}", response={200: ConsultationDetailOut, **COMMON_ERRORS},
            summary="咨询及其问答")
def consultation(request: HttpRequest, consultation_id: int):
    return detail_out(actor(request), consultation_id)


def _act(request: HttpRequest, consultation_id: int, run) -> dict:
    user = actor(request)
    c = visible_or_404(selectors.consultations_visible_to(user), consultation_id, "找不到该咨询。")
    run(user, c)
    return detail_out(user, consultation_id)


@router.post("/consultations/{int:consultation_id}/claim", response={200: ConsultationDetailOut, **WRITE_ERRORS},
             summary="认领（律师）")
def claim(request: HttpRequest, consultation_id: int):
    """本领域的云律团律师认领；两人同时认领只有一人成功，另一人得到 409 already_claimed。"""
    return _act(request, consultation_id, lambda u, c: legal.consultation_claim(actor=u, consultation=c))


@router.post("/consultations/{int:consultation_id}/answer", response={200: ConsultationDetailOut, **WRITE_ERRORS},
             summary="解答（认领律师或社区法律顾问）")
def answer(request: HttpRequest, consultation_id: int, payload: TextIn):
    return _act(request, consultation_id, lambda u, c: legal.consultation_answer(actor=u, consultation=c, text=payload.text))


@router.post("/consultations/{int:consultation_id}/follow-up", response={200: ConsultationDetailOut, **WRITE_ERRORS},
             summary="追问（提问人）")
def follow_up(request: HttpRequest, consultation_id: int, payload: TextIn):
    return _act(request, consultation_id,
                lambda u, c: legal.consultation_follow_up(actor=u, consultation=c, text=payload.text))


@router.post("/consultations/{int:consultation_id}/rate", response={200: ConsultationDetailOut, **WRITE_ERRORS},
             summary="评价解答（提问人）")
def rate(request: HttpRequest, consultation_id: int, payload: RateIn):
    return _act(request, consultation_id, lambda u, c: legal.consultation_rate(
        actor=u, consultation=c, stars=payload.stars, comment=payload.comment))


@router.post("/consultations/{int:consultation_id}/refer", response={201: ReferredOut, **WRITE_ERRORS},
             summary="转为调解案件")
def refer(request: HttpRequest, consultation_id: int):
    """提问人、解答律师、社区法律顾问或社区工作人员可把咨询转为调解案件，问答一并带入案卷。"""
    user = actor(request)
    c = visible_or_404(selectors.consultations_visible_to(user), consultation_id, "找不到该咨询。")
    case = legal.consultation_refer(actor=user, consultation=c)
    return Status(201, {"consultation": detail_out(user, consultation_id), "mediation_case_id": case.pk})
