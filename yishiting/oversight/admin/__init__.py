"""Back office for oversight, one module per part: district rates (rates), the 堡垒指数 / 先锋指数 parts (indices),
unit ratings and 整改清单 (ratings), the kept 月报 (reports), 举一反三 settings and 类案 (clusters)."""

from . import clusters, indices, rates, ratings, reports  # noqa: F401 — each registers its ModelAdmins
