"""The case database: one transaction per change, history that cannot be rewritten, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.model import Status
from workbench.store import SCHEMA_VERSION, NotFound, Store, StoreError


def first_claim(store: Store):
    return store.claims()[0]


def test_a_new_case_is_in_wal_mode_with_its_schema_version_recorded(store: Store) -> None:
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.schema_version == SCHEMA_VERSION >= 2


def test_reopening_applies_nothing_twice(db_path: Path, seeded: Store) -> None:
    count = seeded.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    with Store(db_path) as again:
        assert again.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == count
        assert again.article_count() == 2


def test_a_mark_updates_the_claim_and_appends_who_when_and_what(seeded: Store) -> None:
    claim = first_claim(seeded)
    marked = seeded.mark(claim.id, "disputed", "ana", note="two, not three")
    assert marked.status is Status.DISPUTED
    assert marked.analyst == "ana" and marked.updated_at
    entry = seeded.history(claim.id)[-1]
    assert (entry.old_status, entry.new_status) == (Status.UNMARKED, Status.DISPUTED)
    assert entry.note == "two, not three" and entry.analyst == "ana" and entry.at == marked.updated_at


def test_every_mark_is_kept_in_history_and_the_last_one_wins(seeded: Store) -> None:
    claim = first_claim(seeded)
    for status in ("open", "verified", "disputed"):
        seeded.mark(claim.id, status, "ana")
    assert [h.new_status for h in seeded.history(claim.id)] == ["open", "verified", "disputed"]
    assert seeded.claim(claim.id).status is Status.DISPUTED


def test_history_cannot_be_changed_or_deleted(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "verified", "ana")
    for sql in ("UPDATE history SET analyst = 'mallory'", "DELETE FROM history"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            seeded.db.conn.execute(sql)
    assert seeded.history(claim.id)[-1].analyst == "ana"


def test_marking_a_sentence_makes_it_a_claim_and_says_so(seeded: Store) -> None:
    sentence = next(c for c in seeded.claims(include_sentences=True) if not c.is_claim)
    marked = seeded.mark(sentence.id, "open", "ana")
    assert marked.is_claim and marked.origin == "analyst"
    assert [h.action for h in seeded.history(sentence.id)] == ["promote", "mark"]


def test_dismiss_and_promote_move_a_claim_off_and_back_onto_the_list(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.dismiss(claim.id, "ana")
    assert claim.id not in {c.id for c in seeded.claims()}
    seeded.promote(claim.id, "ana")
    assert claim.id in {c.id for c in seeded.claims()}
    assert [h.action for h in seeded.history(claim.id)] == ["dismiss", "promote"]


def test_progress_counts_reviewed_claims(seeded: Store) -> None:
    claims = seeded.claims()
    seeded.mark(claims[0].id, "verified", "ana")
    seeded.mark(claims[1].id, "open", "ana")
    progress = seeded.progress()
    assert progress.total == len(claims)
    assert progress.reviewed == 2


def test_marks_survive_closing_and_reopening(db_path: Path, seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.annotate(claim.id, "ana", "line one\nline two", "https://example.org/release")
    seeded.mark(claim.id, "verified", "ana")
    seeded.close()
    with Store(db_path) as again:
        kept = again.claim(claim.id)
        assert kept.status is Status.VERIFIED
        assert kept.note == "line one\nline two" and kept.evidence == "https://example.org/release"


def test_an_unknown_claim_is_a_clear_error(seeded: Store) -> None:
    with pytest.raises(NotFound, match="#999999"):
        seeded.mark(999_999, "verified", "ana")


def test_claim_offsets_point_into_the_stored_article_text(seeded: Store) -> None:
    articles = {a.id: a for a in seeded.articles()}
    for claim in seeded.claims(include_sentences=True):
        assert articles[claim.article_id].text[claim.start : claim.end] == claim.text


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_bytes(b"this is not a database at all\n" * 50), id="not-sqlite"),
        pytest.param(lambda p: sqlite3.connect(p).execute("CREATE TABLE recipes (name TEXT)").connection.commit(),
                     id="someone-elses-sqlite"),
    ],
)
def test_a_file_that_is_not_a_workbench_case_is_refused_and_left_untouched(tmp_path: Path, make) -> None:
    path = tmp_path / "other.db"
    make(path)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="other.db"):
        Store(path)
    assert path.read_bytes() == before


def test_a_case_from_a_newer_workbench_is_refused_and_left_untouched(db_path: Path, seeded: Store) -> None:
    seeded.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('workbench', 'm999_future', '')"
    )
    seeded.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer workbench"):
        Store(db_path)
    assert db_path.read_bytes() == before


def test_an_older_case_is_migrated_to_full_fact_kinds(db_path: Path, seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_full_fact_kinds'")
    seeded.db.execute("UPDATE claims SET kind = 'event' WHERE id = ?", [claim.id])
    seeded.close()
    with Store(db_path) as again:
        assert again.claim(claim.id).kind.value == "other"
        assert again.schema_version == SCHEMA_VERSION
