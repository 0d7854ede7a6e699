"""One run of `yishiting tick` for a day: the handling stages (公 notices completed, 督 task warnings, 评 rounds
closed), then every domain's registered tick (common.ticks). The command prints what this returns; the demo
builder runs it once at the end so each app's demo state is what the scheduled job leaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from yishiting.common.ticks import registered_ticks

from .services.evaluation import rounds_tick
from .services.notices import notices_tick
from .warnings import warnings_tick


@dataclass
class TickRun:
    lines: list[str] = field(default_factory=list)  # zh-only summaries, one a part
    calendar_warnings: set[str] = field(default_factory=set)


def tick_run(today: date) -> TickRun:
    """Every part once for `today`; each is idempotent, so a run killed half-way is simply run again."""
    run = TickRun()
    notices = notices_tick(today=today)
    counts = warnings_tick(today=today)
    rounds = rounds_tick(today=today)
    run.lines.append(f"{today:%Y-%m-%d}：公示办结 {notices} 项；检查在办任务 {counts.tasks} 项，"  # zh-only
                     f"新增黄色预警 {counts.yellow}、红色预警 {counts.red}、提级督办 {counts.escalated}，"  # zh-only
                     f"发出通知 {counts.notifications} 条；评价结束 {rounds} 轮。")  # zh-only
    run.calendar_warnings |= set(counts.calendar_warnings)
    for tick in registered_ticks().values():  # mediation's deadlines and reminders, …
        summary, warnings = tick(today)
        run.lines.append(f"{today:%Y-%m-%d}：{summary}")
        run.calendar_warnings |= warnings
    return run
