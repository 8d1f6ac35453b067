"""Expected bookings from deal probabilities as a method of notebook 04: the backtest as it stood on a past day is
the deal inspection's of that day, a past day's forecast knows nothing of later outcomes, today's figure is the deal
inspection's, and a sampled company's open part is scaled up to all its deals."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops_helpers.analyses.deals import categories, expected
from salesops_helpers.analyses.deals import win_probability as wp
from salesops_helpers.analyses.deals.inspection import reviewed
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.test_win_probability import _coin_company

T = pd.Timestamp
CALENDAR = FiscalCalendar(start_month=1)


@pytest.fixture(scope="module")
def coins(tmp_path_factory: pytest.TempPathFactory):
    return load_data(_coin_company(tmp_path_factory.mktemp("coins") / "coins"), DEFAULT_CONFIG)


@pytest.mark.parametrize("day", [T("2024-09-30"), T("2024-10-15")])
def test_the_backtest_on_a_past_day_is_the_one_the_deal_inspection_ran_that_day(coins, day):
    snaps = wp.snapshots(coins)
    scored = wp.score_origins(coins, snaps, [d for d in snaps.days if d < day])
    ours = wp.backtest_on(scored, day)
    theirs = wp.run_backtest(coins, wp.BACKTEST_ORIGINS, snaps.until(day))
    assert ours.origins == theirs.origins and len(ours.origins) == wp.BACKTEST_ORIGINS
    assert ours.champion == theirs.champion
    pd.testing.assert_frame_equal(ours.accuracy, theirs.accuracy)
    pd.testing.assert_frame_equal(ours.scored, theirs.scored)


def test_today_s_figure_is_the_deal_inspection_s_expected_bookings(coins):
    day = T("2024-10-31")
    calls = categories.past_calls(coins)
    forecasts = expected.deal_forecasts(coins, CALENDAR, day, [T("2024-06-30")], calls)
    scores = wp.deal_scores(coins, day)
    quarter = CALENDAR.quarter(day + pd.Timedelta(days=1))
    inspection = expected.expected_bookings(
        coins, reviewed(scores.deals, coins), quarter, day, calls[calls["quarter_end"] <= day]
    )
    assert forecasts.method == scores.method
    assert forecasts.now is not None and forecasts.now.total == pytest.approx(inspection.total)
    assert forecasts.now_row() == pytest.approx(
        {"forecast": inspection.total, "lower_80": inspection.low, "upper_80": inspection.high}
    )
    # the past day's forecast: Q3 2024 from 30 June, the deals open that day among them
    past = forecasts.past.set_index("made_at")
    assert past.loc[T("2024-06-30"), "quarter"] == CALENDAR.quarter(T("2024-07-01")).label
    assert past.loc[T("2024-06-30"), "forecast"] > 0


def test_a_past_day_s_forecast_does_not_change_when_later_outcomes_do(tmp_path):
    """No hindsight: flipping every outcome after the day leaves that day's forecast as it was."""
    folder = _coin_company(tmp_path / "coins")
    day, as_of = T("2024-06-30"), T("2024-12-31")
    before = load_data(folder, DEFAULT_CONFIG)
    first = expected.deal_forecasts(before, CALENDAR, as_of, [day], categories.past_calls(before)).past
    deals = pd.read_csv(folder / "opportunities.csv")
    later = pd.to_datetime(deals["close_date"]) > day
    flip = {"Closed Won": "Closed Lost", "Closed Lost": "Closed Won"}
    deals.loc[later, "stage"] = deals.loc[later, "stage"].map(flip)
    deals.to_csv(folder / "opportunities.csv", index=False)
    history = pd.read_csv(folder / "opportunity_history.csv")
    closing = history["opportunity_id"].isin(deals.loc[later, "opportunity_id"]) & history["stage"].ne("Prospecting")
    history.loc[closing, "stage"] = history.loc[closing, "stage"].map(flip)
    history.to_csv(folder / "opportunity_history.csv", index=False)
    after = load_data(folder, DEFAULT_CONFIG)
    second = expected.deal_forecasts(after, CALENDAR, as_of, [day], categories.past_calls(after)).past
    assert len(first) == 1
    pd.testing.assert_frame_equal(first, second)


def test_a_sampled_company_s_open_part_stands_for_all_its_deals(coins, monkeypatch):
    assert expected._scale(coins) == 1.0  # 900 deals, all followed
    monkeypatch.setattr(wp, "MOST_SNAPSHOT_DEALS", 300)
    assert expected._scale(coins) == pytest.approx(900 / 300)


def test_without_a_stage_history_there_is_no_deal_forecast(coins):
    from dataclasses import replace

    forecasts = expected.deal_forecasts(replace(coins, history=None), CALENDAR, T("2024-10-31"), [], coins.history)
    assert forecasts.now is None and forecasts.past.empty and forecasts.now_row() is None
