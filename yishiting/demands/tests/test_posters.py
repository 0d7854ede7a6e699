"""The printable QR poster: an A4 PDF a community prints and sticks up in a building's entrance."""

import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from yishiting.common.errors import DomainError
from yishiting.demands.posters import poster_url, qr_poster_pdf, qr_posters_pdf


def pdf_tool(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=60).stdout


def render_first_page(pdf: bytes, tmp_path: Path) -> Image.Image:
    source = tmp_path / "poster.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)
    return Image.open(next(tmp_path.glob("page*.png"))).convert("L")


@pytest.fixture
def poster(world, tmp_path):
    pdf = qr_poster_pdf(world.areas["B1"], "https://yst.example.gov.cn/")
    path = tmp_path / "poster.pdf"
    path.write_bytes(pdf)
    return pdf, path


def test_poster_is_one_a4_page_with_embedded_chinese_fonts(poster):
    pdf, path = poster
    assert pdf.startswith(b"%PDF-")
    info = pdf_tool("pdfinfo", str(path))
    assert re.search(r"Pages:\s+1\b", info)
    assert "(A4)" in info  # 595.28 x 841.89 pt
    fonts = pdf_tool("pdffonts", str(path)).splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert cjk, fonts
    assert all(line.split()[-5] == "yes" for line in cjk)  # the "emb" column: embedded, prints anywhere


def test_poster_shows_the_place_the_steps_and_the_categories(poster):
    _, path = poster
    text = pdf_tool("pdftotext", "-layout", str(path), "-")
    flat = re.sub(r"\s+", "", text)
    assert "扫码反映诉求" in flat
    assert "幸福苑3栋" in flat and "幸福区›东风街道›幸福苑社区›幸福苑小区›幸福苑3栋" in flat
    assert "https://yst.example.gov.cn/demands/new/?area=" in flat
    for category in ["安全隐患", "环境整治", "文体娱乐", "生活关爱", "普惠公益", "物业管理"]:
        assert category in flat
    assert "扫描上方二维码" in flat


def test_first_page_renders_with_a_big_dark_qr_code(poster, tmp_path):
    pdf, _ = poster
    page = render_first_page(pdf, tmp_path)
    width, height = page.size
    assert abs(height / width - 297 / 210) < 0.02
    histogram = page.histogram()
    dark = sum(histogram[:80]) / (width * height)
    assert 0.05 < dark < 0.6  # not blank, not a black page
    # The QR code sits in the middle third of the page: its square holds plenty of black modules.
    middle = page.crop((width // 4, int(height * 0.25), 3 * width // 4, int(height * 0.6)))
    assert sum(middle.histogram()[:80]) / (middle.size[0] * middle.size[1]) > 0.25


def test_qr_code_opens_the_submit_page_with_the_area(world):
    assert poster_url(world.areas["G1"], "https://yst.example.gov.cn/sub/") == \
        f"https://yst.example.gov.cn/sub/demands/new/?area={world.areas['G1'].pk}"
    with pytest.raises(DomainError, match="http"):
        poster_url(world.areas["G1"], "yst.example.gov.cn")


def test_nothing_remote_or_local_is_loaded(world, monkeypatch, tmp_path):
    """Even if the template pulled in a remote image or font, rendering opens no connection and no file."""
    import socket

    from yishiting.common.documents import render_pdf

    attempts = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: attempts.append(a))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a))
    (tmp_path / "x.png").write_bytes(b"not read")
    html = (f'<style>@font-face {{ font-family: X; src: url("https://fonts.example.com/x.woff2") }}</style>'
            f'<img src="http://cdn.example.com/logo.png"><img src="file://{tmp_path}/x.png"><p>议事厅</p>')
    assert render_pdf(html).startswith(b"%PDF-")
    assert qr_poster_pdf(world.areas["G1"], "https://yst.example.gov.cn").startswith(b"%PDF-")
    assert attempts == []


def test_an_estate_prints_one_page_per_building(world, tmp_path):
    buildings = [world.areas["B1"], world.areas["B2"]]
    path = tmp_path / "estate.pdf"
    path.write_bytes(qr_posters_pdf(buildings, "http://127.0.0.1:8000"))
    assert re.search(r"Pages:\s+2\b", pdf_tool("pdfinfo", str(path)))


def test_poster_command_writes_the_pdf(world, tmp_path, capsys):
    out = tmp_path / "g1.pdf"
    call_command("poster", "G1", "--out", str(out), "--base-url", "https://yst.example.gov.cn", "--children")
    assert out.read_bytes().startswith(b"%PDF-")
    assert "1 页" in capsys.readouterr().out  # G1 has one building: B1
    with pytest.raises(CommandError, match="找不到"):
        call_command("poster", "NOPE", "--out", str(out), "--base-url", "https://yst.example.gov.cn")
    with pytest.raises(CommandError, match="http"):
        call_command("poster", "B1", "--out", str(out), "--base-url", "ftp://x")
