import pytest

from yishiting.web.tests.conftest import as_persona  # noqa: F401 — logged-in clients of the test personas

from .fakes import FakeAliyun, FakeTencent, FakeWechat

TOKEN = "callbackToken"  # the official account's callback Token in these tests


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


@pytest.fixture
def tencent(settings):
    """SMS through Tencent Cloud, its endpoint a fake server on loopback (fakes.FakeTencent)."""
    fake = FakeTencent()
    settings.MESSAGING_BACKEND = "tencent"
    settings.MESSAGING_TENCENT = {"endpoint": fake.url, "secret_id": "AKIDtest", "secret_key": "tencentSecret",
                                  "region": "ap-guangzhou", "sdk_app_id": "1400006666", "sign_name": "议事厅",
                                  "templates": {"notice": "449739", "code": "449740", "digest": "449741"},
                                  "param_order": {"notice": ["content"], "code": ["code"], "digest": ["count"]}}
    yield fake
    fake.close()


def _official_account(settings, mode: str):
    fake = FakeWechat()
    settings.MESSAGING_WECHAT_BACKEND = "wechat"
    settings.MESSAGING_WECHAT = {"api_base": fake.url, "app_id": "wxtestappid", "app_secret": "wxsecret",
                                 "mode": mode, "template_id": "TPL_DEMAND", "content_field": "thing1",
                                 "time_field": "", "site_url": "https://yst.example.cn", "token": TOKEN}
    return fake


@pytest.fixture
def wechat(settings):
    """WeChat template messages through the official account, its API a fake server (fakes.FakeWechat)."""
    fake = _official_account(settings, "template")
    yield fake
    fake.close()


@pytest.fixture
def wechat_subscription(settings):
    """The same account sending subscription messages (subscribe/bizsend: no msgid in the answer)."""
    fake = _official_account(settings, "subscribe")
    yield fake
    fake.close()
