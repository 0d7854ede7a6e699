"""The monthly anchor (`yishiting anchor --month YYYY-MM --out DIR`, issue 16): the head of every chain, signed
with EVENT_HMAC_KEY, written once per month; `verify --anchor` with it catches a history rewritten even by someone
who holds the key and recomputed every hash."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from yishiting.common.events import event_append, event_key
from yishiting.common.management.commands.anchor import last_month
from yishiting.common.testing import rechain, verify_names

from .test_verify_keyed import KEY, chain  # noqa: F401  (fixture)


def anchor(**options) -> str:
    out = io.StringIO()
    call_command("anchor", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def keyed(chain, settings):  # noqa: F811
    settings.EVENT_HMAC_KEY = KEY  # the chain's three notes were written before the key: the first anchor adopts them
    return chain


def test_the_monthly_anchor_is_signed_written_once_and_its_fingerprint_printed(keyed, tmp_path):
    month = last_month(timezone.localdate())
    out = anchor(month=month, out=str(tmp_path))
    path = tmp_path / f"{month}.json"
    data = json.loads(path.read_text())
    assert data["month"] == month and len(data["signature"]) == 64
    assert [seq for t, i, seq, _ in data["chains"] if (t, i) == ("areas.area", str(keyed.pk))] == [4]
    assert f"文件指纹 SHA-256 {hashlib.sha256(path.read_bytes()).hexdigest()}" in out and "（已签名）" in out, out
    with pytest.raises(CommandError, match="只写一次"):
        anchor(month=month, out=str(tmp_path))


@pytest.mark.parametrize(("month", "said"), [("2026-13", "YYYY-MM"), ("26-11", "YYYY-MM"), ("2999-01", "还没有到")])
def test_a_month_that_is_malformed_or_still_to_come_is_refused(keyed, tmp_path, month, said):
    with pytest.raises(CommandError, match=said):
        anchor(month=month, out=str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_a_history_rewritten_with_the_key_and_every_hash_recomputed_fails_against_the_anchor(keyed, tmp_path):
    month = last_month(timezone.localdate())
    anchor(month=month, out=str(tmp_path))
    rechain("areas.area", keyed.pk, key=event_key(), edit=lambda e: {"n": 99} if e.seq == 2 else None)
    out = verify_names("areas.area", keyed.pk, "与锚点不符", args=("--anchor", str(tmp_path / f"{month}.json")))
    assert "第 2 条事件内容被修改" not in out and "1 个校验失败" in out, out  # each hash a valid HMAC: the anchor tells


def test_the_next_months_anchor_is_refused_while_the_log_departs_from_the_last_one(keyed, tmp_path):
    anchor(month="2026-02", out=str(tmp_path))
    rechain("areas.area", keyed.pk, key=event_key(), edit=lambda e: {"n": 7} if e.seq == 3 else None)
    with pytest.raises(CommandError, match="1 个校验失败"):
        anchor(month="2026-03", out=str(tmp_path))
    assert not (tmp_path / "2026-03.json").exists()


def test_an_unkeyed_rewrite_after_an_anchor_is_not_adopted_by_the_next_one(keyed, tmp_path):
    """The first anchor after setting the key adopts the older unkeyed events; later ones never do."""
    anchor(month="2026-02", out=str(tmp_path))
    event_append(subject=keyed, kind="note", payload={"n": "after"})
    rechain("areas.area", keyed.pk, key=None, edit=lambda e: {"n": "forged"} if e.seq == 5 else None)
    with pytest.raises(CommandError):
        anchor(month="2026-03", out=str(tmp_path))
    assert not (tmp_path / "2026-03.json").exists()
