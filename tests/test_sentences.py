"""Sentence splitting for news prose, by exact offsets."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.sentences import MAX_SENTENCE, split


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in split(text)]


def test_abbreviations_inside_a_sentence_do_not_end_it() -> None:
    text = ("Rescue efforts are ongoing, according to U.S. Central Command. The operation began "
            "on Feb. 28 and Gen. Smith said so. Mr. Jones agreed.")
    assert sentences(text) == [
        "Rescue efforts are ongoing, according to U.S. Central Command.",
        "The operation began on Feb. 28 and Gen. Smith said so.",
        "Mr. Jones agreed.",
    ]


def test_an_initialism_ends_a_sentence_before_a_sentence_opener() -> None:
    assert sentences("The jets came from the U.S. The tankers came from the U.K.") == [
        "The jets came from the U.S.",
        "The tankers came from the U.K.",
    ]


def test_model_names_and_plural_model_names() -> None:
    text = "Most KC-135s fly with 3 crew members. The KC-46 is newer. It replaced the KC-10."
    assert sentences(text) == [
        "Most KC-135s fly with 3 crew members.",
        "The KC-46 is newer.",
        "It replaced the KC-10.",
    ]


def test_quotations_close_their_sentence_and_a_comma_inside_does_not() -> None:
    text = ("“The incident occurred in friendly airspace,” CENTCOM says. “Two aircraft were "
            "involved. One went down, and the second landed safely.” Officials confirmed it.")
    assert sentences(text) == [
        "“The incident occurred in friendly airspace,” CENTCOM says.",
        "“Two aircraft were involved.",
        "One went down, and the second landed safely.”",
        "Officials confirmed it.",
    ]


def test_question_inside_a_quote_followed_by_lower_case_continues() -> None:
    assert sentences("“Why now?” he asked. Nobody knew.") == ["“Why now?” he asked.", "Nobody knew."]


def test_decimals_times_and_percentages_stay_whole() -> None:
    assert sentences("Rates rose 2.5 percent at 3 p.m. local time. That was 70% of capacity.") == [
        "Rates rose 2.5 percent at 3 p.m. local time.",
        "That was 70% of capacity.",
    ]


def test_headlines_and_list_items_are_sentences_of_their_own() -> None:
    text = "# Tanker down\n\nMishaps are uncommon but do occur\nOfficials did not say.\n- First item\n- Second item"
    assert sentences(text) == [
        "Tanker down",
        "Mishaps are uncommon but do occur",
        "Officials did not say.",
        "First item",
        "Second item",
    ]


def test_hard_wrapped_paragraphs_read_across_line_breaks() -> None:
    text = ("At least 20 US Air Force tanker aircraft were forward deployed to the Middle East, according\n"
            "to the Center of Strategic and International Studies. The Stratotanker crash marks the\n"
            "fourth US aircraft lost.\n")
    assert sentences(text) == [
        "At least 20 US Air Force tanker aircraft were forward deployed to the Middle East, according\n"
        "to the Center of Strategic and International Studies.",
        "The Stratotanker crash marks the\nfourth US aircraft lost.",
    ]


def test_seed_articles_split_as_a_reader_would(seed_text: dict[str, str]) -> None:
    text = seed_text["001_412082ea65d67e81.txt"]
    found = sentences(text)
    assert "A U.S. KC-135 aerial tanker has gone down over western Iraq, military officials announced Thursday." in found[0]
    assert ("The incident took place in uncontested airspace while it was flying in support of the ongoing "
            "U.S. military operations against Iran that began on Feb. 28, the news release says.") in found
    assert "This is a breaking news story." in found
    assert len(found) == 26


def test_empty_and_blank_text_have_no_sentences() -> None:
    assert split("") == []
    assert split("  \n\n \t ") == []


@given(st.text())
def test_spans_always_slice_to_trimmed_non_empty_text_in_order(text: str) -> None:
    spans = split(text)
    previous_end = 0
    for span in spans:
        piece = text[span.start : span.end]
        assert piece and piece == piece.strip()
        assert span.start >= previous_end
        previous_end = span.end


def test_a_run_on_megabyte_is_cut_into_readable_pieces_that_still_slice_the_text() -> None:
    words = "the ministry said two aircraft were lost near the border, officials denied it".split()
    text = " ".join(words[i % len(words)] for i in range(150_000))
    spans = split(text)
    assert len(spans) > 500
    assert all(s.end - s.start <= MAX_SENTENCE for s in spans)
    assert all(text[s.start : s.end] == text[s.start : s.end].strip() for s in spans)
    # nothing is lost: the pieces cover every word, in order
    assert " ".join(text[s.start : s.end] for s in spans).split() == text.split()
