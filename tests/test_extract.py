"""What a sentence states that a fact-checker would check: amounts, dates, named sources."""

from __future__ import annotations

from workbench import extract


def test_amounts_keep_what_they_count() -> None:
    assert "Two aircraft" in extract.numbers("“Two aircraft were involved in the incident,” the release says.")
    assert any(n.startswith("about 400") for n in extract.numbers("The Air Force has about 400 KC-135s."))
    assert any("70%" in n for n in extract.numbers("mission-capable rates of about 70%"))


def test_designators_are_not_amounts() -> None:
    assert extract.numbers("A U.S. KC-135 aerial tanker has gone down.") == []
    assert extract.numbers("The F-15E is a strike fighter.") == []


def test_dates_in_news_forms() -> None:
    assert extract.dates("operations that began on Feb. 28, the release says") == ["Feb. 28"]
    assert "12 March" in " ".join(extract.dates("some time the evening of 12 March local time"))
    assert extract.dates("military officials announced Thursday.") == ["Thursday"]


def test_named_sources() -> None:
    assert extract.sources("Rescue efforts are ongoing, according to a brief news release from U.S. Central "
                           "Command, or CENTCOM.")
    assert "CENTCOM" in extract.sources("“The incident occurred in friendly airspace,” CENTCOM says.")
    assert extract.sources("The weather was fine.") == []


def test_cues_read_what_kind_of_statement_it_is() -> None:
    c = extract.cues("It was not caused by either hostile action or friendly fire.")
    assert c.cause and c.negation
    assert extract.cues("Prices will probably rise next year.").prediction
    assert extract.cues("I think we did a great job.").first_person
    assert extract.cues("Is this the end?").question
