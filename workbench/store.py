"""The case database: articles, claims, links and the append-only history of marks.

SQLite (its schema built by sqlite-utils migrations, `schema`), in WAL mode with
`synchronous=FULL`, so a mark that has returned is on disk and survives a crash or power loss. Every change is one short `BEGIN IMMEDIATE`
transaction that updates the claim and appends to `history` together; triggers refuse any edit
or deletion of history rows, so nothing an analyst did is ever lost.
"""

from __future__ import annotations

import fcntl
import functools
import gc
import inspect
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from workbench import files, schema
from workbench.model import (
    ARTICLE_FIELDS,
    MARKS,
    Article,
    ArticleDraft,
    Claim,
    EVIDENCE_KINDS,
    EvidenceItem,
    FoundClaim,
    HistoryEntry,
    KINDS,
    CREDIBILITY,
    RELIABILITY,
    Link,
    UNRELATED,
    CALLS,
    Progress,
    STANCES,
    Status,
)

if TYPE_CHECKING:
    import sqlite_utils

def unwritable(path: Path) -> str | None:
    """Why a case file cannot be written, in the analyst's terms, if the file system can tell:
    SQLite only says "disk I/O error" or "unable to open database file"."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        stats = os.statvfs(folder)
    except OSError:
        return None
    if stats.f_flag & os.ST_RDONLY:
        return "it is on a read-only file system"
    if stats.f_bavail * stats.f_frsize < _FULL_BELOW:
        return "the disk holding it is full"
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(folder, os.W_OK):
        return "no permission to write it or its folder"
    return None


#: Less free space than this, and a failed write is put down to a full disk.
_FULL_BELOW = 256 * 1024


class StoreError(Exception):
    """A problem with the case database, worded for the analyst."""


class NotFound(StoreError):
    pass


class AlreadyStored(StoreError):
    """The article's text is already in the case (as `article_id`)."""

    def __init__(self, article_id: int) -> None:
        super().__init__(f"already in the case as A{article_id}")
        self.article_id = article_id


class DamagedCase(Exception):
    """The case file is damaged: SQLite found a page it cannot read, or a row holds what no
    workbench writes. Deliberately not a `StoreError`: a StoreError refuses one change, and
    its callers say so and carry on (the TUI shows "Not saved" and stays open), whereas
    nothing more may be read from or written to a damaged case, so this one goes up to the
    edge (the command, the app), which says it in one line and stops."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: the case file is damaged ({detail}); nothing was written. Restore it from a "
                         f"backup (a .bak beside it, or your own copy), then run 'workbench check --db {path}'")
        self.path = path
        self.detail = detail


def is_damage(error: BaseException) -> bool:
    """SQLite's word for a file it cannot read as a database (SQLITE_CORRUPT, SQLITE_NOTADB), or
    Python's for stored text that is not the UTF-8 SQLite was given, as against a busy, full or
    read-only file (an `OperationalError`), which is no damage."""
    if not isinstance(error, sqlite3.DatabaseError):
        return False
    name = getattr(error, "sqlite_errorname", "") or ""
    return (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or type(error) is sqlite3.DatabaseError
            or (isinstance(error, sqlite3.OperationalError) and str(error).startswith(_NOT_UTF8)))


#: How Python's sqlite3 module reports a text value it cannot decode (an `OperationalError`).
_NOT_UTF8 = "Could not decode to UTF-8"


def _not_a_database(error: sqlite3.Error) -> bool:
    """SQLite's answer to a file without its header: a file named by mistake, or a case whose
    first page is damaged; which of the two, only the analyst knows (`_IF_YOURS`)."""
    return getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB"


_IF_YOURS = "; if it is a case, it is damaged: restore it from a backup"

SCHEMA_VERSION = len(schema.STEPS)


@contextmanager
def _setup_lock(path: Path) -> Iterator[None]:
    """An exclusive lock beside the case file while it is created or migrated. SQLite's own
    locks answer "database is locked" at once to a second connection upgrading a read to a
    write, which is just what two workbenches creating one case do.

    The lock file is removed when the setup is done, under the lock. A workbench that was
    waiting on it then holds a lock on a file no longer there, which locks nothing: so a lock
    counts only if the file at the path is still the one locked; else it is taken again."""
    lock_path = path.with_name(path.name + ".setup-lock")
    while True:
        with open(lock_path, "a") as handle:  # closing it unlocks
            fcntl.flock(handle, fcntl.LOCK_EX)
            if _is_at(lock_path, handle.fileno()):
                try:
                    yield
                finally:
                    lock_path.unlink(missing_ok=True)  # before unlocking: no one may lock it after this
                return
        # removed (or replaced) by the workbench that held it while this one waited: lock anew


def _is_at(path: Path, descriptor: int) -> bool:
    """Whether the open file is still the one at `path`."""
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def problems(path: str | Path, *, limit: int = 20) -> list[str]:
    """What is wrong with the case at `path`, at most `limit` lines; none when it is sound.

    SQLite's full integrity check (every page, every index against its table), every row read
    as the workbench reads it, then the foreign keys and the workbench's own rules: its schema,
    and the values only it writes: 0.6 to 0.9 s for a case of a thousand articles (24 MB). Opened read-only:
    a check never writes, whatever it finds."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such case file")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as error:
        raise StoreError(f"{path}: cannot open ({error})") from None
    conn.text_factory = _readable  # SQLite's report quotes damaged names and values as they are
    try:
        found = [line for (line,) in conn.execute(f"PRAGMA integrity_check({int(limit)})") if line != "ok"]
        conn.text_factory = str
        if not found:
            found = _unreadable(conn) or _rule_breaks(conn)
    except StoreError as error:  # no damage: a file the workbench does not check
        raise StoreError(f"{path}: {error}") from None
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            reason = unwritable(path)  # WAL mode: even a reader writes its index beside the file
            raise StoreError(f"{path}: cannot check: {reason} ({error})" if reason
                             else f"{path}: cannot check ({error})") from None
        found = [str(error)]
    except UnicodeDecodeError:  # SQLite's own report, quoting a damaged name
        found = ["its schema holds a name that is not UTF-8 text"]
    finally:
        conn.close()
    return found[:limit]


def _unreadable(conn: sqlite3.Connection) -> list[str]:
    """Every row of every table read as the workbench reads it: a damaged byte in a text value
    passes SQLite's checks and fails only here (a quarter of a second for a thousand articles)."""
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        try:
            for _ in conn.execute(f'SELECT * FROM "{table}"'):
                pass
        except (UnicodeDecodeError, sqlite3.OperationalError) as error:
            if isinstance(error, sqlite3.OperationalError) and not is_damage(error):
                raise
            return [f"{table}: stored text that is not UTF-8"]
    return []


def _readable(value: bytes) -> str:
    return value.decode("utf-8", "replace")


def _rule_breaks(conn: sqlite3.Connection) -> list[str]:
    """The foreign keys, then what the workbench alone writes (each a cheap query on an index
    or a small table): a schema it knows, and claims whose status, kind and place it can read."""
    found = [f"{table} row {rowid}: its {parent} row is missing"
             for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
    tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    applied = set(schema.applied(conn))
    if not applied:
        raise StoreError("an SQLite database, but not a workbench case")
    if newer := applied - set(schema.NAMES):
        raise StoreError(f"made by a newer workbench (schema has {sorted(newer)}); upgrade workbench to check it")
    if missing := {"articles", "claims", "links", "history"} - tables:
        return [*found, f"tables missing: {', '.join(sorted(missing))}"]
    for (status,) in conn.execute("SELECT DISTINCT status FROM claims"):
        if status not in _STATUSES:
            found.append(f"claims: a status no workbench writes: {status!r}")
    for (kind,) in conn.execute("SELECT DISTINCT kind FROM claims"):
        if kind not in KINDS and kind not in schema.RETIRED_KINDS:
            found.append(f"claims: a kind no workbench writes: {kind!r}")
    if "evidence" in tables:
        for column, known in (("kind", EVIDENCE_KINDS), ("stance", STANCES)):
            for (value,) in conn.execute(f"SELECT DISTINCT {column} FROM evidence"):
                if value not in known:
                    found.append(f"evidence: a {column} no workbench writes: {value!r}")
    misplaced = conn.execute(
        'SELECT count(*) FROM claims JOIN articles ON articles.id = claims.article_id'
        ' WHERE claims.start < 0 OR claims."end" < claims.start OR claims."end" > length(articles.text)'
    ).fetchone()[0]
    if misplaced:
        found.append(f"claims: {misplaced} point outside their article's text")
    return found


@contextmanager
def bulk() -> Iterator[None]:
    """Make many objects at once without the garbage collector walking them as they are made.

    Each few hundred allocations start a collection, and a large case's claims and links are
    hundreds of thousands of objects: a claim sheet of 34,000 claims spent 0.7 of its 2.5 s
    in collections that found nothing (none of these objects form cycles). The collector is
    switched off for the block (or the function, as a decorator) and back as it was when the
    last block still running ends: the TUI runs such reads in several threads at once."""
    global _bulk_depth, _collector_was_on
    with _bulk_lock:
        if _bulk_depth == 0:
            _collector_was_on = gc.isenabled()
            gc.disable()
        _bulk_depth += 1
    try:
        yield
    finally:
        with _bulk_lock:
            _bulk_depth -= 1
            if _bulk_depth == 0 and _collector_was_on:
                gc.enable()


_bulk_lock = threading.Lock()
_bulk_depth = 0  # `bulk` blocks running, in any thread
_collector_was_on = True  # before the first of them began


def now() -> str:
    """UTC, to the millisecond, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _said_as_damage(method: _Method) -> _Method:
    """`method`, with SQLite's report of a damaged page turned into `DamagedCase`: a damaged
    page is found only when a query reads it, which any query may do, a generator's included
    (its queries run as it is iterated, so that is where it is guarded) and a context
    manager's (its queries run as the block is entered and left)."""
    if inspect.isgeneratorfunction(method):

        @functools.wraps(method)
        def guarded_each(self: Store, *args: Any, **kwargs: Any) -> Iterator[Any]:
            with _damage_said(self.path):
                yield from method(self, *args, **kwargs)

        return guarded_each  # type: ignore[return-value]

    if inspect.isgeneratorfunction(getattr(method, "__wrapped__", None)):  # a @contextmanager method

        @functools.wraps(method)
        @contextmanager
        def guarded_block(self: Store, *args: Any, **kwargs: Any) -> Iterator[Any]:
            # its own leaving (a COMMIT, say) meets the damage that ended the block once more
            with _damage_said(self.path), method(self, *args, **kwargs) as value:
                yield value

        return guarded_block  # type: ignore[return-value]

    @functools.wraps(method)
    def guarded(self: Store, *args: Any, **kwargs: Any) -> Any:
        with _damage_said(self.path):
            return method(self, *args, **kwargs)

    return guarded  # type: ignore[return-value]


@contextmanager
def _damage_said(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.DatabaseError as error:
        if not is_damage(error):
            raise
        raise DamagedCase(path, str(error)) from None
    except _Unreadable as error:
        raise DamagedCase(path, str(error)) from None
    except UnicodeDecodeError:  # a name or value read by Python's sqlite3 itself
        raise DamagedCase(path, "stored text that is not UTF-8") from None


def _every_query_said_as_damage(cls: type[Store]) -> type[Store]:
    """Guard every public method of the store (`_said_as_damage`), those added later included."""
    for name, value in list(vars(cls).items()):
        if not name.startswith("_") and callable(value) and name not in _UNGUARDED:
            setattr(cls, name, _said_as_damage(value))
    return cls


#: Methods that run no query on the case, or say damage themselves.
_UNGUARDED = frozenset({"close", "read_only", "refuse_if_damaged"})


class _Unreadable(Exception):
    """A row holding a value no workbench writes: a damaged page SQLite could still read."""


@_every_query_said_as_damage
class Store:
    """One open case database. Cheap to create; close it when done."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        #: Where the case was copied before this open migrated it to a newer schema, if it did.
        self.backup: Path | None = None
        self.conn: sqlite3.Connection | None = None  # type: ignore[assignment]
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=10.0, check_same_thread=False)
            self._db: Any = None
            self._refuse_foreign()  # before anything writes: a refused file stays as it was
            if self._needs_setup():
                with _setup_lock(self.path):  # two workbenches creating one case take turns
                    self._refuse_foreign()
                    if self._applied():
                        self.refuse_if_damaged()  # a migration writes: not into a damaged file
                    self._back_up_before_migrating()
                    self._configure()
                    schema.migrate(self.conn)
            else:
                self._configure()
        except BaseException as error:
            if self.conn is not None:
                self.conn.close()
            if isinstance(error, UnicodeDecodeError):  # SQLite's own report quoting a damaged name
                raise DamagedCase(self.path, "stored text that is not UTF-8") from None
            if isinstance(error, sqlite3.DatabaseError):
                if is_damage(error) and not _not_a_database(error):
                    raise DamagedCase(self.path, str(error)) from None
                reason = unwritable(self.path)
                if reason:
                    raise StoreError(f"{self.path}: cannot open: {reason} ({error})") from None
                raise StoreError(f"{self.path}: cannot open as a workbench database ({error}){_IF_YOURS}") from None
            if isinstance(error, OSError):
                raise StoreError(f"{self.path}: {error.strerror or error}") from None
            raise

    @classmethod
    def read_only(cls, path: str | Path) -> Store:
        """Open someone else's case to read it (to merge it): never migrated, never written."""
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"{path}: no such case file")
        store = cls.__new__(cls)
        store.path, store.backup = path, None
        try:
            store.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10.0)
            store._db = None
            store._refuse_foreign()
            if not store._applied():
                raise StoreError(f"{path}: not a workbench case")
            if store._pending():
                raise StoreError(f"{path}: made by an older workbench; open it once with this one to upgrade it")
        except sqlite3.DatabaseError as error:
            store.conn.close()
            if is_damage(error) and not _not_a_database(error):
                raise DamagedCase(path, str(error)) from None
            raise StoreError(f"{path}: cannot open as a workbench database ({error}){_IF_YOURS}") from None
        except UnicodeDecodeError:
            store.conn.close()
            raise DamagedCase(path, "stored text that is not UTF-8") from None
        except StoreError:
            store.conn.close()
            raise
        return store

    def refuse_if_damaged(self, *, thorough: bool = False) -> None:
        """Raise `DamagedCase` if SQLite finds the file damaged, before anything writes to it.

        The quick check reads every page (about 4 ms a megabyte from the page cache: 0.1 s for
        a case of a thousand articles) and finds what breaks the file's structure. An index
        out of step with its table it leaves to the change that meets it, which SQLite then
        refuses whole: enough before one transaction (a mark, a link). A command of several
        transactions (an import, a merge) would have committed the first before the damage
        stops it, so it asks to be `thorough`: the full integrity check, every row read as
        Python reads it (text that is not UTF-8 passes SQLite's checks) and the workbench's own
        rules (`problems`): 0.7 to 0.8 s for a thousand articles, against the 2.5 s or more such a command
        takes."""
        pragma = "integrity_check(5)" if thorough else "quick_check(5)"
        try:
            found = [line for (line,) in self.conn.execute(f"PRAGMA {pragma}")]
            if thorough and found == ["ok"]:
                found = _unreadable(self.conn) or _rule_breaks(self.conn) or found  # (a case: opened)
        except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
            if isinstance(error, sqlite3.DatabaseError) and not is_damage(error):
                raise
            found = [str(error) if isinstance(error, sqlite3.DatabaseError) else "stored text that is not UTF-8"]
        if found != ["ok"]:
            raise DamagedCase(self.path, "; ".join(found))

    @property
    def db(self) -> sqlite_utils.Database:
        """The case as a sqlite-utils `Database`, on the store's own connection, for what wants
        its API (a test, an interactive session); made, and sqlite-utils loaded, on first use."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def _configure(self) -> None:
        conn = self.conn
        conn.execute("PRAGMA busy_timeout = 10000")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it on a connection it wraps
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = wal")
        conn.execute("PRAGMA synchronous = FULL")

    def _needs_setup(self) -> bool:
        """A new file, a file not yet in WAL mode, or one with migrations still to apply."""
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            return True
        return bool(self._pending())  # a new file has every step pending

    def _applied(self) -> set[str]:
        """Migrations this file has had (none for a new or foreign file)."""
        return set(schema.applied(self.conn))

    def _pending(self) -> list[str]:
        """This workbench's migrations the file has not had yet, in order."""
        applied = self._applied()
        return [name for name in schema.NAMES if name not in applied]

    def _back_up_before_migrating(self) -> None:
        """A case made by an older workbench is copied whole (SQLite's online backup, so a
        concurrent reader's WAL is included) before the first migration touches it: if a
        migration goes wrong, or the analyst goes back to the older version, nothing is lost."""
        pending = self._pending()
        if not self._applied() or not pending:
            return  # a new case (nothing to keep), or one that is up to date
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.before-{pending[0]}-{stamp}.bak")
        try:
            # whole or not at all: a backup cut short by a full disk is no backup, and must
            # not sit beside the case looking like one
            with files.replacing(target) as temporary:
                copy = sqlite3.connect(str(temporary))
                try:
                    self.conn.backup(copy)
                finally:
                    copy.close()
        except (sqlite3.Error, OSError) as error:
            reason = unwritable(self.path) or getattr(error, "strerror", None) or str(error)
            raise StoreError(f"{self.path}: not upgraded, so left as it was: its backup could not be "
                             f"written ({reason})") from None
        self.backup = target

    def _refuse_foreign(self) -> None:
        """Refuse a database this workbench must not touch: not a case, or from a newer one."""
        tables = {name for (name,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        applied = self._applied()
        newer = applied - set(schema.NAMES)
        if newer:
            raise StoreError(
                f"{self.path}: made by a newer workbench (schema has {sorted(newer)}); upgrade workbench to open it"
            )
        if not applied and tables - {schema.TABLE}:
            raise StoreError(f"{self.path}: an SQLite database, but not a workbench case")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction; the write lock is taken up front so that two
        workbenches on one file queue instead of failing half way."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except BaseException as error:
            if conn.in_transaction:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            if not isinstance(error, sqlite3.OperationalError) or is_damage(error):
                raise
            # a full disk, a read-only file, a lock held too long: said in the analyst's terms
            reason = unwritable(self.path)
            raise StoreError(f"{self.path}: {reason} ({error})" if reason else f"{self.path}: {error}") from None

    @property
    def schema_version(self) -> int:
        return len(schema.applied(self.conn))

    # -- articles ---------------------------------------------------------------------------

    def article_by_hash(self, content_hash: str) -> Article | None:
        row = self._one("SELECT * FROM articles WHERE content_hash = ?", [content_hash])
        return _article(row) if row else None

    def article(self, article_id: int) -> Article:
        row = self._one("SELECT * FROM articles WHERE id = ?", [article_id])
        if not row:
            raise NotFound(f"no article A{article_id}")
        return _article(row)

    def articles(self) -> list[Article]:
        return [_article(r) for r in self._query("SELECT * FROM articles ORDER BY id")]

    def article_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    def add_article(
        self, draft: ArticleDraft, found: Sequence[FoundClaim], analyst: str
    ) -> tuple[Article, list[Claim]]:
        """Store an article and every sentence the finder looked at, in one transaction.

        Raises `AlreadyStored` if the same text is in the case, including when another
        workbench stored it a moment ago (two analysts opening a new case at once)."""
        added = self.add_articles([(draft, found)], analyst)[0]
        if isinstance(added, AlreadyStored):
            raise added
        return added, self.claims(article_id=added.id, include_sentences=True)

    def add_articles(
        self, items: Sequence[tuple[ArticleDraft, Sequence[FoundClaim]]], analyst: str, *, job: str = "",
        vectors: Sequence[Sequence[bytes]] | None = None,
    ) -> list[Article | AlreadyStored]:
        """Store several articles with their sentences in one transaction: an import of a
        thousand articles waits for one disk flush a batch rather than one an article. An
        article whose text is in the case already is left out, and its place in the result
        holds the `AlreadyStored` that names the stored one. `vectors` holds each article's
        sentences' static vectors (`vectors.pack`), in the order of its found sentences.

        They are stored not yet lined up with the other articles, as the work of the import
        `job`; `line_up` does that (see `ingest.line_up`)."""
        at = now()
        results: list[Article | AlreadyStored] = []
        with self._write() as conn:
            for index, (draft, found) in enumerate(items):
                existing = conn.execute("SELECT id FROM articles WHERE content_hash = ?",
                                        [draft.content_hash]).fetchone()
                if existing:
                    results.append(AlreadyStored(existing[0]))
                    continue
                cursor = conn.execute(
                    "INSERT INTO articles (content_hash, path, title, source, date, text, encoding,"
                    " imported_at, imported_by, aligned, refined, import_job, author, url, retrieved_at,"
                    " original_sha256, original_type, page_starts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?,"
                    " ?, ?, ?)",
                    [draft.content_hash, draft.path, draft.title, draft.source, draft.date,
                     draft.text, draft.encoding, at, analyst, job, draft.author, draft.url, draft.retrieved_at,
                     draft.original_sha256, draft.original_type if draft.original is not None else "",
                     _page_starts_text(draft.page_starts)],
                )
                article_id = cursor.lastrowid
                assert article_id is not None
                if draft.original is not None:
                    _keep_original(conn, article_id, draft.original)
                conn.executemany(
                    "INSERT INTO claims (article_id, start, \"end\", text, score, kind, is_claim,"
                    " origin, status, numbers, dates, sources) VALUES (?, ?, ?, ?, ?, ?, ?, 'finder',"
                    " 'unmarked', ?, ?, ?)",
                    # rows made as they are written: a long article's, listed, were 100,000 tuples
                    ((article_id, f.start, f.end, f.text, f.score, f.kind.value, int(f.is_claim),
                      _json_list(f.numbers), _json_list(f.dates), _json_list(f.sources))
                     for f in found),
                )
                if vectors is not None and vectors[index]:
                    # the sentences just stored took the ids after the last one, in order: this
                    # transaction holds the write lock
                    last = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
                    first = last - len(found) + 1
                    conn.executemany("INSERT INTO vectors (claim_id, static) VALUES (?, ?)",
                                     zip(range(first, last + 1), vectors[index]))
                results.append(Article(article_id, draft.text, draft.title, draft.content_hash, draft.path,
                                       draft.date, draft.source, draft.encoding or "utf-8", at, analyst,
                                       author=draft.author, url=draft.url, retrieved_at=draft.retrieved_at,
                                       original_sha256=draft.original_sha256,
                                       original_type=draft.original_type if draft.original is not None else "",
                                       page_starts=tuple(draft.page_starts)))
        return results

    # -- claims -----------------------------------------------------------------------------

    def claim(self, claim_id: int) -> Claim:
        row = self.conn.execute(f"SELECT {_CLAIM_COLUMNS} FROM claims WHERE id = ?", [claim_id]).fetchone()
        if not row:
            raise NotFound(f"no claim #{claim_id}")
        return _claims([row])[0]

    def claims(
        self,
        *,
        status: Status | str | None = None,
        article_id: int | None = None,
        include_sentences: bool = False,
        assignee: str | None = None,
    ) -> list[Claim]:
        """Claims in reading order (article, then position). Sentences that are not claims
        only with `include_sentences`."""
        where, params = [], []
        if not include_sentences:
            where.append("is_claim = 1")
        if status is not None:
            where.append("status = ?")
            params.append(Status(status).value)
        if article_id is not None:
            where.append("article_id = ?")
            params.append(article_id)
        if assignee is not None:
            where.append("assignee = ?")
            params.append(assignee)
        sql = f"SELECT {_CLAIM_COLUMNS} FROM claims"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY article_id, start"
        with bulk():
            return _claims(self.conn.execute(sql, params).fetchall())

    def mark(self, claim_id: int, status: Status | str, analyst: str, note: str | None = None) -> Claim:
        """Set a claim's status (and optionally its note), recording who and when."""
        status = Status(status)
        if status not in MARKS:
            raise StoreError(f"cannot mark a claim {status.value}; use one of "
                             + ", ".join(m.value for m in MARKS))
        return self._change(claim_id, analyst, "mark", status=status, note=note, is_claim=True)

    def annotate(self, claim_id: int, analyst: str, note: str, evidence: str | None = None) -> Claim:
        """Set the note and evidence on a claim without changing its status."""
        return self._change(claim_id, analyst, "note", note=note, evidence=evidence)

    def promote(self, claim_id: int, analyst: str) -> Claim:
        """Make a sentence the finder passed over into a claim."""
        return self._change(claim_id, analyst, "promote", is_claim=True)

    def unaligned(self) -> list[tuple[int, str, str]]:
        """The articles stored but not yet lined up with the others: (id, the import that
        stored them, when)."""
        return self.conn.execute(
            "SELECT id, import_job, imported_at FROM articles WHERE aligned = 0 ORDER BY id").fetchall()

    def aligned_count(self) -> int:
        """How many articles are lined up: it only grows, so a line-up that read the case at
        one count and finds another when it writes knows another line-up came in between."""
        return self.conn.execute("SELECT count(*) FROM articles WHERE aligned = 1").fetchone()[0]

    def line_up(self, article_ids: Iterable[int], links: Iterable[Link], aligned: int | None = None) -> int | None:
        """Record the line-up of `article_ids` in one transaction, all of it or none: the quick
        links (a link already there keeps its decision), and the articles marked lined up, by
        this line-up's number (see `refine`). Returns the links written, or None, writing
        nothing, if the case no longer has `aligned` articles lined up (another line-up finished
        since this one read the case: it must read again)."""
        ids = list(article_ids)
        with self._write() as conn:
            if aligned is not None and conn.execute(
                    "SELECT count(*) FROM articles WHERE aligned = 1").fetchone()[0] != aligned:
                return None
            written = _insert_links(conn, links, decided=False)
            number = conn.execute("SELECT coalesce(max(lined_up_in), 0) + 1 FROM articles").fetchone()[0]
            conn.executemany("UPDATE articles SET aligned = 1, lined_up_in = ? WHERE id = ?", [(number, i) for i in ids])
        return written

    def claim_texts(self) -> list[tuple[int, int, str]]:
        """Every claim's id, article and text, in reading order: what the quick line-up reads,
        without making a `Claim` of each (a thousand articles hold 20,000)."""
        return self.conn.execute(
            "SELECT id, article_id, text FROM claims WHERE is_claim = 1 ORDER BY article_id, start").fetchall()

    def unrefined(self) -> list[tuple[int, int]]:
        """The articles lined up with the import's quick links whose links are not decided yet
        (`ingest.refine` does that, in the background), with the line-up that lined each up."""
        return self.conn.execute(
            "SELECT id, lined_up_in FROM articles WHERE aligned = 1 AND refined = 0 ORDER BY id").fetchall()

    def lined_up_by(self, line_up: int) -> set[int]:
        """The articles lined up by the line-up numbered `line_up` or an earlier one (and those
        lined up before line-ups were numbered)."""
        return {i for (i,) in self.conn.execute(
            "SELECT id FROM articles WHERE aligned = 1 AND lined_up_in <= ?", [line_up])}

    def refined_count(self) -> int:
        """How many articles have decided links: it only grows (see `aligned_count`)."""
        return self.conn.execute("SELECT count(*) FROM articles WHERE refined = 1").fetchone()[0]

    def static_vectors(self, claim_ids: Iterable[int]) -> dict[int, bytes]:
        """The static vectors stored at import (`vectors.pack`), by claim id; a claim stored by
        an older workbench has none."""
        return {i: static for i, (static,) in self._vectors("static", claim_ids).items()}

    def dense_vectors(self, claim_ids: Iterable[int]) -> dict[int, tuple[bytes, bytes]]:
        """The costly tier's vectors the refinement stored (`vectors.pack`), by claim id: the
        claim's own, and its clauses' one after the other (b"" for a claim of one clause)."""
        return {i: (dense, parts or b"") for i, (dense, parts) in self._vectors("dense", claim_ids, "parts").items()}

    def _vectors(self, column: str, claim_ids: Iterable[int], *more: str) -> dict[int, tuple[bytes, ...]]:
        """The rows of `claim_ids` that hold `column`, with it and the `more` columns. The whole
        table is read and sifted here: the refinement wants nearly every claim's."""
        wanted = set(claim_ids)
        if not wanted:
            return {}
        rows = self.conn.execute(f"SELECT claim_id, {', '.join((column, *more))} FROM vectors WHERE {column} IS NOT NULL")
        return {i: tuple(found) for i, *found in rows if i in wanted}

    def add_dense_vectors(self, rows: Iterable[tuple[int, bytes, bytes]]) -> None:
        """Keep claims' dense vectors, their own and their clauses' (made once: the encoder
        takes a millisecond a sentence)."""
        with self._write() as conn:
            conn.executemany("INSERT INTO vectors (claim_id, dense, parts) VALUES (?, ?, ?) "
                             "ON CONFLICT (claim_id) DO UPDATE SET dense = excluded.dense, parts = excluded.parts",
                             list(rows))

    def refine(self, article_ids: Iterable[int], promote: Iterable[int], links: Iterable[Link],
               refined: int | None = None) -> int | None:
        """Record the decided links of `article_ids` in one transaction, as `line_up` records
        the quick ones (promotions, links, each pair's decision taking the place of its quick
        one), and mark the articles refined. Returns the links written, or None, writing
        nothing, if the case no longer has `refined` articles refined (another refinement
        finished since this one read the case)."""
        ids, promote = list(article_ids), list(promote)
        with self._write() as conn:
            if refined is not None and conn.execute(
                    "SELECT count(*) FROM articles WHERE refined = 1").fetchone()[0] != refined:
                return None
            # the quick links of these articles go: the decided ones take their place (a quick
            # link the refinement does not make again would stay, undecided, for good)
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS refining (claim_id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM refining")
            conn.executemany("INSERT OR IGNORE INTO refining SELECT id FROM claims WHERE article_id = ?",
                             [(i,) for i in ids])
            conn.execute("DELETE FROM links WHERE decided = 0 AND call = '' AND (claim_a IN refining"
                         " OR claim_b IN refining)")
            conn.execute("DELETE FROM refining")
            # the sentences others corroborate made claims (the finder's second look: no analyst's
            # change, no history row); one an analyst dismissed meanwhile stays a sentence, and
            # its links are dropped
            conn.executemany("UPDATE claims SET is_claim = 1, origin = 'corroboration' WHERE id = ? AND is_claim = 0"
                             " AND origin = 'finder'", [(i,) for i in promote])
            still_sentences = {i for i in promote
                               if conn.execute("SELECT 1 FROM claims WHERE id = ? AND is_claim = 0", [i]).fetchone()}
            written = _insert_links(conn, (l for l in links
                                           if l.claim_a not in still_sentences and l.claim_b not in still_sentences))
            conn.executemany("UPDATE articles SET refined = 1 WHERE id = ?", [(i,) for i in ids])
        return written

    def grade_claim(self, claim_id: int, credibility: str, analyst: str) -> Claim:
        """Set a claim's credibility digit (1-6, or "" to clear); recorded in its history."""
        if credibility not in CREDIBILITY and credibility != "":
            raise StoreError(f"credibility must be one of 1-6, not {credibility!r}")
        at = now()
        with self._write() as conn:
            row = conn.execute("SELECT status FROM claims WHERE id = ?", [claim_id]).fetchone()
            if row is None:
                raise NotFound(f"no claim #{claim_id}")
            conn.execute("UPDATE claims SET credibility = ?, analyst = ?, updated_at = ? WHERE id = ?",
                         [credibility, analyst, at, claim_id])
            conn.execute(
                "INSERT INTO history (claim_id, action, old_status, new_status, analyst, at, credibility)"
                " VALUES (?, 'grade', ?, ?, ?, ?, ?)", [claim_id, row[0], row[0], analyst, at, credibility],
            )
            return self.claim(claim_id)

    def assign(self, claim_ids: Iterable[int], assignee: str, analyst: str) -> list[Claim]:
        """Assign claims to an analyst ("" to unassign); each assignment is in the claim's history."""
        ids = list(claim_ids)
        at = now()
        with self._write() as conn:
            for claim_id in ids:
                row = conn.execute("SELECT status FROM claims WHERE id = ?", [claim_id]).fetchone()
                if row is None:
                    raise NotFound(f"no claim #{claim_id}")
                conn.execute("UPDATE claims SET assignee = ? WHERE id = ?", [assignee, claim_id])
                conn.execute(
                    "INSERT INTO history (claim_id, action, old_status, new_status, note, analyst, at)"
                    " VALUES (?, 'assign', ?, ?, ?, ?, ?)", [claim_id, row[0], row[0], assignee, analyst, at],
                )
            return [self.claim(i) for i in ids]  # read before the commit, as `_change` does

    def progress_by(self) -> dict[str, dict[str, Progress]]:
        """Progress per article (by label, in article order: A2 before A10) and per assignee
        ("" for unassigned)."""
        out: dict[str, dict[str, Progress]] = {"article": {}, "assignee": {}}
        for key, column, order in (("article", "'A' || article_id", "article_id"), ("assignee", "assignee", "1")):
            counts: dict[str, dict[Status, int]] = {}
            for group, status, n in self.conn.execute(
                f"SELECT {column}, status, count(*) FROM claims WHERE is_claim = 1 GROUP BY 1, 2 ORDER BY {order}"
            ):
                if status not in _STATUSES:
                    raise _Unreadable(f"a claim has the status {status!r}")
                counts.setdefault(group, {})[_STATUSES[status]] = n
            out[key] = {group: Progress(sum(c.values()), c) for group, c in counts.items()}
        return out

    def marks_by_analyst(self) -> dict[str, int]:
        """How many marks each analyst has made (every history row, undos included)."""
        return dict(self.conn.execute(
            "SELECT analyst, count(*) FROM history WHERE action IN ('mark', 'undo') GROUP BY analyst ORDER BY 2 DESC"
        ).fetchall())

    def grade_source(self, article_id: int, reliability: str, analyst: str) -> Article:
        """Set the reliability letter (A-F, or "" to clear) of an article's source."""
        if reliability not in RELIABILITY and reliability != "":
            raise StoreError(f"reliability must be one of A-F, not {reliability!r}")
        self.article(article_id)
        with self._write() as conn:
            conn.execute("UPDATE articles SET reliability = ?, graded_by = ?, graded_at = ? WHERE id = ?",
                         [reliability, analyst, now(), article_id])
            return self.article(article_id)

    def correct_article(self, article_id: int, field: str, value: str | None, analyst: str) -> Article:
        """Correct one of an article's details (`ARTICLE_FIELDS`: a page's title is its site's
        headline, its outlet a guess); the old and new values go in `article_history`, with
        who and when. A title cannot be emptied; other details can ("" clears them)."""
        if field not in ARTICLE_FIELDS:
            raise StoreError(f"an article's {field!r} cannot be corrected; only {', '.join(ARTICLE_FIELDS)}")
        value = " ".join((value or "").split()) or None
        if field == "title" and value is None:
            raise StoreError("an article's title cannot be empty")
        with self._write() as conn:
            row = conn.execute(f"SELECT {field} FROM articles WHERE id = ?", [article_id]).fetchone()
            if row is None:
                raise NotFound(f"no article A{article_id}")
            if row[0] != value:
                conn.execute(f"UPDATE articles SET {field} = ? WHERE id = ?", [value, article_id])
                conn.execute(
                    "INSERT INTO article_history (article_id, field, old_value, new_value, analyst, at)"
                    " VALUES (?, ?, ?, ?, ?, ?)", [article_id, field, row[0], value, analyst, now()])
        return self.article(article_id)

    def article_history(self, article_id: int | None = None) -> list[dict[str, Any]]:
        """Corrections of articles' details, oldest first (of one article, or all)."""
        where, params = ("WHERE article_id = ?", [article_id]) if article_id is not None else ("", [])
        return list(self._query(f"SELECT * FROM article_history {where} ORDER BY id", params))

    def original(self, article_id: int) -> bytes | None:
        """The bytes an article was read from, as read; None when the case does not hold them
        (an article from an older case, or merged from a case document)."""
        row = self.conn.execute("SELECT compression, data FROM originals WHERE article_id = ?", [article_id]).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[1]) if row[0] == "zlib" else bytes(row[1])

    def dismiss(self, claim_id: int, analyst: str) -> Claim:
        """Take a claim off the list; it stays in the database and can be promoted again."""
        return self._change(claim_id, analyst, "dismiss", is_claim=False)

    def _change(
        self,
        claim_id: int,
        analyst: str,
        action: str,
        *,
        status: Status | None = None,
        note: str | None = None,
        evidence: str | None = None,
        is_claim: bool | None = None,
        undoes: int | None = None,
    ) -> Claim:
        at = now()
        with self._write() as conn:
            row = conn.execute(
                "SELECT status, note, evidence, is_claim FROM claims WHERE id = ?", [claim_id]
            ).fetchone()
            if row is None:
                raise NotFound(f"no claim #{claim_id}")
            old_status, old_note, old_evidence, was_claim = row
            if action == "mark" and not was_claim:
                # Marking a sentence the finder passed over makes it a claim: say so in history.
                self._append(conn, claim_id, "promote", old_status, old_status, None, None, analyst, at)
            elif is_claim is not None and bool(was_claim) == is_claim and action == "mark":
                is_claim = None
            new_status = status.value if status else old_status
            new_note = old_note if note is None else note
            new_evidence = old_evidence if evidence is None else evidence
            sets = "status = ?, note = ?, evidence = ?, analyst = ?, updated_at = ?"
            params: list[Any] = [new_status, new_note, new_evidence, analyst, at]
            if is_claim is not None:
                sets += ", is_claim = ?, origin = 'analyst'"
                params.append(int(is_claim))
            conn.execute(f"UPDATE claims SET {sets} WHERE id = ?", [*params, claim_id])
            self._append(conn, claim_id, action, old_status, new_status, note, evidence, analyst, at, undoes)
            return self.claim(claim_id)  # read before the commit: a claim that cannot be read is not changed

    @staticmethod
    def _append(conn: sqlite3.Connection, claim_id: int, action: str, old_status: str | None,
                new_status: str | None, note: str | None, evidence: str | None, analyst: str,
                at: str, undoes: int | None = None) -> None:
        conn.execute(
            "INSERT INTO history (claim_id, action, old_status, new_status, note, evidence,"
            " analyst, at, undoes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [claim_id, action, old_status, new_status, note, evidence, analyst, at, undoes],
        )

    def undo(self, analyst: str) -> tuple[Claim, HistoryEntry] | None:
        """Take back the analyst's own last change that is not yet taken back, by a new history
        row (`undo`, pointing at it); returns the claim and the change undone, or None."""
        undone = {r[0] for r in self.conn.execute("SELECT undoes FROM history WHERE undoes IS NOT NULL")}
        rows = self.conn.execute(
            "SELECT id FROM history WHERE analyst = ? AND action IN ('mark', 'note', 'promote', 'dismiss',"
            " 'evidence', 'withdraw')"
            " ORDER BY id DESC", [analyst],
        ).fetchall()
        target = next((r[0] for r in rows if r[0] not in undone), None)
        if target is None:
            return None
        entry = _history(self._one("SELECT * FROM history WHERE id = ?", [target]))
        if entry.action == "mark":
            claim = self._change(entry.claim_id, analyst, "undo", status=Status(entry.old_status or "unmarked"),
                                 undoes=entry.id)
        elif entry.action in ("evidence", "withdraw"):
            claim = self._undo_evidence(entry, analyst)
        elif entry.action == "note":
            before = [e for e in self.history(entry.claim_id) if e.id < entry.id and e.action in ("note", "undo")
                      and e.note is not None]
            note, evidence = (before[-1].note or "", before[-1].evidence or "") if before else ("", "")
            claim = self._change(entry.claim_id, analyst, "undo", note=note, evidence=evidence, undoes=entry.id)
        else:
            claim = self._change(entry.claim_id, analyst, "undo", is_claim=entry.action == "dismiss",
                                 undoes=entry.id)
        return claim, entry

    # -- evidence ---------------------------------------------------------------------------

    def add_evidence(self, claim_id: int, kind: str, stance: str, value: str, analyst: str,
                     note: str = "") -> EvidenceItem:
        """Add an evidence item to a claim (a URL is kept as given; it is shown inert), and say
        so in the claim's history, which undo (`u`) reads."""
        if kind not in EVIDENCE_KINDS:
            raise StoreError(f"evidence kind must be one of {', '.join(EVIDENCE_KINDS)}, not {kind!r}")
        if stance not in STANCES:
            raise StoreError(f"evidence stance must be one of {', '.join(STANCES)}, not {stance!r}")
        if not value.strip():
            raise StoreError("evidence needs a value: a link, a file, a quote, a name")
        with self._write() as conn:
            return self._add_evidence(conn, claim_id, kind, stance, value, note, analyst, "evidence")

    def _add_evidence(self, conn: sqlite3.Connection, claim_id: int, kind: str, stance: str, value: str,
                      note: str, analyst: str, action: str, undoes: int | None = None) -> EvidenceItem:
        if conn.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchone() is None:
            raise NotFound(f"no claim #{claim_id}")
        at = now()
        cursor = conn.execute(
            "INSERT INTO evidence (claim_id, kind, stance, value, note, analyst, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [claim_id, kind, stance, value, note, analyst, at])
        item = self.evidence_item(cursor.lastrowid)
        conn.execute(
            # no `note`: undoing a note looks for the last history row that set one
            "INSERT INTO history (claim_id, action, note, evidence, analyst, at, undoes, evidence_item)"
            " VALUES (?, ?, NULL, ?, ?, ?, ?, ?)", [claim_id, action, item.summary(), analyst, at, undoes, item.id])
        return item

    def withdraw_evidence(self, item_id: int, analyst: str) -> EvidenceItem:
        """Withdraw an evidence item: it stays in the case, stamped with who withdrew it and when."""
        with self._write() as conn:
            return self._withdraw(conn, item_id, analyst, "withdraw")

    def _withdraw(self, conn: sqlite3.Connection, item_id: int, analyst: str, action: str,
                  undoes: int | None = None) -> EvidenceItem:
        item = self.evidence_item(item_id)
        if item.withdrawn:
            raise StoreError(f"evidence E{item_id} was withdrawn already, by {item.withdrawn_by} at {item.withdrawn_at}")
        at = now()
        conn.execute("UPDATE evidence SET withdrawn_by = ?, withdrawn_at = ? WHERE id = ?", [analyst, at, item_id])
        conn.execute(
            "INSERT INTO history (claim_id, action, evidence, analyst, at, undoes, evidence_item)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", [item.claim_id, action, item.summary(), analyst, at, undoes, item_id])
        return self.evidence_item(item_id)

    def _undo_evidence(self, entry: HistoryEntry, analyst: str) -> Claim:
        """Take back an added item by withdrawing it, a withdrawal by adding the item again (a
        new row: an item, once withdrawn, stays withdrawn, so that nothing is rewritten)."""
        item = self.evidence_item(entry.evidence_item or 0)
        with self._write() as conn:
            if entry.action == "evidence":
                if item.withdrawn:  # someone withdrew it since: the undo only says it was taken back
                    conn.execute("INSERT INTO history (claim_id, action, evidence, analyst, at, undoes, evidence_item)"
                                 " VALUES (?, 'undo', ?, ?, ?, ?, ?)",
                                 [item.claim_id, item.summary(), analyst, now(), entry.id, item.id])
                else:
                    self._withdraw(conn, item.id, analyst, "undo", undoes=entry.id)
            else:
                self._add_evidence(conn, item.claim_id, item.kind, item.stance, item.value, item.note, analyst,
                                   "undo", undoes=entry.id)
            return self.claim(item.claim_id)

    def evidence_item(self, item_id: int) -> EvidenceItem:
        row = self._one("SELECT * FROM evidence WHERE id = ?", [item_id])
        if row is None:
            raise NotFound(f"no evidence item E{item_id}")
        return _evidence(row)

    def evidence(self, claim_id: int | None = None, *, withdrawn: bool = True) -> list[EvidenceItem]:
        """A claim's evidence items (or every claim's), oldest first; the withdrawn ones too
        unless `withdrawn` is False."""
        where, params = [], []
        if claim_id is not None:
            where.append("claim_id = ?")
            params.append(claim_id)
        if not withdrawn:
            where.append("withdrawn_at IS NULL")
        sql = "SELECT * FROM evidence" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        return [_evidence(r) for r in self._query(sql, params)]

    def defer_checkpoints(self) -> None:
        """Leave copying the WAL into the database to `checkpoint`, run off the path of a mark.
        SQLite otherwise does it in the commit that brings the WAL to a thousand pages: about
        every two hundredth mark, held up 45 ms (a 4 MB write and two flushes) on a quiet disk
        and more on a busy one. For the TUI, which has idle time to do it in."""
        self.conn.execute("PRAGMA wal_autocheckpoint = 0")

    def checkpoint(self) -> tuple[int, int]:
        """Copy what the WAL holds into the database, waiting for no reader or writer (a
        PASSIVE checkpoint: what it cannot copy now, the next one will). Returns the pages in
        the WAL and the pages copied so far."""
        _, pages, copied = self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return pages, copied

    def data_version(self) -> int:
        """Changes when another connection commits: cheap to poll for other analysts' work."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def last_change(self) -> int:
        return self.conn.execute("SELECT coalesce(max(id), 0) FROM history").fetchone()[0]

    def changes_since(self, history_id: int) -> list[HistoryEntry]:
        """History rows after `history_id`, oldest first: what others did since we looked."""
        return [_history(r) for r in self._query("SELECT * FROM history WHERE id > ? ORDER BY id", [history_id])]

    def history(self, claim_id: int | None = None) -> list[HistoryEntry]:
        sql = "SELECT * FROM history"
        params: list[Any] = []
        if claim_id is not None:
            sql += " WHERE claim_id = ?"
            params.append(claim_id)
        return [_history(r) for r in self._query(sql + " ORDER BY id", params)]

    def progress(self) -> Progress:
        counts = {s: 0 for s in Status}
        total = 0
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM claims WHERE is_claim = 1 GROUP BY status"
        ):
            if status not in _STATUSES:
                raise _Unreadable(f"a claim has the status {status!r}")
            counts[_STATUSES[status]] = n
            total += n
        return Progress(total, counts)

    # -- links ------------------------------------------------------------------------------

    def add_links(self, links: Iterable[Link]) -> int:
        """Record the aligner's links (each pair once, whichever way round); a pair decided again
        takes the new decision, and an analyst's call on it stands (`call_link`)."""
        links = list(links)
        if not links:
            return 0
        with self._write() as conn:
            return _insert_links(conn, links)

    def links(self, claim_id: int | None = None, *, relation: str | None = None) -> list[Link]:
        """Links of one claim (or all), best first, as the analysts called them where they did
        (`call_link`); only those of one `relation` if given."""
        where, params = [_SHOWN], []
        if claim_id is not None:
            where.append("(claim_a = ? OR claim_b = ?)")
            params += [claim_id, claim_id]
        if relation is not None:
            where.append(f"{_RELATION} = ?")
            params.append(relation)
        sql = (f"SELECT claim_a, claim_b, score, {_RELATION}, reason, differences, call, called_by FROM links "
               f"WHERE {' AND '.join(where)} ORDER BY claim_a, claim_b")
        # best first, equals in pair order: sorted here, which is quicker than SQLite's sorter
        # for the hundred thousand links of a large case
        with bulk():
            links = [Link(a, b, score, rel, reason, _differences(found) if found else (), call, by or "")
                     for a, b, score, rel, reason, found, call, by in self.conn.execute(sql, params)]
        links.sort(key=_score_of, reverse=True)  # stable: equal scores keep their pair order
        return links

    def call_link(self, claim_a: int, claim_b: int, call: str, analyst: str, note: str | None = None) -> Link | None:
        """An analyst's call on two claims: `linked` (they state the same fact), `unlinked` (they
        do not), `conflict` (they disagree), `not_conflict` (they agree after all), or "" (the
        aligner decides again). A later realignment never overrides it; each call goes into both
        claims' history. Returns the link as it now stands (None when unlinked)."""
        if call not in CALLS:
            raise ValueError(f"unknown call {call!r}; choose one of {', '.join(c for c in CALLS if c)}")
        if claim_a == claim_b:
            raise ValueError("a claim is not linked to itself")
        for claim_id in (claim_a, claim_b):
            if not 0 < claim_id < 2**63:
                raise NotFound(f"no claim #{claim_id}")
        a, b = min(claim_a, claim_b), max(claim_a, claim_b)
        at = now()
        with self._write() as conn:
            found = conn.execute("SELECT id, article_id FROM claims WHERE id IN (?, ?)", [a, b]).fetchall()
            if len(found) < 2:
                missing = ({a, b} - {row[0] for row in found}).pop()
                raise NotFound(f"no claim #{missing}")
            if found[0][1] == found[1][1]:
                raise ValueError(f"#{a} and #{b} are in the same article; links join articles")
            conn.execute(
                "INSERT INTO links (claim_a, claim_b, score, relation, reason, call, called_by, called_at) "
                "VALUES (?, ?, 0, ?, '', ?, ?, ?) ON CONFLICT (claim_a, claim_b) DO UPDATE SET call = excluded.call, "
                "called_by = excluded.called_by, called_at = excluded.called_at",
                [a, b, UNRELATED, call, analyst, at],
            )
            for claim_id, other in ((a, b), (b, a)):
                conn.execute(
                    "INSERT INTO history (claim_id, action, note, analyst, at, other_claim, call) "
                    "VALUES (?, 'call', ?, ?, ?, ?, ?)",
                    [claim_id, note, analyst, at, other, call],
                )
            return next(iter(self._links_between(a, b)), None)

    def _links_between(self, a: int, b: int) -> list[Link]:
        return [link for link in self.links(a) if link.other(a) == b]

    def calls(self) -> list[dict[str, Any]]:
        """Every pair an analyst called, with what the aligner made of it: what the aligner is
        scored against (`scripts/score_calls.py`)."""
        return list(self._query(
            "SELECT claim_a, claim_b, score, relation AS aligner, reason, differences, call, called_by, called_at "
            "FROM links WHERE call != '' ORDER BY called_at"))

    # -- the whole case, as rows (export, import and merge) ------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """One moment of the case for a read of many queries (a claim sheet, a case document).

        In WAL mode a transaction sees the case as its first query found it, however long it
        runs and whatever other analysts commit meanwhile; without one, each query of an export
        saw another moment, and a claim's status in the sheet disagreed with its own history.
        A reading inside a reading (or a write) is part of it. Hold it on a connection nobody
        writes on meanwhile: the TUI exports on a connection of its own."""
        conn = self.conn
        if conn.in_transaction:
            yield self
            return
        conn.execute("BEGIN")  # deferred: the moment is taken by the first query
        try:
            yield self
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")  # nothing was written: this only lets the moment go

    def rows(self, table: str) -> list[dict[str, Any]]:
        """Every row of one of the case's tables, as stored, in id order."""
        return list(self.each_row(table))

    def each_row(self, table: str) -> Iterator[dict[str, Any]]:
        """`rows`, a row at a time: a case document is written as it is read, so a case of
        twenty-megabyte articles never has them all in memory."""
        if table not in ("articles", "claims", "links", "history", "evidence"):
            raise ValueError(f"not a case table: {table}")
        order = "claim_a, claim_b" if table == "links" else "id"
        yield from self._query(f"SELECT * FROM {table} ORDER BY {order}")

    def each_claim(self) -> Iterator[Claim]:
        """Every claim and sentence in reading order, as `claims(include_sentences=True)` gives
        them, a batch at a time: a twenty-megabyte article has 175,000 sentences, 250 MB as a list."""
        cursor = self.conn.execute(f"SELECT {_CLAIM_COLUMNS} FROM claims ORDER BY article_id, start")
        while batch := cursor.fetchmany(1000):
            yield from _claims(batch)

    def article_heads(self) -> list[Article]:
        """The articles without their text (it reads as ""): what a claim sheet says of each
        claim's article, without holding every article's text at once."""
        return [_article(r) for r in self._query(
            "SELECT id, '' AS text, title, content_hash, path, date, source, encoding, imported_at, imported_by,"
            " reliability, author, url, retrieved_at, original_sha256, original_type, page_starts"
            " FROM articles ORDER BY id")]

    def merge_rows(
        self,
        articles: Sequence[tuple[dict[str, Any], Sequence[dict[str, Any]]]],
        shared: dict[int, int],
        adopt: Sequence[tuple[int, dict[str, Any]]],
        history: Sequence[dict[str, Any]],
        links: Sequence[dict[str, Any]] = (),
        evidence: Sequence[dict[str, Any]] = (),
        *,
        job: str = "",
    ) -> dict[int, int]:
        """Bring another case's work in, in one transaction (all of it or none of it).

        `articles` are new to this case, with their claims; `shared` maps their claim ids to
        ours for the claims both cases hold; `adopt` is (our claim id, their newer state);
        `history` and `links` are their rows, appended with the time and analyst they carry
        (rows of claims in neither map are skipped). Their `evidence` items come in as they stand
        (an item both cases hold, by claim, content, analyst and time, once; withdrawn if either
        withdrew it). Returns their claim ids -> ours."""
        claim_map: dict[int, int] = dict(shared)
        history_map: dict[int, int] = {}
        evidence_map: dict[int, int] = {}
        with self._write() as conn:
            for article, claims in articles:
                if conn.execute("SELECT 1 FROM articles WHERE content_hash = ?", [article["content_hash"]]).fetchone():
                    continue
                cursor = conn.execute(
                    "INSERT INTO articles (content_hash, path, title, source, date, text, encoding, imported_at,"
                    " imported_by, reliability, aligned, refined, import_job, author, url, retrieved_at,"
                    " original_sha256, original_type, page_starts)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?)",
                    [article["content_hash"], article.get("path"), article["title"], article.get("source"),
                     article.get("date"), article["text"], article.get("encoding") or "utf-8",
                     article.get("imported_at") or now(), article.get("imported_by") or "", article.get("reliability") or "",
                     job, _text(article.get("author")), _text(article.get("url")), _text(article.get("retrieved_at")),
                     _text(article.get("original_sha256")), _text(article.get("original_type")) or "",
                     _page_starts_text(_page_starts(article.get("page_starts")))],
                )
                for change in article.get("history") or ():  # their corrections of its details
                    if isinstance(change, dict) and change.get("field") in ARTICLE_FIELDS:
                        conn.execute(
                            "INSERT INTO article_history (article_id, field, old_value, new_value, analyst, at)"
                            " VALUES (?, ?, ?, ?, ?, ?)",
                            [cursor.lastrowid, change["field"], _text(change.get("old_value")),
                             _text(change.get("new_value")), _text(change.get("analyst")) or "", _text(change.get("at")) or now()])
                for claim in claims:
                    inserted = conn.execute(
                        "INSERT INTO claims (article_id, start, \"end\", text, score, kind, is_claim, origin, status,"
                        " note, evidence, analyst, updated_at, numbers, dates, sources, credibility, assignee)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [cursor.lastrowid, claim["start"], claim["end"], claim["text"], claim["score"], claim["kind"],
                         int(bool(claim["is_claim"])), claim.get("origin") or "finder", claim["status"],
                         claim.get("note") or "", claim.get("evidence") or "", claim.get("analyst"),
                         claim.get("updated_at"), *(_json_list(claim.get(k)) for k in ("numbers", "dates", "sources")),
                         claim.get("credibility") or "", claim.get("assignee") or ""],
                    )
                    claim_map[claim["id"]] = inserted.lastrowid
            for claim_id, state in adopt:
                conn.execute(
                    "UPDATE claims SET status = ?, note = ?, evidence = ?, analyst = ?, updated_at = ?, is_claim = ?,"
                    " credibility = ?, assignee = ? WHERE id = ?",
                    [state["status"], state.get("note") or "", state.get("evidence") or "", state.get("analyst"),
                     state.get("updated_at"), int(bool(state["is_claim"])), state.get("credibility") or "",
                     state.get("assignee") or "", claim_id],
                )
            for row in sorted(evidence, key=lambda r: r["id"]):
                if (claim_id := claim_map.get(row["claim_id"])) is not None:
                    evidence_map[row["id"]] = _merge_evidence(conn, claim_id, row)
            for row in sorted(history, key=lambda r: (r["at"], r["id"])):
                if row["claim_id"] not in claim_map:
                    continue
                inserted = conn.execute(
                    "INSERT INTO history (claim_id, action, old_status, new_status, note, evidence, analyst, at,"
                    " undoes, credibility, other_claim, call, evidence_item) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [claim_map[row["claim_id"]], row["action"], row.get("old_status"), row.get("new_status"),
                     row.get("note"), row.get("evidence"), row["analyst"], row["at"],
                     history_map.get(row.get("undoes") or -1), row.get("credibility"),
                     claim_map.get(row.get("other_claim") or -1), _text(row.get("call")),
                     evidence_map.get(row.get("evidence_item") or -1)],
                )
                history_map[row["id"]] = inserted.lastrowid
            # their links; where both cases hold a pair, the newer analyst's call on it stands
            conn.executemany(
                "INSERT INTO links (claim_a, claim_b, score, relation, reason, differences, call, called_by, called_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (claim_a, claim_b) DO UPDATE SET"
                " call = excluded.call, called_by = excluded.called_by, called_at = excluded.called_at"
                " WHERE excluded.called_at IS NOT NULL AND (links.called_at IS NULL OR excluded.called_at > links.called_at)",
                [(min(a, b), max(a, b), link["score"], _text(link.get("relation")) or "corroborates",
                  _text(link.get("reason")) or "",
                  _differences_text(a, b, _differences(link.get("differences"))),
                  link.get("call") if link.get("call") in CALLS else "", _text(link.get("called_by")),
                  _text(link.get("called_at")))
                 for link in links
                 if (a := claim_map.get(link["claim_a"])) is not None and (b := claim_map.get(link["claim_b"])) is not None
                 and isinstance(link.get("score"), (int, float))],  # a link without a score is no link
            )
        return claim_map

    # -- helpers ----------------------------------------------------------------------------

    def _one(self, sql: str, params: Sequence[Any]) -> dict[str, Any] | None:
        return next(self._query(sql, params), None)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows as dicts by column name."""
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))


def _merge_evidence(conn: sqlite3.Connection, claim_id: int, row: dict[str, Any]) -> int:
    """Another case's evidence item on our claim `claim_id`, as ours: found if we hold it (a case
    merged twice), else added; withdrawn here too if they withdrew it. Returns our item's id.
    A row that is not an item (a kind or stance no workbench writes) is refused whole."""
    kind, stance, value = row.get("kind"), row.get("stance"), row.get("value")
    if kind not in EVIDENCE_KINDS or stance not in STANCES or not isinstance(value, str):
        raise StoreError(f"evidence item {row.get('id')!r} of the other case is not one a workbench writes")
    analyst, added_at = _text(row.get("analyst")) or "", _text(row.get("added_at")) or now()
    found = conn.execute(
        "SELECT id, withdrawn_at FROM evidence WHERE claim_id = ? AND kind = ? AND stance = ? AND value = ?"
        " AND analyst = ? AND added_at = ?", [claim_id, kind, stance, value, analyst, added_at]).fetchone()
    if found is None:
        found = (conn.execute(
            "INSERT INTO evidence (claim_id, kind, stance, value, note, analyst, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [claim_id, kind, stance, value, _text(row.get("note")) or "", analyst, added_at]).lastrowid, None)
    if row.get("withdrawn_at") and found[1] is None:
        conn.execute("UPDATE evidence SET withdrawn_by = ?, withdrawn_at = ? WHERE id = ?",
                     [_text(row.get("withdrawn_by")) or "", _text(row["withdrawn_at"]), found[0]])
    return found[0]


def _json_list(value: Any) -> str:
    """A list column as stored: JSON text of a list of strings, whether it arrives as a list or
    as that text (another case's file is read as it is: anything but a list stores as []).
    Written out as `json.dumps` writes it, without its machinery: an import writes three for
    every sentence, and most are empty."""
    if isinstance(value, str):
        value = _list(value)
    if not value:
        return "[]"
    return "[" + ", ".join(map(_json_string, map(str, value))) + "]"


_json_string = json.encoder.encode_basestring_ascii


def _history(row: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(row["id"], row["claim_id"], row["action"], row["old_status"], row["new_status"],
                        row["note"], row["analyst"], row["at"], row.get("evidence"), row.get("undoes"),
                        row.get("credibility"), row.get("other_claim"), row.get("call"), row.get("evidence_item"))


def _evidence(row: dict[str, Any]) -> EvidenceItem:
    return EvidenceItem(row["id"], row["claim_id"], row["kind"], row["stance"], row["value"], row["note"] or "",
                        row["analyst"], row["added_at"], row["withdrawn_by"], row["withdrawn_at"])


#: A link as the analysts see it: their call where they made one, else the aligner's decision.
_RELATION = ("CASE call WHEN 'conflict' THEN 'conflicts' "
             "WHEN 'linked' THEN (CASE WHEN relation IN ('conflicts', 'revised') THEN relation ELSE 'corroborates' END) "
             "WHEN 'not_conflict' THEN 'corroborates' ELSE relation END")
#: The links anyone sees: the aligner's (a pair it could not link is kept only for a call) unless
#: an analyst unlinked them, and the pairs an analyst linked.
_SHOWN = "((call = '' AND relation != 'unrelated') OR call IN ('linked', 'conflict', 'not_conflict'))"


def _text(value: Any) -> str | None:
    """A text field of another case's file as text: anything else (a list, a number) as its JSON."""
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _differences_text(claim_a: int, claim_b: int, differences: Sequence[Sequence[str]]) -> str:
    """A link's differences as stored: each value in the order of the claims' ids, the lower first."""
    ordered = differences if claim_a <= claim_b else [(slot, b, a) for slot, a, b in differences]
    return json.dumps([list(d) for d in ordered], ensure_ascii=False) if ordered else ""


def _differences(value: Any) -> tuple[tuple[str, str, str], ...]:
    """A link's stored differences (JSON text, or the list itself from a case document); a
    value that is not a list of three strings (another case's odd file) reads as none."""
    try:
        found = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError:
        return ()
    if not isinstance(found, list):
        return ()
    return tuple((str(d[0]), str(d[1]), str(d[2])) for d in found if isinstance(d, list) and len(d) == 3)


def _insert_links(conn: sqlite3.Connection, links: Iterable[Link], *, decided: bool = True) -> int:
    """Write the aligner's links inside a transaction: each pair once, whichever way round; a
    pair decided again takes the new decision (an analyst's call is a column of its own). A
    quick link (not `decided`: an import's) never takes the place of a link already there."""
    rows = [(min(l.claim_a, l.claim_b), max(l.claim_a, l.claim_b), l.score, l.relation, l.reason,
             _differences_text(l.claim_a, l.claim_b, l.differences), 1)
            for l in links] if decided else [  # quick links: no differences (a thousand articles make 50,000)
            (*sorted(l[:2]), l.score, l.relation, l.reason, "", 0) for l in links]
    conn.executemany(
        "INSERT INTO links (claim_a, claim_b, score, relation, reason, differences, decided) VALUES (?, ?, ?, ?, ?, ?, ?) "
        + ("ON CONFLICT (claim_a, claim_b) DO UPDATE SET score = excluded.score, relation = excluded.relation, "
           "reason = excluded.reason, differences = excluded.differences, decided = 1" if decided else
           "ON CONFLICT (claim_a, claim_b) DO NOTHING"),
        rows,
    )
    return len(rows)


def _article(row: dict[str, Any]) -> Article:
    return Article(
        id=row["id"], text=row["text"], title=row["title"], content_hash=row["content_hash"],
        path=row["path"], date=row["date"], source=row["source"], encoding=row["encoding"] or "utf-8",
        imported_at=row["imported_at"], imported_by=row["imported_by"], reliability=row.get("reliability") or "",
        author=row.get("author"), url=row.get("url"), retrieved_at=row.get("retrieved_at"),
        original_sha256=row.get("original_sha256"), original_type=row.get("original_type") or "",
        page_starts=_page_starts(row.get("page_starts")),
    )


def _page_starts(value: Any) -> tuple[int, ...]:
    """A PDF's page offsets, stored as JSON text (or given as the list, from a case document)."""
    try:
        found = json.loads(value) if isinstance(value, str) and value else value
    except json.JSONDecodeError:
        return ()
    if not isinstance(found, list):
        return ()
    return tuple(v for v in found if isinstance(v, int) and not isinstance(v, bool))


def _page_starts_text(starts: Sequence[int]) -> str:
    return json.dumps(list(starts)) if starts else ""


def _keep_original(conn: sqlite3.Connection, article_id: int, data: bytes) -> None:
    """The bytes an article was read from, compressed: a saved page shrinks to a fifth."""
    conn.execute("INSERT INTO originals (article_id, compression, size, data) VALUES (?, 'zlib', ?, ?)",
                 [article_id, len(data), zlib.compress(data, ORIGINAL_COMPRESSION)])


#: zlib's level for the originals: 6 (its default) took a sixth more time than 1 on the saved
#: pages for a tenth less room; an import is the time an analyst waits.
ORIGINAL_COMPRESSION = 1



#: The claims table's columns in the order of `Claim`'s fields (`_claims` builds claims from rows).
_CLAIM_COLUMNS = ("id, article_id, start, \"end\", text, score, kind, is_claim, origin, status, note, evidence, "
                  "analyst, updated_at, numbers, dates, sources, credibility, assignee")
_STATUSES = {status.value: status for status in Status}


def _score_of(link: Link) -> float:
    """A link's score to sort by; a missing one (a merged file's) sorts last, as SQLite's NULL did."""
    return link.score if isinstance(link.score, (int, float)) else float("-inf")


def _list(value: str) -> list[str]:
    """One stored JSON list; anything else (a merged file's odd value) reads as no list."""
    try:
        found = json.loads(value)
    except json.JSONDecodeError:
        return []
    return [str(v) for v in found] if isinstance(found, list) else []


def _claims(rows: Sequence[Sequence[Any]]) -> list[Claim]:
    """Claims from rows of `_CLAIM_COLUMNS`: positional, the enums looked up in a dict and the
    JSON lists decoded in one call, since a large case opens with forty thousand claims."""
    values = [value or "[]" for row in rows for value in row[14:17]]
    try:
        lists = json.loads("[" + ",".join(values) + "]")
    except json.JSONDecodeError:
        lists = []
    if len(lists) != len(values) or not all(isinstance(v, list) for v in lists):
        lists = [_list(value) for value in values]  # a value that is not one list: read each alone
    try:
        return [
            Claim(id_, article_id, start, end, text, score, KINDS[kind], bool(is_claim), origin or "finder",
                  _STATUSES[status], note or "", evidence or "", analyst, updated_at, *lists[3 * n : 3 * n + 3],
                  credibility or "", assignee or "")
            for n, (id_, article_id, start, end, text, score, kind, is_claim, origin, status, note, evidence,
                    analyst, updated_at, _, _, _, credibility, assignee) in enumerate(rows)
        ]
    except (KeyError, TypeError, ValueError) as error:
        raise _Unreadable(f"a claim row holds {error}") from None
