"""Links in two tiers: an import links claims by their words at once (quick, `related`), and the
refinement decides them after, with the dense vectors kept in the case: conflicts, the same
fact, and pairs that say one thing in other words. Every sentence gets its static vector at
import; nothing an analyst did is ever undone by either tier.

The sentences are our own: two reports of one invented ferry accident.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from workbench import align, ingest, vectors
from workbench.cli import cli
from workbench.model import Link
from workbench.store import Store

HARBOUR = """Ferry sinks off Port Aldren

The ferry Marigold sank off Port Aldren on Tuesday night, and rescuers pulled 40 people from the water.
Coast guard officials said 12 passengers were still missing on Wednesday.
The vessel had been carrying timber as well as passengers when it left the harbour.
Officials said the fire on the quay destroyed 40 homes in the valley.
"""
WIRE = """Marigold ferry lost near Aldren

Rescue crews saved forty passengers after the boat went down near the shore late on Tuesday.
Coast guard officials said 15 passengers were still missing on Wednesday.
Besides its passengers, the boat was also transporting wood.
According to the county, 40 houses burned down in the blaze.
The harbour master said the weather had been calm all evening.
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "harbour.txt").write_text(HARBOUR, encoding="utf-8")
    (folder / "wire.txt").write_text(WIRE, encoding="utf-8")
    return folder


def texts_of(store: Store, link: Link) -> tuple[str, str]:
    return store.claim(link.claim_a).text, store.claim(link.claim_b).text


def test_an_import_links_by_words_at_once_and_leaves_the_deciding(folder: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "case.db") as store:
        report = ingest.import_paths(store, [folder], analyst="ana", refine_now=False)
        assert len(report.added) == 2 and report.links
        assert {l.relation for l in store.links()} == {"related"}  # quick: nothing called a conflict yet
        assert [i for i, _ in store.unrefined()] == [a.id for a in report.added]
        refined, written = ingest.refine(store)
        assert refined == [a.id for a in report.added] and written
        assert not store.unrefined()
        assert any(l.conflicts for l in store.links())  # 12 missing against 15 missing


def test_every_sentence_gets_its_static_vector_at_import_and_each_claim_its_dense_one_after(
    folder: Path, tmp_path: Path,
) -> None:
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [folder], analyst="ana", refine_now=False)
        sentences = store.claims(include_sentences=True)
        static = store.static_vectors(c.id for c in sentences)
        assert set(static) == {c.id for c in sentences}
        assert not store.dense_vectors(c.id for c in sentences)
        stored = vectors.unpack([static[c.id] for c in sentences], vectors.DIMENSIONS)
        made = vectors.embed([c.text for c in sentences])
        assert np.allclose(np.einsum("ij,ij->i", stored, made), 1.0, atol=0.002)
        ingest.refine(store)
        assert set(store.dense_vectors(c.id for c in store.claims())) == {c.id for c in store.claims()}


def test_a_fact_told_in_other_words_is_linked_once_the_links_are_decided(folder: Path, tmp_path: Path) -> None:
    """"the fire destroyed 40 homes" / "40 houses burned down in the blaze": too few words
    shared to be paired by them (0.34 against 0.55), close in meaning (cosine 0.76)."""
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [folder], analyst="ana", refine_now=False)
        homes = [l for l in store.links() if "destroyed 40 homes" in " ".join(texts_of(store, l))]
        assert not homes
        ingest.refine(store)
        homes = [l for l in store.links() if "destroyed 40 homes" in " ".join(texts_of(store, l))]
        assert len(homes) == 1 and homes[0].relation == "related"
        assert "40 houses burned down" in " ".join(texts_of(store, homes[0]))


def test_unrelated_sentences_are_not_linked_by_meaning(folder: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [folder], analyst="ana")
        pairs = [" | ".join(texts_of(store, l)) for l in store.links()]
        assert not any("homes" in p and "missing" in p for p in pairs)
        assert not any("houses" in p and "rescue" in p.lower() for p in pairs)


def test_an_analysts_call_on_a_quick_link_outlives_the_deciding(folder: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [folder], analyst="ana", refine_now=False)
        link = next(l for l in store.links() if "missing" in store.claim(l.claim_a).text)
        store.call_link(link.claim_a, link.claim_b, "not_conflict", "ana", "two counts, two times of day")
        ingest.refine(store)
        called = next(l for l in store.links() if (l.claim_a, l.claim_b) == (link.claim_a, link.claim_b))
        assert called.call == "not_conflict" and called.called_by == "ana"


def test_the_sheet_is_never_written_from_undecided_links(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    runner = CliRunner()
    imported = runner.invoke(cli, ["import", str(folder), "--db", str(db)])
    assert imported.exit_code == 0, imported.output
    with Store(db) as store:
        assert store.unrefined()
    sheet = runner.invoke(cli, ["export", "--format", "csv", "--db", str(db)])
    assert sheet.exit_code == 0, sheet.output
    with Store(db) as store:
        assert not store.unrefined() and any(l.conflicts for l in store.links())


def test_workbench_realign_decides_what_imports_left(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "case.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(folder), "--db", str(db)]).exit_code == 0
    done = runner.invoke(cli, ["realign", "--db", str(db)])
    assert done.exit_code == 0 and "2 articles had their links decided" in done.output
    again = runner.invoke(cli, ["realign", "--db", str(db)])
    assert again.output == "nothing to line up: every article is lined up and its links decided\n"


@pytest.mark.parametrize(("sentence", "parts"), [
    ("The bridge reopened on Monday, and traffic returned to the old town within the hour.",
     ["The bridge reopened on Monday", "traffic returned to the old town within the hour"]),
    ("Prices rose 4 percent in March; economists had expected 3 percent.",
     ["Prices rose 4 percent in March", "economists had expected 3 percent"]),
    ("The mayor, who took office in May, said the bridge would reopen.", []),  # "The mayor" says nothing alone
    ("Two people were hurt.", []),
])
def test_a_long_sentence_parts_into_its_clauses_for_pairing_by_meaning(sentence: str, parts: list[str]) -> None:
    assert align.meaning_parts(sentence) == parts


def test_pairs_by_meaning_skip_known_pairs_and_claims_of_one_article() -> None:
    units = np.array([[1.0, 0.0], [0.99, 0.14], [0.98, 0.2], [0.0, 1.0]], dtype=np.float32)
    units /= np.linalg.norm(units, axis=1, keepdims=True)
    owner = np.arange(4)
    articles = np.array([1, 1, 2, 2])
    found = align.by_meaning(units, owner, articles, 2, known=np.array([0 * 4 + 2]))
    assert np.divmod(found, 4)[0].tolist() == [1] and np.divmod(found, 4)[1].tolist() == [2]


def test_stored_vectors_keep_their_cosines() -> None:
    rows = vectors.embed(["The ferry sank on Tuesday.", "Rescuers saved forty people.", ""])
    back = vectors.unpack(vectors.pack(rows), rows.shape[1])
    assert np.allclose(back @ back.T, rows @ rows.T, atol=0.003)
    assert not back[2].any()  # no words, no direction
    assert not vectors.unpack([b"damaged"], rows.shape[1]).any()


async def test_a_broken_encoder_leaves_the_quick_links_and_the_review_going(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The open workbench decides links in a process of its own (`workbench realign`); one that
    fails, as a broken install's does, is one notice with its reason, and the review goes on."""
    import sys

    from workbench.tui.app import WorkbenchApp

    db = tmp_path / "case.db"
    with Store(db) as store:
        ingest.import_paths(store, [folder], analyst="ana", refine_now=False)
    said = "Error: workbench/models/encoder.onnx is missing or damaged: reinstall workbench"
    broken = [sys.executable, "-c", f"import sys; print({said!r}, file=sys.stderr); sys.exit(1)"]
    monkeypatch.setattr(WorkbenchApp, "refine_command", broken)
    app = WorkbenchApp(db, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running and app.failure is None
        assert any("Links not decided" in str(n.message) and "reinstall workbench" in str(n.message)
                   for n in app._notifications)
        await pilot.press("v")  # the review goes on
        await pilot.pause()
    with Store(db) as store:
        assert store.unrefined() and store.links()
        assert any(c.status.value == "verified" for c in store.claims())


async def test_the_open_workbench_decides_the_links_an_import_left_in_a_process_of_its_own(
    folder: Path, tmp_path: Path,
) -> None:
    from workbench.tui.app import WorkbenchApp

    db = tmp_path / "case.db"
    with Store(db) as store:
        ingest.import_paths(store, [folder], analyst="ana", refine_now=False)
    app = WorkbenchApp(db, "ana")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any(l.conflicts for l in app.store.links())  # 12 missing against 15 missing, on screen's store
        assert not app.store.unrefined()


def test_a_spanish_wire_and_an_english_report_link_by_meaning_once_the_links_are_decided(tmp_path: Path) -> None:
    """The claim finder reads English: the Spanish wire's sentences it passed over become claims
    because the English report states them as claims, and a toll the two give differently is a
    conflict across languages."""
    data = Path(__file__).parent / "data"
    with Store(tmp_path / "case.db") as store:
        ingest.import_paths(store, [data / "sample-landslide-en.txt", data / "sample-landslide-es.txt"],
                            analyst="ana", refine_now=False)
        assert not store.links()  # no word in common
        ingest.refine(store)
        claims = {c.id: c for c in store.claims()}
        pairs = {(claims[l.claim_a].text[:20], claims[l.claim_b].text[:20]): l for l in store.links()}
        toll = pairs[("A landslide buried a", "Un deslizamiento de ")]
        assert toll.conflicts and toll.differences == (("number", "14", "19"),)
        governor = pairs[("The regional governo", "El gobernador region")]
        assert governor.corroborates and claims[governor.claim_b].origin == "corroboration"
        assert "Telephone" not in " ".join(claims[l.claim_a].text for l in store.links())


def test_a_sheet_from_a_broken_install_keeps_the_quick_links_and_says_so(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbench import encoder
    from workbench.models import ModelError

    db = tmp_path / "case.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(folder), "--db", str(db)]).exit_code == 0

    def broken() -> encoder.Encoder:
        raise ModelError("workbench/models/encoder.onnx is missing or damaged: reinstall workbench")

    monkeypatch.setattr(encoder, "shipped", broken)
    sheet = runner.invoke(cli, ["export", "--format", "csv", "--db", str(db)])
    assert sheet.exit_code == 0 and "Ferry" not in sheet.stderr
    assert sheet.stderr.startswith("workbench: links not decided yet, shown as the import left them")
    assert "reinstall workbench" in sheet.stderr and "Coast guard officials said 12" in sheet.stdout
