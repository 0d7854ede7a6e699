"""挂点联系 and 党代表联系群众 in the demo (issue 20). The district and street official personas are linked to the
persona community, every other district and street leader to a community of their own level (one link revoked);
the persona community's deputy (login `deputy`) holds a reception day, a home visit and a forum, turning raised
matters into demands; the district's other deputies record a contact or two each. Drawn from a random stream of
its own (`<seed>:liaison`), so the rest of the demo stays as it was; written through the liaison services."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime

from yishiting.accounts.models import User
from yishiting.areas.choices import Role
from yishiting.areas.demo import Login
from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.areas.selectors import community_depth
from yishiting.liaison import services as liaison
from yishiting.liaison.choices import ContactMethod, deputy_kind_for
from yishiting.liaison.models import ContactRecord

from .cast import Cast

DEPUTY = "deputy"
MATTERS = ["小区路灯不亮，晚上出行不便", "楼道堆放杂物，存在消防隐患", "老旧小区想加装电梯", "菜市场周边占道经营",
           "小区停车位紧张，夜间乱停车", "希望增设老年人助餐点", "雨后地下车库积水", "健身器材损坏需要维修",
           "垃圾分类投放点异味大", "学校门口上下学时段拥堵"]
PLACES = {ContactMethod.RECEPTION: "党群服务中心代表接待室", ContactMethod.VISIT: "居民家中",
          ContactMethod.FORUM: "社区议事厅"}


def _login(person: Person, password: str) -> User:
    user, _ = User.objects.get_or_create(username=DEPUTY, defaults={"password": password})
    Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
    person.user = user
    person.save(update_fields=["user"])
    return user


def _communities(area: Area) -> list[Area]:
    return list(Area.objects.filter(path__startswith=area.path, level__depth=community_depth(), is_active=True)
                .order_by("path"))


def _links(cast: Cast, rng: random.Random, start) -> None:
    actor = cast.user("district_official")
    for persona in ("district_official", "street_official"):
        liaison.link_create(actor=actor, leader=cast.person(persona), community=cast.community, starts_on=start,
                            note="文明城创建挂点联系")
    personas = {cast.person("district_official").pk, cast.person("street_official").pk}
    leaders = (RoleAssignment.objects.filter(role__in=[Role.DISTRICT_OFFICIAL, Role.STREET_OFFICIAL], is_active=True,
                                             path__startswith=cast.district.path)
               .exclude(person_id__in=personas).select_related("person", "area").order_by("pk"))
    made = []
    for role in leaders:
        choices = _communities(role.area)
        if choices:
            made.append(liaison.link_create(actor=actor, leader=role.person, community=rng.choice(choices),
                                            starts_on=start))
    if made:
        liaison.link_end(actor=actor, link=rng.choice(made), reason="工作调整，改由其他领导挂点")


def _deputy_days(cast: Cast, at: Callable[..., datetime], user: User, kind: str) -> list[tuple[int, int, Callable[[], None]]]:
    community, estate = cast.community, cast.estate
    resident = cast.person("resident")

    def record(area: Area, back: int, method: str, count: int, summary: str, matters: list[str], convert: int):
        def run() -> None:
            made = liaison.record_create(actor=user, area=area, held_on=at(back).date(), method=method,
                                         place=f"{area.name}{PLACES[method]}", deputy_kind=kind, people_count=count, summary=summary,
                                         matters=matters, people=[resident])
            for matter in list(made.matters.order_by("pk"))[:convert]:
                liaison.matter_to_demand(actor=user, matter=matter)
        return run

    return [
        (40, 9, record(community, 40, ContactMethod.RECEPTION, 18, "代表接待日，居民反映了出行和停车问题",
                       [MATTERS[0], MATTERS[4]], 2)),
        (22, 15, record(estate, 22, ContactMethod.VISIT, 3, "走访独居老人家庭", [MATTERS[5]], 1)),
        (6, 19, record(community, 6, ContactMethod.FORUM, 12, "与楼栋长、居民代表座谈", [MATTERS[1], MATTERS[7]], 1)),
    ]


def _others(cast: Cast, at: Callable[..., datetime], rng: random.Random, skip: int) -> list[tuple[int, int, Callable[[], None]]]:
    """Every other deputy of the district: one or two contacts in the last three months, matters noted only."""
    events = []
    deputies = (RoleAssignment.objects.filter(role=Role.DEPUTY, is_active=True, path__startswith=cast.district.path)
                .exclude(person_id=skip).select_related("person", "area").order_by("pk"))
    for role in deputies:
        communities = _communities(role.area)
        for _ in range(rng.randint(1, 2)):
            back, area = rng.randint(3, 85), rng.choice(communities)
            method, count = rng.choice(ContactMethod.values), rng.randint(4, 40)
            matters = rng.sample(MATTERS, rng.randint(0, 2))

            def run(role=role, back=back, area=area, method=method, count=count, matters=matters) -> None:
                liaison.record_create(actor=None, deputy=role.person, area=area, held_on=at(back).date(),
                                      place=f"{area.name}{PLACES[method]}", method=method,
                                      deputy_kind=deputy_kind_for(role.title), people_count=count,
                                      summary="", matters=matters)
            events.append((back, 16, run))
    return events


def liaison_story(cast: Cast, at: Callable[..., datetime]) -> Iterator[datetime]:
    rng = random.Random(f"{cast.seed}:liaison")
    yield at(90, 9)
    _links(cast, rng, at(90).date())
    role = (RoleAssignment.objects.filter(role=Role.DEPUTY, path=cast.community.path, is_active=True)
            .select_related("person").order_by("pk").first())
    events = _others(cast, at, rng, role.person_id if role else 0)
    if role is not None:
        user = _login(role.person, cast.user("resident").password)
        events += _deputy_days(cast, at, user, deputy_kind_for(role.title))
    for back, hour, run in sorted(events, key=lambda e: (-e[0], e[1])):
        yield at(back, hour)
        run()


def liaison_login(district: Area) -> Login | None:
    """The deputy's line in `yishiting demo`'s list of logins (when the history has been built)."""
    from yishiting.areas.demo import DEMO_PASSWORD

    found = (ContactRecord.objects.filter(deputy__user__username=DEPUTY, path__startswith=district.path)
             .select_related("deputy").first())
    if found is None:
        return None
    community = Area.objects.get(path=found.path[: community_depth() * 4])
    return Login(DEPUTY, DEMO_PASSWORD, str(Role.DEPUTY.label), community.full_name)
