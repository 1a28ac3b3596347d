"""The `workbench` command from a shell: every command works, every failure is one line."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from workbench import settings
from workbench.cli import ImportProgress, cli

SEED_FILES = sorted(settings.seeds_dir().glob("*.txt"))
FIELDS = ("id", "article", "source", "date", "start", "end", "text", "kind", "score", "status", "note",
          "analyst", "updated_at", "links")


def run(*args: str, db: Path, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db), "--analyst", "ana"], input=input)


def claims_json(db: Path, *args: str) -> list[dict]:
    result = run("claims", "--json", *args, db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_one_line_error(result: Result, *expected: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stdout == ""
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


def test_import_prints_articles_on_stdout_and_the_summary_on_stderr(db: Path) -> None:
    result = run("import", str(SEED_FILES[0]), db=db)
    assert result.exit_code == 0
    assert result.stdout == "A1\tAn American aerial refuelling jet has crashed in Iraq, amid Washington’s escalating " \
                            "conflict with Iran that has engulfed the Middle East in violence.\n"
    assert result.stderr == "1 imported, 0 links\n"


def test_importing_the_same_file_twice_changes_nothing(imported: Path) -> None:
    before = json.loads(run("claims", "--json", db=imported).output)
    again = run("import", *map(str, SEED_FILES), db=imported)
    assert again.exit_code == 0
    assert "already in the case" in again.output and "0 imported" in again.output
    assert json.loads(run("claims", "--json", db=imported).output) == before


def test_a_second_import_names_the_article_already_in_the_case(db: Path) -> None:
    first = run("import", str(SEED_FILES[0]), db=db)
    assert first.exit_code == 0
    before = claims_json(db)
    again = run("import", str(SEED_FILES[0]), db=db)
    assert again.exit_code == 0 and again.stdout == ""
    assert again.stderr.splitlines() == [f"{SEED_FILES[0]}: already in the case as A1", "0 imported, 1 already in the case, 0 links"]
    assert claims_json(db) == before


def test_a_folder_imports_every_article_in_it(db: Path) -> None:
    result = run("import", str(SEED_FILES[0].parent), db=db)
    assert result.exit_code == 0
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["A1", "A2"]
    assert {r["article"] for r in claims_json(db)} == {1, 2}


def test_claims_json_has_the_promised_fields(imported: Path) -> None:
    records = json.loads(run("claims", "--json", db=imported).output)
    assert records
    for field in FIELDS:
        assert field in records[0]
    assert records[0]["source"] == "Wire"


def test_claims_json_fields_hold_what_they_say(imported: Path) -> None:
    records = claims_json(imported)
    texts = {1: SEED_FILES[0].read_text(encoding="utf-8"), 2: SEED_FILES[1].read_text(encoding="utf-8")}
    for r in records:
        assert set(FIELDS) <= r.keys()
        assert r["text"] in texts[r["article"]]
        assert r["end"] - r["start"] == len(r["text"])
        assert r["date"] == "2026-03-12" and r["source"] == "Wire"
        assert r["status"] == "unmarked" and r["note"] == "" and r["analyst"] is None and r["updated_at"] is None
        assert 0.0 <= r["score"] <= 1.0
        assert r["kind"] in {"quantity", "cause", "prediction", "rule", "personal", "quote", "other"}
        assert all({"claim", "score"} <= link.keys() for link in r["links"])
    assert any(r["text"].startswith("“Two aircraft were involved in the incident") for r in records)


def test_mark_then_claims_shows_the_mark_with_the_analyst(imported: Path) -> None:
    claim_id = json.loads(run("claims", "--json", db=imported).output)[0]["id"]
    marked = run("mark", str(claim_id), "disputed", "--note", "three, not two", db=imported)
    assert marked.exit_code == 0 and "disputed by ana" in marked.output
    disputed = json.loads(run("claims", "--json", "--status", "disputed", db=imported).output)
    assert [(r["id"], r["analyst"], r["note"]) for r in disputed] == [(claim_id, "ana", "three, not two")]


def test_mark_verified_with_a_note_is_what_claims_json_shows(imported: Path) -> None:
    claim_id = claims_json(imported)[3]["id"]
    marked = CliRunner().invoke(cli, ["mark", str(claim_id), "verified", "--note", "CENTCOM release, 13 March",
                                      "--db", str(imported), "--analyst", "Rita Reviewer"])
    assert marked.exit_code == 0, marked.output
    assert marked.stdout.startswith(f"#{claim_id} ✓ verified by Rita Reviewer at ")
    (record,) = [r for r in claims_json(imported) if r["id"] == claim_id]
    assert (record["status"], record["note"], record["analyst"]) == ("verified", "CENTCOM release, 13 March",
                                                                     "Rita Reviewer")
    assert record["updated_at"] and marked.stdout.rstrip().endswith(record["updated_at"])


def test_status_filter_lists_only_claims_with_that_status(imported: Path) -> None:
    everything = claims_json(imported)
    first, second = everything[0]["id"], everything[1]["id"]
    assert run("mark", str(first), "verified", db=imported).exit_code == 0
    assert run("mark", str(second), "open", db=imported).exit_code == 0
    assert [r["id"] for r in claims_json(imported, "--status", "verified")] == [first]
    assert [r["id"] for r in claims_json(imported, "--status", "open")] == [second]
    assert claims_json(imported, "--status", "disputed") == []
    unmarked = [r["id"] for r in claims_json(imported, "--status", "unmarked")]
    assert unmarked == [r["id"] for r in everything[2:]]


def test_article_filter_lists_only_that_articles_claims(imported: Path) -> None:
    records = claims_json(imported, "--article", "2")
    assert records and {r["article"] for r in records} == {2}


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


@pytest.mark.parametrize("fmt", ["csv", "md", "json"])
def test_export_to_a_file_writes_exactly_the_sheet_and_says_where(imported: Path, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"sheet.{fmt}"
    written = run("export", "--format", fmt, "-o", str(target), db=imported)
    assert written.exit_code == 0
    assert written.stdout == "" and written.stderr == f"wrote {target}\n"
    on_stdout = run("export", "--format", fmt, db=imported).stdout_bytes.decode("utf-8")
    if fmt == "md":  # the sheet says when it was exported
        assert target.read_text(encoding="utf-8").splitlines()[4:] == on_stdout.splitlines()[4:]
    elif fmt == "json":
        document, again = json.loads(target.read_text(encoding="utf-8")), json.loads(on_stdout)
        assert document["claims"] == again["claims"] and document["articles"] == again["articles"]
    else:
        assert target.read_bytes().decode("utf-8") == on_stdout  # CRLF rows, byte for byte


def test_exported_csv_and_json_agree_with_claims_json(imported: Path) -> None:
    claim_id = claims_json(imported)[0]["id"]
    run("mark", str(claim_id), "verified", "--note", "ok", db=imported)
    records = claims_json(imported)
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", db=imported).stdout, newline="")))
    assert [(int(r["id"]), r["status"], r["note"], r["analyst"]) for r in rows] == [
        (r["id"], r["status"], r["note"], r["analyst"] or "") for r in records]
    document = json.loads(run("export", "--format", "json", db=imported).stdout)
    assert document["claims"] == records


def test_export_filters_by_status(imported: Path) -> None:
    claim_id = claims_json(imported)[0]["id"]
    run("mark", str(claim_id), "disputed", db=imported)
    document = json.loads(run("export", "--format", "json", "--status", "disputed", db=imported).stdout)
    assert [r["id"] for r in document["claims"]] == [claim_id]


def test_a_missing_file_is_one_line_naming_it(db: Path, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.txt"), db=db)
    assert_one_line_error(result, "nope.txt", "no such file")
    assert result.exit_code == 1


def test_an_empty_file_is_refused_by_name(db: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    result = run("import", str(empty), db=db)
    assert_one_line_error(result, "empty.txt", "empty file")
    assert result.exit_code == 1


def test_a_folder_without_articles_is_refused_by_name(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    folder.mkdir()
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = run("import", str(folder), db=db)
    assert_one_line_error(result, "pictures", "no articles (.txt, .md, .html, .pdf)")
    assert result.exit_code == 1


def test_a_binary_file_is_refused_by_name(db: Path, tmp_path: Path) -> None:
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert_one_line_error(run("import", str(binary), db=db), "photo.txt", "binary")


def test_a_partly_failed_import_keeps_what_it_could_and_still_fails(db: Path, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.txt"), str(SEED_FILES[0]), db=db)
    assert result.exit_code == 1
    assert result.stdout.startswith("A1\t")
    error, summary = result.stderr.splitlines()
    assert error.startswith("workbench: ") and "nope.txt" in error and "no such file" in error
    assert summary == "1 imported, 1 refused, 0 links"
    assert claims_json(db)


def test_an_unknown_claim_is_one_line(imported: Path) -> None:
    assert_one_line_error(run("mark", "999999", "verified", db=imported), "#999999")


def test_a_bad_status_is_one_line(imported: Path) -> None:
    result = run("mark", "1", "maybe", db=imported)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "maybe" in result.output


def test_a_bad_status_is_exactly_one_line_on_stderr(imported: Path) -> None:
    result = run("mark", "1", "maybe", db=imported)
    assert_one_line_error(result, "maybe", "verified")
    assert result.exit_code == 2
    assert_one_line_error(run("claims", "--status", "maybe", db=imported), "maybe")
    assert claims_json(imported, "--status", "verified") == []


def test_an_unknown_format_is_refused(imported: Path) -> None:
    result = run("export", "--format", "docx", db=imported)
    assert result.exit_code == 2 and "docx" in result.output


def test_an_unknown_format_is_exactly_one_line_on_stderr(imported: Path, tmp_path: Path) -> None:
    target = tmp_path / "sheet.docx"
    result = run("export", "--format", "docx", "-o", str(target), db=imported)
    assert_one_line_error(result, "docx", "csv")
    assert result.exit_code == 2
    assert not target.exists()


def test_a_missing_format_is_one_line(imported: Path) -> None:
    assert_one_line_error(run("export", db=imported), "--format")


def test_a_claim_id_that_is_not_a_number_is_one_line(imported: Path) -> None:
    assert_one_line_error(run("mark", "first", "verified", db=imported), "first")


def test_an_unknown_article_is_one_line(imported: Path) -> None:
    assert_one_line_error(run("claims", "--article", "99", db=imported), "A99")


def test_a_database_that_is_not_a_case_is_one_line_and_untouched(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_bytes(b"just some notes\n" * 100)
    assert_one_line_error(run("claims", db=bogus), "notes.db")
    assert bogus.read_bytes() == b"just some notes\n" * 100


@pytest.mark.parametrize("command", [["claims"], ["claims", "--json"], ["mark", "1", "verified"],
                                     ["export", "--format", "csv"], ["import", str(SEED_FILES[0])]])
def test_every_command_refuses_a_non_sqlite_db_in_one_line_and_leaves_it(tmp_path: Path, command: list[str]) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_bytes(b"shopping: milk, eggs\n")
    assert_one_line_error(run(*command, db=bogus), "notes.txt")
    assert bogus.read_bytes() == b"shopping: milk, eggs\n"


def test_export_to_an_unwritable_place_is_one_line(imported: Path, tmp_path: Path) -> None:
    assert_one_line_error(run("export", "--format", "csv", "-o", str(tmp_path / "no" / "dir" / "x.csv"), db=imported),
                          "x.csv")


def test_python_dash_m_workbench_works() -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", "--help"], capture_output=True, text=True, check=False)
    assert done.returncode == 0
    for command in ("import", "claims", "mark", "export", "score"):
        assert command in done.stdout
    assert done.stderr == ""


def test_the_installed_entry_point_fails_in_one_line_too(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", "mark", "1", "maybe", "--db", str(tmp_path / "c.db")],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1 and "maybe" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_opening_a_missing_file_is_one_line_and_no_screen(db: Path, tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.txt"), db=db)
    assert_one_line_error(result, "nope.txt", "no such file")
    assert result.exit_code == 1


def test_opening_a_folder_without_articles_is_one_line(db: Path, tmp_path: Path) -> None:
    (tmp_path / "empty-folder").mkdir()
    assert_one_line_error(run(str(tmp_path / "empty-folder"), db=db), "empty-folder", "no articles (.txt, .md, .html, .pdf)")


def test_case_options_may_come_before_the_command(db: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(db), "--analyst", "ana", "import", str(SEED_FILES[0])])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("A1\t")


def test_opening_without_a_terminal_is_one_line_not_a_screen_drawn_into_a_pipe(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "workbench", "--db", str(tmp_path / "c.db")], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1 and "needs a terminal" in done.stderr


def test_the_size_limit_is_an_option_and_an_environment_variable(db: Path, tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    big.write_text("The ministry said two aircraft were lost. " * 30_000)  # about 1.3 MB
    assert_one_line_error(run("import", str(big), "--max-size", "1", db=db), "big.txt", "too large")
    monkeypatch.setenv("WORKBENCH_MAX_MB", "0.5")
    assert_one_line_error(run("import", str(big), db=db), "too large")
    assert run("import", str(big), "--max-size", "2", db=db).exit_code == 0
    monkeypatch.setenv("WORKBENCH_MAX_MB", "lots")
    assert_one_line_error(run("import", str(big), db=db), "WORKBENCH_MAX_MB")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_import_progress_is_one_line_rewritten_in_place_and_cleared_at_the_end() -> None:
    out = _Terminal()
    progress = ImportProgress(out)
    progress("reading and finding claims in a.txt", 0, 4)
    progress("reading and finding claims in b.txt", 1, 4)  # a tenth of a second has not passed: not shown
    progress("lining up claims across articles", 3, 4)
    progress("done", 4, 4)
    assert out.getvalue() == ("\r  0% reading and finding claims in a.txt\x1b[K"
                              "\r 75% lining up claims across articles\x1b[K\r\x1b[K")


def test_import_progress_shows_a_file_name_without_letting_it_talk_to_the_terminal() -> None:
    out = _Terminal()
    ImportProgress(out)("reading and finding claims in x\x1b]0;owned\x07.txt", 0, 2)
    assert "\x1b]" not in out.getvalue() and "\x07" not in out.getvalue() and "owned" in out.getvalue()


def test_import_progress_is_silent_when_stderr_is_not_a_terminal() -> None:
    out = io.StringIO()
    ImportProgress(out)("reading and finding claims in a.txt", 0, 2)
    assert out.getvalue() == ""
