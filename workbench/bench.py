"""Benchmarks on a synthetic newsroom case: `python -m workbench.bench [MEASURE...] [--articles N]`.

The case is generated deterministically: a pool of facts about one conflict (counts of aircraft
and troops, places, weekdays, officials), each written in several wordings; every article tells
some of the shared facts in its own words and adds its own colour, so alignment has real work to
do. The measures (`MEASURES`, all by default): alignment and its recall, import, time to
interactive and peak memory in a real terminal, key press to screen, commit latency, filter and
search, export (and a json export's peak memory). Each figure is printed with a baseline measured in the same run and the ratio,
never as pass/fail timings inside the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import csv
import gc
import html
import json
import io
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import align, export, ingest, reader, search
from workbench.align import ClaimText
from workbench.safetext import one_line
from workbench.store import Store

if TYPE_CHECKING:
    from textual.app import App

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
        # summed once: `choices` with plain weights sums all 4,000 for every sentence (the same picks)
        self.cumulative = list(accumulate(1 / (rank + 10) for rank in range(len(self.words))))

    def content(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

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
    """The claims as the store hands them to the alignment."""
    claims, next_id = [], 1
    for article, sentences in enumerate(case, 1):
        for sentence in sentences:
            claims.append(ClaimText(next_id, article, sentence))
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
    print(f"targets: under 10 s on the whole case: {_verdict(whole < 10)}; "
          f"at least 98% of all-pairs links: {_verdict(recall >= 0.98)}")


#: A saved news page as a browser keeps it: the article among a site's menus, scripts, styles,
#: share buttons, related links and footer, with the page's metadata in its head, and the
#: site's state as inline JSON (what makes real pages 100 KB and more: see `_STATE_ITEMS`).
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Daily {outlet}</title>
<meta property="og:site_name" content="The Daily {outlet}">
<meta property="og:title" content="{title}">
<meta name="author" content="{author}">
<meta property="article:published_time" content="2026-0{month}-{day:02}T08:30:00Z">
<link rel="canonical" href="https://daily-{outlet_slug}.example/news/{index}">
<style>body{{font-family:serif}} nav a{{margin:0 4px}} .ad{{display:none}}</style>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body>
<header><nav>{menu}</nav><form><input name="q" placeholder="Search"></form></header>
<div class="ad">Advertisement</div>
<main><article>
<h1>{title}</h1>
<p class="byline">By {author} · {month}/{day} 2026</p>
{paragraphs}
</article>
<aside><h2>Most read</h2><ul>{related}</ul></aside>
<div class="share"><a href="#">Share on social media</a> <a href="#">Email this story</a></div>
</main>
<footer><p>Cookie settings · Privacy policy · Terms of use · Contact us</p>
<p>© 2026 The Daily {outlet}. All rights reserved.</p></footer>
<script>(function(){{var s=document.createElement("script");s.src="/analytics.js";}})();</script>
<script id="__STATE__" type="application/json">{state}</script>
</body></html>
"""


#: Teasers in a page's inline state: about 90 KB, the weight of a real news page's markup.
_STATE_ITEMS = 600


def news_page(index: int, sentences: Sequence[str], rng: random.Random) -> str:
    """One synthetic article saved as a news site serves it (see `_PAGE`)."""
    outlet = rng.choice(("Courier", "Ledger", "Herald", "Tribune", "Sentinel"))
    menu = " ".join(f'<a href="/section/{w}">{w.title()}</a>' for w in
                    ("world", "politics", "business", "science", "sport", "culture", "opinion", "video"))
    related = "".join(f'<li><a href="/news/{index * 7 + k}">{" ".join(rng.sample(_SYLLABLES, 4)).title()}</a></li>'
                      for k in range(6))
    state = json.dumps({"teasers": [{"id": index * _STATE_ITEMS + k, "headline": " ".join(rng.choices(_SYLLABLES, k=6)),
                                     "url": f"/news/{rng.randrange(10**6)}", "section": rng.choice(_SYLLABLES)}
                                    for k in range(_STATE_ITEMS)]})
    paragraphs = "\n".join(f"<p>{html.escape(' '.join(sentences[k : k + 3]))}</p>" for k in range(0, len(sentences), 3))
    return _PAGE.format(title=html.escape(sentences[0][:70]), outlet=outlet, outlet_slug=outlet.lower(),
                        author=f"{rng.choice(_SYLLABLES).title()} {rng.choice(_SYLLABLES).title()}nor",
                        month=1 + index % 9, day=1 + index % 28, index=index, menu=menu, related=related,
                        paragraphs=paragraphs, state=html.escape(state, quote=False))


def _timed_import(folder: Path, database: Path) -> tuple[float, ingest.ImportReport]:
    """`workbench import` of a folder into a new case, end to end (read, find, align, store)."""
    database.unlink(missing_ok=True)
    with Store(database) as store:
        start = time.perf_counter()
        report = ingest.import_paths(store, [folder], analyst="bench")
        return time.perf_counter() - start, report


def bench_pages(pages: int, saved: Path | None) -> None:
    """Saved web pages imported end to end, against the same articles as plain text files in the
    same run (what reading the pages adds), and the real saved pages of `saved` if given."""
    rng = random.Random(11)
    case = synthetic_case(pages)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "pages").mkdir()
        (folder / "text").mkdir()
        for index, sentences in enumerate(case):
            (folder / "pages" / f"story-{index:04}.html").write_text(news_page(index, sentences, rng), encoding="utf-8")
            (folder / "text" / f"story-{index:04}.txt").write_text(
                sentences[0][:70] + "\n\n" + " ".join(sentences) + "\n", encoding="utf-8")
        runs = [_timed_import(folder / "pages", folder / "pages.db") for _ in range(IMPORT_RUNS)]
        plain = [_timed_import(folder / "text", folder / "text.db")[0] for _ in range(IMPORT_RUNS)]
        seconds, report = statistics.median(r[0] for r in runs), runs[-1][1]
        with Store(folder / "pages.db") as store:
            outlets = store.db.execute("SELECT count(*) FROM articles WHERE source LIKE 'The Daily %'").fetchone()[0]
        megabytes = sum(p.stat().st_size for p in (folder / "pages").iterdir()) / 1e6
        print(f"pages: {pages} saved news pages ({megabytes:.1f} MB of HTML), {len(report.added)} imported, "
              f"{len(report.errors)} refused, outlet read from {outlets}; {report.links} links")
        print(f"  end to end {seconds:.2f} s ({_spread([r[0] for r in runs])}) = {pages / seconds:.0f} pages/s; "
              f"the same articles as text files {statistics.median(plain):.2f} s "
              f"(ratio {seconds / statistics.median(plain):.1f}x)")
        print(f"  target at least 20 pages/s: {_verdict(pages / seconds >= 20)}")
        if saved is not None:
            count = len(list(reader.article_files([saved])))
            seconds, report = _timed_import(saved, folder / "saved.db")
            print(f"  {count} real saved pages in {saved}: {seconds:.2f} s = {count / seconds:.0f} pages/s, "
                  f"{len(report.added)} imported, {len(report.errors)} refused")


_FLOOR_SPLIT = re.compile(r"(?<=[.!?])\s+")


@dataclass
class Case:
    """A synthetic case imported into a database, with what the import took."""

    path: Path
    megabytes: float
    reading: list[float]  # read, find claims, store: each import's seconds
    aligning: list[float]  # line up the claims across articles (the quick links)
    claims: int
    links: int
    #: the background tier on the last import: dense vectors, promotions, links decided
    refining: float = 0.0
    refined_claims: int = 0
    refined_links: int = 0


#: Imports of the case timed for `import` (the medians are quoted): the same run on this
#: machine varies by a third from one minute to the next.
IMPORT_RUNS = 3


def import_case(articles: int, folder: Path, runs: int = 1) -> Case:
    """Write the synthetic articles as files and import them as `workbench import` does, `runs`
    times into a new case each, timing the part before the alignment apart from the alignment.
    The last case is kept for the other measures."""
    texts = [" ".join(sentences) for sentences in synthetic_case(articles)]
    for index, text in enumerate(texts):
        (folder / f"article-{index:04}.txt").write_text(f"Report {index}\n\n{text}\n", encoding="utf-8")
    readings: list[float] = []
    alignings: list[float] = []
    path = folder / "case.db"
    for _ in range(runs):
        path.unlink(missing_ok=True)
        marks: dict[str, float] = {}

        def step(what: str, done: int, total: int) -> None:
            if what.startswith("lining up"):
                marks["aligning"] = time.perf_counter()

        with Store(path) as store:
            start = time.perf_counter()
            report = ingest.import_paths(store, [folder], analyst="bench", on_step=step, refine_now=False)
            end = time.perf_counter()
            claims = store.progress().total
        aligning = marks.get("aligning", end)
        readings.append(aligning - start)
        alignings.append(end - aligning)
    with Store(path) as store:  # the background tier, as the open workbench runs it after the import
        start = time.perf_counter()
        _, refined_links = ingest.refine(store)
        refining = time.perf_counter() - start
        refined_claims = store.progress().total
    return Case(path, sum(len(t.encode("utf-8")) for t in texts) / 1e6, readings, alignings, claims, report.links,
                refining, refined_claims, refined_links)


def bench_import(case: Case) -> None:
    """Import end to end (read, find claims, store, line up), against the floor: a bare regex
    split of the text."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(case.path.parent.glob("*.txt"))]
    start = time.perf_counter()
    for text in texts:
        _FLOOR_SPLIT.split(text)
    floor = time.perf_counter() - start
    reading, aligning = statistics.median(case.reading), statistics.median(case.aligning)
    rate = case.megabytes / reading
    print(f"import: {len(texts)} articles, {case.megabytes:.1f} MB, {case.claims} claims, {case.links} links")
    print(f"  read, find claims and store: {reading:.2f} s ({_spread(case.reading)}) = {rate:.2f} MB/s; "
          f"regex split floor {case.megabytes / floor:.0f} MB/s (ratio {floor / reading:.3f}); "
          f"then aligning {aligning:.2f} s ({_spread(case.aligning)})")
    whole = case.megabytes / (reading + aligning)
    print(f"  end to end (what `workbench import` makes the analyst wait for): {reading + aligning:.2f} s = "
          f"{whole:.2f} MB/s")
    print(f"  target at least 2 MB/s end to end: {_verdict(whole >= 2)}")
    print(f"  then in the background, links decided (dense vectors of {case.refined_claims} claims, promotions, "
          f"pairs by meaning, the full matcher): {case.refining:.1f} s, {case.refined_links} links; "
          f"target within 120 s on 40,000 claims: {_verdict(case.refining <= 120 * max(case.refined_claims, 1) / 40_000)}")


def bench_small_case(folder: Path) -> None:
    """A three-article case, as an analyst starts one: `workbench import` of three reports, then
    the time until their links are decided (`workbench realign`, a new process: what the open
    workbench does in its background thread, plus Python's start), against a bare `workbench
    --version` start as the baseline."""
    small = folder / "small"
    small.mkdir()
    for index, sentences in enumerate(synthetic_case(3, seed=11)):
        (small / f"report-{index}.txt").write_text(f"Report {index}\n\n{' '.join(sentences)}\n", encoding="utf-8")
    db = folder / "small.db"
    command = [sys.executable, "-m", "workbench"]
    start = time.perf_counter()
    subprocess.run([*command, "--version"], check=True, capture_output=True)
    bare = time.perf_counter() - start
    start = time.perf_counter()
    subprocess.run([*command, "import", str(small), "--db", str(db)], check=True, capture_output=True)
    imported = time.perf_counter() - start
    start = time.perf_counter()
    decided = subprocess.run([*command, "realign", "--db", str(db)], check=True, capture_output=True, text=True)
    final = time.perf_counter() - start
    print(f"small case: 3 articles imported in {imported:.2f} s; links final {final:.2f} s after "
          f"({one_line(decided.stdout.strip())}); a bare start {bare:.2f} s (ratio {final / bare:.1f})")
    print(f"  target links final within 2 s of the import: {_verdict(final < 2)}")


def _spread(seconds: Sequence[float]) -> str:
    """How many runs a median is of, and their range."""
    return f"median of {len(seconds)}: {min(seconds):.2f} to {max(seconds):.2f} s" if len(seconds) > 1 else "one run"


def _percentiles(samples: Sequence[float]) -> tuple[float, float]:
    """Median and 99th percentile, in milliseconds."""
    ordered = sorted(samples)
    return 1000 * statistics.median(ordered), 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def _verdict(met: bool) -> str:
    return "MET" if met else "NOT MET"


_BARE_APP = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header


class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "Claim")
        for n in range(1000):
            table.add_row(n, "Ready" if n == 0 else "a claim")


if __name__ == "__main__":
    Bare().run()
"""


def _bare_app(folder: Path) -> Path:
    path = folder / "bare_app.py"
    path.write_text(_BARE_APP, encoding="utf-8")
    return path


def _in_terminal(command: Sequence[str], ready: str, keys: Sequence[str] = ()) -> tuple[float, int]:
    """Start `command` in a real terminal (tmux, 120x40) and time it until the screen shows
    `ready`; then press `keys` and return that time with the process's peak memory (kB)."""
    session = f"bench-{os.getpid()}-{time.monotonic_ns()}"
    for _ in range(3):  # a tmux server still exiting from the last session refuses a new one
        start = time.perf_counter()
        started = subprocess.run(["tmux", "-L", session, "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                                  "exec " + shlex.join(command)], capture_output=True, text=True)
        if started.returncode == 0:
            break
        time.sleep(0.5)
    else:
        raise RuntimeError(f"tmux could not start a session: {started.stderr.strip()}")
    try:
        pid = subprocess.run(["tmux", "-L", session, "display", "-p", "-t", session, "#{pane_pid}"], capture_output=True,
                             text=True, check=True).stdout.strip()
        while ready not in subprocess.run(["tmux", "-L", session, "capture-pane", "-p", "-t", session], capture_output=True,
                                          text=True).stdout:
            if time.perf_counter() - start > 60:
                raise RuntimeError(f"{command[0]} did not show {ready!r} within 60 s")
            time.sleep(0.005)
        elapsed = time.perf_counter() - start
        time.sleep(1.5)  # the work after the first frame (the claim groups) runs to its end
        for key in keys:
            subprocess.run(["tmux", "-L", session, "send-keys", "-t", session, key], check=True)
            time.sleep(0.02)
        time.sleep(0.5)
        status = Path(f"/proc/{pid}/status").read_text()
        peak = int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) if "VmHWM" in status else 0
    finally:
        subprocess.run(["tmux", "-L", session, "kill-server"], capture_output=True)
    return elapsed, peak


#: Starts of each app in the time-to-interactive measure: one start varies by a third on a
#: shared machine, so the median of several is quoted, with the range.
STARTS = 5


def bench_terminal(case: Case, folder: Path) -> None:
    """Time to interactive and peak memory of the real `workbench` process, against a bare
    Textual app (Header, DataTable, Footer) started the same way, in turn, `STARTS` times."""
    if not shutil.which("tmux"):
        print("time to interactive, peak memory: skipped (needs tmux)")
        return
    # An installed workbench loads compiled modules (pip compiles them); a source checkout run
    # with PYTHONDONTWRITEBYTECODE would compile every module on every start instead.
    compileall.compile_dir(Path(__file__).parent, quiet=2)
    work = folder / "terminal.db"
    shutil.copyfile(case.path, work)
    bare_app = [sys.executable, str(_bare_app(folder))]
    ours_app = [sys.executable, "-m", "workbench", "--db", str(work), "--analyst", "bench"]
    bare, ours, ours_peaks, bare_peaks = [], [], [], []
    for _ in range(STARTS):
        elapsed, peak = _in_terminal(bare_app, "Ready", ["Down"] * 20)
        bare.append(elapsed)
        bare_peaks.append(peak)
        elapsed, peak = _in_terminal(ours_app, "Reviewed", ["j"] * 40 + ["v", "f", "f", "slash", "a", "l", "Escape"])
        ours.append(elapsed)
        ours_peaks.append(peak)
    ours_time, bare_time = statistics.median(ours), statistics.median(bare)
    ratios = sorted(o / b for o, b in zip(ours, bare))
    print(f"time to interactive (first frame with the status line, real terminal): "
          f"{ours_time:.2f} s ({_spread(ours)}); bare Textual app {bare_time:.2f} s "
          f"({_spread(bare)}); ratio of medians {ours_time / bare_time:.2f}x "
          f"(start by start {ratios[0]:.2f} to {ratios[-1]:.2f})")
    print(f"  targets under 1.5 s: {_verdict(ours_time < 1.5)}; within 2x the bare app: "
          f"{_verdict(ours_time <= 2 * bare_time)}")
    ours_peak, bare_peak = max(ours_peaks), max(bare_peaks)
    print(f"peak memory of the TUI after moving, marking, filtering and searching: {ours_peak / 1024:.0f} MB; "
          f"bare Textual app {bare_peak / 1024:.0f} MB (ratio {ours_peak / max(bare_peak, 1):.1f}x)")
    print(f"  target under 400 MB: {_verdict(ours_peak < 400 * 1024)}")


def bench_keys(case: Case, folder: Path, presses: int) -> None:
    """Key press to screen updated, driven with Pilot: `j` and `v` in turn on the case, `down`
    in the bare app's table."""
    from workbench.tui.app import WorkbenchApp  # the TUI only for the measures that need it

    work = folder / "keys.db"
    shutil.copyfile(case.path, work)

    async def drive(app: App, keys: Sequence[str], settled: Callable[[App], bool] = lambda app: True) -> list[float]:
        """Each key's time from being posted to the next frame the app draws. Pilot's own
        `press` waits for the process to idle, which would be most of what it measured."""
        from textual import events

        drawn: list[float] = []
        draw = app._display

        def display(screen: object, renderable: object) -> None:
            if renderable is not None:
                drawn.append(time.perf_counter())
            draw(screen, renderable)  # type: ignore[arg-type]

        app._display = display  # type: ignore[method-assign]
        times = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            while not settled(app):  # the case read in the background, the groups found
                await app.workers.wait_for_complete()
                await pilot.pause(0.05)
            for n in range(presses):
                key = keys[n % len(keys)]
                seen = len(drawn)
                start = time.perf_counter()
                app.post_message(events.Key(key, key if len(key) == 1 else None))
                while len(drawn) == seen and time.perf_counter() - start < 5:
                    await asyncio.sleep(0)
                times.append((drawn[seen] if len(drawn) > seen else time.perf_counter()) - start)
                await pilot.pause()
        return times

    namespace: dict[str, object] = {}
    exec(compile(_BARE_APP, "bare_app", "exec"), namespace)  # noqa: S102 - our own text, above
    bare = asyncio.run(drive(namespace["Bare"](), ["down"]))  # type: ignore[operator]
    ours = asyncio.run(drive(WorkbenchApp(work, "bench"), ["j", "v"],
                             lambda app: app.screen.complete and app.screen.grouped))  # type: ignore[attr-defined]
    (p50, p99), (bare50, bare99) = _percentiles(ours), _percentiles(bare)
    (j50, j99), (v50, v99) = _percentiles(ours[0::2]), _percentiles(ours[1::2])
    print(f"key press to screen updated, {presses} j/v presses with Pilot: p50 {p50:.1f} ms, p99 {p99:.1f} ms "
          f"(j: {j50:.1f}/{j99:.1f}, v: {v50:.1f}/{v99:.1f}); bare app's table, down: p50 {bare50:.1f} ms, "
          f"p99 {bare99:.1f} ms (p99 ratio {p99 / bare99:.1f}x)")
    print(f"  target p99 under 50 ms: {_verdict(p99 < 50)}")


def bench_commit(case: Case, folder: Path, marks: int) -> None:
    """The store's commit latency for a mark (WAL, synchronous=FULL), against fsync alone."""
    work = folder / "commit.db"
    shutil.copyfile(case.path, work)
    probe = folder / "fsync.probe"
    with open(probe, "wb") as handle:
        fsyncs = []
        for _ in range(marks):
            handle.write(b"x" * 4096)
            start = time.perf_counter()
            os.fsync(handle.fileno())
            fsyncs.append(time.perf_counter() - start)
    with Store(work) as store:
        ids = [c.id for c in store.claims()][:marks]
        commits = []
        for n, claim_id in enumerate(ids):
            start = time.perf_counter()
            store.mark(claim_id, "verified" if n % 2 else "disputed", "bench")
            commits.append(time.perf_counter() - start)
        synchronous = store.db.execute("PRAGMA synchronous").fetchone()[0]
        journal = store.db.execute("PRAGMA journal_mode").fetchone()[0]
    (p50, p99), (f50, f99) = _percentiles(commits), _percentiles(fsyncs)
    print(f"commit of a mark ({journal}, synchronous={'FULL' if synchronous == 2 else synchronous}), "
          f"{len(commits)} marks: p50 {p50:.2f} ms, p99 {p99:.2f} ms; fsync alone p50 {f50:.2f} ms, "
          f"p99 {f99:.2f} ms (p99 ratio {p99 / max(f99, 1e-9):.1f}x)")
    print(f"  target p99 under 2 ms: {_verdict(p99 < 2)}")


def bench_filter(case: Case) -> None:
    """The claims list's filter and search over every claim, against a bare substring scan."""
    with Store(case.path) as store:
        claims = store.claims(include_sentences=True)
    gc.freeze()  # as the TUI does with the case it holds (see `ReviewScreen._hold`)
    word = claims[len(claims) // 2].text.split()[0].lower()
    start = time.perf_counter()
    [c for c in claims if word in c.text]  # noqa: B018 - the floor
    floor = time.perf_counter() - start
    timings = {}
    for name, options in (("status filter", {"status": "unmarked"}), ("search a word", {"query": word}),
                          ("search #id", {"query": f"#{next(c.id for c in reversed(claims) if c.is_claim)}"}),
                          ("every sentence", {"sentences": True})):
        start = time.perf_counter()
        found = search.listed(claims, **options)
        timings[name] = (time.perf_counter() - start, len(found))
    # by meaning too, as the TUI searches: the first search computes every claim's vector (the
    # screen does it while the first letters are typed), each later key only the query's
    index = search.MeaningIndex()
    phrase = " ".join(claims[len(claims) // 3].text.split()[:6])
    start = time.perf_counter()
    index.warm(claims)
    warming = time.perf_counter() - start
    for name, query in (("a word, with meaning", word), ("a phrase, with meaning", phrase)):
        start = time.perf_counter()
        found = search.found(claims, query=query, meaning=index)
        timings[name] = (time.perf_counter() - start, len(found.claims))
    worst = max(t for t, _ in timings.values())
    print(f"filter and search over {len(claims)} claims and sentences: "
          + "; ".join(f"{name} {1000 * t:.0f} ms ({n})" for name, (t, n) in timings.items())
          + f"; bare substring scan {1000 * floor:.0f} ms (worst ratio {worst / floor:.1f}x)")
    print(f"  every claim's vector for search by meaning, once a case: {1000 * warming:.0f} ms")
    print(f"  target under 100 ms: {_verdict(worst < 0.1)}")


def bench_export(case: Case, folder: Path) -> None:
    """The whole case as csv and xlsx, against the csv module writing each claim's id and text;
    then the peak memory of a json export (`bench_export_memory`)."""
    timings = {}
    with Store(case.path) as store:
        claims = store.claims()
        start = time.perf_counter()
        buffer = io.StringIO()
        csv.writer(buffer).writerows((c.id, c.text) for c in claims)
        floor = time.perf_counter() - start
        for fmt, runs in (("csv", 3), ("xlsx", 1)):  # the median of three csv runs: one varies by a third
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                data = export.render_bytes(store, fmt)
                times.append(time.perf_counter() - start)
            timings[fmt] = (times, len(data))
    print(f"export of {len(claims)} claims: "
          + "; ".join(f"{fmt} {statistics.median(t):.2f} s ({_spread(t)}; {n / 1e6:.1f} MB, "
                      f"{statistics.median(t) / floor:.0f}x the floor)" for fmt, (t, n) in timings.items())
          + f"; csv module writing id and text {floor:.2f} s")
    print(f"  targets csv under 2 s: {_verdict(statistics.median(timings['csv'][0]) < 2)}; xlsx under 10 s: "
          f"{_verdict(statistics.median(timings['xlsx'][0]) < 10)}")
    bench_export_memory(case, folder)


def bench_export_memory(case: Case, folder: Path) -> None:
    """Peak memory of the real `workbench export --format json -o FILE`, the whole case with its
    articles' text: against the document it writes and a Python with the workbench loaded."""
    sheet = folder / "sheet.json"
    start = time.perf_counter()
    peak = _peak_of([sys.executable, "-m", "workbench", "--db", str(case.path), "export", "--format", "json",
                     "-o", str(sheet)])
    elapsed = time.perf_counter() - start
    loaded = _peak_of([sys.executable, "-c", "import workbench.cli, workbench.export"])
    size = sheet.stat().st_size / 1e6
    articles = len(list(case.path.parent.glob("*.txt")))
    print(f"peak memory of a json export of {articles} articles ({elapsed:.2f} s, a {size:.0f} MB document): "
          f"{peak / 1024:.0f} MB; Python with the workbench loaded {loaded / 1024:.0f} MB "
          f"(ratio {peak / max(loaded, 1):.1f}x; {peak / 1024 / max(size, 1e-9):.2f} MB a MB written)")
    print(f"  target under 300 MB: {_verdict(peak < 300 * 1024)}")


def _peak_of(command: Sequence[str]) -> int:
    """The peak resident memory (kB) of `command`, run to its end. It is started from a small
    Python of its own: a process forked from this one, which holds the case, would count this
    one's memory as its own (Linux keeps the peak across the fork and the exec)."""
    done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"{shlex.join(command)} failed: {done.stderr.strip()}")
    return int(done.stdout)


#: Runs the command in argv and prints the peak memory (kB) of the one child it had.
_PEAK = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
if done.returncode:
    sys.exit(done.stderr)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def long_article(megabytes: float) -> str:
    """One article of at least `megabytes` MB: the synthetic case's articles as its paragraphs."""
    target = int(megabytes * 1e6)
    paragraphs, size = [], 0
    for sentences in synthetic_case(max(2, target // 3000 + 1)):  # each article is 3 KB or more
        paragraphs.append(" ".join(sentences))
        size += len(paragraphs[-1].encode("utf-8")) + 2
        if size >= target:
            break
    return "A very long report\n\n" + "\n\n".join(paragraphs) + "\n"


def _import_time_and_peak(path: Path, folder: Path, megabytes: float) -> tuple[float, int]:
    """The real `workbench import` of `path` into a new case: its wall time (with the small
    Python that starts it) and its peak memory (kB)."""
    start = time.perf_counter()
    peak = _peak_of([sys.executable, "-m", "workbench", "--db", str(folder / f"{path.stem}.db"), "--analyst",
                     "bench", "import", str(path), "--max-size", f"{megabytes * 1.25 + 1:g}"])
    return time.perf_counter() - start, peak


def bench_long_article(megabytes: float) -> None:
    """Peak memory of importing one very long article with the real `workbench import`, against
    the same command importing one article of the synthetic case (what any import costs)."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        article = folder / "long.txt"
        article.write_text(long_article(megabytes), encoding="utf-8")
        size = article.stat().st_size / 1e6
        short = folder / "short.txt"
        short.write_text("A short report\n\n" + " ".join(synthetic_case(2)[0]) + "\n", encoding="utf-8")
        short_size = short.stat().st_size / 1e3
        short_time, short_peak = _import_time_and_peak(short, folder, megabytes)
        elapsed, peak = _import_time_and_peak(article, folder, megabytes)
        with Store(folder / "long.db") as store:
            sentences, found = store.db.execute("SELECT count(*), sum(is_claim) FROM claims").fetchone()
    print(f"peak memory of importing one {size:.1f} MB article ({sentences} sentences, {found} claims) with "
          f"`workbench import`: {peak / 1024:.0f} MB in {elapsed:.1f} s; the same command on a {short_size:.0f} KB "
          f"article {short_peak / 1024:.0f} MB in {short_time:.1f} s (ratio {peak / max(short_peak, 1):.1f}x)")
    print(f"  target under 600 MB: {_verdict(peak < 600 * 1024)}")


MEASURES = ("import", "small", "pages", "align", "terminal", "keys", "commit", "filter", "export", "long")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", nargs="*", default="all", choices=["all", *MEASURES],
                        help="what to measure (default: all)")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--subset", type=int, default=40, help="align: articles in the all-pairs recall check")
    parser.add_argument("--presses", type=int, default=500, help="keys: how many key presses; commit: marks")
    parser.add_argument("--keep", type=Path, help="leave the imported case in this file")
    parser.add_argument("--pages", type=int, default=100, help="pages: how many saved web pages")
    parser.add_argument("--saved-pages", type=Path, help="pages: a folder of real saved pages to import as well")
    parser.add_argument("--long-mb", type=float, default=20, help="long: the size of the long article, in MB")
    args = parser.parse_args(argv)
    if args.articles < 2 or args.subset < 1 or args.presses < 2:
        parser.error("a case needs at least 2 articles, the subset 1, the key and commit runs 2 presses")
    wanted = set([args.what] if isinstance(args.what, str) else args.what) - {"all"} or set(MEASURES)
    print(f"python -m workbench.bench: {args.articles} articles; {os.cpu_count()} cores")
    if "align" in wanted:
        bench_align(args.articles, args.subset)
    if "long" in wanted:
        bench_long_article(args.long_mb)
    if "pages" in wanted:
        bench_pages(args.pages, args.saved_pages)
    if "small" in wanted:
        with tempfile.TemporaryDirectory() as name:
            bench_small_case(Path(name))
    if not wanted - {"align", "long", "pages", "small"}:
        return 0
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        case = import_case(args.articles, folder, IMPORT_RUNS if "import" in wanted else 1)
        if args.keep:
            shutil.copyfile(case.path, args.keep)
        for measure, run in (("import", lambda: bench_import(case)),
                             ("terminal", lambda: bench_terminal(case, folder)),
                             ("keys", lambda: bench_keys(case, folder, args.presses)),
                             ("commit", lambda: bench_commit(case, folder, args.presses)),
                             ("filter", lambda: bench_filter(case)),
                             ("export", lambda: bench_export(case, folder))):
            if measure in wanted:
                run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
