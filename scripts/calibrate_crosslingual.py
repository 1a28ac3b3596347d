"""Calibrate the cross-language tier (`workbench.crosslingual`): print the figures and constants.

    python scripts/calibrate_crosslingual.py [--data ../shared/data]

Needs scikit-learn (`pip install -e '.[train]'`) and scipy, which it brings. Three steps, each on
data it is allowed to see (see scripts/encoder_data.py for the readers and the MRPC split):

1. How well the USE cosine orders meaning in English: Spearman against STS-B dev (never fitted on).
2. The cosine as a probability of "the same fact": a logistic regression fitted on MRPC train's
   fixed 80% (encoder_data.mrpc_split); its Brier score and AUC on the held-out 20%. The link
   cosine is the one that tells MRPC's same-meaning pairs apart best (accuracy) on the 80% part;
   held-out accuracy, precision and recall are printed, and STS train's best cut between
   "roughly equivalent" (score >= 3) and less, as a second reading of the same cosine.
3. Where cross-language cosines sit: on our own sentence pairs (tests/data/crosslingual_pairs.tsv,
   English pairs with the second sentence also in Spanish and French), the least-squares slope of
   the English-Spanish and English-French cosines on the English-English cosines of the same
   pairs. A cross-language cosine divided by it reads on the English scale.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import encoder_data  # scripts/ is on the path when this runs as a script
import numpy as np

from workbench import crosslingual

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "data" / "crosslingual_pairs.tsv"


def cosines(a: list[str], b: list[str]) -> np.ndarray:
    """The cosine of each a[i] with b[i]."""
    return np.einsum("ij,ij->i", crosslingual.encode(a), crosslingual.encode(b))


def own_pairs(path: Path = PAIRS) -> list[dict[str, str]]:
    """Our own sentence pairs: kind, english, english_other, spanish, french."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t"))


def main(argv: list[str] | None = None) -> int:
    from scipy.stats import spearmanr
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import brier_score_loss, roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=encoder_data.DATA)
    args = parser.parse_args(argv)

    start = time.perf_counter()
    sts_train, sts_dev = encoder_data.read_sts("train", args.data), encoder_data.read_sts("dev", args.data)
    fit, held = encoder_data.mrpc_split(args.data)
    dev = cosines(sts_dev.a, sts_dev.b)
    print(f"1. STS-B dev ({len(sts_dev)} pairs): Spearman of the USE cosine {spearmanr(dev, sts_dev.scores).correlation:.4f}")

    c_fit, y_fit = cosines(fit.a, fit.b), np.array(fit.scores)
    c_held, y_held = cosines(held.a, held.b), np.array(held.scores)
    logistic = LogisticRegression(C=1e6).fit(c_fit[:, None], y_fit)
    slope, intercept = float(logistic.coef_[0][0]), float(logistic.intercept_[0])
    p_held = logistic.predict_proba(c_held[:, None])[:, 1]
    print(f"2. MRPC fit {len(fit)} pairs ({y_fit.mean():.2f} same), held out {len(held)} ({y_held.mean():.2f} same)")
    print(f"   logistic: p = 1 / (1 + exp(-({slope:.4f} * cosine + {intercept:.4f}))); p = 0.5 at cosine {-intercept / slope:.3f}")
    print(f"   held out: AUC {roc_auc_score(y_held, c_held):.3f}, Brier {brier_score_loss(y_held, p_held):.4f} "
          f"(the base rate alone {brier_score_loss(y_held, np.full(len(y_held), y_fit.mean())):.4f})")
    grid = np.round(np.arange(0.40, 0.95, 0.005), 3)
    accuracy = np.array([((c_fit >= t) == (y_fit == 1)).mean() for t in grid])
    link = float(grid[int(np.argmax(accuracy))])
    said = c_held >= link
    precision = (said & (y_held == 1)).sum() / max(said.sum(), 1)
    recall = (said & (y_held == 1)).sum() / (y_held == 1).sum()
    print(f"   link cosine (best accuracy on the fit part): {link:.3f}, fit accuracy {accuracy.max():.3f}; held out "
          f"accuracy {(said == (y_held == 1)).mean():.3f}, precision {precision:.3f}, recall {recall:.3f}")
    c_sts, s_sts = cosines(sts_train.a, sts_train.b), np.array(sts_train.scores)
    sts_accuracy = np.array([((c_sts >= t) == (s_sts >= 3)).mean() for t in grid])
    cut = float(grid[int(np.argmax(sts_accuracy))])
    print(f"   STS train: best cut for score >= 3 at cosine {cut:.3f} (accuracy {sts_accuracy.max():.3f}; "
          f"on dev {((dev >= cut) == (np.array(sts_dev.scores) >= 3)).mean():.3f})")

    rows = own_pairs()
    english = cosines([r["english"] for r in rows], [r["english_other"] for r in rows])
    spanish = cosines([r["english"] for r in rows], [r["spanish"] for r in rows])
    french = cosines([r["english"] for r in rows], [r["french"] for r in rows])
    mono, cross = np.concatenate((english, english)), np.concatenate((spanish, french))
    across = float(mono @ cross / (mono @ mono))
    rng = np.random.default_rng(0)
    draws = [(mono[k] @ cross[k]) / (mono[k] @ mono[k]) for k in (rng.integers(0, len(mono), len(mono)) for _ in range(2000))]
    low, high = np.quantile(draws, [0.05, 0.95])
    print(f"3. own pairs ({len(rows)}, each English-English, English-Spanish, English-French):")
    print(f"   cross-language cosine = {across:.3f} x English cosine (bootstrap 90% interval {low:.3f}-{high:.3f})")
    kinds = np.array([r["kind"] for r in rows])
    for kind in ("same", "conflict", "related", "other"):
        pick = kinds == kind
        print(f"   {kind:8s} English {english[pick].mean():.3f} [{english[pick].min():.3f}, {english[pick].max():.3f}]  "
              f"Spanish {spanish[pick].mean():.3f} [{spanish[pick].min():.3f}, {spanish[pick].max():.3f}]  "
              f"French {french[pick].mean():.3f} [{french[pick].min():.3f}, {french[pick].max():.3f}]")
    print(f"constants: SLOPE = {slope:.4f}, INTERCEPT = {intercept:.4f}, LINK_COSINE = {link:.3f}, ACROSS = {across:.3f}")
    print(f"({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
