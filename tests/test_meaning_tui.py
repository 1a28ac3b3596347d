"""`/` finds claims by meaning as well as by words, and a broken model never ends a session.

Driven with Textual's Pilot on a case of the sample articles; the broken model is a damaged
`static.npz` of the test's own, put in the shipped file's place by monkeypatching the loader
(the installed file is never touched).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from test_import_dialog import open_dialog, type_into
from test_import_text import RESTATED
from test_tui import WIDE, screen_of, until

from workbench import cli, vectors
from workbench.tui.app import WorkbenchApp

#: Shares "crashed" and "iraq" with the first sample claim, not "refuelling plane": no word match.
PHRASE = "a refuelling plane crashed in iraq"
#: A claim of a sample article this phrase restates.
CRASHED = "An American aerial refuelling jet has crashed in Iraq"


@pytest.fixture
def broken_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The static vectors' file is damaged: every load of it fails as a broken install's would."""
    damaged = tmp_path / "static.npz"
    damaged.write_bytes(b"PK\x03\x04 half a zip file")
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors, "load", lambda path=None, _load=vectors.load: _load(damaged))


def messages(app: WorkbenchApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_phrase_typed_into_search_lists_a_claim_found_by_meaning_marked_as_such(case: Path) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("slash", *("space" if ch == " " else ch for ch in PHRASE))
        await pilot.pause()
        crashed = next(c for c in screen.claims.values() if c.text.startswith(CRASHED))
        assert crashed.id in screen.claim_list.claim_ids
        assert "plane" not in crashed.text.lower()  # found by meaning, not by its words
        text_cell = screen.claim_list.row_cells(crashed.id)[-1]
        assert text_cell.plain.startswith("≈ ")
        assert "by meaning" in str(screen.query_one("#status").render())
        await pilot.press("escape")
        assert not any(cell.plain.startswith("≈") for i in screen.claim_list.claim_ids[:5]
                       for cell in screen.claim_list.row_cells(i)[-1:])


async def test_a_broken_model_leaves_word_search_working_and_says_so_once(case: Path, broken_model: None) -> None:
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await pilot.pause()
        screen = screen_of(app)
        await pilot.press("slash", *("space" if ch == " " else ch for ch in PHRASE))
        await until(pilot, lambda: any("Search by meaning is off" in m for m in messages(app)), 5)
        said = [m for m in messages(app) if "Search by meaning is off" in m]
        assert len(said) == 1 and "static.npz is missing or damaged: reinstall workbench" in said[0]
        assert "Traceback" not in said[0]
        for _ in PHRASE:
            await pilot.press("backspace")
        await pilot.press(*"aircraft")  # words search on, without another word about the model
        await pilot.pause()
        listed = [screen.claims[i] for i in screen.claim_list.claim_ids]
        assert listed and all("aircraft" in c.text.lower() for c in listed)
        await pilot.press("enter", "j", "v")  # and the review goes on
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert sum("Search by meaning is off" in m for m in messages(app)) == 1


async def test_an_import_with_a_broken_model_stops_in_one_line_and_the_session_goes_on(
    case: Path, tmp_path: Path, broken_model: None,
) -> None:
    report = tmp_path / "evening wire.txt"
    report.write_text(RESTATED, encoding="utf-8")  # it restates the samples: lining it up needs the vectors
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=WIDE, notifications=True) as pilot:
        await open_dialog(pilot)
        await type_into(pilot, "target", str(report))
        await pilot.press("enter")
        await until(pilot, lambda: any("Import stopped" in m for m in messages(app)), 30)
        stopped = [m for m in messages(app) if "Import stopped" in m]
        assert len(stopped) == 1 and "static.npz is missing or damaged: reinstall workbench" in stopped[0]
        assert "Traceback" not in stopped[0] and "ModelError" not in stopped[0]
        await pilot.pause()
        assert not any("another analyst" in m for m in messages(app))  # what it stored is its own
        assert app.is_running and app.return_code is None


def test_opening_a_new_case_with_a_broken_model_is_one_line_and_exit_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db_path: Path, broken_model: None,
) -> None:
    monkeypatch.setattr(sys, "argv", ["workbench", "open", "--db", str(db_path)])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 1
    printed = capsys.readouterr().err.splitlines()
    assert printed == [printed[0]] and printed[0].startswith("Error: ")
    assert "static.npz is missing or damaged: reinstall workbench" in printed[0]
