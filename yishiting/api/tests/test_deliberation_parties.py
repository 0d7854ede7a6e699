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



def test_the_dry_run_names_who_could_fill_each_missing_party_masked_as_the_page_masks(world, api_as):
    """The check's missing parties come with a few real holders each (as the plan page lists them): not those
    already on the list, names clear only where the page would show them clear (else masked), and where nobody
    holds a party the entry says so."""
    from yishiting.areas.pickers import rows_for
    from yishiting.areas.services import person_create
    from yishiting.common.masking import mask_name
    from yishiting.deliberation.selectors.parties import CANDIDATES
    from yishiting.deliberation.tests.test_meetings import hold_party

    fakes = party_people(world, real=False)
    holders = {}
    for i, party in enumerate(("property", "legal_adviser", "grid_worker")):
        person = person_create(actor=None, name=f"持方{i}号", mobile=f"13800{i:06d}", area=world.areas["C1"])
        hold_party(person, party, world.areas["C1"])
        holders[party] = person
    got = api_as("community_secretary").post("/meetings/check", body(world, people=fakes)).json()
    by_party = {m["party"]: m for m in got["missing_party_candidates"]}
    assert set(by_party) == set(got["missing_parties"]) and len(by_party) == 8
    listed = {f.person.pk for f in fakes} | {world.people["community_secretary"].pk}
    for entry in by_party.values():
        assert entry["label"] and entry["holders"] and len(entry["candidates"]) <= CANDIDATES
        assert not {c["person_id"] for c in entry["candidates"]} & listed
        assert entry["candidates"] or entry["none_text"]
    for party, person in holders.items():
        entry = by_party[party]
        if entry["more"]:
            continue
        [row] = [c for c in entry["candidates"] if c["person_id"] == person.pk]
        page_row = rows_for(world.users["community_secretary"], [(person, None)])[0]
        assert row["name"] == page_row.name and row["name"] in (person.name, mask_name(person.name))
        assert row["phone_tail"] == person.mobile[-4:]
