"""/api/v1/mediation: who sees a case (role × scope matrix: another resident of the same community sees nothing),
masking per viewer, refusals in the one error shape with a Chinese message, committees, OpenAPI."""

from __future__ import annotations

from datetime import date

import pytest

from yishiting.mediation.models import Attempt, CaseParty
from yishiting.mediation.tests.world import accepted_case, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    build(world)
    return accepted_case(world)


# persona → sees the case? (parties, the assigned mediator, office staff of C1 and above; nobody else)
MATRIX = [
    ("resident", True), ("neighbour", True), ("mediator", True), ("community_staff", True),
    ("community_secretary", True), ("street_official", True), ("district_official", True), ("admin", True),
    ("bystander", False), ("grid_worker", False), ("resident2", False), ("resident3", False), ("handler", False),
    ("adviser", False), ("street_mediator", False),
]


@pytest.mark.parametrize("persona, sees", MATRIX)
def test_who_sees_a_case(api_as, case, persona, sees):
    client = api_as(persona)
    listed = client.get("/mediation/cases").json()
    detail = client.get(f"/mediation/cases/{case.pk}")
    document = client.get(f"/mediation/cases/{case.pk}/agreement/document")
    if sees:
        assert [c["id"] for c in listed["items"]] == [case.pk] and detail.status_code == 200
        assert document.status_code == 404 and "还没有调解协议" in document.json()["message"]
    else:
        assert listed == {"count": 0, "page": 1, "page_size": 50, "items": [], "count_capped": False, "has_next": False}
        assert detail.status_code == 404 and detail.json()["code"] == "not_found"
        assert document.status_code == 404
        writes = client.post(f"/mediation/cases/{case.pk}/escalate", {"reason": "试一试"})
        assert writes.status_code == 404


def test_parties_are_masked_for_all_but_mediators_and_supervisors(api_as, case):
    def names(persona):
        return {p["side"]: (p["name"], p["mobile"]) for p in
                api_as(persona).get(f"/mediation/cases/{case.pk}").json()["parties"]}

    full = {"applicant": ("张三", "13800000001"), "respondent": ("王邻居", "13900000001")}
    assert names("mediator") == names("community_secretary") == names("district_official") == full
    assert names("resident") == {"applicant": full["applicant"], "respondent": ("王**", "139****0001")}
    assert names("neighbour") == {"applicant": ("张*", "138****0001"), "respondent": full["respondent"]}


def test_refusals_use_the_error_shape_and_write_nothing(api_as, case):
    mediator = api_as("mediator")
    path = f"/mediation/cases/{case.pk}/attempts"
    body = {"held_on": date.today().isoformat(), "place": "调解室", "mediator_ids": [case.mediators.get().person_id],
            "party_ids": list(case.parties.values_list("pk", flat=True)), "result": "failed"}
    typo = mediator.post(path, {**body, "reslut": "failed"})
    assert typo.status_code == 422
    blank = mediator.post(path, {**body, "place": " "})
    assert blank.status_code in (400, 422) and any("\u4e00" <= ch <= "\u9fff" for ch in blank.json()["message"])
    future = mediator.post(path, {**body, "held_on": "2099-01-01"})
    assert future.status_code == 400 and future.json()["details"] == {"field": "held_on"}
    assert "晚于今天" in future.json()["message"]
    stranger = mediator.post(path, {**body, "party_ids": [999999]})
    assert stranger.status_code == 404
    assert not Attempt.objects.filter(case=case).exists()
    assert mediator.post(path, body).status_code == 201
    again = mediator.post(path, {**body, "number": 1})
    assert again.status_code == 409 and again.json()["code"] == "stale_attempt"
    resident = api_as("resident")
    forbidden = resident.post(path, body)
    assert forbidden.status_code == 403 and "调解员" in forbidden.json()["message"]


def test_a_party_states_its_facts_and_asks_for_a_public_hearing(api_as, case):
    mine = CaseParty.objects.get(case=case, person__user__username="neighbour")
    client = api_as("neighbour")
    stated = client.post(f"/mediation/cases/{case.pk}/parties/{mine.pk}/statement", {"statement": "管道是公共的"})
    assert stated.status_code == 200
    heard = client.post(f"/mediation/cases/{case.pk}/hearing", {"hearing": "public", "party_id": mine.pk})
    assert heard.json()["hearing"] == "public"
    other = CaseParty.objects.get(case=case, person__user__username="resident")
    assert client.post(f"/mediation/cases/{case.pk}/parties/{other.pk}/statement",
                       {"statement": "替对方说"}).status_code == 403


def test_committees_are_listed_and_kept_by_the_office(api_as, world, case):
    secretary = api_as("community_secretary")
    committees = {c["area"]["id"]: c for c in secretary.get("/mediation/committees").json()}
    c1 = committees[world.areas["C1"].pk]
    assert {m["kind_label"] for m in c1["members"]} == {"法治明白人", "法律顾问"}
    added = secretary.post(f"/mediation/committees/{c1['id']}/members",
                           {"person_id": world.people["resident3"].pk, "kind": "retired_party_member"})
    assert added.status_code == 201 and "退休党员" in {m["kind_label"] for m in added.json()["members"]}
    again = secretary.post(f"/mediation/committees/{c1['id']}/members", {"person_id": world.people["resident3"].pk})
    assert again.status_code == 409
    assert api_as("bystander").get("/mediation/committees").json() == []
    assert api_as("bystander").post("/mediation/committees", {"area_id": world.areas["C1"].pk}).status_code == 403


def test_a_resident_applies_through_the_api(api_as, world, case):
    applied = api_as("resident3").post("/mediation/cases/apply", {
        "area_id": world.areas["U3"].pk, "title": "物业费纠纷", "statement": "物业多收了费用",
        "respondent": {"side": "respondent", "kind": "organization", "organization_id":
                       world.organizations["property"].pk}})
    assert applied.status_code == 201, applied.json()
    body = applied.json()
    assert body["source"] == "application" and body["status_label"] == "待受理"
    assert {p["side"]: p["name"] for p in body["parties"]}["respondent"] == "幸福苑物业服务有限公司"


def test_the_openapi_documents_mediation(api_as, world):
    paths = api_as(None).get("/openapi.json").json()["paths"]
    assert {"/api/v1/mediation/cases", "/api/v1/mediation/cases/{case_id}/attempts",
            "/api/v1/mediation/cases/{case_id}/agreement/signatures"} <= set(paths)


def test_the_case_list_costs_the_same_whatever_its_length(api_as, world, case, django_assert_max_num_queries):
    from yishiting.mediation.tests.world import screened_case

    for _ in range(5):
        screened_case(world)
    client = api_as("community_secretary")
    with django_assert_max_num_queries(12):
        listed = client.get("/mediation/cases").json()
    assert listed["count"] == 6


def test_an_organisation_party_is_seen_by_its_representative(api_as, world, case):
    from yishiting.areas.choices import Role
    from yishiting.areas.services import role_assign
    from yishiting.mediation.choices import Side
    from yishiting.mediation.services import PartyInput, party_add

    property_company = world.organizations["property"]
    role_assign(actor=None, person=world.people["resident3"], role=Role.ORG_REPRESENTATIVE,
                area=world.areas["C1"], organization=property_company)
    party_add(actor=world.users["community_secretary"], case=case,
              party=PartyInput(side=Side.RESPONDENT, kind="organization", organization=property_company))
    seen = api_as("resident3").get(f"/mediation/cases/{case.pk}").json()
    mine = [p for p in seen["parties"] if p["is_self"]]
    assert [p["name"] for p in mine] == ["幸福苑物业服务有限公司"] and seen["is_party"]


def test_the_last_attempt_needs_the_guidance_and_closes_the_case(world, api_as):
    from yishiting.web.tests.test_mediation_last_attempt import GUIDANCE, one_attempt_case

    case = one_attempt_case(world)
    client = api_as("mediator")
    body = {"held_on": date.today().isoformat(), "place": "社区调解室",
            "mediator_ids": [world.people["mediator"].pk], "party_ids": [], "result": "failed"}
    missing = client.post(f"/mediation/cases/{case.pk}/attempts", body)
    assert missing.status_code == 400 and missing.json()["details"] == {"field": "guidance"}
    assert not Attempt.objects.filter(case=case).exists()
    done = client.post(f"/mediation/cases/{case.pk}/attempts", {**body, "guidance": GUIDANCE})
    assert done.status_code == 201 and done.json()["status"] == "closed"


def test_the_agreement_document_schema_is_the_selectors_fields_in_print_order():
    """AgreementDocumentOut is derived from mediation.selectors.AgreementDocument: a field added there shows in
    the API (internal ones excepted), in the same order, with the same required list."""
    import dataclasses

    from yishiting.api.api import api
    from yishiting.mediation.selectors import AgreementDocument

    schema = api.get_openapi_schema(path_prefix="/api/v1/")["components"]["schemas"]["AgreementDocumentOut"]
    public = [f.name for f in dataclasses.fields(AgreementDocument) if not f.metadata.get("internal")]
    assert list(schema["properties"]) == public == schema["required"]
    assert public[:5] == ["number", "committee", "tier", "level", "form"] and "case_id" not in public
    assert "调委会" in schema["properties"]["committee"]["description"]
    assert schema["properties"]["perform_by"]["anyOf"] == [{"format": "date", "type": "string"}, {"type": "null"}]
