"""What the duplicate scorer looks at in one text: sound bigrams, objects, problems and places.

- ``sounds`` / ``grams``: toneless pinyin syllables and syllable bigrams of the normalised text, after
  dropping numbers, function words and words every demand uses (小区, 希望…). Pinyin rather than characters
  so a homophone typo still meets its correct spelling (路等/路灯 share ``lu deng``).
- ``objects`` / ``issues``: canonical names from ``concepts`` (电瓶车 → 电动车, 停了 → 故障).
- ``places``: ``b3`` building 3, ``u2`` unit 2, ``f5`` floor 5, ``r302`` room 302, ``p东门`` landmark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from yishiting.demands.suggest.concepts import ISSUE_PARENTS, OBJECT_PARENTS, concept_table
from yishiting.demands.suggest.matcher import Matcher, syllable
from yishiting.demands.suggest.normalize import normalize

# Texts are cut here before analysis: the first few hundred characters say what the matter is, and a
# 2,000-character complaint must not cost more than a short one.
MAX_CHARS = 400

STOP_CHARS = frozenset("的了是在有我你他她它们这那就都也还很太又把被给让吗呢么个一啥咋")
GENERIC_WORDS = (
    "小区", "社区", "居民", "我们", "我家", "你们", "他们", "能不能", "可不可以", "可以", "希望", "建议", "现在",
    "一直", "已经", "好几", "总是", "老是", "天天", "每天", "问题", "反映", "怎么", "什么", "没有", "有没有",
    "一个", "这个", "那个", "就是", "时候", "需要", "帮忙", "尽快", "处理", "晚上", "白天",
)
_GENERIC = re.compile("|".join(GENERIC_WORDS))
_PLACE_PATTERNS = (
    (re.compile(r"(\d+)栋"), "b"),
    (re.compile(r"(\d+)单元"), "u"),
    (re.compile(r"(\d+)层"), "f"),
    # A bare 3–4 digit number is a price or a year as often as a flat: only read it as a room right after a
    # building or unit, before 室, or beside 与/和 (302与402).
    (re.compile(r"(?:(?<=栋)|(?<=单元)|(?<=[与和跟、]))(\d{3,4})(?!\d)"), "r"),
    (re.compile(r"(?<!\d)(\d{3,4})(?=室|[与和跟、]\d)"), "r"),
)
# An estate's name (幸福苑, 阳光花园) says where, which the demand's area already says; left in, its rare
# syllables would become index keys shared by every demand of the estate.
_ESTATE = re.compile(r"(?<!老旧)[\u4e00-\u9fff]{2,3}(?:小区|花园|家园|新村|新城|公寓|苑)")
_DIGITS = re.compile(r"\d+(?:栋|单元|层|室|号)?")

_CONCEPTS = Matcher(concept_table())


@dataclass(frozen=True, slots=True)
class Features:
    sounds: frozenset[str]
    grams: frozenset[str]
    objects: frozenset[str]
    issues: frozenset[str]
    places: frozenset[str]

    def of_kind(self, prefix: str) -> frozenset[str]:
        return frozenset(p for p in self.places if p.startswith(prefix))


def _places(text: str) -> set[str]:
    return {f"{kind}{int(m.group(1))}" for pattern, kind in _PLACE_PATTERNS for m in pattern.finditer(text)}


def content_sounds(text: str) -> list[list[str]]:
    """Per segment, the syllables of the characters that carry content (see ``grams``)."""
    text = _DIGITS.sub(" ", _GENERIC.sub(" ", text))
    return [[syllable(c) for c in segment if c not in STOP_CHARS] for segment in text.split()]


def _sounds_and_grams(text: str) -> tuple[frozenset[str], frozenset[str]]:
    sounds: set[str] = set()
    grams: set[str] = set()
    for segment in content_sounds(text):
        sounds.update(segment)
        grams.update(f"{a} {b}" for a, b in zip(segment, segment[1:], strict=False))
    return frozenset(sounds), frozenset(grams)


def extract(text: str | None) -> Features:
    """The features of one text (uncached; ``features`` is the cached entry point)."""
    norm = _ESTATE.sub(" ", normalize((text or "")[:MAX_CHARS]))
    objects, issues, places = set(), set(), _places(norm)
    for match in _CONCEPTS.find(norm):
        kind, canonical = match.payload
        {"o": objects, "i": issues, "p": places}[kind].add(canonical if kind != "p" else f"p{canonical}")
    issues.update(ISSUE_PARENTS[i] for i in list(issues) if i in ISSUE_PARENTS)
    objects.update(OBJECT_PARENTS[o] for o in list(objects) if o in OBJECT_PARENTS)
    return Features(*_sounds_and_grams(norm), frozenset(objects), frozenset(issues), frozenset(places))


@lru_cache(maxsize=65536)
def features(text: str | None) -> Features:
    return extract(text)
