"""The `workbench` command: a thin shell over the core, and the way into the TUI.

`workbench [PATHS...]` opens the workbench (importing PATHS first); the subcommands do one job
each from a script or a shell. Every failure is one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import functools
import io
import shutil
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from workbench import __version__, case, export, files, reader, settings
from workbench.model import (
    CONFLICTS, CORROBORATES, EVIDENCE_KINDS, MARKS, RELATED, REVISED, SIGNS, UNRELATED, Article, EvidenceItem, Status,
)
from workbench import store as store_module
from workbench.safetext import for_terminal, one_line
from workbench.models import ModelError
from workbench.store import DamagedCase, Store, StoreError

if TYPE_CHECKING:
    from workbench import checkworthy, ingest

# The claim finder and the matcher (their regular expressions, rapidfuzz, the models) load in
# the commands that use them: the workbench opens on a large case in about a second, and a
# tenth of it went to loading what opening does not need.


class DefaultToOpen(click.Group):
    """`workbench a.txt b.md` means `workbench open a.txt b.md`: the TUI is the default."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] in ("--help", "-h", "--version"):
            return super().parse_args(ctx, args)
        command = _first_word(args)
        if command is not None and args[command] in self.commands:
            # `workbench --db X import a.txt` is `workbench import --db X a.txt`
            args = [args[command], *args[:command], *args[command + 1 :]]
        else:
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            if error.ctx is None:
                raise
            # Click would print the usage block and a hint above the error: keep to one line.
            hint = f" (see '{error.ctx.command_path} --help')"
            raise click.UsageError(one_line(" ".join(error.format_message().split()) + hint)) from None
        except click.ClickException as error:
            error.message = one_line(error.message)  # it may quote a path, a name, a file's text
            raise


def case_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--db` and `--analyst`, which every command takes."""

    @click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
                  help=f"Case database (default: ${settings.DB_ENV}, else the user data dir).")
    @click.option("--analyst", help="Name recorded on every change (default: your login name).")
    @functools.wraps(func)
    def wrapper(*args: Any, db_path: Path | None, analyst: str | None, **kwargs: Any) -> Any:
        return func(*args, db_path=settings.database_path(db_path),
                    analyst=settings.analyst_name(analyst), **kwargs)

    return wrapper


def max_size_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--max-size MB` for the commands that read article files."""

    @click.option("--max-size", "max_mb", type=float, metavar="MB",
                  help=f"Refuse article files larger than this (default: ${settings.MAX_SIZE_ENV}, else 20).")
    @functools.wraps(func)
    def wrapper(*args: Any, max_mb: float | None, **kwargs: Any) -> Any:
        try:
            max_bytes = settings.max_article_bytes(max_mb)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        return func(*args, max_bytes=max_bytes, **kwargs)

    return wrapper


def open_store(db_path: Path, *, writes: bool = False, thorough: bool = False) -> Store:
    """The case, for a command; for one that `writes`, only once SQLite finds it sound (see
    `Store.refuse_if_damaged`): nothing is written into a damaged case. A command that only
    reads refuses at the first damaged page it meets instead."""
    try:
        store = Store(db_path)
        if writes:
            try:
                store.refuse_if_damaged(thorough=thorough)
            except DamagedCase:
                store.close()
                raise
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    if store.backup:
        click.echo(f"workbench: upgraded the case; the old one is kept as {one_line(str(store.backup))}", err=True)
    return store


def decided(store: Store) -> Store:
    """The case with every link decided, for a command that shows or exports links: an import
    leaves its quick links for the costly tier (`ingest.refine`), which the open workbench runs
    in the background; a sheet is never written from undecided links. A case this analyst may
    not write, or a broken install's, keeps its quick links, and the command says so."""
    if not store.unrefined():
        return store
    from workbench import ingest

    try:
        store.refuse_if_damaged()
        ingest.refine(store, on_step=ImportProgress(sys.stderr))
    except (StoreError, ModelError) as error:
        click.echo(f"workbench: links not decided yet, shown as the import left them ({one_line(str(error))})",
                   err=True)
    return store


def fail_on(*errors: type[Exception]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Turn the core's own errors into one clear line and exit status 1."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return func(*args, **kwargs)
            except errors as error:
                raise click.ClickException(str(error)) from None

        return wrapper

    return decorate


#: Options every command takes that are followed by a value (`--db X`), so X is not a command.
_VALUE_OPTIONS = frozenset({"--db", "--analyst", "--source", "--max-size"})


def _first_word(args: list[str]) -> int | None:
    """Where the first argument that is not an option (or an option's value) is."""
    i = 0
    while i < len(args):
        if args[i] == "--":
            return i + 1 if i + 1 < len(args) else None
        if not args[i].startswith("-"):
            return i
        i += 2 if args[i] in _VALUE_OPTIONS else 1
    return None


@click.group(cls=DefaultToOpen, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
def cli() -> None:
    """A terminal fact-checking workbench.

    Run `workbench [PATHS...]` to open the workbench on a case (importing PATHS first; a new
    case starts with the bundled sample articles).
    """


@cli.command("open")
@click.argument("paths", nargs=-1)
@click.option("--source", help="Outlet to record for the imported articles.")
@max_size_option
@case_options
@fail_on(StoreError)
def open_cmd(paths: tuple[str, ...], source: str | None, max_bytes: int, db_path: Path, analyst: str) -> None:
    """Open the workbench (the default command)."""
    readable: list[Path | str] = []
    if reader.STDIN in paths:
        raise click.UsageError("standard input is read by 'workbench import -', not by the workbench's screen")
    with open_store(db_path, writes=True, thorough=bool(paths)) as store:
        if paths:
            # Refuse here what is not an article, one line each and before any screen; the
            # slow part (finding claims, aligning) runs inside the workbench, with a progress bar.
            for path in reader.article_files(paths):
                if isinstance(path, str):  # a link: fetched once, by the import itself
                    readable.append(path)
                    continue
                try:
                    reader.read_article(path, max_bytes=max_bytes)
                except reader.ReadError as error:
                    _say_refused(error)
                    continue
                readable.append(path)
            if not readable:  # every path named gives a file or a refusal, and each refusal has had its line
                sys.exit(1)
        elif not store.article_count():  # a new case: the matcher loads to read the sample articles
            from workbench import ingest

            ingest.import_seeds_if_empty(store, analyst=analyst)
    if not _has_screen():  # Textual would draw into a pipe and spin, waiting for keys that never come
        raise click.ClickException("the workbench needs a terminal: run it in one, or use a subcommand "
                                   "(see 'workbench --help')")
    from workbench.tui.app import WorkbenchApp  # Textual loads only when a screen is wanted

    app = WorkbenchApp(db_path=db_path, analyst=analyst, paths=readable, source=source, max_bytes=max_bytes)
    app.run()
    if app.failure:  # said here, after the screen is gone, in one line like every other failure
        raise click.ClickException(app.failure)
    if app.return_code:
        sys.exit(app.return_code)


def _has_screen() -> bool:
    """A terminal on both ends, or a Textual driver that brings its own (textual-serve's)."""
    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but localhost exposes the case: see the README.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--allow-origin", "allowed_origins", multiple=True, metavar="URL",
              help="Also accept sessions from pages at this origin (e.g. an https proxy in front); repeatable.")
@click.option("--max-sessions", default=4, show_default=True, type=click.IntRange(min=1),
              help="Browser sessions open at once (each is a workbench process); more are refused.")
@case_options
def serve_cmd(host: str, port: int, allowed_origins: tuple[str, ...], max_sessions: int, db_path: Path,
              analyst: str) -> None:
    """Serve the workbench to a web browser (textual-serve; one workbench per visitor).

    It has no authentication of its own: keep it on localhost (reach it through an SSH tunnel,
    `ssh -L 8000:localhost:8000 server`) or put an authenticating proxy in front of it. Pages
    of other sites are refused, and so are visitors beyond --max-sessions.
    """
    try:
        from workbench import serve
    except ImportError:
        raise click.ClickException("workbench serve needs textual-serve: pip install 'workbench[serve]'") from None
    from workbench import ingest

    with open_store(db_path, writes=True) as store:
        ingest.import_seeds_if_empty(store, analyst=analyst)
    command = serve.workbench_command(sys.executable, ["-m", "workbench", "open", "--db", str(db_path),
                                                       "--analyst", analyst])
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"workbench: serving on {host}: anyone who can reach it can read and change the case", err=True)
    try:
        serve.serve(command, host=host, port=port, allowed_origins=allowed_origins, max_sessions=max_sessions)
    except serve.ServeError as error:
        raise click.ClickException(str(error)) from None


@cli.command("import")
@click.argument("paths", nargs=-1, required=True)  # text: a link made a Path loses a slash of its //
@click.option("--source", help="Outlet to record for the imported articles.")
@click.option("--title", help="Title to record (for a single article).")
@click.option("--wait", is_flag=True,
              help="Decide the links now (conflicts, the full matcher) instead of in the background.")
@max_size_option
@case_options
@fail_on(StoreError)
def import_cmd(paths: tuple[str, ...], source: str | None, title: str | None, wait: bool, max_bytes: int,
               db_path: Path, analyst: str) -> None:
    """Import articles into the case: files (.txt, .md, .html, .htm, .html.gz, .pdf), folders
    of them, links (https://...), and `-` for standard input.

    The import links claims about the same thing by their words; the links are then decided
    (conflicts, revisions, the same fact, by meaning too) by the open workbench in the
    background, by `workbench realign`, or by the command that next shows or exports them."""
    from workbench import ingest

    with open_store(db_path, writes=True, thorough=True) as store:
        report = ingest.import_paths(store, paths, analyst=analyst, source=source, title=title, max_bytes=max_bytes,
                                     on_step=ImportProgress(sys.stderr), refine_now=wait)
        to_decide = not report.decided and store.article_count() > 1  # one article has nothing to link
    for article in report.added:
        click.echo(f"{article.label}\t{one_line(article.title)}")
    for path, existing in report.duplicates:
        click.echo(f"{one_line(path)}: already in the case as {existing.label}", err=True)
    _report_errors(report)
    if report.added or report.duplicates or not report.errors:  # when every file was refused, its line says it all
        click.echo(report.summary() + (" (the open workbench decides them, or `workbench realign` now)"
                                       if to_decide else ""), err=True)
    if report.errors:
        sys.exit(1)


@cli.command("realign")
@click.option("--progress-lines", is_flag=True, hidden=True,
              help="Progress as lines on stdout, for the workbench that runs this in the background.")
@case_options
@fail_on(StoreError)
def realign_cmd(progress_lines: bool, db_path: Path, analyst: str) -> None:
    """Line up the articles an interrupted import stored and did not line up with the rest of
    the case (the next import does that too), and decide the links imports left undecided
    (the open workbench does that too, in the background)."""
    from workbench import ingest

    progress = ProgressLines(sys.stdout) if progress_lines else ImportProgress(sys.stderr)
    with open_store(db_path, writes=True, thorough=True) as store:
        report = ingest.import_paths(store, [], analyst=analyst, on_step=progress, refine_now=False)
        still = len(store.unaligned())
        refined, report.links = ingest.refine(store, on_step=progress)
    if report.completed:
        click.echo(report.summary())
    elif refined:
        click.echo(f"{len(refined)} article{'s' * (len(refined) != 1)} had {'its' if len(refined) == 1 else 'their'}"
                   f" links decided, {report.links} links")
    if still:
        click.echo(f"nothing to line up now: {still} article{'s' * (still != 1)} belong to an import still running")
    elif not (report.completed or refined):
        click.echo("nothing to line up: every article is lined up and its links decided")


class ProgressLines:
    """Progress as a line each step, DONE<TAB>TOTAL<TAB>WHAT, for the open workbench, which
    decides links in a process of its own and shows how far it is."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, what: str, done: int, total: int) -> None:
        self.stream.write(f"{done}\t{total}\t{one_line(what)}\n")
        self.stream.flush()


class ImportProgress:
    """What an import is doing, on one line of a terminal's stderr rewritten in place, at most
    ten times a second: a thousand articles take a quarter of a minute, and a command that says
    nothing for that long looks hung. Nothing at all when stderr is not a terminal (a pipe, a
    log file), and the line is gone when the import is."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.shown = float("-inf")

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.live:
            return
        if done >= total:
            self.stream.write("\r\x1b[K")
        else:
            now = time.monotonic()
            if now - self.shown < 0.1 and what.startswith("reading"):
                return
            self.shown = now
            width = shutil.get_terminal_size().columns - 1
            line = f"{100 * done // max(total, 1):3d}% {one_line(what)}"
            self.stream.write("\r" + line[:width] + "\x1b[K")
        self.stream.flush()


def _report_errors(report: ingest.ImportReport) -> None:
    for error in report.errors:
        _say_refused(error)


def _say_refused(error: reader.ReadError) -> None:
    click.echo(f"workbench: {one_line(str(error))}", err=True)


STATUS_CHOICE = click.Choice([s.value for s in Status])


def article_record(article: Article) -> dict[str, Any]:
    """An article as `workbench articles --json` gives it: where it came from and its text."""
    return {"id": article.id, "label": article.label, "path": article.path, "title": article.title,
            "outlet": article.source, "author": article.author, "date": article.date, "url": article.url,
            "sha256": article.original_sha256, "media_type": article.original_type or None,
            "retrieved_at": article.retrieved_at, "imported_at": article.imported_at,
            "imported_by": article.imported_by, "page_starts": list(article.page_starts), "text": article.text}


@cli.command("articles")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of articles, each with its text.")
@case_options
@fail_on(StoreError)
def articles_cmd(as_json: bool, db_path: Path, analyst: str) -> None:
    """List the case's articles: outlet, title, date, author, and where each came from."""
    with open_store(db_path) as store:
        if as_json:
            records = [article_record(article) for article in store.articles()]
        else:
            heads = store.article_heads()
    if as_json:
        click.echo(_document(json.dumps(records, ensure_ascii=False, indent=2)))
        return
    for article in heads:
        details = " · ".join(x for x in (article.source, article.title, article.date) if x)
        origin = article.url or article.path or ""
        by = f"  by {article.author}" if article.author else ""
        click.echo(one_line(f"{article.label}\t{details}{by}") + (f"\t{one_line(origin)}" if origin else ""))


@cli.command("article")
@click.argument("article_id", type=int)
@click.option("--title", help="Correct the title.")
@click.option("--source", help="Correct the outlet.")
@click.option("--author", help="Correct the author (\"\" clears it).")
@click.option("--date", help="Correct the publication date (2026-03-12).")
@click.option("--url", help="Correct the address.")
@case_options
@fail_on(StoreError)
def article_cmd(article_id: int, title: str | None, source: str | None, author: str | None, date: str | None,
                url: str | None, db_path: Path, analyst: str) -> None:
    """Show an article's details, or correct them (each correction is in its history)."""
    changes = {k: v for k, v in (("title", title), ("source", source), ("author", author), ("date", date),
                                 ("url", url)) if v is not None}
    with open_store(db_path, writes=bool(changes)) as store:
        article = store.article(article_id)
        for field_name, value in changes.items():
            article = store.correct_article(article_id, field_name, value, analyst)
        history = store.article_history(article_id)
    for name, value in (("title", article.title), ("outlet", article.source), ("author", article.author),
                        ("date", article.date), ("url", article.url), ("path", article.path),
                        ("retrieved", article.retrieved_at), ("media type", article.original_type),
                        ("sha256", article.original_sha256)):
        click.echo(f"{name + ':':<11} {one_line(value or '')}")
    for change in history:
        click.echo(one_line(f"{change['at']} {change['analyst']}: {change['field']} "
                            f"{change['old_value'] or '(none)'} -> {change['new_value'] or '(none)'}"))


@cli.command("claims")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of claim objects.")
@click.option("--status", type=STATUS_CHOICE, help="Only claims with this status.")
@click.option("--article", "article_id", type=int, help="Only claims in this article (its id).")
@case_options
@fail_on(StoreError)
def claims_cmd(as_json: bool, status: str | None, article_id: int | None, db_path: Path,
               analyst: str) -> None:
    """List the case's claims."""
    with open_store(db_path) as store:
        if article_id is not None:
            store.article(article_id)
        records = export.claim_records(decided(store), status=status, article_id=article_id)
    if as_json:
        click.echo(_document(export.dump_json(records)), nl=False)
        return
    for r in records:
        mark = Status(r["status"])
        links = " ".join(f"{SIGNS.get(l['relation'], '~')}#{l['claim']}" for l in r["links"])
        click.echo(
            f"#{r['id']:<5} {r['article_label']:<4} {r['kind']:<10} {r['score']:.2f} "
            f"{mark.symbol} {mark.value:<9} {one_line(r['text'])}" + (f"  [{links}]" if links else "")
        )


@cli.command("links")
@click.option("--json", "as_json", is_flag=True, help="Print the groups as JSON.")
@case_options
@fail_on(StoreError)
def links_cmd(as_json: bool, db_path: Path, analyst: str) -> None:
    """List the groups of claims that state the same fact, and where they conflict."""
    with open_store(db_path) as store:
        document = export.link_groups(decided(store))
    if as_json:
        click.echo(_document(export.dump_json(document)), nl=False)
        return
    for group in document:
        conflicts = sum(1 for link in group["links"] if link["relation"] == CONFLICTS)
        if group["disputed"]:
            standing = f", disputed: {conflicts} conflict{'s' * (conflicts != 1)}"
        elif group["independently_confirmed"]:
            standing = f", confirmed by {group['independent_origins']} independent origins"
        else:
            standing = ""
        click.echo(f"Group {group['group']}: {len(group['claims'])} claims{standing}")
        for member in group["claims"]:
            sources = f"  [{one_line('; '.join(member['sources']))}]" if member["sources"] else ""
            click.echo(f"  #{member['id']:<5} {member['article_label']:<4} {one_line(member['text'])}{sources}")
        for link in group["links"]:
            sign = SIGNS.get(link["relation"], "~")
            reason = f": {one_line(link['reason'])}" if link["reason"] else ""
            call = f" ({one_line(link['called_by'])}'s call)" if link["call"] else ""
            click.echo(f"    #{link['a']} {sign} #{link['b']}  {link['relation']} {link['score']:.2f}{reason}{call}")
        for discrepancy in group["discrepancies"]:
            values = " / ".join(one_line(" ".join(x for x in (v["article_label"], v["source"], v["date"]) if x)
                                         + f": {v['value']}") for v in discrepancy["values"])
            click.echo(f"    {one_line(discrepancy['slot'])}: {values}")


#: `workbench link`'s calls, as typed, and as stored.
LINK_CALLS = {"same": "linked", "conflict": "conflict", "not-conflict": "not_conflict", "unlink": "unlinked",
              "auto": ""}


@cli.command("link")
@click.argument("claim_a", type=int)
@click.argument("claim_b", type=int)
@click.argument("call", type=click.Choice(list(LINK_CALLS)))
@click.option("--note", help="Why, for the history.")
@case_options
@fail_on(StoreError, ValueError)
def link_cmd(claim_a: int, claim_b: int, call: str, note: str | None, db_path: Path, analyst: str) -> None:
    """Your call on two claims: the same fact, a conflict, not a conflict, unlinked, or auto
    (the aligner decides again). It stands whatever a later alignment decides."""
    with open_store(db_path, writes=True) as store:
        link = store.call_link(claim_a, claim_b, LINK_CALLS[call], analyst, note)
    now = f"{SIGNS.get(link.relation, '~')} {link.relation}" if link else "not linked"
    click.echo(f"#{min(claim_a, claim_b)} and #{max(claim_a, claim_b)}: {now}, by {one_line(analyst)}")


@cli.command("assign")
@click.argument("assignee")
@click.option("--claim", "claim_ids", type=int, multiple=True, help="A claim to assign (repeatable).")
@click.option("--article", "article_ids", type=int, multiple=True, help="Every claim of an article (repeatable).")
@case_options
@fail_on(StoreError)
def assign_cmd(assignee: str, claim_ids: tuple[int, ...], article_ids: tuple[int, ...], db_path: Path,
               analyst: str) -> None:
    """Assign claims, or whole articles, to an analyst ("" unassigns)."""
    if not claim_ids and not article_ids:
        raise click.UsageError("give --claim ID or --article ID")
    with open_store(db_path, writes=True) as store:
        ids = list(claim_ids)
        for article_id in article_ids:
            store.article(article_id)
            ids += [c.id for c in store.claims(article_id=article_id)]
        assigned = store.assign(ids, assignee, analyst)
    click.echo(f"{len(assigned)} claim{'' if len(assigned) == 1 else 's'} assigned to {one_line(assignee) or 'nobody'}")


@cli.command("progress")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@case_options
@fail_on(StoreError)
def progress_cmd(as_json: bool, db_path: Path, analyst: str) -> None:
    """How far the review is: overall, per article, per assignee, and marks per analyst."""
    with open_store(db_path) as store:
        overall, by, marks = store.progress(), store.progress_by(), store.marks_by_analyst()
    if as_json:
        def counts(p: Any) -> dict[str, int]:
            return {"total": p.total, "reviewed": p.reviewed, **{s.value: p.counts.get(s, 0) for s in Status}}

        click.echo(_document(json.dumps({"overall": counts(overall),
                                         "articles": {k: counts(v) for k, v in by["article"].items()},
                                         "assignees": {k: counts(v) for k, v in by["assignee"].items()},
                                         "marks_by_analyst": marks}, indent=2)))
        return
    click.echo(f"Reviewed {overall.reviewed}/{overall.total}: {overall.summary()}")
    for title, key in (("Per article", "article"), ("Per assignee", "assignee")):
        click.echo(title)
        for name, p in by[key].items():
            click.echo(f"  {one_line(name) or '(unassigned)':<14} {p.reviewed:>5}/{p.total:<5} {p.summary()}")
    click.echo("Marks per analyst")
    for name, n in marks.items():
        click.echo(f"  {one_line(name):<14} {n:>5}")


@cli.command("mark")
@click.argument("claim_id", type=int)
@click.argument("status", type=click.Choice([s.value for s in MARKS]))
@click.option("--note", help="Note to record with the mark.")
@case_options
@fail_on(StoreError)
def mark_cmd(claim_id: int, status: str, note: str | None, db_path: Path, analyst: str) -> None:
    """Mark a claim verified, disputed or open."""
    with open_store(db_path, writes=True) as store:
        claim = store.mark(claim_id, status, analyst, note=note)
    click.echo(f"#{claim.id} {claim.status.symbol} {claim.status.value} by {one_line(analyst)} at {claim.updated_at}")


@cli.command("evidence")
@click.argument("claim_id", type=int)
@click.argument("value", required=False)
@click.option("--add", is_flag=True, help="Add VALUE as an evidence item (with --kind and a stance).")
@click.option("--kind", type=click.Choice(EVIDENCE_KINDS), help="What VALUE is.")
@click.option("--supports", "stance", flag_value="supports", help="The item supports the claim.")
@click.option("--refutes", "stance", flag_value="refutes", help="The item refutes the claim.")
@click.option("--context", "stance", flag_value="context", help="The item neither supports nor refutes it.")
@click.option("--note", default="", help="A note on the item.")
@click.option("--withdraw", "withdraw_id", type=int, metavar="ITEM_ID",
              help="Withdraw an item of the claim (it stays in the case, marked withdrawn).")
@click.option("--json", "as_json", is_flag=True, help="Print the claim's items as JSON.")
@case_options
@fail_on(StoreError)
def evidence_cmd(claim_id: int, value: str | None, add: bool, kind: str | None, stance: str | None, note: str,
                 withdraw_id: int | None, as_json: bool, db_path: Path, analyst: str) -> None:
    """List a claim's evidence items, add one (--add --kind link --supports URL), or withdraw one."""
    if add and withdraw_id is not None:
        raise click.UsageError("--add and --withdraw are two commands: give one")
    if add and (kind is None or stance is None or not value):
        raise click.UsageError("--add needs --kind, one of --supports/--refutes/--context, and a VALUE")
    if not add and (value or kind or stance or note):
        raise click.UsageError("VALUE, --kind, a stance and --note go with --add")
    with open_store(db_path, writes=add or withdraw_id is not None) as store:
        store.claim(claim_id)
        if add:
            assert kind is not None and stance is not None and value is not None
            item = store.add_evidence(claim_id, kind, stance, value, analyst, note=note)
            click.echo(f"#{claim_id} {_evidence_line(item)}")
            return
        if withdraw_id is not None:
            if store.evidence_item(withdraw_id).claim_id != claim_id:
                raise StoreError(f"evidence E{withdraw_id} is not #{claim_id}'s")
            item = store.withdraw_evidence(withdraw_id, analyst)
            click.echo(f"#{claim_id} {_evidence_line(item)}")
            return
        items = store.evidence(claim_id)
    if as_json:
        click.echo(_document(json.dumps([{"id": i.id, "kind": i.kind, "stance": i.stance, "value": i.value,
                                          "note": i.note, "analyst": i.analyst, "added_at": i.added_at,
                                          "withdrawn_by": i.withdrawn_by, "withdrawn_at": i.withdrawn_at}
                                         for i in items], indent=2, ensure_ascii=False)))
        return
    if not items:
        click.echo(f"#{claim_id}: no evidence items")
    for item in items:
        click.echo(_evidence_line(item))


def _evidence_line(item: EvidenceItem) -> str:
    """"E3 ✓ supports link https://… (note) by ana at …", every part shown inert."""
    line = f"E{item.id} {item.symbol} {item.stance} {item.kind} {one_line(item.value)}"
    if item.note:
        line += f" ({one_line(item.note)})"
    line += f" by {one_line(item.analyst)} at {item.added_at}"
    if item.withdrawn:
        line += f"; withdrawn by {one_line(item.withdrawn_by or '')} at {item.withdrawn_at}"
    return line


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), required=True,
              help="Claim sheet format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--status", type=STATUS_CHOICE, help="Only claims with this status.")
@click.option("--article", "article_id", type=int, help="Only claims in this article (its id).")
@click.option("--publisher", default="", help="ClaimReview: who publishes the fact-check (default: the analyst).")
@click.option("--url", default="", help="ClaimReview: the fact-check's address (each claim gets #claim-ID).")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 byte-order mark, so Excel reads accents right.")
@case_options
@fail_on(StoreError, OSError)
def export_cmd(fmt: str, output: Path | None, status: str | None, article_id: int | None, publisher: str,
               url: str, bom: bool, db_path: Path, analyst: str) -> None:
    """Export the claim sheet (json: the whole case, which import-case and merge read back)."""
    if bom and fmt != "csv":
        raise click.UsageError("--bom is for --format csv only")
    if output is None and fmt in export.BINARY and sys.stdout.isatty():
        raise click.ClickException(f"{fmt} is a binary file: give -o FILE")
    options = {"bom": bom, "status": status, "article_id": article_id, "publisher": publisher, "url": url}
    with open_store(db_path) as store:
        decided(store)
        if output is None:  # written as it is made: a pipe reader starts at once, memory stays flat
            sys.stdout.flush()
            if sys.stdout.isatty():  # read, not saved: nothing in it may talk to the terminal
                shown = io.BytesIO()
                export.write(store, fmt, shown, **options)
                sys.stdout.buffer.write(for_terminal(shown.getvalue().decode("utf-8")).encode("utf-8"))
            else:
                export.write(store, fmt, sys.stdout.buffer, **options)
            sys.stdout.buffer.flush()
            return
        try:  # all or nothing: a kill or a full disk half way leaves the last sheet of that name
            with files.writing(output) as handle:
                export.write(store, fmt, handle, **options)
        except OSError as error:
            raise click.ClickException(f"{output}: {error.strerror or error}") from None
    click.echo(f"wrote {one_line(str(output))}", err=True)


@cli.command("import-case")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@case_options
@fail_on(StoreError, OSError)
def import_case_cmd(source: Path, db_path: Path, analyst: str) -> None:
    """Load a whole case (a JSON export, or another case database) into this one."""
    _merge_into(db_path, source, show_disagreements=False)


@cli.command("merge")
@click.argument("other", type=click.Path(dir_okay=False, path_type=Path))
@case_options
@fail_on(StoreError, OSError)
def merge_cmd(other: Path, db_path: Path, analyst: str) -> None:
    """Bring another analyst's case (OTHER.db or a JSON export) into this one.

    Both histories are kept; on each claim the newer change wins. Prints the claims the two
    analysts marked differently, and Cohen's kappa over the claims both marked.
    """
    _merge_into(db_path, other, show_disagreements=True)


def _merge_into(db_path: Path, source: Path, *, show_disagreements: bool) -> None:
    if source.resolve() == db_path.resolve():
        raise click.ClickException(f"{source}: that is this case")
    data = case.read_document(source)
    with open_store(db_path, writes=True, thorough=True) as store:
        report = case.merge(store, data, name=str(source))
    if show_disagreements:
        for d in report.disagreements:
            click.echo(f"#{d.claim_id}\t{d.ours[0]} ({one_line(d.ours[1])}) vs {d.theirs[0]} ({one_line(d.theirs[1])})"
                       f"\t{one_line(d.text)}")
    click.echo(f"{one_line(str(source))}: {report.summary()}", err=True)


@cli.command("check")
@case_options
@fail_on(StoreError)
def check_cmd(db_path: Path, analyst: str) -> None:
    """Check the case file for damage: SQLite's integrity check, its foreign keys, the workbench's
    own rules. Prints ok (exit 0), or the problems found and what to do (exit 1). Writes nothing."""
    found = store_module.problems(db_path, limit=CHECK_LINES)
    if not found:
        click.echo("ok")
        return
    for line in found:
        click.echo(one_line(line))
    raise click.ClickException(f"{db_path}: damaged: restore it from a backup (a .bak beside it, or your own "
                               "copy) and check that; until then, work on a copy of it")


#: Problems `workbench check` lists: the first few say what kind of damage it is.
CHECK_LINES = 10


@cli.command("score")
@click.option("--batch", default=1000, show_default=True, hidden=True, help="Lines scored together.")
def score_cmd(batch: int) -> None:
    """Score sentences for check-worthiness: one per line on stdin, one score per line out.

    The same model the importer uses: a score is in [0, 1], and a sentence scoring at or above
    the shipped threshold (0.4) is a claim.
    """
    from workbench import checkworthy

    model = checkworthy.model()
    lines: list[str] = []
    for _, line in _stdin_lines():
        lines.append(line)
        if len(lines) >= batch:
            _print_scores(model, lines)
            lines = []
    _print_scores(model, lines)


@cli.command("match")
@click.option("--batch", default=500, show_default=True, hidden=True, help="Pairs scored together.")
def match_cmd(batch: int) -> None:
    """Do two statements state the same fact, and do they disagree? Reads TEXT_A<TAB>TEXT_B lines
    on stdin and prints SCORE<TAB>SAME<TAB>RELATION<TAB>REASON per line, as the alignment decides:
    SCORE how alike in meaning (0..1, by words and sentence vectors), SAME 1 or 0, RELATION same, related, conflicts or unrelated,
    REASON each slot the two disagree on with both values."""
    pairs: list[tuple[str, str]] = []
    for number, line in _stdin_lines():
        parts = line.split("\t")
        if len(parts) != 2:
            _print_matches(pairs)
            raise click.ClickException(f"line {number}: expected TEXT_A<TAB>TEXT_B, found {len(parts)} field(s)")
        pairs.append((parts[0], parts[1]))
        if len(pairs) >= batch:
            _print_matches(pairs)
            pairs = []
    _print_matches(pairs)


def _document(text: str) -> str:
    """A document for standard output: as it is into a file or a pipe (it is data); on a
    terminal, with every control shown as a stand-in (see `safetext.for_terminal`)."""
    return for_terminal(text) if sys.stdout.isatty() else text


def _stdin_lines() -> Iterator[tuple[int, str]]:
    """Numbered lines of standard input, without line ends; bytes that are not UTF-8 are replaced."""
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    for number, line in enumerate(stdin, 1):
        yield number, line.rstrip("\r\n")


#: How `workbench match` names each relation.
MATCH_RELATIONS = {CORROBORATES: "same", RELATED: "related", CONFLICTS: "conflicts", UNRELATED: "unrelated",
                   REVISED: "conflicts"}


def _print_matches(pairs: list[tuple[str, str]]) -> None:
    from workbench import align, match

    if pairs:
        # the score is the costly tier's: how alike in meaning, by the dense vectors too
        scores = match.matcher("full").similarities(pairs)
        click.echo("\n".join(
            f"{score:.4f}\t{int(r.relation == CORROBORATES)}\t{MATCH_RELATIONS[r.relation]}\t{one_line(r.reason)}"
            for score, r in zip(scores, align.relations(pairs))))


def _print_scores(model: checkworthy.Model, lines: list[str]) -> None:
    if lines:
        click.echo("\n".join(f"{score:.4f}" for score in model.score_many(lines)))


def main() -> None:
    try:
        cli(prog_name="workbench")
    except KeyboardInterrupt:
        sys.exit(130)
    except DamagedCase as error:  # found by whatever query met the damaged page, in any command
        click.echo(f"Error: {one_line(str(error))}", err=True)
        sys.exit(1)
    except sqlite3.DatabaseError as error:  # a query outside the store's guard: the same, without the path
        if not store_module.is_damage(error):
            raise
        click.echo(f"Error: the case file is damaged ({one_line(str(error))}); nothing was written. Restore it "
                   "from a backup, then run 'workbench check'", err=True)
        sys.exit(1)
    except ModelError as error:  # a broken install: a shipped model file missing or damaged
        click.echo(f"Error: {one_line(str(error))}", err=True)
        sys.exit(1)
    except BrokenPipeError:  # `workbench score < big.txt | head`: the reader left, not an error
        sys.stderr.close()
        sys.exit(0)

