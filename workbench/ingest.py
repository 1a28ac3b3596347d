"""Bringing articles into a case: read -> find claims -> store -> align, the one way data flows.

The CLI's `import`, the TUI's start-up and the first-run seeding all call `import_paths`; text
pasted into the TUI goes through `import_text`, the same way after reading.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any

import numpy as np

from workbench import align, claims, jobs, languages, reader, settings, vectors
from workbench.model import Article, ArticleDraft, Claim, FoundClaim, Link
from workbench.store import AlreadyStored, Store

#: An article read, its sentences found and each one's static vector, waiting to be stored.
_Found = tuple[Path | str, ArticleDraft, tuple[list[FoundClaim], list[bytes]]]


@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    duplicates: list[tuple[str, Article]] = field(default_factory=list)
    errors: list[reader.ReadError] = field(default_factory=list)
    links: int = 0
    #: Articles an earlier import stored and did not live to line up, lined up by this one.
    completed: int = 0
    #: Whether the links are decided (else they are the quick ones, by words, for `refine`).
    decided: bool = True

    def summary(self) -> str:
        if self.completed and not (self.added or self.duplicates or self.errors):  # `workbench realign`, or opening
            return f"{self.completed} articles an interrupted import left lined up, {self.links} links"
        parts = [f"{len(self.added)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in the case")
        if self.errors:
            parts.append(f"{len(self.errors)} refused")
        if self.completed:
            parts.append(f"{self.completed} left by an interrupted import lined up")
        parts.append(f"{self.links} links" if self.decided or not self.links else
                     f"{self.links} links by words, to be decided")
        return ", ".join(parts)


def import_paths(
    store: Store,
    paths: Iterable[str | Path],
    *,
    analyst: str,
    source: str | None = None,
    title: str | None = None,
    max_bytes: int = reader.DEFAULT_MAX_BYTES,
    on_article: Callable[[Article], None] | None = None,
    on_step: Callable[[str, int, int], None] | None = None,
    date: str | None = None,
    refine_now: bool = True,
) -> ImportReport:
    """Import every article file under `paths`; a file that fails is reported, not fatal.

    Re-importing a file already in the case (same content hash) changes nothing. Articles are
    stored as they are read and lined up with the case at the end (`line_up`), with any that
    an interrupted import left; an import interrupted in its turn keeps what it stored, for the
    next one to line up. `on_step` hears (what is being done, steps done, steps in all) before
    each file and before the alignment, for a progress bar.
    """
    report = ImportReport()
    files = list(reader.article_files(paths))
    slow = sum(1 for p in files if isinstance(p, Path) and _slow_to_read(p.name))
    finder = _Finder(parallel=len(files) >= PARALLEL_TEXTS or slow >= PARALLEL_PAGES)
    batches = _new_articles(store, files, report, finder, source=source, title=title, date=date,
                            max_bytes=max_bytes)
    return _store_and_line_up(store, batches, len(files), report, finder, analyst=analyst, on_article=on_article,
                              on_step=on_step, refine_now=refine_now)


def import_text(
    store: Store,
    text: str,
    *,
    analyst: str,
    source: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    max_bytes: int = reader.DEFAULT_MAX_BYTES,
    on_article: Callable[[Article], None] | None = None,
    on_step: Callable[[str, int, int], None] | None = None,
    refine_now: bool = True,
) -> ImportReport:
    """Import one article handed over as text (pasted into the TUI), exactly as a file of that
    text is imported: refused for the same reasons, stored as it is, lined up with the case.
    An analyst over SSH has the story in a browser on a laptop, not in a file on the server."""
    report = ImportReport()
    batches: list[list[tuple[Path | str, ArticleDraft]]] = []
    try:
        draft = reader.read_text(text, source=source, title=title, date=date, url=url, max_bytes=max_bytes)
    except reader.ReadError as error:
        report.errors.append(error)  # and what an interrupted import left is still lined up
    else:
        if existing := store.article_by_hash(draft.content_hash):
            report.duplicates.append((reader.PASTED, existing))
        else:
            batches.append([(reader.PASTED, draft)])
    return _store_and_line_up(store, batches, 1, report, _Finder(parallel=False), analyst=analyst,
                              on_article=on_article, on_step=on_step, refine_now=refine_now)


def _store_and_line_up(
    store: Store,
    batches: Iterable[list[tuple[Path | str, ArticleDraft]]],
    total: int,
    report: ImportReport,
    finder: _Finder,
    *,
    analyst: str,
    on_article: Callable[[Article], None] | None,
    on_step: Callable[[str, int, int], None] | None,
    refine_now: bool,
) -> ImportReport:
    """What every import does with the articles it read (`total` of them, new ones in
    `batches`): find their claims, store them as found, line them up with the case, and with
    `refine_now` decide the links (`refine`) before returning."""
    step = on_step or (lambda what, done, total: None)

    def store_found(found: list[_Found]) -> None:
        if not found:
            return
        added = store.add_articles([(draft, sentences) for _, draft, (sentences, _) in found], analyst,
                                   job=jobs.this_job(), vectors=[packed for _, _, (_, packed) in found])
        for (path, _, _), article in zip(found, added):
            if isinstance(article, AlreadyStored):  # another workbench (or file) was quicker
                report.duplicates.append((str(path), store.article(article.article_id)))
                continue
            report.added.append(article)
            if on_article:
                on_article(article)

    found: list[_Found] = []
    try:
        done = 0
        for drafts in batches:
            found_all = finder.find([draft.text for _, draft in drafts])
            since = time.monotonic()
            for path, draft in drafts:
                step(f"reading and finding claims in {_name(path)}", done, total + 1)
                done += 1
                found.append((path, draft, next(found_all)))
                if len(found) >= STORE_BATCH or time.monotonic() - since >= STORE_EVERY:
                    store_found(found)
                    found, since = [], time.monotonic()
            store_found(found)
            found = []
    except KeyboardInterrupt:
        store_found(found)  # an interrupted import keeps what it has found; the rest comes next time
        raise
    finally:
        finder.close()
    step("lining up claims across articles", total, total + 1)
    lined_up, report.links = line_up(store)
    report.completed = len(set(lined_up) - {a.id for a in report.added})
    step("done", total + 1, total + 1)
    if refine_now:
        _, report.links = refine(store, on_step)
    else:
        report.decided = not store.unrefined()
    return report


def _name(path: Path | str) -> str:
    """A file by its name; a link or standard input as given."""
    return path.name if isinstance(path, Path) else path


def _new_articles(store: Store, paths: Sequence[Path | str], report: ImportReport, finder: _Finder,
                  **options: Any) -> Iterator[list[tuple[Path | str, ArticleDraft]]]:
    """The articles of `paths` that read and are not in the case yet, in batches of at most
    `BATCH` articles and `BATCH_BYTES` of text; the others go in the report. Reading text is
    quick; finding its claims is the work, done for a batch at once. Reading a web page or a
    PDF is work too (trafilatura takes 25 ms a page): many are read by the helpers."""
    batch: list[tuple[Path | str, ArticleDraft]] = []
    size = 0
    for path, draft in finder.read(paths, options):
        if isinstance(draft, reader.ReadError):
            report.errors.append(draft)
            continue
        if existing := store.article_by_hash(draft.content_hash):
            report.duplicates.append((str(path), existing))
            continue
        batch.append((path, draft))
        size += len(draft.text)
        if len(batch) >= BATCH or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


#: Articles stored in one transaction, or as many as were found in this many seconds: a commit
#: waits for the disk, and a thousand of them were a third of an import's storing.
STORE_BATCH = 32
STORE_EVERY = 0.25
#: Articles read and handed to claim finding at a time, and at most this much text.
BATCH = 256
BATCH_BYTES = 16_000_000
#: Fewer texts than this (or less text) are read for claims here; more are shared out among
#: processes, one a core: starting one (Python, numpy, the model) takes about half a second.
PARALLEL_TEXTS = 48
PARALLEL_BYTES = 200_000
#: Pages and PDFs take 25 ms or more each to read: this many are shared out among the helpers.
PARALLEL_PAGES = 16


class _Finder:
    """Finds the claims of many texts. Finding claims is pure Python, so a large import shares
    it out among helper processes, one a core, while this one stores what comes back. They are
    started once per import (`_start_method` says how); a machine that cannot start them gets
    the work done here."""

    def __init__(self, *, parallel: bool) -> None:
        cores = os.cpu_count() or 1
        self._helpers: ProcessPoolExecutor | None = None
        if parallel and cores > 1:
            try:
                prepare_helpers()
                self._helpers = ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context(_start_method()),
                                                    initializer=_helper_started)
            except (OSError, ValueError):
                self._helpers = None

    def read(self, paths: Sequence[Path | str], options: dict[str, Any]
             ) -> Iterator[tuple[Path | str, ArticleDraft | reader.ReadError]]:
        """Each path read, in order, or the `ReadError` that refused it. Pages and PDFs are
        shared out among the helpers when there are many; standard input and links are read
        here, and so is plain text, which reads faster than it would travel."""
        slow = sum(1 for p in paths if isinstance(p, Path) and _slow_to_read(p.name))
        if self._helpers is None or slow < PARALLEL_PAGES:
            yield from ((path, _read_one(path, options)) for path in paths)
            return
        for start in range(0, len(paths), BATCH):
            chunk = paths[start : start + BATCH]
            try:
                results = list(self._helpers.map(_read_one, chunk, [options] * len(chunk), chunksize=4))
            except (OSError, ValueError, BrokenProcessPool):
                self.close()
                results = [_read_one(path, options) for path in chunk]
            yield from zip(chunk, results)

    def find(self, texts: Sequence[str]) -> Iterator[tuple[list[FoundClaim], list[bytes]]]:
        """Each text's sentences as the finder found them, and their static vectors, in order."""
        done = 0
        if self._helpers is not None and sum(map(len, texts)) >= PARALLEL_BYTES:
            try:
                for found in self._helpers.map(_find, texts, chunksize=8):
                    done += 1
                    yield found
                return
            except (OSError, ValueError, BrokenProcessPool):
                self.close()
        yield from map(_find, texts[done:])

    def close(self) -> None:
        if self._helpers is not None:
            self._helpers.shutdown(cancel_futures=True)
            self._helpers = None


def _find(text: str) -> tuple[list[FoundClaim], list[bytes]]:
    """A text's sentences, what the finder made of each, and each one's vector by meaning
    (`vectors.pack`): both are made a sentence at a time, so both are made where the text is,
    in the helper processes, and the import stores them together."""
    found = claims.find_claims(text)
    return found, vectors.pack(vectors.embed([f.text for f in found])) if found else []


def _slow_to_read(name: str) -> bool:
    lowered = name.lower()
    return lowered.endswith((".pdf", *reader.PAGE_SUFFIXES, *reader.GZIPPED_PAGE_SUFFIXES))


def _read_one(path: Path | str, options: dict[str, Any]) -> ArticleDraft | reader.ReadError:
    """One article read, or the refusal (returned, not raised: it travels back from a helper)."""
    try:
        return reader.read_article(path, **options)
    except reader.ReadError as error:
        return error


def _start_method() -> str:
    """Fork the helpers where that is safe: on Linux, from a process with no other thread. A
    forked helper starts at once with what this process has imported; a spawned one imports
    Python, numpy and the claim finder anew, a third of a second of the import's CPU. A thread
    (the TUI's) can hold a lock at the fork that the helper then waits on forever, and macOS
    libraries do not survive a fork: there they are spawned."""
    if sys.platform == "linux" and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def prepare_helpers() -> None:
    """Start what helper processes need before a screen takes over: multiprocessing starts its
    resource tracker with this process's stderr, which a running Textual app has swapped for an
    object without a file descriptor (then the helpers cannot start, and an import does its
    work in one process)."""
    resource_tracker.ensure_running()


def _helper_started() -> None:
    """Ctrl-C is for the importing process to handle: a helper finishes its article and goes.
    A helper whose importing process is gone (killed, or its SSH session lost) goes too: it
    would otherwise wait forever for work that never comes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), name="exit-with-parent", daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(HELPER_WATCH_SECONDS)
    os._exit(1)


#: How often a helper looks whether the process it works for is still there.
HELPER_WATCH_SECONDS = 0.5


#: Times a line-up reads the case again because another finished first, before it writes what
#: it found regardless (the links are all there; only the order of the work differs).
RETRIES = 3


def line_up(store: Store) -> tuple[list[int], int]:
    """Line up the articles stored and not yet lined up, this process's and those of imports
    that ended without doing it, with the rest of the case; returns their ids and the links
    written. These are the quick links: each pair of claims about the same thing, `related`
    by their words' score, for `refine` to decide.

    The articles of an import still running elsewhere are its own and stay out, so two imports
    at once end with the links of one after the other. What is found is written in one
    transaction, all or nothing, and only if no other line-up finished meanwhile (else it
    reads the case again): a kill at any point leaves the work whole for the next import."""
    for attempt in range(RETRIES + 1):
        aligned = store.aligned_count()
        waiting = store.unaligned()
        mine = jobs.ours(waiting)
        if not mine:
            return [], 0
        theirs = {i for i, _, _ in waiting} - mine
        # the claims as the aligner reads them, each made once (no outlet or date: quick links
        # are not decided, and only a decision reads them)
        everything = [align.ClaimText(i, article, text) for i, article, text in store.claim_texts()
                      if article not in theirs]
        links = align.link_claims([c for c in everything if c.article_id in mine], everything, decide=False)
        written = store.line_up(mine, links, aligned if attempt < RETRIES else None)
        if written is not None:
            return sorted(mine), written
    raise AssertionError("unreachable: the last attempt writes whatever the count")


def refine(store: Store, on_step: Callable[[str, int, int], None] | None = None) -> tuple[list[int], int]:
    """Decide the quick links of every article lined up and not refined: the costly tier.

    The claims get their dense vectors (kept in the case, so each is made once); sentences
    another article states as a claim are promoted; each new claim is paired again, by its
    words and now by its meaning, and every pair is read into slots and decided by the full
    matcher (`align.link_claims`): conflicts, revisions, the same fact, or related. It is
    written in one transaction, like a line-up, and only if no other refinement finished
    meanwhile (else the case is read again), so a kill at any point leaves the work for the
    next one. The articles of one line-up are decided together, a line-up after the other, each
    against the articles lined up by then: the links are those of imports each decided before
    the next began. Returns the articles refined and the links written. `on_step` hears the
    progress (what, done, of how many)."""
    step = on_step or (lambda what, done, total: None)
    done: list[int] = []
    links = 0
    while batch := _refine_first(store, step):
        done += batch[0]
        links += batch[1]
    return sorted(done), links


def _refine_first(store: Store, step: Callable[[str, int, int], None]) -> tuple[list[int], int] | None:
    """Decide the links of the articles of the first line-up not refined yet, against the
    articles lined up by then (see `refine`); None when there are none."""
    for attempt in range(RETRIES + 1):
        refined = store.refined_count()
        unrefined = store.unrefined()
        if not unrefined:
            return None
        first = min(number for _, number in unrefined)
        waiting = {i for i, number in unrefined if number == first}
        by_then = store.lined_up_by(first)
        everything = [c for c in store.claims(include_sentences=True) if c.article_id in by_then]
        articles = {a.id: a for a in store.articles()}  # read once: their texts are most of the case
        promote = promote_corroborated(waiting, everything)
        spoken = _languages(articles, by_then)
        multilingual = _multilingual_vectors(everything, spoken, step) if spoken else {}
        if multilingual:
            promote += [i for i in promote_across_languages(waiting, everything, spoken, multilingual)
                        if i not in set(promote)]
        to_promote = set(promote)
        claims_now = [dataclasses.replace(c, is_claim=True, origin="corroboration") if c.id in to_promote else c
                      for c in everything if c.is_claim or c.id in to_promote]
        meanings = _meanings(store, claims_now, step)
        new_claims = [c for c in claims_now if c.article_id in waiting or c.id in to_promote]
        step("deciding", 0, 1)
        links = _links(articles, new_claims, claims_now, meanings=meanings) if new_claims else []
        if new_claims and multilingual:
            links += _across_languages(articles, new_claims, claims_now, links, spoken, multilingual)
        written = store.refine(waiting, promote, links, refined if attempt < RETRIES else None)
        step("links decided", 1, 1)
        if written is not None:
            return sorted(waiting), written
    raise AssertionError("unreachable: the last attempt writes whatever the count")


#: Claims given dense vectors at a time, each batch kept as it is made: a refinement stopped
#: half way keeps what it made.
DENSE_BATCH = 512


def _meanings(store: Store, claims_now: Sequence[Claim], step: Callable[[str, int, int], None]) -> align.Meanings:
    """Every claim's dense vectors, its own and its clauses': those stored, and the others made
    now and stored."""
    from workbench import encoder

    stored = store.dense_vectors(c.id for c in claims_now)
    missing = [c for c in claims_now if c.id not in stored]
    for start in range(0, len(missing), DENSE_BATCH):
        step("reading their meaning", start, len(missing))
        batch = missing[start : start + DENSE_BATCH]
        units, owner = align.meaning_units([c.text for c in batch])
        packed = vectors.pack(units)  # each claim's own, then the clauses, each claim's together
        counts = np.bincount(owner[len(batch):], minlength=len(batch))
        starts = len(batch) + np.cumsum(counts) - counts
        rows = [(claim.id, packed[k], b"".join(packed[begin : begin + count]))
                for k, (claim, begin, count) in enumerate(zip(batch, starts.tolist(), counts.tolist()))]
        store.add_dense_vectors(rows)
        stored.update((i, (dense, held)) for i, dense, held in rows)
    dimensions = encoder.shipped().dimensions
    ids = list(stored)
    rows_of = vectors.unpack([stored[i][0] for i in ids], dimensions)
    size = 4 + dimensions
    parts_of = {i: vectors.unpack([held[k : k + size] for k in range(0, len(held), size)], dimensions)
                for i, (_, held) in stored.items() if held}
    return align.Meanings.of(dict(zip(ids, rows_of)), parts_of)


def _languages(articles: dict[int, Article], article_ids: set[int]) -> dict[int, str]:
    """Each of `article_ids`' language (`languages.language`), when they are in two or more;
    else nothing (most cases: then nothing across languages is done, nor its model loaded)."""
    spoken = {i: languages.language(articles[i].text) for i in article_ids if i in articles}
    return spoken if len(set(spoken.values()) - {""}) >= 2 else {}


def _multilingual_vectors(everything: Sequence[Claim], spoken: dict[int, str],
                          step: Callable[[str, int, int], None]) -> dict[int, Any]:
    """The multilingual vectors (`crosslingual.encode`) of every claim and sentence, by id."""
    from workbench import crosslingual

    found = {}
    everything = [c for c in everything if spoken.get(c.article_id)]  # see `promote_across_languages`
    for start in range(0, len(everything), DENSE_BATCH):
        step("reading across languages", start, len(everything))
        batch = everything[start : start + DENSE_BATCH]
        found.update(zip((c.id for c in batch), crosslingual.encode([c.text for c in batch])))
    return found


def promote_across_languages(article_ids: set[int], everything: Sequence[Claim], spoken: dict[int, str],
                             multilingual: dict[int, Any]) -> list[int]:
    """The sentences to make claims because an article in another language states them as a
    claim (the claim finder reads English; a Spanish wire's sentences it passes over are claims
    when the English report's are), where one side is in a newly imported article."""
    from workbench import crosslingual

    # an article whose language is not known is left to the words (most are short English ones)
    pool = [c for c in everything if (c.is_claim or c.origin == "finder") and spoken.get(c.article_id)]
    if not pool:
        return []
    first, second, _ = crosslingual.pairs([c.text for c in pool], [spoken.get(c.article_id, "") for c in pool],
                                          [c.article_id for c in pool],
                                          vectors=np.array([multilingual[c.id] for c in pool]).reshape(len(pool), -1))
    promote = []
    for a, b in zip(first.tolist(), second.tolist()):
        x, y = pool[a], pool[b]
        if x.is_claim == y.is_claim or not ({x.article_id, y.article_id} & article_ids):
            continue
        promote.append(y.id if x.is_claim else x.id)
    return sorted(set(promote))


def _across_languages(articles: dict[int, Article], new_claims: Sequence[Claim], claims_now: Sequence[Claim],
                      links: Sequence[Link], spoken: dict[int, str], multilingual: dict[int, Any]) -> list[Link]:
    """The links of `new_claims` to claims of articles in another language (`align.across_languages`)."""
    new_claims = [c for c in new_claims if spoken.get(c.article_id)]  # see `promote_across_languages`
    new_ids = {c.id for c in new_claims}
    ordered = new_claims + [c for c in claims_now if c.id not in new_ids and spoken.get(c.article_id)]
    if not new_claims:
        return []
    known = {(min(l.claim_a, l.claim_b), max(l.claim_a, l.claim_b)) for l in links}
    return align.across_languages([_text(c, articles) for c in ordered], [spoken.get(c.article_id, "") for c in ordered],
                                  len(new_claims), known,
                                  np.array([multilingual[c.id] for c in ordered]).reshape(len(ordered), -1))


def promote_corroborated(article_ids: set[int], everything: Sequence[Claim]) -> list[int]:
    """The sentences to make claims because another article states them as a claim, where one
    side of the pair is in a newly imported article; `everything` is every claim and sentence
    of the case. Only the finder's sentences: an analyst's dismissal is never overridden."""
    sentences = [c for c in everything if not c.is_claim and c.origin == "finder"]
    found_claims = [c for c in everything if c.is_claim]
    new_sentences = [_text(c) for c in sentences if c.article_id in article_ids]
    old_sentences = [_text(c) for c in sentences if c.article_id not in article_ids]
    ids = align.corroborated(new_sentences, [_text(c) for c in found_claims])
    ids += align.corroborated(old_sentences, [_text(c) for c in found_claims if c.article_id in article_ids])
    return ids


def realign(store: Store, changed: Iterable[Claim]) -> int:
    """Link `changed` claims (a sentence an analyst promoted, say) to the claims of every other
    article; returns links written."""
    return store.add_links(_links({a.id: a for a in store.articles()}, list(changed), store.claims()))


def _links(articles: dict[int, Article], changed: Sequence[Claim], claims: Sequence[Claim], *,
           meanings: align.Meanings | None = None) -> list[Link]:
    """The links of `changed` claims to `claims` (every claim of the case, in reading order),
    read with their `articles`' outlets and dates; see `align.link_claims` for `meanings`."""
    return align.link_claims([_text(c, articles) for c in changed], [_text(c, articles) for c in claims],
                             meanings=meanings)


def import_seeds_if_empty(store: Store, *, analyst: str) -> ImportReport | None:
    """A new case opens on the bundled sample articles rather than on an empty screen."""
    if store.article_count():
        return None
    return import_paths(store, [settings.seeds_dir()], analyst=analyst)


def _text(claim: Claim, articles: dict[int, Article] | None = None) -> align.ClaimText:
    """A claim as the aligner reads it: with its article's outlet and date, when they matter."""
    article = articles.get(claim.article_id) if articles else None
    if article is None:
        return align.ClaimText(claim.id, claim.article_id, claim.text)
    return align.ClaimText(claim.id, claim.article_id, claim.text, article.source or "", article.date or "")
