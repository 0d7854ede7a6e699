"""Publicity pages: staff draft a notice from a resolution and publish it, the public page (open without login,
masked, days left, the calendar warning only for staff), a resident's objection and the answer, the street's
legality-review inbox, the community's notices, the A4 poster — and a phone-width browser run with screenshots
(var/screenshots/notices-*.png)."""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from django.utils import timezone

from yishiting.common.models import CalendarDay, CalendarYear
from yishiting.deliberation.choices import TopicStatus
from yishiting.deliberation.models import Topic
from yishiting.handling.choices import NoticeStatus
from yishiting.handling.models import LegalReview, Notice, Objection
from yishiting.handling.services import notices as services
from yishiting.handling.tests.world import resolved_topic

from .pages import main

MONDAY = date(2026, 11, 2)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: MONDAY)


def draft(world, **topic) -> Notice:
    _, resolution = resolved_topic(world, **topic)
    return services.notice_draft(actor=world.users["community_secretary"], resolution=resolution,
                                 plan=[{"when": "12月上旬", "what": "采购灯具", "who": "物业"}])


def published(world, **topic) -> Notice:
    return services.notice_publish(actor=world.users["community_secretary"], notice=draft(world, **topic))


def plan_rows(*rows: tuple[str, str, str], action: str = "") -> dict[str, str]:
    """The plan's rows as the form posts them (and a row button, if pressed)."""
    data = {"plan-TOTAL_FORMS": str(len(rows)), "plan-INITIAL_FORMS": "0"}
    for i, row in enumerate(rows):
        data.update({f"plan-{i}-{name}": value for name, value in zip(("when", "what", "who"), row, strict=True)})
    return {**data, "plan-action": action} if action else data


PLAN = [("12月1日—12月5日", "采购声控LED灯", "物业 钱经理"), ("12月6日—12月20日", "逐层更换并验收", "社区 孙书记")]


@pytest.mark.django_db
def test_staff_draft_from_a_resolution_then_publish(world, as_persona, today):
    _, resolution = resolved_topic(world)
    client = as_persona("community_secretary")
    url = f"/notices/new/?resolution={resolution.pk}"
    page = main(client.get(url))
    assert "更换3栋全部楼道灯" in page and "保存草稿" in page and "第 1 项" in page and "第 2 项" in page
    assert 'name="plan-0-when"' in page and "|" not in page.split("项目计划")[1]
    bad = client.post(url, {"responsible": "孙书记", **plan_rows(PLAN[0], ("12月", "换灯", ""))})
    assert bad.status_code == 400 and "第 2 项：请填写责任人。" in main(bad) and not Notice.objects.exists()
    assert 'value="采购声控LED灯"' in main(bad) and 'value="换灯"' in main(bad)  # nothing typed is lost
    response = client.post(url, {"title": "", "responsible": "孙书记", **plan_rows(*PLAN, ("", "", ""))})
    notice = Notice.objects.get()
    assert response.status_code == 302 and len(notice.plan) == 2 and notice.plan[1]["what"] == "逐层更换并验收"
    assert "发布公示" in main(client.get(f"/notices/{notice.pk}/"))
    published = client.post(f"/notices/{notice.pk}/publish/", {"starts_on": "2026-11-02"}, follow=True)
    assert "公示已发布，公示期至 11月6日。" in main(published) and "已保存。" not in main(published)
    notice.refresh_from_db()
    assert (notice.status, notice.ends_on) == (NoticeStatus.PUBLISHED, date(2026, 11, 6))
    assert Topic.objects.get(pk=notice.topic_id).status == TopicStatus.PUBLICISING


@pytest.mark.django_db
def test_plan_rows_are_added_and_removed_keeping_what_was_typed(world, as_persona, today):
    _, resolution = resolved_topic(world)
    client = as_persona("community_secretary")
    url = f"/notices/new/?resolution={resolution.pk}"
    added = client.post(url, {"title": "换灯公示", **plan_rows(*PLAN, action="add")})
    page = main(added)
    assert added.status_code == 200 and "第 3 项" in page and 'value="换灯公示"' in page
    assert 'value="逐层更换并验收"' in page and "请填写" not in page and not Notice.objects.exists()
    removed = main(client.post(url, {**plan_rows(*PLAN, ("", "", ""), action="remove-0")}))
    assert "第 3 项" not in removed and 'value="采购声控LED灯"' not in removed and 'value="逐层更换并验收"' in removed
    assert not Notice.objects.exists()


@pytest.mark.django_db
def test_draft_page_is_only_for_office_staff_in_scope(world, as_persona, today):
    _, resolution = resolved_topic(world)
    assert as_persona("resident").get(f"/notices/new/?resolution={resolution.pk}").status_code == 403
    assert as_persona("handler").get(f"/notices/new/?resolution={resolution.pk}").status_code == 403
    assert as_persona("community_staff").get("/notices/new/?resolution=999999").status_code == 404


@pytest.mark.django_db
def test_public_page_is_open_masked_and_counts_working_days(world, client, as_persona, today):
    notice = published(world)
    page = main(client.get(f"/notices/{notice.pk}/public/"))
    assert "更换3栋全部楼道灯" in page and "还剩 5 个工作日" in page and "请先" in page
    assert "提交异议" in main(as_persona("resident").get(f"/notices/{notice.pk}/public/"))
    assert "只有幸福苑小区的居民" in main(as_persona("resident2").get(f"/notices/{notice.pk}/public/"))
    assert client.get(f"/notices/{draft(world, title='停车划线').pk}/public/").status_code == 404


@pytest.mark.django_db
def test_calendar_warning_shown_to_staff_not_residents(world, as_persona, monkeypatch):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    monkeypatch.setattr(timezone, "localdate", lambda *args: date(2026, 12, 28))
    notice = published(world)
    assert notice.ends_on == date(2027, 1, 4)  # 元旦 is statutory every year, entered or not
    assert "2027 年的节假日安排尚未录入" in main(as_persona("community_staff").get(f"/notices/{notice.pk}/"))
    resident_page = main(as_persona("resident").get(f"/notices/{notice.pk}/public/"))
    assert "尚未录入" not in resident_page and "2027年1月4日" in resident_page  # another year: written out


@pytest.mark.django_db
def test_resident_objects_staff_answer(world, as_persona, today):
    notice = published(world)
    resident = as_persona("resident")
    empty = resident.post(f"/notices/{notice.pk}/objection/", {"text": ""})
    assert empty.status_code == 400 and "请写明异议内容" in main(empty)
    resident.post(f"/notices/{notice.pk}/objection/", {"text": "施工噪音影响老人休息"})
    outsider = as_persona("resident2").post(f"/notices/{notice.pk}/objection/", {"text": "反对"})
    assert outsider.status_code == 400 and "涉及范围内的居民" in main(outsider)
    objection = Objection.objects.get()
    staff = as_persona("community_staff")
    assert "待答复" in main(staff.get(f"/notices/{notice.pk}/"))
    assert as_persona("resident").get(f"/notices/{notice.pk}/").status_code == 302   # to the public page
    assert as_persona("handler").post(f"/notices/objections/{objection.pk}/answer/",
                                      {"answer": "好", "substantial": "no"}).status_code == 403
    staff.post(f"/notices/objections/{objection.pk}/answer/", {"answer": "施工安排在9点至17点", "substantial": "no"})
    page = main(resident.get(f"/notices/{notice.pk}/public/"))
    assert "施工安排在9点至17点" in page and "张*" in page and "张三" not in page


@pytest.mark.django_db
def test_street_inbox_decides_a_major_matter(world, as_persona, today):
    notice = published(world, title="幸福苑3栋加装电梯")
    review = LegalReview.objects.get()
    street = as_persona("street_official")
    assert "幸福苑3栋加装电梯" in main(street.get("/legal-reviews/"))
    assert as_persona("community_secretary").get("/legal-reviews/").status_code == 403
    missing = street.post(f"/legal-reviews/{review.pk}/decide/", {"approve": "yes", "opinion": ""})
    assert missing.status_code == 400 and "请填写审核意见" in main(missing)
    street.post(f"/legal-reviews/{review.pk}/decide/", {"approve": "yes", "opinion": "符合规定"})
    assert LegalReview.objects.get().status == "approved"
    assert Topic.objects.get(pk=notice.topic_id).status == TopicStatus.PUBLICISING   # the window still runs


@pytest.mark.django_db
def test_community_notices_and_the_staff_list(world, as_persona, today):
    notice = published(world)
    draft(world, title="幸福苑停车划线")
    listing = main(as_persona("resident").get(f"/communities/{world.areas['C1'].pk}/notices/"))
    assert notice.title in listing and "停车划线" not in listing
    assert as_persona("resident3").get(f"/communities/{world.areas['C1'].pk}/notices/").status_code == 404
    staff = main(as_persona("community_staff").get("/notices/?q=停车"))
    assert "停车划线" in staff and notice.title not in staff


@pytest.mark.django_db
@pytest.mark.parametrize("persona, present, absent", [
    ("community_staff", ["公示"], ["合法性审核"]), ("street_official", ["公示", "合法性审核"], []),
    ("resident", [], ["公示", "合法性审核"]), ("handler", [], ["公示", "合法性审核"])])
def test_navigation(world, as_persona, persona, present, absent):
    nav = as_persona(persona).get("/").content.decode().split('class="site-nav"')[1].split("</nav>")[0]
    assert all(label in nav for label in present) and not any(label in nav for label in absent)


@pytest.mark.django_db
def test_poster_pdf_has_the_chinese_text_and_embedded_fonts(world, as_persona, today, tmp_path):
    notice = published(world)
    response = as_persona("community_staff").get(f"/notices/{notice.pk}/poster.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert as_persona("resident").get(f"/notices/{notice.pk}/poster.pdf").status_code == 403
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "更换3栋全部楼道灯为声控LED灯" in text and "采购灯具" in text and f"/notices/{notice.pk}/public/" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info and "(A4)" in info   # one A4 page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notice_pages_on_a_phone(world, live_server):
    from .test_browser import in_browser, shot, sign_in

    base = live_server.url
    notice = published(world, title="幸福苑3栋加装电梯")
    services.objection_raise(actor=world.users["resident"], notice=notice, text="希望公布费用分摊办法")

    def resident(page) -> None:
        sign_in(page, base, "resident")
        page.goto(f"{base}/notices/{notice.pk}/public/")
        page.fill("textarea[name=text]", "施工期间请保留一部楼梯通行")
        page.click("button >> text=提交异议")
        page.wait_for_selector("text=异议已提交")
        shot(page, "notices-01-public")

    def staff(page) -> None:
        sign_in(page, base, "community_secretary")
        page.goto(f"{base}/notices/{notice.pk}/")
        page.locator("textarea[name=answer]").first.fill("费用按楼层分摊，方案见居委会公告栏")
        page.locator("button >> text=答复").first.click()
        page.wait_for_selector("text=已答复，公示照常进行")
        shot(page, "notices-02-detail")

    def street(page) -> None:
        sign_in(page, base, "street_official")
        page.goto(f"{base}/legal-reviews/")
        shot(page, "notices-03-reviews")

    assert in_browser(resident) == []
    assert in_browser(staff) == []
    assert in_browser(street) == []
    assert Objection.objects.filter(answered_at__isnull=False).count() == 1
