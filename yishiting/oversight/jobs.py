"""The oversight app's background jobs (yishiting/common/jobs.py), registered in OversightConfig.ready():

- `oversight.monthly_report`: one street's or district's 月报 for one month (report_generate), enqueued by the
  tick's `reports_tick` at the start of each month, one job per area;
- `oversight.rollups`: the roll-ups' catch-up with the event log, enqueued by the scheduler each minute.
"""

from __future__ import annotations

from datetime import date

from yishiting.areas.models import Area
from yishiting.common.jobs import register_job
from yishiting.common.schedule import register_periodic

from .projection import catch_up


def monthly_report_job(*, area_id: int, month: str, today: str) -> str:
    from .services.reports import report_generate

    area = Area.objects.get(pk=area_id)
    report = report_generate(actor=None, area=area, month=date.fromisoformat(month), today=date.fromisoformat(today))
    return f"{area.name} {month[:7]}：{report.sha256[:12]}"


def rollups_job() -> str:
    return f"计入 {catch_up()} 条新事件"  # zh-only: a job's log line


def install() -> None:
    register_job("oversight.monthly_report", monthly_report_job)  # atomic: the report and done_at together
    register_job("oversight.rollups", rollups_job, atomic=False)  # catch_up commits batch by batch, idempotently
    register_periodic("oversight.rollups", every="minute")
