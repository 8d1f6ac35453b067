"""The one entry point that loads a data folder into typed, validated canonical tables."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from salesops_helpers.config import DataFormat, WorkbookConfig, load_config
from salesops_helpers.data import lead_checks
from salesops_helpers.data.as_of import DataDay, found_day, stated_day
from salesops_helpers.data.currencies import rates_for, read_rates
from salesops_helpers.data.mapping import Mapping, TableSummary, load_mapping, mapped_tables
from salesops_helpers.data.mapping.rates import mapped_rates, rates_file
from salesops_helpers.data.mapping.schema import RECORD_STAND_INS
from salesops_helpers.data.mapping.sql import redacted
from salesops_helpers.data.model import (
    ACTIVITIES,
    CAMPAIGNS,
    LEADS,
    OPPORTUNITIES,
    OPPORTUNITY_HISTORY,
    QUOTAS,
    REPS,
    TABLES,
)
from salesops_helpers.data.parsing import Checker, parse_amounts, parse_dates, parse_text
from salesops_helpers.data.quality import DataQualityLog, DataValidationError, Problem
from salesops_helpers.data.reading import RawTable, read_table, table_file
from salesops_helpers.data.validation import (
    drop_identical_duplicates,
    fill_category,
    flag_unknown_reference,
    is_in,
    normalise_stages,
)

if TYPE_CHECKING:
    from salesops_helpers.data.cache import StoredTables

UNKNOWN_TEAM = "Unassigned"


def today() -> pd.Timestamp:
    """Today's date: the data cannot have seen later days."""
    return pd.Timestamp.today().normalize()


@dataclass
class SalesData:
    """The canonical tables of one data folder, typed and validated, with the data-quality log."""

    opportunities: pd.DataFrame
    reps: pd.DataFrame
    quotas: pd.DataFrame | None
    history: pd.DataFrame | None
    activities: pd.DataFrame | None
    quality: DataQualityLog
    config: WorkbookConfig
    folder: Path
    # The day the data's own records end on (data/as_of.py), and a day the analyst stated instead, if any.
    found_day: DataDay
    stated_day: DataDay | None = None
    leads: pd.DataFrame | None = None
    campaigns: pd.DataFrame | None = None
    files: dict[str, Path] = field(default_factory=dict)
    # Canonical columns each file actually had (absent optional columns are added empty to the frames).
    columns_in_file: dict[str, set[str]] = field(default_factory=dict)
    # What a mapping did to each table, when the folder held an export read through a mapping.
    mapped: list[TableSummary] = field(default_factory=list)
    # Where each table came from as messages name it: a file name, or a database table ("SQL opportunity").
    sources: dict[str, str] = field(default_factory=dict)
    # A database the tables were read from (its URL without the password), or "" for files in the folder.
    database: str = ""
    # The first day of the time window read from the database (the mapping's source.since), None for every row.
    window_since: pd.Timestamp | None = None

    @property
    def origin(self) -> str:
        """Where the data was read from, as a report names it: the folder's name or the database (with its window)."""
        return (self.database or self.folder.name) + self.window_note

    @property
    def window_note(self) -> str:
        """What a time window left out, for any line that says where the data came from ("" without one)."""
        if self.window_since is None:
            return ""
        return f" (only deals created, closed or open from {self.window_since:%Y-%m-%d} on: the mapping's source.since)"

    @property
    def data_day(self) -> DataDay:
        """The day the data stands on and what it was taken from: the analyst's stated day, else the data's own."""
        return self.stated_day or self.found_day

    @property
    def as_of(self) -> pd.Timestamp:
        """The day the data stands on: open deals are judged and the default month chosen against it."""
        return self.data_day.day

    def stated_as_of(self, text: str) -> SalesData:
        """The same data standing on a day the analyst states (YYYY-MM-DD; empty keeps the data's own day)."""
        return replace(self, stated_day=stated_day(text)) if text.strip() else self

    def summary(self) -> pd.DataFrame:
        """One row per table: file, rows, and the date range it covers."""
        date_column = {
            "opportunities": "created_date",
            "opportunity_history": "changed_at",
            "quotas": "period_start",
            "activities": "occurred_at",
            "reps": "hire_date",
            "leads": "created_at",
            "campaigns": "start_date",
        }
        rows = []
        for table in TABLES:
            frame = self._frames()[table.name]
            path = self.files.get(table.name)
            if frame is None:
                rows.append({"table": table.name, "file": "(absent)", "rows": 0, "from": None, "to": None})
                continue
            dates = frame[date_column[table.name]].dropna()
            rows.append(
                {
                    "table": table.name,
                    "file": path.name if path else self.sources.get(table.name, "(from configuration)"),
                    "rows": len(frame),
                    "from": dates.min() if len(dates) else None,
                    "to": dates.max() if len(dates) else None,
                }
            )
        return pd.DataFrame(rows)

    def _frames(self) -> dict[str, pd.DataFrame | None]:
        return {
            "opportunities": self.opportunities,
            "opportunity_history": self.history,
            "reps": self.reps,
            "quotas": self.quotas,
            "activities": self.activities,
            "leads": self.leads,
            "campaigns": self.campaigns,
        }


def _typed(raw: RawTable, log: DataQualityLog, config: WorkbookConfig) -> Checker:
    """Convert every canonical column to its kind; absent optional columns are added empty."""
    check = Checker(raw, log)
    frame = raw.frame
    for column in raw.table.columns:
        if column.name not in frame.columns:
            dtype = {"date": "datetime64[ns]", "datetime": "datetime64[ns]", "amount": "float64"}.get(
                column.kind, "str"
            )
            frame[column.name] = pd.Series(None, index=frame.index, dtype=dtype)
            if column.kind == "category":
                frame[column.name] = frame[column.name].astype("category")
            check.blank[column.name] = pd.Series(True, index=frame.index)
            continue
        if column.kind in {"date", "datetime"}:
            frame[column.name] = parse_dates(check, column.name, config.data.date_format, column.kind == "date")
        elif column.kind == "amount":
            frame[column.name] = parse_amounts(check, column.name)
        else:
            frame[column.name] = parse_text(frame[column.name], column.kind == "category")
            check.blank[column.name] = frame[column.name].isna()  # trimmed text: empty cells are missing
    raw.frame = frame[list(raw.table.column_names)]
    return check


def _flag_missing(check: Checker, columns: list[str]) -> None:
    """Error for each required column that has empty cells."""
    for column in columns:
        check.flag(check.blank[column], "error", column, "empty, but every row needs a value")


def _convert_currencies(
    check: Checker, config: WorkbookConfig, rates: pd.DataFrame | None, converted: dict[str, float], rates_from: str
) -> None:
    """Amounts in another currency converted at the rate in force on the deal's close date (see currencies.py);
    without rates, or without a rate for a deal's currency and day, an error naming both. `converted` receives
    each converted deal's rate, for its history rows."""
    frame = check.frame
    currency = config.company.reporting_currency
    codes = frame["currency"].astype("string").str.strip().str.upper()
    foreign = (codes.notna() & (codes != currency)).fillna(False).astype(bool)
    if not foreign.any():
        return
    if rates is None:
        why = f"there are {rates_from}" if rates_from.startswith("no ") else f"{rates_from} could not be read"
        message = f"amount is not in the reporting currency {currency} and {why}"
        check.flag(foreign, "error", "currency", message, show=["amount"])
        return
    day = frame["close_date"].fillna(frame["created_date"])
    rate = rates_for(codes, day, rates, currency)
    missing = foreign & rate.isna()
    if missing.any():
        first = missing.idxmax()
        code, when = codes[first], day[first]
        starts = rates.loc[rates["currency"] == code, "rate_date"].min()
        known = f"its rates start on {starts:%Y-%m-%d}" if pd.notna(starts) else "there is none"
        message = f"no {code} exchange rate on or before {when:%Y-%m-%d} in {rates_from} ({known}); add the rate"
        check.flag(missing, "error", "currency", message, show=["amount", "close_date"])
    done = foreign & rate.notna()
    frame.loc[done, "amount"] = frame.loc[done, "amount"] * rate[done]
    converted.update(zip(frame.loc[done, "opportunity_id"], rate[done], strict=True))
    listed = ", ".join(sorted(codes[done].dropna().unique()))
    check.log.add(
        Problem(
            "info",
            "opportunities",
            check.raw.file,
            "amount",
            f"{int(done.sum()):,} deal amounts in {listed} converted to {currency} at the rate of their close date",
            int(done.sum()),
        )
    )
    frame["currency"] = frame["currency"].astype("object").where(~done, currency).astype("category")


def _opportunities(
    check: Checker,
    config: WorkbookConfig,
    rates: pd.DataFrame | None = None,
    converted: dict[str, float] | None = None,
    rates_from: str = "",
) -> pd.DataFrame:
    """Checks and repairs on the opportunities table."""
    _flag_missing(check, ["opportunity_id"])
    hint = (
        " (a mapping can name a stand-in: stand_ins: {created_date: first_history} or first_date, docs/mappings.md; "
        "or leave such deals out with keep_rows)"
        if check.raw.mapped
        else ""
    )
    check.flag(check.blank["created_date"], "error", "created_date", f"empty, but every row needs a value{hint}")
    check.raw.frame = drop_identical_duplicates(check, ["opportunity_id"], "opportunity_id")
    frame = check.frame
    frame["stage"] = normalise_stages(check, "stage", config)
    frame["outcome"] = frame["stage"].map(config.stage_outcome()).astype("category")
    closed = frame["outcome"].isin(["won", "lost"])
    check.flag(
        closed & check.blank["close_date"],
        "error",
        "close_date",
        "won or lost deal without a close date",
        show=["stage"],
    )
    check.flag(
        ~closed & check.blank["close_date"],
        "warning",
        "close_date",
        "open deal without an expected close date",
        action="left out of pipeline by period",
        show=["stage"],
    )
    check.flag(check.blank["amount"], "warning", "amount", "no amount", action="counted as 0", show=["stage"])
    frame["amount"] = frame["amount"].fillna(0.0)
    _convert_currencies(check, config, rates, {} if converted is None else converted, rates_from)
    action = "kept as it is; check the date"
    check.flag(frame["created_date"] > today(), "warning", "created_date", "created date after today", action)
    early = frame["close_date"] < frame["created_date"]
    check.flag(
        early & closed,
        "warning",
        "close_date",
        "close date is before the created date",
        action="created date set to the close date (cycle of 0 days)",
        show=["created_date"],
    )
    # an open deal's close date is only expected: one set before the deal was made is past due, and moving the
    # created date back would make the deal older than it is and count it in pipeline created months too early
    check.flag(
        early & ~closed,
        "warning",
        "close_date",
        "open deal whose expected close date is before its created date",
        action="created date kept; the deal counts as past its close date",
        show=["created_date", "stage"],
    )
    frame.loc[early & closed, "created_date"] = frame.loc[early & closed, "close_date"]
    check.flag(
        frame["owner_id"].isna(),
        "warning",
        "owner_id",
        "deal without an owner",
        action=f"reported under team '{UNKNOWN_TEAM}'",
    )
    categories = {s.name: s.forecast_category for s in config.stages}
    no_category = frame["forecast_category"].isna()
    if no_category.any():
        filled = frame["stage"].map(categories).astype("str")
        frame["forecast_category"] = frame["forecast_category"].astype("str").mask(no_category, filled)
        frame["forecast_category"] = frame["forecast_category"].astype("category")
    return frame


def _exchange_rates(
    folder: Path, config: WorkbookConfig, mapping: Mapping | None, log: DataQualityLog
) -> tuple[pd.DataFrame | None, str]:
    """The exchange rates in force, and where they come from as messages name it: the mapping's exchange_rates
    (the CRM's own) when it has them, else the rates file of company.exchange_rates, else none."""
    own = config.company.exchange_rates
    if mapping is not None and mapping.exchange_rates is not None:
        spec = mapping.exchange_rates
        if own:
            note = "ignored: the mapping's exchange_rates (the export's own rates) replace company.exchange_rates"
            log.add(Problem("info", "exchange_rates", own, None, note))
        found = rates_file(folder, spec)
        if found is None:
            return (
                None,
                f"no exchange rates: the export has no {' or '.join(spec.files)} (the mapping's exchange_rates)",
            )
        rates = mapped_rates(found, spec, mapping.format, config.company.reporting_currency, log)
        return rates, f"the export's rates ({found.name})"
    if own:
        return read_rates(folder / own, log), f"the rates file {own} (company.exchange_rates)"
    where = "exchange_rates in the mapping (Salesforce: CurrencyType.csv), or " if mapping is not None else ""
    return None, f"no exchange rates: set {where}company.exchange_rates to a rates file in the data folder"


def _created_from_records(checks: dict[str, Checker], source: str, config: WorkbookConfig) -> None:
    """Empty created dates filled from the deal's other records as the mapping's stand-in says, with a warning;
    deals with no such record keep an empty created date (an error)."""
    check = checks[OPPORTUNITIES.name]
    frame = check.frame
    empty = frame["created_date"].isna()
    if not empty.any():
        return
    history = checks.get(OPPORTUNITY_HISTORY.name)
    found = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    if history is not None:
        first = history.frame.groupby("opportunity_id", observed=True)["changed_at"].min().dt.normalize()
        found = frame["opportunity_id"].map(first).astype("datetime64[ns]")
    if source == "first_date":
        closed_names = {stage.name.casefold() for stage in config.stages if stage.outcome != "open"}
        stages = frame["stage"].astype("string").str.strip().str.casefold()
        closed = frame["close_date"].where(stages.isin(list(closed_names)).fillna(False).astype(bool))
        others = [found, frame["last_modified"].dt.normalize(), closed]
        found = pd.concat(others, axis=1).min(axis=1).astype("datetime64[ns]")
    filled = empty & found.notna()
    frame.loc[filled, "created_date"] = found[filled]
    check.blank["created_date"] = frame["created_date"].isna()
    check.flag(
        filled,
        "warning",
        "created_date",
        f"no created date: {RECORD_STAND_INS[source]} stands in (the mapping's stand_ins)",
        action="its age, cycle length and creation month are approximate",
        show=["stage"],
    )


def _closed_after(check: Checker, day: DataDay) -> None:
    """Warn about won or lost deals dated after the data's day: a close date set ahead of time, counted in its month."""
    frame = check.frame
    later = frame["outcome"].isin(["won", "lost"]) & (frame["close_date"] > day.day)
    check.flag(
        later,
        "warning",
        "close_date",
        f"won or lost deal with a close date after the data's day ({day.day:%Y-%m-%d}, {day.basis})",
        action="kept: it counts in the month of its close date; check the date",
        show=["stage"],
    )


def _reps(check: Checker) -> pd.DataFrame:
    """Checks and repairs on the reps table."""
    _flag_missing(check, ["rep_id"])
    check.raw.frame = drop_identical_duplicates(check, ["rep_id"], "rep_id")
    frame = check.frame
    check.flag(frame["name"].isna(), "warning", "name", "rep without a name", action="shown by rep_id")
    frame["name"] = frame["name"].fillna(frame["rep_id"])
    check.flag(frame["team"].isna(), "warning", "team", "rep without a team", action=f"team '{UNKNOWN_TEAM}'")
    frame["team"] = fill_category(frame["team"], UNKNOWN_TEAM)
    check.flag(
        frame["end_date"] < frame["hire_date"], "warning", "end_date", "end date before hire date", show=["hire_date"]
    )
    return frame


def _quotas(check: Checker) -> pd.DataFrame:
    """Checks and repairs on the quotas table."""
    _flag_missing(check, ["rep_id", "period_start"])
    frame = check.frame
    month_start = frame["period_start"].dt.to_period("M").dt.start_time.astype("datetime64[ns]")
    check.flag(
        frame["period_start"].notna() & (frame["period_start"] != month_start),
        "warning",
        "period_start",
        "not the first day of a month",
        action="read as the month it falls in",
    )
    frame["period_start"] = month_start
    check.flag(
        frame["quota"].isna(),
        "warning",
        "quota",
        "no quota amount",
        action="attainment not computed for that rep and month",
    )
    check.raw.frame = drop_identical_duplicates(check, ["rep_id", "period_start"], "rep and month")
    return check.frame


def _history(check: Checker, config: WorkbookConfig) -> pd.DataFrame:
    """Checks and repairs on the opportunity history table; rows come out sorted by deal and time."""
    _flag_missing(check, ["opportunity_id", "changed_at"])
    frame = check.frame
    frame["stage"] = normalise_stages(check, "stage", config)
    ordered = _by_deal_and_time(frame)
    # an exact copy shares its deal and moment with the row it copies: only such rows need the full comparison
    ids, moments = ordered["opportunity_id"].to_numpy(), ordered["changed_at"].to_numpy()
    same_key = (ids[1:] == ids[:-1]) & (moments[1:] == moments[:-1])
    shared = np.zeros(len(ordered), dtype=bool)
    shared[1:] |= same_key
    shared[:-1] |= same_key
    repeat = ordered[shared].duplicated(keep="first").reindex(frame.index, fill_value=False)
    check.flag(repeat, "warning", None, "exact copy of an earlier history row", action="the copy is dropped")
    return ordered[~repeat.reindex(ordered.index).to_numpy()]


def _by_deal_and_time(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows sorted by deal and time, keeping file order within a moment (the frame itself when it already is:
    exports usually are, and sorting millions of rows costs more than checking)."""
    ids, moments = frame["opportunity_id"].to_numpy(), frame["changed_at"].to_numpy()
    try:
        in_order = bool(((ids[1:] > ids[:-1]) | ((ids[1:] == ids[:-1]) & (moments[1:] >= moments[:-1]))).all())
    except TypeError:  # a missing id or moment cannot be compared: sort, which places them last
        in_order = False
    return frame if in_order else frame.sort_values(["opportunity_id", "changed_at"], kind="stable")


def _activities(check: Checker) -> pd.DataFrame:
    """Checks and repairs on the activities table."""
    _flag_missing(check, ["activity_id", "rep_id", "occurred_at"])
    check.raw.frame = drop_identical_duplicates(check, ["activity_id"], "activity_id")
    check.flag(check.frame["type"].isna(), "warning", "type", "activity without a type", action="counted as 'Other'")
    frame = check.frame
    frame["type"] = fill_category(frame["type"], "Other")
    return frame


def _flat_quotas(reps: pd.DataFrame, opportunities: pd.DataFrame, monthly: float) -> pd.DataFrame:
    """Quotas of one flat monthly amount for each rep in each month of the data they were employed."""
    first = opportunities["created_date"].min().to_period("M")
    latest = pd.concat([opportunities["close_date"], opportunities["created_date"]]).max()
    # A stray far-future close date must not make quotas for centuries: at most a year past the newest deal.
    last = min(latest, opportunities["created_date"].max() + pd.DateOffset(years=1)).to_period("M")
    months = pd.period_range(first, last, freq="M").start_time.astype("datetime64[ns]")
    grid = reps[["rep_id", "hire_date", "end_date"]].merge(pd.DataFrame({"period_start": months}), how="cross")
    employed = (
        grid["hire_date"].isna() | (grid["hire_date"].dt.to_period("M").dt.start_time <= grid["period_start"])
    ) & (grid["end_date"].isna() | (grid["end_date"] >= grid["period_start"]))
    grid = grid[employed]
    return pd.DataFrame(
        {"rep_id": grid["rep_id"].to_numpy(), "period_start": grid["period_start"].to_numpy(), "quota": float(monthly)}
    )


def _cross_checks(checks: dict[str, Checker]) -> None:
    """Checks between tables: owners, reps and deals referred to must exist (where both tables could be read)."""
    opps = checks["opportunities"].frame if "opportunities" in checks else None
    reps = checks["reps"].frame if "reps" in checks else None
    if opps is not None and reps is not None:
        action = f"deal kept, reported under team '{UNKNOWN_TEAM}'"
        flag_unknown_reference(checks["opportunities"], "owner_id", reps["rep_id"], "reps", action, reps["name"])
    if "opportunity_history" in checks and opps is not None:
        check = checks["opportunity_history"]
        action = "history row left out of every analysis"
        unknown = flag_unknown_reference(check, "opportunity_id", opps["opportunity_id"], "opportunities", action)
        check.raw.frame = check.frame[~unknown]
        has_history = is_in(opps["opportunity_id"], check.frame["opportunity_id"])
        action = "left out of stage-duration and slippage analyses"
        checks["opportunities"].flag(~has_history, "warning", "opportunity_id", "deal has no history rows", action)
    if "quotas" in checks and reps is not None:
        check = checks["quotas"]
        unknown = flag_unknown_reference(check, "rep_id", reps["rep_id"], "reps", "quota left out", reps["name"])
        check.raw.frame = check.frame[~unknown]
    if "activities" in checks:
        check = checks["activities"]
        if reps is not None:
            action = f"counted under team '{UNKNOWN_TEAM}'"
            flag_unknown_reference(check, "rep_id", reps["rep_id"], "reps", action, reps["name"])
        if opps is not None:
            action = "counted as an activity without a deal"
            unknown = flag_unknown_reference(check, "opportunity_id", opps["opportunity_id"], "opportunities", action)
            check.frame.loc[unknown, "opportunity_id"] = None
        if "leads" in checks:
            action = "counted as an activity without a lead"
            unknown = flag_unknown_reference(check, "lead_id", checks["leads"].frame["lead_id"], "leads", action)
            check.frame.loc[unknown, "lead_id"] = None
    lead_checks.link_leads(checks)


def _cache_key(folder: Path, config: WorkbookConfig, skip: Collection[str], mapping: Mapping | None) -> str:
    """The cache key of a load: the folder's files, the configuration, the mapping and what is skipped."""
    from salesops_helpers.data import cache as data_cache

    settings = config.model_dump_json() + (mapping.model_dump_json() if mapping else "")
    return data_cache.cache_key(folder, settings, tuple(sorted(skip)))


def cached_tables(
    folder: str | Path, config: WorkbookConfig, skip: Collection[str] = (), mapping: str | Path | None = None
) -> StoredTables | None:
    """The validated tables of an earlier load_data(..., cache=True) with the same inputs, as the cache's Parquet
    files, without reading them; None when there is none (or the data comes from a database)."""
    from salesops_helpers.data import cache as data_cache

    folder = Path(folder)
    loaded_mapping = load_mapping(mapping) if mapping is not None else None
    if not folder.is_dir() or (loaded_mapping is not None and loaded_mapping.source is not None):
        return None
    return data_cache.stored(_cache_key(folder, config, skip, loaded_mapping))


def load_data(
    folder: str | Path,
    config: WorkbookConfig | str | Path,
    skip: Collection[str] = (),
    cache: bool = False,
    mapping: Mapping | str | Path | None = None,
) -> SalesData:
    """Load and validate a data folder; raises DataValidationError naming every fatal problem.

    skip names optional tables a caller does not need (such as activities for the KPI table): they are not read,
    and come back as None. With cache, a folder whose files, configuration and code are unchanged since an
    earlier successful load comes from data_cache instead of being read and validated again. With a mapping (a
    Mapping or a mapping file), the folder holds a CRM export that the mapping turns into the canonical tables.
    """
    folder = Path(folder)
    if not isinstance(config, WorkbookConfig):
        config = load_config(config)
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    from_database = mapping is not None and mapping.source is not None
    if cache and folder.is_dir() and not from_database:  # a database can change under the same settings
        from salesops_helpers.data import cache as data_cache

        key = _cache_key(folder, config, skip, mapping)
        cached = data_cache.read(key)
        if isinstance(cached, SalesData):
            return cached
        data = load_data(folder, config, skip, mapping=mapping)
        data_cache.write(key, data)
        return data
    log = DataQualityLog()
    if not folder.is_dir() and not from_database:
        log.add(Problem("error", "opportunities", str(folder), None, "data folder not found"))
        raise DataValidationError(log, str(folder))
    quotas_from_file = config.quotas.source == "file"
    raws: dict[str, RawTable | None] = {}
    summaries: list[TableSummary] = []
    window_since = None
    if mapping is not None:
        config = config.model_copy(
            update={"data": DataFormat(date_format=mapping.format.date_format, encoding=mapping.format.encoding)}
        )
        wanted = {
            t.name: t.required or t is QUOTAS
            for t in TABLES
            if not (t.name in skip and not t.required) and not (t is QUOTAS and not quotas_from_file)
        }
        raws, summaries, window_since = mapped_tables(folder, mapping, log, wanted, config, today())
    for table in TABLES if mapping is None else ():
        if table.name in skip and not table.required:
            continue
        if table is QUOTAS and not quotas_from_file:
            ignored = table_file(folder, table)
            if ignored:
                log.add(
                    Problem(
                        "info",
                        table.name,
                        ignored.name,
                        None,
                        f"ignored: the configuration says quotas.source is '{config.quotas.source}'",
                    )
                )
            continue
        hint = (
            (" (the configuration says quotas come from it; set quotas.source to 'flat' or 'none' to work without it)")
            if table is QUOTAS
            else ""
        )
        raws[table.name] = read_table(folder, table, table.required or table is QUOTAS, log, config.data.encoding, hint)

    columns_in_file = {name: set(raw.frame.columns) for name, raw in raws.items() if raw is not None}
    checks = {name: _typed(raw, log, config) for name, raw in raws.items() if raw is not None}
    if mapping is not None and OPPORTUNITIES.name in checks:
        source = mapping.tables["opportunities"].stand_ins.get("created_date")
        if source in RECORD_STAND_INS:
            _created_from_records(checks, source, config)
    rates, rates_from = _exchange_rates(folder, config, mapping, log)
    converted: dict[str, float] = {}
    prepare = {
        OPPORTUNITIES.name: lambda c: _opportunities(c, config, rates, converted, rates_from),
        REPS.name: _reps,
        QUOTAS.name: _quotas,
        OPPORTUNITY_HISTORY.name: lambda c: _history(c, config),
        ACTIVITIES.name: _activities,
        LEADS.name: lead_checks.leads,
        CAMPAIGNS.name: lead_checks.campaigns,
    }
    for name, check in checks.items():
        check.raw.frame = prepare[name](check)
    _cross_checks(checks)
    lead_checks.mark_sourced(checks, config.funnel)
    if OPPORTUNITIES.name in checks:
        closed_stages = {stage.name for stage in config.stages if stage.outcome != "open"}
        day = found_day({name: check.frame for name, check in checks.items()}, today(), closed_stages)
        _closed_after(checks[OPPORTUNITIES.name], day)
    if log.has_errors:
        raise DataValidationError(log, str(folder))

    frames = {name: check.frame.reset_index(drop=True) for name, check in checks.items()}
    history = frames.get(OPPORTUNITY_HISTORY.name)
    if converted and history is not None:
        # a deal's history converts at the deal's own rate, so its amount does not move with the exchange rate
        history["amount"] = history["amount"] * history["opportunity_id"].map(converted).astype(float).fillna(1.0)
    quotas = frames.get("quotas")
    if config.quotas.source == "flat":
        quotas = _flat_quotas(frames["reps"], frames["opportunities"], config.quotas.monthly_per_rep or 0.0)
    return SalesData(
        opportunities=frames["opportunities"],
        reps=frames["reps"],
        quotas=quotas,
        history=frames.get("opportunity_history"),
        activities=frames.get("activities"),
        leads=frames.get(LEADS.name),
        campaigns=frames.get(CAMPAIGNS.name),
        quality=log,
        config=config,
        folder=folder,
        found_day=day,
        files={name: check.raw.path for name, check in checks.items() if check.raw.path.is_file()},
        sources={name: check.raw.file for name, check in checks.items()},
        database=redacted(mapping.source.url) if mapping is not None and mapping.source is not None else "",
        window_since=window_since,
        columns_in_file=columns_in_file,
        mapped=summaries,
    )
