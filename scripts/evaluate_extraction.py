"""Measure how the workbench reads saved web pages: the article text, the metadata, the speed.

    python scripts/evaluate_extraction.py [FOLDER]     (default: ../shared/data/html)

FOLDER holds pages saved as `KEY.html.gz` and `ground-truth.json` mapping each KEY to its
`articleBody` and `url`, as the article-extraction benchmark ships them (read here at run time,
never copied into the repo). Prints, over the pages:

- word F1 of the text the workbench stores against the ground truth's body: each page's F1 over
  its bag of lower-cased \\w+ words, averaged; and the benchmark's own measure (4-word shingles,
  precision and recall averaged over pages, F1 of the two means) for comparison with the F1s it
  publishes;
- how many pages got a title, an outlet (site name), a date and an author;
- pages per second of reading alone, and of `workbench import` itself (read, find claims,
  store, line up): of 100 pages in one import (the pages in turn, each copy made a distinct
  article by a sentence of its own at the start of its paragraphs; the copies of one page then
  link to each other, which makes lining up far slower than for 100 different stories, so the
  time until lining up starts is printed too), and of the distinct pages imported into new cases
  until 100 are in.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from workbench import ingest, reader
from workbench.store import Store

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"
_WORD = re.compile(r"\w+")
#: Pages a speed run imports at least.
SPEED_PAGES = 100


def word_f1(truth: str, found: str) -> float:
    """F1 of the two texts' bags of words (lower-cased), each word counted as often as it occurs."""
    want, got = Counter(_WORD.findall(truth.lower())), Counter(_WORD.findall(found.lower()))
    shared = sum((want & got).values())
    if not shared:
        return 0.0
    precision, recall = shared / sum(got.values()), shared / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def shingle_scores(truth: str, found: str, n: int = 4) -> tuple[float | None, float | None]:
    """The benchmark's per-page precision and recall over n-word shingles (None where undefined)."""
    def shingles(text: str) -> Counter[tuple[str, ...]]:
        words = _WORD.findall(text)
        return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n])

    want, got = shingles(truth), shingles(found)
    shared = sum((want & got).values())
    extra, missed = sum(got.values()) - shared, sum(want.values()) - shared
    if extra == missed == 0:
        return 1.0, 1.0
    precision = shared / (shared + extra) if shared + extra else None
    recall = shared / (shared + missed) if shared + missed else None
    return precision, recall


def _distinct_copies(pages: list[Path], folder: Path, count: int) -> Path:
    """`count` pages made from `pages` in turn, each copy's paragraphs opened with a
    sentence of its own, so that no two are the same article (a case keeps one of each)."""
    folder.mkdir(parents=True)
    for n in range(count):
        source = pages[n % len(pages)]
        html = gzip.decompress(source.read_bytes())
        marked = re.sub(rb"(<p[ >][^>]*>|<p>)", lambda m, n=n: m.group(1) + f"Copy {n} of this page. ".encode(), html,
                        count=0)
        (folder / f"{n:03d}-{source.name}").write_bytes(gzip.compress(marked, 1))
    return folder


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DEFAULT
    truth_file = folder / "ground-truth.json"
    if not truth_file.is_file():
        print(f"{truth_file}: not found (give the folder of saved pages)", file=sys.stderr)
        return 1
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    pages = {key: folder / f"{key}.html.gz" for key in truth}
    f1s: list[float] = []
    precisions: list[float] = []
    recalls: list[float] = []
    found: Counter[str] = Counter()
    refused: list[str] = []
    started = time.perf_counter()
    for key, path in pages.items():
        data = path.read_bytes()
        try:
            draft = reader.read_bytes(data, name=path.name, path=str(path), url=truth[key].get("url"))
        except reader.ReadError as error:
            refused.append(str(error))
            f1s.append(0.0)
            continue
        body = truth[key].get("articleBody", "")
        f1s.append(word_f1(body, draft.text))
        precision, recall = shingle_scores(body, draft.text)
        if precision is not None:
            precisions.append(precision)
        if recall is not None:
            recalls.append(recall)
        for name, value in (("title", draft.title), ("outlet", draft.source), ("date", draft.date),
                            ("author", draft.author)):
            found[name] += bool(value)
    reading = time.perf_counter() - started
    count = len(pages)
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    print(f"pages: {count} in {folder}")
    print(f"word F1 (mean of pages): {statistics.mean(f1s):.3f}  (median {statistics.median(f1s):.3f}, "
          f"lowest {min(f1s):.3f})")
    print(f"benchmark shingle F1: {2 * p * r / (p + r):.3f}  (precision {p:.3f}, recall {r:.3f})")
    for name in ("title", "outlet", "date", "author"):
        print(f"{name}: {found[name]}/{count} ({100 * found[name] / count:.0f}%)")
    for line in refused:
        print(f"refused: {line}")
    print(f"reading alone: {count / reading:.1f} pages/s")

    with tempfile.TemporaryDirectory() as scratch:
        copies = _distinct_copies(list(pages.values()), Path(scratch) / "pages", SPEED_PAGES)
        with Store(Path(scratch) / "copies.db") as store:
            marks: dict[str, float] = {}
            started = time.perf_counter()
            report = ingest.import_paths(store, [copies], analyst="evaluation",
                                         on_step=lambda what, done, total: marks.setdefault(what, time.perf_counter()))
            took = time.perf_counter() - started
        stored = marks.get("lining up claims across articles", started + took) - started
        print(f"workbench import of {SPEED_PAGES} pages in one import: {len(report.added)} imported in {took:.2f} s "
              f"= {len(report.added) / took:.1f} pages/s; reading, finding claims and storing {stored:.2f} s "
              f"= {len(report.added) / stored:.1f} pages/s, lining up the rest (the copies of a page all link to "
              f"each other: {report.links} links)")
        imported, rounds = 0, 0
        started = time.perf_counter()
        while imported < SPEED_PAGES:
            rounds += 1
            with Store(Path(scratch) / f"case{rounds}.db") as store:
                imported += len(ingest.import_paths(store, list(pages.values()), analyst="evaluation").added)
        took = time.perf_counter() - started
    print(f"workbench import of the {count} distinct pages into {rounds} new cases: {imported} pages in {took:.2f} s "
          f"= {imported / took:.1f} pages/s (a case made each time, its claims lined up)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
