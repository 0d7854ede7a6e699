"""Demands (诉求) through the API: intake, suggestions, screening, the three lists, the resident's own pages,
a community's public topics, the catalogues and notifications. Mounted at the API root by `router`.

Photos: `POST /demands` takes JSON without photos; `POST /demands/multipart` takes the same fields as
multipart/form-data plus up to 9 files named `photos` (JPEG/PNG/WebP, ≤ 10 MB each, checked by content; stored
at most 1600 px on the long side without EXIF, with a thumbnail; a body over MAX_UPLOAD_BYTES or a photo over
10 MB is refused with 413 before it is stored, common.uploads).
Both honour an `Idempotency-Key` header: a retry answers 201 with the same demand; the same key with a
different body answers 409 `idempotency_key_reused`.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Literal
from urllib.parse import quote

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import File, Form, Query, Router, Status, UploadedFile

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import PageQuery, cursor_page_of, page_of, paginate, paginate_keyset
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS, ErrorOut
from yishiting.api.schemas.demands import (
    CategoryOut,
    ConsultationRuleOut,
    DemandDetailOut,
    DemandIn,
    DemandOut,
    DemandQuery,
    InboxItemOut,
    InboxQuery,
    ListItemOut,
    ListQuery,
    MergeIn,
    MergeOut,
    NotificationOut,
    PublicTopicOut,
    ScreeningIn,
    SuggestOut,
    SuggestQuery,
)
from yishiting.areas import selectors as areas
from yishiting.common.errors import DomainError, NotFound
from yishiting.common.rules import has_perm
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.selectors import open_topics_covering, topics_of_community
from yishiting.demands import exports, intake
from yishiting.demands import selectors as demands
from yishiting.demands.models import Demand
from yishiting.demands.photos import MAX_BYTES, thumbnail_ensure
from yishiting.demands.screening import Decision, demand_merge, demand_screen
from yishiting.demands.services import Submission, demand_for_screening, demand_submit
from yishiting.demands.timeline import timeline_lines
from yishiting.handling.selectors import handler_candidates
from yishiting.mediation import selectors as mediation_selectors
from yishiting.notifications.services import notifications_for
from yishiting.oversight.selectors.hotspots import plan_for_area, plan_transform

logger = logging.getLogger("yishiting.api")
router = Router()
demands_router = Router(tags=["诉求"])
lists_router = Router(tags=["三张清单"])
me_router = Router(tags=["当前用户"])
communities_router = Router(tags=["议题公示"])
catalogue_router = Router(tags=["目录"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IDEMPOTENCY_KEY = 128


# ---- intake ---------------------------------------------------------------------------------------------

def idempotency_key(header: str) -> str | None:
    """The `Idempotency-Key` header's value, None when absent (shared with the fast path, api.fast.demands)."""
    key = header.strip()
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise DomainError("invalid_idempotency_key", f"Idempotency-Key 不能超过 {MAX_IDEMPOTENCY_KEY} 个字符。",
                          details={"field": "Idempotency-Key"})
    return key or None


def submission_of(user, payload: DemandIn, photos: list[bytes]) -> Submission:
    """What `demand_submit` gets from a request body the caller may send (shared with api.fast.demands)."""
    area = areas.area_visible(user, payload.area_id)
    if area is None:
        raise NotFound("找不到该区域，或您无权查看。")
    category = household = reporter = None
    if payload.category_id is not None:
        category = visible_or_404(demands.categories_active(), payload.category_id, "找不到该类别，或它已停用。")
    if payload.household_id is not None:
        household = visible_or_404(areas.households_visible_to(user), payload.household_id, "找不到该住户，或您无权查看。")
        if not household.path.startswith(area.path):
            raise DomainError("invalid_household", "住户不在所选区域内。", details={"field": "household_id"})
    if payload.reporter_id is not None:
        reporter = visible_or_404(areas.people_visible_to(user), payload.reporter_id, "找不到该人员，或您无权查看。")
    latitude, longitude = _place(area, payload)
    return Submission(text=payload.text, area=area, channel=payload.channel, category=category,
                      urgency=payload.urgency, address=payload.address, latitude=latitude,
                      longitude=longitude, reporter_kind=payload.reporter_kind, reporter=reporter,
                      consent_recorded=payload.consent_recorded, household=household, photos=photos)


def _place(area, payload: DemandIn) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude as sent, or read from a tap on the place's plan (the web form's plan picker does the
    same in the browser): the plan must be the one the place offers (its own or its nearest ancestor's)."""
    given = [payload.plan_id, payload.plan_x, payload.plan_y]
    if all(v is None for v in given):
        return payload.latitude, payload.longitude
    if any(v is None for v in given):
        raise DomainError("plan_point_incomplete", "在平面图上点选位置须同时给出 plan_id、plan_x 和 plan_y。",
                          details={"field": "plan_id"})
    if payload.latitude is not None or payload.longitude is not None:
        raise DomainError("place_twice", "经纬度和平面图点选只能给出一种。", details={"field": "plan_id"})
    plan = plan_for_area(area)
    if plan is None or plan.pk != payload.plan_id:
        raise DomainError("invalid_plan", "该平面图不是所选地点的平面图。", details={"field": "plan_id"})
    if not (0 <= payload.plan_x <= plan.width and 0 <= payload.plan_y <= plan.height):
        raise DomainError("outside_plan", f"点选位置超出了平面图（{plan.width} × {plan.height} 像素）。",
                          details={"field": "plan_x"})
    lat, lng = plan_transform(plan).to_latlng(payload.plan_x, payload.plan_y)
    return Decimal(str(round(lat, 6))), Decimal(str(round(lng, 6)))


def submitted(user, demand: Demand) -> Demand:
    """A demand `demand_submit` has just written, ready for DemandDetailOut: its one event and its photos are
    at hand, nothing is read back (shared with api.fast.demands)."""
    return _decorate(user, demand, events=[demand.submitted_event], photos=demand.photos_created)


RETRY_AFTER_SECONDS = 2


def stored_without_reply(demand: Demand, key: str | None) -> DomainError:
    """503 for a demand that was written (committed) but whose reply failed — a connection lost between commit
    and reply (shared with api.fast.demands). With its Idempotency-Key, a retry answers with the stored demand;
    without one, the message says it is stored, so nobody files it twice."""
    if key:
        message = (f"诉求已保存（编号 {demand.number}），但回复未能送达：请在 {RETRY_AFTER_SECONDS} 秒后用同一个 "
                   "Idempotency-Key 重试，将返回这条诉求。")
    else:
        message = f"诉求已保存（编号 {demand.number}），但回复未能送达：请勿重复提交，可在“我的诉求”中查看。"
    return DomainError("stored_reply_failed", message, status=503, details={
        "demand_id": demand.pk, "number": demand.number, "idempotency_key": key,
        "retry_after": RETRY_AFTER_SECONDS})


def _submit(request: HttpRequest, payload: DemandIn, photos: list[bytes]):
    user = actor(request)
    key = idempotency_key(request.headers.get("Idempotency-Key", ""))
    demand = demand_submit(actor=user, submission=submission_of(user, payload, photos), idempotency_key=key)
    if not hasattr(demand, "submitted_event"):  # a retry answered with the first demand
        return Status(201, _detail(user, demand.pk))
    try:
        return Status(201, submitted(user, demand))
    except Exception as exc:  # written and committed: never a 500 that invites a second demand
        logger.exception("demand %s was stored, its reply failed", demand.pk)
        raise stored_without_reply(demand, key) from exc


@demands_router.post("", response={201: DemandDetailOut, 503: ErrorOut, **WRITE_ERRORS}, summary="提交诉求")
def submit_demand(request: HttpRequest, payload: DemandIn):
    """需要发生地的 demands.submit 权限（居民限本社区，工作人员限辖区）；代录另需 demands.enter_on_behalf
    并勾选 consent_recorded。请求头 `Idempotency-Key` 可防止重复提交：重试返回同一条诉求（同样是 201），
    同一个键配不同内容返回 409 idempotency_key_reused。要附照片请用 `POST /demands/multipart`。"""
    return _submit(request, payload, [])


@demands_router.post("/multipart", response={201: DemandDetailOut, 503: ErrorOut, **WRITE_ERRORS}, summary="提交诉求（附照片）")
def submit_demand_multipart(request: HttpRequest, payload: Form[DemandIn],
                            photos: File[list[UploadedFile]] = None):
    """multipart/form-data：字段同 `POST /demands`，另可附最多 9 个名为 photos 的文件（JPEG、PNG 或
    WebP，每张不超过 10 MB；按内容而非扩展名识别，位置信息等 EXIF 会被去除）。"""
    # Read one byte past the limit: enough to refuse an oversized file without loading all of it.
    raws = [upload.read(MAX_BYTES + 1) for upload in (photos or [])]
    return _submit(request, payload, raws)


@demands_router.get("/suggest", response={200: SuggestOut, **COMMON_ERRORS}, summary="提交前的类别建议与相似诉求")
def suggest(request: HttpRequest, query: Query[SuggestQuery]):
    """根据正在填写的内容建议类别（含置信度）；给出 area 时另列出您可查看的相似诉求，同社区在前。"""
    user = actor(request)
    require(user, "demands.submit", message="您没有提交诉求的权限。")
    category, confidence, ranked = intake.suggest_category(query.text)
    similar = []
    if query.area is not None:
        area = visible_or_404(areas.areas_visible_to(user), query.area, "找不到该区域，或您无权查看。")
        similar = _similar(intake.similar_demands(query.text, area, visible=demands.demands_visible_to(user)))
    return {"category": category, "confidence": confidence, "similar": similar,
            "ranked": [{"category": c, "confidence": conf} for c, conf in ranked[:3]],
            "notice": "已有相似诉求" if similar else ""}


def _similar(found) -> list[dict]:
    return [{"id": d.pk, "number": d.number, "text": d.text, "status": d.status, "status_label": d.get_status_display(),
             "category": d.category, "area": d.area, "similarity": round(score, 3), "same_area": same}
            for d, score, same in found]


# ---- reading --------------------------------------------------------------------------------------------

def _filter(query: DemandQuery) -> demands.ListFilter:
    return demands.ListFilter(status=query.status or "", category=query.category, channel=query.channel or "",
                              start=query.start, end=query.end, level=query.level or "")


@demands_router.get("", response={200: page_of(DemandOut), **COMMON_ERRORS}, summary="诉求列表")
def list_demands(request: HttpRequest, query: Query[DemandQuery]):
    """您可查看的诉求（demands.view：居民只看自己的，工作人员看辖区的），新的在前。"""
    qs = demands.demands_filter(demands.demands_visible_to(actor(request)), _filter(query), under=query.under)
    return paginate(qs.order_by("-created_at", "-pk"), query)


@demands_router.get("/inbox", response={200: page_of(InboxItemOut), **COMMON_ERRORS}, summary="待筛选诉求")
def inbox(request: HttpRequest, query: Query[InboxQuery]):
    """等您这一级筛选的诉求（demands.screen）：先按紧急程度，再按筛选期限排序；overdue 表示已超期。
    below=true 时另含下级社区待筛选的诉求，供街道、区督办。"""
    user = actor(request)
    require(user, "demands.screen", message="您没有筛选诉求的权限。")
    qs = areas.under_area(demands.screening_inbox(user, below=query.below), query.under)
    if query.overdue is not None:
        qs = qs.filter(overdue=query.overdue)
    return paginate(qs, query)


def _detail(user, demand_id: int) -> Demand:
    demand = visible_or_404(demands.with_outcome_records(demands.demands_visible_to(user)), demand_id)
    return _decorate(user, demand)


def _decorate(user, demand: Demand, *, events: list | None = None, photos: list | None = None) -> Demand:
    """What the detail adds to the row: timeline, photos, similar demands. A demand just submitted passes its
    event and photos (nothing to read back); its submitter may see it (entered_by, demands_visible_to)."""
    demand.timeline = timeline_lines(demand, events, caller=user)
    demand.photos_list = [{"id": p.pk, "content_type": p.content_type, "width": p.width, "height": p.height,
                           "size": p.size, "url": (url := reverse("api:demand_photo", args=[demand.pk, p.pk])),
                           "thumbnail_url": f"{url}?size=thumb"}
                          for p in (demand.photos.all() if photos is None else photos)]
    demand.similar = []
    if has_perm(user, "demands.screen", demand):
        demand.similar = _similar(intake.similar_demands(demand.text, demand.area, exclude_id=demand.pk,
                                                         visible=demands.demands_visible_to(user)))
    return demand


@demands_router.get("/{int:demand_id}", response={200: DemandDetailOut, **COMMON_ERRORS}, summary="诉求详情")
def get_demand(request: HttpRequest, demand_id: int):
    """含时间线（通俗中文）、照片和筛选结果；诉求人姓名脱敏。"""
    return _detail(actor(request), demand_id)


@demands_router.get("/{int:demand_id}/photos/{int:photo_id}", url_name="demand_photo",
                    response={200: None, **COMMON_ERRORS}, summary="下载诉求照片",
                    openapi_extra={"responses": {200: {"description": "图片", "content": {
                        "image/*": {"schema": {"type": "string", "format": "binary"}}}}}})
def get_photo(request: HttpRequest, demand_id: int, photo_id: int, size: Literal["full", "thumb"] = "full"):
    """`size=thumb`：缩略图（JPEG，长边不超过 320 像素）。"""
    demand = visible_or_404(demands.demands_visible_to(actor(request)), demand_id)
    photo = visible_or_404(demand.photos.all(), photo_id, "找不到该照片。")
    if size == "thumb" and thumbnail_ensure(photo, "image"):
        return FileResponse(photo.thumbnail.open("rb"), content_type="image/jpeg")
    return FileResponse(photo.image.open("rb"), content_type=photo.content_type)


# ---- screening ------------------------------------------------------------------------------------------

def _handler(demand: Demand, payload: ScreeningIn):
    if payload.handler_id is None:
        return None, None
    role = handler_candidates(demand.area, demand.screening_path).filter(person_id=payload.handler_id).first()
    if role is None:
        raise NotFound("找不到该经办人：须是该地或上级的工作人员，或承办单位经办人。")
    return role.person, role.organization


def _decision(user, demand: Demand, payload: ScreeningIn) -> Decision:
    handler, organization = _handler(demand, payload)
    if payload.organization_id is not None and (organization is None or organization.pk != payload.organization_id):
        organization = visible_or_404(areas.organizations_visible_to(user), payload.organization_id,
                                      "找不到该单位，或您无权查看。")
    refs = {}
    if payload.level_area_id is not None:
        refs["level_area"] = visible_or_404(areas.areas_visible_to(user), payload.level_area_id,
                                            "找不到该区域，或您无权查看。")
    if payload.topic_id is not None:
        refs["topic"] = visible_or_404(open_topics_covering(demand.area), payload.topic_id,
                                       "找不到该议题：只能并入覆盖发生地、尚未结束的议题。")
    if payload.template_code:
        refs["template"] = ProcessTemplate.objects.filter(code=payload.template_code, is_active=True).first()
        if refs["template"] is None:
            raise DomainError("invalid_template", "找不到该议事规则模板，或它已停用。", details={"field": "template_code"})
    if payload.rejection_rule_id is not None:
        refs["rejection_rule"] = visible_or_404(demands.consultation_rules_active(), payload.rejection_rule_id,
                                                "找不到该协商目录条目，或它已停用。")
    if payload.dispute_type_id is not None:
        refs["dispute_type"] = visible_or_404(mediation_selectors.dispute_types(), payload.dispute_type_id,
                                              "找不到该纠纷类型。")
    return Decision(outcome=payload.outcome, reason=payload.reason, nature=payload.nature,
                    level_reason=payload.level_reason, topic_title=payload.topic_title, handler=handler,
                    organization=organization, deadline=payload.deadline, **refs)


@demands_router.post("/{int:demand_id}/screen", response={200: DemandDetailOut, **WRITE_ERRORS}, summary="筛选诉求")
def screen_demand(request: HttpRequest, demand_id: int, payload: ScreeningIn):
    """需要筛选层级的 demands.screen 权限。结果五选一：topic（公共事务，新建或并入议题）、handling（经办人
    和期限）、mediation（理由）、escalate（提请上级，理由）、reject（“不议”依据和理由）。两人同时筛选时
    只有一人成功，另一人得到 409 already_screened；expected_status 不填时按您读取时的状态判断。"""
    user = actor(request)
    demand = demand_for_screening(user, demand_id)
    decision = _decision(user, demand, payload)
    demand_screen(actor=user, demand=demand, decision=decision,
                  expected_status=payload.expected_status or demand.status)
    return _detail(user, demand_id)


@demands_router.post("/merge", response={200: MergeOut, **WRITE_ERRORS}, summary="合并重复诉求")
def merge_demands(request: HttpRequest, payload: MergeIn):
    """把多条重复诉求并入主诉求（全部成功或全部不变）；每条都须在您的筛选范围内。"""
    user = actor(request)
    primary = demand_for_screening(user, payload.primary_id)
    duplicates = [demand_for_screening(user, pk) for pk in dict.fromkeys(payload.duplicate_ids)]
    merged = demand_merge(actor=user, primary=primary, duplicates=duplicates, reason=payload.reason)
    visible = demands.demands_visible_to(user)
    return {"primary": visible.get(pk=primary.pk),
            "merged": list(visible.filter(pk__in=[d.pk for d in merged]).order_by("pk"))}


# ---- the three lists ------------------------------------------------------------------------------------

def _three_list(request: HttpRequest, kind: str, query: ListQuery):
    if kind not in demands.LISTS:
        raise NotFound("没有这张清单：可选 problem（问题清单）、need（需求清单）、responsibility（责任清单）。")
    qs = demands.three_list(actor(request), kind, f=_filter(query))
    return demands.with_outcome_records(areas.under_area(qs, query.under))


@lists_router.get("/{kind}.xlsx", response={200: None, **COMMON_ERRORS}, summary="导出三张清单（XLSX）",
                  openapi_extra={"responses": {200: {"description": "XLSX 文件", "content": {
                      XLSX: {"schema": {"type": "string", "format": "binary"}}}}}})
def export_list(request: HttpRequest, kind: str, query: Query[ListQuery]):
    """需要 demands.export 权限；筛选条件同列表（分页参数忽略），导出全部符合条件的诉求。"""
    require(actor(request), "demands.export", message="您没有导出三张清单的权限。")
    qs = _three_list(request, kind, query)
    response = HttpResponse(exports.three_list_xlsx(qs, kind), content_type=XLSX)
    label = str(demands.LISTS[kind][0])  # a lazy label: the file is a record, named in the site's language
    response["Content-Disposition"] = f"attachment; filename=\"{kind}.xlsx\"; filename*=UTF-8''{quote(label)}.xlsx"
    return response


@lists_router.get("/{kind}", response={200: cursor_page_of(ListItemOut), **COMMON_ERRORS}, summary="三张清单")
def three_list(request: HttpRequest, kind: str, query: Query[ListQuery]):
    """problem 问题清单、need 需求清单（按类别归入）、responsibility 责任清单（已转议题、交办或调解的，
    含责任人和期限）。范围同 demands.view；可按状态、类别、渠道、区域、时间段、办理层级筛选。新的在前；
    翻页时把响应的 next_after 作为 after 传回，深页也一样快（只给 page 时按偏移读取）。"""
    return paginate_keyset(_three_list(request, kind, query), query)


# ---- the caller's own pages, public topics, catalogues ---------------------------------------------------

@me_router.get("/demands", response={200: page_of(DemandOut), **COMMON_ERRORS}, summary="我的诉求")
def my_demands(request: HttpRequest, query: Query[PageQuery]):
    """我提交的、以及工作人员为我代录的诉求；时间线见 `GET /demands/{id}`。"""
    return paginate(demands.my_demands(actor(request)).select_related("reporter", "screening_area", "level_area"),
                    query)


@me_router.get("/notifications", response={200: page_of(NotificationOut), **COMMON_ERRORS}, summary="我的消息")
def my_notifications(request: HttpRequest, query: Query[PageQuery]):
    person = areas.person_for_user(actor(request))
    if person is None:
        return {"count": 0, "page": query.page, "page_size": query.page_size, "items": []}
    return paginate(notifications_for(person), query)


@communities_router.get("/{int:community_id}/topics", response={200: page_of(PublicTopicOut), **COMMON_ERRORS},
                        summary="社区议题公示")
def community_topics(request: HttpRequest, community_id: int, query: Query[PageQuery]):
    """社区的议题及其状态（不含提议人）。本社区的居民和在本社区或其上级工作的人员均可查看；
    其他人得到 404。"""
    community = areas.community_within_reach(actor(request), community_id)
    if community is None:
        raise NotFound("找不到该社区，或您不在该社区。")
    return paginate(topics_of_community(community), query)


@catalogue_router.get("/categories", response={200: list[CategoryOut], **COMMON_ERRORS}, summary="诉求类别")
def categories(request: HttpRequest):
    """启用中的类别目录；code 即 Open311 的 service_code。"""
    return list(demands.categories_active())


@catalogue_router.get("/consultation-rules", response={200: list[ConsultationRuleOut], **COMMON_ERRORS},
                      summary="协商目录（五议五不议）")
def consultation_rules(request: HttpRequest, kind: str | None = None):
    """kind=deliberate 只列“议”，kind=exclude 只列“不议”。随系统提供的示例条目标有 is_example。"""
    return list(demands.consultation_rules_active(kind))


router.add_router("/demands", demands_router)
router.add_router("/lists", lists_router)
router.add_router("/me", me_router)
router.add_router("/communities", communities_router)
router.add_router("", catalogue_router)
