"""Anchors: the head of every event chain at one moment, signed, kept where the database cannot change them.

`yishiting verify --anchor-out FILE` writes one (after the log verifies), `yishiting anchor --month YYYY-MM`
the monthly one into ANCHOR_DIR (var/anchors/YYYY-MM.json, written once; its fingerprint is printed on the
三率 report of that month); `yishiting verify --anchor FILE`
checks that every chain still passes through the anchored event: history before an anchor cannot be rewritten
or deleted — not even by someone who holds the HMAC key, as long as the file itself is out of their reach
(printed, on write-once storage, sent to the street office). The signature is an HMAC under EVENT_HMAC_KEY, so
the file cannot be edited to match a rewritten log without the key either. docs/integrity.md says which
attacker each measure stops.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

from django.utils import timezone

from .errors import DomainError
from .events import key_id
from .models import EventHead

FORMAT = "yishiting-anchor/1"


def _body(data: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in data.items() if k != "signature"}
    return json.dumps(unsigned, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def anchor_data(key: bytes | None, month: str = "") -> dict[str, Any]:
    chains = [[t, i, seq, digest] for t, i, seq, digest in
              EventHead.objects.order_by("subject_type", "subject_id").values_list("subject_type", "subject_id",
                                                                                    "seq", "hash").iterator()]
    data: dict[str, Any] = {"format": FORMAT, "created_at": timezone.now().isoformat(), "key_id": key_id(key),
                            "chains": chains, **({"month": month} if month else {})}
    data["signature"] = hmac.new(key, _body(data), hashlib.sha256).hexdigest() if key else ""
    return data


def fingerprint(text: bytes) -> str:
    """The anchor file's SHA-256, short enough to print on paper (the monthly report, the ledger) and compare."""
    return hashlib.sha256(text).hexdigest()


def anchor_write(path: str, key: bytes | None, month: str = "") -> tuple[int, str]:
    """Write the anchor (`month`: the monthly anchor's label, signed with the rest); (chains, fingerprint)."""
    data = anchor_data(key, month)
    text = json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8")
    Path(path).write_bytes(text)
    return len(data["chains"]), fingerprint(text)


def anchor_read(path: str, key: bytes | None) -> tuple[dict[tuple[str, str], tuple[int, str]], list[str]]:
    """The anchored heads and warnings. A file that is not an anchor, or whose signature fails, is refused."""
    try:
        raw = Path(path).read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError("bad_anchor", f"无法读取锚点文件 {path}：{exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("chains"), list):
        raise DomainError("bad_anchor", f"{path} 不是议事厅的锚点文件。")
    warnings = [f"锚点 {path}：{len(data['chains'])} 条事件链，写于 {data.get('created_at', '?')}，"
                f"文件指纹 SHA-256 {fingerprint(raw)}（请与留存的纸面记录核对）"]
    if data.get("signature"):
        if key is None:
            warnings.append(f"锚点 {path} 有签名，但未设置 EVENT_HMAC_KEY，无法核对签名")
        elif data.get("key_id") != key_id(key):
            raise DomainError("bad_anchor", f"锚点 {path} 是用另一把密钥签名的（密钥编号 {data.get('key_id')}）。")
        elif not hmac.compare_digest(data["signature"], hmac.new(key, _body(data), hashlib.sha256).hexdigest()):
            raise DomainError("bad_anchor", f"锚点 {path} 的签名不符：文件被修改过。")
    else:
        warnings.append(f"锚点 {path} 没有签名（写入时未设置 EVENT_HMAC_KEY）：它只在文件本身未被改动时可信")
    anchored = {(str(t), str(i)): (int(seq), str(digest)) for t, i, seq, digest in data["chains"]}
    return anchored, warnings


def monthly_path(directory: str | Path, month: str) -> Path:
    return Path(directory) / f"{month}.json"


def monthly_anchor(month: str) -> dict[str, Any] | None:
    """The monthly anchor file of `month` ("2026-11") in ANCHOR_DIR, as the report prints it: its fingerprint,
    how many chains, when it was written, whether it is signed. None when there is none (or it is unreadable).
    The signature is not checked here: the printed fingerprint is what lets a reader check the file later."""
    from django.conf import settings

    path = monthly_path(settings.ANCHOR_DIR, month)
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None
    return {"month": month, "fingerprint": fingerprint(raw), "chains": len(data.get("chains") or []),
            "created_at": _local(data.get("created_at")), "signed": bool(data.get("signature")),
            "file": path.name}


def _local(value: Any) -> str:
    """When the anchor was written, in the site's time zone as the report shows times (the file keeps UTC)."""
    from django.utils.dateparse import parse_datetime

    when = parse_datetime(value) if isinstance(value, str) else None
    return f"{timezone.localtime(when):%Y-%m-%d %H:%M}" if when and timezone.is_aware(when) else str(value or "")
