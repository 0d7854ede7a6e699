"""Checks on personal identifiers, shared by services, imports and the API."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from yishiting.common.errors import DomainError

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
ID_RE = re.compile(r"^\d{17}[\dX]$")
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_number_checksum(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def clean_id_number(value: str | None) -> str | None:
    """Normalise a resident ID number (18 characters, GB 11643 check digit); None or '' means none given."""
    if value is None or not str(value).strip():
        return None
    number = str(value).strip().upper()
    if not ID_RE.match(number) or id_number_checksum(number[:17]) != number[17]:
        raise DomainError("invalid_id_number", gettext("身份证号格式或校验位不正确。"), details={"field": "id_number"})
    return number


def clean_mobile(value: str | None) -> str:
    if value is None or not str(value).strip():
        return ""
    mobile = str(value).strip().replace(" ", "").replace("-", "")
    if mobile.startswith("+86"):
        mobile = mobile[3:]
    if not MOBILE_RE.match(mobile):
        raise DomainError("invalid_mobile", gettext("手机号应为 11 位数字，以 1 开头。"), details={"field": "mobile"})
    return mobile


def clean_exclusive_area(value) -> Decimal:
    """An exclusive area in m²: a positive decimal with at most two decimal places (never a float)."""
    try:
        area = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError("invalid_exclusive_area", gettext("专有部分面积应为数字（平方米）。"),
                          details={"field": "exclusive_area"}) from None
    if not area.is_finite() or area <= 0 or area >= Decimal("100000000"):
        raise DomainError("invalid_exclusive_area", gettext("专有部分面积应大于 0 且小于 1 亿平方米。"),
                          details={"field": "exclusive_area"})
    if area.as_tuple().exponent < -2:
        raise DomainError("invalid_exclusive_area", gettext("专有部分面积最多保留两位小数。"),
                          details={"field": "exclusive_area"})
    return area.quantize(Decimal("0.01"))
