"""The newsroom-scale benchmark, run small so that it cannot rot (its figures are not checked:
timings belong in the benchmark's printout, not in the test suite)."""

from __future__ import annotations

import shutil

import pytest

from workbench import bench


def test_every_measure_of_the_benchmark_runs_and_prints_its_figure_and_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench.main(["--articles", "4", "--subset", "2", "--presses", "6"])
    printed = capsys.readouterr().out
    for figure in ("blocked alignment", "read, find claims and store", "key press to screen updated",
                   "commit of a mark", "filter and search over", "export of"):
        assert figure in printed
    if shutil.which("tmux"):
        assert "time to interactive" in printed and "bare Textual app" in printed and "peak memory" in printed
    assert printed.count("target") >= 7 and "ratio" in printed


def test_one_measure_can_be_run_alone(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["filter", "--articles", "3"])
    printed = capsys.readouterr().out
    assert "filter and search over" in printed and "export of" not in printed


def test_a_case_too_small_to_measure_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        bench.main(["filter", "--articles", "0"])
    assert stopped.value.code == 2
    assert "at least 2 articles" in capsys.readouterr().err
