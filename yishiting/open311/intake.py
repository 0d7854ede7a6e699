"""Who is calling Open311, and how a GeoReport POST becomes a demand (channel `open311`).

The api_key is one of our API tokens (`POST /api/v1/tokens`); the request acts as that token's user. It may
be sent as the `api_key` parameter (the spec), as the user name of HTTP Basic auth (so clients that cannot add
parameters to GET requests, e.g. georeport, can use `https://yst_…:@host/open311/v2`) or as a Bearer token.
Browser sessions are ignored here: these endpoints are for programs, and so need no CSRF token.

Where the matter is: lat/long and address_string are recorded as given (no geocoding: the intranet has no map
service). The area is the `area_code` attribute (`attribute[area_code]=…`, see the service definition) if
given, else the area of the key owner's most local role that may submit demands (a grid worker's grid, a
resident's unit). media_url is recorded in the demand text as a link; it is never fetched.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.http import HttpRequest

from yishiting.accounts.services import token_authenticate
from yishiting.areas.models import Area
from yishiting.areas.selectors import area_visible_by_code, roles_of_user
from yishiting.common.errors import DomainError, PermissionDeniedError
from yishiting.common.rules import has_perm
from yishiting.common.text import text_problem
from yishiting.demands.choices import Channel, ReporterKind
from yishiting.demands.intake import active_categories
from yishiting.demands.models import Category
from yishiting.demands.services import Submission

MAX_MEDIA_URL = 500
COORDINATE = Decimal("0.000001")


class InvalidKey(DomainError):
    status = 403

    def __init__(self, message: str = "api_key 无效或已吊销。") -> None:
        super().__init__("invalid_api_key", message)


def _key_from_headers(request: HttpRequest) -> str:
    scheme, _, value = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            user, _, password = base64.b64decode(value.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise InvalidKey("Authorization 头格式不正确。") from None
        return user or password
    return ""


def client_user(request: HttpRequest):
    """The key owner, or None when no key was given at all; a wrong key is an error, never anonymous."""
    key = (request.POST.get("api_key") if request.method == "POST" else "") or request.GET.get("api_key", "")
    key = key.strip() or _key_from_headers(request)
    if not key:
        return None
    user = token_authenticate(key)
    if user is None:
        raise InvalidKey()
    return user


def _bad(message: str, field: str) -> DomainError:
    return DomainError("invalid_request", message, details={"field": field})


def _acceptable_text(data) -> None:
    """The product's text rule (common.text) on every field sent, before any of them reaches the database."""
    for name, values in data.lists():
        for value in values:
            if isinstance(value, str) and (problem := text_problem(value, max_length=None)):
                raise _bad(f"{name}：{problem[1]}", name)


def _coordinate(raw: str, name: str, bound: int) -> Decimal:
    try:
        value = Decimal(raw.strip()).quantize(COORDINATE)
    except (InvalidOperation, ValueError):
        raise _bad(f"{name} 应为数字（WGS84 度）。", name) from None
    if not -bound <= value <= bound:
        raise _bad(f"{name} 超出范围。", name)
    return value


def _area(user, area_code: str) -> Area:
    if area_code:
        area = area_visible_by_code(user, area_code)
        if area is None:
            raise _bad(f"找不到区域编码“{area_code}”，或它不在您的范围内。", "attribute[area_code]")
        return area
    roles = [role for role in roles_of_user(user) if has_perm(user, "demands.submit", role.area)]
    if not roles:
        raise PermissionDeniedError("该 api_key 的账号没有提交诉求的权限。")
    return max(roles, key=lambda role: len(role.path)).area


def _media_text(media_url: str) -> str:
    if not media_url:
        return ""
    if len(media_url) > MAX_MEDIA_URL:
        raise _bad(f"media_url 不能超过 {MAX_MEDIA_URL} 个字符。", "media_url")
    try:
        URLValidator(schemes=["http", "https"])(media_url)
    except ValidationError:
        raise _bad("media_url 应为 http 或 https 地址。", "media_url") from None
    return f"\n（附图链接：{media_url}）"


def _category(code: str) -> Category:
    if not code:
        raise _bad("service_code 必填。", "service_code")
    category = next((c for c in active_categories() if c.code == code), None)  # the per-process catalogue
    if category is None:
        raise _bad(f"service_code“{code}”不存在，请先查询 services.json。", "service_code")
    return category


@dataclass
class Location:
    latitude: Decimal | None
    longitude: Decimal | None
    address: str


def _location(data) -> Location:
    lat, lng = data.get("lat", "").strip(), data.get("long", "").strip()
    address = data.get("address_string", "").strip()
    if bool(lat) != bool(lng):
        raise _bad("lat 和 long 须同时提供。", "lat")
    if not lat and not address:
        raise _bad("请提供位置：lat 和 long，或 address_string。", "lat")
    if len(address) > 200:
        raise _bad("address_string 不能超过 200 个字。", "address_string")
    return Location(latitude=_coordinate(lat, "lat", 90) if lat else None,
                    longitude=_coordinate(lng, "long", 180) if lng else None, address=address)


def submission_from(user, data) -> Submission:
    """A Submission from the POSTed form (service_code, description, location, media_url, attribute[…])."""
    _acceptable_text(data)
    category = _category(data.get("service_code", "").strip())
    where = _location(data)
    text = data.get("description", "").strip()
    if not text:
        raise _bad("description 必填。", "description")
    return Submission(text=text + _media_text(data.get("media_url", "").strip()), category=category,
                      area=_area(user, data.get("attribute[area_code]", "").strip()), channel=Channel.OPEN311,
                      address=where.address, latitude=where.latitude, longitude=where.longitude,
                      reporter_kind=ReporterKind.SELF)
