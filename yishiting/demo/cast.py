"""Who acts in the demo's history: the persona accounts, the places they serve, and their neighbours.

Everything is looked up in the built demo district (yishiting.areas.demo); nothing is created here except the
accounts of a few neighbours, so that residents other than the persona can give opinions, vote and rate.
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from yishiting.accounts.models import User
from yishiting.areas.choices import Role
from yishiting.areas.demo.logins import PERSONAS
from yishiting.areas.models import Area, Person, RoleAssignment
from yishiting.common.errors import DomainError

NEIGHBOURS = 6


class Cast:
    """The persona users and people, the persona community and its places, and some neighbours."""

    def __init__(self, district: Area, seed: int) -> None:
        self.district = district
        self.seed = seed  # for stories that draw from a stream of their own (liaison)
        self.rng = random.Random(f"{seed}:history")
        self.users = {u.username: u for u in User.objects.filter(username__in=list(PERSONAS),
                                                                  person__path__startswith=district.path)}
        missing = sorted(set(PERSONAS) - set(self.users))
        if missing:
            raise DomainError("demo_personas", f"演示区缺少这些演示账号，无法生成办理历史：{'、'.join(missing)}。")
        self.people = {name: Person.objects.select_related("household", "area").get(user=user)
                       for name, user in self.users.items()}
        self.unit = self.people["resident"].area                      # the resident's 单元
        self.building = Area.objects.get(pk=self.unit.parent_id)       # 楼栋
        self.estate = Area.objects.get(pk=self.building.parent_id)     # 小区
        self.community = Area.objects.get(pk=self.estate.parent_id)    # 社区
        self.street = Area.objects.get(pk=self.community.parent_id)    # 街道
        handler_role = RoleAssignment.objects.select_related("organization").get(
            person=self.people["handler"], role=Role.HANDLER, is_active=True)
        self.handler_org = handler_role.organization
        self.neighbours = self._neighbours()

    def user(self, name: str) -> User:
        return self.users[name]

    def person(self, name: str) -> Person:
        return self.people[name]

    def places(self) -> dict[str, str]:
        """The words a text about the persona's home is filled in with."""
        return {"estate": self.estate.name, "building": self.building.name, "unit": self.unit.name,
                "community": self.community.name}

    def holder(self, role: str, area: Area) -> Person | None:
        """The first person holding `role` exactly at `area` (deterministic: by key)."""
        found = (RoleAssignment.objects.filter(role=role, path=area.path, is_active=True)
                 .select_related("person").order_by("pk").first())
        return found.person if found else None

    def residents_of(self, area: Area, count: int, *, exclude: set[int] = frozenset()) -> list[Person]:
        """`count` people living in households under `area`, chosen with the seed."""
        ids = list(Person.objects.filter(path__startswith=area.path, household__isnull=False)
                   .exclude(pk__in=exclude).order_by("pk").values_list("pk", flat=True)[:400])
        picked = self.rng.sample(ids, min(count, len(ids)))
        people = Person.objects.in_bulk(picked)
        return [people[pk] for pk in picked]

    def _neighbours(self) -> list[Person]:
        """Residents of the persona's own building with accounts (as if they had signed up on their phones),
        so opinions, owners' ballots and ratings come from real people. Their passwords are unusable."""
        own = {self.people["resident"].pk}
        people = list(Person.objects.filter(path__startswith=self.building.path, household__isnull=False,
                                            user__isnull=True).exclude(pk__in=own).order_by("pk")[:60])
        chosen = sorted(self.rng.sample(people, min(NEIGHBOURS, len(people))), key=lambda p: p.pk)
        for number, person in enumerate(chosen, start=1):
            user, _ = User.objects.get_or_create(username=f"neighbour{number}",
                                                 defaults={"password": make_password(None)})
            Person.objects.filter(user=user).exclude(pk=person.pk).update(user=None)
            person.user = user
            person.save(update_fields=["user"])
        return chosen
