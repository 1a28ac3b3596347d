"""Score the aligner against the analysts' calls stored in case files: every reviewed case is test data.

    python scripts/score_calls.py CASE.db [CASE.db ...] [--show]

An analyst's call on a pair (`l` in the workbench, `workbench link A B ...`) says what the pair
really is; the aligner's own decision stays stored beside it. This prints, over all the calls:
of the conflicts the aligner flagged (≠ and → revised), how many the analysts called conflicts
(precision); of the pairs the analysts called conflicts, how many the aligner had flagged
(recall); and the links the analysts unlinked or made by hand. `--show` lists each pair the
aligner and the analyst disagree on.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.model import CONFLICTS, REVISED, UNRELATED  # noqa: E402
from workbench.store import Store, StoreError  # noqa: E402

#: What the aligner flags for an analyst to look at.
FLAGGED = frozenset({CONFLICTS, REVISED})


@dataclass
class Score:
    """The aligner's conflicts against the analysts' calls."""

    flagged_real: list[dict[str, Any]] = field(default_factory=list)
    flagged_false: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    unlinked: list[dict[str, Any]] = field(default_factory=list)  # the aligner linked them; an analyst did not
    linked: list[dict[str, Any]] = field(default_factory=list)  # an analyst linked what the aligner did not

    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            flagged, call = row["aligner"] in FLAGGED, row["call"]
            if call == "conflict":
                (self.flagged_real if flagged else self.missed).append(row)
            elif call in ("not_conflict", "linked", "unlinked") and flagged:
                self.flagged_false.append(row)
            if call == "unlinked" and row["aligner"] != UNRELATED:
                self.unlinked.append(row)
            elif call in ("linked", "conflict", "not_conflict") and row["aligner"] == UNRELATED:
                self.linked.append(row)

    @property
    def precision(self) -> float | None:
        flagged = len(self.flagged_real) + len(self.flagged_false)
        return len(self.flagged_real) / flagged if flagged else None

    @property
    def recall(self) -> float | None:
        real = len(self.flagged_real) + len(self.missed)
        return len(self.flagged_real) / real if real else None

    def lines(self) -> list[str]:
        def share(value: float | None) -> str:
            return "n/a" if value is None else f"{value:.0%}"

        flagged = len(self.flagged_real) + len(self.flagged_false)
        real = len(self.flagged_real) + len(self.missed)
        return [
            f"flagged conflicts the analysts called real: {len(self.flagged_real)} of {flagged} "
            f"(precision {share(self.precision)})",
            f"conflicts the analysts called that the aligner flagged: {len(self.flagged_real)} of {real} "
            f"(recall {share(self.recall)})",
            f"links the analysts undid: {len(self.unlinked)}; pairs they linked that the aligner had not: "
            f"{len(self.linked)}",
        ]


def score(stores: Iterable[Store]) -> Score:
    found = Score()
    for store in stores:
        found.add(store.calls())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", nargs="+", type=Path, help="case databases")
    parser.add_argument("--show", action="store_true", help="list the pairs the aligner got wrong")
    args = parser.parse_args()
    result = Score()
    for path in args.cases:
        try:
            with Store.read_only(path) as store:
                rows = store.calls()
                texts = {c.id: c.text for c in store.claims(include_sentences=True)} if args.show else {}
        except StoreError as error:
            sys.exit(f"score_calls: {error}")
        result.add(rows)
        if args.show:
            for row in rows:
                wrong = (row["call"] == "conflict") != (row["aligner"] in FLAGGED)
                if wrong:
                    print(f"{path}: #{row['claim_a']} / #{row['claim_b']}: aligner {row['aligner']}, "
                          f"{row['called_by']} called it {row['call'] or 'back to the aligner'}")
                    print(f"    {texts.get(row['claim_a'], '')[:150]}\n    {texts.get(row['claim_b'], '')[:150]}")
    print("\n".join(result.lines()))


if __name__ == "__main__":
    main()
