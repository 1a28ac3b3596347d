"""Finding claims in the seed articles: the facts a fact-checker would pick, not every sentence."""

from __future__ import annotations

from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from workbench import checkworthy, claims, extract, reader, settings
from workbench.model import Kind

SEED_FILES = sorted(settings.seeds_dir().glob("*.txt"))


def found(name_part: str = "001"):
    path = next(p for p in SEED_FILES if name_part in p.name)
    text = reader.read_article(path).text
    return text, claims.find_claims(text)


def sentence(found_claims, prefix: str):
    return next(c for c in found_claims if c.text.lstrip("“").startswith(prefix))


def is_claim(found_claims, prefix: str) -> bool:
    return sentence(found_claims, prefix).is_claim


def test_every_sentence_is_found_with_exact_offsets() -> None:
    for part in ("000", "001"):
        text, found_claims = found(part)
        assert found_claims
        for c in found_claims:
            assert text[c.start : c.end] == c.text
            assert 0.0 <= c.score <= 1.0
        starts = [c.start for c in found_claims]
        assert starts == sorted(starts)


def test_sentences_do_not_overlap_and_carry_no_surrounding_whitespace() -> None:
    for part in ("000", "001"):
        _, found_claims = found(part)
        for before, after in zip(found_claims, found_claims[1:]):
            assert before.end <= after.start
        assert all(c.text == c.text.strip() for c in found_claims)


def test_the_key_facts_are_claims() -> None:
    _, a2 = found("001")
    assert is_claim(a2, "Two aircraft were involved in the incident")
    assert is_claim(a2, "The Air Force has about 400 KC-135s")
    assert is_claim(a2, "Most KC-135s fly with 3 crew members")
    _, a1 = found("000")
    assert is_claim(a1, "Open source flight tracking data indicates that two USAF KC-135s")
    assert is_claim(a1, "At least 20 US Air Force tanker aircraft")


def test_both_reports_of_two_aircraft_are_claims() -> None:
    for part in ("000", "001"):
        _, found_claims = found(part)
        assert is_claim(found_claims, "Two aircraft were involved in the incident")


def test_centcoms_word_that_it_was_not_hostile_action_is_a_claim() -> None:
    _, a1 = found("000")
    centcom = sentence(a1, "US Central Command (CENTCOM)")
    assert "not caused by ether hostile action or friendly fire" in centcom.text
    assert centcom.is_claim
    assert centcom.kind is Kind.CAUSE


def test_filler_is_not_a_claim_and_not_every_sentence_is_one() -> None:
    for part in ("000", "001"):
        _, found_claims = found(part)
        assert 0 < sum(c.is_claim for c in found_claims) < len(found_claims)
    _, a2 = found("001")
    assert not is_claim(a2, "This is a breaking news story")
    assert not is_claim(a2, "It will be updated as more information becomes available")
    assert not is_claim(a2, "Mishaps are uncommon but do occur")  # a subheading
    _, a1 = found("000")
    assert not is_claim(a1, "Little is known about the circumstances")
    assert not is_claim(a1, "It is not yet clear if either was the incident aircraft")


def test_claims_score_higher_than_the_filler_around_them() -> None:
    _, a1 = found("000")
    assert sentence(a1, "Two aircraft were involved").score > sentence(a1, "Little is known").score
    assert sentence(a1, "Open source flight tracking").score > sentence(a1, "It is not yet clear").score


def test_claims_carry_their_kind_and_what_they_state() -> None:
    _, a2 = found("001")
    fleet = next(c for c in a2 if c.text.startswith("The Air Force has about 400"))
    assert fleet.kind is Kind.QUANTITY
    assert fleet.sources and fleet.numbers and fleet.dates


def test_what_a_claim_states_is_what_extract_reads_off_its_sentence() -> None:
    for part in ("000", "001"):
        _, found_claims = found(part)
        for c in found_claims:
            assert c.numbers == extract.numbers(c.text)
            assert c.dates == extract.dates(c.text)
            assert c.sources == extract.sources(c.text)


def test_the_seed_claims_have_the_kinds_a_fact_checker_would_give_them() -> None:
    _, a1 = found("000")
    flight = sentence(a1, "Open source flight tracking data")
    assert flight.kind is Kind.QUANTITY and flight.numbers == ["two USAF KC-135s"] and flight.dates == ["12 March"]
    assert sentence(a1, "Two aircraft were involved").kind is Kind.QUANTITY
    quote = sentence(a1, "The incident occurred in friendly airspace")
    assert quote.kind is Kind.QUOTE and quote.sources == ["CENTCOM"]
    assert sentence(a1, "Three Boeing F-15E strike fighters").kind is Kind.CAUSE
    _, a2 = found("001")
    crew = sentence(a2, "Most KC-135s fly with 3 crew members")  # "older models may also fly": not a forecast
    assert crew.kind is Kind.QUANTITY and crew.numbers == ["3 crew members"]
    assert crew.sources == ["an Air Force fact sheet"]
    rescue = sentence(a2, "Rescue efforts are ongoing")
    assert rescue.kind is Kind.QUOTE
    assert rescue.sources == ["a brief news release from U.S. Central Command (CENTCOM)"]


def test_kinds_follow_full_facts_types() -> None:
    assert {k.value for k in Kind} == {"quantity", "cause", "prediction", "rule", "personal", "quote", "other"}
    assert claims.classify(claims.cues("The crash was caused by a fuel leak.")) is Kind.CAUSE
    assert claims.classify(claims.cues("Fares will probably rise next year.")) is Kind.PREDICTION
    assert claims.classify(claims.cues("Unemployment fell to 4%.")) is Kind.QUANTITY
    assert claims.classify(claims.cues("The law bans drones over stadiums.")) is Kind.RULE


def test_kind_personal_quote_and_other() -> None:
    assert claims.classify(claims.cues("I flew tankers for ten years.")) is Kind.PERSONAL
    assert claims.classify(claims.cues("CBS News is reporting that the second aircraft was a tanker.")) is Kind.QUOTE
    assert claims.classify(claims.cues("The tanker went down over western Iraq.")) is Kind.OTHER


def test_a_number_is_a_quantity_even_if_somebody_said_it() -> None:
    assert claims.classify(claims.cues("“Two aircraft were involved in the incident,” the release says.")) \
        is Kind.QUANTITY


def test_a_custom_threshold_changes_what_is_a_claim() -> None:
    text, _ = found("001")
    assert all(c.is_claim for c in claims.find_claims(text, threshold=0.0))
    assert not any(c.is_claim for c in claims.find_claims(text, threshold=1.01))


def test_a_sentence_is_a_claim_exactly_when_it_scores_at_the_threshold_or_above() -> None:
    text, found_claims = found("000")
    threshold = checkworthy.threshold()
    assert all(c.is_claim == (c.score >= threshold) for c in found_claims)
    middle = sorted(c.score for c in found_claims)[len(found_claims) // 2]
    assert [c.is_claim for c in claims.find_claims(text, threshold=middle)] == [
        c.score >= middle for c in found_claims]


def test_an_empty_text_has_no_claims() -> None:
    assert claims.find_claims("") == []
    assert claims.find_claims(" \n\n\t ") == []


def test_offsets_survive_windows_line_ends_headings_and_bullets() -> None:
    text = ("# Tanker lost\r\n\r\n- “Two aircraft were involved in the incident,” CENTCOM says.\r\n"
            "- The weather was fine.\r\n")
    found_claims = claims.find_claims(text)
    assert [c.text for c in found_claims] == [
        "Tanker lost", "“Two aircraft were involved in the incident,” CENTCOM says.", "The weather was fine."]
    for c in found_claims:
        assert text[c.start : c.end] == c.text


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Two aircraft ", "crashed", " on Feb. 28", ", CENTCOM says", ".", "!", "?", " ",
                                 "\n", "\n\n", "“", "”", "- ", "# ", "KC-135s", "U.S. ", "\x00", "é", "\t"]),
                max_size=40).map("".join))
def test_any_text_gives_exact_offsets_and_scores_in_range(text: str) -> None:
    for c in claims.find_claims(text):
        assert text[c.start : c.end] == c.text
        assert 0.0 <= c.score <= 1.0
        assert isinstance(c.kind, Kind)


def test_found_claims_cross_to_another_process_unchanged() -> None:
    """A large import finds claims in helper processes and gets them back pickled."""
    import pickle

    _, found_claims = found()
    assert pickle.loads(pickle.dumps(found_claims)) == found_claims
    assert {type(c.kind) for c in pickle.loads(pickle.dumps(found_claims))} == {Kind}


def _long_text(sentences: int) -> str:
    """Paragraphs of made-up wire copy, every sentence different: counts, names, places and
    attributions mixed so that scores, kinds and what is stated all vary."""
    import random

    rng = random.Random(19)
    subjects = ["The harbour authority", "Mayor Ilse Varga", "Two freight operators", "The regional court",
                "Volunteers from Osterby", "A spokeswoman for the rail union", "Farmers near the delta"]
    verbs = ["reported", "counted", "said they expect", "denied losing", "will close", "had repaired", "blamed"]
    objects = ["{n} barges", "{n}% of the grain stored", "the bridge on {day}", "{n} kilometres of track",
               "a loss of ${n} million", "the flooding on {day} for the delay", "{n} homes since March"]
    days = ["Monday", "Tuesday", "Friday", "March 3", "last week"]
    paragraphs, paragraph = [], []
    for n in range(sentences):
        words = (f"{rng.choice(subjects)} {rng.choice(verbs)} "
                 + rng.choice(objects).format(n=rng.randint(2, 9000) + n, day=rng.choice(days)))
        paragraph.append(words + (", officials said." if n % 3 == 0 else "."))
        if len(paragraph) == rng.randint(3, 9):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
    return "\n\n".join(paragraphs + [" ".join(paragraph)])


def test_a_long_article_is_scored_in_batches_with_exactly_the_claims_of_one_batch(monkeypatch) -> None:
    text = _long_text(checkworthy.SCORE_BATCH + 700)
    found_in_batches = claims.find_claims(text)
    assert len(found_in_batches) > checkworthy.SCORE_BATCH  # so it was scored in two batches at least
    monkeypatch.setattr(checkworthy, "SCORE_BATCH", 10 * len(found_in_batches))
    found_at_once = claims.find_claims(text)  # as every article was scored before batches
    assert found_in_batches == found_at_once
    assert {c.is_claim for c in found_at_once} == {True, False}


def test_scores_do_not_depend_on_the_batch_size(monkeypatch) -> None:
    sentences = [s.text for s in claims.find_claims(_long_text(600))] + ["", "A"]
    model = checkworthy.model()
    one_batch = model.score_many(sentences)
    for size in (1, 7, 64, 599):
        monkeypatch.setattr(checkworthy, "SCORE_BATCH", size)
        assert model.score_many(sentences) == one_batch
