"""Masking of personal data: shown masked everywhere unless the viewer may unmask (and that read is audited)."""

from __future__ import annotations

import re


def mask_name(name: str | None) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: keep the first character, star the rest."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


def mask_mobile(mobile: str | None) -> str:
    """13812341234 → 138****1234."""
    if not mobile:
        return ""
    if len(mobile) < 7:
        return "*" * len(mobile)
    return mobile[:3] + "*" * (len(mobile) - 7) + mobile[-4:]


def mask_id_number(id_number: str | None) -> str:
    """Resident ID: first character and last two kept (1****************2X)."""
    if not id_number:
        return ""
    if len(id_number) <= 3:
        return "*" * len(id_number)
    return id_number[0] + "*" * (len(id_number) - 3) + id_number[-2:]


def mask_address(address: str | None) -> str:
    """Keep the first 6 characters of an address (estate level), star the rest."""
    if not address:
        return ""
    keep = min(6, max(len(address) // 2, 1))
    return address[:keep] + "*" * (len(address) - keep)


# ---- free text: numbers people type into what others read (policy: docs/masking.md) ----

_NO_DIGIT_BEFORE, _NO_DIGIT_AFTER = r"(?<![\dXx])", r"(?![\dXx])"
# Resident ID numbers: 18 characters (the last may be X), or the old 15 digits.
ID_IN_TEXT = re.compile(_NO_DIGIT_BEFORE + r"(\d{17}[\dXx]|\d{15})" + _NO_DIGIT_AFTER)
# Mainland mobiles, written whole or in groups (138 1234 5678, 138-1234-5678).
MOBILE_IN_TEXT = re.compile(r"(?<!\d)((?:\+86|0086)[- ]?)?(1[3-9]\d[- ]?\d{4}[- ]?\d{4})(?!\d)")
# Landlines with their area code: 010-12345678, 0755 1234567, (021)12345678, 02112345678.
LANDLINE_IN_TEXT = re.compile(r"(?<![\d-])(\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})([-－ ]?)(\d{7,8})(?!\d)")


def _star_digits(text: str, keep_end: int) -> str:
    """Star every digit but the last `keep_end`, keeping separators where they were."""
    digits = sum(c.isdigit() for c in text)
    out, seen = [], 0
    for c in text:
        if c.isdigit():
            seen += 1
            out.append(c if seen > digits - keep_end else "*")
        else:
            out.append(c)
    return "".join(out)


def _mask_mobile_match(match: re.Match) -> str:
    prefix, raw = match.group(1) or "", match.group(2)
    return prefix + raw[:3] + _star_digits(raw[3:], 4)


def _mask_landline_match(match: re.Match) -> str:
    return match.group(1) + match.group(2) + _star_digits(match.group(3), 2)


def mask_free_text(text: str | None, names: list[str] | tuple[str, ...] = ()) -> str:
    """Phone and ID numbers typed into free text, and the given residents' names, masked for other readers:
    "电话13812345678" → "电话138****5678", "0755-12345678" → "0755-******78", an ID → "1***************2X".
    Dates (2026-12-05), amounts (12000元), demand numbers (2026-000123) and short numbers stay as written."""
    if not text:
        return text or ""
    text = ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    text = MOBILE_IN_TEXT.sub(_mask_mobile_match, text)
    text = LANDLINE_IN_TEXT.sub(_mask_landline_match, text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text


def free_text_for(viewer, text: str | None, *, author_user_id: int | None = None, obj=None) -> str:
    """`text` as `viewer` reads it: as typed for its author (the account `author_user_id`) and for staff who
    may unmask people (people.unmask on `obj`, or anywhere when no obj is given); masked for everyone else."""
    if not text:
        return text or ""
    from yishiting.common.rules import has_perm  # rules import the areas app: import on use

    if viewer is not None and getattr(viewer, "is_authenticated", False):
        if author_user_id is not None and viewer.pk == author_user_id:
            return text
        if has_perm(viewer, "people.unmask", obj):
            return text
    return mask_free_text(text)


def official_label(role_display: str, name: str | None) -> str:
    """An official acting in office, as a public notice names them: "社区书记 王建国" (never masked)."""
    return " ".join(p for p in (role_display, name or "") if p)


def public_name(name: str | None, *, in_office: bool) -> str:
    """A name in a public record: in full for someone acting in office, masked (张*) for a resident."""
    return (name or "") if in_office else mask_name(name)
