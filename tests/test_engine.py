"""The DuckDB engine gives the KPI totals a row-by-row pandas recount gives (tests/helpers/pandas_totals.py), for
every grouping, on the demo company and on the hand-worked companies: counts exactly, amounts to a relative 1e-12
(the two add floating-point numbers in different orders), missing where the recount has them missing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.loading import SalesData, cached_tables, load_data
from salesops_helpers.metrics import engine
from salesops_helpers.metrics.groupings import GROUPINGS, group_columns
from salesops_helpers.metrics.totals import TOTAL_COLUMNS, period_totals
from tests.helpers import metrics_company, planted_company, six_deals
from tests.helpers.pandas_totals import pandas_period_totals

COUNTS = ["won_deals", "lost_deals", "created_deals", "open_end_deals", "open_start_deals", "reps_with_quota"]
GROUPINGS_TRIED = [[], *[[key] for key in GROUPINGS], ["team", "segment"], ["rep", "deal_type"]]


def assert_same_totals(data: SalesData, period: Period, by: list[str]) -> None:
    """The engine's totals and the recount's: the same groups in the same order, the same figures."""
    ours, recount = period_totals(data, period, by), pandas_period_totals(data, period, by)
    keys = group_columns(by)
    assert list(ours.columns) == list(recount.columns) == [*keys, *TOTAL_COLUMNS]
    pd.testing.assert_frame_equal(ours[keys], recount[keys], check_dtype=False)
    for column in TOTAL_COLUMNS:
        a, b = ours[column].to_numpy(dtype=float), recount[column].to_numpy(dtype=float)
        if column in COUNTS:
            assert np.array_equal(a, b, equal_nan=True), (period.label, by, column, a, b)
        else:
            assert np.allclose(a, b, rtol=1e-12, atol=0, equal_nan=True), (period.label, by, column, a, b)


def _periods(config: WorkbookConfig, labels: list[str]) -> list[Period]:
    calendar = FiscalCalendar.from_config(config)
    return [calendar.parse(label) for label in labels]


@pytest.mark.parametrize("by", GROUPINGS_TRIED, ids=lambda by: "+".join(by) or "company")
def test_the_demo_company(demo_data, config, by):
    for period in _periods(config, ["2026-10", "FY2027 Q3", "2023-11"]):
        assert_same_totals(demo_data, period, by)


@pytest.mark.parametrize("history", [True, False], ids=["with history", "without history"])
def test_the_hand_worked_metrics_company(tmp_path, config, history):
    files = {} if history else {"opportunity_history.csv": None}
    data = load_data(metrics_company.write_folder(tmp_path / "company", files), config)
    labels = ["2026-08", "2026-10", "FY2027 Q3", "TTM 2026-10"]
    # not an empty comparison: October 2026 has D6, D7 and D10 won (D10's owner R9 is not in the reps table)
    assert period_totals(data, _periods(config, ["2026-10"])[0], []).loc[0, "won_deals"] == 3
    for by in GROUPINGS_TRIED:
        for period in _periods(config, labels):
            assert_same_totals(data, period, by)


def test_the_six_deal_and_the_planted_companies(tmp_path, config):
    without_quotas = {name: text for name, text in six_deals.VALID_FILES.items() if name != "quotas.csv"}
    no_quotas = WorkbookConfig.model_validate(config.model_dump() | {"quotas": {"source": "none"}})
    companies = [
        load_data(six_deals.write_folder(tmp_path / "six"), config),
        load_data(planted_company.write_folder(tmp_path / "planted", {}), config),
        load_data(six_deals.write_folder(tmp_path / "no-quotas", without_quotas), no_quotas),
    ]
    for data in companies:
        for by in GROUPINGS_TRIED:
            for period in _periods(config, ["2024-03", "FY2025 Q1"]):
                assert_same_totals(data, period, by)


def test_a_month_when_nothing_happened_keeps_the_company_row(config, demo_data):
    (empty,) = _periods(config, ["2019-01"])
    totals = period_totals(demo_data, empty, [])
    assert len(totals) == 1 and totals.loc[0, "won_deals"] == 0 and totals.loc[0, "won_amount"] == 0.0
    assert np.isnan(totals.loc[0, "won_amount_median"])


def test_one_connection_serves_one_company_and_is_replaced_by_the_next(tmp_path: Path, config, demo_data):
    first, _ = engine.connection(demo_data)
    assert engine.connection(demo_data)[0] is first
    other = load_data(six_deals.write_folder(tmp_path / "six"), config)
    assert engine.connection(other)[0] is not first


def test_a_day_asked_for_again_is_kept_when_the_days_kept_are_full(tmp_path, config):
    data = load_data(metrics_company.write_folder(tmp_path / "company", {}), config)
    september, october = _periods(config, ["2026-09", "2026-10"])
    period_totals(data, october, [])  # keeps 30 Sep and 31 Oct, 30 Sep the oldest
    far = _periods(config, [f"{year}-06" for year in range(2000, 2000 + (engine.MOST_STATES - 2) // 2)])
    for period in far:  # two more days each, up to MOST_STATES
        period_totals(data, period, [])
    # September asks for 30 Sep again and for 31 Aug, which must make room: 30 Sep is not the day to drop
    assert_same_totals(data, september, [])


def test_a_cached_load_is_read_from_its_parquet_files_with_the_same_totals(tmp_path, config):
    folder = metrics_company.write_folder(tmp_path / "company", {})
    assert cached_tables(folder, config) is None  # nothing cached yet
    data = load_data(folder, config, cache=True)
    stored = cached_tables(folder, config)
    assert stored is not None and stored.history is not None and stored.opportunities.suffix == ".parquet"
    assert engine.data_span(stored) == engine.data_span(data)
    for by in GROUPINGS_TRIED:
        for period in _periods(config, ["2026-10", "FY2027 Q3"]):
            from_files, from_frames = period_totals(stored, period, by), period_totals(data, period, by)
            pd.testing.assert_frame_equal(from_files, from_frames, check_dtype=False, rtol=1e-12)
    # a changed file is a different load: the old entry is not offered for it
    opportunities = folder / "opportunities.csv"
    opportunities.write_text(opportunities.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cached_tables(folder, config) is None
