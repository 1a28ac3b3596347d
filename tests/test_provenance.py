"""Where each article came from: kept at import, listed, corrected with a history, carried by
merges; and an import of pages and PDFs that refuses the bad ones one line each and goes on."""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from pathlib import Path

import made_documents as made
import pytest
from click.testing import CliRunner, Result

from workbench.cli import cli
from workbench.store import Store, StoreError


def run(*args: str, db: Path, input: str | bytes | None = None) -> Result:
    return CliRunner().invoke(cli, [*args, "--db", str(db), "--analyst", "ana"], input=input)


def save(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_an_imported_page_is_listed_with_its_provenance_and_its_text(tmp_path: Path, db_path: Path) -> None:
    page = save(tmp_path / "crane.html", made.page())
    assert run("import", str(page), db=db_path).exit_code == 0
    listed = json.loads(run("articles", "--json", db=db_path).output)
    assert len(listed) == 1
    article = listed[0]
    assert {k: article[k] for k in ("title", "outlet", "author", "date", "url", "path")} == {
        "title": "Crane failure halts port loading", "outlet": "Harbour Gazette", "author": "Mara Lind",
        "date": "2026-04-07", "url": "https://gazette.example/port/crane", "path": str(page)}
    assert article["sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    assert article["retrieved_at"] and made.PARAGRAPHS[1] in article["text"]
    plain = run("articles", db=db_path).output
    assert "Harbour Gazette · Crane failure halts port loading · 2026-04-07" in plain


def test_the_case_keeps_the_original_bytes_compressed(tmp_path: Path, db_path: Path) -> None:
    data = gzip.compress(made.page().encode("utf-8"))
    run("import", str(save(tmp_path / "crane.html.gz", data)), db=db_path)
    with Store(db_path) as store:
        article = store.articles()[0]
        assert store.original(article.id) == data
        assert hashlib.sha256(store.original(article.id)).hexdigest() == article.original_sha256


def test_a_correction_changes_the_detail_and_is_in_the_articles_history(tmp_path: Path, db_path: Path) -> None:
    run("import", str(save(tmp_path / "crane.html", made.page())), db=db_path)
    shown = run("article", "1", "--source", "Gazette of the Harbour", "--date", "2026-04-08", db=db_path)
    assert shown.exit_code == 0, shown.output
    assert "outlet:     Gazette of the Harbour" in shown.output
    assert "ana: date 2026-04-07 -> 2026-04-08" in shown.output
    with Store(db_path) as store:
        assert (store.article(1).source, store.article(1).date) == ("Gazette of the Harbour", "2026-04-08")
        assert [(h["field"], h["old_value"], h["analyst"]) for h in store.article_history(1)] == [
            ("source", "Harbour Gazette", "ana"), ("date", "2026-04-07", "ana")]
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("UPDATE article_history SET new_value = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute("DELETE FROM article_history")
        with pytest.raises(StoreError, match="cannot be empty"):
            store.correct_article(1, "title", " ", "ana")
        with pytest.raises(StoreError, match="cannot be corrected"):
            store.correct_article(1, "text", "rewritten", "ana")


def test_a_missing_article_is_one_line(db_path: Path) -> None:
    result = run("article", "7", "--title", "Nothing", db=db_path)
    assert result.exit_code == 1 and "no article A7" in result.output


def test_a_case_document_carries_provenance_and_corrections_into_another_case(tmp_path: Path, db_path: Path) -> None:
    run("import", str(save(tmp_path / "crane.html", made.page())), db=db_path)
    run("article", "1", "--author", "M. Lind", db=db_path)
    exported = tmp_path / "case.json"
    assert run("export", "--format", "json", "-o", str(exported), db=db_path).exit_code == 0
    other = tmp_path / "other.db"
    assert run("import-case", str(exported), db=other).exit_code == 0
    with Store(other) as store:
        [article] = store.articles()
        assert (article.author, article.url, article.original_type) == (
            "M. Lind", "https://gazette.example/port/crane", "text/html")
        assert article.original_sha256 == hashlib.sha256((tmp_path / "crane.html").read_bytes()).hexdigest()
        assert [(h["field"], h["new_value"]) for h in store.article_history()] == [("author", "M. Lind")]


def test_a_pdfs_pages_are_kept_so_a_claim_can_name_its_page(tmp_path: Path, db_path: Path) -> None:
    pdf = made.pdf([["The crane was inspected on Monday by two engineers from the operator."],
                    ["Repairs will cost the operator about 300,000 euros, a spokesman said."]])
    run("import", str(save(tmp_path / "report.pdf", pdf)), db=db_path)
    with Store(db_path) as store:
        article = store.articles()[0]
        cost = next(c for c in store.claims(article_id=article.id, include_sentences=True) if "300,000" in c.text)
        assert article.page_of(cost.start) == 2
        assert article.page_of(0) == 1


def test_bad_files_are_refused_one_line_each_and_the_rest_is_imported(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    save(folder / "a-good.html", made.page())
    save(folder / "b-wall.html", made.login_wall())
    save(folder / "c-scan.pdf", made.image_pdf())
    save(folder / "d-locked.pdf", made.encrypted_pdf())
    save(folder / "e-photo.html", b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    save(folder / "f-good.pdf", made.pdf([["Port officials said 14 ships were waiting on Tuesday evening."]]))
    result = run("import", str(folder), db=db_path)
    assert result.exit_code == 1
    refusals = [line for line in result.output.splitlines() if line.startswith("workbench: ")]
    assert len(refusals) == 4
    for name, why in (("b-wall", "no article text"), ("c-scan", "no text layer"), ("d-locked", "encrypted"),
                      ("e-photo", "JPEG image")):
        assert any(name in line and why in line for line in refusals), (name, refusals)
    assert "2 imported" in result.output


def test_many_pages_are_read_by_the_helpers_with_the_same_result(tmp_path: Path, db_path: Path) -> None:
    from workbench import ingest

    folder = tmp_path / "many"
    folder.mkdir()
    count = ingest.PARALLEL_PAGES + 2
    for n in range(count):
        story = (f"Ship number {n + 1} left the harbour on Wednesday after waiting {n + 2} days, the port said.",
                 *made.PARAGRAPHS)
        save(folder / f"{n:02d}.html", made.page(story, title=f"Ship {n + 1} leaves the harbour"))
    save(folder / "zz-wall.html", made.login_wall())
    result = run("import", str(folder), db=db_path)
    assert result.exit_code == 1
    assert f"{count} imported" in result.stderr and "zz-wall.html: no article text" in result.stderr
    with Store(db_path) as store:
        titles = sorted(a.title for a in store.articles())
        assert titles == sorted(f"Ship {n + 1} leaves the harbour" for n in range(count))
        assert all(store.original(a.id) is not None for a in store.articles())
