"""Oversight models, one module per part (re-exported here)."""
