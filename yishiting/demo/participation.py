"""双报到 and the service menu in the demo: the persona community's 双报到 units sign their 共建协议, their
in-service party members report (the first of them is the `party_member` login), the volunteers join the menu;
orders in the states a newcomer should see (one served with a photo, rated and on the showcase; one being served;
one escalated because nobody accepted; one waiting for the staff to dispatch), a service outside the menu the
resident has yet to rate, and this quarter's 考核建议. Written through the participation services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from yishiting.accounts.models import User
from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.demo import Login
from yishiting.areas.models import Person, RoleAssignment
from yishiting.participation import services as part
from yishiting.participation.choices import ProviderKind
from yishiting.participation.models import MemberRegistration, ServiceProvider, UnitRegistration

from .cast import Cast
from .steps import photo

PARTY_MEMBER = "party_member"


def _login(cast: Cast, person: Person) -> None:
    """The `party_member` account, with the personas' password (the resident's hash: the same password)."""
    user, _ = User.objects.get_or_create(username=PARTY_MEMBER, defaults={"password": cast.user("resident").password})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])


def _roles(cast: Cast, role: str, kind: str | None = None) -> list[RoleAssignment]:
    rows = RoleAssignment.objects.filter(role=role, path=cast.community.path, is_active=True)
    if kind is not None:
        rows = rows.filter(organization__kind=kind)
    return list(rows.select_related("person", "organization").order_by("pk"))


def _register(cast: Cast, signed_on) -> tuple[list[MemberRegistration], list[ServiceProvider]]:
    staff = cast.user("community_staff")
    units = {r.organization for r in _roles(cast, Role.ORG_REPRESENTATIVE, OrganizationKind.DUAL_REGISTRATION_UNIT)}
    for number, unit in enumerate(sorted(units, key=lambda u: u.pk)):
        liaison = next(r.person for r in _roles(cast, Role.ORG_REPRESENTATIVE) if r.organization_id == unit.pk)
        part.unit_register(actor=staff, organization=unit, community=cast.community,
                           resources=["义诊场地、医护人员、救护车", "法律顾问、会议室", "车辆、志愿者"][number % 3],
                           commitments="每季度到社区开展两次以上服务，在职党员每人每年服务不少于 12 小时",
                           contact_name=liaison.name, contact_phone=liaison.mobile or "0451-0000000",
                           signed_on=signed_on)
    members = [part.member_register(actor=None, person=r.person, community=cast.community, unit=r.organization,
                                    posts=[["care", "policy"], ["patrol", "environment"], ["civility"]][i % 3],
                                    skills=["全科医生", "电工", "法律咨询", ""][i % 4])
               for i, r in enumerate(_roles(cast, Role.INSERVICE_PARTY_MEMBER, OrganizationKind.DUAL_REGISTRATION_UNIT))]
    volunteers = [part.provider_ensure(community=cast.community, kind=ProviderKind.VOLUNTEER, person=r.person)
                  for r in _roles(cast, Role.VOLUNTEER)]
    return members, volunteers


def participation_login(district) -> Login | None:
    """The party member's line in `yishiting demo`'s list of logins (when the history has been built)."""
    from yishiting.areas.demo import DEMO_PASSWORD

    found = (MemberRegistration.objects.filter(person__user__username=PARTY_MEMBER, is_active=True,
                                               path__startswith=district.path).select_related("community").first())
    if found is None:
        return None
    return Login(PARTY_MEMBER, DEMO_PASSWORD, str(Role.INSERVICE_PARTY_MEMBER.label), found.community.full_name)


def participation_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    yield at(60, 9)
    members, volunteers = _register(cast, at(60).date().replace(day=1))
    if not members:
        return
    _login(cast, members[0].person)
    staff, resident = cast.user("community_staff"), cast.user("resident")
    member_user = User.objects.get(username=PARTY_MEMBER)
    doctor = ServiceProvider.objects.get(community=cast.community, person=members[0].person)
    blood = part.menu_item_save(actor=staff, provider=doctor, title="上门量血压", times="每周六上午", capacity=3,
                                description="为行动不便的老人上门量血压、讲解用药")
    if volunteers:
        part.menu_item_save(actor=staff, provider=volunteers[0], title="代买代送", times="工作日下午", capacity=2,
                            description="为独居老人代买药品、日用品")

    def served(item, text: str, stars: int | None, back: int) -> Iterator[datetime]:
        yield at(back, 9)
        order = part.order_place(actor=resident, item=item, text=text, wanted="周六上午")
        yield at(back, 11)
        order = part.order_dispatch(actor=staff, order=order, providers=[doctor])
        yield at(back, 15)
        order = part.order_accept(actor=member_user, order=order)
        if stars is None:
            return
        yield at(back - 2, 11)
        order = part.order_report(actor=member_user, order=order, report=part.Report(
            text="上门量了血压，偏高，提醒按时服药、少盐", hours="1.5", photos=[photo(21)[1]]))
        yield at(back - 2, 19)
        part.order_rate(actor=resident, order=order, stars=stars, comment="医生很耐心，谢谢！")

    yield from served(blood, "家里老人腿脚不便，想请医生上门量个血压", 5, 30)
    if volunteers:
        yield at(20, 9)
        waiting = part.order_place(actor=resident, title="帮忙买点降压药", text="药名写在纸条上，放门口")
        part.order_dispatch(actor=staff, order=waiting, providers=[volunteers[0]])
        yield at(18, 0, 30)
        part.orders_escalate_due(now=at(18, 0, 30))  # nobody accepted: `yishiting tick` hands it back
    yield at(14, 10)
    part.service_record_add(actor=member_user, member=members[0], what="楼道小广告清理", served_on=at(14).date(),
                            hours="2", served_person=cast.person("resident"))
    year, quarter = part.quarter_of(at(3).date())
    if part.quarter_bounds(year, quarter)[0] <= at(3).date():
        yield at(3, 16)
        part.assessment_write(actor=staff, year=year, quarter=quarter, unit=UnitRegistration.objects.get(
                                  organization=members[0].unit, community=cast.community, is_active=True),
                              grade="good", reasons="按协议开展义诊两次，党员服务及时、居民评价好")
        part.assessment_write(actor=staff, year=year, quarter=quarter, member=members[0], grade="good",
                              reasons="上门服务及时，居民评价 5 星")
    yield from served(blood, "想请医生看看老人的血压记录", None, 2)
    yield at(1, 20)
    part.order_place(actor=resident, title="楼道灯坏了，晚上看不清台阶", text="3 栋 2 单元")
