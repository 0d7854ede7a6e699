"""Agreements (art. 28, 29, 33), performance, return visit, closing, ratings, archive, the 三率 and verify."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from yishiting.common.errors import Conflict, DomainError, PermissionDeniedError, archived_refusal
from yishiting.common.events import event_append
from yishiting.common.models import Event
from yishiting.common.testing import run_verify
from yishiting.handling.kpis import rates
from yishiting.mediation.agreement_render import agreement_docx, document_from
from yishiting.mediation.choices import (
    AgreementStatus,
    CaseStatus,
    Confirmation,
    ObligationStatus,
    Side,
    Tier,
)
from yishiting.mediation.models import Agreement, MediationCase
from yishiting.mediation.selectors import agreement_document
from yishiting.mediation.services import (
    ObligationInput,
    agreement_attach_scan,
    agreement_confirmation_record,
    agreement_draft,
    agreement_sign,
    agreement_stamp,
    attempt_record,
    case_archive,
    case_close,
    case_rate,
    mediator_assign,
    obligation_check,
    visit_record,
)

from .world import accepted_case, fail_tier

pytestmark = pytest.mark.django_db


def agreed_case(world) -> MediationCase:
    case = accepted_case(world)
    attempt_record(actor=world.users["mediator"], case=case, held_on=date.today(), place="社区调解室",
                   mediators=[world.people["mediator"]], parties_present=list(case.parties.all()),
                   result="success")
    case.refresh_from_db()
    return case


def written(world, case) -> Agreement:
    respondent = case.parties.get(side=Side.RESPONDENT)
    return agreement_draft(
        actor=world.users["mediator"], case=case, content="王邻居承担天花板维修费 1500 元，并维修卫生间防水。",
        facts="2026年11月起楼上卫生间漏水，致楼下天花板受损。", disputed_points="漏水原因及维修费用的承担。",
        responsibilities="楼上住户防水层老化，承担主要责任。", performance="现金支付，请施工队维修防水。",
        perform_by=date.today() + timedelta(days=15),
        obligations=[ObligationInput(party=respondent, text="支付维修费 1500 元", due_on=date.today() + timedelta(days=7)),
                     ObligationInput(party=respondent, text="维修卫生间防水", due_on=date.today() + timedelta(days=15))])


def sign_all(world, case, agreement) -> None:
    for party in case.parties.all():
        agreement_sign(actor=world.users["mediator"], agreement=agreement, party=party)
    agreement_sign(actor=world.users["mediator"], agreement=agreement, mediator=world.people["mediator"])


def test_a_written_agreement_needs_its_article_29_content(world, med):
    case = agreed_case(world)
    with pytest.raises(DomainError) as refused:
        agreement_draft(actor=world.users["mediator"], case=case, content="赔偿 1500 元")
    assert refused.value.details == {"field": "facts"} and "事实" in refused.value.message
    assert not Agreement.objects.filter(case=case).exists()
    oral = agreement_draft(actor=world.users["mediator"], case=case, form="oral", content="当场道歉并赔偿 200 元",
                           oral_note="双方当场履行完毕。")
    assert oral.form == "oral" and oral.status == AgreementStatus.DRAFT


def test_signed_by_every_party_a_mediator_and_stamped_the_agreement_takes_effect(world, med, messages_outbox):
    case = agreed_case(world)
    agreement = written(world, case)
    sign_all(world, case, agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT  # a written agreement also needs the committee's stamp
    with pytest.raises(Conflict):
        agreement_sign(actor=world.users["mediator"], agreement=agreement, party=case.parties.first())
    agreement_stamp(actor=world.users["mediator"], agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EFFECTIVE
    assert agreement.confirmation_due == timezone.localdate() + timedelta(days=30)
    reminded = world.people["resident"].notifications.filter(text__contains="司法确认")
    assert reminded.exists()
    document = agreement_document(case)
    assert document.facts.startswith("2026年11月") and {p["name"] for p in document.parties} == {"张三", "王邻居"}
    assert [s["name"] for s in document.mediator_signatures] == ["黄明白"] and document.stamped_on


def test_an_agreement_reached_at_the_street_names_the_streets_committee(world, med):
    case = accepted_case(world)
    fail_tier(world, case, "mediator", 3)  # the community's three attempts fail: the case moves up
    mediator_assign(actor=world.users["street_official"], case=case, person=world.people["street_mediator"])
    attempt_record(actor=world.users["street_mediator"], case=case, held_on=date.today(), place="街道调解室",
                   mediators=[world.people["street_mediator"]], parties_present=list(case.parties.all()),
                   result="success")
    case.refresh_from_db()
    agreement = agreement_draft(actor=world.users["street_mediator"], case=case, form="oral", content="赔偿 800 元",
                                oral_note="双方当场同意。")
    document = agreement_document(case)
    assert case.committee.name == "幸福苑社区人民调解委员会"  # where it opened …
    assert document.committee == "东风街道人民调解委员会" and document.tier == Tier.STREET  # … not who agreed it
    assert document.level == "镇街深调" and document.mediators == ["林调解"]
    assert "东风街道人民调解委员会（盖章）" in agreement_docx_text(document_from(document))
    assert agreement.attempt.tier == Tier.STREET


def test_an_agreement_reached_at_the_community_names_its_committee(world, med):
    case = agreed_case(world)
    written(world, case)
    document = agreement_document(case)
    assert document.committee == "幸福苑社区人民调解委员会" and document.level == "社区初调"


def agreement_docx_text(view) -> str:
    import io

    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(agreement_docx(view))).paragraphs)


def test_a_party_signs_for_itself_only(world, med):
    case = agreed_case(world)
    agreement = written(world, case)
    with pytest.raises(PermissionDeniedError):
        agreement_sign(actor=world.users["neighbour"], agreement=agreement,
                       party=case.parties.get(side=Side.APPLICANT))
    agreement_sign(actor=world.users["neighbour"], agreement=agreement, party=case.parties.get(side=Side.RESPONDENT),
                   method="fingerprint")
    assert agreement.signatures.get().method == "fingerprint"


def effective(world):
    case = agreed_case(world)
    agreement = written(world, case)
    sign_all(world, case, agreement)
    agreement_stamp(actor=world.users["mediator"], agreement=agreement)
    agreement.refresh_from_db()
    return case, agreement


def test_confirmation_performance_visit_close_rate_and_archive(world, med):
    case, agreement = effective(world)
    agreement_attach_scan(actor=world.users["mediator"], agreement=agreement,
                          file=SimpleUploadedFile("协议书.pdf", b"%PDF-1.4 signed", content_type="application/pdf"))
    with pytest.raises(Conflict) as early:
        case_close(actor=world.users["mediator"], case=case)
    assert early.value.code == "obligations_unchecked"
    with pytest.raises(DomainError):
        agreement_confirmation_record(actor=world.users["mediator"], agreement=agreement, result="refused")
    agreement_confirmation_record(actor=world.users["mediator"], agreement=agreement, result="confirmed",
                                  note="区人民法院已裁定确认")
    first, second = agreement.obligations.order_by("due_on")
    obligation_check(actor=world.users["mediator"], obligation=first, performed=True)
    with pytest.raises(DomainError) as why:
        obligation_check(actor=world.users["mediator"], obligation=second, performed=False)
    assert why.value.details == {"field": "note"}
    obligation_check(actor=world.users["mediator"], obligation=second, performed=False, note="防水未修")
    case.refresh_from_db()
    assert case.non_performance and agreement.obligations.filter(status=ObligationStatus.NOT_PERFORMED).exists()
    with pytest.raises(Conflict) as no_visit:
        case_close(actor=world.users["mediator"], case=case)
    assert no_visit.value.code == "no_visit"
    visit_record(actor=world.users["mediator"], case=case, visited_on=date.today(), note="维修费已付，防水约定下周修")
    case_close(actor=world.users["mediator"], case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "agreement"
    demand = case.demands.get()
    assert Event.objects.filter(subject_type="demands.demand", subject_id=str(demand.pk),
                                kind="demand.mediation_closed").exists()
    with pytest.raises(PermissionDeniedError):
        case_rate(actor=world.users["bystander"], case=case, value="satisfied")
    case_rate(actor=world.users["resident"], case=case, value="satisfied")
    with pytest.raises(Conflict):
        case_rate(actor=world.users["resident"], case=case, value="basic")
    with pytest.raises(PermissionDeniedError):
        case_archive(actor=world.users["mediator"], case=case)  # mediators do not archive; the office does
    dossier = case_archive(actor=world.users["community_secretary"], case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.ARCHIVED and dossier.mediation == case
    # What the dossier says in words: its title, the demands and each entry's text and actor (not the hashes
    # and timestamps beside them, whose digits may spell "1500" by chance: 08:50:08.715004)
    text = str([dossier.content["title"], dossier.content["demands"],
                [(s["heading"], [(e["who"], e["what"]) for e in s["entries"]]) for s in dossier.content["stages"]]])
    assert "邻里纠纷调解" in dossier.title and "张三" not in text and "王邻居" not in text and "1500" not in text
    assert any(e["what"].startswith("社区初调第 1 次") for s in dossier.content["stages"] for e in s["entries"])
    with pytest.raises(Exception) as sealed, transaction.atomic():  # the database refuses any new event
        event_append(subject=case, kind="mediation.visited", actor=None, payload={})
    assert archived_refusal(sealed.value) is not None
    passed, output = run_verify()
    assert passed, output
    assert agreement.__class__.objects.get(pk=agreement.pk).confirmation == Confirmation.CONFIRMED


def test_the_three_rates_count_mediation(world, med):
    case, agreement = effective(world)
    for obligation in agreement.obligations.all():
        obligation_check(actor=world.users["mediator"], obligation=obligation, performed=True)
    visit_record(actor=world.users["mediator"], case=case, visited_on=date.today(), note="已履行")
    case_close(actor=world.users["mediator"], case=case)
    case_rate(actor=world.users["resident"], case=case, value="satisfied")
    today = timezone.localdate()
    figures = {f.key: f for f in rates(world.areas["C1"], today - timedelta(days=1), today).figures}
    assert figures["response"].numerator == "1" and figures["response"].denominator == 1
    assert figures["on_time"].counted == [f"调解案件 {case.pk}"]
    assert figures["satisfaction"].denominator == 1 and figures["satisfaction"].percent == "100.00"


def test_an_oral_agreement_takes_effect_without_a_stamp(world, med):
    case = agreed_case(world)
    oral = agreement_draft(actor=world.users["mediator"], case=case, form="oral", content="当场道歉并赔偿 200 元",
                           oral_note="双方当场履行完毕。")
    with pytest.raises(DomainError):
        agreement_stamp(actor=world.users["mediator"], agreement=oral)
    sign_all(world, case, oral)
    oral.refresh_from_db()
    assert oral.status == AgreementStatus.EFFECTIVE and oral.confirmation_due is not None


def test_an_unsigned_agreement_goes_back_to_mediation_and_a_case_is_withdrawn(world, med):
    from yishiting.mediation.services import agreement_abandon, case_withdraw

    case = agreed_case(world)
    written(world, case)
    with pytest.raises(DomainError):
        agreement_abandon(actor=world.users["mediator"], case=case, reason="")
    agreement_abandon(actor=world.users["mediator"], case=case, reason="被申请人拒绝签字")
    case.refresh_from_db()
    assert case.status == CaseStatus.MEDIATING and not Agreement.objects.filter(case=case).exists()
    case_withdraw(actor=world.users["mediator"], case=case, reason="双方已自行和解")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.outcome == "withdrawn"
    passed, output = run_verify()
    assert passed, output
