"""Oversight models, one module per part (re-exported here)."""

from .clusters import ClusterMember, ClusterRun, ClusterSettings, ClusterTopic, StoredCluster
from .hotspots import AreaPlan
from .indices import IndexKind, IndexPart, IndexScheme, IndexSnapshot, PeriodKind
from .ratings import AnnualEvaluation, RatingWeights, RatingYear, UnitRating
from .rectification import (
    RectificationItem,
    RectificationList,
    RectificationPhoto,
    RectificationReport,
    RectificationWarning,
)
from .recurrences import CheckedRecurrence
from .reports import MonthlyReport
from .rollups import (
    NO_DUE,
    ROLLUP_DEPTH,
    Contribution,
    DailyCount,
    DistrictRates,
    MonthlyCount,
    OpenCount,
    RollupCursor,
)

__all__ = ["NO_DUE", "ROLLUP_DEPTH", "AnnualEvaluation", "AreaPlan", "CheckedRecurrence", "ClusterMember", "ClusterRun", "ClusterSettings", "ClusterTopic", "Contribution", "DailyCount", "DistrictRates",
           "IndexKind", "IndexPart", "IndexScheme", "IndexSnapshot", "MonthlyCount", "MonthlyReport", "OpenCount", "PeriodKind", "RatingWeights",
           "RatingYear", "RectificationItem", "RectificationList", "RectificationPhoto", "RectificationReport",
           "RectificationWarning", "RollupCursor", "StoredCluster", "UnitRating"]
