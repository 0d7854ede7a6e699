"""The overview's tables as XLSX layouts: the figures as the page shows them, one sheet per table. Headers are
in the page's language (the export is what the official saw)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yishiting.common.xlsx import Column, number, percent_column

from .overview import Overview

TABLES = {"rates": gettext_lazy("三率"), "trend": gettext_lazy("三率月度趋势"), "funnel": gettext_lazy("办理漏斗"),
          "open": gettext_lazy("未办结事项"), "pressing": gettext_lazy("逾期和预警事项"),
          "children": gettext_lazy("下级区域"), "categories": gettext_lazy("诉求类别"),
          "units": gettext_lazy("责任单位")}


def _rates() -> list[Column]:
    return [Column(_("指标"), 12, lambda r: r.label), percent_column(_("本期"), 10, lambda r: r.percent),
            Column(_("分子"), 8, lambda r: number(r.numerator)), Column(_("分母"), 8, lambda r: r.denominator),
            percent_column(_("上期"), 10, lambda r: r.previous), Column(_("比上期"), 24, lambda r: r.vs_previous.words),
            percent_column(_("去年同期"), 10, lambda r: r.last_year),
            Column(_("比去年同期"), 24, lambda r: r.vs_last_year.words), Column(_("计算方法"), 60, lambda r: r.rule)]


def _trend(keys: list[tuple[str, str]]) -> list[Column]:
    return [Column(_("月份"), 10, lambda p: p.label)] + [
        percent_column(label, 12, lambda p, key=key: p.percents.get(key)) for key, label in keys]


def _funnel() -> list[Column]:
    return [Column(_("环节"), 16, lambda s: s.label), Column(_("本期"), 8, lambda s: s.count),
            Column(_("上期"), 8, lambda s: s.previous), Column(_("比上期"), 20, lambda s: s.vs_previous.words),
            Column(_("去年同期"), 10, lambda s: s.last_year), Column(_("比去年同期"), 20, lambda s: s.vs_last_year.words),
            Column(_("计算方法"), 40, lambda s: s.rule)]


def _open() -> list[Column]:
    return [Column(_("环节"), 20, lambda s: s.label), Column(_("未办结"), 10, lambda s: s.open),
            Column(_("逾期"), 8, lambda s: s.overdue), Column(_("红色预警"), 10, lambda s: s.red)]


def _pressing() -> list[Column]:
    return [Column(_("类型"), 8, lambda i: i["kind"]), Column(_("事项"), 36, lambda i: i["title"]),
            Column(_("区域"), 16, lambda i: i["area"]), Column(_("期限"), 12, lambda i: i["deadline"]),
            Column(_("逾期天数"), 10, lambda i: i["days"]), Column(_("红色预警"), 10, lambda i: _("是") if i["red"] else _("否"))]


def _children() -> list[Column]:
    return [Column(_("区域"), 20, lambda r: r.name), Column(_("收集诉求"), 10, lambda r: r.collected),
            percent_column(_("响应率"), 10, lambda r: r.extra.get("response")), Column(_("销号任务"), 10, lambda r: r.closed),
            percent_column(_("按期办结率"), 12, lambda r: r.on_time_percent),
            percent_column(_("满意率"), 10, lambda r: r.satisfaction_percent)]


def _categories() -> list[Column]:
    return [Column(_("类别"), 14, lambda r: r.name), Column(_("收集"), 8, lambda r: r.collected),
            Column(_("转为议题"), 10, lambda r: r.extra["topic"]), Column(_("直接办理"), 10, lambda r: r.extra["handling"]),
            Column(_("调解"), 8, lambda r: r.extra["mediation"]), Column(_("办结"), 8, lambda r: r.closed),
            percent_column(_("办结占比"), 10, lambda r: r.done_percent)]


def _units() -> list[Column]:
    return [Column(_("责任单位"), 28, lambda r: r.name), Column(_("销号任务"), 10, lambda r: r.closed),
            Column(_("按期"), 8, lambda r: r.on_time), percent_column(_("按期办结率"), 12, lambda r: r.on_time_percent),
            percent_column(_("满意率"), 10, lambda r: r.satisfaction_percent)]


def table_rows(table: str, data: Overview) -> tuple[list[Column], list[Any]]:
    """The columns and rows of `table` (a key of TABLES) of the overview `data`."""
    keys = [(r.key, r.label) for r in data.rates]
    return {"rates": (_rates(), data.rates), "trend": (_trend(keys), data.trend), "funnel": (_funnel(), data.funnel),
            "open": (_open(), data.open_stages), "pressing": (_pressing(), data.open_items),
            "children": (_children(), data.children), "categories": (_categories(), data.categories),
            "units": (_units(), data.units)}[table]
