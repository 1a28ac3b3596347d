"""Lining up claims across articles: which claims in other reports state the same fact.

Two steps. Finding: claims are reduced to their content words (stop words dropped, a light
stemmer, "went"/"gone" folded to "go", "U.S." to "us") and compared with rapidfuzz, only pairs
that share rarer words (`candidate_pairs`) on a large case: `token_set_ratio` credits a claim
contained in a longer one, `token_sort_ratio` keeps two long claims that share a few words apart.
Pairs whose blend passes `THRESHOLD` are about the same thing. Deciding: each such pair is a
`conflicts` link when the two differ in a count, date, place or negation, else the matcher
(`workbench.match`, the one `workbench match` runs) calls it `corroborates` or `related`; its
probability is the link's score.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
from rapidfuzz import fuzz, process

from workbench import arrays, extract, match
from workbench.model import CONFLICTS, CORROBORATES, RELATED, Link

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
    #: The quantities claim finding found in it (`extract.numbers`), when it has run already.
    numbers: tuple[str, ...] | None = None


def normalise(text: str) -> str:
    """Content words of a claim, stemmed, in order: what two wordings of one fact share."""
    return " ".join(filter(None, map(_content_word, _TOKEN.findall(text.lower().replace("’", "'")))))


@lru_cache(maxsize=1 << 17)
def _content_word(token: str) -> str:
    """A token's stemmed form, or "" for a stop word (the same word recurs across a case)."""
    token = _IRREGULAR.get(token, token).rstrip(".")
    token = _IRREGULAR.get(token, token)
    return _stem(token) if token and token not in STOP_WORDS else ""


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def similarity(a: str, b: str) -> float:
    """How close two claims' wordings are, 0..1 (the same measure the aligner uses)."""
    return float(_blend(process.cpdist, [normalise(a)], [normalise(b)])[0])


def _blend(pairing, a: Sequence[str], b: Sequence[str]) -> np.ndarray:  # noqa: ANN001 - cdist or cpdist
    """The alignment score of normalised texts: `pairing` is `process.cdist` (every a with every
    b) or `process.cpdist` (a[i] with b[i])."""
    token_set = pairing(a, b, scorer=fuzz.token_set_ratio, workers=-1)
    token_sort = pairing(a, b, scorer=fuzz.token_sort_ratio, workers=-1)
    return np.round((0.6 * token_set + 0.4 * token_sort) / 100.0, 3)


def score_matrix(queries: Sequence[ClaimText], choices: Sequence[ClaimText]) -> np.ndarray:
    """`similarity` of every query against every choice, computed in bulk."""
    return _blend(process.cdist, [normalise(c.text) for c in queries], [normalise(c.text) for c in choices])


def corroborated(
    sentences: Sequence[ClaimText], claims: Sequence[ClaimText], *, threshold: float = CORROBORATION
) -> list[int]:
    """Sentences that state the same fact as a claim in another article.

    The check-worthiness model reads one sentence at a time; a sentence it passed over is worth
    checking after all when another report makes the same statement a claim.
    """
    if not sentences or not claims:
        return []
    if len(sentences) * len(claims) <= EXACT_PAIRS:
        scores = score_matrix(sentences, claims)
        claim_articles = np.array([c.article_id for c in claims])
        found = []
        for i, sentence in enumerate(sentences):
            row = np.where(claim_articles == sentence.article_id, 0.0, scores[i])
            if row.max() >= threshold:
                found.append(sentence.id)
        return found
    # A large case: only pairs that share rarer words are scored, as `link_claims` does.
    pool = list(sentences) + list(claims)
    texts = [normalise(c.text) for c in pool]
    articles = np.array([c.article_id for c in pool])
    query, choice = candidate_pairs(texts[: len(sentences)], texts, articles)
    keep = choice >= len(sentences)  # a sentence against a claim, not against another sentence
    query, choice = query[keep], choice[keep]
    if not len(query):
        return []
    scores = _blend(process.cpdist, [texts[i] for i in query], [texts[j] for j in choice])
    hits = arrays.distinct(query[scores >= threshold])
    return [sentences[i].id for i in hits.tolist()]


def link_claims(
    new: Sequence[ClaimText],
    others: Sequence[ClaimText],
    *,
    threshold: float = THRESHOLD,
    per_claim: int = MAX_LINKS_PER_CLAIM,
    blocked: bool | None = None,
) -> list[Link]:
    """Links from each claim in `new` to its best matches among `new` and `others` that sit in
    a different article, at most `per_claim` per claim and other article.

    With `blocked`, only pairs that share one of their rarer words are scored (see
    `candidate_pairs`); without it every pair is, which is exact and quadratic. By default a
    case is blocked only when all pairs would be more than `EXACT_PAIRS`.
    """
    new_ids = {n.id for n in new}
    pool = list(new) + [c for c in others if c.id not in new_ids]
    if not new or len(pool) < 2:
        return []
    if blocked is None:
        blocked = len(new) * len(pool) > EXACT_PAIRS
    texts = [normalise(c.text) for c in pool]
    words = _Words.of(texts)
    articles = np.array([c.article_id for c in pool])
    if blocked:
        query, choice = candidate_pairs(texts[: len(new)], texts, articles, words)
    else:
        query, choice = np.divmod(np.arange(len(new) * len(pool), dtype=np.int64), len(pool))
        keep = articles[query] != articles[choice]
        query, choice = query[keep], choice[keep]
    if not len(query):
        return []
    # Pairs must share enough of what is rare ("aircraft" and "Iraq" alone do not make one
    # fact) and read alike; the cover, computed in numpy, is tested first: half the candidates
    # fail it, and the rapidfuzz blend then scores only the rest.
    keep = words.cover(query, choice) >= MIN_COVER
    query, choice = query[keep], choice[keep]
    if not len(query):
        return []
    scores = _blend(process.cpdist, [texts[i] for i in query], [texts[j] for j in choice])
    keep = scores >= threshold
    query, choice, scores = query[keep], choice[keep], scores[keep]
    if not len(query):
        return []
    if blocked:  # each pair was scored once: rank it from both ends (when both are new claims)
        back = choice < len(new)
        query, choice = np.concatenate((query, choice[back])), np.concatenate((choice, query[back]))
        scores = np.concatenate((scores, scores[back]))
    # rank each claim's matches within each other article, best first; keep the top `per_claim`
    order = np.lexsort((-scores, articles[choice], query))
    query, choice, scores = query[order], choice[order], scores[order]
    group = np.concatenate(([True], (query[1:] != query[:-1]) | (articles[choice][1:] != articles[choice][:-1])))
    starts = np.maximum.accumulate(np.where(group, np.arange(len(group)), 0))
    keep = (np.arange(len(group)) - starts) < per_claim
    # each pair once (it may be kept from both ends), in id order
    pairs = arrays.distinct(np.minimum(query[keep], choice[keep]) * len(pool) + np.maximum(query[keep], choice[keep]))
    return _decide(pool, *np.divmod(pairs, len(pool)))


def _decide(pool: Sequence[ClaimText], first: np.ndarray, second: np.ndarray) -> list[Link]:
    """Each candidate pair (pool[first[k]], pool[second[k]]) about the same thing, as a link:
    `conflicts` when the two differ in a count, date, place or negation (`compare`), else
    `corroborates` when the matcher says they state the same fact, else `related`. The score is
    the matcher's probability: the number `workbench match` prints for the same two texts."""
    if not len(first):
        return []
    read = arrays.distinct(np.concatenate((first, second)))  # only the claims in a candidate link
    first, second = np.searchsorted(read, first), np.searchsorted(read, second)
    claims = [pool[i] for i in read.tolist()]
    ids = np.fromiter((c.id for c in claims), dtype=np.int64, count=len(claims))
    swap = ids[first] > ids[second]  # the lower id first, as the link records them
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    statements = match.Statements.of([c.text for c in claims])
    readings = [_Reading.of(c.text, c.numbers) for c in claims]
    matcher = match.matcher()
    same = matcher.probabilities_of(match.measures(statements, first, second))
    links = []
    for a, b, probability in zip(first.tolist(), second.tolist(), same.tolist()):
        relation, reason = _compare(readings[a], readings[b])
        if relation != CONFLICTS and probability < matcher.threshold:
            relation = RELATED
        links.append(Link(claims[a].id, claims[b].id, round(probability, 3), relation, reason))
    return links


#: Linked claims share at least this share of the lighter one's idf-weighted words.
MIN_COVER = 0.4
#: Up to this many pairs, alignment scores every pair (a few seconds at most).
EXACT_PAIRS = 4_000_000
#: Prefix filtering: two claims are scored only if they share a word among the rarer
#: `1 - PREFIX_OVERLAP` of each one's words (plus one); pairs of claims with less in common than
#: that rarely reach the link threshold.
PREFIX_OVERLAP = 0.5
#: A word in more claims' prefixes than this is not used for blocking (it pairs everything).
MAX_POSTING = 500


@dataclass(frozen=True)
class _Words:
    """The normalised texts as sets of word ids, flattened (text by text, each word once), with
    how many texts each word occurs in."""

    owner: np.ndarray
    word: np.ndarray
    sizes: np.ndarray
    frequency: np.ndarray

    @classmethod
    def of(cls, texts: Sequence[str]) -> _Words:
        tokens = [t.split() for t in texts]
        counts = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
        vocabulary = arrays.Vocabulary()
        ids = vocabulary.ids(list(chain.from_iterable(tokens)))
        width = max(len(vocabulary), 1)
        keys = arrays.distinct(np.repeat(np.arange(len(texts), dtype=np.int64), counts) * width + ids)
        owner, word = np.divmod(keys, width)
        return cls(owner, word, np.bincount(owner, minlength=len(texts)), np.bincount(word, minlength=width))

    def weights(self) -> np.ndarray:
        """Inverse document frequency: a word most claims share says little about a match."""
        return np.log((len(self.sizes) + 1) / (self.frequency + 1)) + 1.0

    def cover(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """For each pair of texts, the weight of their shared words over the lighter text's."""
        weight, sizes = self.weights(), self.sizes
        offsets = np.cumsum(sizes) - sizes
        totals = np.bincount(self.owner, weights=weight[self.word], minlength=len(sizes))

        def words_of(texts: np.ndarray) -> np.ndarray:
            """Each pair's word ids, flattened, as one key per (pair, word)."""
            counts = sizes[texts]
            return np.repeat(np.arange(len(texts)) * width, counts) + self.word[np.repeat(offsets[texts], counts) + arrays.within(counts)]

        width = len(weight)
        keys = np.sort(np.concatenate((words_of(first), words_of(second))))
        shared = keys[1:][keys[1:] == keys[:-1]]  # a word in both (sets: once each)
        overlap = np.bincount(shared // width, weights=weight[shared % width], minlength=len(first))
        lighter = np.minimum(totals[first], totals[second])
        return np.divide(overlap, lighter, out=np.zeros(len(first)), where=lighter > 0)


def candidate_pairs(queries: Sequence[str], texts: Sequence[str], articles: np.ndarray,
                    words: _Words | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (query index, text index), each once, in different articles, sharing prefix words.

    `queries` are the first `len(queries)` of `texts` (normalised). Each text's words are
    sorted rarest first and its prefix kept, as in set-similarity joins (AllPairs, PPJoin):
    texts whose word sets overlap by at least `PREFIX_OVERLAP` of the shorter must share a
    prefix word, so blocking loses few links while skipping almost every pair. Two texts must
    share two prefix words (one, when a text has a single word), so the index is keyed by pairs
    of prefix words: a pair that shares only one word, as most do, is never generated.
    """
    words = words or _Words.of(texts)
    owner, word, sizes = words.owner, words.word, words.sizes
    # each text's words rarest first, then the first `prefix_size` of them
    order = np.lexsort((word, words.frequency[word], owner))
    owner, word = owner[order], word[order]
    rank = arrays.within(sizes)
    prefix_size = sizes - np.ceil(PREFIX_OVERLAP * sizes).astype(np.int64) + 1
    prefix_size[sizes == 0] = 0
    in_prefix = rank < np.repeat(prefix_size, sizes)
    owner, word = owner[in_prefix], word[in_prefix]
    # the postings: owners ascending within each word; a word in one prefix or in too many
    # (it would pair everything) does not block
    order = np.argsort(word, kind="stable")
    owner, word = owner[order], word[order]
    starts, lengths = arrays.runs(word)
    usable = np.repeat((lengths >= 2) & (lengths <= MAX_POSTING), lengths)
    owner, word = owner[usable], word[usable]
    starts, lengths = arrays.runs(word)
    # texts that share two prefix words: pairs of words within each text, then pairs of texts
    # within each pair of words
    by_text = np.lexsort((word, owner))
    a, b = arrays.pairs_within(owner[by_text])
    keys = word[by_text][a] * len(words.frequency) + word[by_text][b]
    holders = owner[by_text][a]
    order = np.lexsort((holders, keys))
    a, b = arrays.pairs_within(keys[order])
    x, y = holders[order][a], holders[order][b]  # x < y: holders ascend within a key
    # a text with a single word pairs with every text whose prefix holds it
    lone = np.flatnonzero(prefix_size[owner] == 1)
    run_start = np.repeat(starts, lengths)[lone]
    run_length = np.repeat(lengths, lengths)[lone]
    mate = np.repeat(run_start, run_length) + arrays.within(run_length)
    one = np.repeat(lone, run_length)
    one, mate = owner[one[mate != one]], owner[mate[mate != one]]
    x, y = np.concatenate((x, np.minimum(one, mate))), np.concatenate((y, np.maximum(one, mate)))
    keep = (x < len(queries)) & (articles[x] != articles[y])
    pairs = arrays.distinct(x[keep] * len(texts) + y[keep])  # pairs sharing three words come more than once
    return np.divmod(pairs, len(texts))


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
_WEEKDAY = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\b")  # in lower-cased text
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([A-Z][a-z]{2})[a-z]*\.?|\b([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2})\b")
_PLACE = re.compile(
    r"\b(?:in|over|near|at|from|into)\s+(?:the\s+)?(?:(?:north|south|east|west)(?:ern)?\s+|central\s+)?"
    r"([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
)
_DIGIT = re.compile(r"\d")


def _quantities(text: str, numbers: Sequence[str] | None = None) -> dict[str, tuple[float, str]]:
    """Exact counts by what they count: {"aircraft": (2, "Two aircraft")}. Hedged amounts
    ("at least 20", "about 400") are left out: they cannot contradict an exact one."""
    found: dict[str, tuple[float, str]] = {}
    for phrase in extract.numbers(text) if numbers is None else numbers:
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
    for found in _DAY_MONTH.finditer(text):
        day, month = (found.group(1), found.group(2)) if found.group(1) else (found.group(4), found.group(3))
        if month.lower() in _MONTHS:
            days.add((month.lower(), int(day)))
    return days


def _places(text: str) -> set[str]:
    return {m.group(1) for m in _PLACE.finditer(text)
            if m.group(1).lower()[:3] not in _MONTHS and m.group(1).lower() not in _WEEKDAYS
            and not m.group(1).startswith(("The ", "Operation"))}


@dataclass(frozen=True, slots=True)
class _Reading:
    """What `compare` needs of one statement, read once however many links it has."""

    text: str
    quantities: dict[str, tuple[float, str]]
    weekdays: frozenset[str]
    days: frozenset[tuple[str, int]]
    places: frozenset[str]
    negation: str | None
    #: Nothing but a negation can set it against another statement: no count, day or place.
    plain: bool

    @classmethod
    def of(cls, text: str, numbers: Sequence[str] | None = None) -> _Reading:
        lower = text.lower()
        found = extract.NEGATION.search(lower)  # the cue's pattern, for lower-cased text
        # as written, unless lower-casing moved the offsets
        negation = found and (text[found.start() : found.end()] if len(lower) == len(text) else found.group())
        # cheap tests first: most statements name no weekday and no date (a date has digits)
        weekdays = frozenset(_WEEKDAY.findall(lower)) if "day" in lower else frozenset()
        days = frozenset(_days(text)) if _DIGIT.search(text) else frozenset()
        quantities, places = _quantities(text, numbers), frozenset(_places(text))
        return cls(text, quantities, weekdays, days, places, negation,
                   not (quantities or weekdays or days or places))


def compare(a: str, b: str) -> tuple[str, str]:
    """Whether two statements of one fact agree, or conflict and where: a count of the same
    thing ("two aircraft" vs "three aircraft"), a weekday or date, a place, or a negation
    present in only one of them."""
    return _compare(_Reading.of(a), _Reading.of(b))


def _compare(x: _Reading, y: _Reading) -> tuple[str, str]:
    if (x.plain or y.plain) and (x.negation is None) == (y.negation is None):
        return CORROBORATES, ""  # most pairs: nothing to set them against each other
    reasons = []
    for head in x.quantities.keys() & y.quantities.keys():
        if x.quantities[head][0] != y.quantities[head][0]:
            reasons.append(f"“{x.quantities[head][1]}” vs “{y.quantities[head][1]}”")
    if x.weekdays and y.weekdays and not x.weekdays & y.weekdays:
        reasons.append(f"“{'/'.join(sorted(w.title() for w in x.weekdays))}” vs "
                       f"“{'/'.join(sorted(w.title() for w in y.weekdays))}”")
    if x.days and y.days and not x.days & y.days:
        show = lambda days: ", ".join(f"{d} {m.title()}" for m, d in sorted(days))  # noqa: E731
        reasons.append(f"“{show(x.days)}” vs “{show(y.days)}”")
    pa, pb = x.places, y.places
    if pa and pb and not pa & pb and not any(p in q or q in p for p in pa for q in pb):
        reasons.append(f"“{', '.join(sorted(pa))}” vs “{', '.join(sorted(pb))}”")
    if (x.negation is None) != (y.negation is None):
        reasons.append(f"“{x.negation or y.negation}” in only one")
    return (CONFLICTS, "; ".join(reasons)) if reasons else (CORROBORATES, "")
