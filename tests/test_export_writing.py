"""Writing a claim sheet: one moment of the case, and all of the file or none of it.

Analysts go on marking while a sheet is written: every part of the sheet shows the case as it was
at one moment. A kill or a full disk half way through leaves the sheet of that name as it was
(or no sheet), never a truncated one. The failures are real: a SIGKILL the process sends itself
in the middle of writing, and a file system that is full.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import threading
from pathlib import Path
from typing import BinaryIO

import pytest
from test_disk import fill, one_error_line, small_disk  # noqa: F401 - small_disk is a fixture

from workbench import export, ingest
from workbench.model import MARKS
from workbench.store import Store

WRITERS = 4


def seeded_case(db: Path) -> list[int]:
    with Store(db) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
        return [c.id for c in store.claims()]


def disagreements(document: dict) -> list[str]:
    """Where a sheet contradicts itself: a claim whose status differs between the sentences and
    the claims parts, or from the last status its history gives it."""
    found = []
    sentences = {row["id"]: row["status"] for row in document["sentences"]}
    last: dict[int, str] = {}
    for row in sorted(document["history"], key=lambda r: r["id"]):
        if row["new_status"] is not None:
            last[row["claim_id"]] = row["new_status"]
    for claim_id, status in sentences.items():
        if last.get(claim_id, "unmarked") != status:
            found.append(f"#{claim_id}: {status} in the sentences, {last.get(claim_id)} by its history")
    for record in document["claims"]:
        if sentences[record["id"]] != record["status"]:
            found.append(f"#{record['id']}: {sentences[record['id']]} in the sentences, {record['status']} listed")
    return found


def test_a_json_sheet_taken_while_four_analysts_mark_shows_one_moment(db_path: Path) -> None:
    ids = seeded_case(db_path)
    stop = threading.Event()
    marked = [0] * WRITERS

    def analyst(number: int) -> None:
        rng = random.Random(number)
        with Store(db_path) as store:
            while not stop.is_set():
                store.mark(rng.choice(ids), rng.choice(list(MARKS)), f"analyst {number}")
                marked[number] += 1

    threads = [threading.Thread(target=analyst, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        with Store(db_path) as store:
            for _ in range(40):
                document = json.loads(export.render(store, "json"))
                assert disagreements(document) == []
                listed = json.loads(export.render(store, "json", status="verified"))
                assert disagreements(listed) == [] and {r["status"] for r in listed["claims"]} <= {"verified"}
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert all(marked), "every analyst marked while the sheets were written"


def test_a_reading_holds_one_moment_until_it_ends_and_nests(db_path: Path) -> None:
    ids = seeded_case(db_path)
    with Store(db_path) as reader, Store(db_path) as writer:
        with reader.reading():
            before = reader.claim(ids[0]).status
            writer.mark(ids[0], "disputed", "bo")
            with reader.reading():  # part of the outer one
                assert reader.claim(ids[0]).status == before
            assert reader.claim(ids[0]).status == before
        assert reader.claim(ids[0]).status.value == "disputed"
        assert not reader.conn.in_transaction


def test_a_sheet_written_in_pieces_reads_back_as_the_whole_document(db_path: Path) -> None:
    """Written as it is read, the sheet is still the one document `dump_json` would give."""
    seeded_case(db_path)
    with Store(db_path) as store:
        written = export.render(store, "json")
        document = json.loads(written)
        document["exported_at"] = json.loads(written)["exported_at"]
        assert written == export.dump_json(document)
        assert list(document) == ["workbench_claim_sheet", "workbench_case", "schema_version", "exported_at",
                                  "articles", "sentences", "links", "evidence", "history", "claims", "discrepancies"]


# -- all or nothing -------------------------------------------------------------------------

#: Runs `workbench` with the sheet's writes cut short by a SIGKILL once `limit` bytes are out.
_KILLED_HALF_WAY = """
import os, signal, sys
from workbench import export
from workbench.cli import main

limit, real = int(sys.argv[1]), export.write


def dying(store, fmt, out, **options):
    class Out:
        written = 0

        def write(self, data):
            out.write(data)
            self.written += len(data)
            if self.written >= limit:
                out.flush()  # what was written so far reaches the disk, as a real kill would find it
                os.kill(os.getpid(), signal.SIGKILL)
            return len(data)

    return real(store, fmt, Out(), **options)


export.write = dying
sys.argv = ["workbench", *sys.argv[2:]]
main()
"""


def killed_half_way(limit: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _KILLED_HALF_WAY, str(limit), *args], capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html", "xlsx"])
def test_an_export_killed_half_way_leaves_the_last_sheet_whole(db_path: Path, tmp_path: Path, fmt: str) -> None:
    ids = seeded_case(db_path)
    sheet = tmp_path / "out" / f"sheet.{fmt}"
    sheet.parent.mkdir()
    with Store(db_path) as store:
        yesterday = export.render_bytes(store, fmt)
        sheet.write_bytes(yesterday)
        store.mark(ids[0], "disputed", "bo")  # today's sheet would differ
        size = len(export.render_bytes(store, fmt))
    result = killed_half_way(size // 2, "export", "--format", fmt, "-o", str(sheet), "--db", str(db_path))
    assert result.returncode == -9, result.stderr  # it was killed, not finished
    assert sheet.read_bytes() == yesterday
    # a kill leaves its temporary file (hidden, beside the sheet), never a part under the sheet's name
    assert [p.name for p in sheet.parent.iterdir() if not p.name.startswith(".")] == [sheet.name]
    assert all(p.name.endswith(".part") for p in sheet.parent.iterdir() if p.name.startswith("."))


def test_a_new_sheet_killed_half_way_is_not_there_at_all(db_path: Path, tmp_path: Path) -> None:
    seeded_case(db_path)
    sheet = tmp_path / "new.json"
    result = killed_half_way(4096, "export", "--format", "json", "-o", str(sheet), "--db", str(db_path))
    assert result.returncode == -9 and not sheet.exists()


def test_an_export_onto_a_full_disk_says_so_and_leaves_the_last_sheet(
        db_path: Path, small_disk: Path) -> None:  # noqa: F811 - the fixture imported above
    ids = seeded_case(db_path)
    sheet = small_disk / "sheet.json"
    with Store(db_path) as store:
        yesterday = export.render_bytes(store, "json")
        sheet.write_bytes(yesterday)
        store.mark(ids[0], "verified", "ana")
    fill(small_disk)
    result = subprocess.run([sys.executable, "-m", "workbench", "export", "--format", "json", "-o", str(sheet),
                             "--db", str(db_path)], capture_output=True, text=True, timeout=120, check=False)
    line = one_error_line(result)
    assert str(sheet) in line and "No space left" in line
    assert sheet.read_bytes() == yesterday
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "sheet.json"]  # no part left behind


def test_an_export_to_standard_output_is_the_same_sheet_as_to_a_file(db_path: Path, tmp_path: Path) -> None:
    seeded_case(db_path)
    command = [sys.executable, "-m", "workbench", "export", "--format", "csv", "--bom", "--db", str(db_path)]
    piped = subprocess.run(command, capture_output=True, timeout=120, check=True).stdout
    subprocess.run([*command, "-o", str(tmp_path / "sheet.csv")], capture_output=True, timeout=120, check=True)
    assert piped == (tmp_path / "sheet.csv").read_bytes()
    assert piped.startswith(b"\xef\xbb\xbfid,article,")


async def test_an_export_from_the_screen_that_fails_half_way_leaves_the_last_sheet(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbench.tui.app import WorkbenchApp

    seeded_case(db_path)
    sheet = tmp_path / "claim-sheet.csv"
    sheet.write_bytes(b"yesterday's sheet")
    real = export.write

    def failing(store: Store, fmt: str, out: BinaryIO, **options: object) -> None:
        real(store, fmt, out, **options)
        raise OSError(28, "No space left on device")  # the last block found the disk full

    monkeypatch.setattr(export, "write", failing)
    app = WorkbenchApp(db_path, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        path = app.screen.query_one("#path")
        path.value = str(sheet)
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("No space left" in str(n.message) for n in app._notifications)
    assert sheet.read_bytes() == b"yesterday's sheet"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
