"""Fixtures of the locality flows: a live server over a real socket and the personas who use it."""

from __future__ import annotations

import pytest

from .loop import Town


@pytest.fixture
def town(world, live_server) -> Town:
    """The fixed personas, each logging in to the live server on first use."""
    return Town(world, live_server.url)
