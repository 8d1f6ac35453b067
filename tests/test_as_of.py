"""The day the data stands on: the export's latest recorded event, not a close date set ahead; --as-of overrides it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers.calendar.periods import resolve_period
from salesops_helpers.cli.main import main
from salesops_helpers.data.as_of import CLOSE, STATED, found_day, stated_day
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers import six_deals

CLOSED = {"Closed Won", "Closed Lost"}
TODAY = pd.Timestamp("2027-06-30")
T = pd.Timestamp


def _deals(**extra: list) -> pd.DataFrame:
    """D1 open, D2 won with a close date set well ahead (15 January 2027), D3 lost in September."""
    frame = pd.DataFrame(
        {
            "opportunity_id": ["D1", "D2", "D3"],
            "created_date": [T("2026-08-01"), T("2026-08-10"), T("2026-09-01")],
            "close_date": [T("2026-12-01"), T("2027-01-15"), T("2026-09-20")],
            "outcome": ["open", "won", "lost"],
        }
    )
    for column, values in extra.items():
        frame[column] = values
    return frame


def _history(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["opportunity_id", "changed_at", "stage"]).assign(
        changed_at=lambda f: pd.to_datetime(f["changed_at"])
    )


def test_a_close_date_set_ahead_on_a_deal_whose_closing_the_history_records_does_not_move_the_day():
    history = _history(
        ("D2", "2026-09-30 16:00", "Closed Won"),  # marked won on 30 September, dated 15 January
        ("D3", "2026-09-20 09:00", "Closed Lost"),
        ("D1", "2026-10-01 11:15", "Proposal"),
    )
    day = found_day({"opportunities": _deals(), "opportunity_history": history}, TODAY, CLOSED)
    assert day.day == T("2026-10-01") and day.basis == "the latest change in the deal history"


def test_without_a_closing_row_in_the_history_the_close_date_is_the_only_sign_and_counts():
    history = _history(("D3", "2026-09-20 09:00", "Closed Lost"), ("D1", "2026-10-01 11:15", "Proposal"))
    day = found_day({"opportunities": _deals(), "opportunity_history": history}, TODAY, CLOSED)
    assert day.day == T("2027-01-15") and day.basis == CLOSE
    # ... but never a day after today
    assert found_day({"opportunities": _deals(), "opportunity_history": history}, T("2026-12-02"), CLOSED).day == T(
        "2026-10-01"
    )


def test_last_modified_times_record_when_deals_closed():
    deals = _deals(last_modified=[T("2026-10-02 08:00"), T("2026-09-30 16:00"), T("2026-09-20 10:00")])
    day = found_day({"opportunities": deals}, TODAY, CLOSED)
    assert day.day == T("2026-10-02") and day.basis == "the latest change to a deal"


def test_activities_count_only_when_nothing_records_changes():
    activities = pd.DataFrame({"occurred_at": [T("2026-10-05 10:00"), T("2027-02-01 09:00")]})  # one scheduled ahead
    bare = found_day({"opportunities": _deals(), "activities": activities}, T("2026-12-02"), CLOSED)
    assert bare.day == T("2026-10-05") and bare.basis == "the latest activity"
    deals = _deals(last_modified=[T("2026-10-02 08:00"), T("2026-09-30 16:00"), T("2026-09-20 10:00")])
    recorded = found_day({"opportunities": deals, "activities": activities}, T("2026-12-02"), CLOSED)
    assert recorded.day == T("2026-10-02")


def test_a_stated_day_must_be_a_day():
    assert stated_day(" 2026-10-01 ").day == T("2026-10-01") and stated_day("2026-10-01").basis == STATED
    for text in ("2026-13-01", "yesterday", "2026-10", "31/03/2024", "20261001"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            stated_day(text)


def _six_deals_with_a_close_set_ahead(folder: Path) -> Path:
    """The six-deal company (as of 15 April 2024) with O7, marked won on 5 March 2024 but dated 30 June 2024."""
    files = dict(six_deals.VALID_FILES)
    files["opportunities.csv"] += "O7,Gale - Platform,Gale,R1,2024-02-01,2024-06-30,Closed Won,5000,USD,Enterprise\n"
    files["opportunity_history.csv"] += "O7,2024-03-05T15:00:00,Closed Won,5000,2024-06-30\n"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_closed_deal_dated_after_the_data_is_warned_about_and_the_default_month_stays(tmp_path):
    folder = _six_deals_with_a_close_set_ahead(tmp_path / "data")
    data = load_data(folder, DEFAULT_CONFIG)
    # O5's won close (15 April) is recorded by nothing else, so it counts; O7's 30 June does not
    assert data.as_of == T("2024-04-15")
    warned = [p for p in data.quality.warnings if p.column == "close_date" and "after the data's day" in p.message]
    assert len(warned) == 1 and warned[0].count == 1
    assert "2024-04-15" in warned[0].message and list(warned[0].examples["opportunity_id"]) == ["O7"]
    period = resolve_period(None, data.opportunities["created_date"].min(), data.as_of)
    assert period.label == "2024-03"  # the last complete month before 15 April, not May


def test_check_names_where_the_day_comes_from_and_as_of_overrides_it(tmp_path, capsys):
    folder = _six_deals_with_a_close_set_ahead(tmp_path / "data")
    assert main(["check", "--data", str(folder)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert "as of 2024-04-15 (the latest close of a won or lost deal; --as-of states another day)" in first
    assert main(["check", "--data", str(folder), "--as-of", "2024-03-31"]) == 0
    out = capsys.readouterr().out
    assert "as of 2024-03-31 (stated with --as-of; the data's own latest record is 2024-04-15)" in out
    assert "salesops run reports on March 2024 by default" in out
    with pytest.raises(SystemExit) as stop:
        main(["check", "--data", str(folder), "--as-of", "31/03/2024"])
    assert stop.value.code == 2 and "give it as YYYY-MM-DD" in capsys.readouterr().err


NOTEBOOK = """\
# %% tags=["parameters"]
period = ""
data_dir = ""
config_path = ""
output_dir = ""
interactive = True
as_of = ""

# %%
from salesops_helpers.presentation.report import open_report, say

report = open_report(period, data_dir, config_path, output_dir, interactive, "", as_of)
say("The data stands on {day}.", day=f"{report.data.as_of:%Y-%m-%d}")
"""


@pytest.mark.slow
def test_a_run_with_as_of_hands_the_day_to_every_notebook_and_the_manifest_records_it(tmp_path):
    folder = _six_deals_with_a_close_set_ahead(tmp_path / "data")
    notebooks, out = tmp_path / "notebooks", tmp_path / "reports"
    notebooks.mkdir()
    (notebooks / "01_day.py").write_text(NOTEBOOK, encoding="utf-8")
    command = ["run", "--quiet", "--notebooks", str(notebooks), "--out", str(out), "--data", str(folder)]
    assert main([*command, "--as-of", "2024-03-31"]) == 0
    # 31 March ends March, so March is the last complete month
    manifest = json.loads((out / "2024-03" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data_as_of"] == "2024-03-31" and manifest["data_as_of_from"] == STATED
    assert "The data stands on 2024-03-31." in (out / "2024-03" / "01_day.html").read_text(encoding="utf-8")
