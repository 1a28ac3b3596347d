"""Random and hostile text never breaks the pipeline: read -> find claims -> store -> export.

Each property is what an analyst relies on when the article comes from an adversary: the reader
refuses or reads (never raises anything else), offsets slice to the claim text, and every export
parses back to what the database holds.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import claims, export, reader
from workbench.store import Store

#: Pieces hostile articles are made of: markup, terminal escapes, bidi and zero-width characters,
#: spreadsheet formulas, HTML, Markdown and the punctuation sentence splitters trip on.
HOSTILE = [
    "[bold red]", "[/]", "[link=http://x]", "[@click=app.quit]", "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]52;c;aGk=\x07",
    "\x9b31m", "\u202e", "\u200b", "\ufeff", "=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "<script>x</script>",
    "<b>", "&amp;", "| a |", "**", "`", "\r", "\t", "\n\n", "U.S.", "Gen.", "“", "”", "...", "3.5%", "$2bn", "two",
    "CENTCOM said", " ", ". ", "? ", "\x00",
]
hostile_text = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12)), min_size=1, max_size=40).map("".join)
sentence = st.lists(st.sampled_from(["Officials", "said", "two", "aircraft", "were", "lost", "on", "Thursday",
                                     "3,000", "troops", "CENTCOM"]), min_size=3, max_size=12).map(" ".join)
article_text = st.lists(st.one_of(hostile_text, sentence.map(lambda s: s + ". ")), min_size=1, max_size=12).map("".join)

SLOW = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_bytes_are_read_as_text_or_refused_with_a_reason(data: bytes) -> None:
    try:
        text, encoding = reader.decode(data, "x.txt")
    except reader.ReadError as error:
        assert error.path == "x.txt" and error.reason
        return
    assert text.strip() and encoding


@given(article_text)
@settings(max_examples=200, deadline=None)
def test_the_body_of_any_article_is_kept_exactly(text: str) -> None:
    try:
        draft = reader.parse_article(text, path="a.txt")
    except reader.ReadError:
        assert not text.strip() or text.lstrip().startswith(("---", "date"))
        return
    assert text.endswith(draft.text)
    assert draft.title and "\n" not in draft.title


@given(article_text)
@settings(max_examples=150, deadline=None)
def test_every_claim_found_slices_to_its_own_text(text: str) -> None:
    for found in claims.find_claims(text):
        assert text[found.start : found.end] == found.text
        assert found.text == found.text.strip()


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@given(st.lists(article_text, min_size=1, max_size=3))
@SLOW
def test_every_export_of_hostile_articles_parses_back_to_the_database(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "case.db") as store:
        for text in dict.fromkeys(texts):  # the same text twice is one article
            try:
                draft = reader.parse_article(text, path="a.txt")
            except reader.ReadError:
                continue
            if store.article_by_hash(draft.content_hash) is None:
                store.add_article(draft, claims.find_claims(draft.text), "ana")
        stored = {c.id: c for c in store.claims()}
        for claim in stored.values():
            mark = {"verified", "disputed", "open"}
            store.mark(claim.id, sorted(mark)[claim.id % 3], "ana", note=texts[0][:200])

        rows = list(csv.DictReader(io.StringIO(export.render(store, "csv"))))
        assert [int(r["id"]) for r in rows] == sorted(stored)
        for row in rows:
            text = stored[int(row["id"])].text
            assert row["text"] == (("'" + text) if text.startswith(export._FORMULA_START) else text)
            assert not row["text"].startswith(("=", "+", "-", "@", "\t", "\r"))

        document = json.loads(export.render(store, "json"))
        assert {c["id"]: c["text"] for c in document["claims"]} == {i: c.text for i, c in stored.items()}

        page = _Cells()
        page.feed(export.render(store, "html"))
        page.close()
        assert "script" not in page.tags  # article text never becomes markup

        markdown = export.render(store, "md")
        assert "<script>" not in markdown and "\x1b" not in markdown

        for item in json.loads(export.render(store, "claimreview")) or []:
            assert item["@type"] == "ClaimReview" and item["claimReviewed"] in {c.text for c in stored.values()}
