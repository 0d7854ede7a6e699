"""The demo district: deterministic from the seed, realistic, every role present, persona logins that work."""

from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, F, Max, Min

from yishiting.areas.choices import OrganizationKind, Role
from yishiting.areas.demo import DEMO_PASSWORD, PERSONAS, demo_build, demo_district
from yishiting.areas.models import Area, Household, Organization, Person, RoleAssignment, path_segment
from yishiting.areas.validation import clean_id_number
from yishiting.common.events import verify_chains
from yishiting.common.models import Event

SMALL = {"streets": 2, "communities_per_street": 1}


def snapshot():
    """Everything a user would see of the demo, independent of database keys."""
    return (
        list(Area.objects.order_by("path").values_list("path", "code", "name", "full_name", "level__code")),
        list(Household.objects.order_by("path", "number").values_list("path", "number", "exclusive_area")),
        list(Person.objects.order_by("path", "name", "mobile").values_list("path", "name", "mobile", "id_number")),
        sorted(RoleAssignment.objects.values_list("path", "role", "person__name", "title")),
        sorted(Organization.objects.values_list("path", "kind", "name", "credit_code")),
    )


@pytest.fixture
def demo(db):
    return demo_build(seed=2026, **SMALL)


def test_same_seed_gives_the_same_district(demo):
    first = snapshot()
    again = demo_build(seed=2026, force=True, **SMALL)
    assert again.built and snapshot() == first
    demo_build(seed=7, force=True, **SMALL)
    other = snapshot()
    assert other[2] != first[2] and other[0][0] == first[0][0]  # other people; the district itself stays put


def test_tree_shape_and_households_are_plausible(demo):
    levels = Counter(Area.objects.values_list("level__code", flat=True))
    assert levels["district"] == 1 and levels["street"] == 2 and levels["community"] == 2
    assert 4 <= levels["estate"] <= 6 and 6 * levels["estate"] <= levels["building"] <= 14 * levels["estate"]
    assert levels["building"] <= levels["unit"] <= 4 * levels["building"]
    sizes = Household.objects.aggregate(lo=Min("exclusive_area"), hi=Max("exclusive_area"))
    assert sizes["lo"] >= 45 and sizes["hi"] <= 180
    per_unit = Household.objects.values("unit").annotate(n=Count("id")).aggregate(lo=Min("n"), hi=Max("n"))
    assert per_unit["lo"] >= 10 and per_unit["hi"] <= 22
    assert demo.counts["households"] == Household.objects.count() > 500
    assert Area.objects.get(code="DEMO").name == "幸福区"
    assert Area.objects.get(code="DEMO-S1-C001").name == "幸福社区"


def test_paths_and_names_are_what_the_services_would_write(demo):
    for area in Area.objects.exclude(parent=None).select_related("parent")[:300]:
        siblings = list(Area.objects.filter(parent=area.parent).order_by("path").values_list("pk", flat=True))
        assert area.path == area.parent.path + path_segment(siblings.index(area.pk) + 1)
        assert area.full_name == f"{area.parent.full_name}/{area.name}"
    assert not Household.objects.exclude(path=F("unit__path")).exists()
    assert not Person.objects.exclude(household=None).exclude(path=F("household__path")).exists()
    assert not Person.objects.filter(household=None).exclude(path=F("area__path")).exists()
    assert not Organization.objects.exclude(path=F("area__path")).exists()
    assert not RoleAssignment.objects.exclude(path=F("area__path")).exists()
    assert list(verify_chains()) == []
    assert Event.objects.filter(kind="demo.built").count() == 1


def test_every_role_and_organization_kind_is_there(demo):
    roles = Counter(RoleAssignment.objects.values_list("role", flat=True))
    # A registrant is someone who signed up themselves and awaits verification: the demo's people are on record.
    assert set(Role.values) - {Role.REGISTRANT} <= set(roles)
    owners = Counter(RoleAssignment.objects.filter(role=Role.OWNER).values_list("person__household_id", flat=True))
    assert set(owners.values()) == {1} and len(owners) == Household.objects.count()  # one owner per household
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert set(OrganizationKind.values) - kinds == {OrganizationKind.VILLAGE_COMMITTEE}
    assert RoleAssignment.objects.filter(role=Role.EXPERT).values("expert_level").distinct().count() == 3
    assert not RoleAssignment.objects.filter(role=Role.HANDLER, organization=None).exists()


def test_people_have_unique_valid_mobiles_and_id_numbers(demo):
    mobiles = [m for m in Person.objects.values_list("mobile", flat=True) if m]
    numbers = [n for n in Person.objects.values_list("id_number", flat=True) if n]
    assert len(mobiles) == len(set(mobiles)) > 100 and len(numbers) > 100
    assert all(len(m) == 11 and m[0] == "1" and m[1] in "3456789" for m in mobiles)
    assert all(clean_id_number(n) == n for n in numbers)
    names = Person.objects.values_list("name", flat=True)
    assert all(2 <= len(n) <= 3 for n in names) and len(set(names)) > 100


def test_persona_logins_work_with_the_printed_password(demo):
    assert [login.username for login in demo.logins] == list(PERSONAS)
    users = {}
    for login in demo.logins:
        users[login.username] = user = authenticate(None, username=login.username, password=login.password)
        assert user is not None, login.username
        assert user.person.roles.filter(role=PERSONAS[login.username], is_active=True).exists()
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(users[name].is_superuser for name in PERSONAS if name != "admin")
    resident = Person.objects.get(user__username="resident")
    assert resident.household is not None and resident.roles.filter(role=Role.OWNER).exists()
    assert authenticate(None, username="resident", password="wrong-Password1") is None


def test_second_run_only_reports_and_force_rebuilds(demo):
    before = (Area.objects.count(), Person.objects.count(), Event.objects.count())
    again = demo_build(seed=2026, **SMALL)
    assert not again.built and again.counts == demo.counts
    assert (Area.objects.count(), Person.objects.count(), Event.objects.count()) == before
    rebuilt = demo_build(seed=2026, force=True, **SMALL)
    assert rebuilt.built and Area.objects.count() == before[0] and Person.objects.count() == before[1]
    assert authenticate(None, username="handler", password=DEMO_PASSWORD) is not None


def test_scale_multiplies_communities_and_no_owners_skips_owner_people(db):
    result = demo_build(streets=1, communities_per_street=1, scale=3, owners=False)
    assert Area.objects.filter(level__code="community").count() == 3
    assert result.counts["households"] > 1000
    assert not RoleAssignment.objects.filter(role=Role.OWNER).exists()
    assert Person.objects.get(user__username="resident").household is not None


def test_command_prints_the_logins(db, capsys):
    call_command("demo", "--streets", "1", "--communities", "1", "--no-history")
    out = capsys.readouterr().out
    assert "已生成" in out and DEMO_PASSWORD in out
    assert all(username in out for username in PERSONAS)
    call_command("demo", "--streets", "1", "--communities", "1", "--no-history")
    assert "已存在" in capsys.readouterr().out and demo_district() is not None


def test_an_existing_account_with_a_persona_name_is_left_alone(db):
    from yishiting.accounts.models import User

    mine = User.objects.create_user(username="admin", password="My-own-pass-42")
    result = demo_build(**SMALL)
    assert any("admin" in w for w in result.warnings)
    assert "admin" not in [login.username for login in result.logins]
    mine.refresh_from_db()
    assert mine.check_password("My-own-pass-42") and not mine.is_superuser


def test_rebuild_is_refused_while_other_records_point_into_the_demo(demo):
    from yishiting.areas import services
    from yishiting.common.errors import DomainError

    outside = services.area_create(actor=None, name="别的区", level=Area.objects.get(code="DEMO").level, code="X")
    services.organization_create(actor=None, kind=OrganizationKind.SOCIAL_ORGANIZATION, name="外区分会",
                                 area=outside, parent=Organization.objects.filter(path__startswith=demo.district.path)
                                 .first())
    before = snapshot()
    with pytest.raises(DomainError) as err:
        demo_build(force=True, **SMALL)
    assert err.value.code == "demo_in_use"
    assert snapshot()[:2] == before[:2]


def test_each_organization_exists_once_and_is_named_once_per_area(demo):
    """A "双报到" unit such as 幸福区人民医院 serves many communities but is one organization (at the district), so
    a 责任单位 picker lists it once; and no area holds two organizations of the same name."""
    names = Counter(Organization.objects.filter(kind=OrganizationKind.DUAL_REGISTRATION_UNIT)
                    .values_list("name", flat=True))
    assert names and set(names.values()) == {1}
    per_area = Organization.objects.values("area", "name").annotate(n=Count("pk")).filter(n__gt=1)
    assert not per_area.exists()
    liaisons = RoleAssignment.objects.filter(organization__kind=OrganizationKind.DUAL_REGISTRATION_UNIT,
                                             title="双报到联络员")
    assert liaisons.values("path").distinct().count() == 2  # each community has its own liaison to the unit
    assert {len(path) for path in liaisons.values_list("organization__path", flat=True)} == {len(path_segment(1))}
