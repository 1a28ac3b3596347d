"""Check-worthiness: how much a sentence deserves a fact-checker's time, from 0 to 1.

A logistic model over word unigrams and bigrams (numbers folded into `<num>`, `<pct>`,
`<year>`, `<money>`, `<designator>`), word classes (attribution, event, cause, hedge, comparison,
negation, rule, person, date), the first word, the length and the count of capitalised words.
It is trained by `scripts/train_checkworthy.py` on the ClaimBuster and CheckThat! 2019 debate
sentences and shipped as `models/checkworthy.json.gz`: the weights of the features that kept a
weight, nothing else. Scoring a batch is one regular-expression pass, one dictionary lookup per
token and a few numpy array operations, so it keeps far ahead of an import
(`scripts/evaluate_checkworthy.py --validate` prints its throughput).

`features()` is the single definition of the features: the trainer fits on exactly what the
runtime scores.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from workbench import models

MODEL_FILE = "checkworthy.json.gz"
MODEL_FORMAT = 1

#: The separator between sentences in a batch; it never occurs inside one (see `_clean`).
_SEP = "\x00"
_TOKEN = re.compile(
    r"[a-z]+(?:-\d+[a-z]*|(?:['’][a-z]+)+)?"  # words; KC-135, F-15E are names, not amounts
    r"|\d[\d,.]*\d%?|\d%?|[$?!\"“”\x00]"
)
_DESIGNATOR = re.compile(r"[a-z]+-\d")
#: A capitalised word: a capital at the start or after a space or an opening quote or bracket.
_OPENERS = " \t\n\r\"“‘([\x00"
_CAPITAL = re.compile(r"(?<![^ \t\n\r\"“‘(\[\x00])[A-Z]")
_QUOTES = {"“": '"', "”": '"'}

#: Word classes a fact-checker reads for, beyond the words themselves: a class feature lets
#: the model carry what it learned about "crashed" in debates over to "collided" in the news.
_CLASS_WORDS = {
    "<say>": "says said say tell told tells reported reports reporting announced announces confirmed "
    "confirms stated states posted wrote writes claimed claims according added warned estimated "
    "estimates insisted denied denies acknowledged indicates indicated determined found shows showed",
    "<event>": "crash crashed crashes killed died dead injured wounded attacked attack struck strike strikes "
    "fired launched landed exploded collapsed occurred happened released deployed destroyed lost arrested "
    "conducted began begun started ended signed elected resigned invaded captured evacuated rescued "
    "ejected shot collided sank burned flooded",
    "<cause>": "because caused causes causing cause due result resulted blamed responsible unrelated "
    "linked attributed thanks owing",
    "<hedge>": "will would could might may likely unlikely expected forecast predict predicts suggest "
    "suggests potentially possibly probably perhaps appears seems plans",
    "<compare>": "more less fewer greater higher lower larger smaller bigger older newer faster cheaper worse "
    "better most least largest biggest highest lowest oldest newest record doubled tripled halved "
    "increased decreased rose fell grew dropped declined climbed",
    "<negation>": "not no never neither nor n't don't didn't doesn't isn't wasn't weren't won't can't",
    "<rule>": "law laws legal illegal unlawful rule rules regulation regulations banned ban prohibited "
    "treaty constitution statute policy",
    "<first>": "i i'm i've i'll we we're we've our my me us",
    "<second>": "you your you're",
    "<numword>": "one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
    "sixty seventy eighty ninety hundred hundreds thousand thousands million millions billion billions "
    "trillion dozen dozens half third quarter",
    "<date>": "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sept sep oct nov dec monday tuesday wednesday thursday friday "
    "saturday sunday yesterday today tonight",
}
CLASSES: dict[str, str] = {w: c for c, words in _CLASS_WORDS.items() for w in words.split()}


def _fold_token(token: str) -> str:
    """One spelling per token class: numbers by what they are, curly quotes straightened."""
    first = token[0]
    if "0" <= first <= "9":
        if token[-1] == "%":
            return "<pct>"
        if len(token) == 4 and token[:2] in ("19", "20"):
            return "<year>"
        return "<num>"
    if first == "$":
        return "<money>"
    if token in _QUOTES:
        return _QUOTES[token]
    if "-" in token and _DESIGNATOR.match(token):
        return "<designator>"
    return token.replace("’", "'") if "’" in token else token


#: Sentences scored at a time (see `_Compiled.totals`): a hundred news articles' worth, as
#: quick a sentence as any larger batch, with its working arrays a few tens of megabytes.
SCORE_BATCH = 4096

_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 200_000


def _fold(token: str) -> str:
    """`_fold_token` through a bounded memo: most tokens are common words seen before."""
    folded = _FOLDED.get(token)
    if folded is None:
        folded = _fold_token(token)
        if len(_FOLDED) < _FOLDED_MAX:
            _FOLDED[token] = folded
    return folded


def _clean(sentence: str) -> str:
    return sentence.replace(_SEP, " ") if _SEP in sentence else sentence


def tokens(sentence: str) -> list[str]:
    folded = _FOLDED.get
    return [folded(t) or _fold(t) for t in _TOKEN.findall(_clean(sentence).lower())]


def capitals(sentence: str) -> int:
    """How many words start with a capital letter (names, acronyms, the first word)."""
    return len(_CAPITAL.findall(_clean(sentence)))


def features(sentence: str) -> list[str]:
    """The model's features of one sentence, as strings, repeated as often as they occur.

    The trainer counts these and the runtime sums their weights, so both see the same thing.
    """
    toks = tokens(sentence)
    out = ["^" + (toks[0] if toks else ""), f"<len{min(len(toks) // 5, 8)}>",
           f"<caps{min(capitals(sentence) - 1, 4)}>"]
    out += toks
    out += [a + " " + b for a, b in zip(toks, toks[1:])]
    classes = CLASSES.get
    out += [c for c in map(classes, toks) if c]
    return out


@dataclass(frozen=True)
class Model:
    """A trained scorer: a bias, one weight per feature, and the shipped threshold."""

    bias: float
    weights: dict[str, float]
    threshold: float
    meta: dict = field(default_factory=dict)
    _fast: _Compiled = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fast", _Compiled(self.weights))

    @classmethod
    def from_json(cls, data: dict) -> Model:
        if data.get("format") != MODEL_FORMAT:
            raise ValueError(f"check-worthiness model format {data.get('format')!r} is not {MODEL_FORMAT}")
        return cls(float(data["bias"]), {k: float(v) for k, v in data["weights"].items()},
                   float(data["threshold"]), data.get("meta", {}))

    def to_json(self) -> dict:
        return {"format": MODEL_FORMAT, "bias": self.bias, "threshold": self.threshold, "meta": self.meta,
                "weights": self.weights}

    def score(self, sentence: str) -> float:
        """Check-worthiness of one sentence in [0, 1]: the sum of its `features()` weights."""
        return self.score_many([sentence])[0]

    def score_features(self, sentence: str) -> float:
        """The slow reference: exactly what the trainer fitted (`score` must agree with it)."""
        return _sigmoid(self.bias + sum(self.weights.get(f, 0.0) for f in features(sentence)))

    def score_many(self, sentences: Sequence[str]) -> list[float]:
        """Scores for a batch of sentences, in order; much faster per sentence than `score`."""
        if not sentences:
            return []
        totals = self._fast.totals([_clean(s) for s in sentences]) + self.bias
        return (1.0 / (1.0 + np.exp(-np.clip(totals, -30.0, 30.0)))).tolist()


class _Compiled:
    """The weights laid out for batches: every known word has an integer id, a word's weight
    already includes its class's, bigrams are a sorted array of id pairs, and a batch is
    scored with one regex pass, one dictionary lookup per token and a few array operations."""

    def __init__(self, weights: dict[str, float]) -> None:
        plain = ("^", "<len", "<caps")
        words = {f for f in weights if " " not in f and not f.startswith(plain)}
        words |= {w for f in weights if " " in f for w in f.split(" ")}
        words |= {f[1:] for f in weights if f.startswith("^") and f != "^"}
        words |= {w for w, c in CLASSES.items() if c in weights}
        ordered = sorted(words)
        self.ids: dict[str, int] = {w: i for i, w in enumerate(ordered)}
        self.unknown = len(ordered)
        self.separator = len(ordered) + 1
        self.width = len(ordered) + 2
        self.unigram = np.array(
            [weights.get(w, 0.0) + weights.get(CLASSES.get(w, ""), 0.0) for w in ordered] + [0.0, 0.0]
        )
        self.first = np.array([weights.get("^" + w, 0.0) for w in ordered] + [0.0, 0.0])
        self.first_of_nothing = weights.get("^", 0.0)
        pairs = sorted(
            (self.ids[a] * self.width + self.ids[b], w)
            for f, w in weights.items() if " " in f for a, b in [f.split(" ")]
        )
        self.pair_keys = np.array([k for k, _ in pairs] or [-1], dtype=np.int64)
        self.pair_weights = np.array([w for _, w in pairs] or [0.0])
        self.length = np.array([weights.get(f"<len{n}>", 0.0) for n in range(9)])
        self.capital = np.array([weights.get(f"<caps{n}>", 0.0) for n in range(-1, 5)])
        self.opener = np.zeros(1 << 16, dtype=bool)  # by code point; none lies beyond the BMP
        self.opener[[ord(c) for c in _OPENERS]] = True
        # raw token -> id; a known word is its own raw form (folding only rewrites numbers,
        # designators and quote marks, which never appear in the vocabulary unfolded)
        self.raw: dict[str, int] = {**self.ids, _SEP: self.separator}

    def _id(self, raw: str) -> int:
        found = self.ids.get(_fold(raw), self.unknown)
        if len(self.raw) < len(self.ids) + _FOLDED_MAX:
            self.raw[raw] = found
        return found

    def totals(self, sentences: list[str]) -> np.ndarray:
        """Each sentence's summed feature weights (without the bias), `SCORE_BATCH` sentences
        at a time: a batch's token lists and arrays take about 7 KB a sentence, so a 20 MB
        article scored at once held a gigabyte. The running sum is carried from one batch to
        the next, so every total is the very float one batch of them all would give."""
        parts, carry = [], 0.0
        for first in range(0, len(sentences), SCORE_BATCH):
            part, carry = self._totals(sentences[first : first + SCORE_BATCH], carry)
            parts.append(part)
        return parts[0] if len(parts) == 1 else np.concatenate(parts or [np.empty(0)])

    def _totals(self, sentences: list[str], carry: float) -> tuple[np.ndarray, float]:
        """`totals` of one batch, whose running sum of token weights starts at `carry`; and
        where that sum ends."""
        text = _SEP.join(sentences) + _SEP
        raw = _TOKEN.findall(text.lower())
        ids = list(map(self.raw.get, raw))
        if None in ids:
            for index, value in enumerate(ids):
                if value is None:
                    ids[index] = self._id(raw[index])
        token = np.array(ids, dtype=np.int64)
        ends = np.flatnonzero(token == self.separator)  # one per sentence, in order
        starts = np.concatenate(([0], ends[:-1] + 1))
        lengths = ends - starts

        keys = token[:-1] * self.width + token[1:]
        at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
        pair = np.where(self.pair_keys[at] == keys, self.pair_weights[at], 0.0)
        per_token = self.unigram[token]
        per_token[:-1] += pair  # a pair counts with its first token; pairs with the separator weigh 0
        # a sum from the start of the first batch, in the same order of additions
        running = np.cumsum(np.concatenate(([carry], per_token)))
        total = running[ends] - running[starts]

        total += np.where(lengths > 0, self.first[token[np.minimum(starts, len(token) - 1)]], self.first_of_nothing)
        total += self.length[np.minimum(lengths // 5, 8)]
        total += self.capital[np.minimum(self._capitals(text, len(sentences)), 5)]
        return total, float(running[-1])

    def _capitals(self, text: str, count: int) -> np.ndarray:
        """`capitals()` of every sentence of the batch, from the joined text's code points."""
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        before = np.concatenate(([0], points[:-1]))  # the text starts as if after a separator
        capital = (points >= 65) & (points <= 90) & self.opener[np.minimum(before, 0xFFFF)]
        sentence = np.cumsum(points == 0) - (points == 0)
        return np.bincount(sentence[capital], minlength=count)[:count]


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


def load_model(path: str | None = None) -> Model:
    """The shipped model, or one written by the trainer at `path`."""
    return Model.from_json(models.read(MODEL_FILE, path))


@cache
def model() -> Model:
    return load_model()


def threshold() -> float:
    return model().threshold


def score(sentence: str) -> float:
    """Check-worthiness of one sentence in [0, 1], with the shipped model."""
    return model().score(sentence)
