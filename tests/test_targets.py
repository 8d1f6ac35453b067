"""Targets scaled to periods, scorecard status, goal pace and the revenue plan's arithmetic, on hand-made data."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.metrics.planning import RampCurve, capacity_ramp, revenue_plan
from salesops_helpers.metrics.targets import goal_progress, monthly_baselines, scorecard, status, target_for
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

CONFIG = load_config(DEFAULT_CONFIG)
CALENDAR = FiscalCalendar.from_config(CONFIG)


def test_targets_for_sums_scale_by_months_and_rates_do_not():
    # bookings: 9,500,000 a fiscal year -> a month is 9,500,000 / 12, a quarter 9,500,000 * 3 / 12
    assert target_for(CONFIG, "bookings", CALENDAR.parse("2026-10")) == pytest.approx(9_500_000 / 12)
    assert target_for(CONFIG, "bookings", CALENDAR.parse("FY2027 Q3")) == pytest.approx(2_375_000)
    # win_rate: 0.25 a quarter -> 0.25 whatever the period
    assert target_for(CONFIG, "win_rate", CALENDAR.parse("2026-10")) == 0.25
    assert target_for(CONFIG, "won_deals", CALENDAR.parse("2026-10")) is None


@pytest.mark.parametrize(
    ("key", "actual", "target", "expected"),
    [
        ("bookings", 100.0, 90.0, "on target"),
        ("bookings", 80.0, 90.0, "off target"),
        ("sales_cycle_days", 55.0, 60.0, "on target"),  # fewer days is better
        ("sales_cycle_days", 65.0, 60.0, "off target"),
        ("win_rate", float("nan"), 0.25, "no value"),
        ("won_deals", 3.0, None, "no target"),
        ("quota", 3.0, 2.0, "no target"),  # a plan has no good direction
    ],
)
def test_status_follows_the_kpis_good_direction(key, actual, target, expected):
    assert status(key, actual, target) == expected


REPS = """\
rep_id,name,team,hire_date,end_date
R1,Ann Lee,East,2022-01-01,
R2,Bob Ray,East,2024-01-01,
"""
# R1 is ramped (hired 2022) and wins 1,000 each month of 2024; R2 (hired Jan 2024) wins 250 in each of his
# months 1-3 (Jan-Mar 2024) and 1,000 from month 4 on.
ROWS = ["opportunity_id,owner_id,created_date,close_date,stage,amount"]
for number, month in enumerate(range(1, 13), start=1):
    ROWS.append(f"A{number},R1,2024-{month:02d}-01,2024-{month:02d}-15,Closed Won,1000")
    ROWS.append(f"B{number},R2,2024-{month:02d}-01,2024-{month:02d}-15,Closed Won,{250 if month <= 3 else 1000}")
ROWS.append("L1,R1,2024-11-01,2024-12-20,Closed Lost,3000")
OPPORTUNITIES = "\n".join(ROWS) + "\n"
QUOTAS = "rep_id,period_start,quota\n" + "".join(
    f"{rep},2024-{m:02d}-01,900\n" for rep in ("R1", "R2") for m in range(1, 13)
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("plan")
    for name, text in {"reps.csv": REPS, "opportunities.csv": OPPORTUNITIES, "quotas.csv": QUOTAS}.items():
        Path(folder, name).write_text(text, encoding="utf-8")
    return load_data(folder, CONFIG)


def test_the_plan_ramp_measures_new_reps_against_established_ones(small):
    ttm = CALENDAR.trailing_twelve_months(pd.Timestamp("2024-12-31"))
    ramp = capacity_ramp(small, CALENDAR, ttm)
    # R1 (hired 2022-01) is established all through the data (January-December 2024: tenure months 25-36) and
    # books 1,000 each month: 12 established rep-months at 1,000, and East's reference is 1,000 every month.
    assert ramp.ramped_monthly_bookings == pytest.approx(1000)
    # R2 (hired 2024-01) books 250 in tenure months 1-3: 250 / 1,000 = 0.25; 1,000 / 1,000 = 1 in months 4-12
    assert ramp.shares == pytest.approx({m: 0.25 if m <= 3 else 1.0 for m in range(1, 13)})
    assert ramp.rep_months == 12
    assert RampCurve({2: 0.5}, 1.0, 1).share(2) == 0.5 and RampCurve({2: 0.5}, 1.0, 1).share(20) == 1.0


def test_revenue_plan_arithmetic(small):
    year = CALENDAR.parse("FY2026")  # Feb 2025 - Jan 2026: both reps ramped all year
    plan = revenue_plan(small, 30_000, year, CALENDAR, pd.Timestamp("2024-12-31"))
    steps = plan.steps.set_index("step")["value"]
    # TTM 2024: won 12 x 1,000 + 3 x 250 + 9 x 1,000 = 21,750 in 24 deals -> average 906.25; 1 lost of 3,000
    assert steps["Deals to win"] == pytest.approx(30_000 / 906.25)
    assert steps["Deals to close, won or lost"] == pytest.approx(30_000 / 906.25 / (24 / 25))
    assert steps["Pipeline to work"] == pytest.approx(30_000 / (21_750 / 24_750))
    assert steps["Pipeline to create each month"] == pytest.approx(30_000 / (21_750 / 24_750) / 12)
    assert steps["Active reps now"] == 2
    # capacity: 2 ramped reps x 12 months x 1,000 = 24,000; shortfall 6,000 / 12,000 per ramped rep-year = 0.5
    assert plan.capacity == pytest.approx(24_000)
    assert steps["Ramped reps to add"] == pytest.approx(0.5)
    assert math.isnan(plan.quotas_set)  # no quota is set for FY2026 months


def test_goal_progress_on_the_demo_data():
    data = load_data(DEMO_DATA, CONFIG)
    progress = goal_progress(data, CALENDAR, pd.Timestamp("2026-10-31")).set_index("key")
    # FY2027 runs Feb 2026 - Jan 2027: on 2026-10-31, 273 of 365 days are gone
    assert progress.loc["bookings", "elapsed"] == pytest.approx(273 / 365)
    assert progress.loc["bookings", "period"] == "FY2027 to date"
    assert progress.loc["win_rate", "period"] == "FY2027 Q3"  # the quarter ends on 2026-10-31: complete
    share = progress.loc["bookings", "actual"] / progress.loc["bookings", "target"]
    assert progress.loc["bookings", "status"] == ("on pace" if share >= 273 / 365 else "behind pace")


@pytest.mark.slow
def test_scorecard_changes_are_actual_minus_the_earlier_period():
    data = load_data(DEMO_DATA, CONFIG)
    card = scorecard(data, CALENDAR.parse("2026-10"), CALENDAR).set_index("key")
    assert card.loc["bookings", "change"] == pytest.approx(
        card.loc["bookings", "actual"] - card.loc["bookings", "previous"]
    )
    baselines = monthly_baselines(data, CALENDAR.parse("TTM 2026-10"), CALENDAR)
    ttm = scorecard(data, CALENDAR.parse("TTM 2026-10"), CALENDAR).set_index("key")
    months = [
        scorecard(data, CALENDAR.parse(f"{y}-{m:02d}"), CALENDAR).set_index("key")
        for y, m in [(2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 11)]
    ]
    assert baselines["bookings"] == pytest.approx(ttm.loc["bookings", "actual"] / 12)  # a sum: a twelfth
    assert baselines["win_rate"] == pytest.approx(ttm.loc["win_rate", "actual"])  # a rate: pooled over the year
    # a snapshot: the mean of the twelve month-end values
    assert baselines["open_pipeline"] == pytest.approx(sum(m.loc["open_pipeline", "actual"] for m in months) / 12)


def test_a_quarterly_coverage_target_says_nothing_about_a_month():
    assert target_for(CONFIG, "coverage", CALENDAR.parse("2026-10")) is None
    assert target_for(CONFIG, "coverage", CALENDAR.parse("FY2027 Q3")) == 3.0


def test_a_missing_headline_value_is_stored_as_null():
    import numpy as np

    from salesops_helpers.analyses.findings import Headline
    from salesops_helpers.presentation.contract import HEADLINE_MIMETYPE
    from salesops_helpers.presentation.headlines import headline_bundle

    bundle = headline_bundle([Headline("a", "A", np.float64("nan"), "–"), Headline("b", "B", np.int64(3), "3")])
    assert [item["value"] for item in bundle[HEADLINE_MIMETYPE]] == [None, 3]
    assert type(bundle[HEADLINE_MIMETYPE][1]["value"]) is int
