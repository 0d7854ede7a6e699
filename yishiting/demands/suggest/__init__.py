"""Category suggestion and similar-demand detection for residents' demands (诉求), with no model download.

The stable API the demands app calls:

- ``suggest_category(text) -> [(category, confidence), …]`` most likely first; confidences in [0, 1] summing
  to less than 1 (the rest is "no opinion"); ``[]`` when the text gives no clue. Category names are the
  nine defaults (``lexicon.CATEGORIES``); the app maps them onto its editable catalogue and ignores the rest.
- ``similarity(a, b) -> float`` in [0, 1]; ``is_duplicate(a, b, *, same_area)`` is
  ``same_area and similarity ≥ DUPLICATE_THRESHOLD`` (0.5, chosen on the TRAIN pairs). The same threshold
  filters the "已有相似诉求" list (``demands.intake.similar_demands``): one threshold, in ``duplicates``,
  documented with the measured precision and recall in docs/duplicates.md.
- ``signature(text) -> [key, …]``: index keys for fetching duplicate candidates (below).
- ``normalize(text)``: the canonical text (3栋 = 三号楼 = 3号楼 = 3#楼; full width, punctuation, 您好/麻烦/请问/谢谢).

How it works (modules): ``normalize`` folds spellings; ``matcher`` finds dictionary phrases longest-first and
tolerates homophone typos (电悌 → 电梯) by comparing pinyin; ``lexicon`` holds weighted category keywords
and the labelling rules; ``classifier`` blends those keywords with naive Bayes fitted on ``seed`` examples;
``concepts`` names objects, problems and landmarks; ``features`` extracts them with places (3栋, 2单元,
302室, 东门, and named places: 阳光花园, 桂花里, 人民路, 华联超市, 老杨家面馆, 实验小学) and rarity-weighted
syllables; ``duplicates`` scores pairs and builds the keys.

Finding candidates among a million stored demands — an index, not a scan
------------------------------------------------------------------------
``signature`` returns about 7 keys (at most 15) of five kinds, chosen so that two reports of one matter
share at least one key (104 of the 105 labelled duplicate pairs do) while each key stays selective:

- ``o:电梯`` each object named, ``c:电梯/故障`` each object with each problem, ``i:故障`` a problem when no
  object is named — rewordings of one matter meet here (电瓶车 = 电动车, 停了 = 坏了);
- ``m1:…``/``m2:…`` two min-hashes of the syllable bigrams, and ``s:…`` the three rarest syllables — these
  catch rewordings in words the concept lists do not know (池塘, 鞋柜), and rare syllables have short
  posting lists by construction.

Store them in a table ``(key, community_id, created_at, demand_id)`` with a B-tree index on
``(key, community_id, created_at DESC)`` (or a PostgreSQL ``text[]`` column with a GIN index). To suggest:

1. for each key of the new text, read the newest 50 rows with that key in the same community (``LATERAL``
   per key, ``LIMIT 50``): at most 15 × 50 index entries whatever the table size; then the same without the
   community filter, restricted to open demands, for the "elsewhere" list;
2. keep the 50 demands sharing the most keys, and re-rank them with ``similarity`` (features of a stored
   demand can be cached beside it). A common key such as ``o:电梯`` costs no more than a rare one: the
   per-key limit bounds the candidate list, and the rarer keys carry the recall.

Keys depend on the concept lists and the seed (rarity); when either changes, bump ``SIGNATURE_VERSION``
and re-index with ``yishiting reindex-demands`` (the version is stored with the rows).

Quality: bench/suggest.py (categories, rounds 1–2 pairs; split id % 3 == 0 is TEST) and bench/duplicates.py
(all pair sets at the app's threshold, incl. round 3: short-vs-long and named places, split by story/problem, and
round 4: hotline retellings, dialect, new kinds of place names, split by a hash of the group in the pair id).
bench/fit_duplicates.py fits the short-against-long weights (``duplicates.WEIGHTS``) on TRAIN pairs only.
"""

from yishiting.demands.suggest.classifier import suggest_category
from yishiting.demands.suggest.duplicates import (
    DUPLICATE_THRESHOLD,
    SIGNATURE_VERSION,
    is_duplicate,
    signature,
    similarity,
)
from yishiting.demands.suggest.normalize import normalize

__all__ = [
    "DUPLICATE_THRESHOLD",
    "SIGNATURE_VERSION",
    "is_duplicate",
    "normalize",
    "signature",
    "similarity",
    "suggest_category",
]
