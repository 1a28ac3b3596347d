"""Reading articles: plain text and Markdown files, saved web pages, PDFs, or folders of them.

A text's body is kept exactly as written (claims point into it by character offset); only the
metadata around it is read off: a seed-style ` date 2026-03-12 ` prefix, a front-matter block,
a Markdown heading for the title. A web page (`webpage.py`) and a PDF (`pdf.py`) are read into
text, which is what is stored and what claims point into; what kind of file it is is told by
its bytes first and its name second. Whatever it was, the bytes read are kept with the draft.
"""

from __future__ import annotations

import codecs
import datetime
import hashlib
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench import pdf, sentences, webpage
from workbench.model import ArticleDraft

PAGE_SUFFIXES = (".html", ".htm", ".xhtml")
GZIPPED_PAGE_SUFFIXES = (".html.gz", ".htm.gz")
ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".pdf", *PAGE_SUFFIXES})
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


def article_files(paths: Iterable[str | Path]) -> Iterator[Path | str]:
    """Expand folders (recursively, in name order) to the article files inside them.

    A file named explicitly is always tried, whatever its suffix; inside folders only text,
    Markdown, saved web pages (.html, .htm, .html.gz) and PDFs are picked up, and hidden files
    are skipped. A folder holding none is passed on as it is, for `read_article` to refuse by
    name. A link (https://...) and `-` (standard input) are passed on as the text they are:
    made a `Path`, a link loses a slash of its `//`.
    """
    for raw in paths:
        if isinstance(raw, str) and (raw == STDIN or is_link(raw)):
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            found = False
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and is_article_name(child.name):
                    found = True
                    yield child
            if not found:
                yield path  # refused by `read_article`: a folder named and nothing imported is a mistake to say
        else:
            yield path


#: What names standard input on a command line.
STDIN = "-"
_LINK = re.compile(r"\A(?:https?)://", re.IGNORECASE)


def is_link(name: str) -> bool:
    """Whether a path given is a web address rather than a file."""
    return bool(_LINK.match(name))


def is_article_name(name: str) -> bool:
    """Whether a file in a folder is an article by its name: text, Markdown, a page, a PDF."""
    lowered = name.lower()
    return Path(lowered).suffix in ARTICLE_SUFFIXES or lowered.endswith(GZIPPED_PAGE_SUFFIXES)


def read_article(
    path: str | Path,
    *,
    source: str | None = None,
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    date: str | None = None,
) -> ArticleDraft:
    """Read one article file (or `-`, standard input); raise `ReadError` if it is not one."""
    if str(path) == STDIN:
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise ReadError("standard input", f"too large (more than the limit of {max_bytes:,} bytes)")
        return read_bytes(data, name="standard input", path=None, source=source, title=title,
                          max_bytes=max_bytes, retrieved_at=_now())
    if isinstance(path, str) and is_link(path):
        from workbench import fetch  # urllib, ssl: loaded only when a link is imported

        try:
            fetched = fetch.fetch(path, max_bytes=max_bytes)
        except fetch.FetchError as error:
            raise ReadError(path, str(error)) from None
        return read_bytes(fetched.data, name=path, path=None, source=source, title=title, max_bytes=max_bytes,
                          url=fetched.url, media_type=fetched.media_type, retrieved_at=fetched.retrieved_at)
    path = Path(path)
    try:
        stat = path.stat()
        if path.is_dir():
            raise ReadError(str(path), "a folder with no articles (.txt, .md, .html, .pdf) in it")
        if not path.is_file():
            raise ReadError(str(path), "not a file")
        if stat.st_size > max_bytes:
            raise ReadError(str(path), f"too large ({stat.st_size:,} bytes; the limit is {max_bytes:,})")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReadError(str(path), "no such file") from None
    except PermissionError:
        raise ReadError(str(path), "permission denied") from None
    except IsADirectoryError:
        raise ReadError(str(path), "not a file") from None
    except OSError as error:
        raise ReadError(str(path), error.strerror or "cannot be read") from None
    saved = datetime.datetime.fromtimestamp(stat.st_mtime, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return read_bytes(data, name=str(path), path=str(path), source=source, title=title, date=date,
                      max_bytes=max_bytes, retrieved_at=saved)


def read_bytes(
    data: bytes,
    *,
    name: str,
    path: str | None,
    source: str | None = None,
    title: str | None = None,
    date: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    url: str | None = None,
    media_type: str | None = None,
    retrieved_at: str | None = None,
) -> ArticleDraft:
    """An article from the bytes of a file, a download or standard input, read by what the
    bytes are: a PDF, a web page (by its opening, its name or the `media_type` it was served
    as; gzipped if named .html.gz), else text. `name` is what a refusal calls it; the bytes
    are kept in the draft as the original, with their SHA-256."""
    original = data
    lowered = name.lower()
    is_page_name = lowered.endswith(PAGE_SUFFIXES + GZIPPED_PAGE_SUFFIXES) or (media_type or "").startswith(
        ("text/html", "application/xhtml"))
    if data.startswith(b"\x1f\x8b") and is_page_name:
        data = _gunzip(data, name, max_bytes)
    if pdf.is_pdf(data):
        try:
            found = pdf.read_pdf(data)
        except pdf.NotReadable as error:
            raise ReadError(name, str(error)) from None
        draft = _draft(found.text, name=name, path=path, title=title or found.title, source=source,
                       date=date, encoding="pdf")
        draft.author, draft.page_starts, draft.original_type = found.author, found.page_starts, pdf.MEDIA_TYPE
    elif webpage.looks_like_html(data) or is_page_name:
        if reason := binary_reason(data):
            raise ReadError(name, f"{reason[:-len(', not text')]}, not a web page" if reason.endswith(", not text")
                            else reason)
        if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise ReadError(name, "binary file, not a web page")
        try:
            page = webpage.read_page(data, url=url)
        except webpage.NotAnArticle as error:
            raise ReadError(name, str(error)) from None
        draft = _draft(page.text, name=name, path=path, title=title or page.title, source=source or page.sitename,
                       date=date or _iso_date(page.date), encoding="html")
        draft.author, draft.url, draft.original_type = page.author, url or page.url, "text/html"
    else:
        if reason := binary_reason(data):
            raise ReadError(name, reason)
        text, encoding = decode(data, name)
        draft = parse_article(text, path=path, source=source, title=title, encoding=encoding, date=date)
        draft.original_type = "text/markdown" if lowered.endswith((".md", ".markdown")) else "text/plain"
        draft.url = url or draft.url
    draft.original = original
    draft.original_sha256 = hashlib.sha256(original).hexdigest()
    draft.retrieved_at = retrieved_at
    return draft


def _draft(text: str, *, name: str, path: str | None, title: str | None, source: str | None, date: str | None,
           encoding: str) -> ArticleDraft:
    """A draft of text that was extracted (from a page, a PDF): hashed as the text stored."""
    if not text.strip():
        raise ReadError(name, "no article text")
    content_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return ArticleDraft(text=text, title=_clip(title) if title else guess_title(text), content_hash=content_hash,
                        path=path, date=date, source=source, encoding=encoding)


def _gunzip(data: bytes, name: str, max_bytes: int) -> bytes:
    """A gzipped page unpacked, refused once it unpacks past the size limit (a gzip bomb)."""
    unpacker = zlib.decompressobj(wbits=31)
    try:
        out = unpacker.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise ReadError(name, f"a damaged gzip file ({error})") from None
    if len(out) > max_bytes or unpacker.unconsumed_tail:
        raise ReadError(name, f"too large unpacked (more than the limit of {max_bytes:,} bytes)")
    if not unpacker.eof:
        raise ReadError(name, "a damaged gzip file (it ends too soon)")
    return out


def _iso_date(date: str | None) -> str | None:
    if date and (found := _ISO_DATE.search(date)):
        return found.group()
    return date or None


def _now() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


#: The opening bytes of the binary files an analyst is likely to have beside articles, and what
#: to call them. Only the leading bytes are compared: a text file cannot start with these.
MAGIC_NUMBERS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
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
    format (PDF, a gzipped page) can take its files before this refuses them."""
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
    # str.isprintable runs in C: only a text that holds something else is counted character by
    # character (a thousand articles were checked a character at a time in half a second)
    odd = 0 if sample.translate(_NOT_ODD).isprintable() else sum(
        1 for c in sample if not c.isprintable() and c not in _LAYOUT)
    if odd > CONTROL_SHARE * len(sample):
        raise ReadError(name, "binary file, not text")
    return text


#: The unprintable characters text does hold: line ends, tabs, page breaks.
_LAYOUT = frozenset("\n\r\t\f\v\x1c\x1d\x1e\x85\u2028\u2029")
_NOT_ODD = dict.fromkeys(map(ord, _LAYOUT))


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
        author=meta.get("author") or None,
        url=meta.get("url") or None,
    )


#: What text handed over whole, rather than read from a file, is called in reports.
PASTED = "pasted text"
#: Whether an article records the link it came from: the provenance fields (m009_provenance)
#: give `ArticleDraft` a `url`; before them, a URL given with pasted text is not kept.
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
    original = text.encode("utf-8", "surrogatepass")
    draft.url = url or draft.url
    draft.original, draft.original_sha256 = original, hashlib.sha256(original).hexdigest()
    draft.retrieved_at = _now()
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
