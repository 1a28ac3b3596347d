"""The nouns every layer shares: articles, claims, links and the marks analysts put on claims.

Plain dataclasses, so the reader, the claim finder, the store, the exporters and the TUI can pass
them around without knowing about each other.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple


class Status(StrEnum):
    """Where an analyst's review of a claim stands.

    `unmarked` is nobody's verdict yet; `open` is an analyst saying "looked at it, not settled".
    """

    UNMARKED = "unmarked"
    OPEN = "open"
    VERIFIED = "verified"
    DISPUTED = "disputed"

    @property
    def symbol(self) -> str:
        """A glyph per status, so the status reads without colour."""
        return STATUS_SYMBOLS[self]


STATUS_SYMBOLS: dict[Status, str] = {
    Status.UNMARKED: "○",
    Status.OPEN: "?",
    Status.VERIFIED: "✓",
    Status.DISPUTED: "✗",
}

#: The statuses an analyst can set (unmarked is only where a claim starts).
MARKS: tuple[Status, ...] = (Status.VERIFIED, Status.DISPUTED, Status.OPEN)


class Kind(StrEnum):
    """What sort of fact a claim states: Full Fact's claim types.

    A quantity covers current values, changes, comparisons and rankings; a cause covers
    correlation and causation; other covers the rest, most often that something happened.
    """

    QUANTITY = "quantity"
    CAUSE = "cause"
    PREDICTION = "prediction"
    RULE = "rule"
    PERSONAL = "personal"
    QUOTE = "quote"
    OTHER = "other"


def grade(reliability: str, credibility: str) -> str:
    """The NATO/Admiralty grade as analysts write it, "B2"; "–" for a part not yet graded, and
    nothing at all before either part is."""
    if not reliability and not credibility:
        return ""
    return f"{reliability or '–'}{credibility or '–'}"


#: NATO/Admiralty grading: how reliable a source is, and how credible a piece of information.
RELIABILITY = {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
               "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"}
CREDIBILITY = {"1": "confirmed by other sources", "2": "probably true", "3": "possibly true",
               "4": "doubtful", "5": "improbable", "6": "truth cannot be judged"}

CORROBORATES = "corroborates"
CONFLICTS = "conflicts"
#: One outlet's later story gives another value than its earlier one: a revision, not a dispute.
REVISED = "revised"
#: About the same thing, without a named difference, but not the same statement (the matcher).
RELATED = "related"
#: Not about the same thing: never a link, only `workbench match`'s answer.
UNRELATED = "unrelated"
#: How each relation is written between two claim numbers: "#3 ≠ #9".
SIGNS = {CORROBORATES: "=", CONFLICTS: "≠", REVISED: "→", RELATED: "~"}

#: An analyst's calls on two claims, as a sheet or a list names each: they state the same fact,
#: they do not, they disagree, they agree after all; "" hands the pair back to the aligner.
CALL_NAMES = {"linked": "linked", "unlinked": "unlinked", "conflict": "a conflict", "not_conflict": "not a conflict",
              "": "back to the aligner"}
CALLS = tuple(CALL_NAMES)

#: Each kind by its name, as stored: a dict lookup, where `Kind(name)` takes five times as long
#: (a large case reads forty thousand).
KINDS = {kind.value: kind for kind in Kind}
#: Kinds stored by schema version 1, and what they are now (see store migration m002).
RETIRED_KINDS = {"event": Kind.OTHER, "comparison": Kind.QUANTITY}


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of an article's text, by character offsets into the stored text."""

    start: int
    end: int


@dataclass(slots=True)
class ArticleDraft:
    """An article as read from disk, before it has an id in a case."""

    text: str
    title: str
    content_hash: str
    path: str | None = None
    date: str | None = None
    source: str | None = None
    encoding: str = "utf-8"
    # Provenance: where the article came from, and the bytes it was read from (kept, compressed,
    # as evidence of what was read; `original_sha256` names them even once they are dropped).
    author: str | None = None
    url: str | None = None
    retrieved_at: str | None = None  # when a link was fetched (a saved file: when it was read)
    original: bytes | None = None
    original_sha256: str | None = None
    original_type: str = "text/plain"  # the media type of `original`: text/html, application/pdf ...
    #: A PDF's pages: the offset in `text` where each page starts, so a claim can say "p. 3".
    page_starts: tuple[int, ...] = ()


def published_date(date: str | None) -> datetime.date | None:
    """An article's date as a date, when it reads as one: "2026-03-12", "March 12, 2026",
    "12 March 2026"; None otherwise (a date is stored as the article gave it)."""
    if not date:
        return None
    text = " ".join(date.replace(",", " , ").split()).replace(" ,", ",")
    if iso := re.match(r"(\d{4})-(\d{2})-(\d{2})", text):
        try:
            return datetime.date(*map(int, iso.groups()))
        except ValueError:
            return None
    for layout in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%Y/%m/%d"):
        try:
            return datetime.datetime.strptime(text.replace(".", ""), layout).date()
        except ValueError:
            continue
    return None


def published_before(first: tuple[str | None, int], second: tuple[str | None, int]) -> bool:
    """Whether the story (date, article id) `first` came out before `second`: by their dates when
    both read as dates and differ, else by the order they came into the case."""
    a, b = published_date(first[0]), published_date(second[0])
    if a is not None and b is not None and a != b:
        return a < b
    return first[1] < second[1]


def article_label(article_id: int) -> str:
    """Short handle used in lists and exports: A1, A2, ..."""
    return f"A{article_id}"


#: An article's details an analyst can correct after import (`Store.correct_article`).
ARTICLE_FIELDS = ("title", "source", "author", "date", "url")


@dataclass(slots=True)
class Article:
    id: int
    text: str
    title: str
    content_hash: str
    path: str | None
    date: str | None
    source: str | None
    encoding: str
    imported_at: str
    imported_by: str
    reliability: str = ""  # NATO/Admiralty source reliability, A (reliable) .. F (cannot be judged)
    author: str | None = None
    url: str | None = None
    retrieved_at: str | None = None
    original_sha256: str | None = None
    original_type: str = ""
    page_starts: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return article_label(self.id)

    def page_of(self, offset: int) -> int | None:
        """The page (from 1) a character offset of a PDF's text falls on; None for other articles."""
        if not self.page_starts:
            return None
        return bisect.bisect_right(self.page_starts, offset) or 1


@dataclass(slots=True)
class FoundClaim:
    """A sentence the claim finder looked at, with what it made of it.

    Every sentence is kept, claim or not, so that an analyst can promote one the finder
    passed over and the threshold can move without re-reading articles.
    """

    start: int
    end: int
    text: str
    score: float
    kind: Kind
    is_claim: bool
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled as its fields, the kind by name: a large import sends forty thousand from the
        helper processes, and a slotted dataclass's own pickling takes five times as long."""
        return _found_claim, (self.start, self.end, self.text, self.score, self.kind.value, self.is_claim,
                              self.numbers, self.dates, self.sources)


def _found_claim(start: int, end: int, text: str, score: float, kind: str, *rest: Any) -> FoundClaim:
    return FoundClaim(start, end, text, score, KINDS[kind], *rest)


@dataclass(slots=True)
class Claim:
    id: int
    article_id: int
    start: int
    end: int
    text: str
    score: float
    kind: Kind
    is_claim: bool
    origin: str
    status: Status
    note: str
    evidence: str
    analyst: str | None
    updated_at: str | None
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    credibility: str = ""  # NATO/Admiralty information credibility, 1 (confirmed) .. 6 (cannot be judged)
    assignee: str = ""  # the analyst this claim is assigned to, if any

    @property
    def label(self) -> str:
        return f"#{self.id}"


class Link(NamedTuple):
    """Two claims in different articles about the same thing, and how they relate: they differ in
    a number, date, place or negation (`conflicts`, with the differing parts named in `reason`,
    e.g. "two aircraft" vs "three aircraft"); or the matcher finds they state the same fact
    (`corroborates`); or neither (`related`). `score` is the matcher's probability that the two
    state the same fact. A named tuple: a large case reads a hundred thousand of them, and a
    tuple is made twice as fast as a frozen dataclass."""

    claim_a: int
    claim_b: int
    score: float
    relation: str = "corroborates"
    reason: str = ""
    #: Each slot the two give different values, as (slot, claim_a's value, claim_b's value):
    #: ("aircraft", "Two aircraft", "three aircraft").
    differences: tuple[tuple[str, str, str], ...] = ()
    #: An analyst's call that decided the relation (see `CALLS`), and whose; "" for the aligner's.
    call: str = ""
    called_by: str = ""

    @property
    def conflicts(self) -> bool:
        return self.relation == CONFLICTS

    @property
    def corroborates(self) -> bool:
        return self.relation == CORROBORATES

    def other(self, claim_id: int) -> int:
        return self.claim_b if claim_id == self.claim_a else self.claim_a


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change to a claim, as it was made; history rows are never edited or deleted."""

    id: int
    claim_id: int
    action: str
    old_status: str | None
    new_status: str | None
    note: str | None
    analyst: str
    at: str
    evidence: str | None = None
    undoes: int | None = None
    credibility: str | None = None
    other_claim: int | None = None  # a call on a link: the other claim, and the call
    call: str | None = None
    evidence_item: int | None = None  # an evidence item added or withdrawn


@dataclass(frozen=True, slots=True)
class Progress:
    total: int
    counts: dict[Status, int]

    @property
    def reviewed(self) -> int:
        return self.total - self.counts.get(Status.UNMARKED, 0)

    def summary(self) -> str:
        """"✓ 3 verified, ✗ 1 disputed, ? 2 open, · 20 unmarked": counts that read without colour."""
        order = (Status.VERIFIED, Status.DISPUTED, Status.OPEN, Status.UNMARKED)
        return ", ".join(f"{s.symbol} {self.counts.get(s, 0)} {s.value}" for s in order)


#: What an evidence item is: a web page, an archived copy of one, a file kept with the case, a
#: quotation, a person the analyst asked, or anything else.
EVIDENCE_KINDS = ("link", "archive", "file", "quote", "person", "other")
#: Where an evidence item stands on its claim, and the glyph that says it without colour.
STANCE_SYMBOLS = {"supports": "✓", "refutes": "✗", "context": "·"}
STANCES = tuple(STANCE_SYMBOLS)


@dataclass(frozen=True, slots=True)
class EvidenceItem:
    """One piece of evidence on a claim. Never deleted: a withdrawn item keeps its row, with who
    withdrew it and when. `id` 0 is the claim's free-text evidence of older cases, shown as an
    item of its own (it is the claim's `evidence` column, not a row)."""

    id: int
    claim_id: int
    kind: str
    stance: str
    value: str
    note: str
    analyst: str
    added_at: str
    withdrawn_by: str | None = None
    withdrawn_at: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def symbol(self) -> str:
        return STANCE_SYMBOLS.get(self.stance, "·")

    def summary(self) -> str:
        """"✓ link https://…": stance glyph, kind, value (raw: callers make it displayable)."""
        return f"{self.symbol} {self.kind} {self.value}"

    @classmethod
    def free_text(cls, claim: Claim) -> EvidenceItem | None:
        """The claim's free-text evidence (the note dialog's line, and older cases') as an item."""
        if not claim.evidence:
            return None
        return cls(0, claim.id, "other", "context", claim.evidence, "", claim.analyst or "", claim.updated_at or "")
