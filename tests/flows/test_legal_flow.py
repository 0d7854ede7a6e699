"""云律团 through the pages, as people use it: a resident asks, a lawyer of the field claims and answers, the
resident follows up and rates; a neighbour reads the answer without learning who asked. A second question goes
unanswered past its two working days, `yishiting tick` hands it to the community's adviser, who answers and turns
it into a mediation case carrying the thread."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from yishiting.areas import services as area_services
from yishiting.areas.choices import Role
from yishiting.common.testing import make_user
from yishiting.legal.models import Consultation, ExpertField
from yishiting.legal.tests.conftest import build_pool
from yishiting.mediation.models import MediationCase
from yishiting.notifications.models import Notification

from .http import follow, signed_in

pytestmark = pytest.mark.django_db



def ask(client: Client, text: str, field: str = "law") -> Consultation:
    page = client.post("/legal/ask/", {"field": ExpertField.objects.get(code=field).pk, "title": "", "text": text})
    assert page.status_code == 302, page.content.decode()[:2000]
    return Consultation.objects.get(pk=int(re.search(r"/legal/(\d+)/", page["Location"]).group(1)))



def test_a_question_answered_and_rated(world, django_capture_on_commit_callbacks):
    pool = build_pool(world)
    resident, lawyer, lawyer2 = (signed_in(world, n) for n in ("resident", "lawyer", "lawyer2"))
    builder, neighbour = signed_in(world, "builder"), signed_in(world, "community_staff")
    with django_capture_on_commit_callbacks(execute=True):
        c = ask(resident, "楼上装修把我家天花板泡坏了（我叫张三，电话13800000001），物业不管，能要求赔偿吗？")
    inbox = lawyer.get("/legal/inbox/").content.decode()
    assert c.title[:10] in inbox and "本领域待认领" in inbox
    assert c.title[:10] not in builder.get("/legal/inbox/").content.decode()  # 建筑: not their field
    page = lawyer.get(f"/legal/{c.pk}/").content.decode()
    assert "居民 张*（幸福苑社区）" in page and "138****0001" in page and "13800000001" not in page
    assert "认领并解答" in page
    page = follow(lawyer, f"/legal/{c.pk}/claim/")
    assert "已认领" in page and "发送解答" in page
    assert "认领并解答" not in lawyer2.get(f"/legal/{c.pk}/").content.decode()
    assert lawyer2.post(f"/legal/{c.pk}/claim/", follow=True).content.decode().count("该咨询已被其他律师认领") == 1
    with django_capture_on_commit_callbacks(execute=True):
        follow(lawyer, f"/legal/{c.pk}/answer/", {"text": "可以。依据民法典第一千一百六十五条，请先拍照留证。"})
    assert Notification.objects.filter(person=world.people["resident"], text__contains="已有解答").exists()
    page = follow(resident, f"/legal/{c.pk}/follow_up/", {"text": "要不要先找物业出书面说明？"})
    assert "追问已发送" in page
    follow(lawyer, f"/legal/{c.pk}/answer/", {"text": "要，书面说明是重要证据。"})
    page = follow(resident, f"/legal/{c.pk}/rate/", {"stars": "5", "comment": "很及时"})
    assert "感谢您的评价" in page and "提问人评价：5 星" in page
    # a neighbour of the same community reads the answer, not who asked
    person = area_services.person_create(actor=None, name="刘邻居", mobile="13800000099", id_number=None,
                                         household=world.households["H2"])
    make_user(world, "neighbour", person)
    area_services.role_assign(actor=None, person=person, role=Role.RESIDENT, area=world.areas["U1"])
    neighbour = signed_in(world, "neighbour")
    board = neighbour.get("/legal/").content.decode()
    assert c.title[:10] in board
    thread = neighbour.get(f"/legal/{c.pk}/").content.decode()
    assert "民法典第一千一百六十五条" in thread and "张三" not in thread and "居民 张*" not in thread
    assert "13800000001" not in thread and "居民" in thread
    assert "追问" not in thread.split("</ol>")[1] and "评价解答" not in thread
    assert signed_in(world, "resident3").get(f"/legal/{c.pk}/").status_code == 404  # another street's resident
    record = signed_in(world, "street_official").get(f"/legal/experts/{pool.lawyer.pk}/").content.decode()
    assert "解答 1 件" in record and "平均评分 5.0 星" in record


def test_a_question_escalates_to_the_adviser_by_tick(world, django_capture_on_commit_callbacks):
    pool = build_pool(world)
    resident = signed_in(world, "resident")
    c = ask(resident, "邻居在公共走廊堆放杂物，多次沟通无果，怎么办？")
    follow(signed_in(world, "lawyer"), f"/legal/{c.pk}/claim/")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("tick", f"--today={c.due_on + timedelta(days=1):%Y-%m-%d}", stdout=io.StringIO())
    assert Notification.objects.filter(person=pool.adviser.person, text__contains="逾期").exists()
    adviser = signed_in(world, "adviser")
    page = adviser.get(f"/legal/{c.pk}/").content.decode()
    assert "已转法律顾问" in page and "发送解答" in page
    assert "发送解答" not in signed_in(world, "lawyer").get(f"/legal/{c.pk}/").content.decode()
    follow(adviser, f"/legal/{c.pk}/answer/", {"text": "这是邻里纠纷，建议由社区人民调解委员会调解。"})
    assert "已解答" in resident.get(f"/legal/{c.pk}/").content.decode()
    # the adviser turns the thread into a mediation case: the asker its applicant, the thread its statement
    page = follow(adviser, f"/legal/{c.pk}/refer/")
    assert "已转为调解案件" in page
    c.refresh_from_db()
    case = MediationCase.objects.get(pk=c.mediation_case_id)
    assert c.status == "referred" and case.source == "consultation" and case.area == world.areas["C1"]
    applicant = case.parties.get()
    assert applicant.person == world.people["resident"] and "公共走廊堆放杂物" in applicant.statement
    assert "建议由社区人民调解委员会调解" in applicant.statement
    after = resident.get(f"/legal/{c.pk}/").content.decode()
    assert "转为调解案件</button>" not in after and f'href="/mediation/{case.pk}/"' in after  # once only, then linked
