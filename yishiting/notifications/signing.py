"""The providers' request signatures, written from their published algorithms (no vendor SDK).

- Alibaba Cloud RPC signature v1 (dysmsapi SendSms): HMAC-SHA1 over the "string to sign"
  ``METHOD&%2F&percentEncode(sorted canonical query)`` with the key ``AccessKeySecret + "&"``, base64.
- Tencent Cloud API 3.0 TC3-HMAC-SHA256 (sms SendSms): canonical request → string to sign → the key derived
  by HMAC-SHA256 chain (date, service, "tc3_request") → hex signature in the Authorization header.

Both are pure functions of their inputs, so the tests check them against the examples the providers publish
and the fake servers verify them independently of the client's code path (they recompute from the request
they received).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from datetime import UTC, datetime


def percent_encode(value: object) -> str:
    """Alibaba's percentEncode: RFC 3986 (UTF-8; unreserved A-Z a-z 0-9 - _ . ~ left as they are; space → %20,
    * → %2A, ~ kept)."""
    return urllib.parse.quote(str(value), safe="-_.~")


def aliyun_string_to_sign(method: str, params: dict[str, str]) -> str:
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items())
                         if k != "Signature")
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonical)}"


def aliyun_signature(method: str, params: dict[str, str], secret: str) -> str:
    """RPC v1 (SignatureMethod=HMAC-SHA1, SignatureVersion=1.0)."""
    digest = hmac.new(f"{secret}&".encode(), aliyun_string_to_sign(method, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _hmac256(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def tc3_canonical_request(*, method: str, host: str, content_type: str, payload: bytes, query: str = "",
                          uri: str = "/") -> str:
    hashed = hashlib.sha256(payload).hexdigest()
    headers = f"content-type:{content_type.lower()}\nhost:{host.lower()}\n"
    return f"{method.upper()}\n{uri}\n{query}\n{headers}\ncontent-type;host\n{hashed}"


def tc3_signature(*, secret_key: str, service: str, timestamp: int, canonical_request: str) -> str:
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    scope = f"{day}/{service}/tc3_request"
    to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n"
               f"{hashlib.sha256(canonical_request.encode()).hexdigest()}")
    key = _hmac256(_hmac256(_hmac256(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def tc3_authorization(*, secret_id: str, secret_key: str, service: str, host: str, timestamp: int,
                      payload: bytes, content_type: str = "application/json; charset=utf-8") -> str:
    canonical = tc3_canonical_request(method="POST", host=host, content_type=content_type, payload=payload)
    signature = tc3_signature(secret_key=secret_key, service=service, timestamp=timestamp, canonical_request=canonical)
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{day}/{service}/tc3_request, "
            f"SignedHeaders=content-type;host, Signature={signature}")
