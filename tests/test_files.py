"""Every file the workbench writes is all or nothing: a failure leaves the old file, no part."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import files


def test_a_written_file_holds_exactly_the_new_bytes(tmp_path: Path) -> None:
    target = tmp_path / "sheet.csv"
    files.write_bytes(target, b"id,text\n1,hello\n")
    assert target.read_bytes() == b"id,text\n1,hello\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.csv"]


def test_a_failure_half_way_leaves_the_old_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "sheet.csv"
    target.write_bytes(b"yesterday's good sheet")
    with pytest.raises(RuntimeError), files.writing(target) as handle:
        handle.write(b"half of today's")
        raise RuntimeError("the disk filled")
    assert target.read_bytes() == b"yesterday's good sheet"
    assert [p.name for p in tmp_path.iterdir()] == ["sheet.csv"]


def test_an_interrupt_half_way_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "new.json"
    with pytest.raises(KeyboardInterrupt), files.writing(target) as handle:
        handle.write(b"{")
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_a_path_filled_by_another_library_is_renamed_into_place(tmp_path: Path) -> None:
    target = tmp_path / "case.db.bak"
    with files.replacing(target) as temporary:
        assert temporary.parent == tmp_path and temporary != target
        temporary.write_bytes(b"backup")
        assert not target.exists()
    assert target.read_bytes() == b"backup"


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual(tmp_path: Path) -> None:
    shared = tmp_path / "shared.csv"
    shared.write_bytes(b"old")
    os.chmod(shared, 0o664)
    files.write_bytes(shared, b"new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    umask = os.umask(0o022)
    try:
        files.write_bytes(tmp_path / "fresh.csv", b"x")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "fresh.csv").stat().st_mode) == 0o644


def test_what_a_killed_writer_left_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "sheet.csv"
    target.write_bytes(b"good")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    abandoned = tmp_path / f".sheet.csv.{dead}.x1y2{files.PART}"
    abandoned.write_bytes(b"half a sheet")
    running = tmp_path / f".sheet.csv.{os.getpid()}.z3{files.PART}"  # a writer still at work
    running.write_bytes(b"being written")
    unrelated = tmp_path / f".other.csv.{dead}.q{files.PART}"
    unrelated.write_bytes(b"another file's")
    files.write_bytes(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["sheet.csv", running.name, unrelated.name])


def test_writing_through_a_symbolic_link_replaces_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "sheets" / "march.csv"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "latest.csv"
    link.symlink_to(real)
    files.write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
