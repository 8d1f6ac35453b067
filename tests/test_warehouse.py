"""KPI totals computed inside the database a mapping reads from (pushdown, data/warehouse.py): the same KPI table as
a load, only small results travel, and data a load must check or repair is loaded instead.

The fast tests use DuckDB as the database (the demo's CSV files registered as text tables, as a warehouse loader
would leave them); the slow ones PostgreSQL, started by `scripts/test-postgres` (`make test` passes its URL), whose
pg_stat_statements shows what the workbook sent. In CI a missing server fails the test rather than skipping it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_config, load_data
from salesops_helpers.data.mapping import load_mapping
from salesops_helpers.data.warehouse import NotPushed, sql_text, warehouse_tables
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from tests.helpers import metrics_company, six_deals
from tests.helpers.postgres import postgres_url

TABLES = ["opportunities", "opportunity_history", "reps", "quotas"]
CAL = metrics_company.CAL
GROUPINGS = [[], ["team"], ["rep"], ["region", "segment"], ["sourced_by"], ["manager", "deal_type"]]


class DuckReader:
    """A database for the fast tests: text tables in an in-memory DuckDB, read as a warehouse would be."""

    dialect = "duckdb"
    shown = "duckdb (test)"

    def __init__(self, frames: dict[str, pd.DataFrame]) -> None:
        import duckdb

        self.connection = duckdb.connect()
        self.statements: list[str] = []
        for name, frame in frames.items():
            self.connection.register(f"{name}_frame", frame)
            self.connection.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")

    def fetch(self, sql: str) -> pd.DataFrame:
        self.statements.append(sql)
        return self.connection.execute(sql).df()

    def close(self) -> None:
        self.connection.close()


def _text_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The folder's CSV files as text columns (empty cells missing), history with its file position."""
    frames = {}
    for name in TABLES:
        path = folder / f"{name}.csv"
        if path.exists():
            frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
            if name == "opportunity_history":
                frame["row_order"] = range(1, len(frame) + 1)
            frames[name] = frame
    return frames


def _mapping(path: Path, url: str, prefix: str = "", tables: list[str] = TABLES, since: str = "") -> Path:
    lines = ["name: a company in a database", "source:", f"  url: '{url}'"]
    lines += [f"  since: '{since}'"] if since else []
    lines += ["tables:"]
    for name in tables:
        order = ", order: row_order" if name == "opportunity_history" else ""
        lines.append(f"  {name}: {{table: {prefix}{name}{order}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _same_tables(inside, loaded, periods: list[str]) -> None:
    for label in periods:
        for by in GROUPINGS:
            a = kpi_table(inside, CAL.parse(label), by).values
            b = kpi_table(loaded, CAL.parse(label), by).values
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, check_dtype=False)


def test_the_demo_inside_a_database_gives_the_loaded_kpi_table_for_every_grouping(tmp_path):
    config = load_config(DEFAULT_CONFIG)
    reader = DuckReader(_text_tables(DEMO_DATA))
    inside = warehouse_tables(load_mapping(_mapping(tmp_path / "m.yml", "duckdb:///test")), config, reader)
    loaded = load_data(DEMO_DATA, config)
    assert inside.data_day == loaded.data_day
    _same_tables(inside, loaded, ["2026-10", "2026-07", "FY2027 Q2", "FY2026"])


def test_the_hand_worked_company_gives_its_figures_inside_a_database(tmp_path):
    folder = metrics_company.write_folder(tmp_path / "company", metrics_company.FILES)
    config = load_config(DEFAULT_CONFIG)
    reader = DuckReader(_text_tables(folder))
    inside = warehouse_tables(load_mapping(_mapping(tmp_path / "m.yml", "duckdb:///test")), config, reader)
    _same_tables(inside, load_data(folder, config), ["2024-02", "2024-03", "FY2025 Q1"])


def test_deals_dated_before_they_were_created_are_repaired_inside_as_a_load_does(tmp_path):
    """A won deal entered after its close date gets a 0-day cycle; an open one past its close date when it was
    created keeps its created date (deals created and pipeline created count it in its own month)."""
    files = dict(six_deals.VALID_FILES)
    files["opportunities.csv"] = (
        files["opportunities.csv"]
        .replace("R3,2024-03-01,2024-04-15", "R3,2024-05-01,2024-04-15")
        .replace("R3,2024-03-10,2024-07-01", "R3,2024-08-10,2024-07-01")
    )
    folder = six_deals.write_folder(tmp_path / "six", files)
    config = load_config(DEFAULT_CONFIG)
    reader = DuckReader(_text_tables(folder))
    inside = warehouse_tables(load_mapping(_mapping(tmp_path / "m.yml", "duckdb:///test")), config, reader)
    loaded = load_data(folder, config)
    _same_tables(inside, loaded, ["2024-04", "2024-05", "2024-08"])
    august = kpi_table(inside, CAL.parse("2024-08"), [], ["deals_created"]).values["deals_created"].iloc[0]
    assert august == 1  # O6, created in August


def test_only_small_results_come_back_from_the_database(tmp_path):
    config = load_config(DEFAULT_CONFIG)
    reader = DuckReader(_text_tables(DEMO_DATA))
    inside = warehouse_tables(load_mapping(_mapping(tmp_path / "m.yml", "duckdb:///test")), config, reader)
    sizes = []
    original = reader.fetch

    def counted(sql: str) -> pd.DataFrame:
        rows = original(sql)
        sizes.append(len(rows))
        return rows

    reader.fetch = counted  # type: ignore[method-assign]
    kpi_table(inside, CAL.parse("2026-10"), ["rep"])
    assert sizes and max(sizes) <= 2 * 25  # a row per rep, or per rep and day; the demo has 5,993 deals
    assert all("GROUP BY" in sql for sql in reader.statements[-len(sizes) :])


def test_data_a_load_must_check_is_loaded_instead_with_the_reason(tmp_path):
    folder = six_deals.write_folder(tmp_path / "six")
    config = load_config(DEFAULT_CONFIG)
    frames = _text_tables(folder)
    frames["opportunities"] = pd.concat([frames["opportunities"], frames["opportunities"].iloc[[0]]])
    mapping = load_mapping(_mapping(tmp_path / "m.yml", "duckdb:///test"))
    with pytest.raises(NotPushed, match="1 repeated opportunity_ids"):
        warehouse_tables(mapping, config, DuckReader(frames))
    frames = _text_tables(folder)
    frames["opportunities"].loc[0, "currency"] = "EUR"
    with pytest.raises(NotPushed, match="amounts in EUR"):
        warehouse_tables(mapping, config, DuckReader(frames))
    frames = _text_tables(folder)
    frames["opportunities"].loc[0, "stage"] = "Signed"
    with pytest.raises(NotPushed, match="stage values not configured \\('Signed'\\)"):
        warehouse_tables(mapping, config, DuckReader(frames))


def test_a_mapping_written_for_files_is_loaded_instead(tmp_path):
    path = _mapping(tmp_path / "m.yml", "duckdb:///test")
    path.write_text(path.read_text(encoding="utf-8") + "owners: name\n", encoding="utf-8")
    with pytest.raises(NotPushed, match="owners: name"):
        warehouse_tables(load_mapping(path), load_config(DEFAULT_CONFIG), DuckReader(_text_tables(DEMO_DATA)))


def test_the_statements_are_written_in_the_databases_dialect():
    statement = "SELECT team, fsum(amount) AS a, median(amount) AS m FROM deals GROUP BY team"
    assert "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY amount)" in sql_text(statement, "postgres")
    assert "SUM(amount)" in sql_text(statement, "snowflake")
    assert "fsum" not in sql_text(statement, "duckdb")
    assert "`" not in sql_text('SELECT "Stage Name" FROM t', "postgres")
    assert "`Stage Name`" in sql_text('SELECT "Stage Name" FROM t', "spark")


# PostgreSQL: the same tables with and without pushdown, and the grouping done by the server.


def _demo_schema(url: str, schema: str) -> str:
    """The demo company as text tables in a schema of its own (each test that reads the server's statistics has
    one, so that no other test's statements mix in), history with its file position; the URL back."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
        for name, frame in _text_tables(DEMO_DATA).items():
            if name == "opportunities":  # a column no mapping names: never read
                frame = frame.assign(crm_note="internal")
            frame.to_sql(name, connection, schema=schema, index=False)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def postgres_demo() -> str:
    """The demo company in the schema pushdown_demo."""
    return _demo_schema(postgres_url(), "pushdown_demo")


def _kpis(mapping: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "salesops_helpers.cli",
        "kpis",
        "--mapping",
        str(mapping),
        "--data",
        "/nonexistent",
    ]
    return subprocess.run([*command, *options], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_postgresql_gives_the_same_kpi_table_with_and_without_pushdown(postgres_demo, tmp_path):
    mapping = _mapping(tmp_path / "pg.yml", postgres_demo, "pushdown_demo.")
    for options in (["--by", "team"], ["--by", "rep", "--period", "FY2027 Q2"], ["--by", "segment", "sourced_by"]):
        inside = _kpis(mapping, *options, "--format", "csv")
        loaded = _kpis(mapping, *options, "--format", "csv", "--no-pushdown")
        assert inside.returncode == loaded.returncode == 0, inside.stderr + loaded.stderr
        assert inside.stderr == ""  # no note that the rows were loaded instead
        a, b = (pd.read_csv(pd.io.common.StringIO(run.stdout)) for run in (inside, loaded))
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


def _sent(schema: str, folder: Path, *options: str, since: str = "") -> pd.DataFrame:
    """What `salesops kpis` sent to PostgreSQL for the demo in its own schema (pg_stat_statements: each statement,
    its calls and the rows it returned in all); the tests of this file run one after another (`make test`)."""
    from sqlalchemy import create_engine, text

    url = _demo_schema(postgres_url(), schema)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("SELECT pg_stat_statements_reset()"))
    mapping = _mapping(folder / "pg.yml", url, f"{schema}.", since=since)
    run = _kpis(mapping, "--by", "team", "--period", "2026-10", *options)
    assert run.returncode == 0, run.stderr
    with engine.connect() as connection:
        sent = pd.read_sql_query(
            text(f"SELECT query, calls, rows FROM pg_stat_statements WHERE query LIKE '%{schema}%'"), connection
        )
    engine.dispose()
    return sent[sent["query"].str.startswith(("SELECT", "WITH"))]


@pytest.mark.slow
def test_postgresql_does_the_grouping_and_sends_back_only_grouped_rows(tmp_path):
    sent = _sent("pushdown_group", tmp_path, "--format", "csv")
    grouped = sent[sent["query"].str.contains(r"GROUP BY (?:s\.day, d\.)?team", regex=True)]
    assert len(grouped) >= 5  # won, lost, created, open at the end and start (one), quotas: each grouped there
    assert (sent["rows"] / sent["calls"]).max() <= 50  # never the deals themselves: the demo has 5,993
    assert not sent["query"].str.fullmatch(r'SELECT \* FROM "?pushdown_group"?\."?\w+"?').any()


@pytest.mark.slow
def test_a_load_from_postgresql_reads_only_the_columns_it_can_use_in_order(tmp_path):
    sent = _sent("pushdown_load", tmp_path, "--format", "csv", "--no-pushdown")
    reads = sent[sent["rows"] > 0]
    assert len(reads) == 4  # deals, history, reps, quotas
    assert not reads["query"].str.contains("crm_note|SELECT \\*", regex=True).any()
    history = reads[reads["query"].str.contains("opportunity_history")]
    assert history["query"].str.contains('ORDER BY "row_order"', regex=False).all()


@pytest.mark.slow
def test_a_load_from_postgresql_with_a_window_reads_only_the_windows_rows(tmp_path):
    sent = _sent("window_load", tmp_path, "--format", "csv", "--no-pushdown", since="2025-06-01")
    reads = sent[sent["rows"] > 0]
    # pg_stat_statements shows each literal (the window's first day among them) as a parameter, $1, $2...
    history = reads[reads["query"].str.contains('."opportunity_history" AS src WHERE', regex=False)]
    deals = reads[reads["query"].str.contains('."opportunities" AS src WHERE', regex=False)].drop(history.index)
    assert len(deals) == len(history) == 1
    assert "AS TIMESTAMP) >= CAST($" in deals["query"].iloc[0]
    assert "IN (SELECT" in history["query"].iloc[0]  # the history of the kept deals, chosen by the server
    kept = int(deals["rows"].iloc[0])
    assert 0 < kept < 5993
    counted = reads[reads["query"].str.startswith("SELECT COUNT(*) AS total")]
    assert len(counted) == 1 and int(counted["rows"].iloc[0]) == 1  # the window's size, counted there


@pytest.mark.slow
def test_postgresql_gives_the_same_kpi_table_for_a_month_inside_the_window(postgres_demo, tmp_path):
    mapping = _mapping(tmp_path / "pg.yml", postgres_demo, "pushdown_demo.", since="2025-06-01")
    options = ["--by", "team", "--period", "2026-10", "--format", "csv"]
    inside, windowed = _kpis(mapping, *options), _kpis(mapping, *options, "--no-pushdown")
    assert inside.returncode == windowed.returncode == 0, inside.stderr + windowed.stderr
    a, b = (pd.read_csv(pd.io.common.StringIO(run.stdout)) for run in (inside, windowed))
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


@pytest.mark.parametrize(
    ("table", "edit", "reason"),
    [
        ("opportunities", lambda f: f.assign(amount=f["amount"].where(f.index != 0, "-5")), "1 negative amounts"),
        (
            "opportunity_history",
            lambda f: f.assign(opportunity_id=f["opportunity_id"].where(f.index != 0)),
            "1 history rows without an opportunity_id",
        ),
        ("quotas", lambda f: f.assign(rep_id=f["rep_id"].where(f.index != 0)), "1 quotas without a rep_id"),
        ("opportunities", lambda f: f.drop(columns="owner_id"), "no column for owner_id"),
    ],
)
def test_rows_and_columns_a_load_refuses_are_loaded_instead(tmp_path, table, edit, reason):
    frames = _text_tables(six_deals.write_folder(tmp_path / "six"))
    frames[table] = edit(frames[table])
    mapping = load_mapping(_mapping(tmp_path / "m.yml", "duckdb:///test"))
    with pytest.raises(NotPushed, match=reason):
        warehouse_tables(mapping, load_config(DEFAULT_CONFIG), DuckReader(frames))


def test_values_on_a_column_pushdown_does_not_translate_mean_a_load(tmp_path):
    path = _mapping(tmp_path / "m.yml", "duckdb:///test")
    text = path.read_text(encoding="utf-8").replace(
        "{table: opportunities}", "{table: opportunities, values: {owner_id: {R016: R007}}}"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NotPushed, match="values translates owner_id"):
        warehouse_tables(load_mapping(path), load_config(DEFAULT_CONFIG), DuckReader(_text_tables(DEMO_DATA)))
