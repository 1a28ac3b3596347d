"""The trained models' shipped weights, the one way to read the gzipped JSON ones, and the one
error a missing or damaged model file raises."""

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


class ModelError(RuntimeError):
    """A shipped model file is missing or damaged, or its runtime is absent (a broken install):
    one line to show, never a numpy, zip or onnxruntime traceback."""
