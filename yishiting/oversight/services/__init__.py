"""Writes of the oversight app, one module per part: hot spots (plans), rollups (district rates), rectification
(整改清单), ratings (unit ratings) and reports (the kept 月报). The district-rates and report writes are
re-exported here for the admin, the pages and the tick."""

from .reports import month_of, recent_months, report_areas, report_generate, reports_tick
from .rollups import district_rates_set, rates_clean

__all__ = ["district_rates_set", "month_of", "rates_clean", "recent_months", "report_areas", "report_generate",
           "reports_tick"]
