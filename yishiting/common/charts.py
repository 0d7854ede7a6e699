"""Charts as server-rendered SVG: a line for a monthly trend, horizontal bars for a ranking, and funnel bars.

No script and nothing from the network: the SVG is inline in the page and the printed report. Each chart scales
to its box (viewBox, width 100%), so it reads at 360 px and on A4; values are written on the chart as text,
lines differ by dash pattern and marker shape as well as colour, and the chart is `role="img"` named by `aria-label`
— the page puts the same figures in a table beside it for screen readers (`aria-describedby` names it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.utils.safestring import SafeString, mark_safe

WIDTH = 360  # user units; at a 360 px phone's ~300 px the text stays about 11 px, larger on desktop
FONT = "font-family=\"'DejaVu Sans', 'Droid Sans Fallback', 'Noto Sans CJK SC', sans-serif\""
COLOURS = ["#1f5fa8", "#b35900", "#2e7d32", "#6a1b9a"]
DASHES = ["", "6 4", "2 3", "8 3 2 3"]
LIGHT = ["#a9cbef", "#f5cf9a"]  # funnel bars: dark text stays readable on them


@dataclass
class Series:
    label: str
    values: list[float | None]  # None: no figure that month (gap in the line)


def _svg(height: int, title: str, body: list[str], described_by: str) -> SafeString:
    described = f" aria-describedby={quoteattr(described_by)}" if described_by else ""
    return mark_safe(  # every text and attribute below is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-label={quoteattr(title)}{described} preserveAspectRatio="xMinYMin meet">'
        f"{''.join(body)}</svg>")  # named by aria-label: a <title> inside would be a second page title


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 13, weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'{FONT} fill="#222">{escape(text)}</text>')


def _number(value: float) -> str:
    return f"{value:g}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")


def line_chart(labels: Sequence[str], series: Sequence[Series], *, title: str, unit: str = "%",
               low: float = 0, high: float = 100, described_by: str = "") -> SafeString:
    """A trend: one line per series over `labels` (months), the y axis from `low` to `high`, the last value of
    each line written at its end (nudged apart when two lines end close, so 100% and 98% do not overprint)."""
    left, right, top, bottom = 40, 26, 18 + 18 * len(series), 26
    plot_w, plot_h = WIDTH - left - right, 150
    height = top + plot_h + bottom
    step = plot_w / max(len(labels) - 1, 1)

    def y_of(value: float) -> float:
        share = (value - low) / (high - low) if high > low else 0
        return top + plot_h - max(0.0, min(1.0, share)) * plot_h

    body = [f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>']
    for tick in (low, (low + high) / 2, high):
        y = y_of(tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - right}" y2="{y:.1f}" stroke="#ccc"/>')
        body.append(_text(left - 4, y + 4, _number(tick) + unit, anchor="end", size=12))
    every = max(1, (len(labels) + 3) // 4)  # at most ~4 month labels: legible at 360 px
    for index, label in enumerate(labels):
        if index % every == 0 or index == len(labels) - 1:
            body.append(_text(left + index * step, height - 8, label, anchor="middle", size=12))
    ends = []
    for number, line in enumerate(series):
        drawn, end = _series(number, line, left, step, y_of)
        body += drawn
        if end:
            ends.append(end)
    body += [_text(x - 4, y, _number(value) + unit, anchor="end", size=13, weight="bold")
             for x, y, value in _end_labels(ends)]
    return _svg(height, title, body, described_by)


LABEL_GAP = 15  # a 13-unit label's line height: closer baselines overprint
LABEL_REACH = 60  # labels whose ends are this near horizontally may touch (they are written leftwards)


def _end_labels(ends: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Each line's end (x, y, value) as a label position just above it; a label that would overprint the one
    above it moves down by a line (the values stay in the table beside the chart too)."""
    placed: list[tuple[float, float, float]] = []
    for x, y, value in sorted(ends, key=lambda end: end[1]):
        baseline = y - 7
        for other_x, other_y, _value in placed:
            if abs(other_x - x) < LABEL_REACH and baseline - other_y < LABEL_GAP:
                baseline = other_y + LABEL_GAP
        placed.append((x, baseline, value))
    return placed


def _series(number: int, line: Series, left: float, step: float, y_of) -> tuple[list[str], tuple | None]:
    """The line, its markers and legend entry, and where it ends (x, y, value) for its end label."""
    colour, dash = COLOURS[number % len(COLOURS)], DASHES[number % len(DASHES)]
    legend_y = 16 + 18 * number
    body = [f'<line x1="{left}" y1="{legend_y - 4}" x2="{left + 28}" y2="{legend_y - 4}" stroke="{colour}" '
            f'stroke-width="3" stroke-dasharray="{dash}"/>', _text(left + 34, legend_y, line.label, size=13)]
    runs: list[list[str]] = [[]]
    last = None
    for index, value in enumerate(line.values):
        if value is None:
            runs.append([])
            continue
        x, y = left + index * step, y_of(value)
        runs[-1].append(f"{x:.1f},{y:.1f}")
        body.append(_marker(number, x, y, colour))
        last = (x, y, value)
    for run in runs:
        if len(run) > 1:
            body.insert(2, f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" stroke-width="2.5" '
                           f'stroke-dasharray="{dash}"/>')
    return body, last


def _marker(number: int, x: float, y: float, colour: str) -> str:
    if number % 3 == 1:
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if number % 3 == 2:
        return f'<path d="M{x:.1f},{y - 4.5:.1f} L{x + 4.5:.1f},{y + 3.5:.1f} L{x - 4.5:.1f},{y + 3.5:.1f} Z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def bar_chart(rows: Sequence[tuple[str, float | None]], *, title: str, unit: str = "", high: float | None = None,
              described_by: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), in the given order; the value written after each bar ("—" for
    none). The label sits above its bar, so long Chinese names never squeeze the bars at 360 px."""
    rows = list(rows)
    high = high or max([v for _label, v in rows if v is not None] + [1])
    bar_h, gap, left, right = 16, 32, 4, 70
    height = 12 + len(rows) * (bar_h + gap)
    body = [f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>']
    for index, (label, value) in enumerate(rows):
        y = 12 + index * (bar_h + gap)
        body.append(_text(left, y + 12, label, size=14))
        width = (WIDTH - left - right) * (value or 0) / high if value else 0
        body.append(f'<rect x="{left}" y="{y + 17}" width="{max(width, 1):.1f}" height="{bar_h}" fill="{COLOURS[0]}"/>')
        shown = "—" if value is None else _number(value) + unit
        body.append(_text(left + width + 5, y + 30, shown, size=14, weight="bold"))
    return _svg(height, title, body, described_by)


def funnel_chart(stages: Sequence[tuple[str, int]], *, title: str, described_by: str = "") -> SafeString:
    """Funnel bars: each stage's name above a centred bar as wide as its share of the first stage, with its
    count and that share written on it."""
    stages = list(stages)
    first = max(stages[0][1], 1) if stages else 1
    label_h, bar_h, gap = 18, 22, 8
    height = 4 + len(stages) * (label_h + bar_h + gap)
    body = [f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>']
    for index, (label, count) in enumerate(stages):
        y = 4 + index * (label_h + bar_h + gap)
        width = max((WIDTH - 8) * count / first, 2)
        share = f"{count * 100 / first:.0f}%" if stages[0][1] else "—"
        body.append(_text(4, y + 14, label, size=14))
        body.append(f'<rect x="{(WIDTH - width) / 2:.1f}" y="{y + label_h}" width="{width:.1f}" height="{bar_h}" '
                    f'fill="{LIGHT[index % 2]}"/>')
        body.append(_text(WIDTH / 2, y + label_h + 16, f"{count} ({share})", anchor="middle", size=14, weight="bold"))
    return _svg(height, title, body, described_by)
