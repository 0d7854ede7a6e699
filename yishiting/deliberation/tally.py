"""Counting votes, exactly: `Fraction` for every ratio and `Decimal` for areas — never a float.

Two kinds of count, both pure functions of plain data (the vote service reads the rows, see
`selectors.votes.owners_tally_input`):

- `tally_meeting`: a meeting's vote (show of hands, named or secret ballot) against those present. Rules:
  majority (the option has more than half of those present), two thirds (at least 2/3 of those present) or a
  custom n/d (at least n/d). With several options the unique leading option wins if it meets the threshold; a
  tie passes nothing. A yes/no motion (options 同意/反对/…) passes only when 同意 wins.
- `tally_owners`: an owners' joint decision under Civil Code Art. 278. The electorate is the exclusive units
  (专有部分) with at least one owner, one vote per unit weighted by its exclusive area. Owner headcount
  follows the Supreme People's Court interpretation on 建筑物区分所有权 art. 9: one unit counts as one owner,
  co-owners of a unit count as one, and one person owning several units counts as one — so units connected by
  a shared owner form one owner. Participation needs ≥ 2/3 of the total area and ≥ 2/3 of the owners;
  approval needs > 1/2 of the participating area and owners, or ≥ 3/4 of both for the matters (六)(七)(八).

The result is a JSON-ready dict holding every figure needed to check it by hand (areas as strings with two
decimals, thresholds as "2/3" and their decimal) and one plain Chinese line per rule.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from .choices import SUPERMAJORITY_MATTERS, OwnersMatter, VoteRule

YES, NO, ABSTAIN = gettext_noop("同意"), gettext_noop("反对"), gettext_noop("弃权")  # the options (data)
OWNERS_OPTIONS = [YES, NO, ABSTAIN]
HALF, TWO_THIRDS, THREE_QUARTERS = Fraction(1, 2), Fraction(2, 3), Fraction(3, 4)
CENT = Decimal("0.01")


# ---------------------------------------------------------------- formatting


def fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


def fraction_decimal(value: Fraction, places: int = 4) -> str:
    """Fraction(2, 3) → "0.6667" (display only; comparisons use the fraction)."""
    quantum = Decimal(1).scaleb(-places)
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, ROUND_HALF_UP))


def percent(value: Fraction | None) -> str:
    if value is None:
        return "—"
    return f"{(Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(CENT, ROUND_HALF_UP)}%"


def area_text(value: Decimal) -> str:
    return f"{value.quantize(CENT):,}㎡"


def ratio(part: Decimal | int, whole: Decimal | int) -> Fraction | None:
    """part / whole exactly (Decimal → Fraction is exact), None when there is no whole."""
    return Fraction(part) / Fraction(whole) if whole else None


@dataclass(frozen=True)
class Threshold:
    """`at least` (≥) or `more than` (>) a fraction."""

    value: Fraction
    strict: bool

    @property
    def sign(self) -> str:
        return ">" if self.strict else "≥"

    def met(self, share: Fraction | None) -> bool:
        if share is None:
            return False
        return share > self.value if self.strict else share >= self.value

    def as_dict(self) -> dict[str, object]:
        return {"fraction": fraction_text(self.value), "decimal": fraction_decimal(self.value),
                "comparison": self.sign}

    def line(self, share: Fraction | None) -> str:
        """"= 67.89% ≥ 2/3，达到" or "…，未达到"."""
        met = _("达到") if self.met(share) else _("未达到")
        return _("= %(share)s %(sign)s %(fraction)s，%(met)s") % {
            "share": percent(share), "sign": self.sign, "fraction": fraction_text(self.value), "met": met}

    @classmethod
    def from_dict(cls, data: Mapping[str, str]) -> Threshold:
        return cls(Fraction(data["fraction"]), strict=data["comparison"] == ">")


# ---------------------------------------------------------------- meeting votes


def meeting_threshold(rule: str, numerator: int | None = None, denominator: int | None = None) -> Threshold:
    if rule == VoteRule.MAJORITY:
        return Threshold(HALF, strict=True)
    if rule == VoteRule.TWO_THIRDS:
        return Threshold(TWO_THIRDS, strict=False)
    if rule == VoteRule.CUSTOM and numerator and denominator and 0 < numerator <= denominator:
        return Threshold(Fraction(numerator, denominator), strict=False)
    raise ValueError(f"no meeting threshold for rule {rule!r} ({numerator}/{denominator})")


def tally_meeting(*, options: list[str], counts: Mapping[str, int], present: int, rule: str,
                  numerator: int | None = None, denominator: int | None = None) -> dict[str, object]:
    """Count a meeting's vote against those present (see the module docstring for the rules)."""
    threshold = meeting_threshold(rule, numerator, denominator)
    counts = {option: int(counts.get(option, 0)) for option in options}
    contenders = {o: n for o, n in counts.items() if o != ABSTAIN}
    top = max(contenders.values(), default=0)
    leaders = [o for o, n in contenders.items() if n == top and n > 0]
    leader = leaders[0] if len(leaders) == 1 else None
    share = ratio(top, present) if leader else None
    winner = leader if threshold.met(share) else None
    motion = YES in options and NO in options
    passed = winner == YES if motion else winner is not None
    result = {"kind": "meeting", "rule": rule, "present": present, "counts": counts,
              "voted": sum(counts.values()), "threshold": threshold.as_dict(), "leader": leader,
              "leader_share": fraction_decimal(share) if share is not None else None,
              "winner": winner, "passed": passed}
    return {**result, "lines": meeting_lines(result)}


def option_text(option: str) -> str:
    """An option as the reader says it: the usual 同意/反对/弃权 in their language, any other option as written."""
    return gettext(option) if option in OWNERS_OPTIONS else option


def meeting_lines(result: Mapping) -> list[str]:
    """The plain lines of a meeting vote's count, in the active language, from its figures (stored or live)."""
    counts, present, winner = result["counts"], result["present"], result["winner"]
    threshold = Threshold.from_dict(result["threshold"])
    top = max((n for o, n in counts.items() if o != ABSTAIN), default=0)
    leaders = [o for o, n in counts.items() if o != ABSTAIN and n == top and n > 0]
    lines = [_("出席 %(present)s 人，投票 %(voted)s 人：%(counts)s。") % {
        "present": present, "voted": sum(counts.values()),
        "counts": _("，").join(_("%(option)s %(n)s 人") % {"option": option_text(o), "n": n} for o, n in counts.items())}]
    if len(leaders) > 1:
        lines.append(_("%(leaders)s 票数相同（各 %(top)s 人），没有选项获得通过。") % {
            "leaders": _("、").join(option_text(o) for o in leaders), "top": top})
    elif leaders:
        lines.append(_("%(leader)s %(top)s 人 / 出席 %(present)s 人 %(line)s。") % {
            "leader": option_text(leaders[0]), "top": top, "present": present,
            "line": threshold.line(ratio(top, present))})
    else:
        lines.append(_("没有有效票，没有选项获得通过。"))
    motion = YES in counts and NO in counts
    if not result["passed"]:
        lines.append(_("表决未通过。"))
    else:
        lines.append(_("表决通过。") if motion else _("表决通过：%(winner)s。") % {"winner": option_text(winner)})
    return lines


def result_lines(result: Mapping) -> list[str]:
    """A count's lines in the active language (a closed vote keeps its lines in the site's language)."""
    if result.get("kind") == "meeting":
        return meeting_lines(result)
    if result.get("kind") == "art278":
        return owners_lines(result)
    return list(result.get("lines", []))


# ---------------------------------------------------------------- owners' votes (Art. 278)


@dataclass(frozen=True)
class UnitOwner:
    """One row of the electorate: a unit (household), its exclusive area, and one of its owners.

    `owner_key` says who the owner is as a natural person: persons with the same key are one owner (the
    service uses the mobile number — the login identity — else the person's id)."""

    household_id: int
    area: Decimal
    owner_key: str


def owner_groups(rows: Iterable[UnitOwner]) -> tuple[dict[int, Decimal], dict[int, int]]:
    """(area of each unit, group of each unit): units sharing an owner, directly or through a chain of
    co-owners, are one group — one owner in the headcount (SPC interpretation art. 9)."""
    areas: dict[int, Decimal] = {}
    parent: dict[int, int] = {}
    first_unit_of: dict[str, int] = {}

    def find(unit: int) -> int:
        while parent[unit] != unit:
            parent[unit] = parent[parent[unit]]
            unit = parent[unit]
        return unit

    for row in rows:
        if row.household_id not in areas:
            areas[row.household_id] = row.area
            parent[row.household_id] = row.household_id
        other = first_unit_of.setdefault(row.owner_key, row.household_id)
        a, b = find(other), find(row.household_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return areas, {unit: find(unit) for unit in areas}


def owners_thresholds(matter: str) -> tuple[Threshold, Threshold]:
    """(participation, approval) for a matter of Art. 278."""
    approval = (Threshold(THREE_QUARTERS, strict=False) if matter in SUPERMAJORITY_MATTERS
                else Threshold(HALF, strict=True))
    return Threshold(TWO_THIRDS, strict=False), approval


def tally_owners(*, rows: Iterable[UnitOwner], ballots: Mapping[int, str], matter: str,
                 channels: Mapping[str, int] | None = None) -> dict[str, object]:
    """Count an owners' vote: `rows` is the electorate (unit × owner), `ballots` maps unit → choice.
    Ballots of units outside the electorate are left out and counted in `ignored_ballots`."""
    areas, group_of = owner_groups(rows)
    area_by, units_by = defaultdict(Decimal), Counter()
    group_choices: dict[int, set[str]] = defaultdict(set)
    ignored = 0
    for unit, choice in ballots.items():
        if unit not in areas:
            ignored += 1
            continue
        area_by[choice] += areas[unit]
        units_by[choice] += 1
        group_choices[group_of[unit]].add(choice)
    owners_by = Counter(next(iter(c)) for c in group_choices.values() if len(c) == 1)
    figures = _owners_figures(areas, set(group_of.values()), area_by, units_by, owners_by, group_choices)
    return _owners_result(figures, matter, ignored, dict(channels or {}))


def _owners_figures(areas, groups, area_by, units_by, owners_by, group_choices) -> dict[str, object]:
    return {
        "total_area": sum(areas.values(), Decimal("0.00")), "total_units": len(areas), "total_owners": len(groups),
        "participating_area": sum(area_by.values(), Decimal("0.00")),
        "participating_units": sum(units_by.values()), "participating_owners": len(group_choices),
        "area": {o: area_by.get(o, Decimal("0.00")) for o in OWNERS_OPTIONS},
        "units": {o: units_by.get(o, 0) for o in OWNERS_OPTIONS},
        "owners": {o: owners_by.get(o, 0) for o in OWNERS_OPTIONS},
        # A multi-unit owner whose units were recorded differently (refused at cast time; kept visible here):
        # they took part, but count for no option.
        "conflicting_owners": sum(1 for c in group_choices.values() if len(c) > 1),
    }


def _owners_result(f: dict, matter: str, ignored: int, channels: dict[str, int]) -> dict[str, object]:
    participation, approval = owners_thresholds(matter)
    shares = {
        "participation_area": ratio(f["participating_area"], f["total_area"]),
        "participation_owners": ratio(f["participating_owners"], f["total_owners"]),
        "approval_area": ratio(f["area"][YES], f["participating_area"]),
        "approval_owners": ratio(f["owners"][YES], f["participating_owners"]),
    }
    participation_passed = (participation.met(shares["participation_area"])
                            and participation.met(shares["participation_owners"]))
    approval_passed = approval.met(shares["approval_area"]) and approval.met(shares["approval_owners"])
    passed = participation_passed and approval_passed
    money = {k: str(v) for k, v in f.items() if isinstance(v, Decimal)}
    result = {
        "kind": "art278", "matter": matter, "matter_label": str(OwnersMatter(matter).label),
        "supermajority": matter in SUPERMAJORITY_MATTERS,
        **{k: v for k, v in f.items() if not isinstance(v, Decimal | dict)}, **money,
        "area": {o: str(a) for o, a in f["area"].items()}, "units": f["units"], "owners": f["owners"],
        "thresholds": {"participation": participation.as_dict(), "approval": approval.as_dict()},
        "shares": {k: (fraction_text(v) if v is not None else None) for k, v in shares.items()},
        "shares_decimal": {k: (fraction_decimal(v, 6) if v is not None else None) for k, v in shares.items()},
        "participation_passed": participation_passed, "approval_passed": approval_passed, "passed": passed,
        "ignored_ballots": ignored, "channels": channels,
    }
    return {**result, "lines": owners_lines(result)}


def _share(text: str | None) -> Fraction | None:
    return Fraction(text) if text is not None else None


def owners_lines(r: Mapping) -> list[str]:
    """The plain lines of an owners' vote count, in the active language, from its figures (stored or live)."""
    participation = Threshold.from_dict(r["thresholds"]["participation"])
    approval = Threshold.from_dict(r["thresholds"]["approval"])
    shares = {k: _share(v) for k, v in r["shares"].items()}
    area = lambda key: area_text(Decimal(key))  # noqa: E731
    lines = [
        _("参与表决专有部分面积 %(part)s / 总面积 %(total)s %(line)s") % {
            "part": area(r["participating_area"]), "total": area(r["total_area"]),
            "line": participation.line(shares["participation_area"])},
        _("参与表决业主 %(part)s 人 / 业主总人数 %(total)s 人 %(line)s") % {
            "part": f"{r['participating_owners']:,}", "total": f"{r['total_owners']:,}",
            "line": participation.line(shares["participation_owners"])},
        _("同意的专有部分面积 %(yes)s / 参与表决面积 %(part)s %(line)s") % {
            "yes": area(r["area"][YES]), "part": area(r["participating_area"]),
            "line": approval.line(shares["approval_area"])},
        _("同意的业主 %(yes)s 人 / 参与表决业主 %(part)s 人 %(line)s") % {
            "yes": f"{r['owners'][YES]:,}", "part": f"{r['participating_owners']:,}",
            "line": approval.line(shares["approval_owners"])},
    ]
    if r["passed"]:
        lines.append(_("表决通过。"))
    elif not r["participation_passed"]:
        lines.append(_("表决未通过：参与表决未达到双三分之二。"))
    elif approval.value == THREE_QUARTERS:
        lines.append(_("表决未通过：同意未达到双四分之三。"))
    else:
        lines.append(_("表决未通过：同意未达到双过半数。"))
    return lines
