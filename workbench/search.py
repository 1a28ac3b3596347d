"""Which claims a list shows: a status filter and a search, over claims in memory.

The TUI's claims list runs this on every key typed into its search box, so it must stay well
under the 100 ms a keystroke may take on a case of forty thousand claims
(`python -m workbench.bench filter` measures it).

A search finds claims by their words and, for a query of free words, by meaning too: a claim
whose static sentence vector (`vectors.py`) is close enough to the query's is found even when
it shares no word with it ("the plane was shot down" finds "the aircraft was downed by a
missile"). Word matches come first, in reading order, as they always were; the claims found by
meaning alone follow, nearest first and at most `MAX_MEANING` of them, so that a query that
sits in the middle of the case's topic cannot bury the list (the TUI marks them "≈"). The
thresholds are measured, not chosen by hand: `scripts/evaluate_meaning_search.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from workbench.model import Claim, Kind, Status
from workbench.models import ModelError

if TYPE_CHECKING:  # numpy and the vectors load with the first search by meaning, not with the screen
    import numpy as np

#: The filter that shows the claims assigned to the analyst looking.
MINE = "mine"

#: Cosine at or above which a query of three or more content words finds a claim by meaning.
#: Measured (scripts/evaluate_meaning_search.py, 40 queries written against the DUC 2004 wire
#: clusters): at .65 a query adds a median of 4 meaning matches, 3 in 4 in the event the query
#: is about (by hand, about .89 on the event, bar one query set in a crowded topic), and 34 of
#: the 40 queries find their event; at .70 it is 2, .81 and 29 of 40. On STS-B dev, cosine
#: >= .65 holds pairs graded 3 or more ("roughly equivalent") at precision .73, recall .88.
MEANING_THRESHOLD = 0.65
#: The same for a query of one or two content words: a keyword search, which word matching
#: serves; a looser cosine would add the word's whole neighbourhood ("killed civilians" finds
#: every killing). At .75 such queries added 0.9 matches each, all in the right event.
SHORT_MEANING_THRESHOLD = 0.75
#: Content words (words the vectors weigh: not "the", "was") from which a query counts as long.
LONG_QUERY_WORDS = 3
#: The most claims a search adds by meaning, nearest first.
MAX_MEANING = 50

#: Query words that name a kind or a status: a query of these alone is a filter, not a phrase.
_FIELD_WORDS = frozenset(k.value for k in Kind) | frozenset(s.value for s in Status)


def matches(claim: Claim, query: str) -> bool:
    """`#12` is claim 12; otherwise every word must be in the claim's text, kind, status, note
    or sources (case-insensitive)."""
    return _matcher(query.strip().lower())(claim)


def _matcher(query: str) -> Callable[[Claim], bool]:
    """The test `matches` makes, with the query read once for a whole list."""
    if _is_id(query):
        wanted = int(query[1:])
        return lambda claim: claim.id == wanted
    words = query.split()

    def test(claim: Claim) -> bool:
        # the text first: the rest (kind, status, note, sources) is put together only for a word
        # the text lacks, which halves a search of a long list
        text = claim.text.lower()
        rest = None
        for word in words:
            if word in text:
                continue
            if rest is None:
                rest = f"{claim.kind.value} {claim.status.value} {claim.note} {' '.join(claim.sources)}".lower()
            if word not in rest:
                return False
        return True

    return test


def _is_id(query: str) -> bool:
    return query.startswith("#") and query[1:].isdigit()


def claim_vectors(claims: Sequence[Claim]) -> np.ndarray:
    """Unit vectors of the claims' texts, one row each: the one place meaning search gets them
    (computed here; a case that stores its vectors can hand `MeaningIndex` its own reader)."""
    from workbench import vectors

    return vectors.embed([claim.text for claim in claims])


class MeaningIndex:
    """The claims' vectors for meaning search, computed on first need and kept: a claim new to
    the index, or whose text changed, is computed on the next search; the rest is a lookup.
    One index serves one case (the TUI's review screen holds it)."""

    def __init__(self, compute: Callable[[Sequence[Claim]], np.ndarray] = claim_vectors) -> None:
        self._compute = compute
        self._lock = threading.Lock()  # the screen may warm it in a thread while keys arrive
        self._row: dict[int, tuple[str, int]] = {}  # claim id -> (the text its row is of, row)
        self._matrix: np.ndarray | None = None
        #: Why meaning search is off (a missing or damaged model file), once it has failed.
        self.failure: str | None = None

    def rows(self, claims: Sequence[Claim]) -> np.ndarray:
        """The matrix row of each claim, computing those it lacks (all, the first time)."""
        import numpy as np

        with self._lock:
            held = self._row.get
            new = [c for c in claims if (entry := held(c.id)) is None or entry[0] != c.text]
            if new:
                self._add(new)
            held = self._row.get  # `_add` may have renumbered the rows
            return np.fromiter((held(c.id)[1] for c in claims), np.int64, count=len(claims))

    def warm(self, claims: Sequence[Claim]) -> None:
        """Compute what the first search would (the TUI calls this in a thread when `/` opens
        the search box); a broken model is remembered in `failure`, not raised."""
        try:
            self.rows(claims)
        except ModelError as error:
            self.failure = str(error)

    def _add(self, claims: list[Claim]) -> None:
        import numpy as np

        computed = np.asarray(self._compute(claims), np.float32)
        start = 0 if self._matrix is None else len(self._matrix)
        self._matrix = computed if not start else np.concatenate([self._matrix, computed])
        for offset, claim in enumerate(claims):
            self._row[claim.id] = (claim.text, start + offset)
        if len(self._matrix) > 2 * len(self._row) + 1024:  # mostly rows of texts since changed
            self._compact()

    def _compact(self) -> None:
        """Drop the rows no claim points at any more (texts since changed)."""
        import numpy as np

        assert self._matrix is not None
        live = sorted(self._row.items(), key=lambda item: item[1][1])
        keep = np.array([row for _, (_, row) in live], np.int64)
        self._matrix = self._matrix[keep]
        self._row = {claim_id: (text, new) for new, (claim_id, (text, _)) in enumerate(live)}

    def cosines(self, claims: Sequence[Claim], query_vector: np.ndarray) -> np.ndarray:
        """Each claim's cosine with the query (unit vectors: a dot product)."""
        import numpy as np

        rows = self.rows(claims)
        if not len(rows) or self._matrix is None:
            return np.zeros(0, np.float32)
        # every row against the query, then the claims' picked out: a product over the whole
        # matrix costs less than gathering forty thousand rows of it first
        return (self._matrix @ query_vector)[rows]


def meaning_threshold(query: str) -> float | None:
    """The cosine a claim needs to be found by meaning for `query`, or None when the query is
    not one to search by meaning: a `#id`, only kind or status names, no word the vectors know."""
    words = query.lower().split()
    if not words or _is_id(query.strip()) or all(word in _FIELD_WORDS for word in words):
        return None
    import numpy as np

    from workbench import vectors

    tokens = vectors.tokens(query)
    if not tokens:
        return None
    content = int((np.linalg.norm(vectors.embed(tokens), axis=1) > 0).sum())  # "the", "was" weigh nothing
    if not content:
        return None
    return MEANING_THRESHOLD if content >= LONG_QUERY_WORDS else SHORT_MEANING_THRESHOLD


class Found(NamedTuple):
    """What a list shows: its claims in order (word matches in reading order, then the claims
    found by meaning alone, nearest first), the cosines of those found by meaning, and why
    meaning search is off, if it failed."""

    claims: list[Claim]
    by_meaning: dict[int, float]
    failure: str | None = None


def found(
    claims: Iterable[Claim], *, status: Status | str | None = None, analyst: str = "", query: str = "",
    sentences: bool = False, meaning: MeaningIndex | None = None,
) -> Found:
    """The claims a list shows: sentences that are not claims only with `sentences`; with a
    `status`, only claims of that status (`MINE`: assigned to `analyst`); with a `query`, only
    those that match its words or, given a `meaning` index, are close to it in meaning."""
    query = query.strip().lower()
    test = _matcher(query) if query else None
    out: list[Claim] = []
    rest: list[Claim] = []  # passed the filter, not the words: candidates by meaning
    for claim in claims:
        if not claim.is_claim and not sentences:
            continue
        if status == MINE:
            if not claim.is_claim or claim.assignee != analyst:
                continue
        elif status is not None and (not claim.is_claim or claim.status != status):
            continue
        if test is not None and not test(claim):
            rest.append(claim)
            continue
        out.append(claim)
    out.sort(key=lambda c: (c.article_id, c.start))
    if meaning is None or not rest or meaning.failure is not None:
        return Found(out, {}, meaning.failure if meaning is not None else None)
    import numpy as np

    from workbench import vectors

    try:
        threshold = meaning_threshold(query)
        if threshold is None:
            return Found(out, {})
        cosines = meaning.cosines(rest, vectors.embed([query])[0])
    except ModelError as error:
        meaning.failure = str(error)
        return Found(out, {}, meaning.failure)
    near = np.flatnonzero(cosines >= threshold)
    if len(near) > MAX_MEANING:
        near = near[np.argpartition(-cosines[near], MAX_MEANING - 1)[:MAX_MEANING]]
    near = near[np.argsort(-cosines[near], kind="stable")]
    by_meaning = {rest[i].id: float(cosines[i]) for i in near.tolist()}
    out.extend(rest[i] for i in near.tolist())
    return Found(out, by_meaning)


def listed(
    claims: Iterable[Claim], *, status: Status | str | None = None, analyst: str = "", query: str = "",
    sentences: bool = False, meaning: MeaningIndex | None = None,
) -> list[Claim]:
    """The claims of `found`, in its order (word matches alone, in reading order, without a
    `meaning` index)."""
    return found(claims, status=status, analyst=analyst, query=query, sentences=sentences, meaning=meaning).claims
