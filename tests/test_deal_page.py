"""Report 06's own figures and sentences, worked out by hand on tiny tables: the expected bookings from deal
probabilities, the change of the call, the deal most at risk, the action and the chart titles."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from salesops_helpers.analyses.deals import categories, story, summary
from salesops_helpers.analyses.deals.expected import ExpectedBookings
from salesops_helpers.calendar.fiscal import Period

Q4 = Period("quarter", pd.Timestamp("2026-11-01"), pd.Timestamp("2027-01-31"), "FY2027 Q4")
DAY = pd.Timestamp("2026-10-31")


def _rollup(day: str, amounts: dict[str, float], quarter: str = "FY2027 Q4") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.Timestamp(day),
            "horizon": "next quarter",
            "quarter": quarter,
            "group": "Company",
            "category": list(amounts),
            "amount": list(amounts.values()),
            "deals": 1,
        }
    )


def _deals(rows: list[tuple[str, float, float, str]]) -> pd.DataFrame:
    """(name, amount, win probability, reasons) per deal, owned by Dana."""
    frame = pd.DataFrame(rows, columns=["name", "amount", "win_probability", "reasons"])
    frame["owner"] = "Dana"
    frame["value_at_risk"] = frame["amount"] * (1 - frame["win_probability"])
    return frame


def test_the_expected_bookings_add_booked_open_and_new():
    expected = ExpectedBookings(Q4, DAY, 100.0, 300.0, 250.0, 350.0, 50.0, 4, 0.8)
    assert (expected.total, expected.low, expected.high) == (450.0, 400.0, 500.0)


def test_the_open_part_is_the_sum_of_amount_times_probability_with_its_binomial_interval():
    from salesops_helpers.analyses.deals import expected as module

    # two deals due in the quarter: 1000 at 50% and 2000 at 25%; the in-quarter share 0.5 halves each probability:
    # q = 0.25 and 0.125; mean = 250 + 250 = 500; variance = 1000² × 0.25 × 0.75 + 2000² × 0.125 × 0.875 = 625000
    deals = pd.DataFrame(
        {
            "amount": [1000.0, 2000.0, 5000.0],
            "win_probability": [0.5, 0.25, 0.9],
            "expected_close": pd.to_datetime(["2026-12-01", "2026-09-30", "2027-03-01"]),  # the last is after Q4
        }
    )
    part = module._open_part(deals, Q4, 0.5)
    assert part[0] == pytest.approx(500.0)
    z = 1.2815515655446004  # the 90th percentile of the normal: an 80% interval
    assert part[2] - part[0] == pytest.approx(z * math.sqrt(625000.0))
    assert part[1] == pytest.approx(max(500.0 - z * math.sqrt(625000.0), 0.0))
    assert part[3] == 2


def test_the_call_is_closed_plus_commit_of_the_quarter():
    rollup = _rollup("2026-10-31", {"Closed": 100.0, "Commit": 400.0, "Best Case": 900.0, "Pipeline": 50.0})
    assert categories.called(rollup, Q4) == 500.0 == categories.called(rollup, "FY2027 Q4")
    assert categories.called(rollup, Q4, ("Best Case", "Pipeline")) == 950.0
    assert categories.called(rollup[rollup["quarter"] == "other"], Q4) is None


def test_the_change_names_each_category_that_moved():
    now = _rollup("2026-10-31", {"Closed": 100.0, "Commit": 400.0, "Best Case": 900.0})
    before = _rollup("2026-09-30", {"Closed": 0.0, "Commit": 600.0, "Best Case": 100.0})
    assert summary.change_sentence(Q4, now, before, "USD") == (
        "Since 30 Sep 2026 the call for FY2027 Q4 fell by $100 to $500 (Closed +$100, Commit -$200)."
    )
    assert summary.change_sentence(Q4, now, before[:0], "USD") == (
        "No earlier month end holds a call for FY2027 Q4 to compare with."
    )


def test_the_risk_is_the_deal_with_most_value_at_risk_and_its_reasons():
    deals = _deals([("Acme", 1000.0, 0.2, "pushed twice"), ("Birch", 500.0, 0.5, "")])
    assert summary.risk_sentence(Q4, deals, "USD") == (
        "2 open deals expected to close by the end of FY2027 Q4 carry $1.1k of value at risk; the most is in Acme "
        "(Dana, $1.0k, 20% likely): pushed twice."
    )
    assert summary.risk_sentence(Q4, deals[:0], "USD").startswith("No open deal is expected to close")


def test_the_action_asks_about_likely_wins_outside_commit():
    deals = _deals([("Acme", 1000.0, 0.2, "pushed twice")])
    likely = _deals([("Cedar", 800.0, 0.7, ""), ("Dune", 200.0, 0.65, "")])
    assert summary.action_sentence(Q4, deals, likely, "USD") == (
        "Review Acme with Dana first, and ask whether the 2 likely wins worth $1.0k not called Commit (the "
        "likeliest: Cedar (Dana, $800, 70% likely)) belong in the call."
    )
    assert summary.action_sentence(Q4, deals, likely[:0], "USD") == (
        "Review Acme with Dana first, then the next deals on the inspection list."
    )


def test_the_calibration_title_names_the_widest_band_of_ten_deals_or_more():
    table = pd.DataFrame(
        {"deals": [50, 9, 20], "predicted": [0.15, 0.5, 0.85], "observed": [0.2, 0.9, 0.7]},
        index=["10%-20%", "40%-50%", "80%-90%"],
    )
    # the 40-50% band has 9 deals: left out; the widest of the others is 80-90%: 15 points
    assert story.calibration_title(table) == (
        "Predicted and actual win rates differ by at most 15 points a band (deals given 80%-90%: 70% won)"
    )
    assert story.calibration_title(pd.DataFrame()) == "Too few scored deals to check the probabilities"


def test_the_rollup_title_holds_the_call_against_the_target():
    rollup = _rollup("2026-10-31", {"Closed": 100.0, "Commit": 400.0, "Best Case": 900.0, "Pipeline": 50.0})
    assert story.rollup_title(rollup, "FY2027 Q4", 2000.0) == (
        "FY2027 Q4: $500 called (Closed and Commit), 25% of the $2.0k target"
    )
    assert story.rollup_title(rollup, "FY2027 Q4", None) == (
        "FY2027 Q4: $500 called (Closed and Commit), $950 more in Best Case and Pipeline"
    )
