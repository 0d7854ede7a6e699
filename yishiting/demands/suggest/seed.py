"""The shipped example demands (the TRAIN split of tests/data/demands_labelled.jsonl).

They train the naive Bayes half of the category model and give the duplicate scorer its character weights
(a character in few demands says more than one in many). ``bench/suggest.py --write-seed`` rewrites the file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SEED_FILE = Path(__file__).with_name("seed_examples.json")


@lru_cache(maxsize=1)
def load_seed(path: Path = SEED_FILE) -> tuple[tuple[str, str], ...]:
    """The shipped examples as (text, category)."""
    with open(path, encoding="utf-8") as handle:
        return tuple((row["text"], row["category"]) for row in json.load(handle))
