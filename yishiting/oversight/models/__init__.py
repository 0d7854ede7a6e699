"""Oversight models, one module per part (re-exported here)."""

from .hotspots import AreaPlan
from .rollups import ROLLUP_DEPTH, Contribution, DailyCount, DistrictRates, MonthlyCount, RollupCursor

__all__ = ["AreaPlan", "Contribution", "DailyCount", "DistrictRates", "MonthlyCount", "ROLLUP_DEPTH", "RollupCursor"]
