"""Writes to places and people. Each function is one transaction and appends an event."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext
from pypinyin import Style, lazy_pinyin

from yishiting.common.audit import audit_record
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import event_append
from yishiting.common.models import AuditEntry
from yishiting.common.rules import has_perm

from .choices import ExpertLevel, OrganizationKind, Role
from .models import PATH_STEP, Area, AreaLevel, Household, Organization, Person, RoleAssignment, path_segment
from .validation import clean_exclusive_area, clean_id_number, clean_mobile

NAME_SEPARATOR = "/"


@lru_cache(maxsize=8192)  # bulk paths (import, demo) repeat names like "1单元" thousands of times
def search_key_for(name: str) -> str:
    """'幸福苑3栋' → 'xfy3d xingfuyuan3dong': initials and full pinyin, for the area picker."""
    initials = "".join(part[0] for part in lazy_pinyin(name, style=Style.FIRST_LETTER) if part)
    full = "".join(lazy_pinyin(name))
    return f"{initials} {full}".lower()


def area_search_key(full_name: str) -> str:
    """The area finder's key for an area with this full name ("幸福区/…/幸福佳园/1号楼"): its own name's pinyin
    ('1hl 1haolou'), then the names above it read together with it — the last two and three, in pinyin initials,
    full pinyin and characters ('xfjy1hl xingfujiayuan1haolou 幸福佳园1号楼') — so "xfjy1" or "幸福佳园1号楼"
    finds a building the way people say it, estate first, although each name is stored alone."""
    names = full_name.split(NAME_SEPARATOR)
    keys = [search_key_for(names[-1])]
    for count in (2, 3):
        if len(names) > count:  # never the district's name: every area would match its initials
            joined = "".join(names[-count:])
            keys.append(f"{search_key_for(joined)} {joined.lower()}")
    return " ".join(keys)[:500]


def _clean_name(name: str, field: str = "name", max_length: int = 100) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("required", gettext("名称不能为空。"), details={"field": field})
    if len(name) > max_length:
        raise DomainError("too_long", gettext('名称不能超过 %(max_length)s 个字。') % {"max_length": max_length}, details={"field": field})
    return name


def next_child_numbers(parent_ids: Iterable[int | None]) -> dict[int | None, int]:
    """The next free sibling number under each parent (None: the top level): one past the highest child path.

    Shared by area_create and the bulk paths (import, demo) so every path is numbered the same way.
    """
    wanted = set(parent_ids)
    numbers: dict[int | None, int] = dict.fromkeys(wanted, 1)
    if None in wanted:
        last = Area.objects.filter(parent__isnull=True).aggregate(m=Max("path"))["m"]
        numbers[None] = int(last[-PATH_STEP:], 36) + 1 if last else 1
    ids = sorted(pk for pk in wanted if pk is not None)
    for start in range(0, len(ids), 500):
        rows = (Area.objects.filter(parent_id__in=ids[start:start + 500]).values("parent_id")
                .annotate(m=Max("path")).values_list("parent_id", "m"))
        for parent_id, last in rows:
            numbers[parent_id] = int(last[-PATH_STEP:], 36) + 1
    return numbers


def area_derived_fields(parent: Area | None, name: str, number: int) -> dict[str, str]:
    """Path, full name and search key of the `number`-th child called `name` under `parent` (saved or not)."""
    full_name = (parent.full_name + NAME_SEPARATOR if parent else "") + name
    return {"path": (parent.path if parent else "") + path_segment(number), "full_name": full_name,
            "search_key": area_search_key(full_name)}


def check_child_level(parent: Area | None, level: AreaLevel) -> None:
    if parent is None:
        if level.depth != 1:
            raise DomainError("wrong_level", gettext("最高一级区域必须是“%(level)s”。") % {"level": AreaLevel.objects.get(depth=1).name}
                              if AreaLevel.objects.filter(depth=1).exists() else gettext("最高一级区域的层级序号必须为 1。"),
                              details={"field": "level"})
        return
    if level.depth != parent.level.depth + 1:
        expected = AreaLevel.objects.filter(depth=parent.level.depth + 1).first()
        hint = gettext("“%(parent)s”（%(level)s）下只能建“%(expected)s”") % {
            "parent": parent.name, "level": parent.level.name, "expected": expected.name} if expected else \
            gettext("“%(parent)s”（%(level)s）已是最低一级，不能再建下级") % {
            "parent": parent.name, "level": parent.level.name}
        raise DomainError("wrong_level", gettext('层级不对：%(hint)s，不能建“%(name)s”。') % {"hint": hint, "name": level.name}, details={"field": "level"})


@transaction.atomic
def area_create(*, actor, name: str, level: AreaLevel, code: str, parent: Area | None = None) -> Area:
    """Create an area under `parent` at the next level; its path is the parent's plus the next free segment."""
    name = _clean_name(name)
    check_child_level(parent, level)
    if Area.objects.filter(code=code).exists():
        raise DomainError("duplicate_code", gettext('区域编码“%(code)s”已被使用。') % {"code": code}, details={"field": "code"})
    if parent is not None:
        parent = Area.objects.select_for_update().get(pk=parent.pk)  # serialize sibling numbering
    number = next_child_numbers([parent.pk if parent else None])[parent.pk if parent else None]
    area = Area(parent=parent, level=level, name=name, code=code, **area_derived_fields(parent, name, number))
    area.full_clean(exclude=["path", "full_name", "search_key"])
    try:
        area.save()
    except IntegrityError:
        raise DomainError("duplicate_code", gettext('区域编码“%(code)s”已被使用。') % {"code": code}, details={"field": "code"}) from None
    event_append(subject=area, kind="area.created", actor=actor,
                 payload={"name": name, "level": level.code, "code": code, "parent": parent.code if parent else None})
    return area


@transaction.atomic
def area_rename(*, actor, area: Area, name: str) -> Area:
    """Rename an area; the full names of everything under it follow."""
    name = _clean_name(name)
    area = Area.objects.select_for_update().get(pk=area.pk)
    old = area.name
    old_full = area.full_name
    area.name = name
    area.full_name = (area.full_name[: -len(old)] if area.full_name.endswith(old) else "") + name
    area.search_key = area_search_key(area.full_name)
    area.save(update_fields=["name", "full_name", "search_key"])
    descendants = Area.objects.filter(path__startswith=area.path).exclude(pk=area.pk)
    for child in descendants.only("pk", "full_name"):
        child.full_name = area.full_name + child.full_name[len(old_full):]
        child.search_key = area_search_key(child.full_name)  # the names read together include the new one
        child.save(update_fields=["full_name", "search_key"])
    event_append(subject=area, kind="area.renamed", actor=actor, payload={"from": old, "to": name})
    return area


@transaction.atomic
def household_create(*, actor, unit: Area, number: str, exclusive_area: Decimal | str) -> Household:
    if not unit.level.holds_households:
        raise DomainError("wrong_level", gettext("“%(unit)s”（%(level)s）下不能直接登记住户。") % {"unit": unit.name, "level": unit.level.name},
                          details={"field": "unit"})
    number = _clean_name(number, "number", 32)
    area_m2 = clean_exclusive_area(exclusive_area)
    if Household.objects.filter(unit=unit, number=number).exists():
        raise DomainError("duplicate_household", gettext('“%(name)s”下已有户号“%(number)s”。') % {"name": unit.name, "number": number}, details={"field": "number"})
    household = Household.objects.create(unit=unit, number=number, exclusive_area=area_m2, path=unit.path)
    event_append(subject=household, kind="household.created", actor=actor,
                 payload={"unit": unit.code, "number": number, "exclusive_area": str(area_m2)})
    return household


def _person_path(household: Household | None, area: Area | None) -> tuple[Area | None, str]:
    if household is not None:
        return household.unit, household.path
    return area, area.path if area else ""


@transaction.atomic
def person_create(*, actor, name: str, mobile: str = "", id_number: str | None = None,
                  household: Household | None = None, area: Area | None = None, user=None) -> Person:
    name = _clean_name(name, "name", 50)
    number = clean_id_number(id_number)
    if number and Person.objects.filter(id_number=number).exists():
        raise DomainError("duplicate_id_number", gettext("该身份证号已登记在另一人名下。"), details={"field": "id_number"})
    area, path = _person_path(household, area)
    person = Person.objects.create(name=name, mobile=clean_mobile(mobile), id_number=number,
                                   household=household, area=area, path=path, user=user,
                                   search_key=search_key_for(name))
    event_append(subject=person, kind="person.created", actor=actor,
                 payload={"household": household.pk if household else None, "area": area.code if area else None})
    return person


PERSON_FIELDS = {"name", "mobile", "id_number", "household", "area"}


@transaction.atomic
def person_update(*, actor, person: Person, **changes) -> Person:
    """Change a person's details; the event records which fields changed, never their values."""
    unknown = set(changes) - PERSON_FIELDS
    if unknown:
        raise DomainError("unknown_fields", gettext("包含不能修改的字段。"), details={"fields": sorted(unknown)})
    person = Person.objects.select_for_update().get(pk=person.pk)
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"], "name", 50)
    if "mobile" in changes:
        changes["mobile"] = clean_mobile(changes["mobile"])
    if "id_number" in changes:
        changes["id_number"] = clean_id_number(changes["id_number"])
        if changes["id_number"] and Person.objects.filter(id_number=changes["id_number"]).exclude(pk=person.pk).exists():
            raise DomainError("duplicate_id_number", gettext("该身份证号已登记在另一人名下。"), details={"field": "id_number"})
    for field, value in changes.items():
        setattr(person, field, value)
    if {"household", "area"} & set(changes):
        person.area, person.path = _person_path(person.household, person.area)
    person.search_key = search_key_for(person.name)
    person.save()
    event_append(subject=person, kind="person.updated", actor=actor, payload={"fields": sorted(changes)})
    return person


@transaction.atomic
def organization_create(*, actor, kind: str, name: str, area: Area, parent: Organization | None = None,
                        credit_code: str = "") -> Organization:
    if kind not in OrganizationKind.values:
        raise DomainError("invalid_choice", gettext("组织类型不正确。"), details={"field": "kind"})
    name = _clean_name(name, "name", 200)
    if Organization.objects.filter(area=area, name=name).exists():
        raise DomainError("duplicate_organization", gettext("“%(area)s”已有名为“%(name)s”的组织，同一区域内组织名称不能重复。") % {"area": area.name, "name": name},
                          details={"field": "name"})
    org = Organization.objects.create(kind=kind, name=name, area=area, path=area.path, parent=parent,
                                      credit_code=credit_code.strip())
    event_append(subject=org, kind="organization.created", actor=actor,
                 payload={"kind": kind, "name": name, "area": area.code})
    return org


@transaction.atomic
def role_assign(*, actor, person: Person, role: str, area: Area, organization: Organization | None = None,
                expert_level: int | None = None, title: str = "") -> RoleAssignment:
    """Give a person a role at an area (covering its subtree). Idempotent: an existing active one is returned."""
    if role not in Role.values:
        raise DomainError("invalid_choice", gettext("角色不正确。"), details={"field": "role"})
    if role == Role.HANDLER and organization is None:
        raise DomainError("organization_required", gettext("承办单位经办人必须指定所属组织。"), details={"field": "organization"})
    if role == Role.EXPERT and expert_level not in ExpertLevel.values:
        raise DomainError("expert_level_required", gettext("专家须指定专家库级别（区级、街道级或社区级）。"),
                          details={"field": "expert_level"})
    if organization is not None and not area.path.startswith(organization.path) \
            and not organization.path.startswith(area.path):
        raise DomainError("organization_outside_area", gettext("组织不在该区域范围内。"), details={"field": "organization"})
    existing = RoleAssignment.objects.filter(person=person, role=role, area=area, is_active=True).first()
    if existing:
        return existing
    assignment = RoleAssignment.objects.create(person=person, role=role, area=area, path=area.path,
                                               organization=organization, expert_level=expert_level, title=title)
    event_append(subject=person, kind="role.assigned", actor=actor,
                 payload={"role": role, "area": area.code, "organization": organization.pk if organization else None})
    return assignment


# What else ends with a role, registered by the apps whose records a role qualified (liaison: a leader's 挂点
# links); each is called inside role_revoke's transaction, after the role is inactive.
ROLE_END_LISTENERS: list = []


def register_role_end(listener) -> None:
    """`listener(*, assignment, actor)` runs when a role assignment ends (role_revoke)."""
    if listener not in ROLE_END_LISTENERS:
        ROLE_END_LISTENERS.append(listener)


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.is_active:
        assignment.is_active = False
        assignment.save(update_fields=["is_active"])
        event_append(subject=assignment.person, kind="role.revoked", actor=actor,
                     payload={"role": assignment.role, "area": assignment.area.code})
        for listener in ROLE_END_LISTENERS:
            listener(assignment=assignment, actor=actor)
    return assignment


DEFAULT_LEVELS = [  # level names are data (admin-editable), seeded in Chinese
    ("district", "区", 1, False),  # zh-only
    ("street", "街道（镇）", 2, False),  # zh-only
    ("community", "社区（村）", 3, False),  # zh-only
    ("estate", "小区 / 网格", 4, False),  # zh-only
    ("building", "楼栋", 5, False),  # zh-only
    ("unit", "单元", 6, True),  # zh-only
]


def levels_ensure_default(level_model=AreaLevel) -> None:
    """Create the six default levels if there are none (also used by the initial data migration)."""
    if level_model.objects.exists():
        return
    level_model.objects.bulk_create([level_model(code=c, name=n, depth=d, holds_households=h)
                                     for c, n, d, h in DEFAULT_LEVELS])


def person_reveal(*, actor, person: Person, request=None, reason: str = "") -> dict[str, str]:
    """Unmasked name, mobile and ID number of one person, for a viewer with people.unmask; always audited.

    A refused attempt is audited too (outcome 'denied') and raises PermissionDeniedError.
    """
    allowed = has_perm(actor, "people.unmask", person)
    audit_record(action=AuditEntry.Action.UNMASK,
                 outcome=AuditEntry.Outcome.SUCCESS if allowed else AuditEntry.Outcome.DENIED,
                 request=request, user=actor, target=f"person:{person.pk}", details={"reason": reason[:200]})
    if not allowed:
        raise PermissionDeniedError(gettext("您无权查看此人的完整信息。"))
    return {"name": person.name, "mobile": person.mobile, "id_number": person.id_number or ""}
