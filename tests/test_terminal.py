"""The real `workbench` command in a real terminal (tmux), driven by keystrokes like a person.

Skipped where tmux is missing, unless WORKBENCH_REQUIRE_TMUX=1 (as `.ci/run` sets) makes a
missing tmux a failure instead.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.model import Status
from workbench.store import Store

pytestmark = pytest.mark.tmux

if shutil.which("tmux") is None:
    if os.environ.get("WORKBENCH_REQUIRE_TMUX") == "1":
        raise RuntimeError("tmux is required (WORKBENCH_REQUIRE_TMUX=1) but not installed")
    pytest.skip("tmux is not installed", allow_module_level=True)


def workbench_command() -> list[str]:
    """The installed console script next to this Python, else `python -m workbench`."""
    script = Path(sys.executable).with_name("workbench")
    return [str(script)] if script.exists() else [sys.executable, "-m", "workbench"]


class Terminal:
    """A detached tmux session of a given size running one command, on a tmux server of its
    own (`-L`): nothing of another test run's sessions or environment reaches it."""

    def __init__(self, command: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        self.name = f"wb-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        shell = f"export {exports}; {shlex.join(command)}; echo \"[exited $?]\"; sleep 60"
        subprocess.run(["tmux", "-L", self.name, "new-session", "-d", "-s", self.name, "-x", str(size[0]), "-y",
                        str(size[1]), shell], check=True)

    def screen(self) -> str:
        return subprocess.run(["tmux", "-L", self.name, "capture-pane", "-p", "-t", self.name],
                              capture_output=True, text=True, check=True).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared on screen:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "-L", self.name, "send-keys", "-t", self.name, key], check=True)
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[callable]:
    opened: list[Terminal] = []

    def start(*args: str, size: tuple[int, int] = (120, 40), **env: str) -> Terminal:
        environment = {"TERM": "xterm-256color", "HOME": str(tmp_path), "PATH": os.environ.get("PATH", ""),
                       "LANG": "C.UTF-8", **env}
        term = Terminal([*workbench_command(), *args], size, environment)
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def test_a_new_user_sees_the_seeds_marks_a_claim_and_it_is_saved(terminal, tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    term = terminal("--db", str(db), "--analyst", "ana")
    screen = term.wait_for("Reviewed 0/")
    assert "A1 2026-03-12" in screen and "A2 2026-03-12" in screen
    assert "KC-135" in screen

    term.keys("j", "v")
    term.wait_for("Reviewed 1/")
    term.wait_for("✓ verified")

    with Store(db) as store:
        marked = [c for c in store.claims() if c.status is Status.VERIFIED]
    assert len(marked) == 1 and marked[0].analyst == "ana"

    term.keys("q")
    term.wait_for("[exited 0]")


def test_at_80x24_without_colour_the_mark_reads_by_its_symbol(terminal, tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    term = terminal("--db", str(db), "--analyst", "bo", size=(80, 24), NO_COLOR="1")
    term.wait_for("Reviewed 0/")
    term.keys("d")
    term.wait_for("Reviewed 1/")
    term.wait_for("✗ disputed")
    term.keys("q")
    term.wait_for("[exited 0]")


def test_a_bad_database_is_one_line_on_the_terminal_not_a_traceback(terminal, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a database\n" * 10, encoding="utf-8")
    term = terminal("--db", str(bogus))
    screen = term.wait_for("[exited 1]")
    assert "Traceback" not in screen
    assert "Error:" in screen and "notes.db" in screen
    assert bogus.read_text(encoding="utf-8") == "not a database\n" * 10


def test_two_analysts_in_two_terminals_see_each_others_marks(terminal, tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    ana = terminal("--db", str(db), "--analyst", "ana")
    ana.wait_for("Reviewed 0/")
    bo = terminal("--db", str(db), "--analyst", "bo")
    bo.wait_for("Reviewed 0/")
    ana.keys("d")
    ana.wait_for("Reviewed 1/")
    bo.wait_for("Reviewed 1/", timeout=5)  # within the 2 s target, with slack for a loaded machine
    bo.wait_for("ana: mark", timeout=5)  # and who did it
    bo.keys("q")
    ana.keys("q")
    ana.wait_for("[exited 0]")


def test_with_term_xterm_sixteen_colours_and_no_mouse_the_review_still_reads(terminal, tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    term = terminal("--db", str(db), "--analyst", "cy", size=(80, 24), TERM="xterm")
    term.wait_for("Reviewed 0/")
    term.keys("j", "o")
    term.wait_for("Reviewed 1/")
    term.wait_for("? open")
    term.keys("q")
    term.wait_for("[exited 0]")


def test_a_long_import_says_how_far_it_is_then_leaves_only_its_report(terminal, tmp_path: Path) -> None:
    from workbench import bench

    folder = tmp_path / "articles"
    folder.mkdir()
    for index, sentences in enumerate(bench.synthetic_case(200)):
        (folder / f"a{index:03}.txt").write_text(f"Report {index}\n\n{' '.join(sentences)}\n", encoding="utf-8")
    term = terminal("import", "--db", str(tmp_path / "case.db"), str(folder), size=(100, 30))
    term.wait_for("% lining up claims across articles", timeout=60)
    screen = term.wait_for("[exited 0]", timeout=60)
    assert "200 imported" in screen and "%" not in screen
