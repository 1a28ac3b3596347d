"""Finding claims in the seed articles: the facts a fact-checker would pick, not every sentence."""

from __future__ import annotations

from workbench import claims, reader, settings
from workbench.model import Kind

SEED_FILES = sorted(settings.seeds_dir().glob("*.txt"))


def found(name_part: str = "001"):
    path = next(p for p in SEED_FILES if name_part in p.name)
    text = reader.read_article(path).text
    return text, claims.find_claims(text)


def is_claim(found_claims, prefix: str) -> bool:
    return next(c for c in found_claims if c.text.lstrip("“").startswith(prefix)).is_claim


def test_every_sentence_is_found_with_exact_offsets() -> None:
    for part in ("000", "001"):
        text, found_claims = found(part)
        assert found_claims
        for c in found_claims:
            assert text[c.start : c.end] == c.text
            assert 0.0 <= c.score <= 1.0
        starts = [c.start for c in found_claims]
        assert starts == sorted(starts)


def test_the_key_facts_are_claims() -> None:
    _, a2 = found("001")
    assert is_claim(a2, "Two aircraft were involved in the incident")
    assert is_claim(a2, "The Air Force has about 400 KC-135s")
    assert is_claim(a2, "Most KC-135s fly with 3 crew members")
    _, a1 = found("000")
    assert is_claim(a1, "Open source flight tracking data indicates that two USAF KC-135s")
    assert is_claim(a1, "At least 20 US Air Force tanker aircraft")


def test_filler_is_not_a_claim_and_not_every_sentence_is_one() -> None:
    for part in ("000", "001"):
        _, found_claims = found(part)
        assert 0 < sum(c.is_claim for c in found_claims) < len(found_claims)
    _, a2 = found("001")
    assert not is_claim(a2, "This is a breaking news story")
    assert not is_claim(a2, "It will be updated as more information becomes available")


def test_claims_carry_their_kind_and_what_they_state() -> None:
    _, a2 = found("001")
    fleet = next(c for c in a2 if c.text.startswith("The Air Force has about 400"))
    assert fleet.kind is Kind.QUANTITY
    assert fleet.sources and fleet.numbers and fleet.dates


def test_kinds_follow_full_facts_types() -> None:
    assert {k.value for k in Kind} == {"quantity", "cause", "prediction", "rule", "personal", "quote", "other"}
    assert claims.classify(claims.cues("The crash was caused by a fuel leak.")) is Kind.CAUSE
    assert claims.classify(claims.cues("Fares will probably rise next year.")) is Kind.PREDICTION
    assert claims.classify(claims.cues("Unemployment fell to 4%.")) is Kind.QUANTITY
    assert claims.classify(claims.cues("The law bans drones over stadiums.")) is Kind.RULE


def test_a_custom_threshold_changes_what_is_a_claim() -> None:
    text, _ = found("001")
    assert all(c.is_claim for c in claims.find_claims(text, threshold=0.0))
    assert not any(c.is_claim for c in claims.find_claims(text, threshold=1.01))
