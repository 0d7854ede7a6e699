"""The main path of a mediation through the web pages, as each person does it on their phone (Django's test
client, forms posted as the pages send them): three community attempts fail and the case moves up, the street
assigns its mediator, the second street attempt succeeds, a written agreement with an obligation is drafted,
signed by both parties and the mediator and stamped — the 调解协议书 PDF (read back with pdftotext) and DOCX
(opened with python-docx) carry the parties, the facts, the agreed content and the signatures — judicial
confirmation is recorded, the obligation checked, the return visit made, the case closed, the resident rates
and the staff archive it. Errors land where the person sees them."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from yishiting.handling.models import Dossier
from yishiting.mediation.choices import AgreementStatus, CaseStatus, Tier
from yishiting.mediation.models import Agreement, MediationCase
from yishiting.mediation.selectors import agreement_document
from yishiting.mediation.tests.world import accepted_case, build

from .pages import main

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("file_media")]
TODAY = timezone.localdate


def attempt(client, case, people, parties, result: str, **extra):
    body = {"held_on": TODAY().isoformat(), "place": "社区调解室", "mediators": [p.pk for p in people],
            "parties_present": [p.pk for p in parties], "applicant_said": "要求赔偿维修费 3000 元",
            "respondent_said": "漏水是公共管道造成的", "result": result, **extra}
    return client.post(f"/mediation/{case.pk}/attempt/", body)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True,
                          timeout=60).stdout
    return re.sub(r"\s+", "", text)


AGREEMENT = {
    "form": "written", "facts": "被申请人家卫生间防水层老化漏水，致申请人家天花板受损。",
    "disputed_points": "漏水原因及维修费用的承担。", "responsibilities": "被申请人负主要责任。",
    "content": "被申请人王邻居于十日内修复卫生间防水，并赔偿申请人张三维修费人民币二千元。",
    "performance": "一次性现金支付。", "obligations-TOTAL_FORMS": "1", "obligations-INITIAL_FORMS": "0",
    "obligations-0-text": "赔偿维修费二千元",
}


def _sign_everyone(mediator, case, agreement) -> None:
    for party in case.parties.all():
        assert mediator.post(f"/mediation/{case.pk}/sign/", {"party": party.pk, "method": "signature",
                                                               "signed_on": TODAY().isoformat()}).status_code == 302
    person = case.mediators.get(status="active", tier=Tier.STREET).person
    assert mediator.post(f"/mediation/{case.pk}/sign/", {"mediator": person.pk, "method": "signature",
                                                           "signed_on": TODAY().isoformat()}).status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT  # not yet stamped
    assert mediator.post(f"/mediation/{case.pk}/stamp/").status_code == 302


def test_the_main_path_through_the_pages(world, as_persona, tmp_path):
    build(world)
    case = accepted_case(world)
    mediator, staff, street = as_persona("mediator"), as_persona("community_staff"), as_persona("street_official")
    parties = list(case.parties.all())
    for n in range(3):
        response = attempt(mediator, case, [world.people["mediator"]], parties, "failed", number=n + 1)
        assert response.status_code == 302, main(response)
    case.refresh_from_db()
    assert case.tier == Tier.STREET  # moved up with its file
    stale = attempt(mediator, case, [world.people["mediator"]], parties, "failed", number=4)  # a page left open
    assert stale.status_code == 400 and "已由他人记录，请刷新" in stale.content.decode()
    page = main(street.get(f"/mediation/{case.pk}/"))
    assert "3/3 次" in page and "镇街深调" in page
    member = case.__class__.objects.get(pk=case.pk)
    from yishiting.mediation.selectors import mediator_candidates

    candidate = mediator_candidates(member).get(person=world.people["street_mediator"])
    assert street.post(f"/mediation/{case.pk}/assign/", {"member": candidate.pk, "lead": "on"}).status_code == 302
    deep = as_persona("street_mediator")
    assert attempt(deep, case, [world.people["street_mediator"]], parties, "failed").status_code == 302
    assert attempt(deep, case, [world.people["street_mediator"]], parties, "success").status_code == 302
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.AGREED

    due = (TODAY() + timedelta(days=10)).isoformat()
    neighbour = case.parties.get(side="respondent")
    missing = deep.post(f"/mediation/{case.pk}/agreement/", {**AGREEMENT, "facts": "",
                                                               "obligations-0-party": neighbour.pk,
                                                               "obligations-0-due_on": due, "perform_by": due})
    assert missing.status_code == 400 and "书面协议须写明纠纷的主要事实" in main(missing)
    response = deep.post(f"/mediation/{case.pk}/agreement/", {**AGREEMENT, "obligations-0-party": neighbour.pk,
                                                                "obligations-0-due_on": due, "perform_by": due})
    assert response.status_code == 302, main(response)
    agreement = Agreement.objects.get(case=case)
    unsigned = pdf_text(deep.get(f"/mediation/{case.pk}/agreement.pdf").content, tmp_path)
    assert "人民调解协议书" in unsigned and "张三" in unsigned and "王邻居" in unsigned
    _sign_everyone(deep, case, agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EFFECTIVE
    scan = SimpleUploadedFile("签署件.pdf", b"%PDF-1.4 signed copy", content_type="application/pdf")
    assert deep.post(f"/mediation/{case.pk}/scan/", {"file": scan}).status_code == 302
    assert b"".join(as_persona("resident").get(f"/mediation/{case.pk}/signed-scan/").streaming_content) == \
        b"%PDF-1.4 signed copy"
    reminded = deep.post(f"/mediation/{case.pk}/remind/", follow=True)
    assert "已再次提醒当事人申请司法确认" in main(reminded)

    # The parties' copy: the resident downloads it from the case page.
    resident = as_persona("resident")
    page = main(resident.get(f"/mediation/{case.pk}/"))
    assert "司法确认" in page and "三十日内" in page and "agreement.pdf" in page
    response = resident.get(f"/mediation/{case.pk}/agreement.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "agreement.pdf")], check=True, capture_output=True, text=True,
                           timeout=60).stdout.splitlines()[2:]
    assert fonts and all(" yes " in row for row in fonts)  # every font embedded …
    assert any("Droid-Sans-Fallback" in row or "CJK" in row for row in fonts)  # … a Chinese face among them
    for expected in ("人民调解协议书", "申请人：张三", "被申请人：王邻居", "卫生间防水层老化漏水", "漏水原因及维修费用的承担",
                     "赔偿申请人张三维修费人民币二千元", "王邻居：赔偿维修费二千元", "三十日内",
                     f"{agreement_document(case).committee}（盖章）"):
        assert expected in text, expected
    # Reached at the street: the street's committee stamps it, not the community's the case opened at.
    assert "东风街道人民调解委员会（盖章）" in text and "幸福苑社区人民调解委员会" not in text
    assert "人民调解员（签名）：黄明白" not in text  # the community's mediator did not mediate this tier
    assert re.search(r"申请人（签名、盖章或按指印）：张三\d{4}年", text) and "人民调解员（签名）：林调解" in text
    assert "13800000001" not in text and "138****0001" in text  # phone numbers masked on the file
    doc = Document(io.BytesIO(resident.get(f"/mediation/{case.pk}/agreement.docx").content))
    body = "\n".join(p.text for p in doc.paragraphs)
    for expected in ("人民调解协议书", "申请人：张三", "卫生间防水层老化漏水", "赔偿申请人张三维修费人民币二千元",
                     "王邻居：赔偿维修费二千元", "人民调解员（签名）：林调解"):
        assert expected in body, expected
    assert as_persona("bystander").get(f"/mediation/{case.pk}/agreement.docx").status_code == 404

    assert deep.post(f"/mediation/{case.pk}/confirmation/", {"result": "confirmed", "note": "区法院已确认"}).status_code == 302
    obligation = agreement.obligations.get()
    refused = deep.post(f"/mediation/{case.pk}/close/")
    assert refused.status_code == 400 and "还有履行事项未核实" in main(refused)
    assert deep.post(f"/mediation/{case.pk}/check/", {"obligation": obligation.pk, "performed": "yes"}).status_code == 302
    assert deep.post(f"/mediation/{case.pk}/visit/", {"visited_on": TODAY().isoformat(), "note": "天花板已修好，双方和好",
                                                      "resolved": "on"}).status_code == 302
    assert deep.post(f"/mediation/{case.pk}/close/").status_code == 302
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED

    page = main(resident.get(f"/mediation/{case.pk}/"))
    assert "评价调解工作" in page
    assert resident.post(f"/mediation/{case.pk}/rate/", {"value": "satisfied", "comment": "谢谢"}).status_code == 302
    assert "您的评价" in main(resident.get(f"/mediation/{case.pk}/rate/"))
    assert staff.post(f"/mediation/{case.pk}/archive/").status_code == 302
    assert Dossier.objects.filter(mediation=case).exists()
    assert MediationCase.objects.get(pk=case.pk).status == CaseStatus.ARCHIVED
