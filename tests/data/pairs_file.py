"""Writing a round of labelled pairs (JSON Lines, one pair per line) and saying what was written: shared by the
build_pairs_round*.py scripts, which run on their own (`python tests/data/build_pairs_round5.py`)."""

from __future__ import annotations

import json
from pathlib import Path


def write_pairs(rows: list[dict], out: Path) -> None:
    with open(out, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    dups = sum(r["duplicate"] for r in rows)
    said = f"wrote {len(rows)} pairs ({dups} duplicates, {len(rows) - dups} not) to {out.name}"
    test = [r for r in rows if r.get("split") == "test"]
    print(f"{said}; test split {len(test)} ({sum(r['duplicate'] for r in test)} duplicates)" if test
          else f"{said}; all held out")
