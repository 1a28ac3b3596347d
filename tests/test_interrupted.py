"""An import cut short at any point ends, after the next import, `workbench open` or `workbench
realign`, with exactly the links of one whole import; two imports at once end as one after the
other; no helper process outlives the import it works for."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from workbench import bench, ingest, jobs, settings
from workbench.store import Store


def write_articles(folder: Path, count: int, *, seed: int = 7, with_seeds: bool = True) -> Path:
    """`count` synthetic reports, and the two sample articles (which promote sentences in each
    other, the finder's second look), in one folder."""
    folder.mkdir(parents=True)
    for index, sentences in enumerate(bench.synthetic_case(count, seed=seed)):
        (folder / f"r{seed}-{index:03}.txt").write_text(f"Report {seed}-{index}\n\n{' '.join(sentences)}\n",
                                                        encoding="utf-8")
    if with_seeds:
        for seed_file in settings.seeds_dir().glob("*.txt"):
            shutil.copy(seed_file, folder / seed_file.name)
    return folder


def state(db: Path) -> tuple[set[tuple], set[tuple], int]:
    """What a line-up decides, to compare two cases: every link, every sentence's claimhood,
    and how many articles are still to line up."""
    with Store(db) as store:
        links = {(l.claim_a, l.claim_b, l.relation, round(l.score, 6), l.reason) for l in store.links()}
        claims = {(c.id, c.article_id, c.is_claim, c.origin) for c in store.claims(include_sentences=True)}
        return links, claims, len(store.unaligned())


def workbench(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, check=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_articles(tmp_path_factory.mktemp("reports") / "reports", 24)


@pytest.fixture(scope="module")
def whole(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[set[tuple], set[tuple], int]:
    """The case one uninterrupted import of the folder makes."""
    db = tmp_path_factory.mktemp("whole") / "case.db"
    with Store(db) as store:
        ingest.import_paths(store, [folder], analyst="ana")
    done = state(db)
    assert done[0] and any(origin == "corroboration" for *_, origin in done[1])
    return done


def test_an_import_interrupted_by_ctrl_c_is_completed_by_the_next(tmp_path: Path, folder: Path, whole) -> None:
    def interrupt_at_the_ninth(what: str, done: int, total: int) -> None:
        if done == 8:
            raise KeyboardInterrupt

    db = tmp_path / "case.db"
    with Store(db) as store:
        with pytest.raises(KeyboardInterrupt):
            ingest.import_paths(store, [folder], analyst="ana", on_step=interrupt_at_the_ninth)
        assert store.article_count() == 8 and len(store.unaligned()) == 8 and not store.links()
    with Store(db) as store:
        report = ingest.import_paths(store, [folder], analyst="ana")
    assert (len(report.added), len(report.duplicates), report.completed) == (18, 8, 8)
    assert state(db) == whole


def test_an_import_killed_before_it_lines_up_is_completed_by_workbench_realign(
    tmp_path: Path, folder: Path, whole,
) -> None:
    db = tmp_path / "case.db"
    killed = run_killed(db, folder, at="line-up")
    assert killed.returncode == -signal.SIGKILL
    links, _, waiting = state(db)
    assert not links and waiting == 26
    done = workbench("realign", "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"26 articles an interrupted import left lined up, {len(whole[0])} links\n"
    assert state(db) == whole
    again = workbench("realign", "--db", db)
    assert again.stdout == "nothing to line up: every article is lined up and its links decided\n"


def test_an_import_killed_half_way_through_writing_its_line_up_leaves_none_of_it(
    tmp_path: Path, folder: Path, whole,
) -> None:
    db = tmp_path / "case.db"
    killed = run_killed(db, folder, at="links")
    assert killed.returncode == -signal.SIGKILL
    links, claims, waiting = state(db)
    assert not links and waiting == 26
    done = workbench("import", folder, "--wait", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "26 left by an interrupted import lined up" in done.stderr
    assert state(db) == whole


def test_links_killed_half_way_through_being_decided_are_decided_by_the_next_realign(
    tmp_path: Path, folder: Path, whole,
) -> None:
    """The promotions are written, the decided links are not: the kill takes both back, and the
    quick links stay until `workbench realign` (or the open workbench) decides them."""
    db = tmp_path / "case.db"
    killed = run_killed(db, folder, at="decided")
    assert killed.returncode == -signal.SIGKILL
    links, claims, waiting = state(db)
    assert links and waiting == 0 and {relation for _, _, relation, _, _ in links} == {"related"}
    assert not any(origin == "corroboration" for *_, origin in claims)
    done = workbench("realign", "--db", db)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"26 articles had their links decided, {len(whole[0])} links\n"
    assert state(db) == whole


@pytest.mark.parametrize("stored", [1, 10, 26])
def test_a_workbench_import_killed_at_any_point_ends_with_the_links_of_a_whole_one(
    tmp_path: Path, folder: Path, whole, stored: int,
) -> None:
    db = tmp_path / "case.db"
    importing = subprocess.Popen([sys.executable, "-m", "workbench", "import", str(folder), "--db", str(db)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while stored_count(db) < stored and importing.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        importing.kill()
        importing.wait()
    done = workbench("import", folder, "--wait", "--db", db)
    assert done.returncode == 0, done.stderr
    assert state(db) == whole


def test_two_imports_at_once_end_as_one_after_the_other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first import is still running (its articles stored, its line-up to come) when the
    second lines up: the second leaves the first's articles to it."""
    first = write_articles(tmp_path / "first", 8, seed=3)
    second = write_articles(tmp_path / "second", 8, seed=5, with_seeds=False)
    for path in sorted(first.glob("r3-00[4-6].txt")):  # another desk's rewrite of a few of the first's
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        (second / ("desk-" + path.name)).write_text(f"Another desk on {path.stem}\n\n{body}", encoding="utf-8")

    together = tmp_path / "together.db"
    running_elsewhere = "another-machine 4242 1"
    with Store(together) as store:
        monkeypatch.setattr(jobs, "this_job", lambda: running_elsewhere)
        monkeypatch.setattr(ingest, "line_up", lambda store: ([], 0))
        ingest.import_paths(store, [first], analyst="ana")  # stored; its line-up is still to come
        monkeypatch.undo()
        ingest.import_paths(store, [second], analyst="bo")  # meanwhile, the second runs whole
        assert len(store.unaligned()) == 10
        monkeypatch.setattr(jobs, "this_job", lambda: running_elsewhere)
        ingest.line_up(store)  # the first finishes
        ingest.refine(store)
    b_then_a = tmp_path / "b-then-a.db"
    with Store(b_then_a) as store:
        ingest.import_paths(store, [second], analyst="bo")
        ingest.import_paths(store, [first], analyst="ana")
    assert links_by_text(together) == links_by_text(b_then_a)
    assert state(together)[2] == 0


def test_two_workbench_imports_started_together_end_as_one_after_the_other(tmp_path: Path) -> None:
    first = write_articles(tmp_path / "first", 16, seed=11)
    second = write_articles(tmp_path / "second", 16, seed=13, with_seeds=False)
    for path in sorted(first.glob("r11-00[2-7].txt")):
        body = path.read_text(encoding="utf-8").split("\n\n", 1)[1]
        (second / ("desk-" + path.name)).write_text(f"Another desk on {path.stem}\n\n{body}", encoding="utf-8")
    together = tmp_path / "together.db"
    workbench("progress", "--db", together)  # the case exists before either starts
    runs = [subprocess.Popen([sys.executable, "-m", "workbench", "import", str(f), "--db", str(together)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for f in (first, second)]
    for run in runs:
        assert run.wait(timeout=180) == 0, run.stderr.read() if run.stderr else ""
    assert workbench("realign", "--db", together).returncode == 0  # the links decided
    orders = []
    for name, folders in (("a-then-b", (first, second)), ("b-then-a", (second, first))):
        with Store(tmp_path / f"{name}.db") as store:
            for f in folders:
                ingest.import_paths(store, [f], analyst="ana")
        orders.append(links_by_text(tmp_path / f"{name}.db"))
    assert links_by_text(together) in orders
    assert state(together)[2] == 0


def stored_count(db: Path) -> int:
    try:
        with Store.read_only(db) as store:
            return store.article_count()
    except Exception:  # noqa: BLE001 - not created yet
        return 0


def run_killed(db: Path, folder: Path, *, at: str) -> subprocess.CompletedProcess[str]:
    """`workbench import --wait` killed (SIGKILL) before its line-up writes anything
    (`at="line-up"`), inside the line-up's transaction as the links are about to be written
    (`at="links"`), or inside the refinement's, the promotions written and the decided links
    about to be (`at="decided"`)."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        from workbench import cli, store

        def kill(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)

        insert_links = store._insert_links

        def kill_deciding(conn, links, decided=True):
            if decided:
                kill()
            return insert_links(conn, links, decided=decided)

        if {at!r} == "line-up":
            store.Store.line_up = kill
        elif {at!r} == "links":
            store._insert_links = kill
        else:
            store._insert_links = kill_deciding
        sys.argv = ["workbench", "import", {str(folder)!r}, "--wait", "--db", {str(db)!r}]
        cli.main()
    """)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)


def links_by_text(db: Path) -> set[tuple[str, str, str]]:
    """Links named by their claims' texts and articles' titles: ids differ with the order of
    the imports."""
    with Store(db) as store:
        titles = {a.id: a.title for a in store.articles()}
        claims = {c.id: (titles[c.article_id], c.start) for c in store.claims(include_sentences=True)}
        return {tuple(sorted((claims[l.claim_a], claims[l.claim_b]))) + (l.relation,) for l in store.links()}


def test_a_line_up_that_another_finished_before_reads_the_case_again(
    tmp_path: Path, folder: Path, whole, monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = tmp_path / "case.db"
    counts = iter([-1])  # the first read of the count is stale: another line-up wrote since
    real = Store.aligned_count
    monkeypatch.setattr(Store, "aligned_count", lambda self: next(counts, None) or real(self))
    writes = []
    line_up = Store.line_up
    monkeypatch.setattr(Store, "line_up", lambda self, *a: writes.append(line_up(self, *a)) or writes[-1])
    with Store(db) as store:
        ingest.import_paths(store, [folder], analyst="ana")
    assert writes[0] is None and writes[1]  # read again, then written
    assert state(db) == whole


def test_opening_the_workbench_lines_up_what_an_interrupted_import_left(tmp_path: Path, folder: Path, whole) -> None:
    import asyncio

    from workbench.tui.app import WorkbenchApp

    db = tmp_path / "case.db"
    assert run_killed(db, folder, at="line-up").returncode == -signal.SIGKILL

    async def open_and_wait() -> None:
        app = WorkbenchApp(db, "ana")
        async with app.run_test(size=(120, 40)) as pilot:
            while app.store.unrefined() or any(not w.is_finished for w in app.workers):  # lined up, then decided
                await app.workers.wait_for_complete()
                await pilot.pause(0.05)
            await pilot.pause()
            promoted = {claim_id for claim_id, _, _, origin in whole[1] if origin == "corroboration"}
            shown = app.screen.claims.values()
            assert {c.id for c in shown if c.origin == "corroboration" and c.is_claim} == promoted
            assert any("an interrupted import left lined up" in str(n.message) for n in app._notifications)

    asyncio.run(open_and_wait())
    assert state(db) == whole


@pytest.mark.skipif((os.cpu_count() or 1) < 2 or not Path("/proc").is_dir(),
                    reason="helper processes need two cores; their parents are read from /proc")
def test_no_helper_process_outlives_a_killed_import(tmp_path: Path) -> None:
    many = write_articles(tmp_path / "many", ingest.PARALLEL_TEXTS + 12, with_seeds=False)
    importing = subprocess.Popen([sys.executable, "-m", "workbench", "import", str(many), "--db",
                                  str(tmp_path / "case.db")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    helpers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while not helpers and importing.poll() is None and time.monotonic() < deadline:
            helpers = children(importing.pid) - {importing.pid}
            time.sleep(0.01)
        assert helpers, "the import started no helper processes"
        time.sleep(0.3)
        helpers = children(importing.pid)
    finally:
        importing.kill()
        importing.wait()
    deadline = time.monotonic() + 5
    while (alive := {pid for pid in helpers if Path(f"/proc/{pid}").exists() and not zombie(pid)}) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive


def children(parent: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == parent:
            found.add(int(stat.parent.name))
    return found


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False
