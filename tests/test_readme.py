"""The README is the first thing a new user runs: its Quick start must stay runnable as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the Quick start has an sh block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_quick_start_is_exactly_two_command_lines() -> None:
    lines = quick_start_lines()
    assert len(lines) == 2
    assert lines[0].rstrip().endswith("workbench")
    assert "[test]" in lines[1] and "pytest" in lines[1]


def test_ci_runs_the_quick_starts_test_line() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_lines()[1] in script.splitlines()


def test_every_screenshot_the_readme_shows_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\]\((screenshots/[^)]+\.svg)\)", readme)
    assert shown
    for path in shown:
        assert (ROOT / path).is_file(), path
