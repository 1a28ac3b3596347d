"""What the claims list shows: the status filter, the search words, and claims alike in meaning."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from workbench import search
from workbench.model import Claim, Kind, Status
from workbench.models import ModelError


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


# -- search by meaning ---------------------------------------------------------------------------

AIR = [
    claim(10, "Heavy rain flooded the market town on Tuesday.", article=1),
    claim(11, "The aircraft was downed by a missile near the border.", article=1, start=60),
    claim(12, "The ministry of health opened two new clinics.", article=2),
    claim(13, "A missile hit the airliner, which fell into the sea.", article=2, start=50),
    claim(14, "Witnesses saw the plane shot down over the hills.", article=3),
]


def test_a_phrase_also_finds_claims_alike_in_meaning_that_share_none_of_its_words() -> None:
    found = search.found(AIR, query="the plane was shot down", meaning=search.MeaningIndex())
    assert 11 in found.by_meaning and 13 in found.by_meaning  # no "plane", no "shot" in them
    assert not {10, 12} & {c.id for c in found.claims}  # rain and clinics are not found
    assert all(0 < cosine <= 1 for cosine in found.by_meaning.values())


def test_word_matches_come_first_in_reading_order_then_meaning_matches_nearest_first() -> None:
    found = search.found(AIR, query="plane shot down over", meaning=search.MeaningIndex())
    assert found.claims[0].id == 14 and 14 not in found.by_meaning  # by its words: listed plainly
    by_meaning = [c.id for c in found.claims[1:]]
    assert by_meaning == sorted(by_meaning, key=lambda i: -found.by_meaning[i])


def test_without_a_meaning_index_a_search_is_by_words_alone() -> None:
    assert ids(search.listed(AIR, query="the plane was shot down")) == []
    assert ids(search.listed(AIR, query="missile")) == [11, 13]


def test_one_or_two_words_need_a_closer_meaning_than_a_phrase() -> None:
    index = search.MeaningIndex()
    assert search.meaning_threshold("plane") == search.SHORT_MEANING_THRESHOLD
    assert search.meaning_threshold("the plane was shot") == search.SHORT_MEANING_THRESHOLD  # "the", "was" weigh nothing
    assert search.meaning_threshold("the plane was shot down") == search.MEANING_THRESHOLD
    # "plane" alone is near the downed aircraft, not near enough for a one-word search
    assert ids(search.listed(AIR, query="plane", meaning=index)) == [14]


def test_an_id_or_kind_and_status_names_alone_never_search_by_meaning() -> None:
    index = search.MeaningIndex()
    assert search.meaning_threshold("#12") is None
    assert search.meaning_threshold("disputed quantity") is None
    assert search.meaning_threshold("   ") is None
    assert ids(search.listed(AIR, query="#13", meaning=index)) == [13]


def test_the_status_filter_holds_for_claims_found_by_meaning_too() -> None:
    marked = [*AIR[:3], replace(AIR[3], status=Status.VERIFIED), AIR[4]]
    found = search.found(marked, query="the plane was shot down", status=Status.UNMARKED, meaning=search.MeaningIndex())
    assert 13 not in {c.id for c in found.claims} and 11 in found.by_meaning


def test_no_more_than_the_nearest_few_are_added_by_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "MAX_MEANING", 1)
    found = search.found(AIR, query="the plane was shot down", meaning=search.MeaningIndex())
    assert len(found.by_meaning) == 1
    monkeypatch.setattr(search, "MAX_MEANING", 50)
    everything = search.found(AIR, query="the plane was shot down", meaning=search.MeaningIndex())
    assert found.by_meaning.keys() <= everything.by_meaning.keys()
    assert next(iter(found.by_meaning.values())) == max(everything.by_meaning.values())


class Counting:
    """Claim vectors as the index asks for them, counting the claims computed."""

    def __init__(self) -> None:
        self.computed: list[int] = []

    def __call__(self, claims) -> np.ndarray:
        self.computed += [c.id for c in claims]
        return search.claim_vectors(claims)


def test_vectors_are_computed_once_and_again_only_for_a_claim_whose_text_changed() -> None:
    counting = Counting()
    index = search.MeaningIndex(counting)
    search.found(AIR, query="the plane was shot down", meaning=index)
    search.found(AIR, query="a jet fell from the sky", meaning=index)
    assert sorted(counting.computed) == [10, 11, 12, 13, 14]
    corrected = [*AIR[:2], replace(AIR[2], text="Rockets struck a passenger jet, which crashed."), *AIR[3:]]
    found = search.found(corrected, query="the plane was shot down", meaning=index)
    assert counting.computed[5:] == [12]
    assert 12 in found.by_meaning  # found for the text it has now


def test_an_index_kept_through_many_corrections_still_answers_for_the_latest_texts() -> None:
    index = search.MeaningIndex()
    for n in range(1200):  # more rows than the index keeps before it drops the stale ones
        index.rows([replace(AIR[0], text=f"Rain number {n} flooded the town.")])
    latest = [replace(AIR[0], text="The plane was shot down by a missile."), *AIR[1:]]
    query = search.claim_vectors([claim(0, "the plane was shot down")])[0]
    assert np.allclose(index.cosines(latest, query), search.claim_vectors(latest) @ query, atol=1e-5)


def test_a_broken_model_leaves_search_by_words_and_says_why_once() -> None:
    calls = []

    def broken(claims) -> np.ndarray:
        calls.append(len(claims))
        raise ModelError("workbench/models/static.npz is missing or damaged: reinstall workbench")

    index = search.MeaningIndex(broken)
    found = search.found(AIR, query="missile hit the airliner", meaning=index)
    assert ids(found.claims) == [13] and found.by_meaning == {}  # its words still find it
    assert found.failure is not None and "reinstall workbench" in found.failure
    again = search.found(AIR, query="the plane was shot down", meaning=index)
    assert again.failure == found.failure and len(calls) == 1  # not tried on every key
