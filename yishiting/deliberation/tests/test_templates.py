"""Process templates: the two shipped ones, edited in the back office through the service (validated, every
change an event), read-only for the staff who convene."""

from __future__ import annotations

import pytest
from django.test import Client

from yishiting.accounts.models import User
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.services.templates import template_save

pytestmark = pytest.mark.django_db


def test_the_two_shipped_templates_say_what_the_seeds_say(db):
    kenli = ProcessTemplate.objects.get(code="kenli-345")
    assert len(kenli.required_parties) == 8 and kenli.cadence == "tens" and kenli.steps[0] == "集"
    nanchang = ProcessTemplate.objects.get(code="nanchang-round-table")
    assert (nanchang.min_size, nanchang.max_size, nanchang.meeting_forms) == (15, 25, ["round_table"])
    assert nanchang.steps == ["确定议题", "征求意见", "分析研判", "协商议事", "项目公示", "项目实施", "监督执行"]
    assert (nanchang.quorum_numerator, nanchang.quorum_denominator, nanchang.notice_days) == (2, 3, 3)


@pytest.mark.parametrize("fields, field", [
    ({"meeting_forms": ["tea_party"]}, "meeting_forms"),
    ({"required_parties": ["mayor"]}, "required_parties"),
    ({"chairs": {"community": ["emperor"]}}, "chairs"),
    ({"min_size": 30, "max_size": 20}, "min_size"),
    ({"quorum_numerator": 4, "quorum_denominator": 3}, "quorum_numerator"),
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
    for name in ("meeting_forms", "chairs", "required_parties", "steps"):
        data[name] = form[name].value()
    data.update({"min_size": 12, "max_size": 25, "is_active": "on", "parties_block": ""})
    data = {k: ("" if v is None else v) for k, v in data.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template.refresh_from_db()
    assert template.min_size == 12 and events_of(template).count() == 1
