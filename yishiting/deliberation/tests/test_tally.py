"""The exact arithmetic of vote counting: Art. 278 boundaries (exactly 2/3 passes, a hair under fails; 3/4
matters), co-owners and multi-unit owners in the headcount, and meeting rules against those present."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yishiting.deliberation.choices import OwnersMatter, VoteRule
from yishiting.deliberation.tally import (
    ABSTAIN,
    NO,
    YES,
    UnitOwner,
    owner_groups,
    tally_meeting,
    tally_owners,
)


def units(*areas: str) -> list[UnitOwner]:
    """One owner per unit, units numbered from 1."""
    return [UnitOwner(i, Decimal(a), f"owner{i}") for i, a in enumerate(areas, start=1)]


def test_exactly_two_thirds_of_area_and_owners_takes_part():
    result = tally_owners(rows=units("120.25", "120.25", "120.25"), ballots={1: YES, 2: YES},
                          matter=OwnersMatter.MANAGER)
    assert result["total_area"] == "360.75" and result["participating_area"] == "240.50"
    assert result["shares"]["participation_area"] == "2/3" and result["shares"]["participation_owners"] == "2/3"
    assert result["participation_passed"] and result["approval_passed"] and result["passed"]
    assert result["lines"][0] == "参与表决专有部分面积 240.50㎡ / 总面积 360.75㎡ = 66.67% ≥ 2/3，达到"


def test_a_hair_under_two_thirds_of_area_fails_though_the_headcount_is_exactly_two_thirds():
    # 240.50 / 360.76 = 0.666648… < 2/3, while 2 of 3 owners is exactly 2/3.
    result = tally_owners(rows=units("120.25", "120.25", "120.26"), ballots={1: YES, 2: YES},
                          matter=OwnersMatter.MANAGER)
    assert result["shares"]["participation_owners"] == "2/3"
    assert result["shares_decimal"]["participation_area"] == "0.666648"
    assert not result["participation_passed"] and not result["passed"]
    assert "未达到" in result["lines"][0] and result["lines"][-1] == "表决未通过：参与表决未达到双三分之二。"


def test_a_hair_under_two_thirds_of_owners_fails_though_the_area_is_enough():
    # 199 units: 132 voted = 0.6633 of the owners; the non-voters' units are small so the area is over 2/3.
    rows = units(*(["100.00"] * 132 + ["10.00"] * 67))
    result = tally_owners(rows=rows, ballots={i: YES for i in range(1, 133)}, matter=OwnersMatter.OTHER)
    assert result["shares"]["participation_owners"] == "132/199"
    assert Decimal(result["shares_decimal"]["participation_area"]) > Decimal("0.9")
    assert not result["participation_passed"]
    rows = units(*(["100.00"] * 133 + ["10.00"] * 66))  # 133 / 199 = 0.6683 ≥ 2/3
    assert tally_owners(rows=rows, ballots={i: YES for i in range(1, 134)}, matter=OwnersMatter.OTHER)["passed"]


def test_approval_needs_more_than_half_exactly_half_fails():
    rows = units("80.00", "80.00", "80.00", "80.00")
    half = tally_owners(rows=rows, ballots={1: YES, 2: YES, 3: NO, 4: ABSTAIN}, matter=OwnersMatter.STATUTE)
    assert half["participation_passed"] and half["shares"]["approval_area"] == "1/2"
    assert not half["approval_passed"] and half["thresholds"]["approval"] == {
        "fraction": "1/2", "decimal": "0.5000", "comparison": ">"}
    more = tally_owners(rows=rows, ballots={1: YES, 2: YES, 3: YES, 4: NO}, matter=OwnersMatter.STATUTE)
    assert more["passed"] and more["area"] == {YES: "240.00", NO: "80.00", ABSTAIN: "0.00"}


@pytest.mark.parametrize("matter", [OwnersMatter.FUND_RAISE, OwnersMatter.REBUILD, OwnersMatter.COMMON_USE])
def test_three_quarter_matters_exactly_three_quarters_passes_a_hair_under_fails(matter):
    rows = units("90.00", "90.00", "90.00", "90.00")
    exact = tally_owners(rows=rows, ballots={1: YES, 2: YES, 3: YES, 4: NO}, matter=matter)
    assert exact["supermajority"] and exact["thresholds"]["approval"]["fraction"] == "3/4"
    assert exact["shares"]["approval_area"] == "3/4" and exact["passed"]
    assert exact["lines"][2] == "同意的专有部分面积 270.00㎡ / 参与表决面积 360.00㎡ = 75.00% ≥ 3/4，达到"
    under = tally_owners(rows=units("90.00", "90.00", "89.99", "90.01"), ballots={1: YES, 2: YES, 3: YES, 4: NO},
                         matter=matter)  # 269.99 / 360.00 < 3/4, while 3 of 4 owners is exactly 3/4
    assert under["shares"]["approval_owners"] == "3/4" and not under["approval_passed"]
    assert under["lines"][-1] == "表决未通过：同意未达到双四分之三。"


def test_co_owners_of_one_unit_are_one_owner_with_one_vote():
    rows = [UnitOwner(1, Decimal("100.00"), "husband"), UnitOwner(1, Decimal("100.00"), "wife"),
            UnitOwner(2, Decimal("100.00"), "neighbour")]
    result = tally_owners(rows=rows, ballots={1: YES}, matter=OwnersMatter.OTHER)
    assert result["total_owners"] == 2 and result["total_units"] == 2 and result["total_area"] == "200.00"
    assert result["participating_owners"] == 1 and result["owners"][YES] == 1


def test_a_person_owning_several_units_counts_once_but_every_unit_weighs_its_area():
    rows = [UnitOwner(1, Decimal("60.00"), "landlord"), UnitOwner(2, Decimal("70.00"), "landlord"),
            UnitOwner(3, Decimal("80.00"), "co-owner"), UnitOwner(3, Decimal("80.00"), "landlord"),
            UnitOwner(4, Decimal("90.00"), "alone")]
    areas, groups = owner_groups(rows)
    assert groups[1] == groups[2] == groups[3] != groups[4]
    result = tally_owners(rows=rows, ballots={1: YES, 2: YES, 3: YES}, matter=OwnersMatter.OTHER)
    assert result["total_owners"] == 2 and result["participating_owners"] == 1
    assert result["participating_area"] == "210.00" and result["participating_units"] == 3
    # 210/300 area ≥ 2/3 but 1 of 2 owners < 2/3: the landlord alone cannot carry the participation.
    assert result["participation_passed"] is False


def test_ballots_of_units_outside_the_electorate_are_left_out():
    result = tally_owners(rows=units("50.00", "50.00", "50.00"), ballots={1: YES, 2: YES, 3: YES, 99: NO},
                          matter=OwnersMatter.OTHER, channels={"online": 3, "paper": 1})
    assert result["ignored_ballots"] == 1 and result["participating_units"] == 3 and result["passed"]


def test_ten_thousand_units_are_all_counted():
    """An estate of 10,000 units (its speed is measured by bench/tally278.py, not timed here: a busy CI machine
    would make a timed test fail for nothing)."""
    rows = [UnitOwner(i, Decimal("87.65") + i % 40, f"o{i // 2 if i % 50 == 0 else i}") for i in range(10_000)]
    ballots = {i: (YES, NO, ABSTAIN)[i % 3] for i in range(0, 10_000) if i % 7}
    result = tally_owners(rows=rows, ballots=ballots, matter=OwnersMatter.REBUILD)
    assert result["total_units"] == 10_000 and result["participating_units"] == len(ballots)


def test_meeting_majority_of_those_present_exactly_half_fails():
    counts = {YES: 5, NO: 3, ABSTAIN: 1}
    result = tally_meeting(options=[YES, NO, ABSTAIN], counts=counts, present=10, rule=VoteRule.MAJORITY)
    assert result["leader_share"] == "0.5000" and not result["passed"] and result["winner"] is None
    result = tally_meeting(options=[YES, NO, ABSTAIN], counts={YES: 6, NO: 3}, present=11, rule=VoteRule.MAJORITY)
    assert result["passed"] and result["lines"][-1] == "表决通过。"


def test_meeting_two_thirds_exactly_passes_and_custom_thresholds():
    opts = [YES, NO, ABSTAIN]
    assert tally_meeting(options=opts, counts={YES: 10, NO: 5}, present=15, rule=VoteRule.TWO_THIRDS)["passed"]
    assert not tally_meeting(options=opts, counts={YES: 9, NO: 5}, present=14, rule=VoteRule.TWO_THIRDS)["passed"]
    custom = tally_meeting(options=opts, counts={YES: 12, NO: 3}, present=20, rule=VoteRule.CUSTOM, numerator=3,
                           denominator=5)
    assert custom["passed"] and custom["threshold"] == {"fraction": "3/5", "decimal": "0.6000", "comparison": "≥"}


def test_several_options_the_leader_wins_a_tie_passes_nothing():
    opts = ["方案一", "方案二", "方案三"]
    won = tally_meeting(options=opts, counts={"方案一": 9, "方案二": 4, "方案三": 2}, present=15, rule=VoteRule.MAJORITY)
    assert won["winner"] == "方案一" and won["passed"] and won["lines"][-1] == "表决通过：方案一。"
    tie = tally_meeting(options=opts, counts={"方案一": 6, "方案二": 6, "方案三": 0}, present=12,
                        rule=VoteRule.CUSTOM, numerator=1, denominator=3)
    assert tie["winner"] is None and not tie["passed"] and "票数相同" in tie["lines"][1]
    against = tally_meeting(options=[YES, NO], counts={YES: 2, NO: 8}, present=10, rule=VoteRule.MAJORITY)
    assert against["winner"] == NO and not against["passed"]


def test_nobody_present_passes_nothing():
    result = tally_meeting(options=[YES, NO], counts={}, present=0, rule=VoteRule.TWO_THIRDS)
    assert not result["passed"] and result["voted"] == 0
