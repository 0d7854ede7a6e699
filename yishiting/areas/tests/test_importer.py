"""Importing the area tree and households from XLSX / CSV: a clean file is imported whole, any error imports
nothing and names the row, column and reason in Chinese."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from yishiting.accounts.models import User
from yishiting.areas import services
from yishiting.areas.choices import Role
from yishiting.areas.importer import MAX_ROWS, import_areas_file
from yishiting.areas.models import Area, Household, path_segment
from yishiting.common.events import verify_chains
from yishiting.common.models import Event

HEADER = ["类型", "编码", "名称", "层级", "上级编码", "专有面积（㎡）"]
GOOD_ROWS = [
    ["区域", "C9", "锦绣社区", "社区（村）", "S1", None],
    ["区域", "G9", "锦绣花园", "estate", "C9", None],
    ["区域", "U9", "1单元", "单元", "B9", None],  # before its parent: order in the file does not matter
    ["区域", "B9", "锦绣花园1栋", "楼栋", "G9", None],
    ["住户", None, "101", None, "U9", 89.5],
    ["住户", "H-102", "102", None, "U9", "120.25"],
    ["住户", None, "201", None, "U1", 75],  # an existing unit
]


def xlsx(rows, header=HEADER) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return data


def csv_bytes(rows, encoding="utf-8", header=HEADER) -> io.BytesIO:
    lines = [",".join("" if v is None else str(v) for v in row) for row in [header, *rows]]
    return io.BytesIO("\r\n".join(lines).encode(encoding))


def run(actor, data, filename="areas.xlsx"):
    return import_areas_file(actor=actor, fileobj=data, filename=filename)


@pytest.fixture
def superuser(db):
    return User.objects.create(username="root", is_superuser=True, is_staff=True)


def counts():
    return Area.objects.count(), Household.objects.count(), Event.objects.count()


def test_good_xlsx_builds_the_same_tree_as_the_services(world):
    admin, s1 = world.users["admin"], world.areas["S1"]
    report = run(admin, xlsx(GOOD_ROWS))
    assert report.ok, report.errors
    assert (report.areas_created, report.households_created) == (4, 3)
    c9, b9, u9 = (Area.objects.get(code=c) for c in ("C9", "B9", "U9"))
    assert c9.path == s1.path + path_segment(3)  # S1 already has C1 and C2
    assert u9.path == b9.path + path_segment(1) and u9.parent == b9
    assert u9.full_name == "幸福区/东风街道/锦绣社区/锦绣花园/锦绣花园1栋/1单元"
    assert Area.objects.get(code="G9").search_key.startswith("jxhy")
    assert sorted(Household.objects.filter(unit=u9).values_list("number", "exclusive_area")) == [
        ("101", Decimal("89.50")), ("102", Decimal("120.25"))]
    assert Household.objects.get(unit=world.areas["U1"], number="201").path == world.areas["U1"].path
    assert Event.objects.filter(kind="area.created", actor=admin).count() == 4
    assert Event.objects.filter(kind="household.created", actor=admin).count() == 3
    assert Event.objects.filter(kind="areas.imported", subject_id=str(admin.pk)).exists()
    assert list(verify_chains()) == []
    # The next area created one at a time numbers on after the imported ones.
    nxt = services.area_create(actor=admin, name="新社区", level=c9.level, code="C10", parent=s1)
    assert nxt.path == s1.path + path_segment(4)


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_good_csv_in_the_encodings_excel_saves(world, encoding):
    report = run(world.users["admin"], csv_bytes(GOOD_ROWS, encoding), "住户.csv")
    assert report.ok, report.errors
    assert Area.objects.get(code="C9").name == "锦绣社区"
    assert Household.objects.filter(unit__code="U9").count() == 2


def test_numbers_typed_as_numbers_in_excel_are_read_as_text(superuser, db):
    rows = [["区域", 1101, "测试区", "区", None, None], ["区域", 110101, "一街道", "街道", 1101.0, None]]
    report = run(superuser, xlsx(rows))
    assert report.ok, report.errors
    assert Area.objects.get(code="110101").parent.code == "1101"


ROW_ERRORS = [
    ("empty name", [["区域", "C9", "", "社区", "S1", None]], 2, "名称", "不能为空"),
    ("bad kind", [["楼", "C9", "锦绣社区", "社区", "S1", None]], 2, "类型", "区域”或“住户"),
    ("unknown level", [["区域", "C9", "锦绣社区", "片区", "S1", None]], 2, "层级", "不存在"),
    ("bad code", [["区域", "C 9", "锦绣社区", "社区", "S1", None]], 2, "编码", "只能包含"),
    ("code in db", [["区域", "C1", "锦绣社区", "社区", "S1", None]], 2, "编码", "已被系统中"),
    ("code twice", [["区域", "C9", "锦绣社区", "社区", "S1", None],
                    ["区域", "C9", "和美社区", "社区", "S1", None]], 3, "编码", "与第 3 行重复"),
    ("unknown parent", [["区域", "C9", "锦绣社区", "社区", "S9", None]], 2, "上级编码", "找不到"),
    ("wrong level", [["区域", "B9", "一号楼", "楼栋", "S1", None]], 2, "层级", "只能建“社区（村）”"),
    ("no parent", [["区域", "C9", "锦绣社区", "社区", "", None]], 2, "上级编码", "必须填写上级编码"),
    ("household under building", [["住户", "", "101", "", "B1", "80"]], 2, "上级编码", "不能直接登记住户"),
    ("area not a number", [["住户", "", "103", "", "U1", "八十"]], 2, "专有面积", "应为数字"),
    ("area 3 decimals", [["住户", "", "103", "", "U1", "80.125"]], 2, "专有面积", "两位小数"),
    ("area negative", [["住户", "", "103", "", "U1", "-5"]], 2, "专有面积", "大于 0"),
    ("area missing", [["住户", "", "103", "", "U1", ""]], 2, "专有面积", "必须填写"),
    ("household twice", [["住户", "", "103", "", "U1", "80"], ["住户", "", "103", "", "U1", "81"]],
     3, "名称", "与第 3 行重复"),
    ("household in db", [["住户", "", "101", "", "U1", "80"]], 2, "名称", "已有户号“101”"),
    ("under a household", [["住户", "H9", "103", "", "U1", "80"], ["住户", "", "1", "", "H9", "10"]],
     3, "上级编码", "是一户住户"),
    ("cycle", [["区域", "X1", "甲小区", "小区", "X2", None], ["区域", "X2", "乙社区", "社区", "X1", None]],
     2, "上级编码", "构成循环"),
]


@pytest.mark.parametrize(("case", "rows", "row", "column", "message"), ROW_ERRORS, ids=[c[0] for c in ROW_ERRORS])
def test_each_bad_row_is_reported_and_nothing_is_written(world, case, rows, row, column, message):
    good = [["区域", "C8", "和美社区", "社区", "S1", None]]  # a good row too: it must not be imported either
    before = counts()
    report = run(world.users["admin"], xlsx(good + rows))
    assert not report.ok
    assert any(e.row == row + 1 and e.column == column and message in e.message for e in report.errors), \
        report.errors
    assert counts() == before and not Area.objects.filter(code="C8").exists()


def test_all_errors_are_listed_at_once(world):
    rows = [["区域", "C9", "", "社区", "S1", None], ["住户", "", "101", "", "U1", "80"],
            ["区域", "B9", "一号楼", "楼栋", "S1", None]]
    report = run(world.users["admin"], csv_bytes(rows), "a.csv")
    assert [e.row for e in report.errors] == [2, 3, 4]


@pytest.mark.parametrize(("header", "message"), [
    (["类型", "编码", "名称", "上级编码"], "缺少列：层级"),
    ([*HEADER, "备注"], "未知的列“备注”"),
    (["类型", "编码", "名称", "层级", "上级编码", "编码"], "出现了两次"),
])
def test_bad_header_is_a_file_error(world, header, message):
    before = counts()
    report = run(world.users["admin"], xlsx([["区域", "C9", "锦绣社区", "社区", "S1"]], header=header))
    assert report.errors[0].row == 0 and message in report.errors[0].message
    assert counts() == before


@pytest.mark.parametrize(("content", "filename", "message"), [
    (b"this is not a workbook", "areas.xlsx", "不是有效的 XLSX"),
    (b"PK\x03\x04broken zip", "areas.xlsx", "不是有效的 XLSX"),
    (b"\x00\x01\x02binary", "areas.csv", "不是有效的 CSV"),
    (b"whatever", "areas.xls", "只支持 .xlsx 或 .csv"),
    (b"", "areas.csv", "文件是空的"),
    ("类型,编码,名称,层级,上级编码\r\n".encode(), "areas.csv", "没有数据行"),
])
def test_not_a_real_file_is_refused(world, content, filename, message):
    report = run(world.users["admin"], io.BytesIO(content), filename)
    assert [e.row for e in report.errors] == [0] and message in report.errors[0].message


def test_too_large_a_file_is_refused(world, settings):
    settings.IMPORT_MAX_BYTES = 1024
    report = run(world.users["admin"], csv_bytes(GOOD_ROWS * 20), "big.csv")
    assert report.errors[0].row == 0 and "文件太大" in report.errors[0].message
    assert not Area.objects.filter(code="C9").exists()


def test_too_many_rows_is_refused(world):
    body = "".join(f"住户,,{i},,U1,80\n" for i in range(MAX_ROWS + 1))
    data = io.BytesIO(("类型,编码,名称,层级,上级编码,专有面积\n" + body).encode())
    report = run(world.users["admin"], data, "many.csv")
    assert report.errors[0].row == 0 and "行数太多" in report.errors[0].message
    assert Household.objects.count() == 4


def test_parents_outside_the_actors_scope_are_row_errors(world):
    street_admin = User.objects.create(username="s2admin")
    person = services.person_create(actor=None, name="冯管理", area=world.areas["S2"], user=street_admin)
    services.role_assign(actor=None, person=person, role=Role.ADMIN, area=world.areas["S2"])
    rows = [["区域", "C9", "锦绣社区", "社区", "S2", None], ["区域", "C8", "和美社区", "社区", "S1", None],
            ["区域", "D2", "新区", "区", "", None]]
    report = run(street_admin, xlsx(rows))
    assert [(e.row, e.column) for e in report.errors] == [(3, "上级编码"), (4, "上级编码")]
    assert "无权" in report.errors[0].message and "系统管理员" in report.errors[1].message
    assert not Area.objects.filter(code__in=["C9", "C8", "D2"]).exists()
    report = run(street_admin, xlsx(rows[:1]))
    assert report.ok and Area.objects.get(code="C9").parent == world.areas["S2"]


def test_people_without_areas_manage_cannot_import(world):
    report = run(world.users["street_official"], xlsx(GOOD_ROWS))
    assert not report.ok and all("无权" in e.message for e in report.errors)
    assert not Area.objects.filter(code="C9").exists()


def test_command_prints_row_errors_and_fails(world, tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([["区域", "B9", "一号楼", "楼栋", "S1", None]]).getvalue())
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_areas", str(path), "--as", "admin")
    assert "第 2 行［层级］：层级不对" in capsys.readouterr().err
    assert not Area.objects.filter(code="B9").exists()


def test_command_imports_as_the_first_superuser(world, superuser, tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS, "gb18030").getvalue())
    call_command("import_areas", str(path))
    assert "新建区域 4 个、住户 3 户" in capsys.readouterr().out
    assert Event.objects.filter(kind="area.created", actor=superuser).count() == 4


def test_command_without_a_superuser_says_so(db, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes(GOOD_ROWS).getvalue())
    with pytest.raises(CommandError, match="超级管理员"):
        call_command("import_areas", str(path))
