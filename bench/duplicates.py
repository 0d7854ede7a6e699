"""Duplicate detection precision and recall at the app's threshold, per labelled set and split.

Run: .venv/bin/python bench/duplicates.py [--errors] [--kind long|place|retell|near|number] [--cpu]

Sets: tests/data/demand_pairs.jsonl (rounds 1–2, split by id: id % 3 == 0 is TEST) and
tests/data/demand_pairs_round3.jsonl (round 3: short-vs-long retellings and named places, split by the
``split`` field, fixed by a hash of the pair id before any tuning) and tests/data/demand_pairs_round4.jsonl
(round 4, written after the second blind test: hotline retellings, dialect, typos, named lanes, shops and stops;
``split`` fixed by a hash of the group in the pair id, before any tuning) and tests/data/demand_pairs_round5.jsonl
(round 5, issue 15's last item: all held out, written and committed before the scorer changed). ``--errors`` prints TRAIN mistakes only:
the scorer is tuned on TRAIN, TEST is for reporting.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from yishiting.demands.suggest import duplicates  # noqa: E402

DATA = ROOT / "tests" / "data"
THRESHOLDS = (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65)


def load_pairs() -> dict[str, list[dict]]:
    """``{"rounds 1-2 train": […], "rounds 1-2 test": […], "round 3 train": […], …, "round 4 test": […]}``."""
    sets: dict[str, list[dict]] = {}
    for name, label, split in (("demand_pairs.jsonl", "rounds 1-2", lambda p: "test" if p["id"] % 3 == 0 else "train"),
                               ("demand_pairs_round3.jsonl", "round 3", lambda p: p["split"]),
                               ("demand_pairs_round4.jsonl", "round 4", lambda p: p["split"]),
                               ("demand_pairs_round5.jsonl", "round 5", lambda p: p["split"])):
        with open(DATA / name, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    pair = json.loads(line)
                    sets.setdefault(f"{label} {split(pair)}", []).append(pair)
    return dict(sorted(sets.items()))


def precision_recall(pairs: list[dict], threshold: float = duplicates.DUPLICATE_THRESHOLD) -> tuple[float, float]:
    tp = fp = fn = 0
    for p in pairs:
        said = p["same_area"] and duplicates.similarity(p["a"], p["b"]) >= threshold
        tp += said and p["duplicate"]
        fp += said and not p["duplicate"]
        fn += (not said) and p["duplicate"]
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def cpu_per_suggestion(queries: int = 300, candidates: int = 50) -> None:
    """What the scorer costs one suggestion in CPU, without the database or other processes' load: the query text
    is new (its features computed), the stored candidates' features are cached as in a running server."""
    import random
    import statistics
    import time

    from yishiting.demands.suggest import signature, similarity, suggest_category
    from yishiting.demands.suggest.features import features

    with open(DATA / "demands_labelled.jsonl", encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle if line.strip()]
    for text in texts:
        features(text)
    rng = random.Random(1)
    times = []
    for number in range(queries):
        query, stored = f"{rng.choice(texts)}{number}", rng.sample(texts, candidates)
        started = time.process_time()
        suggest_category(query)
        signature(query)
        for other in stored:
            similarity(query, other)
        times.append((time.process_time() - started) * 1000)
    times.sort()
    print(f"CPU per suggestion (category + keys + {candidates} re-ranked): median {statistics.median(times):.2f} ms, "
          f"p95 {times[int(0.95 * len(times))]:.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="print TRAIN mistakes")
    parser.add_argument("--cpu", action="store_true",
                        help="CPU time of one suggestion: category, keys and 50 candidates re-ranked (process time)")
    parser.add_argument("--kind", help="rounds 3–5 only: long or place (round 3), retell, near, place or number (round 4), "
                                         "retell, near, place or easy (round 5)")
    args = parser.parse_args()
    if args.cpu:
        cpu_per_suggestion()
        return
    sets = load_pairs()
    if args.kind:
        sets = {k: [p for p in v if p.get("kind") == args.kind] for k, v in sets.items() if "round " in k}
        sets = {k: v for k, v in sets.items() if v}
    chosen = duplicates.DUPLICATE_THRESHOLD
    print(f"== Duplicate detection at DUPLICATE_THRESHOLD = {chosen}")
    for name, pairs in sets.items():
        precision, recall = precision_recall(pairs, chosen)
        dups = sum(p["duplicate"] for p in pairs)
        print(f"  {name:18} precision {precision:.3f}  recall {recall:.3f}   ({len(pairs)} pairs, {dups} duplicates)")
    print("  threshold  " + "  ".join(f"{name:>18}" for name in sets))
    for t in THRESHOLDS:
        cells = ("{:.2f} / {:.2f}".format(*precision_recall(pairs, t)) for pairs in sets.values())
        print(f"  {t:9.2f}  " + "  ".join(f"{c:>18}" for c in cells) + ("  ← chosen" if abs(t - chosen) < 1e-9 else ""))
    for name, pairs in sets.items():
        dups = [p for p in pairs if p["duplicate"]]
        shared = sum(bool(set(duplicates.signature(p["a"])) & set(duplicates.signature(p["b"]))) for p in dups)
        print(f"  candidate recall, {name}: {shared}/{len(dups)} duplicate pairs share ≥ 1 signature key")
    if args.errors:
        print("TRAIN errors:")
        for name, pairs in sets.items():
            if name.endswith("train"):
                for p in pairs:
                    s = duplicates.similarity(p["a"], p["b"])
                    if p["same_area"] and (s >= chosen) != p["duplicate"]:
                        print(f"  {p['id']} dup={p['duplicate']} s={s:.2f} {p['a']} | {p['b']}")


if __name__ == "__main__":
    main()
