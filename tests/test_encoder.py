"""The sentence encoder: meaning in, unit vectors out; a broken install says so in one line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from workbench import encoder
from workbench.encoder import ModelError

ENCODER = encoder.shipped()

#: Our own sentences: each pair says one thing twice in other words; the last is unrelated.
PARAPHRASES = [
    ("The ferry was cancelled because of high winds.", "Strong winds forced the ferry crossing to be called off."),
    ("The mayor denied that any money had gone missing.", "No funds had disappeared, the mayor insisted."),
    ("Prices at the pump rose for the third week running.", "Petrol has become more expensive three weeks in a row."),
    ("Two people were hurt when a bus hit a wall on Monday.", "A bus crashed into a wall on Monday, injuring two."),
]
UNRELATED = "The orchestra will tour four countries next summer."


def test_the_shipped_model_names_its_files_and_their_digests() -> None:
    manifest = json.loads((encoder.MODELS / encoder.MANIFEST).read_text())
    assert set(manifest["files"]) == {manifest["model"], manifest["tokenizer"]}
    assert manifest["dimensions"] == ENCODER.dimensions == 384
    assert "Apache-2.0" in manifest["licence"]


def test_a_paraphrase_scores_higher_than_an_unrelated_sentence() -> None:
    for first, second in PARAPHRASES:
        same, other = ENCODER.similarity([first, first], [second, UNRELATED])
        assert same > other + 0.3, (first, same, other)


def test_each_sentence_is_nearest_its_own_paraphrase() -> None:
    left = ENCODER.encode([a for a, _ in PARAPHRASES])
    right = ENCODER.encode([b for _, b in PARAPHRASES])
    assert list((left @ right.T).argmax(axis=1)) == list(range(len(PARAPHRASES)))


def test_vectors_are_unit_length_float32_in_the_order_given() -> None:
    sentences = [s for pair in PARAPHRASES for s in pair] + [UNRELATED, "", "Yes."]
    vectors = ENCODER.encode(sentences)
    assert vectors.dtype == np.float32 and vectors.shape == (len(sentences), 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    alone = ENCODER.encode([sentences[3]])[0]
    assert float(alone @ vectors[3]) > 0.99  # batched by length, yet returned where it was given


def test_no_sentences_give_no_vectors() -> None:
    assert ENCODER.encode([]).shape == (0, 384)


def test_encoding_is_deterministic() -> None:
    sentences = [UNRELATED, *PARAPHRASES[0]]
    assert np.array_equal(ENCODER.encode(sentences), ENCODER.encode(sentences))
    assert np.array_equal(encoder.load().encode(sentences), ENCODER.encode(sentences))


def test_a_very_long_text_is_cut_to_the_models_length_not_refused() -> None:
    vector = ENCODER.encode(["The committee met again. " * 400])
    assert np.isfinite(vector).all() and abs(float(np.linalg.norm(vector)) - 1) < 1e-5


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the shipped model files to damage."""
    folder = tmp_path / "models"
    folder.mkdir()
    for path in encoder.MODELS.glob("encoder*"):
        shutil.copy(path, folder / path.name)
    return folder


def _one_line_error(folder: Path) -> str:
    with pytest.raises(ModelError) as caught:
        encoder.load(folder)
    message = str(caught.value)
    assert "\n" not in message and "reinstall workbench" in message
    return message


def test_a_missing_model_file_is_a_model_error(copy: Path) -> None:
    (copy / "encoder.onnx").unlink()
    assert "encoder.onnx is missing or damaged" in _one_line_error(copy)


def test_a_truncated_model_file_is_a_model_error(copy: Path) -> None:
    path = copy / "encoder.onnx"
    path.write_bytes(path.read_bytes()[:100_000])
    assert "encoder.onnx is missing or damaged" in _one_line_error(copy)


def test_a_model_file_that_is_not_a_model_is_a_model_error_even_when_its_digest_matches(copy: Path) -> None:
    (copy / "encoder.onnx").write_bytes(b"not an onnx graph at all")
    manifest = json.loads((copy / encoder.MANIFEST).read_text())
    encoder.write_manifest(copy, manifest["model"], manifest["tokenizer"], manifest["dimensions"])
    assert "encoder.onnx is missing or damaged" in _one_line_error(copy)


def test_a_damaged_tokenizer_is_a_model_error(copy: Path) -> None:
    (copy / "encoder-tokenizer.json").write_text('{"model": ')
    assert "encoder-tokenizer.json is missing or damaged" in _one_line_error(copy)


def test_a_missing_or_garbled_manifest_is_a_model_error(copy: Path) -> None:
    (copy / encoder.MANIFEST).write_text("{ not json")
    assert "encoder.json is missing or damaged" in _one_line_error(copy)
    (copy / encoder.MANIFEST).unlink()
    assert "encoder.json is missing or damaged" in _one_line_error(copy)


def test_the_shipped_files_message_names_the_path_inside_the_package(monkeypatch: pytest.MonkeyPatch,
                                                                     copy: Path) -> None:
    (copy / "encoder.onnx").unlink()
    monkeypatch.setattr(encoder, "MODELS", copy)
    with pytest.raises(ModelError, match=r"encoder\.onnx is missing or damaged: reinstall workbench"):
        encoder.load()
