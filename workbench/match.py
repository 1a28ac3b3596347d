"""Do two statements say the same thing? A matcher trained on news sentence pairs.

Each pair is described by about fifty lexical measures a reader uses without thinking: how many
words, stems, word pairs and letter runs the two share (both ways), how alike they are as
strings (rapidfuzz ratios, with and without "X said" attributions), whether their numbers agree,
whether their names agree, whether only one is negated, and how their lengths compare. A
logistic regression over those measures and their pairwise products, trained on the Microsoft
Research Paraphrase Corpus by `scripts/train_matcher.py`, turns them into a probability that
the two state the same fact; it ships as `models/matcher.json.gz`.

`pair_features` is the single definition of the measures; the trainer fits on what it returns.
The alignment (`workbench.align`) uses `Matcher.probabilities` on candidate pairs it has
found cheaply; `workbench match` exposes the same call.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from workbench import models
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq, Levenshtein

MODEL_FILE = "matcher.json.gz"
MODEL_FORMAT = 1
#: Standardised measures are held within this many standard deviations.
CLIP = 2.5

_WORD = re.compile(r"\w+(?:[.,'’]\w+)*")
_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_ATTRIBUTION = re.compile(
    r",?\s*(?:he|she|they|it|officials?|police|[A-Z][\w.]+(?:\s[A-Z][\w.]+)*)\s+"
    r"(?:said|says|told|added|reported)\b[^,.]*[,.]?"
    r"|\b(?:said|says)\s+(?:[A-Z][\w.]+(?:\s[A-Z][\w.]+)*|he|she|they)\b"
)
STOP_WORDS = frozenset(
    "a an the of in on at to for from by with and or but is are was were be been being has have had it "
    "its this that these those as into over about after before while which who whom whose there their "
    "they them he she his her we our you your i also said says".split()
)
NEGATIONS = frozenset("not no never n't none nobody nothing neither nor without".split())


def stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


@dataclass(frozen=True)
class _Side:
    """One statement, read once: its words, stems and content stems."""

    text: str
    words: list[str]
    stems: list[str]
    content: list[str]

    @classmethod
    def of(cls, text: str) -> _Side:
        words = [w.lower() for w in _WORD.findall(text)]
        stems = [stem(w) for w in words]
        return cls(text, words, stems, [s for s in stems if s not in STOP_WORDS])


def _grams(tokens: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def _chars(text: str, n: int) -> set[str]:
    low = text.lower()
    return {low[i : i + n] for i in range(len(low) - n + 1)}


def _overlap(a: set, b: set) -> tuple[float, float, float]:
    """The smaller and larger share of each side found in the other, and their F-measure."""
    if not a or not b:
        return 0.0, 0.0, 0.0
    shared = len(a & b)
    p, r = shared / len(a), shared / len(b)
    return min(p, r), max(p, r), (2 * p * r / (p + r) if shared else 0.0)


def _bleu(candidate: Sequence[str], reference: Sequence[str]) -> float:
    """Smoothed sentence BLEU over 1-4-grams: word order as well as word choice."""
    if not candidate or not reference:
        return 0.0
    log_precision = 0.0
    for n in (1, 2, 3, 4):
        grams = [tuple(candidate[i : i + n]) for i in range(len(candidate) - n + 1)]
        counts: dict[tuple[str, ...], int] = {}
        for i in range(len(reference) - n + 1):
            gram = tuple(reference[i : i + n])
            counts[gram] = counts.get(gram, 0) + 1
        matched = 0
        for gram in grams:
            if counts.get(gram, 0) > 0:
                matched += 1
                counts[gram] -= 1
        log_precision += math.log((matched + 1) / (len(grams) + 1))
    brevity = min(1.0, math.exp(1 - len(reference) / len(candidate)))
    return brevity * math.exp(log_precision / 4)


def _fuzzy_cover(words: Sequence[str], others: Sequence[str]) -> float:
    """Share of `words` with an exact or close spelling (ratio >= 80) among `others`."""
    if not words or not others:
        return 0.0
    pool = set(others)
    hits = 0
    for word in words:
        if word in pool or (process.extractOne(word, others, scorer=fuzz.ratio, score_cutoff=80) is not None):
            hits += 1
    return hits / len(words)


def _numbers(text: str) -> set[float]:
    found = set()
    for match in _NUMBER.finditer(text):
        try:
            found.add(float(match.group().replace(",", "")))
        except ValueError:
            continue
    return found


def _names(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)[1:] if w[0].isupper()}


def pair_features(a: str, b: str) -> list[float]:
    """The measures of one pair of statements, in a fixed order (see the module docstring)."""
    x, y = _Side.of(a), _Side.of(b)
    out: list[float] = []
    for n in (1, 2, 3, 4):
        out += _overlap(_grams(x.stems, n), _grams(y.stems, n))
    out += _overlap(set(x.content), set(y.content))
    out += [_overlap(_chars(a, n), _chars(b, n))[2] for n in (2, 3, 4, 5)]
    out += [fuzz.ratio(a, b) / 100, fuzz.partial_ratio(a, b) / 100, fuzz.token_sort_ratio(a, b) / 100,
            fuzz.token_set_ratio(a, b) / 100, fuzz.token_set_ratio(" ".join(x.content), " ".join(y.content)) / 100,
            fuzz.WRatio(a, b) / 100]
    short, long_ = sorted((len(x.words), len(y.words)))
    out += [short / long_ if long_ else 1.0, (long_ - short) / 10, min(len(a), len(b)) / max(len(a), len(b), 1)]

    digits_x = {w for w in x.words if _DIGIT.search(w)}
    digits_y = {w for w in y.words if _DIGIT.search(w)}
    out += [float(digits_x == digits_y), float(bool(digits_x ^ digits_y)),
            len(digits_x ^ digits_y) / (len(digits_x | digits_y) or 1)]
    values_x, values_y = _numbers(a), _numbers(b)
    out += [float(values_x == values_y and bool(values_x)),
            float(bool(values_x) and bool(values_y) and not values_x & values_y), float(len(values_x ^ values_y))]

    names_x, names_y = _names(a), _names(b)
    out += [_overlap(names_x, names_y)[2], len(names_x ^ names_y) / 5]
    out += [float(bool(NEGATIONS & set(x.words)) != bool(NEGATIONS & set(y.words)))]

    out += [LCSseq.normalized_similarity(x.content, y.content),
            Levenshtein.normalized_similarity(x.stems, y.stems),
            Levenshtein.normalized_similarity(x.content, y.content)]
    only_x, only_y = len(set(x.content) - set(y.content)), len(set(y.content) - set(x.content))
    out += [min(only_x, only_y) / 5, max(only_x, only_y) / 5, len(set(x.content) ^ set(y.content)) / 5]
    bleu_xy, bleu_yx = _bleu(x.stems, y.stems), _bleu(y.stems, x.stems)
    out += [min(bleu_xy, bleu_yx), max(bleu_xy, bleu_yx)]
    cover_x, cover_y = _fuzzy_cover(x.content, y.content), _fuzzy_cover(y.content, x.content)
    out += [min(cover_x, cover_y), max(cover_x, cover_y)]

    # The same, once "X said" attributions are taken out: reports quote different people.
    bare_a, bare_b = _ATTRIBUTION.sub(" ", a), _ATTRIBUTION.sub(" ", b)
    bx, by = _Side.of(bare_a), _Side.of(bare_b)
    out += [fuzz.token_set_ratio(bare_a, bare_b) / 100, fuzz.ratio(bare_a, bare_b) / 100,
            fuzz.token_sort_ratio(bare_a, bare_b) / 100]
    out += _overlap(set(bx.content), set(by.content))
    return out


@dataclass(frozen=True)
class Matcher:
    """Standardise the measures, add their pairwise products, standardise again, weigh."""

    mean: np.ndarray
    scale: np.ndarray
    pairs: np.ndarray  # (k, 2) indices into the measures: the product terms, after the linear ones
    mean2: np.ndarray
    scale2: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict) -> Matcher:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"matcher format {data.get('format')!r} is not {MODEL_FORMAT}")
        arrays = {k: np.asarray(data[k], dtype=float) for k in ("mean", "scale", "mean2", "scale2", "coef")}
        return cls(pairs=np.asarray(data["pairs"], dtype=np.int64).reshape(-1, 2), intercept=float(data["intercept"]),
                   threshold=float(data["threshold"]), meta=data.get("meta", {}), **arrays)

    def to_json(self) -> dict:
        return {"format": MODEL_FORMAT, "intercept": self.intercept, "threshold": self.threshold, "meta": self.meta,
                **{k: np.round(getattr(self, k), 6).tolist() for k in ("mean", "scale", "mean2", "scale2", "coef")},
                "pairs": self.pairs.tolist()}

    def expand(self, measures: np.ndarray) -> np.ndarray:
        """The model's inputs: standardised measures, then their pairwise products."""
        # Clipped: pairs unlike any in training (one sentence three times the other's length)
        # must not ride a product term to certainty.
        z = np.clip((measures - self.mean) / self.scale, -CLIP, CLIP)
        return np.hstack([np.ones((len(z), 1)), z, z[:, self.pairs[:, 0]] * z[:, self.pairs[:, 1]]])

    def probabilities_of(self, measures: np.ndarray) -> np.ndarray:
        expanded = (self.expand(np.atleast_2d(measures)) - self.mean2) / self.scale2
        logits = np.clip(expanded @ self.coef + self.intercept, -30, 30)
        return 1.0 / (1.0 + np.exp(-logits))

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """How likely each pair states the same fact, in 0..1."""
        if not pairs:
            return []
        return self.probabilities_of(np.array([pair_features(a, b) for a, b in pairs])).tolist()

    def probability(self, a: str, b: str) -> float:
        return self.probabilities([(a, b)])[0]

    def same(self, a: str, b: str) -> bool:
        return self.probability(a, b) >= self.threshold


def load_matcher(path: str | None = None) -> Matcher:
    return Matcher.from_json(models.read(MODEL_FILE, path))


@cache
def matcher() -> Matcher:
    return load_matcher()
