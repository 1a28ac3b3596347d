"""The HTML report and ClaimReview JSON-LD: well-formed, escaped, and faithful to the case."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from workbench import export, ingest
from workbench.store import Store


class Marks(HTMLParser):
    """Collects the highlighted claims, the table rows, and any element an article could inject."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str]] = []
        self.rows = 0
        self.scripts = 0
        self.external = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "mark":
            self.marks.append((found.get("class") or "", found.get("id") or ""))
        elif tag == "tr":
            self.rows += 1
        elif tag in ("script", "iframe", "img"):
            self.scripts += 1
        if any((value or "").startswith(("http:", "https:", "//")) for key, value in attrs if key in ("src", "href")):
            self.external += 1


@pytest.fixture
def reviewed(seeded: Store, tmp_path: Path) -> Store:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("<b>Bold</b> report\n\nOfficials said 40 people <script>alert(1)</script> died on Monday, "
                       "the ministry said.\n", encoding="utf-8")
    ingest.import_paths(seeded, [hostile], analyst="ana")
    claims = seeded.claims()
    seeded.mark(claims[0].id, "verified", "ana", note="matches the <release>")
    seeded.mark(claims[1].id, "disputed", "bo")
    return seeded


def test_the_html_report_highlights_every_claim_by_status_and_escapes_everything(reviewed: Store) -> None:
    page = export.render(reviewed, "html")
    parser = Marks()
    parser.feed(page)
    records = export.claim_records(reviewed)
    assert len(parser.marks) == len(records)
    assert ("verified", f"claim-{records[0]['id']}") in parser.marks
    assert ("disputed", f"claim-{records[1]['id']}") in parser.marks
    assert parser.rows == len(records) + 1  # the header row
    assert parser.scripts == 0 and parser.external == 0  # self-contained, nothing injected
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "matches the &lt;release&gt;" in page


def test_claimreview_covers_verified_and_disputed_claims_with_the_required_fields(reviewed: Store) -> None:
    reviews = json.loads(export.render(reviewed, "claimreview", publisher="Desk", url="https://example.org/check"))
    assert [r["reviewRating"]["alternateName"].split(":")[0] for r in reviews] == ["Verified", "Disputed"]
    for review in reviews:
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"]
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["itemReviewed"]["@type"] == "Claim"
        assert review["itemReviewed"]["appearance"][0]["@type"] == "CreativeWork"
        assert review["author"] == {"@type": "Organization", "name": "Desk"}
        assert review["url"].startswith("https://example.org/check#claim-")
        assert len(review["datePublished"]) == 10
    assert reviews[0]["itemReviewed"]["datePublished"] == "2026-03-12"
    assert "matches the <release>" in reviews[0]["reviewRating"]["alternateName"]


def test_unreviewed_claims_are_not_published(seeded: Store) -> None:
    assert json.loads(export.render(seeded, "claimreview")) == []


def test_the_xlsx_sheet_reads_back_with_frozen_header_filters_colours_and_a_summary(reviewed: Store,
                                                                                     tmp_path: Path) -> None:
    import io

    import openpyxl

    reviewed.annotate(reviewed.claims()[2].id, "ana", "=HYPERLINK(\"http://evil\")")
    book = openpyxl.load_workbook(io.BytesIO(export.render_bytes(reviewed, "xlsx")))
    assert book.sheetnames == ["Claims", "Summary", "Discrepancies", "Evidence"]
    sheet = book["Claims"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    records = export.claim_records(reviewed)
    assert [r["id"] for r in rows] == [r["id"] for r in records]
    assert [r["text"] for r in rows] == [r["text"] for r in records]
    status_column = header.index("status") + 1
    assert sheet.cell(2, status_column).fill.fgColor.rgb.endswith("C9F0CF")  # verified is green
    evil = next(r for r in rows if (r["note"] or "").startswith("=HYPERLINK"))
    assert sheet.cell(rows.index(evil) + 2, header.index("note") + 1).data_type == "s"  # text, never a formula
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert summary[0][:5] == ["article", "verified", "disputed", "open", "unmarked"]
    assert summary[-1][-1] == len(records)


# The part of the schema.org vocabulary a ClaimReview uses (https://schema.org/ClaimReview, Rating,
# Claim, CreativeWork, Organization; version 29): each type's properties, own and inherited, and
# the types a property's value may take. A property or a value type outside it is not schema.org.
_THING = {"name", "url", "description", "alternateName", "identifier", "sameAs", "image"}
_CREATIVE_WORK = _THING | {"author", "datePublished", "headline", "publisher", "text", "inLanguage", "dateModified",
                           "citation"}
SCHEMA = {
    "ClaimReview": _CREATIVE_WORK | {"claimReviewed", "reviewRating", "itemReviewed", "reviewBody"},
    "Rating": _THING | {"ratingValue", "bestRating", "worstRating", "ratingExplanation", "reviewAspect"},
    "Claim": _CREATIVE_WORK | {"appearance", "firstAppearance", "claimInterpreter"},
    "CreativeWork": _CREATIVE_WORK,
    "Organization": _THING | {"legalName", "logo"},
    "Person": _THING | {"givenName", "familyName"},
}
RANGES = {
    "reviewRating": {"Rating"}, "itemReviewed": {"Claim", "CreativeWork"}, "appearance": {"CreativeWork"},
    "firstAppearance": {"CreativeWork"}, "citation": {"CreativeWork"}, "author": {"Organization", "Person"}, "publisher": {"Organization", "Person"},
}


def assert_schema_org(node: dict, expected: set[str] | None = None) -> None:
    kind = node["@type"]
    assert kind in SCHEMA, f"{kind} is not a schema.org type used here"
    assert expected is None or kind in expected, f"{kind} where schema.org expects {expected}"
    for key, value in node.items():
        if key.startswith("@"):
            continue
        assert key in SCHEMA[kind], f"{kind} has no property {key!r} in schema.org"
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                assert_schema_org(item, RANGES.get(key))
            elif key in RANGES:
                raise AssertionError(f"{kind}.{key} must be a {RANGES[key]}, not {item!r}")
            elif key in ("datePublished", "dateModified"):
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", item), item
            elif key in ("ratingValue", "bestRating", "worstRating"):
                assert isinstance(item, (int, float, str))
            elif key == "url":
                assert re.match(r"https?://", item), item
            else:
                assert isinstance(item, str), f"{kind}.{key}: {item!r}"


def test_claimreview_uses_only_schema_org_types_and_properties(reviewed: Store) -> None:
    reviews = json.loads(export.render(reviewed, "claimreview", publisher="Desk", url="https://example.org/check"))
    assert reviews
    for review in reviews:
        assert review["@context"] == "https://schema.org"
        assert_schema_org(review, {"ClaimReview"})


def test_the_schema_check_catches_what_google_would_reject() -> None:
    with pytest.raises(AssertionError):
        assert_schema_org({"@type": "ClaimReview", "reviewRating": "true"})
    with pytest.raises(AssertionError):
        assert_schema_org({"@type": "ClaimReview", "verdict": "true"})
