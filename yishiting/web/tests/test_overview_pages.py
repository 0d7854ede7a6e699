"""The overview pages as people meet them: who may open them (role × scope), what the street official sees of
his own street only, drill-downs with masked names, XLSX exports, the period selector's errors in Chinese, and
the kept monthly reports; the page's query count stays the same whatever the volume."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from yishiting.common.models import Event
from yishiting.demands.models import Category, Demand
from yishiting.demands.services import Submission, demand_submit
from yishiting.oversight.models import DistrictRates, MonthlyReport
from yishiting.oversight.projection import catch_up
from yishiting.oversight.services import report_generate

pytestmark = pytest.mark.django_db
URLS = ["web:overview", "web:report_list"]


@pytest.fixture(autouse=True)
def _media(file_media):
    return file_media


def _demands(world) -> None:
    for user, area, text in [("resident", "B1", "3栋楼道灯不亮，晚上看不见"), ("resident3", "B3", "湖滨花园路面破损积水")]:
        demand_submit(actor=world.users[user], submission=Submission(text=text, area=world.areas[area]))


def _this_month(world, area: str) -> dict:
    """This month asked for (the page opens on the last month in a month's first days)."""
    return {"area": world.areas[area].pk, "period": f"{timezone.localdate():%Y-%m}"}


@pytest.mark.parametrize(("day", "opened", "says"), [(6, "previous", True), (10, "previous", True),
                                                     (11, "this", False), (28, "this", False)])
def test_the_overview_opens_on_the_last_complete_month_while_this_one_is_young(world, as_persona, monkeypatch,
                                                                              day, opened, says):
    """On the 6th the current month read 响应率 0 % and empty charts: the page opens on last month in a month's
    first ten days, says so and links this month; later it opens on this month."""
    _demands(world)
    today = timezone.localdate().replace(day=day)
    monkeypatch.setattr("yishiting.web.views.overview.timezone.localdate", lambda *args, **kwargs: today)
    this = date(today.year, today.month, 1)
    previous = (this - timedelta(days=1)).replace(day=1)
    page = as_persona("street_official").get(reverse("web:overview")).content.decode()
    first = previous if opened == "previous" else this
    assert f"（{first:%Y-%m-%d} 至" in page  # the period shown in the page head
    assert ("默认显示上月：本月刚开始" in page) is says
    assert (f"period={this:%Y-%m}" in page) is True  # this month is one click away either way


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "community_staff", "handler"])
def test_those_who_do_not_answer_for_the_figures_get_403_and_no_link(as_persona, persona):
    client = as_persona(persona)
    for name in URLS:
        assert client.get(reverse(name)).status_code == 403
    assert reverse("web:overview") not in client.get(reverse("web:home")).content.decode()


@pytest.mark.parametrize(("persona", "area"), [("street_official", "东风街道"), ("district_official", "幸福区"),
                                               ("community_secretary", "幸福苑社区")])
def test_officials_find_the_overview_on_their_home_page(as_persona, persona, area):
    home = as_persona(persona).get(reverse("web:home")).content.decode()
    assert f"{area}统计总览" in home and reverse("web:overview") in home


def test_a_street_official_sees_his_street_and_may_not_ask_for_another(world, as_persona):
    _demands(world)
    client = as_persona("street_official")
    page = client.get(reverse("web:overview")).content.decode()
    assert "东风街道" in page and "幸福苑社区" in page and "西湖街道" not in page
    other = client.get(reverse("web:overview"), {"area": world.areas["S2"].pk, "period": ""})
    assert other.status_code == 400 and "请选择您管辖范围内的区域。" in other.content.decode()
    records = client.get(reverse("web:overview_records"), {"area": world.areas["S2"].pk, "figure": "funnel.collected"})
    assert records.status_code == 404


def test_the_district_sees_every_street_and_the_comparisons_in_words(world, as_persona):
    _demands(world)
    page = as_persona("district_official").get(reverse("web:overview"), _this_month(world, "D")).content.decode()
    assert "东风街道" in page and "西湖街道" in page
    assert "比上期增加 2" in page and "↑" in page
    assert 'aria-describedby="funnel-table"' in page and 'id="funnel-table"' in page


# the whole page as a district official, a year: /overview/ was 144 (kpis.rates per period, month and child
# area), then 54 (a query per roll-up read, live funnel and categories); /kpis/ was 23 (the drill-down inline)
PAGE_QUERIES = {"kpis": 10, "overview": 20}


def _volume(world, n: int) -> None:
    """`n` demands spread over three communities of two streets, the categories and the year's months."""
    today, categories = timezone.localdate(), list(Category.objects.order_by("pk")[:4])
    for i in range(n):
        building, user = [("B1", "resident"), ("B2", "resident2"), ("B3", "resident3")][i % 3]
        demand = demand_submit(actor=world.users[user], submission=Submission(
            text=f"第{i}件：楼道灯不亮", area=world.areas[building], category=categories[i % len(categories)]))
        at = timezone.now() - timedelta(days=(i * 37) % max(1, (today - date(today.year, 1, 1)).days))
        Demand.objects.filter(pk=demand.pk).update(created_at=at)
        Event.objects.filter(subject_type="demands.demand", subject_id=str(demand.pk)).update(at=at)


@pytest.mark.parametrize("page", ["kpis", "overview"])
def test_the_figure_pages_cost_the_same_few_queries_whatever_the_volume(world, as_persona, page):
    client, today, district = as_persona("district_official"), timezone.localdate(), world.areas["D"].pk
    params = ({"area": district, "start": date(today.year, 1, 1), "end": today} if page == "kpis"
              else {"area": district, "period": str(today.year)})

    def queries() -> int:
        catch_up()  # the roll-ups are kept each minute; counting events written since is the page's extra
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(f"web:{page}"), params).status_code == 200
        return len(captured.captured_queries)

    _volume(world, 3)
    queries()  # the first request also fills per-process caches
    few = queries()
    _volume(world, 27)
    assert queries() == few <= PAGE_QUERIES[page], few


def test_the_page_shows_the_districts_rates_the_time_counted_to_and_the_recurrences(world, as_persona):
    DistrictRates.objects.create(district=world.areas["D"], rates="response,on_time,satisfaction,resolved")
    _demands(world)
    client = as_persona("street_official")
    page = client.get(reverse("web:overview"), _this_month(world, "S1")).content.decode()
    assert "解决率" in page and "统计截至" in page
    assert '<h2 id="rates-h">考评指标</h2>' in page and "考评指标月度趋势" in page  # four rates: not "三率"
    today = timezone.localdate()
    link = (f'{reverse("web:recurrence_list")}?area={world.areas["S1"].pk}&amp;start={today:%Y-%m}-01'
            f'&amp;end={today:%Y-%m-%d}')
    assert "复发事项" in page and link in page
    listed = client.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200 and "这一时期没有复发事项。" in listed.content.decode()
    secretary = as_persona("community_secretary").get(reverse("web:overview")).content.decode()
    assert "复发事项" in secretary


def test_a_figure_drills_down_to_its_records_with_names_masked(world, as_persona):
    _demands(world)
    client = as_persona("street_official")
    query = {"area": world.areas["S1"].pk, "period": f"{timezone.localdate():%Y-%m}", "figure": "funnel.collected"}
    page = client.get(reverse("web:overview_records"), query).content.decode()
    assert "2026-" in page and "张*" in page and "张三" not in page and "湖滨" not in page
    demand = Demand.objects.get(area=world.areas["B1"])
    assert reverse("web:demand_detail", args=[demand.pk]) in page  # each record opens
    book = load_workbook(io.BytesIO(client.get(reverse("web:overview_records"), {**query, "format": "xlsx"}).content))
    rows = list(book.active.values)
    assert rows[0][:4] == ("编号", "类别", "发生地", "诉求人") and len(rows) == 2 and rows[1][3] == "张*"


@pytest.mark.parametrize("table", ["rates", "trend", "funnel", "open", "pressing", "children", "categories", "units"])
def test_every_table_exports_to_xlsx(world, as_persona, table):
    _demands(world)
    response = as_persona("district_official").get(reverse("web:overview_export", args=[table]),
                                                   {"area": world.areas["D"].pk, "period": ""})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert load_workbook(io.BytesIO(response.content)).active.max_row >= 1


def test_exported_rates_are_numbers_excel_can_sum_shown_as_percentages(world, as_persona):
    _demands(world)
    client = as_persona("district_official")
    query = {"area": world.areas["D"].pk, "period": ""}
    sheet = load_workbook(io.BytesIO(client.get(reverse("web:overview_export", args=["rates"]), query).content)).active
    header = [c.value for c in sheet[1]]
    row = sheet[2]  # 响应率: 2 demands collected in the period
    current, numerator, denominator = (row[header.index(h)] for h in ("本期", "分子", "分母"))
    assert row[0].value == "响应率" and denominator.value == 2
    assert isinstance(numerator.value, int) and isinstance(current.value, int | float)
    assert current.number_format == "0.00%" and 0 <= current.value <= 1
    assert current.value == pytest.approx(numerator.value / denominator.value)
    for table in ("trend", "children"):
        book = load_workbook(io.BytesIO(client.get(reverse("web:overview_export", args=[table]), query).content))
        texts = [c.value for line in book.active.iter_rows(min_row=2) for c in line if isinstance(c.value, str)]
        assert not [text for text in texts if text.endswith("%")]  # no "64.71%" text anywhere


def test_a_bad_custom_period_is_a_chinese_error(world, as_persona):
    client = as_persona("street_official")
    half = client.get(reverse("web:overview"), {"area": world.areas["S1"].pk, "start": "2026-11-01"})
    assert half.status_code == 400 and "自定义期间须同时填写开始和结束日期。" in half.content.decode()
    backwards = client.get(reverse("web:overview"), {"area": world.areas["S1"].pk, "start": "2026-11-10",
                                                     "end": "2026-11-01"})
    assert backwards.status_code == 400 and "统计期间格式不正确" in backwards.content.decode()
    quarter = client.get(reverse("web:overview"), {"area": world.areas["S1"].pk, "period": "2026-Q3"})
    assert quarter.status_code == 200 and "2026年第3季度" in quarter.content.decode()


def test_the_monthly_report_prints_rates_with_percent_and_names_no_command(world, tmp_path):
    _demands(world)
    today = timezone.localdate()
    report = report_generate(actor=None, area=world.areas["S1"], month=today.replace(day=1), today=today)
    path = tmp_path / "report.pdf"
    path.write_bytes(report.file.read())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    children = text.split("五、下级区域")[1].split("六、诉求类别")[0]
    row = [line for line in children.splitlines() if "幸福苑社区" in line][-1]  # the table's row, after the chart
    assert "0.00%" in row  # 响应率 of the community's demand, none screened yet
    assert "本月的事件日志锚点尚未生成，由系统管理员每月生成" in text and "yishiting" not in text


def test_monthly_reports_are_listed_and_downloaded_within_the_subtree(world, as_persona):
    own = report_generate(actor=None, area=world.areas["S1"], month=date(2026, 11, 1), today=date(2026, 12, 1))
    other = report_generate(actor=None, area=world.areas["S2"], month=date(2026, 11, 1), today=date(2026, 12, 1))
    client = as_persona("street_official")
    page = client.get(reverse("web:report_list")).content.decode()
    assert "东风街道" in page and "西湖街道" not in page and "（定时生成）" in page
    download = client.get(reverse("web:report_download", args=[own.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("web:report_download", args=[other.pk])).status_code == 404
    assert as_persona("district_official").get(reverse("web:report_download", args=[other.pk])).status_code == 200


def test_an_official_generates_a_report_once_and_again_without_a_second_copy(world, as_persona):
    client = as_persona("street_official")
    month = f"{timezone.localdate():%Y-%m}"
    for _n in range(2):
        response = client.post(reverse("web:report_generate"), {"area": world.areas["S1"].pk, "month": month},
                               follow=True)
        assert "已生成 东风街道 " in response.content.decode()
    assert MonthlyReport.objects.count() == 1
    refused = client.post(reverse("web:report_generate"), {"area": world.areas["S2"].pk, "month": month})
    assert refused.status_code == 404
    bad = client.post(reverse("web:report_generate"), {"area": world.areas["S1"].pk, "month": "11月"}, follow=True)
    assert "月份格式不正确，例如 2026-11。" in bad.content.decode()


@pytest.mark.parametrize("persona", ["street_official", "district_official", "community_secretary"])
def test_every_link_of_the_overview_opens_for_the_official_who_sees_it(world, as_persona, persona):
    """Every figure and name on the page leads somewhere: the 解决率 the district chose drills down to the
    reporters' ratings (it answered 404), and a community's grids, which have no overview of their own, are not
    links (they answered 400)."""
    DistrictRates.objects.create(district=world.areas["D"], rates="response,resolved,on_time,satisfaction")
    _demands(world)
    client = as_persona(persona)
    page = client.get(reverse("web:overview")).content.decode()
    links = {href.replace("&amp;", "&") for href in re.findall(r'href="([^"#]+)"', page)
             if href.startswith(("/overview/", "/oversight/", "/reports/", "/kpis/"))}
    assert any("figure=rate.resolved" in link for link in links)
    for link in sorted(links):
        assert client.get(link).status_code == 200, link
    resolved = next(link for link in links if "figure=rate.resolved" in link)
    assert "解决率：期间诉求人给出的评价" in client.get(resolved).content.decode()


def _menu(html: str, label: str) -> dict[str, str]:
    nav = html.split(f'aria-label="{label}"')[1].split("</nav>")[0]
    return {text: href for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)}


def test_officials_reach_every_oversight_page_from_the_menu_and_everyone_the_public_figures(as_persona):
    """统计总览, 月报, 热点分布, 堡垒指数 were reached only from home-page cards; 公开统计 only from the login page."""
    client = as_persona("street_official")
    home = client.get(reverse("web:home")).content.decode()
    assert _menu(home, "主导航")["统计考评"] == reverse("web:overview")
    pages = _menu(client.get(reverse("web:overview")).content.decode(), "统计考评")
    assert {"统计总览", "月报", "热点分布", "堡垒指数", "整改清单", "单位评级", "举一反三"} <= set(pages), pages
    for href in pages.values():
        assert client.get(href).status_code == 200, href
    staff = as_persona("community_staff").get(reverse("web:home")).content.decode()
    assert _menu(staff, "主导航")["统计考评"] == reverse("web:hotspots")
    handler = as_persona("handler").get(reverse("web:home")).content.decode()
    assert "统计考评" not in _menu(handler, "主导航")
    for persona in ("resident", "handler", "district_official"):
        page = as_persona(persona).get(reverse("web:home")).content.decode()
        assert f'<a href="{reverse("web:public_stats")}">公开统计</a>' in page.split('class="site-footer"')[1]
