"""Reading article files: metadata read off, body kept exactly, non-articles refused."""

from __future__ import annotations

import codecs
import random
from pathlib import Path

import pytest

from workbench import reader
from workbench.reader import ReadError, read_article


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_seed_format_gives_the_date_and_keeps_the_body_exactly(tmp_path: Path) -> None:
    body = "A U.S. KC-135 aerial tanker has gone down. Rescue efforts are ongoing.\n\nMore."
    article = read_article(write(tmp_path / "a.txt", f" date 2026-03-12 {body}"))
    assert article.date == "2026-03-12"
    assert article.text == body
    assert article.title == "A U.S. KC-135 aerial tanker has gone down."


def test_title_is_the_first_line_when_it_reads_like_a_headline(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "a.txt", "Tanker lost over Iraq\n\nThe jet went down."))
    assert article.title == "Tanker lost over Iraq"


def test_markdown_heading_and_front_matter(tmp_path: Path) -> None:
    text = "---\ntitle: Given title\ndate: 2026-03-13T10:00\nsource: Wire\n---\n# Heading\n\nBody."
    article = read_article(write(tmp_path / "a.md", text))
    assert (article.title, article.date, article.source) == ("Given title", "2026-03-13", "Wire")
    assert article.text == "# Heading\n\nBody."
    assert read_article(write(tmp_path / "b.md", "# Heading here\n\nBody.")).title == "Heading here"


def test_source_and_title_options_win(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "a.txt", "Body text here."), source="CBS", title="T")
    assert (article.source, article.title) == ("CBS", "T")


def test_same_text_same_hash_whatever_the_file_name(tmp_path: Path) -> None:
    a = read_article(write(tmp_path / "a.txt", "Same words."))
    b = read_article(write(tmp_path / "b.txt", "Same words."))
    c = read_article(write(tmp_path / "c.txt", "Other words."))
    assert a.content_hash == b.content_hash != c.content_hash


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "“Quoted” text.".encode(), "utf-8-sig"),
        ("“Quoted” text.".encode("utf-16"), "utf-16"),
        ("“Quoted” text.".encode("cp1252"), "cp1252"),
        ("“Quoted” text.".encode(), "utf-8"),
    ],
)

def test_encodings_are_read_and_recorded(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    article = read_article(path)
    assert article.text == "“Quoted” text."
    assert article.encoding == encoding


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty file"), (b"  \n\t\n", "empty file"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file")],
)
def test_non_articles_are_refused_with_the_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError) as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}: {reason}")


def test_size_limit_and_missing_files(tmp_path: Path) -> None:
    path = write(tmp_path / "big.txt", "word " * 100)
    with pytest.raises(ReadError, match="too large"):
        read_article(path, max_bytes=100)
    with pytest.raises(ReadError, match="no such file"):
        read_article(tmp_path / "missing.txt")


def test_folders_expand_to_their_text_and_markdown_files(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    for name in ("b.txt", "a.md", "sub/c.markdown", "image.png", ".hidden/d.txt", ".e.txt"):
        write(tmp_path / name, "Text.")
    found = [p.relative_to(tmp_path).as_posix() for p in reader.article_files([tmp_path])]
    assert found == ["a.md", "b.txt", "sub/c.markdown"]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Министерство обороны сообщило, что два самолета потерпели крушение в четверг.", "cp1251"),
        ("Министерство обороны сообщило, что два самолета потерпели крушение в четверг, заявил представитель.",
         "koi8-r"),
        ("Το υπουργείο άμυνας ανακοίνωσε ότι δύο αεροσκάφη συνετρίβησαν την Πέμπτη.", "cp1253"),
        ("The minister’s “plan” costs €5m — officials said it was naïve.", "cp1252"),
        ("Plain report text, with “quotes”. And more words here to detect.", "utf-16-le"),
        ("Plain report text, with “quotes”. And more words here to detect.", "utf-16-be"),
    ],
)
def test_legacy_code_pages_and_unmarked_utf16_are_detected(tmp_path: Path, text: str, encoding: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    article = read_article(path)
    assert article.text == text
    assert article.encoding == encoding


@pytest.mark.parametrize(("opening", "what"), [
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff\xe0", "JPEG"), (b"GIF89a", "GIF"),
    (b"PK\x03\x04", "ZIP"), (b"\x1f\x8b\x08", "gzip"),  # a PDF is read (test_documents), a gzipped page too
])
def test_a_binary_file_is_refused_by_its_bytes_whatever_its_name(tmp_path: Path, opening: bytes, what: str) -> None:
    noise = random.Random(3).randbytes(4096).replace(b"\x00", b"\x01")  # no NUL to give it away
    path = tmp_path / "notes.txt"
    path.write_bytes(opening + noise)
    with pytest.raises(reader.ReadError, match=f"binary file .*{what}"):
        reader.read_article(path)


def test_noise_without_a_known_opening_is_refused_as_binary(tmp_path: Path) -> None:
    for seed in range(10):
        path = tmp_path / f"noise-{seed}.md"
        path.write_bytes(random.Random(seed).randbytes(4096).replace(b"\x00", b"\x01"))
        with pytest.raises(reader.ReadError, match="binary file"):
            reader.read_article(path)


def test_text_with_a_few_control_characters_is_still_text(tmp_path: Path) -> None:
    path = tmp_path / "log.txt"
    path.write_text("The ferry left at noon.\f\n" * 40 + "\x1b[1mThe crew said so.\x1b[0m\n", encoding="utf-8")
    assert reader.read_article(path).text.startswith("The ferry")
