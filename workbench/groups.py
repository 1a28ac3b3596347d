"""Claim groups: the claims a case's links join, the independent origins that confirm each
group, where its members disagree, and the credibility the links suggest.

`align` decides the links; this reads the links a case has, so the screen and the exports can
group claims without the matcher (or its imports) at hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from workbench.model import CONFLICTS, CORROBORATES, REVISED, Article, Link, published_before


def groups(links: Sequence[Link]) -> list[list[int]]:
    """Claims joined by links, as groups (connected components), largest first, ids sorted."""
    group_of: dict[int, list[int]] = {}  # each claim's group, shared by its members
    for a, b, *_ in links:  # unpacked, no call per link: a large case has a hundred thousand
        first, second = group_of.get(a), group_of.get(b)
        if first is None and second is None:
            group_of[a] = group_of[b] = [a, b]
        elif first is None:
            second.append(a)
            group_of[a] = second
        elif second is None:
            first.append(b)
            group_of[b] = first
        elif first is not second:  # the smaller group joins the larger
            if len(first) < len(second):
                first, second = second, first
            first.extend(second)
            for member in second:
                group_of[member] = first
    unique = {id(members): members for members in group_of.values()}.values()
    return sorted((sorted(m) for m in unique), key=lambda m: (-len(m), m[0]))


class Group(NamedTuple):
    """Claims stating one fact: their links, and the origins that confirm it."""

    members: list[int]
    links: list[Link]
    origins: list[list[int]]

    @property
    def disputed(self) -> bool:
        """Two of its members conflict, and no analyst has called it otherwise."""
        return any(link.relation == CONFLICTS for link in self.links)

    @property
    def confirmed(self) -> bool:
        """Confirmed by two independent origins, and not disputed: a fact another report
        contradicts is not confirmed, however many repeat it."""
        return len(self.origins) >= 2 and not self.disputed


def group_origins(links: Sequence[Link], attributed: Mapping[int, Attributed]) -> list[Group]:
    """Each group (as `groups` orders them) with its links and the origins confirming it."""
    grouped = groups(links)
    index = {claim_id: n for n, members in enumerate(grouped) for claim_id in members}
    group_links: list[list[Link]] = [[] for _ in grouped]
    for link in links:  # one pass: a group's links are the links of any of its members
        group_links[index[link.claim_a]].append(link)
    return [
        Group(members, inside, origins([attributed[m] for m in members if m in attributed], inside))
        for members, inside in zip(grouped, group_links)
    ]


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """One slot of a fact that its reports give different values: "aircraft", and each claim's
    value as written, in claim order: [(6, "Two aircraft"), (48, "Three aircraft")]."""

    slot: str
    values: list[tuple[int, str]]


def discrepancies(links: Sequence[Link]) -> list[Discrepancy]:
    """Where the claims of a group disagree, slot by slot: from its conflicting and revised links,
    each claim's value once (the first link that names it)."""
    slots: dict[str, dict[int, str]] = {}
    for link in links:
        if link.relation not in (CONFLICTS, REVISED):
            continue
        for slot, value_a, value_b in link.differences:
            values = slots.setdefault(slot, {})
            values.setdefault(link.claim_a, value_a)
            values.setdefault(link.claim_b, value_b)
    return [Discrepancy(slot, sorted(values.items())) for slot, values in slots.items()]


#: Two statements the matcher is this sure of are one text repeated (wire copy), not two reports.
COPY_SCORE = 0.98


@dataclass(frozen=True, slots=True)
class Attributed:
    """A group member as independence sees it: who published it, and whom it cites."""

    claim_id: int
    outlet: str
    cites: tuple[str, ...]


def origins(members: Sequence[Attributed], links: Sequence[Link]) -> list[list[int]]:
    """The origins that confirm a group's fact: near-verbatim copies, the same outlet, or the
    same cited source count once. Only members that corroborate (the matcher's `corroborates`)
    and are attributed (an outlet or a cited source) count: an unattributed sentence says
    nothing about who confirms it. Two origins make a fact independently confirmed.

    A group is joined by every link, and a `related` one can join two facts ("two aircraft were
    involved", "rescue efforts are ongoing"): the origins are those of the one fact, the
    members joined by corroborations, that has the most; two facts each told by one origin do
    not confirm each other."""
    corroborating = [link for link in links if link.relation == CORROBORATES]
    fact = {m: m for link in corroborating for m in (link.claim_a, link.claim_b)}

    def fact_of(x: int) -> int:
        while fact[x] != x:
            fact[x] = fact[fact[x]]
            x = fact[x]
        return x

    for link in corroborating:
        fact[fact_of(link.claim_a)] = fact_of(link.claim_b)
    by_fact: dict[int, list[Attributed]] = {}
    for m in members:
        if m.claim_id in fact and (m.outlet or m.cites):
            by_fact.setdefault(fact_of(m.claim_id), []).append(m)
    found = [_origins_of(told, links) for told in by_fact.values()]
    return max(found, key=len, default=[])


def _origins_of(members: Sequence[Attributed], links: Sequence[Link]) -> list[list[int]]:
    """The origins among members that state one fact (see `origins`)."""
    parent = {m.claim_id: m.claim_id for m in members}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: int, b: int) -> None:
        parent[root(a)] = root(b)

    for link in links:
        if link.claim_a in parent and link.claim_b in parent and link.score >= COPY_SCORE:
            join(link.claim_a, link.claim_b)
    seen: dict[str, int] = {}
    for member in members:
        for key in _origin_keys(member.outlet, member.cites):
            if key in seen:
                join(member.claim_id, seen[key])
            else:
                seen[key] = member.claim_id
    clusters: dict[int, list[int]] = {}
    for member in members:
        clusters.setdefault(root(member.claim_id), []).append(member.claim_id)
    return sorted((sorted(c) for c in clusters.values()), key=lambda c: c[0])


@lru_cache(maxsize=4096)
def _origin_keys(outlet: str, cites: tuple[str, ...]) -> tuple[str, ...]:
    """What makes two members one origin: the same outlet, the same cited source or an acronym
    both cite. Kept for each outlet and citations: a large case has thirty thousand grouped
    claims and few outlets and sources."""
    keys = [f"outlet:{outlet.lower()}"] if outlet else []
    keys += [f"cites:{who}" for who in map(_who, cites) if who]
    keys += [f"acronym:{a}" for c in cites for a in _ACRONYM.findall(c) if a not in _COUNTRIES]
    return tuple(keys)


#: "CENTCOM", "CBS", "NATO": the same acronym in two citations is the same source.
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_COUNTRIES = frozenset({"US", "USA", "UK", "EU", "UN", "UAE"})


def standing(link: Link, mine: Article | None, other: Article | None) -> str:
    """How a claim stands to the other claim of a link, the two claims' articles given: "same
    fact as", "related to", "conflicts with"; of a revision, the earlier story was "revised in"
    the later one, which "revises" it (an article not known: "revised in")."""
    if link.relation == REVISED:
        later = mine is not None and other is not None and not published_before(
            (mine.date, mine.id), (other.date, other.id))
        return "revises" if later else "revised in"
    return {CONFLICTS: "conflicts with", CORROBORATES: "same fact as"}.get(link.relation, "related to")


def suggest_credibility(links: Sequence[Link], origin_count: int, disputed: bool = False) -> str:
    """The credibility digit the links suggest; the analyst decides. Contradicted by another
    report: 5 (improbable); in a group where two reports disagree: 3 (possibly true) at best;
    confirmed by two independent origins: 1; corroborated by another article without
    independent attribution: 2 (probably true); alone, or only related to what others say: 6
    (cannot be judged)."""
    relations = set(map(itemgetter(3), links))  # each link's relation; a large sheet asks for 34,000
    if CONFLICTS in relations:
        return "5"
    if disputed:
        return "3"
    if origin_count >= 2:
        return "1"
    if CORROBORATES in relations:
        return "2"
    return "6"


def _who(source: str) -> str:
    """A cited source without its article or adjectives' case: "the news release" = "News release"."""
    words = source.lower().replace("’", "'").split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)
