"""Shared fixtures: a fresh case database, and the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench import ingest, settings
from workbench.store import Store

SEEDS = settings.seeds_dir()
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads or writes the real user's database or depends on their login name, and
    none writes into the checkout: a file a test saves by a relative name (a random key
    sequence once typed one into the export dialog) lands in its own directory."""
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "default.db"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "case.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as s:
        yield s


@pytest.fixture
def seeded(store: Store) -> Store:
    """A case holding the two seed articles, as a new workbench would open."""
    report = ingest.import_seeds_if_empty(store, analyst="tester")
    assert report is not None and len(report.added) == 2
    return store


@pytest.fixture
def case(db_path: Path) -> Path:
    """A case file holding the seed articles, closed, as `workbench` leaves it before the TUI."""
    with Store(db_path) as store:
        ingest.import_seeds_if_empty(store, analyst="tester")
    return db_path


@pytest.fixture
def seed_text() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in SEED_FILES}
