"""Train the check-worthiness model and write `workbench/models/checkworthy.json.gz`.

    pip install -e '.[train]'
    python scripts/train_checkworthy.py [--data ../shared/data/checkworthy] [--validate]

Data (not in the repo): the CheckThat! 2024 task 1 English training set (ClaimBuster debate
sentences, Yes/No) and the CheckThat! 2019 task 1 training debates (1 = check-worthy). The model
is a class-balanced L2 logistic regression over `workbench.checkworthy.features`; only its
weights are shipped. `--validate` first prints the held-out figures (see
`scripts/evaluate_checkworthy.py --validate`) and records them in the model file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from workbench.checkworthy import MODEL_FILE, Model, features

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "checkworthy"
OUT = ROOT / "workbench" / "models" / MODEL_FILE
#: Regularisation: 1/C. Chosen by 5-fold cross-validation on the ClaimBuster training set.
C = 0.3
#: The claim threshold, as `--validate` last chose it (see `evaluate_checkworthy.choose_threshold`).
THRESHOLD = 0.4
MIN_COUNT = 2


@dataclass
class Labelled:
    """Sentences with 0/1 labels, grouped by the debate (or file) they come from."""

    texts: list[str]
    labels: list[int]
    groups: list[str]


def read_ct24(path: Path) -> Labelled:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or rows[0][:3] != ["Sentence_id", "Text", "class_label"]:
        raise ValueError(f"{path}: not a CheckThat! 2024 file (Sentence_id, Text, class_label)")
    body = [r for r in rows[1:] if len(r) >= 3]
    return Labelled([r[1] for r in body], [int(r[2].strip() == "Yes") for r in body], [path.name] * len(body))


def read_ct19(path: Path) -> Labelled:
    texts, labels = [], []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4 or parts[3] not in ("0", "1"):
                raise ValueError(f"{path}:{number}: not a CheckThat! 2019 line (line, speaker, text, label)")
            texts.append(parts[2])
            labels.append(int(parts[3]))
    return Labelled(texts, labels, [path.name] * len(texts))


def read_labelled(path: Path) -> Labelled:
    """A CheckThat! 2024 or 2019 file, or a folder of 2019 debates."""
    if path.is_dir():
        parts = [read_labelled(p) for p in sorted(path.glob("*.tsv"))]
        if not parts:
            raise ValueError(f"{path}: no .tsv files")
        return join(parts)
    with path.open(encoding="utf-8") as handle:
        head = handle.readline()
    return read_ct24(path) if head.startswith("Sentence_id") else read_ct19(path)


def join(parts: list[Labelled]) -> Labelled:
    return Labelled([t for p in parts for t in p.texts], [y for p in parts for y in p.labels],
                    [g for p in parts for g in p.groups])


def same_text_key(text: str) -> str:
    """Sentences equal up to case and punctuation: ClaimBuster and CheckThat! 2019 share debates."""
    return re.sub(r"\W+", " ", text.lower()).strip()


def without(data: Labelled, held_out: list[str]) -> Labelled:
    """`data` minus every sentence that also occurs in the held-out set (no leak into testing)."""
    keys = {same_text_key(t) for t in held_out}
    keep = [i for i, t in enumerate(data.texts) if same_text_key(t) not in keys]
    return Labelled([data.texts[i] for i in keep], [data.labels[i] for i in keep], [data.groups[i] for i in keep])


def fit(texts: list[str], labels: list[int], c: float = C, meta: dict | None = None,
        threshold: float = THRESHOLD) -> Model:
    """Fit the logistic regression and keep its weights as a `Model`."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = CountVectorizer(analyzer=features, min_df=MIN_COUNT, lowercase=False)
    matrix = vectoriser.fit_transform(texts)
    regression = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
    regression.fit(matrix, labels)
    names = vectoriser.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, regression.coef_[0]) if abs(w) >= 5e-4}
    return Model(round(float(regression.intercept_[0]), 4), weights, threshold, meta or {})


def training_set(data_dir: Path) -> tuple[Labelled, Labelled]:
    ct24 = read_ct24(data_dir / "CT24_checkworthy_english_train.tsv")
    ct19 = read_labelled(data_dir / "ct19_training")
    return ct24, ct19


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the CheckThat! files")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--validate", action="store_true", help="print and record held-out figures first")
    args = parser.parse_args(argv)

    ct24, ct19 = training_set(args.data)
    figures = {}
    if args.validate:
        sys.path.insert(0, str(ROOT / "scripts"))
        from evaluate_checkworthy import validate

        figures = validate(ct24, ct19)
    everything = join([ct24, without(ct19, [])])
    meta = {
        "trained_on": {
            "CT24_checkworthy_english_train.tsv": len(ct24.texts),
            "ct19_training": sorted(set(ct19.groups)),
        },
        "model": f"logistic regression, L2, C={C}, class-balanced, count features seen at least {MIN_COUNT}x",
        "held_out": figures,
    }
    model = fit(everything.texts, everything.labels, meta=meta, threshold=figures.get("threshold", THRESHOLD))
    args.out.write_bytes(gzip.compress(json.dumps(model.to_json(), sort_keys=True).encode(), mtime=0))
    print(f"wrote {args.out} ({len(model.weights)} weights, {args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
