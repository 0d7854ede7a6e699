"""Back office for oversight, one module per part: district rates and the 堡垒指数 / 先锋指数 parts (indices),
unit ratings and 整改清单 (ratings)."""

from . import indices, ratings  # noqa: F401 — each registers its ModelAdmins
