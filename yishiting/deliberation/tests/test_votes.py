"""Vote services: opening, casting, paper ballots, proxies, show of hands, closing. Every bad input gets a
stable code and changes nothing; a secret ballot's choice is stored nowhere next to the voter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from yishiting.areas import services as areas
from yishiting.areas.choices import Role
from yishiting.common.errors import DomainError
from yishiting.common.events import events_of
from yishiting.common.models import Event
from yishiting.deliberation.choices import MeetingForm, MeetingStatus, OwnersMatter, VoteMethod, VoteRule
from yishiting.deliberation.models import Ballot, OptionCount, Proxy, Vote
from yishiting.deliberation.services import votes as services

from . import votes_world as make


@pytest.fixture
def estate(world):
    """幸福苑3栋 1单元: H1 89.50㎡ (the resident, now also its owner), H2 120.25㎡ (李业主, with a tenant),
    H5 100.00㎡ (co-owned by 王 and his wife)."""
    areas.role_assign(actor=None, person=world.people["resident"], role=Role.OWNER, area=world.areas["U1"])
    h5 = make.household(world.areas["U1"], "103", "100.00")
    people = {
        "li": make.owner(world, world.households["H2"], "李业主", mobile="13900000002"),
        "wang": make.owner(world, h5, "王业主", mobile="13900000005"),
        "wang_wife": make.owner(world, h5, "刘女士", mobile="13900000006"),
        "tenant": areas.person_create(actor=None, name="租户", household=world.households["H2"]),
    }
    make.make_user(world, "tenant", people["tenant"])
    areas.role_assign(actor=None, person=people["tenant"], role=Role.RESIDENT, area=world.areas["U1"])
    return {"H5": h5, **people}


@pytest.fixture
def owners_vote(world, estate):
    topic = make.topic(world)
    return services.vote_open(actor=world.users["community_secretary"], topic=topic, question="是否加装电梯",
                              method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.REBUILD,
                              scope_area=world.areas["B1"])


def user_of(person):
    return person.user


def refused(code: str, call, *args, **kwargs) -> DomainError:
    before = (Vote.objects.count(), Ballot.objects.count(), Proxy.objects.count(), Event.objects.count(),
              list(OptionCount.objects.values_list("count", flat=True)))
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code, caught.value.as_dict()
    after = (Vote.objects.count(), Ballot.objects.count(), Proxy.objects.count(), Event.objects.count(),
             list(OptionCount.objects.values_list("count", flat=True)))
    assert after == before, "a refused call changed something"
    return caught.value


# ---------------------------------------------------------------- opening


def test_an_owners_vote_opens_with_yes_no_abstain(world, owners_vote):
    assert owners_vote.options == ["同意", "反对", "弃权"] and owners_vote.status == "open"
    assert owners_vote.path == world.areas["C1"].path
    assert [e.kind for e in events_of(owners_vote)] == ["vote.opened"]


def test_opening_refuses_bad_input(world, estate):
    topic, staff = make.topic(world), world.users["community_secretary"]
    owners = {"topic": topic, "question": "加装电梯", "method": VoteMethod.OWNERS, "rule": VoteRule.ART278,
              "matter": OwnersMatter.REBUILD, "scope_area": world.areas["B1"]}
    assert refused("permission_denied", services.vote_open, actor=world.users["resident"], **owners).status == 403
    refused("invalid_rule", services.vote_open, actor=staff, **{**owners, "rule": VoteRule.MAJORITY})
    refused("invalid_matter", services.vote_open, actor=staff, **{**owners, "matter": ""})
    refused("invalid_scope", services.vote_open, actor=staff, **{**owners, "scope_area": world.areas["B2"]})
    refused("invalid_options", services.vote_open, actor=staff, **{**owners, "options": ["赞成", "不赞成"]})
    refused("required", services.vote_open, actor=staff, **{**owners, "question": " "})
    empty = make.unit(world, world.areas["B1"], "U9")
    refused("empty_electorate", services.vote_open, actor=staff, **{**owners, "scope_area": empty})
    named = {"topic": topic, "question": "通过方案", "method": VoteMethod.NAMED, "rule": VoteRule.MAJORITY}
    refused("meeting_required", services.vote_open, actor=staff, **named)
    planned = make.meeting(world, topic, status=MeetingStatus.PLANNED)
    refused("meeting_not_in_progress", services.vote_open, actor=staff, meeting=planned, **named)
    other = make.meeting(world, make.topic(world, title="另一议题"))
    refused("not_on_agenda", services.vote_open, actor=staff, meeting=other, **named)
    held = make.meeting(world, topic)
    refused("invalid_threshold", services.vote_open, actor=staff, meeting=held,
            **{**named, "rule": VoteRule.CUSTOM, "threshold_numerator": 4, "threshold_denominator": 3})
    refused("invalid_options", services.vote_open, actor=staff, meeting=held, **{**named, "options": ["甲", "甲"]})


# ---------------------------------------------------------------- owners' ballots


def test_an_owner_votes_for_their_unit_and_the_choice_is_kept(world, estate, owners_vote):
    ballot = services.vote_cast(actor=world.users["resident"], vote=owners_vote, choice="同意")
    assert ballot.household_id == world.households["H1"].pk and ballot.choice == "同意"
    assert ballot.channel == "online" and ballot.proxy_id is None
    event = events_of(ballot)[0]
    assert event.kind == "ballot.cast" and event.payload["choice"] == "同意"


def test_voting_twice_and_a_co_owner_after_are_refused(world, estate, owners_vote):
    services.vote_cast(actor=user_of(estate["wang"]), vote=owners_vote, choice="同意")
    error = refused("already_voted", services.vote_cast, actor=user_of(estate["wang"]), vote=owners_vote,
                    choice="反对")
    assert error.status == 409 and "每户只计一票" in error.message
    refused("already_voted", services.vote_cast, actor=user_of(estate["wang_wife"]), vote=owners_vote,
            choice="反对")


def test_outside_the_electorate(world, estate, owners_vote):
    refused("permission_denied", services.vote_cast, actor=user_of(estate["tenant"]), vote=owners_vote,
            choice="同意")  # lives there, sees the vote, owns nothing
    refused("not_found", services.vote_cast, actor=world.users["resident2"], vote=owners_vote, choice="同意")
    next_door = make.household(make.unit(world, make.building(world, world.areas["G1"], "B9"), "U9"), "101", "80.00")
    elsewhere = make.owner(world, next_door, "5栋业主")  # same estate, sees the vote, another building
    refused("out_of_scope", services.vote_cast, actor=user_of(elsewhere), vote=owners_vote, choice="同意")
    refused("permission_denied", services.vote_cast, actor=world.users["resident"], vote=owners_vote,
            choice="同意", household_id=estate["H5"].pk)  # someone else's unit
    refused("invalid_choice", services.vote_cast, actor=world.users["resident"], vote=owners_vote, choice="赞成")


def test_no_ballot_after_closing_or_after_the_deadline(world, estate, owners_vote):
    services.vote_close(actor=world.users["community_secretary"], vote=owners_vote)
    refused("vote_closed", services.vote_cast, actor=world.users["resident"], vote=owners_vote, choice="同意")
    refused("vote_closed", services.vote_close, actor=world.users["community_secretary"], vote=owners_vote)
    late = services.vote_open(actor=world.users["community_secretary"], topic=owners_vote.topic, question="第二轮",
                              method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.OTHER,
                              scope_area=world.areas["U1"], closes_at=timezone.now() + timedelta(hours=1))
    Vote.objects.filter(pk=late.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    late.refresh_from_db()
    assert "截止" in refused("vote_closed", services.vote_cast, actor=world.users["resident"], vote=late,
                             choice="同意").message


def test_a_multi_unit_owner_votes_all_units_the_same_way(world, estate, owners_vote):
    second = make.household(world.areas["U1"], "104", "95.00")
    make.owner(world, second, "李业主", mobile="13900000002", login=False)  # the same person, by mobile
    services.vote_cast(actor=user_of(estate["li"]), vote=owners_vote, choice="同意")
    refused("inconsistent_units", services.vote_cast, actor=user_of(estate["li"]), vote=owners_vote,
            choice="反对", household_id=second.pk)
    services.vote_cast(actor=user_of(estate["li"]), vote=owners_vote, choice="同意", household_id=second.pk)
    result = services.vote_close(actor=world.users["community_secretary"], vote=owners_vote).result
    assert result["total_units"] == 4 and result["total_owners"] == 3  # H1, 李 (H2+104), 王 (co-owned H5)
    assert result["participating_units"] == 2 and result["participating_owners"] == 1


# ---------------------------------------------------------------- proxies and paper ballots


def test_written_proxy_rules_and_the_holder_votes(world, estate, owners_vote):
    staff, li, neighbour = world.users["community_secretary"], estate["li"], estate["wang"]
    h2 = world.households["H2"].pk
    record = {"actor": staff, "vote": owners_vote, "household_id": h2, "document": "委托书 2026-001"}
    refused("proxy_self", services.proxy_record, grantor=li, holder=li, **record)
    refused("grantor_not_owner", services.proxy_record, grantor=estate["tenant"], holder=neighbour, **record)
    refused("permission_denied", services.proxy_record, **{**record, "actor": world.users["resident"]},
            grantor=li, holder=neighbour)
    proxy = services.proxy_record(grantor=li, holder=neighbour, **record)
    refused("proxy_exists", services.proxy_record, grantor=li, holder=estate["wang_wife"], **record)
    ballot = services.vote_cast(actor=user_of(neighbour), vote=owners_vote, choice="反对", household_id=h2)
    assert ballot.proxy_id == proxy.pk and ballot.voter_id == neighbour.pk and ballot.household_id == h2
    h1 = world.households["H1"].pk
    services.vote_cast(actor=world.users["resident"], vote=owners_vote, choice="同意")
    refused("already_voted", services.proxy_record, **{**record, "household_id": h1},
            grantor=world.people["resident"], holder=neighbour)


def test_paper_ballots_merge_with_online_ones_without_double_counting(world, estate, owners_vote):
    staff = world.users["community_secretary"]
    services.vote_cast(actor=world.users["resident"], vote=owners_vote, choice="同意")
    error = refused("already_voted", services.ballot_enter_paper, actor=staff, vote=owners_vote, choice="反对",
                    household_id=world.households["H1"].pk)
    assert "网上投票" in error.message
    paper = services.ballot_enter_paper(actor=staff, vote=owners_vote, choice="同意",
                                        household_id=world.households["H2"].pk)
    assert paper.channel == "paper" and paper.recorded_by == staff and paper.voter == estate["li"]
    refused("permission_denied", services.ballot_enter_paper, actor=world.users["resident"], vote=owners_vote,
            choice="同意", household_id=estate["H5"].pk)
    refused("already_voted", services.vote_cast, actor=user_of(estate["li"]), vote=owners_vote, choice="同意")
    result = services.vote_close(actor=staff, vote=owners_vote).result
    assert result["channels"] == {"online": 1, "paper": 1} and result["participating_units"] == 2


def test_closing_stores_a_result_to_check_by_hand(world, estate, owners_vote):
    for person in (world.people["resident"], estate["li"], estate["wang"]):
        services.vote_cast(actor=user_of(person), vote=owners_vote, choice="同意")
    closed = services.vote_close(actor=world.users["community_secretary"], vote=owners_vote)
    result = closed.result
    assert closed.status == "closed" and closed.closed_at is not None
    assert result["total_area"] == "309.75" and result["participating_area"] == "309.75"
    assert result["total_owners"] == 3 and result["owners"]["同意"] == 3 and result["passed"]
    assert result["thresholds"]["approval"]["fraction"] == "3/4"
    assert result["lines"][0] == "参与表决专有部分面积 309.75㎡ / 总面积 309.75㎡ = 100.00% ≥ 2/3，达到"
    assert [e.kind for e in events_of(closed)] == ["vote.opened", "vote.closed"]


# ---------------------------------------------------------------- meeting votes


@pytest.fixture
def held(world):
    topic = make.topic(world, scope=None, title="社区停车收费方案")
    meeting = make.meeting(world, topic)
    for name in ("resident", "grid_worker", "community_staff"):
        make.participant(meeting, world.people[name])
    make.participant(meeting, world.people["resident2"], signed_in=False)
    return topic, meeting


def test_a_secret_ballot_stores_that_a_person_voted_never_what(world, held):
    topic, meeting = held
    vote = services.vote_open(actor=world.users["community_secretary"], topic=topic, question="方案是否通过",
                              method=VoteMethod.SECRET, rule=VoteRule.TWO_THIRDS, meeting=meeting)
    for name, choice in (("resident", "同意"), ("grid_worker", "同意"), ("community_staff", "反对")):
        services.vote_cast(actor=world.users[name], vote=vote, choice=choice)
    assert set(Ballot.objects.filter(vote=vote).values_list("choice", flat=True)) == {""}
    assert dict(OptionCount.objects.filter(vote=vote).values_list("option", "count")) == {
        "同意": 2, "反对": 1, "弃权": 0}
    ballot_events = Event.objects.filter(kind="ballot.cast", payload__vote=vote.pk)
    assert ballot_events.count() == 3 and all("choice" not in e.payload for e in ballot_events)
    refused("already_voted", services.vote_cast, actor=world.users["resident"], vote=vote, choice="反对")
    assert "签到" in refused("permission_denied", services.vote_cast, actor=world.users["resident2"], vote=vote,
                            choice="同意").message  # invited, not signed in
    refused("permission_denied", services.vote_cast, actor=world.users["community_secretary"], vote=vote,
            choice="同意")  # present in the room but not a participant
    result = services.vote_close(actor=world.users["community_secretary"], vote=vote).result
    assert result["present"] == 3 and result["counts"]["同意"] == 2 and result["passed"]  # 2/3 exactly


def test_an_online_meeting_lets_every_invited_participant_vote(world, held):
    topic, _ = held
    online = make.meeting(world, topic, form=MeetingForm.ONLINE, status=MeetingStatus.PLANNED)
    make.participant(online, world.people["resident2"], signed_in=False)
    vote = services.vote_open(actor=world.users["community_secretary"], topic=topic, question="网上表决",
                              method=VoteMethod.NAMED, rule=VoteRule.MAJORITY, meeting=online)
    ballot = services.vote_cast(actor=world.users["resident2"], vote=vote, choice="同意")
    assert ballot.choice == "同意" and ballot.household_id is None


def test_show_of_hands_counts_cannot_exceed_those_present(world, held):
    topic, meeting = held
    staff = world.users["community_secretary"]
    vote = services.vote_open(actor=staff, topic=topic, question="举手表决", method=VoteMethod.HANDS,
                              rule=VoteRule.MAJORITY, meeting=meeting)
    refused("hands_missing", services.vote_close, actor=staff, vote=vote)
    refused("hands_only", services.vote_cast, actor=world.users["resident"], vote=vote, choice="同意")
    refused("hands_exceed", services.hands_record, actor=staff, vote=vote, counts={"同意": 3, "反对": 1})
    refused("invalid_choice", services.hands_record, actor=staff, vote=vote, counts={"赞成": 1})
    refused("invalid_counts", services.hands_record, actor=staff, vote=vote, counts={"同意": -1})
    services.hands_record(actor=staff, vote=vote, counts={"同意": 2, "反对": 1})
    result = services.vote_close(actor=staff, vote=vote).result
    assert result["present"] == 3 and result["counts"] == {"同意": 2, "反对": 1, "弃权": 0} and result["passed"]
