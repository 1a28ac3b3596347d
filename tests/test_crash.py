"""A workbench killed with SIGKILL in the middle of marking loses no mark it showed as saved."""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from workbench.store import Store
from test_terminal import Terminal, workbench_command  # the same folder's tmux driver; skips without tmux

pytestmark = pytest.mark.tmux
ROUNDS = 20


def reviewed(screen: str) -> int | None:
    found = re.search(r"Reviewed (\d+)/", screen)
    return int(found.group(1)) if found else None


def test_sigkill_mid_session_loses_no_acknowledged_mark(tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    acknowledged = 0
    for round_number in range(ROUNDS):
        term = Terminal([*workbench_command(), "--db", str(db), "--analyst", f"r{round_number}"], (120, 40),
                        {"TERM": "xterm-256color", "HOME": str(tmp_path), "LANG": "C.UTF-8",
                         "PATH": "/usr/bin:/bin"})
        try:
            term.wait_for("Reviewed ")
            term.keys("f")  # unmarked only: each v below marks a claim not marked before
            for key in ("v", "j", "v", "j", "v"):
                term.keys(key)
            shown = reviewed(term.screen()) or 0  # what the analyst saw as saved when the power went
            pid = int(subprocess.run(["pgrep", "-f", "--", f"--analyst r{round_number}$"], capture_output=True,
                                     text=True).stdout.split()[0])
            subprocess.run(["kill", f"-{signal.SIGKILL.value}", str(pid)], check=True)
        finally:
            term.close()
        acknowledged = max(acknowledged, shown)
        with Store(db) as store:
            assert store.progress().reviewed >= acknowledged, f"round {round_number}"
        check = sqlite3.connect(db)
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        check.close()
    assert acknowledged >= ROUNDS  # the loop really marked as it went, and was killed mid-way
