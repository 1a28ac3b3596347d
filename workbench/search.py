"""Which claims a list shows: a status filter and search words, over claims in memory.

The TUI's claims list runs this on every key typed into its search box, so it must stay well
under the 100 ms a keystroke may take on a case of forty thousand claims
(`python -m workbench.bench filter` measures it).
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.model import Claim, Status

#: The filter that shows the claims assigned to the analyst looking.
MINE = "mine"


def matches(claim: Claim, query: str) -> bool:
    """`#12` is claim 12; otherwise every word must be in the claim's text, kind, status, note
    or sources (case-insensitive). `query` is lower case."""
    if query.startswith("#") and query[1:].isdigit():
        return claim.id == int(query[1:])
    haystack = " ".join((claim.text, claim.kind.value, claim.status.value, claim.note, " ".join(claim.sources)))
    return all(word in haystack.lower() for word in query.split())


def listed(
    claims: Iterable[Claim], *, status: Status | str | None = None, analyst: str = "", query: str = "",
    sentences: bool = False,
) -> list[Claim]:
    """The claims a list shows, in reading order: sentences that are not claims only with
    `sentences`; with a `status`, only claims of that status (`MINE`: assigned to `analyst`);
    with a `query`, only those that match it."""
    query = query.strip().lower()
    out = []
    for claim in claims:
        if not claim.is_claim and not sentences:
            continue
        if status == MINE:
            if not claim.is_claim or claim.assignee != analyst:
                continue
        elif status is not None and (not claim.is_claim or claim.status != status):
            continue
        if query and not matches(claim, query):
            continue
        out.append(claim)
    out.sort(key=lambda c: (c.article_id, c.start))
    return out
