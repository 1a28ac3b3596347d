"""Claims that state one fact in different articles: where they agree, where they conflict, and
what the analyst says of it.

`test_compare.py` specifies how statements are read into slots; this file specifies what the
alignment makes of a pair (with the matcher), what a case stores and shows, and the analyst's
calls. The sentences are written for this file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import align, groups, ingest
from workbench.cli import cli
from workbench.model import CONFLICTS, CORROBORATES, RELATED, REVISED, UNRELATED, Link
from workbench.store import Store


@pytest.mark.parametrize("a,b,reason", [
    ("Two aircraft were involved in the incident.", "“Three aircraft were involved in the incident,” he said.",
     "aircraft: “Two aircraft” vs “Three aircraft”"),
    ("The explosion killed 60 people and injured 162 others, police said.", "The explosion killed 60 people and injured 155.",
     "injured: “injured 162 others” vs “injured 155”"),
    ("The blaze killed 60 people and injured about 180.", "Sixty people died and 162 others were injured in the blaze.",
     "injured: “injured about 180” vs “162 others”"),
    ("At least 20 tanker aircraft were forward deployed to the region.",
     "At least 35 tanker aircraft were forward deployed to the region.",
     "aircraft: “At least 20 tanker aircraft” vs “At least 35 tanker aircraft”"),
    ("The tanker crashed in western Iraq on Wednesday night, a spokesman said on Friday.",
     "The tanker crashed in eastern Iraq on Wednesday night, a spokesman said on Friday.",
     "direction: “western Iraq” vs “eastern Iraq”"),
    ("The ferry sank on Thursday.", "The ferry sank on Wednesday.", "weekday: “Thursday” vs “Wednesday”"),
    ("The museum was founded in 1956.", "The museum was founded in 1957.", "year: “1956” vs “1957”"),
    ("It was the fourth crash of a tanker this year.", "It was the fifth crash of a tanker this year.",
     "crash: “fourth” vs “fifth”"),
    ("The fire was not caused by arson.", "The fire was caused by arson.", "negation: “not caused” vs “caused”"),
    ("Lumo is launching a cinnamon flavoured soap", "Lumo denies rumours of a cinnamon flavoured soap",
     "denial: “asserts it” vs “denies”"),
    ("Ava Stone to star in the remake", "Ava Stone won't star in the remake", "negation: “star” vs “won't star”"),
])
def test_reports_that_give_one_fact_different_values_conflict_with_both_values(a: str, b: str, reason: str) -> None:
    relation = align.relate(a, b)
    assert (relation.relation, relation.reason) == (CONFLICTS, reason)
    assert relation.differences and all(len(d) == 3 for d in relation.differences)


@pytest.mark.parametrize("a,b", [
    ("Two aircraft were involved in the incident.", "“Two aircraft were involved in the incident,” the release says."),
    ("At least 20 tankers were deployed.", "25 tankers were deployed."),  # a floor does not contradict
    ("About 180 people were hurt in the collapse.", "190 people were hurt in the collapse."),  # within the hedge
    ("It was not caused by hostile action.", "This was not due to hostile fire."),
    ("The jet crashed in Iraq.", "The tanker went down over western Iraq."),
])
def test_restatements_do_not_conflict(a: str, b: str) -> None:
    assert align.relate(a, b).relation != CONFLICTS


def test_two_facts_that_merely_share_a_count_word_are_not_a_conflict() -> None:
    relation = align.relate("190 people were taken to hospitals after the fire.",
                            "The club had permission to hold only 150 people in the hall.")
    assert relation.relation in (RELATED, UNRELATED)


def test_two_reports_tolls_of_one_event_conflict_even_worded_apart() -> None:
    relation = align.relate("Officials in the province estimated on Monday that about 300 people have died in the floods.",
                            "The floods killed an estimated 450 people across the province, overwhelming relief agencies.")
    assert relation.relation == CONFLICTS and relation.differences[0][0] == "killed"


def test_tolls_of_attacks_in_two_places_are_two_events_not_a_conflict() -> None:
    relation = align.relate("A nearly simultaneous bombing in neighbouring Kenya killed 200 people at the embassy.",
                            "In a nearly simultaneous bombing in neighbouring Uganda, 12 people were killed at the embassy.")
    assert relation.relation != CONFLICTS


def test_a_negation_of_another_predicate_in_a_long_sentence_is_no_conflict() -> None:
    a = ("The stadium, which opened in 1998 and seats 40,000, is about 200 kilometers north of the capital "
         "and was hosting a concert for students.")
    b = "Identification of the students is slow because the victims carried no papers, the police said."
    assert align.relate(a, b).relation != CONFLICTS


@pytest.mark.parametrize("pair", [("", ""), ("A", "B"), ("Yes", "No"), ("two", "2"), ("x" * 10_000, "Two aircraft"),
                                  ("三架飞机坠毁。", "两架飞机坠毁。"), ("a dozen", "12")])
def test_match_answers_empty_one_word_long_and_foreign_statements(pair: tuple[str, str]) -> None:
    relation = align.relate(*pair)
    assert relation.relation in (CORROBORATES, RELATED, CONFLICTS, UNRELATED)
    if not all(text.strip() for text in pair) or pair == ("A", "B"):
        assert relation.relation == UNRELATED


def test_match_prints_score_same_relation_and_reason_tab_separated() -> None:
    stdin = ("Two aircraft were involved in the incident.\tThree aircraft were involved in the incident.\n"
             "Two aircraft were involved in the incident.\tTwo aircraft were involved in the incident.\n"
             "The sky is blue.\tMortgage rates rose in spring.\n")
    result = CliRunner().invoke(cli, ["match"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.output.splitlines()]
    assert [len(line) for line in lines] == [4, 4, 4]
    assert lines[0][1:] == ["0", "conflicts", "aircraft: “Two aircraft” vs “Three aircraft”"]
    assert lines[1][1:] == ["1", "same", ""]
    assert lines[2][2] == "unrelated"
    float(lines[0][0])


# -- a case ---------------------------------------------------------------------------------


@pytest.fixture
def three(seeded: Store, tmp_path: Path) -> Store:
    wire = tmp_path / "wire.txt"
    wire.write_text("Tanker lost\n\n“Three aircraft were involved in the incident,” a Pentagon official said.\n",
                    encoding="utf-8")
    ingest.import_paths(seeded, [wire], analyst="ana", source="Wire")
    return seeded


def test_an_article_that_disagrees_is_linked_as_a_conflict_with_the_slot_and_both_values(three: Store) -> None:
    claims = {c.id: c for c in three.claims()}
    conflicts = [l for l in three.links() if l.conflicts]
    assert conflicts
    for link in conflicts:
        assert claims[link.claim_a].article_id != claims[link.claim_b].article_id
        slot, value_a, value_b = link.differences[0]
        assert slot == "aircraft"
        assert value_a in claims[link.claim_a].text and value_b in claims[link.claim_b].text
        assert {value_a, value_b} == {"Two aircraft", "Three aircraft"}


def test_the_sample_case_keeps_its_six_links_between_the_two_reports_and_adds_one_by_meaning(seeded: Store) -> None:
    claims = {c.id: c for c in seeded.claims()}
    assert len(seeded.links()) == 7
    assert all(claims[l.claim_a].article_id != claims[l.claim_b].article_id for l in seeded.links())
    assert not any(l.conflicts for l in seeded.links())
    by_meaning = [l for l in seeded.links() if align.similarity(claims[l.claim_a].text, claims[l.claim_b].text)
                  < align.THRESHOLD and "friendly airspace" in claims[l.claim_a].text + claims[l.claim_b].text
                  and "uncontested airspace" in claims[l.claim_a].text + claims[l.claim_b].text]
    assert len(by_meaning) == 1 and by_meaning[0].relation == RELATED


def test_a_group_with_a_conflict_is_never_confirmed_and_suggests_no_better_than_3(three: Store, db_path: Path) -> None:
    three.close()
    found = json.loads(CliRunner().invoke(cli, ["links", "--json", "--db", str(db_path)]).output)
    aircraft = next(g for g in found if any("Three aircraft" in c["text"] for c in g["claims"]))
    assert aircraft["disputed"] and not aircraft["independently_confirmed"]
    assert aircraft["discrepancies"][0]["slot"] == "aircraft"
    values = {v["value"] for v in aircraft["discrepancies"][0]["values"]}
    assert values == {"Two aircraft", "Three aircraft"}
    sheet = json.loads(CliRunner().invoke(cli, ["claims", "--json", "--db", str(db_path)]).output)
    members = {c["id"] for c in aircraft["claims"]}
    assert all(r["suggested_credibility"] in ("3", "4", "5") for r in sheet if r["id"] in members)


def test_confirmation_needs_two_origins_and_no_dispute() -> None:
    members = [groups.Attributed(1, "Reuters", ()), groups.Attributed(2, "AP", ())]
    agreeing = [Link(1, 2, 0.9)]
    group = groups.Group([1, 2], agreeing, groups.origins(members, agreeing))
    assert group.confirmed and not group.disputed
    group = groups.Group([1, 2, 3], agreeing + [Link(2, 3, 0.7, CONFLICTS, "x")], groups.origins(members, agreeing))
    assert group.disputed and not group.confirmed
    assert groups.suggest_credibility(agreeing, 2, disputed=True) == "3"
    assert groups.suggest_credibility([Link(2, 3, 0.7, CONFLICTS)], 2, disputed=True) == "5"


def test_one_outlets_later_story_revises_its_earlier_one_with_both_dates(seeded: Store, tmp_path: Path) -> None:
    early, late = tmp_path / "early.md", tmp_path / "late.md"
    early.write_text("---\ntitle: Ferry toll\ndate: 2026-03-01\n---\nThe ferry disaster killed 60 people and "
                     "injured 120, officials said.\n", encoding="utf-8")
    late.write_text("---\ntitle: Ferry toll rises\ndate: 2026-03-02\n---\nThe ferry disaster killed 65 people and "
                    "injured 120, officials said.\n", encoding="utf-8")
    other = tmp_path / "other.md"
    other.write_text("---\ntitle: Ferry\ndate: 2026-03-02\n---\nThe ferry disaster killed 70 people and "
                     "injured 120, officials said.\n", encoding="utf-8")
    ingest.import_paths(seeded, [early, late], analyst="ana", source="Daily Post")
    ingest.import_paths(seeded, [other], analyst="ana", source="Evening Star")
    tolls = {c.id: c.text.split()[4] for c in seeded.claims() if c.text.startswith("The ferry")}
    by_texts = {(tolls[l.claim_a], tolls[l.claim_b]): l for l in seeded.links() if l.claim_a in tolls}
    revised = by_texts[("60", "65")]
    assert revised.relation == REVISED
    assert revised.reason == "killed: “killed 60 people” (A3, 2026-03-01) → “killed 65 people” (A4, 2026-03-02)"
    assert by_texts[("65", "70")].relation == CONFLICTS  # two outlets that disagree


# -- the analyst's calls ----------------------------------------------------------------------


def test_a_call_overrides_the_aligner_for_good_and_is_in_both_claims_history(three: Store) -> None:
    conflict = next(l for l in three.links() if l.conflicts)
    three.call_link(conflict.claim_a, conflict.claim_b, "not_conflict", "bo", "the third report is wrong")
    after = next(l for l in three.links(conflict.claim_a) if l.other(conflict.claim_a) == conflict.claim_b)
    assert (after.relation, after.call, after.called_by) == (CORROBORATES, "not_conflict", "bo")
    for claim_id in (conflict.claim_a, conflict.claim_b):
        entry = three.history(claim_id)[-1]
        assert (entry.action, entry.analyst, entry.call, entry.note) == ("call", "bo", "not_conflict",
                                                                         "the third report is wrong")
    ingest.realign(three, three.claims())  # a later alignment decides the pair again...
    again = next(l for l in three.links(conflict.claim_a) if l.other(conflict.claim_a) == conflict.claim_b)
    assert again.relation == CORROBORATES  # ...and the call stands
    assert [c["call"] for c in three.calls()] == ["not_conflict"]
    assert three.calls()[0]["aligner"] == CONFLICTS


def test_unlinking_hides_a_link_and_linking_joins_claims_the_aligner_did_not(seeded: Store) -> None:
    claims = seeded.claims()
    link = seeded.links()[0]
    seeded.call_link(link.claim_a, link.claim_b, "unlinked", "ana")
    assert all({l.claim_a, l.claim_b} != {link.claim_a, link.claim_b} for l in seeded.links())
    first = next(c for c in claims if c.article_id == 1)
    second = next(c for c in claims if c.article_id == 2 and c.id not in {l.other(first.id) for l in seeded.links()})
    made = seeded.call_link(first.id, second.id, "conflict", "ana")
    assert made is not None and made.relation == CONFLICTS and made.call == "conflict"
    seeded.call_link(first.id, second.id, "", "ana")  # back to the aligner, which never linked them
    assert all({l.claim_a, l.claim_b} != {first.id, second.id} for l in seeded.links())


def test_calls_refuse_claims_that_are_not_there_or_in_one_article(seeded: Store) -> None:
    claims = seeded.claims()
    same_article = [c for c in claims if c.article_id == 1][:2]
    with pytest.raises(ValueError, match="same article"):
        seeded.call_link(same_article[0].id, same_article[1].id, "linked", "ana")
    with pytest.raises(Exception, match="no claim #99999"):
        seeded.call_link(claims[0].id, 99999, "linked", "ana")
    with pytest.raises(ValueError, match="unknown call"):
        seeded.call_link(claims[0].id, claims[-1].id, "maybe", "ana")


def test_link_command_records_a_call_and_refuses_bad_input_in_one_line(three: Store, db_path: Path) -> None:
    conflict = next(l for l in three.links() if l.conflicts)
    three.close()
    result = CliRunner().invoke(cli, ["link", str(conflict.claim_a), str(conflict.claim_b), "not-conflict",
                                      "--analyst", "bo", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"#{conflict.claim_a} and #{conflict.claim_b}: = corroborates, by bo"
    bad = CliRunner().invoke(cli, ["link", "1", "99999", "same", "--db", str(db_path)])
    assert bad.exit_code == 1 and bad.output.strip() == "Error: no claim #99999"
    sheet = CliRunner().invoke(cli, ["export", "--format", "csv", "--db", str(db_path)]).output
    assert "not a conflict by bo" in sheet


def test_links_command_lists_groups_with_relations_differences_and_discrepancies(three: Store, db_path: Path) -> None:
    three.close()
    result = CliRunner().invoke(cli, ["links", "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert found and all({"group", "claims", "links", "disputed", "discrepancies"} <= g.keys() for g in found)
    conflict = next(l for g in found for l in g["links"] if l["relation"] == "conflicts")
    assert conflict["differences"] == [{"slot": "aircraft", "a": conflict["differences"][0]["a"],
                                        "b": conflict["differences"][0]["b"]}]
    text = CliRunner().invoke(cli, ["links", "--db", str(db_path)]).output
    assert "≠" in text and "disputed: " in text and text.startswith("Group 1:")
    assert "aircraft: A" in text


def test_claims_command_shows_each_links_relation(three: Store, db_path: Path) -> None:
    three.close()
    text = CliRunner().invoke(cli, ["claims", "--db", str(db_path)]).output
    assert "≠#" in text and "=#" in text


def test_an_older_case_gets_link_relations_and_calls_by_migration(db_path: Path, seeded: Store) -> None:
    seeded.db.execute("DELETE FROM _sqlite_migrations WHERE name IN ('m003_link_relations', 'm007_link_calls')")
    seeded.db.execute("CREATE TABLE links_old (claim_a INTEGER, claim_b INTEGER, score FLOAT, "
                      "PRIMARY KEY (claim_a, claim_b))")
    seeded.db.execute("INSERT INTO links_old SELECT claim_a, claim_b, score FROM links")
    seeded.db.execute("DROP TABLE links")
    seeded.db.execute("ALTER TABLE links_old RENAME TO links")
    seeded.db.execute("CREATE TABLE history_old AS SELECT id, claim_id, action, old_status, new_status, note, evidence,"
                      " analyst, at, undoes, credibility FROM history")
    seeded.db.execute("DROP TABLE history")
    seeded.db.execute("ALTER TABLE history_old RENAME TO history")
    seeded.close()
    with Store(db_path) as again:
        assert again.links() and all(l.relation == CORROBORATES and l.call == "" for l in again.links())
        link = again.links()[0]
        again.call_link(link.claim_a, link.claim_b, "conflict", "ana")
        assert again.links(link.claim_a)[0].relation == CONFLICTS


def test_wire_copy_and_the_same_cited_source_are_one_origin() -> None:
    members = [groups.Attributed(1, "Reuters", ("CENTCOM",)),
               groups.Attributed(2, "", ("a CENTCOM spokesman",)),   # same acronym
               groups.Attributed(3, "Wire", ("the ministry",)),
               groups.Attributed(4, "", ("The Ministry",)),           # same source, other case
               groups.Attributed(5, "AP", ("witnesses",)),
               groups.Attributed(6, "Daily", ("local police",))]
    links = [Link(1, 3, 0.7), Link(2, 4, 0.7), Link(1, 5, 0.6), Link(5, 6, 0.99), Link(1, 2, 0.7)]  # 5-6: one text repeated
    assert groups.origins(members, links) == [[1, 2], [3, 4], [5, 6]]
    conflicting = [Link(1, 3, 0.7, "conflicts"), Link(2, 4, 0.7), Link(5, 6, 0.99)]
    assert groups.origins(members, conflicting) == [[2], [4]]  # 1 and 3 only conflict; 5-6 is another fact


def test_two_facts_a_related_link_joins_do_not_confirm_each_other() -> None:
    """"Two aircraft were involved" (told by the ministry, twice) and "rescue efforts are
    ongoing" (told by CENTCOM, twice), one group through a related link: one origin each."""
    members = [groups.Attributed(1, "Wire", ("the ministry",)), groups.Attributed(2, "Daily", ("the ministry",)),
               groups.Attributed(3, "AP", ("CENTCOM",)), groups.Attributed(4, "Post", ("a CENTCOM spokesman",))]
    links = [Link(1, 2, 0.8), Link(3, 4, 0.7), Link(2, 3, 0.4, RELATED)]
    assert groups.groups(links) == [[1, 2, 3, 4]]
    assert len(groups.origins(members, links)) == 1
    assert len(groups.origins(members, [*links, Link(2, 4, 0.8)])) == 2  # now one fact, told by two


def test_groups_are_the_connected_claims() -> None:
    links = [Link(1, 2, 0.9), Link(2, 3, 0.8), Link(7, 9, 0.7)]
    assert groups.groups(links) == [[1, 2, 3], [7, 9]]


def test_discrepancies_list_each_claims_value_once_per_slot() -> None:
    links = [Link(1, 2, 0.9, CONFLICTS, "", (("crew", "3 crew", "4 crew"),)),
             Link(2, 3, 0.9, CONFLICTS, "", (("crew", "4 crew", "6 crew"),)),
             Link(1, 3, 0.9, CORROBORATES)]
    assert groups.discrepancies(links) == [groups.Discrepancy("crew", [(1, "3 crew"), (2, "4 crew"), (3, "6 crew")])]


def test_a_group_counts_as_independently_confirmed_only_with_two_origins(seeded: Store, tmp_path: Path,
                                                                         db_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text("Wire copy\n\n“Two aircraft were involved in the incident,” the news release says.\n",
                    encoding="utf-8")
    ingest.import_paths(seeded, [copy], analyst="ana", source="Wire")
    seeded.close()
    found = json.loads(CliRunner().invoke(cli, ["links", "--json", "--db", str(db_path)]).output)
    two = next(g for g in found if any(c["text"].startswith("“Two aircraft") for c in g["claims"]))
    assert len(two["claims"]) >= 3
    assert two["independent_origins"] == 1 and not two["independently_confirmed"]


def test_a_script_scores_the_aligner_against_the_calls_in_any_case_file(three: Store, db_path: Path) -> None:
    import subprocess
    import sys

    conflicts = [l for l in three.links() if l.conflicts]
    three.call_link(conflicts[0].claim_a, conflicts[0].claim_b, "conflict", "ana")  # the aligner was right
    related = next(l for l in three.links() if l.relation == RELATED)
    three.call_link(related.claim_a, related.claim_b, "conflict", "ana")  # it missed one
    three.close()
    script = Path(__file__).resolve().parent.parent / "scripts" / "score_calls.py"
    result = subprocess.run([sys.executable, str(script), str(db_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "flagged conflicts the analysts called real: 1 of 1 (precision 100%)",
        "conflicts the analysts called that the aligner flagged: 1 of 2 (recall 50%)",
    ]
    missing = subprocess.run([sys.executable, str(script), str(db_path.with_name("none.db"))],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and missing.stderr.count("\n") == 1


def test_the_claim_sheet_carries_each_claims_disagreements_and_each_facts_values(three: Store) -> None:
    import csv
    import io

    import openpyxl

    from workbench import export

    rows = list(csv.DictReader(io.StringIO(export.render(three, "csv"))))
    three_row = next(r for r in rows if r["text"].startswith("“Three aircraft"))
    assert three_row["discrepancies"].splitlines()[0].startswith("aircraft: Three aircraft vs Two aircraft (#")
    book = openpyxl.load_workbook(io.BytesIO(export.render_bytes(three, "xlsx")))
    table = [[c.value for c in row] for row in book["Discrepancies"].iter_rows()]
    assert table[0] == list(export.DISCREPANCY_COLUMNS)
    assert sorted((row[1], row[2], row[4]) for row in table[1:]) == [
        ("aircraft", "Three aircraft", "A3"), ("aircraft", "Two aircraft", "A1"), ("aircraft", "Two aircraft", "A2")]
    markdown = export.render(three, "md")
    assert "## Where the reports disagree" in markdown and "| aircraft | Three aircraft |" in markdown
    document = json.loads(export.render(three, "json"))
    assert {v["value"] for d in document["discrepancies"] for v in d["values"]} == {"Two aircraft", "Three aircraft"}


def test_calling_a_conflicting_pair_the_same_fact_keeps_the_conflict(three: Store) -> None:
    conflict = next(l for l in three.links() if l.conflicts)
    three.call_link(conflict.claim_a, conflict.claim_b, "linked", "ana")
    assert next(l for l in three.links(conflict.claim_a) if l.other(conflict.claim_a) == conflict.claim_b).conflicts


def test_a_claim_number_out_of_range_is_no_claim(three: Store, db_path: Path) -> None:
    with pytest.raises(Exception, match="no claim #99999999999999999999"):
        three.call_link(1, 99999999999999999999, "conflict", "ana")
    three.close()
    result = CliRunner().invoke(cli, ["link", "99999999999999999999", "1", "conflict", "--db", str(db_path)])
    assert result.exit_code == 1 and result.output.strip() == "Error: no claim #99999999999999999999"


def test_revisions_order_stories_by_their_dates_as_written_and_else_by_import() -> None:
    from workbench.model import published_before

    assert published_before(("March 5, 2024", 9), ("April 1, 2024", 2))
    assert published_before(("2024-03-05", 9), ("1 April 2024", 2))
    assert published_before(("", 2), ("2024-03-05", 9))  # undated: the order they came in
    assert not published_before((None, 9), ("2024-03-05", 2))


def test_merging_a_case_brings_its_calls_their_history_and_a_newer_hand_back(three: Store, db_path: Path,
                                                                           tmp_path: Path) -> None:
    import shutil

    from workbench import case

    conflict = next(l for l in three.links() if l.conflicts)
    three.call_link(conflict.claim_a, conflict.claim_b, "not_conflict", "ana", "one report miscounts")
    three.close()
    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    with Store(copy) as theirs:
        theirs.call_link(conflict.claim_a, conflict.claim_b, "", "bo")  # later: back to the aligner
    fresh = tmp_path / "fresh.db"
    with Store(fresh) as ours:
        case.merge(ours, case.read_document(copy))
        link = next(l for l in ours.links() if l.conflicts)
        assert link.call == ""  # the newer call (bo's hand back) stands
        entries = [e for e in ours.history() if e.action == "call"]
        assert {e.call for e in entries} == {"not_conflict", ""}
        assert all(e.other_claim in {l.claim_a for l in ours.links()} | {l.claim_b for l in ours.links()}
                   for e in entries)
