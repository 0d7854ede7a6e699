"""The 1+8+N parties through the API (docs/parties.md): ordinary people labelled as the eight parties are
flagged `party_unverified` and leave the parties missing in the dry run; a blocking template refuses the plan
with `missing_parties` and `unverified` in the details, and refuses to send the invitations once a holder left."""

from __future__ import annotations

import pytest

from yishiting.api.tests.conftest import assert_error
from yishiting.deliberation.models import ProcessTemplate
from yishiting.deliberation.tests.test_meetings import party_people

from .test_deliberation_meetings import body

pytestmark = pytest.mark.django_db


def test_the_dry_run_flags_labels_not_held(world, api_as):
    secretary = api_as("community_secretary")
    fake = secretary.post("/meetings/check", body(world, people=party_people(world, real=False)))
    assert fake.status_code == 200, fake.content.decode()
    got = fake.json()
    assert got["ok"] is True and len(got["missing_parties"]) == 8  # the default template warns
    unverified = [w for w in got["warnings"] if w["code"] == "party_unverified"]
    assert len(unverified) == 8 and "不计入“物业公司”一方" in " ".join(w["message"] for w in unverified)
    real = secretary.post("/meetings/check", body(world)).json()
    assert real["missing_parties"] == [] and not [w for w in real["warnings"] if w["code"] == "party_unverified"]


def test_a_blocking_template_refuses_the_plan_and_later_the_notice(world, api_as):
    ProcessTemplate.objects.filter(code="kenli-345").update(parties_block=True)
    secretary = api_as("community_secretary")
    error = assert_error(secretary.post("/meetings", body(world, people=party_people(world, real=False))), 400)
    assert "物业公司" in error["message"] and len(error["details"]["unverified"]) == 8
    assert "property" in error["details"]["missing_parties"]
    people = party_people(world)
    planned = secretary.post("/meetings", body(world, people=people))
    assert planned.status_code == 201, planned.content.decode()
    [lawyer] = [p.person for p in people if p.party == "legal_adviser"]
    lawyer.roles.update(is_active=False)  # the adviser's post ended before the invitations went out
    refused = assert_error(secretary.post(f"/meetings/{planned.json()['id']}/notify"), 400, "parties_missing")
    assert "法律顾问" in refused["message"] and refused["details"]["missing_parties"] == ["legal_adviser"]
