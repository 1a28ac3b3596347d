"""The article details dialog (`A`): correcting what an import read off a page, in the TUI."""

from __future__ import annotations

from pathlib import Path

import made_documents as made

from workbench import ingest
from workbench.store import Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.article_details import ArticleDetailsDialog
from workbench.tui.review import ReviewScreen


def page_case(db_path: Path, tmp_path: Path) -> Path:
    page = tmp_path / "crane.html"
    page.write_text(made.page(), encoding="utf-8")
    with Store(db_path) as store:
        ingest.import_paths(store, [page], analyst="tester")
    return db_path


async def test_a_corrected_outlet_shows_in_the_pane_header_and_is_in_the_history(db_path: Path,
                                                                                 tmp_path: Path) -> None:
    case = page_case(db_path, tmp_path)
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one(".pane-header").render())
        assert "Harbour Gazette · 2026-04-07" in header and "by Mara Lind" in header
        await pilot.press("A")
        assert isinstance(app.screen, ArticleDetailsDialog)
        await pilot.press("tab", "ctrl+u", *"Gazette Wire", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Gazette Wire · 2026-04-07" in str(app.screen.query_one(".pane-header").render())
    with Store(case) as store:
        assert store.article(1).source == "Gazette Wire"
        assert [(h["field"], h["old_value"], h["new_value"], h["analyst"]) for h in store.article_history(1)] == [
            ("source", "Harbour Gazette", "Gazette Wire", "ana")]


async def test_escape_leaves_the_details_as_they_were(db_path: Path, tmp_path: Path) -> None:
    case = page_case(db_path, tmp_path)
    app = WorkbenchApp(case, "ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("A", *"changed", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    with Store(case) as store:
        assert store.article(1).title == "Crane failure halts port loading" and not store.article_history(1)


async def test_a_pdfs_claim_names_its_page_in_the_detail_line(db_path: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(made.pdf([["Port officials said on Monday that 14 ships were waiting outside the harbour."],
                                 ["The operator said repairs would cost about 300,000 euros by the end of May."]]))
    with Store(db_path) as store:
        ingest.import_paths(store, [report], analyst="tester")
    app = WorkbenchApp(db_path, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        seen = set()
        for _ in range(4):
            detail = str(screen.query_one("#detail").render())
            seen.update(word for word in ("p. 1", "p. 2") if word in detail)
            await pilot.press("j")
            await pilot.pause()
        assert seen == {"p. 1", "p. 2"}
