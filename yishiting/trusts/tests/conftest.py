import pytest

from .world import Cast, build_cast


@pytest.fixture
def cast(world) -> Cast:
    return build_cast(world)
