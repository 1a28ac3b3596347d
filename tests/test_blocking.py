"""Blocked alignment: scoring only pairs that share a rarer word, and the benchmark that measures it."""

from __future__ import annotations

import math
import random
from collections import Counter

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


def _blocking_rule(queries: int, texts: list[str], articles: np.ndarray) -> set[tuple[int, int]]:
    """`candidate_pairs` as its docstring states it, pair by pair: each text's prefix (its rarest
    words), a word usable only if 2 to `MAX_POSTING` prefixes hold it, and two texts of different
    articles paired when they share two usable prefix words, or one when either has a one-word
    prefix."""
    words = align._Words.of(texts)
    held: dict[int, list[int]] = {t: [] for t in range(len(texts))}
    for owner, word in zip(words.owner.tolist(), words.word.tolist()):
        held[owner].append(word)
    prefixes = []
    for t in range(len(texts)):
        rarest = sorted(held[t], key=lambda w: (words.frequency[w], w))
        size = len(rarest) - math.ceil(align.PREFIX_OVERLAP * len(rarest)) + 1 if rarest else 0
        prefixes.append(set(rarest[:size]))
    postings = Counter(w for prefix in prefixes for w in prefix)
    usable = [{w for w in prefix if 2 <= postings[w] <= align.MAX_POSTING} for prefix in prefixes]
    pairs = set()
    for x in range(queries):
        for y in range(x + 1, len(texts)):
            shared = usable[x] & usable[y]
            one_word = len(prefixes[x]) == 1 or len(prefixes[y]) == 1
            if articles[x] != articles[y] and (len(shared) >= 2 or (one_word and shared)):
                pairs.add((x, y))
    return pairs


def _random_case(rng: random.Random) -> tuple[int, list[str], np.ndarray]:
    """Texts of a small vocabulary, a few words each, some articles long (most of their words
    their own) and some short, queries first."""
    vocabulary = [f"w{n}" for n in range(rng.randint(3, 12))]
    count = rng.randint(10, 80) if rng.random() > 0.1 else rng.randint(0, 2)
    texts = [" ".join(rng.choices(vocabulary, k=rng.randint(0, 7))) for _ in range(count)]
    articles = np.array(sorted(rng.choices(range(1, rng.randint(3, 7)), k=count)), dtype=np.int64)
    return rng.randint(0, count), texts, articles


@pytest.mark.parametrize("seed", range(60))
def test_candidate_pairs_made_in_slices_are_exactly_those_of_the_blocking_rule(seed: int, monkeypatch) -> None:
    rng = random.Random(seed)
    queries, texts, articles = _random_case(rng)
    monkeypatch.setattr(align, "MAX_POSTING", rng.choice([6, 20, 500]))
    wanted = _blocking_rule(queries, texts, articles)
    for pair_batch, text_batch in ((align.PAIR_BATCH, align.TEXT_BATCH), (1, 1), (5, 3)):
        monkeypatch.setattr(align, "PAIR_BATCH", pair_batch)
        monkeypatch.setattr(align, "TEXT_BATCH", text_batch)
        query, choice = align.candidate_pairs(texts[:queries], texts, articles)
        assert list(zip(query.tolist(), choice.tolist())) == sorted(wanted)


def test_a_long_article_alone_makes_no_pairs_with_itself() -> None:
    texts = [align.normalise(f"Barges number {n} and {n + 1} of the Osterby ferry line sank near the dam")
             for n in range(3000)]
    query, choice = align.candidate_pairs(texts, texts, np.ones(len(texts), dtype=np.int64))
    assert len(query) == len(choice) == 0


def test_splitting_texts_into_words_in_slices_changes_nothing(monkeypatch) -> None:
    texts = [align.normalise(s) for s in bench.synthetic_case(3)[0]] + ["", "one"]
    whole = align._Words.of(texts)
    monkeypatch.setattr(align, "TEXT_BATCH", 4)
    sliced = align._Words.of(texts)
    for field in ("owner", "word", "sizes", "frequency"):
        assert np.array_equal(getattr(whole, field), getattr(sliced, field))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_exact_comparison_leaves_out_only_pairs_that_share_no_word(
    seed: int, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pairs with no word in common cover nothing, so skipping them changes no link: the same
    links as scoring every pair, in the same order."""
    texts = [align.ClaimText(article * 100 + k, article, sentence)
             for article, sentences in enumerate(bench.synthetic_case(12, seed=seed, claims_per_article=15))
             for k, sentence in enumerate(sentences)]
    rng = random.Random(seed)
    new = rng.sample(texts, 40)
    skipping = align.link_claims(new, texts, blocked=False)
    monkeypatch.setattr(align._Words, "sharing",
                        lambda self, queries, n: np.divmod(np.arange(queries * n, dtype=np.int64), n))
    every_pair = align.link_claims(new, texts, blocked=False)
    assert skipping and skipping == every_pair


def test_pairs_sharing_a_word_are_found_from_the_words_alone() -> None:
    words = align._Words.of(["tanker down", "jet down", "ship sank", "tanker fire"])
    query, choice = words.sharing(2, 4)
    assert list(zip(query.tolist(), choice.tolist())) == [(0, 0), (0, 1), (0, 3), (1, 0), (1, 1)]
