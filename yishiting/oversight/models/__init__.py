"""Oversight models, one module per part (re-exported here)."""

from .indices import IndexKind, IndexPart, IndexScheme, IndexSnapshot, PeriodKind

__all__ = ["IndexKind", "IndexPart", "IndexScheme", "IndexSnapshot", "PeriodKind"]
