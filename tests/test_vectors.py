"""Sentence vectors by meaning: what `workbench.vectors` promises the rest of the workbench."""

from __future__ import annotations

import numpy as np
import pytest

from workbench import vectors
from workbench.vectors import ModelError, StaticModel


def similarity(a: str, b: str) -> float:
    ea, eb = vectors.embed([a, b])
    return float(ea @ eb)


def test_two_wordings_of_one_fact_are_closer_than_unrelated_sentences() -> None:
    same = similarity(
        "The storm killed at least twelve people in the coastal villages.",
        "A dozen residents of seaside towns died in the hurricane.",
    )
    unrelated = similarity(
        "The storm killed at least twelve people in the coastal villages.",
        "The central bank left interest rates unchanged on Thursday.",
    )
    assert same > unrelated + 0.2


def test_meaning_not_spelling_a_paraphrase_beats_a_sentence_sharing_its_words() -> None:
    claim = "The minister resigned after the bribery scandal."
    paraphrase = "Following the corruption affair, the cabinet member stepped down."
    same_words = "The minister opened a new school after the holidays."
    unrelated = "Farmers expect a good harvest of wheat this year."
    assert similarity(claim, paraphrase) > similarity(claim, same_words) + 0.1
    assert similarity(claim, same_words) > similarity(claim, unrelated)


def test_output_is_float32_unit_rows_one_per_text() -> None:
    texts = ["Prices rose 4% in May.", "Officials said the bridge would reopen.", "Yes."]
    out = vectors.embed(texts)
    assert out.shape == (3, vectors.DIMENSIONS)
    assert out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_a_text_is_embedded_the_same_alone_and_in_a_batch() -> None:
    texts = ["Short one.", "A much longer sentence about the mayor's budget and the city's roads " * 5, "Another."]
    batch = vectors.embed(texts)
    for text, row in zip(texts, batch, strict=True):
        assert np.allclose(vectors.embed([text])[0], row, atol=1e-6)


def test_empty_batch_and_texts_without_words_give_zero_vectors() -> None:
    assert vectors.embed([]).shape == (0, vectors.DIMENSIONS)
    out = vectors.embed(["", "   ", "!!! ... ---", "\x00"])
    assert not out.any()
    assert vectors.cosine(out[:1], vectors.embed(["Rain fell."]))[0, 0] == 0.0


def test_names_numbers_and_rare_words_still_get_vectors() -> None:
    out = vectors.embed(["Zbigniewski", "1,734,219", "Ouagadougou", "naïve café", "anti-disestablishmentarianism"])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_case_and_accents_do_not_change_the_vector() -> None:
    a, b = vectors.embed(["The CAFÉ opened in Zurich.", "the cafe opened in zurich"])
    assert float(a @ b) > 0.999


def test_punctuation_and_unusual_characters_separate_words() -> None:
    a, b = vectors.embed(["police—the army’s “special” unit…", "police the army s special unit"])
    assert float(a @ b) > 0.999


def test_cosine_compares_every_row_with_every_row() -> None:
    a = vectors.embed(["Oil prices fell.", "The team won the final."])
    b = vectors.embed(["Crude became cheaper.", "Oil prices fell.", "Snow closed the schools."])
    sims = vectors.cosine(a, b)
    assert sims.shape == (2, 3)
    assert sims[0, 1] == pytest.approx(1.0, abs=1e-5)
    assert sims[0, 0] > sims[0, 2]


def test_words_outside_the_vocabulary_are_the_sum_of_their_pieces() -> None:
    model = StaticModel(["fact", "##check", "##er", "the"], np.eye(4, 3, dtype=np.float32))
    assert vectors.split_rows("factchecker", model.words, model.pieces) == [2, 3, 4]
    assert vectors.split_rows("xyz", model.words, model.pieces) == []
    out = model.embed(["factchecker", "xyz", "the factchecker"])
    assert np.allclose(out[0], np.ones(3) / np.sqrt(3))  # fact + check + er
    assert not out[1].any()
    assert np.allclose(out[2], out[0])  # "the" has the zero vector here


def test_a_damaged_model_file_gives_one_line_error(tmp_path) -> None:
    broken = tmp_path / "static.npz"
    broken.write_bytes(b"PK\x03\x04 not really a zip file")
    with pytest.raises(ModelError) as raised:
        vectors.load(broken)
    message = str(raised.value)
    assert "\n" not in message
    assert "missing or damaged" in message
    assert raised.value.__cause__ is None and raised.value.__suppress_context__


def test_a_missing_model_file_gives_the_same_error(tmp_path) -> None:
    with pytest.raises(ModelError, match="missing or damaged"):
        vectors.load(tmp_path / "absent.npz")


def test_a_truncated_model_file_gives_the_same_error(tmp_path) -> None:
    good = tmp_path / "good.npz"
    vectors.save(good, ["rain", "snow"], np.ones((2, 4), np.float32))
    assert vectors.load(good).dimensions == 4
    cut = tmp_path / "cut.npz"
    cut.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(ModelError):
        vectors.load(cut)
