"""The keyed chain (EVENT_HMAC_KEY) and anchors: rewriting history with database access alone is caught (issue 16)."""

import hashlib
import json

import pytest

from yishiting.common.events import compute_hash, event_append, events_of
from yishiting.common.models import Event
from yishiting.common.testing import delete_chain, raw_sql, rechain, rewrite_event, run_verify, verify_names

KEY = "test-event-key-0123456789abcdefghijklmnop"
E = Event._meta.db_table


@pytest.fixture
def chain(world):
    area = world.areas["C1"]
    for i in range(3):
        event_append(subject=area, kind="note", actor=world.users["community_staff"], payload={"n": i})
    return area


def test_without_a_key_verify_warns_that_a_recomputed_hash_would_pass(chain):
    passed, out = run_verify()
    assert passed and "未设置 EVENT_HMAC_KEY" in out


def test_with_a_key_a_rewritten_event_with_recomputed_hash_and_head_is_caught(chain, settings):
    settings.EVENT_HMAC_KEY = KEY
    event_append(subject=chain, kind="note", payload={"n": 3})  # keyed (the server computes it on PostgreSQL)
    last = events_of(chain).last()
    assert last.hash != compute_hash(subject_type=last.subject_type, subject_id=last.subject_id, seq=last.seq,
                                     kind=last.kind, actor_id=last.actor_id, at=last.at, payload=last.payload,
                                     prev_hash=last.prev_hash, key=None)
    rewrite_event(last, {"n": 99}, key=None)
    verify_names("areas.area", chain.pk, f"第 {last.seq} 条事件（note）没有密钥签名")


def test_with_a_key_an_event_signed_with_another_key_is_caught(chain, settings):
    settings.EVENT_HMAC_KEY = KEY
    event_append(subject=chain, kind="note", payload={"n": 3})
    last = events_of(chain).last()
    rewrite_event(last, {"n": 99}, key=b"a-guessed-key-that-is-not-the-real-one")
    passed, out = run_verify()
    assert not passed and f"第 {last.seq} 条事件内容被修改" in out


def test_a_keyed_log_verifies_end_to_end(chain, settings):
    settings.EVENT_HMAC_KEY = KEY
    other = event_append(subject=chain.parent, kind="note", payload={"n": 1})
    event_append(subject=chain.parent, kind="note", payload={"n": 2})
    assert other.hash == Event.objects.get(pk=other.pk).hash
    passed, out = run_verify("--anchor-out", "/dev/null")  # the unkeyed events written before: adopted
    assert passed and "由本锚点担保" in out, out


def test_an_anchor_catches_a_rewrite_even_without_a_key(chain, tmp_path):
    anchor = tmp_path / "anchor.json"
    passed, out = run_verify("--anchor-out", str(anchor))
    printed = hashlib.sha256(anchor.read_bytes()).hexdigest()
    assert passed and f"文件指纹 SHA-256 {printed}" in out  # to print on paper
    passed, out = run_verify("--anchor", str(anchor))
    assert passed and f"文件指纹 SHA-256 {printed}" in out and "没有签名" in out, out
    rechain("areas.area", chain.pk, edit=lambda e: {"n": 42} if e.seq == 2 else None)  # and every later event
    assert run_verify()[0]  # without key or anchor the rewritten chain is self-consistent
    verify_names("areas.area", chain.pk, "与锚点不符", args=("--anchor", str(anchor)))


def test_an_anchor_catches_a_whole_chain_deleted(chain, tmp_path):
    anchor = tmp_path / "anchor.json"
    assert run_verify("--anchor-out", str(anchor))[0]
    delete_chain("areas.area", chain.pk)
    verify_names("areas.area", chain.pk, "锚点记录该对象的事件链到第 4 条", args=("--anchor", str(anchor)))


def test_a_signed_anchor_that_was_edited_is_refused(chain, settings, tmp_path):
    settings.EVENT_HMAC_KEY = KEY
    anchor = tmp_path / "anchor.json"
    assert run_verify("--anchor-out", str(anchor))[0]
    data = json.loads(anchor.read_text())
    data["chains"] = data["chains"][1:]
    anchor.write_text(json.dumps(data))
    passed, out = run_verify("--anchor", str(anchor))
    assert not passed and "签名不符" in out


def test_unkeyed_history_is_vouched_for_by_the_anchor_taken_when_the_key_was_set(chain, settings, tmp_path):
    settings.EVENT_HMAC_KEY = KEY
    passed, out = run_verify()
    assert not passed and "没有密钥签名" in out  # the events written before the key: not silently trusted
    anchor = tmp_path / "adopted.json"
    assert run_verify("--anchor-out", str(anchor))[0]
    event_append(subject=chain, kind="note", payload={"n": "after the key"})
    passed, out = run_verify("--anchor", str(anchor))
    assert passed and "未设置" not in out, out
    rewrite_event(events_of(chain).get(seq=2), {"n": 7}, key=None, fix_head=False)  # older than the anchor
    verify_names("areas.area", chain.pk, args=("--anchor", str(anchor)))


def test_an_anchor_from_another_key_or_not_an_anchor_is_refused_and_nothing_passes(chain, settings, tmp_path):
    settings.EVENT_HMAC_KEY = KEY
    anchor = tmp_path / "anchor.json"
    assert run_verify("--anchor-out", str(anchor))[0]
    settings.EVENT_HMAC_KEY = KEY[::-1]
    passed, out = run_verify("--anchor", str(anchor))
    assert not passed and "另一把密钥" in out
    junk = tmp_path / "junk.json"
    junk.write_text('{"chains": "x"}')
    passed, out = run_verify("--anchor", str(junk))
    assert not passed and "不是议事厅的锚点文件" in out


def test_a_failing_log_writes_no_anchor(chain, tmp_path):
    raw_sql(f"UPDATE {E} SET kind = 'forged' WHERE id = %s", [events_of(chain).get(seq=2).pk])
    anchor = tmp_path / "anchor.json"
    passed, out = run_verify("--anchor-out", str(anchor))
    assert not passed and not anchor.exists()
