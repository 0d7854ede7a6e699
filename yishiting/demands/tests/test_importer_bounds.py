"""Imports bound what they read and what they echo (issue 16: one 150 MB cell drove memory to 1.4 GB and printed
157 MB of errors): a cell longer than any table's is refused before anything quotes it, an XLSX that unpacks
into far more than its size is refused unread, and no error message is longer than MAX_MESSAGE."""

import io
import zipfile

import pytest

from yishiting.common.tabular import MAX_CELL, MAX_MESSAGE
from yishiting.demands.importer import import_demands_file
from yishiting.demands.models import Demand

from .test_importer import CARDS, HEADER, xlsx


def run(world, data: bytes, filename: str = "意见卡.xlsx"):
    return import_demands_file(actor=world.users["community_staff"], fileobj=io.BytesIO(data), filename=filename,
                               channel="意见卡")


def longest(report) -> int:
    return max(len(e.message) for e in report.errors)


@pytest.mark.parametrize("where", ["text", "header"])
def test_a_cell_longer_than_any_table_s_is_refused_without_being_quoted(world, where):
    huge = "长" * (MAX_CELL + 1)
    header, rows = (HEADER + [huge], CARDS) if where == "header" else (HEADER, [[1, huge, *CARDS[0][2:]]])
    report = run(world, xlsx(rows, header=header))
    assert not report.ok and len(report.errors) == 1 and longest(report) < 100
    assert f"超过 {MAX_CELL} 个字" in report.errors[0].message
    assert Demand.objects.count() == 0


def test_a_huge_csv_cell_is_refused_in_a_short_message(world):
    data = ("内容,区域编码\n" + "长" * 200_000 + ",B1\n").encode()
    report = run(world, data, "意见卡.csv")
    assert not report.ok and longest(report) < 200 and Demand.objects.count() == 0


def test_an_xlsx_that_unpacks_far_past_its_size_is_refused_unread(world, settings):
    settings.IMPORT_MAX_BYTES = 64 * 1024
    out = io.BytesIO(xlsx(CARDS))
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (10 * 64 * 1024 + 1))
    data = out.getvalue()
    assert len(data) < settings.IMPORT_MAX_BYTES
    report = run(world, data)
    assert not report.ok and "解压后太大" in report.errors[0].message


def test_every_error_message_is_bounded(world):
    long_category = "类" * 4000  # under MAX_CELL: read, refused, and quoted only in part
    rows = [[n, "3栋楼道的灯坏了", long_category, "B1", "", "", "", "", "", None] for n in range(1, 30)]
    report = run(world, xlsx(rows))
    assert len(report.errors) == 29 and longest(report) <= MAX_MESSAGE
    assert sum(len(e.message) for e in report.errors) < 29 * (MAX_MESSAGE + 1)
