"""The check-worthiness scorer: a trained model shipped as weights, fast and consistent."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import checkworthy
from workbench.cli import cli

MODEL = checkworthy.model()


def test_the_shipped_model_is_a_trained_one_with_its_provenance() -> None:
    assert len(MODEL.weights) > 10_000
    assert 0 < MODEL.threshold < 1
    trained_on = MODEL.meta["trained_on"]
    assert "CT24_checkworthy_english_train.tsv" in trained_on
    assert len(trained_on["ct19_training"]) == 19


def test_a_statistic_outranks_small_talk() -> None:
    statistic = MODEL.score("The unemployment rate fell to 4.1% in 2023, the Labor Department said.")
    thanks = MODEL.score("Thank you very much, it is great to be here tonight.")
    assert statistic >= MODEL.threshold > thanks


def test_numbers_are_folded_so_any_amount_counts() -> None:
    assert checkworthy.tokens("It cost $4,500 in 2019, up 12% on 37 units.") == [
        "it", "cost", "<money>", "<num>", "in", "<year>", "up", "<pct>", "on", "<num>", "units",
    ]


def test_designators_are_names_not_amounts() -> None:
    assert checkworthy.tokens("A KC-135 and two F-15Es") == ["a", "<designator>", "and", "two", "<designator>"]


def test_batch_scores_equal_single_scores_in_order() -> None:
    sentences = ["Two aircraft were involved.", "", "Hello.", "Prices rose 3% in March."]
    assert MODEL.score_many(sentences) == [MODEL.score(s) for s in sentences]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_the_fast_scorer_computes_exactly_what_the_model_was_trained_on(sentences: list[str]) -> None:
    for fast, sentence in zip(MODEL.score_many(sentences), sentences):
        assert 0.0 <= fast <= 1.0
        assert abs(fast - MODEL.score_features(sentence)) < 1e-9


def test_a_model_file_in_another_format_is_refused() -> None:
    data = MODEL.to_json() | {"format": 99}
    try:
        checkworthy.Model.from_json(data)
    except ValueError as error:
        assert "format" in str(error)
    else:
        raise AssertionError("a model of an unknown format loaded")


def test_score_command_prints_one_score_per_line_in_order() -> None:
    lines = ["Inflation hit 9.1% in June 2022.", "", "Good evening, everyone.", "[bold]x[/] \x1b[31m"]
    result = CliRunner().invoke(cli, ["score"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    assert len(printed) == len(lines)
    assert [float(p) for p in printed] == [round(s, 4) for s in MODEL.score_many(lines)]


def test_score_command_reads_bytes_that_are_not_utf8() -> None:
    run = subprocess.run([sys.executable, "-m", "workbench", "score"], input=b"caf\xe9 prices rose 5%\n",
                         capture_output=True, check=False)
    assert run.returncode == 0, run.stderr
    assert len(run.stdout.splitlines()) == 1
    assert b"Traceback" not in run.stderr
