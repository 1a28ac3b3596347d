"""The whole case as one document, `workbench import-case`, and `workbench merge` with agreement."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import case, export, ingest
from workbench.cli import cli
from workbench.model import Status
from workbench.store import Store, StoreError


def new_case(path: Path, analyst: str) -> Store:
    store = Store(path)
    ingest.import_seeds_if_empty(store, analyst=analyst)
    return store


def run(*args: str, db: Path) -> object:
    return CliRunner().invoke(cli, [*args, "--db", str(db), "--analyst", "ana"])


def test_the_json_export_is_the_whole_case_and_loads_into_an_empty_database(seeded: Store, tmp_path: Path) -> None:
    first, second = seeded.claims()[:2]
    seeded.mark(first.id, Status.VERIFIED, "ana", note="CENTCOM release")
    seeded.annotate(second.id, "ana", "two not three", evidence="https://example.org/release")
    seeded.mark(second.id, Status.DISPUTED, "bob")
    seeded.grade_claim(first.id, "2", "ana")
    document = json.loads(export.render(seeded, "json"))
    assert document["workbench_case"] == case.CASE_FORMAT and document["schema_version"] == seeded.schema_version
    assert all(a["text"] for a in document["articles"])
    assert len(document["sentences"]) == len(seeded.claims(include_sentences=True))
    assert len(document["history"]) == len(seeded.history()) and document["links"]

    with Store(tmp_path / "copy.db") as copy:
        report = case.merge(copy, document)
        assert report.articles_added == 2
        ours = {(c.article_id, c.start): c for c in seeded.claims(include_sentences=True)}
        theirs = {(c.article_id, c.start): c for c in copy.claims(include_sentences=True)}
        assert ours.keys() == theirs.keys()
        for key, claim in ours.items():
            other = theirs[key]
            assert (other.text, other.status, other.note, other.evidence, other.analyst, other.credibility,
                    other.is_claim) == (claim.text, claim.status, claim.note, claim.evidence, claim.analyst,
                                        claim.credibility, claim.is_claim)
        assert [(h.action, h.analyst, h.at, h.new_status) for h in copy.history()] == [
            (h.action, h.analyst, h.at, h.new_status) for h in seeded.history()]
        assert len(copy.links()) == len(seeded.links())


def test_merging_keeps_both_histories_takes_the_newer_mark_and_reports_disagreement(tmp_path: Path) -> None:
    with new_case(tmp_path / "ana.db", "ana") as ana, new_case(tmp_path / "bob.db", "bob") as bob:
        ids = [c.id for c in ana.claims()[:4]]
        for claim_id, status in zip(ids, ["verified", "verified", "disputed", "open"]):
            ana.mark(claim_id, status, "ana")
        for claim_id, status in zip(ids, ["verified", "disputed", "disputed", "open"]):
            bob.mark(claim_id, status, "bob")  # later, so bob's marks are the newer ones
        report = case.merge(ana, case.document(bob))
        assert report.shared_marked == 4
        assert [d.claim_id for d in report.disagreements] == [ids[1]]
        assert report.disagreements[0].ours == ("verified", "ana") and report.disagreements[0].theirs == ("disputed", "bob")
        # observed 3/4; chance: ana (2 verified, 1 disputed, 1 open), bob (1, 2, 1) -> 5/16
        assert report.kappa == pytest.approx((0.75 - 5 / 16) / (1 - 5 / 16))
        assert ana.claim(ids[1]).status is Status.DISPUTED and ana.claim(ids[1]).analyst == "bob"
        history = ana.history(ids[1])
        assert [(h.analyst, h.new_status) for h in history] == [("ana", "verified"), ("bob", "disputed")]
        again = case.merge(ana, case.document(bob))
        assert again.history_added == 0 and again.adopted == 0  # merging twice adds nothing


def test_an_older_mark_does_not_overwrite_a_newer_one(tmp_path: Path) -> None:
    with new_case(tmp_path / "ana.db", "ana") as ana, new_case(tmp_path / "bob.db", "bob") as bob:
        claim_id = ana.claims()[0].id
        bob.mark(claim_id, "disputed", "bob")
        ana.mark(claim_id, "verified", "ana")
        case.merge(ana, case.document(bob))
        assert ana.claim(claim_id).status is Status.VERIFIED
        assert {h.analyst for h in ana.history(claim_id)} == {"ana", "bob"}


def test_kappa_is_one_for_full_agreement_and_zero_for_chance() -> None:
    assert case.cohen_kappa([("verified", "verified"), ("disputed", "disputed")]) == 1.0
    assert case.cohen_kappa([("verified", "verified"), ("verified", "disputed")]) == 0.0
    assert case.cohen_kappa([("open", "open")]) == 1.0


def test_merge_and_import_case_from_the_command_line(tmp_path: Path) -> None:
    with new_case(tmp_path / "bob.db", "bob") as bob:
        first = bob.claims()[0].id
        bob.mark(first, "disputed", "bob")
    with new_case(tmp_path / "ana.db", "ana") as ana:
        ana.mark(first, "verified", "ana")
    merged = run("merge", str(tmp_path / "bob.db"), db=tmp_path / "ana.db")
    assert merged.exit_code == 0, merged.output
    assert merged.stdout.startswith(f"#{first}\tverified (ana) vs disputed (bob)")
    assert "kappa" in merged.stderr
    exported = run("export", "--format", "json", "-o", str(tmp_path / "case.json"), db=tmp_path / "ana.db")
    assert exported.exit_code == 0
    loaded = run("import-case", str(tmp_path / "case.json"), db=tmp_path / "fresh.db")
    assert loaded.exit_code == 0, loaded.output
    with Store(tmp_path / "fresh.db") as fresh:
        assert fresh.claim(first).status is Status.VERIFIED and len(fresh.history(first)) == 2  # ana marked last


def test_merge_never_writes_to_the_other_case(tmp_path: Path) -> None:
    with new_case(tmp_path / "bob.db", "bob") as bob:
        bob.mark(bob.claims()[0].id, "open", "bob")
    before = (tmp_path / "bob.db").read_bytes()
    new_case(tmp_path / "ana.db", "ana").close()
    assert run("merge", str(tmp_path / "bob.db"), db=tmp_path / "ana.db").exit_code == 0
    assert (tmp_path / "bob.db").read_bytes() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"not json at all", "not a workbench case"),
        (b'{"claims": []}', "not a workbench case document"),
        (b'{"workbench_case": 1, "schema_version": 999, "articles": [], "sentences": []}', "newer workbench"),
        (b'{"workbench_case": 1, "schema_version": 1, "articles": [{"id": 1, "text": "abc", "content_hash": "x",'
         b' "title": "t"}], "sentences": [{"id": 1, "article_id": 1, "start": 0, "end": 2, "text": "zz",'
         b' "status": "open"}]}', "damaged"),
    ],
)
def test_a_bad_case_file_is_one_line_and_changes_nothing(tmp_path: Path, content: bytes, expected: str) -> None:
    new_case(tmp_path / "ana.db", "ana").close()
    (tmp_path / "bad.json").write_bytes(content)
    before = sqlite3.connect(tmp_path / "ana.db").execute("SELECT count(*) FROM history").fetchone()
    result = run("merge", str(tmp_path / "bad.json"), db=tmp_path / "ana.db")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1 and expected in result.stderr
    assert sqlite3.connect(tmp_path / "ana.db").execute("SELECT count(*) FROM history").fetchone() == before


def test_an_older_case_database_is_refused_for_merging_not_migrated(tmp_path: Path) -> None:
    with new_case(tmp_path / "old.db", "bob") as old:
        old.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_assignments'")
        old.db.conn.commit()
    with pytest.raises(StoreError, match="older workbench"):
        case.read_document(tmp_path / "old.db")


def test_a_bom_csv_starts_with_the_mark_and_otherwise_does_not(imported_db: Path) -> None:
    with_bom = CliRunner().invoke(cli, ["export", "--format", "csv", "--bom", "--db", str(imported_db)])
    plain = CliRunner().invoke(cli, ["export", "--format", "csv", "--db", str(imported_db)])
    assert with_bom.stdout_bytes.startswith(b"\xef\xbb\xbfid,") and plain.stdout_bytes.startswith(b"id,")
    refused = CliRunner().invoke(cli, ["export", "--format", "md", "--bom", "--db", str(imported_db)])
    assert refused.exit_code == 2 and "csv only" in refused.stderr


@pytest.fixture
def imported_db(tmp_path: Path) -> Path:
    new_case(tmp_path / "c.db", "ana").close()
    return tmp_path / "c.db"
