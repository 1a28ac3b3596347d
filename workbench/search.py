"""Which claims a list shows: a status filter and search words, over claims in memory.

The TUI's claims list runs this on every key typed into its search box, so it must stay well
under the 100 ms a keystroke may take on a case of forty thousand claims
(`python -m workbench.bench filter` measures it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from workbench.model import Claim, Status

#: The filter that shows the claims assigned to the analyst looking.
MINE = "mine"


def matches(claim: Claim, query: str) -> bool:
    """`#12` is claim 12; otherwise every word must be in the claim's text, kind, status, note
    or sources (case-insensitive)."""
    return _matcher(query.strip().lower())(claim)


def _matcher(query: str) -> Callable[[Claim], bool]:
    """The test `matches` makes, with the query read once for a whole list."""
    if query.startswith("#") and query[1:].isdigit():
        wanted = int(query[1:])
        return lambda claim: claim.id == wanted
    words = query.split()

    def test(claim: Claim) -> bool:
        # the text first: the rest (kind, status, note, sources) is put together only for a word
        # the text lacks, which halves a search of a long list
        text = claim.text.lower()
        rest = None
        for word in words:
            if word in text:
                continue
            if rest is None:
                rest = f"{claim.kind.value} {claim.status.value} {claim.note} {' '.join(claim.sources)}".lower()
            if word not in rest:
                return False
        return True

    return test


def listed(
    claims: Iterable[Claim], *, status: Status | str | None = None, analyst: str = "", query: str = "",
    sentences: bool = False,
) -> list[Claim]:
    """The claims a list shows, in reading order: sentences that are not claims only with
    `sentences`; with a `status`, only claims of that status (`MINE`: assigned to `analyst`);
    with a `query`, only those that match it."""
    query = query.strip().lower()
    test = _matcher(query) if query else None
    out = []
    for claim in claims:
        if not claim.is_claim and not sentences:
            continue
        if status == MINE:
            if not claim.is_claim or claim.assignee != analyst:
                continue
        elif status is not None and (not claim.is_claim or claim.status != status):
            continue
        if test is not None and not test(claim):
            continue
        out.append(claim)
    out.sort(key=lambda c: (c.article_id, c.start))
    return out
