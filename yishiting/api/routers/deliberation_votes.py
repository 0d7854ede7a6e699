"""Deliberation through the API: votes."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["议事协商"])
