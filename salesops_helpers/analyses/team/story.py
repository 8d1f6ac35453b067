"""The sentences of the team review, written from its computed figures (every number in them is computed)."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.team.activity import activity_correlation
from salesops_helpers.analyses.team.coaching import P_COLUMNS, CoachingReview
from salesops_helpers.analyses.team.roster import Roster
from salesops_helpers.formatting import plural


def coaching_summary(coaching: CoachingReview) -> str:
    """Who falls short of their peers beyond chance, or why nobody is named."""
    flagged, reps = coaching.flagged, coaching.reps
    if reps.empty:
        return "No rep has been past their first year for the whole of the last twelve months, so none is compared."
    if reps[P_COLUMNS].isna().all().all():
        return "No established rep has established peers in the same team to be compared with."
    if flagged.empty:
        return "No established rep falls short of the rest of their team by more than chance explains."
    verb = "falls" if len(flagged) == 1 else "fall"
    return (
        f"{plural(len(flagged), 'established rep')} {verb} short of the rest of their team by more than chance "
        f"explains: {', '.join(flagged['rep'])}."
    )


def ramp_summary(ramp_months: int | None, bookings_months: int | None, hires: int) -> str:
    """When new hires reach established deal creation (and bookings, when given), or why that is not known."""
    if hires == 0:
        return "No rep was hired inside the data's time span, so the ramp cannot be measured."
    if ramp_months is None:
        return (
            f"Over the {plural(hires, 'rep')} hired inside the data, deal creation does not reach 90% of an "
            "established rep's within the first twelve tenure months seen."
        )
    text = (
        f"New hires reach 90% of an established rep's deal creation in tenure month {ramp_months} "
        f"(over {plural(hires, 'rep')} hired inside the data)"
    )
    if bookings_months is None:
        return text + "."
    return text + f"; bookings, which follow creation by a sales cycle, in tenure month {bookings_months}."


def activity_summary(activities: pd.DataFrame, label: str) -> str:
    """How many activities were logged, per won deal, and how activity ranks against bookings."""
    if activities.empty:
        return "No activities are recorded for this period, so activity cannot be set beside results."
    total, won = activities["activities"].sum(), activities["won_deals"].sum()
    text = f"Over {label}, reps logged {formatting.count(total)} activities"
    text += f", {formatting.count(total / won)} for each deal won." if won else ", and won no deal."
    correlation = activity_correlation(activities)
    if pd.isna(correlation):
        reason = "no deal was won" if won == 0 else "too few reps"
        return text + f" No rank correlation with bookings: {reason}."
    return text + (
        f" The rank correlation between a rep's activity and bookings is {correlation:.2f} "
        "(1 would be the same order, 0 no relation)."
    )


def roster_summary(roster: Roster, label: str, currency: str) -> str:
    """Who joined, who left, deals of owners missing from the reps table, and reps without quota."""
    parts = [
        f"No rep joined in {label}."
        if roster.joined.empty
        else f"Joined in {label}: {', '.join(roster.joined['rep'])} (counted from their hire date).",
        f"No rep left in {label}."
        if roster.left.empty
        else f"Left in {label}: {', '.join(roster.left['rep'])} (their closed deals stay with them; open deals moved "
        "to a successor count for the successor).",
    ]
    if roster.unknown_owners.empty:
        parts.append("Every deal's owner is in the reps table.")
    else:
        owners = roster.unknown_owners
        deals = int(owners["deals"].sum())
        parts.append(
            f"{plural(deals, 'deal')} worth {formatting.money(owners['amount'].sum(), currency)} "
            f"belong{'s' if deals == 1 else ''} to owners missing from the reps table "
            f"({', '.join(owners['owner_id'].astype(str).head(5))}); "
            "they count for the company and the team 'Unassigned', and for no rep."
        )
    if roster.without_quota.empty:
        parts.append(f"Every rep employed in {label} has a quota.")
    else:
        parts.append(
            f"Without a quota in {label}: {', '.join(roster.without_quota['rep'])} (their bookings count for their "
            "team, but they have no attainment of their own)."
        )
    return " ".join(parts)
