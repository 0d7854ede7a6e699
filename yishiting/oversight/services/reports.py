"""Writing the monthly reports (月报): render one street's or district's month as PDF and keep it.

`report_generate` is idempotent: the same area and month is one row; generating it again re-renders the PDF and
changes the stored file only when its content changed (matters moved on, a late rating arrived), so a repeated
run of the tick, or a second click, leaves everything as it was. `reports_tick` (registered with
`yishiting tick`) enqueues the previous month's report of every street and district that has none yet, one
background job each (oversight/jobs.py).
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from yishiting.areas.models import Area
from yishiting.common.anchors import monthly_anchor
from yishiting.common.documents import render_pdf
from yishiting.common.errors import DomainError
from yishiting.common.events import event_append
from yishiting.common.jobs import job_enqueue
from yishiting.common.models import Job

from ..models import MonthlyReport
from ..overview import charts, overview
from ..periods import month_period

REPORT_DEPTH = 2  # districts and streets


def report_areas():
    return Area.objects.filter(level__depth__lte=REPORT_DEPTH, is_active=True).order_by("path")


def report_pdf(area: Area, month: date, today: date) -> tuple[bytes, str]:
    """The month's report as PDF (always in Chinese, like every printed record) and the anchor fingerprint."""
    period = month_period(month)
    anchor = monthly_anchor(f"{month:%Y-%m}")
    with translation.override("zh-hans"):
        data = overview(area, period, today)
        html = render_to_string("oversight/monthly_report_pdf.html",
                                {"o": data, "charts": charts(data), "anchor": anchor})
    return render_pdf(html), (anchor or {}).get("fingerprint", "")


@transaction.atomic
def report_generate(*, actor, area: Area, month: date, today: date | None = None) -> MonthlyReport:
    """Generate (or regenerate) `area`'s report for `month`. Event: oversight.report_generated, only when the
    stored file changed."""
    today = today or timezone.localdate()
    month = month.replace(day=1)
    if month > today.replace(day=1):
        raise DomainError("report_future", gettext("不能生成尚未开始的月份的月报。"), details={"field": "month"})
    existing = MonthlyReport.objects.select_for_update().filter(area=area, month=month).first()
    content, anchor = report_pdf(area, month, today)
    digest = hashlib.sha256(content).hexdigest()
    if existing is not None and existing.sha256 == digest:
        return existing
    report = existing or MonthlyReport(area=area, path=area.path, month=month)
    if existing is not None:
        existing.file.delete(save=False)
    report.file.save(f"{area.code}-{month:%Y-%m}.pdf", ContentFile(content), save=False)
    report.sha256, report.size, report.anchor_fingerprint = digest, len(content), anchor
    report.generated_at, report.generated_by = timezone.now(), actor if getattr(actor, "pk", None) else None
    report.save()
    event_append(subject=report, kind="oversight.report_generated", actor=actor,
                 payload={"path": area.path, "month": f"{month:%Y-%m}", "sha256": digest})
    return report


def month_of(text: str) -> date:
    """`2026-11` as its first day; anything else is a DomainError in Chinese."""
    try:
        year, month = (int(part) for part in (text or "").strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise DomainError("invalid_month", gettext("月份格式不正确，例如 2026-11。"), details={"field": "month"}) from None


def recent_months(today: date, count: int = 12) -> list[date]:
    """The months a report can be asked for on the list page: this one and the `count` - 1 before."""
    months, month = [], today.replace(day=1)
    for _n in range(count):
        months.append(month)
        month = previous_month(month)
    return months


def previous_month(today: date) -> date:
    first = today.replace(day=1)
    return (first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1))


def reports_tick(today: date) -> tuple[str, set[str]]:
    """At the start of each month (any run until it is done): enqueue last month's report for every street and
    district that has none, one job each (oversight/jobs.py) under the key `monthly_report:<area>:<month>`, so
    the workers render them side by side, a failed one is retried alone, and a tick run again enqueues nothing
    twice."""
    month = previous_month(today)
    if not settings.TICK_MONTHLY_REPORTS:  # the test runs (config/settings.py)
        return f"月报：{month:%Y-%m} 本次不生成（TICK_MONTHLY_REPORTS）", set()  # zh-only: the tick's log line
    done = set(MonthlyReport.objects.filter(month=month).values_list("area_id", flat=True))
    keys = {area.pk: f"monthly_report:{area.pk}:{month:%Y-%m}" for area in report_areas().exclude(pk__in=done)}
    queued = set(Job.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    new = 0
    for area_id, key in keys.items():
        if key not in queued:
            with transaction.atomic():
                job_enqueue("oversight.monthly_report", key=key, area_id=area_id, month=month.isoformat(),
                            today=today.isoformat())
            new += 1
    return f"月报：{month:%Y-%m} 入队 {new} 份，已有 {len(done)} 份", set()  # zh-only: the tick's log line
