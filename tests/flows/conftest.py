"""Fixtures of the locality flows: a live server over a real socket and the personas who use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .loop import Town


@pytest.fixture
def town(world, live_server) -> Iterator[Town]:
    """The fixed personas, each logging in to the live server on first use. Their connections are closed
    before the server stops (a kept-alive socket would outlive the server's database connection)."""
    people = Town(world, live_server.url)
    yield people
    people.close()
