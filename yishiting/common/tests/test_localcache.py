"""Per-process caches stay as small as what was asked for within their ttl, whatever a long-running server
has seen before."""

from yishiting.common import localcache
from yishiting.common.localcache import SWEEP_FLOOR, LocalCache


def test_expired_keys_do_not_pile_up(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(localcache.time, "monotonic", lambda: clock[0])
    loads = []
    cache = LocalCache("test-people", lambda key: loads.append(key) or f"人员{key}", ttl=10.0)
    for key in range(SWEEP_FLOOR):
        cache.get(key)
    clock[0] += 5  # still fresh: read from the cache, nothing loaded again
    assert [cache.get(key) for key in (0, SWEEP_FLOOR - 1)] == ["人员0", f"人员{SWEEP_FLOOR - 1}"]
    assert len(loads) == SWEEP_FLOOR
    clock[0] += 10  # every one of them has expired; the next new key sweeps them out
    cache.get("新来的")
    assert list(cache._entries) == ["新来的"]
    assert cache.get(0) == "人员0" and len(loads) == SWEEP_FLOOR + 2  # an expired key is simply loaded again


def test_live_keys_are_capped(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(localcache.time, "monotonic", lambda: clock[0])
    cache = LocalCache("test-capped", str, ttl=60.0, max_entries=4 * SWEEP_FLOOR)
    for key in range(20 * SWEEP_FLOOR):
        cache.get(key)
        assert len(cache._entries) <= 4 * SWEEP_FLOOR
    assert cache.get(20 * SWEEP_FLOOR - 1) == str(20 * SWEEP_FLOOR - 1)
