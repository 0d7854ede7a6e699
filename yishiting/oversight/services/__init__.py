"""Writes of the oversight app, one module per part: hot spots (plans), rollups (district rates), rectification
(整改清单) and ratings (unit ratings). The district-rates writes are re-exported here for the admin."""

from .rollups import district_rates_set, rates_clean

__all__ = ["district_rates_set", "rates_clean"]
