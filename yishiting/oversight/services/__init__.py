"""Oversight writes, one module per part: each service `<entity>_<verb>(*, actor, …)`, atomic."""
