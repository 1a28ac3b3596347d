"""Measure the conflict judgment on data nobody here wrote: real wire clusters and debunking headlines.

    python scripts/evaluate_conflicts.py [--data ../shared/data] [--show]

Wire clusters (news/duc2004): each cluster is imported as a case, its AP stories with
`--source AP` and its New York Times stories with `--source NYT` (as the data's README says), and
the pairs labelled by reading them (scripts/wire_labels.tsv) are entered as analysts' calls;
`score_calls.py` then scores the aligner against them: of the conflicts it flags (≠, and → for a
revision within one outlet), how many are real; of the real ones, how many it flags. A flagged
pair nobody has labelled is printed, to be read and labelled.

Denials (conflicts/emergent_train.csv): each rumour's claim against each news headline about it,
through `workbench match`'s decision: the share of headlines that deny or debunk the rumour
('against') called `conflicts`, and the share of those that assert it ('for').

The figures are printed for all the data and for two halves of it (the clusters and the
rumours alternately), so a rule that only holds on part of the data shows. The rules and
thresholds were chosen reading all of this data: the held-out judgement is other clusters and
the test rumours, which are not here.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from score_calls import FLAGGED, Score  # noqa: E402

from workbench import align, ingest  # noqa: E402
from workbench.model import CONFLICTS  # noqa: E402
from workbench.store import Store  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "wire_labels.tsv"
#: Targets of the conflicts issue.
PRECISION_TARGET, DENIED_TARGET, ASSERTED_LIMIT = 0.80, 0.50, 0.05


def sentence_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def read_labels(path: Path) -> dict[tuple[str, str, str], str]:
    labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "cluster\t")) or not line.strip():
            continue
        cluster, a, b, label, _ = line.split("\t")
        labels[(cluster, a, b)] = labels[(cluster, b, a)] = label
    return labels


def wire(folder: Path, labels: dict[tuple[str, str, str], str], show: bool) -> tuple[Score, Score, Score]:
    """Score every cluster; returns (all, first half, second half)."""
    halves = (Score(), Score(), Score())
    unlabelled = 0
    for n, cluster in enumerate(sorted(p for p in folder.iterdir() if p.is_dir())):
        with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "case.db") as store:
            for prefix, outlet in (("APW", "AP"), ("NYT", "NYT")):
                files = sorted(cluster.glob(prefix + "*.txt"))
                if files:
                    ingest.import_paths(store, files, analyst="reader", source=outlet)
            claims = store.claims(include_sentences=True)
            texts = {c.id: c.text for c in claims}
            called = set()
            for link in store.links():  # a label is the call on every linked pair of those two sentences
                key = (cluster.name, sentence_key(texts[link.claim_a]), sentence_key(texts[link.claim_b]))
                if key in labels:
                    store.call_link(link.claim_a, link.claim_b, labels[key], "reader")
                    called.add(key)
                elif link.relation in FLAGGED:
                    unlabelled += 1
                    print(f"unlabelled {link.relation} in {cluster.name}: {link.reason}\n"
                          f"    {texts[link.claim_a]}\n    {texts[link.claim_b]}")
            # a real conflict the aligner did not link at all is a miss: called on one pair of the two
            where = {sentence_key(c.text): c for c in claims}
            for (name, a, b), label in labels.items():
                if (name == cluster.name and label == "conflict" and (name, a, b) not in called and a in where
                        and b in where and where[a].article_id != where[b].article_id):
                    store.call_link(where[a].id, where[b].id, label, "reader")
                    called.update({(name, a, b), (name, b, a)})
            rows = store.calls()
        for score in (halves[0], halves[1 + n % 2]):
            score.add(rows)
        if show:
            for row in rows:
                if (row["call"] == "conflict") != (row["aligner"] in FLAGGED):
                    print(f"{cluster.name}: aligner {row['aligner']}, read as {row['call']}\n"
                          f"    {texts[row['claim_a']]}\n    {texts[row['claim_b']]}")
    if unlabelled:
        print(f"{unlabelled} flagged pairs are not labelled: read them and add them to {LABELS.name}")
    return halves


def denials(path: Path) -> list[tuple[str, str, Counter[str]]]:
    """(part, stance, relations) for all rumours and each half of them."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    decided = align.relations([(r["claimHeadline"], r["articleHeadline"]) for r in rows])
    rumours = sorted({r["claimId"] for r in rows})
    half = {rumour: 1 + n % 2 for n, rumour in enumerate(rumours)}
    counts: dict[tuple[str, str], Counter[str]] = {}
    for row, relation in zip(rows, decided):
        for part in ("all", f"half {half[row['claimId']]}"):
            counts.setdefault((part, row["articleHeadlineStance"]), Counter())[relation.relation] += 1
    return [(part, stance, found) for (part, stance), found in sorted(counts.items())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--show", action="store_true", help="print every pair the aligner gets wrong")
    args = parser.parse_args()
    clusters = args.data / "news" / "duc2004"
    emergent = args.data / "conflicts" / "emergent_train.csv"
    for needed in (clusters, emergent):
        if not needed.exists():
            sys.exit(f"evaluate_conflicts: {needed} not found (--data names the shared data folder)")

    print(f"Wire clusters ({sum(1 for p in clusters.iterdir() if p.is_dir())} in {clusters}), "
          f"pairs labelled in {LABELS.name}:")
    for name, score in zip(("all clusters", "first half", "second half"), wire(clusters, read_labels(LABELS), args.show)):
        print(f"  {name}: " + "; ".join(score.lines()[:2]))
    print(f"  target: at least {PRECISION_TARGET:.0%} of flagged conflicts real")

    print(f"\nDenials ({emergent.name}): headline pairs called conflicts by `workbench match`")
    for part, stance, found in denials(emergent):
        total = sum(found.values())
        print(f"  {part:7} {stance:9} {found[CONFLICTS]:4} of {total:4} = {found[CONFLICTS] / total:5.1%}   "
              + ", ".join(f"{k} {v}" for k, v in found.most_common()))
    print(f"  targets: against at least {DENIED_TARGET:.0%}, for at most {ASSERTED_LIMIT:.0%}")


if __name__ == "__main__":
    main()
