import pytest


@pytest.fixture
def ct(world):
    from .world import build

    return build(world)
