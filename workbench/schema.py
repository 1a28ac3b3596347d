"""The case database's schema: the migrations that built it, one step per change, in order.

sqlite-utils applies them and records each in `_sqlite_migrations`. They are read here without
loading sqlite-utils (it loads numpy, a fifth of a second): a case that is up to date, which is
every case but a new or an older one, opens without it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from workbench.model import RETIRED_KINDS, Status

if TYPE_CHECKING:
    import sqlite_utils

#: The name the steps are recorded under in `_sqlite_migrations`.
MIGRATION_SET = "workbench"
#: sqlite-utils' record of the steps applied (its `Migrations.migrations_table`).
TABLE = "_sqlite_migrations"


def m001_initial(db: sqlite_utils.Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "content_hash": str,
            "path": str,
            "title": str,
            "source": str,
            "date": str,
            "text": str,
            "encoding": str,
            "imported_at": str,
            "imported_by": str,
        },
        pk="id",
        not_null={"content_hash", "title", "text", "imported_at", "imported_by"},
    )
    db["articles"].create_index(["content_hash"], unique=True)
    db["claims"].create(
        {
            "id": int,
            "article_id": int,
            "start": int,
            "end": int,
            "text": str,
            "score": float,
            "kind": str,
            "is_claim": int,
            "origin": str,
            "status": str,
            "note": str,
            "evidence": str,
            "analyst": str,
            "updated_at": str,
            "numbers": str,
            "dates": str,
            "sources": str,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "start", "end", "text", "score", "kind", "is_claim", "status"},
        defaults={"origin": "finder", "status": Status.UNMARKED.value, "note": "", "evidence": ""},
    )
    db["claims"].create_index(["article_id", "start"])
    db["claims"].create_index(["status"])
    db["links"].create(
        {"claim_a": int, "claim_b": int, "score": float},
        pk=("claim_a", "claim_b"),
        foreign_keys=[("claim_a", "claims", "id"), ("claim_b", "claims", "id")],
    )
    db["links"].create_index(["claim_b"])
    db["history"].create(
        {
            "id": int,
            "claim_id": int,
            "action": str,
            "old_status": str,
            "new_status": str,
            "note": str,
            "evidence": str,
            "analyst": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"claim_id", "action", "analyst", "at"},
    )
    db["history"].create_index(["claim_id"])
    db.executescript(
        """
        CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
        """
    )


def m002_full_fact_kinds(db: sqlite_utils.Database) -> None:
    """Claim kinds became Full Fact's types: events are "other", comparisons quantities."""
    for old, new in RETIRED_KINDS.items():
        db.execute("UPDATE claims SET kind = ? WHERE kind = ?", [new.value, old])


def m003_link_relations(db: sqlite_utils.Database) -> None:
    """Links say whether the two claims agree or conflict, and why."""
    db["links"].add_column("relation", str, not_null_default="corroborates")
    db["links"].add_column("reason", str, not_null_default="")


def m004_undo(db: sqlite_utils.Database) -> None:
    """An undo is a history row that points at the row it takes back."""
    db["history"].add_column("undoes", int)


def m005_grading(db: sqlite_utils.Database) -> None:
    """NATO/Admiralty grades: a reliability letter per source, a credibility digit per claim."""
    db["articles"].add_column("reliability", str, not_null_default="")
    db["articles"].add_column("graded_by", str)
    db["articles"].add_column("graded_at", str)
    db["claims"].add_column("credibility", str, not_null_default="")
    db["history"].add_column("credibility", str)


def m006_assignments(db: sqlite_utils.Database) -> None:
    """Claims can be assigned to an analyst."""
    db["claims"].add_column("assignee", str, not_null_default="")
    db["claims"].create_index(["assignee"])


def m007_link_calls(db: sqlite_utils.Database) -> None:
    """A conflict names each slot the two claims disagree on with both values; an analyst's call
    on a pair (linked, unlinked, conflict, not a conflict) overrides the aligner for good, and
    is in both claims' history."""
    db["links"].add_column("differences", str, not_null_default="")
    db["links"].add_column("call", str, not_null_default="")
    db["links"].add_column("called_by", str)
    db["links"].add_column("called_at", str)
    db["history"].add_column("other_claim", int)
    db["history"].add_column("call", str)


def m008_line_up(db: sqlite_utils.Database) -> None:
    """An article is stored first and lined up with the others after: one killed in between is
    left `aligned = 0`, and the next import (or `workbench open`, or `workbench realign`) lines
    it up. `import_job` names the import that stored it, so that another import leaves the
    articles of one still running to it. Articles already in a case were lined up."""
    db["articles"].add_column("aligned", int, not_null_default=1)
    db["articles"].add_column("import_job", str, not_null_default="")


def m009_provenance(db: sqlite_utils.Database) -> None:
    """Where each article came from: its author and address, when it was retrieved, and the
    SHA-256 and media type of the bytes it was read from (a page, a PDF), which `originals`
    keeps, zlib-compressed, as evidence of what was read: a table of its own, so that listing
    articles never reads them. A PDF's `page_starts` (JSON offsets) tell a claim's page. An
    analyst's corrections of the title, outlet, author, date or address are kept in
    `article_history`, append-only as `history` is."""
    for column in ("author", "url", "retrieved_at", "original_sha256"):
        db["articles"].add_column(column, str)
    db["articles"].add_column("original_type", str, not_null_default="")
    db["articles"].add_column("page_starts", str, not_null_default="")
    db["originals"].create(
        {"article_id": int, "compression": str, "size": int, "data": bytes},
        pk="article_id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"compression", "size", "data"},
    )
    db["article_history"].create(
        {"id": int, "article_id": int, "field": str, "old_value": str, "new_value": str, "analyst": str, "at": str},
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "field", "analyst", "at"},
    )
    db["article_history"].create_index(["article_id"])
    db.executescript(
        """
        CREATE TRIGGER article_history_is_append_only_update BEFORE UPDATE ON article_history
        BEGIN SELECT RAISE(ABORT, 'article history is append-only'); END;
        CREATE TRIGGER article_history_is_append_only_delete BEFORE DELETE ON article_history
        BEGIN SELECT RAISE(ABORT, 'article history is append-only'); END;
        """
    )


def m010_evidence(db: sqlite_utils.Database) -> None:
    """Evidence items, several per claim, each saying whether it supports or refutes the claim.

    An item is never deleted or edited: a withdrawn one keeps its row and is stamped with who
    withdrew it and when (the triggers allow that one change, once). A row that says where it
    stands reads in one query, where withdrawal rows would need a join on every read; what
    happened, in order, is in the claim's history, which names the item (`evidence_item`).
    The claim's free-text `evidence` stays as it was: the note dialog still writes it, and an
    older case document brings it in, so exports show it as an item of its own (kind other)."""
    db["evidence"].create(
        {
            "id": int,
            "claim_id": int,
            "kind": str,
            "stance": str,
            "value": str,
            "note": str,
            "analyst": str,
            "added_at": str,
            "withdrawn_by": str,
            "withdrawn_at": str,
        },
        pk="id",
        foreign_keys=[("claim_id", "claims", "id")],
        not_null={"claim_id", "kind", "stance", "value", "note", "analyst", "added_at"},
        defaults={"note": ""},
    )
    db["evidence"].create_index(["claim_id"])
    db["history"].add_column("evidence_item", int)
    db.executescript(
        """
        CREATE TRIGGER evidence_is_never_deleted BEFORE DELETE ON evidence
        BEGIN SELECT RAISE(ABORT, 'evidence is never deleted; withdraw it'); END;
        CREATE TRIGGER evidence_is_only_withdrawn BEFORE UPDATE ON evidence
        WHEN OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL OR NEW.withdrawn_by IS NULL
          OR NEW.id IS NOT OLD.id OR NEW.claim_id IS NOT OLD.claim_id OR NEW.kind IS NOT OLD.kind
          OR NEW.stance IS NOT OLD.stance OR NEW.value IS NOT OLD.value OR NEW.note IS NOT OLD.note
          OR NEW.analyst IS NOT OLD.analyst OR NEW.added_at IS NOT OLD.added_at
        BEGIN SELECT RAISE(ABORT, 'an evidence item is only ever withdrawn, once'); END;
        """
    )


def m011_vectors(db: sqlite_utils.Database) -> None:
    """Each claim and sentence's vectors by meaning, kept with the case (`vectors.pack`: int8
    with a scale): `static` made at import for every sentence, `dense` (the costly encoder's)
    for claims, by the refinement that runs after it, and `parts` its vectors of a long
    claim's clauses, one after the other (`align.meaning_parts`). `refined` says whether an article's links
    were decided (slots, conflicts, the full matcher) or are still the import's quick ones;
    articles already in a case were decided. `lined_up_in` numbers the line-ups, so that the
    links are decided one line-up after the other, as if each import had been decided before
    the next began (the same links, however far behind the refinement is). A link's `decided`
    is 0 while it is an import's quick one: the refinement takes those of the articles it
    decides away before writing its own (an analyst's call keeps a link)."""
    db["vectors"].create(
        {"claim_id": int, "static": bytes, "dense": bytes, "parts": bytes},
        pk="claim_id",
        foreign_keys=[("claim_id", "claims", "id")],
    )
    db["articles"].add_column("refined", int, not_null_default=1)
    db["articles"].add_column("lined_up_in", int, not_null_default=0)
    db["links"].add_column("decided", int, not_null_default=1)


#: Every step, in the order they apply.
STEPS = (m001_initial, m002_full_fact_kinds, m003_link_relations, m004_undo, m005_grading, m006_assignments,
         m007_link_calls, m008_line_up, m009_provenance, m010_evidence, m011_vectors)
NAMES = tuple(step.__name__ for step in STEPS)


def applied(conn: sqlite3.Connection) -> list[str]:
    """The steps a case has had, in the order they were applied (none for a new file)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]).fetchone():
        return []
    return [name for (name,) in conn.execute(
        f"SELECT name FROM {TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET])]


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the steps the case has not had yet."""
    import sqlite_utils

    migrations = sqlite_utils.Migrations(MIGRATION_SET)
    for step in STEPS:
        migrations()(step)
    migrations.apply(sqlite_utils.Database(conn))
