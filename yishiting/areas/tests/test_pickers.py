"""The people and organization pickers' search (areas.pickers): every key a person is known by, masking with
an audited reveal only where the viewer may unmask, the matter's own area first, one page at a time."""

import pytest

from yishiting.areas import services
from yishiting.areas.models import Organization, Person
from yishiting.areas.pickers import organizations_pick, people_pick
from yishiting.common.models import AuditEntry

pytestmark = pytest.mark.django_db


def names(page) -> list[str]:
    return [row.name for row in page.rows]


def test_people_are_found_by_name_pinyin_role_place_organization_and_mobile(world):
    staff, everyone = world.users["community_staff"], Person.objects.all()

    def found(term: str) -> set[str]:
        return {key for key, person in world.people.items()
                if person.pk in {row.pk for row in people_pick(staff, everyone, term).rows}}

    assert found("张三") == {"resident"}                     # the whole name
    assert found("zs") == found("zhangsan") == {"resident"}  # pinyin initials, full pinyin
    assert found("网格员") == {"grid_worker"}                 # a role
    assert found("幸福苑3栋") == {"resident"}                 # estate and building read together
    assert "resident2" in found("1单元")                      # a unit's name
    assert found("城管执法队") == {"handler"}                 # an organization
    assert found("13800000009") == {"handler"}              # a whole mobile
    assert found("0001") == {"resident"} and found("00000009") == {"handler"}  # the mobile's last digits
    assert found("") == set() and found("   ") == set()


def test_a_row_tells_people_apart_and_the_staff_who_may_unmask_see_the_name_audited(world):
    page = people_pick(world.users["community_staff"], Person.objects.all(), "张三")
    row = page.rows[0]
    assert (row.name, row.revealed, row.role_label, row.place, row.phone4) == ("张三", True, "居民", "幸福苑小区幸福苑3栋1单元101室",
                                                                               "0001")
    assert row.label == "张三 · 居民 · 幸福苑小区幸福苑3栋1单元101室 · 尾号0001"
    audit = AuditEntry.objects.get(action=AuditEntry.Action.UNMASK)
    assert audit.target == f"people:{world.people['resident'].pk}" and audit.user == world.users["community_staff"]
    handler = people_pick(world.users["community_staff"], Person.objects.all(), "城管执法队").rows[0]
    assert handler.name == "郑**" and not handler.revealed  # outside the staff member's unmask scope: masked
    assert handler.label == "郑** · 承办单位经办人 · 东风街道城管执法队 · 东风街道 · 尾号0009"
    assert AuditEntry.objects.count() == 1  # nothing clear, nothing audited


def test_without_unmask_names_stay_masked_and_cannot_be_typed_in_part(world):
    worker, everyone = world.users["grid_worker"], Person.objects.all()
    whole = people_pick(worker, everyone, "张三")
    assert names(whole) == ["张*"] and not whole.rows[0].revealed  # found by the whole name, shown masked
    assert names(people_pick(worker, everyone, "张")) == []        # never letter by letter
    assert names(people_pick(worker, everyone, "zs")) == []        # a resident's initials: not without unmask
    assert names(people_pick(worker, everyone, "zwg")) == ["赵**"]  # an office holder's initials: yes
    staff = world.users["community_staff"]
    assert names(people_pick(staff, everyone, "张", reveal=False)) == []  # the API's masked search: whole names only
    assert not AuditEntry.objects.exists()


def test_the_matters_own_area_comes_first(world):
    official, everyone = world.users["street_official"], Person.objects.all()
    here = people_pick(official, everyone, "1单元", near=[world.areas["C2"].path]).rows
    there = people_pick(official, everyone, "1单元", near=[world.areas["C1"].path]).rows
    assert here[0].person == world.people["resident2"] and there[0].person == world.people["resident"]


def test_one_page_at_a_time_with_a_hint_that_there_is_more(world):
    unit = world.areas["U1"]
    for i in range(22):
        services.person_create(actor=None, name=f"测试{i:02d}", mobile=f"139000001{i:02d}", area=unit)
    page = people_pick(world.users["community_staff"], Person.objects.all(), "幸福苑3栋")
    assert len(page.rows) == 20 and page.more
    small = people_pick(world.users["community_staff"], Person.objects.all(), "幸福苑3栋", limit=30)
    assert len(small.rows) == 23 and not small.more


def test_organizations_by_name_pinyin_or_kind_nearest_first(world):
    pool = Organization.objects.all()
    assert [r.organization.name for r in organizations_pick(pool, "执法").rows] == ["东风街道城管执法队"]
    assert [r.organization.name for r in organizations_pick(pool, "xfy").rows] == ["幸福苑物业服务有限公司"]
    assert [r.organization.name for r in organizations_pick(pool, "物业").rows] == ["幸福苑物业服务有限公司"]
    services.organization_create(actor=None, kind="property_company", name="和平物业", area=world.areas["C2"])
    near = organizations_pick(pool, "物业", near=[world.areas["C2"].path]).rows
    assert [r.organization.name for r in near] == ["和平物业", "幸福苑物业服务有限公司"]
    assert organizations_pick(pool, "").rows == []
