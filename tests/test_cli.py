"""The `workbench` command from a shell: every command works, every failure is one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from workbench import settings
from workbench.cli import cli

SEED_FILES = sorted(settings.seeds_dir().glob("*.txt"))


def run(*args: str, db: Path, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db), "--analyst", "ana"], input=input)


def assert_one_line_error(result: Result, *expected: str) -> None:
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in lines[0]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "case.db"


@pytest.fixture
def imported(db: Path) -> Path:
    result = run("import", *map(str, SEED_FILES), "--source", "Wire", db=db)
    assert result.exit_code == 0, result.output
    return db


def test_import_prints_each_article_and_a_summary(db: Path) -> None:
    result = run("import", str(SEED_FILES[0]), db=db)
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("A1\t")
    assert "1 imported" in result.output


def test_importing_the_same_file_twice_changes_nothing(imported: Path) -> None:
    before = json.loads(run("claims", "--json", db=imported).output)
    again = run("import", *map(str, SEED_FILES), db=imported)
    assert again.exit_code == 0
    assert "already in the case" in again.output and "0 imported" in again.output
    assert json.loads(run("claims", "--json", db=imported).output) == before


def test_claims_json_has_the_promised_fields(imported: Path) -> None:
    records = json.loads(run("claims", "--json", db=imported).output)
    assert records
    for field in ("id", "article", "source", "date", "start", "end", "text", "kind", "score", "status", "note",
                  "analyst", "updated_at", "links"):
        assert field in records[0]
    assert records[0]["source"] == "Wire"


def test_mark_then_claims_shows_the_mark_with_the_analyst(imported: Path) -> None:
    claim_id = json.loads(run("claims", "--json", db=imported).output)[0]["id"]
    marked = run("mark", str(claim_id), "disputed", "--note", "three, not two", db=imported)
    assert marked.exit_code == 0 and "disputed by ana" in marked.output
    disputed = json.loads(run("claims", "--json", "--status", "disputed", db=imported).output)
    assert [(r["id"], r["analyst"], r["note"]) for r in disputed] == [(claim_id, "ana", "three, not two")]


def test_claims_lists_one_line_per_claim(imported: Path) -> None:
    listed = run("claims", db=imported).output.splitlines()
    assert len(listed) == len(json.loads(run("claims", "--json", db=imported).output))
    assert all(line.startswith("#") for line in listed)


@pytest.mark.parametrize("fmt,probe", [("csv", "id,article"), ("md", "# Claim sheet"), ("json", '"claims"')])
def test_export_writes_to_stdout_or_a_file(imported: Path, tmp_path: Path, fmt: str, probe: str) -> None:
    out = run("export", "--format", fmt, db=imported)
    assert out.exit_code == 0 and probe in out.output
    target = tmp_path / f"sheet.{fmt}"
    written = run("export", "--format", fmt, "-o", str(target), db=imported)
    assert written.exit_code == 0
    assert probe in target.read_text(encoding="utf-8")


def test_a_missing_file_is_one_line_naming_it_then_the_summary(db: Path, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.txt"), db=db)
    assert result.exit_code == 1
    error, summary = result.output.splitlines()
    assert error.startswith("workbench: ") and "nope.txt" in error and "no such file" in error
    assert summary == "0 imported, 1 refused, 0 links"


def test_an_empty_file_is_refused_by_name(db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run("import", str(empty), db=db)
    assert result.exit_code == 1
    assert "empty.txt" in result.output and "Traceback" not in result.output


def test_an_unknown_claim_is_one_line(imported: Path) -> None:
    assert_one_line_error(run("mark", "999999", "verified", db=imported), "#999999")


def test_a_bad_status_is_one_line(imported: Path) -> None:
    result = run("mark", "1", "maybe", db=imported)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "maybe" in result.output


def test_an_unknown_format_is_refused(imported: Path) -> None:
    result = run("export", "--format", "docx", db=imported)
    assert result.exit_code == 2 and "docx" in result.output


def test_a_database_that_is_not_a_case_is_one_line_and_untouched(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"just some notes\n" * 100)
    assert_one_line_error(run("claims", db=bogus), "notes.db")
    assert bogus.read_bytes() == b"just some notes\n" * 100


def test_export_to_an_unwritable_place_is_one_line(imported: Path, tmp_path: Path) -> None:
    assert_one_line_error(run("export", "--format", "csv", "-o", str(tmp_path / "no" / "dir" / "x.csv"), db=imported),
                          "x.csv")


def test_python_dash_m_workbench_works() -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for command in ("import", "claims", "mark", "export", "score"):
        assert command in done.stdout
