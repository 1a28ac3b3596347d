"""Claim sheets: each format parses back to what the database holds, and cannot attack its reader."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from workbench import export, ingest
from workbench.store import Store

JSON_FIELDS = {"id", "article", "source", "date", "start", "end", "text", "kind", "score", "status", "note",
               "analyst", "updated_at", "links"}
DANGEROUS_STARTS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def reviewed(seeded: Store) -> Store:
    claims = seeded.claims()
    seeded.mark(claims[0].id, "verified", "ana", note="matches the CENTCOM release")
    seeded.mark(claims[1].id, "disputed", "bo")
    seeded.annotate(claims[1].id, "bo", "=HYPERLINK(\"http://evil\")", "+1 555 | [link](x)")
    return seeded


@pytest.fixture
def hostile(seeded: Store, tmp_path: Path) -> Store:
    """A case with an article whose outlet and title were written to attack a spreadsheet or a page."""
    article = tmp_path / "hostile.txt"
    article.write_text("Tanker lost\n\n“Two aircraft were involved in the incident,” the news release says.\n",
                       encoding="utf-8")
    report = ingest.import_paths(seeded, [article], analyst="ana", source="=cmd|' /C calc'!A0",
                                 title="@SUM(1+1) | *bold* <script>alert(1)</script> [x](http://evil)")
    assert report.added
    return seeded


def csv_rows(store: Store, **filters) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(export.render(store, "csv", **filters), newline="")))


def test_csv_parses_back_to_the_claims_in_the_database(reviewed: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(reviewed, "csv"))))
    claims = reviewed.claims()
    assert [int(r["id"]) for r in rows] == [c.id for c in claims]
    first = rows[0]
    assert first["status"] == "verified" and first["analyst"] == "ana"
    assert first["text"] == claims[0].text
    assert first["note"] == "matches the CENTCOM release"


def test_every_csv_cell_matches_its_database_row(reviewed: Store) -> None:
    rows = csv_rows(reviewed)
    assert list(rows[0].keys()) == list(export.CSV_COLUMNS)
    articles = {a.id: a for a in reviewed.articles()}
    for row, claim in zip(rows, reviewed.claims(), strict=True):
        article = articles[claim.article_id]
        assert int(row["id"]) == claim.id
        assert row["article"] == article.label
        assert row["source"] == (article.source or "") and row["date"] == (article.date or "")
        assert row["title"] == article.title
        assert (int(row["start"]), int(row["end"])) == (claim.start, claim.end)
        assert row["text"] == claim.text == article.text[claim.start : claim.end]
        assert row["kind"] == claim.kind.value and float(row["score"]) == claim.score
        assert row["status"] == claim.status.value
        assert row["analyst"] == (claim.analyst or "") and row["updated_at"] == (claim.updated_at or "")
        signs = {"": "corroborates", "≠": "conflicts", "~": "related"}
        linked = {(int(token.split("#")[1]), signs[token.split("#")[0]]) for token in row["links"].split()}
        assert linked == {(link.other(claim.id), link.relation) for link in reviewed.links(claim.id)}


def test_a_multi_line_note_survives_the_csv_round_trip(reviewed: Store) -> None:
    claim = reviewed.claims()[2]
    reviewed.annotate(claim.id, "ana", "first line\nsecond, with a comma and \"quotes\"")
    row = next(r for r in csv_rows(reviewed) if int(r["id"]) == claim.id)
    assert row["note"] == "first line\nsecond, with a comma and \"quotes\""


@pytest.mark.parametrize("dangerous", DANGEROUS_STARTS)
def test_csv_cells_a_spreadsheet_would_evaluate_are_neutralised(dangerous: str) -> None:
    assert export.safe_cell(dangerous) == "'" + dangerous
    assert export.safe_cell("Two aircraft") == "Two aircraft"


def test_plain_cells_are_left_as_they_are() -> None:
    assert export.safe_cell(None) == ""
    assert export.safe_cell(0.92) == "0.92"
    assert export.safe_cell("Two aircraft = one crash") == "Two aircraft = one crash"
    assert export.safe_cell("'quoted") == "'quoted"


def test_a_formula_in_a_note_leaves_as_text(reviewed: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(reviewed, "csv"))))
    assert rows[1]["note"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1]["evidence"] == "'+1 555 | [link](x)"


@pytest.mark.parametrize("dangerous", DANGEROUS_STARTS)
def test_every_dangerous_start_is_defused_in_an_exported_sheet(seeded: Store, dangerous: str) -> None:
    claim = seeded.claims()[0]
    seeded.annotate(claim.id, dangerous, dangerous, dangerous)
    row = next(r for r in csv_rows(seeded) if int(r["id"]) == claim.id)
    assert row["note"] == row["evidence"] == row["analyst"] == "'" + dangerous


def test_no_cell_of_a_hostile_article_starts_a_formula(hostile: Store) -> None:
    rows = csv_rows(hostile)
    hostile_rows = [r for r in rows if r["title"].startswith("'@SUM")]
    assert hostile_rows
    assert all(r["source"] == "'=cmd|' /C calc'!A0" for r in hostile_rows)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_markdown_groups_by_article_with_symbols_and_escapes_content(reviewed: Store) -> None:
    sheet = export.render(reviewed, "md")
    assert sheet.startswith("# Claim sheet")
    assert sheet.count("\n## A") == 2
    assert "✓ **verified**" in sheet and "✗ **disputed**" in sheet
    assert "\\[link\\](x)" in sheet and "\\|" in sheet
    assert "[link](x)" not in sheet


def test_markdown_escapes_a_hostile_title_and_outlet(hostile: Store) -> None:
    sheet = export.render(hostile, "md")
    heading = next(line for line in sheet.splitlines() if line.startswith("## A3: "))
    assert heading == ("## A3: @SUM(1+1) \\| \\*bold\\* \\<script\\>alert(1)\\</script\\> "
                       "\\[x\\](http://evil)")
    assert "<script>" not in sheet and "[x](http://evil)" not in sheet
    assert "*=cmd\\|' /C calc'!A0*" in sheet.splitlines()


@pytest.mark.parametrize("raw,escaped", [
    ("a | b", "a \\| b"),
    ("*bold* and _em_", "\\*bold\\* and \\_em\\_"),
    ("`code`", "\\`code\\`"),
    ("[text](http://x)", "\\[text\\](http://x)"),
    ("<b>&amp;</b>", "\\<b\\>\\&amp;\\</b\\>"),
    ("back\\slash", "back\\\\slash"),
    ("~~gone~~ $x$", "\\~\\~gone\\~\\~ \\$x\\$"),
    ("line one\n# not a heading\n- not an item", "line one # not a heading - not an item"),
])
def test_markdown_escapes_every_piece_of_markup(raw: str, escaped: str) -> None:
    assert export.md_escape(raw) == escaped


def test_a_note_cannot_break_out_of_its_list_item(reviewed: Store) -> None:
    claim = reviewed.claims()[2]
    reviewed.annotate(claim.id, "ana", "fine\n\n# Injected heading\n| a | table |")
    sheet = export.render(reviewed, "md")
    assert "  - Note: fine # Injected heading \\| a \\| table \\|" in sheet.splitlines()
    assert not any(line.startswith(("# Injected", "| a")) for line in sheet.splitlines())


def test_json_parses_back_with_every_field_the_cli_promises(reviewed: Store) -> None:
    document = json.loads(export.render(reviewed, "json"))
    assert document["schema_version"] == reviewed.schema_version
    assert len(document["articles"]) == 2
    for record in document["claims"]:
        assert JSON_FIELDS <= record.keys()
    texts = {a.id: a.text for a in reviewed.articles()}
    for record in document["claims"]:
        assert texts[record["article"]][record["start"] : record["end"]] == record["text"]


def test_json_records_hold_what_the_database_holds(reviewed: Store) -> None:
    document = json.loads(export.render(reviewed, "json"))
    claims = reviewed.claims()
    assert [r["id"] for r in document["claims"]] == [c.id for c in claims]
    for record, claim in zip(document["claims"], claims):
        assert (record["status"], record["note"], record["analyst"], record["updated_at"]) == (
            claim.status.value, claim.note, claim.analyst, claim.updated_at)
        assert (record["kind"], record["score"], record["article"]) == (claim.kind.value, claim.score, claim.article_id)
    first = document["claims"][0]
    assert (first["status"], first["analyst"], first["note"]) == ("verified", "ana", "matches the CENTCOM release")


def test_json_links_go_both_ways(reviewed: Store) -> None:
    records = {r["id"]: r for r in json.loads(export.render(reviewed, "json"))["claims"]}
    pairs = {(r["id"], link["claim"]) for r in records.values() for link in r["links"]}
    assert pairs
    for a, b in pairs:
        if b in records:
            assert (b, a) in pairs
    for record in records.values():
        for link in record["links"]:
            assert 0.0 <= link["score"] <= 1.0


def test_json_keeps_text_as_written(hostile: Store) -> None:
    document = json.loads(export.render(hostile, "json"))
    titles = {a["title"] for a in document["articles"]}
    assert "@SUM(1+1) | *bold* <script>alert(1)</script> [x](http://evil)" in titles
    assert any(r["source"] == "=cmd|' /C calc'!A0" for r in document["claims"])


def test_filters_narrow_every_format(reviewed: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(export.render(reviewed, "csv", status="disputed"))))
    assert [r["status"] for r in rows] == ["disputed"]
    a2 = reviewed.articles()[1].id
    document = json.loads(export.render(reviewed, "json", article_id=a2))
    assert {r["article"] for r in document["claims"]} == {a2}
    sheet = export.render(reviewed, "md", status="verified")
    assert "✓ **verified**" in sheet and "**disputed**" not in sheet and "**unmarked**" not in sheet


def test_an_empty_case_exports_headers_only(store: Store) -> None:
    assert export.render(store, "csv") == ",".join(export.CSV_COLUMNS) + "\r\n"
    assert json.loads(export.render(store, "json"))["claims"] == []
    assert export.render(store, "md").startswith("# Claim sheet")


def test_an_unknown_format_is_refused(reviewed: Store) -> None:
    with pytest.raises(ValueError, match="unknown format"):
        export.render(reviewed, "docx")


def test_json_is_written_a_record_a_line_and_reads_back_as_json_dumps_would_write_it() -> None:
    from workbench.export import dump_json

    value = {"claims": [{"id": 1, "text": "“Two” aircraft\n", "links": []}, {"id": 2, "score": 0.5}],
             "empty": [], "nested": {"a": [1, [2]]}, True: None, 3: "x"}
    written = dump_json(value)
    assert json.loads(written) == json.loads(json.dumps(value))
    assert written.splitlines()[2] == '    {"id": 1, "text": "“Two” aircraft\\n", "links": []},'
    assert json.loads(dump_json([])) == [] and json.loads(dump_json([{"a": 1}])) == [{"a": 1}]
    with pytest.raises(TypeError):
        dump_json({(1, 2): 0})
