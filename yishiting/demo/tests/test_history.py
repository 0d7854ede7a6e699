"""The demo's history: every state of the loop is there, each persona finds their own items on their pages,
the event log verifies, and the same seed writes the same history.

The small district (1 street × 2 communities) with its history is built once for the module (about ten
seconds), twice in fact: the first build is rolled back after its demands are noted, to compare with the second.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client
from django.utils import timezone

from yishiting.accounts.models import User
from yishiting.areas.demo import demo_build
from yishiting.areas.models import Area
from yishiting.common.events import verify_chains
from yishiting.common.localcache import clear_all
from yishiting.common.reconcile import reconcile
from yishiting.common.testing import verify_clean
from yishiting.deliberation.choices import MeetingStatus, TopicStatus, VoteMethod, VoteStatus
from yishiting.deliberation.models import Meeting, Opinion, Topic, Venue, Vote
from yishiting.demands.choices import Status
from yishiting.demands.models import Demand
from yishiting.demo.history import demo_history_build
from yishiting.handling.choices import NoticeStatus, RoundStatus, TaskStatus
from yishiting.handling.models import Dossier, EvaluationRound, Notice, Objection, ProgressReport, Task
from yishiting.handling.models.supervision import Warning as TaskWarning

SEED = 2026
# One worker for the module (--dist loadgroup): its demo is built once a pass, not again each time the worker
# comes back to the module between other files' tests.
pytestmark = pytest.mark.xdist_group("demo-history")


def _demands() -> list[tuple[str, str, str]]:
    return list(Demand.objects.order_by("number").values_list("number", "text", "status"))


def _build():
    district = demo_build(seed=SEED, streets=1, communities_per_street=2).district
    return district, demo_history_build(district, seed=SEED)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The built demo with its history, shared by the module's tests and rolled back after them."""
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            _build()
            first = _demands()
            transaction.set_rollback(True)
        clear_all()  # the rolled-back rows fired no signal: forget the places cached by area key
        district, history = _build()
        yield {"district": district, "history": history, "first": first}
        transaction.set_rollback(True)
    clear_all()


@pytest.fixture
def as_persona(demo, db):
    def page(username: str, url: str) -> str:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 200, (username, url, response.status_code)
        return response.content.decode()
    return page


def test_same_seed_same_history(demo, db):
    again = _demands()
    assert again == demo["first"] and len(again) >= 20
    assert demo["history"].demand_numbers == [number for number, _, _ in again]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for _, text, _ in again)


def test_the_event_log_verifies(demo, db):
    problems = list(verify_chains())
    assert not problems, problems[:5]
    findings = list(reconcile())  # every row says what its events say, every object has its chain (issue 16)
    assert not findings, [str(f) for f in findings[:5]]
    out = verify_clean()  # and the command the operator runs exits 0 over the demo's data
    assert "全部校验通过" in out, out


def test_each_registered_model_of_the_demo_is_reconciled_against_its_events(demo, db):
    """Tamper the status of one row of every registered stateful model by raw SQL: each is named."""
    from django.apps import apps
    from django.db import connection

    from yishiting.common.reconcile import reconcile_rows, registered

    tampered = {}
    with transaction.atomic():
        for label in registered():
            model = apps.get_model(label)
            row = model.objects.order_by("pk").first()
            if row is None or not hasattr(row, "status"):
                continue
            other = next(v for v, _ in model._meta.get_field("status").choices if v != row.status)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {model._meta.db_table} SET status = %s WHERE id = %s", [other, row.pk])
            tampered[(label, str(row.pk))] = other
        named = {(f.subject_type, f.subject_id): str(f) for f in reconcile_rows()}
        transaction.set_rollback(True)
    assert len(tampered) >= 8, tampered  # demand, topic, meeting, vote, notice, review, round, task, …
    for subject, status in tampered.items():
        assert subject in named and f"表中：{status}" in named[subject], (subject, named.get(subject))
    assert set(named) == set(tampered)


def test_every_state_of_the_loop_is_there(demo, db):
    statuses = set(Demand.objects.values_list("status", flat=True))
    assert statuses >= {Status.PENDING, Status.TOPIC, Status.HANDLING, Status.MEDIATION, Status.ESCALATED,
                        Status.MERGED, Status.REJECTED}
    assert Demand.objects.filter(status=Status.REJECTED, rejection_rule__isnull=False).exists()
    assert set(Topic.objects.values_list("status", flat=True)) >= {
        TopicStatus.OPEN, TopicStatus.ANALYSING, TopicStatus.SCHEDULED, TopicStatus.DELIBERATING,
        TopicStatus.RESOLVED, TopicStatus.PUBLICISING, TopicStatus.HANDLING, TopicStatus.EVALUATING,
        TopicStatus.ARCHIVED}
    assert Opinion.objects.filter(topic__status=TopicStatus.OPEN).count() >= 3
    communities = Area.objects.filter(level__code="community")
    assert Venue.objects.filter(area__in=communities).count() == communities.count() == 2
    assert set(Meeting.objects.values_list("status", flat=True)) >= {
        MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS, MeetingStatus.CLOSED}
    assert Meeting.objects.get(status=MeetingStatus.PLANNED).participants.count() >= 5
    assert Vote.objects.filter(status=VoteStatus.OPEN, method=VoteMethod.OWNERS).exists()
    assert Vote.objects.filter(status=VoteStatus.OPEN, meeting__status=MeetingStatus.IN_PROGRESS).exists()
    assert set(Notice.objects.values_list("status", flat=True)) >= {
        NoticeStatus.DRAFT, NoticeStatus.PUBLISHED, NoticeStatus.COMPLETED}
    assert Objection.objects.filter(answered_at__isnull=False, notice__status=NoticeStatus.PUBLISHED).exists()
    assert set(Task.objects.values_list("status", flat=True)) >= {
        TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS, TaskStatus.CLOSED}
    assert ProgressReport.objects.filter(task__status=TaskStatus.IN_PROGRESS).count() >= 2
    assert TaskWarning.objects.filter(task__status=TaskStatus.IN_PROGRESS).exists()
    rounds = EvaluationRound.objects.all()
    assert {r.status for r in rounds} >= {RoundStatus.OPEN, RoundStatus.CLOSED}
    assert rounds.get(status=RoundStatus.OPEN).ratings.count() >= 2
    assert Dossier.objects.filter(topic__isnull=False).count() == 2
    assert Dossier.objects.filter(mediation__isnull=False).count() == 1


def test_the_resident_follows_their_demands_and_has_things_to_do(demo, as_persona):
    mine = as_persona("resident", "/demands/mine/")
    stages = set(re.findall(r'data-stage="([^"]+)"', mine))  # where each of the resident's matters stands now
    assert len(stages) >= 3 and any(s.startswith("topic.") for s in stages), stages
    topics = as_persona("resident", "/topics/")
    assert "垃圾分类投放点调整" in topics and "加装电梯" in topics
    vote = Vote.objects.get(status=VoteStatus.OPEN, method=VoteMethod.OWNERS)
    assert vote.question in as_persona("resident", f"/topics/{vote.topic_id}/")
    rounds = as_persona("resident", "/evaluations/")
    assert "电梯更换主机" in rounds


def test_the_handler_has_tasks_waiting_in_progress_and_overdue(demo, as_persona):
    page = as_persona("handler", "/tasks/mine/")
    for title in ("楼道消防设施检查和补配灭火器", "集中清理楼道堆物", "东侧电动车集中充电棚建设"):
        assert title in page
    assert "逾期" in page


def test_staff_and_officials_find_work_and_records(demo, as_persona):
    inbox = as_persona("community_staff", "/demands/inbox/")
    assert "窨井盖" in inbox and "楼道声控灯" in inbox
    assert "市政道路" in as_persona("street_official", "/demands/inbox/")
    assert "楼道照明改造" in as_persona("community_secretary", "/archive/")
    assert "楼道照明改造" in as_persona("resident", "/archive/")
    assert "议事厅" in as_persona("community_secretary", "/venues/")
    assert "广场舞噪音协调" in as_persona("community_secretary", "/meetings/")
    assert "路灯修复" in as_persona("district_official", "/notices/")


def test_the_command_reports_the_history_and_refuses_to_rebuild_it(demo, db, capsys):
    call_command("demo", "--streets", "1", "--communities", "2")
    out = capsys.readouterr().out
    assert "已存在" in out and "办理历史：诉求 " in out and "档案 2" in out and "调解案件 7" in out
    assert re.search(r"mediator +Yishiting@2026 +人民调解员 +幸福区/东风街道/幸福社区", out)
    for login, role in (("trust_committee", "信托基金业委会授权人"), ("whistle_property_company", "信托基金物业公司授权人"),
                        ("disclosure_committee", "业委会代表")):  # 信托制物业's desk people sign in (demo/trusts.py)
        assert re.search(rf"{login} +Yishiting@2026 +{role}", out), login
    with pytest.raises(CommandError, match="已有办理历史"):
        call_command("demo", "--streets", "1", "--communities", "2", "--force")
    assert Dossier.objects.count() == 3


def test_a_newcomers_claim_waits_for_the_community_and_demands_carry_site_photos(demo, as_persona):
    from yishiting.areas.choices import ClaimStatus
    from yishiting.areas.models import HouseholdClaim
    from yishiting.demands.models import DemandPhoto

    claim = HouseholdClaim.objects.select_related("person__user", "household").get(status=ClaimStatus.PENDING)
    assert claim.person.name == "林新" and claim.person.user is not None
    inbox = as_persona("community_staff", "/claims/inbox/")
    assert "林*" in inbox and claim.household.number in inbox and "林新" not in inbox
    photos = list(DemandPhoto.objects.select_related("demand").order_by("pk"))
    # the grid worker's patrol finding (网格工作, issue 20) became a demand carrying the patrol's photo
    assert len(photos) == 4 and len({p.demand_id for p in photos}) == 3
    elevator = next(p.demand for p in photos if p.demand.reporter.user.username == "resident")
    page = as_persona("resident", f"/demands/{elevator.pk}/")
    assert page.count(f"/demands/{elevator.pk}/photos/") >= 2
    client = Client()
    client.force_login(User.objects.get(username="resident"))
    thumb = client.get(f"/demands/{elevator.pk}/photos/{photos[0].pk}/thumb/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert b"".join(thumb.streaming_content if thumb.streaming else [thumb.content])[:2] == b"\xff\xd8"


def test_officials_find_the_indices_of_last_month_and_this_month(demo, as_persona):
    from yishiting.oversight.models import IndexKind, IndexSnapshot

    today = timezone.localdate()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    starts = set(IndexSnapshot.objects.filter(kind=IndexKind.FORTRESS).values_list("start", flat=True))
    # last month's and this month's, and whatever ended periods (a quarter, a year) the demo's own tick computed
    assert {last_month, this_month} <= starts
    assert IndexSnapshot.objects.filter(kind=IndexKind.PIONEER, value__gt=0).exists()
    ranking = as_persona("street_official", "/oversight/indices/")
    assert "社区委员会" in ranking
    assert "堡垒指数" in as_persona("community_secretary", "/oversight/indices/")


def test_every_community_has_a_mediation_committee_and_cases_stand_in_each_state(demo, db):
    from yishiting.mediation.choices import CaseStatus, MemberKind, Outcome, Tier
    from yishiting.mediation.models import CommitteeMember, MediationCase, MediationCommittee

    tiers = Area.objects.filter(level__code__in=["district", "street", "community"])
    assert set(MediationCommittee.objects.values_list("area_id", flat=True)) == set(tiers.values_list("pk", flat=True))
    persona = MediationCommittee.objects.get(area__name="幸福社区")
    assert set(CommitteeMember.objects.filter(committee=persona).values_list("kind", flat=True)) == {
        MemberKind.MEDIATOR, MemberKind.LEGAL_LITERATE, MemberKind.LEGAL_ADVISER}
    cases = {c.title: c for c in MediationCase.objects.all()}
    assert {c.status for c in cases.values()} == set(CaseStatus.values)
    assert cases["邻居家犬只夜间吠叫扰民"].status == CaseStatus.ARCHIVED
    assert cases["租客拖欠房租退房纠纷"].outcome == Outcome.REFUSED
    escalated = cases["装修损坏楼下墙面赔偿纠纷"]
    assert escalated.tier == Tier.STREET and escalated.attempts.count() == 4
    agreed = cases["车位被占用引发的邻里纠纷"]
    assert agreed.status == CaseStatus.AGREED and agreed.agreement.status == "effective"
    assert agreed.agreement.confirmation == "none"
    assert cases["楼上装修致卫生间顶棚开裂"].attempts.count() == 2
    assert MediationCase.objects.filter(status=CaseStatus.OPEN, mediators__isnull=True).exists()  # to assign


def test_the_mediator_walks_the_cases_and_each_persona_sees_only_theirs(demo, as_persona):
    mine = as_persona("mediator", "/mediation/")
    for title in ("楼上装修致卫生间顶棚开裂", "车位被占用引发的邻里纠纷", "空调外机噪音扰民"):
        assert title in mine
    from yishiting.mediation.models import MediationCase

    own = as_persona("resident", "/")  # a party finds its own cases on the home page
    assert "楼上装修致卫生间顶棚开裂" in own and "车位被占用" not in own
    client = Client()
    client.force_login(User.objects.get(username="resident"))
    other = MediationCase.objects.get(title="车位被占用引发的邻里纠纷")
    assert client.get(f"/mediation/{other.pk}/").status_code == 404
    assert "不再占用申请人车位" in as_persona("mediator", f"/mediation/{other.pk}/")  # the agreement's obligation
    assert "装修损坏楼下墙面赔偿纠纷" in as_persona("street_official", "/mediation/")
    inbox = as_persona("community_staff", "/mediation/")
    assert "漏水" in inbox and "邻居家犬只夜间吠叫扰民" in inbox  # the one to assign, and the archived one


def test_the_resident_has_points_hours_a_pickup_code_and_the_staff_the_totals(demo, as_persona):
    """积分、积分超市、时间银行 (issue 19): credited from the real apps' events by the tick — the elder's rating of
    the home visit, the activity and the post's shift; the neighbour's corrected hours are a correcting line."""
    from yishiting.ledgers.models import HourEntry, PointEntry

    points = as_persona("resident", "/points/")
    assert "志愿服务时长确认" in points and "兑换" in points
    market = as_persona("resident", "/points/market/")
    assert "待领取" in market and "已领取" in market and "上门理发一次" in market
    assert "志愿服务时长确认" in as_persona("resident", "/points/timebank/")
    assert "待您评价的上门服务" not in as_persona("neighbour3", "/volunteers/")  # the elder has rated both
    assert HourEntry.objects.filter(kind="corrected", hours=-1).count() == 1  # 3 h → 2 h, left early
    assert PointEntry.objects.filter(kind="earned", event__kind="wishes.wish_fulfilled").exists()
    assert PointEntry.objects.filter(kind="earned", event__kind="canteens.delivery_confirmed").exists()
    assert "社区合计" in as_persona("community_staff", "/points/staff/")


def test_the_service_menu_and_dual_registration_stand_in_each_state(demo, as_persona):
    """双报到 and the service menu (demo/participation.py): a rated order on the showcase, one being served in the
    party member's inbox, one escalated and one waiting on the staff's board, the unit's quarterly report."""
    from yishiting.participation.models import ServiceOrder, UnitRegistration

    states = set(ServiceOrder.objects.values_list("status", flat=True))
    assert {"rated", "accepted", "escalated", "submitted"} <= states
    home = as_persona("resident", "/participation/")
    assert "上门量血压" in home and "待您评价的服务" in home
    assert "上门量血压" in as_persona("party_member", "/participation/inbox/")
    board = as_persona("community_staff", "/participation/board/")
    assert "超时转社区" in board and "楼道灯坏了" in board
    showcase = Client().get("/participation/showcase/").content.decode()  # public: the provider masked
    assert "在职党员" in showcase and "*" in showcase
    unit = UnitRegistration.objects.order_by("pk").first()
    assert "好" in as_persona("community_staff", f"/participation/units/{unit.pk}/")


def test_officials_open_their_linked_community_and_the_deputy_follows_the_matters(demo, as_persona):
    """挂点联系 and 党代表联系群众 (demo/liaison.py): the official personas' linked community at a glance, the
    deputy's records with matters turned into demands, the staff's yearly count."""
    from yishiting.liaison.models import ContactRecord, LiaisonLink, RaisedMatter

    assert LiaisonLink.objects.filter(is_active=False).exists()
    for official in ("district_official", "street_official"):
        mine = as_persona(official, "/liaison/")
        assert "待筛选诉求" in mine and "最近的会议" in mine
    records = as_persona("deputy", "/liaison/records/")
    assert "接待日" in records and "座谈" in records
    converted = RaisedMatter.objects.filter(record__deputy__user__username="deputy").exclude(demand=None).first()
    assert converted.demand.number in as_persona("deputy", f"/liaison/records/{converted.record_id}/")
    assert ContactRecord.objects.exclude(deputy__user__username="deputy").exists()


def test_every_community_and_estate_has_its_standing_body_with_real_members(demo, db):
    """Issue 20: 社区党群议事会 convened by the community secretary, with its staff as secretary, grid workers,
    property and owners' representatives and residents; 小区居民议事会 per estate; some 楼栋居民议事小组."""
    from yishiting.areas.models import Area, RoleAssignment
    from yishiting.bodies.models import Body, Membership

    district = demo["district"]
    communities = Area.objects.filter(path__startswith=district.path, level__code="community")
    estates = Area.objects.filter(path__startswith=district.path, level__code="estate")
    bodies = Body.objects.filter(path__startswith=district.path)
    assert set(bodies.filter(kind__code="party_mass_council").values_list("area", flat=True)) == set(
        communities.values_list("pk", flat=True))
    assert bodies.filter(kind__code="estate_council").count() == estates.count()
    assert bodies.filter(kind__code="building_group").count() > 0
    for body in bodies.filter(kind__code="party_mass_council"):
        seats = Membership.objects.filter(body=body)
        convener = seats.get(role="convener")
        assert RoleAssignment.objects.filter(person=convener.person, role="community_secretary", is_active=True).exists()
        assert seats.filter(role="secretary").count() == 1 and seats.filter(organization__isnull=False).exists()
        assert seats.filter(person__roles__role__in=["resident", "owner"]).exists() and seats.count() >= 8


def test_the_demo_is_what_the_scheduled_tick_leaves(demo, db):
    """The builder ran `yishiting tick` once for every app: running it again for today adds no warning, no
    notification and no event (each part is idempotent and had nothing left to do)."""
    from django.utils import timezone

    from yishiting.common.models import Event
    from yishiting.handling.tick import tick_run
    from yishiting.notifications.models import Notification
    from yishiting.whistles.models import WhistleWarning

    before = (Event.objects.count(), Notification.objects.count(), TaskWarning.objects.count(),
              WhistleWarning.objects.count())
    tick_run(timezone.localdate())
    after = (Event.objects.count(), Notification.objects.count(), TaskWarning.objects.count(),
             WhistleWarning.objects.count())
    assert after == before
