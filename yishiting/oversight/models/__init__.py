"""Oversight models, one module per part (re-exported here)."""

from .hotspots import AreaPlan

__all__ = ["AreaPlan"]
