"""The tick: the scheduled work of the handling stages, then every domain's registered tick (common.ticks).

Run by `yishiting tick` (cron, or by hand with --today) and, on the queue, by the `handling.tick` job the scheduler
enqueues each hour (handling/jobs.py). Each part is idempotent on its own, so a run killed half-way is simply run
again."""

from __future__ import annotations

from datetime import date

from yishiting.common.ticks import registered_ticks
from yishiting.handling.services.evaluation import rounds_tick
from yishiting.handling.services.notices import notices_tick
from yishiting.handling.warnings import warnings_tick


def tick_run(today: date) -> tuple[list[str], list[str]]:
    """Completes due notices (公), warns and escalates tasks (督), closes finished evaluation rounds (评), then the
    registered ticks. Returns the summary lines and the calendar warnings met (sorted)."""
    notices = notices_tick(today=today)
    counts = warnings_tick(today=today)
    rounds = rounds_tick(today=today)
    lines = [f"{today:%Y-%m-%d}：公示办结 {notices} 项；检查在办任务 {counts.tasks} 项，"
             f"新增黄色预警 {counts.yellow}、红色预警 {counts.red}、提级督办 {counts.escalated}，"
             f"发出通知 {counts.notifications} 条；评价结束 {rounds} 轮。"]
    calendar = set(counts.calendar_warnings)
    for tick in registered_ticks().values():  # mediation's deadlines and reminders, …
        summary, warnings = tick(today)
        lines.append(f"{today:%Y-%m-%d}：{summary}")
        calendar |= warnings
    return lines, sorted(calendar)
