"""The day the data stands on: the day the export was taken, found from its records or stated by the analyst.

Reports judge open deals (past due, stalled, days in stage) against this day and pick the default month from it, so
it must be the export's day, not the latest date anywhere: reps set close dates ahead of time, even on deals already
marked won or lost, and activities can be scheduled ahead. The CRM's own timestamps cannot run ahead of the export.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pandas as pd

from salesops_helpers.data.validation import is_in

# The records whose times the CRM itself writes, in the order a tie names them: none can be later than the export.
RECORDED = (
    ("opportunity_history", "changed_at", "the latest change in the deal history"),
    ("opportunities", "last_modified", "the latest change to a deal"),
    ("opportunities", "created_date", "the newest deal's creation"),
)
CLOSE = "the latest close of a won or lost deal"
# Activities can be scheduled ahead, so they count only when the data records no changes at all.
ACTIVITY = ("activities", "occurred_at", "the latest activity")
STATED = "stated with --as-of"
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class DataDay:
    """The day the data stands on, and what it was taken from (a sentence ending such as "... as of 1 Oct, ...")."""

    day: pd.Timestamp
    basis: str


def _latest(days: pd.Series, today: pd.Timestamp) -> pd.Timestamp | None:
    """The latest day up to today in a column of dates or times, or None when it has none."""
    latest = days[days < today + pd.Timedelta(days=1)].max()
    return None if pd.isna(latest) else pd.Timestamp(latest).normalize()


def records_changes(frames: dict[str, pd.DataFrame | None]) -> bool:
    """True when the data records when deals changed: a history, or last-modified times on the deals."""
    history, opportunities = frames.get("opportunity_history"), frames.get("opportunities")
    if history is not None and len(history):
        return True
    return opportunities is not None and bool(opportunities.get("last_modified", pd.Series(dtype=object)).notna().any())


def unrecorded_closes(frames: dict[str, pd.DataFrame | None], closed_stages: set[str]) -> pd.Series:
    """The close dates of won or lost deals whose closing nothing else records (no history row in a closed stage,
    no last-modified time): for those deals the close date is the only sign of when they closed."""
    opportunities = frames["opportunities"]
    assert opportunities is not None
    closed = opportunities["outcome"].isin(["won", "lost"])
    if "last_modified" in opportunities.columns:
        closed &= opportunities["last_modified"].isna()
    history = frames.get("opportunity_history")
    if history is not None and len(history) and closed.any():
        closings = history.loc[history["stage"].isin(list(closed_stages)), "opportunity_id"]
        closed &= ~is_in(opportunities["opportunity_id"], closings)
    return opportunities.loc[closed, "close_date"]


def found_day(frames: dict[str, pd.DataFrame | None], today: pd.Timestamp, closed_stages: set[str]) -> DataDay:
    """The export's day: the latest creation, history change or last modification up to today, and the close dates
    of won or lost deals whose closing nothing else records; when the data records no changes at all, the latest
    activity too. Close dates set ahead on deals whose closing is recorded do not move it."""
    candidates: list[tuple[pd.Series, str]] = []
    for table, column, basis in RECORDED:
        frame = frames.get(table)
        if frame is not None and column in frame.columns:
            candidates.append((frame[column], basis))
    candidates.append((unrecorded_closes(frames, closed_stages), CLOSE))
    activities = frames.get(ACTIVITY[0])
    if activities is not None and not records_changes(frames):
        candidates.append((activities[ACTIVITY[1]], ACTIVITY[2]))
    best: DataDay | None = None
    for values, basis in candidates:
        latest = _latest(values, today)
        if latest is not None and (best is None or latest > best.day):
            best = DataDay(latest, basis)
    if best is None:  # every date lies after today: the data cannot be placed, so it stands on today
        return DataDay(today, "today (every date in the data is later)")
    return best


def stated_day(text: str) -> DataDay:
    """A day the analyst states (YYYY-MM-DD); ValueError with the expected form when it is not one."""
    try:
        day = datetime.date.fromisoformat(text.strip()) if ISO_DAY.fullmatch(text.strip()) else None
    except ValueError:
        day = None
    if day is None:
        raise ValueError(f"'{text}' is not a day: give it as YYYY-MM-DD, such as 2026-10-01")
    return DataDay(pd.Timestamp(day), STATED)
