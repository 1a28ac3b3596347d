"""Train the same-fact matcher and write `workbench/models/matcher.json.gz`.

    pip install -e '.[train]'
    python scripts/train_matcher.py [--data ../shared/data/paraphrase/msr_paraphrase_train.txt]

Data (not in the repo): the Microsoft Research Paraphrase Corpus training set, 4,076 news
sentence pairs labelled 1 when they mean the same. The model is an L2 logistic regression over
the standardised `workbench.match.measures` and their pairwise products; its arrays are
shipped, scikit-learn is not. `scripts/evaluate_matcher.py --validate` prints the
cross-validated figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from workbench import match
from workbench.match import CLIP, MODEL_FILE, Matcher

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "paraphrase" / "msr_paraphrase_train.txt"
OUT = ROOT / "workbench" / "models" / MODEL_FILE
#: Regularisation, chosen by 10-fold cross-validation on the training pairs (0.003, 0.01, 0.03).
C = 0.003
THRESHOLD = 0.5


@dataclass
class Pairs:
    a: list[str]
    b: list[str]
    labels: np.ndarray


def read_mrpc(path: Path) -> Pairs:
    """`Quality, #1 ID, #2 ID, #1 String, #2 String`, tab-separated, with or without a header."""
    a, b, labels = [], [], []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.rstrip("\n").split("\t")
            if number == 1 and parts[0] == "Quality":
                continue
            if len(parts) != 5 or parts[0] not in ("0", "1"):
                raise ValueError(f"{path}:{number}: not an MRPC line (Quality, #1 ID, #2 ID, #1 String, #2 String)")
            labels.append(int(parts[0]))
            a.append(parts[3])
            b.append(parts[4])
    return Pairs(a, b, np.array(labels))


def measures(pairs: Pairs) -> np.ndarray:
    statements = match.Statements.of(pairs.a + pairs.b)
    n = len(pairs.a)
    return match.measures(statements, np.arange(n), np.arange(n, 2 * n))


def fit(features: np.ndarray, labels: np.ndarray, c: float = C, meta: dict | None = None) -> Matcher:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    first = StandardScaler().fit(features)
    z = np.clip(first.transform(features), -CLIP, CLIP)
    poly = PolynomialFeatures(2).fit(z)
    index = np.arange(features.shape[1])
    products = [np.repeat(index, row) for row in poly.powers_ if row.sum() == 2]  # (i, i) or (i, j)
    matcher = Matcher(first.mean_, first.scale_, np.array(products, dtype=np.int64), np.zeros(1), np.ones(1),
                      np.zeros(1), 0.0, THRESHOLD, meta or {})
    expanded = matcher.expand(features)
    assert np.allclose(expanded, poly.transform(z)), "expand() must reproduce PolynomialFeatures"
    second = StandardScaler().fit(expanded)
    regression = LogisticRegression(C=c, max_iter=10000).fit(second.transform(expanded), labels)
    return Matcher(first.mean_, first.scale_, matcher.pairs, second.mean_, second.scale_, regression.coef_[0],
                   float(regression.intercept_[0]), THRESHOLD, meta or {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    pairs = read_mrpc(args.data)
    features = measures(pairs)
    meta = {"trained_on": {args.data.name: len(pairs.a)},
            "model": f"logistic regression, L2, C={C}, standardised measures and their pairwise products"}
    matcher = fit(features, pairs.labels, meta=meta)
    args.out.write_bytes(gzip.compress(json.dumps(matcher.to_json()).encode(), mtime=0))
    print(f"wrote {args.out} ({len(matcher.coef)} weights, {args.out.stat().st_size // 1024} KB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
