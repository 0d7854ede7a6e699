"""Small-cell suppression for the public figures.

A table is one month and one measure of one district: communities × categories, with a total per community
(row), per category (column) and a grand total. Published as it is, a count of 1–4 could point at a person.

1. Primary: every cell or total from 1 to 4 is shown as "<5" (0 is shown: it points at nobody).
2. Complementary: a row or column whose sum is published lets one subtract the known members from the total to
   get a hidden one. So in every line — a row with its total, a column with its total, the row of column totals
   with the grand total, the column of row totals with the grand total — a suppressed member never stands
   alone: while some line has exactly one, the smallest other member of that line (cells before totals) is
   hidden too, shown as "*". Repeated until no line has exactly one.
3. Chains: the hidden cells are edges between their row and their column; a hidden cell that lies on no cycle of
   that graph (a bridge) could still be solved from several lines together, so a small rectangle of cells is
   hidden through it. Steps 2 and 3 repeat until neither applies: then every hidden value has at least one degree
   of freedom, and no total or combination of totals gives it back.

The same table is used whatever part of the district a page shows (a street, one community), so no view reveals
what another hides, and a month's table does not depend on the period asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 5
TOTAL = 0  # the key of a total in a row or column (real ids start at 1)
SMALL, COMPLEMENTARY = "small", "complementary"


@dataclass
class Table:
    """cells[(row, column)] → value; rows/columns list every id, totals included as TOTAL."""

    rows: list[int]
    columns: list[int]
    cells: dict[tuple[int, int], int]
    hidden: dict[tuple[int, int], str] = field(default_factory=dict)

    def shown(self, row: int, column: int) -> str:
        reason = self.hidden.get((row, column))
        if reason == SMALL:
            return f"<{THRESHOLD}"
        if reason == COMPLEMENTARY:
            return "*"
        return str(self.cells.get((row, column), 0))


def build(rows: list[int], columns: list[int], values: dict[tuple[int, int], int]) -> Table:
    """The table with its totals (keys with TOTAL), suppressed."""
    cells = {(r, c): values.get((r, c), 0) for r in rows for c in columns}
    for r in rows:
        cells[(r, TOTAL)] = sum(cells[(r, c)] for c in columns)
    for c in columns:
        cells[(TOTAL, c)] = sum(cells[(r, c)] for r in rows)
    cells[(TOTAL, TOTAL)] = sum(cells[(r, TOTAL)] for r in rows)
    table = Table([*rows, TOTAL], [*columns, TOTAL], cells)
    suppress(table)
    return table


def _lines(table: Table) -> list[list[tuple[int, int]]]:
    """Each line's members, the total last: rows (the totals row too) and columns (the totals column too)."""
    inner_rows = [r for r in table.rows if r != TOTAL]
    inner_columns = [c for c in table.columns if c != TOTAL]
    lines = [[(r, c) for c in inner_columns] + [(r, TOTAL)] for r in [*inner_rows, TOTAL]]
    lines += [[(r, c) for r in inner_rows] + [(TOTAL, c)] for c in [*inner_columns, TOTAL]]
    return lines


def suppress(table: Table) -> None:
    for key, value in table.cells.items():
        if 0 < value < THRESHOLD:
            table.hidden[key] = SMALL
    lines = _lines(table)
    while _complete_lines(table, lines) | _close_bridges(table):
        pass


def _complete_lines(table: Table, lines: list[list[tuple[int, int]]]) -> bool:
    changed, any_change = True, False
    while changed:
        changed = False
        for line in lines:
            if sum(key in table.hidden for key in line) != 1:
                continue
            candidates = [key for key in line if key not in table.hidden]
            if not candidates:
                continue
            is_total = {key: TOTAL in key for key in candidates}
            pick = min(candidates, key=lambda k: (is_total[k], table.cells[k], k))
            table.hidden[pick] = COMPLEMENTARY
            changed = any_change = True
    return any_change


def _connected(edges: list[tuple[int, int]], start: tuple[str, int], goal: tuple[str, int]) -> bool:
    neighbours: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for r, c in edges:
        neighbours.setdefault(("r", r), []).append(("c", c))
        neighbours.setdefault(("c", c), []).append(("r", r))
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in neighbours.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def _cost(table: Table, keys: list[tuple[int, int]]) -> tuple[int, int]:
    fresh = [k for k in keys if k not in table.hidden]
    return len(fresh), sum(table.cells[k] for k in fresh)


def _close_bridges(table: Table) -> bool:
    """Hide a rectangle through the first hidden cell that lies on no cycle; True when one was hidden."""
    edges = sorted(table.hidden)
    for r, c in edges:
        rest = [e for e in edges if e != (r, c)]
        if _connected(rest, ("r", r), ("c", c)):
            continue
        options = [[(r, c2), (r2, c2), (r2, c)] for r2 in table.rows for c2 in table.columns if r2 != r and c2 != c]
        best = min(options, key=lambda keys: _cost(table, keys))
        for key in best:
            table.hidden.setdefault(key, COMPLEMENTARY)
        return True
    return False
