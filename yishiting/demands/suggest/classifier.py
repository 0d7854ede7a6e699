"""Category suggestion: weighted keywords blended with naive Bayes learned from examples.

The keyword model is readable and editable by people and knows words no example used; ``NaiveBayes`` learns
the phrasing of real demands, including words nobody listed. The default blends both (``SEED_WEIGHT``),
with naive Bayes fitted on the shipped seed examples (``seed``). Once the demands app has screened
demands, a model fitted on their confirmed categories can be passed as ``model=`` (or replace the seed).

Confidence: a softmax over the category scores that also holds a fixed "no opinion" score, so a text with
little evidence gets low confidences and the list always sums to less than 1.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from yishiting.demands.suggest.features import MAX_CHARS
from yishiting.demands.suggest.lexicon import CATEGORIES, COMBINATIONS, phrase_table
from yishiting.demands.suggest.matcher import Matcher
from yishiting.demands.suggest.normalize import normalize
from yishiting.demands.suggest.seed import load_seed

NO_OPINION_SCORE = 2.0
TEMPERATURE = 1.5
# Share of naive Bayes in the default blend: chosen by 5-fold cross-validation on the second-round TRAIN
# demands (written after the keyword lists; 0.3–0.5 tie at 83% against 68% for keywords alone).
SEED_WEIGHT = 0.4

_PHRASES = Matcher(phrase_table())


class CategoryModel(Protocol):
    def distribution(self, text: str) -> dict[str, float]:
        """Category → probability for the categories with evidence; values sum to less than 1."""
        ...


def _floor3(x: float) -> float:
    return math.floor(x * 1000) / 1000


def _softmax(scores: dict[str, float]) -> dict[str, float]:
    positive = {c: s for c, s in scores.items() if s > 0}
    if not positive:
        return {}
    top = max([*positive.values(), NO_OPINION_SCORE])
    exps = {c: math.exp((s - top) / TEMPERATURE) for c, s in positive.items()}
    total = sum(exps.values()) + math.exp((NO_OPINION_SCORE - top) / TEMPERATURE)
    return {c: e / total for c, e in exps.items()}


def keyword_scores(text: str | None) -> dict[str, float]:
    """Raw evidence per category: the sum of matched keyword weights plus combinations."""
    norm = normalize((text or "")[:MAX_CHARS], keep_questions=True)
    scores: dict[str, float] = defaultdict(float)
    for match in _PHRASES.find(norm):
        for category, weight in match.payload:
            scores[category] += weight * match.weight
    for phrases, category, weight in COMBINATIONS:
        if all(p in norm for p in phrases):
            scores[category] += weight
    return dict(scores)


class KeywordModel:
    def distribution(self, text: str) -> dict[str, float]:
        return _softmax(keyword_scores(text))


def _tokens(text: str) -> list[str]:
    norm = normalize(text[:MAX_CHARS], keep_questions=True).replace(" ", "")
    return list(norm) + [norm[i : i + 2] for i in range(len(norm) - 1)]


class NaiveBayes:
    """Multinomial naive Bayes over characters and character bigrams (log-probabilities precomputed)."""

    def __init__(self, examples: Iterable[tuple[str, str]], *, alpha: float = 0.5):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        docs: Counter[str] = Counter()
        for text, category in examples:
            docs[category] += 1
            counts[category].update(_tokens(text))
        self.categories = sorted(docs)
        vocabulary = set().union(*counts.values()) if counts else set()
        n = sum(docs.values())
        self.log_prior = [math.log(docs[c] / n) for c in self.categories]
        denominators = {c: sum(counts[c].values()) + alpha * len(vocabulary) for c in self.categories}
        self.log_prob = {
            token: [math.log((counts[c][token] + alpha) / denominators[c]) for c in self.categories]
            for token in vocabulary
        }

    def distribution(self, text: str) -> dict[str, float]:
        rows = [row for t in _tokens(text or "") if (row := self.log_prob.get(t))]
        if not rows or not self.categories:
            return {}
        columns = zip(*rows, strict=True)
        logs = [prior + sum(column) for prior, column in zip(self.log_prior, columns, strict=True)]
        top = max(logs)
        exps = [math.exp(v - top) for v in logs]
        total = sum(exps)
        return {c: e / total * 0.99 for c, e in zip(self.categories, exps, strict=True)}  # sum stays below 1


class BlendedModel:
    """A weighted average of two models' distributions."""

    def __init__(self, first: CategoryModel, second: CategoryModel, *, second_weight: float = 0.5):
        self.first, self.second, self.second_weight = first, second, second_weight

    def distribution(self, text: str) -> dict[str, float]:
        a, b, w = self.first.distribution(text), self.second.distribution(text), self.second_weight
        return {c: (1 - w) * a.get(c, 0.0) + w * b.get(c, 0.0) for c in set(a) | set(b)}


@lru_cache(maxsize=1)
def default_model() -> CategoryModel:
    return BlendedModel(KeywordModel(), NaiveBayes(load_seed()), second_weight=SEED_WEIGHT)


@lru_cache(maxsize=4096)
def _default_suggestion(text: str) -> tuple[tuple[str, float], ...]:
    return tuple(rank(default_model().distribution(text)))


def rank(distribution: dict[str, float]) -> list[tuple[str, float]]:
    ranked = sorted(distribution.items(), key=lambda item: (-item[1], CATEGORIES.index(item[0])))
    return [(c, _floor3(p)) for c, p in ranked if _floor3(p) > 0]


def suggest_category(text: str | None, *, model: CategoryModel | None = None) -> list[tuple[str, float]]:
    """Suggested categories, most likely first, as (name, confidence); [] when the text gives no clue.

    Confidences are in [0, 1] and sum to less than 1 (the rest is "no opinion").
    """
    if not normalize(text):
        return []  # only punctuation, filler or nothing: no clue
    if model is None:
        return list(_default_suggestion(text or ""))
    return rank(model.distribution(text or ""))
