"""One way to write dates and times on every page, message and document: 12月8日, 12月8日 09:00 — months and
days without zero padding, hours and minutes always two digits; the year written only when it is not this
year (`day_text`, `moment_text`) or in full on official documents (`full_day`, `full_moment`)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def day_text(value: date | datetime | None) -> str:
    """12月8日 (this year), 2025年12月8日 (another year)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    prefix = f"{value.year}年" if value.year != timezone.localdate().year else ""  # zh-only: the Chinese format
    return f"{prefix}{value.month}月{value.day}日"  # zh-only


def moment_text(value: datetime | None) -> str:
    """12月8日 09:00 (this year), 2025年12月8日 09:00 (another year)."""
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{day_text(value)} {value:%H:%M}"


def full_day(value: date | datetime | None) -> str:
    """2026年12月8日: official documents and notices carry the year."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return f"{value.year}年{value.month}月{value.day}日"  # zh-only: documents are Chinese


def full_moment(value: datetime | None) -> str:
    """2026年12月8日 09:00."""
    if value is None or value == "":
        return ""
    value = _local(value)
    return f"{full_day(value)} {value:%H:%M}"


# ---- on pages: in the language the person picked -----------------------------------------------------------
# Messages and documents keep the Chinese forms above (they are records); pages read in English get 8 Dec,
# 8 Dec 2025, 8 Dec 09:00.

def _english() -> bool:
    from django.utils import translation

    return (translation.get_language() or "").startswith("en")


def page_day(value: date | datetime | None) -> str:
    """day_text, or its English form when the page is English."""
    if not _english() or value is None or value == "":
        return day_text(value)
    if isinstance(value, datetime):
        value = _local(value).date()
    year = f" {value.year}" if value.year != timezone.localdate().year else ""
    return f"{value.day} {value:%b}{year}"


def page_moment(value: datetime | None) -> str:
    """moment_text, or its English form when the page is English."""
    if not _english() or value is None or value == "":
        return moment_text(value)
    value = _local(value)
    return f"{page_day(value)} {value:%H:%M}"
