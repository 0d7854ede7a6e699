"""Staff-only pages refuse residents and registrants even when they type the address: a 403 page in Chinese
with a way back home, not the page with its links hidden. Every route of the crawl is tried: what a resident
may open is listed below, so a new work page left open to residents fails here."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve

from yishiting.areas.choices import ClaimStatus
from yishiting.areas.models import HouseholdClaim

from .test_crawl import client_for, crawl, fetch, visits  # noqa: F401 — `crawl`: the crawl's data, built once

# `crawl` is module-scoped: asked for up front, it is built before each test's own transaction, not inside it.
# The xdist group of test_crawl.py (scripts/test.sh): the same worker, the same data (crawl_session.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("crawl"), pytest.mark.xdist_group("crawl")]


@pytest.fixture
def data(request):
    return request.getfixturevalue("crawl")

# Work pages: whoever holds no office gets a 403 before anything is read.
STAFF_ONLY = {
    "area_index", "area_detail", "area_people", "area_households", "tokens", "claim_inbox",
    "demand_entry", "entry_areas", "entry_people", "demand_inbox", "demand_screen",
    "topic_new", "venue_list", "meeting_new", "meeting_invitees", "meeting_run", "owners_vote_new",
    "three_list", "three_list_export", "notice_new", "notice_poster", "legal_reviews",
    "task_list", "task_mine", "task_export", "task_new", "kpis", "kpi_records", "topic_archive",
    "expert_list", "expert_detail", "expert_availability", "legal_coverage", "legal_coverage_export", "legal_inbox",
    "mediation_list", "mediation_new", "index_ranking", "index_ranking_export",
    "overview", "overview_records", "overview_export", "report_list", "report_generate", "report_download",
    "cluster_list", "cluster_detail", "recurrence_list",
}
# What a resident may open (their own demands, their community's topics, meetings, notices and records).
RESIDENT_PAGES = {
    "openapi-view", "home", "password_change", "claims", "claim_buildings", "demand_new", "demand_mine",
    "demand_detail", "demand_done", "demand_photo", "demand_photo_thumb", "my_messages", "community_topics",
    "topic_list", "topic_detail", "meeting_list", "meeting_detail", "meeting_minutes", "meeting_sign_in_page",
    "vote_detail", "notice_list", "notice_public", "community_notices", "task_detail", "task_file",
    "task_file_thumb", "topic_supervision", "topic_progress", "evaluation_list", "evaluation_round",
    "evaluation_rate", "archive_list", "dossier_page", "dossier_pdf", "dossier_docx", "archive_panel",
    "minutes_pdf", "minutes_docx", "legal_home", "consultation_new", "consultation_detail", "consultation_photo",
    "consultation_photo_thumb",
    # mediation: the resident's application, and their own case (the crawl's resident, 张三, is its applicant)
    "mediation_apply", "mediation_detail", "mediation_rate", "mediation_agreement_pdf", "mediation_agreement_docx",
    "mediation_scan",
    # the public statistics (no login at all), and the bare plan a resident taps to give a demand's place
    "public_stats", "public_stats_csv", "public_stats_xlsx", "public_stats_json", "plan_image",
    "grid_mine",  # 我的网格: who serves the resident's building (亮身份, issue 20)
    "body_list", "body_detail",  # their community's standing bodies and members, names masked (docs/bodies.md)
    # 社区服务 (issue 19): ordering from the menu and the public 晒单, volunteering, wishes, appointments, the
    # canteen (and the deliveries page, empty unless one is a courier), points, the 积分超市 and the 时间银行
    "participation_home", "participation_order_new", "participation_order", "participation_order_photo",
    "participation_showcase", "participation_showcase_provider", "participation_showcase_photo",
    "volunteer_home", "volunteer_activity", "volunteer_scan", "volunteer_mine", "volunteer_certificate",
    "volunteer_teams", "volunteer_team", "volunteer_posts", "volunteer_post",
    "wishes_home", "wish_new", "wish_detail", "wish_wall", "wish_photo", "wish_photo_thumb",
    "appointments_home", "service_detail", "my_bookings", "canteen_home", "canteen_order_new", "canteen_deliveries",
    "points_home", "points_market", "points_timebank",
    # 党建联盟 (issue 21): the alliances of the resident's area, their adopted covenant and assigned tasks, without
    # the members' internals (docs/alliances.md); 成长档案: a young cadre may hold no office, so the programmes and
    # reports lists show what the person may see (none for a resident, but the published examples), and the
    # 践诺公示 is public; the resident's own SMS and WeChat settings (docs/messaging.md)
    "alliance_list", "alliance_detail", "alliance_covenant", "alliance_tasks",
    "cadres_programmes", "cadres_reports", "cadres_public", "message_settings",
}


def _registrant() -> Client:
    client = Client(raise_request_exception=True)
    # a newcomer: the person's only claim is still pending (张三's claim to a second home does not make them one)
    newcomer = HouseholdClaim.objects.filter(status=ClaimStatus.PENDING).exclude(
        person__household_claims__status=ClaimStatus.APPROVED).order_by("pk").first()
    client.force_login(newcomer.person.user)
    return client


def _name(url: str) -> str:
    return resolve(url.split("?")[0]).url_name


@pytest.mark.parametrize("who", ["resident", "registrant"])
def test_every_staff_only_page_is_a_403_for_residents_with_a_way_back(data, who):
    client = _registrant() if who == "registrant" else client_for(data, "resident")
    firsts = {_name(url): url for url in visits(data).first if not url.startswith(("/admin", "/api"))}
    assert set(firsts) >= STAFF_ONLY, STAFF_ONLY - set(firsts)
    wrong = []
    for name in sorted(STAFF_ONLY):
        status, _, body = fetch(client, firsts[name])
        if status != 403 or "无权访问" not in body or 'href="/"' not in body or "返回首页" not in body:
            wrong.append(f"{firsts[name]} answered {status}")
    assert not wrong, f"a {who} reaches staff pages:\n" + "\n".join(wrong)


def test_a_resident_opens_only_the_pages_meant_for_residents(data):
    client = client_for(data, "resident")
    opened = {_name(url) for url in visits(data).first if fetch(client, url)[0] == 200}
    assert opened <= RESIDENT_PAGES, f"pages open to a resident that are not for residents: {opened - RESIDENT_PAGES}"
    assert {"home", "demand_mine", "topic_detail", "notice_public"} <= opened  # and the resident's own pages work


def test_staff_still_open_the_area_browser_and_their_tokens(data):
    for persona in ("grid_worker", "community_staff", "handler"):
        client = client_for(data, persona)
        assert fetch(client, "/tokens/")[0] == 200, persona
        assert fetch(client, "/areas/")[0] in (200, 302), persona
    status, _, body = fetch(client_for(data, "community_secretary"), f"/areas/{data.world.areas['C1'].pk}/people/")
    assert status == 200 and "幸福苑社区" in body
