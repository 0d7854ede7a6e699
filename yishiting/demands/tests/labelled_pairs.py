"""The labelled duplicate pairs under tests/data/ and how they are scored: one reading and one precision/recall
for every round's quality test (bench/duplicates.py prints the same figures)."""

from __future__ import annotations

import json
from pathlib import Path

from yishiting.demands.suggest import is_duplicate

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"


def labelled_pairs(name: str) -> list[dict]:
    """The pairs of one file (e.g. ``demand_pairs_round5.jsonl``), one JSON object per line."""
    return [json.loads(line) for line in (DATA / name).read_text("utf-8").splitlines() if line.strip()]


def precision_recall(pairs: list[dict]) -> tuple[float, float]:
    """Precision and recall of `is_duplicate` at the app's one threshold against the pairs' labels."""
    said = [(p["duplicate"], is_duplicate(p["a"], p["b"], same_area=p["same_area"])) for p in pairs]
    tp = sum(truth and guess for truth, guess in said)
    fp = sum(guess and not truth for truth, guess in said)
    fn = sum(truth and not guess for truth, guess in said)
    return tp / (tp + fp), tp / (tp + fn)
