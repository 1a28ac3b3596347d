"""Sentence vectors by meaning, cheap enough to give every sentence one at import.

A static model: each vocabulary item (a lowercased whole word, or a WordPiece of the teacher
all-MiniLM-L6-v2) has one vector, distilled from the teacher by `scripts/distil_static.py`, and a
sentence's vector is the L2-normalised sum of its words' vectors. The frequency weighting
(common words count less) is folded into the stored vectors, so run time is a lookup and a sum:
no matrix product, no torch, no dependency beyond numpy. The two wordings of one fact land
close together even when they share few words ("killed" / "died", "storm" / "hurricane"),
which string similarity cannot see; the transformer tier is slower and finer. On STS-B dev the
shipped 128 dimensions score .8285 Spearman (the teacher itself .8672, the plain model2vec
recipe .7792); function words are skipped. `embed` runs at ~200,000 sentences a second in one
process once a batch's words are known (~130,000 on the first batch, which resolves the new
words); figures and how they were measured are in `scripts/distil_static.py`.

Speed is the design constraint (an import of 35,000 sentences must not wait on it), hence:

- one pass over the whole batch: join, lowercase, encode, map ASCII punctuation to spaces with
  `bytes.translate`, `split()`; no regular expression and no Python loop per sentence;
- one dictionary lookup per word; a word outside the vocabulary (a name, a number, an accented
  or hyphen-glued word) is resolved once, by WordPiece over the teacher's pieces, and cached as
  a row of its own, so the next batch finds it in the dictionary;
- pooling by token count: sentences of equal (bucketed) length are gathered as one
  (k, length, d) block and summed along the middle axis, which numpy does at memory speed
  (`np.add.reduceat` over rows is ten times slower here).

The model is `models/static.npz` (float16 vectors, the vocabulary as one newline-joined UTF-8
string: no pickle), loaded once, lazily, on the first call.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import zipfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from workbench.models import ModelError

MODEL_FILE = "static.npz"
MODEL_FORMAT = 1

#: Row 0: the zero vector standing for a sentence boundary and for padding; row 1: a word that
#: adds nothing (nothing of it is in the vocabulary, or a function word the model skips): its
#: tokens are dropped before pooling.
_PAD, _NONE = 0, 1
_FIRST_ROW = 2
#: The separator between texts in a batch; texts are cleaned of it first, if they hold any.
_SEP = "\x00"
#: ASCII characters that are neither word characters nor whitespace become spaces, so that
#: `split()` yields exactly what `\w+` would on ASCII text (as BERT splits off punctuation).
_PUNCT = bytes(c for c in range(1, 128) if not re.match(r"[\w\s]", chr(c)))
_TRANSLATE = bytes.maketrans(_PUNCT, b" " * len(_PUNCT))
_WORD = re.compile(r"\w+")
#: A longer "word" is no word (a URL, a hash, base64): it gets no vector, as BERT's [UNK].
_MAX_WORD = 60
#: Words resolved outside the vocabulary are cached as rows; past this many the cache starts
#: afresh, so a long session of odd words cannot grow memory without bound (~0.5 KB a row).
_MAX_CACHED = 100_000
#: Texts embedded at a time (see `StaticModel.embed`).
EMBED_BATCH = 4096




def tokens(text: str) -> list[str]:
    """The words the model sees in `text`, as the trainer and `embed` cut them (for tests and
    the trainer: `embed` does the same in one batched pass)."""
    return _WORD.findall(text.lower())


def strip_accents(word: str) -> str:
    """`word` without combining marks, as the uncased teacher reads it ("café" -> "cafe")."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def wordpiece(word: str, words: dict[str, int], pieces: dict[str, int]) -> list[int] | None:
    """Greedy longest-match split of `word` into a whole-word prefix and `##` continuations
    (BERT's WordPiece), as row numbers; None when some part matches nothing."""
    rows: list[int] = []
    start, n = 0, len(word)
    while start < n:
        table = words if start == 0 else pieces
        for end in range(n, start, -1):
            row = table.get(word[start:end])
            if row is not None:
                rows.append(row)
                start = end
                break
        else:
            return None
    return rows


def split_rows(word: str, words: dict[str, int], pieces: dict[str, int]) -> list[int]:
    """The vocabulary rows whose sum is the vector of `word` (a token as `split()` leaves it,
    lowercased), or [] when nothing of it is known. The single definition of how a word
    outside the vocabulary is read, used by the trainer and at run time alike."""
    row = words.get(word)
    if row is not None:
        return [row] if row != _NONE else []
    rows = []
    for part in _WORD.findall(word):
        row = words.get(part)
        if row is None:
            plain = strip_accents(part)
            row = words.get(plain)
            if row is None:
                if len(plain) > _MAX_WORD:
                    continue
                found = wordpiece(plain, words, pieces)
                if found:
                    rows.extend(found)
                continue
        rows.append(row)
    return [r for r in rows if r != _NONE]


class _Index(dict[bytes, int]):
    """Word -> row; a word not yet seen is resolved (and stored) by `__missing__`, so the common
    case is the C dictionary lookup alone."""

    def __init__(self, resolve) -> None:
        super().__init__()
        self.resolve = resolve

    def __missing__(self, word: bytes) -> int:
        row = self[word] = self.resolve(word)
        return row


class StaticModel:
    """Static word vectors and the batched tokeniser and pooling over them."""

    def __init__(self, vocabulary: Sequence[str], vectors: np.ndarray, skip: Sequence[str] = ()) -> None:
        """`vocabulary[i]` names `vectors[i]`; items starting `##` are WordPiece continuations.
        `skip` are function words left out of every sum: they carry little meaning (their SIF
        weight is small) but a third of the tokens, so leaving them out makes pooling faster;
        the trainer fits the other vectors without them."""
        if len(vocabulary) != len(vectors) or vectors.ndim != 2:
            raise ValueError("vocabulary and vectors differ in length")
        self.dimensions = int(vectors.shape[1])
        self.words: dict[str, int] = {}
        self.pieces: dict[str, int] = {}
        for i, item in enumerate(vocabulary, start=_FIRST_ROW):
            if item.startswith("##"):
                self.pieces[item[2:]] = i
            else:
                self.words[item] = i
        for word in skip:
            self.words[word] = _NONE
        self._base = np.zeros((len(vectors) + _FIRST_ROW, self.dimensions), np.float32)
        self._base[_FIRST_ROW:] = vectors
        self._lock = threading.Lock()
        self._reset_cache()

    def _reset_cache(self) -> None:
        """Forget the rows of resolved words: back to the shipped vocabulary."""
        self._matrix = self._base.copy()
        self._rows = len(self._base)
        self._pending: list[tuple[int, list[int]]] = []
        self._index = _Index(self._resolve)
        self._index.update((w.encode(), i) for w, i in self.words.items())
        self._index[_SEP.encode()] = _PAD

    def _resolve(self, token: bytes) -> int:
        """The row of a word outside the vocabulary (or with capitals beyond ASCII), made once
        from its pieces; `_Index` caches it."""
        rows = split_rows(token.decode("utf-8", "replace").lower(), self.words, self.pieces)
        if not rows:
            row = _NONE
        elif len(rows) == 1:
            row = rows[0]
        else:
            if self._rows == len(self._matrix):
                grown = np.zeros((2 * len(self._matrix), self.dimensions), np.float32)
                grown[: self._rows] = self._matrix[: self._rows]
                self._matrix = grown
            row = self._rows
            self._pending.append((row, rows))
            self._rows += 1
        return row

    def _fill_pending(self) -> None:
        """Give the words resolved in this batch their vectors, the sums of their pieces, in one
        `reduceat` (pieces are rows of the shipped vocabulary, never of other resolved words)."""
        if not self._pending:
            return
        new = np.array([row for row, _ in self._pending])
        flat = np.concatenate([pieces for _, pieces in self._pending])
        starts = np.cumsum([0] + [len(pieces) for _, pieces in self._pending[:-1]])
        self._matrix[new] = np.add.reduceat(self._matrix[flat], starts)
        self._pending = []

    def token_rows(self, texts: Sequence[str]) -> np.ndarray:
        """All texts' word rows in one array, each text preceded by a `_PAD` row."""
        joined = _SEP + " " + (" " + _SEP + " ").join(texts)
        if joined.count(_SEP) != len(texts):  # a text held the separator itself
            joined = _SEP + " " + (" " + _SEP + " ").join(t.replace(_SEP, " ") for t in texts)
        # bytes.lower() folds ASCII only, and fast; a word with other capitals is not in the
        # index and is lowercased in full when resolved
        words = joined.encode("utf-8", "replace").lower().translate(_TRANSLATE).split()
        if self._rows - len(self._base) > _MAX_CACHED or len(self._index) > len(self.words) + 4 * _MAX_CACHED:
            self._reset_cache()
        try:
            rows = np.fromiter(map(self._index.__getitem__, words), np.int64, count=len(words))
            self._fill_pending()
        except BaseException:  # interrupted: rows cached without their vectors must not stay
            self._reset_cache()
            raise
        return rows

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dimensions) float32 unit vectors; zero for a text with no known word.
        Made `EMBED_BATCH` texts at a time: the whole batch's token rows at once were 90 MB
        for 40,000 sentences, on top of the screen that asked."""
        if len(texts) > EMBED_BATCH:
            return np.concatenate([self._embed(texts[k : k + EMBED_BATCH]) for k in range(0, len(texts), EMBED_BATCH)])
        return self._embed(texts)

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        n = len(texts)
        out = np.zeros((n, self.dimensions), np.float32)
        if n == 0:
            return out
        with self._lock:
            rows = self.token_rows(texts)
            matrix = self._matrix
        rows = rows[rows != _NONE]
        starts = np.flatnonzero(rows == _PAD)
        lengths = np.diff(np.append(starts, len(rows))) - 1
        rows = np.append(rows, _PAD)  # the padding row, at index len(rows) - 1
        pad_at = len(rows) - 1
        buckets = _bucket(lengths)
        for size in np.unique(buckets).tolist():
            if size == 0:
                continue
            members = np.flatnonzero(buckets == size)
            offsets = np.arange(1, size + 1)
            # a block of at most ~64k tokens stays in cache and needs no page faults
            step = max(1, 65536 // size)
            for lo in range(0, len(members), step):
                chosen = members[lo : lo + step]
                at = starts[chosen, None] + offsets
                at[offsets > lengths[chosen, None]] = pad_at
                out[chosen] = matrix[rows[at]].sum(axis=1)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        np.divide(out, norms, out=out, where=norms > 0)
        return out


def _bucket(lengths: np.ndarray) -> np.ndarray:
    """Token counts rounded up to few distinct sizes (exact to 32, then by eighths), so that a
    batch is pooled in a few dozen blocks with little padding."""
    sizes = lengths.copy()
    long = sizes > 32
    if long.any():
        step = 1 << (np.log2(sizes[long]).astype(np.int64) - 3)
        sizes[long] = -(-sizes[long] // step) * step
    return sizes


def _text_array(items: Sequence[str]) -> np.ndarray:
    return np.frombuffer("\n".join(items).encode(), np.uint8)


def _text_items(array: np.ndarray) -> list[str]:
    text = array.tobytes().decode()
    return text.split("\n") if text else []


def save(path: str | Path, vocabulary: Sequence[str], vectors: np.ndarray, skip: Sequence[str] = ()) -> None:
    """Write a model file as `load` reads it (float16 vectors; the trainer calls this)."""
    with open(path, "wb") as f:
        np.savez(
            f,
            format=np.array(MODEL_FORMAT),
            vocabulary=_text_array(vocabulary),
            vectors=vectors.astype(np.float16),
            skip=_text_array(skip),
        )


def load(path: str | Path | None = None) -> StaticModel:
    """The shipped model, or the model file at `path`; ModelError when it cannot be read."""
    name = f"workbench/models/{MODEL_FILE}" if path is None else str(path)
    try:
        if path is None:
            source = resources.files("workbench.models").joinpath(MODEL_FILE)
            with resources.as_file(source) as file, np.load(file, allow_pickle=False) as data:
                arrays = {k: data[k] for k in ("format", "vocabulary", "vectors", "skip")}
        else:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in ("format", "vocabulary", "vectors", "skip")}
        if int(arrays["format"]) != MODEL_FORMAT:
            raise ValueError("unknown format")
        vocabulary = _text_items(arrays["vocabulary"])
        return StaticModel(vocabulary, arrays["vectors"].astype(np.float32), _text_items(arrays["skip"]))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        raise ModelError(f"{name} is missing or damaged: reinstall workbench ({error.__class__.__name__})") from None


_model: StaticModel | None = None
_model_lock = threading.Lock()


def model() -> StaticModel:
    """The shipped model, read on first use (about 50 ms) and kept."""
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                _model = load()
    return _model


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit sentence vectors for `texts`, shape (len(texts), DIMENSIONS), float32; a text with
    no known word gets the zero vector (cosine 0 with everything)."""
    return model().embed(texts)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarities of `embed` outputs: rows of `a` against rows of `b` (unit vectors,
    so a matrix product); a zero vector scores 0."""
    return np.atleast_2d(a) @ np.atleast_2d(b).T


def pack(rows: np.ndarray) -> list[bytes]:
    """Unit vectors as the case stores them: each row's largest component scaled to 127, the
    scale as a float32, then the row as int8 (a quarter of float32's bytes; cosines move by
    under 0.002). A case of 40,000 sentences holds them in 5 MB, not 20."""
    rows = np.atleast_2d(np.asarray(rows, dtype=np.float32))
    scale = np.abs(rows).max(axis=1)
    scale[scale == 0] = 1.0
    quantised = np.round(rows * (127.0 / scale)[:, None]).astype(np.int8)
    factor = (scale / 127.0).astype("<f4")
    return [factor[k].tobytes() + quantised[k].tobytes() for k in range(len(rows))]


def unpack(blobs: Sequence[bytes], dimensions: int) -> np.ndarray:
    """Stored vectors (see `pack`) back as unit float32 rows; a blob of the wrong size (another
    model's, or damaged) comes back as the zero vector, which matches nothing."""
    out = np.zeros((len(blobs), dimensions), dtype=np.float32)
    for k, blob in enumerate(blobs):
        if blob is not None and len(blob) == 4 + dimensions:
            out[k] = np.frombuffer(blob, dtype=np.int8, offset=4) * np.frombuffer(blob[:4], dtype="<f4")[0]
    norms = np.linalg.norm(out, axis=1)
    np.divide(out, norms[:, None], out=out, where=norms[:, None] > 0)
    return out


def __getattr__(name: str) -> int:
    """`DIMENSIONS`: the shipped model's vector size, read from the model on first use."""
    if name == "DIMENSIONS":
        return model().dimensions
    raise AttributeError(name)
