"""The time window of a database read (source.since, data/window.py): only the window's rows travel, and every KPI of
a period inside it is the one a full read gives.

The oracle is the full read itself: the rows a windowed load keeps are recounted in pandas from a load of every row
(deals created, closed or open in the window; the history of those deals; quotas, activities and leads of its
months), and the KPI tables of the window's months and quarters are compared with the full load's.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import ConfigError
from salesops_helpers.data.mapping import load_mapping
from salesops_helpers.data.window import window_start
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

TABLES = ["opportunities", "opportunity_history", "reps", "quotas", "activities", "leads", "campaigns"]
CAL = FiscalCalendar(2, "end")
SINCE = pd.Timestamp("2025-06-01")


def test_months_count_back_from_the_first_of_the_runs_month():
    assert window_start("36 months", pd.Timestamp("2026-12-03")) == pd.Timestamp("2023-12-01")
    assert window_start("1 month", pd.Timestamp("2026-01-31")) == pd.Timestamp("2025-12-01")
    assert window_start("2024-02-15", pd.Timestamp("2026-12-03")) == pd.Timestamp("2024-02-15")


@pytest.mark.parametrize(
    ("since", "message"),
    [("0 months", "at least 1 month"), ("last year", "neither a first day"), ("2023-02-30", "not a day")],
)
def test_a_window_that_is_no_day_nor_months_is_named(tmp_path, since, message):
    path = tmp_path / "m.yml"
    path.write_text(f"source: {{url: 'sqlite:///x.db', since: '{since}'}}\ntables:\n  opportunities: {{table: o}}\n")
    with pytest.raises(ConfigError, match=message):
        load_mapping(path)


def _database(path: Path) -> str:
    """The demo company's CSV files as text tables of a SQLite file, as a warehouse loader would leave them."""
    from sqlalchemy import create_engine

    url = f"sqlite:///{path}"
    engine = create_engine(url)
    open_stages = set(load_config(DEFAULT_CONFIG).open_stages)
    with engine.begin() as connection:
        for name in TABLES:
            frame = pd.read_csv(DEMO_DATA / f"{name}.csv", dtype=str, keep_default_na=False).replace("", None)
            if name == "opportunities":  # a stale deal: open, created and due before the window, kept as open
                stale = frame.index[frame["stage"].isin(open_stages)][0]
                frame.loc[stale, ["created_date", "close_date"]] = ["2024-10-01", "2025-02-28"]
            frame.to_sql(name, connection, index=False)
    engine.dispose()
    return url


def _mapping(path: Path, url: str, since: str | None, extra: str = "") -> Path:
    lines = ["name: the demo in a database", "source:", f"  url: '{url}'"]
    lines += [f"  since: '{since}'"] if since else []
    lines += ["tables:"] + [f"  {name}: {{table: {name}{extra if name == 'opportunities' else ''}}}" for name in TABLES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def loads(tmp_path_factory: pytest.TempPathFactory):
    """The demo read from SQLite whole and within the window from SINCE."""
    folder = tmp_path_factory.mktemp("window")
    url = _database(folder / "crm.sqlite")
    config = load_config(DEFAULT_CONFIG)
    whole = load_data(Path("/nonexistent"), config, mapping=_mapping(folder / "whole.yml", url, None))
    window = load_data(Path("/nonexistent"), config, mapping=_mapping(folder / "w.yml", url, SINCE.date().isoformat()))
    return whole, window, folder, url


def _kept_deals(whole) -> set[str]:
    deals = whole.opportunities
    kept = (deals["created_date"] >= SINCE) | (deals["close_date"] >= SINCE) | (deals["outcome"] == "open")
    return set(deals.loc[kept, "opportunity_id"])


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.slow
def test_the_window_keeps_the_deals_created_closed_or_open_in_it_and_all_their_history(loads):
    whole, window, *_ = loads
    kept = _kept_deals(whole)
    assert 0 < len(kept) < len(whole.opportunities)
    stale = whole.opportunities.query("outcome == 'open' and close_date < @SINCE and created_date < @SINCE")
    assert len(stale) == 1  # kept because it is open
    assert set(window.opportunities["opportunity_id"]) == kept
    history = whole.history[whole.history["opportunity_id"].isin(kept)]
    pd.testing.assert_frame_equal(_rows(window.history), _rows(history))


@pytest.mark.slow
def test_quotas_activities_and_leads_are_those_of_the_windows_months_or_its_deals(loads):
    whole, window, *_ = loads
    kept = _kept_deals(whole)
    quotas = whole.quotas[whole.quotas["period_start"] >= SINCE]
    pd.testing.assert_frame_equal(_rows(window.quotas), _rows(quotas))
    acts = whole.activities
    acts = acts[(acts["occurred_at"] >= SINCE) | acts["opportunity_id"].isin(kept)]
    assert set(window.activities["activity_id"]) == set(acts["activity_id"])
    leads = whole.leads
    moved = (leads[["created_at", "mql_date", "sql_date", "converted_date"]] >= SINCE).any(axis=1)
    assert set(window.leads["lead_id"]) == set(leads.loc[moved | leads["opportunity_id"].isin(kept), "lead_id"])
    assert len(window.reps) == len(whole.reps)


@pytest.mark.slow
def test_every_kpi_of_a_period_inside_the_window_is_the_full_reads(loads):
    whole, window, *_ = loads
    assert window.as_of == whole.as_of
    months = [m.label for m in CAL.months_between(SINCE, whole.as_of)]
    assert len(months) >= 12
    for label in [*months, "FY2027 Q1", "FY2027 Q2", "FY2027 Q3"]:
        for by in ([], ["team"], ["segment"]):
            a = kpi_table(whole, CAL.parse(label), by).values
            b = kpi_table(window, CAL.parse(label), by).values
            pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, obj=f"{label} by {by}")


@pytest.mark.slow
def test_the_log_says_what_the_window_kept(loads):
    whole, window, *_ = loads
    notes = [p.message for p in window.quality.problems if "source.since" in p.message]
    kept = len(window.opportunities)
    assert notes == [
        f"read the window of source.since (2025-06-01): {kept:,} of {len(whole.opportunities):,} deals (created, "
        "closed or open on or after 2025-06-01), their history, and the quotas, activities and leads from "
        "2025-06-01; KPIs of earlier periods, and figures over the whole history, count only these"
    ]
    assert whole.window_since is None and window.window_since == SINCE
    # every report's footer and the data-health report say where the data came from, and so what was left out
    assert window.origin == window.database + (
        " (only deals created, closed or open from 2025-06-01 on: the mapping's source.since)"
    )
    assert whole.origin == whole.database


@pytest.mark.slow
def test_a_close_date_a_load_makes_means_every_row_is_read_and_why(loads):
    whole, _, folder, url = loads
    mapping = _mapping(folder / "stand_in.yml", url, "2025-06-01", ", stand_ins: {close_date: created_date}")
    data = load_data(Path("/nonexistent"), load_config(DEFAULT_CONFIG), mapping=mapping)
    assert len(data.opportunities) == len(whole.opportunities)
    notes = [p.message for p in data.quality.problems if "source.since" in p.message]
    assert notes == [
        "every row is read, not the window of source.since (2025-06-01): the deals' close_date is made by a load, "
        "which the window's SQL cannot follow"
    ]
