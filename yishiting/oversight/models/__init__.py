"""Oversight models, one module per part (re-exported here)."""

from .rollups import ROLLUP_DEPTH, Contribution, DailyCount, DistrictRates, MonthlyCount, RollupCursor

__all__ = ["ROLLUP_DEPTH", "Contribution", "DailyCount", "DistrictRates", "MonthlyCount", "RollupCursor"]
