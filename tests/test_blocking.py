"""Blocked alignment: scoring only pairs that share a rarer word, and the benchmark that measures it."""

from __future__ import annotations

import numpy as np
import pytest

from workbench import align, bench
from workbench.store import Store


def test_a_small_case_is_scored_exactly(seeded: Store) -> None:
    claims = [align.ClaimText(c.id, c.article_id, c.text) for c in seeded.claims()]
    exact = {(l.claim_a, l.claim_b) for l in align.link_claims(claims, [], blocked=False)}
    default = {(l.claim_a, l.claim_b) for l in align.link_claims(claims, [])}
    assert exact and default == exact


def test_blocking_finds_nearly_every_link_that_scoring_every_pair_finds() -> None:
    claims = bench.case_claims(bench.synthetic_case(12))
    exact = {(l.claim_a, l.claim_b) for l in align.link_claims(claims, [], blocked=False)}
    blocked = {(l.claim_a, l.claim_b) for l in align.link_claims(claims, [], blocked=True)}
    assert len(exact) > 50
    assert len(blocked & exact) >= 0.98 * len(exact)


def test_candidate_pairs_cross_articles_and_skip_unrelated_text() -> None:
    texts = [align.normalise(t) for t in (
        "Karazi tankers were lost near Tal Nurhan on Monday",
        "Near Tal Nurhan, Karazi tankers were lost, officials said",
        "Karazi tankers were lost near Tal Nurhan",
        "Markets rallied in Tokyo",
    )]
    articles = np.array([1, 2, 1, 3])
    query, choice = align.candidate_pairs(texts, texts, articles)
    pairs = set(zip(query.tolist(), choice.tolist()))
    assert (0, 1) in pairs and (1, 0) not in pairs  # each pair once
    assert (0, 2) not in pairs  # same article
    assert not any(3 in pair for pair in pairs)


def test_claims_are_paired_on_two_shared_prefix_words_or_one_when_a_claim_has_one_word() -> None:
    texts = [align.normalise(t) for t in (
        "Karazi", "Karazi tankers", "Tankers of Karazi", "Tankers lost", "Markets rallied in Tokyo",
    )]
    articles = np.array([1, 2, 3, 4, 5])
    query, choice = align.candidate_pairs(texts, texts, articles)
    pairs = set(zip(query.tolist(), choice.tolist()))
    assert (0, 1) in pairs and (0, 2) in pairs  # one word, and the other holds it
    assert (1, 2) in pairs  # "karazi" and "tanker" in both
    assert (1, 3) not in pairs and (2, 3) not in pairs  # only "tanker" in common
    assert not any(4 in pair for pair in pairs)


def test_the_synthetic_case_is_deterministic_and_news_sized() -> None:
    first, again = bench.synthetic_case(3), bench.synthetic_case(3)
    assert first == again
    assert all(3_000 < sum(len(s) for s in article) < 6_000 for article in first)


def test_the_alignment_benchmark_runs_and_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["align", "--articles", "6", "--subset", "3"])
    printed = capsys.readouterr().out
    assert "all-pairs" in printed and "blocked" in printed and "targets:" in printed


def test_corroboration_on_a_large_case_is_blocked_and_finds_what_all_pairs_finds(monkeypatch) -> None:
    claims = bench.case_claims(bench.synthetic_case(30))
    sentences, found = claims[::5], [c for i, c in enumerate(claims) if i % 5]
    exact = set(align.corroborated(sentences, found))
    monkeypatch.setattr(align, "EXACT_PAIRS", 0)
    blocked = set(align.corroborated(sentences, found))
    assert exact and blocked <= exact
    assert len(blocked) >= 0.98 * len(exact)
