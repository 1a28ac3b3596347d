"""Importing text handed over whole (pasted into the workbench): the same way a file comes in."""

from __future__ import annotations

from pathlib import Path

from workbench import claims, ingest, reader
from workbench.store import Store

#: A short report of our own that restates one fact of the sample articles in other words.
RESTATED = ("Refuelling jet lost over Iraq\n\n"
            "Two planes were involved in the mishap, a spokesman for US Central Command told reporters on Friday. "
            "One plane crashed in the west of Iraq and the second made a safe landing, he said.\n\n"
            "The spokesman said the crash was not caused by hostile fire.\n")


def test_pasted_text_is_stored_with_the_fields_given_and_lined_up_with_the_case(seeded: Store) -> None:
    seeds = {a.id for a in seeded.articles()}
    report = ingest.import_text(seeded, RESTATED, analyst="ana", source="Evening Wire", title="Tanker down",
                                date="2026-03-13")
    assert report.summary().startswith("1 imported") and not report.errors
    (article,) = report.added
    stored = seeded.article(article.id)
    assert (stored.text, stored.source, stored.title, stored.date, stored.path) == (
        RESTATED, "Evening Wire", "Tanker down", "2026-03-13", None)
    found = seeded.claims(article_id=article.id)
    assert found and all(stored.text[c.start : c.end] == c.text for c in found)
    linked = {link.other(c.id) for c in found for link in seeded.links(c.id)}
    assert {seeded.claim(other).article_id for other in linked} & seeds  # it shares a fact with the samples


def test_pasted_text_finds_the_claims_a_file_of_the_same_text_finds(store: Store, tmp_path: Path) -> None:
    as_file = tmp_path / "report.txt"
    as_file.write_text(RESTATED, encoding="utf-8")
    pasted = ingest.import_text(store, RESTATED, analyst="ana").added[0]
    with Store(tmp_path / "other.db") as other:
        from_file = ingest.import_paths(other, [as_file], analyst="ana").added[0]
        expected = [(c.start, c.end, c.kind, c.is_claim) for c in other.claims(include_sentences=True)]
        assert from_file.content_hash == pasted.content_hash and from_file.title == pasted.title
    assert [(c.start, c.end, c.kind, c.is_claim) for c in store.claims(include_sentences=True)] == expected


def test_without_fields_the_text_says_its_own_title_date_and_outlet(store: Store) -> None:
    text = "---\ntitle: Storm closes the port\ndate: 2026-01-05\nsource: Harbour Gazette\n---\n" \
           "The harbour master said 14 ships were kept at anchor on Monday.\n"
    article = ingest.import_text(store, text, analyst="ana").added[0]
    assert (article.title, article.date, article.source) == ("Storm closes the port", "2026-01-05", "Harbour Gazette")
    given = ingest.import_text(store, text.replace("14", "15"), analyst="ana", title="Mine", date="6 January 2026",
                               source="Mine Daily").added[0]
    assert (given.title, given.date, given.source) == ("Mine", "6 January 2026", "Mine Daily")


def test_empty_noise_and_too_large_text_is_refused_in_a_line_and_nothing_is_stored(store: Store) -> None:
    for text, reason in (("", "empty"), ("  \n\t\n", "empty"), ("\x01\x02\x03 abc" * 50, "binary"),
                         ("The mayor said 3 roads were shut.\n" * 40, "too large")):
        report = ingest.import_text(store, text, analyst="ana", max_bytes=1000)
        (error,) = report.errors
        assert error.path == reader.PASTED and reason in error.reason and "\n" not in str(error)
        assert not report.added
    assert store.article_count() == 0


def test_the_same_text_pasted_twice_or_already_imported_from_a_file_is_not_stored_again(
    store: Store, tmp_path: Path,
) -> None:
    as_file = tmp_path / "report.txt"
    as_file.write_text(RESTATED, encoding="utf-8")
    first = ingest.import_paths(store, [as_file], analyst="ana").added[0]
    again = ingest.import_text(store, RESTATED, analyst="bo", source="Other outlet")
    assert not again.added and again.duplicates == [(reader.PASTED, store.article(first.id))]
    assert store.article_count() == 1


def test_hostile_characters_in_pasted_text_are_stored_exactly(store: Store) -> None:
    hostile = ("Leak\n\nThe envoy said 7 talks \u202edeliaf\u202c on Tuesday."
               "\x1b]52;c;cm0gLXJmIH4=\x07 Officials said 2 aides resigned.\n")
    article = ingest.import_text(store, hostile, analyst="ana").added[0]
    assert store.article(article.id).text == hostile
    assert all(hostile[c.start : c.end] == c.text for c in store.claims(article_id=article.id, include_sentences=True))


def test_pasted_text_lines_up_what_an_interrupted_import_left(store: Store) -> None:
    left = reader.parse_article("Officials said 40 people were evacuated from the valley on Monday.\n")
    store.add_articles([(left, claims.find_claims(left.text))], "ana")  # stored, never lined up
    assert len(store.unaligned()) == 1
    report = ingest.import_text(store, RESTATED, analyst="ana")
    assert report.completed == 1 and not store.unaligned()


def test_a_url_given_with_the_text_goes_onto_the_article_once_articles_have_a_place_for_it() -> None:
    draft = reader.read_text(RESTATED, url="https://news.example.org/tanker")
    assert draft.url == "https://news.example.org/tanker"
