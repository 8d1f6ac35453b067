"""The new-hire ramp of the metric layer, worked by hand on a six-rep company, and the revenue plan sizing its
capacity with the same curve."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_data
from salesops_helpers.analyses.team import ramp as team_ramp
from salesops_helpers.analyses.team.rep_months import rep_months as team_rep_months
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.planning import capacity_ramp, revenue_plan
from salesops_helpers.metrics.ramp import new_hire_months, ramp_curve, rep_months

# East: E1 and E2 are established (hired 2020) and book 1,000 and 3,000 every month from January to June 2024, so
# East's established reference is 2,000 a month. West: W1 is established, books 4,000 a month and leaves at the end
# of April, so West has no established reference from May on. New hires: N1 (East, March: tenure months 1-4 are
# March-June), N2 (West, April: tenure months 1-3 are April-June) and N3 (East, June: tenure month 1 is June).
REPS = """\
rep_id,name,team,hire_date,end_date
E1,Ann East,East,2020-01-01,
E2,Ben East,East,2020-01-01,
W1,Cai West,West,2020-01-01,2024-04-30
N1,Dee New,East,2024-03-10,
N2,Eli New,West,2024-04-01,
N3,Fay New,East,2024-06-01,
"""
MONTHLY = {
    "E1": {m: 1000 for m in range(1, 7)},
    "E2": {m: 3000 for m in range(1, 7)},
    "W1": {m: 4000 for m in range(1, 5)},
    "N1": {4: 500, 5: 1000, 6: 2500},  # nothing in March, its tenure month 1
    "N2": {4: 1000, 5: 2000, 6: 3000},
}  # N3 books nothing in June
QUOTAS = "rep_id,period_start,quota\n" + "".join(
    f"{rep},2024-{m:02d}-01,2000\n" for rep in ("E1", "E2") for m in range(1, 7)
)


def _company(folder: Path, config: WorkbookConfig, n1_april: int = 500) -> SalesData:
    """The six-rep company, one won deal per rep and month with bookings; N1's April bookings can be changed."""
    monthly = {rep: dict(months) for rep, months in MONTHLY.items()}
    monthly["N1"][4] = n1_april
    rows = ["opportunity_id,owner_id,created_date,close_date,stage,amount"]
    for rep, months in monthly.items():
        rows += [f"{rep}-{m},{rep},2024-{m:02d}-01,2024-{m:02d}-15,Closed Won,{amount}" for m, amount in months.items()]
    folder.mkdir()
    Path(folder, "reps.csv").write_text(REPS, encoding="utf-8")
    Path(folder, "opportunities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    Path(folder, "quotas.csv").write_text(QUOTAS, encoding="utf-8")
    return load_data(folder, config)


CALENDAR = FiscalCalendar(start_month=2)  # FY2025 runs February 2024 to January 2025
AS_OF = pd.Timestamp("2024-06-30")


@pytest.fixture(scope="module")
def months(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> pd.DataFrame:
    """Rep-months of the six-rep company, January to June 2024."""
    data = _company(tmp_path_factory.mktemp("ramp") / "company", config)
    return rep_months(data, CALENDAR.months_between(pd.Timestamp("2024-01-01"), AS_OF))


def test_rep_months_hold_each_rep_while_employed_with_the_tenure_month(months):
    seen = months.set_index(["rep_id", "period"])
    assert ("W1", "2024-04") in seen.index and ("W1", "2024-05") not in seen.index  # left on 30 April
    assert ("N1", "2024-02") not in seen.index and seen.loc[("N1", "2024-03"), "tenure_month"] == 1
    assert seen.loc[("N1", "2024-03"), "bookings"] == 0  # employed, no deal: 0
    assert seen.loc[("E1", "2024-01"), "tenure_month"] == 4 * 12 + 1  # hired January 2020


def test_a_month_without_established_reps_in_the_team_is_left_out(months):
    frame = new_hire_months(months, "bookings").set_index(["rep_id", "tenure_month"])
    # N2's April has W1 beside her (4,000); May and June have no established West rep, so they are left out
    assert frame.loc[("N2", 1), "established"] == 4000
    assert ("N2", 2) not in frame.index and ("N2", 3) not in frame.index
    assert frame.loc[("N1", 2), "established"] == 2000  # mean of E1's 1,000 and E2's 3,000 in April


def test_the_ramp_curve_divides_the_new_hires_sum_by_their_teams_established_sum(months):
    curve = ramp_curve(months, "bookings").set_index("tenure_month")
    # month 1: N1 March 0 of 2,000, N2 April 1,000 of 4,000, N3 June 0 of 2,000 -> 1,000 / 8,000
    assert curve.loc[1, "relative"] == pytest.approx(1000 / 8000) and curve.loc[1, "reps"] == 3
    # months 2-4: N1 alone (N2's May and June have no reference): 500, 1,000 and 2,500 of 2,000
    assert curve.loc[2:4, "relative"].tolist() == pytest.approx([0.25, 0.5, 1.25])
    assert curve.loc[2:4, "reps"].tolist() == [1, 1, 1]
    # months 5-12: no new hire seen there
    assert curve.loc[5:12, "relative"].isna().all() and (curve.loc[5:12, "reps"] == 0).all()
    assert list(curve.index) == list(range(1, 13))
    # the team review's names are the metric layer's
    assert team_ramp.ramp_curve is ramp_curve and team_ramp.new_hire_months is new_hire_months


def test_the_plan_counts_reps_by_the_ramp_curve_of_bookings(tmp_path, config):
    data = _company(tmp_path / "company", config)
    ramp = capacity_ramp(data, CALENDAR, CALENDAR.trailing_twelve_months(AS_OF))
    # the curve capped at 1: 1/8, 1/4, 1/2, then 1.25 -> 1; months 5-12 have no share (counted as 1)
    assert ramp.shares == pytest.approx({1: 0.125, 2: 0.25, 3: 0.5, 4: 1.0})
    assert ramp.share(5) == 1.0 and ramp.share(13) == 1.0
    assert ramp.rep_months == 6  # 3 hires in tenure month 1, then N1 alone in months 2-4
    # established rep-months January-June: E1 6 x 1,000, E2 6 x 3,000, W1 4 x 4,000 = 40,000 over 16
    assert ramp.ramped_monthly_bookings == pytest.approx(2500)


def _team_curve(data: SalesData) -> pd.DataFrame:
    """The bookings ramp curve as the team review (notebook 02) computes it, by tenure month."""
    months = team_rep_months(data, CALENDAR.months_between(pd.Timestamp("2024-01-01"), AS_OF))
    return team_ramp.ramp_curve(months, "bookings").set_index("tenure_month")


def test_the_plan_capacity_moves_with_the_team_ramp_curve(tmp_path, config):
    # Seven months are left of FY2025 after June: July 2024 to January 2025. Employed on 30 June: E1, E2 (share 1
    # each month: 14), N1 (tenure 5-11: no share, 1 each: 7), N2 (tenure 4-10: 1 each: 7) and N3 (tenure 2-8:
    # 0.25 + 0.5 + 1 + 4 x 1 = 5.75). 33.75 rep-months x 2,500 = 84,375.
    # Booked February-June: E1 5,000 + E2 15,000 + W1 12,000 + N1 4,000 + N2 6,000 = 42,000; of a 200,000 goal
    # 158,000 is left, 73,625 more than the capacity: 73,625 / (2,500 x 7) ramped reps to add.
    before = _company(tmp_path / "before", config)
    plan = revenue_plan(before, 200_000, CALENDAR.parse("FY2025"), CALENDAR, AS_OF)
    assert plan.capacity == pytest.approx(84_375)
    assert plan.step("Active reps now") == 5
    assert plan.step("Ramped reps to add") == pytest.approx(73_625 / 17_500)
    # N1 books 1,500 instead of 500 in April, N1's tenure month 2: the curve's month 2 goes from 500 / 2,000 to
    # 1,500 / 2,000, and N3's July (tenure month 2) counts 0.75 instead of 0.25: capacity 34.25 x 2,500 = 85,625.
    # 43,000 booked, 157,000 left: 71,375 short.
    after = _company(tmp_path / "after", config, n1_april=1500)
    assert _team_curve(before).loc[2, "relative"] == pytest.approx(0.25)
    assert _team_curve(after).loc[2, "relative"] == pytest.approx(0.75)
    moved = revenue_plan(after, 200_000, CALENDAR.parse("FY2025"), CALENDAR, AS_OF)
    assert moved.capacity == pytest.approx(85_625)
    assert moved.step("Ramped reps to add") == pytest.approx(71_375 / 17_500)
