"""A 党建联盟 at 幸福苑社区 (C1) beside the fixed personas (common.testing): three founding units with their
liaison party members (each with an account), 盟约 v1 adopted by their vote, and a fourth unit outside it."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from yishiting.alliances import services
from yishiting.alliances.choices import VoteMatter
from yishiting.alliances.models import Alliance, Member
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.services import organization_create, person_create, role_assign
from yishiting.common.testing import World, make_user

CLAUSES = ["资源共享：各成员单位开放会议室、活动场地。", "需求共商：每季度召开联席会，共商辖区事务。",
           "服务共担：成员单位认领季度任务，按期完成并提供佐证。"]
UNITS = [("unit_a", "市供电局党委", "市国资委党委", "林党员", "13900000001"),
         ("unit_b", "第一中学党支部", "区教育局党委", "高党员", "13900000002"),
         ("unit_c", "幸福苑派出所党支部", "区公安分局党委", "韩党员", "13900000003"),
         ("unit_d", "新华书店党支部", "市新华书店党委", "卢党员", "13900000004")]


@dataclass
class Setup:
    alliance: Alliance
    members: dict[str, Member] = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    people: dict = field(default_factory=dict)


def unit(world: World, key: str, name: str, superior: str, liaison: str, mobile: str, area: str = "C1"):
    parent = organization_create(actor=None, kind=OrganizationKind.PARTY_COMMITTEE, name=superior,
                                 area=world.areas["D"])
    org = organization_create(actor=None, kind=OrganizationKind.RESIDENT_UNIT, name=name, area=world.areas[area],
                              parent=parent)
    person = person_create(actor=None, name=liaison, mobile=mobile, area=world.areas[area])
    make_user(world, key, person)
    role_assign(actor=None, person=person, role=Role.INSERVICE_PARTY_MEMBER, area=world.areas[area])
    return org, person


def found(world: World) -> Setup:
    staff = world.users["community_staff"]
    alliance = services.alliance_create(actor=staff, area=world.areas["C1"], name="幸福苑社区党建联盟",
                                        title="幸福苑社区党建联盟盟约", clauses=CLAUSES)
    setup = Setup(alliance=alliance)
    for key, name, superior, liaison, mobile in UNITS:
        setup.orgs[key], setup.people[key] = unit(world, key, name, superior, liaison, mobile)
    for key in ("unit_a", "unit_b", "unit_c"):
        setup.members[key] = services.member_found(actor=staff, alliance=alliance, organization=setup.orgs[key],
                                                   liaison=setup.people[key])
    version = alliance.versions.get()
    services.version_consult(actor=staff, version=version)
    vote = services.vote_open(actor=staff, alliance=alliance, matter=VoteMatter.COVENANT, version=version)
    for key in ("unit_a", "unit_b", "unit_c"):
        services.ballot_cast(actor=world.users[key], vote=vote, choice="yes")
    services.vote_close(actor=staff, vote=vote)
    alliance.refresh_from_db()
    return setup


@pytest.fixture
def setup(world) -> Setup:
    return found(world)
