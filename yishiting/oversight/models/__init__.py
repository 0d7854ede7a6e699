"""Oversight models, one module per part (re-exported here)."""

from .hotspots import AreaPlan
from .indices import IndexKind, IndexPart, IndexScheme, IndexSnapshot, PeriodKind
from .rollups import ROLLUP_DEPTH, Contribution, DailyCount, DistrictRates, MonthlyCount, RollupCursor

__all__ = ["AreaPlan", "Contribution", "DailyCount", "DistrictRates", "IndexKind", "IndexPart", "IndexScheme", "IndexSnapshot", "MonthlyCount", "PeriodKind", "ROLLUP_DEPTH", "RollupCursor"]
