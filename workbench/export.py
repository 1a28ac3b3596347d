"""Claim sheets: the review as CSV, Markdown or JSON, built from one stream of claim records.

`claim_records` is also what `workbench claims --json` prints, so the CLI listing, the exports
and the tests all read the same shape. Every format escapes what it must: CSV cells that a
spreadsheet would run as a formula are defused, Markdown special characters are escaped. A sheet
is read at one moment of the case and written as it is read (`write`), a record at a time.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any, BinaryIO

from workbench import case, groups
from workbench.model import (
    CALL_NAMES, CONFLICTS, CORROBORATES, RELATED, REVISED, SIGNS, Article, Claim, EvidenceItem, Link, STANCE_SYMBOLS,
    Status, article_label, grade, published_date,
)
from workbench.safetext import one_line
from workbench.store import Store, bulk, now

FORMATS = ("csv", "xlsx", "md", "json", "html", "claimreview")
FORMAT_SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "md": ".md", "json": ".json", "html": ".html",
                 "claimreview": ".jsonld"}
#: Formats written as bytes rather than text.
BINARY = frozenset({"xlsx"})
CSV_COLUMNS = (
    "id", "article", "source", "date", "title", "start", "end", "kind", "score", "status", "grade",
    "reliability", "credibility", "suggested_credibility", "assignee", "note", "evidence", "analyst", "updated_at", "text",
    "links", "discrepancies", "calls", "evidence_items",
)


@dataclass(frozen=True)
class Snapshot:
    """A case's links and link groups with the claims and articles they need, read once: a
    claim sheet shows all of them, and the TUI finds its groups with them. A large case has
    forty thousand claims and a hundred thousand links, and reading them twice took seconds."""

    claims: dict[int, Claim]  # from `read`, the linked claims; from `of`, those given
    articles: dict[int, Article]  # from `read`, without their text
    links: dict[int, list[Link]]  # each claim's links, best first
    grouped: list[groups.Group]  # as `groups.group_origins` gives them
    calls: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # each claim's analysts' calls
    evidence: dict[int, list[EvidenceItem]] = field(default_factory=dict)  # each claim's items that stand

    @classmethod
    @bulk()
    def read(cls, store: Store) -> Snapshot:
        """What a sheet needs beside each claim, at one moment of the case: read it inside the
        `store.reading()` that reads the claims listed too. It holds only the claims the links
        join, and the articles without their text: a sheet reads the claims it lists a batch at
        a time (`Store.each_claim`), so a 20 MB article's 175,000 sentences are never all held."""
        with store.reading():
            links = store.links()
            linked = {claim_id for link in links for claim_id in (link.claim_a, link.claim_b)}
            snapshot = cls.of((c for c in store.each_claim() if c.id in linked), store.article_heads(), links)
            evidence: dict[int, list[EvidenceItem]] = {}
            for item in store.evidence(withdrawn=False):
                evidence.setdefault(item.claim_id, []).append(item)
            return replace(snapshot, calls=_calls_by_claim(store), evidence=evidence)

    @classmethod
    @bulk()
    def of(cls, claims: Iterable[Claim], articles: Iterable[Article], links: list[Link]) -> Snapshot:
        """The snapshot of claims and articles already in hand (the TUI holds them), with the
        links, best first."""
        claims = {c.id: c for c in claims}
        articles = {a.id: a for a in articles}
        by_claim: defaultdict[int, list[Link]] = defaultdict(list)
        for link in links:
            by_claim[link.claim_a].append(link)
            by_claim[link.claim_b].append(link)
        # an article imported after `articles()` was read (by another workbench) is attributed
        # once the case is read again
        outlets = {a.id: a.source or "" for a in articles.values()}
        attributed = {c.id: groups.Attributed(c.id, outlets.get(c.article_id, ""), tuple(c.sources))
                      for c in map(claims.get, by_claim) if c is not None}  # only linked claims have groups
        return cls(claims, articles, dict(by_claim), groups.group_origins(links, attributed))

    def evidence_of(self, claim: Claim) -> list[EvidenceItem]:
        """The claim's evidence as a sheet shows it: its free-text evidence first (an item of kind
        other, id 0), then the items that stand, oldest first; withdrawn items are in the case
        document, not the sheet."""
        free = EvidenceItem.free_text(claim)
        return [free, *self.evidence.get(claim.id, ())] if free else self.evidence.get(claim.id, [])

    def article_of(self, claim_id: int) -> Article | None:
        """The article a claim is in (None for a claim another workbench added since)."""
        claim = self.claims.get(claim_id)
        return self.articles.get(claim.article_id) if claim else None

    def discrepancies(self) -> list[dict[str, Any]]:
        """Every fact its reports disagree on: each slot, and each report's value with where and
        when (a group of a thousand claims is one entry, not a thousand)."""
        return [{"group": number, "slot": d.slot, "values": _discrepancy_record(d, self)["values"]}
                for number, group in enumerate(self.grouped, 1) for d in groups.discrepancies(group.links)]

    def suggestions(self) -> dict[int, str]:
        """The credibility digit each linked claim's group suggests (see `groups.suggest_credibility`)."""
        found = {}
        for group in self.grouped:
            origins, disputed = len(group.origins), group.disputed  # once a group, not once a member
            for m in group.members:
                found[m] = groups.suggest_credibility(self.links.get(m, []), origins, disputed)
        return found


@bulk()
def claim_records(
    store: Store, *, status: Status | str | None = None, article_id: int | None = None,
    assignee: str | None = None,
) -> list[dict[str, Any]]:
    """Every claim (with its article's metadata and its links) as a plain dict."""
    with store.reading():
        return list(_records(Snapshot.read(store), store.each_claim(), status, article_id, assignee))


def _records(snapshot: Snapshot, claims: Iterable[Claim], status: Status | str | None = None,
             article_id: int | None = None, assignee: str | None = None) -> Iterator[dict[str, Any]]:
    """The record of each of `claims` that passes the filters, one at a time: a sheet writes
    each as it comes (the records of 34,000 claims with their links take 100 MB as a list)."""
    suggested = snapshot.suggestions()
    for claim in _selected(claims, status, article_id, assignee):
        article = snapshot.articles[claim.article_id]
        yield {
            "id": claim.id,
            "article": article.id,
            "article_label": article.label,
            "title": article.title,
            "source": article.source,
            "date": article.date,
            "start": claim.start,
            "end": claim.end,
            "page": article.page_of(claim.start),  # a PDF's claim: the page it is on (else null)
            "text": claim.text,
            "kind": claim.kind.value,
            "score": claim.score,
            "status": claim.status.value,
            "grade": grade(article.reliability, claim.credibility),
            "reliability": article.reliability,
            "credibility": claim.credibility,
            "assignee": claim.assignee,
            "suggested_credibility": suggested.get(claim.id, "6"),
            "note": claim.note,
            "evidence": claim.evidence,
            "analyst": claim.analyst,
            "updated_at": claim.updated_at,
            "numbers": claim.numbers,
            "dates": claim.dates,
            "sources": claim.sources,
            "links": [
                {"claim": link.other(claim.id), "score": link.score, "relation": link.relation,
                 "standing": _standing(claim.id, link, snapshot),
                 "reason": link.reason, "differences": _differences_of(claim.id, link),
                 "call": link.call, "called_by": link.called_by}
                for link in snapshot.links.get(claim.id, [])
            ],
            "calls": snapshot.calls.get(claim.id, []),
            "evidence_items": [_evidence_record(item) for item in snapshot.evidence_of(claim)],
        }


def _evidence_record(item: EvidenceItem) -> dict[str, Any]:
    return {"id": item.id, "kind": item.kind, "stance": item.stance, "value": item.value, "note": item.note,
            "analyst": item.analyst, "added_at": item.added_at}


def evidence_cell(items: Iterable[EvidenceItem]) -> str:
    """A claim's evidence in one sheet cell: "✓ link https://… ; ✗ quote "…" (a note)"."""
    return " ; ".join(item.summary() + (f" ({item.note})" if item.note else "") for item in items)


def _standing(claim_id: int, link: Link, snapshot: Snapshot) -> str:
    return groups.standing(link, snapshot.article_of(claim_id), snapshot.article_of(link.other(claim_id)))


def _differences_of(claim_id: int, link: Link) -> list[dict[str, str]]:
    """A link's differences as seen from one of its claims: its value first, the other's second."""
    mine = link.claim_a == claim_id
    return [{"slot": slot, "this": a if mine else b, "other": b if mine else a} for slot, a, b in link.differences]


def _discrepancy_record(discrepancy: groups.Discrepancy, snapshot: Snapshot) -> dict[str, Any]:
    """One slot of a fact, and the value each report gives it, with where and when."""
    values = []
    for claim_id, value in discrepancy.values:
        article = snapshot.article_of(claim_id)
        values.append({"claim": claim_id, "article_label": article.label if article else "",
                       "source": article.source if article else None, "date": article.date if article else None,
                       "value": value})
    return {"slot": discrepancy.slot, "values": values}


def _calls_by_claim(store: Store) -> dict[int, list[dict[str, Any]]]:
    """Each claim's analysts' calls on its links, oldest first (an unlinked pair included)."""
    found: dict[int, list[dict[str, Any]]] = {}
    for row in store.calls():
        for claim_id, other in ((row["claim_a"], row["claim_b"]), (row["claim_b"], row["claim_a"])):
            found.setdefault(claim_id, []).append({"claim": other, "call": row["call"], "aligner": row["aligner"],
                                                   "by": row["called_by"], "at": row["called_at"]})
    return found


def link_groups(store: Store) -> list[dict[str, Any]]:
    """The groups of claims stating one fact, with each member's article and attribution, each
    link's relation and differences, and where the group's reports disagree (for `workbench
    links` and tools)."""
    snapshot = Snapshot.read(store)
    claims, articles = snapshot.claims, snapshot.articles
    return [
        {
            "group": number,
            "independent_origins": len(group.origins),
            "independently_confirmed": group.confirmed,
            "disputed": group.disputed,
            "claims": [
                {"id": m, "article": claims[m].article_id, "article_label": articles[claims[m].article_id].label,
                 "source": articles[claims[m].article_id].source, "date": articles[claims[m].article_id].date,
                 "text": claims[m].text, "sources": claims[m].sources, "status": claims[m].status.value}
                for m in group.members
            ],
            "links": [
                {"a": l.claim_a, "b": l.claim_b, "score": l.score, "relation": l.relation, "reason": l.reason,
                 "differences": [{"slot": slot, "a": a, "b": b} for slot, a, b in l.differences],
                 "call": l.call, "called_by": l.called_by}
                for l in group.links
            ],
            "discrepancies": [_discrepancy_record(d, snapshot) for d in groups.discrepancies(group.links)],
        }
        for number, group in enumerate(snapshot.grouped, 1)
    ]


def _selected(claims: Iterable[Claim], status: Status | str | None = None, article_id: int | None = None,
              assignee: str | None = None) -> Iterator[Claim]:
    """The claims (not sentences) that pass the filters, in the order given."""
    status = Status(status) if status is not None else None
    for claim in claims:
        if not claim.is_claim or (status is not None and claim.status != status) or (
                article_id is not None and claim.article_id != article_id) or (
                assignee is not None and claim.assignee != assignee):
            continue
        yield claim


@bulk()
def sheet_rows(
    store: Store, *, status: Status | str | None = None, article_id: int | None = None,
    assignee: str | None = None,
) -> list[list[Any]]:
    """The claim sheet's rows, values in `CSV_COLUMNS` order, as CSV and xlsx write them: the
    article by its label, the links in one cell. Made from the claims themselves: a record and a
    dict per link for each of 34,000 claims took half a CSV's time."""
    with store.reading():
        return list(_sheet(Snapshot.read(store), store.each_claim(), status, article_id, assignee))


def _sheet(snapshot: Snapshot, claims: Iterable[Claim], status: Status | str | None = None,
           article_id: int | None = None, assignee: str | None = None) -> Iterator[list[Any]]:
    """The sheet's row of each of `claims` that passes the filters, one at a time."""
    suggested = snapshot.suggestions()
    for claim in _selected(claims, status, article_id, assignee):
        article = snapshot.articles[claim.article_id]
        yield [
            claim.id, article.label, article.source, article.date, article.title, claim.start, claim.end,
            claim.kind.value, claim.score, claim.status.value, grade(article.reliability, claim.credibility),
            article.reliability, claim.credibility, suggested.get(claim.id, "6"), claim.assignee, claim.note,
            claim.evidence, claim.analyst, claim.updated_at, claim.text,
            _links_cell(claim.id, snapshot.links.get(claim.id, ())),
            _differences_cell(claim.id, snapshot),
            "; ".join(f"#{c['claim']} {CALL_NAMES.get(c['call'], c['call'])} by {c['by']} {c['at']}"
                      for c in snapshot.calls.get(claim.id, [])),
            evidence_cell(snapshot.evidence_of(claim)),
        ]


def _shown(discrepancies: list[dict[str, Any]], claim_ids: set[int]) -> list[dict[str, Any]]:
    """The facts whose reports disagree that a (filtered) sheet shows one of the claims of."""
    return [d for d in discrepancies if any(v["claim"] in claim_ids for v in d["values"])]


def _differences_cell(claim_id: int, snapshot: Snapshot) -> str:
    """Where other reports disagree with this claim, a slot a line: "aircraft: Two aircraft vs
    Three aircraft (#48 A3, Wire, 2026-03-13)"."""
    lines = []
    for link in snapshot.links.get(claim_id, ()):
        if link.relation not in (CONFLICTS, REVISED):
            continue
        article = snapshot.article_of(link.other(claim_id))
        where = ", ".join(x for x in (f"#{link.other(claim_id)}", article.label if article else "",
                                     *((article.source, article.date) if article else ())) if x)
        for d in _differences_of(claim_id, link):
            lines.append(f"{d['slot']}: {d['this']} vs {d['other']} ({where})")
    return "\n".join(lines)


def write(store: Store, fmt: str, out: BinaryIO, *, bom: bool = False, publisher: str = "", url: str = "",
          **filters: Any) -> None:
    """Write the claim sheet in `fmt` (one of `FORMATS`) to `out` as it is made.

    Every part of it is read at one moment of the case (`Store.reading`): analysts go on marking
    meanwhile, and a sheet read over several moments contradicted itself. It is written a row at
    a time as it is read, so its memory does not grow with the case (the xlsx writer excepted).
    Give it a file from `workbench.files.writing`, so that a failure half way leaves the old
    file whole. `publisher` and `url` name who publishes a ClaimReview and where. With `bom`, a
    CSV starts with a UTF-8 byte-order mark: without it, Excel reads the file as the machine's
    legacy code page and mangles every accent and curly quote."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if bom and fmt != "csv":
        raise ValueError("a byte-order mark is for csv only")
    with bulk(), store.reading():
        snapshot = Snapshot.read(store)
        if fmt == "xlsx":
            claims = list(_selected(store.each_claim(), **filters))
            rows = list(_sheet(snapshot, claims))
            out.write(to_xlsx(rows, _shown(snapshot.discrepancies(), {row[0] for row in rows}),
                              _evidence_rows(snapshot, claims)))
            return
        if bom:
            out.write(codecs.BOM_UTF8)
        text = _Text(out)
        if fmt == "csv":
            write_csv(text, _sheet(snapshot, store.each_claim(), **filters))
        elif fmt == "md":
            write_markdown(text, store, snapshot, filters)
        elif fmt == "json":
            write_json_sheet(text, store, snapshot, filters)
        elif fmt == "html":
            write_html(text, store, snapshot, filters)
        else:
            text.write(to_claimreview(_records(snapshot, store.each_claim(), **filters), store,
                                      publisher=publisher, url=url))


def render(store: Store, fmt: str, *, publisher: str = "", url: str = "", **filters: Any) -> str:
    """The claim sheet in `fmt` as text, whole: for a test or a tool; a file is written by `write`."""
    if fmt in BINARY:
        raise ValueError(f"{fmt} is binary: use render_bytes")
    return render_bytes(store, fmt, publisher=publisher, url=url, **filters).decode("utf-8")


def render_bytes(store: Store, fmt: str, *, bom: bool = False, **options: Any) -> bytes:
    """The claim sheet in `fmt` as bytes, whole (see `write`)."""
    out = io.BytesIO()
    write(store, fmt, out, bom=bom, **options)
    return out.getvalue()


class _Text:
    """A sheet's text, written to its binary file as UTF-8 as it comes. (A `TextIOWrapper`
    would close the file it wraps when dropped: standard output, or a file `files.writing`
    still has to sync.)"""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self._separator = ""

    def write(self, text: str) -> int:
        self.out.write(text.encode("utf-8"))
        return len(text)

    def lines(self, *lines: str) -> None:
        """Lines as `"\\n".join` joins them: a newline between two, none after the last yet."""
        for line in lines:
            self.write(self._separator + line)
            self._separator = "\n"


def _noting(records: Iterable[dict[str, Any]], listed: set[int]) -> Iterator[dict[str, Any]]:
    """`records`, each one's claim noted in `listed` as it passes."""
    for record in records:
        listed.add(record["id"])
        yield record


def _shown_after(snapshot: Snapshot, listed: set[int]) -> Iterator[dict[str, Any]]:
    """The facts whose reports disagree that a claim in `listed` is one of, worked out when first
    asked for: a sheet shows them after its claims, so by then `listed` holds every claim listed."""
    yield from _shown(snapshot.discrepancies(), listed)


# -- CSV ----------------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


#: How a link's relation is written before the other claim's number in a sheet's links cell.
_LINK_MARK = {relation: "" if relation == CORROBORATES else sign for relation, sign in SIGNS.items()}


def _links_cell(claim_id: int, links: Iterable[Link]) -> str:
    """A claim's links in one sheet cell, best first: "#3" the same fact, "≠#3" a conflict, "~#3" related."""
    return " ".join([f"{_LINK_MARK.get(link.relation, '')}#{link.other(claim_id)}" for link in links])


def safe_cell(value: Any) -> str:
    """Defuse a cell a spreadsheet would evaluate (OWASP CSV injection guidance)."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text[:1] in _FORMULA_FIRST else text


#: What a cell a spreadsheet would evaluate starts with.
_FORMULA_FIRST = frozenset(_FORMULA_START)


def write_csv(out: _Text, rows: Iterable[Sequence[Any]]) -> None:
    """The sheet's rows as CSV, every text cell defused (numbers cannot start a formula)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    formula = _FORMULA_FIRST
    for row in rows:  # `safe_cell`, inline: 700,000 cells
        writer.writerow([("'" + value if value[:1] in formula else value) if value.__class__ is str else value
                         for value in row])


# -- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = "\\`*_[]<>|~&$"


def md_escape(text: str) -> str:
    """Escape everything Markdown could read as syntax, fold newlines, and make control
    characters visible: the sheet is read with `cat` and `less` too, where ESC would act."""
    text = " ".join(one_line(str(text)).split())
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)


def write_markdown(out: _Text, store: Store, snapshot: Snapshot, filters: dict[str, Any]) -> None:
    """The claim sheet as Markdown: a section an article, then where the reports disagree."""
    progress = store.progress()
    out.lines(
        "# Claim sheet",
        "",
        f"Exported {now()}: {progress.reviewed} of {progress.total} claims reviewed "
        f"({progress.summary()}).",
        "",
    )
    listed: set[int] = set()
    # the records come in reading order, so an article's are together (and not held: a 20 MB
    # article has a hundred thousand)
    for _, group in itertools.groupby(_noting(_records(snapshot, store.each_claim(), **filters), listed),
                                      key=itemgetter("article")):
        first = next(group)
        meta = " · ".join(x for x in (first["source"], first["date"]) if x)
        out.lines(f"## {first['article_label']}: {md_escape(first['title'])}", "")
        if meta:
            out.lines(f"*{md_escape(meta)}*", "")
        for r in itertools.chain([first], group):
            status = Status(r["status"])
            out.lines(
                f"- {status.symbol} **{status.value}** #{r['id']} *{r['kind']}* "
                f"({r['score']:.2f}): {md_escape(r['text'])}"
            )
            if r["note"]:
                out.lines(f"  - Note: {md_escape(r['note'])}")
            for e in r["evidence_items"]:
                out.lines(f"  - Evidence {_SYMBOL[e['stance']]} {e['stance']}, {e['kind']}: {md_escape(e['value'])}"
                          + (f" ({md_escape(e['note'])})" if e["note"] else "")
                          + (f", by {md_escape(e['analyst'])}" if e["analyst"] and e["id"] else ""))
            if r["analyst"]:
                out.lines(f"  - By {md_escape(r['analyst'])} at {r['updated_at']}")
            if r["links"]:
                same = [l for l in r["links"] if l["relation"] == CORROBORATES]
                related = [l for l in r["links"] if l["relation"] == RELATED]
                if same:
                    out.lines("  - Same fact as: " + ", ".join(f"#{l['claim']} ({l['score']:.2f})" for l in same))
                if related:
                    out.lines("  - Related: " + ", ".join(f"#{l['claim']} ({l['score']:.2f})" for l in related))
                for l in r["links"]:
                    if l["relation"] in (CONFLICTS, REVISED):
                        out.lines(f"  - {l['standing'].capitalize()} #{l['claim']}: "
                                  f"{md_escape(l['reason'] or 'an analyst said so')}")
            for c in r["calls"]:
                out.lines(f"  - {md_escape(c['by'] or '')} called #{c['claim']} "
                          f"{md_escape(CALL_NAMES.get(c['call'], c['call'] or ''))} at {md_escape(c['at'] or '')}")
        out.lines("")
    discrepancies = _shown(snapshot.discrepancies(), listed)
    if discrepancies:
        out.lines("## Where the reports disagree", "",
                  "| Group | Slot | Value | Claim | Article | Source | Date |", "| --- | --- | --- | --- | --- | --- | --- |")
        out.lines(*("| " + " | ".join(md_escape(str(cell)) if cell != "" else "" for cell in row) + " |"
                    for row in discrepancy_rows(discrepancies)))
        out.lines("")


# -- JSON ---------------------------------------------------------------------------------------


def write_json_sheet(out: _Text, store: Store, snapshot: Snapshot, filters: dict[str, Any]) -> None:
    """The claim sheet (`claims`) and the case behind it (articles with their text, every
    sentence with offsets, links, history: see `workbench.case`), which `workbench import-case`
    and `workbench merge` read back. Filtered, the case part holds only the listed claims."""
    whole = not any(v is not None for v in filters.values())
    claim_ids = None if whole else {claim.id for claim in _selected(store.each_claim(), **filters)}
    listed: set[int] = set()
    case_part = ((key, _labelled(value) if key == "articles" else value)
                 for key, value in case.document_parts(store, claim_ids))
    _write_object(out, itertools.chain(
        [("workbench_claim_sheet", 1)], case_part,
        [("claims", _noting(_records(snapshot, store.each_claim(), **filters), listed)),
         ("discrepancies", _shown_after(snapshot, listed))]))


def _labelled(articles: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The case document's articles, each with its label ("A3") last, as a sheet shows them."""
    for article in articles:
        article["label"] = article_label(article["id"])
        yield article


#: One encoder for every value: `json.dumps` with options makes a new one on each call.
_JSON = json.JSONEncoder(ensure_ascii=False)


def dump_json(value: Any) -> str:
    """JSON that reads a record a line: an object's keys and a list's items each on their own
    line, each item written compactly. `json.dumps(indent=2)` gives every value its own line and
    runs json's pure-Python encoder, 11 s for a 1,000-article case; this runs its C encoder."""
    out = io.StringIO()
    write_json(out, value)
    return out.getvalue()


def write_json(out: _Text | io.StringIO, value: Any) -> None:
    """`dump_json`, written to `out` as it goes; where it takes a list, an iterator will do,
    read an item at a time."""
    if isinstance(value, dict) and value:
        _write_object(out, value.items())
    elif isinstance(value, (list, Iterator)):
        _write_items(out, value, indent="")
        out.write("\n")
    else:
        out.write(_JSON.encode(value) + "\n")


def _write_object(out: _Text | io.StringIO, entries: Iterable[tuple[Any, Any]]) -> None:
    """An object of `entries` (key, value), a key a line; a list's items each on a line of their own."""
    separator = "{\n"
    for key, item in entries:
        out.write(f"{separator}  {_json_key(key)}: ")
        separator = ",\n"
        if isinstance(item, (list, Iterator)):
            _write_items(out, item, indent="  ")
        else:
            out.write(_JSON.encode(item))
    out.write("\n}\n")


def _json_key(key: Any) -> str:
    """A key as json writes one: a string, or a number, true, false or null as its text."""
    if isinstance(key, str):
        return _JSON.encode(key)
    if key is None or isinstance(key, (int, float)):
        return _JSON.encode(_JSON.encode(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _write_items(out: _Text | io.StringIO, items: Iterable[Any], indent: str) -> None:
    """A list with each item compact on a line of its own (an article's 20 MB text included:
    it is written after its line's start, not joined to it)."""
    separator = "[\n"
    for item in items:
        out.write(f"{separator}{indent}  ")
        out.write(_JSON.encode(item))
        separator = ",\n"
    out.write("[]" if separator == "[\n" else f"\n{indent}]")


# -- HTML ---------------------------------------------------------------------------------------

_HTML_STYLE = """
body{font:15px/1.5 system-ui,sans-serif;margin:2em;color:#1d1d1d}
h1{font-size:1.4em}.meta{color:#666}
.articles{display:grid;grid-template-columns:repeat(auto-fit,minmax(28em,1fr));gap:1.5em}
article{border:1px solid #ccc;border-radius:6px;padding:1em;white-space:pre-wrap}
mark{padding:0 .15em;border-radius:3px}
mark.unmarked{background:#dde7f7}mark.open{background:#ffe7a8}mark.verified{background:#c9f0cf}
mark.disputed{background:#f8c9c9}
table{border-collapse:collapse;margin-top:2em;width:100%}td,th{border:1px solid #ccc;padding:.3em .5em;
vertical-align:top;text-align:left}
@media print{.articles{display:block}article{break-inside:avoid;margin-bottom:1em}}
"""


def write_html(out: _Text, store: Store, snapshot: Snapshot, filters: dict[str, Any]) -> None:
    """One self-contained page: the articles side by side with their claims highlighted by
    status (and symbol, for print and colour-blind readers), then the claim table. Everything
    from an article or an analyst is escaped; nothing is loaded from the network. The claims
    are read twice (in the one moment of the case), an article's text once: neither is held."""
    from html import escape

    progress = store.progress()
    out.lines("<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
              "<title>Claim sheet</title>", f"<style>{_HTML_STYLE}</style></head><body>",
              "<h1>Claim sheet</h1>",
              f'<p class="meta">Exported {escape(now())}: {progress.reviewed} of {progress.total} claims reviewed '
              f"({escape(progress.summary())}).</p>", '<div class="articles">')
    # the records come in reading order (article, then start), the articles in id order, and a
    # claim's article is always stored: each article meets its records, which are not held
    by_article = itertools.groupby(_records(snapshot, store.each_claim(), **filters), key=itemgetter("article"))
    pending = next(by_article, None)
    for article in store.each_row("articles"):
        if pending is None:
            break
        if pending[0] != article["id"]:
            continue
        text = article["text"]
        meta = " · ".join(x for x in (article["source"], article["date"]) if x)
        out.lines(f"<article><h2>{escape(article_label(article['id']))}: {escape(article['title'])}</h2>"
                  f'<p class="meta">{escape(meta)}</p>')
        position = 0
        for r in pending[1]:
            if r["start"] < position:
                continue
            status = Status(r["status"])
            out.write(escape(text[position : r["start"]]))
            out.write(f'<mark class="{status.value}" id="claim-{r["id"]}" title="#{r["id"]} {status.value}">'
                      f"{escape(status.symbol)} {escape(text[r['start'] : r['end']])}</mark>")
            position = r["end"]
        out.write(escape(text[position:]))
        out.write("</article>")
        pending = next(by_article, None)
    out.lines("</div><table><thead><tr><th>#</th><th>Article</th><th>Status</th><th>Grade</th><th>Kind</th>"
              "<th>Claim</th><th>Note</th><th>Evidence</th><th>Analyst</th><th>Same fact / conflicts</th></tr></thead><tbody>")
    for r in _records(snapshot, store.each_claim(), **filters):
        status = Status(r["status"])
        links = ", ".join(SIGNS.get(l["relation"], "=") + f"#{l['claim']}" for l in r["links"])
        out.lines(
            f'<tr><td><a href="#claim-{r["id"]}">#{r["id"]}</a></td><td>{escape(r["article_label"])}</td>'
            f"<td>{escape(status.symbol)} {escape(status.value)}</td><td>{escape(r['grade'])}</td>"
            f"<td>{escape(r['kind'])}</td><td>{escape(r['text'])}</td><td>{escape(r['note'])}</td>"
            f"<td>{_html_evidence(r['evidence_items'])}</td>"
            f"<td>{escape(r['analyst'] or '')}</td><td>{escape(links)}</td></tr>"
        )
    out.lines("</tbody></table></body></html>")
    out.write("\n")


def _html_evidence(items: Sequence[dict[str, Any]]) -> str:
    """A claim's evidence items as a list in its table row. An address is shown as text, never
    made a link: the report stays inert (nothing in it fetches or opens anything), and an
    address anyone typed cannot dress up as another."""
    from html import escape

    if not items:
        return ""
    lines = []
    for e in items:
        value = escape(one_line(e["value"]))
        note = f" ({escape(one_line(e['note']))})" if e["note"] else ""
        lines.append(f'<li class="{escape(e["stance"])}">{escape(_SYMBOL[e["stance"]])} {escape(e["stance"])}, '
                     f"{escape(e['kind'])}: {value}{note}</li>")
    return "<ul>" + "".join(lines) + "</ul>"


def _is_web_address(value: str) -> bool:
    return value.startswith(("http://", "https://")) and not any(c.isspace() or ord(c) < 32 for c in value)


#: Each stance's glyph, as the TUI shows it.
_SYMBOL = STANCE_SYMBOLS


# -- ClaimReview --------------------------------------------------------------------------------

#: How a mark reads as a schema.org rating (1 false .. 5 true).
_RATINGS = {"verified": (5, "Verified"), "disputed": (1, "Disputed")}


#: What JSON-LD must not hold as it is to sit inside `<script type="application/ld+json">`: an
#: article quoting "</script>" would end the element and run what follows in the page.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def appearance_url(article: Article) -> str | None:
    """Where the claim appeared on the web: the one place a ClaimReview reads an article's
    address: the address it records (a page fetched, front matter, an analyst's correction),
    else a web address it was imported from."""
    if article.url and _is_web_address(article.url):
        return article.url
    if article.path and _is_web_address(article.path):
        return article.path
    return None


def to_claimreview(records: Sequence[dict[str, Any]], store: Store, *, publisher: str, url: str) -> str:
    """schema.org ClaimReview JSON-LD for every verified or disputed claim, safe to paste into a
    script element as it is: `<`, `>` and `&` are written as JSON escapes (the same strings
    once parsed), since they can only stand inside a string."""
    articles = {a.id: a for a in store.articles()}
    reviews = []
    for r in records:
        if r["status"] not in _RATINGS:
            continue
        value, name = _RATINGS[r["status"]]
        article = articles[r["article"]]
        appearance: dict[str, Any] = {"@type": "CreativeWork", "headline": article.title}
        if address := appearance_url(article):
            appearance["url"] = address
        if article.source:
            appearance["publisher"] = {"@type": "Organization", "name": article.source}
        # the claim as it appeared: its author is the outlet that published it (a source it
        # cites, such as a ministry, is in the claim's text); else the one it cites
        item: dict[str, Any] = {"@type": "Claim", "appearance": [appearance]}
        if article.source or r["sources"]:
            item["author"] = {"@type": "Organization", "name": article.source or r["sources"][0]}
        if published := published_date(article.date):
            item["datePublished"] = published.isoformat()
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": r["text"],
            "reviewRating": {"@type": "Rating", "ratingValue": value, "bestRating": 5, "worstRating": 1,
                             "alternateName": name + (f": {r['note']}" if r["note"] else "")},
            "itemReviewed": item,
            "author": {"@type": "Organization", "name": publisher or (r["analyst"] or "workbench")},
            "datePublished": (r["updated_at"] or now())[:10],
        }
        if url:
            review["url"] = f"{url.rstrip('#')}#claim-{r['id']}"
        citations = [{"@type": "CreativeWork", "url": e["value"],
                      "description": e["stance"] + (f": {e['note']}" if e["note"] else "")}
                     for e in r["evidence_items"] if e["kind"] in ("link", "archive") and _is_web_address(e["value"])]
        if citations:  # only web addresses: a file, a quote or whom the analyst asked stays in the case
            review["citation"] = citations
        reviews.append(review)
    return dump_json(reviews).translate(_SCRIPT_SAFE)


# -- XLSX ---------------------------------------------------------------------------------------

_STATUS_FILL = {"verified": "#C9F0CF", "disputed": "#F8C9C9", "open": "#FFE7A8", "unmarked": "#FFFFFF"}


def to_xlsx(rows: Sequence[Sequence[Any]], discrepancies: Sequence[dict[str, Any]] = (),
            evidence: Sequence[Sequence[Any]] = ()) -> bytes:
    """The claim sheet as a workbook: a Claims sheet (header, frozen, filterable, status
    coloured), a Summary sheet of counts per status and article, and a Discrepancies sheet, a
    row per report of each fact its reports disagree on. Cells are written as text, so a
    formula in an article or a note is never evaluated."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    header = book.add_format({"bold": True, "bg_color": "#E8E8E8", "border": 1})
    fills = {status: book.add_format({"bg_color": colour, "border": 1}) for status, colour in _STATUS_FILL.items()}
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Claims")
    for column, name in enumerate(CSV_COLUMNS):
        sheet.write_string(0, column, name, header)
    for row, values in enumerate(rows, 1):
        for column, (name, value) in enumerate(zip(CSV_COLUMNS, values)):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                sheet.write_number(row, column, value)
            elif value is None or value == "":
                continue  # an empty cell, not an empty string: a third of the cells, a quarter of the time
            elif name == "status":
                sheet.write_string(row, column, str(value), fills.get(str(value), wrap))
            else:
                sheet.write_string(row, column, "" if value is None else str(value), wrap if name == "text" else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(CSV_COLUMNS) - 1)
    sheet.set_column(CSV_COLUMNS.index("text"), CSV_COLUMNS.index("text"), 80)
    sheet.set_column(CSV_COLUMNS.index("title"), CSV_COLUMNS.index("title"), 30)

    summary = book.add_worksheet("Summary")
    statuses = [s.value for s in (Status.VERIFIED, Status.DISPUTED, Status.OPEN, Status.UNMARKED)]
    summary.write_row(0, 0, ["article", *statuses, "total"], header)
    by_article: dict[str, dict[str, int]] = {}
    article_at, status_at = CSV_COLUMNS.index("article"), CSV_COLUMNS.index("status")
    for values in rows:
        counts = by_article.setdefault(values[article_at], dict.fromkeys(statuses, 0))
        counts[values[status_at]] = counts.get(values[status_at], 0) + 1
    row = 0
    for row, (label, counts) in enumerate(sorted(by_article.items()), 1):
        summary.write_string(row, 0, label)
        for column, status in enumerate(statuses, 1):
            summary.write_number(row, column, counts[status])
        summary.write_number(row, len(statuses) + 1, sum(counts.values()))
    totals = row + 1
    summary.write_string(totals, 0, "all", header)
    for column, status in enumerate(statuses, 1):
        summary.write_number(totals, column, sum(c[status] for c in by_article.values()), header)
    summary.write_number(totals, len(statuses) + 1, len(rows), header)

    table = book.add_worksheet("Discrepancies")
    table.write_row(0, 0, DISCREPANCY_COLUMNS, header)
    for row, values in enumerate(discrepancy_rows(discrepancies), 1):
        for column, value in enumerate(values):
            if isinstance(value, int):
                table.write_number(row, column, value)
            elif value:
                table.write_string(row, column, str(value))
    table.freeze_panes(1, 0)

    items = book.add_worksheet("Evidence")
    items.write_row(0, 0, EVIDENCE_COLUMNS, header)
    for row, values in enumerate(evidence, 1):
        for column, value in enumerate(values):
            if isinstance(value, int):
                items.write_number(row, column, value)
            elif value:
                items.write_string(row, column, str(value))
    items.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


#: The Evidence sheet's columns: a row per item of each claim listed (id 0: its free-text evidence).
EVIDENCE_COLUMNS = ("claim", "item", "stance", "kind", "value", "note", "analyst", "added_at")


def _evidence_rows(snapshot: Snapshot, claims: Iterable[Claim]) -> list[list[Any]]:
    return [[claim.id, item.id, f"{item.symbol} {item.stance}", item.kind, item.value, item.note, item.analyst,
             item.added_at] for claim in claims for item in snapshot.evidence_of(claim)]


#: The discrepancy table's columns: a row per report of a fact its reports disagree on.
DISCREPANCY_COLUMNS = ("group", "slot", "value", "claim", "article", "source", "date")


def discrepancy_rows(discrepancies: Sequence[dict[str, Any]]) -> list[list[Any]]:
    return [[d["group"], d["slot"], v["value"], v["claim"], v["article_label"], v["source"] or "", v["date"] or ""]
            for d in discrepancies for v in d["values"]]
