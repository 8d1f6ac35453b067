"""Data health: what a reader checks before trusting any KPI (coverage, gaps, orphans, readiness of each analysis).

Every function computes and returns a DataFrame (or a small frozen dataclass); nothing here prints or draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.data.model import TABLES
from salesops_helpers.data.quality import Problem
from salesops_helpers.data.validation import is_in
from salesops_helpers.metrics.funnel import touch_basis
from salesops_helpers.metrics.readiness import FORECAST_MIN_MONTHS, MIN_ORIGINS, MIN_TRAIN, forecast_months

AVAILABLE, LIMITED, UNAVAILABLE = "available", "limited", "unavailable"

# A column or a table "mostly" covers the data when it is filled for at least this share of rows or deals.
MOSTLY_FILLED = 0.9
# Lost reasons are a fair picture of why deals are lost when at least this share of lost deals has one.
LOST_REASON_MIN_SHARE = 0.5
# Below this share of activities naming a known deal, activities per deal rest on too few deals.
ACTIVITY_LINK_MIN_SHARE = 0.25
# Example ids shown per orphan check.
EXAMPLE_IDS = 3

# Empty cells the loader fills in (so the loaded table no longer shows them), keyed to the warning that counts them.
_FILLED_BY_LOADER = {
    ("opportunities", "amount"): "no amount",
    ("reps", "name"): "rep without a name",
    ("reps", "team"): "rep without a team",
    ("activities", "type"): "activity without a type",
}


def _as_of(data: SalesData, as_of: pd.Timestamp | str | None) -> pd.Timestamp:
    """The given day, or the latest day the data has seen."""
    return pd.Timestamp(data.as_of if as_of is None else as_of).normalize()


def _frames(data: SalesData) -> dict[str, pd.DataFrame | None]:
    """Tables by canonical name; quotas only when they were read from a file (flat quotas are generated)."""
    return {
        "opportunities": data.opportunities,
        "opportunity_history": data.history,
        "reps": data.reps,
        "quotas": data.quotas if "quotas" in data.files else None,
        "activities": data.activities,
        "leads": data.leads,
        "campaigns": data.campaigns,
    }


def _present(data: SalesData, table: str, frame: pd.DataFrame, column: str, header: set[str] | None = None) -> bool:
    """Whether the file had the column (the loader adds absent optional columns empty); header saves a re-read."""
    header = header if header is not None else data.columns_in_file.get(table)
    if header is None:  # no file to consult: a column without a single value counts as absent
        return bool(frame[column].notna().any())
    return column in header


def _month_ranges(months: list[pd.Period]) -> str:
    """Sorted months as text, runs of consecutive months shortened: '2024-03, 2024-06 to 2024-08'."""
    runs: list[list[pd.Period]] = []
    for month in months:
        if runs and month == runs[-1][-1] + 1:
            runs[-1].append(month)
        else:
            runs.append([month])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]} to {run[-1]}" for run in runs)


def date_coverage(data: SalesData) -> pd.DataFrame:
    """Span of each table's main date and the calendar months in it without a single row (gaps in an export).

    Columns: table, column, rows (rows with a date), first, last, months (calendar months first..last inclusive),
    empty_months (how many of them have no row), gaps (those months as text, '' when none). Opportunities appear
    twice: created_date over all deals, close_date over won and lost deals. Quotas appear only when read from a file.
    """
    frames = _frames(data)
    opps = data.opportunities
    sources = [
        ("opportunities", "created_date", opps["created_date"]),
        ("opportunities", "close_date", opps.loc[opps["outcome"] != "open", "close_date"]),
    ]
    for name, column in (
        ("opportunity_history", "changed_at"),
        ("activities", "occurred_at"),
        ("quotas", "period_start"),
    ):
        frame = frames[name]
        if frame is not None:
            sources.append((name, column, frame[column]))
    rows = []
    for name, column, values in sources:
        dates = values.dropna()
        seen = set(dates.dt.to_period("M").unique())
        span = pd.period_range(min(seen), max(seen), freq="M") if seen else []
        empty = [month for month in span if month not in seen]
        rows.append(
            {
                "table": name,
                "column": column,
                "rows": len(dates),
                "first": dates.min() if seen else pd.NaT,
                "last": dates.max() if seen else pd.NaT,
                "months": len(span),
                "empty_months": len(empty),
                "gaps": _month_ranges(empty),
            }
        )
    return pd.DataFrame(rows, columns=["table", "column", "rows", "first", "last", "months", "empty_months", "gaps"])


def monthly_volume(data: SalesData) -> pd.DataFrame:
    """Deals created, won and lost in each calendar month, months without any included (zeros), for a chart.

    Columns: month (its first day), created, won, lost. The months run from the first to the last month with a
    created deal or a won or lost deal's close date; open deals' expected close dates do not count.
    """
    opps = data.opportunities
    counts = {
        "created": opps["created_date"],
        "won": opps.loc[opps["outcome"] == "won", "close_date"],
        "lost": opps.loc[opps["outcome"] == "lost", "close_date"],
    }
    months = {name: dates.dropna().dt.to_period("M").value_counts() for name, dates in counts.items()}
    seen = pd.concat([m.index.to_series() for m in months.values()])
    span = pd.period_range(seen.min(), seen.max(), freq="M") if len(seen) else pd.PeriodIndex([], freq="M")
    frame = pd.DataFrame({name: m.reindex(span, fill_value=0).astype("int64") for name, m in months.items()})
    return frame.rename_axis("month").reset_index().assign(month=lambda f: f["month"].dt.start_time)


def _loader_warnings(data: SalesData, table: str, column: str, text: str) -> list[Problem]:
    """The loader's warnings on one column whose message contains text."""
    return [p for p in data.quality.warnings if p.table == table and p.column == column and text in p.message]


def _filled_by_loader(data: SalesData, table: str, column: str) -> tuple[int, str]:
    """How many empty cells of the column the loader filled in, and what it filled them with (from its warning)."""
    text = _FILLED_BY_LOADER.get((table, column))
    problems = _loader_warnings(data, table, column, f": {text}") if text else []
    return sum(p.count for p in problems), "; ".join(p.action for p in problems)


def _note(data: SalesData, table: str, column: str, frame: pd.DataFrame, filled: tuple[int, str]) -> str:
    """Plain-words context for a column's missing count: repairs by the loader, and where empty is expected."""
    notes = [f"{_count(filled[0], 'empty cell')} filled in by the loader ({filled[1]})"] if filled[0] else []
    if (table, column) == ("opportunities", "lost_reason"):
        lost = frame.loc[frame["outcome"] == "lost", column]
        notes.append(f"only lost deals need one: {int(lost.isna().sum()):,} of {len(lost):,} lost deals have none")
    elif (table, column) == ("opportunities", "forecast_category"):
        notes.append("empty cells are filled from the stage by the loader and are not counted")
    elif (table, column) == ("reps", "end_date"):
        notes.append("empty while a rep is still employed")
    elif (table, column) == ("activities", "opportunity_id"):
        notes.append("empty for activities not tied to a deal")
        cleared = sum(p.count for p in _loader_warnings(data, table, column, "not in opportunities"))
        if cleared:
            notes.append(f"{cleared:,} cleared by the loader (the deal is not in opportunities)")
    return "; ".join(notes)


def missing_values(data: SalesData) -> pd.DataFrame:
    """Missing values of every canonical column of every present table, in data-model order.

    Columns: table, column, required, present (the file has the column), missing (rows), share (0..1 of all rows),
    note (context in plain words, such as the loader's repairs or "only lost deals need one"; '' when none).
    A column absent from the file is listed with present False, every row missing and the note "not in the file".
    Missing means no usable value: empty in the file, or cleared by the loader (an activity's unknown
    opportunity_id); empty cells the loader filled in (amount counted as 0, a rep's name or team, an activity's
    type) still count as missing. An empty forecast_category is filled from the stage without a warning, so it
    cannot be counted (the note says so).
    """
    rows = []
    for table in TABLES:
        frame = _frames(data)[table.name]
        if frame is None:
            continue
        header = data.columns_in_file.get(table.name)
        for column in table.columns:
            if column.name not in frame.columns:
                continue
            present = _present(data, table.name, frame, column.name, header)
            if present:
                filled = _filled_by_loader(data, table.name, column.name)
                missing = int(frame[column.name].isna().sum()) + filled[0]
                note = _note(data, table.name, column.name, frame, filled)
            else:
                missing, note = len(frame), "not in the file"
            rows.append(
                {
                    "table": table.name,
                    "column": column.name,
                    "required": column.required,
                    "present": present,
                    "missing": missing,
                    "share": missing / len(frame) if len(frame) else 0.0,
                    "note": note,
                }
            )
    return pd.DataFrame(rows, columns=["table", "column", "required", "present", "missing", "share", "note"])


def incomplete_columns(missing: pd.DataFrame) -> pd.DataFrame:
    """The rows of missing_values whose column has an empty cell or is not in the file: required columns first,
    then the emptiest."""
    incomplete = missing[(missing["missing"] > 0) | ~missing["present"]]
    return incomplete.sort_values(["required", "share"], ascending=False, kind="stable")


def _examples(ids: pd.Series) -> str:
    """A few distinct ids, comma-joined."""
    return ", ".join(ids.dropna().astype("str").drop_duplicates().head(EXAMPLE_IDS))


def _dropped_by_loader(data: SalesData, table: str, column: str, target: str, id_column: str) -> tuple[int, pd.Series]:
    """Rows the loader left out or cleared for referring to an id not in target: count and example ids."""
    problems = [
        p for p in data.quality.warnings if p.table == table and p.column == column and f"not in {target}" in p.message
    ]
    examples = [p.examples[id_column] for p in problems if id_column in p.examples.columns]
    return sum(p.count for p in problems), pd.concat(examples) if examples else pd.Series(dtype="str")


def duplicates(data: SalesData) -> pd.DataFrame:
    """Exact copies of earlier rows that loading dropped, per table (rows sharing a key with different values stop
    the load as errors, so none can remain). Columns: table, file, dropped (0 when none)."""
    rows = []
    for table in TABLES:
        path = data.files.get(table.name)
        if path is None:
            continue
        dropped = sum(
            p.count for p in data.quality.warnings if p.table == table.name and "exact copy of an earlier" in p.message
        )
        rows.append({"table": table.name, "file": path.name, "dropped": dropped})
    return pd.DataFrame(rows, columns=["table", "file", "dropped"])


def orphans(data: SalesData, as_of: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """References between tables that lead nowhere, one row per check, including checks that found nothing.

    Columns: check, table, rows, example (up to three ids of the offending rows, '' when none: opportunity_id for
    deals and history rows, activity_id for activities, rep_id for quotas). Rows the loader already left out or
    cleared (history rows and quotas of unknown ids, activities' unknown deals) are counted from its warnings.
    Leavers: open deals (open now) owned by a rep whose end_date is before as_of (default: the data's as_of).
    Checks on an absent table are skipped, and so is the quota check when quotas do not come from a file.
    """
    day = _as_of(data, as_of)
    opps, reps = data.opportunities, data.reps
    rows = []

    def add(
        check: str, table: str, mask: pd.Series, ids: pd.Series, dropped: tuple[int, pd.Series] | None = None
    ) -> None:
        """One check's row: rows found in the table, plus rows the loader dropped or cleared (with their ids)."""
        count, examples = int(mask.sum()), ids[mask]
        if dropped is not None:
            count += dropped[0]
            examples = pd.concat([examples, dropped[1]])
        rows.append({"check": check, "table": table, "rows": count, "example": _examples(examples)})

    owner = opps["owner_id"]
    add(
        "deal owner not in reps", "opportunities", owner.notna() & ~is_in(owner, reps["rep_id"]), opps["opportunity_id"]
    )
    add("deal without an owner", "opportunities", owner.isna(), opps["opportunity_id"])
    left = reps.loc[reps["end_date"] < day, "rep_id"]
    add(
        "open deal owned by a rep who has left",
        "opportunities",
        (opps["outcome"] == "open") & is_in(owner, left),
        opps["opportunity_id"],
    )
    history = data.history
    if history is not None:
        add(
            "history row for a deal not in opportunities",
            "opportunity_history",
            ~is_in(history["opportunity_id"], opps["opportunity_id"]),
            history["opportunity_id"],
            _dropped_by_loader(data, "opportunity_history", "opportunity_id", "opportunities", "opportunity_id"),
        )
    activities = data.activities
    if activities is not None:
        rep = activities["rep_id"]
        add(
            "activity by a rep not in reps",
            "activities",
            rep.notna() & ~is_in(rep, reps["rep_id"]),
            activities["activity_id"],
        )
        deal = activities["opportunity_id"]
        add(
            "activity for a deal not in opportunities",
            "activities",
            deal.notna() & ~is_in(deal, opps["opportunity_id"]),
            activities["activity_id"],
            _dropped_by_loader(data, "activities", "opportunity_id", "opportunities", "activity_id"),
        )
    quotas = _frames(data)["quotas"]
    if quotas is not None:
        add(
            "quota for a rep not in reps",
            "quotas",
            ~is_in(quotas["rep_id"], reps["rep_id"]),
            quotas["rep_id"],
            _dropped_by_loader(data, "quotas", "rep_id", "reps", "rep_id"),
        )
    return pd.DataFrame(rows, columns=["check", "table", "rows", "example"])


def stage_distribution(data: SalesData) -> pd.DataFrame:
    """Deals and amount in each configured stage, in process order, stages without deals included.

    Columns: stage, outcome, deals, amount (missing amounts count as 0; the deal still counts), share_of_deals.
    """
    opps = data.opportunities
    stages = data.config.stage_names
    grouped = opps.assign(amount=opps["amount"].fillna(0.0)).groupby("stage", observed=False)
    deals = grouped.size().reindex(stages, fill_value=0)
    amount = grouped["amount"].sum().reindex(stages, fill_value=0.0)
    total = int(deals.sum())
    return pd.DataFrame(
        {
            "stage": stages,
            "outcome": [data.config.stage_outcome()[s] for s in stages],
            "deals": deals.to_numpy(dtype="int64"),
            "amount": amount.to_numpy(dtype="float64"),
            "share_of_deals": deals.to_numpy() / total if total else 0.0,
        }
    )


def _owners(data: SalesData, owner_id: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Owner name (the owner_id when the rep is unknown) and team (Unassigned when unknown) for each deal."""
    reps = data.reps.set_index("rep_id")
    name = owner_id.map(reps["name"]).fillna(owner_id).fillna("(no owner)").astype("str")
    team = owner_id.map(reps["team"].astype("str")).fillna(UNKNOWN_TEAM).astype("str")
    return name, team


def _deal_columns(data: SalesData) -> list[str]:
    """opportunity_id, then name when the data has deal names."""
    names = data.opportunities["name"]
    return ["opportunity_id", "name"] if names.notna().any() else ["opportunity_id"]


def past_due_open_deals(data: SalesData, as_of: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Open deals whose expected close date is before as_of (the report period's last day; default the data's as_of).

    The data holds each deal's current state, so "open" means open now: for a past period, a deal closed since
    then is not listed, and a deal still open now is listed with its current close date. Deals created after
    as_of did not exist yet and are left out. Columns: opportunity_id, name (when the data has deal names), owner
    (rep name, or the owner_id when the rep is unknown), team, stage, amount, close_date, days_overdue; sorted by
    amount then days_overdue, both largest first.
    """
    day = _as_of(data, as_of)
    opps = data.opportunities
    due = opps[(opps["outcome"] == "open") & (opps["close_date"] < day) & (opps["created_date"] <= day)]
    owner, team = _owners(data, due["owner_id"])
    frame = due[_deal_columns(data)].assign(
        owner=owner,
        team=team,
        stage=due["stage"].astype("str"),
        amount=due["amount"],
        close_date=due["close_date"],
        days_overdue=(day - due["close_date"]).dt.days.astype("int64"),
    )
    frame = frame.sort_values(["amount", "days_overdue", "opportunity_id"], ascending=[False, False, True])
    return frame.reset_index(drop=True)


def deals_without_amount(data: SalesData) -> pd.DataFrame:
    """Deals with no amount or an amount of 0 (the loader reads a missing amount as 0, so they look alike).

    Columns: opportunity_id, name (when the data has deal names), owner, stage, outcome, amount; in stage order.
    """
    opps = data.opportunities
    deals = opps[opps["amount"].fillna(0.0) == 0]
    owner, _ = _owners(data, deals["owner_id"])
    frame = deals[_deal_columns(data)].assign(
        owner=owner,
        stage=deals["stage"],
        outcome=deals["outcome"].astype("str"),
        amount=deals["amount"],
    )
    frame = frame.sort_values(["stage", "opportunity_id"]).assign(stage=lambda f: f["stage"].astype("str"))
    return frame.reset_index(drop=True)


def _filled_status(filled: int, total: int) -> str:
    """available when mostly filled, limited when partly, unavailable when not at all."""
    if filled == 0 or total == 0:
        return UNAVAILABLE
    return AVAILABLE if filled / total >= MOSTLY_FILLED else LIMITED


def _worst(*statuses: str) -> str:
    """The least available of the statuses."""
    order = [AVAILABLE, LIMITED, UNAVAILABLE]
    return max(statuses, key=order.index)


def _names(values: pd.Series) -> str:
    """The first few names, comma-joined, with ', ...' when there are more."""
    shown = ", ".join(values.astype("str").head(EXAMPLE_IDS))
    return shown + (", ..." if len(values) > EXAMPLE_IDS else "")


def _kpi_scorecard(data: SalesData, day: pd.Timestamp) -> tuple[str, str]:
    """Bookings, win rate and deal size need deals won or lost by the day."""
    opps = data.opportunities
    closed = opps[opps["outcome"].isin(["won", "lost"]) & (opps["close_date"] <= day)]
    won, lost = int((closed["outcome"] == "won").sum()), int((closed["outcome"] == "lost").sum())
    if won + lost == 0:
        return UNAVAILABLE, "no deal was won or lost by then, so bookings, win rate and deal size cannot be measured"
    if won == 0:
        return LIMITED, f"{_count(lost, 'lost deal')} but none won, so bookings and deal size are empty, win rate 0"
    return AVAILABLE, f"{_count(won, 'won deal')} and {_count(lost, 'lost deal')} by then"


def _quota_attainment(data: SalesData, day: pd.Timestamp) -> tuple[str, str]:
    """Attainment needs quotas, and a quota for every rep employed in the day's month."""
    source = data.config.quotas.source
    if source == "none":
        return UNAVAILABLE, "the configuration says quotas.source is 'none', so attainment against quota is left out"
    quotas = data.quotas if data.quotas is not None else pd.DataFrame(columns=["rep_id", "period_start", "quota"])
    origin = "the quotas file" if source == "file" else "a flat monthly quota in the configuration"
    if quotas["quota"].notna().sum() == 0:
        return UNAVAILABLE, f"no quota amounts in {origin}"
    month = day.to_period("M")
    reps = data.reps
    employed = (reps["hire_date"].isna() | (reps["hire_date"] <= month.end_time)) & (
        reps["end_date"].isna() | (reps["end_date"] >= month.start_time)
    )
    in_month = quotas[(quotas["period_start"] == month.start_time) & quotas["quota"].notna()]
    without = reps[employed & ~is_in(reps["rep_id"], in_month["rep_id"])]
    if len(without):
        return LIMITED, (
            f"{len(without)} of {int(employed.sum())} reps employed in {month} have no quota for that month "
            f"({_names(without['name'])}); quotas from {origin}"
        )
    return AVAILABLE, f"every rep employed in {month} has a quota for it; quotas from {origin}"


def _team_performance(data: SalesData) -> tuple[str, str]:
    """Results by rep and team need every deal's owner to be a rep with a team."""
    opps, reps = data.opportunities, data.reps
    unknown = int((~is_in(opps["owner_id"], reps["rep_id"])).sum())
    no_team = int((reps["team"].astype("str") == UNKNOWN_TEAM).sum())
    problems = []
    if unknown:
        problems.append(f"{unknown:,} of {len(opps):,} deals have no known owner")
    if no_team:
        problems.append(f"{no_team} of {len(reps)} reps have no team")
    if problems:
        return LIMITED, " and ".join(problems) + f"; they are shown under team '{UNKNOWN_TEAM}'"
    teams = reps["team"].nunique()
    return AVAILABLE, f"every deal's owner is one of {len(reps)} reps in {teams} teams"


def _new_hire_ramp(data: SalesData) -> tuple[str, str]:
    """The ramp needs reps' hire dates."""
    reps = data.reps
    if not _present(data, "reps", reps, "hire_date"):
        return UNAVAILABLE, "reps has no hire_date column, so tenure and the new-hire ramp cannot be measured"
    filled, total = int(reps["hire_date"].notna().sum()), len(reps)
    status = _filled_status(filled, total)
    if status == UNAVAILABLE:
        return status, "hire_date is empty for every rep, so tenure and the new-hire ramp cannot be measured"
    if status == LIMITED:
        return status, f"hire_date is missing for {total - filled} of {total} reps, who are left out of the ramp"
    return status, f"hire_date is filled for {filled} of {total} reps"


def _activity_against_outcome(data: SalesData) -> tuple[str, str]:
    """Activity against outcome needs the activities table, with activities naming deals."""
    activities = data.activities
    if activities is None:
        return UNAVAILABLE, "no activities table, so activity counts and activities per won deal are unavailable"
    # The loader clears references to unknown deals, so a filled opportunity_id names a known deal.
    linked, total = int(activities["opportunity_id"].notna().sum()), len(activities)
    if linked / total < ACTIVITY_LINK_MIN_SHARE:
        return LIMITED, (
            f"only {linked:,} of {total:,} activities name a deal, so activities per deal rest on few deals; "
            "activity counts per rep are unaffected"
        )
    return AVAILABLE, f"{total:,} activities, {linked / total:.0%} of them for a known deal"


def _history_coverage(opportunities: pd.DataFrame, history: pd.DataFrame) -> tuple[int, int]:
    """Deals with at least one history row, and all deals."""
    return int(is_in(opportunities["opportunity_id"], history["opportunity_id"]).sum()), len(opportunities)


def _time_in_stage(data: SalesData) -> tuple[str, str]:
    """Stage durations and the funnel need history rows for (nearly) every deal."""
    history = data.history
    if history is None:
        return UNAVAILABLE, (
            "no opportunity_history table, so stage durations, funnel conversion and stalled deals are unavailable"
        )
    covered, total = _history_coverage(data.opportunities, history)
    status = _filled_status(covered, total)
    if status != AVAILABLE:
        return status, f"only {covered:,} of {total:,} deals have history rows; the others are left out"
    return status, f"{covered:,} of {total:,} deals have history rows"


def _slippage_and_waterfall(data: SalesData) -> tuple[str, str]:
    """Slippage and the waterfall need history with close dates and amounts."""
    history = data.history
    if history is None:
        return UNAVAILABLE, (
            "no opportunity_history table, so close-date slippage, push counts and the pipeline waterfall "
            "are unavailable"
        )
    covered, total = _history_coverage(data.opportunities, history)
    statuses, reasons = [_filled_status(covered, total)], [f"{covered:,} of {total:,} deals have history rows"]
    needs = {"close_date": "slippage and push counts", "amount": "the pipeline waterfall"}
    for column, analysis in needs.items():
        if not _present(data, "opportunity_history", history, column):
            statuses.append(UNAVAILABLE)
            reasons.insert(0, f"opportunity_history has no {column} column, so {analysis} cannot be measured")
            continue
        filled = int(history[column].notna().sum())
        statuses.append(_filled_status(filled, len(history)))
        reasons.append(f"{column} is filled in {filled:,} of {len(history):,} history rows")
    return _worst(*statuses), "; ".join(reasons)


def _lost_reasons(data: SalesData) -> tuple[str, str]:
    """The breakdown of losses needs lost_reason on most lost deals."""
    opps = data.opportunities
    lost = opps[opps["outcome"] == "lost"]
    if lost.empty:
        return UNAVAILABLE, "no lost deals yet"
    if not _present(data, "opportunities", opps, "lost_reason"):
        return UNAVAILABLE, "opportunities has no lost_reason column, so why deals are lost cannot be shown"
    filled, total = int(lost["lost_reason"].notna().sum()), len(lost)
    if filled == 0:
        return UNAVAILABLE, f"lost_reason is empty for all {total:,} lost deals"
    if filled / total < LOST_REASON_MIN_SHARE:
        return LIMITED, (
            f"lost_reason is filled for only {filled:,} of {total:,} lost deals, so the breakdown may not "
            "represent all losses"
        )
    return AVAILABLE, f"lost_reason is filled for {filled:,} of {total:,} lost deals"


def _revenue_forecast(data: SalesData, day: pd.Timestamp) -> tuple[str, str]:
    """A forecast needs FORECAST_MIN_MONTHS months of bookings after the warm-up: the rule the revenue forecast
    applies (metrics.readiness), so this report and that one agree."""
    opps = data.opportunities
    won = opps.loc[(opps["outcome"] == "won") & (opps["close_date"] <= day), "close_date"]
    if won.empty:
        return UNAVAILABLE, "no won deals by then, so there are no bookings to forecast from"
    first, last = won.min().to_period("M"), won.max().to_period("M")
    span = f"{_count((last - first).n + 1, 'month')} of won deals ({first} to {last})"
    learned = forecast_months(data, day)
    if learned.ready:
        return AVAILABLE, span
    after = (
        f"only {_count(learned.months, 'month')} of bookings after the warm-up ({learned.first:%Y-%m} to "
        f"{learned.last:%Y-%m})"
        if learned.months
        else "no month of bookings after the warm-up"
    )
    return UNAVAILABLE, (
        f"{span}, {after}; a forecast needs {FORECAST_MIN_MONTHS} ({MIN_TRAIN} to fit before the first of "
        f"{MIN_ORIGINS} backtest origins)"
    )


def lead_funnel(data: SalesData) -> tuple[str, str]:
    """Which lead analyses the data supports: the funnel needs leads; speed to lead, activities linked to leads or
    assignment times; channel efficiency, campaigns with costs."""
    leads = data.leads
    if leads is None or leads.empty:
        return (
            UNAVAILABLE,
            "no leads table, so the lead funnel, speed to lead and marketing's cost per deal are unavailable",
        )
    linked = int(leads["opportunity_id"].notna().sum())
    parts = [f"{_count(len(leads), 'lead')}, {linked:,} converted to a known deal"]
    missing = []
    basis = touch_basis(leads, data.activities)
    if basis == "first activity":
        parts.append("speed to lead from first activities")
    elif basis:
        parts.append("speed to lead from assignment times (no activity names a lead)")
    else:
        missing.append("speed to lead (no activity names a lead, no assigned_at)")
    campaigns = data.campaigns
    costed = 0 if campaigns is None else int(campaigns["cost"].notna().sum())
    if costed:
        parts.append(f"channel efficiency from {_count(costed, 'campaign')} with a cost")
    else:
        missing.append("channel efficiency (no campaigns with a cost)")
    if not leads[["mql_date", "sql_date"]].notna().any().any():
        missing.append("MQL and SQL steps (no mql_date or sql_date)")
    reason = "; ".join(parts) + (f"; without {', '.join(missing)}" if missing else "")
    return (LIMITED if missing else AVAILABLE), reason


def analysis_readiness(data: SalesData, as_of: pd.Timestamp | str | None = None) -> pd.DataFrame:
    """Whether each later analysis can run on this data: available, limited or unavailable, and why in plain words.

    Columns: analysis, status, reason. as_of (default the data's as_of) bounds the closed deals the KPI scorecard
    and the forecast use, and picks the month whose quotas are checked for every employed rep.
    """
    day = _as_of(data, as_of)
    checks = {
        "KPI scorecard": _kpi_scorecard(data, day),
        "Quota attainment": _quota_attainment(data, day),
        "Team performance": _team_performance(data),
        "New-hire ramp": _new_hire_ramp(data),
        "Activity against outcome": _activity_against_outcome(data),
        "Time in stage and funnel": _time_in_stage(data),
        "Slippage and pipeline waterfall": _slippage_and_waterfall(data),
        "Lost reasons": _lost_reasons(data),
        "Revenue forecast": _revenue_forecast(data, day),
        "Lead funnel": lead_funnel(data),
    }
    rows = [{"analysis": name, "status": status, "reason": reason} for name, (status, reason) in checks.items()]
    return pd.DataFrame(rows, columns=["analysis", "status", "reason"])


def _count(n: int, singular: str, plural: str = "") -> str:
    """n with the noun in singular or plural: '1 error', '2 errors'."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


@dataclass(frozen=True)
class HealthVerdict:
    """The overall verdict on the data and the counts behind it."""

    verdict: str  # "Ready", "Usable" or "Not usable"
    errors: int
    warnings: int
    checks_to_review: int  # orphan checks that found rows, plus dates with empty months
    limited: int
    unavailable: int

    @property
    def sentence(self) -> str:
        """The verdict as one sentence."""
        return (
            f"{self.verdict}: {_count(self.errors, 'error')}, {_count(self.warnings, 'warning')}, "
            f"{_count(self.checks_to_review, 'check')} to review; "
            f"{_count(self.limited, 'analysis', 'analyses')} limited, {self.unavailable:,} unavailable."
        )

    def __str__(self) -> str:
        return self.sentence


def health_verdict(data: SalesData, as_of: pd.Timestamp | str | None = None) -> HealthVerdict:
    """Ready (nothing to flag), Usable (flags to read first) or Not usable (errors, or no closed deal for KPIs)."""
    readiness = analysis_readiness(data, as_of)
    status = readiness.set_index("analysis")["status"]
    review = int((orphans(data, as_of)["rows"] > 0).sum()) + int((date_coverage(data)["empty_months"] > 0).sum())
    errors, warnings = len(data.quality.errors), len(data.quality.warnings)
    limited, unavailable = int((status == LIMITED).sum()), int((status == UNAVAILABLE).sum())
    if errors or status["KPI scorecard"] == UNAVAILABLE:
        verdict = "Not usable"
    elif warnings or review or limited or unavailable:
        verdict = "Usable"
    else:
        verdict = "Ready"
    return HealthVerdict(verdict, errors, warnings, review, limited, unavailable)


def flag_tone(count: object) -> str:
    """A count of problem rows or months as a tone: warn when there are any, good when none."""
    return "warn" if count else "good"


def severity_tone(severity: object) -> str:
    """A data-quality problem's tone: bad for an error, warn for a warning."""
    return "bad" if severity == "error" else "warn"


def required_tone(required: object) -> str:
    """bad for a required column (listed only when it has empty cells), '' for an optional one."""
    return "bad" if required is True or required == 1 else ""


def by_severity(log: pd.DataFrame) -> pd.DataFrame:
    """The data-quality log, errors first, then the problems touching the most rows."""
    errors_first = log.assign(_error=log["severity"] != "error", _count=pd.to_numeric(log["count"]))
    ranked = errors_first.sort_values(["_error", "_count"], ascending=[True, False], kind="stable")
    return ranked.drop(columns=["_error", "_count"]).reset_index(drop=True)


def by_readiness(readiness: pd.DataFrame) -> pd.DataFrame:
    """analysis_readiness with the analyses the data cannot support first: unavailable, limited, then available."""
    order = {UNAVAILABLE: 0, LIMITED: 1, AVAILABLE: 2}
    return readiness.sort_values("status", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)
