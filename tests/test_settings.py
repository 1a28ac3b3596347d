"""Where the case lives and who the analyst is."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import platformdirs
import pytest
from click.testing import CliRunner

from workbench import settings
from workbench.cli import cli


def test_db_option_beats_the_environment_which_beats_the_default(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "env.db"))
    assert settings.database_path(tmp_path / "opt.db") == tmp_path / "opt.db"
    assert settings.database_path(None) == tmp_path / "env.db"
    monkeypatch.delenv(settings.DB_ENV)
    default = settings.database_path(None)
    assert default.name == "workbench.db" and "workbench" in default.parent.parts


def test_the_default_case_is_in_the_platforms_user_data_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(settings.DB_ENV, raising=False)
    expected = Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "workbench.db"
    assert settings.database_path(None) == expected
    assert settings.database_path("") == expected


def test_an_empty_environment_variable_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.DB_ENV, "")
    assert settings.database_path(None) == Path(platformdirs.user_data_dir("workbench", appauthor=False)) / "workbench.db"


def test_a_home_relative_path_is_expanded(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert settings.database_path("~/case.db") == tmp_path / "case.db"
    monkeypatch.setenv(settings.DB_ENV, "~/env.db")
    assert settings.database_path(None) == tmp_path / "env.db"


def test_the_command_line_uses_db_before_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(settings.DB_ENV, str(tmp_path / "env.db"))
    result = CliRunner().invoke(cli, ["claims", "--db", str(tmp_path / "opt.db")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "opt.db").exists() and not (tmp_path / "env.db").exists()
    result = CliRunner().invoke(cli, ["claims"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_analyst_defaults_to_the_login_name() -> None:
    assert settings.analyst_name(None) == getpass.getuser()
    assert settings.analyst_name("  ana ") == "ana"
    assert settings.analyst_name("   ") == getpass.getuser()


def test_without_a_login_name_the_analyst_is_still_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_user() -> str:
        raise KeyError("getpwuid(): uid not found: 1234")

    monkeypatch.setattr(getpass, "getuser", no_user)
    monkeypatch.setenv("USER", "ana")
    assert settings.analyst_name(None) == "ana"
    monkeypatch.delenv("USER")
    assert settings.analyst_name(None) == "unknown"
    assert settings.analyst_name("bo") == "bo"


def test_a_mark_from_the_command_line_records_the_login_name_by_default(tmp_path: Path) -> None:
    db = str(tmp_path / "case.db")
    seeds = [str(p) for p in sorted(settings.seeds_dir().glob("*.txt"))]
    assert CliRunner().invoke(cli, ["import", *seeds, "--db", db]).exit_code == 0
    claim_id = str(json.loads(CliRunner().invoke(cli, ["claims", "--json", "--db", db]).stdout)[0]["id"])
    result = CliRunner().invoke(cli, ["mark", claim_id, "open", "--db", db])
    assert result.exit_code == 0, result.output
    assert f"by {getpass.getuser()} at" in result.stdout


def test_the_seed_articles_are_found() -> None:
    assert len(list(settings.seeds_dir().glob("*.txt"))) == 2


@pytest.mark.parametrize("value", ["inf", "1e309", "nan"])
def test_a_size_limit_in_the_environment_that_is_no_number_is_refused(value: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(settings.MAX_SIZE_ENV, value)
    with pytest.raises(ValueError, match="size limit"):
        settings.max_article_bytes()
