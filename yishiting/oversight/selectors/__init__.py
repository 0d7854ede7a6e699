"""Oversight selectors, one module per part. The roll-up reads (`rates`, `monthly_rates`, `by_child_area`,
`by_category`, `funnel_counts`, …) are re-exported here: pages and the API read `oversight.selectors`."""

from .rollups import (
                      DEFAULT_RATES,
                      FUNNEL_MEASURES,
                      as_of,
                      by_category,
                      by_child_area,
                      figures_of,
                      funnel_counts,
                      monthly_rates,
                      on_time_figure,
                      rate_keys,
                      rates,
                      resolved_figure,
                      response_figure,
                      satisfaction_figure,
)

__all__ = ["DEFAULT_RATES", "FUNNEL_MEASURES", "as_of", "by_category", "by_child_area", "figures_of", "funnel_counts",
           "monthly_rates", "on_time_figure", "rate_keys", "rates", "resolved_figure", "response_figure",
           "satisfaction_figure"]
