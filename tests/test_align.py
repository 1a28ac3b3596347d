"""Lining up claims across articles: same fact linked, different facts not."""

from __future__ import annotations

from workbench import align
from workbench.store import Store


def text(claim_id: int, article_id: int, words: str) -> align.ClaimText:
    return align.ClaimText(claim_id, article_id, words)


def test_identical_statements_score_one_and_unrelated_ones_low() -> None:
    assert align.similarity("Two aircraft were involved.", "Two aircraft were involved.") == 1.0
    assert align.similarity("Two aircraft were involved.", "Mortgage rates rose in spring.") < align.THRESHOLD


def test_wording_variants_of_one_fact_match() -> None:
    a = "One of the aircraft went down in western Iraq, and the second landed safely."
    b = "“One of the aircraft went down in western Iraq, and the second landed safely."
    assert align.similarity(a, b) >= 0.95
    assert align.similarity("A U.S. KC-135 aerial tanker has gone down over western Iraq.",
                            "The US Air Force KC-135 tanker went down in Iraq.") >= align.THRESHOLD


def test_links_cross_articles_only_and_are_stored_once_each_way() -> None:
    claims = [text(1, 1, "Two aircraft were involved in the incident."),
              text(2, 1, "Two aircraft were involved in the incident, officials said."),
              text(3, 2, "“Two aircraft were involved in the incident,” the release says."),
              text(4, 2, "The weather in Baghdad was clear.")]
    links = align.link_claims(claims, [])
    pairs = {(l.claim_a, l.claim_b) for l in links}
    assert (1, 3) in pairs and (2, 3) in pairs
    assert (1, 2) not in pairs  # same article
    assert not any(4 in pair for pair in pairs)
    assert all(a < b for a, b in pairs)


def test_the_seed_articles_matching_statements_are_linked(seeded: Store) -> None:
    claims = {c.id: c for c in seeded.claims()}
    linked = {(claims[l.claim_a].text, claims[l.claim_b].text) for l in seeded.links()}

    def has(a: str, b: str) -> bool:
        return any(x.lstrip("“").startswith(a) and y.lstrip("“").startswith(b) or
                   y.lstrip("“").startswith(a) and x.lstrip("“").startswith(b) for x, y in linked)

    assert has("Two aircraft were involved", "Two aircraft were involved")
    assert has("One of the aircraft went down", "One of the aircraft went down")
    assert has("US Central Command (CENTCOM)", "This was not due to hostile fire")
    assert has("The US Air Force Boeing KC-135", "A U.S. KC-135 aerial tanker")


def test_a_sentence_is_corroborated_only_by_a_claim_in_another_article() -> None:
    sentence = text(1, 1, "One of the aircraft went down in western Iraq.")
    same_article = text(2, 1, "One of the aircraft went down in western Iraq.")
    other_article = text(3, 2, "“One of the aircraft went down in western Iraq,” officials said.")
    assert align.corroborated([sentence], [same_article]) == []
    assert align.corroborated([sentence], [other_article]) == [1]
