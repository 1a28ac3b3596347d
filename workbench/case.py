"""A whole case as one JSON document, and bringing another analyst's case into this one.

The document holds everything needed to rebuild the case elsewhere: each article with its text,
every sentence the finder looked at (claims and the rest) with its offsets, status, note,
evidence and grade, the links, the evidence items (withdrawn ones too), and the history. `workbench import-case` and `workbench merge`
both go through `merge`: articles new to this case come in whole; for an article both cases
hold, claims are matched by their offsets in the (identical) text, both histories are kept, the
newer state of each claim wins, and the claims the two analysts marked differently are reported
with Cohen's kappa over the claims both marked.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import jobs
from workbench.model import MARKS, Status
from workbench.store import Store, StoreError, bulk, now

#: Bumped when the document's layout changes in a way an older reader would misread.
CASE_FORMAT = 1
_ARTICLE_FIELDS = ("id", "content_hash", "title", "source", "date", "path", "encoding", "reliability",
                   "imported_at", "imported_by", "author", "url", "retrieved_at", "original_sha256", "original_type",
                   "page_starts", "text")
_CLAIM_FIELDS = ("id", "article_id", "start", "end", "text", "score", "kind", "is_claim", "origin", "status", "note",
                 "evidence", "analyst", "updated_at", "numbers", "dates", "sources", "credibility", "assignee")


class CaseError(StoreError):
    """A case document or file that cannot be brought in, said in one line."""


@bulk()
def document(store: Store, claim_ids: set[int] | None = None) -> dict[str, Any]:
    """The case (or the articles of `claim_ids` and those claims' rows) as plain data, as the
    case was at one moment (see `Store.reading`)."""
    with store.reading():
        return {key: value if isinstance(value, (int, str)) else list(value)
                for key, value in document_parts(store, claim_ids)}


def document_parts(store: Store, claim_ids: set[int] | None = None) -> Iterator[tuple[str, Any]]:
    """`document`'s keys and values in order, each list an iterator that reads a row at a time,
    for a caller that writes the document as it reads it (`export`): a case of 1,000 articles
    is a 100 MB document. Run inside `store.reading()`, and take the parts in order: the links
    and the history kept are those of the sentences already given."""
    articles_of: set[int] | None = None
    if claim_ids is not None:
        articles_of = {claim.article_id for claim in store.each_claim() if claim.id in claim_ids}
    given: set[int] = set()  # the sentences in the document so far
    corrections: dict[int, list[dict[str, Any]]] = {}
    for row in store.article_history():
        corrections.setdefault(row["article_id"], []).append(row)
    yield "workbench_case", CASE_FORMAT
    yield "schema_version", store.schema_version
    yield "exported_at", now()
    yield "articles", (_article_row(store, r, corrections) for r in store.each_row("articles")
                       if articles_of is None or r["id"] in articles_of)
    yield "sentences", _sentences(store, claim_ids, given)
    yield "links", (dict(r) for r in store.each_row("links") if r["claim_a"] in given and r["claim_b"] in given)
    yield "evidence", (dict(r) for r in store.each_row("evidence") if r["claim_id"] in given)
    yield "history", (dict(r) for r in store.each_row("history") if r["claim_id"] in given)


def _article_row(store: Store, row: dict[str, Any], corrections: dict[int, list[dict[str, Any]]]) -> dict[str, Any]:
    """An article as the document holds it: its details and text, a PDF's page offsets as a
    list, and the analysts' corrections of its details. The original bytes stay in the case
    file (a saved page is a megabyte of markup); their SHA-256 is in the document."""
    out = {k: row.get(k) for k in _ARTICLE_FIELDS}
    out["page_starts"] = json.loads(out["page_starts"]) if out.get("page_starts") else []
    out["history"] = [{k: change[k] for k in ("field", "old_value", "new_value", "analyst", "at")}
                      for change in corrections.get(row["id"], [])]
    return out


def _sentences(store: Store, claim_ids: set[int] | None, given: set[int]) -> Iterator[dict[str, Any]]:
    """The sentences of `claim_ids` (all with None), noting each one given in `given`."""
    for row in store.each_row("claims"):
        if claim_ids is None or row["id"] in claim_ids:
            given.add(row["id"])
            yield _claim_row(row)


def _claim_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in _CLAIM_FIELDS}
    out["is_claim"] = bool(out["is_claim"])
    for key in ("numbers", "dates", "sources"):
        out[key] = json.loads(out[key] or "[]")
    return out


def read_document(path: Path) -> dict[str, Any]:
    """A case from a JSON file (an export) or another case database, refused in one line if
    it is neither."""
    if not path.exists():
        raise CaseError(f"{path}: no such file")
    with open(path, "rb") as handle:
        is_sqlite = handle.read(16) == b"SQLite format 3\x00"
    if is_sqlite:
        with Store.read_only(path) as other:
            return document(other)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CaseError(f"{path}: not a workbench case (neither a case database nor JSON: {error})") from None
    except OSError as error:
        raise CaseError(f"{path}: {error.strerror or error}") from None
    return data


@dataclass
class Disagreement:
    claim_id: int
    text: str
    ours: tuple[str, str]  # status, analyst
    theirs: tuple[str, str]


@dataclass
class MergeReport:
    articles_added: int = 0
    claims_added: int = 0
    adopted: int = 0
    history_added: int = 0
    shared_marked: int = 0
    kappa: float | None = None
    disagreements: list[Disagreement] = field(default_factory=list)
    links: int = 0

    def summary(self) -> str:
        parts = [f"{self.articles_added} articles and {self.claims_added} sentences added",
                 f"{self.adopted} claims took the newer state", f"{self.history_added} history rows brought in"]
        if self.shared_marked:
            kappa = "n/a" if self.kappa is None else f"{self.kappa:.2f}"
            parts.append(f"{self.shared_marked} claims marked on both sides, Cohen's kappa {kappa}, "
                         f"{len(self.disagreements)} disagreements")
        return "; ".join(parts)


def merge(store: Store, data: Any, *, name: str = "the case") -> MergeReport:
    """Bring the case document `data` into `store` (see the module docstring)."""
    _check(data, store, name)
    sentences: dict[int, list[dict[str, Any]]] = {}
    for row in data["sentences"]:
        sentences.setdefault(row["article_id"], []).append(row)
    history_of: dict[int, list[dict[str, Any]]] = {}
    for row in data.get("history", []):
        history_of.setdefault(row["claim_id"], []).append(row)

    report = MergeReport()
    new_articles: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    shared: dict[int, int] = {}
    adopt: list[tuple[int, dict[str, Any]]] = []
    pairs: list[tuple[str, str]] = []
    seen_hashes: set[str] = set()
    for article in data["articles"]:
        theirs = sentences.get(article["id"], [])
        mine = store.article_by_hash(article["content_hash"])
        if mine is None:
            if article["content_hash"] not in seen_hashes:
                new_articles.append((article, theirs))
                seen_hashes.add(article["content_hash"])
            continue
        ours = {(c.start, c.end): c for c in store.claims(article_id=mine.id, include_sentences=True)}
        for row in theirs:
            claim = ours.get((row["start"], row["end"]))
            if claim is None:
                continue
            shared[row["id"]] = claim.id
            their_status, our_status = Status(row["status"]), claim.status
            if their_status in MARKS and our_status in MARKS and row["is_claim"] and claim.is_claim:
                pairs.append((our_status.value, their_status.value))
                if their_status != our_status:
                    report.disagreements.append(Disagreement(
                        claim.id, claim.text, (our_status.value, claim.analyst or ""),
                        (their_status.value, row.get("analyst") or "")))
            if (row.get("updated_at") or "") > (claim.updated_at or ""):
                adopt.append((claim.id, row))
    # their history of shared claims, less the rows we already hold (a case merged twice)
    ours_history = {(h.claim_id, h.action, h.analyst, h.at) for h in store.history()}
    history = [row for their_id, rows in history_of.items() for row in rows
               if their_id not in shared or (shared[their_id], row["action"], row["analyst"], row["at"]) not in ours_history]
    evidence = data.get("evidence", [])  # a document of a case before evidence items has none
    if not isinstance(evidence, list):
        raise CaseError(f"{name}: the case document's 'evidence' is not a list")
    claim_map = store.merge_rows(new_articles, shared, adopt, history, data.get("links", []), evidence,
                                 job=jobs.this_job())
    report.articles_added = len(new_articles)
    report.claims_added = len(claim_map) - len(shared)
    report.adopted = len(adopt)
    report.history_added = sum(1 for row in history if row["claim_id"] in claim_map)
    report.shared_marked = len(pairs)
    report.kappa = cohen_kappa(pairs) if pairs else None
    if new_articles:
        from workbench import ingest  # the matcher loads only when a merge brings articles to line up

        report.links = ingest.line_up(store)[1]
        report.links = ingest.refine(store)[1] or report.links
    return report


def _check(data: Any, store: Store, name: str) -> None:
    if not isinstance(data, dict) or data.get("workbench_case") is None:
        raise CaseError(f"{name}: not a workbench case document (export one with 'workbench export --format json')")
    if data["workbench_case"] != CASE_FORMAT:
        raise CaseError(f"{name}: case format {data['workbench_case']!r}; this workbench reads {CASE_FORMAT}")
    version = data.get("schema_version")
    if not isinstance(version, int) or version > store.schema_version:
        raise CaseError(f"{name}: made by a newer workbench (schema {version!r}, this one has "
                        f"{store.schema_version}); upgrade workbench to bring it in")
    for key in ("articles", "sentences"):
        if not isinstance(data.get(key), list):
            raise CaseError(f"{name}: the case document has no {key!r} list")
    try:
        for article in data["articles"]:
            if not (isinstance(article["text"], str) and article["content_hash"] and article["title"]):
                raise ValueError("an article without text, hash or title")
        texts = {a["id"]: a["text"] for a in data["articles"]}
        for row in data["sentences"]:
            text = texts[row["article_id"]]
            if text[row["start"] : row["end"]] != row["text"]:
                raise ValueError(f"sentence #{row['id']} does not slice its article's text")
            Status(row["status"])
    except (KeyError, TypeError, ValueError) as error:
        raise CaseError(f"{name}: damaged case document ({error})") from None


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Agreement between two raters beyond chance: 1 is perfect, 0 is what chance gives."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[k] * second[k] for k in first) / (n * n)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1 - expected)
