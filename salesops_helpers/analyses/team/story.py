"""The sentences of the team review, written from its computed figures (every number in them is computed)."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.team.activity import activity_correlation
from salesops_helpers.analyses.team.attainment import reps_at_or_above, share_of_rep_months_at_quota
from salesops_helpers.analyses.team.coaching import P_COLUMNS, CoachingReview, ranked_flags
from salesops_helpers.analyses.team.roster import Roster
from salesops_helpers.formatting import plural

# Below this many reps the rank correlation of activity and bookings is not worked out, so there is no chart.
ACTIVITY_CHART_REPS = 5
# The most flagged reps the coaching list names one by one; the coaching table holds every one.
MOST_COACHING_POINTS = 10
# A rank correlation above this is read as "reps who log more activity tend to book more".
ACTIVITY_TENDENCY = 0.3


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
        f"explains: {formatting.names(flagged['rep'])}."
    )


def attainment_chart_titles(rep_attainment: pd.DataFrame, label: str) -> list[str]:
    """The attainment histogram's title (how many reps with a quota reached it), or none when no rep has a quota."""
    if rep_attainment.empty:
        return []
    reached = formatting.count(reps_at_or_above(rep_attainment))
    return [f"{reached} of {plural(len(rep_attainment), 'rep')} at or above quota in {label}"]


def attainment_notes(rep_attainment: pd.DataFrame, label: str) -> list[str]:
    """Why there is no attainment histogram (no rep has a quota in the period), or nothing when there is one."""
    return [] if len(rep_attainment) else [f"No rep has a quota in {label}."]


def heatmap_titles(by_month: pd.DataFrame, label: str) -> list[str]:
    """The monthly attainment heatmap's title (the share of rep-months at quota), or none without a quota in it."""
    if not by_month.notna().sum().sum():
        return []
    return [
        f"Reps reached their monthly quota in {formatting.percent(share_of_rep_months_at_quota(by_month))} of "
        f"rep-months over {label}"
    ]


def heatmap_notes(by_month: pd.DataFrame) -> list[str]:
    """Why there is no monthly attainment heatmap (no quota in the twelve months), or nothing when there is one."""
    return [] if by_month.notna().sum().sum() else ["No rep had a quota in the last twelve months."]


def ramp_chart_titles(curve: pd.DataFrame, ramp_months: int | None) -> list[str]:
    """The ramp chart's title: what new hires create in their first month and when they ramp (or that too few were
    hired to say); none when no tenure month has a figure (ramp_curve)."""
    if not curve["relative"].notna().any():
        return []
    if not ramp_months:
        return ["Too few new hires in the data to draw a ramp curve with confidence"]
    first = formatting.percent(curve["relative"].iloc[0])
    return [
        f"New hires create {first} of an established rep's deals in their first month and ramp in month {ramp_months}"
    ]


def ramp_notes(curve: pd.DataFrame) -> list[str]:
    """Why there is no ramp chart (no new hire with established reps beside them), or nothing when there is one."""
    if curve["relative"].notna().any():
        return []
    return [
        "No rep was hired inside the data's time span with established reps beside them, so there is no ramp to show."
    ]


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


def coaching_notes(coaching: CoachingReview) -> list[str]:
    """Why nobody is flagged for coaching (coaching_summary), or which of many flagged reps the list names; nothing
    when a few are flagged: their points follow."""
    flagged = len(coaching.flagged)
    if not flagged:
        return [coaching_summary(coaching)]
    if flagged <= MOST_COACHING_POINTS:
        return []
    return [
        f"{plural(flagged, 'established rep')} are flagged; below are the {MOST_COACHING_POINTS} whose bookings fell "
        "furthest below an average peer's, and the table lists every one."
    ]


def coaching_points(coaching: CoachingReview) -> list[dict[str, str]]:
    """Each flagged rep as the coaching list names them: rep, team, the evidence and the stage they lose at; beyond
    MOST_COACHING_POINTS, the ones whose bookings fell furthest below an average peer's."""
    flagged = coaching.flagged
    if len(flagged) > MOST_COACHING_POINTS:
        flagged = ranked_flags(coaching).head(MOST_COACHING_POINTS)
    return [
        {"rep": row.rep, "team": row.team, "evidence": row.evidence, "stage": row.loss_stage_evidence}
        for row in flagged.itertuples()
    ]


def activity_summary(activities: pd.DataFrame, label: str) -> str:
    """How many activities were logged, per won deal, and how activity ranks against bookings."""
    if activities.empty:
        return "No activities are recorded for this period, so activity cannot be set beside results."
    total, won = activities["activities"].sum(), activities["won_deals"].sum()
    text = f"Over {label}, reps logged {plural(int(total), 'activity', 'activities')}"
    text += f", {formatting.count(total / won)} for each deal won." if won else ", and won no deal."
    correlation = activity_correlation(activities)
    if pd.isna(correlation):
        reason = "no deal was won" if won == 0 else "too few reps"
        return text + f" No rank correlation with bookings: {reason}."
    return text + (
        f" The rank correlation between a rep's activity and bookings is {correlation:.2f} "
        "(1 would be the same order, 0 no relation)."
    )


def activity_chart_titles(activities: pd.DataFrame) -> list[str]:
    """The activity chart's title: whether reps who log more activity book more, with the rank correlation; none
    below ACTIVITY_CHART_REPS reps."""
    if len(activities) < ACTIVITY_CHART_REPS:
        return []
    correlation = activity_correlation(activities)
    tendency = "tend to book more" if correlation > ACTIVITY_TENDENCY else "do not clearly book more"
    return [f"Reps who log more activity {tendency} (rank correlation {correlation:.2f})"]


def roster_summary(roster: Roster, label: str, currency: str) -> str:
    """Who joined, who left, deals of owners missing from the reps table, and reps without quota."""
    parts = [
        f"No rep joined in {label}."
        if roster.joined.empty
        else f"Joined in {label}: {formatting.names(roster.joined['rep'])} (counted from their hire date).",
        f"No rep left in {label}."
        if roster.left.empty
        else f"Left in {label}: {formatting.names(roster.left['rep'])} (their closed deals stay with them; open deals "
        "moved to a successor count for the successor).",
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
            f"Without a quota in {label}: {formatting.names(roster.without_quota['rep'])} (their bookings count for "
            "their team, but they have no attainment of their own)."
        )
    return " ".join(parts)


def page_sentence(row: pd.Series, currency: str) -> str:
    """A team's or rep's scorecard row in words: bookings against the quota (or that none is set) and the closed
    deals won, with the win rate."""
    if pd.notna(row["quota"]) and row["quota"] > 0:
        against = (
            f" against a quota of {formatting.money(row['quota'], currency)} ({formatting.percent(row['attainment'])})"
        )
    else:
        against = " (no quota set)"
    closed = row["won_deals"] + row["lost_deals"]
    if closed > 0:
        deals = plural(int(closed), "closed deal")
        outcome = f"won {formatting.count(row['won_deals'])} of {deals} ({formatting.percent(row['win_rate'])})"
    else:
        outcome = "closed no deal"
    return f"booked {formatting.money(row['bookings'], currency)}{against}, {outcome}"


def empty_page_sentence(name: str, label: str) -> str:
    """What a team's or rep's page says when they have no deal or quota in the period."""
    return f"{name} has no deals or quota in {label}."


def quota_months_title(name: str, by_month: pd.DataFrame) -> str:
    """The bookings-against-quota chart's title: in how many of the months with a quota above 0 bookings reached it
    (months with columns bookings and quota)."""
    with_quota = by_month["quota"] > 0
    reached = int((with_quota & (by_month["bookings"] >= by_month["quota"])).sum())
    return f"{name} reached the monthly quota in {reached} of {int(with_quota.sum())} months with a quota"
