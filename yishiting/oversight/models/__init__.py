"""Oversight models, one module per part (re-exported here)."""

from .ratings import AnnualEvaluation, RatingWeights, RatingYear, UnitRating
from .rectification import (
    RectificationItem,
    RectificationList,
    RectificationPhoto,
    RectificationReport,
    RectificationWarning,
)

__all__ = ["AnnualEvaluation", "RatingWeights", "RatingYear", "RectificationItem", "RectificationList",
           "RectificationPhoto", "RectificationReport", "RectificationWarning", "UnitRating"]
