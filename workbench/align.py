"""Lining up claims across articles: which claims in other reports state the same fact.

Claims are reduced to their content words (stop words dropped, a light stemmer, "went"/"gone"
folded to "go", "U.S." to "us"), then compared with rapidfuzz: `token_set_ratio` credits a claim
that is contained in a longer one, `token_sort_ratio` keeps two long claims that only share a
few words apart. The blend, in 0..1, is the link's score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from workbench.model import Link

THRESHOLD = 0.55
MAX_LINKS_PER_CLAIM = 3
#: A sentence this close to a claim in another article is a claim too (see `corroborated`).
CORROBORATION = 0.70

STOP_WORDS = frozenset(
    """a an the of in on at to for from by with and or but is are was were be been being has
    have had it its this that these those as into over about after before while which who whom
    whose there their they them he she his her we our you your i also some any all more most
    than then so such very just only one says said say according""".split()
)
_IRREGULAR = {
    "went": "go", "gone": "go", "goes": "go", "took": "take", "taken": "take", "flew": "fly",
    "flown": "fly", "shot": "shoot", "fell": "fall", "fallen": "fall", "u.s.": "us",
    "american": "us", "americans": "us", "refuelling": "refuel", "refueling": "refuel",
}
_TOKEN = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*\.?")


@dataclass(frozen=True, slots=True)
class ClaimText:
    """The little the aligner needs to know about a claim."""

    id: int
    article_id: int
    text: str


def normalise(text: str) -> str:
    """Content words of a claim, stemmed, in order: what two wordings of one fact share."""
    words = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        token = _IRREGULAR.get(token, token).rstrip(".")
        token = _IRREGULAR.get(token, token)
        if token and token not in STOP_WORDS:
            words.append(_stem(token))
    return " ".join(words)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def similarity(a: str, b: str) -> float:
    """How close two claims' wordings are, 0..1 (the same measure the aligner uses)."""
    na, nb = normalise(a), normalise(b)
    return _blend(fuzz.token_set_ratio(na, nb), fuzz.token_sort_ratio(na, nb))


def _blend(token_set: float, token_sort: float) -> float:
    return round((0.6 * token_set + 0.4 * token_sort) / 100.0, 3)


def score_matrix(queries: Sequence[ClaimText], choices: Sequence[ClaimText]) -> np.ndarray:
    """`similarity` of every query against every choice, computed in bulk."""
    a = [normalise(c.text) for c in queries]
    b = [normalise(c.text) for c in choices]
    token_set = process.cdist(a, b, scorer=fuzz.token_set_ratio, workers=-1)
    token_sort = process.cdist(a, b, scorer=fuzz.token_sort_ratio, workers=-1)
    return np.round((0.6 * token_set + 0.4 * token_sort) / 100.0, 3)


def corroborated(
    sentences: Sequence[ClaimText], claims: Sequence[ClaimText], *, threshold: float = CORROBORATION
) -> list[int]:
    """Sentences that state the same fact as a claim in another article.

    The check-worthiness model reads one sentence at a time; a sentence it passed over is worth
    checking after all when another report makes the same statement a claim.
    """
    if not sentences or not claims:
        return []
    scores = score_matrix(sentences, claims)
    claim_articles = np.array([c.article_id for c in claims])
    found = []
    for i, sentence in enumerate(sentences):
        row = np.where(claim_articles == sentence.article_id, 0.0, scores[i])
        if row.max() >= threshold:
            found.append(sentence.id)
    return found


def link_claims(
    new: Sequence[ClaimText],
    others: Sequence[ClaimText],
    *,
    threshold: float = THRESHOLD,
    per_claim: int = MAX_LINKS_PER_CLAIM,
) -> list[Link]:
    """Links from each claim in `new` to its best matches among `new` and `others` that sit in
    a different article, at most `per_claim` per claim and other article."""
    pool = list(new) + [c for c in others if c.id not in {n.id for n in new}]
    if not new or len(pool) < 2:
        return []
    scores = score_matrix(new, pool)
    pool_articles = np.array([c.article_id for c in pool])
    links: dict[tuple[int, int], Link] = {}
    for i, claim in enumerate(new):
        row = np.where(pool_articles == claim.article_id, 0.0, scores[i])
        for j in np.flatnonzero(row >= threshold):
            other = pool[j]
            same_article = [k for k in np.flatnonzero(pool_articles == other.article_id)]
            rank = int((row[same_article] > row[j]).sum())
            if rank >= per_claim:
                continue
            key = (min(claim.id, other.id), max(claim.id, other.id))
            score = round(float(row[j]), 3)
            if key not in links or links[key].score < score:
                links[key] = Link(key[0], key[1], score)
    return sorted(links.values(), key=lambda l: (l.claim_a, l.claim_b))
