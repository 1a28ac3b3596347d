"""Where things are: the case database, the analyst's name, the bundled sample articles."""

from __future__ import annotations

import getpass
import math
import os
from importlib import resources
from pathlib import Path

import platformdirs

DB_ENV = "WORKBENCH_DB"
MAX_SIZE_ENV = "WORKBENCH_MAX_MB"
DEFAULT_MAX_MB = 20.0


def database_path(option: str | Path | None = None) -> Path:
    """`--db PATH`, else `$WORKBENCH_DB`, else `workbench.db` in the user's data directory."""
    if option:
        return Path(option).expanduser()
    if env := os.environ.get(DB_ENV):
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "workbench.db"


def max_article_bytes(option_mb: float | None = None) -> int:
    """`--max-size MB`, else `$WORKBENCH_MAX_MB`, else 20 MB: bigger files are refused, not read.

    A bad value in the environment is an error, not a silent fall back to the default."""
    if option_mb is None and (env := os.environ.get(MAX_SIZE_ENV)):
        try:
            option_mb = float(env)
        except ValueError:
            raise ValueError(f"${MAX_SIZE_ENV} must be a number of megabytes, not {env!r}") from None
    megabytes = DEFAULT_MAX_MB if option_mb is None else option_mb
    if not megabytes > 0:
        raise ValueError(f"the article size limit must be above 0 MB, not {megabytes:g}")
    if not math.isfinite(megabytes):  # `inf`, or a number too large for a float (1e309): no limit is no size
        raise ValueError(f"the article size limit must be a number of megabytes, not {megabytes:g}")
    return int(megabytes * 1024 * 1024)


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
