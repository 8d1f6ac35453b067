"""The KPI totals of a period in SQL, run by DuckDB over the canonical tables: the engine under period_totals.

The tables are the validated ones (loading has already converted currencies, filled missing amounts with 0 and
sorted the history); DuckDB reads them where they are, from the loaded frames through Arrow, without a copy of the
data. Each total is one grouped statement whose rules are those written in metrics/totals.py; the few rows they
return (one per group) are put together there.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.data.mapping.sql import quoted_text
from salesops_helpers.data.warehouse import WarehouseTables
from salesops_helpers.metrics.groupings import DEAL_GROUPINGS, NOT_SET, REP_GROUPINGS, group_columns

if TYPE_CHECKING:
    from pathlib import Path

    import duckdb

    from salesops_helpers.calendar.fiscal import Period
    from salesops_helpers.data.cache import StoredTables


@dataclass(frozen=True)
class _Connection:
    """A DuckDB connection with one SalesData's tables registered (kept while that SalesData lives)."""

    data: weakref.ref  # the SalesData or StoredTables it was made for
    connection: duckdb.DuckDBPyConnection
    has_history: bool
    states: dict[pd.Timestamp, str]  # day -> the table of the deals open at its end, made once per day


# The most days whose open deals a connection keeps as tables (a series of months asks for each month end twice).
MOST_STATES = 32


_OPEN: list[_Connection] = []


def connection(data: SalesData | StoredTables) -> tuple[duckdb.DuckDBPyConnection, bool]:
    """A connection that sees data's tables as opportunities, reps, quotas, history (with each row's position) and
    stages (the configured outcome and probability of each stage), and whether the history has rows; one per
    source, reused while it is the last one asked for. The source is loaded frames or a cached load's Parquet files,
    which DuckDB then reads where they are."""
    if _OPEN and _OPEN[0].data() is data:
        return _OPEN[0].connection, _OPEN[0].has_history
    import duckdb

    con = duckdb.connect()
    has_history = _register_frames(con, data) if isinstance(data, SalesData) else _register_files(con, data)
    outcome, probability = data.config.stage_outcome(), data.config.stage_probability()
    stages = pd.DataFrame(
        {
            "stage": list(outcome),
            "outcome": list(outcome.values()),
            "probability": [probability.get(stage) for stage in outcome],
        }
    )
    con.register("stages", stages.astype({"probability": "float64"}))
    _OPEN[:] = [_Connection(weakref.ref(data), con, has_history, {})]
    return con, has_history


def _register_frames(con: duckdb.DuckDBPyConnection, data: SalesData) -> bool:
    """The loaded frames as the engine's tables; whether the history has rows."""
    opps = data.opportunities
    columns = ["opportunity_id", "owner_id", "created_date", "close_date", "stage", "amount", "outcome"]
    columns += [key for key in DEAL_GROUPINGS if key in opps.columns]
    con.register("opportunities", opps[columns])
    con.register("reps", data.reps[["rep_id", "name", "team", "region", "manager"]])
    quotas = data.quotas if data.quotas is not None else pd.DataFrame({"rep_id": [], "period_start": [], "quota": []})
    con.register("quotas", quotas.astype({"period_start": "datetime64[ns]", "quota": "float64"}))
    history = data.history
    if history is None or history.empty:
        return False
    fields = {column: history[column] for column in ("amount", "close_date") if column in history.columns}
    frame = pd.DataFrame(
        {
            "opportunity_id": history["opportunity_id"],
            "changed_at": history["changed_at"],
            "stage": history["stage"],
            "amount": fields.get("amount", pd.Series(np.nan, index=history.index)),
            "close_date": fields.get("close_date", pd.Series(pd.NaT, index=history.index, dtype="datetime64[ns]")),
            "row_number": np.arange(len(history)),
        },
        copy=False,
    )
    con.register("history", frame)
    return True


def _register_files(con: duckdb.DuckDBPyConnection, stored: StoredTables) -> bool:
    """A cached load's Parquet files as the engine's tables (views: DuckDB reads only what a statement needs);
    whether the history has rows."""
    con.execute(f"CREATE VIEW opportunities AS SELECT * FROM read_parquet({_literal(stored.opportunities)})")
    con.execute(
        f"CREATE VIEW reps AS SELECT rep_id, name, team, region, manager FROM read_parquet({_literal(stored.reps)})"
    )
    if stored.quotas is not None:
        con.execute(
            "CREATE VIEW quotas AS SELECT rep_id, CAST(period_start AS TIMESTAMP) AS period_start, "
            f"CAST(quota AS DOUBLE) AS quota FROM read_parquet({_literal(stored.quotas)})"
        )
    else:
        con.execute("CREATE TABLE quotas (rep_id VARCHAR, period_start TIMESTAMP, quota DOUBLE)")
    if stored.history is None:
        return False
    source = f"read_parquet({_literal(stored.history)}, file_row_number = true)"
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    amount = "amount" if "amount" in present else "CAST(NULL AS DOUBLE) AS amount"
    close = "close_date" if "close_date" in present else "CAST(NULL AS TIMESTAMP) AS close_date"
    con.execute(
        f"CREATE VIEW history AS SELECT opportunity_id, changed_at, stage, {amount}, {close}, "
        f"file_row_number AS row_number FROM {source}"
    )
    return bool(con.execute("SELECT count(*) FROM history").fetchall()[0][0])


def _literal(path: Path) -> str:
    """A file path as an SQL string literal."""
    return "'" + str(path).replace("'", "''") + "'"


def data_span(data: SalesData | StoredTables | WarehouseTables) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first day a deal was created, and the day the data stands on (SalesData.as_of)."""
    if isinstance(data, SalesData):
        return data.opportunities["created_date"].min(), data.as_of
    if isinstance(data, WarehouseTables):
        first = data.fetch("SELECT min(created_date) AS first FROM opportunities").iloc[0, 0]
        return pd.Timestamp(first), data.as_of
    con, _ = connection(data)
    ((first,),) = con.execute("SELECT min(created_date) FROM opportunities").fetchall()
    return pd.Timestamp(first), data.as_of


def _owner_keys(by: list[str], owner: str, reps: str = "r") -> list[str]:
    """SQL for the rep grouping columns of a row owned by `owner`, as totals.with_groups assigns them."""
    expressions = []
    for key in by:
        if key == "team":
            expressions.append(f"coalesce(CAST({reps}.team AS VARCHAR), '{quoted_text(UNKNOWN_TEAM)}') AS team")
        elif key in ("region", "manager"):
            known = f"coalesce(CAST({reps}.{key} AS VARCHAR), '{quoted_text(NOT_SET)}')"
            unknown = f"'{quoted_text(UNKNOWN_TEAM)}'"
            expressions.append(f"CASE WHEN {reps}.rep_id IS NULL THEN {unknown} ELSE {known} END AS {key}")
        elif key == "rep":
            expressions.append(f"CAST({owner} AS VARCHAR) AS rep_id")
            expressions.append(f"coalesce(CAST({reps}.name AS VARCHAR), CAST({owner} AS VARCHAR)) AS rep")
    return expressions


def _keys(by: list[str]) -> list[str]:
    """The output's group columns (a rep by id and name), or the one constant group of the whole company."""
    return group_columns(by) or ["_all"]


def _deals_sql(by: list[str]) -> str:
    """Every deal with its group columns and its cycle in days."""
    rep_keys = _owner_keys([key for key in by if key in REP_GROUPINGS], "o.owner_id")
    deal_keys = [
        f"coalesce(CAST(o.{key} AS VARCHAR), '{quoted_text(NOT_SET)}') AS {key}" for key in by if key in DEAL_GROUPINGS
    ]
    selected = ", ".join(
        [
            "o.opportunity_id",
            "o.owner_id",
            "o.created_date",
            "o.close_date",
            "o.amount",
            "CAST(o.outcome AS VARCHAR) AS outcome",
            "date_diff('day', o.created_date, o.close_date) AS cycle_days",
            "'All' AS _all",
            *rep_keys,
            *deal_keys,
        ]
    )
    return f"SELECT {selected} FROM opportunities o LEFT JOIN reps r ON r.rep_id = o.owner_id"


def _existed(days: str) -> str:
    """The deals that existed at the end of each day `days` lists (a statement with a day column) and were not yet
    won or lost by then, each with its day."""
    return (
        f"SELECT a.day, o.* FROM opportunities o JOIN ({days}) AS a "
        "ON o.created_date <= a.day AND NOT (CAST(o.outcome AS VARCHAR) <> 'open' AND o.close_date <= a.day)"
    )


def _open_without_history(existed: str) -> str:
    """The deals open each day where there is no history: open now, or closed after the day (stage not known)."""
    return (
        "SELECT day, opportunity_id, owner_id, "
        "CASE WHEN CAST(outcome AS VARCHAR) = 'open' THEN CAST(stage AS VARCHAR) END AS stage, amount, close_date "
        f"FROM ({existed}) AS x WHERE CAST(outcome AS VARCHAR) = 'open' OR close_date > day"
    )


def _still_open(merged: str) -> str:
    """The deals open each day, from `merged` (each existing deal with its saved stage, amount and close date, and
    whether any change was saved by then): in an open stage, or closed later with no change saved by the day."""
    return (
        "SELECT m.day, m.opportunity_id, m.owner_id, "
        "CASE WHEN coalesce(g.outcome = 'open', false) THEN m.stage END AS stage, m.amount, m.close_date "
        f"FROM {merged} m LEFT JOIN stages g ON g.stage = m.stage "
        "WHERE coalesce(g.outcome = 'open', false) OR (NOT m.seen AND m.current_close > m.day)"
    )


def _state_sql(has_history: bool) -> str:
    """The deals open at the end of each day of the list $days (metrics.deal_state.open_deals_at in SQL, every day in
    one pass over the history): day, opportunity_id, owner_id, stage (NULL where unknown), amount and close_date."""
    existed = _existed("SELECT unnest($days) AS day")
    if not has_history:
        return _open_without_history(existed)
    # the last value saved for each field by the end of the day, by row position (history is in deal and time order),
    # read only for the deals that existed that day (most deals of a large company closed long before)
    saved = (
        "SELECT e.day, h.opportunity_id, "
        "arg_max(CAST(h.stage AS VARCHAR), h.row_number) FILTER (WHERE h.stage IS NOT NULL) AS stage, "
        "arg_max(h.amount, h.row_number) FILTER (WHERE h.amount IS NOT NULL) AS amount, "
        "arg_max(h.close_date, h.row_number) FILTER (WHERE h.close_date IS NOT NULL) AS close_date "
        "FROM history h JOIN existed e ON e.opportunity_id = h.opportunity_id "
        "AND h.changed_at < e.day + INTERVAL 1 DAY GROUP BY e.day, h.opportunity_id"
    )
    merged = (
        "SELECT e.day, e.opportunity_id, e.owner_id, s.opportunity_id IS NOT NULL AS seen, "
        "e.close_date AS current_close, "
        "CASE WHEN s.opportunity_id IS NOT NULL THEN s.stage ELSE CAST(e.stage AS VARCHAR) END AS stage, "
        "coalesce(s.amount, e.amount) AS amount, coalesce(s.close_date, e.close_date) AS close_date "
        "FROM existed e LEFT JOIN saved s ON s.opportunity_id = e.opportunity_id AND s.day = e.day"
    )
    # a deal with no change saved by then but closed later was open, in a stage not known
    # the deals that existed each day, named once: the history is read for them and they are joined to it
    return f"WITH existed AS ({existed}), saved AS ({saved}) {_still_open(f'({merged})')}"


def _portable_state_sql(has_history: bool, days: list[pd.Timestamp]) -> str:
    """_state_sql in SQL every warehouse dialect has: the last value of each field by window functions (PostgreSQL
    has no arg_max), the days literals (no list parameter), no temporary table; the day is the first column."""
    existed = _existed(" UNION ALL ".join(f"SELECT {_timestamp(day)} AS day" for day in days))
    if not has_history:
        return _open_without_history(existed)
    rows = (
        "SELECT e.day, h.opportunity_id, h.changed_at, h.row_number, CAST(h.stage AS VARCHAR) AS stage, h.amount, "
        "h.close_date FROM history h JOIN existed e ON e.opportunity_id = h.opportunity_id "
        "AND h.changed_at < e.day + INTERVAL 1 DAY"
    )

    def last(field: str) -> str:
        # the load sorts a moment's rows by the order column with empty values last: they are the latest
        order = "ORDER BY changed_at DESC, row_number DESC NULLS FIRST"
        return (
            f"SELECT day, opportunity_id, {field} FROM (SELECT day, opportunity_id, {field}, "
            f"row_number() OVER (PARTITION BY day, opportunity_id {order}) AS n FROM seen_rows "
            f"WHERE {field} IS NOT NULL) AS f WHERE n = 1"
        )

    def joined(alias: str, table: str) -> str:
        return f"LEFT JOIN {table} {alias} ON {alias}.opportunity_id = e.opportunity_id AND {alias}.day = e.day "

    return (
        f"WITH existed AS ({existed}), seen_rows AS ({rows}), "
        f"last_stage AS ({last('stage')}), last_amount AS ({last('amount')}), last_close AS ({last('close_date')}), "
        "seen AS (SELECT DISTINCT day, opportunity_id FROM seen_rows), "
        "merged AS (SELECT e.day, e.opportunity_id, e.owner_id, s.opportunity_id IS NOT NULL AS seen, "
        "e.close_date AS current_close, "
        "CASE WHEN s.opportunity_id IS NOT NULL THEN ls.stage ELSE CAST(e.stage AS VARCHAR) END AS stage, "
        "coalesce(la.amount, e.amount) AS amount, coalesce(lc.close_date, e.close_date) AS close_date "
        f"FROM existed e {joined('s', 'seen')}{joined('ls', 'last_stage')}{joined('la', 'last_amount')}"
        f"{joined('lc', 'last_close')}) {_still_open('merged')}"
    )


def _timestamp(day: pd.Timestamp) -> str:
    """A moment as an SQL literal."""
    return f"CAST('{day:%Y-%m-%d %H:%M:%S}' AS TIMESTAMP)"


def _query(
    data: SalesData | StoredTables | WarehouseTables, sql: str, keys: list[str], **values: object
) -> pd.DataFrame:
    """The statement's rows indexed by the group columns: run by DuckDB over loaded or cached tables, or inside
    the database with its parameters ($name) written as literals."""
    if isinstance(data, WarehouseTables):
        for name, value in values.items():
            sql = re.sub(rf"\${name}\b", _timestamp(pd.Timestamp(value)), sql)
        return data.fetch(sql).set_index(keys)
    con, _ = connection(data)
    return _fetch(con, sql, keys, **values)


def _state_tables(
    data: SalesData | StoredTables, con: duckdb.DuckDBPyConnection, has_history: bool, days: list[pd.Timestamp]
) -> dict[pd.Timestamp, str]:
    """The names of tables holding the deals open at the end of each day (_state_sql); the days not made yet are
    made together, in one pass over the history, and a day asked for again (the end of one month is the day before
    the next) is not worked out again."""
    states = _OPEN[0].states if _OPEN and _OPEN[0].data() is data else {}
    missing = sorted({day for day in days if day not in states})
    if missing:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE open_at_days AS {_state_sql(has_history)}",
            {"days": [day.to_pydatetime() for day in missing]},
        )
        for day in missing:
            if len(states) >= MOST_STATES:
                # the oldest day not asked for now: a day asked for again may be the oldest kept
                oldest = next(kept for kept in states if kept not in days)
                con.execute(f"DROP TABLE {states.pop(oldest)}")
            name = f"open_at_{day:%Y%m%d}"
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * EXCLUDE (day) FROM open_at_days WHERE day = $day",
                {"day": day.to_pydatetime()},
            )
            states[day] = name
        con.execute("DROP TABLE open_at_days")
    return {day: states[day] for day in days}


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, keys: list[str], **values: object) -> pd.DataFrame:
    """The statement's rows indexed by the group columns."""
    frame = con.execute(sql, values).df()
    return frame.set_index(keys)


def totals_parts(data: SalesData | StoredTables | WarehouseTables, period: Period, by: list[str]) -> list[pd.DataFrame]:
    """The grouped totals of period_totals, each a frame indexed by the group columns: won, lost, created, open at
    the end and open at the start, and the quotas where the grouping is by rep attributes and quotas exist."""
    keys = _keys(by)
    group = ", ".join(keys)
    deals = _deals_sql(by)
    window = {"start": period.start.to_pydatetime(), "end": period.end.to_pydatetime()}
    inside = "close_date >= $start AND close_date <= $end"
    won = f"SELECT * FROM ({deals}) AS d WHERE outcome = 'won' AND {inside}"
    parts = [
        _query(
            data,
            f"SELECT {group}, count(*) AS won_deals, fsum(amount) AS won_amount, median(amount) AS won_amount_median, "
            f"median(cycle_days) AS cycle_days_median FROM ({won}) AS w GROUP BY {group}",
            keys,
            **window,
        ),
        _query(
            data,
            f"SELECT {group}, count(*) AS lost_deals, fsum(amount) AS lost_amount FROM ({deals}) AS d "
            f"WHERE outcome = 'lost' AND {inside} GROUP BY {group}",
            keys,
            **window,
        ),
        _query(
            data,
            f"SELECT {group}, count(*) AS created_deals, fsum(amount) AS created_amount FROM ({deals}) AS d "
            f"WHERE created_date >= $start AND created_date <= $end GROUP BY {group}",
            keys,
            **window,
        ),
    ]

    before = period.start - pd.Timedelta(days=1)
    if isinstance(data, WarehouseTables):
        parts += _open_parts_inside(data, deals, keys, period.end, before, window)
    else:
        parts += _open_parts(data, deals, keys, period.end, before, window)
    if all(key in REP_GROUPINGS for key in by) and data.quotas is not None:
        parts.append(_quota_part(data, deals, group, keys, by, window))
    return parts


def _open_parts(
    data: SalesData | StoredTables,
    deals: str,
    keys: list[str],
    end: pd.Timestamp,
    before: pd.Timestamp,
    window: dict[str, object],
) -> list[pd.DataFrame]:
    """The deals open at the period's end (count, amount, weighted) and at its start (count, amount due in the
    period), per group, from the tables DuckDB keeps of each day's open deals."""
    con, has_history = connection(data)
    tables = _state_tables(data, con, has_history, [end, before])
    group = ", ".join(keys)

    def opening(day: pd.Timestamp) -> str:
        groups = ", ".join(f"d.{key}" for key in keys)
        return f"SELECT s.*, {groups} FROM {tables[day]} s JOIN ({deals}) d ON d.opportunity_id = s.opportunity_id"

    return [
        _fetch(
            con,
            f"SELECT {group}, count(*) AS open_end_deals, fsum(amount) AS open_end_amount, "
            # missing when any deal's stage that day is unknown (no history): a partial sum would look like a fall
            "CASE WHEN count(weighted) = count(*) THEN fsum(weighted) END AS open_end_weighted "
            f"FROM (SELECT o.*, o.amount * g.probability AS weighted FROM ({opening(end)}) o "
            f"LEFT JOIN stages g ON g.stage = o.stage) AS w GROUP BY {group}",
            keys,
        ),
        _fetch(
            con,
            f"SELECT {group}, count(*) AS open_start_deals, "
            f"fsum(CASE WHEN close_date >= $start AND close_date <= $end THEN amount ELSE 0 END) AS due_start_amount "
            f"FROM ({opening(before)}) AS o GROUP BY {group}",
            keys,
            **window,
        ),
    ]


def _open_parts_inside(
    data: WarehouseTables,
    deals: str,
    keys: list[str],
    end: pd.Timestamp,
    before: pd.Timestamp,
    window: dict[str, object],
) -> list[pd.DataFrame]:
    """_open_parts in one statement the database runs for both days (the history is read once), split by day."""
    groups = ", ".join(f"d.{key}" for key in keys)
    frame = _query(
        data,
        f"SELECT s.day, {groups}, count(*) AS deals, fsum(s.amount) AS amount, "
        "CASE WHEN count(s.amount * g.probability) = count(*) THEN fsum(s.amount * g.probability) END AS weighted, "
        "fsum(CASE WHEN s.close_date >= $start AND s.close_date <= $end THEN s.amount ELSE 0 END) AS due "
        f"FROM ({_portable_state_sql(data.has_history, [end, before])}) s "
        f"JOIN ({deals}) d ON d.opportunity_id = s.opportunity_id LEFT JOIN stages g ON g.stage = s.stage "
        f"GROUP BY s.day, {groups}",
        ["day"],
        **window,
    ).reset_index()
    days = pd.to_datetime(frame["day"])
    at_end = frame[days == end].set_index(keys)
    at_start = frame[days == before].set_index(keys)
    return [
        at_end[["deals", "amount", "weighted"]].set_axis(
            ["open_end_deals", "open_end_amount", "open_end_weighted"], axis=1
        ),
        at_start[["deals", "due"]].set_axis(["open_start_deals", "due_start_amount"], axis=1),
    ]


def _quota_part(
    data: SalesData | StoredTables | WarehouseTables,
    deals: str,
    group: str,
    keys: list[str],
    by: list[str],
    window: dict[str, object],
) -> pd.DataFrame:
    """Quota, reps with a quota, and reps whose bookings reached it, per group."""
    per_rep = (
        "SELECT q.rep_id, sum(q.quota) AS quota FROM quotas q "
        "WHERE q.period_start >= $start AND q.period_start <= $end GROUP BY q.rep_id"
    )
    booked = (
        f"SELECT owner_id, fsum(amount) AS booked FROM ({deals}) AS d "
        "WHERE outcome = 'won' AND close_date >= $start AND close_date <= $end GROUP BY owner_id"
    )
    rep_keys = ", ".join(_owner_keys(by, "p.rep_id")) or "'All' AS _all"
    reps = (
        "SELECT p.quota, coalesce(p.quota > 0, false) AS has_quota, "
        "coalesce(p.quota > 0, false) AND coalesce(b.booked, 0) >= p.quota AS at_quota, "
        f"{rep_keys} FROM ({per_rep}) p LEFT JOIN ({booked}) b ON b.owner_id = p.rep_id "
        "LEFT JOIN reps r ON r.rep_id = p.rep_id"
    )
    return _query(
        data,
        f"SELECT {group}, fsum(quota) AS quota, count(*) FILTER (WHERE has_quota) AS reps_with_quota, "
        f"count(*) FILTER (WHERE at_quota) AS reps_at_quota FROM ({reps}) AS r GROUP BY {group}",
        keys,
        **window,
    )
