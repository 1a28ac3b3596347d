"""What a sentence states that a fact-checker would check: amounts, dates, named sources."""

from __future__ import annotations

import random

import pytest

from workbench import extract

FLIGHT_TRACKING = ("Open source flight tracking data indicates that two USAF KC-135s were operating over Iraq "
                   "in the evening hours of 12 March.")
CENTCOM_QUOTE = "“The incident occurred in friendly airspace during Operation Epic Fury, and rescue efforts are ongoing,” CENTCOM says."


def test_amounts_keep_what_they_count() -> None:
    assert "Two aircraft" in extract.numbers("“Two aircraft were involved in the incident,” the release says.")
    assert any(n.startswith("about 400") for n in extract.numbers("The Air Force has about 400 KC-135s."))
    assert any("70%" in n for n in extract.numbers("mission-capable rates of about 70%"))


def test_spelled_out_counts_are_amounts() -> None:
    assert extract.numbers("Officials said two aircraft were involved.") == ["two aircraft"]
    assert extract.numbers("All six crew were able to safely eject.") == ["six crew"]
    assert extract.numbers("The crash marks the fourth US aircraft lost.") == ["fourth US aircraft"]


def test_digits_percentages_money_and_hedges_are_amounts() -> None:
    assert extract.numbers("Most KC-135s fly with 3 crew members.") == ["3 crew members"]
    assert extract.numbers("Nearly 1,500 people were evacuated.") == ["Nearly 1,500 people"]
    assert extract.numbers("Prices rose 4.5% to $1,200.") == ["4.5%", "$1,200"]
    assert extract.numbers("Inflation fell from 3.2 percent to 2 percent.") == ["3.2 percent", "2 percent"]
    assert extract.numbers("At least 20 US Air Force tanker aircraft were forward deployed.") == [
        "At least 20 US Air Force tanker aircraft"]


def test_designators_are_not_amounts() -> None:
    assert extract.numbers("A U.S. KC-135 aerial tanker has gone down.") == []
    assert extract.numbers("The F-15E is a strike fighter.") == []
    assert extract.numbers("The KC-46 replaced the KC-10.") == []


def test_a_designator_can_be_what_an_amount_counts() -> None:
    found = extract.numbers(FLIGHT_TRACKING)
    assert found == ["two USAF KC-135s"]
    assert not any(n.startswith(("135", "-135")) for n in found)


def test_one_as_a_pronoun_is_not_a_count() -> None:
    assert extract.numbers("One of the aircraft went down in western Iraq, and the second landed safely.") == []


def test_dates_and_years_are_not_amounts() -> None:
    assert extract.numbers("The tanker went down on 12 March.") == []
    assert extract.numbers("In 2013, a KC-135 crashed in the Kyrgyz Republic.") == []


def test_sentences_without_numbers_have_none() -> None:
    assert extract.numbers("The weather was fine.") == []
    assert extract.numbers("") == []


def test_dates_in_news_forms() -> None:
    assert extract.dates("operations that began on Feb. 28, the release says") == ["Feb. 28"]
    assert "12 March" in " ".join(extract.dates("some time the evening of 12 March local time"))
    assert extract.dates("military officials announced Thursday.") == ["Thursday"]


@pytest.mark.parametrize("sentence,expected", [
    ("The attack happened on March 12, 2026, officials said.", ["March 12, 2026"]),
    ("The tanker crashed on 12 March 2026.", ["12 March 2026"]),
    (FLIGHT_TRACKING, ["12 March"]),
    ("In 2013, a KC-135 crashed in the Kyrgyz Republic.", ["2013"]),
    ("Three accidents occurred between 2022 and 2024 during training.", ["between 2022 and 2024"]),
    ("Twenty tankers were deployed at the end of February.", ["the end of February"]),
    ("Inflation fell last year.", ["last year"]),
    ("The weather was fine.", []),
])
def test_dates_are_read_as_written(sentence: str, expected: list[str]) -> None:
    assert extract.dates(sentence) == expected


def test_a_designator_number_is_not_a_year() -> None:
    assert extract.dates("The KC-2024 prototype flew.") == []


def test_named_sources() -> None:
    assert extract.sources("Rescue efforts are ongoing, according to a brief news release from U.S. Central "
                           "Command, or CENTCOM.")
    assert "CENTCOM" in extract.sources(CENTCOM_QUOTE)
    assert extract.sources("The weather was fine.") == []


@pytest.mark.parametrize("sentence,source", [
    ("Rescue efforts are ongoing, according to U.S. Central Command.", "U.S. Central Command"),
    ("Rescue efforts are ongoing, according to a brief news release from U.S. Central Command, or CENTCOM.",
     "a brief news release from U.S. Central Command (CENTCOM)"),
    (CENTCOM_QUOTE, "CENTCOM"),
    ("CENTCOM says the incident occurred in friendly airspace.", "CENTCOM"),
    ("American broadcaster CBS News is reporting that the second aircraft was another KC-135.", "CBS News"),
    ("A U.S. KC-135 aerial tanker has gone down over western Iraq, military officials announced Thursday.",
     "military officials"),
    ("Most KC-135s fly with 3 crew members, according to an Air Force fact sheet — a pilot, co-pilot and a "
     "boom operator.", "an Air Force fact sheet"),
    ("“Two aircraft were involved in the incident,” the news release says.", "the news release"),
    ("Air Force investigators determined that crash was unrelated to combat.", "Air Force investigators"),
])
def test_the_named_source_is_recorded_by_name(sentence: str, source: str) -> None:
    assert extract.sources(sentence) == [source]


def test_a_pronoun_is_not_a_source() -> None:
    assert extract.sources("It said the crash happened.") == []
    assert extract.sources("He said the crash happened.") == []


def test_a_source_named_twice_is_recorded_once() -> None:
    assert extract.sources("CENTCOM says the jet crashed, according to CENTCOM.") == ["CENTCOM"]


def test_cues_read_what_kind_of_statement_it_is() -> None:
    c = extract.cues("It was not caused by either hostile action or friendly fire.")
    assert c.cause and c.negation
    assert extract.cues("Prices will probably rise next year.").prediction
    assert extract.cues("I think we did a great job.").first_person
    assert extract.cues("Is this the end?").question


def test_cues_carry_the_numbers_dates_and_sources_of_the_sentence() -> None:
    c = extract.cues(FLIGHT_TRACKING)
    assert c.numbers == ["two USAF KC-135s"] and c.dates == ["12 March"]
    assert c.sources == ["Open source flight tracking data"]
    assert c.attribution and c.reported_fact
    assert c.designators == 1
    assert c.words == len(FLIGHT_TRACKING.split())


def test_cues_tell_a_quote_from_plain_prose() -> None:
    assert extract.cues(CENTCOM_QUOTE).quote
    assert not extract.cues("The weather was fine.").quote
    assert not extract.cues("The weather was fine.").attribution


def test_filler_is_recognised_as_saying_nothing() -> None:
    assert extract.cues("Little is known about the circumstances of the incident.").no_information
    assert extract.cues("It will be updated as more information becomes available.").no_information
    assert not extract.cues("Two aircraft were involved in the incident.").no_information


def test_a_comparison_is_read_past_its_numbers() -> None:
    assert extract.cues("Fares are higher than last year.").comparison
    assert extract.cues("Unemployment rose to 4%.").comparison
    assert not extract.cues("Two aircraft were involved in the incident.").comparison


def test_a_megabyte_run_on_sentence_is_read_whole() -> None:
    # One pass over the amounts: replacing each amount in turn made this quadratic (17 s a MB).
    sentence = " ".join(["two aircraft", "said CENTCOM", "in Iraq", "12 tankers"] * 40_000)  # ~1.4 MB
    found = extract.cues(sentence)
    assert len(found.numbers) >= 40_000
    assert found.words == len(sentence.split())


@pytest.mark.parametrize(("sentence", "expected"), [
    ("And it was continued on by Mayor Bloomberg.", []),  # a mayor, not May
    ("Talks resumed last weekend in Doha.", ["last weekend"]),
    ("Gains in the last years went to the top.", []),  # not "last year"
    ("Tuesday's vote was close.", ["Tuesday"]),
])
def test_months_and_weekdays_are_whole_words(sentence: str, expected: list[str]) -> None:
    assert extract.dates(sentence) == expected


#: Sentences that brush against every cue: words a guard looks for inside longer words, cue
#: words in capitals, contractions, numbers spelled out and in digits, no cue at all.
TRICKY = [
    FLIGHT_TRACKING, CENTCOM_QUOTE,
    "Mayor Bloomberg's lawyers said on Tuesdays the rules were unlawful, according to the filing.",
    "WE WILL NOT ALLOW IT, THE MINISTRY SAID.", "You'll see: they didn't say because it wasn't clear.",
    "Thanks to the treaty, twenty-one aircraft landed after the crew failed and reacted late.",
    "Prices rose by 4% compared with last year, more than in 2019 and the highest since Jan. 5.",
    "I’m told our policy is likely to be banned; it is unknown whether it’ll be updated.",
    "Nothing here at all", "", "Strikes killed 3; 2 were injured as the F-15E was shot down by KC-135 fire.",
    "Citing officials, the report quoted a spokesman who warned that the attack began at dawn.",
    "It sank after the pump failed.", "I was there.", "Costs are higher than before.", "No details were given.",
    "He won't.", "Sales doubled.", "FİVE soldiers died.", "İt said fıve soldiers died.", "It was the 5-yearmost.",
    "the 3-daylast one", "Police arrested him.", "It is illegal.", "Rain may come.", "Your turn.",
]


def test_no_guard_hides_a_cue(monkeypatch: pytest.MonkeyPatch) -> None:
    """`cues` runs a pattern only on a sentence with one of the words its every match holds;
    with the guards let through, the patterns must find exactly the same."""
    from workbench import sentences, settings

    seeds = [path.read_text(encoding="utf-8") for path in sorted(settings.seeds_dir().glob("*.txt"))]
    corpus = TRICKY + [text[s.start:s.end] for text in seeds for s in sentences.split(text)]
    corpus += [s.upper() for s in corpus] + [s.lower() for s in corpus]
    guarded = [extract.cues(s) for s in corpus]

    class Everything:
        def search(self, text: str) -> bool:
            return True

        def findall(self, text: str) -> list[str]:
            return ["*"]

    monkeypatch.setattr(extract, "_WORDS", Everything())
    monkeypatch.setattr(extract, "_DIGIT", Everything())
    monkeypatch.setattr(extract, "_SAY_WORDS", extract._SAY_WORDS | {"*"})
    monkeypatch.setattr(extract, "_GUARDS", {name: words | {"*"} for name, words in extract._GUARDS.items()})
    assert [extract.cues(s) for s in corpus] == guarded


SPEAKERS = [
    "the a b c d fact sheet said it", "Yesterday the Secretary of the Air Force and Defense Staff said so",
    "Secretary Of The Air Force And Defense Staff said", "Police Chief said the police said",
    "Smith said, and the ministry told reporters and Jones reported", "“Smith said” it", "The\tpolice\nsaid",
    "said the police", "Supercalifragilisticexpialidocious Jones said", "The\u00a0police\u2003said", "CNN is reporting that",
    "the police. said", "- the police said", "word-Smith said", "the police saidx said",
]


def test_the_speaker_search_finds_what_the_plain_pattern_finds() -> None:
    """`_speakers_saying` starts its search a few words before each verb of saying; it must find
    exactly what the pattern finds when tried everywhere, speakers as long as the pattern allows."""
    rng = random.Random(5)
    pieces = ["the", "a", "police", "officials", "fact", "sheet", "news", "release", "Air", "Force", "of", "and",
              "Smith", "U.S.", "said", "says", "is", "reporting", "told", "according", "to", ",", "”", "x-ray", "-"]
    spaces = [" ", " ", " ", "  ", "\t", "\n", "\u00a0"]
    sentences = SPEAKERS + ["".join(rng.choice(pieces) + rng.choice(spaces) for _ in range(rng.randint(1, 25)))
                            for _ in range(3000)]
    for sentence in sentences:
        assert [m.span(1) for m in extract._speakers_saying(sentence)] == \
            [m.span(1) for m in extract._SPEAKER_SAYS.finditer(sentence)], sentence


@pytest.mark.parametrize("sentence, count", [
    # not "The", which opens the sentence, nor a word after a full stop ("Air", "Then")
    ("The U.S. Air Force said. Then CENTCOM spoke", 3),
    ("“Smith” met O'Neil and al-Assad's aide", 3),  # after a quote or a hyphen a capital starts a word
    ("McDonald-Jones, NATO and E.U. leaders", 3),
    ("A", 0), ("no capitals at all", 0), ("end? Yes! No. Maybe", 0),
])
def test_proper_nouns_count_capitalised_words_past_the_sentence_start(sentence: str, count: int) -> None:
    assert extract.proper_nouns(sentence) == count
