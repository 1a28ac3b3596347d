"""The newsroom-scale benchmark, run small so that it cannot rot (its figures are not checked:
timings belong in the benchmark's printout, not in the test suite)."""

from __future__ import annotations

import re
import shutil

import pytest

from workbench import bench


def test_every_measure_of_the_benchmark_runs_and_prints_its_figure_and_baseline(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench.main(["--articles", "4", "--subset", "2", "--presses", "6", "--long-mb", "0.05", "--pages", "3"])
    printed = capsys.readouterr().out
    for figure in ("blocked alignment", "read, find claims and store", "key press to screen updated",
                   "commit of a mark", "filter and search over", "export of", "peak memory of importing one",
                   "saved news pages", "end to end"):
        assert figure in printed
    if shutil.which("tmux"):
        assert "time to interactive" in printed and "bare Textual app" in printed and "peak memory" in printed
    assert printed.count("target") >= 8 and "ratio" in printed


def test_one_measure_can_be_run_alone(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["filter", "--articles", "3"])
    printed = capsys.readouterr().out
    assert "filter and search over" in printed and "export of" not in printed


def test_a_case_too_small_to_measure_is_refused_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        bench.main(["filter", "--articles", "0"])
    assert stopped.value.code == 2
    assert "at least 2 articles" in capsys.readouterr().err


def test_the_long_article_is_the_size_asked_for_made_of_the_synthetic_case() -> None:
    text = bench.long_article(0.2)
    assert 200_000 <= len(text.encode("utf-8")) < 210_000
    paragraphs = text.split("\n\n")[1:]
    assert all(3_000 < len(p) < 6_100 for p in paragraphs)  # the synthetic case's articles, one each
    assert len(set(paragraphs)) == len(paragraphs)


def test_the_long_article_measure_imports_with_the_real_command(capsys: pytest.CaptureFixture[str]) -> None:
    bench.main(["long", "--long-mb", "0.05"])
    printed = capsys.readouterr().out
    assert re.search(r"peak memory of importing one [\d.]+ MB article \(\d+ sentences, \d+ claims\)", printed)
    assert "target under 600 MB" in printed
    assert "read, find claims and store" not in printed  # no synthetic case imported for it


def test_the_pages_benchmark_pages_read_back_as_their_article_without_the_sites_furniture(tmp_path) -> None:
    import random

    from workbench.reader import read_article

    sentences = bench.synthetic_case(2)[1]
    page = tmp_path / "story.html"
    page.write_text(bench.news_page(1, sentences, random.Random(1)), encoding="utf-8")
    assert page.stat().st_size > 50_000  # as heavy as a real news page
    draft = read_article(page)
    assert sentences[-1] in draft.text and sentences[0] in draft.text
    for furniture in ("Cookie settings", "Most read", "Advertisement", "teasers", "dataLayer"):
        assert furniture not in draft.text
    assert draft.source.startswith("The Daily ")
