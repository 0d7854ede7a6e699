"""Writes of the oversight app: 整改清单 (rectification) and unit ratings (ratings)."""
