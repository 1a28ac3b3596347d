"""Measure the check-worthiness scorer: ranking (MAP) and the claim/not-claim decision (F1).

    python scripts/evaluate_checkworthy.py FILE_OR_FOLDER...   score the shipped model on labelled files
    python scripts/evaluate_checkworthy.py --validate          held-out figures (needs the train extra)

Labelled files are CheckThat! 2024 task 1 files (`Sentence_id, Text, class_label`) or CheckThat!
2019 debates (`line, speaker, text, label`); each file is one debate. Mean average precision
ranks each debate's sentences by score, as CheckThat! 2019 did; F1 is the positive class's at
the shipped threshold. `--validate` chooses that threshold, and never scores a sentence the
model was trained on:
5-fold cross-validation on the ClaimBuster training set, and leave-one-debate-out on the 19
CheckThat! 2019 training debates (training on ClaimBuster minus any sentence of the held-out
debate, plus the other 18 debates). It also prints the scorer's throughput on one core against
a plain regex word split of the same sentences.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_checkworthy import DEFAULT_DATA, Labelled, fit, join, read_labelled, training_set, without  # noqa: E402

from workbench.checkworthy import Model, load_model  # noqa: E402

#: CheckThat! 2019 task 1 official results (MAP over the test debates).
CT19_RESULTS = {"1st": 0.1660, "2nd": 0.1597, "3rd": 0.1332, "last": 0.0528}
F1_TARGET = 0.80
SPEED_TARGET = 50_000


def average_precision(labels: Sequence[int], scores: Sequence[float]) -> float:
    """Mean of precision at each relevant sentence, ranking by score (ties: file order)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    hits, total = 0, 0.0
    for rank, index in enumerate(order, 1):
        if labels[index]:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


def f1(labels: Sequence[int], predicted: Sequence[bool]) -> tuple[float, float, float]:
    tp = sum(1 for y, p in zip(labels, predicted) if y and p)
    fp = sum(1 for y, p in zip(labels, predicted) if not y and p)
    fn = sum(1 for y, p in zip(labels, predicted) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return (2 * precision * recall / (precision + recall) if precision + recall else 0.0), precision, recall


def by_group(data: Labelled, scores: Sequence[float]) -> dict[str, tuple[list[int], list[float]]]:
    groups: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for group, label, score in zip(data.groups, data.labels, scores):
        groups[group][0].append(label)
        groups[group][1].append(score)
    return groups


def report(data: Labelled, scores: Sequence[float], threshold: float, title: str) -> tuple[float, float]:
    print(f"\n{title}")
    aps = []
    for group, (labels, group_scores) in sorted(by_group(data, scores).items()):
        if sum(labels):
            ap = average_precision(labels, group_scores)
            aps.append(ap)
            print(f"  {group:<44} {len(labels):>6} sentences {sum(labels):>5} check-worthy  AP {ap:.4f}")
    mean_ap = sum(aps) / len(aps) if aps else 0.0
    score_f1, precision, recall = f1(data.labels, [s >= threshold for s in scores])
    print(f"  MAP {mean_ap:.4f} over {len(aps)} debate(s);  at threshold {threshold:.2f}: "
          f"F1 {score_f1:.4f} (precision {precision:.4f}, recall {recall:.4f})")
    return mean_ap, score_f1


def verdict(value: float, target: float, strictly: bool = False) -> str:
    ok = value > target if strictly else value >= target
    return "MET" if ok else "NOT MET"


def throughput(model: Model, sentences: list[str], batch: int = 32) -> tuple[float, float]:
    """Sentences per second for the scorer, fed article-sized batches as the importer does, and
    for a bare regex word split of the same sentences (the floor no scorer can beat)."""
    import re

    words = re.compile(r"\w+")
    model.score_many(sentences[:1000])  # as in a running workbench, the word cache is warm
    start = time.perf_counter()
    for s in sentences:
        words.findall(s.lower())
    floor = len(sentences) / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in range(0, len(sentences), batch):
        model.score_many(sentences[i : i + batch])
    rate = len(sentences) / (time.perf_counter() - start)
    return rate, floor


def import_share(model: Model, rounds: int = 20) -> tuple[float, float, float]:
    """How much of importing the seed articles is spent in the scorer: (scoring seconds,
    import seconds, articles per second). Each round imports the seeds into a fresh case."""
    import tempfile

    from workbench import ingest, reader, sentences, settings
    from workbench.store import Store

    texts = [reader.read_article(p).text for p in sorted(settings.seeds_dir().glob("*.txt"))]
    spans = [[t[s.start : s.end] for s in sentences.iter_spans(t)] for t in texts]
    start = time.perf_counter()
    for _ in range(rounds):
        for batch in spans:
            model.score_many(batch)
    scoring = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as work:
        start = time.perf_counter()
        for n in range(rounds):
            with Store(Path(work) / f"case{n}.db") as store:
                ingest.import_paths(store, [settings.seeds_dir()], analyst="bench")
        importing = time.perf_counter() - start
    return scoring, importing, rounds * len(texts) / importing


def validate(ct24: Labelled, ct19: Labelled, folds: int = 5) -> dict:
    """Held-out figures: nothing is scored by a model that saw it (or its duplicate) in training."""
    from sklearn.model_selection import StratifiedKFold

    cv_scores = [0.0] * len(ct24.texts)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train, test in splitter.split(ct24.texts, ct24.labels):
        model = fit([ct24.texts[i] for i in train], [ct24.labels[i] for i in train])
        for i in test:
            cv_scores[i] = model.score(ct24.texts[i])
    threshold = choose_threshold(ct24.labels, cv_scores)
    _, cv_f1 = report(Labelled(ct24.texts, ct24.labels, ["ClaimBuster train, 5-fold CV"] * len(ct24.texts)),
                      cv_scores, threshold, f"ClaimBuster (CheckThat! 2024 train), {folds}-fold cross-validation")

    debate_scores = [0.0] * len(ct19.texts)
    for debate in sorted(set(ct19.groups)):
        held = [i for i, g in enumerate(ct19.groups) if g == debate]
        held_texts = [ct19.texts[i] for i in held]
        others = Labelled(*zip(*[(t, y, g) for t, y, g in zip(ct19.texts, ct19.labels, ct19.groups) if g != debate]))
        train = join([without(ct24, held_texts), Labelled(list(others.texts), list(others.labels), list(others.groups))])
        model = fit(train.texts, train.labels)
        for i in held:
            debate_scores[i] = model.score(ct19.texts[i])
    lodo_map, _ = report(ct19, debate_scores, threshold, "CheckThat! 2019 training debates, leave-one-debate-out")
    return {"claimbuster_cv_f1": round(cv_f1, 4), "ct19_leave_one_debate_out_map": round(lodo_map, 4),
            "threshold": threshold}


def choose_threshold(labels: Sequence[int], scores: Sequence[float]) -> float:
    """The lowest threshold whose cross-validated F1 is within 0.01 of the best one.

    A claim the workbench misses is never looked at, while one too many costs the analyst a
    key press to dismiss: among thresholds that are about as good, take the one with the most
    recall.
    """
    candidates = [round(0.30 + 0.05 * i, 2) for i in range(7)]
    scored = {t: f1(labels, [s >= t for s in scores])[0] for t in candidates}
    best = max(scored.values())
    print("  threshold  " + "  ".join(f"{t:.2f}: F1 {v:.4f}" for t, v in scored.items()))
    return min(t for t, v in scored.items() if v >= best - 0.01)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, help="labelled CheckThat! files or folders")
    parser.add_argument("--model", help="a model file (default: the shipped one)")
    parser.add_argument("--validate", action="store_true", help="held-out validation on the training data")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the CheckThat! files")
    args = parser.parse_args(argv)
    if not args.paths and not args.validate:
        parser.error("give labelled files, or --validate")

    model = load_model(args.model)
    trained_on = set(model.meta.get("trained_on", {}).get("ct19_training", [])) | set(model.meta.get("trained_on", {}))
    for path in args.paths:
        try:
            data = read_labelled(path)
        except (OSError, ValueError) as error:
            print(f"evaluate: {error}", file=sys.stderr)
            return 1
        seen = sorted(set(data.groups) & trained_on)
        note = f"  (the shipped model was trained on {len(seen)} of these files: not held out)" if seen else ""
        report(data, model.score_many(data.texts), model.threshold, f"{path}{note}")

    if args.validate:
        ct24, ct19 = training_set(args.data)
        figures = validate(ct24, ct19)
        dev_path = args.data / "CT24_checkworthy_english_dev.tsv"
        dev_f1 = None
        if dev_path.exists():
            dev = read_labelled(dev_path)
            _, dev_f1 = report(dev, model.score_many(dev.texts), model.threshold,
                               f"{dev_path.name}: ClaimBuster sentences held out from all training")
        rate, floor = throughput(model, ct24.texts)
        scoring, importing, per_second = import_share(model)
        print("\nTargets")
        cv_map = figures["ct19_leave_one_debate_out_map"]
        print(f"  MAP on held-out debates {cv_map:.4f}  vs CheckThat! 2019 winner {CT19_RESULTS['1st']:.4f}: "
              f"{verdict(cv_map, CT19_RESULTS['1st'], strictly=True)}")
        if dev_f1 is not None:
            print(f"  F1 on held-out ClaimBuster sentences (dev file) {dev_f1:.4f}  vs {F1_TARGET:.2f}: "
                  f"{verdict(dev_f1, F1_TARGET)}")
        print(f"  (for reference: F1 by 5-fold cross-validation on the ClaimBuster training file, whose labels "
              f"are noisier, {figures['claimbuster_cv_f1']:.4f})")
        print(f"  throughput {rate:,.0f} sentences/s on one core in batches of 32 ({rate / floor:.2f}x a bare "
              f"regex word split at {floor:,.0f}/s)  vs {SPEED_TARGET:,}: {verdict(rate, SPEED_TARGET)}")
        print(f"  importing the seed articles ({per_second:.0f} articles/s, stored and aligned): the scorer "
              f"takes {100 * scoring / importing:.1f}% of the time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
