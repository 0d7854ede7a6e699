"""Back office for oversight, one module per part: district rates and the 堡垒指数 / 先锋指数 parts (indices),
unit ratings and 整改清单 (ratings), the kept 月报 (reports)."""

from . import indices, ratings, reports  # noqa: F401 — each registers its ModelAdmins
