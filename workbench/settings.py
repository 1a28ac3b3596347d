"""Where things are: the case database, the analyst's name, the bundled sample articles."""

from __future__ import annotations

import getpass
import os
from importlib import resources
from pathlib import Path

import platformdirs

DB_ENV = "WORKBENCH_DB"


def database_path(option: str | Path | None = None) -> Path:
    """`--db PATH`, else `$WORKBENCH_DB`, else `workbench.db` in the user's data directory."""
    if option:
        return Path(option).expanduser()
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "workbench.db"


def analyst_name(option: str | None = None) -> str:
    """`--analyst NAME`, else the login name: recorded on every mark."""
    if option and option.strip():
        return option.strip()
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry (some containers): still record something honest
        return os.environ.get("USER") or "unknown"


def seeds_dir() -> Path:
    """The sample articles: inside the installed package, or at the top of a source checkout."""
    packaged = Path(str(resources.files("workbench"))) / "seeds"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"
