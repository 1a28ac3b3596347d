"""Sentence vectors by meaning: the costly tier, a fine-tuned MiniLM transformer run by onnxruntime.

Each sentence becomes one unit-length float32 vector (384 numbers); two sentences that say the
same thing in other words get vectors whose dot product (their cosine) is high. The model is
sentence-transformers' all-MiniLM-L6-v2 (Apache-2.0), fine-tuned for the workbench on STS-B,
MRPC and PAWS by `scripts/train_encoder.py`, shipped as `models/encoder.onnx` (weights quantised
to int8: 23 MB, a quarter of float32's size) with its WordPiece tokenizer
`models/encoder-tokenizer.json` and a manifest `models/encoder.json` that names both files'
SHA-256, so a damaged install is refused at load instead of giving wrong vectors.

Why onnxruntime and int8 (measured on 2,000 STS dev sentences, this 2-core machine, one process):
the shipped int8 graph encodes 1,080 sentences/s on 2 threads (690 on one) and loads in 0.1 s;
the float32 graph batched by length 700/s (90 MB), a numpy forward pass 160/s. Held out, int8
scores as float32 on STS dev (Spearman .886 against .885) and MRPC (.762 against .767) and a
little below on PAWS (.643 against .654): `scripts/evaluate_encoders.py --speed` prints it all.
torch is never needed at run time.

Each sentence runs alone (no padding, and int8's activation scale is its own, so its vector never
depends on what it was encoded with); sentences are spread over worker threads, each running the
one session on one core, and come back in the caller's order. Anything wrong with the shipped
files (missing, truncated, altered, unreadable) raises `ModelError` with a one-line message.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from workbench.models import ModelError

MODELS = Path(__file__).resolve().parent / "models"
MANIFEST = "encoder.json"
MANIFEST_FORMAT = 1
#: The longest input, in WordPiece tokens, as the model was trained (sentence-transformers' 256).
MAX_TOKENS = 256
#: Sentences whose vectors an encoder keeps (1.5 KB each).
RECENT = 4096




@dataclass
class Encoder:
    """A loaded sentence encoder: `encode` turns sentences into unit vectors."""

    session: Any  # onnxruntime.InferenceSession, one intra-op thread
    tokenizer: Any  # tokenizers.Tokenizer
    dimensions: int
    name: str
    workers: int = 1
    _pool: ThreadPoolExecutor | None = field(default=None, repr=False)
    _recent: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    def encode(self, sentences: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per sentence, in the order given. The last
        `RECENT` sentences' vectors are kept: `workbench match` scores a pair and then decides
        it, and each would otherwise encode the two sentences again."""
        texts = [_text(s) for s in sentences]
        found = {t: self._recent[t] for t in texts if t in self._recent}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            made = dict(zip(missing, self._encode(missing)))
            found.update(made)
            if len(self._recent) + len(made) > RECENT:
                self._recent.clear()
            if len(made) <= RECENT:
                self._recent.update(made)
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for k, text in enumerate(texts):
            out[k] = found[text]
        return out

    def _encode(self, sentences: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(sentences), self.dimensions), dtype=np.float32)
        if not sentences:
            return out
        encoded = self.tokenizer.encode_batch(list(sentences))
        tokens = [np.array([e.ids], dtype=np.int64) for e in encoded]
        if self.workers > 1 and len(tokens) > 1:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="encoder")
            rows = self._pool.map(self._vector, tokens)
        else:
            rows = map(self._vector, tokens)
        for i, row in enumerate(rows):
            out[i] = row
        # The graph normalises already; this keeps the promise exact in float32.
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def _vector(self, ids: np.ndarray) -> np.ndarray:
        """One sentence's vector. One sentence a run: int8 quantises each run's activations
        with one scale, so a batch would make a sentence's vector depend on its batch-mates
        (cosine to itself down to .99); alone, it is the same whatever it is encoded with."""
        return self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]

    def similarity(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """The cosine of each pair (a[i], b[i]), from -1 to 1 (in practice about -0.2 to 1)."""
        if len(a) != len(b):
            raise ValueError(f"{len(a)} sentences against {len(b)}: give pairs")
        vectors = self.encode(list(a) + list(b))
        return np.einsum("ij,ij->i", vectors[: len(a)], vectors[len(a):])


def _text(sentence: str) -> str:
    """The tokenizer wants str; a stray None or number is read as its text rather than crashing."""
    return sentence if isinstance(sentence, str) else str(sentence)


def _damaged(path: Path) -> ModelError:
    return ModelError(f"{_shown(path)} is missing or damaged: reinstall workbench")


def _shown(path: Path) -> str:
    """The path as a person would find it: relative to the package's parent when inside it."""
    try:
        return str(path.relative_to(MODELS.parent.parent))
    except ValueError:
        return str(path)


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        if manifest.get("format") != MANIFEST_FORMAT or not isinstance(manifest.get("files"), dict):
            raise ValueError
        int(manifest["dimensions"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise _damaged(path) from error
    return manifest


def _checked(folder: Path, name: str, digest: str) -> bytes:
    """The file's bytes, when its SHA-256 is the one the manifest names."""
    path = folder / name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _damaged(path) from error
    if hashlib.sha256(data).hexdigest() != digest:
        raise _damaged(path)
    return data


def load(folder: str | Path | None = None, threads: int | None = None) -> Encoder:
    """The encoder in `folder` (default: the shipped one), encoding on `threads` threads
    (default: every core, at most 4); background work passes 1 to leave the interface responsive."""
    folder = MODELS if folder is None else Path(folder)
    workers = max(1, threads if threads is not None else min(os.cpu_count() or 1, 4))
    manifest = _read_manifest(folder)
    files = manifest["files"]
    try:
        model_name, tokenizer_name = manifest["model"], manifest["tokenizer"]
        model_bytes = _checked(folder, model_name, files[model_name])
        tokenizer_bytes = _checked(folder, tokenizer_name, files[tokenizer_name])
    except (KeyError, TypeError) as error:
        raise _damaged(folder / MANIFEST) from error
    try:
        import onnxruntime
        from tokenizers import Tokenizer
    except ImportError as error:
        raise ModelError(f"the encoder's runtime is not installed ({error.name}): reinstall workbench") from error
    try:
        tokenizer = Tokenizer.from_str(tokenizer_bytes.decode("utf-8"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
    except Exception as error:  # tokenizers raises plain Exception subclasses of its own
        raise _damaged(folder / tokenizer_name) from error
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1  # parallel across sentences instead (see Encoder._vector)
    options.inter_op_num_threads = 1
    options.log_severity_level = 3  # its warnings are for developers, not for the workbench's user
    try:
        session = onnxruntime.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime's errors are its own pybind classes
        raise _damaged(folder / model_name) from error
    return Encoder(session, tokenizer, int(manifest["dimensions"]), str(manifest.get("name", model_name)), workers)


@cache
def shipped() -> Encoder:
    """The shipped encoder, loaded once per process."""
    return load()


def write_manifest(folder: Path, model: str, tokenizer: str, dimensions: int, **extra: Any) -> Path:
    """Write `encoder.json` naming the two files and their SHA-256 (used by the trainer)."""
    files = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in (model, tokenizer)}
    manifest = {"format": MANIFEST_FORMAT, "model": model, "tokenizer": tokenizer, "dimensions": dimensions,
                "files": files, **extra}
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return path
