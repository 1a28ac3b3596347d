"""Several analysts on one case: undo by new history, changes seen across connections, no lost marks."""

from __future__ import annotations

import multiprocessing
import random
import sqlite3
import time
from pathlib import Path

from workbench import ingest
from workbench.model import Status
from workbench.store import Store


def test_undo_takes_back_my_last_change_with_a_new_history_row(seeded: Store) -> None:
    claim = seeded.claims()[0]
    seeded.mark(claim.id, "verified", "ana")
    seeded.mark(claim.id, "disputed", "ana")
    restored, undone = seeded.undo("ana")
    assert restored.status is Status.VERIFIED and undone.new_status == "disputed"
    restored, _ = seeded.undo("ana")
    assert restored.status is Status.UNMARKED
    assert seeded.undo("ana") is None
    actions = [(h.action, h.undoes is not None) for h in seeded.history(claim.id)]
    assert actions == [("mark", False), ("mark", False), ("undo", True), ("undo", True)]


def test_undo_only_touches_my_own_changes(seeded: Store) -> None:
    mine, theirs = seeded.claims()[:2]
    seeded.mark(mine.id, "open", "ana")
    seeded.mark(theirs.id, "verified", "bo")
    claim, _ = seeded.undo("ana")
    assert claim.id == mine.id and claim.status is Status.UNMARKED
    assert seeded.claim(theirs.id).status is Status.VERIFIED


def test_undo_restores_a_note_and_a_dismissal(seeded: Store) -> None:
    claim = seeded.claims()[0]
    seeded.annotate(claim.id, "ana", "first", "a")
    seeded.annotate(claim.id, "ana", "second", "b")
    restored, _ = seeded.undo("ana")
    assert (restored.note, restored.evidence) == ("first", "a")
    seeded.dismiss(claim.id, "ana")
    restored, _ = seeded.undo("ana")
    assert restored.is_claim


def test_another_connections_commit_is_visible_by_data_version(db_path: Path, seeded: Store) -> None:
    version, seen = seeded.data_version(), seeded.last_change()
    with Store(db_path) as other:
        other.mark(seeded.claims()[0].id, "verified", "bo")
    assert seeded.data_version() != version
    changes = seeded.changes_since(seen)
    assert [(c.analyst, c.new_status) for c in changes] == [("bo", "verified")]


def _hammer(db: str, analyst: str, seconds: float, seed: int, queue) -> None:  # noqa: ANN001
    """One analyst marking random claims as fast as they can; reports every acknowledged mark."""
    rng = random.Random(seed)
    done, errors = [], []
    try:
        with Store(db) as store:
            ids = [c.id for c in store.claims()]
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                claim_id = rng.choice(ids)
                status = rng.choice(["verified", "disputed", "open"])
                try:
                    marked = store.mark(claim_id, status, analyst)
                    done.append((claim_id, status, marked.updated_at))
                except Exception as error:  # noqa: BLE001 - the test counts every failure
                    errors.append(repr(error))
    except Exception as error:  # noqa: BLE001
        errors.append(repr(error))
    queue.put((analyst, done, errors))


def test_eight_analysts_marking_at_once_lose_nothing(db_path: Path, seeded: Store) -> None:
    seeded.close()
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [context.Process(target=_hammer, args=(str(db_path), f"analyst{n}", 3.0, n, queue))
               for n in range(8)]
    for worker in workers:
        worker.start()
    results = [queue.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    assert all(not errors for _, _, errors in results), [e for _, _, e in results if e][:3]
    acknowledged = sum(len(done) for _, done, _ in results)
    assert acknowledged > 100

    with Store(db_path) as store:
        history = [h for h in store.history() if h.action == "mark"]
        assert len(history) == acknowledged
        for analyst, done, _ in results:
            mine = [(h.claim_id, h.new_status) for h in history if h.analyst == analyst]
            assert mine == [(c, s) for c, s, _ in done]
        last = {}
        for entry in history:
            last[entry.claim_id] = entry.new_status
        for claim_id, status in last.items():
            assert store.claim(claim_id).status.value == status
    check = sqlite3.connect(db_path)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    check.close()


def test_workbenches_opening_a_new_case_at_once_import_the_seeds_once(tmp_path: Path) -> None:
    import subprocess
    import sys

    from workbench import settings

    db = tmp_path / "new.db"
    runs = [subprocess.Popen([sys.executable, "-m", "workbench", "import", str(settings.seeds_dir()), "--db", str(db)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outcomes = [(run.wait(timeout=120), run.stderr.read()) for run in runs]
    assert all(code == 0 for code, _ in outcomes), outcomes
    assert not any("Traceback" in err for _, err in outcomes)
    with Store(db) as store:
        assert store.article_count() == 2


def test_assignments_filter_claims_and_count_in_progress(seeded: Store) -> None:
    ids = [c.id for c in seeded.claims()][:4]
    seeded.assign(ids, "bo", "ana")
    seeded.mark(ids[0], "verified", "bo")
    assert [c.id for c in seeded.claims(assignee="bo")] == ids
    assert seeded.history(ids[0])[0].action == "assign"
    by = seeded.progress_by()
    assert by["assignee"]["bo"].total == 4 and by["assignee"]["bo"].reviewed == 1
    assert sum(p.total for p in by["article"].values()) == seeded.progress().total
    assert seeded.marks_by_analyst() == {"bo": 1}


def test_assign_and_progress_from_the_command_line(seeded: Store, db_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from workbench.cli import cli

    a1 = seeded.articles()[0].id
    seeded.close()
    run = CliRunner().invoke(cli, ["assign", "bo", "--article", str(a1), "--db", str(db_path), "--analyst", "ana"])
    assert run.exit_code == 0 and "assigned to bo" in run.output
    report = json.loads(CliRunner().invoke(cli, ["progress", "--json", "--db", str(db_path)]).output)
    assert report["assignees"]["bo"]["total"] == report["articles"][f"A{a1}"]["total"]
    text = CliRunner().invoke(cli, ["progress", "--db", str(db_path)]).output
    assert "Per article" in text and "Per assignee" in text
    bad = CliRunner().invoke(cli, ["assign", "bo", "--db", str(db_path)])
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1


def test_progress_lists_articles_in_their_order_not_as_strings(store: Store, tmp_path: Path) -> None:
    for n in range(11):
        (tmp_path / f"report-{n:02}.txt").write_text(
            f"Report {n}\n\nOfficials said {n + 2} aircraft were lost on Thursday in report {n}.\n", encoding="utf-8")
    ingest.import_paths(store, [tmp_path], analyst="ana")
    labels = list(store.progress_by()["article"])
    assert labels == [f"A{a.id}" for a in store.articles()] and labels[:3] == ["A1", "A2", "A3"]
