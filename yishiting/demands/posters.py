"""Printable QR posters (A4 PDF): scanning opens the submit page with the building or estate filled in.

Rendered by WeasyPrint from demands/poster.html. The QR code is inline SVG (segno) and the Chinese text uses
the Noto Sans CJK fonts installed by scripts/system-deps.sh (Debian fonts-noto-cjk), embedded as subsets, so
the file prints the same anywhere. Nothing is fetched over the network: only `data:` URLs may load.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from yishiting.areas.models import Area
from yishiting.areas.services import NAME_SEPARATOR
from yishiting.common.documents import render_pdf
from yishiting.common.errors import DomainError

from .models import Category

SUBMIT_PATH = "/demands/new/"


def poster_url(area: Area, base_url: str) -> str:
    """What the QR code opens: the submit page of this site with the area preselected."""
    parts = urlsplit((base_url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DomainError("invalid_base_url", "站点地址应以 http:// 或 https:// 开头，例如 https://yst.example.gov.cn。",
                          details={"field": "base_url"})
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}{SUBMIT_PATH}?area={area.pk}"


def qr_svg(data: str) -> str:
    """The QR code as an inline SVG scaled by the page's CSS, with the standard 4-module quiet zone; error
    correction level M still scans through a smudge or a staple hole."""
    return segno.make(data, error="m", micro=False).svg_inline(scale=1, border=4, dark="#000", light="#fff",
                                                               omitsize=True)


def _page(area: Area, base_url: str) -> dict:
    url = poster_url(area, base_url)
    # segno's own markup with only the URL (digits and ASCII) encoded in it: safe to insert as is.
    trail = [part for part in (area.full_name or area.name).split(NAME_SEPARATOR) if part]
    return {"area": area, "trail": trail, "url": url, "qr": mark_safe(qr_svg(url))}


def qr_poster_pdf(area: Area, base_url: str) -> bytes:
    """One A4 page for one building or estate: big QR code, the area's full name, steps, the categories."""
    return qr_posters_pdf([area], base_url)


def qr_posters_pdf(areas: Iterable[Area], base_url: str) -> bytes:
    """Several posters in one PDF, one page each (e.g. every building of an estate, to print in one go)."""
    pages = [_page(area, base_url) for area in areas]
    if not pages:
        raise DomainError("no_areas", "没有要生成海报的区域。")
    categories = list(Category.objects.filter(is_active=True).values_list("name", flat=True))
    return render_pdf(render_to_string("demands/poster.html", {"pages": pages, "categories": categories}))
