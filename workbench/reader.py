"""Reading articles from disk: plain text and Markdown files, or folders of them.

The body is kept exactly as written (claims point into it by character offset); only the
metadata around it is read off: a seed-style ` date 2026-03-12 ` prefix, a front-matter block,
a Markdown heading for the title.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench import sentences
from workbench.model import ArticleDraft

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown"})
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TITLE_MAX = 160

_SEED_DATE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\s+")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n((?:[A-Za-z_][\w-]*[ \t]*:.*\r?\n)*)---[ \t]*\r?\n")
_FRONT_FIELD = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_HEADING = re.compile(r"\A[ \t]*#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True, slots=True)
class ReadError(Exception):
    """A file that is not an article, with the reason in words an analyst understands."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def article_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Expand folders (recursively, in name order) to the article files inside them.

    A file named explicitly is always tried, whatever its suffix; inside folders only text
    and Markdown files are picked up, and hidden files are skipped. A folder holding none is
    passed on as it is, for `read_article` to refuse by name.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in ARTICLE_SUFFIXES:
                    found = True
                    yield child
            if not found:
                yield path  # refused by `read_article`: a folder named and nothing imported is a mistake to say
        else:
            yield path


def read_article(
    path: str | Path,
    *,
    source: str | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    date: str | None = None,
) -> ArticleDraft:
    """Read one article file; raise `ReadError` if it is not one."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ReadError(str(path), "a folder with no .txt or .md files in it")
        if not path.is_file():
            raise ReadError(str(path), "not a file")
        if size > max_bytes:
            raise ReadError(str(path), f"too large ({size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except PermissionError:
        raise ReadError(str(path), "permission denied") from None
    except IsADirectoryError:
        raise ReadError(str(path), "not a file") from None
    except OSError as error:
        raise ReadError(str(path), error.strerror or "cannot be read") from None
    if reason := binary_reason(data):
        raise ReadError(str(path), reason)
    text, encoding = decode(data, str(path))
    return parse_article(text, path=str(path), source=source, title=title, encoding=encoding, date=date)


#: The opening bytes of the binary files an analyst is likely to have beside articles, and what
#: to call them. Only the leading bytes are compared: a text file cannot start with these.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document (PDF is not read yet)"),
    (b"PK\x03\x04", "a ZIP archive (or a Word, Excel or OpenDocument file)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"RIFF", "a RIFF file (audio, video or WebP image)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"OggS", "an Ogg audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 or QuickTime video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 or QuickTime video"),
)

#: More than this share of characters that no text holds (controls, unassigned or private
#: code points, halves of surrogate pairs), and the file is binary read as if it were text.
CONTROL_SHARE = 0.05


def binary_reason(data: bytes) -> str | None:
    """Why `data` is a binary file, not text, by its opening bytes, whatever its name says;
    None if they are no known binary format. One place for this, so that a reader of such a
    format (PDF, later) can take its files before this refuses them."""
    for magic, what in MAGIC_NUMBERS:
        if data.startswith(magic):
            return f"binary file ({what}), not text"
    return None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Bytes to text, refusing what is not text. Returns the text and the encoding used.

    A byte-order mark decides; then UTF-8, which legacy text almost never passes by accident;
    then Windows-1252, the web's legacy default, unless its reading is mostly accented letters,
    the mark of another script's code page (Cyrillic, Greek ...), which charset-normalizer names.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(encoding), name), encoding
            except UnicodeDecodeError:
                raise ReadError(name, f"not valid {encoding} text") from None
    if b"\x00" in data[:8192]:
        guess = _detect(data)  # UTF-16 without a mark is full of NULs too
        if guess is None or not guess[1].startswith("utf-16"):
            raise ReadError(name, "binary file, not text")
        return _check_text(guess[0], name), guess[1]
    try:
        return _check_text(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:  # five bytes cp1252 leaves undefined
        western = None
    if western is not None and _mostly_ascii_letters(western):
        return _check_text(western, name), "cp1252"
    if guess := _detect(data):
        return _check_text(guess[0], name), guess[1]
    if western is not None:
        return _check_text(western, name), "cp1252"
    return _check_text(data.decode("latin-1"), name), "latin-1"


def _mostly_ascii_letters(text: str) -> bool:
    """Western text has an accent here and there; another script read as cp1252 is all accents."""
    letters = [c for c in text if c.isalpha()]
    return not letters or sum(not c.isascii() for c in letters) / len(letters) < 0.3


def _detect(data: bytes) -> tuple[str, str] | None:
    """charset-normalizer's best reading and its encoding's canonical name, if it has one."""
    import charset_normalizer  # only legacy files pay for loading it

    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        return None
    return str(best), codecs.lookup(best.encoding).name


def _check_text(text: str, name: str) -> str:
    """Refuse an empty text, and bytes that decoded only because some encoding maps every byte
    (Latin-1, a UTF-16 guess): noise read that way is full of characters no text holds."""
    if not text.strip():
        raise ReadError(name, "empty file")
    sample = text[:65536]
    odd = sum(1 for c in sample if not c.isprintable() and c not in _LAYOUT)
    if odd > CONTROL_SHARE * len(sample):
        raise ReadError(name, "binary file, not text")
    return text


#: The unprintable characters text does hold: line ends, tabs, page breaks.
_LAYOUT = frozenset("\n\r\t\f\v\x1c\x1d\x1e\x85\u2028\u2029")


def parse_article(
    text: str,
    *,
    path: str | None = None,
    source: str | None = None,
    title: str | None = None,
    encoding: str = "utf-8",
    date: str | None = None,
) -> ArticleDraft:
    """Split what was read into metadata and the body, which is kept byte for byte. The
    metadata given (`source`, `title`, `date`) wins over what the text says of itself."""
    content_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    meta: dict[str, str] = {}
    body = text
    if match := _FRONT_MATTER.match(body):
        meta = {k.lower(): v.strip("\"'") for k, v in _FRONT_FIELD.findall(match.group(1))}
        body = body[match.end() :]
    if match := _SEED_DATE.match(body):
        meta.setdefault("date", match.group(1))
        body = body[match.end() :]
    if not body.strip():
        raise ReadError(path or "<text>", "no article text after the header")
    date = date or meta.get("date")
    if date and (found := _ISO_DATE.search(date)):
        date = found.group()
    return ArticleDraft(
        text=body,
        title=title or meta.get("title") or guess_title(body),
        content_hash=content_hash,
        path=path,
        date=date or None,
        source=source or meta.get("source") or meta.get("outlet") or None,
        encoding=encoding,
    )


#: What text handed over whole, rather than read from a file, is called in reports.
PASTED = "pasted text"
#: Whether an article records the link it came from: the provenance fields (m009_provenance)
#: give `ArticleDraft` a `url`; before them, a URL given with pasted text is not kept.
KEEPS_URL = "url" in {f.name for f in dataclasses.fields(ArticleDraft)}


def read_text(
    text: str,
    *,
    source: str | None = None,
    title: str | None = None,
    date: str | None = None,
    url: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    name: str = PASTED,
) -> ArticleDraft:
    """An article handed over as text (pasted into the workbench): refused as a file would be
    (empty, too large, binary noise), read as a file is (front matter, title), with no path."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ReadError(name, f"too large ({size:,} bytes; the limit is {max_bytes:,})")
    if not text.strip():
        raise ReadError(name, "empty: nothing to import")
    try:
        draft = parse_article(_check_text(text, name), source=source, title=title, date=date)
    except ReadError as error:  # named by its path, which pasted text has none of
        raise ReadError(name, error.reason) from None
    if url and KEEPS_URL:  # the one place a given URL goes onto the article
        draft = dataclasses.replace(draft, url=url)  # type: ignore[call-arg]
    return draft


def guess_title(body: str) -> str:
    """A Markdown heading, else the first line if it reads like a headline, else its first sentence."""
    if match := _HEADING.search(body.lstrip("\n")):
        return _clip(match.group(1))
    first_line = body.strip().split("\n", 1)[0].strip()
    spans = sentences.split(first_line)
    if len(spans) > 1 or len(first_line) > TITLE_MAX:
        first = spans[0] if spans else None
        if first is not None:
            return _clip(first_line[first.start : first.end])
    return _clip(first_line)


def _clip(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= TITLE_MAX:
        return title
    return title[: TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
