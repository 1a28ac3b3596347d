"""`i`: the import dialog, driven with Textual's Pilot as an analyst over SSH would drive it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from test_import_text import RESTATED
from test_links import site  # noqa: F401 - the local news site, a fixture
from test_tui import WIDE, pane_text, screen_of, until
from textual import events
from textual.pilot import Pilot

from workbench.store import Store
from workbench.tui.app import COMMANDS, WorkbenchApp
from workbench.tui.dialogs import KEYS, ImportDialog
from workbench.tui.editors import PasteArea, SafeInput
from workbench.tui.review import ReviewScreen


async def open_dialog(pilot: Pilot) -> ImportDialog:
    await pilot.pause()
    await pilot.press("i")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ImportDialog)
    return dialog


async def paste(pilot: Pilot, text: str) -> None:
    """What a terminal sends in bracketed paste mode, as Textual's parser hands it on: one
    Paste event to the app, which gives it to the focused widget."""
    pilot.app.post_message(events.Paste(text))
    await pilot.pause()
    await pilot.pause()


async def type_into(pilot: Pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}", SafeInput).focus()
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def imported(pilot: Pilot, db_path: Path, articles: int) -> None:
    """Wait for the dialog's import to end with `articles` articles in the case."""
    screen = screen_of(pilot.app)
    await until(pilot, lambda: len(screen.articles) == articles and not screen.query_one("#importing").display, 30)
    await pilot.pause()


async def test_a_pasted_article_lands_in_a_pane_with_its_claims_listed_and_linked_to_the_samples(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await open_dialog(pilot)
        await paste(pilot, RESTATED.replace("\n", "\r"))  # a terminal sends a pasted line end as CR
        area = app.screen.query_one("#text", PasteArea)
        assert area.has_focus and area.stored_text == RESTATED  # every line, though the path field had the cursor
        await type_into(pilot, "source", "Evening Wire")
        await type_into(pilot, "title", "Tanker down")
        await pilot.press("ctrl+s")
        await imported(pilot, case, 3)
        screen = screen_of(app)
        new = max(screen.articles)
        assert isinstance(app.screen, ReviewScreen)
        assert screen.pane("right").article.id == new
        assert "Refuelling jet lost over Iraq" in pane_text(screen.pane("right").view)
        assert screen.claims[screen.selected].article_id == new
        listed = {c.id for c in screen.listed if c.article_id == new}
        assert listed and screen.claim_list.claim_id_at_cursor() in listed
    with Store(case) as store:
        article = store.article(new)
        assert (article.text, article.source, article.title, article.path) == (RESTATED, "Evening Wire",
                                                                               "Tanker down", None)
        seeds = {a.id for a in store.articles()} - {new}
        others = {store.claim(link.other(c)).article_id for c in listed for link in store.links(c)}
        assert others & seeds  # it states a fact of the sample articles, and is linked to them


async def test_hostile_pasted_text_is_shown_inert_and_stored_exactly(case: Path) -> None:
    hostile = ("Leak\n\nThe envoy said 7 talks \u202edeliaf\u202c on Tuesday."
               "\x1b]52;c;cm0gLXJmIH4=\x07 Officials said 2 aides resigned.\n")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await open_dialog(pilot)
        await paste(pilot, hostile)
        area = app.screen.query_one("#text", PasteArea)
        shown = area.text
        assert not {"\x1b", "\x07", "\u202e", "\u202c"} & set(shown)  # nothing reaches the terminal ...
        assert "\u241b]52;c;" in shown and "\ufffddeliaf\ufffd" in shown  # ... every character has a stand-in
        assert area.stored_text == hostile
        await pilot.press("ctrl+s")
        await imported(pilot, case, 3)
        new = max(screen_of(app).articles)
        painted = pane_text(screen_of(app).pane("right").view)
        assert "\x1b" not in painted and "\u202e" not in painted
    with Store(case) as store:
        assert store.article(new).text == hostile


async def test_text_typed_after_a_paste_is_kept_with_the_pasted_characters_as_pasted(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot)
        dialog.query_one("#text", PasteArea).focus()  # one line stays in the field that has the cursor
        await paste(pilot, "The envoy said 7 talks \u202edeliaf\u202c on Tuesday.\n")
        await pilot.press("end", "ctrl+end", *"Aides", "space", *"left.")
        area = app.screen.query_one("#text", PasteArea)
        assert area.stored_text == "The envoy said 7 talks \u202edeliaf\u202c on Tuesday.\nAides left."


@pytest.mark.parametrize("what, needs", [
    ("", "Nothing to import"),
    ("  \n \n", "empty"),
    ("The mayor said 3 roads were shut on Monday.\n" * 40, "too large"),
])
async def test_bad_pasted_text_is_refused_in_a_line_and_the_dialog_keeps_it(case: Path, what: str, needs: str) -> None:
    app = WorkbenchApp(case, "ana", max_bytes=1000)
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot)
        if what:
            await paste(pilot, what)
        await type_into(pilot, "source", "Kept")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.query_one("#text", PasteArea).stored_text == what
        assert dialog.query_one("#source", SafeInput).stored_value == "Kept"
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and needs in errors[0] and "\n" not in errors[0]
        assert len(screen_of_base(app).articles) == 2


def screen_of_base(app: WorkbenchApp) -> ReviewScreen:
    return next(s for s in app.screen_stack if isinstance(s, ReviewScreen))


@pytest.mark.parametrize("target, needs", [
    ("missing/report.txt", "no such file or folder"),
    ("empty-folder", "a folder with no .txt or .md files"),
])
async def test_a_path_that_cannot_be_imported_is_refused_in_a_line_and_the_dialog_stays(
    case: Path, tmp_path: Path, target: str, needs: str,
) -> None:
    (tmp_path / "empty-folder").mkdir()
    (tmp_path / "empty-folder" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot)
        await type_into(pilot, "target", str(tmp_path / target))
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#target", SafeInput).stored_value == str(tmp_path / target)
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert len(errors) == 1 and needs in errors[0]


async def test_a_file_named_in_the_dialog_is_imported_by_the_background_import_with_its_outlet(
    case: Path, tmp_path: Path,
) -> None:
    report = tmp_path / "evening wire.txt"
    report.write_text(RESTATED, encoding="utf-8")
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await open_dialog(pilot)
        await type_into(pilot, "target", str(report))
        await type_into(pilot, "source", "Evening Wire")
        await type_into(pilot, "date", "2026-03-13")
        await pilot.press("enter")
        await imported(pilot, case, 3)
        screen = screen_of(app)
        new = screen.articles[max(screen.articles)]
        assert (new.path, new.source, new.date) == (str(report), "Evening Wire", "2026-03-13")
        assert screen.pane("right").article.id == new.id
        assert any(n.message.startswith("Import: 1 imported") for n in app._notifications)


async def test_a_link_is_fetched_and_read_as_a_saved_page(case: Path, site: str) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await open_dialog(pilot)
        await type_into(pilot, "target", f"{site}/port/crane")
        await pilot.press("enter")
        await until(pilot, lambda: any(n.message.startswith("Import: 1 imported") for n in app._notifications), 20)
        screen = screen_of(app)
        new = screen.articles[max(screen.articles)]
        assert new.url == f"{site}/port/crane" and new.title == "Crane failure halts port loading"
        assert screen.pane("right").article.id == new.id


async def test_a_link_pasted_with_its_line_end_stays_in_the_path_field(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot)
        await paste(pilot, "https://news.example.org/tanker\r")
        assert dialog.query_one("#target", SafeInput).stored_value == "https://news.example.org/tanker"
        assert dialog.query_one("#text", PasteArea).stored_text == ""


async def test_a_second_import_waits_for_the_first_and_the_dialog_keeps_what_was_pasted(
    case: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_dialog(pilot)
        monkeypatch.setattr(app, "importing", lambda: True)
        await paste(pilot, RESTATED)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and dialog.query_one("#text", PasteArea).stored_text == RESTATED
        assert any("under way" in n.message for n in app._notifications)


async def test_escape_cancels_and_nothing_is_imported(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await open_dialog(pilot)
        await paste(pilot, RESTATED)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen) and not app.workers
    with Store(case) as store:
        assert store.article_count() == 2


async def test_the_dialog_fits_80x24_with_every_field_and_button_on_screen(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_dialog(pilot)
        for selector in ("#target", "#text", "#source", "#date", "#title", "#url", "#import", "#cancel"):
            region = dialog.query_one(selector).region
            assert region.height > 0 and region.bottom <= 24 and region.right <= 80, selector


def test_i_is_in_the_keys_the_palette_and_the_bindings() -> None:
    assert any(key == "i" and "import" in what for key, what in KEYS)
    assert any(action == "import_article" for _, _, action in COMMANDS)
    assert any(b.key == "i" and b.action == "import_article" for b in ReviewScreen.BINDINGS)
    assert sum(1 for b in ReviewScreen.BINDINGS if "i" in b.key.split(",")) == 1


@pytest.mark.tmux
def test_a_bracketed_paste_in_a_real_terminal_lands_whole_and_is_imported(tmp_path: Path) -> None:
    """The real `workbench` in tmux; tmux pastes a buffer as a terminal does (line ends as CR,
    wrapped in bracketed-paste marks), so this is what an analyst's paste over SSH sends."""
    terminal = pytest.importorskip("test_terminal")  # skips without tmux
    db = tmp_path / "case.db"
    term = terminal.Terminal([*terminal.workbench_command(), "--db", str(db), "--analyst", "ana"], (120, 40),
                             {"TERM": "xterm-256color", "HOME": str(tmp_path), "LANG": "C.UTF-8",
                              "PATH": os.environ.get("PATH", "")})
    try:
        term.wait_for("Reviewed 0/")
        term.keys("i")
        term.wait_for("Import an article")
        article = tmp_path / "pasted.txt"
        article.write_text(RESTATED.replace("fire.", "fire, \u202eyas\u202c officials."), encoding="utf-8")
        tmux = tmux_of(term)
        subprocess.run([*tmux, "load-buffer", "-b", term.name, str(article)], check=True)
        subprocess.run([*tmux, "paste-buffer", "-p", "-d", "-b", term.name, "-t", term.name], check=True)
        shown = term.wait_for("officials.")
        assert "\u202e" not in shown and "\ufffdyas\ufffd" in shown  # the override made visible, not obeyed
        term.keys("Tab", *"Evening", "Space", *"Wire", "C-s")
        term.wait_for("Import: 1 imported")
        term.wait_for("A3 Evening Wire · undated")
        term.keys("q")
        term.wait_for("[exited 0]")
    finally:
        term.close()
    with Store(db) as store:
        (pasted,) = [a for a in store.articles() if a.source == "Evening Wire"]
        assert pasted.text == article.read_text(encoding="utf-8") and pasted.path is None


def tmux_of(term: Any) -> list[str]:
    """The tmux command that reaches `term`'s session, on a server of its own (-L) or not."""
    own = subprocess.run(["tmux", "-L", term.name, "has-session", "-t", term.name], capture_output=True, check=False)
    return ["tmux", "-L", term.name] if own.returncode == 0 else ["tmux"]
