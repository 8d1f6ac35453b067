"""The forecast history store: where it lives, reruns and new periods, failed writes, and forecast against actual."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from salesops_helpers.analyses.forecast import forecast_history as store


def _rows(target: str, value: float) -> pd.DataFrame:
    start = pd.Timestamp(f"{target}-01")
    return pd.DataFrame(
        {
            "method": ["ETS"],
            "kind": ["month"],
            "target": [target],
            "start": [start],
            "end": [start + pd.offsets.MonthEnd(0)],
            "horizon": [1],
            "forecast": [value],
            "lower_80": [value - 10],
            "upper_80": [value + 10],
            "lower_95": [value - 20],
            "upper_95": [value + 20],
        }
    )


def test_the_store_lives_beside_the_period_folders_and_not_in_a_run_by_hand(tmp_path):
    staging = tmp_path / "reports" / ".staging-2026-10-123"
    assert store.store_path(str(staging)) == tmp_path / "reports" / "forecast_history.csv"
    assert store.store_path("") is None


def test_a_rerun_replaces_its_periods_rows_and_a_new_period_adds_its_own(tmp_path):
    path = tmp_path / store.STORE_NAME
    store.save_forecasts(path, _rows("2026-10", 100), "Acme", "2026-09")
    store.save_forecasts(path, _rows("2026-10", 100), "Other Co", "2026-09")
    first = path.read_bytes()
    store.save_forecasts(path, _rows("2026-10", 100), "Acme", "2026-09")  # the same run again
    assert path.read_bytes() == first
    store.save_forecasts(path, _rows("2026-10", 120), "Acme", "2026-09")  # a rerun with new data replaces
    store.save_forecasts(path, _rows("2026-11", 130), "Acme", "2026-10")  # the next period adds
    saved = store.read_store(path)
    assert len(saved) == 3
    acme = saved[saved["company"] == "Acme"].set_index("made_at")["forecast"].to_dict()
    assert acme == {"2026-09": 120, "2026-10": 130}
    assert saved.loc[saved["company"] == "Other Co", "forecast"].tolist() == [100]


def test_a_write_that_fails_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / store.STORE_NAME
    store.save_forecasts(path, _rows("2026-10", 100), "Acme", "2026-09")
    before = path.read_bytes()

    def broken(self, handle, **kwargs):
        handle.write("company,made_at\nhalf a fi")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError, match="disk full"):
        store.save_forecasts(path, _rows("2026-11", 130), "Acme", "2026-10")
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [store.STORE_NAME]  # no temporary file left behind


def test_an_unreadable_store_is_reported_and_left_alone(tmp_path):
    path = tmp_path / store.STORE_NAME
    path.write_text("something else entirely\n1,2\n")
    with pytest.raises(store.StoreError, match="lacks the columns"):
        store.save_forecasts(path, _rows("2026-10", 100), "Acme", "2026-09")
    assert path.read_text() == "something else entirely\n1,2\n"


def test_forecasts_of_earlier_runs_are_held_against_what_was_booked(tmp_path):
    monthly = pd.Series([80.0, 90.0, 100.0], index=pd.date_range("2026-08-01", periods=3, freq="MS"), name="bookings")
    quarter = _rows("2026-08", 280).assign(
        kind="quarter", target="FY2027 Q3", end=pd.Timestamp("2026-10-31"), lower_80=float("nan")
    )
    rows = pd.concat([_rows("2026-10", 110), quarter, _rows("2026-11", 500)], ignore_index=True)
    saved = store.merged(store.read_store(None), rows, "Acme", "2026-09")
    saved = store.merged(saved, _rows("2026-10", 999), "Acme", "2026-10")  # this period's own: not checked yet
    compared = store.forecast_vs_actual(saved, monthly, "Acme", "2026-10", pd.Timestamp("2026-10-31"))
    # October: 110 against 100, error +10, inside 100 .. 120; the quarter: 280 against 80 + 90 + 100 = 270, +10;
    # November has not ended, the 999 was made by the run being checked
    assert compared[["target", "actual", "error"]].to_numpy().tolist() == [["2026-10", 100, 10], ["FY2027 Q3", 270, 10]]
    assert compared["inside_80"].tolist()[0] == 1
    by_method = store.error_by_method(compared).set_index("kind")
    assert by_method.loc["month", "wape"] == pytest.approx(0.1)  # 10 / 100
    assert by_method.loc["quarter", "bias"] == pytest.approx(10 / 270)


def test_the_store_keeps_its_permissions(tmp_path):
    path = tmp_path / store.STORE_NAME
    old = os.umask(0o022)
    try:
        store.save_forecasts(path, _rows("2026-10", 100), "Acme", "2026-09")
        assert stat.S_IMODE(path.stat().st_mode) == 0o644  # a new file: 0o666 & ~0o022 (mkstemp alone: 0o600)
        path.chmod(0o664)
        store.save_forecasts(path, _rows("2026-11", 100), "Acme", "2026-10")
        assert stat.S_IMODE(path.stat().st_mode) == 0o664  # a rewritten file keeps the old file's mode
    finally:
        os.umask(old)


def test_a_month_still_under_way_is_not_held_against_its_bookings():
    monthly = pd.Series([100.0, 40.0], index=pd.date_range("2026-10-01", periods=2, freq="MS"), name="bookings")
    rows = pd.concat([_rows("2026-10", 110), _rows("2026-11", 120)], ignore_index=True)
    saved = store.merged(store.read_store(None), rows, "Acme", "2026-09")
    # the data runs to 15 November: November (to 30 November) is not over, its 40 so far is not its actual
    compared = store.forecast_vs_actual(saved, monthly, "Acme", "2026-11", pd.Timestamp("2026-11-15"))
    assert compared["target"].tolist() == ["2026-10"]
