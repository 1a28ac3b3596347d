"""Benchmarks on a synthetic newsroom case: `python -m workbench.bench [align] [--articles N]`.

The case is generated deterministically: a pool of facts about one conflict (counts of aircraft
and troops, places, weekdays, officials), each written in several wordings; every article tells
some of the shared facts in its own words and adds its own colour, so alignment has real work to
do. Figures are printed with a baseline measured in the same run, as ratios, never as pass/fail
timings inside the test suite.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from workbench import align, extract, ingest
from workbench.align import ClaimText
from workbench.store import Store

_SYLLABLES = "al ba ka ra zi mo tu qa sha dar nur han bel kir vos tem lun gad or is ve pri sto mar len cor".split()
_FUNCTION = ("the a of in on at to for from by with and was were has had that after before near over "
             "during while against into about their its this").split()
_NUMBERS = "two three four five six seven eight nine ten twelve fifteen twenty 40 120 300".split()
_ATTRIBUTIONS = ("officials said", "the ministry said", "according to a spokesman", "a source told reporters",
                 "police said", "the statement said", "witnesses said", "the agency reported")


def _lexicon(rng: random.Random, size: int) -> list[str]:
    """Made-up content words: alignment is about shared wording, not about English."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(words)


class _Writer:
    """Sentences with a Zipf-like spread of content words, and rewordings of them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = _lexicon(rng, 4000)
        self.weights = [1 / (rank + 10) for rank in range(len(self.words))]

    def content(self, n: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=n)

    def sentence(self) -> list[str]:
        words = []
        for word in self.content(self.rng.randint(7, 11)):
            words.append(word)
            if self.rng.random() < 0.5:
                words.append(self.rng.choice(_FUNCTION))
        words.insert(self.rng.randrange(len(words)), self.rng.choice(_NUMBERS))
        words[0] = words[0].capitalize()
        return words

    def reword(self, words: list[str]) -> str:
        """Another report's wording: a word or two changed, an attribution, a clause moved."""
        words = list(words)
        for _ in range(self.rng.randint(0, 2)):
            words[self.rng.randrange(len(words))] = self.content(1)[0]
        if self.rng.random() < 0.3:
            cut = self.rng.randrange(1, len(words))
            words = words[cut:] + words[:cut]
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if self.rng.random() < 0.6:
            return f"{text}, {self.rng.choice(_ATTRIBUTIONS)}."
        return f"{text}."


#: How many facts are "in the news" at the time of one article.
_WINDOW = 120


def synthetic_case(articles: int, *, seed: int = 7, claims_per_article: int = 40) -> list[list[str]]:
    """`articles` lists of sentences (about 4 KB each), deterministic; four in five sentences
    restate one of the facts in the news at the time, so each fact appears in several articles
    near each other, as in a real news cycle."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    facts = [writer.sentence() for _ in range(max(50, articles * 4))]
    out = []
    for index in range(articles):
        # a news cycle: an article restates the facts of the days around it, not of all time
        low = max(0, min(len(facts) - _WINDOW, 4 * index - _WINDOW // 2))
        recent = facts[low : low + _WINDOW]
        sentences = []
        for _ in range(claims_per_article):
            source = rng.choice(recent) if rng.random() < 0.8 else writer.sentence()
            sentences.append(writer.reword(source))
        out.append(sentences)
    return out


def case_claims(case: Sequence[Sequence[str]]) -> list[ClaimText]:
    """The claims as the store hands them to the alignment: with the quantities claim finding
    found in them (found here, before the clock starts, as import finds them once)."""
    claims, next_id = [], 1
    for article, sentences in enumerate(case, 1):
        for sentence in sentences:
            claims.append(ClaimText(next_id, article, sentence, tuple(extract.numbers(sentence))))
            next_id += 1
    return claims


def bench_align(articles: int, subset: int) -> None:
    """Blocked alignment of the whole case, and its recall against all-pairs on a subset."""
    case = synthetic_case(articles)
    claims = case_claims(case)
    size = sum(len(s) for a in case for s in a)
    print(f"synthetic case: {articles} articles, {len(claims)} claims, {size / 1e6:.1f} MB; {os.cpu_count()} cores")

    small = [c for c in claims if c.article_id <= subset]
    start = time.perf_counter()
    every = align.link_claims(small, [], blocked=False)
    all_pairs_time = time.perf_counter() - start
    start = time.perf_counter()
    blocked = align.link_claims(small, [], blocked=True)
    blocked_small_time = time.perf_counter() - start
    wanted = {(l.claim_a, l.claim_b) for l in every}
    found = {(l.claim_a, l.claim_b) for l in blocked}
    recall = len(wanted & found) / len(wanted) if wanted else 1.0
    print(f"subset of {subset} articles ({len(small)} claims): all-pairs {all_pairs_time:.2f} s, {len(wanted)} links; "
          f"blocked {blocked_small_time:.2f} s ({all_pairs_time / blocked_small_time:.1f}x faster), "
          f"finds {recall:.1%} of them")

    start = time.perf_counter()
    links = align.link_claims(claims, [], blocked=True)
    whole = time.perf_counter() - start
    if small:
        estimate = all_pairs_time * (len(claims) ** 2 / len(small) ** 2)
        print(f"whole case: blocked alignment {whole:.2f} s, {len(links)} links "
              f"(all-pairs estimated at {estimate:.0f} s from the subset: {estimate / whole:.0f}x)")
    else:
        print(f"whole case: blocked alignment {whole:.2f} s, {len(links)} links")
    print(f"targets: under 10 s on the whole case: {'MET' if whole < 10 else 'NOT MET'}; "
          f"at least 98% of all-pairs links: {'MET' if recall >= 0.98 else 'NOT MET'}")


_FLOOR_SPLIT = re.compile(r"(?<=[.!?])\s+")


def bench_import(articles: int) -> None:
    """Import and claim finding, stored, end to end (read -> find -> store -> align), against
    the floor: a bare regex sentence split of the same text."""
    texts = [" ".join(sentences) for sentences in synthetic_case(articles)]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    start = time.perf_counter()
    for text in texts:
        _FLOOR_SPLIT.split(text)
    floor = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        for index, text in enumerate(texts):
            (Path(folder) / f"article-{index:04}.txt").write_text(f"Report {index}\n\n{text}\n", encoding="utf-8")
        with Store(Path(folder) / "case.db") as store:
            start = time.perf_counter()
            report = ingest.import_paths(store, [folder], analyst="bench")
            whole = time.perf_counter() - start
            claims = len(store.claims())
    print(f"import: {len(report.added)} articles, {size:.1f} MB, {claims} claims, {report.links} links")
    print(f"  end to end (read, find claims, store, align): {whole:.2f} s = {size / whole:.2f} MB/s; "
          f"regex split floor {size / floor:.0f} MB/s ({floor / whole:.3f}x of the floor)")
    print(f"target: at least 2 MB/s end to end: {'MET' if size / whole >= 2 else 'NOT MET'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="?", default="align", choices=["align", "import"])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--subset", type=int, default=40, help="articles in the all-pairs recall check")
    args = parser.parse_args(argv)
    if args.what == "align":
        bench_align(args.articles, args.subset)
    elif args.what == "import":
        bench_import(args.articles)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
