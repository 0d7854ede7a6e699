"""The area tree and people: paths, levels, duplicates, masking and audited unmasking."""

from decimal import Decimal

import pytest

from yishiting.areas import services
from yishiting.areas.models import Area, AreaLevel, Household, Organization, Person
from yishiting.areas.selectors import area_ancestors, community_of, households_under
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.models import AuditEntry


def test_paths_nest_and_subtree_is_a_prefix(world):
    s1, c1, u1 = world.areas["S1"], world.areas["C1"], world.areas["U1"]
    assert c1.path.startswith(s1.path) and u1.path.startswith(c1.path)
    assert sorted(h.number for h in households_under(s1)) == ["101", "102", "201"]
    assert [a.code for a in area_ancestors(u1)] == ["D", "S1", "C1", "G1", "B1", "U1"]
    assert community_of(u1) == c1
    assert u1.full_name == "幸福区/东风街道/幸福苑社区/幸福苑小区/幸福苑3栋/1单元"


def test_search_key_has_pinyin_initials(world):
    assert world.areas["B1"].search_key.startswith("xfy3d")


def test_child_at_a_wrong_level_is_refused_and_nothing_written(world):
    before = Area.objects.count()
    with pytest.raises(DomainError) as err:
        services.area_create(actor=None, name="错层楼", level=AreaLevel.objects.get(code="building"),
                             code="BAD", parent=world.areas["S1"])
    assert err.value.code == "wrong_level" and "只能建" in err.value.message
    assert Area.objects.count() == before


def test_duplicate_area_code_is_refused(world):
    with pytest.raises(DomainError, match="已被使用"):
        services.area_create(actor=None, name="新社区", level=AreaLevel.objects.get(code="community"),
                             code="C1", parent=world.areas["S1"])


def test_rename_updates_full_names_below(world):
    services.area_rename(actor=None, area=world.areas["C1"], name="幸福家园社区")
    assert Area.objects.get(code="U1").full_name == "幸福区/东风街道/幸福家园社区/幸福苑小区/幸福苑3栋/1单元"


def test_households_only_under_units_with_exact_area(world):
    with pytest.raises(DomainError, match="不能直接登记住户"):
        services.household_create(actor=None, unit=world.areas["B1"], number="1", exclusive_area="80")
    with pytest.raises(DomainError, match="两位小数"):
        services.household_create(actor=None, unit=world.areas["U1"], number="103", exclusive_area="80.125")
    with pytest.raises(DomainError, match="已有户号"):
        services.household_create(actor=None, unit=world.areas["U1"], number="101", exclusive_area="80")
    household = services.household_create(actor=None, unit=world.areas["U1"], number="103", exclusive_area="80.1")
    assert Household.objects.get(pk=household.pk).exclusive_area == Decimal("80.10")


def test_duplicate_id_number_is_refused(world):
    services.person_create(actor=None, name="刘一", id_number="11010519491231002X", area=world.areas["C1"])
    with pytest.raises(DomainError) as err:
        services.person_create(actor=None, name="刘二", id_number="11010519491231002x", area=world.areas["C1"])
    assert err.value.code == "duplicate_id_number"
    with pytest.raises(DomainError, match="校验位"):
        services.person_create(actor=None, name="刘三", id_number="110105194912310021", area=world.areas["C1"])
    assert Person.objects.filter(name__startswith="刘").count() == 1


def test_person_shown_masked_and_revealed_only_with_permission_and_audit(world):
    person = world.people["resident"]
    assert str(person) == "张*"
    clear = services.person_reveal(actor=world.users["community_staff"], person=person)
    assert clear["mobile"] == "13800000001"
    with pytest.raises(PermissionDeniedError):
        services.person_reveal(actor=world.users["grid_worker"], person=person)
    with pytest.raises(PermissionDeniedError):  # sibling community's staff scope does not reach
        services.person_reveal(actor=world.users["community_staff"], person=world.people["resident2"])
    outcomes = list(AuditEntry.objects.filter(action="unmask").order_by("at").values_list("username", "outcome"))
    assert outcomes == [("community_staff", "success"), ("grid_worker", "denied"), ("community_staff", "denied")]


def test_handler_role_needs_an_organization(world):
    with pytest.raises(DomainError, match="必须指定所属组织"):
        services.role_assign(actor=None, person=world.people["resident"], role="handler", area=world.areas["C1"])


def test_an_organization_name_is_taken_once_per_area_whatever_its_kind(world):
    admin, area = world.users["admin"], world.areas["C1"]
    services.organization_create(actor=admin, kind="resident_unit", name="幸福区人民医院", area=area)
    with pytest.raises(DomainError) as refused:
        services.organization_create(actor=admin, kind="dual_registration_unit", name=" 幸福区人民医院 ", area=area)
    assert refused.value.code == "duplicate_organization" and "同一区域内组织名称不能重复" in refused.value.message
    assert Organization.objects.filter(name="幸福区人民医院").count() == 1
    elsewhere = services.organization_create(actor=admin, kind="dual_registration_unit", name="幸福区人民医院",
                                             area=world.areas["C2"])
    assert elsewhere.pk  # another area may have its own


def test_the_migration_renames_older_duplicates_instead_of_failing():
    """0003 runs before the new constraint: rows sharing an area and a name get their kind appended (the first
    keeps its name), nothing is deleted or merged."""
    import importlib

    migration = importlib.import_module("yishiting.areas.migrations.0003_organization_unique_name_area")
    rows = [(1, 7, "幸福区人民医院", "resident_unit"), (2, 7, "幸福区人民医院", "dual_registration_unit"),
            (3, 8, "幸福区人民医院", "dual_registration_unit"), (4, 7, "幸福区人民医院（“双报到”单位）", "law_firm"),
            (5, 7, "幸福区人民医院", "dual_registration_unit")]
    assert migration.new_names(rows) == {2: "幸福区人民医院#2", 5: "幸福区人民医院#5"}  # the kind-name is taken
    assert migration.new_names(rows[:3]) == {2: "幸福区人民医院（“双报到”单位）"}
