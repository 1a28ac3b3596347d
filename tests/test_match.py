"""The same-fact matcher: trained on paraphrases, reordered sentences and graded similarity,
shipped as arrays, used by the alignment and by `workbench match`."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from workbench import match
from workbench.cli import cli

MATCHER = match.matcher()


def test_the_shipped_matcher_is_trained_on_paraphrases_reorderings_and_graded_similarity() -> None:
    assert MATCHER.meta["trained_on"] == {"msr_paraphrase_train.txt": 4076, "paws_wiki_dev.tsv": 8000,
                                          "sts-train.csv": 5749, "sts-dev.csv": 1500}
    assert MATCHER.inputs == ("lexical", "static") and MATCHER.similarity is not None
    assert all(n.mean.shape == (match.N_MEASURES + 1,) for n in MATCHER.networks)


def test_the_same_words_in_another_order_can_say_another_thing() -> None:
    # who did what to whom: sentences of our own, as PAWS pairs are made
    assert not MATCHER.same("The council fined the company after the spill in the river.",
                            "The company fined the council after the spill in the river.")
    assert MATCHER.probability("The council fined the company after the spill.",
                               "After the spill, the council fined the company.") > MATCHER.probability(
        "The council fined the company after the spill.", "The company fined the council after the spill.")


def test_scores_rank_wordings_by_how_much_of_the_meaning_they_share() -> None:
    first = "A ferry carrying 40 passengers ran aground near the harbour on Sunday."
    ranked = ["A ferry with 40 passengers on board ran aground close to the harbour on Sunday.",
              "A ferry ran aground near the harbour.",
              "The harbour reopened to ferries on Monday.",
              "Wheat prices fell for a third week."]
    scores = MATCHER.probabilities([(first, other) for other in ranked])
    assert scores == sorted(scores, reverse=True)


def test_restatements_match_and_unrelated_statements_do_not() -> None:
    assert MATCHER.same("Two aircraft were involved in the incident.",
                        "“Two aircraft were involved in the incident,” the news release says.")
    assert MATCHER.same("One of the aircraft went down in western Iraq, and the second landed safely.",
                        "One of the aircraft crashed in western Iraq; the second landed safely, officials said.")
    assert not MATCHER.same("Mortgage rates rose in the spring.", "The tanker went down over western Iraq.")


def test_probabilities_are_in_range_and_in_order() -> None:
    pairs = [("a", "a"), ("Prices rose 4%.", "Prices rose by 4 percent."), ("", "x"), ("Cats purr.", "Stocks fell.")]
    probabilities = MATCHER.probabilities(pairs)
    assert len(probabilities) == 4 and all(0.0 <= p <= 1.0 for p in probabilities)
    assert probabilities[1] > probabilities[3]
    assert np.allclose(probabilities, [MATCHER.probability(a, b) for a, b in pairs])


def test_the_measures_are_finite_for_any_text() -> None:
    for a, b in [("", ""), ("1,000,000.5.5", "x"), ("\x00\x1b[31m", "[bold]x[/]"), ("Ünïcödé 東京", "東京")]:
        assert np.isfinite(match.pair_features(a, b)).all()


def test_match_command_prints_the_meaning_score_same_and_relation_per_line() -> None:
    lines = ["Two aircraft were involved.\tTwo planes were involved, officials said.",
             "Mortgage rates rose.\tThe tanker crashed."]
    result = CliRunner().invoke(cli, ["match"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    printed = [line.split("\t") for line in result.output.splitlines()]
    assert [(same, relation, reason) for _, same, relation, reason in printed] == [
        ("1", "same", ""), ("0", "unrelated", "")]
    expected = match.matcher("full").similarities([tuple(line.split("\t")) for line in lines])
    assert np.allclose([float(score) for score, *_ in printed], expected, atol=1e-4)


def test_a_line_without_one_tab_is_a_one_line_error() -> None:
    result = CliRunner().invoke(cli, ["match"], input="a\tb\nno tab\n")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: line 2: expected TEXT_A<TAB>TEXT_B, found 1 field(s)"


def test_measures_of_a_pair_do_not_depend_on_the_other_pairs_read_with_it() -> None:
    texts = ["Two aircraft were involved in the incident.", "“Two aircraft were involved,” the release says.",
             "A U.S. KC-135 tanker went down over western Iraq on Thursday.", "Mortgage rates rose 4% in 2024.",
             "No aircraft was lost, officials said.", ""]
    statements = match.Statements.of(texts)
    first, second = np.array([0, 2, 3, 4, 5, 1]), np.array([1, 0, 2, 0, 3, 1])
    together = match.measures(statements, first, second)
    assert together.shape == (6, match.N_MEASURES)
    for row, i, j in zip(together, first, second):
        assert np.allclose(row, match.pair_features(texts[i], texts[j]))


def test_the_networks_read_the_measures_and_the_static_cosine_of_each_pair() -> None:
    texts = ["A tanker crashed.", "The tanker went down.", "Cats purr."]
    first, second = np.array([0, 0, 2]), np.array([1, 2, 1])
    features = match.features(match.Statements.of(texts), first, second, MATCHER.inputs,
                              match.vectors_of(texts, MATCHER.inputs))
    assert features.shape == (3, match.N_MEASURES + 1)
    assert np.allclose(MATCHER.probabilities_of(features), MATCHER.among(texts, first, second))
    assert np.allclose(MATCHER.among(texts, first, second), [MATCHER.probability(texts[i], texts[j])
                                                              for i, j in zip(first, second)])


def test_the_full_tier_reads_the_dense_vectors_and_scores_meaning_on_its_own_head() -> None:
    full = match.matcher("full")
    assert full.inputs == ("lexical", "static", "dense") and full.similarity is not None
    first = "Police said the fire at the warehouse was started deliberately."
    close, far = "Investigators believe someone set the warehouse blaze on purpose.", "The bakery opened a second shop."
    near_score, far_score = full.similarities([(first, close), (first, far)])
    assert near_score > far_score + 0.3


def test_a_damaged_model_file_is_one_line_from_the_command_never_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path) -> None:
    import io
    import sys

    from workbench import cli as cli_module
    from workbench import vectors

    broken = tmp_path / "static.npz"
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    monkeypatch.setattr(vectors, "_model", None)
    monkeypatch.setattr(vectors, "load", lambda path=None, _load=vectors.load: _load(broken))
    monkeypatch.setattr(sys, "argv", ["workbench", "match"])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"A ferry sank.\tA ferry went down.\n")))
    with pytest.raises(SystemExit) as exited:
        cli_module.main()
    assert exited.value.code == 1
    printed = capsys.readouterr().err.splitlines()
    assert len(printed) == 1 and "static.npz is missing or damaged: reinstall workbench" in printed[0]
    assert "Traceback" not in printed[0]
