"""No one gets in through the screen: names, sources, titles, paths, notes and article text that
anyone can write are shown as written, never obeyed, on the workbench's screen and in its
editors (the command line and the exports: test_hostile_output.py).

A hostile value here is Rich/Textual markup (`[/]` ends a tag that was never opened, and raised
MarkupError in every workbench open on the case; `[@click=app.quit]` is an action link), a
terminal escape (OSC 52 sets the clipboard, OSC 0 the window title), a C1 control, or a bidi
override that reorders what the analyst reads.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual import events
from textual.pilot import Pilot

from workbench import ingest
from workbench.safetext import displayable, keep_hidden, typed
from workbench.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs import ClaimListDialog, ExportDialog, NoteDialog
from workbench.tui.editors import SafeInput, SafeTextArea
from workbench.tui.review import ReviewScreen

WIDE = (160, 45)
#: Names that are markup: one ends a tag never opened, one is an action link, one a style left open.
MARKUP_NAMES = ["[/]", "[@click=app.quit]CLICKME[/]", "[bold red]x"]
CLIPBOARD = "\x1b]52;c;RVZJTC1DTElQQk9BUkQ=\x07"  # OSC 52: "EVIL-CLIPBOARD" into the clipboard
TITLE = "\x1b]0;owned window\x07"  # OSC 0: the window title
#: What must never reach a terminal from outside text: ESC, BEL, CSI as one C1 byte, bidi overrides.
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e", "\u202d", "\u2066")


def screen_text(app: WorkbenchApp) -> str:
    """Every cell of the current screen (toasts included), line by line, as the terminal gets it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def review(app: WorkbenchApp) -> ReviewScreen:
    screen = app.screen_stack[1] if len(app.screen_stack) > 1 else app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        await pilot.pause()
        await asyncio.sleep(0.05)


def assert_inert(text: str) -> None:
    for character in FORBIDDEN:
        assert character not in text, f"{character!r} reached the screen"


# -- the workbench's own analyst -------------------------------------------------------------


@pytest.mark.parametrize("name", [*MARKUP_NAMES, f"ana{TITLE}\u202e"])
async def test_an_analyst_named_in_markup_works_and_reads_their_name_as_written(case: Path, name: str) -> None:
    written = displayable(name)  # markup as it is; an escape or an override by a visible stand-in
    app = WorkbenchApp(case, name)
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("v", "t")  # a mark and an assignment carry the name into the detail line
        await pilot.pause()
        app.clear_notifications()  # the toasts cover the status line
        await pilot.pause()
        shown = screen_text(app)
        assert f"analyst: {written}" in shown  # the status line
        assert f"by {written} at" in shown  # the claim's detail line
        assert written in shown.splitlines()[0]  # the header
        assert_inert(shown)
        await pilot.press("h")  # the claim's history names its analysts
        await pilot.pause()
        assert isinstance(app.screen, ClaimListDialog)
        assert written in screen_text(app)
        await pilot.press("escape", "P")  # progress: marks per analyst
        await pilot.pause()
        assert written in screen_text(app)
        assert_inert(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running


async def test_a_name_that_looks_like_an_action_link_does_nothing_when_clicked(case: Path) -> None:
    app = WorkbenchApp(case, "[@click=app.quit]CLICKME[/]")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        lines = screen_text(app).splitlines()
        y = next(i for i, line in enumerate(lines) if "CLICKME" in line)
        x = lines[y].index("CLICKME")
        await pilot.click(offset=(x + 2, y))
        await pilot.pause(0.3)
        assert app.is_running


# -- other analysts, through the shared case ---------------------------------------------------


async def test_other_analysts_hostile_changes_arrive_through_the_poll_and_are_shown_as_written(case: Path) -> None:
    """`workbench mark 2 disputed --analyst '[/]'` once ended every other workbench on the case."""
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        screen = review(app)
        first, second, third = [c.id for c in screen.visible_claims()[:3]]
        await pilot.press("h")  # a dialog is open when the changes arrive
        await pilot.pause()
        with Store(case) as other:  # another analyst, another connection, the same file
            other.mark(first, "disputed", "[/]", note="[@click=app.quit]CLICKME[/] and [link=https://example.org]x")
            other.mark(second, "verified", "[bold red]x")
            other.assign([third], f"{CLIPBOARD}bo", f"{TITLE}bo")
        await until(pilot, lambda: len(app._notifications) >= 3, 3)
        await pilot.pause(1.5)  # past the 2.5 s the markup error took to end the workbench
        assert app.is_running
        shown = screen_text(app)
        assert "[/]: mark #" in shown or "[/]: mark" in shown
        assert "[bold red]x: mark" in shown
        assert_inert(shown)
        await pilot.press("escape")
        await pilot.pause()
        screen.select(first, force=True)
        await pilot.pause()
        shown = screen_text(app)
        assert "note: [@click=app.quit]CLICKME[/] and [link=https://example.org]x" in shown
        assert "by [/] at" in shown
        screen.select(third, force=True)
        await pilot.pause()
        assert "␛]0;owned window␇bo" in screen_text(app)
        assert_inert(screen_text(app))


# -- articles: source, title, path ---------------------------------------------------------------


async def test_a_source_title_and_path_in_markup_show_as_written(case: Path, tmp_path: Path) -> None:
    folder = tmp_path / "["  # the path reads ".../[/]report.txt"
    folder.mkdir()
    article = folder / "]report.txt"
    article.write_text("Officials said 40 people were hurt in the blast on Monday, the ministry said.\n",
                       encoding="utf-8")
    with Store(case) as store:
        added = ingest.import_paths(store, [article], analyst="tester", source="[/] Wire [link=https://example.org]x",
                                    title=f"[bold]Blast[/] {TITLE}report").added[0]
    app = WorkbenchApp(case, "ana", paths=[article])  # imported again: a duplicate, named by its path
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = review(app)
        screen._show_article("left", added.id)
        await pilot.pause()
        shown = screen_text(app)
        assert "[/] Wire [link=https://example.org]x" in shown
        assert "[bold]Blast[/] ␛]0;owned window␇report" in shown
        assert any(f"{article} is already in the case" in str(n.message) for n in app._notifications)
        assert "[/]report.txt" in shown  # in its toast, wrapped as it may be
        assert_inert(shown)
        await pilot.press("a")  # the article picker lists the titles
        await pilot.pause()
        assert "[bold]Blast[/]" in screen_text(app)
        assert app.is_running


# -- the note editor ------------------------------------------------------------------------------

HIDDEN_NOTE = f"Asked the \u202edesoppo\u202c desk [/] twice{TITLE}.\nSecond line\u200b."


async def test_the_note_editor_shows_bidi_and_controls_inert_and_saves_the_note_unchanged(case: Path) -> None:
    with Store(case) as store:
        claim_id = store.claims()[0].id
        store.annotate(claim_id, "tester", HIDDEN_NOTE, f"see \u202ereversed{CLIPBOARD}")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        review(app).select(claim_id, force=True)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        shown = screen_text(app)
        assert_inert(shown)  # no reordering, no title, no clipboard
        assert "Asked the \ufffddesoppo\ufffd desk [/] twice␛]0;owned window␇." in shown
        assert "see \ufffdreversed␛]52;c;" in shown
        await pilot.press("ctrl+s")  # saved without a change: the stored note is exactly as it was
        await pilot.pause()
    with Store(case) as store:
        claim = store.claim(claim_id)
        assert claim.note == HIDDEN_NOTE
        assert claim.evidence == f"see \u202ereversed{CLIPBOARD}"


async def test_an_edit_to_a_note_keeps_the_hidden_characters_it_did_not_touch(case: Path) -> None:
    with Store(case) as store:
        claim_id = store.claims()[0].id
        store.annotate(claim_id, "tester", HIDDEN_NOTE, "")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        review(app).select(claim_id, force=True)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("down", "end", *" Called back")
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(case) as store:
        assert store.claim(claim_id).note == HIDDEN_NOTE + " Called back"


async def test_a_paste_into_the_note_or_evidence_is_shown_and_saved_inert(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        claim_id = review(app).selected
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one(SafeTextArea).has_focus
        app.post_message(events.Paste(f"pasted\r\n{CLIPBOARD}\u202eend"))  # as the terminal sends a paste
        await pilot.pause()
        dialog.query_one(SafeInput).focus()
        await pilot.pause()
        app.post_message(events.Paste(f"{TITLE}link"))
        await pilot.pause()
        assert_inert(screen_text(app))
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(case) as store:
        claim = store.claim(claim_id)
    assert claim.note == "pasted\n␛]52;c;RVZJTC1DTElQQk9BUkQ=␇\ufffdend"  # what the analyst saw
    assert claim.evidence == "␛]0;owned window␇link"


# -- the export dialog ----------------------------------------------------------------------------


async def test_the_export_dialog_shows_a_hostile_folder_inert_and_writes_to_it_exactly(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / f"sheets{TITLE}[/]"  # a folder "sheets…[" holding a folder "]"
    folder.mkdir(parents=True)
    monkeypatch.chdir(folder)
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "sheets␛]0;owned window␇" in screen_text(app)  # the rest may run past the box
        assert "sheets␛]0;owned window␇[/]/claim-sheet.csv" in app.screen.query_one("#path").value
        assert_inert(screen_text(app))
        await pilot.press("down", "down", "enter")  # Markdown: the suffix changes, the folder stays
        await pilot.pause()
        app.screen.query_one("#path").focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await until(pilot, lambda: any("Wrote" in str(n.message) for n in app._notifications), 2)
        assert "sheets␛]0;owned window␇[/]" in screen_text(app).replace("\n", "") or any(
            "sheets␛]0;owned window␇[/]" in str(n.message) for n in app._notifications)
        assert_inert(screen_text(app))
    assert (folder / "claim-sheet.md").is_file()


# -- the text functions underneath ------------------------------------------------------------

hidden = st.sampled_from(["\u202e", "\u202c", "\u200f", "\x1b", "\x07", "\x9b", "\r", "\t", "\u200b", "\ufeff"])
plain = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs")), max_size=8)
stored = st.lists(st.one_of(hidden, plain), max_size=12).map("".join)


@given(stored)
@settings(max_examples=200, deadline=None)
def test_a_note_left_alone_is_saved_exactly(original: str) -> None:
    assert keep_hidden(original, displayable(original), displayable(original)) == original


def hidden_characters(text: str) -> list[str]:
    return [c for c, shown in zip(text, displayable(text)) if c != shown]


@given(stored, st.lists(st.tuples(st.integers(0, 40), st.integers(0, 6), plain.map(typed)), max_size=4))
@settings(max_examples=300, deadline=None)
def test_an_edited_note_reads_as_shown_and_holds_no_hidden_character_the_note_did_not(
    original: str, edits: list[tuple[int, int, str]],
) -> None:
    """Whatever the edit, what is saved reads as the analyst saw it, and its hidden characters are
    the note's own, in their order: none is made up or moved. (Which of two alike the analyst
    deleted, "��" to "�", cannot be told; either is right.)"""
    shown = displayable(original)
    pieces, position = [], 0
    for start, length, insert in sorted(edits):
        start = min(max(start, position), len(shown))
        pieces += [shown[position:start], insert]
        position = min(start + length, len(shown))
    edited = "".join(pieces) + shown[position:]
    saved = keep_hidden(original, shown, edited)
    assert displayable(saved) == edited
    left = iter(hidden_characters(original))
    assert all(character in left for character in hidden_characters(saved))


def test_a_long_note_edited_in_many_places_keeps_every_hidden_character_it_did_not_touch() -> None:
    paragraph = "The desk called the \u202eministry\u202c back\x1b twice, and the spokesman\u200f agreed.\n"
    original = paragraph * 300
    shown = displayable(original)
    cut = len(shown) // 10
    edited = "".join(shown[i * cut : (i + 1) * cut] + "Checked again. " for i in range(10)) + shown[10 * cut :]
    saved = keep_hidden(original, shown, edited)
    assert displayable(saved) == edited
    assert saved.replace("Checked again. ", "") == original

