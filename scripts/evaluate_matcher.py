"""Measure the same-fact matchers on sentence pairs.

    python scripts/evaluate_matcher.py --validate          held-out figures of each tier
    python scripts/evaluate_matcher.py PAIRS_FILE...       the shipped matcher on MRPC-format files

`--validate` never scores a pair with networks that saw it (see `train_matcher.validate`): MRPC
train, PAWS dev (pairs that share a sentence in one fold) and STS benchmark dev, five folds each.
For comparison, published: MRPC test accuracy, supervised feature systems up to 0.766, always
"same" 0.665; PAWS-Wiki test, always "different" 0.56; STS benchmark test Spearman,
all-MiniLM-L6-v2's cosine about 0.82.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_matcher import DEFAULT_DATA, TIER_INPUTS, Data, read_mrpc, validate

from workbench.match import load_matcher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--validate", action="store_true")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--tier", choices=list(TIER_INPUTS), default="cheap")
    args = parser.parse_args(argv)
    if not args.paths and not args.validate:
        parser.error("give MRPC-format files, or --validate")
    matcher = load_matcher(args.tier)
    for path in args.paths:
        try:
            pairs = read_mrpc(path)
        except (OSError, ValueError) as error:
            print(f"evaluate: {error}", file=sys.stderr)
            return 1
        same = np.array(matcher.probabilities(list(zip(pairs.a, pairs.b)))) >= matcher.threshold
        print(f"{path}: {len(pairs)} pairs, accuracy {(same == (pairs.labels == 1)).mean():.4f}")
    if args.validate:
        figures = validate(Data.read(args.data), matcher.inputs)
        print(f"{args.tier} ({', '.join(matcher.inputs)}), held out: "
              + ", ".join(f"{name} {value:.4f}" for name, value in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
