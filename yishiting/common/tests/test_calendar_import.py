"""`yishiting calendar_import`: a year's notice from a CSV file or an upgraded chinesecalendar; bad files change
nothing; a second run changes nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from yishiting.common.calendar import is_working_day
from yishiting.common.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("calendar_import", *args, stdout=out)
    return out.getvalue()


def test_a_csv_enters_days_and_marks_the_year(tmp_path):
    CalendarDay.objects.filter(date__year=2027).delete()
    CalendarYear.objects.filter(year=2027).delete()
    path = tmp_path / "2027.csv"
    path.write_text("日期,类型,名称\n2027-02-05,休,春节\n2027-02-09,休,春节\n2027-02-20,班,春节调休上班\n",
                    encoding="utf-8")
    out = run("--file", str(path), "--year", "2027")
    assert "已读入 3 条，登记年份 1 个" in out
    assert not is_working_day(date(2027, 2, 9)) and is_working_day(date(2027, 2, 20))
    assert is_working_day(date(2027, 1, 1))  # entered: the table is the word, 元旦 was not in this file
    assert CalendarYear.objects.get(year=2027).source == "导入"
    assert "工作日没有变化" in run("--file", str(path), "--year", "2027")


@pytest.mark.parametrize("text, message", [
    ("2027-13-01,休,元旦\n", "第 1 行：日期“2027-13-01”须写成 YYYY-MM-DD。"),
    ("2027-01-01,休,元旦\n2027-01-09,上班,调休\n", "第 2 行：类型须是“休”或“班”。"),
])
def test_a_bad_file_changes_nothing(tmp_path, text, message):
    before = CalendarDay.objects.count(), CalendarYear.objects.count()
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("--file", str(path), "--year", "2027")
    assert (CalendarDay.objects.count(), CalendarYear.objects.count()) == before


def test_one_source_at_a_time_and_a_missing_file_is_explained(tmp_path):
    with pytest.raises(CommandError, match="二选一"):
        run()
    with pytest.raises(CommandError, match="无法读取文件"):
        run("--file", str(tmp_path / "none.csv"))


def test_chinesecalendar_again_keeps_admin_edits():
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    day.name = "国庆（后台改过）"
    day.save()
    assert "工作日没有变化" in run("--chinesecalendar")
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆（后台改过）"
