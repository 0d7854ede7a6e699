"""The meeting runs under its topics' template — the one their area gave them — never one the planner picks:
another template named is refused with nothing planned, topics under different templates are planned apart,
the plan page shows the template without a choice, the API's template_code may be left out."""

from __future__ import annotations

import re

import pytest

from tests.flows.http import signed_in
from yishiting.api.tests.conftest import api_as  # noqa: F401 — the API tests' token client
from yishiting.common.errors import DomainError
from yishiting.deliberation.models import Meeting, ProcessTemplate
from yishiting.deliberation.services.assignments import topic_template_change
from yishiting.deliberation.services.meetings import plan_template

from .test_meetings import kenli, make_topic, plan

pytestmark = pytest.mark.django_db


def test_the_topics_template_decides_and_another_is_refused(world):
    topic = make_topic(world)
    assert plan_template([topic], world.areas["C1"]) == kenli()
    other = ProcessTemplate.objects.exclude(pk=kenli().pk).filter(is_active=True).first()
    with pytest.raises(DomainError) as refused:
        plan(world, topics=[topic], template=other)
    assert refused.value.code == "template_by_area" and kenli().name in refused.value.message
    assert not Meeting.objects.exists()
    assert plan(world, topics=[topic], template=None).template == kenli()


def test_topics_under_different_templates_are_planned_apart(world):
    first, second = make_topic(world), make_topic(world, title="小区南门停车难")
    other = ProcessTemplate.objects.exclude(pk=kenli().pk).filter(is_active=True).first()
    topic_template_change(actor=world.users["admin"], topic=second, template=other, reason="街道试点")
    with pytest.raises(DomainError) as refused:
        plan(world, topics=[first, second], template=None)
    assert refused.value.code == "mixed_templates" and not Meeting.objects.exists()


def test_the_plan_page_shows_the_template_without_a_choice_and_the_api_needs_none(world, api_as):  # noqa: F811
    topic = make_topic(world)
    page = signed_in(world, "community_secretary").get(f"/meetings/new/?topic={topic.pk}").content.decode()
    assert "按议题所在区域适用的模板确定，不能另选" in page
    assert re.search(r'<select name="template"[^>]*disabled', page)
    from yishiting.api.tests.test_deliberation_meetings import body

    spec = body(world, topics=[topic])
    spec.pop("template_code")
    checked = api_as("community_secretary").post("/meetings/check", spec)
    assert checked.status_code == 200, checked.content.decode()
    other = ProcessTemplate.objects.exclude(pk=kenli().pk).filter(is_active=True).first()
    refused = api_as("community_secretary").post("/meetings", {**spec, "template_code": other.code})
    assert refused.status_code == 400 and refused.json()["code"] == "template_by_area"
