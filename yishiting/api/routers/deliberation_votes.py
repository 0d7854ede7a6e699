"""Votes (表决) through the API: open, cast a ballot, paper ballots, written proxies, show-of-hands counts,
close, and the result with every figure needed to check it by hand. Mounted at /api/v1/votes."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from yishiting.api.access import require, visible_or_404
from yishiting.api.auth import actor
from yishiting.api.schemas.common import COMMON_ERRORS, WRITE_ERRORS
from yishiting.api.schemas.deliberation_votes import (
    BallotIn,
    BallotOut,
    HandsIn,
    PaperBallotIn,
    ProxyIn,
    ProxyOut,
    ResultOut,
    VoteIn,
    VoteOut,
)
from yishiting.areas import selectors as areas
from yishiting.common.errors import Conflict, NotFound
from yishiting.deliberation.choices import VoteMethod, VoteStatus
from yishiting.deliberation.models import Meeting, Vote
from yishiting.deliberation.selectors import votes as selectors
from yishiting.deliberation.selectors.topics import topics_visible_to
from yishiting.deliberation.services import votes as services

router = Router(tags=["表决"])


def _vote(request: HttpRequest, vote_id: int) -> Vote:
    return visible_or_404(selectors.votes_visible_to(actor(request)), vote_id)


def _staff_vote(request: HttpRequest, vote_id: int) -> Vote:
    """A vote the caller runs (before looking anyone up for it)."""
    vote = _vote(request, vote_id)
    require(actor(request), "deliberation.votes", vote, "只有本级或上级的社区两委、街道和区级干部可以录入纸质票和委托。")
    return vote


def _detail(user, vote: Vote) -> Vote:
    vote.ballot_total = selectors.ballot_count(vote)
    if vote.method != VoteMethod.SECRET or vote.status == VoteStatus.CLOSED:
        vote.live_counts = selectors.live_counts(vote)
    vote.mine = selectors.my_ballot(vote, areas.person_for_user(user))
    return vote


@router.post("", response={201: VoteOut, **WRITE_ERRORS}, summary="发起表决")
def open_vote(request: HttpRequest, payload: VoteIn):
    """会议表决（举手、记名、无记名；出席人数过半数、三分之二以上或自定义比例）或业主共同决定（民法典第二百七十八条，
    按专有部分面积和业主人数“双过”计票）。由本级或上级的社区两委、街道和区级干部发起。"""
    user = actor(request)
    topic = visible_or_404(topics_visible_to(user), payload.topic_id, "找不到该议题。")
    meeting = visible_or_404(Meeting.objects.all(), payload.meeting_id, "找不到该会议。") \
        if payload.meeting_id else None
    scope = visible_or_404(areas.areas_visible_to(user), payload.scope_area_id) if payload.scope_area_id else None
    vote = services.vote_open(
        actor=user, topic=topic, question=payload.question, method=payload.method, rule=payload.rule,
        options=payload.options, meeting=meeting, matter=payload.matter, scope_area=scope,
        threshold_numerator=payload.threshold_numerator, threshold_denominator=payload.threshold_denominator,
        closes_at=payload.closes_at)
    return Status(201, _detail(user, _vote(request, vote.pk)))


@router.get("/{int:vote_id}", response={200: VoteOut, **COMMON_ERRORS}, summary="表决详情")
def get_vote(request: HttpRequest, vote_id: int):
    """含已投票数、各选项票数（无记名投票结束后才公布）、本人是否已投票，结束后含完整计票结果。"""
    return _detail(actor(request), _vote(request, vote_id))


@router.post("/{int:vote_id}/ballots", response={201: BallotOut, **WRITE_ERRORS}, summary="投票")
def cast(request: HttpRequest, vote_id: int, payload: BallotIn):
    """会议表决：已签到的参会人员（网上议事：受邀人员）每人一票。业主共同决定：该户业主或持有书面委托的受托人，
    每户一票；同一业主的多户须作相同表决。重复投票、表决结束后投票均返回 409。"""
    vote = selectors.vote_for_cast(vote_id)
    if vote is None:
        raise NotFound()
    ballot = services.vote_cast(actor=actor(request), vote=vote, choice=payload.choice,
                                household_id=payload.household_id)
    return Status(201, ballot)


@router.post("/{int:vote_id}/paper-ballots", response={201: BallotOut, **WRITE_ERRORS}, summary="录入纸质票")
def paper_ballot(request: HttpRequest, vote_id: int, payload: PaperBallotIn):
    """工作人员录入纸质票；已网上投票的户再录入纸质票会被拒绝（409 already_voted），网上票与纸质票合并计票、不重复。"""
    user, vote = actor(request), _staff_vote(request, vote_id)
    voter = visible_or_404(areas.people_visible_to(user), payload.voter_id, "找不到该投票人。") \
        if payload.voter_id else None
    ballot = services.ballot_enter_paper(actor=user, vote=vote, choice=payload.choice,
                                         household_id=payload.household_id, voter=voter)
    return Status(201, ballot)


@router.post("/{int:vote_id}/proxies", response={201: ProxyOut, **WRITE_ERRORS}, summary="登记书面委托")
def record_proxy(request: HttpRequest, vote_id: int, payload: ProxyIn):
    """业主书面委托他人投票：委托人须为该户业主，不能委托给本人，每户一份，须在该户投票之前登记。"""
    user, vote = actor(request), _staff_vote(request, vote_id)
    people = areas.people_visible_to(user)
    grantor = visible_or_404(people, payload.grantor_id, "找不到委托人。")
    holder = visible_or_404(people, payload.holder_id, "找不到受托人。")
    proxy = services.proxy_record(actor=user, vote=vote, household_id=payload.household_id,
                                  grantor=grantor, holder=holder, document=payload.document)
    return Status(201, proxy)


@router.post("/{int:vote_id}/hands", response={200: VoteOut, **WRITE_ERRORS}, summary="登记举手人数")
def record_hands(request: HttpRequest, vote_id: int, payload: HandsIn):
    """举手表决：登记（或更正）各选项举手人数，合计不超过已签到的出席人数。"""
    user = actor(request)
    vote = services.hands_record(actor=user, vote=_vote(request, vote_id), counts=payload.counts)
    return _detail(user, _vote(request, vote.pk))


@router.post("/{int:vote_id}/close", response={200: VoteOut, **WRITE_ERRORS}, summary="结束表决")
def close(request: HttpRequest, vote_id: int):
    """结束表决并保存完整计票结果；此后不再接受任何选票。"""
    user = actor(request)
    vote = services.vote_close(actor=user, vote=_vote(request, vote_id))
    return _detail(user, _vote(request, vote.pk))


@router.get("/{int:vote_id}/result", response={200: ResultOut, **WRITE_ERRORS}, summary="计票结果")
def result(request: HttpRequest, vote_id: int):
    """已结束：保存的最终结果。投票中：即时计票（无记名投票结束后才公布）。业主共同决定列出总面积、总人数、
    参与和同意的面积与人数、门槛（分数与小数）和逐条中文说明，可逐项手工核对。"""
    vote = _vote(request, vote_id)
    if vote.status == VoteStatus.CLOSED:
        return ResultOut(vote_id=vote.pk, final=True, result=vote.result)
    if vote.method == VoteMethod.SECRET:
        raise Conflict("vote_open", "无记名投票结束后才公布计票结果。")
    return ResultOut(vote_id=vote.pk, final=False, result=selectors.vote_tally(vote))
