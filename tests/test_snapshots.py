"""Snapshots of the main screens: a change to what the analyst sees shows up as a diff.

Update them with `pytest --snapshot-update` after looking at the report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import ingest
from workbench.store import Store
from workbench.tui.app import WorkbenchApp


@pytest.fixture
def seeded_app(tmp_path: Path) -> WorkbenchApp:
    db_path = tmp_path / "case.db"
    with Store(db_path) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
    return WorkbenchApp(db_path, "ana")


def test_main_screen(snap_compare, seeded_app: WorkbenchApp) -> None:
    assert snap_compare(seeded_app, terminal_size=(120, 40))


def test_main_screen_after_marking(snap_compare, seeded_app: WorkbenchApp) -> None:
    async def walk_and_mark(pilot) -> None:
        await pilot.press("v", "j", "d", "j", "o", "j")
        await pilot.pause()

    assert snap_compare(seeded_app, terminal_size=(120, 40), run_before=walk_and_mark)


def test_main_screen_at_80x24(snap_compare, seeded_app: WorkbenchApp) -> None:
    assert snap_compare(seeded_app, terminal_size=(80, 24))
