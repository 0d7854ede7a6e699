"""Oversight selectors, one module per part."""
