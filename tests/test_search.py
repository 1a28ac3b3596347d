"""What the claims list shows: the status filter and the search words."""

from __future__ import annotations

from workbench import search
from workbench.model import Claim, Kind, Status


def claim(id_: int, text: str, *, article: int = 1, start: int = 0, status: Status = Status.UNMARKED,
          is_claim: bool = True, assignee: str = "", note: str = "", sources: list[str] | None = None) -> Claim:
    return Claim(id_, article, start, start + len(text), text, 0.5, Kind.QUANTITY, is_claim, "finder", status,
                 note, "", None, None, [], [], sources or [], "", assignee)


CLAIMS = [
    claim(3, "Three aircraft were lost", article=2, status=Status.VERIFIED, assignee="ana"),
    claim(1, "Two aircraft were involved", status=Status.DISPUTED, note="CENTCOM says two"),
    claim(2, "It was a cold night", start=40, is_claim=False),
    claim(4, "Rescue efforts are ongoing", article=2, start=30, sources=["U.S. Central Command"]),
]


def ids(found: list[Claim]) -> list[int]:
    return [c.id for c in found]


def test_claims_are_listed_in_reading_order_without_sentences_unless_asked() -> None:
    assert ids(search.listed(CLAIMS)) == [1, 3, 4]
    assert ids(search.listed(CLAIMS, sentences=True)) == [1, 2, 3, 4]


def test_a_status_filter_keeps_claims_of_that_status_and_mine_keeps_my_assignments() -> None:
    assert ids(search.listed(CLAIMS, status=Status.DISPUTED)) == [1]
    assert ids(search.listed(CLAIMS, status=search.MINE, analyst="ana")) == [3]
    assert ids(search.listed(CLAIMS, status=Status.UNMARKED, sentences=True)) == [4]  # a sentence has no status


def test_every_search_word_must_be_found_in_text_kind_status_note_or_sources() -> None:
    assert ids(search.listed(CLAIMS, query="AIRCRAFT")) == [1, 3]
    assert ids(search.listed(CLAIMS, query="aircraft verified")) == [3]
    assert ids(search.listed(CLAIMS, query="centcom")) == [1]  # in the note
    assert ids(search.listed(CLAIMS, query="central command")) == [4]  # in the sources
    assert ids(search.listed(CLAIMS, query="quantity two")) == [1]  # the kind


def test_a_hash_and_a_number_finds_that_claim() -> None:
    assert ids(search.listed(CLAIMS, query=" #4 ")) == [4]
    assert search.matches(CLAIMS[0], "#3") and not search.matches(CLAIMS[0], "#33")
