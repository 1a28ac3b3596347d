"""Where the case lives and who the analyst is."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from workbench import settings


def test_db_option_beats_the_environment_which_beats_the_default(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "env.db"))
    assert settings.database_path(tmp_path / "opt.db") == tmp_path / "opt.db"
    assert settings.database_path(None) == tmp_path / "env.db"
    monkeypatch.delenv(settings.DB_ENV)
    default = settings.database_path(None)
    assert default.name == "workbench.db" and "workbench" in default.parent.parts


def test_analyst_defaults_to_the_login_name() -> None:
    assert settings.analyst_name(None) == getpass.getuser()
    assert settings.analyst_name("  ana ") == "ana"
    assert settings.analyst_name("   ") == getpass.getuser()


def test_the_seed_articles_are_found() -> None:
    assert len(list(settings.seeds_dir().glob("*.txt"))) == 2
