import pytest

from yishiting.api.tests.conftest import ApiClient, api_as  # noqa: F401 — the API tests' token client

from .world import build


@pytest.fixture
def training(world):
    return build(world)


def fresh(user):
    """The same user without the roles kept on the object for one request."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user.pk)


__all__ = ["ApiClient", "fresh"]
