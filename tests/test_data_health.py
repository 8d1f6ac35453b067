"""Data health computations, checked against a tiny hand-written data folder and the bundled demo data.

The fixture (report period ending 2024-03-31, so AS_OF below) has ten deals D1..D10, three reps and a planted
problem of each kind: a leaver (R2, left 2024-02-28) still owning the open deal D3, a deal owned by the unknown
rep R9 (D6, which also has no amount), a deal with amount 0 (D10), a history row for the unknown deal DX, an
activity by the unknown rep R9 (A4), an activity for the unknown deal DZ (A5), a quota for R9, no deal created in
March 2024, no deal closed in October 2023, and no deal in stage Prospecting. Every expected number is worked out
by hand in the comment next to it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import SalesData, load_data
from salesops_helpers.analyses.health.checks import (
    HealthVerdict,
    analysis_readiness,
    by_readiness,
    by_severity,
    date_coverage,
    deals_without_amount,
    duplicates,
    flag_tone,
    health_verdict,
    missing_values,
    monthly_volume,
    orphans,
    past_due_open_deals,
    required_tone,
    severity_tone,
    stage_distribution,
)
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.metrics.readiness import FORECAST_MIN_MONTHS
from tests.helpers.planted_company import (
    ACTIVITIES_CSV,
    HISTORY_ROWS,
    OPPORTUNITIES_CSV,
    QUOTAS_CSV,
    REPS_CSV,
    history_csv,
    without_amount,
    write_folder,
)

AS_OF = pd.Timestamp("2024-03-31")


@pytest.fixture
def make(tmp_path: Path, config: WorkbookConfig):
    """Load the fixture with some files replaced or left out: make({"activities.csv": None})."""
    count = iter(range(100))

    def load(files: dict[str, str | None] | None = None, cfg: WorkbookConfig | None = None) -> SalesData:
        return load_data(write_folder(tmp_path / f"data{next(count)}", files or {}), cfg or config)

    return load


@pytest.fixture
def data(make) -> SalesData:
    return make()


def by_key(frame: pd.DataFrame, *key: str) -> pd.DataFrame:
    return frame.set_index(list(key))


def readiness(data: SalesData, as_of: pd.Timestamp = AS_OF) -> dict[str, str]:
    return by_key(analysis_readiness(data, as_of), "analysis")["status"].to_dict()


def reason(data: SalesData, analysis: str, as_of: pd.Timestamp = AS_OF) -> str:
    return by_key(analysis_readiness(data, as_of), "analysis").loc[analysis, "reason"]


def with_opportunities(data: SalesData, **changes: dict[str, object]) -> SalesData:
    """A copy of data whose deals have the given column values: with_opportunities(d, D7={"close_date": ...})."""
    opps = data.opportunities.copy()
    for deal, values in changes.items():
        for column, value in values.items():
            opps.loc[opps["opportunity_id"] == deal, column] = value
    return dataclasses.replace(data, opportunities=opps)


# --------------------------------------------------------------------------------------------------------------------
# How the loader reacts to the planted problems (the data health functions build on it)
# --------------------------------------------------------------------------------------------------------------------


def test_the_fixture_loads_with_the_planted_problems_as_warnings(data: SalesData) -> None:
    assert data.quality.errors == []
    # Kept: D6 (unknown owner R9) and A4 (unknown rep R9). Left out: DX's history row and R9's quota.
    # Cleared: A5's unknown deal DZ. D6's empty amount is read as 0.
    assert "D6" in set(data.opportunities["opportunity_id"])
    assert "A4" in set(data.activities["activity_id"])
    assert "DX" not in set(data.history["opportunity_id"])
    assert "R9" not in set(data.quotas["rep_id"])
    assert pd.isna(data.activities.set_index("activity_id").loc["A5", "opportunity_id"])
    assert data.opportunities.set_index("opportunity_id").loc["D6", "amount"] == 0
    assert len(data.quality.warnings) == 6, data.quality.render()


# --------------------------------------------------------------------------------------------------------------------
# 1. Date coverage
# --------------------------------------------------------------------------------------------------------------------


def test_date_coverage_finds_the_months_without_a_row(data: SalesData) -> None:
    coverage = by_key(date_coverage(data), "table", "column")
    assert list(coverage.index) == [
        ("opportunities", "created_date"),
        ("opportunities", "close_date"),
        ("opportunity_history", "changed_at"),
        ("activities", "occurred_at"),
        ("quotas", "period_start"),
    ]
    # Deals were created from 2023-07-01 (D10) to 2024-04-05 (D7): 10 months, none in March 2024.
    created = coverage.loc[("opportunities", "created_date")]
    assert (created["rows"], created["first"], created["last"]) == (
        10,
        pd.Timestamp("2023-07-01"),
        pd.Timestamp("2024-04-05"),
    )
    assert (created["months"], created["empty_months"], created["gaps"]) == (10, 1, "2024-03")
    # Closed deals only (D10 Aug, D9 Sep, D1 Nov, D8 Dec, D2 Jan): 2023-08 to 2024-01 is 6 months, October empty.
    closed = coverage.loc[("opportunities", "close_date")]
    assert (closed["rows"], closed["months"], closed["empty_months"], closed["gaps"]) == (5, 6, 1, "2023-10")
    assert closed["last"] == pd.Timestamp("2024-01-15")  # the open deals' later expected close dates do not count
    # History: 16 rows (DX's is left out), some in every month from 2023-07 to 2024-04.
    history = coverage.loc[("opportunity_history", "changed_at")]
    assert (history["rows"], history["months"], history["empty_months"], history["gaps"]) == (16, 10, 0, "")
    # Activities in 2023-10, 2024-01 (three) and 2024-03: of 6 months, Nov, Dec and Feb are empty.
    activities = coverage.loc[("activities", "occurred_at")]
    assert (activities["months"], activities["empty_months"]) == (6, 3)
    assert activities["gaps"] == "2023-11 to 2023-12, 2024-02"
    assert activities["first"] == pd.Timestamp("2023-10-02 10:00")
    # Quotas for 2024-01 to 2024-03 (R9's February quota is left out by the loader, R1's is still there).
    quotas = coverage.loc[("quotas", "period_start")]
    assert (quotas["rows"], quotas["months"], quotas["empty_months"]) == (5, 3, 0)


def test_date_coverage_leaves_out_absent_tables_and_generated_quotas(make, config: WorkbookConfig) -> None:
    flat = WorkbookConfig.model_validate(config.model_dump() | {"quotas": {"source": "flat", "monthly_per_rep": 10}})
    data = make({"opportunity_history.csv": None, "activities.csv": None}, flat)
    assert list(date_coverage(data)["table"]) == ["opportunities", "opportunities"]


def test_monthly_volume_counts_every_month_including_empty_ones(data: SalesData) -> None:
    volume = monthly_volume(data)
    assert list(volume.columns) == ["month", "created", "won", "lost"]
    # 2023-07 (D10 created) to 2024-04 (D7 created): 10 months. Created: one a month, two in 2024-01 (D4, D5), none
    # in 2024-03. Won: D9 in 2023-09, D1 in 2023-11. Lost: D10 in 2023-08, D8 in 2023-12, D2 in 2024-01.
    assert list(volume["month"]) == list(pd.date_range("2023-07-01", "2024-04-01", freq="MS"))
    assert list(volume["created"]) == [1, 1, 1, 1, 1, 1, 2, 1, 0, 1]
    assert list(volume["won"]) == [0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    assert list(volume["lost"]) == [0, 1, 0, 0, 0, 1, 1, 0, 0, 0]


# --------------------------------------------------------------------------------------------------------------------
# 2. Missing values
# --------------------------------------------------------------------------------------------------------------------


def test_missing_values_lists_every_canonical_column_in_model_order(data: SalesData) -> None:
    missing = missing_values(data)
    assert list(missing.columns) == ["table", "column", "required", "present", "missing", "share", "note"]
    assert list(missing["table"].drop_duplicates()) == [
        "opportunities",
        "opportunity_history",
        "reps",
        "quotas",
        "activities",
    ]
    opps = missing[missing["table"] == "opportunities"]
    assert list(opps["column"][:6]) == ["opportunity_id", "owner_id", "created_date", "close_date", "stage", "amount"]
    # the canonical columns: last_modified the 15th, lead_id and campaign the 16th and 17th; never the loader's own
    assert len(opps) == 17 and not {"outcome", "sourced_by"} & set(missing["column"])


def test_missing_values_of_the_fixture(data: SalesData) -> None:
    missing = by_key(missing_values(data), "table", "column")
    # D6 had no amount: the loader counts it as 0, but it is still a missing value (1 of 10 deals).
    amount = missing.loc[("opportunities", "amount")]
    assert (amount["present"], amount["missing"], amount["share"]) == (True, 1, 0.1)
    assert "counted as 0" in amount["note"]
    # lost_reason is in the file, filled only for D2: 9 of 10 deals, and 2 of the 3 lost deals, have none.
    lost = missing.loc[("opportunities", "lost_reason")]
    assert (lost["present"], lost["missing"], lost["share"]) == (True, 9, 0.9)
    assert "2 of 3 lost deals" in lost["note"]
    # Columns the file does not have: every row missing, and said so.
    for column in ("account", "currency", "segment", "lead_source", "deal_type", "forecast_category"):
        row = missing.loc[("opportunities", column)]
        assert (row["present"], row["missing"], row["share"], row["note"]) == (False, 10, 1.0, "not in the file")
    for column in ("region", "manager", "role"):
        assert (missing.loc[("reps", column), "present"], missing.loc[("reps", column), "missing"]) == (False, 3)
    # Only R2 has an end date: 2 of 3 empty. D6's history row has no amount: 1 of 16 rows.
    assert missing.loc[("reps", "end_date"), "missing"] == 2
    assert missing.loc[("opportunity_history", "amount"), "share"] == pytest.approx(1 / 16)
    # A3 and A4 name no deal, A5's unknown DZ was cleared by the loader: 3 of 5.
    deal = missing.loc[("activities", "opportunity_id")]
    assert (deal["missing"], deal["share"]) == (3, 0.6)
    assert "1 cleared by the loader" in deal["note"]
    # Required columns are all filled, apart from the amount.
    required = missing[missing["required"]].drop(("opportunities", "amount"))
    assert (required["missing"] == 0).all()


def test_missing_values_count_a_team_the_loader_filled_in(make) -> None:
    data = make({"reps.csv": REPS_CSV.replace("R3,Cy Doe,SMB,", "R3,Cy Doe,,")})
    team = by_key(missing_values(data), "table", "column").loc[("reps", "team")]
    assert data.reps.set_index("rep_id").loc["R3", "team"] == "Unassigned"  # filled by the loader ...
    assert team["missing"] == 1  # ... but missing in the file
    assert readiness(data)["Team performance"] == "limited"
    assert "1 of 3 reps have no team" in reason(data, "Team performance")


def test_missing_values_read_the_header_of_a_parquet_file(make) -> None:
    data = make()
    folder = data.folder
    text = pd.read_csv(folder / "opportunities.csv", dtype=str)
    text.to_parquet(folder / "opportunities.parquet")
    (folder / "opportunities.csv").unlink()
    reloaded = load_data(folder, data.config)
    assert reloaded.files["opportunities"].suffix == ".parquet"
    present = by_key(missing_values(reloaded), "table", "column")["present"]
    assert present[("opportunities", "lost_reason")] and present[("opportunities", "name")]
    assert not present[("opportunities", "segment")]


# --------------------------------------------------------------------------------------------------------------------
# 3. Orphans
# --------------------------------------------------------------------------------------------------------------------


def test_orphans_of_the_fixture(data: SalesData) -> None:
    found = by_key(orphans(data, AS_OF), "check")
    assert list(found.columns) == ["table", "rows", "example"]
    assert found[["rows", "example"]].to_dict("index") == {
        "deal owner not in reps": {"rows": 1, "example": "D6"},  # R9 is not in reps
        "deal without an owner": {"rows": 0, "example": ""},  # every deal has an owner_id
        "open deal owned by a rep who has left": {"rows": 1, "example": "D3"},  # R2 left 2024-02-28; D8 is lost
        "history row for a deal not in opportunities": {"rows": 1, "example": "DX"},  # left out by the loader
        "activity by a rep not in reps": {"rows": 1, "example": "A4"},  # R9
        "activity for a deal not in opportunities": {"rows": 1, "example": "A5"},  # DZ, cleared by the loader
        "quota for a rep not in reps": {"rows": 1, "example": "R9"},  # left out by the loader
    }


def test_a_leaver_is_only_a_leaver_after_the_end_date(data: SalesData) -> None:
    # On 2024-02-15 R2 has not left yet (end date 2024-02-28).
    found = by_key(orphans(data, "2024-02-15"), "check")
    assert found.loc["open deal owned by a rep who has left", "rows"] == 0


def test_orphans_skip_checks_on_absent_tables(make) -> None:
    data = make({"opportunity_history.csv": None, "activities.csv": None})
    assert set(orphans(data, AS_OF)["table"]) == {"opportunities", "quotas"}


def test_orphans_name_at_most_three_distinct_examples(make) -> None:
    extra = [f"{deal},2024-01-25T09:00:00,Prospecting,1,2024-03-01" for deal in ("DZ", "DY", "DW", "DV")]
    extra += [f"DX,2024-01-2{day}T09:00:00,Prospecting,1,2024-03-01" for day in (6, 7)]
    data = make({"opportunity_history.csv": history_csv([*HISTORY_ROWS, *extra])})
    history = by_key(orphans(data, AS_OF), "check").loc["history row for a deal not in opportunities"]
    # 7 unknown rows: DX three times, DV, DW, DY, DZ. The loader sorts history by deal, so the first ids are
    # DV, DW, DX (shown once although three rows have it).
    assert (history["rows"], history["example"]) == (7, "DV, DW, DX")


# --------------------------------------------------------------------------------------------------------------------
# 4. Stage distribution
# --------------------------------------------------------------------------------------------------------------------


def test_stage_distribution_lists_every_stage_in_order(data: SalesData, config: WorkbookConfig) -> None:
    stages = stage_distribution(data)
    assert list(stages.columns) == ["stage", "outcome", "deals", "amount", "share_of_deals"]
    assert list(stages["stage"]) == config.stage_names
    rows = by_key(stages, "stage")
    # Prospecting: no deal. Qualification: D6 (no amount, counted) and D7 (1000). Closed Won: D1 5000 + D9 6000.
    # Closed Lost: D2 2000 + D8 4000 + D10 0.
    assert rows["deals"].to_dict() == {
        "Prospecting": 0,
        "Qualification": 2,
        "Discovery": 1,
        "Proposal": 1,
        "Negotiation": 1,
        "Closed Won": 2,
        "Closed Lost": 3,
    }
    assert rows.loc["Prospecting", "amount"] == 0 and rows.loc["Prospecting", "share_of_deals"] == 0
    assert rows.loc["Qualification", "amount"] == 1000
    assert rows.loc["Closed Won", "amount"] == 11000 and rows.loc["Closed Lost", "amount"] == 6000
    assert rows.loc["Closed Lost", "share_of_deals"] == pytest.approx(0.3)
    assert rows.loc["Closed Won", "outcome"] == "won" and rows.loc["Negotiation", "outcome"] == "open"


# --------------------------------------------------------------------------------------------------------------------
# 5. Past-due open deals
# --------------------------------------------------------------------------------------------------------------------


def test_past_due_open_deals_of_the_fixture(data: SalesData) -> None:
    due = past_due_open_deals(data, AS_OF)
    assert list(due.columns) == [
        "opportunity_id",
        "name",
        "owner",
        "team",
        "stage",
        "amount",
        "close_date",
        "days_overdue",
    ]
    # Open deals due before 2024-03-31: D3 (2024-02-10: 19 days to 29 Feb + 31 = 50), D5 (2024-03-01: 30 days),
    # D6 (2024-03-20: 11 days). D4 and D7 are due later. Largest amount first: D5 7000, D3 3000, D6 0.
    # D6's owner R9 is unknown: shown by id, team Unassigned.
    assert due[["opportunity_id", "owner", "team", "stage", "amount", "days_overdue"]].values.tolist() == [
        ["D5", "Cy Doe", "SMB", "Discovery", 7000.0, 30],
        ["D3", "Bob Ray", "SMB", "Proposal", 3000.0, 50],
        ["D6", "R9", "Unassigned", "Qualification", 0.0, 11],
    ]
    assert list(due["name"]) == ["Echo", "Cask", "Fern"]


def test_past_due_open_deals_leave_out_deals_created_after_as_of(data: SalesData) -> None:
    # The loader never lets a close date precede the created date, so D7 is moved by hand: created 2024-04-05,
    # due 2024-03-25. It did not exist on 2024-03-31, but it did on 2024-04-30.
    moved = with_opportunities(data, D7={"close_date": pd.Timestamp("2024-03-25")})
    assert "D7" not in set(past_due_open_deals(moved, AS_OF)["opportunity_id"])
    assert "D7" in set(past_due_open_deals(moved, "2024-04-30")["opportunity_id"])


def test_past_due_open_deals_with_equal_amounts_put_the_longest_overdue_first(data: SalesData) -> None:
    same = with_opportunities(data, D3={"amount": 7000.0})  # D3 is 50 days overdue, D5 30 days
    assert list(past_due_open_deals(same, AS_OF)["opportunity_id"]) == ["D3", "D5", "D6"]


# --------------------------------------------------------------------------------------------------------------------
# 6. Deals without an amount
# --------------------------------------------------------------------------------------------------------------------


def test_deals_without_amount(data: SalesData) -> None:
    # D6: empty amount (read as 0), open in Qualification, owner unknown. D10: amount 0, lost, Ann Lee.
    found = deals_without_amount(data)
    assert list(found.columns) == ["opportunity_id", "name", "owner", "stage", "outcome", "amount"]
    assert found.values.tolist() == [
        ["D6", "Fern", "R9", "Qualification", "open", 0.0],
        ["D10", "Jade", "Ann Lee", "Closed Lost", "lost", 0.0],
    ]


# --------------------------------------------------------------------------------------------------------------------
# 7. Analysis readiness
# --------------------------------------------------------------------------------------------------------------------


def test_readiness_of_the_fixture(data: SalesData) -> None:
    assert readiness(data) == {
        "KPI scorecard": "available",  # D1, D9 won and D2, D8, D10 lost by 2024-03-31
        "Quota attainment": "limited",  # R1 and R3 are employed in March 2024 (R2 left), only R1 has a quota
        "Team performance": "limited",  # D6's owner R9 is not in reps
        "New-hire ramp": "available",  # all three reps have a hire date
        "Activity against outcome": "available",  # A1 and A2 name a known deal: 2 of 5, above 25%
        "Time in stage and funnel": "available",  # every deal has history rows
        "Slippage and pipeline waterfall": "available",  # close_date 16 of 16, amount 15 of 16 (94%) filled
        "Lost reasons": "limited",  # 1 of 3 lost deals has a reason
        "Revenue forecast": "unavailable",  # won deals span 2023-09 to 2023-11: 3 months
        "Lead funnel": "unavailable",  # the fixture has no leads
    }
    assert "1 of 2 reps employed in 2024-03 have no quota for that month (Cy Doe)" in reason(data, "Quota attainment")
    assert "1 of 10 deals have no known owner" in reason(data, "Team performance")
    assert "only 1 of 3 lost deals" in reason(data, "Lost reasons")
    assert "3 months of won deals (2023-09 to 2023-11)" in reason(data, "Revenue forecast")


def test_readiness_without_history(make) -> None:
    data = make({"opportunity_history.csv": None})
    status = readiness(data)
    assert status["Time in stage and funnel"] == status["Slippage and pipeline waterfall"] == "unavailable"
    assert "no opportunity_history table" in reason(data, "Time in stage and funnel")
    assert "pipeline waterfall" in reason(data, "Slippage and pipeline waterfall")


def test_readiness_with_history_for_half_the_deals(make) -> None:
    # Without the rows of D1 to D5, 5 of 10 deals have history.
    kept = [row for row in HISTORY_ROWS if row.split(",")[0] not in {"D1", "D2", "D3", "D4", "D5"}]
    data = make({"opportunity_history.csv": history_csv(kept)})
    assert readiness(data)["Time in stage and funnel"] == "limited"
    assert readiness(data)["Slippage and pipeline waterfall"] == "limited"
    assert "only 5 of 10 deals have history rows" in reason(data, "Time in stage and funnel")


def test_readiness_with_history_amounts_mostly_empty(make) -> None:
    # Amounts emptied in the 6 rows of D8, D9 and D10; with D6's empty one, 9 of the 16 rows loaded have an amount.
    rows = [without_amount(row) if row.split(",")[0] in {"D8", "D9", "D10"} else row for row in HISTORY_ROWS]
    data = make({"opportunity_history.csv": history_csv(rows)})
    assert readiness(data)["Slippage and pipeline waterfall"] == "limited"
    assert readiness(data)["Time in stage and funnel"] == "available"
    assert "amount is filled in 9 of 16 history rows" in reason(data, "Slippage and pipeline waterfall")


def test_readiness_with_history_without_close_dates(make) -> None:
    rows = [row.rsplit(",", 1)[0] for row in HISTORY_ROWS]
    data = make({"opportunity_history.csv": history_csv(rows, "opportunity_id,changed_at,stage,amount")})
    assert readiness(data)["Slippage and pipeline waterfall"] == "unavailable"
    assert "opportunity_history has no close_date column" in reason(data, "Slippage and pipeline waterfall")


def test_readiness_of_activities(make) -> None:
    assert readiness(make({"activities.csv": None}))["Activity against outcome"] == "unavailable"
    # No activity names a deal: 0 of 5.
    unlinked = ACTIVITIES_CSV.replace(",D1\n", ",\n").replace(",D3\n", ",\n").replace(",DZ\n", ",\n")
    data = make({"activities.csv": unlinked})
    assert readiness(data)["Activity against outcome"] == "limited"
    assert "only 0 of 5 activities name a deal" in reason(data, "Activity against outcome")


def test_readiness_of_quota_attainment(make, config: WorkbookConfig) -> None:
    none = WorkbookConfig.model_validate(config.model_dump() | {"quotas": {"source": "none"}})
    assert readiness(make(cfg=none))["Quota attainment"] == "unavailable"
    # With a March quota for Cy Doe every rep employed in March has one.
    assert readiness(make({"quotas.csv": QUOTAS_CSV + "R3,2024-03-01,4000\n"}))["Quota attainment"] == "available"
    # Flat quotas cover every employed rep in every month of the data.
    flat = WorkbookConfig.model_validate(config.model_dump() | {"quotas": {"source": "flat", "monthly_per_rep": 10}})
    assert readiness(make(cfg=flat))["Quota attainment"] == "available"


def test_readiness_of_team_performance_with_every_owner_known(make) -> None:
    data = make({"opportunities.csv": OPPORTUNITIES_CSV.replace("D6,Fern,R9,", "D6,Fern,R1,")})
    assert readiness(data)["Team performance"] == "available"


@pytest.mark.parametrize(
    ("reps_csv", "status"),
    [
        ("rep_id,name,team\nR1,Ann Lee,Enterprise\nR2,Bob Ray,SMB\nR3,Cy Doe,SMB\n", "unavailable"),
        (REPS_CSV.replace("2022-06-01", "").replace("2023-01-09", ""), "limited"),  # 1 of 3 hire dates
    ],
)
def test_readiness_of_new_hire_ramp(make, reps_csv: str, status: str) -> None:
    assert readiness(make({"reps.csv": reps_csv}))["New-hire ramp"] == status


@pytest.mark.parametrize(
    ("opportunities_csv", "status"),
    [
        ("\n".join(line.rsplit(",", 1)[0] for line in OPPORTUNITIES_CSV.splitlines()) + "\n", "unavailable"),
        (OPPORTUNITIES_CSV.replace("Closed Lost,4000,", "Closed Lost,4000,Timing"), "available"),  # 2 of 3
    ],
)
def test_readiness_of_lost_reasons(make, opportunities_csv: str, status: str) -> None:
    assert readiness(make({"opportunities.csv": opportunities_csv}))["Lost reasons"] == status


@pytest.mark.parametrize(
    ("first_won", "months", "counted", "status"),
    [
        ("2023-01-15", 11, 13, "unavailable"),  # won 2023-01 to 2023-11; created 2022-12-16 + 58 days: from 2023-03
        ("2021-09-10", 27, 29, "unavailable"),  # created 2021-08-11 + 58 days = 2021-10-08: from 2021-11
        ("2021-08-10", 28, 30, "available"),  # created 2021-07-11 + 58 days = 2021-09-07: from 2021-10
    ],
)
def test_readiness_of_revenue_forecast(make, first_won: str, months: int, counted: int, status: str) -> None:
    # the forecast's rule (metrics.readiness): 30 months of bookings after the warm-up, to March 2024 (AS_OF). D11
    # is won 30 days after its creation, D1 50 and D9 60, so the warm-up is 50 + 0.8 × 10 = 58 days from D11's
    # creation, and bookings count from the month after it ends
    assert FORECAST_MIN_MONTHS == 30
    created = (pd.Timestamp(first_won) - pd.Timedelta(days=30)).strftime("%Y-%m-%d")
    data = make({"opportunities.csv": OPPORTUNITIES_CSV + f"D11,Kite,R1,{created},{first_won},Closed Won,900,\n"})
    assert readiness(data)["Revenue forecast"] == status
    said = reason(data, "Revenue forecast")
    assert f"{months} months of won deals" in said
    assert (f"only {counted} months of bookings after the warm-up" in said) is (status == "unavailable")


def test_readiness_of_the_kpi_scorecard_depends_on_the_deals_closed_by_as_of(data: SalesData) -> None:
    # On 2023-08-01 no deal had closed yet; on 2023-09-01 only D10 was (lost on 2023-08-15).
    assert readiness(data, pd.Timestamp("2023-08-01"))["KPI scorecard"] == "unavailable"
    assert readiness(data, pd.Timestamp("2023-09-01"))["KPI scorecard"] == "limited"
    assert "1 lost deal but none won" in reason(data, "KPI scorecard", pd.Timestamp("2023-09-01"))


# --------------------------------------------------------------------------------------------------------------------
# 8. Verdict
# --------------------------------------------------------------------------------------------------------------------


def test_health_verdict_of_the_fixture(data: SalesData) -> None:
    verdict = health_verdict(data, AS_OF)
    # 6 loader warnings (see the first test); 6 orphan checks with rows and 3 dates with empty months (created,
    # closed, activities) to review; limited: quota attainment, team performance, lost reasons; unavailable: the
    # forecast and the lead funnel (no leads).
    assert verdict == HealthVerdict("Usable", 0, 6, 9, 3, 2)
    assert str(verdict) == "Usable: 0 errors, 6 warnings, 9 checks to review; 3 analyses limited, 2 unavailable."


def test_health_verdict_without_a_closed_deal_is_not_usable(data: SalesData) -> None:
    assert health_verdict(data, "2023-08-01").verdict == "Not usable"


# --------------------------------------------------------------------------------------------------------------------
# The demo data
# --------------------------------------------------------------------------------------------------------------------


DEMO_AS_OF = pd.Timestamp("2026-10-31")  # the demo data's last day (data/demo/README.md)


def test_demo_data_is_healthy(demo_data: SalesData) -> None:
    assert set(analysis_readiness(demo_data, DEMO_AS_OF)["status"]) == {"available"}
    volume = monthly_volume(demo_data)
    assert (volume["created"].sum(), volume["won"].sum(), volume["lost"].sum()) == (5993, 1090, 4510)  # README
    assert (orphans(demo_data, DEMO_AS_OF)["rows"] == 0).all()
    assert len(orphans(demo_data, DEMO_AS_OF)) == 7
    coverage = date_coverage(demo_data)
    assert (coverage["empty_months"] == 0).all()
    assert coverage.set_index(["table", "column"]).loc[("opportunities", "created_date"), "last"] == DEMO_AS_OF
    assert health_verdict(demo_data, DEMO_AS_OF).verdict == "Ready"
    missing = missing_values(demo_data)
    assert missing["present"].all()
    assert (missing.loc[missing["required"], "missing"] == 0).all()


def test_demo_leaver_owns_closed_deals_but_no_open_ones(demo_data: SalesData) -> None:
    # README: Matteo Ricci (R022) left on 2026-04-30; his open deals went to a successor, his closed ones stayed.
    owned = demo_data.opportunities[demo_data.opportunities["owner_id"] == "R022"]
    assert len(owned) > 0 and (owned["outcome"] != "open").all()
    leavers = by_key(orphans(demo_data, DEMO_AS_OF), "check").loc["open deal owned by a rep who has left", "rows"]
    assert leavers == 0


def test_demo_stage_distribution_matches_the_readme(demo_data: SalesData) -> None:
    # README: 1,090 won, 4,510 lost, 393 open.
    stages = stage_distribution(demo_data)
    assert stages.groupby("outcome")["deals"].sum().to_dict() == {"lost": 4510, "open": 393, "won": 1090}
    assert stages["share_of_deals"].sum() == pytest.approx(1.0)


def test_demo_has_past_due_open_deals(demo_data: SalesData) -> None:
    due = past_due_open_deals(demo_data, DEMO_AS_OF)
    assert len(due) > 0
    assert (due["close_date"] < DEMO_AS_OF).all() and (due["days_overdue"] > 0).all()
    outcome = demo_data.opportunities.set_index("opportunity_id")["outcome"]
    assert (outcome[due["opportunity_id"]] == "open").all()
    assert due["amount"].is_monotonic_decreasing
    assert deals_without_amount(demo_data).empty


def test_duplicates_count_the_exact_copies_loading_dropped(make) -> None:
    # D9 twice more in opportunities.csv and the D1 win twice in history: 2 + 1 exact copies dropped; none elsewhere.
    opportunities = OPPORTUNITIES_CSV + "D9,Iris,R3,2023-08-01,2023-09-30,Closed Won,6000,\n" * 2
    history = history_csv([*HISTORY_ROWS, "D1,2023-11-20T10:00:00,Closed Won,5000,2023-11-20"])
    loaded = make({"opportunities.csv": opportunities, "opportunity_history.csv": history})
    dropped = duplicates(loaded).set_index("table")["dropped"].to_dict()
    assert dropped == {"opportunities": 2, "opportunity_history": 1, "reps": 0, "quotas": 0, "activities": 0}


def test_duplicates_list_only_the_tables_that_were_read(make) -> None:
    loaded = make({"activities.csv": None})
    assert list(duplicates(loaded)["table"]) == ["opportunities", "opportunity_history", "reps", "quotas"]
    assert duplicates(loaded)["dropped"].sum() == 0


def test_the_readiness_table_lists_what_the_data_cannot_support_first() -> None:
    readiness = pd.DataFrame(
        {"analysis": ["A", "B", "C", "D"], "status": ["available", "unavailable", "limited", "unavailable"]}
    )
    assert list(by_readiness(readiness)["analysis"]) == ["B", "D", "C", "A"]


def test_the_quality_log_lists_errors_first_then_the_most_rows() -> None:
    log = pd.DataFrame({"severity": ["warning", "error", "warning", "error"], "count": [5, 1, 40, 2]})
    assert by_severity(log)[["severity", "count"]].values.tolist() == [
        ["error", 2],
        ["error", 1],
        ["warning", 40],
        ["warning", 5],
    ]
    assert [severity_tone(s) for s in ("error", "warning")] == ["bad", "warn"]
    assert [flag_tone(n) for n in (0, 3)] == ["good", "warn"]
    assert [required_tone(r) for r in (True, False)] == ["bad", ""]


def test_lead_funnel_readiness_says_what_the_leads_support(tmp_path, config) -> None:
    from salesops_helpers.analyses.health.checks import lead_funnel
    from tests.helpers import six_deals, six_leads

    data = load_data(six_leads.write_folder(tmp_path / "leads"), config)
    status, why = lead_funnel(data)
    assert status == "available"
    assert why == (
        "8 leads, 4 converted to a known deal; speed to lead from first activities; channel efficiency from 2 "
        "campaigns with a cost"
    )
    without_touches = load_data(
        six_deals.write_folder(tmp_path / "no-touches", six_leads.FILES | {"activities.csv": six_deals.ACTIVITIES_CSV}),
        config,
    )
    status, why = lead_funnel(without_touches)
    assert status == "limited" and "without speed to lead (no activity names a lead, no assigned_at)" in why
