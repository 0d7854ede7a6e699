"""Masking of personal data: shown masked everywhere unless the viewer may unmask (and that read is audited)."""

from __future__ import annotations


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
