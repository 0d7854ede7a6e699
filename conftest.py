import pytest


@pytest.fixture(autouse=True)
def _fresh_local_caches():
    """Each test starts with empty per-process caches: a test's rolled-back rows fire no signal."""
    from yishiting.common.localcache import clear_all

    clear_all()
    yield
    clear_all()


@pytest.fixture
def world(db):
    """The fixed personas and their area tree (yishiting.common.testing)."""
    from yishiting.common.testing import build_world

    return build_world()


@pytest.fixture
def messages_outbox(settings):
    """Route text messages to memory and hand back the list they land in."""
    from yishiting.common import messaging

    settings.MESSAGING_BACKEND = "memory"
    messaging.outbox.clear()
    return messaging.outbox
