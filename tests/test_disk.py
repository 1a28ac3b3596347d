"""A full disk or a read-only case: one clear line, the screen stays truthful, nothing is lost.

The failures are real, not monkeypatched: the operating system refuses the writes. A file-size
limit (RLIMIT_FSIZE) works anywhere; a small tmpfs, filled up or remounted read-only, needs the
right to mount (root, as CI runs) and is skipped without it.
"""

from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench import ingest
from workbench.model import Status
from workbench.store import Store, StoreError
from workbench.tui.app import WorkbenchApp
from workbench.tui.review import ReviewScreen


def workbench(*args: str, limit_bytes: int | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process; with `limit_bytes`, no file may be written past it."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails with EFBIG, no signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "workbench", *args], capture_output=True, text=True,
                          preexec_fn=limit if limit_bytes is not None else None, timeout=120)


def integrity(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def statuses(db: Path) -> dict[int, Status]:
    with Store(db) as store:
        return {c.id: c.status for c in store.claims()}


def seeded_case(db: Path) -> list[int]:
    """The seeds in a case at `db`, with the first claim verified; the claim ids."""
    with Store(db) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
        ids = [c.id for c in store.claims()]
        store.mark(ids[0], Status.VERIFIED, "tester")
    return ids


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_a_mark_the_operating_system_refuses_to_write_is_one_line_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    ids = seeded_case(db)
    before = statuses(db)
    line = one_error_line(workbench("mark", str(ids[1]), "disputed", "--note", "n" * 20_000, "--db", str(db),
                                    limit_bytes=4096))
    assert str(db) in line
    assert statuses(db) == before and before[ids[0]] is Status.VERIFIED
    assert integrity(db) == "ok"
    assert workbench("mark", str(ids[1]), "disputed", "--db", str(db)).returncode == 0  # room again: it saves


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system of its own."""
    where = tmp_path / "disk"
    where.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                                 capture_output=True).returncode == 0
    except FileNotFoundError:
        mounted = False
    if not mounted:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path) -> Path:
    """Take every free byte of `disk`."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    return filler


def read_only(disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)


def test_a_store_on_a_full_disk_says_the_disk_is_full_and_keeps_what_was_saved(small_disk: Path) -> None:
    db = small_disk / "case.db"
    ids = seeded_case(db)
    with Store(db) as store:
        filler = fill(small_disk)
        with pytest.raises(StoreError, match="the disk holding it is full"):
            for size in range(1, 50):  # the write-ahead log has a little room; a long note finds the end
                store.annotate(ids[1], "ana", "n" * 8_000 * size)
        filler.unlink()
        store.mark(ids[2], Status.OPEN, "ana")  # room again: it saves
    after = statuses(db)
    assert after[ids[0]] is Status.VERIFIED and after[ids[2]] is Status.OPEN
    assert integrity(db) == "ok"


def test_a_case_on_a_read_only_file_system_is_one_clear_line(small_disk: Path) -> None:
    db = small_disk / "case.db"
    ids = seeded_case(db)
    read_only(small_disk)
    line = one_error_line(workbench("mark", str(ids[1]), "verified", "--db", str(db)))
    assert "read-only file system" in line


async def test_the_screen_shows_only_marks_that_reached_a_full_disk(small_disk: Path) -> None:
    db = small_disk / "case.db"
    seeded_case(db)
    app = WorkbenchApp(db, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        filler = fill(small_disk)
        refused = 0
        for _ in range(25):  # mark claim after claim until the disk refuses
            await pilot.press("d", "j")
            await pilot.pause()
            refused = sum("the disk holding it is full" in str(n.message) for n in app._notifications)
            if refused:
                break
        assert refused, "the disk never filled"
        assert app.is_running
        shown = {claim_id: claim.status for claim_id, claim in screen.claims.items()}
        filler.unlink()
        saved = statuses(db)
        assert saved == {k: shown[k] for k in saved}  # every mark on screen is saved, no refused one shown
        await pilot.press("k", "v")
        await pilot.pause()
        claim_id = screen.selected
        assert screen.claims[claim_id].status is Status.VERIFIED
    assert statuses(db)[claim_id] is Status.VERIFIED
    assert integrity(db) == "ok"
