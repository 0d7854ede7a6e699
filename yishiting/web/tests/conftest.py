import pytest
from django.test import Client

from .crawl_session import crawl_data_close, keeps_crawl_data


@pytest.hookimpl(trylast=True)  # after pytest has torn down the test's own fixtures (its transaction)
def pytest_runtest_teardown(item, nextitem):
    """The crawl's data is rolled back once no test that follows needs it (crawl_session.py)."""
    if not keeps_crawl_data(item, nextitem):
        crawl_data_close()


@pytest.fixture
def as_persona(world):
    """A logged-in test client for one persona: `as_persona("grid_worker")`."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(world.users[name])
        return client

    return make


@pytest.fixture
def file_media(settings, tmp_path):
    """Uploaded photos land in a temporary folder, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def new_demand(world, django_capture_on_commit_callbacks):
    """Submit a demand through the service as a persona (notifications sent on commit)."""
    from yishiting.demands.services import Submission, demand_submit

    def make(persona: str = "resident", **fields):
        fields.setdefault("text", "幸福苑3栋的电梯坏了两天，老人上下楼很困难，请尽快维修")
        fields.setdefault("area", world.areas["B1"])
        with django_capture_on_commit_callbacks(execute=True):
            return demand_submit(actor=world.users[persona], submission=Submission(**fields))

    return make
