"""Oversight reads, one module per part. The roll-up reads (rollups: `rates`, `monthly_rates`, `by_child_area`,
`by_category`, `funnel_counts`, …) and those of 整改清单 and unit ratings (rectification) and of 举一反三 (clusters) are re-exported here:
pages and the API read `oversight.selectors`; hot spots and public statistics are imported from their modules."""

from .clusters import (
    MemberRow,
    cluster_areas,
    cluster_topic_of,
    clusters_listed,
    member_rows,
    recurrence_areas,
    stored_cluster,
    stored_recurrences,
)
from .rectification import (
    handlers_of,
    issuable_targets,
    items_of,
    list_search,
    lists_visible_to,
    my_items,
    rating_history,
    units_by_records,
    units_rated_for,
    year_ratings,
)
from .rollups import (
    DEFAULT_RATES,
    FUNNEL_MEASURES,
    Read,
    as_of,
    by_category,
    by_child_area,
    figure_records,
    figures_of,
    funnel_counts,
    monthly_rates,
    on_time_figure,
    open_gauge,
    rate_keys,
    rates,
    read_cells,
    resolved_figure,
    response_figure,
    satisfaction_figure,
    satisfaction_weight,
    up_to_date,
)

__all__ = ["DEFAULT_RATES", "FUNNEL_MEASURES", "MemberRow", "Read", "as_of", "by_category", "by_child_area",
           "cluster_areas", "cluster_topic_of", "clusters_listed", "figure_records", "figures_of", "funnel_counts",
           "handlers_of", "issuable_targets", "items_of", "list_search", "lists_visible_to", "member_rows",
           "monthly_rates", "my_items", "on_time_figure", "open_gauge", "rate_keys", "rates", "rating_history", "read_cells",
           "recurrence_areas", "resolved_figure", "response_figure", "satisfaction_figure", "satisfaction_weight",
           "stored_cluster", "stored_recurrences", "units_by_records", "units_rated_for", "up_to_date", "year_ratings"]
