"""Pipeline forecasts, scenarios and monthly series read from an analyst's CSV, against hand-worked numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops_helpers.config import load_config
from salesops_helpers.fiscal_calendar import FiscalCalendar
from salesops_helpers.forecast import pipeline_forecast, scenarios
from salesops_helpers.forecast.series import SeriesError, read_monthly_csv
from salesops_helpers.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.test_validation import write_folder


def test_weighted_pipeline_and_its_range_if_deals_close_independently():
    deals = pd.DataFrame({"amount": [100.0, 200.0], "p": [0.5, 0.1]})
    # 100 * 0.5 + 200 * 0.1 = 70; variance 100^2 * 0.25 + 200^2 * 0.09 = 2500 + 3600 = 6100, sd 78.10;
    # 80%: 70 -/+ 1.2816 * 78.10 = 100.09 -> lower clipped to 0, upper 170.09
    value, lower, upper = pipeline_forecast.weighted(deals, "p")
    assert value == pytest.approx(70)
    assert lower == 0
    assert upper == pytest.approx(70 + 1.281552 * 6100**0.5, rel=1e-5)


def test_pipeline_needed_divides_the_gap_by_the_open_pipelines_conversion():
    deals = pd.DataFrame({"amount": [100.0, 300.0], "historical": [0.5, 0.1]})
    # converts (50 + 30) / 400 = 20%: a gap of 100 takes 500 of pipeline
    assert pipeline_forecast.pipeline_needed(100, deals) == pytest.approx(500)
    assert pipeline_forecast.pipeline_needed(-5, deals) == 0


def test_blend_weights_are_inverse_mean_squared_errors():
    historical, series = pipeline_forecast.BLENDED
    checked = pd.DataFrame(
        {
            "method": [historical] * 3 + [series] * 3,
            "forecast": [110.0, 90, 110, 120, 80, 120],
            "actual": [100.0] * 6,
        }
    )
    # squared errors 100 and 400: weights 1/100 and 1/400, normalised 0.8 and 0.2
    weights = pipeline_forecast.blend_weights(checked)
    assert weights[historical] == pytest.approx(0.8) and weights[series] == pytest.approx(0.2)
    assert pipeline_forecast.blend_weights(checked.iloc[[0, 3]]) is None  # one quarter each: too few


def test_quarters_ahead_start_the_day_after_the_forecast_date():
    calendar = FiscalCalendar.from_config(load_config(DEFAULT_CONFIG))  # fiscal year from February
    assert [q.label for q in pipeline_forecast.quarters_ahead(calendar, pd.Timestamp("2026-10-31"))] == [
        "FY2027 Q4",
        "FY2028 Q1",
    ]
    assert [q.label for q in pipeline_forecast.quarters_ahead(calendar, pd.Timestamp("2026-09-30"))] == [
        "FY2027 Q3",
        "FY2027 Q4",
    ]


def test_new_deal_share_counts_bookings_from_deals_shorter_than_the_time_ahead(tmp_path):
    data = load_data(write_folder(tmp_path / "data"), load_config(DEFAULT_CONFIG))
    # won by 2024-04-30: O1 (36 days, 1000) and O5 (45 days, 12000). One month ahead reaches 15 days: neither;
    # two months ahead reach 45.7 days: both
    as_of = pd.Timestamp("2024-04-30")
    assert pipeline_forecast.new_deal_share(data, as_of, 1) == 0
    assert pipeline_forecast.new_deal_share(data, as_of, 2) == pytest.approx(1)


def test_a_scenario_moves_every_deal_by_win_rate_and_new_deals_by_size_and_creation():
    forecast = pd.DataFrame(
        {"month": pd.to_datetime(["2026-11-01", "2026-12-01"]), "horizon": [1, 2], "forecast": [100.0, 200.0]}
    )
    drawn = scenarios.scenario(forecast, {1: 0.0, 2: 0.5}, win_rate=1.1, deal_size=0.9, creation=1.2)
    # month 1: 100 * 1.1 * (1 - 0) = 110; month 2: 200 * 1.1 * (0.5 + 0.5 * 1.2 * 0.9) = 200 * 1.1 * 1.04 = 228.8
    assert drawn["scenario"].tolist() == pytest.approx([110, 228.8])


@pytest.mark.parametrize(
    "dates",
    [
        ["2024-01", "2024-02", "2024-03"],
        ["2024-01-31", "2024-02-29", "2024-03-31"],
        ["Jan 2024", "Feb 2024", "Mar 2024"],
        ["01/2024", "02/2024", "03/2024"],
    ],
)
def test_monthly_csv_accepts_common_date_forms(tmp_path, dates):
    path = tmp_path / "series.csv"
    path.write_text(
        "month,sales\n" + "".join(f"{d},{v}\n" for d, v in zip(dates, ["10", '"1,200"', "30"], strict=True))
    )
    series = read_monthly_csv(str(path))
    assert series.index.tolist() == list(pd.date_range("2024-01-01", periods=3, freq="MS"))
    assert series.tolist() == [10, 1200, 30]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("month,sales\n2024-01,10\n2024-03,30\n", "month 2024-02 is missing"),
        ("month,sales\n2024-01,10\n2024-01,30\n", "2024-01 appears more than once"),
        ("month,sales\n2024-01,10\nsoon,30\n", "row 3: 'soon' is not a month"),
        ("month,sales\n2024-01,10\n2024-02,lots\n", "row 3: 'lots' is not a number"),
    ],
)
def test_a_bad_monthly_csv_gets_a_clear_message(tmp_path, text, message):
    path = tmp_path / "series.csv"
    path.write_text(text)
    with pytest.raises(SeriesError, match=message):
        read_monthly_csv(str(path))
    with pytest.raises(SeriesError, match="no column 'revenue'"):
        read_monthly_csv(str(path), value_col="revenue")
