"""Claim sheets: each format parses back to what the database holds, and cannot attack its reader."""

from __future__ import annotations

import csv
import io
import json

import pytest

from workbench import export
from workbench.store import Store


@pytest.fixture
def reviewed(seeded: Store) -> Store:
    claims = seeded.claims()
    seeded.mark(claims[0].id, "verified", "ana", note="matches the CENTCOM release")
    seeded.mark(claims[1].id, "disputed", "bo")
    seeded.annotate(claims[1].id, "bo", "=HYPERLINK(\"http://evil\")", "+1 555 | [link](x)")
    return seeded


def test_csv_parses_back_to_the_claims_in_the_database(reviewed: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(reviewed, "csv"))))
    claims = reviewed.claims()
    assert [int(r["id"]) for r in rows] == [c.id for c in claims]
    first = rows[0]
    assert first["status"] == "verified" and first["analyst"] == "ana"
    assert first["text"] == claims[0].text
    assert first["note"] == "matches the CENTCOM release"


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_a_spreadsheet_would_evaluate_are_neutralised(dangerous: str) -> None:
    assert export.safe_cell(dangerous) == "'" + dangerous
    assert export.safe_cell("Two aircraft") == "Two aircraft"


def test_a_formula_in_a_note_leaves_as_text(reviewed: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(reviewed, "csv"))))
    assert rows[1]["note"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1]["evidence"] == "'+1 555 | [link](x)"


def test_markdown_groups_by_article_with_symbols_and_escapes_content(reviewed: Store) -> None:
    sheet = export.render(reviewed, "md")
    assert sheet.startswith("# Claim sheet")
    assert sheet.count("\n## A") == 2
    assert "✓ **verified**" in sheet and "✗ **disputed**" in sheet
    assert "\\[link\\](x)" in sheet and "\\|" in sheet
    assert "[link](x)" not in sheet


def test_json_parses_back_with_every_field_the_cli_promises(reviewed: Store) -> None:
    document = json.loads(export.render(reviewed, "json"))
    assert document["schema_version"] == reviewed.schema_version
    assert len(document["articles"]) == 2
    fields = {"id", "article", "source", "date", "start", "end", "text", "kind", "score", "status", "note",
              "analyst", "updated_at", "links"}
    for record in document["claims"]:
        assert fields <= record.keys()
    texts = {a.id: a.text for a in reviewed.articles()}
    for record in document["claims"]:
        assert texts[record["article"]][record["start"] : record["end"]] == record["text"]


def test_filters_narrow_every_format(reviewed: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(reviewed, "csv", status="disputed"))))
    assert [r["status"] for r in rows] == ["disputed"]
    a2 = reviewed.articles()[1].id
    document = json.loads(export.render(reviewed, "json", article_id=a2))
    assert {r["article"] for r in document["claims"]} == {a2}


def test_an_unknown_format_is_refused(reviewed: Store) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export.render(reviewed, "docx")
