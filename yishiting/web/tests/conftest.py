import pytest
from django.test import Client


@pytest.fixture
def as_persona(world):
    """A logged-in test client for one persona: `as_persona("grid_worker")`."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make
