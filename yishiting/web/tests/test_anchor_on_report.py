"""The 三率 report prints the fingerprint of its month's anchor (`yishiting anchor`), so the kept paper copy can
later vouch for the anchor file and through it for the event log (issue 16, docs/integrity.md)."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from yishiting.common.management.commands.anchor import last_month


def report(client, world, end) -> str:
    response = client.get("/kpis/", {"area": world.areas["S1"].pk, "start": end.replace(day=1).isoformat(),
                                     "end": end.isoformat()})
    assert response.status_code == 200
    return response.content.decode()


def test_the_report_of_an_anchored_month_prints_the_anchor_fingerprint(world, as_persona, settings, tmp_path):
    settings.ANCHOR_DIR = tmp_path
    client = as_persona("street_official")
    month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    assert "事件日志锚点" not in report(client, world, month_end)  # no anchor yet: nothing claimed
    call_command("anchor", month=last_month(timezone.localdate()), stdout=io.StringIO())
    printed = hashlib.sha256((tmp_path / f"{month_end:%Y-%m}.json").read_bytes()).hexdigest()
    page = report(client, world, month_end)
    assert "事件日志锚点" in page and printed in page and "未签名" in page, page
    assert printed not in report(client, world, timezone.localdate())  # another month: not this anchor
