"""Benchmark: `salesops kpis` for every grouping, side by side with DuckDB SQL computing the same figures.

Usage (from the project root, after `make setup`; DuckDB comes with the dev extras):
    .venv/bin/python bench/kpis_benchmark.py                          # demo data, and 1M opportunities as Parquet
    .venv/bin/python bench/kpis_benchmark.py --data data/demo         # only the committed demo data (seconds)
    .venv/bin/python bench/kpis_benchmark.py --sizes 1000000 --repeat 1 --by none rep --modes warm
For each data folder and grouping (none = the whole company, team, region, manager, rep, segment, lead_source,
deal_type) it measures, each as the median of --repeat runs:
  - salesops kpis: the whole command `salesops kpis --period P --by G --format csv` in a fresh
    process, wall clock (interpreter start and imports included), with a warm cache of validated data (a second
    command on unchanged files) and with none (the first command on new files: it validates, then writes the
    cache); each run gets its own cache folder through SALESOPS_CACHE, so the project's .cache/ is left alone;
  - the same command in a fresh child process of this script (through cli.main, its functions wrapped with timers),
    split into imports, load (configuration, load_data and the command's period check), compute (kpi_table) and
    output (the CSV written to memory);
  - DuckDB: the same KPIs in SQL straight from the same files (opportunities, reps, quotas, opportunity_history), a
    fresh connection each run, in this process (so without interpreter start or imports).
It then checks that the command's CSV and DuckDB's figures agree (counts exactly, everything else to a relative
1e-9, missing equals missing) and prints every disagreement. Generated companies are cached in bench/out/
(git-ignored, shared with load_benchmark.py).
The SQL mirrors the loader's repairs that change figures (trimmed text, stage names matched ignoring case and
spacing, a missing amount counted as 0, a close date before the created date moving the created date, quota months
read as the month they fall in, repeated quota rows and quotas or history rows of unknown reps or deals left out);
it does not drop repeated opportunity rows, so it assumes data that `salesops check` accepts without such warnings.
Target (issue "Enterprise-sized data must stay interactive"): the whole `salesops kpis` command under 5 s for every
grouping on a 1M-opportunity company as Parquet, reported against DuckDB as the practical limit for such scans.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_benchmark import OUT, company  # noqa: E402 - the same cached demo companies as the load benchmark

GROUPINGS = ("none", "team", "region", "manager", "rep", "segment", "lead_source", "deal_type")
TARGET_S = 5.0
TARGET_SIZE = 1_000_000
REL_TOL = 1e-9
EXACT = ("won_deals", "lost_deals")  # counts: equal or wrong
STEPS = ("import_s", "load_s", "compute_s", "output_s")
CACHE_ENV = "SALESOPS_CACHE"  # where salesops_helpers.data.cache keeps validated data folders
MODES = ("warm", "cold")  # warm: a second command on unchanged files; cold: the first, with no cache entry yet


def by_args(grouping: str) -> list[str]:
    """The --by arguments of a grouping (none: the whole company)."""
    return [] if grouping == "none" else ["--by", grouping]


# ---------------------------------------------------------------------------------------------------------------
# salesops kpis: the whole command, and its steps timed in a child process


def child(folder: str, grouping: str, period_label: str, config_path: str) -> None:
    """Run `salesops kpis` in this process with its steps timed, and print the measurements as JSON.

    The command runs through cli.main exactly as from the shell; load_data, kpi_table and the output function are
    wrapped with timers, so the split follows whatever the command does (such as the tables it skips).
    """
    started = time.perf_counter()
    from salesops_helpers.calendar import periods  # noqa: F401 - what kpis imports
    from salesops_helpers.cli import main as cli
    from salesops_helpers.data import loading
    from salesops_helpers.metrics import catalogue, table  # noqa: F401

    imported = time.perf_counter()
    marks: dict[str, float] = {}
    rows: list[int] = []

    def timed(module: object, name: str) -> None:
        function = getattr(module, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            marks.setdefault(f"{name}_start", time.perf_counter())  # the outermost call, when one calls another
            result = function(*args, **kwargs)
            marks[f"{name}_end"] = time.perf_counter()
            if name == "kpi_table":
                rows.append(len(result.values))
            return result

        setattr(module, name, wrapper)

    from salesops_helpers.cli import kpis as kpis_command

    timed(loading, "load_data")
    timed(loading, "cached_tables")
    timed(table, "kpi_table")
    timed(kpis_command, "_print_kpis")
    command = ["kpis", "--period", period_label, *by_args(grouping), "--format", "csv", "--data", folder]
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main([*command, "--config", config_path])
    finished = time.perf_counter()
    if code != 0 or not rows:
        raise SystemExit(f"salesops {' '.join(command)} failed with exit code {code}")
    print(
        json.dumps(
            {
                "import_s": imported - started,
                # configuration, load_data and the command's check of the period against the data
                "load_s": marks["kpi_table_start"] - imported,
                # a warm run finds the cached tables and loads no frame (load_data is not called)
                "load_data_s": marks.get("load_data_end", 0.0) - marks.get("load_data_start", 0.0),
                "compute_s": marks["kpi_table_end"] - marks["kpi_table_start"],
                "output_s": finished - marks["kpi_table_end"],
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "rows": rows[0],
            }
        )
    )


@contextlib.contextmanager
def cache_for(mode: str, folder: Path) -> Iterator[dict[str, str]]:
    """The environment of one run: its own cache of validated data, warm (kept per data folder) or cold (empty)."""
    if mode == "warm":
        yield {**os.environ, CACHE_ENV: str(OUT / "kpis-cache" / folder.name)}
        return
    OUT.mkdir(parents=True, exist_ok=True)
    empty = tempfile.mkdtemp(prefix="kpis-cold-cache-", dir=OUT)
    try:
        yield {**os.environ, CACHE_ENV: empty}
    finally:
        shutil.rmtree(empty, ignore_errors=True)


def run_command(folder: Path, grouping: str, period: str, config: Path, env: dict[str, str]) -> tuple[float, str]:
    """The whole `salesops kpis` command in a fresh process: wall-clock seconds and its CSV output."""
    command = [sys.executable, "-m", "salesops_helpers.cli", "kpis", "--period", period, *by_args(grouping)]
    command += ["--format", "csv", "--data", str(folder), "--config", str(config)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"`{' '.join(command)}` failed ({result.returncode}):\n{result.stderr}")
    return elapsed, result.stdout


def run_child(folder: Path, grouping: str, period: str, config: Path, env: dict[str, str]) -> dict:
    """The command's steps, timed in a fresh child process of this script."""
    command = [sys.executable, __file__, "--child", str(folder), "--by", grouping, "--period", period]
    command += ["--config", str(config)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - started
    steps = json.loads(result.stdout)
    steps["overhead_s"] = elapsed - sum(steps[key] for key in STEPS)  # interpreter start-up and exit
    return steps


# ---------------------------------------------------------------------------------------------------------------
# DuckDB: the same figures in SQL, straight from the files


def quoted(text: str) -> str:
    """text as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


class Sources:
    """SQL expressions reading the canonical columns of the data folder's files, typed as the loader types them."""

    def __init__(self, con: object, folder: Path) -> None:
        from salesops_helpers.data.model import TABLES_BY_NAME
        from salesops_helpers.data.reading import table_file

        self.con = con
        self.scans: dict[str, str] = {}
        self.types: dict[str, dict[str, str]] = {}
        for name in ("opportunities", "reps", "quotas", "opportunity_history"):
            path = table_file(folder, TABLES_BY_NAME[name])
            if path is None:
                continue
            if path.suffix == ".parquet":
                self.scans[name] = f"read_parquet({quoted(str(path))}, file_row_number = true)"
            else:  # a CSV has no row number to read: a table keeps the file's order in its rowid
                con.execute(  # type: ignore[attr-defined]
                    f"CREATE TEMP TABLE csv_{name} AS SELECT * FROM read_csv({quoted(str(path))}, all_varchar = true)"
                )
                self.scans[name] = f"(SELECT rowid AS file_row_number, * FROM csv_{name})"
            described = con.execute(f"DESCRIBE SELECT * FROM {self.scans[name]}").fetchall()  # type: ignore[attr-defined]
            self.types[name] = {row[0].strip().lower(): row[1] for row in described}

    def column(self, table: str, name: str, kind: str) -> str:
        """One canonical column of table as kind (text, day, moment or amount); NULL when the file lacks it."""
        found = next((raw for raw in self.types[table] if raw == name), None)
        if found is None:
            return {"day": "NULL::DATE", "moment": "NULL::TIMESTAMP", "amount": "NULL::DOUBLE"}.get(kind, "NULL")
        sql_type, column = self.types[table][found], f'"{found}"'
        text = column if sql_type == "VARCHAR" else f"CAST({column} AS VARCHAR)"
        if kind == "text":
            return f"NULLIF(trim({text}), '')"
        if kind == "amount":
            return column if sql_type == "DOUBLE" else f"CAST(NULLIF(trim({text}), '') AS DOUBLE)"
        if kind == "day":
            if sql_type == "DATE" or sql_type.startswith("TIMESTAMP"):
                return f"CAST({column} AS DATE)"
            return f"CAST(left(NULLIF(trim({text}), ''), 10) AS DATE)"
        if sql_type.startswith("TIMESTAMP"):
            return column
        return f"CAST(NULLIF(trim({text}), '') AS TIMESTAMP)"


def create_views(con: object, folder: Path, stages: list[tuple[str, str, float]], quota_file: bool) -> None:
    """Views opps, reps, quotas and history over the folder's files (history empty when there is no such file)."""
    sources = Sources(con, folder)
    stage_rows = ", ".join(
        f"({quoted(name)}, {quoted(' '.join(name.split()).casefold())}, {quoted(outcome)}, {probability!r})"
        for name, outcome, probability in stages
    )
    statements = [
        # The configured stages, passed in as a small table.
        f"CREATE TEMP TABLE stages AS SELECT * FROM (VALUES {stage_rows}) AS t(name, folded, outcome, probability)",
    ]

    def stage_map(table: str) -> str:
        stage = sources.column(table, "stage", "text")
        return (
            f"(SELECT raw, s.name, s.outcome, s.probability FROM (SELECT DISTINCT {stage} AS raw "
            f"FROM {sources.scans[table]}) JOIN stages s ON s.folded = lower(regexp_replace(raw, '\\s+', ' ', 'g')))"
        )

    c = sources.column
    statements.append(
        f"""CREATE TEMP VIEW reps AS SELECT DISTINCT
            {c("reps", "rep_id", "text")} AS rep_id,
            coalesce({c("reps", "name", "text")}, {c("reps", "rep_id", "text")}) AS name,
            coalesce({c("reps", "team", "text")}, 'Unassigned') AS team,
            coalesce({c("reps", "region", "text")}, '(not set)') AS region,
            coalesce({c("reps", "manager", "text")}, '(not set)') AS manager
        FROM {sources.scans["reps"]}"""
    )
    opp = "opportunities"
    statements.append(
        f"""CREATE TEMP VIEW opps AS
        SELECT opportunity_id, owner_id,
            CASE WHEN close_date < created_date THEN close_date ELSE created_date END AS created_date,
            close_date, s.name AS stage, s.outcome, s.probability, coalesce(amount, 0.0) AS amount,
            segment, lead_source, deal_type
        FROM (
            SELECT {c(opp, "opportunity_id", "text")} AS opportunity_id, {c(opp, "owner_id", "text")} AS owner_id,
                {c(opp, "created_date", "day")} AS created_date, {c(opp, "close_date", "day")} AS close_date,
                {c(opp, "stage", "text")} AS raw_stage, {c(opp, "amount", "amount")} AS amount,
                {c(opp, "segment", "text")} AS segment, {c(opp, "lead_source", "text")} AS lead_source,
                {c(opp, "deal_type", "text")} AS deal_type
            FROM {sources.scans[opp]}
        ) o LEFT JOIN {stage_map(opp)} s ON s.raw = o.raw_stage"""
    )
    if quota_file and "quotas" in sources.scans:
        statements.append(
            f"""CREATE TEMP VIEW quotas AS
            SELECT DISTINCT q.* FROM (
                SELECT {c("quotas", "rep_id", "text")} AS rep_id,
                    date_trunc('month', {c("quotas", "period_start", "day")}) AS period_start,
                    {c("quotas", "quota", "amount")} AS quota
                FROM {sources.scans["quotas"]}
            ) q SEMI JOIN reps r ON r.rep_id = q.rep_id"""
        )
    history = "opportunity_history"
    if history in sources.scans:
        statements.append(
            f"""CREATE TEMP VIEW history AS
            SELECT h.opportunity_id, h.changed_at, h.file_row_number, s.name AS stage, s.outcome, s.probability,
                h.amount, h.close_date
            FROM (
                SELECT {c(history, "opportunity_id", "text")} AS opportunity_id,
                    {c(history, "changed_at", "moment")} AS changed_at, file_row_number,
                    {c(history, "stage", "text")} AS raw_stage, {c(history, "amount", "amount")} AS amount,
                    {c(history, "close_date", "day")} AS close_date
                FROM {sources.scans[history]}
            ) h LEFT JOIN {stage_map(history)} s ON s.raw = h.raw_stage"""
        )
    else:  # no history table: no deal has a saved change
        statements.append(
            """CREATE TEMP VIEW history AS SELECT NULL::VARCHAR AS opportunity_id, NULL::TIMESTAMP AS changed_at,
                NULL::BIGINT AS file_row_number, NULL::VARCHAR AS stage, NULL::VARCHAR AS outcome,
                NULL::DOUBLE AS probability, NULL::DOUBLE AS amount, NULL::DATE AS close_date WHERE false"""
        )
    for statement in statements:
        con.execute(statement)  # type: ignore[attr-defined]


def key_columns(grouping: str) -> list[str]:
    """The group columns of a grouping's KPI table (internally _all for the whole company)."""
    return {"none": ["_all"], "rep": ["rep_id", "rep"]}.get(grouping, [grouping])


def key_sql(grouping: str, owner: str) -> str:
    """SQL for the group columns of a row, from its owner column, the owner's rep row r and the deal row o."""
    if grouping == "none":
        return "'All' AS _all"
    if grouping == "rep":
        return f"{owner} AS rep_id, coalesce(r.name, {owner}) AS rep"
    if grouping in ("team", "region", "manager"):
        return f"CASE WHEN r.rep_id IS NULL THEN 'Unassigned' ELSE r.{grouping} END AS {grouping}"
    return f"coalesce(o.{grouping}, '(not set)') AS {grouping}"


def day(value: object) -> str:
    """A day as an SQL DATE literal."""
    return f"DATE '{value:%Y-%m-%d}'"


def kpi_sql(grouping: str, start: object, end: object, with_quotas: bool) -> str:
    """One query: every KPI for the period, one row per group."""
    import pandas as pd

    keys = ", ".join(key_columns(grouping))
    start_eve = pd.Timestamp(start) - pd.Timedelta(days=1)  # open at the start = open at the end of the day before
    in_period = f"BETWEEN {day(start)} AND {day(end)}"
    ctes = [
        f"""deals AS (
            SELECT o.opportunity_id, o.owner_id, o.created_date, o.close_date, o.outcome, o.probability, o.amount,
                date_diff('day', o.created_date, o.close_date) AS cycle_days, {key_sql(grouping, "o.owner_id")}
            FROM opps o LEFT JOIN reps r ON r.rep_id = o.owner_id)""",
        f"""won AS (
            SELECT {keys}, count(*) AS won_deals, sum(amount) AS won_amount, median(amount) AS won_amount_median,
                median(cycle_days::DOUBLE) AS cycle_days_median
            FROM deals WHERE outcome = 'won' AND close_date {in_period} GROUP BY ALL)""",
        f"""lost AS (
            SELECT {keys}, count(*) AS lost_deals, sum(amount) AS lost_amount
            FROM deals WHERE outcome = 'lost' AND close_date {in_period} GROUP BY ALL)""",
        f"""created AS (
            SELECT {keys}, count(*) AS created_deals, sum(amount) AS created_amount
            FROM deals WHERE created_date {in_period} GROUP BY ALL)""",
    ]
    # What each deal's history had saved by the end of each day: whether anything, and the last value saved of each
    # field (ties in time: the later row in the file; a blank field keeps the value saved before it).
    days = {"end": end + pd.Timedelta(days=1), "start": pd.Timestamp(start)}  # saved before these midnights
    stage = "{'stage': stage, 'outcome': outcome, 'probability': probability}"
    order = "(epoch_us(changed_at)::HUGEINT * 4294967296 + file_row_number)"  # time, then the row in the file
    fields = []
    for name, cutoff in days.items():
        saved = f"changed_at < {day(cutoff)}"
        fields += [
            f"bool_or({saved}) AS {name}_seen",
            f"arg_max({stage}, {order}) FILTER (WHERE {saved} AND stage IS NOT NULL) AS {name}_stage",
            f"arg_max(amount, {order}) FILTER (WHERE {saved}) AS {name}_amount",
            f"arg_max(close_date, {order}) FILTER (WHERE {saved}) AS {name}_close",
        ]
    ctes.append(f"seen AS (SELECT opportunity_id, {', '.join(fields)} FROM history GROUP BY opportunity_id)")
    ctes.append(
        f"""state AS (
            SELECT d.*, s.* EXCLUDE (opportunity_id) FROM deals d LEFT JOIN seen s USING (opportunity_id)
            WHERE d.created_date <= {day(end)})"""
    )
    for name, when in (("end", end), ("start", start_eve)):
        # A deal won or lost now with a close date by the day is closed that day, whatever the history says. Any
        # other deal with a saved change by then takes the stage, amount and close date saved last (the current
        # amount and close date when none was saved); one without takes its current values, and counts when open
        # now or closed after the day (stage unknown).
        seen = f"coalesce({name}_seen, false)"
        ctes.append(
            f"""open_{name} AS (
            SELECT {keys},
                CASE WHEN {seen} THEN coalesce({name}_amount, amount) ELSE amount END AS amount_then,
                CASE WHEN {seen} THEN coalesce({name}_close, close_date) ELSE close_date END AS close_then,
                coalesce(CASE WHEN {seen} THEN {name}_stage.outcome ELSE outcome END = 'open', false) AS still_open,
                CASE WHEN {seen} THEN {name}_stage.probability ELSE probability END AS probability_then,
                NOT {seen} AS unseen, close_date
            FROM state WHERE created_date <= {day(when)}
                AND NOT coalesce(outcome <> 'open' AND close_date <= {day(when)}, false))"""
        )
    # The weighted pipeline is missing when any open deal's stage that day is unknown (a partial sum would mislead).
    ctes.append(
        f"""end_part AS (
            SELECT {keys}, count(*) AS open_end_deals, sum(amount_then) AS open_end_amount,
                CASE WHEN bool_and(still_open) THEN sum(amount_then * probability_then) END AS open_end_weighted
            FROM open_end WHERE still_open OR (unseen AND close_date > {day(end)}) GROUP BY ALL)"""
    )
    ctes.append(
        f"""start_part AS (
            SELECT {keys}, count(*) AS open_start_deals,
                sum(CASE WHEN close_then {in_period} THEN amount_then ELSE 0.0 END) AS due_start_amount
            FROM open_start WHERE still_open OR (unseen AND close_date > {day(start_eve)}) GROUP BY ALL)"""
    )
    parts = ["won", "lost", "created", "end_part", "start_part"]
    if with_quotas:
        ctes.append(
            f"""per_rep AS (
            SELECT q.rep_id, sum(q.quota) AS quota, coalesce(any_value(b.booked), 0.0) AS booked
            FROM quotas q LEFT JOIN (
                SELECT owner_id, sum(amount) AS booked FROM deals
                WHERE outcome = 'won' AND close_date {in_period} GROUP BY owner_id
            ) b ON b.owner_id = q.rep_id
            WHERE q.period_start {in_period} GROUP BY q.rep_id)"""
        )
        ctes.append(
            f"""quota_part AS (
            SELECT {keys}, sum(quota) AS quota, sum(CASE WHEN quota > 0 THEN 1 ELSE 0 END) AS reps_with_quota,
                sum(CASE WHEN quota > 0 AND booked >= quota THEN 1 ELSE 0 END) AS reps_at_quota
            FROM (SELECT p.*, {key_sql(grouping, "p.rep_id")} FROM per_rep p LEFT JOIN reps r ON r.rep_id = p.rep_id)
            GROUP BY ALL)"""
        )
        parts.append("quota_part")
    union = " UNION ALL BY NAME ".join(f"SELECT * FROM {part}" for part in parts)
    quota_columns = "max(quota)::DOUBLE AS quota, max(reps_with_quota)::DOUBLE AS reps_with_quota, "
    quota_columns += "max(reps_at_quota)::DOUBLE AS reps_at_quota"
    if not with_quotas:
        quota_columns = "NULL::DOUBLE AS quota, NULL::DOUBLE AS reps_with_quota, NULL::DOUBLE AS reps_at_quota"
    ctes.append(
        f"""totals AS (
            SELECT {keys},
                coalesce(max(won_deals), 0)::DOUBLE AS won_deals, coalesce(max(won_amount), 0.0) AS won_amount,
                max(won_amount_median) AS won_amount_median, max(cycle_days_median) AS cycle_days_median,
                coalesce(max(lost_deals), 0)::DOUBLE AS lost_deals, coalesce(max(lost_amount), 0.0) AS lost_amount,
                coalesce(max(created_amount), 0.0) AS created_amount,
                coalesce(max(open_end_amount), 0.0) AS open_end_amount, max(open_end_weighted) AS open_end_weighted,
                coalesce(max(open_start_deals), 0)::DOUBLE AS open_start_deals,
                coalesce(max(due_start_amount), 0.0) AS due_start_amount, {quota_columns}
            FROM ({union}) GROUP BY ALL)"""
    )

    def ratio(numerator: str, denominator: str) -> str:
        return f"CASE WHEN ({denominator}) > 0 THEN ({numerator}) / ({denominator}) END"

    win_rate = ratio("won_deals", "won_deals + lost_deals")
    avg_deal_size = ratio("won_amount", "won_deals")
    cycle_days = "CASE WHEN cycle_days_median IS NOT NULL THEN greatest(cycle_days_median, 1) END"  # at least a day
    select = f"""
        SELECT {keys},
            won_amount AS bookings, won_deals, lost_deals,
            {win_rate} AS win_rate,
            {ratio("won_amount", "won_amount + lost_amount")} AS win_rate_value,
            {avg_deal_size} AS avg_deal_size,
            won_amount_median AS median_deal_size,
            cycle_days_median AS sales_cycle_days,
            created_amount AS pipeline_created,
            open_end_amount AS open_pipeline,
            open_end_weighted AS weighted_pipeline,
            {ratio("due_start_amount", "quota")} AS coverage,
            {ratio(f"open_start_deals * ({win_rate}) * ({avg_deal_size})", cycle_days)} AS velocity,
            quota,
            {ratio("won_amount", "quota")} AS attainment,
            {ratio("reps_at_quota", "reps_with_quota")} AS reps_at_quota
        FROM totals ORDER BY {keys}"""
    return "WITH " + ",\n".join(ctes) + select


def duckdb_kpis(folder: Path, grouping: str, period: object, config: object) -> object:
    """Every KPI for the period and grouping, computed by DuckDB from the files on a fresh connection."""
    import duckdb

    stages = [(s.name, s.outcome, s.probability) for s in config.stages]  # type: ignore[attr-defined]
    source = config.quotas.source  # type: ignore[attr-defined]
    if source == "flat":
        raise SystemExit("the SQL side does not mirror flat quotas (quotas.source: flat); use a quotas file")
    con = duckdb.connect()
    try:
        create_views(con, folder, stages, quota_file=source == "file")
        with_quotas = grouping in ("none", "team", "region", "manager", "rep") and source == "file"
        sql = kpi_sql(grouping, period.start, period.end, with_quotas)  # type: ignore[attr-defined]
        values = con.execute(sql).df()
    finally:
        con.close()
    return values.drop(columns="_all") if grouping == "none" else values


# ---------------------------------------------------------------------------------------------------------------
# Comparison


def compare(grouping: str, command_csv: str, sql_values: object) -> list[str]:
    """Where the command's figures and DuckDB's differ, one line each (empty when they agree)."""
    import pandas as pd

    from salesops_helpers.metrics.catalogue import METRICS

    keys = [] if grouping == "none" else key_columns(grouping)
    ours = pd.read_csv(io.StringIO(command_csv), dtype={k: "object" for k in keys}, keep_default_na=False)
    ours = ours.replace("", float("nan"))
    theirs = sql_values.copy()  # type: ignore[attr-defined]
    problems = []
    missing = [m.key for m in METRICS if m.key not in theirs.columns]
    if missing:
        problems.append(f"not computed in SQL: {', '.join(missing)}")
    if keys:
        for frame in (ours, theirs):
            for key in keys:
                frame[key] = frame[key].astype("object").where(frame[key].notna(), "<missing>").astype(str)
        merged = ours.merge(theirs, on=keys, how="outer", suffixes=("", "_sql"), indicator=True)
        for side, name in (("left_only", "salesops kpis"), ("right_only", "DuckDB")):
            for row in merged.loc[merged["_merge"] == side, keys].itertuples(index=False):
                problems.append(f"group {tuple(row)} only in the {name} figures")
        merged = merged[merged["_merge"] == "both"]
    else:
        merged = ours.merge(theirs, left_index=True, right_index=True, suffixes=("", "_sql"))
    for metric in (m.key for m in METRICS if m.key in theirs.columns):
        for _, row in merged.iterrows():
            a, b = float(row[metric]), float(row[f"{metric}_sql"])
            if math.isnan(a) and math.isnan(b):
                continue
            same = a == b if metric in EXACT else math.isclose(a, b, rel_tol=REL_TOL, abs_tol=0.0)
            if not same:
                where = ", ".join(f"{k}={row[k]}" for k in keys) or "company"
                problems.append(f"{metric} [{where}]: salesops kpis {a!r}, DuckDB {b!r}")
    return problems


# ---------------------------------------------------------------------------------------------------------------


def measure(folder: Path, grouping: str, args: argparse.Namespace, config: object, period: object) -> dict:
    """Median times of the command (warm and cold cache), its steps and DuckDB, and whether the figures agree."""
    result: dict = {}
    outputs = []
    for mode in args.modes:
        walls, steps = [], []
        for _ in range(args.repeat):
            with cache_for(mode, folder) as env:
                elapsed, output = run_command(folder, grouping, args.period, args.config, env)
            walls.append(elapsed)
            outputs.append(output)
            with cache_for(mode, folder) as env:
                steps.append(run_child(folder, grouping, args.period, args.config, env))
        result[mode] = {key: statistics.median(s[key] for s in steps) for key in (*STEPS, "overhead_s")}
        result[mode]["wall_s"] = statistics.median(walls)
        result[mode]["peak_mb"] = max(s["peak_mb"] for s in steps)
        result["groups"] = steps[0]["rows"]
    duck = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        values = duckdb_kpis(folder, grouping, period, config)
        duck.append(time.perf_counter() - started)
    result["duckdb_s"] = statistics.median(duck)
    result["problems"] = compare(grouping, outputs[0], values)
    result["same_output"] = len(set(outputs)) == 1
    return result


def verdict(results: dict, mode: str, what: str) -> str:
    """One line: whether every grouping met the target in a mode, with the slowest against DuckDB."""
    slowest = max(results, key=lambda g: results[g][mode]["wall_s"])
    worst = results[slowest]
    wall, duck = worst[mode]["wall_s"], worst["duckdb_s"]
    met = "MET" if all(r[mode]["wall_s"] < TARGET_S for r in results.values()) else "NOT MET"
    return f"- {what}: **{met}**; slowest {wall:.2f} s ({slowest}), {wall / duck:.0f}× DuckDB's {duck:.3f} s."


def run_folder(label: str, folder: Path, args: argparse.Namespace, at_target_size: bool) -> list[str]:
    """Benchmark one data folder and print its tables; returns the disagreements found."""
    import duckdb
    import pyarrow.parquet as pq

    from salesops_helpers.calendar.fiscal import FiscalCalendar
    from salesops_helpers.config import load_config

    config = load_config(args.config)
    period = FiscalCalendar.from_config(config).parse(args.period)
    opportunities = folder / "opportunities.parquet"
    count = pq.ParquetFile(opportunities).metadata.num_rows if opportunities.is_file() else None
    size = f"{count:,} opportunities in the file" if count is not None else "CSV"
    print(f"\n### {label} ({size}), {period.label} ({period.start:%Y-%m-%d} to {period.end:%Y-%m-%d})\n")
    threads = duckdb.connect().execute("SELECT current_setting('threads')").fetchone()[0]
    print(f"Median of {args.repeat} run(s); {os.cpu_count()} CPU(s); DuckDB {duckdb.__version__}, {threads} threads.")
    if "warm" in args.modes:
        with cache_for("warm", folder) as env:  # one untimed run fills the warm cache (the grouping plays no part)
            run_command(folder, "none", args.period, args.config, env)
        if not any(Path(env[CACHE_ENV]).rglob("entry.json")):
            print("(salesops kept no cache of validated data here: warm runs are first runs too.)")
    main_mode = args.modes[0]
    cold = "cold" in args.modes and main_mode != "cold"
    state = {"warm": "a warm cache (a second command on unchanged files)", "cold": "no cache entry (a first command)"}
    print(f"\nsalesops kpis with {state[main_mode]}; ratio = salesops kpis ÷ DuckDB.\n")
    print(
        "| grouping | groups | salesops kpis (s) | of which load / compute | "
        + ("first run, no cache (s) | " if cold else "")
        + "DuckDB (s) | ratio |"
    )
    print("|---|---:|---:|---:|" + ("---:|" if cold else "") + "---:|---:|")
    results = {}
    for grouping in args.by:
        print(f"  {label}: {grouping} ...", file=sys.stderr, flush=True)
        m = results[grouping] = measure(folder, grouping, args, config, period)
        w = m[main_mode]
        print(
            f"| {'company' if grouping == 'none' else grouping} | {m['groups']:,} | {w['wall_s']:.2f} | "
            f"{w['load_s']:.2f} / {w['compute_s']:.2f} | "
            + (f"{m['cold']['wall_s']:.2f} | " if cold else "")
            + f"{m['duckdb_s']:.3f} | {w['wall_s'] / m['duckdb_s']:.0f}× |",
            flush=True,
        )
    scope = "" if at_target_size else f" (the target is set for {TARGET_SIZE:,} opportunities; shown for reference)"
    print(f"\nTarget: the whole `salesops kpis` under {TARGET_S:.0f} s for every grouping{scope}:")
    if "warm" in args.modes:
        print(verdict(results, "warm", "a second command on unchanged files (warm cache)"))
    if "cold" in args.modes:
        print(verdict(results, "cold", "the first command on new files (no cache entry; validates and caches)"))
    split = " / ".join(args.modes)
    columns = f"imports | load ({split}) | compute (kpi_table) | output | start-up + exit | peak memory ({split})"
    print(f"\n| grouping | {columns} | figures |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    problems: list[str] = []
    for grouping, m in results.items():
        agree = "agree" if not m["problems"] else f"**{len(m['problems'])} disagreement(s)**"
        if not m["same_output"]:
            agree += "; the command's output changed between runs"
        w = m[main_mode]
        loads = " / ".join(f"{m[mode]['load_s']:.2f}" for mode in args.modes)
        peaks = " / ".join(f"{m[mode]['peak_mb']:,.0f}" for mode in args.modes)
        print(
            f"| {'company' if grouping == 'none' else grouping} | {w['import_s']:.2f} | {loads} | "
            f"{w['compute_s']:.2f} | {w['output_s']:.3f} | {w['overhead_s']:.2f} | {peaks} MB | {agree} |"
        )
        problems += [f"{label}, {grouping}: {p}" for p in m["problems"]]
    return problems


def main() -> None:
    """Run the benchmark and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", help="demo companies of these sizes as Parquet (default 1M)")
    parser.add_argument("--data", type=Path, nargs="*", help="data folders (default: the demo data, with --sizes)")
    parser.add_argument("--by", nargs="+", choices=GROUPINGS, default=list(GROUPINGS), help="groupings (all)")
    parser.add_argument("--period", default="FY2027 Q3", help="the period (default FY2027 Q3)")
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "workbook.yml", help="workbook config YAML")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--modes", nargs="+", choices=MODES, default=list(MODES), help="cache states to time, the first one in full"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # before anything imports the package, so that its imports are timed
        child(args.child, args.by[0], args.period, str(args.config))
        return
    from salesops_helpers.paths import DEMO_DATA

    if args.sizes is None and args.data is None:
        args.sizes, args.data = [TARGET_SIZE], [DEMO_DATA]
    cases = [(str(folder), Path(folder).resolve(), False) for folder in args.data or []]
    cases += [(f"demo company, {n:,} opportunities", company(n, "parquet"), n >= TARGET_SIZE) for n in args.sizes or []]
    problems = []
    for label, folder, at_target_size in cases:
        problems += run_folder(label, folder, args, at_target_size)
    print()
    if problems:
        print(f"**The figures disagree in {len(problems)} place(s)** (salesops kpis against DuckDB):")
        for problem in problems:
            print(f"- {problem}")
    else:
        print("Every figure of `salesops kpis` equals DuckDB's (counts exactly, amounts and ratios to 1e-9).")


if __name__ == "__main__":
    main()
