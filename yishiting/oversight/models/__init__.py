"""Oversight models, one module per part (re-exported here)."""

from .reports import MonthlyReport

__all__ = ["MonthlyReport"]
