"""Mediation (调解) through the API, mounted at /api/v1/mediation. Confidential (人民调解法 art. 15): a case
exists only for its parties, its mediators and the supervising staff of its area and above — anyone else gets
404 and empty lists. Parties' details are masked for everyone but the mediators and supervising staff."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from ninja import File, Query, Router, Status, UploadedFile

from yishiting.api.access import visible_or_404
from yishiting.api.auth import actor
from yishiting.api.pagination import page_of, paginate
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.mediation import (
    AgreementDocumentOut,
    AgreementIn,
    ApplyIn,
    AttemptIn,
    CaseDetailOut,
    CaseIn,
    CaseMemberIn,
    CaseOut,
    CaseQuery,
    CaseRatingIn,
    CaseRatingOut,
    CaseReasonIn,
    CaseWithdrawIn,
    CheckIn,
    CommitteeIn,
    CommitteeOut,
    ConfirmationIn,
    ConsentIn,
    DisputeTypeOut,
    DossierRef,
    FailIn,
    HearingIn,
    MediatorIn,
    PartyIn,
    RefuseIn,
    RemindOut,
    SignIn,
    StatementIn,
    VisitIn,
)
from yishiting.areas import selectors as areas
from yishiting.areas.models import Household, Organization, Person
from yishiting.mediation import selectors, services
from yishiting.mediation.models import Agreement, MediationCase

from .mediation_detail import case_detail, committee_out

router = Router(tags=["调解"])
NOT_FOUND = "找不到该调解案件。"


def _case(request: HttpRequest, case_id: int) -> MediationCase:
    return visible_or_404(selectors.cases_visible_to(actor(request)), case_id, NOT_FOUND)


def _detail(request: HttpRequest, case_id: int) -> dict:
    case = selectors.case_for(actor(request), case_id)
    if case is None:
        return visible_or_404(MediationCase.objects.none(), case_id, NOT_FOUND)
    return case_detail(actor(request), case)


def _party(case: MediationCase, party_id: int | None):
    return visible_or_404(case.parties.all(), party_id, "找不到该当事人。") if party_id is not None else None


def _person(person_id: int | None) -> Person | None:
    # Any person: whether they may be a mediator or party the service says, without telling anything about them.
    return visible_or_404(Person.objects.all(), person_id, "找不到该人员。") if person_id is not None else None


def _party_input(payload: PartyIn) -> services.PartyInput:
    return services.PartyInput(
        side=payload.side, kind=payload.kind, person=_person(payload.person_id),
        household=visible_or_404(Household.objects.all(), payload.household_id, "找不到该住户。")
        if payload.household_id else None,
        organization=visible_or_404(Organization.objects.filter(is_active=True), payload.organization_id,
                                    "找不到该单位。") if payload.organization_id else None,
        name=payload.name, mobile=payload.mobile, address=payload.address, statement=payload.statement)


def _dispute_type(type_id: int | None):
    return visible_or_404(selectors.dispute_types(), type_id, "找不到该纠纷类型。") if type_id else None


# ---- reads ----

@router.get("/dispute-types", response={200: list[DisputeTypeOut], **COMMON_ERRORS}, summary="纠纷类型")
def dispute_types(request: HttpRequest):
    """在用的纠纷类型（邻里、物业、婚姻家庭、房屋土地、劳务、消费 …），由管理员维护。"""
    actor(request)
    return list(selectors.dispute_types())


@router.get("/cases", response={200: page_of(CaseOut), **COMMON_ERRORS}, summary="调解案件列表")
def list_cases(request: HttpRequest, query: Query[CaseQuery]):
    """调用者能看到的案件：本人是当事人、在任调解员，或本辖区（及上级）的社区两委、街道和区级干部。
    其他居民看到的是空列表。可按状态、层级、区域、纠纷类型筛选，新案在前。"""
    user = actor(request)
    under = visible_or_404(areas.areas_visible_to(user), query.under) if query.under else None
    cases = selectors.cases_filter(selectors.cases_visible_to(user), status=query.status, tier=query.tier,
                                   under=under, dispute_type=query.dispute_type)
    return paginate(cases.order_by("-created_at", "-pk"), query)


@router.get("/cases/{int:case_id}", response={200: CaseDetailOut, **COMMON_ERRORS}, summary="调解案件详情")
def get_case(request: HttpRequest, case_id: int):
    """当事人（脱敏规则见 PartyOut）、调解员、各次调解记录、协议、履行事项、回访；看不到的案件返回 404。"""
    return _detail(request, case_id)


@router.get("/cases/{int:case_id}/agreement/document", response={200: AgreementDocumentOut, **COMMON_ERRORS},
            summary="调解协议书内容")
def agreement_document(request: HttpRequest, case_id: int):
    """打印调解协议书所需的全部内容（人民调解法第二十九条），当事人信息不脱敏。"""
    document = selectors.agreement_document(_case(request, case_id))
    if document is None:
        return visible_or_404(MediationCase.objects.none(), case_id, "该案件还没有调解协议。")
    return document


# ---- opening, parties, mediators ----

@router.post("/cases", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="立案（调解员主动调解）")
def open_case(request: HttpRequest, payload: CaseIn):
    """覆盖该区域的人民调解委员会成员，或社区两委、街道和区级干部直接立案，可同时登记当事人。"""
    user = actor(request)
    case = services.case_open(actor=user, area=visible_or_404(areas.areas_visible_to(user), payload.area_id),
                              title=payload.title, dispute_type=_dispute_type(payload.dispute_type_id),
                              hearing=payload.hearing, parties=[_party_input(p) for p in payload.parties])
    return Status(201, _detail(request, case.pk))


@router.post("/cases/apply", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="申请调解")
def apply(request: HttpRequest, payload: ApplyIn):
    """居民申请调解：本人为申请人（申请即表示同意调解），写明事实和请求以及被申请人。"""
    user = actor(request)
    case = services.case_apply(actor=user, area=visible_or_404(areas.areas_visible_to(user), payload.area_id),
                               title=payload.title, statement=payload.statement,
                               respondent=_party_input(payload.respondent),
                               dispute_type=_dispute_type(payload.dispute_type_id), hearing=payload.hearing)
    return Status(201, _detail(request, case.pk))


@router.post("/cases/{int:case_id}/parties", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="登记当事人")
def add_party(request: HttpRequest, case_id: int, payload: PartyIn):
    services.party_add(actor=actor(request), case=_case(request, case_id), party=_party_input(payload))
    return Status(201, _detail(request, case_id))


@router.post("/cases/{int:case_id}/parties/{int:party_id}/statement", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="记录当事人陈述")
def state(request: HttpRequest, case_id: int, party_id: int, payload: StatementIn):
    case = _case(request, case_id)
    services.party_state(actor=actor(request), case=case, party=_party(case, party_id), statement=payload.statement)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/parties/{int:party_id}/consent", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="当事人是否同意调解")
def consent(request: HttpRequest, case_id: int, party_id: int, payload: ConsentIn):
    """人民调解以自愿为原则（第十七条）：当事人一方明确拒绝调解的，不得调解——案件结案并记录告知的其他途径。"""
    case = _case(request, case_id)
    services.party_consent(actor=actor(request), case=case, party=_party(case, party_id), agreed=payload.agreed,
                           note=payload.note, guidance=payload.guidance)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/hearing", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="公开或不公开调解")
def hearing(request: HttpRequest, case_id: int, payload: HearingIn):
    case = _case(request, case_id)
    services.case_set_hearing(actor=actor(request), case=case, hearing=payload.hearing,
                              party=_party(case, payload.party_id))
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/mediators", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="指派调解员")
def assign(request: HttpRequest, case_id: int, payload: MediatorIn):
    """社区两委、街道和区级干部指派覆盖该区域的调解委员会成员；当事人可以选定调解员（第十九条）。"""
    case = _case(request, case_id)
    services.mediator_assign(actor=actor(request), case=case, person=_person(payload.person_id), lead=payload.lead,
                             chosen_by=_party(case, payload.chosen_by_party_id))
    return Status(201, _detail(request, case_id))


@router.post("/cases/{int:case_id}/mediators/{int:mediator_id}/refuse", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="当事人拒绝调解员")
def refuse(request: HttpRequest, case_id: int, mediator_id: int, payload: RefuseIn):
    case = _case(request, case_id)
    services.mediator_refuse(actor=actor(request), case=case, party=_party(case, payload.party_id),
                             mediator=visible_or_404(case.mediators.all(), mediator_id, "找不到该调解员。"),
                             reason=payload.reason)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/mediators/{int:mediator_id}/step-aside",
             response={200: CaseDetailOut, **WRITE_ERRORS}, summary="调解员回避")
def step_aside(request: HttpRequest, case_id: int, mediator_id: int, payload: CaseReasonIn):
    case = _case(request, case_id)
    services.mediator_step_aside(actor=actor(request), case=case, reason=payload.reason,
                                 mediator=visible_or_404(case.mediators.all(), mediator_id, "找不到该调解员。"))
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/accept", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="受理")
def accept(request: HttpRequest, case_id: int):
    """调解员受理（待受理 → 调解中）：须已登记双方当事人且都同意调解。诉求此时计为已响应。"""
    services.case_accept(actor=actor(request), case=_case(request, case_id))
    return _detail(request, case_id)


# ---- the tiers ----

@router.post("/cases/{int:case_id}/attempts", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="记录一次调解")
def record_attempt(request: HttpRequest, case_id: int, payload: AttemptIn):
    """当前层级的一次调解：日期、地点、调解员、到场当事人、双方陈述和结果。达成协议 → 已达成协议；本级最后一次
    未达成 → 按规则自动移交上一级（三二一）；最后一级的最后一次未达成 → 同时按调解不成结案（须填 guidance）。
    两人同时记录同一次时只有一个生效（另一个 409）。"""
    case = _case(request, case_id)
    services.attempt_record(
        actor=actor(request), case=case, held_on=payload.held_on, place=payload.place,
        mediators=[_person(pk) for pk in payload.mediator_ids],
        parties_present=[_party(case, pk) for pk in payload.party_ids], applicant_said=payload.applicant_said,
        respondent_said=payload.respondent_said, result=payload.result, note=payload.note, number=payload.number,
        ending=services.Ending(payload.guidance, payload.propose_topic, payload.proposal_note))
    return Status(201, _detail(request, case_id))


@router.post("/cases/{int:case_id}/escalate", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="移交上一级")
def escalate(request: HttpRequest, case_id: int, payload: CaseReasonIn):
    services.case_escalate(actor=actor(request), case=_case(request, case_id), reason=payload.reason)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/fail", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="调解不成结案")
def fail(request: HttpRequest, case_id: int, payload: FailIn):
    """调解不成：写明告知当事人的诉讼、仲裁、行政等途径（诉调对接）；涉及公共事务的可建议转为议题。"""
    services.case_fail(actor=actor(request), case=_case(request, case_id), guidance=payload.guidance,
                       propose_topic=payload.propose_topic, proposal_note=payload.proposal_note)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/withdraw", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="撤回")
def withdraw(request: HttpRequest, case_id: int, payload: CaseWithdrawIn):
    services.case_withdraw(actor=actor(request), case=_case(request, case_id), reason=payload.reason,
                           guidance=payload.guidance)
    return _detail(request, case_id)


# ---- the agreement and after ----

@router.post("/cases/{int:case_id}/agreement", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="拟写调解协议")
def draft(request: HttpRequest, case_id: int, payload: AgreementIn):
    """书面协议须写明主要事实、争议事项、各方责任、协议内容、履行方式和期限（第二十九条）；口头协议写明内容和
    调解员记录（第二十八条）。履行事项逐项写明义务人和期限。"""
    case = _case(request, case_id)
    services.agreement_draft(
        actor=actor(request), case=case, form=payload.form, content=payload.content, facts=payload.facts,
        disputed_points=payload.disputed_points, responsibilities=payload.responsibilities,
        performance=payload.performance, perform_by=payload.perform_by, oral_note=payload.oral_note,
        obligations=[services.ObligationInput(party=_party(case, o.party_id), text=o.text, due_on=o.due_on)
                     for o in payload.obligations])
    return Status(201, _detail(request, case_id))


def _agreement(case: MediationCase) -> Agreement:
    agreement = Agreement.objects.filter(case=case).first()
    return visible_or_404(Agreement.objects.none(), case.pk, "该案件还没有调解协议。") if agreement is None \
        else agreement


@router.post("/cases/{int:case_id}/agreement/signatures", response={201: CaseDetailOut, **WRITE_ERRORS},
             summary="登记签名或指印")
def sign(request: HttpRequest, case_id: int, payload: SignIn):
    """当事人本人确认签署，或调解员登记纸质协议上的签名（指印）。各方当事人和调解员签署、（书面协议）调解委员会
    盖章后协议生效，并提醒当事人 30 日内可共同申请司法确认（第三十三条）。"""
    case = _case(request, case_id)
    services.agreement_sign(actor=actor(request), agreement=_agreement(case), party=_party(case, payload.party_id),
                            mediator=_person(payload.mediator_id), method=payload.method, signed_on=payload.signed_on)
    return Status(201, _detail(request, case_id))


@router.post("/cases/{int:case_id}/agreement/stamp", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="调解委员会盖章")
def stamp(request: HttpRequest, case_id: int):
    services.agreement_stamp(actor=actor(request), agreement=_agreement(_case(request, case_id)))
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/agreement/scan", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="上传签署后的协议扫描件")
def scan(request: HttpRequest, case_id: int, file: File[UploadedFile]):
    """multipart/form-data，文件字段名 file（PDF 或图片，≤ 20 MB）；记录其 SHA-256。"""
    services.agreement_attach_scan(actor=actor(request), agreement=_agreement(_case(request, case_id)), file=file)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/agreement/abandon", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="协议未签署，继续调解")
def abandon(request: HttpRequest, case_id: int, payload: CaseReasonIn):
    services.agreement_abandon(actor=actor(request), case=_case(request, case_id), reason=payload.reason)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/agreement/confirmation", response={200: CaseDetailOut, **WRITE_ERRORS},
             summary="登记司法确认情况")
def confirmation(request: HttpRequest, case_id: int, payload: ConfirmationIn):
    services.agreement_confirmation_record(actor=actor(request), agreement=_agreement(_case(request, case_id)),
                                           result=payload.result, note=payload.note)
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/agreement/remind", response={200: RemindOut, **WRITE_ERRORS},
             summary="提醒申请司法确认")
def remind(request: HttpRequest, case_id: int):
    told = services.agreement_remind(actor=actor(request), agreement=_agreement(_case(request, case_id)))
    return {"told": told}


@router.post("/cases/{int:case_id}/obligations/{int:obligation_id}/check",
             response={200: CaseDetailOut, **WRITE_ERRORS}, summary="核实履行情况")
def check(request: HttpRequest, case_id: int, obligation_id: int, payload: CheckIn):
    """未履行的须写明情况；当事人会收到诉讼途径的告知（经司法确认的可申请强制执行）。"""
    agreement = _agreement(_case(request, case_id))
    services.obligation_check(actor=actor(request), performed=payload.performed, note=payload.note,
                              obligation=visible_or_404(agreement.obligations.all(), obligation_id, "找不到该履行事项。"))
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/visits", response={201: CaseDetailOut, **WRITE_ERRORS}, summary="记录回访")
def visit(request: HttpRequest, case_id: int, payload: VisitIn):
    services.visit_record(actor=actor(request), case=_case(request, case_id), visited_on=payload.visited_on,
                          note=payload.note, resolved=payload.resolved)
    return Status(201, _detail(request, case_id))


@router.post("/cases/{int:case_id}/close", response={200: CaseDetailOut, **WRITE_ERRORS}, summary="结案")
def close(request: HttpRequest, case_id: int):
    """协议已生效、履行事项已逐项核实、已回访后结案；关联诉求随之办结，诉求人和当事人收到评价邀请。"""
    services.case_close(actor=actor(request), case=_case(request, case_id))
    return _detail(request, case_id)


@router.post("/cases/{int:case_id}/rating", response={201: CaseRatingOut, **WRITE_ERRORS}, summary="评价调解工作")
def rate(request: HttpRequest, case_id: int, payload: CaseRatingIn):
    """诉求人和当事人在结案后（归档前）评价一次，计入满意率；不满意须写明意见。"""
    user = actor(request)
    rateable = MediationCase.objects.filter(
        Q(pk__in=selectors.cases_visible_to(user).values("pk"))
        | Q(pk__in=selectors.cases_to_rate(areas.person_for_user(user)).values("pk")))
    case = visible_or_404(rateable, case_id, NOT_FOUND)
    return Status(201, services.case_rate(actor=user, case=case, value=payload.value, comment=payload.comment))


@router.post("/cases/{int:case_id}/archive", response={201: DossierRef, **WRITE_ERRORS}, summary="归档（一事一档）")
def archive(request: HttpRequest, case_id: int):
    """社区两委、街道和区级干部归档已结案的案件；档案只记载纠纷类型、调解经过和结果，不记载当事人。"""
    return Status(201, services.case_archive(actor=actor(request), case=_case(request, case_id)))


# ---- committees ----

@router.get("/committees", response={200: list[CommitteeOut], **COMMON_ERRORS}, summary="人民调解委员会")
def committees(request: HttpRequest):
    return [committee_out(c) for c in selectors.committees_visible_to(actor(request))]


@router.post("/committees", response={201: CommitteeOut, **WRITE_ERRORS}, summary="成立人民调解委员会")
def create_committee(request: HttpRequest, payload: CommitteeIn):
    user = actor(request)
    committee = services.committee_create(actor=user, name=payload.name,
                                          area=visible_or_404(areas.areas_visible_to(user), payload.area_id))
    return Status(201, committee_out(committee))


@router.post("/committees/{int:committee_id}/members", response={201: CommitteeOut, **WRITE_ERRORS},
             summary="增加委员会成员")
def add_member(request: HttpRequest, committee_id: int, payload: CaseMemberIn):
    """成员身份：人民调解员、法治明白人、法律顾问、退休党员、专家、社区（街道）干部。"""
    committee = visible_or_404(selectors.committees_visible_to(actor(request)), committee_id, "找不到该调解委员会。")
    services.committee_member_add(actor=actor(request), committee=committee, person=_person(payload.person_id),
                                  kind=payload.kind, joined_on=payload.joined_on)
    return Status(201, committee_out(committee))


@router.post("/committees/{int:committee_id}/members/{int:member_id}/remove",
             response={200: CommitteeOut, **WRITE_ERRORS}, summary="成员退出委员会")
def remove_member(request: HttpRequest, committee_id: int, member_id: int):
    committee = visible_or_404(selectors.committees_visible_to(actor(request)), committee_id, "找不到该调解委员会。")
    services.committee_member_remove(actor=actor(request),
                                     member=visible_or_404(committee.members.all(), member_id, "找不到该成员。"))
    return committee_out(committee)
