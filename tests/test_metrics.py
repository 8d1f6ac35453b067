"""The metric layer, every KPI checked against numbers worked out by hand on a tiny data folder.

Calendar: the default configuration's (fiscal year starts in February, named by its end: FY2027 = Feb 2026 .. Jan
2027, Q3 = Aug .. Oct 2026). The periods checked are the month 2026-10, FY2027 Q3, FY2027 and TTM 2026-10
(Nov 2025 .. Oct 2026), plus 2026-07 (a zero quota), 2026-09 (nothing closed) and a few neighbours.

Reps (team / region / manager):
    R1 Ann Lee   Enterprise / North America / Dana Wu
    R2 Bob Ray   SMB        / EMEA          / Eve Lund   left on 2026-08-31 (quota rows end with August 2026)
    R3 Cy Doe    SMB        / North America / Eve Lund   no quota row at all
    R9           not in reps.csv: owns D10, so D10 goes to team "Unassigned"

Quotas (monthly): R1 10000 every month 2025-11 .. 2027-01; R2 5000 every month 2025-11 .. 2026-08 except 2026-07,
which is 0 (on leave); R3 none.

Deals (cycle = close - created in days, for won deals):
    id   owner segment     lead     type          created     close       now          amount  cycle
    D1   R1    Enterprise  Outbound New Business  2025-10-01  2025-12-10  Closed Won   20000   70
    D2   R2    SMB         Inbound  New Business  2025-12-01  2026-03-15  Closed Lost   6000
    D3   R2    SMB         Inbound  New Business  2026-02-01  2026-05-20  Closed Won    8000  108
    D4   R1    Enterprise  Partner  Expansion     2026-05-01  2026-07-31  Closed Won   12000   91  last day of Q2
    D5   R2    SMB         Outbound New Business  2026-06-01  2026-08-01  Closed Won    5000   61  first day of Q3
    D6   R3    Mid-Market  Inbound  New Business  2026-07-01  2026-10-01  Closed Won    4000   92  first day of Oct
    D7   R1    Enterprise  Outbound Expansion     2026-08-10  2026-10-31  Closed Won   15000   82  last day of Oct/Q3
    D8   R3    SMB         Partner  New Business  2026-08-15  2026-10-20  Closed Lost   3000
    D9   R1    Enterprise  Inbound  New Business  2026-09-05  2026-11-01  Closed Won    9000   57  first day of Q4
    D10  R9    SMB         Partner  New Business  2026-08-20  2026-10-15  Closed Won    2000   56
    D11  R1    Enterprise  Outbound New Business  2026-06-10  2026-12-15  Proposal     30000      open
    D12  R3    SMB         Inbound  Expansion     2026-09-01  2027-01-20  Qualification 10000     open
    D13  R3    Mid-Market  Partner  New Business  2026-10-10  2027-02-15  Discovery     7000      open
    D14  R1    Enterprise  Outbound New Business  2026-07-20  2026-11-20  Closed Lost  16000

History (stage, amount, expected close after each change): every deal has a first row on its created day and,
when closed, a row on its close day. The changes in between:
    D9   Discovery 9000 (close 11-15); 2026-10-20 Negotiation (close 11-05); 2026-11-01 Closed Won
    D11  Discovery 30000 (close 2026-09-30); 2026-08-20 Negotiation (close 11-30);
         2026-11-12 Proposal (close 12-15): moved BACK a stage after October
    D12  Prospecting 4000 (close 11-30); 2026-11-05 Qualification, amount raised to 10000 (close 2027-01-20)
    D14  Qualification 12000 (close 10-15); 2026-10-01 Proposal, amount raised to 16000 (close 11-30);
         2026-11-20 Closed Lost
    D4   Proposal 12000 (close 07-15); D5 Qualification (close 08-15); D6 Discovery (close 09-30);
    D7   Prospecting (close 10-31); D8 Qualification (close 10-31); D10 Proposal (close 10-15);
    D13  Discovery (close 2027-02-15); D1 Prospecting (close 2025-12-31); D2 Qualification (close 2026-03-31)

Stage probabilities (config/workbook.yml): Prospecting 0.05, Qualification 0.10, Discovery 0.20, Proposal 0.40,
Negotiation 0.70.

Deal states on the days that matter, from the history (the day's last saved row):
    2025-10-31  open: D1 Prospecting 20000 (close 2025-12-31)
    2026-01-31  open: D2 Qualification 6000 (close 2026-03-31)
    2026-06-30  open: D4 Proposal 12000 (close 07-15), D5 Qualification 5000 (close 08-15),
                      D11 Discovery 30000 (close 09-30)
    2026-07-31  open: D5 Qualification 5000 (08-15), D6 Discovery 4000 (09-30), D11 Discovery 30000 (09-30),
                      D14 Qualification 12000 (10-15)                    [D4 closed on the day itself]
    2026-08-31  open: D6 Discovery 4000 (09-30), D7 Prospecting 15000 (10-31), D8 Qualification 3000 (10-31),
                      D10 Proposal 2000 (10-15), D11 Negotiation 30000 (11-30), D14 Qualification 12000 (10-15)
    2026-09-30  open: as 08-31 plus D9 Discovery 9000 (11-15) and D12 Prospecting 4000 (11-30)
    2026-10-31  open: D9 Negotiation 9000, D11 Negotiation 30000, D12 Prospecting 4000, D13 Discovery 7000,
                      D14 Proposal 16000                                 [D7 closed on the day itself]
    2027-01-31  open: D11 Proposal 30000, D12 Qualification 10000, D13 Discovery 7000

No expected value below is computed by the code under test: each is written out, with its arithmetic beside it.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import SalesData, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.metrics import GROUPINGS, METRICS, METRICS_BY_KEY, KpiTable, kpi_series, kpi_table
from salesops_helpers.metrics.deal_state import open_deals_at
from salesops_helpers.metrics.table import MetricError
from salesops_helpers.paths import DEMO_DATA
from tests.helpers.metrics_company import CAL, HISTORY_CSV, OPPORTUNITIES_CSV, write_folder

# --------------------------------------------------------------------------------------------------------------------
# The fixture (its files are in tests/helpers/metrics_company.py) and the periods checked
# --------------------------------------------------------------------------------------------------------------------

OCT, Q3, FY, TTM = "2026-10", "FY2027 Q3", "FY2027", "TTM 2026-10"
MISSING = None  # an expected value that must be NaN, with a row in KpiTable.missing giving the metric's reason
QUOTA_METRICS = ("quota", "attainment", "coverage", "reps_at_quota")
NO_QUOTA = dict.fromkeys(QUOTA_METRICS, MISSING)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    return load_data(write_folder(tmp_path_factory.mktemp("metrics") / "with_history", {}), config)


@pytest.fixture(scope="module")
def no_history(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    folder = tmp_path_factory.mktemp("metrics") / "without_history"
    return load_data(write_folder(folder, {"opportunity_history.csv": None}), config)


def period(label: str) -> Period:
    return CAL.parse(label)


# --------------------------------------------------------------------------------------------------------------------
# Comparing a KPI table with the hand-worked values
# --------------------------------------------------------------------------------------------------------------------


def group_key(table: KpiTable) -> str | None:
    """The column naming a group (rep_id for reps), None at company level."""
    return table.group_columns[0] if table.by else None


def rows_by_group(table: KpiTable) -> dict[str, pd.Series]:
    key = group_key(table)
    if key is None:
        assert len(table.values) == 1, table.values
        return {"All": table.values.iloc[0]}
    assert table.values[key].is_unique, table.values
    return {row[key]: row for _, row in table.values.iterrows()}


def missing_reasons(table: KpiTable, group: str, metric: str) -> list[str]:
    missing = table.missing
    key = group_key(table)
    mask = missing["metric"] == metric
    if key is not None:
        mask &= missing[key] == group
    return list(missing.loc[mask, "reason"])


def differences(table: KpiTable, expected: dict[str, dict[str, float | None]], complete: bool = True) -> list[str]:
    """Every way the table differs from the expected values (group -> metric -> value; MISSING for NaN)."""
    rows = rows_by_group(table)
    problems = []
    if complete and set(rows) != set(expected):
        problems.append(f"groups {sorted(rows)} != expected {sorted(expected)}")
    for group, metrics in expected.items():
        if group not in rows:
            problems.append(f"no row for {group}")
            continue
        for metric, want in metrics.items():
            got = rows[group][metric]
            reasons = missing_reasons(table, group, metric)
            if want is MISSING:
                if not math.isnan(got):
                    problems.append(f"{group} {metric}: {got!r}, expected missing")
                if reasons != [METRICS_BY_KEY[metric].when_missing] or not reasons[0]:
                    problems.append(f"{group} {metric}: missing reasons {reasons!r}")
            else:
                if math.isnan(got) or got != pytest.approx(want, rel=1e-9, abs=1e-9):
                    problems.append(f"{group} {metric}: {got!r}, expected {want!r}")
                if reasons:
                    problems.append(f"{group} {metric}: has a value but is listed missing: {reasons!r}")
    return problems


def assert_table(table: KpiTable, expected: dict[str, dict[str, float | None]], complete: bool = True) -> None:
    problems = differences(table, expected, complete)
    assert not problems, "\n".join(problems)


def test_the_fixture_loads_with_only_the_planted_warnings(data: SalesData, no_history: SalesData) -> None:
    assert data.quality.errors == []
    # The only warning: D10's owner R9 is not in reps.csv (kept, reported under team 'Unassigned').
    assert [(p.table, p.column) for p in data.quality.warnings] == [("opportunities", "owner_id")]
    assert len(data.opportunities) == 14  # D1 .. D14
    assert len(data.quotas) == 25  # R1: 15 months + R2: 10 months
    assert no_history.history is None


def test_the_catalogue_holds_the_seventeen_metrics_tested_here() -> None:
    assert [metric.key for metric in METRICS] == [
        "bookings",
        "won_deals",
        "lost_deals",
        "win_rate",
        "win_rate_value",
        "avg_deal_size",
        "median_deal_size",
        "sales_cycle_days",
        "pipeline_created",
        "deals_created",
        "open_pipeline",
        "weighted_pipeline",
        "coverage",
        "velocity",
        "quota",
        "attainment",
        "reps_at_quota",
    ]
    for metric in METRICS:
        assert metric.formula, metric.key
    for label in COMPANY:
        assert set(COMPANY[label]) == set(METRICS_BY_KEY), label


# --------------------------------------------------------------------------------------------------------------------
# Company level
# --------------------------------------------------------------------------------------------------------------------

COMPANY: dict[str, dict[str, float | None]] = {
    OCT: {
        "bookings": 21000,  # won in Oct: D6 4000 (Oct 1) + D7 15000 (Oct 31) + D10 2000 (Oct 15)
        "won_deals": 3,  # D6, D7, D10
        "lost_deals": 1,  # D8 (Oct 20)
        "win_rate": 0.75,  # 3 / (3 + 1)
        "win_rate_value": 0.875,  # 21000 / (21000 + 3000)
        "avg_deal_size": 7000,  # 21000 / 3
        "median_deal_size": 4000,  # median(2000, 4000, 15000)
        "sales_cycle_days": 82,  # median(D10 56, D7 82, D6 92)
        "pipeline_created": 7000,  # created in Oct: D13 7000
        "deals_created": 1,  # D13
        "open_pipeline": 66000,  # open at 10-31: D9 9000 + D11 30000 + D12 4000 + D13 7000 + D14 16000
        # D9 9000*0.7=6300 + D11 30000*0.7=21000 + D12 4000*0.05=200 + D13 7000*0.2=1400 + D14 16000*0.4=6400
        "weighted_pipeline": 35300,
        # open at 09-30 with close in Oct: D7 15000 + D8 3000 + D10 2000 + D14 12000 = 32000 (D6's close was
        # 09-30 then); quota R1 10000 (R2 left, R3 has none)
        "coverage": 3.2,  # 32000 / 10000
        # open at 09-30: D6, D7, D8, D9, D10, D11, D12, D14 = 8 deals
        "velocity": 8 * 0.75 * 7000 / 82,  # 8 deals * win rate 0.75 * avg 7000 / 82 days
        "quota": 10000,  # R1 Oct 10000
        "attainment": 2.1,  # 21000 / 10000
        "reps_at_quota": 1.0,  # R1 booked D7 15000 >= 10000: 1 of 1 rep with a quota
    },
    Q3: {
        "bookings": 26000,  # Aug 1 .. Oct 31: D5 5000 + D6 4000 + D7 15000 + D10 2000 (not D4 Jul 31, D9 Nov 1)
        "won_deals": 4,  # D5, D6, D7, D10
        "lost_deals": 1,  # D8 (D14 lost Nov 20)
        "win_rate": 0.8,  # 4 / (4 + 1)
        "win_rate_value": 26000 / 29000,  # 26000 / (26000 + 3000)
        "avg_deal_size": 6500,  # 26000 / 4
        "median_deal_size": 4500,  # median(2000, 4000, 5000, 15000) = (4000 + 5000) / 2
        "sales_cycle_days": 71.5,  # median(56, 61, 82, 92) = (61 + 82) / 2
        # created Aug .. Oct: D7 15000 + D8 3000 + D9 9000 + D10 2000 + D12 10000 (today's amount) + D13 7000
        "pipeline_created": 46000,
        "deals_created": 6,  # D7 (08-10), D8 (08-15), D9 (09-05), D10 (08-20), D12 (09-01), D13 (10-10)
        "open_pipeline": 66000,  # same day as October's end
        "weighted_pipeline": 35300,  # same day as October's end
        # open at 07-31 with close in Q3: D5 5000 (08-15) + D6 4000 (09-30) + D11 30000 (09-30) + D14 12000 (10-15)
        # = 51000; quota R1 3 * 10000 + R2 Aug 5000 = 35000
        "coverage": 51000 / 35000,
        "velocity": 4 * 0.8 * 6500 / 71.5,  # open at 07-31: D5, D6, D11, D14 = 4
        "quota": 35000,  # R1 30000 + R2 5000 (August only: gone after)
        "attainment": 26000 / 35000,
        "reps_at_quota": 0.5,  # R1 15000 < 30000 no; R2 D5 5000 >= 5000 yes: 1 of 2
    },
    FY: {
        # Feb 1 2026 .. Jan 31 2027: D3 8000 + D4 12000 + D5 5000 + D6 4000 + D7 15000 + D9 9000 + D10 2000
        "bookings": 55000,
        "won_deals": 7,
        "lost_deals": 3,  # D2 6000, D8 3000, D14 16000
        "win_rate": 0.7,  # 7 / 10
        "win_rate_value": 0.6875,  # 55000 / (55000 + 25000)
        "avg_deal_size": 55000 / 7,
        "median_deal_size": 8000,  # median(2000, 4000, 5000, 8000, 9000, 12000, 15000)
        "sales_cycle_days": 82,  # median(56, 57, 61, 82, 91, 92, 108)
        # every deal but D1, D2 (created 2025): 8000 + 12000 + 5000 + 4000 + 15000 + 3000 + 9000 + 2000 + 30000
        # + 10000 + 7000 + 16000; D3 created on the first day, Feb 1
        "pipeline_created": 121000,
        "deals_created": 12,  # D3 .. D14
        "open_pipeline": 47000,  # open at 2027-01-31: D11 30000 + D12 10000 + D13 7000
        "weighted_pipeline": 14400,  # D11 30000*0.4=12000 + D12 10000*0.1=1000 + D13 7000*0.2=1400
        # open at 2026-01-31: D2 6000 (close 03-31, in the year); quota R1 12*10000 + R2 (5*5000 + 0 + 5000)
        "coverage": 0.04,  # 6000 / 150000
        "velocity": 1 * 0.7 * (55000 / 7) / 82,  # 1 open deal (D2) * 0.7 * 55000/7 / 82
        "quota": 150000,  # R1 120000 + R2 Feb..Jun 25000 + Jul 0 + Aug 5000
        "attainment": 55000 / 150000,
        "reps_at_quota": 0.0,  # R1 12000+15000+9000 = 36000 < 120000; R2 8000+5000 = 13000 < 30000
    },
    TTM: {
        # Nov 1 2025 .. Oct 31 2026: D1 20000 + D3 8000 + D4 12000 + D5 5000 + D6 4000 + D7 15000 + D10 2000
        "bookings": 66000,
        "won_deals": 7,
        "lost_deals": 2,  # D2 6000, D8 3000
        "win_rate": 7 / 9,
        "win_rate_value": 0.88,  # 66000 / (66000 + 9000)
        "avg_deal_size": 66000 / 7,
        "median_deal_size": 8000,  # median(2000, 4000, 5000, 8000, 12000, 15000, 20000)
        "sales_cycle_days": 82,  # median(56, 61, 70, 82, 91, 92, 108)
        "pipeline_created": 127000,  # D2 6000 + D3 .. D14 121000 (D1 created Oct 1 2025, before)
        "deals_created": 13,  # D2 and D3 .. D14
        "open_pipeline": 66000,  # same day as October's end
        "weighted_pipeline": 35300,
        # open at 2025-10-31: D1 20000 (close 2025-12-31, inside); quota R1 12*10000 + R2 (9*5000 + 0)
        "coverage": 20000 / 165000,
        "velocity": 1 * (7 / 9) * (66000 / 7) / 82,
        "quota": 165000,  # R1 120000 + R2 Nov 2025 .. Aug 2026 with July at 0: 45000
        "attainment": 0.4,  # 66000 / 165000
        "reps_at_quota": 0.0,  # R1 20000+12000+15000 = 47000 < 120000; R2 13000 < 45000
    },
}


@pytest.mark.parametrize("label", [OCT, Q3, FY, TTM])
def test_company_kpis(data: SalesData, label: str) -> None:
    table = kpi_table(data, period(label))
    assert table.by == ()
    assert table.period == period(label)
    assert list(table.values.columns) == [metric.key for metric in METRICS]
    assert_table(table, {"All": COMPANY[label]})


def test_a_month_without_closed_deals_has_missing_rates_but_a_real_zero_of_bookings(data: SalesData) -> None:
    table = kpi_table(data, period("2026-09"))
    expected = {
        "bookings": 0,  # nothing won or lost in September 2026
        "won_deals": 0,
        "lost_deals": 0,
        "win_rate": MISSING,
        "win_rate_value": MISSING,
        "avg_deal_size": MISSING,
        "median_deal_size": MISSING,
        "sales_cycle_days": MISSING,
        "pipeline_created": 19000,  # D9 9000 + D12 10000
        # open at 09-30: D6 4000 + D7 15000 + D8 3000 + D9 9000 + D10 2000 + D11 30000 + D12 4000 + D14 12000
        "open_pipeline": 79000,
        # 4000*0.2=800 + 15000*0.05=750 + 3000*0.1=300 + 9000*0.2=1800 + 2000*0.4=800 + 30000*0.7=21000
        # + 4000*0.05=200 + 12000*0.1=1200
        "weighted_pipeline": 26850,
        "coverage": 0.4,  # open at 08-31 with close in Sep: D6 4000; / R1's 10000
        "velocity": MISSING,
        "quota": 10000,  # R1 only: R2 left on 08-31
        "attainment": 0.0,  # 0 / 10000: a real zero
        "reps_at_quota": 0.0,  # R1 booked 0 < 10000: 0 of 1
    }
    assert_table(table, {"All": expected})
    missing = table.missing.set_index("metric")["reason"]
    assert missing["win_rate"] == "no deal was won or lost in the period"
    assert missing["avg_deal_size"] == "no deal was won in the period"
    assert sorted(missing.index) == sorted(key for key, value in expected.items() if value is MISSING)


def test_a_period_with_nothing_in_it_still_has_its_one_company_row(data: SalesData) -> None:
    """September 2025: before every deal and every quota. The docstring promises one row without a grouping."""
    table = kpi_table(data, period("2025-09"))
    expected = {
        "bookings": 0,  # nothing won
        "won_deals": 0,
        "lost_deals": 0,
        "pipeline_created": 0,  # the first deal, D1, is created 2025-10-01
        "open_pipeline": 0,
        "win_rate": MISSING,
        "quota": MISSING,  # quotas start 2025-11
        "attainment": MISSING,
    }
    assert_table(table, {"All": expected}, complete=False)


# --------------------------------------------------------------------------------------------------------------------
# By team (R2 and R3 are SMB; R9's deal D10 is Unassigned)
# --------------------------------------------------------------------------------------------------------------------

TEAM: dict[str, dict[str, dict[str, float | None]]] = {
    OCT: {
        "Enterprise": {
            "bookings": 15000,  # D7
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,  # 1 / 1
            "win_rate_value": 1.0,
            "avg_deal_size": 15000,
            "median_deal_size": 15000,
            "sales_cycle_days": 82,  # D7
            "pipeline_created": 0,  # D13 (created in Oct) is R3's
            "open_pipeline": 55000,  # D9 9000 + D11 30000 + D14 16000
            "weighted_pipeline": 33700,  # 6300 + 21000 + 6400
            "coverage": 2.7,  # open at 09-30, close in Oct: D7 15000 + D14 12000 = 27000; / 10000
            "velocity": 4 * 1.0 * 15000 / 82,  # open at 09-30: D7, D9, D11, D14
            "quota": 10000,
            "attainment": 1.5,  # 15000 / 10000
            "reps_at_quota": 1.0,  # R1 15000 >= 10000
        },
        "SMB": {
            "bookings": 4000,  # D6 (R3)
            "won_deals": 1,
            "lost_deals": 1,  # D8
            "win_rate": 0.5,
            "win_rate_value": 4000 / 7000,  # 4000 / (4000 + 3000)
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,  # D6
            "pipeline_created": 7000,  # D13
            "open_pipeline": 11000,  # D12 4000 + D13 7000
            "weighted_pipeline": 1600,  # 200 + 1400
            "velocity": 3 * 0.5 * 4000 / 92,  # open at 09-30: D6, D8, D12
            **NO_QUOTA,  # R2 left in August, R3 has no quota rows
        },
        "Unassigned": {
            "bookings": 2000,  # D10
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 2000,
            "median_deal_size": 2000,
            "sales_cycle_days": 56,
            "pipeline_created": 0,
            "open_pipeline": 0,  # nothing open at 10-31
            "weighted_pipeline": MISSING,  # no open deal
            "velocity": 1 * 1.0 * 2000 / 56,  # open at 09-30: D10
            **NO_QUOTA,  # R9 is no rep of ours
        },
    },
    Q3: {
        "Enterprise": {
            "bookings": 15000,  # D7 (D4 closed Jul 31, D9 Nov 1)
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 15000,
            "median_deal_size": 15000,
            "sales_cycle_days": 82,
            "pipeline_created": 24000,  # D7 15000 + D9 9000
            "open_pipeline": 55000,
            "weighted_pipeline": 33700,
            "coverage": 1.4,  # open at 07-31, close in Q3: D11 30000 + D14 12000 = 42000; / 30000
            "velocity": 2 * 1.0 * 15000 / 82,  # open at 07-31: D11, D14
            "quota": 30000,  # 3 * 10000
            "attainment": 0.5,  # 15000 / 30000
            "reps_at_quota": 0.0,  # 15000 < 30000
        },
        "SMB": {
            "bookings": 9000,  # D5 5000 (R2, who left on 08-31) + D6 4000 (R3)
            "won_deals": 2,
            "lost_deals": 1,  # D8
            "win_rate": 2 / 3,
            "win_rate_value": 0.75,  # 9000 / (9000 + 3000)
            "avg_deal_size": 4500,  # 9000 / 2
            "median_deal_size": 4500,  # median(4000, 5000)
            "sales_cycle_days": 76.5,  # median(61, 92)
            "pipeline_created": 20000,  # D8 3000 + D12 10000 + D13 7000
            "open_pipeline": 11000,  # D12 4000 + D13 7000
            "weighted_pipeline": 1600,
            "coverage": 1.8,  # open at 07-31, close in Q3: D5 5000 + D6 4000 = 9000; / R2's Aug 5000
            "velocity": 2 * (2 / 3) * 4500 / 76.5,  # open at 07-31: D5, D6
            "quota": 5000,  # R2 August
            "attainment": 1.8,  # 9000 / 5000
            "reps_at_quota": 1.0,  # R2 booked 5000 >= 5000; R3 has no quota
        },
        "Unassigned": {
            "bookings": 2000,  # D10
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 2000,
            "median_deal_size": 2000,
            "sales_cycle_days": 56,
            "pipeline_created": 2000,  # D10 created Aug 20
            "open_pipeline": 0,
            "weighted_pipeline": MISSING,
            "velocity": 0.0,  # nothing open at 07-31: 0 * 1 * 2000 / 56
            **NO_QUOTA,
        },
    },
    FY: {
        "Enterprise": {
            "bookings": 36000,  # D4 12000 + D7 15000 + D9 9000
            "won_deals": 3,
            "lost_deals": 1,  # D14
            "win_rate": 0.75,  # 3 / 4
            "win_rate_value": 36000 / 52000,  # 36000 / (36000 + 16000)
            "avg_deal_size": 12000,  # 36000 / 3
            "median_deal_size": 12000,  # median(9000, 12000, 15000)
            "sales_cycle_days": 82,  # median(57, 82, 91)
            "pipeline_created": 82000,  # D4 12000 + D7 15000 + D9 9000 + D11 30000 + D14 16000
            "open_pipeline": 30000,  # at 2027-01-31: D11
            "weighted_pipeline": 12000,  # 30000 * 0.4 (Proposal)
            "coverage": 0.0,  # nothing of R1's open at 2026-01-31 (D1 closed Dec 2025): 0 / 120000
            "velocity": 0.0,  # 0 open deals at the start
            "quota": 120000,  # 12 * 10000
            "attainment": 0.3,  # 36000 / 120000
            "reps_at_quota": 0.0,
        },
        "SMB": {
            "bookings": 17000,  # D3 8000 + D5 5000 (R2) + D6 4000 (R3)
            "won_deals": 3,
            "lost_deals": 2,  # D2 6000, D8 3000
            "win_rate": 0.6,  # 3 / 5
            "win_rate_value": 17000 / 26000,  # 17000 / (17000 + 9000)
            "avg_deal_size": 17000 / 3,
            "median_deal_size": 5000,  # median(4000, 5000, 8000)
            "sales_cycle_days": 92,  # median(61, 92, 108)
            "pipeline_created": 37000,  # D3 8000 + D5 5000 + D6 4000 + D8 3000 + D12 10000 + D13 7000
            "open_pipeline": 17000,  # at 2027-01-31: D12 10000 + D13 7000
            "weighted_pipeline": 2400,  # 10000*0.1 + 7000*0.2
            "coverage": 0.2,  # open at 2026-01-31: D2 6000 (close 03-31); / 30000
            "velocity": 1 * 0.6 * (17000 / 3) / 92,  # D2 open at the start
            "quota": 30000,  # R2: Feb..Jun 5*5000 + Jul 0 + Aug 5000
            "attainment": 17000 / 30000,
            "reps_at_quota": 0.0,  # R2 13000 < 30000
        },
        "Unassigned": {
            "bookings": 2000,
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 2000,
            "median_deal_size": 2000,
            "sales_cycle_days": 56,
            "pipeline_created": 2000,
            "open_pipeline": 0,
            "weighted_pipeline": MISSING,
            "velocity": 0.0,
            **NO_QUOTA,
        },
    },
    TTM: {
        "Enterprise": {
            "bookings": 47000,  # D1 20000 + D4 12000 + D7 15000
            "won_deals": 3,
            "lost_deals": 0,  # D14 lost in November
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 47000 / 3,
            "median_deal_size": 15000,  # median(12000, 15000, 20000)
            "sales_cycle_days": 82,  # median(70, 82, 91)
            "pipeline_created": 82000,  # D4 + D7 + D9 + D11 + D14 (D1 created 2025-10-01, before)
            "open_pipeline": 55000,
            "weighted_pipeline": 33700,
            "coverage": 20000 / 120000,  # open at 2025-10-31: D1 20000 (close 2025-12-31); / 12 * 10000
            "velocity": 1 * 1.0 * (47000 / 3) / 82,  # D1 open at the start
            "quota": 120000,
            "attainment": 47000 / 120000,
            "reps_at_quota": 0.0,
        },
        "SMB": {
            "bookings": 17000,  # D3 8000 + D5 5000 + D6 4000
            "won_deals": 3,
            "lost_deals": 2,  # D2, D8
            "win_rate": 0.6,
            "win_rate_value": 17000 / 26000,
            "avg_deal_size": 17000 / 3,
            "median_deal_size": 5000,
            "sales_cycle_days": 92,
            "pipeline_created": 43000,  # D2 6000 + D3 8000 + D5 5000 + D6 4000 + D8 3000 + D12 10000 + D13 7000
            "open_pipeline": 11000,
            "weighted_pipeline": 1600,
            "coverage": 0.0,  # nothing of theirs open at 2025-10-31: 0 / 45000
            "velocity": 0.0,
            "quota": 45000,  # R2: 9 * 5000 + July 0
            "attainment": 17000 / 45000,
            "reps_at_quota": 0.0,  # R2 13000 < 45000
        },
        "Unassigned": {
            "bookings": 2000,
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 2000,
            "median_deal_size": 2000,
            "sales_cycle_days": 56,
            "pipeline_created": 2000,
            "open_pipeline": 0,
            "weighted_pipeline": MISSING,
            "velocity": 0.0,
            **NO_QUOTA,
        },
    },
}


@pytest.mark.parametrize("label", [OCT, Q3, FY, TTM])
def test_team_kpis(data: SalesData, label: str) -> None:
    table = kpi_table(data, period(label), by=["team"])
    assert table.group_columns == ["team"]
    assert list(table.values.columns) == ["team", *METRICS_BY_KEY]
    assert_table(table, TEAM[label])


# --------------------------------------------------------------------------------------------------------------------
# By rep (R1 is the whole Enterprise team; R9 the whole Unassigned team)
# --------------------------------------------------------------------------------------------------------------------

REP: dict[str, dict[str, dict[str, float | None]]] = {
    OCT: {
        "R1": TEAM[OCT]["Enterprise"],  # R1 is Enterprise's only rep
        "R3": TEAM[OCT]["SMB"],  # R2 left in August and has no October deal: SMB's October is all R3's
        "R9": TEAM[OCT]["Unassigned"],
        # no R2 row: no deal, no quota in October
    },
    Q3: {
        "R1": TEAM[Q3]["Enterprise"],
        "R2": {
            "bookings": 5000,  # D5 (Aug 1, before leaving on 08-31)
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 5000,
            "median_deal_size": 5000,
            "sales_cycle_days": 61,
            "pipeline_created": 0,
            "open_pipeline": 0,
            "weighted_pipeline": MISSING,
            "coverage": 1.0,  # D5 5000 open at 07-31 with close 08-15; / 5000
            "velocity": 1 * 1.0 * 5000 / 61,
            "quota": 5000,  # August only
            "attainment": 1.0,  # 5000 / 5000
            "reps_at_quota": 1.0,
        },
        "R3": {
            "bookings": 4000,  # D6
            "won_deals": 1,
            "lost_deals": 1,  # D8
            "win_rate": 0.5,
            "win_rate_value": 4000 / 7000,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 20000,  # D8 3000 + D12 10000 + D13 7000
            "open_pipeline": 11000,  # D12 4000 + D13 7000
            "weighted_pipeline": 1600,
            "velocity": 1 * 0.5 * 4000 / 92,  # D6 open at 07-31
            **NO_QUOTA,  # R3 has no quota row
        },
        "R9": TEAM[Q3]["Unassigned"],
    },
    FY: {
        "R1": TEAM[FY]["Enterprise"],
        "R2": {
            "bookings": 13000,  # D3 8000 + D5 5000
            "won_deals": 2,
            "lost_deals": 1,  # D2
            "win_rate": 2 / 3,
            "win_rate_value": 13000 / 19000,  # 13000 / (13000 + 6000)
            "avg_deal_size": 6500,
            "median_deal_size": 6500,  # median(5000, 8000)
            "sales_cycle_days": 84.5,  # median(61, 108)
            "pipeline_created": 13000,  # D3 8000 + D5 5000
            "open_pipeline": 0,
            "weighted_pipeline": MISSING,
            "coverage": 0.2,  # D2 6000 open at 2026-01-31; / 30000
            "velocity": 1 * (2 / 3) * 6500 / 84.5,
            "quota": 30000,
            "attainment": 13000 / 30000,
            "reps_at_quota": 0.0,
        },
        "R3": {
            "bookings": 4000,  # D6
            "won_deals": 1,
            "lost_deals": 1,  # D8
            "win_rate": 0.5,
            "win_rate_value": 4000 / 7000,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 24000,  # D6 4000 + D8 3000 + D12 10000 + D13 7000
            "open_pipeline": 17000,  # at 2027-01-31: D12 10000 + D13 7000
            "weighted_pipeline": 2400,
            "velocity": 0.0,  # nothing of R3's open at 2026-01-31
            **NO_QUOTA,
        },
        "R9": TEAM[FY]["Unassigned"],
    },
    TTM: {
        "R1": TEAM[TTM]["Enterprise"],
        "R2": {
            "bookings": 13000,  # D3 8000 + D5 5000
            "won_deals": 2,
            "lost_deals": 1,  # D2 (Mar 15 2026)
            "win_rate": 2 / 3,
            "win_rate_value": 13000 / 19000,
            "avg_deal_size": 6500,
            "median_deal_size": 6500,
            "sales_cycle_days": 84.5,
            "pipeline_created": 19000,  # D2 6000 + D3 8000 + D5 5000
            "open_pipeline": 0,
            "weighted_pipeline": MISSING,
            "coverage": 0.0,  # nothing of R2's open at 2025-10-31: 0 / 45000
            "velocity": 0.0,
            "quota": 45000,
            "attainment": 13000 / 45000,
            "reps_at_quota": 0.0,
        },
        "R3": {
            "bookings": 4000,
            "won_deals": 1,
            "lost_deals": 1,
            "win_rate": 0.5,
            "win_rate_value": 4000 / 7000,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 24000,  # D6 + D8 + D12 + D13
            "open_pipeline": 11000,  # at 10-31: D12 4000 + D13 7000
            "weighted_pipeline": 1600,
            "velocity": 0.0,  # nothing of R3's open at 2025-10-31
            **NO_QUOTA,
        },
        "R9": TEAM[TTM]["Unassigned"],
    },
}


@pytest.mark.parametrize("label", [OCT, Q3, FY, TTM])
def test_rep_kpis(data: SalesData, label: str) -> None:
    table = kpi_table(data, period(label), by=["rep"])
    assert table.group_columns == ["rep_id", "rep"]
    assert_table(table, REP[label])
    names = dict(zip(table.values["rep_id"], table.values["rep"], strict=True))
    expected_names = {"R1": "Ann Lee", "R2": "Bob Ray", "R3": "Cy Doe", "R9": "R9"}  # R9: shown by its id
    assert names == {rep: expected_names[rep] for rep in REP[label]}


def test_a_rep_who_left_keeps_their_deals_in_their_team_and_has_no_quota_after(data: SalesData) -> None:
    # R2 left on 2026-08-31. Their D3 (May) and D5 (Aug 1) still count for SMB in FY2027, and for them as a rep.
    fy_team = kpi_table(data, period(FY), by=["team"], metrics=["bookings"]).values.set_index("team")
    assert fy_team.loc["SMB", "bookings"] == 17000  # D3 8000 + D5 5000 (R2) + D6 4000 (R3)
    # October: no quota row for R2 any more, so no October row for R2 at all, and the company quota is R1's alone.
    october = kpi_table(data, period(OCT), by=["rep"], metrics=["quota", "bookings"]).values
    assert "R2" not in set(october["rep_id"])
    assert kpi_table(data, period(OCT), metrics=["quota"]).values.loc[0, "quota"] == 10000  # R1 only


# --------------------------------------------------------------------------------------------------------------------
# By segment: deal attributes have no quota
# --------------------------------------------------------------------------------------------------------------------

SEGMENT: dict[str, dict[str, dict[str, float | None]]] = {
    # The Enterprise segment's deals are exactly R1's (D1, D4, D7, D9, D11, D14): the Enterprise team's values,
    # with every quota-based metric missing.
    OCT: {
        "Enterprise": {**TEAM[OCT]["Enterprise"], **NO_QUOTA},
        "Mid-Market": {
            "bookings": 4000,  # D6
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 7000,  # D13
            "open_pipeline": 7000,  # D13
            "weighted_pipeline": 1400,  # 7000 * 0.2
            "velocity": 1 * 1.0 * 4000 / 92,  # D6 open at 09-30
            **NO_QUOTA,
        },
        "SMB": {
            "bookings": 2000,  # D10 (Unassigned owner, SMB segment)
            "won_deals": 1,
            "lost_deals": 1,  # D8
            "win_rate": 0.5,
            "win_rate_value": 0.4,  # 2000 / (2000 + 3000)
            "avg_deal_size": 2000,
            "median_deal_size": 2000,
            "sales_cycle_days": 56,
            "pipeline_created": 0,  # D12 was created in September
            "open_pipeline": 4000,  # D12 at 10-31
            "weighted_pipeline": 200,  # 4000 * 0.05
            "velocity": 3 * 0.5 * 2000 / 56,  # open at 09-30: D8, D10, D12
            **NO_QUOTA,
        },
    },
    Q3: {
        "Enterprise": {**TEAM[Q3]["Enterprise"], **NO_QUOTA},
        "Mid-Market": {
            "bookings": 4000,  # D6
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 7000,  # D13 (D6 was created on Jul 1)
            "open_pipeline": 7000,
            "weighted_pipeline": 1400,
            "velocity": 1 * 1.0 * 4000 / 92,  # D6 open at 07-31
            **NO_QUOTA,
        },
        "SMB": {
            "bookings": 7000,  # D5 5000 + D10 2000
            "won_deals": 2,
            "lost_deals": 1,  # D8
            "win_rate": 2 / 3,
            "win_rate_value": 0.7,  # 7000 / (7000 + 3000)
            "avg_deal_size": 3500,
            "median_deal_size": 3500,  # median(2000, 5000)
            "sales_cycle_days": 58.5,  # median(56, 61)
            "pipeline_created": 15000,  # D8 3000 + D10 2000 + D12 10000
            "open_pipeline": 4000,  # D12
            "weighted_pipeline": 200,
            "velocity": 1 * (2 / 3) * 3500 / 58.5,  # D5 open at 07-31
            **NO_QUOTA,
        },
    },
    FY: {
        "Enterprise": {**TEAM[FY]["Enterprise"], **NO_QUOTA},
        "Mid-Market": {
            "bookings": 4000,  # D6
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 11000,  # D6 4000 + D13 7000
            "open_pipeline": 7000,  # D13 at 2027-01-31
            "weighted_pipeline": 1400,
            "velocity": 0.0,  # nothing Mid-Market open at 2026-01-31
            **NO_QUOTA,
        },
        "SMB": {
            "bookings": 15000,  # D3 8000 + D5 5000 + D10 2000
            "won_deals": 3,
            "lost_deals": 2,  # D2, D8
            "win_rate": 0.6,
            "win_rate_value": 0.625,  # 15000 / (15000 + 9000)
            "avg_deal_size": 5000,
            "median_deal_size": 5000,  # median(2000, 5000, 8000)
            "sales_cycle_days": 61,  # median(56, 61, 108)
            "pipeline_created": 28000,  # D3 8000 + D5 5000 + D8 3000 + D10 2000 + D12 10000
            "open_pipeline": 10000,  # D12 at 2027-01-31
            "weighted_pipeline": 1000,  # 10000 * 0.1
            "velocity": 1 * 0.6 * 5000 / 61,  # D2 open at 2026-01-31
            **NO_QUOTA,
        },
    },
    TTM: {
        "Enterprise": {**TEAM[TTM]["Enterprise"], **NO_QUOTA},
        "Mid-Market": {
            "bookings": 4000,
            "won_deals": 1,
            "lost_deals": 0,
            "win_rate": 1.0,
            "win_rate_value": 1.0,
            "avg_deal_size": 4000,
            "median_deal_size": 4000,
            "sales_cycle_days": 92,
            "pipeline_created": 11000,  # D6 + D13
            "open_pipeline": 7000,  # D13 at 10-31
            "weighted_pipeline": 1400,
            "velocity": 0.0,  # nothing Mid-Market open at 2025-10-31
            **NO_QUOTA,
        },
        "SMB": {
            "bookings": 15000,  # D3 + D5 + D10
            "won_deals": 3,
            "lost_deals": 2,
            "win_rate": 0.6,
            "win_rate_value": 0.625,
            "avg_deal_size": 5000,
            "median_deal_size": 5000,
            "sales_cycle_days": 61,
            "pipeline_created": 34000,  # D2 6000 + 28000 as in FY2027
            "open_pipeline": 4000,  # D12 at 10-31
            "weighted_pipeline": 200,
            "velocity": 0.0,  # nothing SMB-segment open at 2025-10-31 (D1 is Enterprise)
            **NO_QUOTA,
        },
    },
}


@pytest.mark.parametrize("label", [OCT, Q3, FY, TTM])
def test_segment_kpis(data: SalesData, label: str) -> None:
    table = kpi_table(data, period(label), by=["segment"])
    assert_table(table, SEGMENT[label])


def test_a_segment_has_no_quota_and_says_why(data: SalesData) -> None:
    table = kpi_table(data, period(Q3), by=["segment"])
    reasons = table.missing[table.missing["metric"] == "attainment"].set_index("segment")["reason"]
    assert sorted(reasons.index) == ["Enterprise", "Mid-Market", "SMB"]
    assert set(reasons) == {
        "no quota above 0 for the period (quotas are set per rep: a segment, lead source or deal type has none)"
    }


def test_other_groupings(data: SalesData) -> None:
    q3 = period(Q3)
    assert_table(
        kpi_table(data, q3, by=["region"]),
        {
            "North America": {  # R1 and R3
                "bookings": 19000,  # D7 15000 (R1) + D6 4000 (R3)
                "quota": 30000,  # R1 3 * 10000; R3 has none
                "attainment": 19000 / 30000,
                "reps_at_quota": 0.0,  # R1 15000 < 30000; R3 has no quota so is not counted
            },
            "EMEA": {"bookings": 5000, "quota": 5000, "attainment": 1.0, "reps_at_quota": 1.0},  # R2: D5; August
            "Unassigned": {"bookings": 2000, "quota": MISSING, "attainment": MISSING},  # R9's D10
        },
    )
    assert_table(
        kpi_table(data, q3, by=["manager"]),
        {
            "Dana Wu": {"bookings": 15000, "quota": 30000},  # R1: D7
            "Eve Lund": {"bookings": 9000, "quota": 5000, "attainment": 1.8},  # R2 D5 5000 + R3 D6 4000; R2 Aug
            "Unassigned": {"bookings": 2000, "quota": MISSING},
        },
    )
    assert_table(
        kpi_table(data, q3, by=["lead_source"]),
        {
            # open at 10-31: D11 30000 + D14 16000
            "Outbound": {"bookings": 20000, "won_deals": 2, "lost_deals": 0, "open_pipeline": 46000, **NO_QUOTA},
            # D6 won; open at 10-31: D9 9000 + D12 4000
            "Inbound": {"bookings": 4000, "won_deals": 1, "lost_deals": 0, "open_pipeline": 13000, **NO_QUOTA},
            # D10 won 2000, D8 lost 3000; open at 10-31: D13 7000
            "Partner": {"bookings": 2000, "win_rate": 0.5, "open_pipeline": 7000, **NO_QUOTA},
        },
    )
    assert_table(
        kpi_table(data, period(FY), by=["deal_type"]),
        {
            # D4 12000 + D7 15000; open at 2027-01-31: D12 10000
            "Expansion": {"bookings": 27000, "lost_deals": 0, "open_pipeline": 10000, **NO_QUOTA},
            # D3 8000 + D5 5000 + D6 4000 + D9 9000 + D10 2000; lost D2, D8, D14; open: D11 30000 + D13 7000
            "New Business": {"bookings": 28000, "lost_deals": 3, "open_pipeline": 37000, **NO_QUOTA},
        },
    )
    # Two groupings at once: team, then segment. A deal grouping means no quota.
    both = kpi_table(data, q3, by=["team", "segment"], metrics=["bookings", "quota"]).values
    bookings = {(row.team, row.segment): row.bookings for row in both.itertuples()}
    assert bookings == {
        ("Enterprise", "Enterprise"): 15000,  # D7
        ("SMB", "Mid-Market"): 4000,  # D6
        ("SMB", "SMB"): 5000,  # D5 (D8 lost; D12, D13 created)
        ("Unassigned", "SMB"): 2000,  # D10
    }
    assert both["quota"].isna().all()


# --------------------------------------------------------------------------------------------------------------------
# Quotas of 0 and no quota
# --------------------------------------------------------------------------------------------------------------------


def test_a_zero_quota_is_left_out_of_reps_at_quota_and_makes_attainment_missing(data: SalesData) -> None:
    july = period("2026-07")  # R1 10000, R2 0 (on leave), R3 none
    assert_table(
        kpi_table(data, july),
        {
            "All": {
                "bookings": 12000,  # D4 on Jul 31
                "quota": 10000,  # R1 10000 + R2 0
                "attainment": 1.2,  # 12000 / 10000
                "reps_at_quota": 1.0,  # R1 12000 >= 10000; R2's 0 quota leaves R2 out: 1 of 1, not 1 of 2
                "coverage": 1.2,  # open at 06-30 with close in July: D4 12000 (07-15); / 10000
            }
        },
        complete=False,
    )
    assert_table(
        kpi_table(data, july, by=["team"]),
        {
            "Enterprise": {"bookings": 12000, "quota": 10000, "attainment": 1.2, "reps_at_quota": 1.0},
            "SMB": {
                "bookings": 0,  # nothing won in July
                "quota": 0,  # R2's 0 (R3 has no row): a real 0, not missing
                "attainment": MISSING,  # 0 / 0
                "coverage": MISSING,  # nothing due in July (D5 expected 08-15) / quota 0
                "reps_at_quota": MISSING,  # no rep with a quota above 0
                "open_pipeline": 9000,  # at 07-31: D5 5000 + D6 4000
                "weighted_pipeline": 1300,  # 5000 * 0.1 + 4000 * 0.2
            },
        },
    )
    assert_table(
        kpi_table(data, july, by=["rep"]),
        {
            "R1": {"quota": 10000, "attainment": 1.2, "reps_at_quota": 1.0},
            "R2": {"quota": 0, "attainment": MISSING, "reps_at_quota": MISSING, "coverage": MISSING},
            "R3": {"quota": MISSING, "attainment": MISSING, "reps_at_quota": MISSING},  # no quota row at all
        },
        complete=False,
    )


def test_flat_quotas_stop_when_a_rep_leaves(tmp_path: Path, config: WorkbookConfig) -> None:
    flat = config.model_copy(
        update={"quotas": config.quotas.model_copy(update={"source": "flat", "monthly_per_rep": 1000.0})}
    )
    data = load_data(write_folder(tmp_path / "flat", {}), flat)
    assert_table(
        kpi_table(data, period(Q3), by=["rep"], metrics=["quota"]),
        {
            "R1": {"quota": 3000},  # Aug, Sep, Oct * 1000
            "R2": {"quota": 1000},  # August only: left on 08-31
            "R3": {"quota": 3000},  # hired 2025-06-02: every month
            "R9": {"quota": MISSING},  # not a rep of ours
        },
    )
    october = kpi_table(data, period(OCT), metrics=["quota", "attainment"]).values.iloc[0]
    assert october["quota"] == 2000  # R1 + R3; R2 gone
    assert october["attainment"] == 10.5  # 21000 / 2000


def test_missing_quota_reasons_are_the_stated_ones(data: SalesData) -> None:
    table = kpi_table(data, period(OCT), by=["team"])
    smb = table.missing[table.missing["team"] == "SMB"].set_index("metric")["reason"]
    assert smb["attainment"] == smb["coverage"] == smb["quota"] == METRICS_BY_KEY["attainment"].when_missing
    assert smb["reps_at_quota"] == "no rep of the group has a quota above 0 for the period"
    assert "win_rate" not in smb.index  # SMB won D6 and lost D8 in October


# --------------------------------------------------------------------------------------------------------------------
# Period boundaries
# --------------------------------------------------------------------------------------------------------------------


def test_deals_closing_on_a_boundary_count_in_that_period_only(data: SalesData) -> None:
    months = CAL.months_between(pd.Timestamp("2026-07-01"), pd.Timestamp("2026-11-30"))
    series = kpi_series(data, months, metrics=["bookings", "won_deals", "lost_deals"])
    assert list(series.columns) == ["period", "period_start", "bookings", "won_deals", "lost_deals"]
    assert series.to_dict("records") == [
        # D4 closed on Jul 31, the last day of July and of FY2027 Q2
        {"period": "2026-07", "period_start": pd.Timestamp("2026-07-01"), "bookings": 12000, "won_deals": 1,
         "lost_deals": 0},
        # D5 closed on Aug 1, the first day of August and of Q3
        {"period": "2026-08", "period_start": pd.Timestamp("2026-08-01"), "bookings": 5000, "won_deals": 1,
         "lost_deals": 0},
        # nothing: D6 closed Oct 1, not in September
        {"period": "2026-09", "period_start": pd.Timestamp("2026-09-01"), "bookings": 0, "won_deals": 0,
         "lost_deals": 0},
        # D6 (Oct 1, first day) 4000 + D10 2000 + D7 (Oct 31, last day) 15000; D8 lost
        {"period": "2026-10", "period_start": pd.Timestamp("2026-10-01"), "bookings": 21000, "won_deals": 3,
         "lost_deals": 1},
        # D9 (Nov 1, first day of Q4) 9000; D14 lost Nov 20
        {"period": "2026-11", "period_start": pd.Timestamp("2026-11-01"), "bookings": 9000, "won_deals": 1,
         "lost_deals": 1},
    ]  # fmt: skip
    quarters = [period(f"FY2027 Q{n}") for n in (1, 2, 3, 4)]
    bookings = kpi_series(data, quarters, metrics=["bookings"])["bookings"].tolist()
    # Q1 Feb..Apr: none (D2 lost Mar 15); Q2 May..Jul: D3 8000 + D4 12000 (Jul 31); Q3: 26000 (from D5 on Aug 1
    # to D7 on Oct 31); Q4 Nov..Jan: D9 9000 (Nov 1)
    assert bookings == [0, 20000, 26000, 9000]
    created = kpi_series(data, [period("FY2026"), period("FY2027")], metrics=["pipeline_created", "bookings"])
    # FY2026 (Feb 2025 .. Jan 2026): created D1 20000 + D2 6000, won D1 20000; FY2027 from D3, created on Feb 1
    assert created[["pipeline_created", "bookings"]].values.tolist() == [[26000, 20000], [121000, 55000]]


# --------------------------------------------------------------------------------------------------------------------
# Open and weighted pipeline on a past day, with and without history
# --------------------------------------------------------------------------------------------------------------------


def deal_states(frame: pd.DataFrame) -> dict[str, tuple[str | None, float, str, str]]:
    out = {}
    for row in frame.itertuples():
        stage = None if pd.isna(row.stage) else row.stage
        out[row.opportunity_id] = (stage, row.amount, f"{row.close_date:%Y-%m-%d}", row.owner_id)
    return out


def test_deal_state_on_a_past_day_comes_from_the_last_history_row_saved_by_then(data: SalesData) -> None:
    assert deal_states(open_deals_at(data, pd.Timestamp("2026-10-31"))) == {
        "D9": ("Negotiation", 9000, "2026-11-05", "R1"),  # won on Nov 1: open at the end of Oct 31
        "D11": ("Negotiation", 30000, "2026-11-30", "R1"),  # back to Proposal only on Nov 12
        "D12": ("Prospecting", 4000, "2026-11-30", "R3"),  # raised to 10000 only on Nov 5
        "D13": ("Discovery", 7000, "2027-02-15", "R3"),
        "D14": ("Proposal", 16000, "2026-11-30", "R1"),  # amount 12000 -> 16000 on Oct 1
        # not D7: its Closed Won row was saved at 17:00 on Oct 31
    }
    assert deal_states(open_deals_at(data, pd.Timestamp("2026-11-15"))) == {
        "D11": ("Proposal", 30000, "2026-12-15", "R1"),  # moved back a stage on Nov 12
        "D12": ("Qualification", 10000, "2027-01-20", "R3"),
        "D13": ("Discovery", 7000, "2027-02-15", "R3"),
        "D14": ("Proposal", 16000, "2026-11-30", "R1"),
    }
    # A backward move lowers the weighted pipeline: November's end has D11 at Proposal
    november = kpi_table(data, period("2026-11"), metrics=["open_pipeline", "weighted_pipeline"]).values.iloc[0]
    assert november["open_pipeline"] == 47000  # at 11-30: D11 30000 + D12 10000 + D13 7000 (D14 lost Nov 20)
    assert november["weighted_pipeline"] == 14400  # 30000*0.4 + 10000*0.1 + 7000*0.2


def test_deal_state_without_history_uses_todays_values(no_history: SalesData) -> None:
    assert deal_states(open_deals_at(no_history, pd.Timestamp("2026-10-31"))) == {
        "D9": (None, 9000, "2026-11-01", "R1"),  # closed since: open that day, stage unknown
        "D11": ("Proposal", 30000, "2026-12-15", "R1"),  # today's stage and amount
        "D12": ("Qualification", 10000, "2027-01-20", "R3"),  # today's amount, not the 4000 of that day
        "D13": ("Discovery", 7000, "2027-02-15", "R3"),
        "D14": (None, 16000, "2026-11-20", "R1"),  # lost since: open that day at today's amount
    }


def test_open_and_weighted_pipeline_without_history(no_history: SalesData) -> None:
    assert_table(
        kpi_table(no_history, period(OCT)),
        {
            "All": {
                "bookings": 21000,  # closed deals do not need history
                "open_pipeline": 72000,  # D9 9000 + D11 30000 + D12 10000 + D13 7000 + D14 16000
                # D9 and D14 closed since, so their stage on 10-31 is unknown: a partial sum would understate it
                "weighted_pipeline": MISSING,
                # open at 09-30 with today's close date in Oct: D6 4000 (10-01) + D7 15000 + D8 3000 + D10 2000
                "coverage": 2.4,  # 24000 / 10000
                "velocity": 8 * 0.75 * 7000 / 82,  # open at 09-30: D6, D7, D8, D9, D10, D11, D12, D14
            }
        },
        complete=False,
    )
    assert_table(
        kpi_table(no_history, period(OCT), by=["team"]),
        {
            "Enterprise": {"open_pipeline": 55000, "weighted_pipeline": MISSING},  # D9+D11+D14; D9, D14 unknown
            "SMB": {"open_pipeline": 17000, "weighted_pipeline": 2400},  # D12 10000*0.1 + D13 7000*0.2
        },
        complete=False,
    )
    # Q3's start (07-31): D5, D6, D11, D14 open; due in Q3 by today's close dates: D5 5000 (08-01) + D6 4000
    # (10-01); D11 (12-15) and D14 (11-20) are not
    q3 = kpi_table(no_history, period(Q3), metrics=["coverage"]).values.iloc[0]
    assert q3["coverage"] == pytest.approx(9000 / 35000)
    # July's end: SMB's D5 and D6 were both open then and closed since: no known stage, so no weighted value
    assert_table(
        kpi_table(no_history, period("2026-07"), by=["team"], metrics=["open_pipeline", "weighted_pipeline"]),
        {"SMB": {"open_pipeline": 9000, "weighted_pipeline": MISSING}},  # D5 5000 + D6 4000
        complete=False,
    )


def test_coverage_counts_only_pipeline_due_in_the_period(data: SalesData) -> None:
    # October's start (end of 09-30): D6's expected close was still 09-30 then (it closed on Oct 1), D9, D11 and
    # D12 were expected in November. Due in October: D7 15000 + D8 3000 + D10 2000 + D14 12000 = 32000.
    row = kpi_table(data, period(OCT), metrics=["coverage", "quota"]).values.iloc[0]
    assert row["coverage"] == pytest.approx(32000 / 10000)


def test_velocity_multiplies_its_four_factors(data: SalesData) -> None:
    row = kpi_table(data, period(Q3), metrics=["win_rate", "avg_deal_size", "sales_cycle_days", "velocity"])
    values = row.values.iloc[0]
    # 4 deals open at 07-31 (D5, D6, D11, D14) * win rate 4/5 * average 26000/4 / median cycle 71.5 days
    assert values["velocity"] == pytest.approx(4 * (4 / 5) * (26000 / 4) / 71.5)
    assert values["velocity"] == pytest.approx(290.9090909, rel=1e-6)  # 20800 / 71.5


def test_a_deal_won_the_day_it_was_created_counts_as_a_seven_day_cycle_in_velocity(
    tmp_path: Path, config: WorkbookConfig
) -> None:
    """September 2026 had nothing closed; add D15, created and won on 2026-09-10 (a 0-day cycle)."""
    opportunities = OPPORTUNITIES_CSV + "D15,Opal,R1,2026-09-10,2026-09-10,Closed Won,1000,SMB,Inbound,New Business\n"
    history = (
        HISTORY_CSV
        + "D15,2026-09-10T09:00:00,Prospecting,1000,2026-09-30\nD15,2026-09-10T15:00:00,Closed Won,1000,2026-09-10\n"
    )
    folder = write_folder(
        tmp_path / "same_day", {"opportunities.csv": opportunities, "opportunity_history.csv": history}
    )
    table = kpi_table(load_data(folder, config), period("2026-09"))
    row = table.values.iloc[0]
    assert row["won_deals"] == 1  # D15
    assert row["win_rate"] == 1.0  # 1 / 1
    assert row["avg_deal_size"] == 1000
    assert row["sales_cycle_days"] == 0  # 2026-09-10 - 2026-09-10
    # velocity divides by a cycle of at least 7 days: 6 open at 08-31 * 1.0 * 1000 / max(0, 7) days = 857.14
    assert row["velocity"] == pytest.approx(6000 / 7)
    assert missing_reasons(table, "All", "velocity") == []


# --------------------------------------------------------------------------------------------------------------------
# The table API
# --------------------------------------------------------------------------------------------------------------------


def test_a_subset_of_metrics_in_the_order_asked(data: SalesData) -> None:
    table = kpi_table(data, period(OCT), by=["team"], metrics=["attainment", "bookings"])
    assert list(table.values.columns) == ["team", "attainment", "bookings"]
    assert_table(
        table,
        {
            "Enterprise": {"attainment": 1.5, "bookings": 15000},  # D7 15000 / 10000
            "SMB": {"attainment": MISSING, "bookings": 4000},  # no quota in October
            "Unassigned": {"attainment": MISSING, "bookings": 2000},
        },
    )
    assert sorted(table.missing["metric"]) == ["attainment", "attainment"]


def test_an_unknown_metric_or_grouping_names_the_choices(data: SalesData) -> None:
    with pytest.raises(MetricError) as raised:
        kpi_table(data, period(OCT), by=["country"])
    message = str(raised.value)
    assert "country" in message
    for grouping in GROUPINGS:
        assert grouping in message
    with pytest.raises(MetricError) as raised:
        kpi_table(data, period(OCT), metrics=["bookings", "revenue"])
    message = str(raised.value)
    assert "revenue" in message
    for key in METRICS_BY_KEY:
        assert key in message
    with pytest.raises(MetricError):
        kpi_series(data, [period(OCT)], metrics=["revenue"])


def test_kpi_series_stacks_periods_in_the_order_given(data: SalesData) -> None:
    periods = [period(Q3), period("FY2027 Q2")]  # later first: the order given is kept
    series = kpi_series(data, periods, by=["team"], metrics=["bookings"])
    assert list(series.columns) == ["period", "period_start", "team", "bookings"]
    rows = [(row.period, f"{row.period_start:%Y-%m-%d}", row.team, row.bookings) for row in series.itertuples()]
    assert rows == [
        ("FY2027 Q3", "2026-08-01", "Enterprise", 15000),  # D7
        ("FY2027 Q3", "2026-08-01", "SMB", 9000),  # D5 + D6
        ("FY2027 Q3", "2026-08-01", "Unassigned", 2000),  # D10
        ("FY2027 Q2", "2026-05-01", "Enterprise", 12000),  # D4 (Jul 31)
        ("FY2027 Q2", "2026-05-01", "SMB", 8000),  # D3
        # no Unassigned row: D10 was created in August
    ]


def test_a_calendar_year_configuration(tmp_path: Path, config: WorkbookConfig) -> None:
    company = config.company.model_copy(update={"fiscal_year_start_month": 1})
    calendar_config = config.model_copy(update={"company": company})
    data = load_data(write_folder(tmp_path / "calendar", {}), calendar_config)
    calendar = FiscalCalendar.from_config(data.config)
    q3 = calendar.parse("FY2026 Q3")  # Jul .. Sep 2026
    assert (q3.start, q3.end) == (pd.Timestamp("2026-07-01"), pd.Timestamp("2026-09-30"))
    assert_table(
        kpi_table(data, q3),
        {
            "All": {
                "bookings": 17000,  # D4 12000 (Jul 31) + D5 5000 (Aug 1)
                "quota": 35000,  # R1 3 * 10000 + R2 Jul 0 + Aug 5000
                "attainment": 17000 / 35000,
                "reps_at_quota": 0.5,  # R1 12000 < 30000; R2 5000 >= 5000
            }
        },
        complete=False,
    )
    year = calendar.parse("FY2026")  # Jan .. Dec 2026
    assert_table(
        kpi_table(data, year),
        {
            "All": {
                "bookings": 55000,  # D3 8000 + D4 12000 + D5 5000 + D6 4000 + D7 15000 + D9 9000 + D10 2000
                "quota": 155000,  # R1 12 * 10000 + R2 Jan..Aug 2026: 7 * 5000 + July 0
            }
        },
        complete=False,
    )


# --------------------------------------------------------------------------------------------------------------------
# The demo data: metrics that must agree with each other and with the files read plainly
# --------------------------------------------------------------------------------------------------------------------


def read_csv_rows(name: str) -> list[dict[str, str]]:
    with (DEMO_DATA / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_demo_metrics_agree_with_each_other_and_with_the_files(config: WorkbookConfig) -> None:
    data = load_data(DEMO_DATA, config)
    q3 = period(Q3)  # 2026-08-01 .. 2026-10-31; the demo data ends on 2026-10-31
    company = kpi_table(data, q3).values.iloc[0]
    additive = ["bookings", "won_deals", "lost_deals", "pipeline_created", "open_pipeline", "weighted_pipeline"]
    for by in (["team"], ["rep"], ["segment"], ["lead_source"], ["deal_type"]):
        groups = kpi_table(data, q3, by=by).values
        for key in additive:
            assert groups[key].sum() == pytest.approx(company[key]), (by, key)
    for by in (["team"], ["rep"], ["region"], ["manager"]):
        assert kpi_table(data, q3, by=by).values["quota"].sum() == pytest.approx(company["quota"]), by

    def amount(row: dict[str, str]) -> float:
        return float(row["amount"] or 0)

    opportunities = read_csv_rows("opportunities.csv")
    in_q3 = [row for row in opportunities if "2026-08-01" <= row["close_date"] <= "2026-10-31"]
    won = [row for row in in_q3 if row["stage"] == "Closed Won"]
    lost = [row for row in in_q3 if row["stage"] == "Closed Lost"]
    assert company["won_deals"] == len(won)
    assert company["lost_deals"] == len(lost)
    assert company["bookings"] == pytest.approx(sum(amount(row) for row in won))
    assert company["win_rate"] == pytest.approx(len(won) / (len(won) + len(lost)))
    created = [row for row in opportunities if "2026-08-01" <= row["created_date"] <= "2026-10-31"]
    assert company["pipeline_created"] == pytest.approx(sum(amount(row) for row in created))
    # The data ends on 2026-10-31, so what is open now is what was open at the end of that day.
    probability = config.stage_probability()
    open_now = [row for row in opportunities if row["stage"] in config.open_stages]
    assert company["open_pipeline"] == pytest.approx(sum(amount(row) for row in open_now))
    assert company["weighted_pipeline"] == pytest.approx(
        sum(amount(row) * probability[row["stage"]] for row in open_now)
    )
    quotas = read_csv_rows("quotas.csv")
    assert company["quota"] == pytest.approx(
        sum(float(row["quota"]) for row in quotas if "2026-08-01" <= row["period_start"] <= "2026-10-31")
    )
    assert company["attainment"] == pytest.approx(company["bookings"] / company["quota"])


def test_a_win_saved_days_after_its_close_date_is_not_also_open_pipeline(
    tmp_path: Path, config: WorkbookConfig, data: SalesData
) -> None:
    """D16 closed on 2026-10-31 but the win was saved on 2026-11-03: October books it, and the pipeline open at the
    end of October must not hold it as well."""
    opportunities = OPPORTUNITIES_CSV + "D16,Quay,R1,2026-10-01,2026-10-31,Closed Won,777,SMB,Inbound,New Business\n"
    history = (
        HISTORY_CSV
        + "D16,2026-10-01T09:00:00,Proposal,777,2026-11-15\nD16,2026-11-03T10:00:00,Closed Won,777,2026-10-31\n"
    )
    folder = write_folder(tmp_path / "late", {"opportunities.csv": opportunities, "opportunity_history.csv": history})
    with_late = kpi_table(load_data(folder, config), period("2026-10")).values.iloc[0]
    base = kpi_table(data, period("2026-10")).values.iloc[0]
    assert with_late["bookings"] == base["bookings"] + 777
    assert with_late["open_pipeline"] == base["open_pipeline"]
    assert with_late["weighted_pipeline"] == base["weighted_pipeline"]


@pytest.mark.slow
def test_deal_state_by_row_positions_matches_the_grouping_rule_on_the_demo(config: WorkbookConfig) -> None:
    """open_deals_at reads sorted history by row positions; the plain grouping rule must give the same states."""
    from salesops_helpers.metrics.deal_state import _open_deals_by_grouping

    demo = load_data(DEMO_DATA, config, cache=True)
    opps = demo.opportunities
    for day in pd.date_range("2023-05-15", "2026-11-30", freq="29D"):
        existed = opps[(opps["created_date"] <= day) & ~((opps["outcome"] != "open") & (opps["close_date"] <= day))]
        expected = _open_deals_by_grouping(demo.history, existed, day, config.stage_outcome()).reset_index(drop=True)
        pd.testing.assert_frame_equal(open_deals_at(demo, day), expected)
