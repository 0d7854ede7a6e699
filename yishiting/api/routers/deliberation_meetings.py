"""Meetings (协商会议) through the API: venues, the plan (and a dry-run check against the template), the
invitation, cadence dates, sign-in, quorum, recorded steps, resolutions, closing and the minutes.
Mounted at /api/v1/meetings."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.deliberation_meetings import (
    CadenceOut,
    CadenceQuery,
    CancelIn,
    CheckOut,
    InviteeCandidateOut,
    InviteeQuery,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingQuery,
    MinutesOut,
    ParticipantAddIn,
    ParticipantAddOut,
    ParticipantOut,
    QuorumOut,
    ResolutionIn,
    ResolutionOut,
    SignInIn,
    StepIn,
    StepOut,
    VenueIn,
    VenueOut,
    VenueQuery,
    VenueUpdateIn,
    WithdrawIn,
)
from yishiting.areas import selectors as areas
from yishiting.areas.models import PATH_STEP, Person
from yishiting.common.errors import DomainError, NotFound
from yishiting.common.masking import mask_mobile, mask_name
from yishiting.common.rules import has_perm, scope_for
from yishiting.deliberation.choices import Cadence
from yishiting.deliberation.models import Meeting, ProcessTemplate, Venue
from yishiting.deliberation.selectors import meetings as selectors
from yishiting.deliberation.selectors.party_holders import missing_party_holders
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.services import meetings as services
from yishiting.deliberation.services import participants, procedure

router = Router(tags=["协商会议"])


# ---- helpers --------------------------------------------------------------------------------------------

def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    return visible_or_404(selectors.meetings_visible_to(actor(request)), meeting_id, "找不到该会议，或您无权查看。")


def _detail(user, meeting_id: int) -> Meeting:
    meeting = selectors.meeting_detail(meeting_id, user)
    if meeting is None:
        raise NotFound("找不到该会议，或您无权查看。")
    organiser = has_perm(user, "deliberation.manage", meeting)
    meeting.participant_list = list(meeting.participants.all())
    for p in meeting.participant_list:  # a code lets anyone sign in: only its owner and the organisers see it
        p.shown_code = p.sign_in_code if organiser or (p.person.user_id and p.person.user_id == user.pk) else None
    meeting.agenda_list, meeting.step_list = list(meeting.agenda.all()), list(meeting.steps.all())
    meeting.vote_list, meeting.resolution_list = list(meeting.votes.all()), list(meeting.resolutions.all())
    meeting.quorum_info = selectors.quorum(meeting)
    meeting.missing_party_list = selectors.missing_parties(meeting)
    return meeting


def _template(code: str) -> ProcessTemplate:
    template = ProcessTemplate.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise DomainError("invalid_choice", "没有该议事规则模板。", details={"field": "template_code"})
    return template


def _plan_args(user, payload: MeetingIn) -> dict:
    """Resolve the ids of a plan: topics within what the user may see (else 404); people among those the user
    may invite to the level (rules `deliberation.invite`; else 400 invitee_not_allowed, unknown ids alike)."""
    level_area = visible_or_404(areas.areas_visible_to(user), payload.level_area_id)
    require(user, "deliberation.manage", level_area, "只有本级或上级的社区两委、街道和区级干部可以安排协商会议。")
    people_ids = {i.person_id for i in payload.participants} | {payload.chair_id}
    services.require_invitable(user, level_area, sorted(people_ids))
    people = Person.objects.in_bulk(people_ids)
    topics = {t.pk: t for t in topics_visible_to(user).filter(pk__in=payload.topic_ids)}
    if set(payload.topic_ids) - set(topics):
        raise NotFound("找不到所选的议题，或您无权查看。",
                       details={"topics": sorted(set(payload.topic_ids) - set(topics))})
    venue = None
    if payload.venue_id is not None:
        venue = visible_or_404(_venues(user), payload.venue_id, "找不到该场所。")
    asked = _template(payload.template_code) if payload.template_code else None
    template = services.plan_template(list(topics.values()), level_area, asked)  # the area's, not chosen
    return {"form": payload.form, "template": template, "level_area": level_area,
            "venue": venue, "starts_at": payload.starts_at, "ends_at": payload.ends_at,
            "chair": people[payload.chair_id], "topics": [topics[pk] for pk in payload.topic_ids],
            "participants": [services.Invitee(people[i.person_id], i.party, i.is_council_member)
                             for i in payload.participants]}


def _venues(user):
    """Venues in the user's scope, and those above it (a community may meet in the street's hall)."""
    scope = scope_for(user, "deliberation.view")
    above = {p[:i] for p in scope.paths for i in range(PATH_STEP, len(p), PATH_STEP)}
    return Venue.objects.filter(scope.q("path") | Q(path__in=above)).select_related("area")


# ---- venues ---------------------------------------------------------------------------------------------

@router.get("/venues", response={200: page_of(VenueOut), **COMMON_ERRORS}, summary="议事场所")
def list_venues(request: HttpRequest, query: Query[VenueQuery]):
    """本人可见范围内的议事厅、议事站、议事点及其容纳人数。"""
    venues = _venues(actor(request))
    if query.area_id:
        venues = venues.filter(path__startswith=visible_or_404(areas.areas_visible_to(actor(request)),
                                                               query.area_id).path)
    return paginate(venues, query)


@router.post("/venues", response={201: VenueOut, **WRITE_ERRORS}, summary="登记议事场所")
def create_venue(request: HttpRequest, payload: VenueIn):
    """社区两委、街道和区级干部在本辖区登记场所（容纳人数至少 1）。"""
    user = actor(request)
    area = visible_or_404(areas.areas_visible_to(user), payload.area_id)
    return Status(201, services.venue_save(actor=user, name=payload.name, kind=payload.kind, area=area,
                                           capacity=payload.capacity, address=payload.address))


@router.put("/venues/{int:venue_id}", response={200: VenueOut, **WRITE_ERRORS}, summary="修改议事场所")
def update_venue(request: HttpRequest, venue_id: int, payload: VenueUpdateIn):
    """修改名称、类型、区域、容纳人数、地址，或停用场所。"""
    user = actor(request)
    venue = visible_or_404(_venues(user), venue_id, "找不到该场所。")
    require(user, "deliberation.venues", venue, "只有本级或上级的社区两委、街道和区级干部可以维护议事场所。")
    area = visible_or_404(areas.areas_visible_to(user), payload.area_id)
    return services.venue_save(actor=user, venue=venue, name=payload.name, kind=payload.kind, area=area,
                               capacity=payload.capacity, address=payload.address, is_active=payload.is_active)


# ---- plan and list --------------------------------------------------------------------------------------

@router.get("/cadence", response={200: CadenceOut, **COMMON_ERRORS}, summary="按议事周期推算日期")
def cadence(request: HttpRequest, query: Query[CadenceQuery]):
    """每月一次（同一天，月份较短时取月末）或“逢十议事”（10日、20日、30日，二月取月末）；不固定则为空。"""
    actor(request)
    template = _template(query.template)
    return {"template": template.code, "cadence": template.cadence, "cadence_label": str(Cadence(template.cadence).label),
            "dates": services.cadence_dates(template, query.start, query.count)}


@router.get("/invitees", response={200: list[InviteeCandidateOut], **COMMON_ERRORS}, summary="查找可邀请的人员")
def invitees(request: HttpRequest, query: Query[InviteeQuery]):
    """安排会议时查找参会人员（至多 20 人，本级区域的排在前面，脱敏）：本辖区的人员，以及上级区域的干部和本区的两代表一委员、驻区单位和
    “双报到”单位代表、法律顾问、专家、承办单位人员。其他社区的居民不在其中（须由共同的上级召集）。"""
    user = actor(request)
    level_area = visible_or_404(areas.areas_visible_to(user), query.level_area_id)
    require(user, "deliberation.manage", level_area, "只有本级或上级的社区两委、街道和区级干部可以安排协商会议。")
    return [_candidate(person, role) for person, role in selectors.invitee_search(user, level_area, query.q)]


def _candidate(person: Person, role) -> dict:
    return {"person_id": person.pk, "name": mask_name(person.name), "mobile": mask_mobile(person.mobile),
            "role": role.role if role else None, "role_label": role.get_role_display() if role else None,
            "title": role.title if role else "",
            "place": (role.organization.name if role.organization_id else role.area.name) if role else "",
            "party": selectors.suggested_party(role)}


@router.post("/check", response={200: CheckOut, **WRITE_ERRORS}, summary="核对会议安排（不保存）")
def check(request: HttpRequest, payload: MeetingIn):
    """按议事规则模板核对：会议形式、主持人层级、“1+8+N”缺少哪些方、人数范围、场所容量和时间冲突、提前通知天数、议题状态。"""
    user = actor(request)
    args = _plan_args(user, payload)
    report = services.meeting_check(**args)
    listed = [payload.chair_id, *(i.person_id for i in payload.participants)]
    holders = missing_party_holders(user, args["level_area"], args["topics"], listed, report.missing_parties,
                                    request=request, reason="api:plan_check")
    return {"ok": report.ok, "errors": report.errors, "warnings": report.warnings,
            "missing_parties": report.missing_parties, "size": report.size,
            "missing_party_candidates": [_missing_out(m) for m in holders]}


def _missing_out(m) -> dict:
    return {"party": m.party, "label": m.label, "holders": m.holders, "more": m.more,
            "none_text": "" if m.rows else m.none_text,
            "candidates": [{"person_id": r.pk, "name": r.name, "role_label": r.role_label,
                            "organization": r.organization, "place": r.place, "phone_tail": r.phone4}
                           for r in m.rows]}


@router.post("", response={201: MeetingDetailOut, **WRITE_ERRORS}, summary="安排协商会议")
def plan(request: HttpRequest, payload: MeetingIn):
    """核对不通过时返回全部问题（details.errors）；同一场所同一时段只能安排一次（409 venue_clash）。
    议程中的议题进入“已安排协商”，每位参会人员获得签到码。"""
    user = actor(request)
    meeting = services.meeting_plan(actor=user, title=payload.title, requirements=payload.requirements,
                                    **_plan_args(user, payload))
    return Status(201, _detail(user, meeting.pk))


@router.get("", response={200: page_of(MeetingOut), **COMMON_ERRORS}, summary="协商会议列表")
def list_meetings(request: HttpRequest, query: Query[MeetingQuery]):
    """本人可见的会议（辖区内的，以及本人受邀的），可按状态、形式、区域、日期、名称、议题筛选，最近的在前。"""
    user = actor(request)
    area_path = visible_or_404(areas.areas_visible_to(user), query.area_id).path if query.area_id else None
    meetings = selectors.meeting_search(selectors.meetings_visible_to(user), status=query.status, form=query.form,
                                        area_path=area_path, start=query.start, end=query.end, text=query.q,
                                        topic_id=query.topic_id)
    return paginate(meetings, query)


@router.get("/{int:meeting_id}", response={200: MeetingDetailOut, **COMMON_ERRORS}, summary="会议详情")
def get_meeting(request: HttpRequest, meeting_id: int):
    """议程、参会人员（脱敏）、会议记录、表决、决议、法定人数和核对提醒。"""
    return _detail(actor(request), meeting_id)


# ---- the meeting's course -------------------------------------------------------------------------------

@router.post("/{int:meeting_id}/notify", response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="通知参会人员")
def notify(request: HttpRequest, meeting_id: int):
    """站内消息和短信：时间、地点、议程和各自的签到码。重复调用不会重复通知。"""
    services.meeting_notify(actor=actor(request), meeting=_meeting(request, meeting_id))
    return _detail(actor(request), meeting_id)


@router.post("/{int:meeting_id}/participants", response={200: ParticipantAddOut, 201: ParticipantAddOut, **WRITE_ERRORS},
             summary="追加参会人员")
def add_participant(request: HttpRequest, meeting_id: int, payload: ParticipantAddIn):
    """会议开始前（已通知或未通知），本级或上级的社区两委、街道和区级干部可追加参会人员，可邀请的人与安排会议时相同
    （否则 400 invitee_not_allowed）。新增的人员获得自己的签到码；会议已发出通知的，立即以站内消息和短信通知本人。
    不超过模板的最多人数和场所容量（400 too_many / venue_too_small）；距开会不足模板规定的通知天数时仍可追加，
    返回 warnings（notice_too_short，“通知时间不足 N 天”，并记入会议的核对提醒）。已在名单中的人原样返回（200，
    不重复通知）；新增为 201。会议已开始、结束或取消：409 invalid_state。"""
    user, meeting = actor(request), _meeting(request, meeting_id)
    person = Person.objects.filter(pk=payload.person_id).first()
    if person is None:  # an unknown id answers like one out of reach (the plan's rule): nothing about who exists
        require(user, "deliberation.manage", meeting, "只有本级或上级的社区两委、街道和区级干部可以追加参会人员。")
        services.require_invitable(user, meeting.level_area, [payload.person_id])
    added = participants.participant_invite(actor=user, meeting=meeting, person=person, party=payload.party,
                                            is_council_member=payload.is_council_member)
    added.shown_code = added.sign_in_code  # the caller organises the meeting
    meeting.refresh_from_db(fields=["notified_at"])
    body = {"participant": added, "created": added.created, "notified": meeting.notified_at is not None,
            "warnings": added.warnings, "missing_parties": selectors.missing_parties(meeting)}
    return Status(201 if added.created else 200, body)


@router.post("/{int:meeting_id}/participants/{int:participant_id}/withdraw",
             response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="撤回参会邀请")
def withdraw_participant(request: HttpRequest, meeting_id: int, participant_id: int, payload: WithdrawIn):
    """会议开始前撤回对某人的邀请（须说明理由）：其签到码随即作废；会议已发出通知的，以站内消息和短信告知本人。
    已签到的人员（409 already_signed_in）和主持人（409 chair_not_withdrawable）不能撤回。返回更新后的会议，
    其中 missing_parties 为撤回后缺少的各方。"""
    user, meeting = actor(request), _meeting(request, meeting_id)
    participant = visible_or_404(meeting.participants.all(), participant_id, "找不到该参会人员，或其邀请已撤回。")
    participants.participant_withdraw(actor=user, meeting=meeting, participant=participant, reason=payload.reason)
    return _detail(user, meeting_id)


@router.post("/{int:meeting_id}/start", response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="开始会议")
def start(request: HttpRequest, meeting_id: int):
    """会议当天起可以开始；议程中的议题进入“协商中”。"""
    services.meeting_start(actor=actor(request), meeting=_meeting(request, meeting_id))
    return _detail(actor(request), meeting_id)


@router.post("/{int:meeting_id}/sign-in", response={200: ParticipantOut, **WRITE_ERRORS}, summary="签到")
def sign_in(request: HttpRequest, meeting_id: int, payload: SignInIn):
    """本人扫码（二维码内容即签到码）或由会议工作人员代签；只能在会议当天、会议结束前；重复签到不改变签到时间。"""
    participant = procedure.participant_sign_in(actor=actor(request), meeting=_meeting(request, meeting_id),
                                                code=payload.code)
    participant.shown_code = participant.sign_in_code  # the signer is its owner or an organiser
    return participant


@router.get("/{int:meeting_id}/quorum", response={200: QuorumOut, **COMMON_ERRORS}, summary="法定人数")
def get_quorum(request: HttpRequest, meeting_id: int):
    """到会的议事会成员与法定人数（如三分之二，向上取整），以及各方应到和实到人数。"""
    return selectors.quorum(_meeting(request, meeting_id))


@router.post("/{int:meeting_id}/steps", response={201: StepOut, **WRITE_ERRORS}, summary="记录会议环节")
def record_step(request: HttpRequest, meeting_id: int, payload: StepIn):
    """按顺序编号。自由发言须有发言人和代表方；只能在会议进行中记录（网上议事到截止时间为止）。"""
    user, meeting = actor(request), _meeting(request, meeting_id)
    speaker = topic = None
    if payload.speaker_id is not None:
        found = meeting.participants.select_related("person").filter(person_id=payload.speaker_id).first()
        speaker = found.person if found else visible_or_404(areas.people_visible_to(user), payload.speaker_id,
                                                            "找不到该发言人。")
    if payload.topic_id is not None:  # a topic on the agenda: a participant from elsewhere speaks to it too
        item = meeting.agenda.select_related("topic").filter(topic_id=payload.topic_id).first()
        topic = item.topic if item else visible_or_404(topics_visible_to(user), payload.topic_id, "找不到该议题。")
    step = procedure.step_record(actor=user, meeting=meeting, kind=payload.kind, text=payload.text,
                                 speaker=speaker, party=payload.party, topic=topic)
    return Status(201, step)


@router.post("/{int:meeting_id}/resolutions", response={201: ResolutionOut, **WRITE_ERRORS}, summary="形成决议")
def resolve(request: HttpRequest, meeting_id: int, payload: ResolutionIn):
    """议程中的议题每次会议一项决议，须达到法定人数；进入公示和办理、退回继续协商，或不再推进（须说明理由）。"""
    user, meeting = actor(request), _meeting(request, meeting_id)
    topic = visible_or_404(topics_visible_to(user), payload.topic_id, "找不到该议题。")
    resolution = procedure.resolution_record(actor=user, meeting=meeting, topic=topic, text=payload.text,
                                             next_step=payload.next_step, reason=payload.reason)
    return Status(201, resolution)


@router.post("/{int:meeting_id}/close", response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="结束会议")
def close(request: HttpRequest, meeting_id: int):
    """未形成决议的议题退回“分析研判”。"""
    services.meeting_close(actor=actor(request), meeting=_meeting(request, meeting_id))
    return _detail(actor(request), meeting_id)


@router.post("/{int:meeting_id}/cancel", response={200: MeetingDetailOut, **WRITE_ERRORS}, summary="取消会议")
def cancel(request: HttpRequest, meeting_id: int, payload: CancelIn):
    """尚未开始的会议可以取消（须说明理由）；议题退回“分析研判”，已通知的参会人员会收到取消通知。"""
    services.meeting_cancel(actor=actor(request), meeting=_meeting(request, meeting_id), reason=payload.reason)
    return _detail(actor(request), meeting_id)


@router.get("/{int:meeting_id}/minutes", response={200: MinutesOut, **COMMON_ERRORS}, summary="会议纪要")
def get_minutes(request: HttpRequest, meeting_id: int):
    """由会议记录生成：时间、地点、主持人、各方出席和缺席、逐个议题的来源、发言、表决结果和决议。"""
    meeting = selectors.meeting_detail(meeting_id, actor(request))
    if meeting is None:
        raise NotFound("找不到该会议，或您无权查看。")
    return selectors.minutes(meeting)
