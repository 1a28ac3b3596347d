"""Claims that state one fact in different articles: where they agree and where they conflict."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench import align, groups, ingest
from workbench.cli import cli
from workbench.model import CONFLICTS, CORROBORATES, Link
from workbench.store import Store


@pytest.mark.parametrize("a,b,reason", [
    ("Two aircraft were involved in the incident.", "“Three aircraft were involved in the incident,” he said.",
     "“Two aircraft” vs “Three aircraft”"),
    ("2 crew members survived the crash.", "3 crew members survived the crash.", "“2 crew members” vs “3 crew members”"),
    ("The tanker crashed on Thursday.", "The tanker crashed on Wednesday.", "“Thursday” vs “Wednesday”"),
    ("It went down on 12 March.", "It went down on March 13.", "“12 Mar” vs “13 Mar”"),
    ("The tanker went down over western Iraq.", "The tanker went down over Syria.", "“Iraq” vs “Syria”"),
    ("The crash was caused by hostile fire.", "The crash was not caused by hostile fire.", "“not” in only one"),
])
def test_differences_in_counts_dates_places_and_negation_are_conflicts(a: str, b: str, reason: str) -> None:
    assert align.compare(a, b) == (CONFLICTS, reason)


@pytest.mark.parametrize("a,b", [
    ("Two aircraft were involved in the incident.", "“Two aircraft were involved in the incident,” the release says."),
    ("At least 20 tankers were deployed.", "25 tankers were deployed."),  # a hedge cannot contradict
    ("It was not caused by hostile action.", "This was not due to hostile fire."),
    ("The jet crashed in Iraq.", "The tanker went down over western Iraq."),
])
def test_restatements_corroborate(a: str, b: str) -> None:
    assert align.compare(a, b) == (CORROBORATES, "")


def test_groups_are_the_connected_claims() -> None:
    links = [Link(1, 2, 0.9), Link(2, 3, 0.8), Link(7, 9, 0.7)]
    assert groups.groups(links) == [[1, 2, 3], [7, 9]]


@pytest.fixture
def three(seeded: Store, tmp_path: Path) -> Store:
    wire = tmp_path / "wire.txt"
    wire.write_text("Tanker lost\n\n“Three aircraft were involved in the incident,” a Pentagon official said.\n",
                    encoding="utf-8")
    ingest.import_paths(seeded, [wire], analyst="ana", source="Wire")
    return seeded


def test_an_article_that_disagrees_is_linked_as_a_conflict_with_the_reason(three: Store) -> None:
    claims = {c.id: c for c in three.claims()}
    conflicts = [l for l in three.links() if l.conflicts]
    assert any("“Two aircraft” vs “Three aircraft”" in l.reason for l in conflicts)
    for link in conflicts:
        assert claims[link.claim_a].article_id != claims[link.claim_b].article_id


def test_links_command_lists_groups_with_relations(three: Store, db_path: Path) -> None:
    three.close()
    result = CliRunner().invoke(cli, ["links", "--json", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    groups = json.loads(result.output)
    assert groups and all({"group", "claims", "links"} <= g.keys() for g in groups)
    relations = {l["relation"] for g in groups for l in g["links"]}
    assert relations == {"corroborates", "conflicts", "related"}
    member = groups[0]["claims"][0]
    assert {"id", "article", "article_label", "text", "sources"} <= member.keys()
    text = CliRunner().invoke(cli, ["links", "--db", str(db_path)]).output
    assert "≠" in text and "conflicts" in text and text.startswith("Group 1:")
    assert " ~ " in text and "related" in text


def test_an_older_case_gets_link_relations_by_migration(db_path: Path, seeded: Store) -> None:
    seeded.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm003_link_relations'")
    seeded.db.execute("CREATE TABLE links_old AS SELECT claim_a, claim_b, score FROM links")
    seeded.db.execute("DROP TABLE links")
    seeded.db.execute("ALTER TABLE links_old RENAME TO links")
    seeded.close()
    with Store(db_path) as again:
        assert again.links() and all(l.relation == CORROBORATES for l in again.links())


def test_wire_copy_and_the_same_cited_source_are_one_origin() -> None:
    members = [groups.Attributed(1, "Reuters", ("CENTCOM",)),
               groups.Attributed(2, "", ("a CENTCOM spokesman",)),   # same acronym
               groups.Attributed(3, "Wire", ("the ministry",)),
               groups.Attributed(4, "", ("The Ministry",)),           # same source, other case
               groups.Attributed(5, "AP", ("witnesses",)),
               groups.Attributed(6, "Daily", ("local police",))]
    links = [Link(1, 3, 0.7), Link(2, 4, 0.7), Link(1, 5, 0.6), Link(5, 6, 0.99)]  # 5-6: one text repeated
    assert groups.origins(members, links) == [[1, 2], [3, 4], [5, 6]]
    conflicting = [Link(1, 3, 0.7, "conflicts"), Link(2, 4, 0.7), Link(5, 6, 0.99)]
    assert groups.origins(members, conflicting) == [[2], [4], [5, 6]]  # 1 and 3 only conflict


def test_a_group_counts_as_independently_confirmed_only_with_two_origins(seeded: Store, tmp_path: Path,
                                                                         db_path: Path) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text("Wire copy\n\n“Two aircraft were involved in the incident,” the news release says.\n",
                    encoding="utf-8")
    ingest.import_paths(seeded, [copy], analyst="ana", source="Wire")
    seeded.close()
    groups = json.loads(CliRunner().invoke(cli, ["links", "--json", "--db", str(db_path)]).output)
    two = next(g for g in groups if any(c["text"].startswith("“Two aircraft") for c in g["claims"]))
    assert len(two["claims"]) >= 3
    assert two["independent_origins"] == 1 and not two["independently_confirmed"]
