"""双报到 and the service menu through the pages, as people use them: an in-service party member of 区人民医院
reports to 幸福苑社区 and offers 上门量血压 on its menu; a resident orders it, the community dispatches it, the
member accepts, serves and reports with a photo, the resident confirms and rates; the service shows on the public
showcase without the resident's name, and the hospital's quarterly report (PDF, read back as text) lists it with
the community's 考核建议."""

from __future__ import annotations

import re
import subprocess
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from yishiting.participation import services as part
from yishiting.participation.models import ServiceOrder, ServiceProvider
from yishiting.participation.tests.world import build_cast, photo

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, data: dict | None = None) -> str:
    page = client.post(url, data or {}, follow=True)
    assert page.status_code == 200, page.content.decode()[:2000]
    return page.content.decode()


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], check=True, capture_output=True, text=True).stdout


def test_a_member_serves_an_order_from_the_menu_and_the_units_report_lists_it(world):
    cast = build_cast(world)
    resident, staff, member = cast.client("resident"), cast.client("community_staff"), cast.client("member")
    # the member reports (again) through the page, choosing posts
    page = post(member, "/participation/register/", {"posts": ["care", "patrol"], "skills": "全科医生"})
    assert "报到成功" in page
    # the resident orders 上门量血压 from the menu
    menu = resident.get("/participation/").content.decode()
    assert "上门量血压" in menu
    page = resident.post(f"/participation/order/?item={cast.item.pk}", {"text": "老人腿脚不便，住3栋", "wanted": "周六上午"})
    assert page.status_code == 302
    order = ServiceOrder.objects.get(pk=int(re.search(r"/orders/(\d+)/", page["Location"]).group(1)))
    # the community dispatches it to the member
    assert order.number in staff.get("/participation/board/").content.decode()
    provider = ServiceProvider.objects.get(person=world.people["member"])
    page = post(staff, f"/participation/orders/{order.pk}/dispatch/", {"providers": [provider.pk]})
    assert "已派单" in page
    # the member accepts, serves and reports with a photo
    assert order.title in member.get("/participation/inbox/").content.decode()
    assert "已接单" in post(member, f"/participation/orders/{order.pk}/accept/")
    page = post(member, f"/participation/orders/{order.pk}/report/",
                {"text": "量了血压 130/85", "hours": "1.5", "photos": SimpleUploadedFile("a.jpg", photo(), "image/jpeg")})
    assert "服务情况已反馈" in page
    # the resident confirms and rates
    page = post(resident, f"/participation/orders/{order.pk}/rate/", {"stars": "5", "comment": "很耐心"})
    assert "感谢您的评价" in page and "5 星" in page
    # the public showcase names the member masked, and never the resident
    anonymous = Client()
    wall = anonymous.get(f"/participation/showcase/{provider.pk}/").content.decode()
    assert "上门量血压" in wall and "党*" in wall and "党医生" not in wall and "张三" not in wall
    # its photo (it may show a face or a home) only for the community's own people, signed in
    photo_url = re.search(r'src="(/participation/showcase/orders/\d+/photos/\d+/)"',
                          resident.get(f"/participation/showcase/{provider.pk}/").content.decode()).group(1)
    assert resident.get(photo_url).status_code == 200
    assert photo_url not in wall and "服务照片仅本社区居民" in wall
    assert anonymous.get(photo_url).status_code == 404
    # the community assesses the unit and the member; the liaison downloads the quarter's report
    year, quarter = part.quarter_of(timezone.localdate())
    post(staff, f"/participation/assess/unit/{cast.unit.pk}/", {f"unit{cast.unit.pk}-grade": "good",
                                                                  f"unit{cast.unit.pk}-reasons": "义诊按承诺开展"})
    member_reg = world.people["member"].member_registrations.get(is_active=True)
    post(staff, f"/participation/assess/member/{member_reg.pk}/", {f"member{member_reg.pk}-grade": "good",
                                                                    f"member{member_reg.pk}-reasons": "服务及时"})
    report = cast.client("liaison").get(f"/participation/units/{cast.unit.pk}/report/{year}/{quarter}.pdf")
    assert report.status_code == 200 and report["Content-Type"] == "application/pdf"
    text = pdf_text(report.content)
    assert "幸福区人民医院" in text and "上门量血压" in text and "党医生" in text and "1.5" in text
    assert "义诊按承诺开展" in text and "服务及时" in text and "张三" not in text
    # another resident of another community sees neither the order nor the report
    other = cast.client("resident3")
    assert other.get(f"/participation/orders/{order.pk}/").status_code == 404
    assert other.get(f"/participation/units/{cast.unit.pk}/report/{year}/{quarter}.pdf").status_code == 404
