"""Anchors: the head of every event chain at one moment, signed, kept where the database cannot change them.

`yishiting verify --anchor-out FILE` writes one (after the log verifies); `yishiting verify --anchor FILE`
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


def anchor_data(key: bytes | None) -> dict[str, Any]:
    chains = [[t, i, seq, digest] for t, i, seq, digest in
              EventHead.objects.order_by("subject_type", "subject_id").values_list("subject_type", "subject_id",
                                                                                    "seq", "hash").iterator()]
    data: dict[str, Any] = {"format": FORMAT, "created_at": timezone.now().isoformat(), "key_id": key_id(key),
                            "chains": chains}
    data["signature"] = hmac.new(key, _body(data), hashlib.sha256).hexdigest() if key else ""
    return data


def anchor_write(path: str, key: bytes | None) -> int:
    data = anchor_data(key)
    Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")
    return len(data["chains"])


def anchor_read(path: str, key: bytes | None) -> tuple[dict[tuple[str, str], tuple[int, str]], list[str]]:
    """The anchored heads and warnings. A file that is not an anchor, or whose signature fails, is refused."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError("bad_anchor", f"无法读取锚点文件 {path}：{exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("chains"), list):
        raise DomainError("bad_anchor", f"{path} 不是议事厅的锚点文件。")
    warnings = []
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
