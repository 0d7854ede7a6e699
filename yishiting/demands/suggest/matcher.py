"""Dictionary matching over normalised text: longest phrase first, tolerant of homophone typos.

Residents type with pinyin input methods, so their typos are homophones: 电悌 for 电梯, 路等 for 路灯,
物业废 for 物业费. A phrase therefore also matches a span with the same toneless pinyin, provided at least
half of its characters are the very same (so 午夜 never reads as 物业: no character in common). A fuzzy match
is worth ``FUZZY_WEIGHT`` of an exact one. The differing characters must not be everyday function characters
(能不 is not a typo of 能补). Words that sound like a phrase but mean something else and do share a character
(无业 ~ 物业) are listed in ``SOUND_ALIKES`` and shadow it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from pypinyin import lazy_pinyin

T = TypeVar("T")
_END = ""  # marks a phrase's end in the syllable trie (no syllable is empty)

FUZZY_WEIGHT = 0.6
SOUND_ALIKES = ("无业", "事业", "午夜", "鼻子", "汤水", "没法", "不接", "馆门", "对着", "老伴", "到了", "道了", "不听",
                "异地", "栋门口", "没减", "到路", "区暖", "谁管", "骑车", "不懂", "深水", "扶着", "塘水", "拍子", "接用",
                "菜坛")
COMMON_CHARS = frozenset("不的了是在有一能要会就都也还去来说个我你他她这那没很太又和与跟把被给让吗呢么几多少好")


@lru_cache(maxsize=8192)
def syllable(ch: str) -> str:
    """Toneless pinyin of one character (its most common reading); anything else stays itself."""
    if "\u4e00" <= ch <= "\u9fff":
        return lazy_pinyin(ch)[0]
    return ch


@dataclass(frozen=True, slots=True)
class Match(Generic[T]):
    start: int
    end: int
    phrase: str
    payload: T
    fuzzy: bool

    @property
    def weight(self) -> float:
        return FUZZY_WEIGHT if self.fuzzy else 1.0


class Matcher(Generic[T]):
    """Longest-match segmentation of a text against ``vocabulary`` (phrase → payload)."""

    def __init__(self, vocabulary: Mapping[str, T], *, blockers: tuple[str, ...] = SOUND_ALIKES):
        self.exact: dict[str, T | None] = dict.fromkeys(blockers)
        self.exact.update(vocabulary)
        self.max_len = max(len(p) for p in self.exact)
        self.by_sound: dict[tuple[str, ...], list[str]] = {}
        for phrase in vocabulary:
            if len(phrase) >= 2:
                self.by_sound.setdefault(tuple(syllable(c) for c in phrase), []).append(phrase)
        # A trie over the phrases' syllables: an exact match has the text's syllables and a fuzzy one too, so
        # walking it from a position gives the only lengths worth trying there (most positions: none, most others
        # one or two) instead of every length up to the longest phrase. Only prunes: `find` returns the same.
        self.trie: dict[str, dict] = {}
        for phrase in self.exact:
            node = self.trie
            for c in phrase:
                node = node.setdefault(syllable(c), {})
            node[_END] = True

    def _fuzzy(self, span: str, sounds: list[str], start: int) -> str | None:
        for phrase in self.by_sound.get(tuple(sounds[start : start + len(span)]), ()):
            differing = [b for a, b in zip(phrase, span, strict=True) if a != b]
            if len(differing) * 2 <= len(span) and not COMMON_CHARS.intersection(differing):
                return phrase
        return None

    def _lengths(self, sounds: list[str], i: int) -> list[int]:
        """Lengths of the phrases whose syllables the text has from ``i``, longest first."""
        lengths: list[int] = []
        node = self.trie
        for j in range(i, len(sounds)):
            node = node.get(sounds[j])
            if node is None:
                break
            if _END in node:
                lengths.append(j + 1 - i)
        return lengths[::-1]

    def _at(self, text: str, sounds: list[str], i: int) -> tuple[int, str, bool] | None:
        for length in self._lengths(sounds, i):
            span = text[i : i + length]
            if span in self.exact:
                return length, span, False
            if length >= 2 and (phrase := self._fuzzy(span, sounds, i)):
                return length, phrase, True
        return None

    def find(self, text: str) -> list[Match[T]]:
        sounds = [syllable(c) for c in text]
        found: list[Match[T]] = []
        i = 0
        while i < len(text):
            hit = self._at(text, sounds, i)
            if hit is None:
                i += 1
                continue
            length, phrase, fuzzy = hit
            payload = self.exact[phrase]
            if payload is not None:
                found.append(Match(i, i + length, phrase, payload, fuzzy))
            i += length
        return found
