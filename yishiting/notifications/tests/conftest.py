import pytest

from yishiting.web.tests.conftest import as_persona  # noqa: F401 — logged-in clients of the test personas

from .fakes import FakeAliyun


@pytest.fixture
def aliyun(settings):
    """SMS through Alibaba Cloud, its endpoint a fake server on loopback (fakes.FakeAliyun)."""
    fake = FakeAliyun()
    settings.MESSAGING_BACKEND = "aliyun"
    settings.MESSAGING_ALIYUN = {"endpoint": fake.url, "access_key_id": "testId", "access_key_secret": "testSecret",
                                 "region": "cn-hangzhou", "sign_name": "议事厅",
                                 "templates": {"notice": "SMS_1001", "code": "SMS_1002", "digest": "SMS_1003"}}
    yield fake
    fake.close()
