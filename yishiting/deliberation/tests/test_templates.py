"""Process templates: the two shipped ones, edited in the back office through the service (validated, every
change an event), read-only for the staff who convene."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.accounts.models import User
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.services.templates import template_check, template_save

pytestmark = pytest.mark.django_db


def test_the_two_shipped_templates_say_what_the_seeds_say(db):
    kenli = ProcessTemplate.objects.get(code="kenli-345")
    assert len(kenli.required_parties) == 8 and kenli.cadence == "tens" and kenli.steps[0] == "集"
    nanchang = ProcessTemplate.objects.get(code="nanchang-round-table")
    assert (nanchang.min_size, nanchang.max_size, nanchang.meeting_forms) == (15, 25, ["round_table"])
    assert nanchang.steps == ["确定议题", "征求意见", "分析研判", "协商议事", "项目公示", "项目实施", "监督执行"]
    assert (nanchang.quorum_numerator, nanchang.quorum_denominator, nanchang.notice_days) == (2, 3, 3)


SEED_STEPS = {
    "kenli-345": ["集", "定", "议", "公", "办", "督", "评", "备"],
    "nanchang-round-table": ["确定议题", "征求意见", "分析研判", "协商议事", "项目公示", "项目实施", "监督执行"],
    "shuangyashan-5fang": ["提议", "商议", "办理", "评议"],
    "altay-qiaxiu": ["诉求收集", "议题筛选", "组织协商", "结果公示", "落实反馈"],
    "cenxi-linli": ["中心户提议", "支部审议", "支部及业委会联议", "决议公开", "结果公开"],
    "yangzhou-5yi": ["提议", "合议", "群议", "决议", "评议"],
}


@pytest.mark.parametrize("code", sorted(SEED_STEPS))
def test_every_seed_locality_ships_a_valid_template_mapping_its_steps_onto_the_eight_stages(db, code):
    template = ProcessTemplate.objects.get(code=code)
    template_check(template)
    assert template.steps == SEED_STEPS[code]
    mapped = [step for names in template.stage_names.values() for step in names]
    assert set(mapped) == set(template.steps), "every local step sits in at least one canonical stage"
    assert template.publicity_days >= 5 and sum(template.evaluation_weights.values()) == 100


def test_shuangyashan_rates_the_five_parties_of_the_seed(db):
    template = ProcessTemplate.objects.get(code="shuangyashan-5fang")
    assert [p["name"] for p in template.mutual_parties] == ["居委会", "业委会", "物业企业", "驻区单位", "社区警务"]
    assert template.evaluation_weights["parties"] > 0


@pytest.mark.parametrize("fields, field", [
    ({"meeting_forms": ["tea_party"]}, "meeting_forms"),
    ({"required_parties": ["mayor"]}, "required_parties"),
    ({"chairs": {"community": ["emperor"]}}, "chairs"),
    ({"min_size": 30, "max_size": 20}, "min_size"),
    ({"quorum_numerator": 4, "quorum_denominator": 3}, "quorum_numerator"),
    ({"publicity_days": 4}, "publicity_days"),
    ({"stage_names": {"tea": ["喝茶"]}}, "stage_names"),
    ({"major_rule": {"owners_matters": ["sell_the_park"]}}, "major_rule"),
    ({"legal_review_level": "planet"}, "legal_review_level"),
    ({"evaluation_weights": {"residents": 60, "parties": 20, "organization": 30}}, "evaluation_weights"),
    ({"yellow_percent": 100}, "yellow_percent"),
    ({"mutual_parties": [{"code": "property", "name": "物业"}, {"code": "property", "name": "物业2"}]},
     "mutual_parties"),
])
def test_a_bad_template_is_refused_and_nothing_changes(world, fields, field):
    admin = User.objects.create_superuser("root", password="Root-Pass-2026")
    template = ProcessTemplate.objects.get(code="kenli-345")
    with pytest.raises(DomainError) as caught:
        template_save(actor=admin, template=template, **fields)
    assert caught.value.details["field"] == field
    template.refresh_from_db()
    assert template.meeting_forms[0] == "round_table" and template.min_size is None


def test_only_admins_change_templates_and_each_change_is_an_event(world):
    template = ProcessTemplate.objects.get(code="nanchang-round-table")
    with pytest.raises(PermissionDeniedError):
        template_save(actor=world.users["community_secretary"], template=template, max_size=30)
    changed = template_save(actor=world.users["admin"], template=template, max_size=30, notice_days=2)
    assert (changed.max_size, changed.notice_days) == (30, 2)
    assert [e.payload["fields"] for e in events_of(changed)] == [["max_size", "notice_days"]]


def test_the_admin_page_edits_a_template_through_the_service(world):
    admin = User.objects.create_superuser("root", password="Root-Pass-2026")
    client = Client()
    client.force_login(admin)
    template = ProcessTemplate.objects.get(code="nanchang-round-table")
    url = f"/admin/deliberation/processtemplate/{template.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "幸福圆桌会" in page.content.decode()
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    for name in ("meeting_forms", "chairs", "required_parties", "steps", "stage_names", "major_rule",
                 "evaluation_weights", "mutual_parties", "bodies", "deliberate_first", "rules"):
        data[name] = form[name].value()
    data.update({"min_size": 12, "max_size": 25, "is_active": "on", "parties_block": ""})
    data.update({"assignments-TOTAL_FORMS": "0", "assignments-INITIAL_FORMS": "0"})  # the 适用区域 inline, read-only
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert template.min_size == 12 and events_of(template).count() == 1


def test_the_district_picks_its_default_template_and_there_is_only_one(world):
    from yishiting.deliberation.services.topics import default_template

    assert default_template().code == "kenli-345"
    admin = User.objects.create_superuser("root", password="Root-Pass-2026")
    template_save(actor=admin, template=ProcessTemplate.objects.get(code="cenxi-linli"), is_default=True)
    assert default_template().code == "cenxi-linli"
    assert list(ProcessTemplate.objects.filter(is_default=True).values_list("code", flat=True)) == ["cenxi-linli"]
