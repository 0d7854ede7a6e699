"""Oversight services, one module per part."""
