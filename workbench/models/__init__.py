"""The trained models' shipped weights (gzipped JSON), and the one way to read them."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path
from typing import Any


def read(name: str, path: str | Path | None = None) -> dict[str, Any]:
    """The shipped model file `name`, or a trainer's output at `path`."""
    raw = resources.files(__name__).joinpath(name).read_bytes() if path is None else Path(path).read_bytes()
    return json.loads(gzip.decompress(raw))
