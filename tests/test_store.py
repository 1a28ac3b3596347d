"""The case database: one transaction per change, history that cannot be rewritten, migrations."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from workbench.model import Status
from workbench import settings
from workbench.store import SCHEMA_VERSION, AlreadyStored, NotFound, Store, StoreError

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def first_claim(store: Store):
    return store.claims()[0]


def applied_migrations(store: Store) -> list[str]:
    return [r[0] for r in store.db.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = 'workbench' ORDER BY name")]


def test_a_new_case_is_in_wal_mode_with_its_schema_version_recorded(store: Store) -> None:
    assert store.db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.schema_version == SCHEMA_VERSION >= 2


def test_a_new_case_records_every_migration_once_and_has_its_tables(store: Store) -> None:
    names = applied_migrations(store)
    assert len(names) == len(set(names)) == SCHEMA_VERSION
    assert names[0].startswith("m001")
    assert {"articles", "claims", "links", "history"} <= set(store.db.table_names())


def test_the_wal_mode_is_kept_in_the_file(db_path: Path, store: Store) -> None:
    store.close()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_applies_nothing_twice(db_path: Path, seeded: Store) -> None:
    count = seeded.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]
    with Store(db_path) as again:
        assert again.db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == count
        assert again.article_count() == 2


def test_reopening_many_times_neither_fails_nor_duplicates(db_path: Path, seeded: Store) -> None:
    names = applied_migrations(seeded)
    claims = [c.id for c in seeded.claims(include_sentences=True)]
    seeded.close()
    for _ in range(3):
        with Store(db_path) as again:
            assert applied_migrations(again) == names
            assert again.schema_version == SCHEMA_VERSION
            assert [c.id for c in again.claims(include_sentences=True)] == claims


def test_a_mark_updates_the_claim_and_appends_who_when_and_what(seeded: Store) -> None:
    claim = first_claim(seeded)
    marked = seeded.mark(claim.id, "disputed", "ana", note="two, not three")
    assert marked.status is Status.DISPUTED
    assert marked.analyst == "ana" and marked.updated_at
    entry = seeded.history(claim.id)[-1]
    assert (entry.old_status, entry.new_status) == (Status.UNMARKED, Status.DISPUTED)
    assert entry.note == "two, not three" and entry.analyst == "ana" and entry.at == marked.updated_at


def test_a_mark_is_timed_in_utc_and_history_reads_in_order(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "open", "ana")
    seeded.mark(claim.id, "verified", "bo", note="release checked")
    first, second = seeded.history(claim.id)
    assert ISO_UTC.fullmatch(first.at) and ISO_UTC.fullmatch(second.at)
    assert first.at <= second.at and first.id < second.id
    assert (first.action, first.old_status, first.new_status, first.analyst) == ("mark", "unmarked", "open", "ana")
    assert (second.old_status, second.new_status, second.note, second.analyst) == (
        "open", "verified", "release checked", "bo")
    kept = seeded.claim(claim.id)
    assert (kept.status, kept.note, kept.analyst, kept.updated_at) == (
        Status.VERIFIED, "release checked", "bo", second.at)


def test_a_mark_without_a_note_keeps_the_note_already_there(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "open", "ana", note="ask CENTCOM")
    seeded.mark(claim.id, "verified", "ana")
    assert seeded.claim(claim.id).note == "ask CENTCOM"
    assert seeded.history(claim.id)[-1].note is None


def test_every_mark_is_kept_in_history_and_the_last_one_wins(seeded: Store) -> None:
    claim = first_claim(seeded)
    for status in ("open", "verified", "disputed"):
        seeded.mark(claim.id, status, "ana")
    assert [h.new_status for h in seeded.history(claim.id)] == ["open", "verified", "disputed"]
    assert seeded.claim(claim.id).status is Status.DISPUTED


def test_a_claim_cannot_be_marked_back_to_unmarked(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "verified", "ana")
    with pytest.raises(StoreError, match="unmarked"):
        seeded.mark(claim.id, Status.UNMARKED, "ana")
    assert seeded.claim(claim.id).status is Status.VERIFIED
    assert len(seeded.history(claim.id)) == 1


def test_history_cannot_be_changed_or_deleted(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "verified", "ana")
    for sql in ("UPDATE history SET analyst = 'mallory'", "DELETE FROM history"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            seeded.db.conn.execute(sql)
    assert seeded.history(claim.id)[-1].analyst == "ana"


def test_history_stays_append_only_for_any_program_that_opens_the_file(db_path: Path, seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "verified", "ana", note="checked")
    seeded.close()
    conn = sqlite3.connect(db_path)
    try:
        for sql in ("UPDATE history SET note = 'rewritten' WHERE claim_id = ?", "DELETE FROM history WHERE claim_id = ?"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                conn.execute(sql, [claim.id])
        conn.rollback()
    finally:
        conn.close()
    with Store(db_path) as again:
        [entry] = again.history(claim.id)
        assert (entry.note, entry.analyst, entry.new_status) == ("checked", "ana", "verified")


def test_marking_a_sentence_makes_it_a_claim_and_says_so(seeded: Store) -> None:
    sentence = next(c for c in seeded.claims(include_sentences=True) if not c.is_claim)
    marked = seeded.mark(sentence.id, "open", "ana")
    assert marked.is_claim and marked.origin == "analyst"
    assert [h.action for h in seeded.history(sentence.id)] == ["promote", "mark"]


def test_a_marked_sentence_joins_the_claim_list_and_the_progress(seeded: Store) -> None:
    sentence = next(c for c in seeded.claims(include_sentences=True) if not c.is_claim)
    total = seeded.progress().total
    seeded.mark(sentence.id, "disputed", "ana", note="not in the release")
    assert sentence.id in {c.id for c in seeded.claims()}
    assert sentence.id in {c.id for c in seeded.claims(status="disputed")}
    assert seeded.progress().total == total + 1
    promote, mark = seeded.history(sentence.id)
    assert (promote.old_status, promote.new_status) == ("unmarked", "unmarked")
    assert (mark.old_status, mark.new_status, mark.note) == ("unmarked", "disputed", "not in the release")


def test_dismiss_and_promote_move_a_claim_off_and_back_onto_the_list(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.dismiss(claim.id, "ana")
    assert claim.id not in {c.id for c in seeded.claims()}
    seeded.promote(claim.id, "ana")
    assert claim.id in {c.id for c in seeded.claims()}
    assert [h.action for h in seeded.history(claim.id)] == ["dismiss", "promote"]


def test_a_dismissed_claim_keeps_its_mark_and_stays_in_the_case(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "verified", "ana", note="checked")
    dismissed = seeded.dismiss(claim.id, "bo")
    assert not dismissed.is_claim and dismissed.origin == "analyst"
    assert (dismissed.status, dismissed.note) == (Status.VERIFIED, "checked")
    assert claim.id in {c.id for c in seeded.claims(include_sentences=True)}
    assert seeded.history(claim.id)[-1].analyst == "bo"


def test_an_annotation_changes_note_and_evidence_but_not_the_status(seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.mark(claim.id, "open", "ana")
    annotated = seeded.annotate(claim.id, "bo", "see the release", "https://example.org/release")
    assert (annotated.status, annotated.note, annotated.evidence, annotated.analyst) == (
        Status.OPEN, "see the release", "https://example.org/release", "bo")
    entry = seeded.history(claim.id)[-1]
    assert (entry.action, entry.old_status, entry.new_status) == ("note", "open", "open")


def test_progress_counts_reviewed_claims(seeded: Store) -> None:
    claims = seeded.claims()
    seeded.mark(claims[0].id, "verified", "ana")
    seeded.mark(claims[1].id, "open", "ana")
    progress = seeded.progress()
    assert progress.total == len(claims)
    assert progress.reviewed == 2


def test_progress_counts_each_status_and_only_claims(seeded: Store) -> None:
    claims = seeded.claims()
    fresh = seeded.progress()
    assert fresh.counts[Status.UNMARKED] == fresh.total == len(claims) and fresh.reviewed == 0
    seeded.mark(claims[0].id, "verified", "ana")
    seeded.mark(claims[1].id, "verified", "ana")
    seeded.mark(claims[2].id, "disputed", "ana")
    seeded.mark(claims[3].id, "open", "ana")
    seeded.dismiss(claims[4].id, "ana")
    progress = seeded.progress()
    assert progress.total == len(claims) - 1
    assert progress.counts == {Status.VERIFIED: 2, Status.DISPUTED: 1, Status.OPEN: 1,
                               Status.UNMARKED: len(claims) - 5}
    assert progress.reviewed == 4
    assert progress.summary() == f"✓ 2 verified, ✗ 1 disputed, ? 1 open, ○ {len(claims) - 5} unmarked"


def test_an_empty_case_has_no_progress(store: Store) -> None:
    progress = store.progress()
    assert progress.total == 0 and progress.reviewed == 0
    assert store.claims() == [] and store.articles() == []


def test_marks_survive_closing_and_reopening(db_path: Path, seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.annotate(claim.id, "ana", "line one\nline two", "https://example.org/release")
    seeded.mark(claim.id, "verified", "ana")
    seeded.close()
    with Store(db_path) as again:
        kept = again.claim(claim.id)
        assert kept.status is Status.VERIFIED
        assert kept.note == "line one\nline two" and kept.evidence == "https://example.org/release"


def test_reopening_keeps_every_mark_history_and_progress(db_path: Path, seeded: Store) -> None:
    claims = seeded.claims()
    seeded.mark(claims[0].id, "verified", "ana", note="ok")
    seeded.mark(claims[1].id, "disputed", "bo")
    history, progress = seeded.history(), seeded.progress()
    seeded.close()
    with Store(db_path) as again:
        assert again.history() == history
        assert again.progress() == progress
        assert again.claim(claims[1].id).analyst == "bo"


def test_a_mark_is_seen_at_once_by_a_second_workbench_on_the_same_file(db_path: Path, seeded: Store) -> None:
    claim = first_claim(seeded)
    with Store(db_path) as other:
        seeded.mark(claim.id, "verified", "ana")
        assert other.claim(claim.id).status is Status.VERIFIED
        other.mark(claim.id, "disputed", "bo")
    assert seeded.claim(claim.id).status is Status.DISPUTED
    assert [h.analyst for h in seeded.history(claim.id)] == ["ana", "bo"]


def test_an_unknown_claim_is_a_clear_error(seeded: Store) -> None:
    with pytest.raises(NotFound, match="#999999"):
        seeded.mark(999_999, "verified", "ana")


@pytest.mark.parametrize("change", [
    lambda s: s.mark(999_999, "open", "ana"),
    lambda s: s.dismiss(999_999, "ana"),
    lambda s: s.promote(999_999, "ana"),
    lambda s: s.annotate(999_999, "ana", "note"),
    lambda s: s.claim(999_999),
    lambda s: s.article(999),
], ids=["mark", "dismiss", "promote", "annotate", "claim", "article"])
def test_every_change_to_an_unknown_claim_is_not_found_and_writes_nothing(seeded: Store, change) -> None:
    with pytest.raises(NotFound):
        change(seeded)
    assert issubclass(NotFound, StoreError)
    assert seeded.history() == []
    claim = first_claim(seeded)  # the failed change left no transaction open
    assert seeded.mark(claim.id, "open", "ana").status is Status.OPEN


def test_claim_offsets_point_into_the_stored_article_text(seeded: Store) -> None:
    articles = {a.id: a for a in seeded.articles()}
    for claim in seeded.claims(include_sentences=True):
        assert articles[claim.article_id].text[claim.start : claim.end] == claim.text


def test_claims_come_in_reading_order_and_filter_by_status_and_article(seeded: Store) -> None:
    claims = seeded.claims()
    assert [(c.article_id, c.start) for c in claims] == sorted((c.article_id, c.start) for c in claims)
    a2 = seeded.articles()[1].id
    assert {c.article_id for c in seeded.claims(article_id=a2)} == {a2}
    seeded.mark(claims[0].id, "open", "ana")
    assert [c.id for c in seeded.claims(status="open")] == [claims[0].id]
    assert claims[0].id not in {c.id for c in seeded.claims(status=Status.UNMARKED)}


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda p: p.write_bytes(b"this is not a database at all\n" * 50), id="not-sqlite"),
        pytest.param(lambda p: p.write_bytes(b"hello"), id="a-few-bytes"),
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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal or -journal left behind


def test_someone_elses_sqlite_keeps_its_journal_mode(tmp_path: Path) -> None:
    path = tmp_path / "recipes.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.close()
    with pytest.raises(StoreError, match="not a workbench case"):
        Store(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_a_case_from_a_newer_workbench_is_refused_and_left_untouched(db_path: Path, seeded: Store) -> None:
    seeded.db.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('workbench', 'm999_future', '')"
    )
    seeded.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer workbench"):
        Store(db_path)
    assert db_path.read_bytes() == before


def test_a_directory_is_refused_as_a_case(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=re.escape(str(tmp_path))):
        Store(tmp_path)


def test_a_case_in_a_folder_that_does_not_exist_yet_is_created(tmp_path: Path) -> None:
    with Store(tmp_path / "cases" / "iraq" / "case.db") as store:
        assert store.schema_version == SCHEMA_VERSION
    assert (tmp_path / "cases" / "iraq" / "case.db").is_file()


def test_an_older_case_is_migrated_to_full_fact_kinds(db_path: Path, seeded: Store) -> None:
    claim = first_claim(seeded)
    seeded.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_full_fact_kinds'")
    seeded.db.execute("UPDATE claims SET kind = 'event' WHERE id = ?", [claim.id])
    seeded.close()
    with Store(db_path) as again:
        assert again.claim(claim.id).kind.value == "other"
        assert again.schema_version == SCHEMA_VERSION


def test_an_older_case_is_backed_up_next_to_it_before_it_is_migrated(db_path: Path, seeded: Store) -> None:
    claim = seeded.claims()[0]
    seeded.mark(claim.id, Status.VERIFIED, "ana", note="kept")
    # make it a case as the workbench before m006 left it
    seeded.db.execute("DROP INDEX idx_claims_assignee")
    seeded.db.execute("ALTER TABLE claims DROP COLUMN assignee")
    seeded.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_assignments'")
    seeded.db.conn.commit()
    seeded.close()
    reopened = Store(db_path)
    assert reopened.backup is not None and reopened.backup.parent == db_path.parent
    assert "before-m006_assignments" in reopened.backup.name
    old = sqlite3.connect(reopened.backup)
    assert old.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert old.execute("SELECT status, note FROM claims WHERE id = ?", [claim.id]).fetchone() == ("verified", "kept")
    assert "m006_assignments" not in {r[0] for r in old.execute("SELECT name FROM _sqlite_migrations")}
    assert "m006_assignments" in applied_migrations(reopened)
    assert Store(db_path).backup is None  # once migrated, opening again copies nothing


def test_a_new_case_makes_no_backup(db_path: Path) -> None:
    assert Store(db_path).backup is None
    assert [p.name for p in db_path.parent.iterdir() if ".bak" in p.name] == []


def test_an_odd_list_value_in_one_claim_does_not_shift_the_lists_of_the_others(seeded: Store) -> None:
    claims = seeded.claims()
    first, second = claims[0], claims[1]
    with seeded.db.conn:
        seeded.db.execute("UPDATE claims SET numbers = ? WHERE id = ?", ["1, 2", first.id])
    again = {c.id: c for c in seeded.claims()}
    assert again[first.id].numbers == []
    assert again[second.id].numbers == second.numbers and again[second.id].sources == second.sources
    assert [c.sources for c in seeded.claims()] == [c.sources for c in claims]


def test_bulk_reads_leave_the_collector_on_whatever_threads_overlap() -> None:
    """Two reads in two threads, the first ending while the second runs: the collector stays
    off until the last ends, then is on again (not off for good, as a race could leave it)."""
    import gc
    import threading

    from workbench.store import bulk

    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with bulk():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with bulk():
            second_in.set()
            first_out.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False] and gc.isenabled()


def test_a_link_without_a_score_sorts_last_and_a_merge_brings_none_in(seeded: Store) -> None:
    claims = [c for c in seeded.claims()]
    a, b, c = claims[0].id, claims[1].id, claims[2].id
    with seeded.conn:
        seeded.conn.execute("DELETE FROM links")
        seeded.conn.execute("INSERT INTO links (claim_a, claim_b, score) VALUES (?, ?, NULL)", [a, b])
        seeded.conn.execute("INSERT INTO links (claim_a, claim_b, score) VALUES (?, ?, 0.9)", [a, c])
    assert [link.score for link in seeded.links()] == [0.9, None]  # an old merge's NULL reads, last
    seeded.merge_rows([], {1: a, 2: b, 3: c}, [], [], [{"claim_a": 2, "claim_b": 3, "score": None}])
    assert len(seeded.links()) == 2


def test_the_schema_reads_the_record_sqlite_utils_keeps_of_its_migrations(store: Store) -> None:
    """An up-to-date case opens without sqlite-utils: `schema` reads its migrations table
    itself, so the two must agree on where and what it is."""
    import sqlite_utils

    from workbench import schema

    assert schema.TABLE == sqlite_utils.Migrations.migrations_table
    recorded = [m.name for m in sqlite_utils.Migrations(schema.MIGRATION_SET).applied(store.db)]
    assert schema.applied(store.conn) == recorded == list(schema.NAMES)


def test_articles_stored_together_are_each_kept_whole(store: Store) -> None:
    from workbench import claims as finder, reader

    drafts = [reader.read_article(path) for path in sorted(settings.seeds_dir().glob("*.txt"))]
    found = [finder.find_claims(draft.text) for draft in drafts]
    added = store.add_articles(list(zip(drafts, found)), "ana")
    assert added == store.articles() and [a.title for a in added] == [d.title for d in drafts]
    for article, expected in zip(added, found):
        stored = store.claims(article_id=article.id, include_sentences=True)
        assert [(c.start, c.end, c.text, c.score, c.kind, c.is_claim, c.numbers, c.dates, c.sources)
                for c in stored] == [(f.start, f.end, f.text, f.score, f.kind, f.is_claim, f.numbers, f.dates,
                                      f.sources) for f in expected]
        assert {(c.origin, c.status, c.analyst) for c in stored} == {("finder", Status.UNMARKED, None)}
    assert any(c.numbers for c in store.claims()) and any(c.sources for c in store.claims())


def test_an_article_already_in_the_case_is_left_out_of_a_batch_and_named(store: Store) -> None:
    from workbench import claims as finder, reader

    first, second = (reader.read_article(path) for path in sorted(settings.seeds_dir().glob("*.txt")))
    kept, = store.add_articles([(first, finder.find_claims(first.text))], "ana")
    added = store.add_articles([(first, []), (second, finder.find_claims(second.text)), (second, [])], "bo")
    assert isinstance(added[0], AlreadyStored) and added[0].article_id == kept.id
    assert added[1].title == second.title and store.article_count() == 2
    assert isinstance(added[2], AlreadyStored) and added[2].article_id == added[1].id
    with pytest.raises(AlreadyStored):
        store.add_article(second, [], "cy")


def test_with_checkpoints_deferred_no_mark_copies_the_wal_and_the_checkpoint_copies_it_all(
    db_path: Path, seeded: Store,
) -> None:
    """A mark that copies the WAL into the database waits 45 ms and more: the TUI leaves it to a
    checkpoint of its own, and nothing is lost meanwhile."""
    seeded.checkpoint()
    seeded.defer_checkpoints()
    claims = seeded.claims()
    for n in range(250):  # SQLite's own checkpoint would come at 1,000 pages, about 200 marks
        seeded.mark(claims[n % len(claims)].id, "verified" if n % 2 else "open", "ana")
    pages, copied = seeded.checkpoint()
    assert pages > 1000 and copied == pages
    with Store(db_path) as other:
        assert len(other.history()) == 250
        assert other.claim(claims[249 % len(claims)].id).status is Status.VERIFIED
