"""Spark sources: the canonical tables read with Spark SQL from a local Spark session (source.url spark://local[2]).

The demo company's CSV files, written as Parquet files and read through `query: SELECT * FROM parquet.`<file>``,
give the KPIs of the CSV folder. pyspark and a Java 17+ runtime come from `scripts/test-spark` (`make test` runs it);
without them the tests skip, and in CI they fail. Starting Spark takes ten seconds or so: the module starts it once.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.util
import os
import re
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import ConfigError
from salesops_helpers.data.mapping.spark import SparkReader
from salesops_helpers.data.mapping.sql import open_reader
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

URL = "spark://local[2]"
TABLES = ["opportunities", "opportunity_history", "reps", "quotas", "activities"]
CAL = FiscalCalendar(2, "end")
KEYS = ["bookings", "won_deals", "lost_deals", "win_rate", "pipeline_created", "open_pipeline", "quota", "attainment"]
INSTALL = "run scripts/test-spark (make test does), which installs pyspark and a Java 17+ runtime"


@dataclass(frozen=True)
class Started:
    """The module's Spark session, and what starting it wrote to the console or warned."""

    seconds: float
    console: str
    warned: list[str]


@contextlib.contextmanager
def _console() -> Iterator[list[str]]:
    """Everything written to file descriptors 1 and 2 meanwhile (the JVM's output included), in the list yielded."""
    written: list[str] = []
    with tempfile.TemporaryFile() as sink:
        saved = [os.dup(1), os.dup(2)]
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield written
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            sink.seek(0)
            written.append(sink.read().decode("utf-8", errors="replace"))


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: {INSTALL}")
    pytest.skip(f"{reason}: {INSTALL}")


@pytest.fixture(scope="module")
def spark() -> Started:
    """The local Spark session, started once for the module (skips, or in CI fails, without pyspark or Java)."""
    if importlib.util.find_spec("pyspark") is None:
        _unavailable("pyspark is not installed")
    # Earlier tests in this worker may leave garbage (unclosed asyncio loops of notebook kernels) whose
    # ResourceWarning would otherwise fire mid-start and be blamed on Spark: collect it first.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()
    begun = time.perf_counter()
    try:
        with _console() as console, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            SparkReader(URL).fetch("SELECT 1 AS ready")
    except ConfigError as exc:  # no Java, or Java older than 17, or Spark did not start
        _unavailable(str(exc))
    return Started(time.perf_counter() - begun, console[0], [str(w.message) for w in caught])


@pytest.fixture(scope="module")
def demo_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company's CSV files as Parquet files of text columns (an empty cell is null), as the SQL test loads
    them into a database."""
    folder = tmp_path_factory.mktemp("parquet")
    for name in TABLES:
        frame = pd.read_csv(DEMO_DATA / f"{name}.csv", dtype=str, keep_default_na=False)
        if name == "opportunity_history":  # a deal's changes of one moment keep the file's order (its `order`)
            frame["row_order"] = range(1, len(frame) + 1)
        frame.replace("", None).to_parquet(folder / f"{name}.parquet", index=False)
    return folder


def _mapping(path: Path, url: str, folder: Path) -> Path:
    lines = ["name: demo company in Parquet files read with Spark", "source:", f"  url: '{url}'", "tables:"]
    lines += [f'  {name}: {{query: "SELECT * FROM parquet.`{folder / name}.parquet`"}}' for name in TABLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_the_demo_company_in_spark_gives_the_same_kpis_as_its_csv_files(spark, demo_parquet, tmp_path):
    config = load_config(DEFAULT_CONFIG)
    from_files = load_data(DEMO_DATA, config)
    from_spark = load_data(Path("/nonexistent"), config, mapping=_mapping(tmp_path / "spark.yml", URL, demo_parquet))
    assert len(from_spark.opportunities) == len(from_files.opportunities) == 5993
    for label in ("2026-10", "FY2027 Q3"):
        a = kpi_table(from_files, CAL.parse(label), ["team"], KEYS).values
        b = kpi_table(from_spark, CAL.parse(label), ["team"], KEYS).values
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


@pytest.mark.slow
def test_a_time_window_read_from_spark_keeps_the_windows_kpis(spark, demo_parquet, tmp_path):
    config = load_config(DEFAULT_CONFIG)
    path = _mapping(tmp_path / "spark.yml", URL, demo_parquet)
    path.write_text(path.read_text().replace(f"  url: '{URL}'", f"  url: '{URL}'\n  since: '2025-06-01'"))
    windowed = load_data(Path("/nonexistent"), config, mapping=path)
    from_files = load_data(DEMO_DATA, config)
    assert windowed.window_since == pd.Timestamp("2025-06-01")
    assert 0 < len(windowed.opportunities) < len(from_files.opportunities)
    assert len(windowed.history) < len(from_files.history)
    for label in ("2025-06", "2026-10", "FY2027 Q3"):
        a = kpi_table(from_files, CAL.parse(label), ["team"], KEYS).values
        b = kpi_table(windowed, CAL.parse(label), ["team"], KEYS).values
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


@pytest.mark.slow
def test_spark_computes_the_same_kpi_table_inside_as_a_load(spark, demo_parquet, tmp_path):
    from salesops_helpers.data.mapping import load_mapping
    from salesops_helpers.data.warehouse import warehouse_tables

    path = _mapping(tmp_path / "spark.yml", URL, demo_parquet)
    text = path.read_text(encoding="utf-8").replace(
        'opportunity_history.parquet`"', 'opportunity_history.parquet`", order: row_order'
    )
    path.write_text(text, encoding="utf-8")
    config = load_config(DEFAULT_CONFIG)
    reader = SparkReader(URL)
    statements: list[str] = []
    fetch = reader.fetch
    reader.fetch = lambda sql: statements.append(sql) or fetch(sql)  # type: ignore[method-assign]
    inside = warehouse_tables(load_mapping(path), config, reader)
    loaded = load_data(DEMO_DATA, config)
    assert inside.data_day == loaded.data_day
    asked = [("2026-10", []), ("2026-10", ["rep"]), ("FY2027 Q2", ["team"]), ("FY2027 Q2", ["segment", "sourced_by"])]
    for label, by in asked:
        statements.clear()
        a = kpi_table(inside, CAL.parse(label), by).values
        b = kpi_table(loaded, CAL.parse(label), by).values
        pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, check_dtype=False)
        assert statements and all("GROUP BY" in sql for sql in statements)  # grouped by Spark


@pytest.mark.slow
def test_a_bad_spark_url_is_a_config_error_naming_it(tmp_path):
    mapping = _mapping(tmp_path / "bad.yml", "spark://cluster.example.com:7077", tmp_path)
    with pytest.raises(ConfigError, match=r"'spark://cluster\.example\.com:7077'.*spark://local\[N\]"):
        load_data(Path("/nonexistent"), load_config(DEFAULT_CONFIG), mapping=mapping)
    for url in ("spark://local[0]", "spark://yarn", "spark://local[two]"):
        with pytest.raises(ConfigError, match=re.escape(repr(url))):
            open_reader(url)


@pytest.mark.slow
def test_timestamps_come_back_naive_as_stored_whatever_the_time_zone(spark, tmp_path, monkeypatch):
    # moments around the daylight-saving changes of Europe and Brazil, stored without and with a time zone (UTC)
    stored = pd.to_datetime(["2026-03-29 01:30", "2026-03-29 02:30", "2026-10-25 02:30", "2026-11-01 00:15"])
    pd.DataFrame({"naive": stored, "utc": stored.tz_localize("UTC")}).to_parquet(tmp_path / "t.parquet")
    monkeypatch.setenv("TZ", "America/Sao_Paulo")  # Python's local time: no part of the conversion may use it
    time.tzset()
    try:
        frame = SparkReader(URL).fetch(
            f"SELECT naive, utc, TIMESTAMP '2026-03-29 02:30:00' AS literal FROM parquet.`{tmp_path / 't.parquet'}`"
        )
    finally:
        monkeypatch.undo()
        time.tzset()
    for column in ("naive", "utc", "literal"):
        assert frame[column].dtype == "datetime64[ns]", column
    assert list(frame["naive"]) == list(stored)
    assert list(frame["utc"]) == list(stored)
    assert (frame["literal"] == pd.Timestamp("2026-03-29 02:30:00")).all()


@pytest.mark.slow
def test_the_reader_keeps_the_sql_readers_contract(spark, tmp_path):
    reader = open_reader(URL)
    assert isinstance(reader, SparkReader) and reader.dialect == "spark" and reader.shown == URL
    query = "SELECT id, CAST(id AS DECIMAL(10, 2)) / 4 AS quarter, 'x' AS id FROM range(5) ORDER BY id DESC"
    frame = reader.read(None, query)
    assert list(frame.index) == [1, 2, 3, 4, 5], "row 1 is the first row"
    assert list(frame.columns) == ["id", "quarter", "id"] and frame.iloc[:, 1].dtype == "float64"
    assert list(frame.iloc[:, 0]) == [4, 3, 2, 1, 0], "the query's order is kept"
    assert list(reader.fetch("SELECT 1 AS a UNION ALL SELECT 2;").index) == [0, 1]
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "keep.parquet")
    for statement in (f"DROP TABLE parquet.`{tmp_path / 'keep.parquet'}`", "CREATE TABLE t (a INT)", "SET x = 1"):
        with pytest.raises(pd.errors.DatabaseError, match="reads queries only"):
            reader.fetch(statement)
    assert (tmp_path / "keep.parquet").exists()
    reader.close()
    assert open_reader(URL).fetch("SELECT 1 AS a").iloc[0, 0] == 1, "closing a reader leaves the session to others"


@pytest.mark.slow
def test_a_table_spark_cannot_read_is_reported_with_its_message(spark, demo_parquet, tmp_path):
    mapping = _mapping(tmp_path / "m.yml", URL, demo_parquet)
    text = mapping.read_text(encoding="utf-8").replace(f"{demo_parquet / 'reps'}.parquet", "/nonexistent/reps.parquet")
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"cannot read it from spark://local\[2\]: \[PATH_NOT_FOUND\]"):
        load_data(Path("/nonexistent"), load_config(DEFAULT_CONFIG), mapping=mapping)


@pytest.mark.slow
def test_spark_writes_nothing_to_the_console(spark, capfd, recwarn):
    assert spark.console == "", "starting Spark wrote to the console"
    assert spark.warned == [], "starting Spark warned"
    reader = SparkReader(URL)
    reader.fetch("SELECT current_timestamp() AS now")
    for failing in ("SELECT * FROM no_such_table", "SELECT 1 / 0 AS x", "SELEC 1"):
        with pytest.raises(pd.errors.DatabaseError):
            reader.fetch(failing)
    assert capfd.readouterr() == ("", ""), "reading wrote to the console"
    assert [str(w.message) for w in recwarn] == []
