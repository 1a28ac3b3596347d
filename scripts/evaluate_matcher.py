"""Measure the same-fact matcher on sentence pairs: accuracy and F1 of "same".

    python scripts/evaluate_matcher.py PAIRS_FILE...     the shipped matcher on MRPC-format files
    python scripts/evaluate_matcher.py --validate        10-fold cross-validation on the training set

`--validate` never scores a pair with a model that saw it: each fold is predicted by a model
fitted on the other nine. Published results on the MRPC test set, for comparison: best
unsupervised lexical systems 70.3-72.6% accuracy (F1 about 81), supervised feature systems up
to 76.6%, always answering "same" 66.5%.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_matcher import DEFAULT_DATA, Pairs, fit, measures, read_mrpc  # noqa: E402

from workbench.match import load_matcher  # noqa: E402

ACCURACY_TARGET, F1_TARGET = 0.77, 0.84


def scores(labels: np.ndarray, same: np.ndarray) -> tuple[float, float, float, float]:
    tp = int((same & (labels == 1)).sum())
    fp = int((same & (labels == 0)).sum())
    fn = int((~same & (labels == 1)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return float((same == (labels == 1)).mean()), f1, precision, recall


def report(title: str, labels: np.ndarray, probability: np.ndarray, threshold: float) -> tuple[float, float]:
    accuracy, f1, precision, recall = scores(labels, probability >= threshold)
    print(f"{title}\n  {len(labels)} pairs, {labels.mean():.1%} same;  at threshold {threshold:.2f}: "
          f"accuracy {accuracy:.4f}, F1 {f1:.4f} (precision {precision:.4f}, recall {recall:.4f})")
    return accuracy, f1


def cross_validate(pairs: Pairs, folds: int = 10) -> np.ndarray:
    from sklearn.model_selection import StratifiedKFold

    features = measures(pairs)
    predicted = np.zeros(len(pairs.labels))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(features, pairs.labels):
        model = fit(features[train], pairs.labels[train])
        predicted[test] = model.probabilities_of(features[test])
    return predicted


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.paths and not args.validate:
        parser.error("give MRPC-format files, or --validate")
    matcher = load_matcher()
    for path in args.paths:
        try:
            pairs = read_mrpc(path)
        except (OSError, ValueError) as error:
            print(f"evaluate: {error}", file=sys.stderr)
            return 1
        report(str(path), pairs.labels, np.array(matcher.probabilities(list(zip(pairs.a, pairs.b)))),
               matcher.threshold)
    if args.validate:
        pairs = read_mrpc(args.data)
        start = time.perf_counter()
        predicted = cross_validate(pairs)
        accuracy, f1 = report(f"{args.data.name}, 10-fold cross-validation", pairs.labels, predicted,
                              matcher.threshold)
        print(f"  ({time.perf_counter() - start:.0f} s)")
        print("\nTargets")
        print(f"  accuracy {accuracy:.4f}  vs {ACCURACY_TARGET:.2f} (best published supervised 0.766): "
              f"{'MET' if accuracy >= ACCURACY_TARGET else 'NOT MET'}")
        print(f"  F1 {f1:.4f}  vs {F1_TARGET:.2f}: {'MET' if f1 >= F1_TARGET else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
