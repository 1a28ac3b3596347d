"""Choose the cosine threshold of meaning search (`workbench/search.py`) by measurement.

    .venv/bin/python scripts/evaluate_meaning_search.py --data /work/shared/data [--show 0.70]

Three measurements, each printed for a range of thresholds:

1. STS-B dev (1,500 sentence pairs graded 0-5, never trained on): precision and recall of
   "cosine >= t" for pairs graded 3 or more (roughly equivalent) and 4 or more.
2. Noise: queries written here against the DUC 2004 wire clusters (one event each). A meaning
   match in a cluster the query is not about is wrong, whatever it says; the count of those
   per query, scaled to a case of 40,000 claims, is what an analyst would wade through.
3. The same queries: how many meaning matches each adds beyond the word matches, and what share
   of them lie in a cluster the query is about (a proxy for "right": a match in the right
   cluster can still be about another fact of the event; `--show t` prints them to read).

Short queries (one or two content words) are measured apart: a static vector of one word is
that word's neighbourhood, and it matches far more loosely than a sentence does.

Figures (2026-12-03, shipped static.npz; the thresholds in `workbench/search.py` follow from them):
STS-B dev at .65: P .73 / R .88 for pairs graded 3+. Queries of 3+ content words at .65: a
median of 4 meaning matches a query (mean 7.6), .75 in the right cluster, 34 of 40 queries find
their event (at .70: 2, .81, 29 of 40). Read by hand at .65 (`--show 0.65` lists them): of about
310 matches, about 76 are not about the event asked for (~.76); 47 of these are one query's ("the
israeli hawk will not greet the palestinian leader"), set in a crowded topic where every
Israeli-Palestinian sentence is near: hence best-first and at most `MAX_MEANING`; without it ~.89.
One or two content words at .75: 0.9 matches a query, all in the right cluster (at .65: 6.1,
.84, and "killed civilians" lists killings of every event); single words of the wire text add
0.04 a query at .75, three- or four-letter beginnings of words (a word being typed) none.

The static vectors were fitted on DUC 2004 sentences (scripts/distil_static.py), so the DUC
side flatters them a little; the queries themselves are new wordings written for this script,
avoiding the stories' own words where English allows.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import encoder_data  # scripts/ is on the path when this runs as a script
import numpy as np

from workbench import search, vectors

#: (query, clusters it is about). Written for this script: each restates a fact of the event in
#: other words than the wire stories use, as an analyst who half-remembers a claim would type it.
QUERIES: list[tuple[str, set[str]]] = [
    ("the storm killed thousands in central america", {"d30002t"}),
    ("people left homeless by the hurricane need food and clean water", {"d30002t"}),
    ("castro criticised the detention of the former chilean ruler", {"d30003t"}),
    ("an aide of bin laden will be sent to america to face trial", {"d30005t"}),
    ("the basketball season is delayed by a pay dispute between owners and athletes", {"d30006t"}),
    ("insurgents murdered villagers in the west of uganda", {"d30007t"}),
    ("the jailed politician was beaten by police in custody", {"d30008t", "d30011t"}),
    ("the serbian leader agreed to pull his forces out of the province", {"d30015t"}),
    ("north koreans face starvation after a poor crop", {"d30017t"}),
    ("a chinese dissident was detained by police for questioning", {"d30022t", "d31050t"}),
    ("the software giant is accused of abusing its monopoly", {"d30026t", "d31033t"}),
    ("share prices fell sharply on wall street", {"d30027t", "d30048t"}),
    ("ankara massed soldiers along the frontier with damascus", {"d30028t"}),
    ("sailors died when a violent storm hit the yacht race", {"d30029t"}),
    ("the shuttle liftoff was postponed at the last minute", {"d30031t"}),
    ("economic growth in europe is slowing down", {"d30033t"}),
    ("indonesian soldiers are accused of killing civilians in east timor", {"d30034t"}),
    ("the literature prize went to a portuguese novelist", {"d30036t"}),
    ("the israeli hawk will not greet the palestinian leader", {"d30037t"}),
    ("olympic officials took bribes from the city that won the games", {"d30038t"}),
    ("the palestinians open their first airport", {"d30040t"}),
    ("the libyan leader travelled to a neighbouring country", {"d30042t"}),
    ("the kurdish guerrilla chief was arrested in italy", {"d30044t"}),
    ("two oil giants are in talks to merge", {"d30045t"}),
    ("the incoming speaker admitted he had been unfaithful to his wife", {"d30046t"}),
    ("russia launched the first piece of the orbiting laboratory", {"d30047t", "d30031t"}),
    ("latin american countries try to protect themselves from the financial turmoil", {"d30048t"}),
    ("pyongyang may be secretly building atomic weapons", {"d30049t"}),
    ("the italian government lost a vote of confidence in parliament", {"d30055t"}),
    ("a vehicle hit a landmine in chechnya and people died", {"d30056t"}),
    ("a reformist woman member of the russian parliament was shot dead", {"d30059t"}),
    ("a gay student was beaten and left tied to a fence", {"d31008t"}),
    ("a sniper shot a doctor who performed abortions", {"d31013t"}),
    ("the russian president hurt his hand", {"d31032t"}),
    ("the bombing of the american embassy in tanzania", {"d31038t"}),
    ("the army chief was chosen as president of lebanon", {"d31043t"}),
    ("the turkish prime minister is under pressure to resign over corruption", {"d31009t"}),
    ("insurance plans must pay for birth control pills", {"d31031t"}),
    ("the president expressed regret for the affair with the intern", {"d30050t", "d30046t", "d30024t"}),
    ("the court ruled the general can be extradited to spain", {"d30003t"}),
]

#: One or two content words: measured apart (see the module's docstring).
SHORT_QUERIES: list[tuple[str, set[str]]] = [
    ("hurricane", {"d30002t"}),
    ("famine", {"d30017t"}),
    ("bribes", {"d30038t"}),
    ("merger", {"d30045t"}),
    ("stock market", {"d30027t", "d30048t"}),
    ("space station", {"d30031t", "d30047t"}),
    ("landmine", {"d30056t"}),
    ("abortion doctor", {"d31013t", "d31031t"}),
    ("nuclear weapons", {"d30049t"}),
    ("yacht race", {"d30029t"}),
    ("oil companies", {"d30045t"}),
    ("embassy bombing", {"d31038t"}),
    ("killed civilians", {"d30007t", "d30034t"}),
    ("kurdish rebels", {"d30044t", "d30028t"}),
    ("election", {"d30001t", "d30024t", "d31043t"}),
]

THRESHOLDS = (0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85)
CASE_CLAIMS = 40_000


def read_sts(path: Path) -> tuple[np.ndarray, list[str], list[str]]:
    pairs = encoder_data.read_sts_file(path)
    return np.array(pairs.scores), pairs.a, pairs.b


def read_clusters(folder: Path) -> tuple[list[str], list[str]]:
    """Every distinct sentence of five words or more, and its cluster's name."""
    texts, names = [], []
    for cluster in sorted(p for p in folder.iterdir() if p.is_dir()):
        seen: set[str] = set()
        for story in sorted(cluster.glob("*.txt")):
            for line in story.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if len(line.split()) >= 5 and line not in seen:
                    seen.add(line)
                    texts.append(line)
                    names.append(cluster.name)
    return texts, names


def sts(path: Path) -> None:
    scores, a, b = read_sts(path)
    cosines = (vectors.embed(a) * vectors.embed(b)).sum(axis=1)
    print(f"STS-B dev, {len(scores)} pairs: precision / recall of cosine >= t")
    for t in THRESHOLDS:
        chosen = cosines >= t
        cells = []
        for grade in (3, 4):
            right = chosen & (scores >= grade)
            cells.append(f">= {grade}: P {right.sum() / max(1, chosen.sum()):.2f} R {right.sum() / (scores >= grade).sum():.2f}")
        print(f"  t {t:.2f}: {chosen.sum():4} pairs;  " + ";  ".join(cells))


def queries(texts: list[str], names: list[str], asked: list[tuple[str, set[str]]], title: str,
            show: float | None) -> None:
    matrix = vectors.embed(texts)
    names_array = np.array(names)
    print(f"{title}: {len(asked)} queries against {len(texts)} wire sentences "
          f"(noise scaled to {CASE_CLAIMS:,} claims)")
    lowered = [t.lower() for t in texts]
    for t in THRESHOLDS:
        added, right, noise, found_any = [], [], [], 0
        for query, about in asked:
            words = query.lower().split()
            by_words = np.array([all(w in text for w in words) for text in lowered])
            cos = matrix @ vectors.embed([query])[0]
            meaning = (cos >= t) & ~by_words
            in_cluster = np.isin(names_array, list(about))
            added.append(int(meaning.sum()))
            right.append(int((meaning & in_cluster).sum()))
            noise.append(int((meaning & ~in_cluster).sum()))
            found_any += bool((meaning & in_cluster).any() or (by_words & in_cluster).any())
            if show is not None and abs(t - show) < 1e-9:
                order = np.argsort(-cos)
                print(f"    [{query}]")
                for i in order[: 8]:
                    if meaning[i]:
                        mark = "+" if in_cluster[i] else "-"
                        print(f"      {mark} {cos[i]:.2f} {names[i]} {texts[i][:110]}")
        total = sum(added)
        scale = CASE_CLAIMS / len(texts)
        print(f"  t {t:.2f}: meaning matches a query median {np.median(added):.0f} (mean {np.mean(added):.1f}); "
              f"in the right cluster {sum(right) / max(1, total):.2f}; wrong-cluster a query "
              f"{np.mean(noise):.2f} (~{np.mean(noise) * scale:.1f} in {CASE_CLAIMS:,}); "
              f"queries finding their event {found_any}/{len(asked)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--show", type=float, help="print each query's best matches at this threshold")
    args = parser.parse_args()
    sts(args.data / "similarity" / "sts-dev.csv")
    texts, names = read_clusters(args.data / "news" / "duc2004")
    queries(texts, names, QUERIES, "Queries of three or more content words", args.show)
    queries(texts, names, SHORT_QUERIES, "Queries of one or two content words", args.show)
    print(f"shipped: threshold {search.MEANING_THRESHOLD} ({search.LONG_QUERY_WORDS}+ content words), "
          f"{search.SHORT_MEANING_THRESHOLD} (fewer); at most {search.MAX_MEANING} added by meaning")


if __name__ == "__main__":
    main()
