"""The process review's executive summary (notebook 03) on tiny hand-made companies, each figure worked out by hand,
then the demo company's planted bottleneck named in it.

The waterfall company of tests/test_process_units.py, March 2024: nothing has stalled (no stage has a stall
threshold that an open deal passes: Proposal's one finished stay, F's 50 days, leaves half its stays going, and
Negotiation holds no open deal), and C (500.05, Ann Lee's) slipped from 10 March to 30 April. No deal was won in
February, so the velocity change cannot be split. Tables the summary reads are swapped for hand-made ones where a
tiny company cannot produce the case (20 deals are needed to name a bottleneck).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from salesops_helpers import SalesData, load_config, load_data
from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.findings import BAD, NEUTRAL, NOT_MEANINGFUL
from salesops_helpers.analyses.process.review import ProcessReview, review_process
from salesops_helpers.analyses.process.stalled import value_at_risk, value_at_risk_by_month
from salesops_helpers.analyses.process.summary import largest_factor, process_summary, trend_months, where_value_sits
from salesops_helpers.analyses.process.waterfall import COMPONENTS
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from tests.helpers import metrics_company
from tests.helpers.process_companies import (
    ALL_OPEN_HISTORY,
    ALL_OPEN_OPPORTUNITIES,
    FLOW_HISTORY,
    FLOW_OPPORTUNITIES,
    load_company,
    velocity_table,
)


@pytest.fixture(scope="module")
def flow_data(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return load_company(tmp_path_factory.mktemp("flow") / "data", FLOW_OPPORTUNITIES, FLOW_HISTORY)


@pytest.fixture(scope="module")
def all_open(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return load_company(tmp_path_factory.mktemp("open") / "data", ALL_OPEN_OPPORTUNITIES, ALL_OPEN_HISTORY)


def _review(data: SalesData, month: str) -> tuple[FiscalCalendar, ProcessReview]:
    calendar = FiscalCalendar.from_config(data.config)
    return calendar, review_process(data, calendar.month(pd.Timestamp(f"{month}-01")), calendar)


# Stalled deals by hand: Discovery holds the largest deal, Proposal the most value (300 + 200 + 100 = 600 > 500)
STALLED = pd.DataFrame(
    {
        "opportunity_id": ["S4", "S1", "S2", "S3"],
        "name": ["Four", "One", "Two", "Three"],
        "owner": ["Yan", "Xia", "Yan", "Xia"],
        "stage": ["Discovery", "Proposal", "Proposal", "Proposal"],
        "amount": [500.0, 300.0, 200.0, 100.0],
        "days_in_stage": [90.0, 80.0, 70.0, 60.0],
        "threshold_days": [30.0, 40.0, 40.0, 40.0],
    }
)


def _velocity(parts: list[float]) -> pd.DataFrame:
    """The hand-made velocity table with the four factors' parts as given and velocity's own change, +$70 a day."""
    return velocity_table([*parts, 70.0])


def test_where_value_sits_ranks_by_amount_not_by_the_largest_deal():
    by_stage = where_value_sits(STALLED, "stage")
    assert by_stage["stage"].tolist() == ["Proposal", "Discovery"]
    assert by_stage["deals"].tolist() == [3, 1] and by_stage["amount"].tolist() == [600.0, 500.0]


def test_the_largest_factor_is_the_largest_part_either_way():
    assert largest_factor(_velocity([40, 60, -30, 0]))["factor"] == "Win rate"
    assert largest_factor(_velocity([40, 60, -80, 50]))["factor"] == "Average deal size"
    assert largest_factor(_velocity([float("nan")] * 4)) is None


def test_the_trend_starts_no_earlier_than_the_first_deal(flow_data):
    calendar = FiscalCalendar.from_config(flow_data.config)
    months = trend_months(flow_data, calendar, calendar.month(pd.Timestamp("2024-03-01")))
    assert [m.label for m in months] == ["2024-01", "2024-02", "2024-03"]  # E, the first deal, dates from January


def test_the_waterfall_company_in_march(flow_data):
    calendar, review = _review(flow_data, "2024-03")
    summary = process_summary(flow_data, calendar, review, "USD")
    assert summary.standing.startswith("No stage shows a shortfall against the company in any segment")
    assert summary.change.startswith("Sales velocity cannot be compared with 2024-02")
    assert summary.risk == "No open deal has stalled, but 1 deal worth $500 slipped out of 2024-03."
    assert summary.action == "Review the deal that slipped out of 2024-03, worth $500, with Ann Lee, who holds it."
    assert summary.context == "", "the risk has said what slipped"
    figures = {h.key: h for h in summary.figures}
    assert list(figures) == ["worst_bottleneck", "stalled_value", "slipped_value", "velocity"]
    assert (figures["worst_bottleneck"].text, figures["worst_bottleneck"].status) == ("none found", NEUTRAL)
    # slipped out of February: nothing was due in it while open; out of March: C. Nothing stalled either month.
    slipped = figures["slipped_value"]
    assert (slipped.value, slipped.change, slipped.status) == (500.05, "+$500 vs Feb 2024", BAD)
    assert slipped.trend == (), "each month's slips rebuild the history: no twelve-month trend"
    stalled = figures["stalled_value"]
    assert (stalled.value, stalled.change, stalled.status) == (0, "±0 vs Feb 2024", NEUTRAL)
    # the waterfall's parts are kept as data for the batch, off the dashboard and not shown as cards
    assert [h.key for h in summary.recorded] == [
        f"waterfall_{c.replace(', ', '_').replace(' ', '_')}" for c in COMPONENTS
    ]
    assert not any(h.dashboard for h in summary.recorded)


@pytest.mark.slow
def test_stalled_deals_are_the_risk_and_the_stage_holding_most_of_their_value_the_action(flow_data):
    calendar, review = _review(flow_data, "2024-03")
    summary = process_summary(flow_data, calendar, dataclasses.replace(review, stalled=STALLED), "USD")
    assert summary.risk == (
        "4 open deals worth $1.1k have stalled, sitting in their stage longer than 90% of stays there; Proposal "
        "holds the most: 3 deals worth $600."
    )
    # in Proposal, Xia holds 300 + 100 in two deals, Yan 200
    assert summary.action == (
        "Review the 3 stalled deals in Proposal, worth $600, with their owners; Xia holds the most ($400 in 2 deals)."
    )
    # no rep has the 10 deals needed to compare pushes: what slipped is told alone
    assert summary.context == "1 deal worth $500 slipped out of 2024-03."
    one = process_summary(flow_data, calendar, dataclasses.replace(review, stalled=STALLED.head(1)), "USD")
    assert one.risk.startswith("1 open deal worth $500 has stalled") and one.risk.endswith("1 deal worth $500.")
    assert one.action == "Review the stalled deal in Discovery, worth $500, with Yan, who holds it."


@pytest.mark.slow
def test_the_velocity_change_names_its_largest_part(flow_data):
    calendar, review = _review(flow_data, "2024-03")
    # one deal won in 2024-03 makes its velocity not meaningful (tests/test_stable_figures.py); here it is taken as
    # stable, to read how a stated change is split
    assert list(review.velocity_unstable) == ["2024-03"]
    review = dataclasses.replace(review, velocity_unstable={})
    rose = process_summary(
        flow_data, calendar, dataclasses.replace(review, velocity=_velocity([40, 60, -30, 0])), "USD"
    )
    assert rose.change == (
        "Sales velocity rose from $40/day in 2024-02 to $110/day in 2024-03; the largest part came from the win "
        "rate, up from 20.0% to 25.0% (+$60/day)."
    )
    against = _velocity([40, 60, -80, 50])
    other_way = process_summary(flow_data, calendar, dataclasses.replace(review, velocity=against), "USD")
    assert other_way.change.endswith(
        "the largest part came from the average deal size, down from $1.0k to $900 (-$80/day)."
    )


def test_a_bottleneck_is_the_standing_and_without_stalls_or_slips_the_action(all_open):
    calendar, review = _review(all_open, "2024-01")
    worst = pd.Series(
        {
            "segment": "SMB",
            "stage": "Discovery",
            "entered": 40,
            "next_step": 0.25,
            "company_next_step": 0.5,
            "shortfall": 0.25,
            "deals_short": 10.0,
        }
    )
    summary = process_summary(all_open, calendar, dataclasses.replace(review, worst=worst), "USD")
    assert summary.standing == (
        "The worst bottleneck is SMB · Discovery: 25% of the 40 SMB deals that entered Discovery moved on, against "
        "50% for the company."
    )
    assert summary.action == (
        "Review why SMB deals move on from Discovery less often than the company's: about 10 more would have at "
        "the company's rate."
    )
    card = summary.figures[0]
    assert (card.label, card.text, card.status) == (
        "Worst bottleneck (25% move on, against 50%)",
        "SMB · Discovery",
        BAD,
    )


def test_with_nothing_stalled_slipped_or_short_no_action_stands_out(all_open):
    calendar, review = _review(all_open, "2024-01")  # three open deals, none due in January
    summary = process_summary(all_open, calendar, review, "USD")
    assert summary.risk == "No open deal has stalled, and no deal slipped out of 2024-01."
    assert summary.action == "No action stands out: no bottleneck, no stalled deal and no slipped deal was found."


@pytest.mark.slow
def test_without_history_the_summary_says_what_it_cannot_see(tmp_path):
    data = load_data(
        metrics_company.write_folder(tmp_path, {"opportunity_history.csv": None}), load_config(DEFAULT_CONFIG)
    )
    calendar, review = _review(data, "2026-10")
    summary = process_summary(data, calendar, review, "USD")
    # open on 31 October, today's values: D9 9000 + D11 30000 + D12 10000 + D13 7000 + D14 16000 = 72000; D9 and
    # D14 have closed since, so their stage that day is unknown: Proposal's 30000 (D11) is the largest known part
    assert summary.standing == (
        "The data has no deal history, so bottlenecks cannot be found; $72k is open at the end of 2026-10, $30k of "
        "it in Proposal, the most of any stage."
    )
    assert summary.risk.startswith("Without the deal history")
    assert summary.action.startswith("Export the deal history")
    assert [h.key for h in summary.figures] == ["process_analyses", "velocity"] and summary.recorded == []
    # tests/test_metrics.py's October velocity (8 deals open at the start x 75% won x 7000 average deal / 82 days)
    # rests on 3 won deals, fewer than the 5 velocity needs: the card says it is not meaningful
    assert summary.figures[1].text == NOT_MEANINGFUL and summary.figures[1].change == ""
    assert review.velocity_unstable["2026-10"] == "only 3 deals were won, fewer than the 5 velocity needs"


@pytest.mark.slow
def test_the_demo_summary_names_the_planted_bottleneck():
    data = load_data(DEMO_DATA, load_config(DEFAULT_CONFIG), cache=True)
    calendar, review = _review(data, "2026-10")
    summary = process_summary(data, calendar, review, "USD")
    assert summary.standing.startswith("The worst bottleneck is Enterprise · Proposal: 38% of the")
    assert len(summary.figures) <= 5 and len(summary.sentences()) == 5
    figures = {h.key: h for h in summary.figures}
    # each card's month is the report's own figure, and its trend runs twelve months
    assert figures["stalled_value"].value == value_at_risk(review.stalled)
    assert figures["slipped_value"].value == pytest.approx(review.slipped["amount"].sum())
    assert figures["velocity"].value == pytest.approx(review.velocity["current"].iloc[-1])
    assert len(figures["velocity"].trend) == 12 and figures["velocity"].trend_periods[-1] == "2026-10"
    # September's stalled value, rebuilt from the history saved by its end: the change is against it
    september = value_at_risk_by_month(data, [calendar.month(pd.Timestamp("2026-09-01"))]).iloc[0]
    assert (
        figures["stalled_value"].change
        == f"{fmt.change(figures['stalled_value'].value - september, 'currency')} vs Sep 2026"
    )
    stage = where_value_sits(review.stalled, "stage").iloc[0]["stage"]
    assert f"stalled deals in {stage}" in summary.action
