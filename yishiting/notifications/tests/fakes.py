"""Fake provider servers on loopback: real HTTP servers (http.server in a thread) that check each request's
signature by the provider's published algorithm — recomputed here from what arrived on the wire, with the
secret the server holds — and answer with the provider's documented success and error bodies.

`script` is a list of what to answer next (codes), consumed in order; when empty the server answers success."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.parse
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")


def _pe(value: str) -> str:
    return urllib.parse.quote(value, safe="-_.~")


class Fake:
    def __init__(self) -> None:
        self.script: list = []
        self.received: list[dict] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, answer = fake.handle(self, body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def next(self):
        with self.lock:
            return self.script.pop(0) if self.script else None

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeAliyun(Fake):
    """dysmsapi: form-encoded RPC request, signature v1 checked; Timestamp within 15 minutes, nonce unused."""

    ERRORS = {  # code: (HTTP status, Message) as the SendSms error-code list gives them
        "isv.MOBILE_NUMBER_ILLEGAL": (200, "非法手机号"),
        "isv.BUSINESS_LIMIT_CONTROL": (200, "触发号码天级流控Permits:10"),
        "isv.SMS_TEMPLATE_ILLEGAL": (200, "该账号下找不到对应模板"),
        "isp.SYSTEM_ERROR": (200, "请重试接口调用，如仍存在此情况请创建工单反馈工程师查看。"),
        "Throttling.User": (400, "Request was denied due to user flow control."),
        "ServiceUnavailable": (503, "The request has failed due to a temporary failure of the server."),
    }

    def __init__(self, key_id: str = "testId", secret: str = "testSecret") -> None:
        self.key_id, self.secret, self.nonces = key_id, secret, set()
        self.sent: dict[str, dict] = {}  # BizId: what was sent, and when (Beijing time)
        self.receipts: dict[str, str] = {}  # BizId: the carrier's failure code, or "pending"; else DELIVERED
        super().__init__()

    def handle(self, request, body: bytes):
        params = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode(), keep_blank_values=True).items()}
        self.received.append(params)
        rid = {"RequestId": "F655A8D5-B967-440B-8683-DAD6FF8DE990"}
        canonical = "&".join(f"{_pe(k)}={_pe(v)}" for k, v in sorted(params.items()) if k != "Signature")
        to_sign = f"POST&%2F&{_pe(canonical)}"
        expected = base64.b64encode(hmac.new(f"{self.secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
        if params.get("AccessKeyId") != self.key_id:
            return 404, {**rid, "Code": "InvalidAccessKeyId.NotFound", "Message": "Specified access key is not found."}
        if params.get("Signature") != expected:
            return 400, {**rid, "Code": "SignatureDoesNotMatch",
                         "Message": f"Specified signature is not matched with our calculation. server string to sign is:{to_sign}"}
        stamp = datetime.strptime(params["Timestamp"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if abs((datetime.now(UTC) - stamp).total_seconds()) > 900:
            return 400, {**rid, "Code": "InvalidTimeStamp.Expired", "Message": "Specified time stamp or date value is expired."}
        if params["SignatureNonce"] in self.nonces:
            return 400, {**rid, "Code": "SignatureNonceUsed", "Message": "Specified signature nonce was used already."}
        self.nonces.add(params["SignatureNonce"])
        if params.get("Action") == "QuerySendDetails":
            return self.query_send_details(params, rid)
        code = self.next()
        if code is None:
            biz_id = f"9006197469364984{len(self.received):04d}^0"
            self.sent[biz_id] = {**params, "at": datetime.now(CHINA)}
            return 200, {**rid, "Code": "OK", "Message": "OK", "BizId": biz_id}
        status, message = self.ERRORS[code]
        return status, {**rid, "Code": code, "Message": message}


    def query_send_details(self, params: dict, rid: dict):
        """QuerySendDetails: PhoneNumber, SendDate (yyyyMMdd) and PageSize required, BizId optional; the
        documented body, SmsSendDetailDTOs.SmsSendDetailDTO[] with SendStatus 1 (waiting) / 2 (failed) / 3."""
        for name in ("PhoneNumber", "SendDate", "PageSize", "CurrentPage"):
            if not params.get(name):
                return 400, {**rid, "Code": f"MissingParameter.{name}", "Message": f"{name} is mandatory for this action."}
        rows = []
        for biz_id, sent in self.sent.items():
            if (sent["PhoneNumbers"] != params["PhoneNumber"] or sent["at"].strftime("%Y%m%d") != params["SendDate"]
                    or params.get("BizId", biz_id) != biz_id):
                continue
            outcome = self.receipts.get(biz_id, "DELIVERED")
            status = 1 if outcome == "pending" else 3 if outcome == "DELIVERED" else 2
            rows.append({"PhoneNum": sent["PhoneNumbers"], "SendStatus": status,
                         "ErrCode": "" if status == 1 else outcome, "TemplateCode": sent["TemplateCode"],
                         "Content": "【议事厅】" + sent["TemplateParam"], "OutId": sent.get("OutId", ""),
                         "SendDate": sent["at"].strftime("%Y-%m-%d %H:%M:%S"),
                         "ReceiveDate": "" if status == 1 else sent["at"].strftime("%Y-%m-%d %H:%M:%S")})
        return 200, {**rid, "Code": "OK", "Message": "OK", "TotalCount": len(rows),
                     "SmsSendDetailDTOs": {"SmsSendDetailDTO": rows}}


class FakeTencent(Fake):
    """sms.tencentcloudapi.com: JSON body, TC3-HMAC-SHA256 Authorization checked; timestamp within 5 minutes."""

    def __init__(self, secret_id: str = "AKIDtest", secret_key: str = "tencentSecret") -> None:
        self.secret_id, self.secret_key = secret_id, secret_key
        self.unreported: list[dict] = []  # the receipts PullSmsSendStatus has not returned yet (a queue)
        self.receipts: dict[str, str] = {}  # SerialNo: the failure's code; else DELIVRD
        super().__init__()

    def handle(self, request, body: bytes):
        self.received.append({"headers": dict(request.headers), "body": json.loads(body)})
        rid = "a0aabda6-cf91-4f3e-a7ff-a4e2dbf1a9b4"

        def error(code, message):
            return 200, {"Response": {"Error": {"Code": code, "Message": message}, "RequestId": rid}}

        auth = request.headers.get("Authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            fields = dict(part.strip().split("=", 1) for part in rest.split(","))
            secret_id, day, service, _ = fields["Credential"].split("/")
        except ValueError:
            return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated.")
        if secret_id != self.secret_id:
            return error("AuthFailure.SecretIdNotFound", "The SecretId is not found, please ensure that your SecretId is correct.")
        timestamp = int(request.headers.get("X-TC-Timestamp", "0"))
        if abs(time.time() - timestamp) > 300:
            return error("AuthFailure.SignatureExpire", "Signature expired.")
        headers = {h: request.headers.get(h, "").lower() for h in fields["SignedHeaders"].split(";")}
        canonical = ("POST\n/\n\n" + "".join(f"{h}:{v}\n" for h, v in headers.items()) + "\n"
                     + fields["SignedHeaders"] + "\n" + hashlib.sha256(body).hexdigest())
        to_sign = (f"{algorithm}\n{timestamp}\n{day}/{service}/tc3_request\n"
                   + hashlib.sha256(canonical.encode()).hexdigest())

        def h(key, msg):
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        key = h(h(h(f"TC3{self.secret_key}".encode(), day), service), "tc3_request")
        if hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest() != fields["Signature"] or service != "sms":
            return error("AuthFailure.SignatureFailure", "The provided credentials could not be validated. "
                                                         "Please check your signature is correct.")
        action = request.headers.get("X-TC-Action")
        if action not in ("SendSms", "PullSmsSendStatus") or request.headers.get("X-TC-Version") != "2021-01-11":
            return error("InvalidAction", "The action does not exist.")
        sent = json.loads(body)
        if action == "PullSmsSendStatus":
            return self.pull_status(sent, rid, error)
        code = self.next()
        if code in ("InternalError.Timeout", "RequestLimitExceeded"):
            return error(code, "请求下发短信超时" if code.startswith("Internal") else "请求的次数超过了频率限制。")
        status = {"SerialNo": f"5000:1045710669157053657849499{len(self.received):03d}",
                  "PhoneNumber": sent["PhoneNumberSet"][0], "Fee": 1, "SessionContext": sent.get("SessionContext", ""),
                  "Code": code or "Ok", "Message": "send success" if code is None else code, "IsoCode": "CN"}
        if code is None:
            self.unreported.append(status)
        return 200, {"Response": {"SendStatusSet": [status], "RequestId": rid}}


    def pull_status(self, sent: dict, rid: str, error):
        """PullSmsSendStatus: Limit (at most 100) and SmsSdkAppId; each receipt is returned once."""
        if not isinstance(sent.get("Limit"), int) or not 0 < sent["Limit"] <= 100 or not sent.get("SmsSdkAppId"):
            return error("InvalidParameterValue", "Limit or SmsSdkAppId is invalid.")
        batch, self.unreported = self.unreported[:sent["Limit"]], self.unreported[sent["Limit"]:]
        rows = []
        for status in batch:
            failure = self.receipts.get(status["SerialNo"])
            rows.append({"UserReceiveTime": int(time.time()), "CountryCode": "86",
                         "SubscriberNumber": status["PhoneNumber"][3:], "PhoneNumber": status["PhoneNumber"],
                         "SerialNo": status["SerialNo"], "ReportStatus": "FAIL" if failure else "SUCCESS",
                         "Description": failure or "DELIVRD", "SessionContext": status["SessionContext"]})
        return 200, {"Response": {"PullSmsSendStatusSet": rows, "RequestId": rid}}


class FakeWechat(Fake):
    """api.weixin.qq.com: cgi-bin/stable_token for appid/secret, then template/send or subscribe/bizsend with
    the access_token; 40001 for a token it did not issue (or revoked), and the scripted errcodes."""

    ERRMSG = {40001: "invalid credential, access_token is invalid or not latest", 45009: "reach max api daily quota limit",
              43101: "user refuse to accept the msg", 40003: "invalid openid", -1: "system error"}

    def __init__(self, app_id: str = "wxtestappid", secret: str = "wxsecret") -> None:
        self.app_id, self.secret, self.tokens, self.token_calls = app_id, secret, set(), 0
        self.sent: dict[str, str] = {}  # msgid: openid
        super().__init__()

    def job_finish(self, msgid: str, status: str = "success", account: str = "gh_7f083739789a") -> bytes:
        """The TEMPLATESENDJOBFINISH event WeChat pushes to the account's callback once a template message is
        delivered or not (Status: success, failed:user block, failed: system failed)."""
        return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName>"
                f"<FromUserName><![CDATA[{self.sent.get(msgid, 'oUnknown')}]]></FromUserName>"
                f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
                f"<Event><![CDATA[TEMPLATESENDJOBFINISH]]></Event><MsgID>{msgid}</MsgID>"
                f"<Status><![CDATA[{status}]]></Status></xml>").encode()


    def handle(self, request, body: bytes):
        path, _, query = request.path.partition("?")
        data = json.loads(body or b"{}")
        self.received.append({"path": path, "query": urllib.parse.parse_qs(query), "body": data})
        if path == "/cgi-bin/stable_token":
            if data.get("appid") != self.app_id or data.get("secret") != self.secret:
                return 200, {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.token_calls += 1
            token = f"ACCESS_TOKEN_{self.token_calls}"
            self.tokens.add(token)
            return 200, {"access_token": token, "expires_in": 7200}
        if path not in ("/cgi-bin/message/template/send", "/cgi-bin/message/subscribe/bizsend"):
            return 404, {"errcode": 404, "errmsg": "not found"}
        if urllib.parse.parse_qs(query).get("access_token", [""])[0] not in self.tokens:
            return 200, {"errcode": 40001, "errmsg": self.ERRMSG[40001]}
        code = self.next()
        if code == "revoke":  # another server took a new token with cgi-bin/token: ours is no longer valid
            self.tokens.clear()
            return 200, {"errcode": 40001, "errmsg": self.ERRMSG[40001]}
        if code is not None:
            return 200, {"errcode": code, "errmsg": self.ERRMSG[code]}
        if path.endswith("template/send"):
            msgid = 200228332 + len(self.received)
            self.sent[str(msgid)] = data["touser"]
            return 200, {"errcode": 0, "errmsg": "ok", "msgid": msgid}
        return 200, {"errcode": 0, "errmsg": "ok"}


def wechat_text(openid: str, content: str, account: str = "gh_7f083739789a", msgid: int = 1234567890123456) -> bytes:
    """A text message a follower sends to the official account, as WeChat pushes it to the callback."""
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msgid}</MsgId></xml>").encode()


def wechat_push(client, token: str, body: bytes, *, path: str = "/wechat/callback", forged: bool = False):
    """POST `body` to the callback as WeChat does: signature = sha1(sorted token, timestamp, nonce) in the query
    (`forged`: signed with another token)."""
    timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10 ** 9))
    signature = hashlib.sha1("".join(sorted(["forged" if forged else token, timestamp, nonce])).encode()).hexdigest()
    return client.post(f"{path}?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid=x", data=body,
                       content_type="text/xml")
