"""The team review (notebook 02): intervals, peers, ramp, loss stages, roster and activity against numbers worked
out by hand, then the demo company's planted truths found by the same code the notebook calls.

Hand fixtures: tests/test_metrics.py's company (a leaver R2, a rep R3 without quota, deals of R9 who is not in the
reps table) and tests/test_validation.py's six-deal company (which has activities).
"""

from __future__ import annotations

import gc
import math

import pandas as pd
import pytest

from salesops_helpers import SalesData, load_data
from salesops_helpers.analyses.team import activity, ramp
from salesops_helpers.analyses.team.coaching import coaching_review, peers_rate
from salesops_helpers.analyses.team.intervals import wilson_interval
from salesops_helpers.analyses.team.loss_stage import losses_by_stage, stage_lost_at
from salesops_helpers.analyses.team.pages import team_review
from salesops_helpers.analyses.team.rep_months import rep_months, tenure_month
from salesops_helpers.analyses.team.roster import roster
from salesops_helpers.analyses.team.scorecards import scorecard, to_date_periods
from salesops_helpers.analyses.team.shortfall_tests import (
    count_rate_shortfall_p,
    holm_significant,
    log_mean_shortfall_p,
    rate_shortfall_p,
)
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.demo.deals import WEAK_STAGES
from tests.helpers.six_deals import write_folder

CAL = FiscalCalendar(2, "end")


@pytest.fixture(scope="module")
def six_deals(tmp_path_factory: pytest.TempPathFactory, config: WorkbookConfig) -> SalesData:
    """tests/test_validation.py's six-deal company, with three activities."""
    return load_data(write_folder(tmp_path_factory.mktemp("team") / "six"), config)


# ------------------------------------------------------------------------------------------------------------------
# Intervals and peers
# ------------------------------------------------------------------------------------------------------------------


def test_wilson_interval_by_hand():
    # z = 1.6449 (90%), z² = 2.7055. k = 3, n = 10: p = 0.3
    # centre = (0.3 + 2.7055/20) / (1 + 2.7055/10) = 0.43528 / 1.27055 = 0.34259
    # half = 1.6449 · √(0.3·0.7/10 + 2.7055/400) / 1.27055 = 1.6449 · √0.027764 / 1.27055 = 0.27408 / 1.27055 = 0.21572
    # k = 0, n = 5: centre = (2.7055/10) / (1 + 2.7055/5) = 0.27055 / 1.54110 = 0.17556 = half, so (0, 0.35111)
    low, high = wilson_interval(pd.Series([3, 0, 0]), pd.Series([10, 5, 0]))
    assert low[0] == pytest.approx(0.34259 - 0.21572, abs=2e-4)
    assert high[0] == pytest.approx(0.34259 + 0.21572, abs=2e-4)
    assert low[1] == 0 and high[1] == pytest.approx(0.35111, abs=2e-4)
    assert math.isnan(low[2]) and math.isnan(high[2]), "no closed deal: no interval"


def test_shortfall_tests_by_hand():
    from statistics import NormalDist

    phi = NormalDist().cdf
    # win rate 2/10 against peers 10/20: pooled 12/30 = 0.4; z = (0.2 - 0.5) / sqrt(0.24 * (1/10 + 1/20)) = -1.58114
    assert rate_shortfall_p(pd.Series([2]), pd.Series([10]), pd.Series([10]), pd.Series([20]))[0] == pytest.approx(
        phi(-1.58114), abs=1e-5
    )
    # log amounts: rep [100, 100, 1000], peers ten times larger; both variances 1.76733 (ln 10 = 2.302585 apart),
    # z = -2.302585 / sqrt(2 * 1.76733 / 3) = -2.12128
    own, peers = pd.Series([100.0, 100.0, 1000.0]), pd.Series([1000.0, 1000.0, 10000.0])
    assert log_mean_shortfall_p(own, peers) == pytest.approx(phi(-2.12128), abs=1e-5)
    assert math.isnan(log_mean_shortfall_p(own.head(2), peers)), "fewer than 3 deals: no test"
    # 6 deals in 6 months against 40 in 20: z = (1 - 2) / sqrt(6/36 + 40/400) = -1.93649
    p = count_rate_shortfall_p(pd.Series([6]), pd.Series([6]), pd.Series([40]), pd.Series([20]))[0]
    assert p == pytest.approx(phi(-1.93649), abs=1e-5)


def test_holm_keeps_the_chance_of_any_false_flag_at_alpha():
    # sorted 0.01 <= 0.1/3, 0.03 <= 0.1/2, 0.04 <= 0.1/1: all three; the missing one never counts
    flags = holm_significant(pd.Series([0.01, 0.04, 0.03, float("nan")]), 0.10)
    assert flags.tolist() == [True, True, True, False]
    # 0.04 > 0.1/3: the first fails, so nothing is flagged
    assert not holm_significant(pd.Series([0.04, 0.06, 0.2]), 0.10).any()


def test_peers_rate_leaves_the_rep_out():
    # team A: r1 2/4, r2 6/10, r3 1/6 -> r1's peers (6+1)/(10+6) = 7/16; r2's (2+1)/(4+6) = 3/10; r3's 8/14
    # team B: r4 alone -> no peers
    won = pd.Series([2, 6, 1, 3])
    closed = pd.Series([4, 10, 6, 5])
    team = pd.Series(["A", "A", "A", "B"])
    rates = peers_rate(won, closed, team)
    assert rates.iloc[:3].tolist() == pytest.approx([7 / 16, 3 / 10, 8 / 14])
    assert math.isnan(rates.iloc[3])


# ------------------------------------------------------------------------------------------------------------------
# Ramp
# ------------------------------------------------------------------------------------------------------------------


def test_tenure_month_counts_the_month_of_hire_as_one():
    hired = pd.to_datetime(pd.Series(["2026-02-15", "2026-02-15", "2025-12-01"]))
    months = pd.to_datetime(pd.Series(["2026-02-01", "2026-05-01", "2026-01-01"]))
    assert tenure_month(hired, months).tolist() == [1, 4, 2]


def _ramp_fixture() -> pd.DataFrame:
    """Team A: established E1, E2 (hired 2020) and new hire N (hired in the first month), five months.

    deals created   M1  M2  M3  M4  M5
        E1          10  10  10  10  10
        E2           6  10  14  10  10     established mean:  8  10  12  10  10
        N            2   5  12  10   9     N's share:       0.25 0.5 1.0 1.0 0.9
    """
    months = pd.date_range("2026-01-01", periods=5, freq="MS")
    created = {"E1": [10, 10, 10, 10, 10], "E2": [6, 10, 14, 10, 10], "N": [2, 5, 12, 10, 9]}
    hired = {"E1": "2020-01-06", "E2": "2020-03-02", "N": "2026-01-05"}
    rows = [
        {
            "period": f"{month:%Y-%m}",
            "period_start": month,
            "rep_id": rep,
            "rep": rep,
            "team": "A",
            "hire_date": pd.Timestamp(hired[rep]),
            "deals_created": float(values[i]),
        }
        for rep, values in created.items()
        for i, month in enumerate(months)
    ]
    frame = pd.DataFrame(rows)
    frame["tenure_month"] = tenure_month(frame["hire_date"], frame["period_start"])
    return frame


def test_ramp_curve_divides_new_hire_output_by_the_teams_established_reps():
    curve = ramp.ramp_curve(_ramp_fixture(), "deals_created").set_index("tenure_month")
    assert curve.loc[1:5, "relative"].tolist() == pytest.approx([0.25, 0.5, 1.0, 1.0, 0.9])
    assert curve.loc[1, "reps"] == 1
    assert curve.loc[6:, "relative"].isna().all(), "tenure months not seen stay missing"


def test_months_to_ramp_needs_three_months_in_a_row_at_ninety_percent():
    # three-month sums from month m: m1 (2+5+12)/(8+10+12) = 0.633; m2 (5+12+10)/(10+12+10) = 0.844;
    # m3 (12+10+9)/(12+10+10) = 0.969 -> month 3
    assert ramp.ramp_months(_ramp_fixture(), "deals_created") == 3
    by_rep = ramp.ramp_by_rep(_ramp_fixture(), "deals_created")
    assert by_rep["rep_id"].tolist() == ["N"], "established reps are not new hires"
    assert by_rep.loc[0, "months_to_productivity"] == 3
    # last three months seen: (12+10+9)/(12+10+10) = 31/32
    assert by_rep.loc[0, "latest_share"] == pytest.approx(31 / 32)


def test_a_hire_who_never_reaches_ninety_percent_is_not_ramped():
    frame = _ramp_fixture()
    frame.loc[frame["rep_id"] == "N", "deals_created"] = [2.0, 5.0, 6.0, 7.0, 8.0]
    assert ramp.ramp_months(frame, "deals_created") is None
    assert pd.isna(ramp.ramp_by_rep(frame, "deals_created").loc[0, "months_to_productivity"])


# ------------------------------------------------------------------------------------------------------------------
# Loss stage, roster, scorecard and activity on the hand fixtures
# ------------------------------------------------------------------------------------------------------------------


def test_the_stage_a_deal_was_lost_at_is_its_last_open_stage(company: SalesData):
    # D2 Qualification -> Closed Lost; D8 Qualification -> Closed Lost; D14 Qualification, Proposal -> Closed Lost
    assert stage_lost_at(company).to_dict() == {"D2": "Qualification", "D8": "Qualification", "D14": "Proposal"}


def test_losses_by_stage_are_shares_of_all_closed_deals(company: SalesData):
    # R1's deals closed in FY2027 (Feb 2026 - Jan 2027): D4, D7, D9 won, D14 lost at Proposal -> 1 of 4 at Proposal
    opps = company.opportunities
    closed = opps[
        (opps["owner_id"] == "R1") & (opps["outcome"] != "open") & CAL.parse("FY2027").contains(opps["close_date"])
    ]
    stages = ["Prospecting", "Qualification", "Discovery", "Proposal", "Negotiation"]
    table = losses_by_stage(closed, stage_lost_at(company), stages).set_index("stage")
    assert table["lost"].tolist() == [0, 0, 0, 1, 0]
    assert table.loc["Proposal", "share"] == pytest.approx(0.25)


def test_roster_names_the_leaver_the_unknown_owner_and_the_rep_without_quota(company: SalesData):
    # R2 left on 2026-08-31; D10 (2000) belongs to R9, not in reps.csv; R3 never had a quota; R1 and R2 had one
    found = roster(company, CAL.parse("2026-08"))
    assert found.left["rep"].tolist() == ["Bob Ray"]
    assert found.joined.empty
    assert found.unknown_owners.to_dict("records") == [{"owner_id": "R9", "deals": 1, "amount": 2000.0}]
    assert found.without_quota["rep"].tolist() == ["Cy Doe"]
    # September: Bob Ray is gone, so only Cy Doe is an employed rep without quota
    assert roster(company, CAL.parse("2026-09")).without_quota["rep"].tolist() == ["Cy Doe"]
    assert roster(company, CAL.parse("2026-09")).left.empty


def test_scorecard_adds_the_win_rate_interval_and_activity_counts(six_deals: SalesData):
    # FY2025 = Feb 2024 - Jan 2025. Enterprise (R1): O1 won 2024-02-10, O2 lost 2024-03-01 -> 1 of 2;
    # activities in FY2025: A2 (R2, SMB, 2024-02-02) and A3 (R3, SMB, 2024-03-02); A1 (R1) is in January 2024
    card = scorecard(six_deals, CAL.parse("FY2025"), ["team"]).set_index("team")
    low, high = wilson_interval(pd.Series([1]), pd.Series([2]))
    assert card.loc["Enterprise", "win_rate"] == 0.5
    assert card.loc["Enterprise", "win_rate_low"] == pytest.approx(low[0])
    assert card.loc["Enterprise", "win_rate_high"] == pytest.approx(high[0])
    assert card.loc["Enterprise", "activities"] == 0
    assert card.loc["SMB", "activities"] == 2


def test_activities_per_won_deal_by_rep(six_deals: SalesData):
    # FY2025: R1 0 activities, won O1 -> 0 per won deal; R2 1 activity, nothing won -> missing; R3 1 activity,
    # won O5 (2024-04-15) -> 1 per won deal
    table = activity.activity_by_rep(six_deals, CAL.parse("FY2025")).set_index("rep_id")
    assert table.loc[["R1", "R2", "R3"], "activities"].tolist() == [0, 1, 1]
    assert table.loc["R1", "per_won_deal"] == 0
    assert math.isnan(table.loc["R2", "per_won_deal"])
    assert table.loc["R3", "per_won_deal"] == 1


def test_quarter_and_year_to_date_end_with_the_month():
    periods = to_date_periods(CAL, CAL.parse("2026-10"))
    # FY2027 Q3 is Aug - Oct 2026; FY2027 starts 2026-02-01
    assert periods["quarter to date"].start == pd.Timestamp("2026-08-01")
    assert periods["year to date"].start == pd.Timestamp("2026-02-01")
    assert periods["quarter to date"].end == periods["year to date"].end == pd.Timestamp("2026-10-31")


# ------------------------------------------------------------------------------------------------------------------
# The demo company's planted truths (data/demo/README.md)
# ------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_months(demo_data: SalesData) -> pd.DataFrame:
    return rep_months(
        demo_data, CAL.months_between(demo_data.opportunities["created_date"].min(), pd.Timestamp("2026-10-31"))
    )


@pytest.mark.slow
def test_the_under_performing_tenured_rep_is_flagged_with_the_stage_he_loses_at(demo_data, demo_months):
    review = coaching_review(demo_data, CAL.parse("TTM 2026-10"), demo_months, "USD")
    reps = review.reps.set_index("rep")
    assert reps.loc["Mason Reed", "win_rate_short"]
    assert reps["win_rate_short"].sum() == 1, "only the planted rep falls short on win rate"
    flagged = review.flagged.set_index("rep")
    assert flagged.loc["Mason Reed", "loss_stage"] in WEAK_STAGES  # planted: he loses more from Discovery on
    assert "Mid-Market" in flagged.loc["Mason Reed", "evidence"]
    ramping = {"Liam Novak", "Zoe Patel", "Aria Nakamura", "Elena Popescu"}
    assert not ramping & set(reps.index), "reps still ramping are not compared with established peers"
    # TTM 2025-10 begins in 2024-11, when Daniel Cohen (hired 2024-09) was in tenure month 3: his figures would
    # hold ramp months, so he is not compared, though he is past month 12 (month 14) by the window's end
    earlier = coaching_review(demo_data, CAL.parse("TTM 2025-10"), demo_months, "USD").reps
    assert "Daniel Cohen" not in set(earlier["rep"]) and "Daniel Cohen" in set(reps.index)


@pytest.mark.slow
def test_the_new_hire_ramp_takes_about_six_months(demo_months):
    # planted: a new rep creates about 15% of an established rep's deals in month 1 and is fully productive in month 6
    curve = ramp.ramp_curve(demo_months, "deals_created").set_index("tenure_month")
    assert curve.loc[1, "relative"] < 0.3
    assert 5 <= ramp.ramp_months(demo_months, "deals_created") <= 7
    hires = ramp.ramp_by_rep(demo_months, "deals_created").set_index("rep")
    assert {"Liam Novak", "Zoe Patel", "Aria Nakamura", "Elena Popescu"} <= set(hires.index)


@pytest.mark.slow
def test_the_picker_redraws_the_chosen_page_and_a_rep_page_shows_the_coaching_signal(
    demo_data, demo_months, monkeypatch
):
    from salesops_helpers.analyses.team import pages
    from salesops_helpers.presentation import team as team_views
    from salesops_helpers.presentation import widgets

    month = CAL.parse("2026-10")
    coaching = coaching_review(demo_data, CAL.trailing_twelve_months(month.end), demo_months, "USD")
    review = team_review(demo_data, CAL, month, demo_months, coaching)
    drawn: list[tuple[str, str]] = []
    monkeypatch.setattr(widgets, "show_page", lambda _review, choice, key: drawn.append((choice, key)))
    picker = widgets.team_picker(review)
    gc.unfreeze()  # the picker exempts what is alive from collection; the rest of the test run needs no such thing
    who, when = picker.children[0].children
    who.value = "rep:R008"
    when.value = "year to date"
    assert drawn == [
        (pages.choices(review)[0][1], "quarter to date"),
        ("rep:R008", "quarter to date"),
        ("rep:R008", "year to date"),
    ]
    shown: list[object] = []
    monkeypatch.setattr(team_views, "display", shown.append)
    monkeypatch.setattr(team_views, "say", lambda template, **values: shown.append(template.format(**values)))
    team_views.show_page(review, "rep:R008", "year to date")
    texts = " ".join(item for item in shown if isinstance(item, str))
    assert "Mason Reed, FY2027 to date" in texts and "Coaching signal: wins" in texts
    assert any(type(item).__name__ == "Figure" for item in shown)


def test_a_win_rate_leaderboard_ranks_by_the_low_end_of_the_interval():
    # A: 2 of 3 won -> 67%, interval low 0.25; B: 40 of 100 -> 40%, low 0.32; C: no closed deal -> left out
    low, high = wilson_interval(pd.Series([2, 40, 0]), pd.Series([3, 100, 0]))
    assert low[0] < low[1], "the premise: two wins of three are less sure than forty of a hundred"
    card = pd.DataFrame(
        {
            "team": ["T", "T", "T"],
            "rep": ["A", "B", "C"],
            "bookings": [1.0, 2.0, 3.0],
            "win_rate": [2 / 3, 0.4, float("nan")],
            "win_rate_low": low,
            "win_rate_high": high,
        }
    )
    from salesops_helpers.analyses.team.attainment import leaderboard

    assert leaderboard(card, "win_rate_low")["rep"].tolist() == ["B", "A"]
    assert leaderboard(card, "bookings", top=2)["rep"].tolist() == ["C", "B"]


def test_report_tables_accept_empty_and_all_missing_columns():
    from salesops_helpers.presentation.report import table

    empty = pd.DataFrame({"rep": pd.Series([], dtype="str"), "share": pd.Series([], dtype=float)})
    assert "<table" in table(empty).to_html()
    assert "–" in table(pd.DataFrame({"rep": [None, None], "share": [0.5, None]})).to_html()


def test_a_hire_who_ramps_in_month_eleven_is_seen_to_ramp():
    # 50% of established output in tenure months 1-10, 100% from month 11; 14 months seen. Three months from 11:
    # (10+10+10)/(10+10+10) = 1.0 -> month 11 (windows starting in months 11 and 12 need months 13 and 14)
    months = pd.date_range("2025-01-01", periods=14, freq="MS")
    rows = []
    for rep, hired, values in (("E", "2020-01-06", [10.0] * 14), ("N", "2025-01-06", [5.0] * 10 + [10.0] * 4)):
        for month, value in zip(months, values, strict=True):
            rows.append(
                {
                    "period": f"{month:%Y-%m}",
                    "period_start": month,
                    "rep_id": rep,
                    "rep": rep,
                    "team": "A",
                    "hire_date": pd.Timestamp(hired),
                    "deals_created": value,
                }
            )
    frame = pd.DataFrame(rows)
    frame["tenure_month"] = tenure_month(frame["hire_date"], frame["period_start"])
    assert ramp.ramp_months(frame, "deals_created") == 11
    assert ramp.ramp_by_rep(frame, "deals_created").loc[0, "months_to_productivity"] == 11


@pytest.mark.slow
def test_team_pages_count_only_months_with_a_quota_and_leave_unknown_owners_out_of_rep_tables(company, monkeypatch):
    from salesops_helpers.analyses.team import pages
    from salesops_helpers.presentation import team as team_views

    month = CAL.parse("2026-10")
    months = rep_months(company, CAL.months_between(pd.Timestamp("2025-11-01"), month.end))
    review = team_review(company, CAL, month, months, coaching_review(company, CAL.parse("TTM 2026-10"), months, "USD"))
    # D10 belongs to R9, missing from reps.csv: team Unassigned, but no rep row
    assert "R9" not in set(review.reps["quarter to date"]["rep_id"])
    assert "rep:R9" not in [value for _, value in pages.choices(review)]
    shown: list[object] = []
    monkeypatch.setattr(team_views, "display", shown.append)
    monkeypatch.setattr(team_views, "say", lambda template, **values: shown.append(template.format(**values)))
    team_views.show_page(review, "rep:R2", "year to date")
    # Bob Ray (R2): quota 5000 a month Nov 2025 - Aug 2026 except July (0); booked D3 8000 in May, D5 5000 in Aug.
    # Months with a quota above 0: 9; reached: May and August -> 2 of 9 (July, 0 booked against 0, does not count)
    figure = next(item for item in shown if type(item).__name__ == "Figure")
    assert figure.axes[0].get_title(loc="left") == "Bob Ray reached the monthly quota in 2 of 9 months with a quota"
