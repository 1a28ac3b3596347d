"""Lining up claims across articles: which claims in other reports state the same fact.

Two steps. Finding: claims are reduced to their content words (stop words dropped, a light
stemmer, "went"/"gone" folded to "go", "U.S." to "us") and compared with rapidfuzz, only pairs
that share rarer words (`candidate_pairs`) on a large case: `token_set_ratio` credits a claim
contained in a longer one, `token_sort_ratio` keeps two long claims that share a few words apart.
Pairs whose blend passes `THRESHOLD` are about the same thing. Deciding (`relate`): the two are
read into slots (`workbench.compare`); where they give one slot different values, and would
state the same fact if that slot agreed, the link `conflicts` (or, between two stories of one
outlet, the later `revised` the earlier); else the matcher (`workbench.match`, the one
`workbench match` runs) calls it `corroborates` or `related`. Its probability is the link's score.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence, Set
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from workbench import arrays, compare, match
from workbench.model import (
    CONFLICTS, CORROBORATES, RELATED, REVISED, UNRELATED, Link, article_label, published_before,
)

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
    #: Who published it, and when: a figure one outlet changes in a later story is revised, not
    #: contradicted.
    outlet: str = ""
    date: str = ""


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
    pool = list(sentences) + list(claims)
    texts = [normalise(c.text) for c in pool]
    articles = np.array([c.article_id for c in pool])
    if len(sentences) * len(claims) <= EXACT_PAIRS:
        # every pair that shares a word: the others cannot reach the threshold on words they lack
        query, choice = _Words.of(texts).sharing(len(sentences), len(pool))
    else:  # a large case: only pairs that share rarer words, as `link_claims` does
        query, choice = candidate_pairs(texts[: len(sentences)], texts, articles)
    keep = (choice >= len(sentences)) & (articles[query] != articles[choice])  # against a claim elsewhere
    query, choice = query[keep], choice[keep]
    if not len(query):
        return []
    scores = _blend(process.cpdist, [texts[i] for i in query], [texts[j] for j in choice])
    hits = arrays.distinct(query[scores >= threshold])
    return [sentences[i].id for i in hits.tolist()]


@dataclass(frozen=True)
class Meanings:
    """Claims' dense vectors (the costly tier's, stored by the refinement), by claim id: with
    them the aligner also pairs claims that say one thing in other words, and decides with the
    full matcher."""

    ids: np.ndarray  # sorted claim ids
    rows: np.ndarray  # unit vectors, a row per id
    #: the vectors of the claims' clauses (`meaning_parts`), and the row of `ids` each is of
    part_rows: np.ndarray | None = None
    part_of: np.ndarray | None = None

    @classmethod
    def of(cls, vectors: dict[int, np.ndarray], parts: dict[int, np.ndarray] | None = None) -> Meanings:
        ids = np.array(sorted(vectors), dtype=np.int64)
        rows = np.array([vectors[i] for i in ids.tolist()], dtype=np.float32) if len(ids) else np.zeros((0, 0), np.float32)
        held = [(k, parts[i]) for k, i in enumerate(ids.tolist()) if parts and i in parts and len(parts[i])]
        if not held:
            return cls(ids, rows)
        part_of = np.concatenate([np.full(len(p), k, dtype=np.int64) for k, p in held])
        return cls(ids, rows, np.concatenate([p for _, p in held]).astype(np.float32), part_of)

    def units_of(self, claims: Sequence[ClaimText]) -> tuple[np.ndarray, np.ndarray] | None:
        """Every vector of the claims, their own first (in order) and then their clauses', and
        the claim (its index in `claims`) each is of; None if any claim's vector is missing
        (then none are used)."""
        wanted = np.fromiter((c.id for c in claims), dtype=np.int64, count=len(claims))
        at = np.searchsorted(self.ids, wanted)
        if not len(self.ids) or (at >= len(self.ids)).any() or (self.ids[np.minimum(at, len(self.ids) - 1)] != wanted).any():
            return None
        rows, owner = [self.rows[at]], [np.arange(len(claims))]
        if self.part_rows is not None and self.part_of is not None:
            where = np.full(len(self.ids), -1, dtype=np.int64)
            where[at] = np.arange(len(claims))
            mine = where[self.part_of] >= 0
            rows.append(self.part_rows[mine])
            owner.append(where[self.part_of[mine]])
        return np.concatenate(rows), np.concatenate(owner)


def link_claims(
    new: Sequence[ClaimText],
    others: Sequence[ClaimText],
    *,
    threshold: float = THRESHOLD,
    per_claim: int = MAX_LINKS_PER_CLAIM,
    blocked: bool | None = None,
    decide: bool = True,
    meanings: Meanings | None = None,
) -> list[Link]:
    """Links from each claim in `new` to its best matches among `new` and `others` that sit in
    a different article, at most `per_claim` per claim and other article.

    With `blocked`, only pairs that share one of their rarer words are scored (see
    `candidate_pairs`); without it every pair is, which is exact and quadratic. By default a
    case is blocked only when all pairs would be more than `EXACT_PAIRS`.

    Without `decide`, the links are the import's quick ones: the same pairs, each `related` with
    its words' score, for the refinement to decide (`relate`) in the background. With
    `meanings`, pairs close in meaning that share too few words are found too (`by_meaning`) and
    every pair is decided by the full matcher.
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
        query, choice = words.sharing(len(new), len(pool))
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
    scores = _clause_scores(pool, query, choice, scores, threshold)
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
    keys = np.minimum(query[keep], choice[keep]) * len(pool) + np.maximum(query[keep], choice[keep])
    pairs = arrays.distinct(keys)
    if not decide:
        best = np.zeros(len(pairs))
        np.maximum.at(best, np.searchsorted(pairs, keys), scores[keep])
        ids = np.fromiter((c.id for c in pool), dtype=np.int64, count=len(pool))
        first, second = (ids[k] for k in np.divmod(pairs, len(pool)))
        return list(map(Link, np.minimum(first, second).tolist(), np.maximum(first, second).tolist(),
                        np.round(best, 3).tolist(), repeat(RELATED, len(pairs))))
    if meanings is not None and (held := meanings.units_of(pool)) is not None:
        units, owner = held
        extra = by_meaning(units, owner, articles, len(new), pairs)
        pairs = arrays.distinct(np.concatenate((pairs, extra)))
        return _decide(pool, *np.divmod(pairs, len(pool)), rows=units[: len(pool)], added=set(extra.tolist()))
    return _decide(pool, *np.divmod(pairs, len(pool)))


def across_languages(claims: Sequence[ClaimText], languages: Sequence[str], queries: int,
                     known: set[tuple[int, int]], vectors: np.ndarray | None = None) -> list[Link]:
    """Links between claims of articles in different languages (`languages[i]` is claims[i]'s
    article's), where one of the two is among the first `queries` claims and the pair is not
    `known` (as (lower id, higher id)): words cannot pair them, the multilingual vectors of
    `crosslingual` do. A pair that states the same fact corroborates, unless the two give a
    number differently ("al menos 19 personas" / "at least 14 people"): then it conflicts.
    Nothing is done, and the multilingual model is not loaded, in a case of one language.
    `vectors` are the claims' `crosslingual.encode` vectors, where the caller has them."""
    if len({language for language in languages if language}) < 2:
        return []
    from workbench import crosslingual

    first, second, scores = crosslingual.pairs([c.text for c in claims], languages, [c.article_id for c in claims],
                                               vectors=vectors)
    links = []
    for a, b, probability in zip(first.tolist(), second.tolist(), scores.tolist()):
        if a >= queries and b >= queries:
            continue
        if claims[a].id > claims[b].id:
            a, b = b, a
        if (claims[a].id, claims[b].id) in known:
            continue
        differing = crosslingual.differing_numbers(claims[a].text, languages[a], claims[b].text, languages[b])
        across = f"across languages ({languages[a] or '?'}/{languages[b] or '?'})"
        if differing:
            values = tuple(("number", f"{x:g}", f"{y:g}") for x, y in differing)
            reason = f"{across}: " + "; ".join(f"“{x}” vs “{y}”" for _, x, y in values)
            links.append(Link(claims[a].id, claims[b].id, round(probability, 3), CONFLICTS, reason, values))
        else:
            links.append(Link(claims[a].id, claims[b].id, round(probability, 3), CORROBORATES, across))
    return links


#: Two claims, or a clause of one and the other (`meaning_parts`), whose dense vectors are at
#: least this close are linked even when they share too few words to be: on STS-B dev (held out
#: from the encoder's training), 90% of the pairs this close are graded 2.5 or more of 5 (about
#: the same thing, some details differing), 82% 3 or more; 73% of those graded 2.5+ reach it.
MEANING_CANDIDATE = 0.65


#: Where a long sentence's clauses part: a dash, a semicolon, a parenthesis (`compare.CLAUSES`),
#: and the conjunctions that join two statements ("…, and rescue efforts are ongoing", "…
#: while it was flying in support of …", "…, which …").
_PARTS = re.compile(r"\s[—–-]{1,2}\s|;|\(|\)|,\s+(?:and|but|which|who|as|after|before|while|although)\s"
                    r"|\s(?:while|whereas|although|because)\s", re.IGNORECASE)
#: A part shorter than this many words states nothing alone ("as expected").
MIN_PART_WORDS = 4


def meaning_parts(text: str) -> list[str]:
    """The clauses of a long sentence, each a statement of its own, for pairing by meaning: one
    report's "The incident took place in uncontested airspace while it was flying in support
    of operations that began on Feb. 28" holds what another says in a sentence of its own. A
    sentence that does not part into two or more clauses of `MIN_PART_WORDS` words has none."""
    parts = [p.strip(" ,.“”\"'") for p in _PARTS.split(text)]
    parts = [p for p in parts if len(p.split()) >= MIN_PART_WORDS]
    return parts if len(parts) >= 2 else []


def meaning_units(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """The dense vectors (`encoder`) of `texts` and of their clauses (`meaning_parts`): the
    texts' own first, in order, then each text's clauses after one another; and the text (its
    index) each vector is of."""
    from workbench import encoder

    parts = [meaning_parts(t) for t in texts]
    counts = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    units = encoder.shipped().encode(list(texts) + [p for ps in parts for p in ps])
    return units, np.concatenate((np.arange(len(texts)), np.repeat(np.arange(len(texts)), counts)))


#: Pairs found by meaning alone, at most this many per claim, the closest: a claim close to many
#: (a generic one) says little about each.
PAIRS_BY_MEANING_PER_CLAIM = 2
#: The closest vectors to each of a claim's vectors that pairing by meaning looks at.
NEAREST_UNITS = 8


def by_meaning(units: np.ndarray, owner: np.ndarray, articles: np.ndarray, queries: int, known: np.ndarray,
               *, threshold: float = MEANING_CANDIDATE, block: int = 256) -> np.ndarray:
    """Pairs of claims (as keys `a * len(articles) + b`, a < b), a query (one of the first
    `queries` claims) and a claim of another article, one of whose vectors (`units`, each of
    the claim `owner[k]`: a claim's own and its clauses') is within `threshold` of one of the
    other's, that are not `known` already: the closest `PAIRS_BY_MEANING_PER_CLAIM` of each
    query. The cosines are made a block of units at a time, so memory stays bounded, and only
    each unit's `NEAREST_UNITS` closest are kept: a claim with more word links than that, all
    closer in meaning than any other claim, has links enough."""
    size = len(articles)
    asking = np.flatnonzero(owner < queries)
    nearest = min(NEAREST_UNITS, len(units))
    found_keys: list[np.ndarray] = []
    found_values: list[np.ndarray] = []
    for start in range(0, len(asking), block):
        mine = asking[start : start + block]
        cosines = units[mine] @ units.T
        cosines[articles[owner[mine]][:, None] == articles[owner][None, :]] = -1.0  # itself too
        # each row's `nearest` closest, and any tied with the last of them (a story in the case
        # twice must not have its copies' order decide which is kept)
        bar = np.maximum(np.partition(cosines, len(units) - nearest, axis=1)[:, len(units) - nearest], threshold)
        near_q, near_c = np.nonzero(cosines >= bar[:, None])
        if not len(near_q):
            continue
        a, b = owner[mine[near_q]], owner[near_c]
        found_keys.append(np.minimum(a, b) * size + np.maximum(a, b))
        found_values.append(cosines[near_q, near_c])
    if not found_keys:
        return np.zeros(0, dtype=np.int64)
    keys, values = np.concatenate(found_keys), np.concatenate(found_values)
    new = ~np.isin(keys, known)
    keys, values = keys[new], values[new]
    if not len(keys):
        return keys
    # each query's closest claims: a pair counts for each of its claims that asks
    first, second = np.divmod(keys, size)
    query = np.concatenate((first, second[second < queries]))
    keys = np.concatenate((keys, keys[second < queries]))
    values = np.concatenate((values, values[second < queries]))
    order = np.lexsort((-values, keys, query))
    query, keys, values = query[order], keys[order], values[order]
    distinct_pair = np.concatenate(([True], (query[1:] != query[:-1]) | (keys[1:] != keys[:-1])))
    query, keys, values = query[distinct_pair], keys[distinct_pair], values[distinct_pair]  # once, at its best
    order = np.lexsort((-values, query))
    query, keys, values = query[order], keys[order], values[order]
    rank = arrays.within(arrays.runs(query)[1])  # each query's closest first
    # ties with the last one kept are kept too: a story in the case twice (another desk's copy)
    # gives equal cosines, and which copy came first must not decide the links
    last = np.where(rank == PAIRS_BY_MEANING_PER_CLAIM - 1, values, np.inf)
    bar = np.full(int(query.max()) + 1, -np.inf)
    np.maximum.at(bar, query, np.where(np.isfinite(last), last, -np.inf))
    return arrays.distinct(keys[(rank < PAIRS_BY_MEANING_PER_CLAIM) | (values >= bar[query])])


def _clause_scores(pool: Sequence[ClaimText], query: np.ndarray, choice: np.ndarray, scores: np.ndarray,
                   threshold: float) -> np.ndarray:
    """Scores of pairs below the threshold where a sentence runs on past a dash, a semicolon or a
    parenthesis, raised to their best part's: "Most ferries sail with 4 crew members, according to
    a fact sheet — a master, a mate and two deckhands (older boats ...)" states the crew in its
    first part, which a short report of the crew matches."""
    parts = {k: [normalise(p) for p in compare.CLAUSES.split(pool[k].text) if p.strip()]
             for k in set(query[scores < threshold].tolist()) | set(choice[scores < threshold].tolist())
             if compare.CLAUSES.search(pool[k].text)}
    if not parts:
        return scores
    rows, first, second = [], [], []
    for row in np.flatnonzero(scores < threshold).tolist():
        a, b = int(query[row]), int(choice[row])
        if a in parts or b in parts:
            for x in parts.get(a, [normalise(pool[a].text)]):
                for y in parts.get(b, [normalise(pool[b].text)]):
                    rows.append(row)
                    first.append(x)
                    second.append(y)
    if not rows:
        return scores
    best = scores.copy()
    np.maximum.at(best, np.array(rows), _blend(process.cpdist, first, second))
    return best


def _decide(pool: Sequence[ClaimText], first: np.ndarray, second: np.ndarray, *, rows: np.ndarray | None = None,
            added: Set[int] = frozenset()) -> list[Link]:
    """Each candidate pair (pool[first[k]], pool[second[k]]) about the same thing, as a link
    (see `relate`); the lower claim id first, as links are stored. With `rows` (the pool's
    dense vectors) the full matcher decides, and a pair among `added` (keys of pairs found by
    meaning alone) is `related`: read on wire clusters, most such pairs are about one thing, but
    the matcher's "same fact" on them was wrong as often as right (a third dissident arrested,
    named differently), and a corroboration counts as independent confirmation; nor do the
    conflict rules hold on wordings that share few words."""
    if not len(first):
        return []
    keys = first * len(pool) + second
    read = arrays.distinct(np.concatenate((first, second)))  # only the claims in a candidate link
    first, second = np.searchsorted(read, first), np.searchsorted(read, second)
    claims = [pool[i] for i in read.tolist()]
    ids = np.fromiter((c.id for c in claims), dtype=np.int64, count=len(claims))
    swap = ids[first] > ids[second]
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    dense = None if rows is None else rows[read]
    alone = np.fromiter((key in added for key in keys.tolist()), dtype=bool, count=len(keys))
    links: dict[int, Link] = {}  # by the pair's place, which is id order
    a, b = first.tolist(), second.tolist()
    by_words = np.flatnonzero(~alone)
    for k, d in zip(by_words.tolist(), _relate(claims, first[by_words], second[by_words], dense=dense)):
        links[k] = Link(claims[a[k]].id, claims[b[k]].id, round(d.score, 3), d.relation, d.reason, d.differences)
    if dense is not None and alone.any():  # related whatever they differ in: only the probability is read
        by_meaning = np.flatnonzero(alone)
        scores = match.matcher("full").among([c.text for c in claims], first[by_meaning], second[by_meaning],
                                             {"dense": dense})
        for k, score in zip(by_meaning.tolist(), scores.tolist()):
            links[k] = Link(claims[a[k]].id, claims[b[k]].id, round(score, 3), RELATED)
    return [links[k] for k in range(len(keys))]


class Relation(NamedTuple):
    """How two statements of one thing relate: `relation` (conflicts, revised, corroborates,
    related, or unrelated), the matcher's probability that they state the same fact, why, and
    each slot they disagree on as (slot, value in the first, value in the second)."""

    relation: str
    score: float
    reason: str = ""
    differences: tuple[tuple[str, str, str], ...] = ()


#: A difference in a count, date, place or doer makes a conflict when the two statements, made to
#: agree on it, are the same statement: the matcher gives the agreeing pair this probability...
CONFLICT_SAME = 0.7
#: ...or the words around the two values are this alike ("about 40 hikers were flown to safety" /
#: "about 30 hikers were flown to safety") and the agreeing pair this likely...
CONFLICT_CONTEXT = 0.75
CONFLICT_CONTEXT_SAME = 0.28
#: ...or they are all but the same words, whatever the rest of two long sentences says.
CONFLICT_SAME_WORDS = 0.9
#: A toll (how many were killed, injured, missing) that two reports of one event give differently
#: is what an analyst must see first: flagged once the agreeing pair is this likely one fact, if
#: the two name no different places or doers (then they are most often two events).
CONFLICT_SAME_TOLL = 0.4
#: A negation or a denial: when both statements are short and about the same thing (a headline
#: and the rumour it debunks: `compare.SHORT`), or when, without it, the two are nearly one
#: statement. In a news story's long sentences a "not" most often negates something else than
#: the fact two sentences share.
POLARITY_SAME = 0.8


def _relate(claims: Sequence[ClaimText], first: np.ndarray, second: np.ndarray,
            dense: np.ndarray | None = None) -> list[Relation]:
    """How each pair (claims[first[k]], claims[second[k]]) relates, every pair scored at once;
    by the full matcher when the claims' `dense` vectors are given, else by the cheap one."""
    # the conflict rules read the cheap matcher's probabilities, which their thresholds were
    # chosen on; the full one, where the dense vectors are, says whether a pair is one fact
    matcher = match.matcher()
    texts = [c.text for c in claims]
    same = matcher if dense is None else match.matcher("full")
    probabilities = same.among(texts, first, second, None if dense is None else {"dense": dense}).tolist()
    # a statement is read into slots only if one of its pairs can differ at all (most cannot)
    sketches = [compare.Sketch.of(t) for t in texts]
    readings: dict[int, compare.Reading] = {}

    def reading(k: int) -> compare.Reading:
        if k not in readings:
            readings[k] = compare.Reading.of(texts[k])
        return readings[k]

    found = [compare.differences(reading(a), reading(b)) if sketches[a].may_differ(sketches[b]) else []
             for a, b in zip(first.tolist(), second.tolist())]
    differing = [k for k, d in enumerate(found) if d]
    agreeing = matcher.probabilities([compare.agreeing(texts[first[k]], texts[second[k]], found[k])
                                      for k in differing])
    agreement = dict(zip(differing, agreeing))
    # a sentence that runs on past a dash or a parenthesis: its part that holds the difference too
    parts = {k: found_parts for k in differing
             if (found_parts := compare.agreeing_parts(texts[first[k]], texts[second[k]], found[k]))}
    for k, probability in zip(parts, matcher.probabilities(list(parts.values()))):
        agreement[k] = max(agreement[k], probability)
    elsewhere = {k: compare.elsewhere(readings[int(first[k])], readings[int(second[k])]) for k in differing}
    relations = []
    for k, (a, b) in enumerate(zip(first.tolist(), second.tolist())):
        probability = probabilities[k]
        conflicting = [d for d in found[k] if _conflicts(d, agreement[k], found[k], elsewhere[k])] if found[k] else []
        if conflicting:
            relations.append(_conflict(claims[a], claims[b], probability, conflicting))
        elif found[k]:  # they differ, but not on one fact: about the same thing, not the same statement
            relations.append(Relation(RELATED, probability))
        else:
            relations.append(Relation(CORROBORATES if probabilities[k] >= same.threshold else RELATED, probability))
    return relations


def _conflicts(difference: compare.Difference, agreeing: float, found: Sequence[compare.Difference],
               elsewhere: bool) -> bool:
    """Whether a difference is a conflict, given how likely the two state one fact once every
    difference `found` agrees, and whether they name different places."""
    if difference.kind in ("negation", "denial"):
        return difference.one_fact or agreeing >= POLARITY_SAME
    if elsewhere and difference.kind not in ("place", "direction"):
        return False  # "200 killed in Kenya", "12 killed in Uganda": two events, each told once
    if difference.slot in compare.TOLLS and agreeing >= CONFLICT_SAME_TOLL and not any(
            d.kind in ("place", "direction", "actor") for d in found):
        return True
    return (agreeing >= CONFLICT_SAME or difference.context >= CONFLICT_SAME_WORDS
            or (difference.context >= CONFLICT_CONTEXT and agreeing >= CONFLICT_CONTEXT_SAME))


def _conflict(a: ClaimText, b: ClaimText, probability: float, found: list[compare.Difference]) -> Relation:
    """A conflict, or a revision: one outlet's later story changing what its earlier one said."""
    differences = tuple((d.slot, d.a, d.b) for d in found)
    if a.outlet and a.outlet.casefold() == b.outlet.casefold():
        flip = not published_before((a.date, a.article_id), (b.date, b.article_id))
        earlier, later = (b, a) if flip else (a, b)
        reason = "; ".join(f"{d.slot}: “{d.b if flip else d.a}” ({_when(earlier)}) → “{d.a if flip else d.b}” "
                           f"({_when(later)})" for d in found)
        return Relation(REVISED, probability, reason, differences)
    return Relation(CONFLICTS, probability, "; ".join(d.reason for d in found), differences)


def _when(claim: ClaimText) -> str:
    return ", ".join(filter(None, (article_label(claim.article_id), claim.date)))


def relations(pairs: Sequence[tuple[str, str]]) -> list[Relation]:
    """How each pair of statements relates, as the aligner would link them once the links are
    decided (the full matcher): `workbench match`. A pair the aligner would not link (unlike
    words, and not the same fact) is `unrelated`."""
    if not pairs:
        return []
    texts, first, second = match.indexed(pairs)
    claims = [ClaimText(n, n, text) for n, text in enumerate(texts)]
    units, owner = meaning_units(texts)  # the costly tier decides, as the refinement of a case's links does
    decided = _relate(claims, first, second, dense=units[: len(texts)])
    words_a, words_b = [normalise(a) for a, _ in pairs], [normalise(b) for _, b in pairs]
    alike = _blend(process.cpdist, words_a, words_b)
    near = _closest_units(units, owner, first, second)
    return [Relation(UNRELATED, d.score) if not (words_a[k] and words_b[k])  # nothing said: "", "A", "the"
            or (d.relation == RELATED and alike[k] < THRESHOLD and near[k] < MEANING_CANDIDATE) else d
            for k, d in enumerate(decided)]


def _closest_units(units: np.ndarray, owner: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For each pair (first[k], second[k]), the highest cosine between a vector of the one (its
    own or a clause's) and a vector of the other: how the aligner pairs claims by meaning."""
    order = np.argsort(owner, kind="stable")
    starts, lengths = arrays.runs(owner[order])
    rows_of = [order[start : start + length] for start, length in zip(starts.tolist(), lengths.tolist())]
    return np.array([float((units[rows_of[a]] @ units[rows_of[b]].T).max())
                     for a, b in zip(first.tolist(), second.tolist())])


def relate(a: str, b: str) -> Relation:
    """How two statements relate (`relations` for one pair)."""
    return relations([(a, b)])[0]


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
        vocabulary = arrays.Vocabulary()
        owners, words = [], []
        # a slice of the texts at a time: the words of a 20 MB article, all split at once, were
        # a million small strings (150 MB). Each slice's texts come after the last's, so their
        # (text, word) pairs, each slice's sorted, are sorted in all.
        for first in range(0, len(texts), TEXT_BATCH):
            tokens = [t.split() for t in texts[first : first + TEXT_BATCH]]
            counts = np.fromiter(map(len, tokens), dtype=np.int64, count=len(tokens))
            ids = vocabulary.ids(list(chain.from_iterable(tokens)))
            width = max(len(vocabulary), 1)
            keys = arrays.distinct(np.repeat(np.arange(first, first + len(tokens), dtype=np.int64), counts) * width + ids)
            owners.append(keys // width)
            words.append(keys % width)
        owner = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
        word = np.concatenate(words) if words else np.zeros(0, dtype=np.int64)
        width = max(len(vocabulary), 1)
        return cls(owner, word, np.bincount(owner, minlength=len(texts)), np.bincount(word, minlength=width))

    def weights(self) -> np.ndarray:
        """Inverse document frequency: a word most claims share says little about a match."""
        return np.log((len(self.sizes) + 1) / (self.frequency + 1)) + 1.0

    def sharing(self, queries: int, texts: int) -> tuple[np.ndarray, np.ndarray]:
        """Every pair (query, text) of the first `queries` texts with all `texts` that share a
        word, in (query, text) order: the only pairs whose cover is above 0, and so the exact
        all-pairs comparison without the pairs it would score 0 (of a hundred web pages, most).
        Where words are so common that this makes more pairs than there are, all pairs."""
        order = np.argsort(self.word, kind="stable")  # by word, each word's texts in order
        owner = self.owner[order]
        starts, lengths = arrays.runs(self.word[order])
        asking = np.add.reduceat((owner < queries).astype(np.int64), starts) if len(starts) else starts
        made = asking * lengths
        if made.sum() >= queries * texts:
            return np.divmod(np.arange(queries * texts, dtype=np.int64), texts)
        group = np.repeat(np.arange(len(starts)), made)
        at = arrays.within(made)
        first = owner[starts[group] + at // lengths[group]]
        second = owner[starts[group] + at % lengths[group]]
        return np.divmod(arrays.distinct(first * texts + second), texts)

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
    sizes = words.sizes
    # each text's words rarest first, then the first `prefix_size` of them
    order = np.lexsort((words.word, words.frequency[words.word], words.owner))
    prefix_size = sizes - np.ceil(PREFIX_OVERLAP * sizes).astype(np.int64) + 1
    prefix_size[sizes == 0] = 0
    order = order[arrays.within(sizes) < np.repeat(prefix_size, sizes)]
    owner, word = words.owner[order], words.word[order]
    del order
    # the postings: owners ascending within each word; a word in one prefix or in too many
    # (it would pair everything) does not block; nor does one that pairs no query with a text
    # of another article (a long article's own words: most of its words, when it is new)
    order = np.argsort(word, kind="stable")
    owner, word = owner[order], word[order]
    starts, lengths = arrays.runs(word)
    usable = (lengths >= 2) & (lengths <= MAX_POSTING)
    if len(starts):
        seen = articles[owner]
        usable &= (owner[starts] < len(queries)) & (np.minimum.reduceat(seen, starts)
                                                    != np.maximum.reduceat(seen, starts))
        del seen
    usable = np.repeat(usable, lengths)
    owner, word = owner[usable], word[usable]
    del order, usable
    starts, lengths = arrays.runs(word)
    # texts that share two prefix words: pairs of words within each text, then pairs of texts
    # within each pair of words
    by_text = np.lexsort((word, owner))
    text_owner, text_word = owner[by_text], word[by_text]
    del by_text
    word_pairs = [(text_word[a] * len(words.frequency) + text_word[b], text_owner[a])
            for a, b in _pairs_in_runs(text_owner)]
    del text_owner, text_word
    keys = np.concatenate([k for k, _ in word_pairs]) if word_pairs else np.zeros(0, dtype=np.int64)
    holders = np.concatenate([h for _, h in word_pairs]) if word_pairs else np.zeros(0, dtype=np.int64)
    del word_pairs
    order = np.lexsort((holders, keys))
    keys = keys[order]
    holders = holders[order]
    del order
    if len(keys):  # only the texts sharing a pair of words with a query in another article
        starts_of, lengths_of = arrays.runs(keys)
        seen = articles[holders]
        useful = ((holders[starts_of] < len(queries))  # holders ascend: the first is the least
                  & (np.minimum.reduceat(seen, starts_of) != np.maximum.reduceat(seen, starts_of)))
        useful = np.repeat(useful, lengths_of)
        keys, holders = keys[useful], holders[useful]
        del starts_of, lengths_of, seen, useful

    def wanted(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The pairs that can count, as keys: a query against a text in another article."""
        keep = (x < len(queries)) & (articles[x] != articles[y])
        return arrays.distinct(x[keep] * len(texts) + y[keep])  # pairs sharing three words come more than once

    found = [wanted(holders[a], holders[b]) for a, b in _pairs_in_runs(keys)]  # x < y: holders ascend in a key
    # a text with a single word pairs with every text whose prefix holds it
    lone = np.flatnonzero(prefix_size[owner] == 1)
    run_start = np.repeat(starts, lengths)[lone]
    run_length = np.repeat(lengths, lengths)[lone]
    mate = np.repeat(run_start, run_length) + arrays.within(run_length)
    one = np.repeat(lone, run_length)
    one, mate = owner[one[mate != one]], owner[mate[mate != one]]
    found.append(wanted(np.minimum(one, mate), np.maximum(one, mate)))
    return np.divmod(arrays.distinct(np.concatenate(found)), len(texts))


#: Texts split into words at a time (see `_Words.of`).
TEXT_BATCH = 8192
#: Candidate pairs are made this many at a time and only those that can count are kept: a long
#: article shares words with itself, and its pairs within itself, all made at once, were tens of
#: millions (two gigabytes for a 20 MB article) only to be dropped.
PAIR_BATCH = 1 << 20


def _pairs_in_runs(keys: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """`arrays.pairs_within(keys)` in slices of whole runs, about `PAIR_BATCH` pairs each (a run
    is never cut: its pairs are few, every word of it being in at most `MAX_POSTING` texts)."""
    starts, lengths = arrays.runs(keys)
    made = np.cumsum(lengths * (lengths - 1) // 2)  # pairs in the runs up to each one
    first = 0
    while first < len(starts):
        before = int(made[first - 1]) if first else 0
        last = max(int(np.searchsorted(made, before + PAIR_BATCH, side="right")), first + 1)
        low, high = int(starts[first]), int(starts[last]) if last < len(starts) else len(keys)
        a, b = arrays.pairs_within(keys[low:high])
        yield a + low, b + low
        first = last


