"""Per-process caches of small tables that every request reads and almost nobody writes (the category
catalogue, the holiday calendar).

Intake read them on every submission: three queries of a dozen. A `LocalCache` keeps what its loader returned
for `ttl` seconds. A save or delete of a watched model through the ORM clears it at once in the process that
made the change; the other server processes see the change within `ttl` seconds (60 by default) — an admin who
edits a holiday or renames a category waits at most a minute before every server counts with it. Writes that
bypass model signals (bulk_create, update()) must call `clear()` themselves, as the calendar seeding does.

Nothing here is shared between processes, so nothing can go stale for longer than `ttl`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.db.models.signals import post_delete, post_save

DEFAULT_TTL = 60.0
SWEEP_FLOOR = 1024

_registry: list[LocalCache] = []


class LocalCache:
    """`get(key)` returns `loader(key)`, computed at most once per `ttl` seconds per key in this process."""

    def __init__(self, name: str, loader: Callable[[Hashable], Any], *, watch: tuple[type, ...] = (),
                 ttl: float = DEFAULT_TTL, keep_none: bool = True, max_entries: int = 100_000) -> None:
        self.name = name
        self.loader = loader
        self.ttl = ttl
        self.keep_none = keep_none  # False: a miss (e.g. an unknown token) is asked again next time
        self.max_entries = max_entries  # past this many live keys the cache starts over: memory stays bounded
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._sweep_at = SWEEP_FLOOR  # past this many keys, expired ones are dropped first
        self._lock = threading.Lock()
        for model in watch:
            post_save.connect(self._on_change, sender=model, weak=False, dispatch_uid=f"localcache:{name}:save")
            post_delete.connect(self._on_change, sender=model, weak=False, dispatch_uid=f"localcache:{name}:delete")
        _registry.append(self)

    def get(self, key: Hashable = None) -> Any:
        now = time.monotonic()
        entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = self.loader(key)
        if value is None and not self.keep_none:
            return None
        with self._lock:
            if len(self._entries) >= self._sweep_at:
                self._sweep(now)
            self._entries[key] = (now + self.ttl, value)
        return value

    def _sweep(self, now: float) -> None:
        """Drop the expired keys (a long-running server sees many people once: they must not pile up), and
        start over if even the live ones fill half of `max_entries`. Runs again only once the cache has doubled."""
        live = {key: entry for key, entry in self._entries.items() if entry[0] > now}
        self._entries = live if len(live) <= self.max_entries // 2 else {}
        self._sweep_at = min(max(SWEEP_FLOOR, 2 * len(self._entries)), self.max_entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _on_change(self, **_: Any) -> None:
        self.clear()


def clear_all() -> None:
    """Empty every local cache (tests call this between tests: a rolled-back write fires no signal)."""
    for cache in _registry:
        cache.clear()
