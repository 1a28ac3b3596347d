"""The core never imports Textual: it is used and tested without a screen (cf. harlequin)."""

from __future__ import annotations

import subprocess
import sys

CORE = ["model", "sentences", "reader", "extract", "checkworthy", "claims", "match", "align", "store", "settings",
        "ingest", "export", "safetext", "cli"]


def test_core_modules_and_the_cli_load_without_textual() -> None:
    code = (
        f"import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module('workbench.' + name)\n"
        f"loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        f"assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_the_app_scores_without_scikit_learn() -> None:
    code = "import sys, workbench.checkworthy as c; c.score('Prices rose 4%.'); assert 'sklearn' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
