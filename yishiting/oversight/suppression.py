"""Small-cell suppression for the public figures.

A table is one month and one measure of one district: communities × categories, with a total per community
(row), per category (column) and a grand total. Published as it is, a count of 1–4 could point at a person.

1. Primary: every cell or total from 1 to 4 is shown as "<5" (0 is shown: it points at nobody).
2. Complementary: a row or column whose sum is published lets one subtract the known members from the total to
   get a hidden one. So in every line — a row with its total, a column with its total, the row of column totals
   with the grand total, the column of row totals with the grand total — a suppressed member never stands
   alone: while some line has exactly one, the smallest non-zero other member of that line (cells before
   totals; a zero only when nothing else is left) is hidden too, shown as "*". Repeated until no line has
   exactly one. A zero partner would protect nothing: the line's total less what is shown is the hidden pair's
   sum, and with the partner 0 that sum is the small value itself.
3. Chains: the hidden cells are edges between their row and their column; a hidden cell that lies on no cycle of
   that graph (a bridge) could still be solved from several lines together, so a small rectangle of cells is
   hidden through it. Steps 2 and 3 repeat until neither applies: then every hidden value has at least one degree
   of freedom, and no total or combination of totals gives it back.
4. Bounds: a reader also knows each "<5" is 1 to 4 and no count is negative; two hidden 4s in a row that
   leaves 8 give each other away. `bounds` squeezes every hidden value as a reader would, and a small value it
   pins down takes one more partner; then 2 and 3 again, until nothing is pinned.

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
    while True:
        while _complete_lines(table, lines) | _close_bridges(table):
            pass
        if not _widen_pinned(table, lines):
            return


def bounds(table: Table, lines: list[list[tuple[int, int]]] | None = None) -> dict[tuple[int, int], tuple[int, int]]:
    """What a reader can learn of each hidden value from what is published and the rule itself ("<5" is 1 to
    4, every count is ≥ 0, none exceeds the grand total): in each line the hidden members add up to what the
    shown ones leave, so each is squeezed between bounds from the others' — repeated until nothing moves."""
    lines = lines or _lines(table)
    big = max(table.cells.values(), default=0)
    found = {k: ((1, THRESHOLD - 1) if reason == SMALL else (0, big)) for k, reason in table.hidden.items()}
    moved = True
    while moved:
        moved = False
        for line in lines:
            terms = [(k, 1) for k in line[:-1]] + [(line[-1], -1)]  # members − total = 0
            hidden = [(k, sign) for k, sign in terms if k in found]
            if not hidden:
                continue
            known = sum(sign * table.cells[k] for k, sign in terms if k not in found)
            low = sum(sign * found[k][0 if sign > 0 else 1] for k, sign in hidden)
            high = sum(sign * found[k][1 if sign > 0 else 0] for k, sign in hidden)
            for key, sign in hidden:
                own_low, own_high = (sign * found[key][0], sign * found[key][1]) if sign > 0 else (
                    sign * found[key][1], sign * found[key][0])
                # sign · x = −known − (the others), the others between (low − own_low) and (high − own_high)
                a, b = -known - (high - own_high), -known - (low - own_low)
                lo, hi = (a, b) if sign > 0 else (-b, -a)
                new = (max(found[key][0], lo), min(found[key][1], hi))
                if new != found[key]:
                    found[key], moved = new, True
    return found


def _widen_pinned(table: Table, lines: list[list[tuple[int, int]]]) -> bool:
    """Each small value the bounds pin down (two hidden 4s in a line that leaves 8) takes one more partner —
    the smallest non-zero shown member of one of its lines; True when one was hidden."""
    found, widened = bounds(table, lines), False
    for key, reason in sorted(table.hidden.items()):
        if reason != SMALL or found[key][0] != found[key][1]:
            continue
        candidates = [k for line in lines if key in line for k in line if k not in table.hidden]
        if candidates:
            table.hidden[min(candidates, key=lambda k: _partner_cost(table, k))] = COMPLEMENTARY
            widened = True
    return widened


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
            pick = min(candidates, key=lambda k: _partner_cost(table, k))
            table.hidden[pick] = COMPLEMENTARY
            changed = any_change = True
    return any_change


def _partner_cost(table: Table, key: tuple[int, int]) -> tuple[bool, bool, int, tuple[int, int]]:
    """Which member to hide as a partner: a cell before a total, a non-zero one before a zero (a hidden 0 beside
    a hidden 1 in a row of known total gives the 1 back: the two add up to what the total leaves, and the small
    one is at least 1), then the smallest."""
    value = table.cells[key]
    return TOTAL in key, value == 0, value, key


def _bridges(edges: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The hidden cells on no cycle of the row–column graph (Tarjan's bridges, one depth-first pass: a table of
    a district's hundreds of communities has thousands of hidden cells)."""
    neighbours: dict[tuple[str, int], list[tuple[tuple[str, int], tuple[int, int]]]] = {}
    for r, c in edges:
        neighbours.setdefault(("r", r), []).append((("c", c), (r, c)))
        neighbours.setdefault(("c", c), []).append((("r", r), (r, c)))
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    found: set[tuple[int, int]] = set()
    for root in neighbours:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack = [(root, None, iter(neighbours[root]))]
        while stack:
            node, via, rest = stack[-1]
            step = next(rest, None)
            if step is None:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.add(via)
                continue
            nxt, edge = step
            if edge == via:
                continue
            if nxt in order:
                low[node] = min(low[node], order[nxt])
            else:
                order[nxt] = low[nxt] = len(order)
                stack.append((nxt, edge, iter(neighbours[nxt])))
    return found


def _cost(table: Table, keys: list[tuple[int, int]]) -> tuple[int, int, int]:
    fresh = [k for k in keys if k not in table.hidden]
    return len(fresh), sum(table.cells[k] == 0 for k in fresh), sum(table.cells[k] for k in fresh)


def _close_bridges(table: Table) -> bool:
    """Hide a rectangle through the first hidden cell that lies on no cycle; True when one was hidden."""
    for r, c in sorted(_bridges(list(table.hidden))):
        options = [[(r, c2), (r2, c2), (r2, c)] for r2 in table.rows for c2 in table.columns if r2 != r and c2 != c]
        best = min(options, key=lambda keys: _cost(table, keys))
        for key in best:
            table.hidden.setdefault(key, COMPLEMENTARY)
        return True
    return False
