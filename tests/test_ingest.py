"""Importing: read -> find claims -> store -> align, and the finder's second look across articles."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from workbench import bench, checkworthy, ingest, settings
from workbench.store import Store


def claim_starting(store: Store, prefix: str, article_id: int | None = None):
    return next(c for c in store.claims(include_sentences=True)
                if c.text.lstrip("“").startswith(prefix) and (article_id is None or c.article_id == article_id))


def test_a_sentence_another_article_states_as_a_claim_becomes_a_claim(seeded: Store) -> None:
    a1, a2 = (a.id for a in seeded.articles())
    mine = claim_starting(seeded, "One of the aircraft went down", a1)
    theirs = claim_starting(seeded, "One of the aircraft went down", a2)
    assert theirs.is_claim and theirs.origin == "finder"
    assert mine.is_claim and mine.origin == "corroboration"
    assert mine.score < checkworthy.threshold()  # the model alone passed it over
    assert any(link.other(mine.id) == theirs.id for link in seeded.links(mine.id))


def test_corroboration_is_not_an_analysts_change_and_leaves_no_history(seeded: Store) -> None:
    a1 = seeded.articles()[0].id
    mine = claim_starting(seeded, "One of the aircraft went down", a1)
    assert seeded.history(mine.id) == []


def test_a_dismissed_sentence_is_not_brought_back_by_a_new_article(seeded: Store, tmp_path: Path) -> None:
    a1 = seeded.articles()[0].id
    mine = claim_starting(seeded, "One of the aircraft went down", a1)
    seeded.dismiss(mine.id, "ana")
    third = tmp_path / "third.txt"
    third.write_text("Wire copy\n\nOne of the aircraft went down in western Iraq, and the second landed "
                     "safely, officials said on Thursday.\n", encoding="utf-8")
    report = ingest.import_paths(seeded, [third], analyst="ana")
    assert len(report.added) == 1
    assert not seeded.claim(mine.id).is_claim


def test_filler_is_not_a_claim_even_when_both_articles_say_it(seeded: Store) -> None:
    for prefix in ("This is a breaking news story", "Little is known about the circumstances"):
        sentence = claim_starting(seeded, prefix)
        assert not sentence.is_claim, sentence.text



@pytest.mark.parametrize("start", ["fork", "spawn"])
def test_a_large_import_finds_in_helper_processes_exactly_what_one_process_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str,
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for index, sentences in enumerate(bench.synthetic_case(10)):
        (folder / f"a{index:02}.txt").write_text(f"Report {index}\n\n{' '.join(sentences)}\n", encoding="utf-8")

    def imported(name: str) -> list[tuple]:
        with Store(tmp_path / name) as store:
            report = ingest.import_paths(store, [folder], analyst="ana")
            assert len(report.added) == 10 and report.links
            return [(c.article_id, c.start, c.end, c.score, c.kind, c.is_claim, c.numbers, c.dates, c.sources)
                    for c in store.claims(include_sentences=True)]

    alone = imported("alone.db")
    monkeypatch.setattr(ingest, "PARALLEL_TEXTS", 4)
    monkeypatch.setattr(ingest, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(ingest, "_start_method", lambda: start)
    spawned: list[int] = []
    real = ingest.ProcessPoolExecutor
    monkeypatch.setattr(ingest, "ProcessPoolExecutor", lambda *a, **k: spawned.append(1) or real(*a, **k))
    assert imported("shared.db") == alone
    assert spawned == [1]  # one set of helpers for the whole import


def test_helpers_are_forked_only_from_a_process_without_other_threads() -> None:
    """A fork copies the locks other threads hold (the TUI's workers), and may never get them."""
    assert ingest._start_method() == ("fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn")
    release = threading.Event()
    worker = threading.Thread(target=release.wait)
    worker.start()
    try:
        assert ingest._start_method() == "spawn"
    finally:
        release.set()
        worker.join()


def test_a_sentence_dismissed_while_the_links_are_decided_gets_no_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another analyst can dismiss a sentence the refinement is about to promote, before it
    writes."""
    first, second = sorted(settings.seeds_dir().glob("*.txt"))
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [first], analyst="ana")
        promote_corroborated = ingest.promote_corroborated
        dismissed: set[int] = set()

        def another_analyst_dismisses_meanwhile(*args):  # noqa: ANN202
            promote = promote_corroborated(*args)
            with Store(tmp_path / "case.db") as other:
                dismissed.update(other.dismiss(i, "bo").id for i in promote)
            return promote

        monkeypatch.setattr(ingest, "promote_corroborated", another_analyst_dismisses_meanwhile)
        report = ingest.import_paths(store, [second], analyst="ana")
        assert dismissed and report.links
        assert not any({link.claim_a, link.claim_b} & dismissed for link in store.links())
        assert all(not store.claim(i).is_claim for i in dismissed)


def test_an_interrupted_import_keeps_the_articles_it_has_found(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    for index, sentences in enumerate(bench.synthetic_case(10)):
        (folder / f"a{index:02}.txt").write_text(f"Report {index}\n\n{' '.join(sentences)}\n", encoding="utf-8")

    def interrupt_at_the_sixth(what: str, done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with Store(tmp_path / "case.db") as store:
        with pytest.raises(KeyboardInterrupt):
            ingest.import_paths(store, [folder], analyst="ana", on_step=interrupt_at_the_sixth)
        assert store.article_count() == 5
        report = ingest.import_paths(store, [folder], analyst="ana")
        assert (len(report.added), len(report.duplicates), store.article_count()) == (5, 5, 10)
