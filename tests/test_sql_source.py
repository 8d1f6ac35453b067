"""SQL sources: the canonical tables read from a database through a mapping, read only, passwords never shown.

SQLite runs everywhere. PostgreSQL runs against the private server `scripts/test-postgres` starts (`make test` passes
its URL in SALESOPS_TEST_POSTGRES_URL); in CI a missing server fails the test rather than skipping it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import ConfigError
from salesops_helpers.data.mapping import load_mapping
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from tests.helpers.postgres import postgres_url

TABLES = ["opportunities", "opportunity_history", "reps", "quotas", "activities"]
CAL = FiscalCalendar(2, "end")
KEYS = ["bookings", "won_deals", "lost_deals", "win_rate", "pipeline_created", "open_pipeline", "quota", "attainment"]


def _load_demo_into(url: str, schema: str | None) -> None:
    """The demo company's CSV files as tables of a database (replacing earlier copies)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        if schema:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        for name in TABLES:
            frame = pd.read_csv(DEMO_DATA / f"{name}.csv", dtype=str, keep_default_na=False)
            frame = frame.replace("", None)
            frame.to_sql(name, connection, schema=schema, index=False, if_exists="replace")
    engine.dispose()


def _mapping(path: Path, url: str, schema: str | None) -> Path:
    prefix = f"{schema}." if schema else ""
    lines = ["name: demo company in a database", "source:", f"  url: '{url}'", "tables:"]
    lines += [f"  {name}: {{table: {prefix}{name}}}" for name in TABLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _same_kpis_as_the_csv_folder(mapping: Path) -> None:
    config = load_config(DEFAULT_CONFIG)
    from_files = load_data(DEMO_DATA, config)
    from_database = load_data(Path("/nonexistent"), config, mapping=mapping)
    assert len(from_database.opportunities) == len(from_files.opportunities) == 5993
    for label in ("2026-10", "FY2027 Q3"):
        a = kpi_table(from_files, CAL.parse(label), ["team"], KEYS).values
        b = kpi_table(from_database, CAL.parse(label), ["team"], KEYS).values
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


@pytest.mark.slow
def test_the_demo_company_in_sqlite_gives_the_same_kpis_as_its_csv_files(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.sqlite'}"
    _load_demo_into(url, None)
    _same_kpis_as_the_csv_folder(_mapping(tmp_path / "sqlite.yml", url, None))


@pytest.mark.slow
def test_the_demo_company_in_postgresql_gives_the_same_kpis_as_its_csv_files(tmp_path):
    url = postgres_url()
    _load_demo_into(url, "crm_test")
    _same_kpis_as_the_csv_folder(_mapping(tmp_path / "postgres.yml", url, "crm_test"))


@pytest.mark.slow
def test_reading_is_read_only(tmp_path):
    url = postgres_url()
    _load_demo_into(url, "crm_ro")
    mapping = _mapping(tmp_path / "m.yml", url, "crm_ro")
    text = mapping.read_text(encoding="utf-8").replace(
        "  reps: {table: crm_ro.reps}", '  reps: {query: "DELETE FROM crm_ro.reps RETURNING *"}'
    )
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match="read-only transaction"):
        load_data(Path("/nonexistent"), load_config(DEFAULT_CONFIG), mapping=mapping)
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(sql("SELECT count(*) FROM crm_ro.reps")).scalar() == 25
    engine.dispose()


@pytest.mark.slow
def test_a_password_never_appears_in_messages_manifests_or_reports(tmp_path, monkeypatch):
    url = postgres_url()
    _load_demo_into(url, "crm_pw")
    password = url.split("://", 1)[1].split("@", 1)[0].split(":", 1)[1]
    wrong = url.replace(f":{password}@", ":Wr0ng-S3cret@")
    bad = _mapping(tmp_path / "bad.yml", wrong, "crm_pw")
    command = [sys.executable, "-m", "salesops_helpers.cli"]
    result = subprocess.run([*command, "check", "--mapping", str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Wr0ng-S3cret" not in result.stdout + result.stderr
    assert "password authentication failed" in result.stdout + result.stderr
    # the password from the environment: the mapping file holds no secret
    monkeypatch.setenv("CRM_DB_PASSWORD", password)
    good = _mapping(tmp_path / "good.yml", url.replace(f":{password}@", ":${CRM_DB_PASSWORD}@"), "crm_pw")
    out = tmp_path / "reports"
    run = [*command, "run", "--quiet", "--mapping", str(good), "--out", str(out), "--only", "00", "01"]
    result = subprocess.run(
        run, capture_output=True, text=True, check=False, env=os.environ | {"CRM_DB_PASSWORD": password}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in written)
    for path in written:
        assert password not in path.read_text(encoding="utf-8", errors="replace"), path
    page = (out / "2026-10" / "00_data_health.html").read_text(encoding="utf-8")
    assert "postgresql+psycopg://salesops:***@" in page, "the report names the database without its password"


def test_a_missing_environment_variable_in_the_url_is_named(tmp_path, monkeypatch):
    monkeypatch.delenv("NO_SUCH_PASSWORD", raising=False)
    mapping = _mapping(tmp_path / "m.yml", "postgresql+psycopg://u:${NO_SUCH_PASSWORD}@localhost/db", None)
    load_mapping(mapping)  # the file itself is valid
    with pytest.raises(ConfigError, match="NO_SUCH_PASSWORD"):
        load_data(Path("/nonexistent"), load_config(DEFAULT_CONFIG), mapping=mapping)


def test_a_mapping_with_a_database_needs_table_or_query(tmp_path):
    path = tmp_path / "m.yml"
    path.write_text("name: x\nsource: {url: 'sqlite:///x.db'}\ntables:\n  opportunities: {file: a.csv}\n", "utf-8")
    with pytest.raises(ConfigError, match="give either table or query"):
        load_mapping(path)


def test_a_sqlite_file_that_is_not_there_is_an_error_and_is_not_created(tmp_path):
    missing = tmp_path / "typo.sqlite"
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        f"name: x\nsource: {{url: 'sqlite:///{missing}'}}\ntables:\n  opportunities: {{table: opportunity}}\n"
        "  reps: {from_owners: true}\n",
        "utf-8",
    )
    with pytest.raises(DataValidationError, match="unable to open database file"):
        load_data(tmp_path, _no_quotas(tmp_path), mapping=mapping)
    assert not missing.exists(), "an input is only ever read: no empty database may appear in its place"


def test_a_bad_mapping_section_never_repeats_a_password(tmp_path):
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        # no opportunities table: a problem of the whole mapping, whose every value pydantic hands to the message
        "name: x\nsource: {url: 'postgresql://ana:s3cr3t@db.example.com/crm'}\ntables:\n  reps: {table: users}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_mapping(mapping)
    assert "tables.opportunities: required" in str(info.value) and "s3cr3t" not in str(info.value)


def _no_quotas(tmp_path: Path) -> Path:
    path = tmp_path / "workbook.yml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("source: file", "source: none"), "utf-8")
    return path
