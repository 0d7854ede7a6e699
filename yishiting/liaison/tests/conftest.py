import pytest

from yishiting.api.tests.conftest import ApiClient, api_as  # noqa: F401 — the API tests' token client

from .states import build_states, make_deputy


@pytest.fixture
def deputy(world):
    """A 人大代表 holding the deputy role at 幸福苑社区 (C1), signed in as user "deputy"."""
    return make_deputy(world)


@pytest.fixture
def states(world):
    return build_states(world)


def fresh(user):
    """The same user without the roles and links kept on the object for one request."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


__all__ = ["ApiClient", "fresh"]
