"""Lining up claims across articles: same fact linked, different facts not."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from click.testing import CliRunner

from workbench import align, ingest, match, settings
from workbench.cli import cli
from workbench.model import CORROBORATES, RELATED, Link
from workbench.safetext import one_line
from workbench.store import Store

SEED_FILES = sorted(settings.seeds_dir().glob("*.txt"))
NOT_HOSTILE_A1 = ("US Central Command (CENTCOM), which is managing US combat operations in the Middle East, "
                  "confirms the loss, but says it not caused by ether hostile action or friendly fire.")
NOT_HOSTILE_A2 = "This was not due to hostile fire or friendly fire.”"


def text(claim_id: int, article_id: int, words: str) -> align.ClaimText:
    return align.ClaimText(claim_id, article_id, words)


def starts(claim_text: str, prefix: str) -> bool:
    return claim_text.lstrip("“").startswith(prefix)


def linked_texts(store: Store) -> set[tuple[str, str]]:
    claims = {c.id: c for c in store.claims(include_sentences=True)}
    return {(claims[l.claim_a].text, claims[l.claim_b].text) for l in store.links()}


def is_linked(store: Store, a: str, b: str) -> bool:
    return any(starts(x, a) and starts(y, b) or starts(y, a) and starts(x, b) for x, y in linked_texts(store))


def test_identical_statements_score_one_and_unrelated_ones_low() -> None:
    assert align.similarity("Two aircraft were involved.", "Two aircraft were involved.") == 1.0
    assert align.similarity("Two aircraft were involved.", "Mortgage rates rose in spring.") < align.THRESHOLD


@hsettings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_statement_with_content_words_is_identical_to_itself(words: str) -> None:
    assume(align.normalise(words))
    assert align.similarity(words, words) == 1.0


@hsettings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_similarity_is_symmetric_and_between_zero_and_one(a: str, b: str) -> None:
    assert align.similarity(a, b) == align.similarity(b, a)
    assert 0.0 <= align.similarity(a, b) <= 1.0


def test_normalising_keeps_content_words_and_folds_their_forms() -> None:
    assert align.normalise("The U.S. tanker went down, officials said.") == "us tanker go down official"
    assert align.similarity("The U.S. tanker went down.", "US tankers have gone down.") == 1.0


def test_wording_variants_of_one_fact_match() -> None:
    a = "One of the aircraft went down in western Iraq, and the second landed safely."
    b = "“One of the aircraft went down in western Iraq, and the second landed safely."
    assert align.similarity(a, b) >= 0.95
    assert align.similarity("A U.S. KC-135 aerial tanker has gone down over western Iraq.",
                            "The US Air Force KC-135 tanker went down in Iraq.") >= align.THRESHOLD


def test_not_hostile_fire_matches_centcoms_not_caused_by_hostile_action() -> None:
    assert align.similarity(NOT_HOSTILE_A2, NOT_HOSTILE_A1) >= align.THRESHOLD
    assert align.similarity(NOT_HOSTILE_A2, NOT_HOSTILE_A1) == align.similarity(NOT_HOSTILE_A1, NOT_HOSTILE_A2)


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


def test_linking_either_way_round_finds_the_same_pair_with_the_same_score() -> None:
    a = [text(10, 1, "Two aircraft were involved in the incident.")]
    b = [text(20, 2, "“Two aircraft were involved in the incident,” the release says.")]
    forward, backward = align.link_claims(a, b), align.link_claims(b, a)
    assert [(l.claim_a, l.claim_b, l.score) for l in forward] == [(l.claim_a, l.claim_b, l.score) for l in backward]
    assert [(l.claim_a, l.claim_b) for l in forward] == [(10, 20)]


def test_a_claim_alone_or_with_only_its_own_article_links_to_nothing() -> None:
    assert align.link_claims([], [text(1, 1, "Two aircraft crashed.")]) == []
    assert align.link_claims([text(1, 1, "Two aircraft crashed.")], []) == []
    assert align.link_claims([text(1, 1, "Two aircraft crashed.")], [text(2, 1, "Two aircraft crashed.")]) == []


def test_a_claim_links_to_at_most_its_best_few_in_each_other_article() -> None:
    claim = text(1, 1, "Two aircraft were involved in the incident.")
    echoes = [text(10 + i, 2, f"Two aircraft were involved in the incident{', officials said' * i}.")
              for i in range(align.MAX_LINKS_PER_CLAIM + 2)]
    links = align.link_claims([claim], echoes)
    assert len(links) == align.MAX_LINKS_PER_CLAIM
    assert {l.claim_b for l in links} == {10, 11, 12}  # the closest wordings


def test_the_seed_articles_matching_statements_are_linked(seeded: Store) -> None:
    assert is_linked(seeded, "Two aircraft were involved", "Two aircraft were involved")
    assert is_linked(seeded, "One of the aircraft went down", "One of the aircraft went down")
    assert is_linked(seeded, "US Central Command (CENTCOM)", "This was not due to hostile fire")
    assert is_linked(seeded, "The US Air Force Boeing KC-135", "A U.S. KC-135 aerial tanker")


def test_the_two_quotes_of_two_aircraft_corroborate_each_other(seeded: Store) -> None:
    claims = {c.id: c for c in seeded.claims()}
    two = [c.id for c in claims.values() if starts(c.text, "Two aircraft were involved in the incident")]
    assert len(two) == 2 and claims[two[0]].article_id != claims[two[1]].article_id
    (link,) = [l for l in seeded.links() if {l.claim_a, l.claim_b} == set(two)]
    assert link.relation == CORROBORATES and link.score >= match.matcher().threshold


def test_statements_about_the_same_thing_that_the_matcher_rejects_are_related_not_corroborating(
    seeded: Store,
) -> None:
    claims = {c.id: c for c in seeded.claims()}
    (link,) = [l for l in seeded.links()
               if {claims[l.claim_a].text[:12], claims[l.claim_b].text[:12]} == {"The US Air F", "A U.S. KC-13"}]
    assert link.relation == RELATED and link.score < match.matcher().threshold


def test_every_seed_link_is_decided_as_workbench_match_decides_it(seeded: Store) -> None:
    claims = {c.id: c for c in seeded.claims()}
    links = seeded.links()
    result = CliRunner().invoke(cli, ["match"], input="".join(
        f"{one_line(claims[l.claim_a].text)}\t{one_line(claims[l.claim_b].text)}\n" for l in links))
    assert result.exit_code == 0, result.output
    names = {"corroborates": "same", "related": "related", "conflicts": "conflicts"}
    for link, line in zip(links, result.output.splitlines(), strict=True):
        score, same, relation, reason = line.split("\t")
        assert 0.0 <= float(score) <= 1.0  # how alike in meaning, by the costly tier too
        assert (same == "1") == link.corroborates
        assert (relation, reason) == (names[link.relation], link.reason)


def test_unrelated_seed_claims_are_not_linked(seeded: Store) -> None:
    assert not is_linked(seeded, "Two aircraft were involved", "The Air Force has about 400 KC-135s")
    assert not is_linked(seeded, "Two aircraft were involved", "Three Boeing F-15E strike fighters")
    assert not is_linked(seeded, "At least 20 US Air Force tanker aircraft", "In 2013, a KC-135 crashed")
    claims = {c.id: c for c in seeded.claims()}
    fleet = next(c.id for c in claims.values() if c.text.startswith("The Air Force has about 400 KC-135s"))
    assert seeded.links(fleet) == []


def test_every_seed_link_joins_claims_in_different_articles_once(seeded: Store) -> None:
    claims = {c.id: c for c in seeded.claims()}
    links = seeded.links()
    assert links
    pairs = [(l.claim_a, l.claim_b) for l in links]
    assert len(pairs) == len(set(pairs))
    for a, b in pairs:
        assert a < b
        assert claims[a].article_id != claims[b].article_id
        assert 0.0 <= next(l.score for l in links if (l.claim_a, l.claim_b) == (a, b)) <= 1.0


def test_a_link_is_found_from_either_of_its_claims(seeded: Store) -> None:
    for link in seeded.links():
        assert link in seeded.links(link.claim_a)
        assert link in seeded.links(link.claim_b)
        assert link.other(link.claim_a) == link.claim_b and link.other(link.claim_b) == link.claim_a


def test_a_link_stored_twice_either_way_round_is_one_row_with_the_last_decision(seeded: Store) -> None:
    a, b = (c.id for c in seeded.claims()[:2])
    before = len(seeded.links())
    had = {(l.claim_a, l.claim_b) for l in seeded.links()}
    seeded.add_links([Link(b, a, 0.6), Link(a, b, 0.8), Link(b, a, 0.7, RELATED)])
    mine = [l for l in seeded.links() if {l.claim_a, l.claim_b} == {a, b}]
    assert [(l.claim_a, l.claim_b, l.score, l.relation) for l in mine] == [(min(a, b), max(a, b), 0.7, RELATED)]
    assert len(seeded.links()) == before + (0 if (min(a, b), max(a, b)) in had else 1)


def test_a_sentence_is_corroborated_only_by_a_claim_in_another_article() -> None:
    sentence = text(1, 1, "One of the aircraft went down in western Iraq.")
    same_article = text(2, 1, "One of the aircraft went down in western Iraq.")
    other_article = text(3, 2, "“One of the aircraft went down in western Iraq,” officials said.")
    assert align.corroborated([sentence], [same_article]) == []
    assert align.corroborated([sentence], [other_article]) == [1]


def test_the_not_hostile_fire_sentence_becomes_a_claim_because_centcom_says_so(seeded: Store) -> None:
    (sentence,) = [c for c in seeded.claims(include_sentences=True) if c.text == NOT_HOSTILE_A2]
    assert sentence.is_claim and sentence.origin == "corroboration"


def test_importing_the_seeds_together_or_one_by_one_gives_the_same_links(tmp_path: Path) -> None:
    def case(name: str, batches: list[list[Path]]) -> tuple[set, set]:
        with Store(tmp_path / name) as store:
            for batch in batches:
                ingest.import_paths(store, batch, analyst="ana")
            by_id = {c.id: (c.article_id, c.start) for c in store.claims(include_sentences=True)}
            claims = {(c.article_id, c.start) for c in store.claims()}
            links = {(by_id[l.claim_a], by_id[l.claim_b], l.score) for l in store.links()}
            return claims, links

    together = case("together.db", [SEED_FILES])
    one_by_one = case("one-by-one.db", [[path] for path in SEED_FILES])
    assert together == one_by_one
    assert together[1]
