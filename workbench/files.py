"""Writing files so that a reader only ever finds the old file or the whole new one.

A claim sheet, a case document or a backup written straight onto its name is truncated by a
kill, a full disk or a power cut half way, and the good file of the same name from yesterday is
gone with it. Everything the workbench writes goes to a temporary file beside the target (same
folder, so the rename cannot cross file systems), is flushed to the disk, and is renamed over
the target only when complete; a failure removes the temporary file and leaves the old one.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def replacing(target: str | Path) -> Iterator[Path]:
    """A fresh temporary path beside `target` to fill (by any means: an SQLite backup, a
    library that wants a file name); on success it becomes `target`, on any failure it is
    removed and `target` is as it was.

    A symbolic link is followed: the file it points to is replaced, and the link stays. The
    temporary file's name holds the writing process's id, so what a killed writer left (it
    had no chance to remove it) is removed by the next one."""
    target = Path(os.path.realpath(target))
    folder = target.parent
    _remove_abandoned(target)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=PART, dir=folder)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _sync(temporary)
        _keep_mode(target, temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(folder)


@contextmanager
def writing(target: str | Path) -> Iterator[BinaryIO]:
    """`target` opened for writing bytes, replaced whole when the block ends without error."""
    with replacing(target) as temporary, open(temporary, "wb") as handle:
        yield handle


def write_bytes(target: str | Path, data: bytes) -> None:
    """`Path.write_bytes`, but all or nothing."""
    with writing(target) as handle:
        handle.write(data)


#: How the temporary files end, so that they are told apart from anything else in the folder.
PART = ".part"


def _remove_abandoned(target: Path) -> None:
    """Remove the temporary files of `target` whose writer is gone (killed half way)."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*{PART}"):
        writer = leftover.name[len(target.name) + 2 :].split(".", 1)[0]
        if writer.isdigit() and not _alive(int(writer)):
            leftover.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _sync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    """The rename itself is on disk only once the folder is: without this, a power cut can
    bring back the old name or none."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems cannot sync a folder; the data itself is synced
    finally:
        os.close(descriptor)


def _keep_mode(target: Path, temporary: Path) -> None:
    """A sheet replaced keeps the permissions it had; a new one gets the usual ones (mkstemp
    makes its file readable by its owner only)."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temporary, mode)
