"""A damaged case is refused in one line, never a traceback, and nothing is written into it.

Twenty-five ways a case file gets damaged (cut short, bits flipped, pages zeroed, someone else's
file, a newer workbench's, values no workbench writes, an index out of step), and a disk that
refuses writes (read-only, full), with every command run on each: each either does its job or
says in one line what is wrong and what to do, exits 1, and leaves the file's bytes as they were.
The screen, on damage met while it runs, ends with that one line and exit 1.
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.pilot import WaitForScreenTimeout

from workbench import cli, ingest
from workbench import store as store_module
from workbench.model import Status
from workbench.store import DamagedCase, Store
from workbench.tui.app import WorkbenchApp
from workbench.tui.review import ReviewScreen

ARTICLE = "The harbour board said on Monday that 40 ferries would stop running in March.\n"


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of a sound case: the seeds, one claim verified, everything checkpointed into
    the file (a flip must land in the case, not in a WAL the next open would replay)."""
    path = tmp_path_factory.mktemp("healthy") / "case.db"
    with Store(path) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
        store.mark(store.claims()[0].id, Status.VERIFIED, "tester")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode = wal")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path.read_bytes()


def flipped(data: bytes, bits: int, seed: int) -> bytes:
    rng = random.Random(seed)
    damaged = bytearray(data)
    for _ in range(bits):
        bit = rng.randrange(len(damaged) * 8)
        damaged[bit // 8] ^= 1 << (bit % 8)
    return bytes(damaged)


def zeroed_page(data: bytes, page: int) -> bytes:
    size = int.from_bytes(data[16:18], "big")
    return data[: page * size] + bytes(size) + data[(page + 1) * size :]


Damage = Callable[[Path], None]


def in_bytes(change: Callable[[bytes], bytes]) -> Damage:
    """A damage done to the file's bytes."""

    def damage(path: Path) -> None:
        path.write_bytes(change(path.read_bytes()))

    return damage


def foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")
        conn.execute("INSERT INTO recipes VALUES ('bread', 240)")
    conn.close()


def altered(*statements: str) -> Damage:
    """A case changed by a program other than the workbench, with SQL no workbench runs."""

    def damage(path: Path) -> None:
        with sqlite3.connect(path) as conn:
            for sql in statements:
                conn.execute(sql)
        conn.close()

    return damage


def noisy_wal(path: Path) -> None:
    """A WAL beside the case that is noise: it fails SQLite's checksums and is ignored."""
    path.with_name(path.name + "-wal").write_bytes(random.Random(9).randbytes(9000))


#: Each damage, done to a file holding a sound case.
DAMAGES: dict[str, Damage] = {
    "cut-in-the-header": in_bytes(lambda data: data[:60]),
    "cut-after-the-first-page": in_bytes(lambda data: data[:4096]),
    "cut-in-half": in_bytes(lambda data: data[: len(data) // 2]),
    "cut-short-by-a-page": in_bytes(lambda data: data[:-4096]),
    "cut-mid-page": in_bytes(lambda data: data[: len(data) - 1500]),
    **{f"{bits}-bits-flipped-seed-{seed}": in_bytes(lambda data, b=bits, s=seed: flipped(data, b, s))
       for bits in (20, 200) for seed in range(4)},
    "header-page-size-wrong": in_bytes(lambda data: data[:16] + b"\x00\x03" + data[18:]),
    "a-middle-page-zeroed": in_bytes(lambda data: zeroed_page(data, 8)),
    "the-schema-page-zeroed": in_bytes(lambda data: data[:100] + bytes(4096 - 100) + data[4096:]),
    "noise-after-the-header": in_bytes(lambda data: data[:100] + random.Random(5).randbytes(len(data) - 100)),
    "not-sqlite-at-all": in_bytes(lambda data: b"Minutes of the harbour board meeting.\n" * 200),
    "someone-elses-sqlite": foreign,
    "a-newer-workbenchs-case": altered("INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
                                       " VALUES ('workbench', 'm999_from_the_future', '')"),
    "a-status-no-workbench-writes": altered("UPDATE claims SET status = 'maybe' WHERE id = 2"),
    "a-kind-no-workbench-writes": altered("UPDATE claims SET kind = 'rumour' WHERE id = 3"),
    "text-that-is-not-utf8": altered("UPDATE claims SET text = CAST(x'4142ff43' AS TEXT) WHERE id = 4"),
    # the index read as if on another column: its entries no longer match the rows, which the
    # quick check does not look at (the full check does)
    "an-index-out-of-step": altered("PRAGMA writable_schema = ON",
                                    "UPDATE sqlite_master SET sql = replace(sql, '\"status\"', '\"note\"')"
                                    " WHERE name = 'idx_claims_status'"),
    "noise-in-the-wal": noisy_wal,
}


def damaged_case(folder: Path, healthy: bytes, damage: str) -> Path:
    path = folder / "case.db"
    path.write_bytes(healthy)
    DAMAGES[damage](path)
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`workbench ARGS` in this process, as its console script runs it (through `main`)."""
    argv = sys.argv
    sys.argv = ["workbench", *args]
    try:
        cli.main()
        code = 0
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.argv = argv
    out, err = capsys.readouterr()
    return code, out, err


def commands(tmp_path: Path, other: Path) -> dict[str, list[str]]:
    article = tmp_path / "new.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    return {
        "claims": ["claims"], "export": ["export", "--format", "json"], "import": ["import", str(article)],
        "progress": ["progress"], "merge": ["merge", str(other)], "mark": ["mark", "4", "verified"],
        "link": ["link", "4", "21", "conflict"], "assign": ["assign", "ana", "--claim", "4"], "check": ["check"],
        "links": ["links"], "open": ["open"],
    }


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_every_command_on_a_damaged_case_works_or_refuses_in_one_line_and_writes_nothing(
        tmp_path: Path, healthy: bytes, damage: str, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other" / "theirs.db"
    other.parent.mkdir()
    other.write_bytes(healthy)
    refused = []
    for name, args in commands(tmp_path, other).items():
        folder = tmp_path / name
        folder.mkdir()
        db = damaged_case(folder, healthy, damage)
        before = db.read_bytes()
        code, out, err = run(capsys, *args, "--db", str(db))
        assert "Traceback" not in out + err, (name, err)
        assert code in (0, 1), (name, code, err)
        if code == 1:
            lines = err.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("Error: "), (name, err)
            assert db.read_bytes() == before, f"{name} refused but wrote into the case"
            refused.append(name)
        elif name == "check":
            assert out.strip() == "ok"
    if damage == "noise-in-the-wal":  # a WAL that fails its checksums is ignored: the case is sound
        assert refused == ["open"]  # (no terminal here: the workbench says it needs one)
    elif "bits-flipped" not in damage:  # (a flip in an article's words leaves a case no check can fault)
        assert "check" in refused and "import" in refused and "merge" in refused


def test_a_damaged_case_is_named_with_what_to_do(tmp_path: Path, healthy: bytes,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = damaged_case(tmp_path, healthy, "a-middle-page-zeroed")
    code, _, err = run(capsys, "claims", "--db", str(db))
    assert code == 1
    assert str(db) in err and "damaged" in err and "workbench check" in err and "backup" in err


def test_check_says_ok_on_a_sound_case_and_lists_the_problems_of_a_damaged_one(
        tmp_path: Path, healthy: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    sound = tmp_path / "sound.db"
    sound.write_bytes(healthy)
    assert run(capsys, "check", "--db", str(sound)) == (0, "ok\n", "")
    db = damaged_case(tmp_path, healthy, "a-status-no-workbench-writes")
    code, out, err = run(capsys, "check", "--db", str(db))
    assert code == 1 and "'maybe'" in out
    assert str(db) in err and "backup" in err


def test_check_finds_an_index_out_of_step_that_the_quick_check_passes(tmp_path: Path, healthy: bytes) -> None:
    db = damaged_case(tmp_path, healthy, "an-index-out-of-step")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    conn.close()
    assert store_module.problems(db) != []


def test_check_never_writes(tmp_path: Path, healthy: bytes) -> None:
    db = damaged_case(tmp_path, healthy, "cut-in-half")
    before = db.read_bytes()
    assert store_module.problems(db)
    assert db.read_bytes() == before
    assert all(p.stat().st_size == 0 for p in tmp_path.iterdir() if p.name.endswith("-wal"))


def test_check_on_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--db", str(tmp_path / "nowhere.db"))
    assert code == 1 and err.count("\n") == 1 and "no such case file" in err
    assert not (tmp_path / "nowhere.db").exists()


def test_damage_met_by_a_query_after_open_is_a_damaged_case_naming_the_file(tmp_path: Path, healthy: bytes) -> None:
    db = tmp_path / "case.db"
    db.write_bytes(healthy)
    with Store(db) as store:
        data = bytearray(db.read_bytes())
        data[8 * 4096 : 9 * 4096] = bytes(4096)  # damaged while it is open: another program, a failing disk
        db.write_bytes(bytes(data))
        with pytest.raises(DamagedCase, match="case.db: the case file is damaged"):
            for claim in store.claims(include_sentences=True):
                store.history(claim.id)
            store.article(1), store.article(2), store.links()


def test_a_busy_or_full_disk_is_not_called_damage() -> None:
    assert not store_module.is_damage(sqlite3.OperationalError("database is locked"))
    assert not store_module.is_damage(sqlite3.OperationalError("database or disk is full"))
    assert store_module.is_damage(sqlite3.DatabaseError("database disk image is malformed"))


# -- the workbench on screen ------------------------------------------------------------------


async def test_damage_met_by_the_screen_ends_the_workbench_with_one_line_and_exit_1(
        tmp_path: Path, healthy: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "case.db"
    db.write_bytes(healthy)
    app = WorkbenchApp(db, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        claim = app.screen.current() if isinstance(app.screen, ReviewScreen) else None
        assert claim is not None

        def damaged(*args: object, **kwargs: object) -> object:
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(Store, "_change", damaged)  # the mark meets a damaged page
        with contextlib.suppress(WaitForScreenTimeout):  # the screen is gone: nothing left to wait for
            await pilot.press("v")
    assert app.return_code == 1
    assert app.failure is not None and "\n" not in app.failure
    assert str(db) in app.failure and "damaged" in app.failure and "workbench check" in app.failure
    assert claim.text not in app.failure


async def test_damage_met_by_a_worker_ends_the_workbench_too(tmp_path: Path, healthy: bytes,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "case.db"
    db.write_bytes(healthy)
    article = tmp_path / "new.txt"
    article.write_text(ARTICLE, encoding="utf-8")

    def damaged(self: object, *args: object, **kwargs: object) -> object:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(Store, "add_articles", store_module._said_as_damage(damaged))
    app = WorkbenchApp(db, "ana", paths=[article])
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):
            await pilot.pause(0.1)
            if app.return_code is not None:
                break
    assert app.return_code == 1 and app.failure and "damaged" in app.failure


async def test_an_error_that_is_no_damage_is_still_textuals_to_show(tmp_path: Path, healthy: bytes,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "case.db"
    db.write_bytes(healthy)
    app = WorkbenchApp(db, "ana")

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug, not damage")

    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            monkeypatch.setattr(Store, "_change", broken)
            await pilot.press("v")
            await pilot.pause()
    assert app.failure is None


# -- sizes, backups, locks, binary files ------------------------------------------------------


@pytest.mark.parametrize("value", ["inf", "1e309", "nan", "-inf"])
def test_a_size_limit_that_is_no_number_of_megabytes_is_a_usage_error(
        value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = tmp_path / "new.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    code, _, err = run(capsys, "import", str(article), "--max-size", value, "--db", str(tmp_path / "case.db"))
    assert code == 2 and err.count("\n") == 1 and "size limit" in err


def older_case(db: Path) -> None:
    """A case as the workbench before m006 left it (no assignments)."""
    with Store(db) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
        store.conn.execute("DROP INDEX idx_claims_assignee")
        store.conn.execute("ALTER TABLE claims DROP COLUMN assignee")
        store.conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_assignments'")
        store.conn.commit()


def test_an_older_case_whose_backup_cannot_be_written_is_left_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    older_case(db)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = db.read_bytes()

    def limit() -> None:  # room for the WAL's index, not for a copy of the case
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))

    assert len(before) > 40_000
    result = subprocess.run([sys.executable, "-m", "workbench", "progress", "--db", str(db)], capture_output=True,
                            text=True, preexec_fn=limit, timeout=120, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "not upgraded" in result.stderr and "backup" in result.stderr
    assert db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name or ".part" in p.name] == []
    with Store(db) as store:  # room again: backed up, then upgraded
        assert store.backup is not None and store.backup.stat().st_size > 40_000


def test_setting_up_a_case_leaves_no_lock_file(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    Store(db).close()
    older_case(tmp_path / "old.db")
    Store(tmp_path / "old.db").close()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".setup-lock")] == []


def test_the_setup_lock_admits_one_at_a_time_though_each_removes_its_file(tmp_path: Path) -> None:
    path = tmp_path / "case.db"
    inside, most, rounds = [0], [0], 25
    guard = threading.Lock()

    def worker() -> None:
        for _ in range(rounds):
            with store_module._setup_lock(path):
                with guard:
                    inside[0] += 1
                    most[0] = max(most[0], inside[0])
                time.sleep(0.0005)
                with guard:
                    inside[0] -= 1

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert most[0] == 1
    assert not path.with_name("case.db.setup-lock").exists()


def test_a_png_named_txt_is_refused_by_the_import_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(4).randbytes(4096))
    code, out, err = run(capsys, "import", str(path), "--db", str(tmp_path / "case.db"))
    assert code == 1 and out == "" and "binary file (a PNG image)" in err and err.count("\n") == 1
    with Store(tmp_path / "case.db") as store:
        assert store.article_count() == 0


def test_the_damage_tests_cover_twenty_five_scenarios() -> None:
    assert len(DAMAGES) == 25


# -- a disk that refuses writes ---------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system of its own (mounting needs root, as CI runs; skipped without it)."""
    where = tmp_path / "disk"
    where.mkdir()
    try:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)],
                                 capture_output=True, check=False).returncode == 0
    except FileNotFoundError:
        mounted = False
    if not mounted:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def fill(disk: Path) -> None:
    descriptor = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(descriptor, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(descriptor)


@pytest.mark.parametrize("disk", ["read-only", "full", "full-while-open"])
def test_every_command_on_a_disk_that_refuses_writes_works_or_refuses_in_one_line(
        small_disk: Path, healthy: bytes, disk: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "theirs.db"
    other.write_bytes(healthy)
    db = small_disk / "case.db"
    db.write_bytes(healthy)
    with contextlib.ExitStack() as stack:
        if disk == "full-while-open":  # another analyst's workbench keeps the WAL's files in place
            stack.enter_context(Store(db))
        if disk.startswith("full"):
            fill(small_disk)
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
        outcomes = refusals_on(db, healthy, tmp_path, other, capsys)
    assert outcomes["mark"] == outcomes["import"] == outcomes["assign"] == 1  # nothing can be saved
    if disk == "full-while-open":
        assert outcomes["claims"] == outcomes["progress"] == outcomes["check"] == 0  # what is saved can be read


def refusals_on(db: Path, healthy: bytes, tmp_path: Path, other: Path,
                capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    """Each command's exit status on `db`, asserting that each worked or refused in one line."""
    outcomes = {}
    for name, args in commands(tmp_path, other).items():
        code, out, err = run(capsys, *args, "--db", str(db))
        assert "Traceback" not in out + err, (name, err)
        assert code in (0, 1), (name, code, err)
        if code == 1:
            assert len(err.strip().splitlines()) == 1 and err.startswith("Error: "), (name, err)
            assert db.read_bytes() == healthy, f"{name} refused but wrote"
        outcomes[name] = code
    return outcomes


def test_damage_met_while_a_store_generator_is_iterated_is_a_damaged_case(tmp_path: Path) -> None:
    """A method that yields rows runs its queries as it is iterated, after the call returned."""

    def rows(self: Store) -> Iterator[int]:
        yield 1
        raise sqlite3.DatabaseError("database disk image is malformed")

    store = Store.__new__(Store)
    store.path = tmp_path / "case.db"
    each = store_module._said_as_damage(rows)(store)
    assert next(each) == 1
    with pytest.raises(DamagedCase, match="case.db: the case file is damaged"):
        next(each)


def test_damage_met_by_a_store_block_as_it_is_left_is_a_damaged_case(tmp_path: Path) -> None:
    """A block that ends a read transaction as it is left meets the damage that ended it again."""

    @contextlib.contextmanager
    def reading(self: Store) -> Iterator[Store]:
        try:
            yield self
        finally:
            raise sqlite3.DatabaseError("database disk image is malformed")  # the COMMIT, on a damaged file

    store = Store.__new__(Store)
    store.path = tmp_path / "case.db"
    with (pytest.raises(DamagedCase, match="case.db: the case file is damaged"),
          store_module._said_as_damage(reading)(store) as same):
        assert same is store
        raise DamagedCase(store.path, "database disk image is malformed")
