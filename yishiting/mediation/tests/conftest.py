import pytest


@pytest.fixture
def med(world):
    from .world import build

    return build(world)
