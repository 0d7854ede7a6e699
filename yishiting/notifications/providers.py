"""Sending one message through a provider, and what its answer means: sent, or failed for now (retry), or failed
for good (the provider's code kept on the delivery record).

- aliyun: Alibaba Cloud SMS, dysmsapi SendSms (API version 2017-05-25), RPC signature v1 (HMAC-SHA1).
- tencent: Tencent Cloud SMS, sms SendSms (API version 2021-01-11), TC3-HMAC-SHA256.
- wechat: a WeChat official account's template message (cgi-bin/message/template/send) or subscription
  message (cgi-bin/message/subscribe/bizsend), with an access_token from cgi-bin/stable_token.
- console / email / memory: the development backends of common.messaging (they always succeed).

Credentials and endpoints are settings (from the environment, never in the repository; docs/messaging.md), so
the tests point the endpoint at a fake server on loopback. No vendor SDK: `requests` and our own signing.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from django.conf import settings

from yishiting.common import messaging

from .signing import aliyun_signature, tc3_authorization


@dataclass(frozen=True)
class Outgoing:
    channel: str  # "sms" or "wechat"
    to: str  # a mobile, or an openid
    text: str  # the whole text (development backends, the digest, the in-app copy)
    template: str = "notice"  # "notice", "code" or "digest": which approved template carries it
    params: dict = field(default_factory=dict)  # the template's variables
    link: str = ""
    reference: str = ""  # our delivery id, sent as OutId / SessionContext where the provider takes one


@dataclass(frozen=True)
class Outcome:
    ok: bool
    code: str = ""  # the provider's code ("OK", "isv.MOBILE_NUMBER_ILLEGAL", "43101", …) or network / http_503
    message: str = ""
    provider_id: str = ""  # BizId, SerialNo, msgid
    transient: bool = False  # worth retrying later
    retry_after: float | None = None  # seconds, when the provider's limit says how long
    outage: bool = False  # the provider could not be reached or answered 5xx (the loop stops asking it this run)


@dataclass(frozen=True)
class Receipt:
    """A provider's delivery receipt for one message: delivered (True), failed (False) or still waiting (None),
    with the provider's (or the carrier's) code: DELIVERED / DELIVRD / success, or the failure's code."""

    provider_id: str  # BizId, SerialNo, MsgID
    delivered: bool | None
    code: str = ""
    message: str = ""
    at: datetime | None = None


class ReceiptUnavailable(Exception):
    """The receipt API could not answer (network, 5xx, or an error code such as a wrong key): asked again later."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(f"{code} {message}".strip())
        self.code, self.message = code, message


def _timeout() -> float:
    return float(getattr(settings, "MESSAGING_HTTP_TIMEOUT", 5.0))


CHINA = ZoneInfo("Asia/Shanghai")  # the providers' dates (SendDate, ReceiveDate) are Beijing time


def china_time(value) -> datetime | None:
    try:
        return datetime.strptime(str(value), "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except ValueError:
        return None


def _network_failure(exc: Exception) -> Outcome:
    return Outcome(ok=False, code="network", message=type(exc).__name__, transient=True, outage=True)


def _http_failure(response: requests.Response) -> Outcome | None:
    if response.status_code >= 500:
        return Outcome(ok=False, code=f"http_{response.status_code}", message=response.text[:200], transient=True,
                       outage=True)
    return None


def _json(response: requests.Response) -> dict | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


class DevelopmentProvider:
    """console / email / memory: the text as it would read on the phone, through common.messaging."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, out: Outgoing) -> Outcome:
        text = out.text if out.text.startswith("【") else f"【议事厅】{out.text}"  # zh-only: the SMS text
        message = messaging.Message(channel=out.channel, to=out.to, text=text)
        messaging.BACKENDS[self.name]().send(message)
        return Outcome(ok=True, code="OK")


# Alibaba Cloud: codes worth a retry (flow control, balance, their own faults); every other code is permanent.
ALIYUN_TRANSIENT = {
    "Throttling", "Throttling.User", "Throttling.Api", "ServiceUnavailable", "InternalError", "isp.SYSTEM_ERROR",
    "SignatureNonceUsed", "InvalidTimeStamp.Expired", "isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL",
    "isv.AMOUNT_NOT_ENOUGH", "isv.OUT_OF_SERVICE",
}
ALIYUN_WAIT = {"isv.BUSINESS_LIMIT_CONTROL": 3600.0, "isv.DAY_LIMIT_CONTROL": 6 * 3600.0,
               "isv.AMOUNT_NOT_ENOUGH": 3600.0, "isv.OUT_OF_SERVICE": 3600.0}


class AliyunSms:
    name = "aliyun"

    def __init__(self, config: dict | None = None) -> None:
        self.config = config or settings.MESSAGING_ALIYUN

    def signed(self, action: str, params: dict, *, nonce: str | None = None, timestamp: str | None = None) -> dict:
        """`params` with the common parameters of an RPC call and its v1 signature."""
        c = self.config
        params = {
            "AccessKeyId": c["access_key_id"], "Action": action, "Format": "JSON",
            "RegionId": c.get("region", "cn-hangzhou"), "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": nonce or uuid.uuid4().hex, "SignatureVersion": "1.0",
            "Timestamp": timestamp or datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            **params,
        }
        params["Signature"] = aliyun_signature("POST", params, c["access_key_secret"])
        return params

    def request_params(self, out: Outgoing, *, nonce: str | None = None, timestamp: str | None = None) -> dict:
        c = self.config
        params = {"PhoneNumbers": out.to, "SignName": c["sign_name"], "TemplateCode": c["templates"][out.template],
                  "TemplateParam": json.dumps(out.params, ensure_ascii=False, separators=(",", ":"))}
        if out.reference:
            params["OutId"] = out.reference
        return self.signed("SendSms", params, nonce=nonce, timestamp=timestamp)

    def receipt(self, *, biz_id: str, mobile: str, sent_at: datetime) -> Receipt:
        """QuerySendDetails (dysmsapi 2017-05-25) for one message: PhoneNumber, BizId and SendDate (yyyyMMdd,
        Beijing time, the last 30 days). SmsSendDetailDTO.SendStatus: 1 waiting for the receipt, 2 failed,
        3 delivered; ErrCode the carrier's code (DELIVERED on success)."""
        params = self.signed("QuerySendDetails", {
            "PhoneNumber": mobile, "BizId": biz_id, "SendDate": sent_at.astimezone(CHINA).strftime("%Y%m%d"),
            "PageSize": "10", "CurrentPage": "1"})
        try:
            response = requests.post(self.config["endpoint"], data=params, timeout=_timeout())
        except requests.RequestException as exc:
            raise ReceiptUnavailable("network", type(exc).__name__) from exc
        body = _json(response)
        if body is None or body.get("Code") != "OK":
            body = body or {}
            raise ReceiptUnavailable(str(body.get("Code", f"http_{response.status_code}")), str(body.get("Message", ""))[:200])
        details = (body.get("SmsSendDetailDTOs") or {}).get("SmsSendDetailDTO") or []
        if not details:  # not recorded yet
            return Receipt(provider_id=biz_id, delivered=None)
        detail = details[0]
        status, code = int(detail.get("SendStatus", 1)), str(detail.get("ErrCode", ""))
        at = china_time(detail.get("ReceiveDate"))
        return Receipt(provider_id=biz_id, delivered=None if status == 1 else status == 3, code=code, at=at)

    def send(self, out: Outgoing) -> Outcome:
        try:
            response = requests.post(self.config["endpoint"], data=self.request_params(out), timeout=_timeout())
        except requests.RequestException as exc:
            return _network_failure(exc)
        body = _json(response)
        if body is None or "Code" not in body:
            return _http_failure(response) or Outcome(ok=False, code=f"http_{response.status_code}",
                                                      message=response.text[:200])
        code = str(body["Code"])
        if code == "OK":
            return Outcome(ok=True, code=code, message=str(body.get("Message", "")), provider_id=str(body.get("BizId", "")))
        return Outcome(ok=False, code=code, message=str(body.get("Message", ""))[:200], transient=code in ALIYUN_TRANSIENT,
                       retry_after=ALIYUN_WAIT.get(code), outage=response.status_code >= 500)


TENCENT_TRANSIENT_PREFIXES = ("InternalError", "RequestLimitExceeded", "LimitExceeded.PhoneNumberThirtySecondLimit",
                              "LimitExceeded.PhoneNumberOneHourLimit", "LimitExceeded.PhoneNumberDailyLimit",
                              "LimitExceeded.DailyLimit", "FailedOperation.InsufficientBalanceInSmsPackage",
                              "AuthFailure.SignatureExpire", "ResourceUnavailable", "FailedOperation.FailResolvePacket")
TENCENT_WAIT = {"LimitExceeded.PhoneNumberThirtySecondLimit": 60.0, "LimitExceeded.PhoneNumberOneHourLimit": 3600.0,
                "LimitExceeded.PhoneNumberDailyLimit": 6 * 3600.0, "LimitExceeded.DailyLimit": 6 * 3600.0,
                "FailedOperation.InsufficientBalanceInSmsPackage": 3600.0}


def _tencent_failure(code: str, message: str, *, outage: bool = False) -> Outcome:
    transient = code.startswith(TENCENT_TRANSIENT_PREFIXES)
    return Outcome(ok=False, code=code, message=message[:200], transient=transient, retry_after=TENCENT_WAIT.get(code),
                   outage=outage or code.startswith("InternalError"))


class TencentSms:
    name = "tencent"

    def __init__(self, config: dict | None = None) -> None:
        self.config = config or settings.MESSAGING_TENCENT

    def signed(self, action: str, body: dict, *, timestamp: int | None = None) -> tuple[bytes, dict]:
        c = self.config
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time()) if timestamp is None else timestamp
        host = urlsplit(c["endpoint"]).netloc
        headers = {
            "Content-Type": "application/json; charset=utf-8", "Host": host, "X-TC-Action": action,
            "X-TC-Version": "2021-01-11", "X-TC-Timestamp": str(timestamp), "X-TC-Region": c.get("region", "ap-guangzhou"),
            "Authorization": tc3_authorization(secret_id=c["secret_id"], secret_key=c["secret_key"], service="sms",
                                               host=host, timestamp=timestamp, payload=payload),
        }
        return payload, headers

    def request(self, out: Outgoing, *, timestamp: int | None = None) -> tuple[bytes, dict]:
        c = self.config
        mobile = out.to if out.to.startswith("+") else f"+86{out.to}"
        order = c.get("param_order", {}).get(out.template) or list(out.params)
        body = {"PhoneNumberSet": [mobile], "SmsSdkAppId": c["sdk_app_id"], "SignName": c["sign_name"],
                "TemplateId": c["templates"][out.template], "TemplateParamSet": [str(out.params[k]) for k in order],
                "SessionContext": out.reference}
        return self.signed("SendSms", body, timestamp=timestamp)

    def pull_receipts(self, limit: int = 100) -> list[Receipt]:
        """PullSmsSendStatus (sms 2021-01-11): the receipts not pulled yet, at most `limit` (100), each returned
        once (the provider's queue). ReportStatus SUCCESS or FAIL; Description the carrier's code (DELIVRD…)."""
        payload, headers = self.signed("PullSmsSendStatus", {"Limit": limit, "SmsSdkAppId": self.config["sdk_app_id"]})
        try:
            response = requests.post(self.config["endpoint"], data=payload, headers=headers, timeout=_timeout())
        except requests.RequestException as exc:
            raise ReceiptUnavailable("network", type(exc).__name__) from exc
        body = (_json(response) or {}).get("Response")
        if not isinstance(body, dict) or "Error" in body:
            error = (body or {}).get("Error") or {}
            raise ReceiptUnavailable(str(error.get("Code", f"http_{response.status_code}")), str(error.get("Message", ""))[:200])
        receipts = []
        for status in body.get("PullSmsSendStatusSet") or []:
            at = status.get("UserReceiveTime")
            receipts.append(Receipt(
                provider_id=str(status.get("SerialNo", "")), delivered=status.get("ReportStatus") == "SUCCESS",
                code=str(status.get("Description", "")), at=datetime.fromtimestamp(int(at), UTC) if at else None))
        return receipts

    def send(self, out: Outgoing) -> Outcome:
        payload, headers = self.request(out)
        try:
            response = requests.post(self.config["endpoint"], data=payload, headers=headers, timeout=_timeout())
        except requests.RequestException as exc:
            return _network_failure(exc)
        body = (_json(response) or {}).get("Response")
        if not isinstance(body, dict):
            return _http_failure(response) or Outcome(ok=False, code=f"http_{response.status_code}",
                                                      message=response.text[:200])
        if "Error" in body:
            return _tencent_failure(str(body["Error"].get("Code", "")), str(body["Error"].get("Message", "")),
                                    outage=response.status_code >= 500)
        status = (body.get("SendStatusSet") or [{}])[0]
        code = str(status.get("Code", ""))
        if code == "Ok":
            return Outcome(ok=True, code=code, message=str(status.get("Message", "")), provider_id=str(status.get("SerialNo", "")))
        return _tencent_failure(code, str(status.get("Message", "")))


# WeChat: -1 system busy, 45009 the day's quota, 45011 the minute's; 40001/40014/42001 a token to renew (retried
# once at once with a new one). 43101 (the person refused / did not subscribe), 43004 (does not follow the
# account), 40003 (bad openid), 40037 (bad template), 47003 (bad data) and the rest are permanent.
WECHAT_TRANSIENT = {-1: None, 45009: 6 * 3600.0, 45011: 60.0, 40001: None, 40014: None, 42001: None, 45047: 3600.0}
WECHAT_TOKEN_ERRORS = {40001, 40014, 42001}


class WechatOfficial:
    name = "wechat"
    _tokens: dict[tuple[str, str], tuple[str, float]] = {}
    _lock = threading.Lock()

    def __init__(self, config: dict | None = None) -> None:
        self.config = config or settings.MESSAGING_WECHAT

    def _url(self, path: str) -> str:
        return self.config["api_base"].rstrip("/") + path

    def access_token(self, *, renew: bool = False) -> str:
        """The stable access_token (cgi-bin/stable_token: several servers share one without invalidating each
        other's, unlike cgi-bin/token), kept until 5 minutes before it expires."""
        key = (self.config["api_base"], self.config["app_id"])
        with self._lock:
            token, until = self._tokens.get(key, ("", 0.0))
            if token and not renew and until > time.monotonic():
                return token
            response = requests.post(self._url("/cgi-bin/stable_token"), timeout=_timeout(), json={
                "grant_type": "client_credential", "appid": self.config["app_id"], "secret": self.config["app_secret"],
                "force_refresh": False})
            body = _json(response) or {}
            if "access_token" not in body:
                raise WechatError(int(body.get("errcode", -1)), str(body.get("errmsg", response.text[:200])))
            self._tokens[key] = (body["access_token"], time.monotonic() + int(body.get("expires_in", 7200)) - 300)
            return body["access_token"]

    def request_body(self, out: Outgoing) -> tuple[str, dict]:
        c = self.config
        data = {c.get("content_field", "thing1"): {"value": out.text[:20]}}
        if c.get("time_field"):
            data[c["time_field"]] = {"value": datetime.now().strftime("%Y-%m-%d %H:%M")}
        link = (c.get("site_url", "").rstrip("/") + out.link) if out.link else ""
        if c.get("mode", "template") == "subscribe":
            return "/cgi-bin/message/subscribe/bizsend", {"touser": out.to, "template_id": c["template_id"],
                                                           "page": link, "data": data}
        return "/cgi-bin/message/template/send", {"touser": out.to, "template_id": c["template_id"], "url": link,
                                                   "data": data}

    def send(self, out: Outgoing) -> Outcome:
        path, body = self.request_body(out)
        try:
            for attempt in (1, 2):
                token = self.access_token(renew=attempt == 2)
                response = requests.post(self._url(path), params={"access_token": token}, timeout=_timeout(),
                                         data=json.dumps(body, ensure_ascii=False).encode(),
                                         headers={"Content-Type": "application/json; charset=utf-8"})
                answer = _json(response)
                if answer is None:
                    return _http_failure(response) or Outcome(ok=False, code=f"http_{response.status_code}")
                code = int(answer.get("errcode", 0))
                if code not in WECHAT_TOKEN_ERRORS:
                    break
        except requests.RequestException as exc:
            return _network_failure(exc)
        except WechatError as exc:
            return Outcome(ok=False, code=str(exc.code), message=exc.message[:200], transient=exc.code in WECHAT_TRANSIENT,
                           retry_after=WECHAT_TRANSIENT.get(exc.code))
        if code == 0:
            return Outcome(ok=True, code="0", message=str(answer.get("errmsg", "ok")), provider_id=str(answer.get("msgid", "")))
        return Outcome(ok=False, code=str(code), message=str(answer.get("errmsg", ""))[:200],
                       transient=code in WECHAT_TRANSIENT, retry_after=WECHAT_TRANSIENT.get(code), outage=code == -1)


class WechatError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code, self.message = code, message


def provider_for(channel: str):
    """The configured provider of a channel (MESSAGING_BACKEND for SMS, MESSAGING_WECHAT_BACKEND for WeChat),
    or None when the channel is off."""
    name = settings.MESSAGING_BACKEND if channel == "sms" else getattr(settings, "MESSAGING_WECHAT_BACKEND", "")
    if not name:
        return None
    if name in messaging.BACKENDS:
        return DevelopmentProvider(name)
    return {"aliyun": AliyunSms, "tencent": TencentSms, "wechat": WechatOfficial}[name]()


def sends_in_process(channel: str) -> bool:
    """A development backend: delivering right after commit costs nothing and the demo shows the text at once."""
    name = settings.MESSAGING_BACKEND if channel == "sms" else getattr(settings, "MESSAGING_WECHAT_BACKEND", "")
    return name in messaging.BACKENDS
