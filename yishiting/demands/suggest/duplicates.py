"""Similar-demand scoring (``similarity``, ``is_duplicate``) and the index keys (``signature``).

The score mixes two views of a pair, then discounts it when the texts name different places or problems:
- text: Dice overlap of pinyin syllables weighted by rarity (IDF over the seed examples) — catches rewordings
  nobody put in the concept lists (池塘的水都臭了 / 池塘水发绿发臭 share 池塘, 臭; 的/了 weigh nothing);
- concepts: weighted Dice over objects, problems and object×problem pairs — 电梯坏了 and 电梯停了好几天
  agree (电梯, 故障), while 电梯坏了 and 加装电梯 do not although they share the word 电梯;
- places: two different buildings, units, rooms or gates named in the texts are two different matters, and so
  are two different *named* places — estates (阳光花园 / 金桂小区, 桂花里 / 翠竹轩), roads and streets, shops,
  markets, restaurants and clinics, schools, hospitals, parks and stops (``features.named_places``), also when
  the two are named by places of different kinds (福寿街菜场 / 兴隆市场); the same named place in both raises the
  score a little; two kinds of one thing, neither on the other side, are two things (路灯 / 楼道灯);
- short against long: when one text says several times as much as the other, or both are long retellings, the
  overlap is how much of the shorter one the longer covers (河道里全是垃圾 against three sentences about bags and
  foam boxes in the river), not the symmetric overlap, which a long retelling would drown. Such pairs are judged
  by a small logistic model over the evidence above (``evidence``; weights ``WEIGHTS`` fitted on the TRAIN pairs
  of every round by bench/fit_duplicates.py — plain numbers in this file, nothing downloaded or loaded); pairs
  of like length keep the hand-weighted blend (``_rule_score``), and in between the two are mixed by how
  lopsided the pair is.

One threshold, ``DUPLICATE_THRESHOLD``, everywhere: ``is_duplicate`` (same area and at least this similar), and
the "已有相似诉求" list the resident sees while typing and staff see when screening (``intake.similar_demands``
keeps only candidates at least this similar, same community first, then elsewhere for 举一反三). A lower
"related" threshold was dropped on purpose: the list tells a resident "if it is the same matter you need not
file again", so what it shows must be what the scorer judges the same matter; below the threshold it was
mostly noise (precision 0.69 on the blind set).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from yishiting.demands.suggest.concepts import GATES, ISSUE_FAMILIES, OBJECT_PARENTS, SIDES
from yishiting.demands.suggest.features import Features, extract, features
from yishiting.demands.suggest.matcher import syllable
from yishiting.demands.suggest.seed import load_seed

# The one threshold of the app (module docstring; docs/duplicates.md): duplicates and the "已有相似诉求" list.
# 0.5 is where the logistic part says "as likely one matter as not"; on the 0.05 grid of bench/duplicates.py it
# gives the best worst-round F1 on TRAIN pairs, cross-validated by story (bench/fit_duplicates.py --cv: precision
# 0.96–0.97, recall 0.93–0.97 per round); 0.45 lets in short same-object pairs (rounds 1–2 precision 0.86), 0.55
# loses short rewordings (rounds 1–2 recall 0.84).
DUPLICATE_THRESHOLD = 0.5

TEXT_SHARE = 0.4
# Weight of "the shorter text is covered by the longer" against plain overlap (``_overlap``): above 1, because a
# short text fully covered is as good as an identical one once the longer text's extra words are set aside.
CONTAINMENT_SHARE = 1.3
# Syllable-count ratios between which a pair goes from "like length" (Dice only) to "short against long", and
# the syllable counts between which two texts both count as long retellings (``_lopsided``).
LOPSIDED = (2.0, 4.0)
LONG_TEXT = (15, 30)
OBJECT_WEIGHT, ISSUE_WEIGHT, PAIR_WEIGHT = 2.0, 1.0, 2.0
# Factor applied when both texts name a place of this kind and no place of it is shared.
PLACE_CONFLICT = {"b": 0.3, "u": 0.4, "r": 0.5, "f": 0.8}
GATE_CONFLICT = 0.4
# Factor when both texts name a place of one kind (estate, road, shop, school/park…) by name and no name of
# that kind is the same place: 阳光花园南门的路灯坏了 / 金桂小区的路灯不亮 are two matters.
NAMED_CONFLICT = 0.3
NAMED_KINDS = ("ne", "nr", "ns", "nc")
NAMED_MATCH = 1.2
# Factor when both texts name a kind of one thing (``concepts.OBJECT_PARENTS``) and no kind is the same.
SIBLING_CONFLICT = 0.5
# Same object, different problems not of one kind (电梯坏了 / 加装电梯的事, 食堂何时开 / 饭太咸): another matter.
ISSUE_CONFLICT = 0.7

# Bump when the concept lists, the seed or the key recipe change: stored keys must then be rebuilt.
SIGNATURE_VERSION = 4
MINHASH_SEEDS = (b"\x01", b"\x02")
SALIENT_KEYS = 3
MAX_OBJECT_KEYS = 4
MAX_PAIR_KEYS = 6


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    """Syllable → inverse document frequency over the seed examples, and the weight of an unseen one."""
    docs = [extract(text).sounds for text, _ in load_seed()]
    counts = Counter(s for doc in docs for s in doc)
    unseen = math.log(len(docs) + 1) + 1
    return {s: math.log((len(docs) + 1) / (n + 1)) + 1 for s, n in counts.items()}, unseen


def _lopsided(a: frozenset[str], b: frozenset[str]) -> float:
    """How far a pair is "a short text against a long one" (0 to 1): 0 for texts of like length, rising to 1 when
    one says ``LOPSIDED[1]`` times as much as the other — or when both are long retellings (``LONG_TEXT``
    syllables and more), where each says much the other does not."""
    small, large = sorted((len(a), len(b)))
    if not small:
        return 0.0
    low, high = LOPSIDED
    by_ratio = (large / small - low) / (high - low)
    by_length = (small - LONG_TEXT[0]) / (LONG_TEXT[1] - LONG_TEXT[0])
    return max(0.0, min(1.0, max(by_ratio, by_length)))


def _overlap(total_a: float, total_b: float, shared: float, lopsided: float) -> float:
    """Dice overlap, or — as far as one text is much shorter — how much of the shorter the longer covers,
    whichever is higher: 河道里全是垃圾 is all there in a retelling that says much more besides."""
    if not total_a or not total_b:
        return 0.0
    dice = 2 * shared / (total_a + total_b)
    return max(dice, min(1.0, lopsided * CONTAINMENT_SHARE * shared / min(total_a, total_b)))


@lru_cache(maxsize=65536)
def _weight(sounds: frozenset[str]) -> float:
    """Total rarity weight of a text's syllables (cached: a stored demand is re-ranked against many queries)."""
    idf, unseen = _idf()
    return sum(idf.get(s, unseen) for s in sounds)


def _text_similarity(a: frozenset[str], b: frozenset[str], lopsided: float) -> float:
    idf, unseen = _idf()
    return _overlap(_weight(a), _weight(b), sum(idf.get(s, unseen) for s in a & b), lopsided)


@lru_cache(maxsize=65536)
def _concept_weights(f: Features) -> dict[tuple[str, ...], float]:
    """Objects, problems and object×problem pairs with their weights (cached per feature set; do not mutate)."""
    weights: dict[tuple[str, ...], float] = {("o", o): OBJECT_WEIGHT for o in f.objects}
    weights.update({("i", i): ISSUE_WEIGHT for i in f.issues})
    weights.update({("oi", o, i): PAIR_WEIGHT for o in f.objects for i in f.issues})
    return weights


def _weighted_overlap(a: dict[tuple[str, ...], float], b: dict[tuple[str, ...], float], lopsided: float) -> float:
    return _overlap(sum(a.values()), sum(b.values()), sum(w for k, w in a.items() if k in b), lopsided)


def same_name(a: str, b: str) -> bool:
    """Whether two place names are one place: one holds the other (烧烤 / 老王烧烤), or they share two
    syllables (金桂 / 金贵, a homophone typo)."""
    if a in b or b in a:
        return True
    return len({syllable(c) for c in a} & {syllable(c) for c in b}) >= 2


def _by_kind(places: frozenset[str]) -> dict[str, set[str]]:
    """Places grouped by kind: ``b``/``u``/``r``/``f`` numbered, ``p`` landmark, ``ne``/``nr``/``ns``/``nc`` named."""
    grouped: dict[str, set[str]] = {}
    for place in places:
        grouped.setdefault(place[:2] if place[0] == "n" else place[0], set()).add(place)
    return grouped


def _sibling_factor(fa: Features, fb: Features) -> float:
    """Two kinds of one thing, neither named on the other side: a street lamp is not a stairwell lamp."""
    factor = 1.0
    for children in _CHILDREN.values():
        kinds_a, kinds_b = fa.objects & children, fb.objects & children
        if kinds_a and kinds_b and not kinds_a & kinds_b:
            factor *= SIBLING_CONFLICT
    return factor


def _place_factor(fa: Features, fb: Features) -> float:
    factor = _sibling_factor(fa, fb)
    if not (fa.places and fb.places):
        return factor
    ka, kb = _by_kind(fa.places), _by_kind(fb.places)
    for kind, penalty in PLACE_CONFLICT.items():
        pa, pb = ka.get(kind), kb.get(kind)
        if pa and pb and not pa & pb:
            factor *= penalty
    # Named places: two estates (roads, shops…) of which none is the same are two places; so are 福寿街菜场 and
    # 兴隆市场, named by places of different kinds.
    na = {p[2:] for kind in NAMED_KINDS for p in ka.get(kind, ())}
    nb = {p[2:] for kind in NAMED_KINDS for p in kb.get(kind, ())}
    if na and nb:
        conflict = any(ka.get(kind) and kb.get(kind) and not any(same_name(x[2:], y[2:]) for x in ka[kind] for y in kb[kind])
                       for kind in NAMED_KINDS)
        factor *= NAMED_CONFLICT if conflict or not any(same_name(x, y) for x in na for y in nb) else NAMED_MATCH
    for group in (GATES, SIDES):
        ga, gb = {p[1:] for p in ka.get("p", ())} & group, {p[1:] for p in kb.get("p", ())} & group
        if ga and gb and not ga & gb:
            factor *= GATE_CONFLICT
    return factor


_CHILDREN: dict[str, frozenset[str]] = {
    parent: frozenset(c for c, p in OBJECT_PARENTS.items() if p == parent) for parent in set(OBJECT_PARENTS.values())
}


@lru_cache(maxsize=1)
def _families() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for family, issues in ISSUE_FAMILIES.items():
        for issue in issues:
            found.setdefault(issue, set()).add(family)
    return {issue: frozenset(families) for issue, families in found.items()}


def _kinds(issues: frozenset[str]) -> frozenset[str]:
    families = _families()
    return frozenset(family for issue in issues for family in families.get(issue, ()))


def _issue_factor(fa: Features, fb: Features) -> float:
    """Same object, problems neither shared nor of one kind (``concepts.ISSUE_FAMILIES``): another matter."""
    shared_object = bool(fa.objects & fb.objects)
    if shared_object and fa.issues and fb.issues and not (fa.issues & fb.issues or _kinds(fa.issues) & _kinds(fb.issues)):
        return ISSUE_CONFLICT
    return 1.0


def _rule_score(fa: Features, fb: Features, lopsided: float) -> float:
    """The hand-weighted blend of text and concept overlap (before places): one piece of evidence for ``score``."""
    text = _text_similarity(fa.sounds, fb.sounds, lopsided)
    ca, cb = _concept_weights(fa), _concept_weights(fb)
    base = text if not (ca and cb) else TEXT_SHARE * text + (1 - TEXT_SHARE) * _weighted_overlap(ca, cb, lopsided)
    return base * _issue_factor(fa, fb)


def _coverage(a: frozenset[str], b: frozenset[str]) -> float:
    """How much of the smaller set the larger holds (0 when either is empty)."""
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def evidence(fa: Features, fb: Features) -> tuple[float, ...]:
    """What ``score`` weighs, each in [0, 1] and symmetric in the two texts (names in ``EVIDENCE``)."""
    lopsided = _lopsided(fa.sounds, fb.sounds)
    idf, unseen = _idf()
    wa, wb = _weight(fa.sounds), _weight(fb.sounds)
    shared = sum(idf.get(s, unseen) for s in fa.sounds & fb.sounds)
    ca, cb = _concept_weights(fa), _concept_weights(fb)
    ta, tb = sum(ca.values()), sum(cb.values())
    c_shared = sum(w for k, w in ca.items() if k in cb)
    kinds_a, kinds_b = fa.issues | _kinds(fa.issues), fb.issues | _kinds(fb.issues)
    both_issues = bool(fa.issues and fb.issues)
    small = min(len(fa.sounds), len(fb.sounds))
    even = 1 - lopsided
    text_cover = shared / min(wa, wb) if wa and wb else 0.0
    concept_cover = c_shared / min(ta, tb) if ta and tb else 0.0
    return (
        _rule_score(fa, fb, lopsided),
        even * (2 * shared / (wa + wb) if wa + wb else 0.0),              # like lengths: text Dice
        lopsided * text_cover,                                            # short against long: shorter covered
        even * (2 * c_shared / (ta + tb) if ta and tb else 0.0),          # like lengths: concepts Dice
        lopsided * concept_cover,                                         # short against long: smaller covered
        _coverage(fa.objects, fb.objects),                                # objects: smaller set covered
        len(fa.objects & fb.objects) / max(len(fa.objects), len(fb.objects), 1),  # objects: larger set covered
        float(bool(fa.objects and fb.objects)),
        _coverage(kinds_a, kinds_b) if both_issues else 0.0,              # problems (or their kinds) shared
        float(both_issues),
        float(bool(fa.issues) != bool(fb.issues)),                        # a problem said on one side only
        even * float(bool(fa.issues) != bool(fb.issues)),                 # … in texts of like length
        even * (_coverage(kinds_a, kinds_b) if both_issues else 0.0),     # like lengths, problems shared
        float(_issue_factor(fa, fb) < 1),                                 # same object, another kind of problem
        lopsided,
        min(1.0, small / 30),                                             # how long the shorter text is
    )


EVIDENCE = ("rule", "text_dice", "text_cover", "concept_dice", "concept_cover", "object_cover", "object_share",
            "objects_both",
            "issue_cover", "issues_both", "issue_one_side", "even_issue_one_side", "even_issue_cover", "issue_conflict",
            "lopsided", "short_len")
# Logistic weights over ``evidence`` (bias first), fitted on the TRAIN pairs of every round by
# bench/fit_duplicates.py (L2-regularised, deterministic); re-fit and paste when the evidence or concepts change.
WEIGHTS = (-2.081, 1.732, 0.191, 0.978, 0.521, 1.131, 2.123, 1.680, -0.817, 1.010, -0.326, 0.206, -0.032, 0.816, -1.173, -0.504, 1.038)


def score(fa: Features, fb: Features) -> float:
    """Similarity of two feature sets, in [0, 1]: how likely they are one matter, times the place factor."""
    if not (fa.sounds or fa.objects or fa.issues) or not (fb.sounds or fb.objects or fb.issues):
        return 0.0
    if fa == fb:
        return 1.0
    lopsided = _lopsided(fa.sounds, fb.sounds)
    if lopsided:
        found = evidence(fa, fb)
        z = WEIGHTS[0] + sum(w * x for w, x in zip(WEIGHTS[1:], found, strict=True))
        likely = (1 - lopsided) * found[0] + lopsided / (1 + math.exp(-z))
    else:  # texts of like length: the fitted part has no say, so its evidence is not gathered (most re-ranking)
        likely = _rule_score(fa, fb, 0.0)
    return max(0.0, min(1.0, likely * _place_factor(fa, fb)))


def similarity(a: str | None, b: str | None) -> float:
    """How alike two demands read, from 0 (unrelated) to 1 (the same words after normalisation)."""
    return score(features(a), features(b))


def is_duplicate(a: str | None, b: str | None, *, same_area: bool) -> bool:
    """Whether ``b`` reports the same matter as ``a``: same area and similarity ≥ ``DUPLICATE_THRESHOLD``.

    ``same_area`` is True when one demand's area contains the other's or they are equal (a building demand
    and an estate-wide one can be duplicates). Demands in different areas are never duplicates, however
    alike they read — two estates each have a 3栋 with a lift; they are shown as 相似 (for 举一反三) by
    ranking on ``similarity``, not offered for merging.
    """
    return same_area and similarity(a, b) >= DUPLICATE_THRESHOLD


def _minhash_keys(grams: Iterable[str]) -> list[str]:
    encoded = [g.encode() for g in grams]
    if not encoded:
        return []
    return [f"m{seed[0]}:{min(zlib.crc32(seed + g) for g in encoded):08x}" for seed in MINHASH_SEEDS]


def _salient_keys(sounds: Iterable[str]) -> list[str]:
    """The rarest syllables: what this text says that few others do (and so a short posting list)."""
    idf, unseen = _idf()
    return [f"s:{s}" for s in sorted(sounds, key=lambda s: (-idf.get(s, unseen), s))[:SALIENT_KEYS]]


def keys_of(f: Features) -> list[str]:
    keys = {f"o:{o}" for o in sorted(f.objects)[:MAX_OBJECT_KEYS]}
    pairs = sorted(f"c:{o}/{i}" for o in f.objects for i in f.issues)
    keys.update(pairs[:MAX_PAIR_KEYS])
    if not f.objects:
        keys.update(f"i:{i}" for i in sorted(f.issues)[:MAX_OBJECT_KEYS])
    keys.update(_minhash_keys(f.grams))
    keys.update(_salient_keys(f.sounds))
    return sorted(keys)


def signature(text: str | None) -> list[str]:
    """Index keys for candidate lookup (see the package docstring): about 7, at most 15."""
    return keys_of(features(text))
