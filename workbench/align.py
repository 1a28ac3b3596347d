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

from workbench import extract
from workbench.model import CONFLICTS, CORROBORATES, Link

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
                first, second = (claim, other) if claim.id == key[0] else (other, claim)
                relation, reason = compare(first.text, second.text)
                links[key] = Link(key[0], key[1], score, relation, reason)
    return sorted(links.values(), key=lambda l: (l.claim_a, l.claim_b))


def groups(links: Sequence[Link]) -> list[list[int]]:
    """Claims joined by links, as groups (connected components), largest first, ids sorted."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[root(link.claim_a)] = root(link.claim_b)
    members: dict[int, list[int]] = {}
    for claim_id in parent:
        members.setdefault(root(claim_id), []).append(claim_id)
    return sorted((sorted(m) for m in members.values()), key=lambda m: (-len(m), m[0]))


# -- agreement and conflict -------------------------------------------------------------------

_WORD_VALUES = {
    **{w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split())},
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "a": 1, "an": 1, "single": 1, "both": 2, "pair": 2,
}
_QUALIFIERS = ("at least", "at most", "about", "around", "roughly", "nearly", "almost", "more than", "less than",
               "fewer than", "over", "under", "some", "up to", "approximately", "hundreds", "thousands", "dozens")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2})[a-z]*\.?|\b([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2})\b")
_PLACE = re.compile(
    r"\b(?:in|over|near|at|from|into)\s+(?:the\s+)?(?:(?:north|south|east|west)(?:ern)?\s+|central\s+)?"
    r"([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
)
_NEGATION = re.compile(r"\b(?:not|no|never|neither|nor|denied|denies)\b|n[’']t\b", re.IGNORECASE)


def _quantities(text: str) -> dict[str, tuple[float, str]]:
    """Exact counts by what they count: {"aircraft": (2, "Two aircraft")}. Hedged amounts
    ("at least 20", "about 400") are left out: they cannot contradict an exact one."""
    found: dict[str, tuple[float, str]] = {}
    for phrase in extract.numbers(text):
        words = phrase.split()
        if len(words) < 2 or phrase.lower().startswith(_QUALIFIERS):
            continue
        first = words[0].lower().replace(",", "")
        try:
            value = float(first)
        except ValueError:
            if first not in _WORD_VALUES:
                continue
            value = float(_WORD_VALUES[first])
        head = re.sub(r"(?:['’]s|s)$", "", words[-1].lower().strip(".,;:”\"’"))
        found.setdefault(head, (value, phrase))
    return found


def _days(text: str) -> set[tuple[str, int]]:
    days = set()
    for match in _DAY_MONTH.finditer(text):
        day, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        if month.lower() in _MONTHS:
            days.add((month.lower(), int(day)))
    return days


def _places(text: str) -> set[str]:
    return {m.group(1) for m in _PLACE.finditer(text)
            if m.group(1).lower()[:3] not in _MONTHS and m.group(1).lower() not in _WEEKDAYS
            and not m.group(1).startswith(("The ", "Operation"))}


def compare(a: str, b: str) -> tuple[str, str]:
    """Whether two statements of one fact agree, or conflict and where: a count of the same
    thing ("two aircraft" vs "three aircraft"), a weekday or date, a place, or a negation
    present in only one of them."""
    reasons = []
    qa, qb = _quantities(a), _quantities(b)
    for head in qa.keys() & qb.keys():
        if qa[head][0] != qb[head][0]:
            reasons.append(f"“{qa[head][1]}” vs “{qb[head][1]}”")
    wa = {w for w in _WEEKDAYS if re.search(rf"\b{w}\b", a, re.IGNORECASE)}
    wb = {w for w in _WEEKDAYS if re.search(rf"\b{w}\b", b, re.IGNORECASE)}
    if wa and wb and not wa & wb:
        reasons.append(f"“{'/'.join(sorted(w.title() for w in wa))}” vs “{'/'.join(sorted(w.title() for w in wb))}”")
    da, db = _days(a), _days(b)
    if da and db and not da & db:
        show = lambda days: ", ".join(f"{d} {m.title()}" for m, d in sorted(days))  # noqa: E731
        reasons.append(f"“{show(da)}” vs “{show(db)}”")
    pa, pb = _places(a), _places(b)
    if pa and pb and not pa & pb and not any(x in y or y in x for x in pa for y in pb):
        reasons.append(f"“{', '.join(sorted(pa))}” vs “{', '.join(sorted(pb))}”")
    na, nb = bool(_NEGATION.search(a)), bool(_NEGATION.search(b))
    if na != nb:
        said = _NEGATION.search(a if na else b).group()  # type: ignore[union-attr]
        reasons.append(f"“{said}” in only one")
    return (CONFLICTS, "; ".join(reasons)) if reasons else (CORROBORATES, "")
