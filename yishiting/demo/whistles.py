"""吹哨·应哨 in the demo (seed 003 Cenxi; Beijing 街乡吹哨、部门报到): four whistles on the persona estate, each at
a different point — one closed because its matter was handled (both units answered in time), one closed by the
community staff after the community police answered late (warned red by the daily tick, counted in its rating),
one open with the handler's unit reported and the property company still within its time, and one open and overdue
(the property company silent: warned, late on the overview). Written through the services, as the people
themselves; the units' own people (the estate's 物业项目经理, the community's 民警) are given accounts with unusable
passwords, as the neighbours are. Its own random stream keeps other stories' draws unchanged."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from django.contrib.auth.hashers import make_password

from yishiting.accounts.models import User
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.models import Organization, Person, RoleAssignment
from yishiting.demands.choices import Nature, Outcome
from yishiting.demands.screening import Decision, demand_screen
from yishiting.handling.services.tasks import task_accept, task_submit, task_verify
from yishiting.whistles import services as whistles
from yishiting.whistles.warnings import whistles_run

from .cast import Cast
from .steps import photo

TEXTS = [  # (what the whistle says, what the first unit did, what the second did) — {estate} filled in
    ("{estate}北门外夜市占道经营，油烟和噪音扰民，劝说无效，需执法队和物业到场处置",
     "已到场劝离占道摊贩，约定夜市迁入疏导点经营", "安排保安夜间巡查北门，劝导商户安装油烟净化器"),
    ("{estate}地下车库入口积水，电动车违规充电飞线，存在火灾隐患",
     "已断开飞线并登记车主，开展消防安全教育", "已清理积水，增设充电桩告示，安排每日巡查"),
    ("{estate}6栋外墙瓷砖脱落，楼下是老人活动区，需物业和街道尽快排险",
     "已到场查看，协调维修资金应急使用", ""),
    ("{estate}东侧围墙被人私自打开缺口，夜间有外来车辆穿行",
     "", ""),
]


def _account(person: Person, username: str) -> User:
    """The unit's own person acts through an account (unusable password: nobody signs in as them)."""
    if person.user_id:
        return User.objects.get(pk=person.user_id)
    user, _ = User.objects.get_or_create(username=username, defaults={"password": make_password(None)})
    person.user = user
    person.save(update_fields=["user"])
    return user


def _unit(cast: Cast, kind: str, area) -> tuple[Organization, User | None]:
    org = Organization.objects.filter(kind=kind, path__startswith=area.path).order_by("pk").first()
    role = (RoleAssignment.objects.filter(organization=org, role=Role.ORG_REPRESENTATIVE, is_active=True)
            .select_related("person").order_by("pk").first())
    return org, (_account(role.person, f"whistle_{kind}") if role else None)


def whistles_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    rng = random.Random("whistles")  # the story's own stream: other stories draw as before
    grid, staff, handler = cast.user("grid_worker"), cast.user("community_staff"), cast.user("handler")
    agency = cast.handler_org
    property_co, manager = _unit(cast, OrganizationKind.PROPERTY_COMPANY, cast.estate)
    police, officer = _unit(cast, OrganizationKind.COMMUNITY_POLICE, cast.community)
    texts = [tuple(t.format(**cast.places()) for t in row) for row in TEXTS]
    first, second, third, fourth = rng.sample(texts[:2], 2) + texts[2:]

    def answer(whistle, org, user, note, **kwargs):
        response = whistle.responses.get(organization=org)
        return whistles.response_record(actor=user, response=response, note=note, **kwargs)

    yield at(26, 8, 30)  # 1: answered in time, closed when the demand's task is closed
    w1 = whistles.whistle_blow(actor=grid, text=first[0], units=[agency, property_co], days=2, area=cast.estate)
    yield at(26, 10, 15)
    whistles.response_arrive(actor=handler, response=w1.responses.get(organization=agency))
    yield at(26, 16)
    answer(w1, agency, handler, first[1])
    yield at(25, 11)
    answer(w1, property_co, manager, first[2], photos=[photo(31)[1]])
    yield at(25, 15)
    demand = demand_screen(actor=staff, demand=w1.demand, decision=Decision(
        outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=cast.person("handler"),
        deadline=(at(25) + timedelta(days=10)).date()))
    task_accept(actor=handler, task=demand.task)
    yield at(22, 17)
    task_submit(actor=handler, task=demand.task, evidence=first[1], files=[photo(32)])
    yield at(21, 10)
    task_verify(actor=staff, task=demand.task, approve=True)
    yield at(20, 0, 35)
    _tick(at(20))  # the nightly tick closes the whistle with its matter

    yield at(16, 9)  # 2: the police answer late (warned red), staff close it
    w2 = whistles.whistle_blow(actor=staff, text=second[0], units=[police, property_co], days=2, area=cast.estate)
    yield at(15, 14)
    answer(w2, property_co, manager, second[2])
    for back in (14, 13, 11):  # the nights the police had not answered: yellow, then red, then escalated
        yield at(back, 0, 35)
        _tick(at(back))
    yield at(10, 10)
    answer(w2, police, officer, second[1])
    yield at(9, 16)
    whistles.whistle_close(actor=staff, whistle=w2, summary="隐患已排除，车库纳入物业每日巡查。")

    yield at(8, 9)  # 4: open and overdue, the property company silent
    whistles.whistle_blow(actor=grid, text=fourth[0], units=[property_co], days=2, area=cast.estate)

    yield at(1, 9, 20)  # 3: open, the handler's unit reported, the property company still in time
    w3 = whistles.whistle_blow(actor=grid, text=third[0], units=[agency, property_co], days=3, area=cast.estate)
    yield at(1, 11)
    whistles.response_arrive(actor=handler, response=w3.responses.get(organization=agency))
    yield at(1, 23, 50)
    _tick(at(1))  # the overdue one is warned red (and escalated)


def _tick(moment: datetime) -> None:
    """`yishiting tick`'s whistle part (the demo's nightly tick runs the handling stages only)."""
    whistles_run(today=moment.date())
