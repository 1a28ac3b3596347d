"""The review screen, driven with Textual's Pilot as an analyst would drive it."""

from __future__ import annotations

import asyncio
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from workbench import bench, ingest
from workbench import claims as claim_finder
from workbench.model import Status
from workbench.store import Store
from workbench.tui.app import COMMANDS, WorkbenchApp
from workbench.tui.article_view import ArticleView
from workbench.tui.claim_list import ClaimList
from workbench.tui.dialogs import ClaimListDialog, ExportDialog, HelpScreen, LinkCallDialog, NoteDialog
from workbench.tui import review
from workbench.tui.review import ReviewScreen

WIDE = (120, 40)


@pytest.fixture
def wired(case: Path, tmp_path: Path) -> Path:
    """The seeds and a third report that says three aircraft where they say two."""
    wire = tmp_path / "wire.txt"
    wire.write_text("Tanker lost\n\n“Three aircraft were involved in the incident,” a Pentagon official said.\n",
                    encoding="utf-8")
    with Store(case) as store:
        ingest.import_paths(store, [wire], analyst="tester")
    return case


def saved_status(db_path: Path, claim_id: int) -> Status:
    """Read a claim's status the way another process would: a fresh connection to the file."""
    with Store(db_path) as other:
        return other.claim(claim_id).status


def screen_of(app: WorkbenchApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float) -> None:
    """Let the app run until `condition()` holds or `seconds` have passed; the test then
    asserts what it waited for, so a timeout fails there and says what."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await pilot.pause()
        await asyncio.sleep(0.05)


def pane_text(view: ArticleView) -> str:
    """The text an article pane paints on screen, line by line."""
    lines = (view.render_line(y).text.rstrip() for y in range(view.scrollable_content_region.height))
    return "\n".join(lines).replace("\N{NO-BREAK SPACE}", " ")


async def test_opens_with_both_seed_articles_side_by_side_and_the_first_claim_selected(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        left, right = screen.pane("left"), screen.pane("right")
        assert left.display and right.display
        assert left.article is not None and right.article is not None
        assert left.article.id != right.article.id
        assert left.article.date == right.article.date == "2026-03-12"
        first = screen.visible_claims()[0]
        assert first.article_id == left.article.id
        assert screen.selected == first.id
        assert screen.claim_list.claim_id_at_cursor() == first.id
        assert "○ " + first.text[:20] in pane_text(left.view).replace("\n", " ")


async def test_v_saves_the_mark_before_the_next_key_and_shows_it_in_list_and_text(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        claim_id = screen.selected
        await pilot.press("v")
        assert saved_status(case, claim_id) is Status.VERIFIED
        await pilot.pause()
        row = screen.claim_list.row_cells(claim_id)
        assert str(row[4]) == "✓ verified"
        assert "✓ " in pane_text(screen.pane("left").view)
        assert "Reviewed 1/" in str(screen.query_one("#status").render())


async def test_marks_survive_quitting_and_reopening(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("j", "d", "j", "o")
        first, second = screen_of(app).visible_claims()[1:3]
        await pilot.press("q")
    assert app.return_code == 0

    reopened = WorkbenchApp(case, "bo")
    async with reopened.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(reopened)
        assert screen.claims[first.id].status is Status.DISPUTED
        assert screen.claims[second.id].status is Status.OPEN
        assert screen.claims[first.id].analyst == "ana"
        assert str(screen.claim_list.row_cells(first.id)[4]) == "✗ disputed"


async def test_j_and_k_walk_the_claims_in_reading_order(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        ids = [c.id for c in screen.visible_claims()]
        await pilot.press("j", "j", "down")
        assert screen.selected == ids[3]
        await pilot.press("k", "up")
        assert screen.selected == ids[1]


async def test_note_dialog_saves_a_multi_line_note_and_evidence(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        claim_id = screen_of(app).selected
        await pilot.press("n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"CENTCOM", "enter", *"release")
        await pilot.press("tab")
        await pilot.press(*"centcom.mil")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    with Store(case) as store:
        claim = store.claim(claim_id)
        assert claim.note == "CENTCOM\nrelease"
        assert claim.evidence == "centcom.mil"
        assert store.history(claim_id)[-1].analyst == "ana"


async def test_escape_cancels_the_note_without_saving(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        claim_id = screen_of(app).selected
        await pilot.press("n", *"draft", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    with Store(case) as store:
        assert store.claim(claim_id).note == ""


async def test_f_cycles_the_status_filter(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        total = len(screen.claim_list.claim_ids)
        await pilot.press("v", "f")  # unmarked
        assert len(screen.claim_list.claim_ids) == total - 1
        await pilot.press("f", "f")  # open, then verified
        assert screen.status_filter is Status.VERIFIED
        assert len(screen.claim_list.claim_ids) == 1
        await pilot.press("f", "f")  # disputed, then assigned to me
        assert screen.status_filter == "mine"
        assert screen.claim_list.claim_ids == []
        await pilot.press("f")  # all again
        assert screen.status_filter is None
        assert len(screen.claim_list.claim_ids) == total


async def test_search_narrows_the_list_and_escape_clears_it(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        total = len(screen.claim_list.claim_ids)
        await pilot.press("slash", *"aircraft")
        await pilot.pause()
        listed = [screen.claims[i] for i in screen.claim_list.claim_ids]
        assert 0 < len(listed) < total
        assert all("aircraft" in c.text.lower() for c in listed)
        assert screen.selected in screen.claim_list.claim_ids
        await pilot.press("enter")
        assert app.focused is screen.claim_list
        await pilot.press("escape")
        assert len(screen.claim_list.claim_ids) == total


async def test_m_jumps_to_the_matching_claim_in_the_other_article(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        screen.select(two.id)
        await pilot.pause()
        matches = screen._matches_of(two.id)
        assert matches
        right = screen.pane("right").view
        assert right.matches == frozenset(matches)  # highlighted in the other pane already
        await pilot.press("m")
        await pilot.pause()
        target = screen.claims[screen.selected]
        assert target.article_id != two.article_id
        assert target.text.startswith("“Two aircraft")
        assert app.focused is right
        assert "Two aircraft" in pane_text(right)


async def test_tab_moves_between_the_panes_and_the_list(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        seen = set()
        for _ in range(3):
            await pilot.press("tab")
            seen.add(app.focused)
        assert {screen.pane("left").view, screen.pane("right").view, screen.claim_list} <= seen


async def test_at_80x24_the_articles_still_sit_side_by_side_and_everything_works(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert not screen.narrow
        assert screen.pane("left").display and screen.pane("right").display
        assert screen.claim_list.size.height >= 4
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        screen.select(two.id)
        await pilot.press("m", "d")
        target = screen.claims[screen.selected]
        assert target.article_id != two.article_id
        assert saved_status(case, target.id) is Status.DISPUTED


async def test_narrower_than_70_columns_one_pane_shows_the_selected_claims_article(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.narrow
        assert not screen.pane("right").display
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        screen.select(two.id)
        await pilot.press("m")
        await pilot.pause()
        target = screen.claims[screen.selected]
        assert target.article_id != two.article_id
        assert screen.pane("left").article.id == target.article_id
        assert "Two aircraft" in pane_text(screen.pane("left").view)


async def test_no_color_keeps_the_status_symbols(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.has_class("-monochrome")
        await pilot.press("d")
        screen = screen_of(app)
        assert "✗ " in pane_text(screen.pane("left").view)
        assert str(screen.claim_list.row_cells(screen.selected)[4]) == "✗ disputed"


async def test_sentences_can_be_shown_and_one_promoted_to_a_claim(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        claims_only = len(screen.claim_list.claim_ids)
        await pilot.press("s")
        assert len(screen.claim_list.claim_ids) > claims_only
        sentence = next(c for c in screen.visible_claims() if not c.is_claim)
        screen.select(sentence.id)
        await pilot.press("p")
        await pilot.pause()
        assert screen.claims[sentence.id].is_claim
        await pilot.press("s")
        assert len(screen.claim_list.claim_ids) == claims_only + 1
    with Store(case) as store:
        assert store.claim(sentence.id).is_claim


async def test_x_dismisses_a_claim_from_the_list(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        first, second = screen.visible_claims()[:2]
        await pilot.press("x")
        await pilot.pause()
        assert first.id not in screen.claim_list.claim_ids
        assert screen.selected == second.id
    with Store(case) as store:
        assert not store.claim(first.id).is_claim


async def test_export_dialog_writes_the_claim_sheet_and_says_where(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("v", "e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("down", "down")  # CSV -> Excel -> Markdown
        await pilot.press("enter")
        path = app.screen.query_one("#path")
        assert path.value.endswith("claim-sheet.md")
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await app.workers.wait_for_complete()  # written in a thread: the screen answers keys meanwhile
        await pilot.pause()
        assert any(str(tmp_path / "claim-sheet.md") in str(n.message) for n in app._notifications)
    sheet = (tmp_path / "claim-sheet.md").read_text(encoding="utf-8")
    assert "✓" in sheet and "KC-135" in sheet


async def test_export_dialog_shows_what_is_chosen_without_colour(case: Path) -> None:
    """On and off differ in their glyph, not only in colour (NO_COLOR, 16-colour terminals)."""
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        formats = [str(button.render()) for button in dialog.query("#format > *")]
        assert "●" in formats[0] and not any("●" in f for f in formats[1:])
        await pilot.press("down", "enter")  # Excel
        await pilot.pause()
        formats = [str(button.render()) for button in dialog.query("#format > *")]
        assert "●" in formats[1] and not any("●" in f for i, f in enumerate(formats) if i != 1)
        only = dialog.query_one("#only-filtered")
        assert "X" not in str(only.render())
        only.value = True
        await pilot.pause()
        assert "X" in str(only.render())


async def test_export_dialog_offers_a_byte_order_mark_for_csv_only(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        bom = dialog.query_one("#bom")
        assert not bom.disabled  # CSV is the first format
        bom.value = True
        await pilot.press("down", "enter")  # Excel: no byte-order mark there
        await pilot.pause()
        assert bom.disabled and not bom.value
        await pilot.press("up", "enter")  # back to CSV
        await pilot.pause()
        assert not bom.disabled
        bom.value = True
        dialog.query_one("#path").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await app.workers.wait_for_complete()
    data = (tmp_path / "claim-sheet.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfid,") and "KC-135" in data.decode("utf-8-sig")


async def test_help_lists_the_keys(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_every_action_is_in_the_command_palette(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        titles = {command.title for command in app.get_system_commands(screen)}
        for needed in ("Mark verified", "Mark disputed", "Mark open", "Note and evidence", "Jump to match",
                       "Search claims", "Cycle status filter", "Export claim sheet", "Keys"):
            assert needed in titles
        claim_id = screen.selected
        command = next(c for c in app.get_system_commands(screen) if c.title == "Mark disputed")
        await command.callback()
        assert saved_status(case, claim_id) is Status.DISPUTED


def test_every_palette_command_names_a_real_action() -> None:
    for _, _, action in COMMANDS:
        name = action.split("(")[0]
        assert hasattr(ReviewScreen, f"action_{name}"), name


async def test_more_articles_than_panes_can_be_cycled_and_picked(case: Path, tmp_path: Path) -> None:
    third = tmp_path / "third.txt"
    third.write_text("Officials said 40 people were evacuated on Monday, according to the governor.\n",
                     encoding="utf-8")
    with Store(case) as store:
        ingest.import_paths(store, [third], analyst="tester")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        ids = sorted(screen.articles)
        assert len(ids) == 3
        screen.pane("left").view.focus()
        await pilot.press("right_square_bracket")
        assert screen.pane("left").article.id == ids[1]
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert screen.pane("left").article.id == ids[2]
        assert screen.claims[screen.selected].article_id == ids[2]


async def test_markup_and_control_characters_in_an_article_show_literally(case: Path, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Hostile [bold red]markup[/] report\n\n"
        "Officials said [@click=app.quit]40[/] people died on Monday, the ministry said.\x1b]0;pwned\x07\n\n"
        "The minister said 12 soldiers were \u202edesoppo\u202c and 3 were in\u200bjured on Monday.\n",
        encoding="utf-8",
    )
    with Store(case) as store:
        report = ingest.import_paths(store, [hostile], analyst="tester")
        article_id = report.added[0].id
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        screen._show_article("left", article_id)
        await pilot.pause()
        painted = pane_text(screen.pane("left").view)
        assert "[@click=app.quit]40[/]" in painted
        assert "\x1b" not in painted and "\x07" not in painted
        assert "\u202e" not in painted and "\u200b" not in painted  # bidi and zero-width made visible ...
        assert "\ufffddesoppo\ufffd" in painted and "in\ufffdjured" in painted
        stored = screen.articles[article_id].text
        assert "\u202edesoppo\u202c" in stored  # ... on screen only: the stored text is untouched
        await pilot.click(ArticleView, offset=(5, 3))
        assert app.is_running
        claim_list = app.screen.query_one(ClaimList)
        assert any("[@click=app.quit]" in str(claim_list.row_cells(i)[6]) for i in claim_list.claim_ids)


async def test_a_conflict_with_another_article_is_named_and_marked(wired: Path) -> None:
    case = wired
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        screen.select(two.id)
        await pilot.pause()
        detail = str(screen.query_one("#detail").render())
        assert "≠ conflicts with" in detail and "“Two aircraft” vs “Three aircraft”" in detail
        assert str(screen.claim_list.row_cells(two.id)[6]).startswith("≠ ")


async def test_g_shows_the_group_and_c_every_conflict_and_enter_jumps(wired: Path) -> None:
    case = wired
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        three = next(c for c in screen.claims.values() if c.text.startswith("“Three aircraft"))
        assert "≠" in pane_text(screen.pane("right").view) or "≠" in pane_text(screen.pane("left").view)
        screen.select(two.id)
        await pilot.press("g")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClaimListDialog)
        listed = dialog.query_one(OptionList)
        ids = [int(listed.get_option_at_index(i).id.split(":")[1]) for i in range(listed.option_count)]
        assert two.id in ids and three.id in ids
        listed.highlighted = ids.index(three.id)
        await pilot.press("enter")
        await pilot.pause()
        assert screen.selected == three.id
        await pilot.press("c")
        await pilot.pause()
        conflicts = app.screen.query_one(OptionList)
        assert conflicts.option_count >= 1
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_g_shows_each_reports_value_where_they_disagree_and_the_group_as_disputed(wired: Path) -> None:
    app = WorkbenchApp(wired, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        screen.select(two.id)
        await until(pilot, lambda: screen.grouped, 3)
        await pilot.press("g")
        await pilot.pause()
        subtitle = str(app.screen.subtitle)
        assert subtitle.startswith("Disputed: its reports disagree")
        assert "aircraft: Two aircraft (A1 2026-03-12, A2 2026-03-12) · Three aircraft (A3)" in subtitle
        detail = str(screen.query_one("#detail").render())
        assert "(links suggest 5)" in detail


async def test_l_calls_a_flagged_conflict_not_a_conflict_and_it_stands(wired: Path) -> None:
    app = WorkbenchApp(wired, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        three = next(c for c in screen.claims.values() if c.text.startswith("“Three aircraft"))
        screen.select(three.id)
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, LinkCallDialog)
        other = int(dialog.query_one(OptionList).get_option_at_index(0).id)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        link = next(l for l in screen.store.links(three.id) if l.other(three.id) == other)
        assert (link.relation, link.call, link.called_by) == ("corroborates", "not_conflict", "ana")
        assert three.id not in screen.conflicted or any(
            l.conflicts for l in screen.store.links(three.id))  # another conflict may remain
        assert any("not a conflict" in str(n.message) for n in app._notifications)
        await pilot.press("l")
        await pilot.pause()
        await pilot.press(*str(other), "c")  # typed: the claim's number, then the call
        await pilot.pause()
        link = next(l for l in screen.store.links(three.id) if l.other(three.id) == other)
        assert (link.relation, link.call) == ("conflicts", "conflict")
        entries = [e for e in screen.store.history(three.id) if e.action == "call"]
        assert [e.call for e in entries] == ["not_conflict", "conflict"]


async def test_another_analysts_call_shows_within_two_seconds(wired: Path) -> None:
    app = WorkbenchApp(wired, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        conflict = next(l for l in screen.store.links() if l.conflicts)
        with Store(wired) as bo:
            bo.call_link(conflict.claim_a, conflict.claim_b, "unlinked", "bo")
        await until(pilot, lambda: any("bo:" in str(n.message) for n in app._notifications), 2)
        assert any("unlinked" in str(n.message) for n in app._notifications)
        assert all({l.claim_a, l.claim_b} != {conflict.claim_a, conflict.claim_b} for l in screen.store.links())


async def test_markup_in_another_analysts_name_or_note_is_shown_as_written(wired: Path) -> None:
    app = WorkbenchApp(wired, "ana")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        conflict = next(l for l in screen.store.links() if l.conflicts)
        with Store(wired) as other:
            other.call_link(conflict.claim_a, conflict.claim_b, "unlinked", "[/]", "[/b] closing [@click=app.quit]x")
            other.mark(conflict.claim_a, "disputed", "[bold]bo[/]")
        await until(pilot, lambda: len(app._notifications) >= 2, 3)
        await pilot.pause(0.3)
        assert app.is_running
        messages = [str(n.message) for n in app._notifications]
        assert any("[/]: #" in m and "[/b] closing [@click=app.quit]x" in m for m in messages)
        assert any(m.startswith("[bold]bo[/]") for m in messages)


async def test_m_walks_the_group_side_by_side_and_returns(wired: Path) -> None:
    case = wired
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        screen.select(two.id)
        seen = []
        for _ in range(3):
            await pilot.press("m")
            await pilot.pause()
            seen.append(screen.selected)
            assert screen.pane("left").article.id == two.article_id  # the starting claim stays in view
        assert seen[-1] == two.id
        walked = [screen.claims[c] for c in seen[:-1]]
        assert len({c.article_id for c in walked}) == 2 and two.article_id not in {c.article_id for c in walked}


async def test_another_analysts_mark_shows_within_two_seconds_with_who(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        mine = screen.selected
        await pilot.press("v")  # ana marks it first
        with Store(case) as bo:
            bo.mark(mine, "disputed", "bo")
        await until(pilot, lambda: screen.claims[mine].status is Status.DISPUTED, 2)
        await pilot.pause(1.2)
        assert screen.claims[mine].status is Status.DISPUTED
        assert str(screen.claim_list.row_cells(mine)[4]) == "✗ disputed"
        messages = [str(n.message) for n in app._notifications]
        assert any("bo changed" in m and "after you" in m for m in messages)


async def test_the_screens_marks_leave_the_wal_to_a_checkpoint_in_the_background(
    case: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No mark made on screen waits for the WAL to be copied into the database; a worker on its
    own connection does it every few seconds."""
    monkeypatch.setattr(review, "CHECKPOINT_SECONDS", 0.2)
    checkpoints: list[tuple[int, int]] = []
    real = Store.checkpoint
    monkeypatch.setattr(Store, "checkpoint", lambda store: checkpoints.append(real(store)) or checkpoints[-1])
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        assert screen.store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        await pilot.press("v", "j", "d")
        await until(pilot, lambda: bool(checkpoints and checkpoints[-1][0]), 2)
        pages, copied = checkpoints[-1]
        assert pages and copied == pages
        assert saved_status(case, screen.selected) is Status.DISPUTED


async def test_u_undoes_my_last_mark_and_h_shows_the_history(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        claim_id = screen.selected
        await pilot.press("v", "d", "u")
        await pilot.pause()
        assert screen.claims[claim_id].status is Status.VERIFIED
        assert saved_status(case, claim_id) is Status.VERIFIED
        await pilot.press("h")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ClaimListDialog)
        history = dialog.query_one(OptionList)
        first = str(history.get_option_at_index(0).prompt)
        assert "undo" in first and "ana" in first
        assert history.option_count == 3


async def test_t_takes_a_claim_and_the_mine_filter_shows_it(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        claim_id = screen.selected
        await pilot.press("t")
        assert screen.claims[claim_id].assignee == "ana"
        for _ in range(5):
            await pilot.press("f")
        assert screen.status_filter == "mine" and screen.claim_list.claim_ids == [claim_id]
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.screen, ClaimListDialog)
    with Store(case) as store:
        assert store.claim(claim_id).assignee == "ana"


@pytest.mark.parametrize("failure", ["attempt to write a readonly database", "database or disk is full"])
async def test_a_mark_that_cannot_be_written_says_so_and_the_screen_stays_truthful(
    case: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        claim_id = screen.selected

        def refuse(*args: object, **kwargs: object) -> None:
            raise sqlite3.OperationalError(failure)

        monkeypatch.setattr(screen.store, "mark", refuse)
        await pilot.press("v")
        await pilot.pause()
        assert app.is_running
        assert screen.claims[claim_id].status is Status.UNMARKED
        assert str(screen.claim_list.row_cells(claim_id)[4]) == "○ unmarked"
        assert any(f"Not saved: {failure}" in str(n.message) for n in app._notifications)
    assert saved_status(case, claim_id) is Status.UNMARKED


async def test_a_megabyte_with_no_full_stop_imports_in_the_background_while_keys_still_work(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words = "the ministry said two aircraft were lost near the border on thursday and officials denied it".split()
    big = tmp_path / "run-on.txt"
    big.write_text(" ".join(words[i % len(words)] for i in range(190_000))[:1_000_000], encoding="utf-8")
    # the import's claim finding waits until the test has looked: on a fast machine the whole
    # megabyte was read before the first frame, and the test saw no import under way
    release = threading.Event()
    find_claims = claim_finder.find_claims

    def held(text: str) -> list:
        release.wait(30)
        return find_claims(text)

    monkeypatch.setattr(claim_finder, "find_claims", held)
    app = WorkbenchApp(case, "tester", paths=[big])
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await until(pilot, lambda: screen.query_one("#importing").display, 5)
        assert screen.query_one("#importing").display  # the progress row is up ...
        first = screen.selected
        await pilot.press("j")
        assert screen.selected != first  # ... and the screen answers keys meanwhile
        release.set()
        await pilot.press("k")  # and while the megabyte is read
        assert screen.selected == first
        await until(pilot, lambda: not screen.query_one("#importing").display, 60)
        await pilot.pause()
        assert not screen.query_one("#importing").display
        big_article = max(screen.articles.values(), key=lambda a: a.id)
        claims = [c for c in screen.claims.values() if c.article_id == big_article.id]
        assert len(claims) > 500 and max(len(c.text) for c in claims) <= 1000
        assert all(big_article.text[c.start : c.end] == c.text for c in claims)
        screen.select(claims[-1].id)  # the last claim, a megabyte in, is brought into view
        await pilot.pause()
        view = next(screen.pane(s).view for s in ("left", "right") if screen.pane(s).view.has_claim(claims[-1].id))
        assert view.scroll_y > 10_000
        assert "ministry" in pane_text(view) or "aircraft" in pane_text(view)


async def test_a_refused_file_in_the_background_import_is_named_on_screen(case: Path, tmp_path: Path) -> None:
    bad = tmp_path / "photo.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    app = WorkbenchApp(case, "tester", paths=[bad])
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: not screen_of(app).query_one("#importing").display and bool(app._notifications), 5)
        messages = [n.message for n in app._notifications]
        assert any("photo.txt" in m and "binary" in m for m in messages), messages


async def test_a_folder_imported_on_start_is_read_by_helper_processes_under_the_screen(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for index, sentences in enumerate(bench.synthetic_case(6)):
        (folder / f"a{index}.txt").write_text(f"Report {index}\n\n{' '.join(sentences)}\n", encoding="utf-8")
    monkeypatch.setattr(ingest, "PARALLEL_TEXTS", 2)
    monkeypatch.setattr(ingest, "PARALLEL_BYTES", 0)
    app = WorkbenchApp(case, "tester", paths=[folder])
    async with app.run_test(size=WIDE) as pilot:
        screen = screen_of(app)
        await until(pilot, lambda: len(screen.articles) == 8 and not screen.query_one("#importing").display, 60)
        assert len(screen.articles) == 8
        assert not [n for n in app._notifications if n.severity == "error"]


async def test_the_claims_list_brings_its_cursor_into_view_when_it_grows_from_a_few_rows(case: Path) -> None:
    app = WorkbenchApp(case, "tester")
    async with app.run_test(size=WIDE) as pilot:
        screen = screen_of(app)
        everything = list(screen.listed)
        screen.claim_list.load(everything[:2], screen.articles)
        await pilot.pause()
        screen.claim_list.load(everything, screen.articles, keep=everything[-1].id)
        await pilot.pause()
        assert screen.claim_list.claim_id_at_cursor() == everything[-1].id
        assert screen.claim_list.scroll_y > 0


async def test_a_group_too_large_to_read_lists_the_claim_and_its_own_links_first_and_says_so(
    wired: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(review, "GROUP_ROWS", 2)
    app = WorkbenchApp(wired, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = screen_of(app)
        two = next(c for c in screen.visible_claims() if c.text.startswith("“Two aircraft"))
        best = screen._links_of(two.id)[0].other(two.id)
        assert len(screen.groups[two.id]) > 2
        screen.select(two.id)
        await pilot.press("g")
        await pilot.pause()
        listed = app.screen.query_one(OptionList)
        ids = [int(listed.get_option_at_index(i).id.split(":")[1]) for i in range(listed.option_count)]
        assert ids == [two.id, best]
        assert f"Showing 2 of the group's {len(screen.groups[two.id])} claims" in str(app.screen.subtitle)


async def test_an_export_that_cannot_be_written_says_so_and_the_screen_goes_on(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        path = app.screen.query_one("#path")
        path.value = str(tmp_path / "a-file" / "sheet.csv")
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Export failed" in str(n.message) for n in app._notifications)
        first = screen_of(app).selected
        await pilot.press("j")
        assert screen_of(app).selected != first


async def test_dismissing_the_shown_claim_when_the_filter_lists_nothing_does_not_stop_the_workbench(
    case: Path,
) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        shown = screen.selected
        await pilot.press("f", "f")  # unmarked, then open: nothing is open yet
        await pilot.pause()
        assert screen.claim_list.claim_ids == [] and screen.selected == shown
        await pilot.press("x")
        await pilot.pause()
        assert app.is_running and not screen.claims[shown].is_claim
        await pilot.press("f", "f", "f", "f")  # back to all claims
        await pilot.pause()
        assert shown not in screen.claim_list.claim_ids and screen.claim_list.claim_ids


MONKEY_KEYS = [*"jkvdoumgcsfxptr0123456[]aPhe?", "down", "up", "tab", "shift+tab", "escape", "enter", "pageup",
               "pagedown", "home", "end", "slash", "ctrl+p", "space"]


@pytest.mark.parametrize("seed", [0, 1, 2])
async def test_any_sequence_of_keys_leaves_the_workbench_running(case: Path, seed: int) -> None:
    """A hundred keys picked at random (deterministically, per seed), at three sizes: no key,
    in any state a dialog or a filter leaves, may stop the workbench."""
    rng = random.Random(seed)
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=[WIDE, (80, 24), (60, 20)][seed % 3]) as pilot:
        await pilot.pause()
        for _ in range(100):
            await pilot.press(rng.choice(MONKEY_KEYS))
        await pilot.pause()
        assert app.is_running


# -- a large case opens before its claims are all read -------------------------------------------


@pytest.fixture
def large(wired: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The three-article case, opened as a case too large to read before the first frame."""
    monkeypatch.setattr(review, "EAGER_CLAIMS", 0)
    return wired


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The background read of the case, held back: the test delivers it (`_case_read`) when it
    wants, as a slow read would arrive."""
    generations: list[int] = []
    monkeypatch.setattr(ReviewScreen, "_read_case", lambda screen, generation: generations.append(generation))
    return generations


def every_claim(db_path: Path) -> list:
    with Store(db_path) as store:
        return store.claims(include_sentences=True)


async def test_a_large_case_shows_its_first_articles_and_every_count_at_once_then_lists_the_rest(
    large: Path, held: list[int],
) -> None:
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        with Store(large) as store:
            total = store.progress().total
            third = max(a.id for a in store.articles())
        assert not screen.complete and held
        assert {c.article_id for c in screen.claims.values()} == {third - 2, third - 1}
        status = str(screen.query_one("#status").render())
        assert f"Reviewed 0/{total}" in status and "reading the case" in status  # every claim counted
        assert screen.selected is not None and screen.pane("left").article and screen.pane("right").article
        await pilot.press("j", "c", "m")  # moving works; what needs every claim says it waits
        await pilot.pause()
        assert [str(n.message) for n in app._notifications].count("Still reading the case; try again in a moment.") == 2
        assert isinstance(app.screen, ReviewScreen)

        screen._case_read(held[-1], every_claim(large))
        await pilot.pause()
        assert screen.complete and "reading the case" not in str(screen.query_one("#status").render())
        assert {c.article_id for c in screen.listed} == {third - 2, third - 1, third}
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.grouped  # the groups are found once every claim is read


async def test_a_mark_made_while_the_case_is_read_outlives_the_read(large: Path, held: list[int]) -> None:
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        read_before_the_mark = every_claim(large)
        marked = screen.selected
        await pilot.press("v")
        await pilot.pause()
        screen._case_read(held[-1], read_before_the_mark)
        await pilot.pause()
        assert screen.claims[marked].status == Status.VERIFIED
        assert Status.VERIFIED.symbol in "".join(str(cell) for cell in screen.claim_list.row_cells(marked))
        assert "Reviewed 1/" in str(screen.query_one("#status").render())
        assert saved_status(large, marked) == Status.VERIFIED


async def test_a_read_overtaken_by_a_newer_one_is_dropped(large: Path, held: list[int]) -> None:
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        stale = held[-1]
        screen.case_grew()  # an import finished meanwhile: the whole case is read again, here
        claims = dict(screen.claims)
        screen._case_read(stale, [])
        await pilot.pause()
        assert screen.complete and screen.claims == claims


async def test_a_large_case_read_in_the_background_ends_with_every_claim(large: Path) -> None:
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = screen_of(app)
        assert screen.complete
        assert set(screen.claims) == {c.id for c in every_claim(large)}
        await pilot.press("m")
        await pilot.pause()
        assert "Still reading" not in " ".join(str(n.message) for n in app._notifications)


async def test_keys_pressed_while_a_large_case_is_read_leave_the_workbench_running(large: Path) -> None:
    rng = random.Random(3)
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        for _ in range(100):
            await pilot.press(rng.choice(MONKEY_KEYS))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running


async def test_a_read_holding_an_article_imported_meanwhile_is_read_again_whole(
    large: Path, held: list[int], tmp_path: Path,
) -> None:
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        late = tmp_path / "late.txt"
        late.write_text("Late report\n\nTwo aircraft were involved, officials said on Friday.\n", encoding="utf-8")
        with Store(large) as other:  # another analyst imports while this screen reads the case
            ingest.import_paths(other, [late], analyst="bo")
        screen._case_read(held[-1], every_claim(large))
        await pilot.pause()
        assert screen.complete
        assert {c.article_id for c in screen.claims.values()} <= set(screen.articles)
        assert len(screen.articles) == 4


async def test_another_analysts_mark_on_a_claim_not_read_yet_is_counted_once(
    large: Path, held: list[int],
) -> None:
    app = WorkbenchApp(large, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        unread = next(c for c in every_claim(large) if c.is_claim and c.id not in screen.claims)
        with Store(large) as other:
            other.mark(unread.id, "disputed", "bo")
        screen._poll_others()
        await pilot.pause()
        total = len([c for c in every_claim(large) if c.is_claim])
        assert f"Reviewed 1/{total}" in str(screen.query_one("#status").render())
        assert "✗ 1 disputed" in str(screen.query_one("#status").render())
