"""Web pages and PDFs: the article a person reads, what the page says of itself, and the
one-line refusals for what holds no article (pages and PDFs are made here, see made_documents)."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import made_documents as made
import pytest

from workbench import reader
from workbench.reader import ReadError, read_article


def save(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_a_saved_page_gives_its_article_and_never_its_markup_scripts_or_styles(tmp_path: Path) -> None:
    draft = read_article(save(tmp_path / "crane.html", made.page()))
    for paragraph in made.PARAGRAPHS:
        assert paragraph in draft.text
    for stray in ("<", "trackingPixel", "script text", "secret-style-rule", "All rights reserved", "Weather"):
        assert stray not in draft.text


def test_a_page_fills_title_outlet_author_date_and_address_from_its_own_metadata(tmp_path: Path) -> None:
    draft = read_article(save(tmp_path / "crane.htm", made.page()))
    assert (draft.title, draft.source, draft.author, draft.date, draft.url) == (
        "Crane failure halts port loading", "Harbour Gazette", "Mara Lind", "2026-04-07",
        "https://gazette.example/port/crane")
    assert draft.original_type == "text/html"


def test_the_analysts_outlet_and_title_override_the_pages(tmp_path: Path) -> None:
    draft = read_article(save(tmp_path / "crane.html", made.page()), source="Wire", title="Port halted")
    assert (draft.source, draft.title) == ("Wire", "Port halted")


def test_the_original_bytes_are_kept_with_their_sha256(tmp_path: Path) -> None:
    data = gzip.compress(made.page().encode("utf-8"))
    draft = read_article(save(tmp_path / "crane.html.gz", data))
    assert draft.original == data
    assert draft.original_sha256 == hashlib.sha256(data).hexdigest()
    assert made.PARAGRAPHS[0] in draft.text


def test_a_page_is_told_by_its_opening_whatever_its_name(tmp_path: Path) -> None:
    draft = read_article(save(tmp_path / "crane.txt", made.page()))
    assert "<" not in draft.text and draft.source == "Harbour Gazette"


def test_claims_point_into_the_extracted_text(tmp_path: Path) -> None:
    from workbench.claims import find_claims

    draft = read_article(save(tmp_path / "crane.html", made.page()))
    found = find_claims(draft.text)
    assert any("14 container ships" in f.text for f in found if f.is_claim)
    assert all(draft.text[f.start : f.end] == f.text for f in found)


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("wall.html", made.login_wall(), "no article text in the page"),
    ("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image.*not a web page"),
    ("noise.html", b"\x00\x01\x02binary\x00" * 100, "binary file, not a web page"),
    ("huge.html", "<html><body><article>" + "<p>The council met.</p>" * 120_000, "too large"),
    ("bomb.html.gz", gzip.compress(b"<html>" + b" " * 3_000_000), "too large unpacked"),
    ("broken.html.gz", b"\x1f\x8b\x08\x00junk", "damaged gzip"),
])
def test_a_page_with_no_article_is_refused_in_one_line(tmp_path: Path, name: str, data: str | bytes,
                                                         reason: str) -> None:
    with pytest.raises(ReadError, match=reason) as refused:
        read_article(save(tmp_path / name, data), max_bytes=2_000_000)
    assert "\n" not in str(refused.value)


def test_a_pdf_gives_its_text_layer_with_where_each_page_starts(tmp_path: Path) -> None:
    pages = [["The port reopened on Friday after repairs to the crane,", "the harbour authority said."],
             ["Fourteen ships were unloaded by Saturday evening."]]
    draft = read_article(save(tmp_path / "report.pdf", made.pdf(pages)))
    assert draft.original_type == "application/pdf"
    assert len(draft.page_starts) == 2
    second = draft.text[draft.page_starts[1] :]
    assert second.startswith("Fourteen ships were unloaded")
    assert "the harbour authority said." in draft.text[: draft.page_starts[1]]


@pytest.mark.parametrize(("make", "reason"), [
    (made.image_pdf, "scanned images with no text layer"),
    (made.encrypted_pdf, "encrypted PDF"),
    (lambda: b"%PDF-1.4\n1 0 obj garbage", "damaged PDF"),
])
def test_a_pdf_without_readable_text_is_refused_saying_why(tmp_path: Path, make, reason: str) -> None:
    with pytest.raises(ReadError, match=reason) as refused:
        read_article(save(tmp_path / "doc.pdf", make()))
    assert "\n" not in str(refused.value)


def test_folders_give_pages_and_pdfs_as_well_as_text(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.htm", "d.html.gz", "e.pdf", "f.png", "g.gz", ".h.html"):
        (tmp_path / name).write_bytes(b"x")
    found = [Path(p).name for p in reader.article_files([tmp_path])]
    assert found == ["a.txt", "b.html", "c.htm", "d.html.gz", "e.pdf"]


def test_links_and_standard_input_are_not_made_paths() -> None:
    assert list(reader.article_files(["https://news.example/a/b", "-"])) == ["https://news.example/a/b", "-"]


def test_front_matter_gives_the_address_and_author(tmp_path: Path) -> None:
    text = "---\ntitle: Port note\nurl: https://notes.example/port\nauthor: Ines Roe\n---\nThe port is open."
    draft = read_article(save(tmp_path / "a.md", text))
    assert (draft.url, draft.author, draft.original_type) == ("https://notes.example/port", "Ines Roe", "text/markdown")


def test_a_page_that_names_no_outlet_is_credited_to_its_sites_host() -> None:
    html = made.page().replace('<meta property="og:site_name" content="Harbour Gazette">', "")
    html = html.replace(" | Harbour Gazette</title>", "</title>").replace("Copyright Harbour Gazette.", "")
    draft = reader.read_bytes(html.encode("utf-8"), name="saved.html", path=None,
                              url="https://www.gazette.example/port/crane")
    assert draft.source == "gazette.example"


def test_a_pdf_claims_page_is_in_the_claim_records(tmp_path: Path) -> None:
    from workbench import export, ingest
    from workbench.store import Store

    pages = [["Port officials said the crane repairs cost 2 million dollars."],
             ["The harbour authority said 14 container ships were unloaded on Saturday."]]
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [save(tmp_path / "report.pdf", made.pdf(pages))], analyst="ana")
        records = {r["text"]: r["page"] for r in export.claim_records(store)}
    assert records, "the report's claims are found"
    assert all(page == (2 if "14 container" in text else 1) for text, page in records.items())
