"""NATO/Admiralty grading: source reliability A-F, claim credibility 1-6, suggested from the links."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from workbench import export, groups, ingest
from workbench.model import Link, grade
from workbench.store import Store, StoreError
from workbench.tui.app import WorkbenchApp
from workbench.tui.dialogs import ClaimListDialog


def test_grades_are_saved_with_history_and_read_as_b2(seeded: Store) -> None:
    claim = seeded.claims()[0]
    seeded.grade_source(claim.article_id, "B", "ana")
    graded = seeded.grade_claim(claim.id, "2", "ana")
    assert grade(seeded.article(claim.article_id).reliability, graded.credibility) == "B2"
    assert seeded.history(claim.id)[-1].action == "grade"
    assert seeded.history(claim.id)[-1].credibility == "2"
    assert grade("", "") == "" and grade("", "4") == "–4"


@pytest.mark.parametrize("bad", ["7", "0", "B", "12"])
def test_a_credibility_outside_1_to_6_is_refused(seeded: Store, bad: str) -> None:
    with pytest.raises(StoreError, match="1-6"):
        seeded.grade_claim(seeded.claims()[0].id, bad, "ana")


def test_a_reliability_outside_a_to_f_is_refused(seeded: Store) -> None:
    with pytest.raises(StoreError, match="A-F"):
        seeded.grade_source(1, "G", "ana")


def test_the_suggestion_follows_corroboration_and_contradiction() -> None:
    agree, differ = Link(1, 2, 0.8), Link(1, 3, 0.8, "conflicts", "“two” vs “three”")
    assert groups.suggest_credibility([agree], 2) == "1"
    assert groups.suggest_credibility([agree], 1) == "2"
    assert groups.suggest_credibility([agree, differ], 2) == "5"
    assert groups.suggest_credibility([], 0) == "6"


def test_the_claim_sheet_carries_grades_and_suggestions(seeded: Store, tmp_path: Path) -> None:
    wire = tmp_path / "wire.txt"
    wire.write_text("Wire\n\n“Three aircraft were involved in the incident,” a Pentagon official said.\n",
                    encoding="utf-8")
    ingest.import_paths(seeded, [wire], analyst="ana", source="Wire")
    two = next(c for c in seeded.claims() if c.text.startswith("“Two aircraft"))
    seeded.grade_source(two.article_id, "C", "ana")
    seeded.grade_claim(two.id, "3", "ana")
    rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(export.render(seeded, "csv")))}
    assert rows[two.id]["grade"] == "C3"
    assert rows[two.id]["suggested_credibility"] == "5"  # contradicted by the wire report


async def test_digit_keys_grade_the_claim_and_r_grades_its_source(seeded: Store, db_path: Path) -> None:
    seeded.close()
    app = WorkbenchApp(db_path, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        claim_id = screen.selected
        await pilot.press("2")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ClaimListDialog)
        await pilot.press("down", "enter")  # A -> B
        await pilot.pause()
        assert str(screen.claim_list.row_cells(claim_id)[5]) == "B2"
    with Store(db_path) as store:
        claim = store.claim(claim_id)
        assert claim.credibility == "2"
        assert store.article(claim.article_id).reliability == "B"
