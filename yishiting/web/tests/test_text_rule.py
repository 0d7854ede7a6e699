"""The web forms apply the product's text rule (docs/text-input.md) as the API does: a control character is the
field's own error, in Chinese, and nothing is written."""

from __future__ import annotations

import pytest
from django import forms

from yishiting.common.forms import Form
from yishiting.common.text import CONTROL_MESSAGE
from yishiting.demands.models import Demand
from yishiting.web.forms.demands import DomainErrorsMixin

from .test_demands_submit import TEXT, form_token, post_demand

pytestmark = pytest.mark.django_db


class NoteForm(DomainErrorsMixin, Form):
    note = forms.CharField(required=False)


@pytest.mark.parametrize("bad", ["a\x00b", "响铃\x07", "\x1b[31m", "\ud800"])
def test_every_form_refuses_control_characters_on_the_field(bad):
    form = NoteForm(data={"note": "备注" + bad})
    assert not form.is_valid() and form.errors["note"] == [CONTROL_MESSAGE]


def test_line_breaks_and_tabs_are_text():
    assert NoteForm(data={"note": "第一行\r\n\t第二行"}).is_valid()


def test_the_demand_page_names_the_field_and_keeps_nothing(world, as_persona):
    client = as_persona("resident")
    token = form_token(client.get("/demands/new/").content.decode())
    response = post_demand(client, world.areas["U1"], text=TEXT + "\x07", token=token)
    assert response.status_code == 200 and CONTROL_MESSAGE in response.content.decode()
    assert Demand.objects.count() == 0
