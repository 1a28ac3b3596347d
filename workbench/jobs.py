"""Whose import is this, and is it still running?

An import stores articles first and lines them up with the rest of the case after. One killed
in between (SIGKILL, a lost SSH session, Ctrl-C) leaves articles stored and not lined up, and
the next import must finish its work; but the articles of an import still running in another
workbench are its own to line up, or two imports at once would not end as one after the other.
Each import names itself on the articles it stores (`this_job`), and `running` tells the two
apart.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache

#: An import on another machine cannot be looked at; once its newest article is this old, it is
#: taken to have ended. Taking over one still running costs nothing but the order of the work.
FOREIGN_HOURS = 1


@cache
def this_job() -> str:
    """This process as an import names itself: the machine, the process id, and when the
    process started (process ids are reused)."""
    return f"{socket.gethostname()} {os.getpid()} {_started(os.getpid())}"


def ours(waiting: Iterable[tuple[int, str, str]]) -> set[int]:
    """Of the articles stored and not lined up, as (id, the import that stored it, when), those
    to line up now: this process's, and those of imports that have ended."""
    job = this_job()
    return {article for article, owner, at in waiting if owner == job or not running(owner, at)}


def running(job: str, stored_at: str = "") -> bool:
    """Whether the import `job`, which stored an article at `stored_at`, is running still."""
    parts = job.split(" ")
    if len(parts) != 3 or not parts[1].isdigit():
        return False  # stored by no import (a test, an older workbench): anyone lines it up
    host, pid, started = parts[0], int(parts[1]), parts[2]
    if host != socket.gethostname():
        return _recent(stored_at)
    if pid == os.getpid():
        return started == _started(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's process: it exists
    return not started or _started(pid) == started


def _started(pid: int) -> str:
    """When process `pid` started, in clock ticks since boot (Linux), or "" where that cannot
    be read; with the pid it names one process for the life of the machine."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read().decode("ascii", "replace")
    except OSError:
        return ""
    fields = stat.rsplit(")", 1)[-1].split()  # the name in parentheses may hold spaces
    return fields[19] if len(fields) > 19 else ""


def _recent(stored_at: str) -> bool:
    try:
        when = datetime.fromisoformat(stored_at.replace("Z", "+00:00"))
    except ValueError:
        return False
    return datetime.now(UTC) - when < timedelta(hours=FOREIGN_HOURS)
