"""The product's text rule (docs/text-input.md) at the site's edge: every form class carries it, every create form
refuses nasty text with a Chinese error and writes nothing, and every query or path parameter is checked before
a view runs — answered in the format of where it was sent (a page, the API, Open311 JSON or XML)."""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.test import Client, RequestFactory
from lxml import html as lxml_html

import yishiting
from yishiting.accounts.services import token_create
from yishiting.common.forms import TextRuleMixin
from yishiting.common.text import CONTROL_MESSAGE
from yishiting.deliberation.services.topics import topic_propose

pytestmark = pytest.mark.django_db

NASTY = {"nul": "幸福苑\x00电梯", "escape": "\x1b[31m电梯坏了", "surrogate": "电梯\ud800坏了",
         "huge": "长" * 30 + "a" * 100_000, "rtl": "电梯\u202e了坏"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _project_modules() -> None:
    """Import every module of the product (not its tests or migrations): every form class is then defined."""
    for info in pkgutil.walk_packages(yishiting.__path__, "yishiting."):
        if not re.search(r"\.(tests|migrations)(\.|$)|\.pytest_env$", info.name):
            importlib.import_module(info.name)


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def test_every_form_class_of_the_project_applies_the_text_rule(world):
    _project_modules()
    ours = {cls for cls in _subclasses(forms.BaseForm)
            if cls.__module__.startswith("yishiting.") and ".tests" not in cls.__module__}
    assert len(ours) > 40  # the walk found the forms (web pages, admin)
    assert sorted(f"{c.__module__}.{c.__qualname__}" for c in ours if not issubclass(c, TextRuleMixin)) == []
    # The admin's forms are generated from its ModelAdmin: each one derives from the checked base.
    request = RequestFactory().get("/admin/")
    request.user = _superuser()
    for model, model_admin in admin.site._registry.items():
        if model.__module__.startswith("yishiting."):
            classes = [model_admin.get_form(request), model_admin.form, *(getattr(model_admin, name) for name in
                                                                         ("add_form", "change_password_form")
                                                                         if hasattr(model_admin, name))]
            assert all(issubclass(cls, TextRuleMixin) for cls in classes), (model, classes)


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "", "x")


def test_a_form_refuses_a_nul_in_a_choice_before_reading_the_database(world):
    """A choice field looks its value up: a NUL is refused first, on that field, in Chinese."""
    from yishiting.web.forms.demands import DemandSubmitForm

    form = DemandSubmitForm({"text": "幸福苑3栋电梯坏了两天", "area": "1\x00", "urgency": "normal\x00"},
                            areas=world.areas["B1"].__class__.objects.all())
    assert not form.is_valid()
    assert form.errors["area"] == [CONTROL_MESSAGE] and form.errors["urgency"] == [CONTROL_MESSAGE]


# ---- every create form, as the persona who fills it in --------------------------------------------------

def _things(world) -> dict[str, int]:
    from yishiting.handling.tests.tasks_world import handling_topic

    topic = topic_propose(actor=world.users["community_secretary"], title="幸福苑3栋加装电梯",
                          description="3栋居民多为老人。", level_area=world.areas["C1"], scope_area=world.areas["B1"])
    handled, resolution = handling_topic(world, title="幸福苑3栋外墙修补")
    return {"topic": topic.pk, "handled": handled.pk, "resolution": resolution.pk}


# (persona, page with the form, the form's action)
CREATE_FORMS = [
    ("resident", "/demands/new/", "/demands/new/"),
    ("grid_worker", "/demands/entry/", "/demands/entry/"),
    ("community_secretary", "/topics/new/", "/topics/new/"),
    ("resident", "/topics/{topic}/", "/topics/{topic}/opinion/"),
    ("community_secretary", "/venues/", "/venues/"),
    ("community_secretary", "/meetings/new/?topic={topic}", "/meetings/new/"),
    ("community_secretary", "/notices/new/?resolution={resolution}", "/notices/new/"),
    ("community_staff", "/topics/{handled}/tasks/new/", "/topics/{handled}/tasks/new/"),
    ("grid_worker", "/tokens/", "/tokens/"),
    ("resident", "/password/", "/password/"),
]
TEXT_INPUTS = {"text", "search", "tel", "email", "url", "password"}


def _rows() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model.__module__.startswith("yishiting.") and model._meta.label != "common.AuditEntry"}


def _form(page: str, page_url: str, action: str):
    """The page's POST form to `action` (a form without an action posts to the page's own address) and where
    it posts."""
    for form in lxml_html.fromstring(page).forms:
        target = form.get("action") or page_url
        if form.method.upper() == "POST" and target.split("?")[0] == action:
            return form, target
    raise AssertionError(f"no POST form to {action}")


def _filled(form, nasty: str) -> tuple[dict, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    typed = []
    for element in form.inputs:
        kind = element.get("type", "text") if element.tag == "input" else element.tag
        name = element.get("name")
        if name and (kind in TEXT_INPUTS or element.tag == "textarea"):
            data[name] = [nasty]
            typed.append(name)
    return data, typed


@pytest.mark.parametrize("nasty", NASTY, ids=list(NASTY))
def test_every_create_form_refuses_nasty_text_in_chinese_and_writes_nothing(world, as_persona, file_media, nasty):
    ids = _things(world)
    problems = []
    for persona, page_url, action_url in CREATE_FORMS:
        page_url, action = page_url.format(**ids), action_url.format(**ids)
        client = as_persona(persona)
        page = client.get(page_url)
        assert page.status_code == 200, (persona, page_url, page.status_code)
        form, target = _form(page.content.decode(), page_url, action)
        data, typed = _filled(form, NASTY[nasty])
        assert typed, (action, "no text field")
        before = _rows()
        # As a browser sends it: UTF-8, where a lone surrogate becomes bytes that decode to no character.
        body = urlencode(data, doseq=True, encoding="utf-8", errors="surrogatepass")
        response = client.post(target, body, content_type="application/x-www-form-urlencoded")
        after = _rows()
        alerts = [" ".join(el.text_content().split()) for el in
                  lxml_html.fromstring(response.content.decode()).xpath('//*[@role="alert"]')]
        if response.status_code >= 500 or response.status_code in (301, 302) or before != after \
                or not any(CJK.search(alert) for alert in alerts):
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            problems.append(f"{persona} {action}: {response.status_code}, rows {changed}, alerts {alerts[:3]}")
    assert problems == []


# ---- query strings and path parameters --------------------------------------------------------------------

@pytest.mark.parametrize(("persona", "url"), [
    ("community_staff", "/demands/inbox/?q=a%00b"),
    ("community_staff", "/areas/?q=%1B%5B31m"),
    ("community_secretary", "/pick/person/?q=%E2%80%AE"),
    ("grid_worker", "/demands/entry/areas/?q=a%00"),
    ("community_staff", "/tasks/?status=%00"),
    ("resident", "/claims/buildings/?q=" + "a" * 20_001),
])
def test_a_refused_query_parameter_is_a_chinese_400_naming_it(world, as_persona, persona, url):
    response = as_persona(persona).get(url)
    assert response.status_code == 400
    refusal = lxml_html.fromstring(response.content.decode()).get_element_by_id("refusal").text_content()
    name = re.search(r"\?(\w+)=", url).group(1)
    assert refusal.startswith(f"“{name}”：") and CJK.search(refusal)


def test_a_refused_path_parameter_is_named(world, as_persona):
    response = as_persona("community_secretary").get("/pick/pe%00rson/?q=王")
    assert response.status_code == 400
    assert "“kind”：不能包含控制字符" in response.content.decode()


def test_an_api_query_parameter_with_an_escape_is_a_422_naming_it(world):
    _, secret = token_create(actor=world.users["community_staff"], name="测试")
    response = Client().get("/api/v1/areas", {"q": "\x1b[2J"}, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422
    error = response.json()["details"]["errors"][0]
    assert (error["location"], error["field"], error["type"]) == ("query", "q", "text_invalid_character")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_a_nul_in_its_own_error_format(world, fmt):
    _, secret = token_create(actor=world.users["resident"], name="测试")
    for url in (f"/open311/v2/requests.{fmt}?api_key={secret}&service_code=road%00",
                f"/open311/v2/services/ro%00ad.{fmt}"):
        response = Client().get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"].startswith("application/json" if fmt == "json" else "text/xml")
        if fmt == "json":
            [error] = json.loads(response.content)
        else:
            error = {child.tag: child.text for child in ElementTree.fromstring(response.content).find("error")}
        assert str(error["code"]) == "400" and "不能包含控制字符" in error["description"], error
