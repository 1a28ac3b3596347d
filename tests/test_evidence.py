"""Evidence items per claim: several each, supporting, refuting or context; never deleted, only
withdrawn; in the claim's history and undone by `u`; beside the claim on the main screen; in
every export format; brought in by `merge`; and shown inert wherever anyone's text is."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import case, export, ingest
from workbench.cli import cli
from workbench.store import Store, StoreError
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs import EvidenceDialog
from workbench.tui.review import ReviewScreen

WIDE = (160, 45)
#: A value anyone could type: markup that would end every tag, and a terminal escape for the title.
HOSTILE = "[/]see [@click=app.quit]here[/] \x1b]0;owned\x07 <script>x()</script> & co"
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\u202e")


@pytest.fixture
def case_path(db_path: Path) -> Path:
    with Store(db_path) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
    return db_path


def first_claim(store: Store) -> int:
    return store.claims()[0].id


# -- the store ------------------------------------------------------------------------------


def test_a_claim_holds_several_items_each_with_its_stance_and_who_added_it(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    link = seeded.add_evidence(claim_id, "link", "supports", "https://example.org/notice", "ana", note="the notice")
    quote = seeded.add_evidence(claim_id, "quote", "refutes", "The spokesman denied any second crash.", "bo")
    listed = seeded.evidence(claim_id)
    assert [(i.id, i.kind, i.stance, i.analyst) for i in listed] == [
        (link.id, "link", "supports", "ana"), (quote.id, "quote", "refutes", "bo")]
    assert listed[0].note == "the notice" and listed[0].value == "https://example.org/notice"
    assert (listed[0].symbol, listed[1].symbol) == ("✓", "✗")
    assert seeded.evidence(seeded.claims()[1].id) == []


def test_every_add_and_withdrawal_is_in_the_claims_history(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    item = seeded.add_evidence(claim_id, "archive", "context", "https://archive.example/abc", "ana")
    seeded.withdraw_evidence(item.id, "bo")
    rows = [(h.action, h.analyst, h.evidence_item) for h in seeded.history(claim_id)]
    assert rows == [("evidence", "ana", item.id), ("withdraw", "bo", item.id)]
    assert seeded.history(claim_id)[0].evidence == "· archive https://archive.example/abc"


def test_a_withdrawn_item_is_kept_with_who_withdrew_it_and_when(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    item = seeded.add_evidence(claim_id, "person", "supports", "the harbour master, by phone", "ana")
    withdrawn = seeded.withdraw_evidence(item.id, "bo")
    assert withdrawn.withdrawn and withdrawn.withdrawn_by == "bo" and withdrawn.withdrawn_at
    assert seeded.evidence(claim_id) == [withdrawn]
    assert seeded.evidence(claim_id, withdrawn=False) == []
    with pytest.raises(StoreError, match="withdrawn already"):
        seeded.withdraw_evidence(item.id, "ana")


def test_the_database_refuses_to_delete_or_rewrite_an_item(seeded: Store, db_path: Path) -> None:
    item = seeded.add_evidence(first_claim(seeded), "file", "supports", "scans/receipt.pdf", "ana")
    raw = sqlite3.connect(db_path, isolation_level=None)  # any program, not only the workbench
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        raw.execute("DELETE FROM evidence WHERE id = ?", [item.id])
    with pytest.raises(sqlite3.DatabaseError, match="only ever withdrawn"):
        raw.execute("UPDATE evidence SET stance = 'refutes' WHERE id = ?", [item.id])
    seeded.withdraw_evidence(item.id, "ana")
    with pytest.raises(sqlite3.DatabaseError, match="only ever withdrawn"):
        raw.execute("UPDATE evidence SET withdrawn_at = NULL, withdrawn_by = NULL WHERE id = ?", [item.id])
    raw.close()
    assert seeded.evidence_item(item.id).value == "scans/receipt.pdf"


@pytest.mark.parametrize(("kind", "stance", "value", "says"), [
    ("website", "supports", "x", "evidence kind must be one of"),
    ("link", "maybe", "x", "evidence stance must be one of"),
    ("quote", "refutes", "   ", "evidence needs a value"),
])
def test_a_bad_kind_stance_or_value_is_refused_in_one_line(seeded: Store, kind: str, stance: str, value: str,
                                                           says: str) -> None:
    with pytest.raises(StoreError, match=says) as raised:
        seeded.add_evidence(first_claim(seeded), kind, stance, value, "ana")
    assert "\n" not in str(raised.value)
    assert seeded.evidence() == []


def test_evidence_on_a_missing_claim_or_a_missing_item_is_refused(seeded: Store) -> None:
    with pytest.raises(StoreError, match="no claim #9999"):
        seeded.add_evidence(9999, "link", "supports", "https://example.org", "ana")
    with pytest.raises(StoreError, match="no evidence item E77"):
        seeded.withdraw_evidence(77, "ana")


def test_undo_takes_back_an_item_i_just_added_by_withdrawing_it(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    item = seeded.add_evidence(claim_id, "link", "refutes", "https://example.org/denial", "ana")
    claim, undone = seeded.undo("ana")
    assert claim.id == claim_id and undone.action == "evidence"
    [kept] = seeded.evidence(claim_id)
    assert kept.id == item.id and kept.withdrawn_by == "ana"
    assert seeded.history(claim_id)[-1].action == "undo" and seeded.history(claim_id)[-1].undoes == undone.id


def test_undo_of_a_withdrawal_puts_the_item_back_as_a_new_row(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    item = seeded.add_evidence(claim_id, "quote", "supports", "We lost one aircraft.", "ana", note="on air")
    seeded.withdraw_evidence(item.id, "ana")
    seeded.undo("ana")
    standing = seeded.evidence(claim_id, withdrawn=False)
    assert [(i.kind, i.stance, i.value, i.note) for i in standing] == [("quote", "supports", "We lost one aircraft.",
                                                                        "on air")]
    assert standing[0].id != item.id and seeded.evidence_item(item.id).withdrawn  # the old row stays as it was


def test_undo_walks_back_through_evidence_and_a_note_in_order(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    seeded.annotate(claim_id, "ana", "first look", "")
    seeded.add_evidence(claim_id, "link", "supports", "https://example.org/a", "ana")
    seeded.annotate(claim_id, "ana", "second look", "")
    seeded.undo("ana")
    assert seeded.claim(claim_id).note == "first look" and seeded.evidence(claim_id, withdrawn=False)
    seeded.undo("ana")
    assert seeded.evidence(claim_id, withdrawn=False) == [] and seeded.claim(claim_id).note == "first look"
    seeded.undo("ana")
    assert seeded.claim(claim_id).note == ""


def test_undo_leaves_another_analysts_items_alone(seeded: Store) -> None:
    claim_id = first_claim(seeded)
    theirs = seeded.add_evidence(claim_id, "link", "supports", "https://example.org/theirs", "bo")
    assert seeded.undo("ana") is None
    assert not seeded.evidence_item(theirs.id).withdrawn


# -- the command line -----------------------------------------------------------------------


def run(db: Path, *args: str) -> object:
    return CliRunner().invoke(cli, ["evidence", *args, "--db", str(db), "--analyst", "ana"])


def test_the_evidence_command_adds_lists_and_withdraws(case_path: Path) -> None:
    added = run(case_path, "1", "--add", "--kind", "link", "--supports", "https://example.org/log", "--note", "flight log")
    assert added.exit_code == 0, added.output
    assert added.output.startswith("#1 E1 ✓ supports link https://example.org/log (flight log) by ana")
    assert run(case_path, "1", "--add", "--kind", "quote", "--refutes", "Nothing was lost.").exit_code == 0
    withdrawn = run(case_path, "1", "--withdraw", "1")
    assert withdrawn.exit_code == 0 and "withdrawn by ana" in withdrawn.output
    listed = run(case_path, "1")
    lines = listed.output.splitlines()
    assert len(lines) == 2 and "withdrawn by ana" in lines[0] and lines[1].startswith("E2 ✗ refutes quote")
    items = json.loads(run(case_path, "1", "--json").output)
    assert [(i["id"], i["stance"], bool(i["withdrawn_at"])) for i in items] == [(1, "supports", True),
                                                                               (2, "refutes", False)]


@pytest.mark.parametrize(("args", "says"), [
    (("1", "--add", "--kind", "link", "https://example.org"), "--add needs --kind"),
    (("1", "--add", "--kind", "blog", "--supports", "x"), "Invalid value for '--kind'"),
    (("9999", "--add", "--kind", "link", "--supports", "x"), "no claim #9999"),
    (("1", "--withdraw", "5"), "no evidence item E5"),
    (("1", "--add", "--withdraw", "5"), "two commands"),
    (("1", "--kind", "link"), "go with --add"),
])
def test_a_bad_evidence_command_is_one_line_on_stderr(case_path: Path, args: tuple[str, ...], says: str) -> None:
    result = run(case_path, *args)
    assert result.exit_code != 0
    assert says in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_withdrawing_another_claims_item_is_refused(case_path: Path) -> None:
    run(case_path, "1", "--add", "--kind", "file", "--context", "notes/call.txt")
    result = run(case_path, "2", "--withdraw", "1")
    assert result.exit_code == 1 and "is not #2's" in result.stderr
    with Store(case_path) as store:
        assert not store.evidence_item(1).withdrawn


def test_the_listing_shows_hostile_text_inert(case_path: Path) -> None:
    with Store(case_path) as store:
        store.add_evidence(1, "quote", "refutes", HOSTILE, "[/]bo\x1b[2J")
    result = run(case_path, "1")
    assert result.exit_code == 0
    for character in FORBIDDEN:
        assert character not in result.output
    assert "[@click=app.quit]here[/]" in result.output  # shown as written, never read as markup


# -- the screen ----------------------------------------------------------------------------


def review_of(app: WorkbenchApp) -> ReviewScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, ReviewScreen)
    return screen


def detail_text(app: WorkbenchApp) -> str:
    return review_of(app).query_one("#detail").render().plain  # type: ignore[union-attr]


def screen_text(app: WorkbenchApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def test_an_item_added_through_the_dialog_shows_beside_the_claim(case_path: Path) -> None:
    app = WorkbenchApp(case_path, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        claim_id = review_of(app).selected
        await pilot.press("E")
        assert isinstance(app.screen, EvidenceDialog)
        await pilot.press(*"https://example.org/report", "tab", *"the agency's report")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "evidence 1: ✓ link https://example.org/report" in detail_text(app)
    with Store(case_path) as store:
        [item] = store.evidence(claim_id)
        assert (item.kind, item.stance, item.value, item.note, item.analyst) == (
            "link", "supports", "https://example.org/report", "the agency's report", "ana")


async def test_the_dialog_chooses_kind_and_stance_and_withdraws_a_listed_item(case_path: Path) -> None:
    with Store(case_path) as store:
        claim_id = first_claim(store)
        old = store.add_evidence(claim_id, "link", "supports", "https://example.org/old", "bo")
    app = WorkbenchApp(case_path, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        review_of(app).select(claim_id, force=True)
        await pilot.press("E")
        dialog = app.screen
        assert isinstance(dialog, EvidenceDialog)
        await pilot.press(*"No aircraft was lost.", "tab", "tab")
        await pilot.press("down", "down", "down", "enter")  # kind: from link to quote
        await pilot.press("tab", "down", "enter", "ctrl+s")  # stance: from supports to refutes
        await pilot.pause()
        assert "✗ quote No aircraft was lost." in detail_text(app)
        await pilot.press("E")
        dialog = app.screen
        dialog.query_one("#items").focus()
        await pilot.press("home", "enter")  # the first item: the old link
        await pilot.pause()
        assert "evidence 1: ✗ quote" in detail_text(app) and "example.org/old" not in detail_text(app)
        await pilot.press("u")  # my withdrawal taken back: the link stands again
        await pilot.pause()
        assert "evidence 2:" in detail_text(app)
    with Store(case_path) as store:
        assert store.evidence_item(old.id).withdrawn_by == "ana"
        assert [i.value for i in store.evidence(claim_id, withdrawn=False)] == [
            "No aircraft was lost.", "https://example.org/old"]


async def test_the_claims_history_lists_each_item_added_and_withdrawn(case_path: Path) -> None:
    with Store(case_path) as store:
        claim_id = first_claim(store)
        item = store.add_evidence(claim_id, "archive", "refutes", "https://archive.example/snap", "bo")
        store.withdraw_evidence(item.id, "ana")
    app = WorkbenchApp(case_path, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        review_of(app).select(claim_id, force=True)
        await pilot.press("h")
        await pilot.pause()
        shown = screen_text(app)
        assert f"evidence  E{item.id} ✗ archive https://archive.example/snap" in shown
        assert f"withdraw  E{item.id} ✗ archive" in shown


async def test_another_analysts_item_shows_up_beside_the_claim(case_path: Path) -> None:
    app = WorkbenchApp(case_path, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = review_of(app)
        claim_id = screen.selected
        assert "evidence" not in detail_text(app)
        with Store(case_path) as other:
            other.add_evidence(claim_id, "person", "refutes", "a crew member's family", "bo")
        screen._poll_others()
        await pilot.pause()
        assert "evidence 1: ✗ person a crew member's family" in detail_text(app)


async def test_hostile_items_are_shown_inert_beside_the_claim_and_in_the_dialog(case_path: Path) -> None:
    with Store(case_path) as store:
        claim_id = first_claim(store)
        store.add_evidence(claim_id, "link", "supports", HOSTILE, "[bold red]bo", note="[/]\u202eetoN")
    app = WorkbenchApp(case_path, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        review_of(app).select(claim_id, force=True)
        await pilot.pause()
        shown = screen_text(app)
        assert "[/]see [@click=app.quit]here[/]" in shown
        await pilot.press("E")
        await pilot.pause()
        shown = screen_text(app)
        assert isinstance(app.screen, EvidenceDialog) and "[bold red]bo" in shown
        for character in FORBIDDEN:
            assert character not in shown


# -- exports -------------------------------------------------------------------------------


@pytest.fixture
def evidenced(seeded: Store) -> Store:
    first, second = seeded.claims()[:2]
    seeded.mark(first.id, "verified", "ana")
    seeded.mark(second.id, "disputed", "ana")
    seeded.add_evidence(first.id, "link", "supports", "https://example.org/statement", "ana", note="official")
    seeded.add_evidence(first.id, "quote", "refutes", 'He said "three"', "bo")
    seeded.add_evidence(first.id, "person", "context", "a retired pilot", "ana")
    gone = seeded.add_evidence(first.id, "link", "supports", "https://example.org/withdrawn", "ana")
    seeded.withdraw_evidence(gone.id, "ana")
    seeded.annotate(second.id, "ana", "", evidence="free text from the note dialog")
    return seeded


def test_the_csv_has_a_column_of_each_claims_items_that_stand(evidenced: Store) -> None:
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(export.render(evidenced, "csv")))}
    first, second = (c.id for c in evidenced.claims()[:2])
    assert rows[first]["evidence_items"] == ('✓ link https://example.org/statement (official) ; ✗ quote He said "three"'
                                             " ; · person a retired pilot")
    assert rows[second]["evidence_items"] == "· other free text from the note dialog"  # the old field, as an item


def test_the_xlsx_has_an_evidence_sheet_a_row_per_item(evidenced: Store) -> None:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(export.render_bytes(evidenced, "xlsx")))
    rows = [[c.value for c in row] for row in book["Evidence"].iter_rows()]
    assert tuple(rows[0]) == export.EVIDENCE_COLUMNS
    first = evidenced.claims()[0].id
    assert [(r[0], r[2], r[3], r[4]) for r in rows[1:] if r[0] == first] == [
        (first, "✓ supports", "link", "https://example.org/statement"), (first, "✗ refutes", "quote", 'He said "three"'),
        (first, "· context", "person", "a retired pilot")]
    assert len(rows) == 1 + 4  # three items and the free text; the withdrawn one is not a row


def test_markdown_and_html_list_the_items_under_the_claim(evidenced: Store) -> None:
    markdown = export.render(evidenced, "md")
    assert "  - Evidence ✓ supports, link: https://example.org/statement (official), by ana" in markdown
    assert "  - Evidence ✗ refutes, quote: He said \"three\", by bo" in markdown
    assert "withdrawn" not in markdown
    page = export.render(evidenced, "html")
    assert '<li class="supports">✓ supports, link: https://example.org/statement (official)</li>' in page
    assert "He said &quot;three&quot;" in page


def test_json_records_and_the_case_document_carry_the_items(evidenced: Store) -> None:
    document = json.loads(export.render(evidenced, "json"))
    first = evidenced.claims()[0].id
    record = next(r for r in document["claims"] if r["id"] == first)
    assert [(e["kind"], e["stance"], e["value"]) for e in record["evidence_items"]] == [
        ("link", "supports", "https://example.org/statement"), ("quote", "refutes", 'He said "three"'),
        ("person", "context", "a retired pilot")]
    assert len(document["evidence"]) == 4 and sum(1 for e in document["evidence"] if e["withdrawn_at"]) == 1


def test_claimreview_cites_the_web_items_and_names_where_the_claim_appeared(evidenced: Store) -> None:
    article = evidenced.article(evidenced.claims()[0].article_id)
    evidenced.conn.execute("UPDATE articles SET source = 'The Daily Example', date = 'March 12, 2026' WHERE id = ?",
                           [article.id])
    reviews = json.loads(export.render(evidenced, "claimreview", publisher="Desk"))
    first = reviews[0]
    assert first["citation"] == [{"@type": "CreativeWork", "url": "https://example.org/statement",
                                  "description": "supports: official"}]  # the quote and the person stay in the case
    assert first["itemReviewed"]["author"] == {"@type": "Organization", "name": "The Daily Example"}
    assert first["itemReviewed"]["datePublished"] == "2026-03-12"
    assert first["itemReviewed"]["appearance"][0]["publisher"]["name"] == "The Daily Example"
    assert "citation" not in reviews[1]


def test_claimreview_appearance_takes_the_articles_web_address(evidenced: Store) -> None:
    article_id = evidenced.claims()[0].article_id
    evidenced.conn.execute("UPDATE articles SET path = 'https://news.example/story' WHERE id = ?", [article_id])
    reviews = json.loads(export.render(evidenced, "claimreview"))
    assert reviews[0]["itemReviewed"]["appearance"][0]["url"] == "https://news.example/story"


def test_hostile_items_stay_inert_in_every_export(evidenced: Store) -> None:
    claim_id = evidenced.claims()[0].id
    evidenced.add_evidence(claim_id, "link", "supports", "https://example.org/</script><script>x()</script>", "ana")
    evidenced.add_evidence(claim_id, "quote", "refutes", "=HYPERLINK(\"http://evil\")", "ana")
    evidenced.add_evidence(claim_id, "other", "context", HOSTILE, "ana")
    review = export.render(evidenced, "claimreview")
    assert "<" not in review and ">" not in review and "&" not in review
    assert any(c["url"].endswith("</script><script>x()</script>") for c in json.loads(review)[0]["citation"])
    page = export.render(evidenced, "html")
    assert "<script>" not in page and "\x1b" not in page
    markdown = export.render(evidenced, "md")
    assert "\x1b" not in markdown and "\\[@click=app.quit\\]" in markdown
    cell = next(r for r in csv.DictReader(io.StringIO(export.render(evidenced, "csv"))) if int(r["id"]) == claim_id)
    assert '✗ quote =HYPERLINK("http://evil")' in cell["evidence_items"]  # inside the cell, not at its start


# -- merge ---------------------------------------------------------------------------------


def test_import_case_and_merge_bring_the_items_in_once(evidenced: Store, tmp_path: Path) -> None:
    document = json.loads(export.render(evidenced, "json"))
    with Store(tmp_path / "copy.db") as copy:
        case.merge(copy, document)
        theirs = [(i.kind, i.stance, i.value, i.analyst, i.added_at, i.withdrawn_by) for i in evidenced.evidence()]
        assert [(i.kind, i.stance, i.value, i.analyst, i.added_at, i.withdrawn_by) for i in copy.evidence()] == theirs
        by_item = {h.evidence_item for h in copy.history() if h.evidence_item is not None}
        assert by_item == {i.id for i in copy.evidence()}  # the history names the copy's own items
        case.merge(copy, document)  # merged again: nothing doubles
        assert len(copy.evidence()) == len(theirs)


def test_a_withdrawal_made_in_the_other_case_comes_in(tmp_path: Path, case_path: Path) -> None:
    with Store(case_path) as ours:
        claim_id = first_claim(ours)
        item = ours.add_evidence(claim_id, "archive", "supports", "https://archive.example/x", "ana")
        document = case.document(ours)
    other_path = tmp_path / "other.db"
    with Store(other_path) as other:
        case.merge(other, document)
        other.withdraw_evidence(other.evidence()[0].id, "bo")
    with Store(case_path) as ours:
        case.merge(ours, case.document(Store.read_only(other_path)))
        assert ours.evidence_item(item.id).withdrawn_by == "bo" and len(ours.evidence()) == 1


def test_a_case_document_with_a_foreign_evidence_row_is_refused_whole(case_path: Path, tmp_path: Path) -> None:
    with Store(case_path) as ours:
        ours.add_evidence(first_claim(ours), "link", "supports", "https://example.org", "ana")
        document = case.document(ours)
    document["evidence"][0]["stance"] = "rumoured"
    with Store(tmp_path / "copy.db") as copy:
        with pytest.raises(StoreError, match="not one a workbench writes"):
            case.merge(copy, document)
        assert copy.article_count() == 0 and copy.evidence() == []


def test_the_case_check_names_an_evidence_row_no_workbench_wrote(case_path: Path) -> None:
    from workbench.store import problems

    raw = sqlite3.connect(case_path, isolation_level=None)
    raw.execute("INSERT INTO evidence (claim_id, kind, stance, value, analyst, added_at) "
                "VALUES (1, 'link', 'rumoured', 'x', 'mallory', '2026-01-01')")
    raw.close()
    assert problems(case_path) == ["evidence: a stance no workbench writes: 'rumoured'"]
