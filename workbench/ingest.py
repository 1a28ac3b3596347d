"""Bringing articles into a case: read -> find claims -> store -> align, the one way data flows.

The CLI's `import`, the TUI's start-up and the first-run seeding all call `import_paths`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from workbench import align, claims, reader, settings
from workbench.model import Article, Claim
from workbench.store import AlreadyStored, Store


@dataclass
class ImportReport:
    added: list[Article] = field(default_factory=list)
    duplicates: list[tuple[str, Article]] = field(default_factory=list)
    errors: list[reader.ReadError] = field(default_factory=list)
    links: int = 0

    def summary(self) -> str:
        parts = [f"{len(self.added)} imported"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} already in the case")
        if self.errors:
            parts.append(f"{len(self.errors)} refused")
        parts.append(f"{self.links} links")
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
) -> ImportReport:
    """Import every article file under `paths`; a file that fails is reported, not fatal.

    Re-importing a file already in the case (same content hash) changes nothing. `on_step`
    hears (what is being done, steps done, steps in all) before each file and before the
    alignment, for a progress bar.
    """
    report = ImportReport()
    new_claims: list[Claim] = []
    files = list(reader.article_files(paths))
    step = on_step or (lambda what, done, total: None)
    for index, path in enumerate(files):
        step(f"reading and finding claims in {path.name}", index, len(files) + 1)
        try:
            draft = reader.read_article(path, source=source, title=title, max_bytes=max_bytes)
        except reader.ReadError as error:
            report.errors.append(error)
            continue
        if existing := store.article_by_hash(draft.content_hash):
            report.duplicates.append((str(path), existing))
            continue
        try:
            article, stored = store.add_article(draft, claims.find_claims(draft.text), analyst)
        except AlreadyStored as stored_already:  # another workbench was quicker
            report.duplicates.append((str(path), store.article(stored_already.article_id)))
            continue
        report.added.append(article)
        new_claims.extend(c for c in stored if c.is_claim)
        if on_article:
            on_article(article)
    step("lining up claims across articles", len(files), len(files) + 1)
    if report.added:
        new_claims.extend(promote_corroborated(store, {a.id for a in report.added}))
    if new_claims:
        report.links = realign(store, new_claims)
    step("done", len(files) + 1, len(files) + 1)
    return report


def promote_corroborated(store: Store, article_ids: set[int]) -> list[Claim]:
    """Make claims of the sentences that another article states as a claim, where one side of
    the pair is in a newly imported article. An analyst's dismissal is never overridden."""
    everything = store.claims(include_sentences=True)
    sentences = [c for c in everything if not c.is_claim and c.origin == "finder"]
    found_claims = [c for c in everything if c.is_claim]
    new_sentences = [_text(c) for c in sentences if c.article_id in article_ids]
    old_sentences = [_text(c) for c in sentences if c.article_id not in article_ids]
    ids = align.corroborated(new_sentences, [_text(c) for c in found_claims])
    ids += align.corroborated(old_sentences, [_text(c) for c in found_claims if c.article_id in article_ids])
    return store.corroborate(ids)


def realign(store: Store, changed: Iterable[Claim]) -> int:
    """Link `changed` claims to the claims of every other article; returns links written."""
    changed = list(changed)
    others = [_text(c) for c in store.claims()]
    return store.add_links(align.link_claims([_text(c) for c in changed], others))


def import_seeds_if_empty(store: Store, *, analyst: str) -> ImportReport | None:
    """A new case opens on the bundled sample articles rather than on an empty screen."""
    if store.article_count():
        return None
    return import_paths(store, [settings.seeds_dir()], analyst=analyst)


def _text(claim: Claim) -> align.ClaimText:
    return align.ClaimText(claim.id, claim.article_id, claim.text, tuple(claim.numbers))
