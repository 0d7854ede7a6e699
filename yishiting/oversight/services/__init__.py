"""Oversight services, one module per part (re-exported here)."""

from .rollups import district_rates_set, rates_clean

__all__ = ["district_rates_set", "rates_clean"]
