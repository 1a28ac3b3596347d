"""The core never imports Textual: it is used and tested without a screen (cf. harlequin)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import workbench
from workbench import settings

PACKAGE = Path(workbench.__file__).parent
#: Every module of the core, found on disk so that a new one is covered as soon as it exists.
#: `__main__` runs the CLI when imported; the `tui` package is the one place Textual belongs.
CORE = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem not in {"__init__", "__main__"})
NAMED = ["model", "sentences", "reader", "extract", "checkworthy", "claims", "match", "align", "store", "settings",
         "ingest", "export", "safetext", "cli"]

NO_TEXTUAL = (
    "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
    "assert not loaded, loaded\n"
)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)


def test_the_core_is_every_module_outside_the_tui() -> None:
    assert set(NAMED) <= set(CORE)
    assert "tui" not in CORE and (PACKAGE / "tui").is_dir()


def test_core_modules_and_the_cli_load_without_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}: importlib.import_module('workbench.' + name)\n"
        + NO_TEXTUAL
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr


def test_each_core_module_alone_loads_without_textual() -> None:
    code = (
        "import importlib, subprocess, sys\n"
        f"for name in {CORE!r}:\n"
        "    check = ('import sys, workbench.' + name + '\\n'\n"
        f"             + {NO_TEXTUAL!r})\n"
        "    done = subprocess.run([sys.executable, '-c', check], capture_output=True, text=True)\n"
        "    assert done.returncode == 0, (name, done.stderr)\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr


def test_the_cli_commands_run_without_loading_textual(tmp_path: Path) -> None:
    db = str(tmp_path / "case.db")
    seed = str(sorted(settings.seeds_dir().glob("*.txt"))[0])
    code = (
        "import sys\n"
        "from workbench.cli import cli\n"
        f"for args in (['import', {seed!r}], ['claims', '--json'], ['mark', '1', 'open'],\n"
        "             ['export', '--format', 'md'], ['links']):\n"
        f"    cli.main(args + ['--db', {db!r}], prog_name='workbench', standalone_mode=False)\n"
        + NO_TEXTUAL
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr


def test_the_app_scores_without_scikit_learn() -> None:
    code = "import sys, workbench.checkworthy as c; c.score('Prices rose 4%.'); assert 'sklearn' not in sys.modules"
    done = run_python(code)
    assert done.returncode == 0, done.stderr


def test_opening_the_workbench_loads_neither_the_claim_finder_nor_the_matcher() -> None:
    """They load when there is text to read or claims to align: opening a case does neither, and
    loading them took a tenth of the time to the first frame. Nor do the vectors, and numpy
    with them: they load with the first search by meaning."""
    code = (
        "import sys, workbench.cli, workbench.tui.app\n"
        "heavy = ('workbench.ingest', 'workbench.align', 'workbench.claims', 'workbench.extract',\n"
        "         'workbench.match', 'rapidfuzz', 'numpy', 'workbench.vectors', 'workbench.encoder', 'onnxruntime')\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    done = run_python(code)
    assert done.returncode == 0, done.stderr
