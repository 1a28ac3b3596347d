"""Do two statements say the same thing? A matcher trained on news sentence pairs.

Each pair is described by 42 lexical measures a reader uses without thinking: how many words,
stems and word runs the two share (both ways), how alike they are as strings (rapidfuzz ratios,
with and without "X said" attributions), whether their numbers agree, whether their names agree,
whether only one is negated, and how their lengths compare. A logistic regression over those
measures and their pairwise products, trained on the Microsoft Research Paraphrase Corpus by
`scripts/train_matcher.py`, turns them into a probability that the two state the same fact; it
ships as `models/matcher.json.gz`.

Every measure is computed for many pairs at once: each statement is read once (`Statements`),
its words coded as characters so that rapidfuzz's `cpdist` compares sets and sequences in C on
all cores. That is what lets the alignment (`workbench.align`) ask this matcher about every
link of a thousand-article case; `workbench match` makes the same call. `measures` is the single
definition of the measures; the trainer fits on what it returns.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import numpy as np

from workbench import arrays, models
from rapidfuzz import fuzz, process
from rapidfuzz.distance import LCSseq, Levenshtein

MODEL_FILE = "matcher.json.gz"
MODEL_FORMAT = 2
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
#: Every attribution `_ATTRIBUTION` takes out has one of these verbs: text without them is left as is.
_SAID = re.compile(r"\b(?:said|says|told|added|reported)\b")
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


_stem = lru_cache(maxsize=1 << 16)(stem)


def _numbers(text: str) -> set[float]:
    found = set()
    for match in _NUMBER.finditer(text):
        try:
            found.add(float(match.group().replace(",", "")))
        except ValueError:
            continue
    return found


#: Codes are characters from the supplementary planes, past the surrogates.
_CODE_BASE, _CODES = 0x10000, 0xF0000


def _texts_of(ids: np.ndarray, owner: np.ndarray, count: int, *, as_set: bool) -> list[str]:
    """Each owner's items as one string of code characters, so that rapidfuzz compares sets and
    sequences of words in C, many pairs at a time. As a set the codes are sorted and unique:
    the longest common subsequence of two such strings is exactly the size of their overlap."""
    codes = ids % _CODES + _CODE_BASE
    if as_set and len(codes):
        keys = arrays.distinct(owner * (_CODE_BASE + _CODES) + codes)  # by owner, then code; each once
        owner, codes = np.divmod(keys, _CODE_BASE + _CODES)
    codes = codes.astype(np.uint32)
    ends = np.cumsum(np.bincount(owner, minlength=count)).tolist()
    joined = codes.tobytes().decode("utf-32-le")
    return [joined[start:end] for start, end in zip([0, *ends[:-1]], ends)]


def _ngrams(ids: np.ndarray, owner: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Ids for the runs of `n` consecutive items within each owner, and their owners."""
    if len(ids) < n:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    run = ids[: len(ids) - n + 1].copy()
    width = int(ids.max()) + 1
    same = np.ones(len(run), dtype=bool)
    for k in range(1, n):
        run = np.unique(run * width + ids[k : len(ids) - n + 1 + k], return_inverse=True)[1].astype(np.int64)
        same &= owner[k : len(owner) - n + 1 + k] == owner[: len(owner) - n + 1]
    return run[same], owner[: len(owner) - n + 1][same]


#: The kinds of coded sets a statement has: stem n-grams, content stems (also without
#: attributions), numbers, and names.
_SETS = ("1", "2", "3", "4", "content", "bare", "digits", "numbers", "names")


@dataclass
class Statements:
    """Many statements read once each, in the forms the measures compare."""

    texts: list[str]
    bare: list[str]  # without "X said" attributions: reports quote different people
    content_text: list[str]
    stems: list[str]  # coded sequences
    content: list[str]
    sets: dict[str, list[str]]  # coded sets, by kind (`_SETS`)
    words: np.ndarray
    chars: np.ndarray
    negated: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> Statements:
        """Only the tokenising is done text by text; coding, n-grams and sets are done for all
        the texts at once, in numpy."""
        items: dict[str, list[object]] = {"stems": [], "bare": [], "digits": [], "numbers": [], "names": []}
        counts: dict[str, list[int]] = {kind: [] for kind in items}
        bare, content_text, negated = [], [], []
        for text in texts:
            written = _WORD.findall(text)
            words = " ".join(written).lower().split(" ") if written else []  # one call, not one a word
            stems = list(map(_stem, words))
            content_stems = [s for s in stems if s not in STOP_WORDS]
            if _SAID.search(text) and (stripped := _ATTRIBUTION.sub(" ", text)) != text:
                bare_stems = [s for s in map(_stem, _WORD.findall(stripped.lower())) if s not in STOP_WORDS]
            else:
                stripped, bare_stems = text, content_stems
            bare.append(stripped)
            content_text.append(" ".join(content_stems))
            negated.append(not NEGATIONS.isdisjoint(words))
            digits = _DIGIT.search(text) is not None
            for kind, found in (
                ("stems", stems),
                ("bare", bare_stems),
                ("digits", [w for w in words if _DIGIT.search(w)] if digits else []),
                ("numbers", list(_numbers(text)) if digits else []),
                ("names", list({w.lower() for w in written[1:] if w[0].isupper()})),
            ):
                items[kind] += found
                counts[kind].append(len(found))
        vocabulary = arrays.Vocabulary()
        ids = {kind: vocabulary.ids(found) for kind, found in items.items()}
        owners = {kind: np.repeat(np.arange(len(texts)), counts[kind]) for kind in items}
        n = len(texts)
        stems_, owner = ids["stems"], owners["stems"]
        content = np.fromiter((s not in STOP_WORDS for s in items["stems"]), dtype=bool, count=len(stems_))
        sets = {kind: _texts_of(ids[kind], owners[kind], n, as_set=True)
                for kind in ("bare", "digits", "numbers", "names")}
        sets["1"] = _texts_of(stems_, owner, n, as_set=True)
        for k in (2, 3, 4):
            sets[str(k)] = _texts_of(*_ngrams(stems_, owner, k), n, as_set=True)
        sets["content"] = _texts_of(stems_[content], owner[content], n, as_set=True)
        return cls(list(texts), bare, content_text, _texts_of(stems_, owner, n, as_set=False),
                   _texts_of(stems_[content], owner[content], n, as_set=False), sets,
                   np.array(counts["stems"], dtype=float), np.array([len(t) for t in texts], dtype=float),
                   np.array(negated, dtype=bool))


def _pairwise(scorer, first: Sequence[str], second: Sequence[str]) -> np.ndarray:  # noqa: ANN001
    return process.cpdist(first, second, scorer=scorer, workers=-1).astype(float)


def measures(statements: Statements, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """The measures of the pairs (statements[first[k]], statements[second[k]]), one row each, in a
    fixed order (see the module docstring)."""
    n = len(first)
    if n == 0:
        return np.zeros((0, N_MEASURES))
    columns: list[np.ndarray] = []

    def pick(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The first and the second statement of every pair (indexed in C, not in a loop)."""
        column = np.empty(len(values), dtype=object)
        column[:] = values
        return column[first], column[second]

    def overlap(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shared items, and each side's count, of one kind of coded set."""
        sets = statements.sets[name]
        sizes = np.fromiter(map(len, sets), dtype=float, count=len(sets))
        return _pairwise(LCSseq.similarity, *pick(sets)), sizes[first], sizes[second]

    def shares(shared: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> list[np.ndarray]:
        """The smaller and larger share of each side found in the other, and their F-measure."""
        p = np.divide(shared, size_a, out=np.zeros(n), where=size_a > 0)
        r = np.divide(shared, size_b, out=np.zeros(n), where=size_b > 0)
        f = np.divide(2 * p * r, p + r, out=np.zeros(n), where=p + r > 0)
        return [np.minimum(p, r), np.maximum(p, r), f]

    for name in ("1", "2", "3", "4", "content"):
        shared, size_a, size_b = overlap(name)
        columns += shares(shared, size_a, size_b)
    a, b = pick(statements.texts)
    columns += [_pairwise(fuzz.ratio, a, b) / 100, _pairwise(fuzz.token_set_ratio, a, b) / 100]
    columns.append(_pairwise(fuzz.token_set_ratio, *pick(statements.content_text)) / 100)
    words_a, words_b = statements.words[first], statements.words[second]
    short, long_ = np.minimum(words_a, words_b), np.maximum(words_a, words_b)
    chars_a, chars_b = statements.chars[first], statements.chars[second]
    columns += [np.divide(short, long_, out=np.ones(n), where=long_ > 0), (long_ - short) / 10,
                np.minimum(chars_a, chars_b) / np.maximum(np.maximum(chars_a, chars_b), 1)]
    shared, size_a, size_b = overlap("digits")
    differ = size_a + size_b - 2 * shared
    columns += [differ == 0, differ > 0, differ / np.maximum(size_a + size_b - shared, 1)]
    shared, size_a, size_b = overlap("numbers")
    differ = size_a + size_b - 2 * shared
    columns += [(differ == 0) & (size_a > 0), (size_a > 0) & (size_b > 0) & (shared == 0), differ]
    shared, size_a, size_b = overlap("names")
    columns += [shares(shared, size_a, size_b)[2], (size_a + size_b - 2 * shared) / 5]
    columns.append(statements.negated[first] != statements.negated[second])
    columns += [_pairwise(LCSseq.normalized_similarity, *pick(statements.content)),
                _pairwise(Levenshtein.normalized_similarity, *pick(statements.stems)),
                _pairwise(Levenshtein.normalized_similarity, *pick(statements.content))]
    shared, size_a, size_b = overlap("content")
    only_a, only_b = size_a - shared, size_b - shared
    columns += [np.minimum(only_a, only_b) / 5, np.maximum(only_a, only_b) / 5, (only_a + only_b) / 5]
    a, b = pick(statements.bare)
    columns += [_pairwise(scorer, a, b) / 100 for scorer in (fuzz.token_set_ratio, fuzz.ratio, fuzz.token_sort_ratio)]
    columns += shares(*overlap("bare"))
    return np.column_stack([np.asarray(c, dtype=float) for c in columns])


#: Pairs whose features are made at a time (see `features`).
FEATURE_BATCH = 16_384
#: How many measures `measures` returns per pair.
N_MEASURES = 42


def pair_features(a: str, b: str) -> np.ndarray:
    """The measures of one pair: `measures` for a single pair (for tests and the curious)."""
    return measures(Statements.of([a, b]), np.array([0]), np.array([1]))[0]


@dataclass(frozen=True)
class Network:
    """A small multilayer perceptron: standardised inputs, held within `CLIP` deviations (a
    pair unlike any in training must not ride one input to certainty), ReLU layers, and one
    linear output read as the probability that two statements state the same fact."""

    mean: np.ndarray
    scale: np.ndarray
    layers: tuple[tuple[np.ndarray, np.ndarray], ...]

    @classmethod
    def from_json(cls, data: dict) -> Network:
        # float32: a hundred thousand links go through three networks in half the time of float64
        return cls(np.asarray(data["mean"], dtype=np.float32), np.asarray(data["scale"], dtype=np.float32),
                   tuple((np.asarray(w, dtype=np.float32), np.asarray(b, dtype=np.float32)) for w, b in data["layers"]))

    def to_json(self) -> dict:
        return {"mean": np.round(self.mean, 7).tolist(), "scale": np.round(self.scale, 7).tolist(),
                "layers": [[np.round(w, 7).tolist(), np.round(b, 7).tolist()] for w, b in self.layers]}

    def __call__(self, inputs: np.ndarray) -> np.ndarray:
        z = np.clip((inputs.astype(np.float32) - self.mean) / self.scale, -CLIP, CLIP)
        for weights, bias in self.layers[:-1]:
            z = np.maximum(z @ weights + bias, 0.0)
        weights, bias = self.layers[-1]
        return (z @ weights + bias)[:, 0].astype(np.float64)


@dataclass(frozen=True)
class Matcher:
    """How likely two statements state the same fact, from what it reads of the pair: the
    lexical `measures`, and the cosine of the two statements' vectors of each tier it names in
    `inputs` ("static": `workbench.vectors`, read at import; "dense": `workbench.encoder`).
    Several networks, trained from different starts, are averaged."""

    inputs: tuple[str, ...]
    networks: tuple[Network, ...]
    threshold: float
    meta: dict = field(default_factory=dict)
    #: How alike in meaning, 0..1, fitted on graded similarity alone: one score cannot both rank
    #: graded pairs well and decide "the same fact" across paraphrase sets (see train_matcher).
    similarity: Network | None = None

    @classmethod
    def from_json(cls, data: dict) -> Matcher:
        unknown = set(data["inputs"]) - set(INPUTS)
        if unknown:
            raise ValueError(f"matcher inputs {sorted(unknown)} are not known")
        similarity = Network.from_json(data["similarity"]) if data.get("similarity") else None
        return cls(tuple(data["inputs"]), tuple(Network.from_json(n) for n in data["networks"]),
                   float(data["threshold"]), data.get("meta", {}), similarity)

    def to_json(self) -> dict:
        return {"inputs": list(self.inputs), "threshold": self.threshold, "meta": self.meta,
                "networks": [n.to_json() for n in self.networks],
                "similarity": self.similarity.to_json() if self.similarity else None}

    def similarities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """How alike in meaning each pair is, 0..1 (the probability where no similarity head)."""
        if not pairs:
            return []
        texts, first, second = indexed(pairs)
        inputs = features(Statements.of(texts), first, second, self.inputs, vectors_of(texts, self.inputs))
        if self.similarity is None:
            return self.probabilities_of(inputs).tolist()
        return np.clip(self.similarity(inputs), 0.0, 1.0).tolist()

    def probabilities_of(self, features: np.ndarray) -> np.ndarray:
        """The probability of each row of `features` (see `features`), in 0..1."""
        features = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if not len(features):
            return np.zeros(0)
        return np.clip(np.mean([network(features) for network in self.networks], axis=0), 0.0, 1.0)

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        """How likely each pair states the same fact, in 0..1; vectors are made as needed."""
        if not pairs:
            return []
        return self.among(*indexed(pairs)).tolist()

    def among(self, texts: Sequence[str], first: np.ndarray, second: np.ndarray,
              vectors: dict[str, np.ndarray] | None = None) -> np.ndarray:
        """The probability of each pair (texts[first[k]], texts[second[k]]): each text read
        once however many pairs it is in. `vectors` are the texts' vectors by tier, where the
        caller has them (stored at import); the tiers missing are made here."""
        known = dict(vectors or {})
        wanted = [tier for tier in self.inputs if tier != "lexical" and tier not in known]
        known.update(vectors_of(texts, wanted))
        return self.probabilities_of(features(Statements.of(texts), first, second, self.inputs, known))

    def probability(self, a: str, b: str) -> float:
        return self.probabilities([(a, b)])[0]

    def same(self, a: str, b: str) -> bool:
        return self.probability(a, b) >= self.threshold


def indexed(pairs: Sequence[tuple[str, str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The distinct texts of `pairs`, and each pair as two indices into them: a text in many
    pairs is read once."""
    index: dict[str, int] = {}
    first = np.array([index.setdefault(a, len(index)) for a, _ in pairs], dtype=np.int64)
    second = np.array([index.setdefault(b, len(index)) for _, b in pairs], dtype=np.int64)
    return list(index), first, second


#: What a matcher can read of a pair: the lexical measures, and each vector tier's cosine.
INPUTS = ("lexical", "static", "dense")


def vectors_of(texts: Sequence[str], inputs: Sequence[str]) -> dict[str, np.ndarray]:
    """The vectors of `texts` for each tier among `inputs`, unit length, a row per text."""
    found: dict[str, np.ndarray] = {}
    if "static" in inputs:
        from workbench import vectors

        found["static"] = vectors.embed(texts)
    if "dense" in inputs:
        from workbench import encoder

        found["dense"] = encoder.shipped().encode(texts)
    return found


def features(statements: Statements, first: np.ndarray, second: np.ndarray, inputs: Sequence[str],
             vectors: dict[str, np.ndarray]) -> np.ndarray:
    """A matcher's inputs for the pairs (first[k], second[k]): the lexical measures, then for
    each vector tier in `inputs` the cosine of the two rows of `vectors[tier]` (unit vectors, a
    row per statement, in `statements`' order). Made `FEATURE_BATCH` pairs at a time: rapidfuzz
    holds both sides of every pair it compares, and 190,000 pairs at once took 600 MB."""
    if len(first) > FEATURE_BATCH:
        return np.concatenate([features(statements, first[k : k + FEATURE_BATCH], second[k : k + FEATURE_BATCH],
                                        inputs, vectors) for k in range(0, len(first), FEATURE_BATCH)])
    if not len(first):
        return np.zeros((0, (N_MEASURES if "lexical" in inputs else 0) + sum(t != "lexical" for t in inputs)))
    columns = [measures(statements, first, second)] if "lexical" in inputs else []
    for tier in inputs:
        if tier != "lexical":
            table = vectors[tier]
            columns.append(np.einsum("ij,ij->i", table[first], table[second])[:, None].astype(np.float64))
    return np.hstack(columns) if columns else np.zeros((len(first), 0))


#: The matchers the model file holds: "cheap" reads what import computes (the measures, the
#: static vectors); "full" adds the dense vectors the costly tier makes.
TIERS = ("cheap", "full")


def load_matcher(tier: str = "cheap", path: str | None = None) -> Matcher:
    data = models.read(MODEL_FILE, path)
    if data.get("format") != MODEL_FORMAT:
        raise ValueError(f"matcher format {data.get('format')!r} is not {MODEL_FORMAT}")
    matchers = data["matchers"]
    # a model file made before the costly tier was trained holds only the cheap matcher
    return Matcher.from_json(matchers[tier] if tier in matchers else matchers["cheap"])


@cache
def matcher(tier: str = "cheap") -> Matcher:
    return load_matcher(tier)
