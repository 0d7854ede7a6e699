"""Importing questionnaire and opinion-card results: all or nothing, with every bad cell reported."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from yishiting.areas.models import Person
from yishiting.common.errors import PermissionDeniedError
from yishiting.common.events import events_of
from yishiting.demands.choices import Channel, ReporterKind
from yishiting.demands.importer import import_demands_file
from yishiting.demands.models import Demand

HEADER = ["序号", "内容", "类别", "区域编码", "区域", "地址", "紧急程度", "诉求人姓名", "手机号", "日期"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def run(world, django_capture_on_commit_callbacks):
    def _run(data: bytes, persona="community_staff", *, filename="意见卡.xlsx", channel="意见卡"):
        with django_capture_on_commit_callbacks(execute=True):
            return import_demands_file(actor=world.users[persona], fileobj=io.BytesIO(data), filename=filename,
                                       channel=channel)
    return _run


CARDS = [
    [1, "3栋楼道的灯坏了一个星期，晚上上楼很黑", "", "B1", "", "3栋1单元", "", "张三", "13800000001",
     datetime(2026, 3, 2)],
    [2, "小区东门垃圾桶满了没人清运，味道很大", "环境整治", "", "幸福苑小区", "", "紧急", "刘阿姨", "139 1234 5678",
     "2026年3月3日"],
    [3, "希望社区组织老年人合唱队", "", "", "幸福苑小区/幸福苑3栋", "", "一般", "", "", None],
]


def test_clean_card_file_creates_each_demand_like_one_typed_in(world, run, messages_outbox):
    report = run(xlsx(CARDS))
    assert report.ok, report.errors
    assert report.created == 3 and report.rows == 3 and len(report.numbers) == 3
    lamp, rubbish, choir = (Demand.objects.get(number=n) for n in report.numbers)
    assert {d.channel for d in (lamp, rubbish, choir)} == {Channel.OPINION_CARD}
    # Row 1: a registered resident, found by mobile and name; entered for them with the signed card as consent.
    assert lamp.reporter == world.people["resident"] and lamp.reporter_kind == ReporterKind.ON_BEHALF
    assert lamp.consent_recorded and lamp.entered_by == world.users["community_staff"]
    assert lamp.category.name == "设施维护" and lamp.suggested_category is not None  # suggested: column empty
    assert lamp.area == world.areas["B1"] and lamp.address == "3栋1单元"
    # Row 2: area by name, category and urgency given, a new resident registered with the mobile cleaned.
    assert rubbish.area == world.areas["G1"] and rubbish.category.name == "环境整治" and rubbish.urgency == "urgent"
    assert rubbish.reporter.name == "刘阿姨" and rubbish.reporter.mobile == "13912345678"
    assert rubbish.reporter.area == world.areas["G1"]
    # Row 3: no name, no phone: anonymous.
    assert choir.reporter is None and choir.reporter_kind == ReporterKind.ANONYMOUS
    assert choir.area == world.areas["B1"]
    kinds = [e.kind for e in events_of(lamp)]
    assert kinds == ["demand.submitted", "demand.imported"]
    imported = events_of(lamp).get(kind="demand.imported").payload
    assert imported == {"file": "意见卡.xlsx", "row": 2, "channel": "opinion_card", "filled_on": "2026-03-02"}
    assert events_of(rubbish).get(kind="demand.imported").payload["filled_on"] == "2026-03-03"
    assert sorted(m.to for m in messages_outbox) == ["13800000001", "13912345678"]


def test_a_file_with_errors_imports_nothing_and_lists_every_bad_cell(world, run):
    people_before = Person.objects.count()
    tomorrow = date.today() + timedelta(days=1)
    rows = [
        [1, "", "", "B1", "", "", "", "", "", None],                                   # 2: no text
        [2, "楼道灯坏了", "天气", "B1", "", "", "十万火急", "", "", None],                  # 3: category, urgency
        [3, "楼道灯坏了", "", "NOPE", "", "", "", "", "", None],                          # 4: unknown code
        [4, "湖滨花园2栋电梯坏了", "", "B3", "", "", "", "", "", None],                    # 5: outside scope
        [5, "楼道灯坏了", "", "", "", "", "", "", "", None],                               # 6: no area
        [6, "楼道灯坏了", "", "B1", "", "", "", "王大爷", "", None],                        # 7: name, no phone
        [7, "楼道灯坏了", "", "B1", "", "", "", "王大爷", "12345", None],                   # 8: bad phone
        [8, "楼道灯坏了", "", "B1", "", "", "", "", "", tomorrow.isoformat()],            # 9: future date
        [9, "楼道灯又坏了", "", "B1", "", "", "", "", "", "三月初"],                          # 10: unreadable date
        [10, "x" * 2001, "", "B1", "", "", "", "", "", None],                            # 11: too long
        [11, "3栋电梯坏了", "", "B1", "", "", "", "张三", "13800000001", None],            # 12: fine
        [12, "3栋电梯坏了", "", "B1", "和平里1栋", "", "", "", "", None],                    # 13: code ≠ name
        [13, "3栋电梯坏了", "", "", "", "", "", "", "13700000000", None],                 # 14: new phone, no name
        [14, "3栋电梯坏了", "", "", "幸福苑3栋", "", "", "张三", "13800000001", None],        # 15: repeats 12
    ]
    report = run(xlsx(rows))
    assert not report.ok and report.created == 0 and report.numbers == []
    assert Demand.objects.count() == 0 and Person.objects.count() == people_before
    cells = {(e.row, e.column) for e in report.errors}
    assert cells == {(2, "内容"), (3, "类别"), (3, "紧急程度"), (4, "区域编码"), (5, "区域编码"), (6, "区域编码"),
                     (7, "手机号"), (8, "手机号"), (9, "日期"), (10, "日期"), (11, "内容"), (13, "区域"),
                     (14, "区域编码"), (14, "诉求人姓名"), (15, "内容")}
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "可填：安全隐患、环境整治" in messages[(3, "类别")]
    # Outside the scope reads exactly like unknown: the file cannot probe which codes exist.
    assert messages[(4, "区域编码")].replace("NOPE", "B3") == messages[(5, "区域编码")]
    assert "与第 12 行完全相同" in messages[(15, "内容")]
    assert "2001" in messages[(11, "内容")]


def test_an_ambiguous_building_name_asks_for_the_code(world, run):
    report = run(xlsx([[1, "单元门禁坏了", "", "", "1单元", "", "", "", "", None]]), "district_official")
    (error,) = report.errors
    assert (error.row, error.column) == (2, "区域") and "多个区域" in error.message and "区域编码" in error.message
    # Within one community's scope the same name is unique.
    assert run(xlsx([[1, "单元门禁坏了", "", "", "1单元", "", "", "", "", None]])).ok


def test_the_same_file_cannot_be_imported_twice(world, run):
    data = xlsx(CARDS)
    assert run(data).ok
    again = run(data, "community_secretary")
    assert not again.ok and "已经" in again.errors[0].message and again.errors[0].row == 0
    assert Demand.objects.count() == 3


def test_a_resident_sharing_a_family_phone_gets_their_own_record(world, run):
    rows = [[1, "3栋楼道灯坏了", "", "B1", "", "", "", "张大爷", "13800000001", None],
            [2, "3栋门口路面坑洼", "", "B1", "", "", "", "张大爷", "13800000001", None]]
    report = run(xlsx(rows))
    assert report.ok, report.errors
    first, second = (Demand.objects.get(number=n) for n in report.numbers)
    assert first.reporter == second.reporter != world.people["resident"]
    assert Person.objects.filter(mobile="13800000001").count() == 2


@pytest.mark.parametrize(("header", "message"), [
    (["类别", "区域编码"], "缺少列：内容"),
    (["内容", "地址"], "缺少列：区域编码或区域"),
    (["内容", "区域编码", "身份证号"], "未知的列“身份证号”"),
    (["内容", "区域编码", "意见"], "列“内容”出现了两次"),
])
def test_header_problems_are_reported_for_the_whole_file(world, run, header, message):
    report = run(xlsx([["楼道灯坏了"] * len(header)], header=header))
    assert [(e.row, message in e.message) for e in report.errors] == [(0, True)]


def test_aliases_and_bracketed_notes_in_headers_are_accepted(world, run):
    data = xlsx([["楼道灯坏了", "B1", "13800000001", "2026/3/1"]],
                header=["意见内容（必填）", "区域编码", "联系电话", "填表日期"])
    report = run(data, channel="questionnaire")
    assert report.ok, report.errors
    demand = Demand.objects.get(number=report.numbers[0])
    assert demand.channel == Channel.QUESTIONNAIRE and demand.reporter == world.people["resident"]


def test_gbk_csv_from_chinese_excel_imports(world, run):
    text = "内容,区域编码,紧急程度\r\n小区东门消防通道被车堵了,G1,特急\r\n"
    report = run(text.encode("gb18030"), filename="问卷.csv", channel="问卷")
    assert report.ok, report.errors
    assert Demand.objects.get().urgency == "critical"


def test_wrong_channel_or_file_type_is_refused(world, run):
    assert "渠道" in run(xlsx(CARDS), channel="热线").errors[0].message
    report = run(b"\x89PNG\r\n\x1a\nnot a sheet", filename="cards.xlsx")
    assert report.errors[0].row == 0 and "XLSX" in report.errors[0].message
    assert "只支持" in run(xlsx(CARDS), filename="cards.pdf").errors[0].message
    assert Demand.objects.count() == 0


@pytest.mark.parametrize("persona", ["resident", "grid_worker", "handler"])
def test_only_community_office_may_import(world, run, persona):
    with pytest.raises(PermissionDeniedError):
        run(xlsx(CARDS), persona)


def test_command_prints_errors_or_the_numbers(world, tmp_path, capsys):
    good, bad = tmp_path / "cards.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(xlsx(CARDS))
    bad.write_bytes(xlsx([[1, "", "", "B1", "", "", "", "", "", None]]))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("import_demands", str(bad), "--channel", "意见卡", "--as", "community_staff")
    assert "第 2 行［内容］：内容不能为空。" in capsys.readouterr().err
    call_command("import_demands", str(good), "--channel", "意见卡", "--as", "community_staff")
    assert "新建诉求 3 条" in capsys.readouterr().out
    with pytest.raises(CommandError, match="权限"):
        call_command("import_demands", str(good), "--channel", "意见卡", "--as", "resident")
