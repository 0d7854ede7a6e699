"""Self-registration and household claims: a newcomer registers with an SMS code, can report at once, claims
a household, and has a say for it only once the claim is verified (by staff, or by the owner list)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yishiting.accounts.models import User
from yishiting.accounts.services import account_register, sms_code_login, sms_code_send
from yishiting.areas import services as areas
from yishiting.areas.choices import ClaimRelation, ClaimStatus, Role
from yishiting.areas.claims import (
    household_claim_approve,
    household_claim_reject,
    household_claim_submit,
    household_claim_withdraw,
)
from yishiting.areas.models import HouseholdClaim, Person, RoleAssignment
from yishiting.areas.selectors import claim_buildings, claims_to_verify
from yishiting.common.errors import DomainError
from yishiting.common.events import events_of
from yishiting.common.models import AuditEntry, Event
from yishiting.common.rules import has_perm
from yishiting.deliberation.choices import OwnersMatter, VoteMethod, VoteRule
from yishiting.deliberation.selectors.votes import owners_tally_input, unit_owners
from yishiting.deliberation.services import votes
from yishiting.deliberation.tests import votes_world as make
from yishiting.demands.services import Submission, demand_submit

NEW_MOBILE = "13700000001"


def code_sent(outbox, mobile: str) -> str:
    return outbox[-1].text.split("验证码是 ")[1][:6]


def register(outbox, *, mobile: str = NEW_MOBILE, name: str = "马新民") -> User:
    sms_code_send(mobile=mobile, purpose="register")
    return account_register(mobile=mobile, code=code_sent(outbox, mobile), name=name)


def refused(expected: str, call, *args, **kwargs) -> DomainError:
    before = (User.objects.count(), Person.objects.count(), HouseholdClaim.objects.count(),
              RoleAssignment.objects.filter(is_active=True).count(),
              list(HouseholdClaim.objects.order_by("pk").values_list("status", flat=True)))
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == expected, caught.value.as_dict()
    after = (User.objects.count(), Person.objects.count(), HouseholdClaim.objects.count(),
             RoleAssignment.objects.filter(is_active=True).count(),
             list(HouseholdClaim.objects.order_by("pk").values_list("status", flat=True)))
    assert after == before, "a refused call changed something"
    return caught.value


@pytest.fixture
def h6(world):
    """A household of 幸福苑3栋 1单元 with nobody on record."""
    return areas.household_create(actor=None, unit=world.areas["U1"], number="106", exclusive_area=Decimal("88.00"))


@pytest.fixture
def li(world):
    """李业主, on the imported owner list of H2 (no login)."""
    return make.owner(world, world.households["H2"], "李业主", mobile="13900000002", login=False)


# ---------------------------------------------------------------- registration


def test_register_creates_a_login_and_a_person_who_may_report_at_once(world, messages_outbox, settings):
    settings.SMS_CODE_RESEND_SECONDS = 0
    user = register(messages_outbox)
    person = Person.objects.get(user=user)
    assert (user.username, user.has_usable_password()) == (NEW_MOBILE, False)
    assert (person.name, person.mobile, person.household_id) == ("马新民", NEW_MOBILE, None)
    assert str(person) == "马**"  # masked to others as usual
    assert "注册验证码" in messages_outbox[0].text
    assert [e.kind for e in events_of(person)] == ["person.created", "role.assigned", "account.registered"]
    # No household yet: the place is picked on the form — anywhere in the district.
    demand = demand_submit(actor=user, submission=Submission(text="幸福苑3栋门口路灯不亮", area=world.areas["B3"]))
    assert demand.reporter_id == person.pk
    # The same code logs in next time.
    sms_code_send(mobile=NEW_MOBILE)
    assert sms_code_login(mobile=NEW_MOBILE, code=code_sent(messages_outbox, NEW_MOBILE)) == user


def test_a_registered_number_is_sent_to_log_in(world, messages_outbox):
    refused("already_registered", sms_code_send, mobile="13800000001", purpose="register")
    assert messages_outbox == []
    register(messages_outbox)
    error = refused("already_registered", account_register, mobile=NEW_MOBILE, code="123456", name="马新民")
    assert "请直接用短信验证码登录" in error.message


def test_wrong_or_missing_input_registers_nobody(world, messages_outbox):
    refused("invalid_mobile", sms_code_send, mobile="12345", purpose="register")
    sms_code_send(mobile=NEW_MOBILE, purpose="register")
    refused("invalid_code", account_register, mobile=NEW_MOBILE, code="000000" if "000000" not in
            messages_outbox[-1].text else "111111", name="马新民")
    refused("invalid_name", account_register, mobile=NEW_MOBILE, code=code_sent(messages_outbox, NEW_MOBILE), name=" ")
    refused("too_frequent", sms_code_send, mobile=NEW_MOBILE, purpose="register")


def test_wrong_codes_lock_registration_like_login(world, messages_outbox, settings):
    sms_code_send(mobile=NEW_MOBILE, purpose="register")
    good = code_sent(messages_outbox, NEW_MOBILE)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(settings.LOGIN_MAX_FAILURES):
        refused("invalid_code", account_register, mobile=NEW_MOBILE, code=wrong, name="马新民")
    error = refused("locked", account_register, mobile=NEW_MOBILE, code=good, name="马新民")
    assert "分钟后再试" in error.message
    assert AuditEntry.objects.filter(username=NEW_MOBILE, outcome=AuditEntry.Outcome.LOCKED).exists()


# ---------------------------------------------------------------- claims


def test_a_claim_waits_for_staff_and_approval_gives_the_household(world, messages_outbox, h6):
    user = register(messages_outbox)
    claim = household_claim_submit(actor=user, household=h6, relation=ClaimRelation.TENANT)
    person = Person.objects.get(user=user)
    assert claim.status == ClaimStatus.PENDING and person.household_id is None
    assert list(claims_to_verify(world.users["grid_worker"])) == [claim]
    assert household_claim_submit(actor=user, household=h6, relation=ClaimRelation.TENANT) == claim  # a retry
    household_claim_approve(actor=world.users["grid_worker"], claim=claim)
    person.refresh_from_db()
    assert person.household_id == h6.pk and person.area_id == world.areas["U1"].pk
    roles = {(r.role, r.title) for r in person.roles.filter(is_active=True)}
    assert roles == {(Role.RESIDENT, "租户")}  # the registrant role ends: a resident of their own community
    assert [e.kind for e in events_of(claim)] == ["household_claim.submitted", "household_claim.approved"]
    again = household_claim_approve(actor=world.users["community_staff"], claim=claim)  # a retry changes nothing
    assert again.decided_by == world.users["grid_worker"]
    assert Event.objects.filter(kind="household_claim.approved").count() == 1


def test_an_owner_on_the_owner_list_is_verified_at_once(world, messages_outbox, li):
    user = register(messages_outbox, mobile="13900000002", name="李业主")
    claim = household_claim_submit(actor=user, household=world.households["H2"], relation=ClaimRelation.OWNER)
    assert claim.status == ClaimStatus.APPROVED and claim.auto_verified and claim.decided_by is None
    person = Person.objects.get(user=user)
    assert person.roles.filter(role=Role.OWNER, is_active=True, area=world.areas["U1"]).exists()
    assert events_of(claim)[1].payload["auto"] is True


def test_a_different_name_or_mobile_is_not_auto_verified(world, messages_outbox, li):
    user = register(messages_outbox, name="李业主")  # the name, not the number, of the owner on record
    claim = household_claim_submit(actor=user, household=world.households["H2"], relation=ClaimRelation.OWNER)
    assert claim.status == ClaimStatus.PENDING


def test_a_pending_owner_claim_cannot_vote_and_approval_grants_the_vote(world, messages_outbox, h6, li):
    user = register(messages_outbox)
    claim = household_claim_submit(actor=user, household=h6, relation=ClaimRelation.OWNER)
    vote = votes.vote_open(actor=world.users["community_secretary"], topic=make.topic(world), question="是否加装电梯",
                           method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.REBUILD,
                           scope_area=world.areas["B1"])
    for household_id in (None, h6.pk):
        with pytest.raises(DomainError) as caught:
            votes.vote_cast(actor=user, vote=vote, choice="同意", household_id=household_id)
        assert caught.value.status in (400, 403, 404)
    assert not vote.ballots.exists()
    # Nor does a pending claim count in the electorate or as an owner who could give a proxy.
    path = world.areas["B1"].path
    assert unit_owners(h6.pk, path) == []
    assert h6.pk not in {row.household_id for row in owners_tally_input(vote)[0]}
    household_claim_approve(actor=world.users["community_staff"], claim=claim)
    person = Person.objects.get(user=user)
    assert unit_owners(h6.pk, path) == [(person.pk, NEW_MOBILE)]
    user = User.objects.get(pk=user.pk)  # a fresh request
    ballot = votes.vote_cast(actor=user, vote=vote, choice="同意")
    assert ballot.household_id == h6.pk


def test_reject_needs_a_reason_and_the_person_may_claim_again(world, messages_outbox, h6):
    user = register(messages_outbox)
    claim = household_claim_submit(actor=user, household=h6, relation=ClaimRelation.FAMILY)
    refused("reason_required", household_claim_reject, actor=world.users["community_staff"], claim=claim, reason=" ")
    claim = household_claim_reject(actor=world.users["community_staff"], claim=claim, reason="经核实该户无此家庭成员")
    assert (claim.status, claim.reason) == (ClaimStatus.REJECTED, "经核实该户无此家庭成员")
    refused("stale_state", household_claim_approve, actor=world.users["grid_worker"], claim=claim)
    assert not Person.objects.get(user=user).household_id
    second = household_claim_submit(actor=user, household=world.households["H2"], relation=ClaimRelation.TENANT)
    assert second.status == ClaimStatus.PENDING


def test_one_open_claim_per_person_and_withdraw(world, messages_outbox, h6):
    user = register(messages_outbox)
    claim = household_claim_submit(actor=user, household=h6, relation=ClaimRelation.TENANT)
    refused("claim_open", household_claim_submit, actor=user, household=world.households["H2"],
            relation=ClaimRelation.TENANT)
    refused("invalid_choice", household_claim_submit, actor=user, household=h6, relation="landlord")
    refused("not_found", household_claim_withdraw, actor=world.users["resident"], claim=claim)
    assert household_claim_withdraw(actor=user, claim=claim).status == ClaimStatus.WITHDRAWN
    refused("stale_state", household_claim_approve, actor=world.users["grid_worker"], claim=claim)
    refused("has_household", household_claim_submit, actor=world.users["resident"], household=h6,
            relation=ClaimRelation.TENANT)


# ---------------------------------------------------------------- who may verify: role × scope

VERIFY_MATRIX = [
    # persona, claim in U1 (under G1, C1, S1), claim in U3 (another street)
    ("grid_worker", True, False),
    ("community_staff", True, False),
    ("community_secretary", True, False),
    ("street_official", False, False),
    ("district_official", False, False),
    ("handler", False, False),
    ("resident", False, False),
    ("admin", True, True),
]


@pytest.mark.parametrize(("persona", "here", "elsewhere"), VERIFY_MATRIX)
def test_who_may_verify_a_claim(world, messages_outbox, persona, here, elsewhere):
    user = register(messages_outbox)
    in_u1 = household_claim_submit(actor=user, household=world.households["H2"], relation=ClaimRelation.TENANT)
    other = register(messages_outbox, mobile="13700000002", name="牛新民")
    in_u3 = household_claim_submit(actor=other, household=world.households["H4"], relation=ClaimRelation.TENANT)
    verifier = world.users[persona]
    assert has_perm(verifier, "households.verify_claim", in_u1) is here
    assert has_perm(verifier, "households.verify_claim", in_u3) is elsewhere
    assert set(claims_to_verify(verifier)) == {c for c, ok in ((in_u1, here), (in_u3, elsewhere)) if ok}
    if not here:
        refused("not_found", household_claim_approve, actor=verifier, claim=in_u1)


def test_nobody_verifies_their_own_claim(world, messages_outbox, h6):
    staff = world.users["community_staff"]
    claim = household_claim_submit(actor=staff, household=h6, relation=ClaimRelation.TENANT)
    refused("permission_denied", household_claim_approve, actor=staff, claim=claim)
    assert claim not in claims_to_verify(staff)


def test_building_search_by_estate_and_building_names_or_pinyin(world):
    b1 = world.areas["B1"]  # 幸福苑小区 / 幸福苑3栋
    for term in ["幸福苑3", "xfy3", "幸福苑小区", "xfyxq", "3栋"]:
        assert b1 in claim_buildings(term), term
    assert claim_buildings("湖滨") == [world.areas["B3"]]
    assert claim_buildings("") == [] and claim_buildings("不存在的楼") == []


def test_a_family_phone_does_not_vote_for_the_owner_before_the_claim_is_verified(world, messages_outbox, li):
    """李业主's daughter registers with his phone under her own name: no auto-verify, and no vote for his unit
    through the shared number (the mobile links one owner's units only for an owner on record)."""
    user = register(messages_outbox, mobile="13900000002", name="李小妹")
    claim = household_claim_submit(actor=user, household=world.households["H2"], relation=ClaimRelation.FAMILY)
    assert claim.status == ClaimStatus.PENDING
    vote = votes.vote_open(actor=world.users["community_secretary"], topic=make.topic(world), question="是否加装电梯",
                           method=VoteMethod.OWNERS, rule=VoteRule.ART278, matter=OwnersMatter.REBUILD,
                           scope_area=world.areas["B1"])
    with pytest.raises(DomainError):
        votes.vote_cast(actor=user, vote=vote, choice="同意", household_id=world.households["H2"].pk)
    assert not vote.ballots.exists()


def test_the_demo_rebuilds_after_someone_claimed_one_of_its_households(db, messages_outbox):
    from yishiting.areas.demo import demo_build
    from yishiting.areas.models import Household

    demo_build(seed=2026, streets=1, communities_per_street=1)
    user = register(messages_outbox)
    claim = household_claim_submit(actor=user, household=Household.objects.first(), relation=ClaimRelation.TENANT)
    assert claim.status == ClaimStatus.PENDING
    assert demo_build(seed=2026, force=True, streets=1, communities_per_street=1).built
    assert not HouseholdClaim.objects.exists() and Person.objects.filter(user=user).exists()
