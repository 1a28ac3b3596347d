"""The sentence-pair sets the encoder is trained and judged on, and the one rule that splits them.

Shared by every script that reads these sets (`train_encoder.py`, `evaluate_encoders.py`,
`train_matcher.py` and `evaluate_matcher.py`, `calibrate_crosslingual.py`), so that the
held-out parts an evaluation reports are exactly the parts the training never saw, and a file
is parsed one way. The data is read from
../shared/data (never copied into the repo).

The split rule, for anyone who needs the same held-out pairs:

* STS benchmark: train (5,749 pairs) is for training; dev (1,500 pairs) is held out whole.
* MRPC train (4,076 pairs) and PAWS-Wiki dev (8,000 pairs): pairs that share a sentence are
  joined into one group (PAWS: sentences with the same bag of lower-cased words count as the
  same sentence, since PAWS builds several pairs from one source by swapping words), so that no
  held-out sentence was seen in training. A group is held out when
  `int(sha256(f"workbench-21:{set}:{key}").hexdigest(), 16) % 100 < share`, where `key` is the
  group's smallest pair key (MRPC: `"{#1 ID}-{#2 ID}"`; PAWS: the id column) and share is 20 for
  MRPC, 50 for PAWS. That is a fixed seeded ~20% of MRPC and ~half of PAWS dev, by whole groups.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SALT = "workbench-21"
MRPC_HELD_OUT = 20
PAWS_HELD_OUT = 50


@dataclass
class Pairs:
    """Sentence pairs with a score: 0-5 similarity (STS) or 0/1 same meaning (MRPC, PAWS)."""

    a: list[str]
    b: list[str]
    scores: list[float]
    keys: list[str]

    def __len__(self) -> int:
        return len(self.a)

    def take(self, keep: list[bool]) -> Pairs:
        """The pairs where `keep` is true, in order."""
        pick = [i for i, k in enumerate(keep) if k]
        return Pairs([self.a[i] for i in pick], [self.b[i] for i in pick],
                     [self.scores[i] for i in pick], [self.keys[i] for i in pick])


def read_sts_file(path: Path) -> Pairs:
    """An STS benchmark file: tab separated, the score (0-5) in column 5, the sentences in 6 and 7
    (some lines carry extra source columns after them, so the file is split by tabs, never read
    as CSV). A line that is not one stops the reading with its number."""
    a, b, scores, keys = [], [], [], []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.rstrip("\n").split("\t")
            try:
                scores.append(float(parts[4]))
                a.append(parts[5])
                b.append(parts[6])
            except (IndexError, ValueError):
                raise ValueError(f"{path}:{number}: not an STS benchmark line") from None
            keys.append(str(number))
    return Pairs(a, b, scores, keys)


def read_mrpc_file(path: Path) -> Pairs:
    """An MRPC file: `Quality, #1 ID, #2 ID, #1 String, #2 String`, tab separated, UTF-8 with or
    without a BOM, with or without its header."""
    a, b, scores, keys = [], [], [], []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.rstrip("\n").split("\t")
            if number == 1 and parts[0] == "Quality":
                continue
            if len(parts) != 5 or parts[0] not in ("0", "1"):
                raise ValueError(f"{path}:{number}: not an MRPC line (Quality, #1 ID, #2 ID, #1 String, #2 String)")
            scores.append(float(parts[0]))
            keys.append(f"{parts[1]}-{parts[2]}")
            a.append(parts[3])
            b.append(parts[4])
    return Pairs(a, b, scores, keys)


def read_paws_file(path: Path) -> Pairs:
    """A PAWS file: `id, sentence1, sentence2, label`, tab separated, with or without its header."""
    a, b, scores, keys = [], [], [], []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            parts = line.rstrip("\n").split("\t")
            if number == 1 and parts[0] == "id":
                continue
            if len(parts) != 4 or parts[3] not in ("0", "1"):
                raise ValueError(f"{path}:{number}: not a PAWS line (id, sentence1, sentence2, label)")
            keys.append(parts[0])
            a.append(parts[1])
            b.append(parts[2])
            scores.append(float(parts[3]))
    return Pairs(a, b, scores, keys)


def read_sts(name: str, data: Path = DATA) -> Pairs:
    """The STS benchmark's `name` split (train or dev) from the data folder."""
    return read_sts_file(data / "similarity" / f"sts-{name}.csv")


def read_mrpc(data: Path = DATA) -> Pairs:
    """MRPC train from the data folder."""
    return read_mrpc_file(data / "paraphrase" / "msr_paraphrase_train.txt")


def read_paws(data: Path = DATA) -> Pairs:
    """PAWS-Wiki dev from the data folder."""
    return read_paws_file(data / "paraphrase" / "paws_wiki_dev.tsv")


def _groups(sentence_keys: list[tuple[str, str]]) -> list[int]:
    """Each pair's group: pairs joined, transitively, by a shared sentence key (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for left, right in sentence_keys:
        parent[find(left)] = find(right)
    roots = [find(left) for left, _ in sentence_keys]
    index: dict[str, int] = {}
    return [index.setdefault(root, len(index)) for root in roots]


def held_out(pairs: Pairs, name: str, share: int, sentence_keys: list[tuple[str, str]]) -> list[bool]:
    """Which pairs the split holds out (see the module's docstring for the rule)."""
    groups = _groups(sentence_keys)
    smallest: dict[int, str] = {}
    for group, key in zip(groups, pairs.keys, strict=True):
        if group not in smallest or _order(key) < _order(smallest[group]):
            smallest[group] = key
    chosen = {
        group: int(hashlib.sha256(f"{SALT}:{name}:{key}".encode()).hexdigest(), 16) % 100 < share
        for group, key in smallest.items()
    }
    return [chosen[group] for group in groups]


def _order(key: str) -> tuple[int, ...]:
    """Pair keys in numeric order (`"702876-702977"` -> (702876, 702977); `"12"` -> (12,))."""
    return tuple(int(part) for part in key.split("-"))


def _bag(sentence: str) -> str:
    return " ".join(sorted(sentence.lower().split()))


def mrpc_split(data: Path = DATA) -> tuple[Pairs, Pairs]:
    """(training 80%, held-out 20%) of MRPC train."""
    pairs = read_mrpc(data)
    ids = [tuple(key.split("-")) for key in pairs.keys]
    out = held_out(pairs, "mrpc", MRPC_HELD_OUT, [(f"s{x}", f"s{y}") for x, y in ids])
    return pairs.take([not o for o in out]), pairs.take(out)


def paws_split(data: Path = DATA) -> tuple[Pairs, Pairs]:
    """(training half, held-out half) of PAWS-Wiki dev."""
    pairs = read_paws(data)
    out = held_out(pairs, "paws", PAWS_HELD_OUT, [(_bag(x), _bag(y)) for x, y in zip(pairs.a, pairs.b, strict=True)])
    return pairs.take([not o for o in out]), pairs.take(out)


if __name__ == "__main__":
    for label, (train, test) in {"MRPC": mrpc_split(), "PAWS": paws_split()}.items():
        print(f"{label}: train {len(train)} ({sum(train.scores) / len(train):.2f} positive), "
              f"held out {len(test)} ({sum(test.scores) / len(test):.2f} positive)")
    print(f"STS: train {len(read_sts('train'))}, dev {len(read_sts('dev'))} (held out)")
