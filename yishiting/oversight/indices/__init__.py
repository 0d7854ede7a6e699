"""堡垒指数 / 先锋指数: measures (what each part counts), periods, computation and the derivation shown on pages."""
