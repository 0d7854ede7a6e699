"""XLSX export of the three lists as a community worker opens it in Excel or WPS."""

import html
import io
import zipfile
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from yishiting.common.errors import DomainError
from yishiting.demands.choices import Nature, Outcome, ReporterKind
from yishiting.demands.exports import three_list_xlsx
from yishiting.demands.models import Category
from yishiting.demands.screening import Decision, demand_screen
from yishiting.demands.selectors import three_list


def open_sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def rows_of(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]


def all_text(data: bytes) -> str:
    """Every part of the file as text, with XML character references resolved: openpyxl writes 张三 as &#x5f20;&#x4e09;."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return html.unescape("".join(archive.read(name).decode("utf-8") for name in archive.namelist()))


@pytest.fixture
def screened(world, submit, django_capture_on_commit_callbacks):
    """Three demands, one per responsibility: a task, a topic and a mediation case."""
    staff = world.users["community_staff"]
    deadline = date.today() + timedelta(days=10)
    lamp = submit(text="幸福苑3栋1单元楼道灯坏了，晚上看不见", address="幸福苑3栋1单元101室门口")
    parking = submit(text="小区停车位太少，晚上车停满了消防通道，希望大家商量个办法")
    noise = submit(text="楼上邻居天天半夜装修噪音很大，协商多次没用")
    decisions = [
        (lamp, Decision(outcome=Outcome.HANDLING, nature=Nature.INDIVIDUAL, handler=world.people["handler"],
                        organization=world.organizations["agency"], deadline=deadline)),
        (parking, Decision(outcome=Outcome.TOPIC, nature=Nature.PUBLIC, topic_title="幸福苑停车难怎么解决")),
        (noise, Decision(outcome=Outcome.MEDIATION, nature=Nature.DISPUTE, reason="邻里噪音纠纷，先行调解")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for demand, decision in decisions:
            demand_screen(actor=staff, demand=demand, decision=decision)
    return {"lamp": lamp, "parking": parking, "noise": noise, "deadline": deadline}


def test_problem_list_has_chinese_headers_frozen_filtered_and_sized(world, submit):
    demand = submit()
    data = three_list_xlsx(three_list(world.users["community_staff"], "problem"), "problem")
    sheet = open_sheet(data)
    assert sheet.title == "问题清单"
    assert [c.value for c in sheet[1]][:5] == ["编号", "提交日期", "类别", "内容", "发生地"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}2"
    assert sheet.column_dimensions["D"].width >= 40  # the text column is wide enough to read
    (row,) = rows_of(sheet)
    assert row["编号"] == demand.number
    assert row["内容"] == demand.text
    assert row["发生地"] == "幸福区/东风街道/幸福苑社区/幸福苑小区/幸福苑3栋"
    assert row["状态"] == "待筛选" and row["渠道"] == "线上" and row["是否超期"] == "否"


def test_dates_are_real_dates_that_excel_can_sort(world, submit):
    submit()
    sheet = open_sheet(three_list_xlsx(three_list(world.users["community_staff"], "problem"), "problem"))
    submitted, deadline = sheet["B2"], sheet.cell(2, [c.value for c in sheet[1]].index("筛选期限") + 1)
    assert submitted.is_date and submitted.value.date() == date.today()
    assert submitted.number_format == "yyyy-mm-dd"
    assert deadline.is_date and deadline.value.date() > date.today()


def test_personal_data_is_masked_in_the_file(world, submit):
    submit(address="幸福苑3栋1单元101室门口")
    submit("grid_worker", text="幸福苑3栋门口路灯不亮", reporter_kind=ReporterKind.ANONYMOUS)
    data = three_list_xlsx(three_list(world.users["community_staff"], "problem"), "problem")
    rows = {r["诉求人"]: r for r in rows_of(open_sheet(data))}
    assert rows["张*"]["联系电话"] == "138****0001"
    assert rows["张*"]["地址"].startswith("幸福苑3栋") and "101" not in rows["张*"]["地址"]
    assert "匿名" in rows
    text = all_text(data)
    assert "张*" in text and "幸福苑3栋" in text  # the search below reads Chinese, not character references
    assert "张三" not in text and "13800000001" not in text and "101室" not in text


def test_need_list_holds_only_need_categories(world, submit):
    submit(text="社区能不能组织一个合唱队，我们退休了想唱唱歌")
    submit()  # 设施维护: a problem
    rows = rows_of(open_sheet(three_list_xlsx(three_list(world.users["community_staff"], "need"), "need")))
    assert [r["类别"] for r in rows] == ["文体娱乐"]
    assert Category.objects.get(name="文体娱乐").list_kind == "need"
    assert open_sheet(three_list_xlsx(three_list(world.users["community_staff"], "need"), "need")).title == "需求清单"


def test_responsibility_list_says_who_answers_for_each_matter_and_by_when(world, screened):
    data = three_list_xlsx(three_list(world.users["community_secretary"], "responsibility"), "responsibility")
    sheet = open_sheet(data)
    assert sheet.title == "责任清单"
    rows = {r["编号"]: r for r in rows_of(sheet)}
    task = rows[screened["lamp"].number]
    assert task["去向"] == "直接办理" and task["性质"] == "个人诉求"
    assert task["责任主体"] == "东风街道城管执法队" and task["经办人"] == "郑经办"  # an official in office: named
    assert task["办理期限"].date() == screened["deadline"] and task["进展"] == "已交办"
    topic = rows[screened["parking"].number]
    assert topic["去向"] == "已转为议题" and topic["责任事项"] == "幸福苑停车难怎么解决"
    assert topic["责任主体"] == "幸福区/东风街道/幸福苑社区/幸福苑小区（议事协商）" and topic["进展"] == "征求意见"
    assert topic["办理期限"] is None and topic["经办人"] is None
    mediation = rows[screened["noise"].number]
    assert mediation["去向"] == "转入调解" and mediation["责任主体"].endswith("（人民调解）")
    # a case just screened waits for a mediator to accept it; its limit is the case's own
    case = screened["noise"].__class__.objects.get(pk=screened["noise"].pk).mediation
    assert mediation["进展"] == "待受理" and mediation["办理期限"].date() == case.deadline
    assert "张三" not in all_text(data)  # residents stay masked


def test_a_formula_in_a_demand_stays_text(world, submit):
    submit(text='=HYPERLINK("http://evil.example/","点我")楼道灯坏了')
    sheet = open_sheet(three_list_xlsx(three_list(world.users["community_staff"], "problem"), "problem"))
    cell = sheet["D2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert "<f>" not in all_text(three_list_xlsx(three_list(world.users["community_staff"], "problem"), "problem"))


def test_export_holds_only_what_the_viewer_may_see(world, submit):
    submit()
    submit("resident3", text="湖滨花园2栋电梯坏了", area=world.areas["B3"])
    staff_rows = rows_of(open_sheet(three_list_xlsx(three_list(world.users["community_staff"], "problem"),
                                                    "problem")))
    district_rows = rows_of(open_sheet(three_list_xlsx(three_list(world.users["district_official"], "problem"),
                                                       "problem")))
    assert len(staff_rows) == 1 and len(district_rows) == 2


def test_unknown_list_kind_is_refused(world):
    with pytest.raises(DomainError, match="清单类型"):
        three_list_xlsx(three_list(world.users["community_staff"], "problem"), "everything")
