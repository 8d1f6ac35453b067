"""The team review's sentences and chart titles (analyses/team/story.py) on tiny hand-made tables: no quota, no hire,
no activity, one rep or deal, and the usual case. Every expected figure is worked out by hand in the test."""

from __future__ import annotations

import math

import pandas as pd

from salesops_helpers.analyses.team import story
from salesops_helpers.analyses.team.coaching import P_COLUMNS, CoachingReview
from salesops_helpers.analyses.team.roster import Roster

NAN = float("nan")


def _coaching(p_values: list[float], flagged: list[tuple[str, str, str, str]]) -> CoachingReview:
    """A coaching review of reps with the given p-value (one per rep, for each measure) and flagged reps given as
    (rep, team, evidence, loss stage evidence)."""
    reps = pd.DataFrame({column: p_values for column in P_COLUMNS})
    columns = ["rep", "team", "evidence", "loss_stage_evidence"]
    return CoachingReview(reps, pd.DataFrame(flagged, columns=columns))


def _activities(activities: list[int], won: list[int], bookings: list[float]) -> pd.DataFrame:
    """activity_by_rep rows: one rep per value."""
    return pd.DataFrame({"activities": activities, "won_deals": won, "bookings": bookings})


def _curve(relative: list[float]) -> pd.DataFrame:
    """ramp_curve rows for tenure months 1, 2, ..."""
    return pd.DataFrame({"tenure_month": range(1, len(relative) + 1), "relative": relative})


def _row(bookings: float, quota: float, won: int, lost: int) -> pd.Series:
    """A scorecard row: attainment and win rate worked out from the figures given."""
    closed = won + lost
    return pd.Series(
        {
            "bookings": bookings,
            "quota": quota,
            "attainment": bookings / quota if quota else NAN,
            "won_deals": won,
            "lost_deals": lost,
            "win_rate": won / closed if closed else NAN,
        }
    )


EMPTY_ROSTER = Roster(
    joined=pd.DataFrame(columns=["team", "rep", "hire_date"]),
    left=pd.DataFrame(columns=["team", "rep", "end_date"]),
    unknown_owners=pd.DataFrame(columns=["owner_id", "deals", "amount"]),
    without_quota=pd.DataFrame(columns=["team", "rep"]),
)

MASON = ("Mason Reed", "Mid-Market", "wins 10% of 81 closed deals", "loses 27% of closed deals at Discovery")
AVA = ("Ava Thompson", "Mid-Market", "wins smaller deals", "loses 33% of closed deals at Prospecting")


def test_coaching_with_no_established_rep_or_no_peer_to_compare_with():
    assert story.coaching_summary(_coaching([], [])) == (
        "No rep has been past their first year for the whole of the last twelve months, so none is compared."
    )
    # one established rep alone in their team: every p-value is missing
    assert story.coaching_summary(_coaching([NAN], [])) == (
        "No established rep has established peers in the same team to be compared with."
    )


def test_coaching_when_nobody_is_flagged_says_why_and_lists_no_point():
    coaching = _coaching([0.4, 0.7], [])
    assert story.coaching_notes(coaching) == [
        "No established rep falls short of the rest of their team by more than chance explains."
    ]
    assert story.coaching_points(coaching) == []


def test_one_flagged_rep_is_named_in_the_singular_and_listed_without_a_note():
    coaching = _coaching([0.01, 0.7], [MASON])
    assert story.coaching_summary(coaching) == (
        "1 established rep falls short of the rest of their team by more than chance explains: Mason Reed."
    )
    assert story.coaching_notes(coaching) == []
    assert story.coaching_points(coaching) == [
        {
            "rep": "Mason Reed",
            "team": "Mid-Market",
            "evidence": "wins 10% of 81 closed deals",
            "stage": "loses 27% of closed deals at Discovery",
        }
    ]


def test_several_flagged_reps_are_listed_in_order():
    coaching = _coaching([0.01, 0.02, 0.7], [MASON, AVA])
    assert story.coaching_summary(coaching) == (
        "2 established reps fall short of the rest of their team by more than chance explains: Mason Reed, "
        "Ava Thompson."
    )
    assert [point["rep"] for point in story.coaching_points(coaching)] == ["Mason Reed", "Ava Thompson"]


def test_the_ramp_summary_without_a_hire_and_without_a_ramp():
    assert story.ramp_summary(None, None, 0) == (
        "No rep was hired inside the data's time span, so the ramp cannot be measured."
    )
    assert story.ramp_summary(None, None, 1) == (
        "Over the 1 rep hired inside the data, deal creation does not reach 90% of an established rep's within the "
        "first twelve tenure months seen."
    )


def test_the_ramp_summary_with_and_without_the_bookings_ramp():
    assert story.ramp_summary(6, None, 8) == (
        "New hires reach 90% of an established rep's deal creation in tenure month 6 (over 8 reps hired inside the "
        "data)."
    )
    assert story.ramp_summary(6, 7, 8) == (
        "New hires reach 90% of an established rep's deal creation in tenure month 6 (over 8 reps hired inside the "
        "data); bookings, which follow creation by a sales cycle, in tenure month 7."
    )


def test_the_ramp_chart_title_when_hires_ramp_and_when_too_few_do():
    curve = _curve([0.25, 0.5, NAN])
    assert story.ramp_chart_titles(curve, 4) == [
        "New hires create 25% of an established rep's deals in their first month and ramp in month 4"
    ]
    assert story.ramp_chart_titles(curve, None) == [
        "Too few new hires in the data to draw a ramp curve with confidence"
    ]
    assert story.ramp_notes(curve) == []


def test_without_a_ramp_curve_there_is_no_chart_but_a_note():
    curve = _curve([NAN, NAN])
    assert story.ramp_chart_titles(curve, None) == []
    assert story.ramp_notes(curve) == [
        "No rep was hired inside the data's time span with established reps beside them, so there is no ramp to show."
    ]


def test_the_attainment_title_counts_reps_at_or_above_quota():
    # 1.0 and 1.3 are at or above quota, 0.99 is not: 2 of 3
    reps = pd.DataFrame({"team": ["A", "A", "B"], "attainment": [1.0, 0.99, 1.3]})
    assert story.attainment_chart_titles(reps, "FY2027 Q3 to date") == [
        "2 of 3 reps at or above quota in FY2027 Q3 to date"
    ]
    assert story.attainment_notes(reps, "FY2027 Q3 to date") == []


def test_the_attainment_title_of_one_rep_and_the_note_without_a_quota():
    one = pd.DataFrame({"team": ["A"], "attainment": [0.5]})
    assert story.attainment_chart_titles(one, "2026-10") == ["0 of 1 rep at or above quota in 2026-10"]
    nobody = one.iloc[0:0]
    assert story.attainment_chart_titles(nobody, "2026-10") == []
    assert story.attainment_notes(nobody, "2026-10") == ["No rep has a quota in 2026-10."]


def test_the_heatmap_title_is_the_share_of_rep_months_at_quota():
    # rep-months with a quota: 1.2, 0.5, 1.0 (the missing one had no quota) -> 2 of 3 at quota -> 67%
    heatmap = pd.DataFrame({"2026-09": [1.2, 0.5], "2026-10": [1.0, NAN]})
    assert story.heatmap_titles(heatmap, "TTM 2026-10") == [
        "Reps reached their monthly quota in 67% of rep-months over TTM 2026-10"
    ]
    assert story.heatmap_notes(heatmap) == []


def test_without_a_quota_in_the_twelve_months_there_is_no_heatmap_but_a_note():
    for heatmap in (pd.DataFrame(), pd.DataFrame({"2026-10": [NAN, NAN]})):
        assert story.heatmap_titles(heatmap, "TTM 2026-10") == []
        assert story.heatmap_notes(heatmap) == ["No rep had a quota in the last twelve months."]


def test_the_activity_summary_without_activities_or_won_deals():
    assert story.activity_summary(_activities([], [], []), "TTM 2026-10") == (
        "No activities are recorded for this period, so activity cannot be set beside results."
    )
    # one rep with 12 activities and nothing won; one with a single activity
    assert story.activity_summary(_activities([12], [0], [0.0]), "TTM 2026-10") == (
        "Over TTM 2026-10, reps logged 12 activities, and won no deal. No rank correlation with bookings: no deal was "
        "won."
    )
    assert story.activity_summary(_activities([1], [1], [500.0]), "2026-10").startswith(
        "Over 2026-10, reps logged 1 activity, 1 for each deal won."
    )


def test_the_activity_summary_of_too_few_reps_and_of_five():
    # 10 + 20 = 30 activities over 3 won deals: 10 each; two reps are too few for a correlation
    assert story.activity_summary(_activities([10, 20], [1, 2], [5.0, 9.0]), "2026-10") == (
        "Over 2026-10, reps logged 30 activities, 10 for each deal won. No rank correlation with bookings: too few "
        "reps."
    )
    # five reps whose activity and bookings rank in the same order: correlation 1.00; 150 activities over 5 won
    five = _activities([10, 20, 30, 40, 50], [1, 1, 1, 1, 1], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert story.activity_summary(five, "2026-10") == (
        "Over 2026-10, reps logged 150 activities, 30 for each deal won. The rank correlation between a rep's "
        "activity and bookings is 1.00 (1 would be the same order, 0 no relation)."
    )


def test_the_activity_chart_needs_five_reps_and_reads_the_correlation():
    assert story.activity_chart_titles(_activities([10, 20, 30, 40], [1, 1, 1, 1], [1.0, 2.0, 3.0, 4.0])) == []
    same = _activities([10, 20, 30, 40, 50], [1, 1, 1, 1, 1], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert story.activity_chart_titles(same) == ["Reps who log more activity tend to book more (rank correlation 1.00)"]
    # bookings in the opposite order: -1.00
    opposite = same.assign(bookings=[5.0, 4.0, 3.0, 2.0, 1.0])
    assert story.activity_chart_titles(opposite) == [
        "Reps who log more activity do not clearly book more (rank correlation -1.00)"
    ]


def test_the_roster_when_nothing_changed():
    assert story.roster_summary(EMPTY_ROSTER, "2026-10", "USD") == (
        "No rep joined in 2026-10. No rep left in 2026-10. Every deal's owner is in the reps table. Every rep "
        "employed in 2026-10 has a quota."
    )


def test_the_roster_names_who_joined_left_owns_unknown_deals_and_has_no_quota():
    roster = Roster(
        joined=pd.DataFrame({"team": ["SMB"], "rep": ["Liam Novak"], "hire_date": [pd.Timestamp("2026-10-06")]}),
        left=pd.DataFrame({"team": ["EMEA"], "rep": ["Eva Berg"], "end_date": [pd.Timestamp("2026-10-31")]}),
        unknown_owners=pd.DataFrame({"owner_id": ["R9"], "deals": [1], "amount": [8_000.0]}),
        without_quota=pd.DataFrame({"team": ["SMB", "SMB"], "rep": ["Liam Novak", "Noah Kim"]}),
    )
    assert story.roster_summary(roster, "2026-10", "USD") == (
        "Joined in 2026-10: Liam Novak (counted from their hire date). Left in 2026-10: Eva Berg (their closed deals "
        "stay with them; open deals moved to a successor count for the successor). 1 deal worth $8.0k belongs to "
        "owners missing from the reps table (R9); they count for the company and the team 'Unassigned', and for no "
        "rep. Without a quota in 2026-10: Liam Novak, Noah Kim (their bookings count for their team, but they have "
        "no attainment of their own)."
    )


def test_a_page_sentence_against_a_quota():
    # 13 of 13 + 78 = 91 closed deals won: 14%; $239k of $615k: 39%
    assert story.page_sentence(_row(239_000.0, 615_000.0, 13, 78), "USD") == (
        "booked $239k against a quota of $615k (39%), won 13 of 91 closed deals (14%)"
    )


def test_a_page_sentence_without_a_quota_and_with_one_or_no_closed_deal():
    assert story.page_sentence(_row(5_000.0, NAN, 1, 0), "USD") == (
        "booked $5.0k (no quota set), won 1 of 1 closed deal (100%)"
    )
    assert story.page_sentence(_row(0.0, 0.0, 0, 0), "EUR") == "booked €0 (no quota set), closed no deal"
    assert story.empty_page_sentence("SMB", "FY2027 Q3 to date") == "SMB has no deals or quota in FY2027 Q3 to date."


def test_the_quota_months_title_counts_only_months_with_a_quota():
    # quotas 5,000 / 0 / 5,000 / missing: 2 months with a quota; reached in the first only (July, 0 against 0, not)
    months = pd.DataFrame({"bookings": [8_000.0, 0.0, 4_000.0, 3_000.0], "quota": [5_000.0, 0.0, 5_000.0, NAN]})
    assert story.quota_months_title("Bob Ray", months) == (
        "Bob Ray reached the monthly quota in 1 of 2 months with a quota"
    )
    first = pd.DataFrame({"bookings": [0.0], "quota": [NAN]})
    assert (
        story.quota_months_title("Bob Ray", first) == "Bob Ray reached the monthly quota in 0 of 0 months with a quota"
    )


def test_the_activity_correlation_threshold_reads_a_weak_positive_link_as_no_clear_tendency():
    # ranks of activity 1..5 against bookings ranks 2,1,4,3,5: d² = 1+1+1+1+0 = 4; ρ = 1 − 6·4 ÷ (5·24) = 0.80
    # ranks 3,1,5,2,4 against 1..5: d² = 4+1+4+4+1 = 14; ρ = 1 − 84 ÷ 120 = 0.30, not above the 0.3 threshold
    strong = _activities([1, 2, 3, 4, 5], [1] * 5, [2.0, 1.0, 4.0, 3.0, 5.0])
    weak = _activities([1, 2, 3, 4, 5], [1] * 5, [3.0, 1.0, 5.0, 2.0, 4.0])
    assert story.activity_chart_titles(strong) == [
        "Reps who log more activity tend to book more (rank correlation 0.80)"
    ]
    assert math.isclose(float(weak["activities"].rank().corr(weak["bookings"].rank())), 0.3)
    assert story.activity_chart_titles(weak) == [
        "Reps who log more activity do not clearly book more (rank correlation 0.30)"
    ]
