"""Which reps and teams a reader's page shows of a large sales organisation, worked out on hand-made tables."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.analyses.team import shortlist
from salesops_helpers.analyses.team.attainment import attainment_by_month
from salesops_helpers.analyses.team.coaching import CoachingReview
from salesops_helpers.analyses.team.story import MOST_COACHING_POINTS, coaching_notes, coaching_points
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.data.loading import load_data
from tests.helpers import six_deals


def _by_month(reps: int) -> pd.DataFrame:
    """Rep i's attainment is i% in every month, so the ranking is the rep number; rep 0 has no quota at all."""
    index = pd.MultiIndex.from_tuples([(f"T{i % 7}", f"Rep {i:03d}") for i in range(reps)], names=["team", "rep"])
    values = [[i / 100, i / 100] for i in range(reps)]
    frame = pd.DataFrame(values, index=index, columns=["2026-09", "2026-10"])
    frame.iloc[0] = float("nan")
    return frame


def test_up_to_the_limit_every_rep_is_shown_and_nothing_is_said():
    table = _by_month(shortlist.MOST_REPS_SHOWN)
    assert shortlist.heatmap_rows(table, ["Rep 003"]).equals(table)
    assert shortlist.heatmap_note(table, table) == []


def test_beyond_it_the_chart_shows_both_ends_and_the_flagged_reps_in_table_order():
    table = _by_month(400)
    shown = shortlist.heatmap_rows(table, ["Rep 200", "Rep 150", "Nobody"])
    reps = [rep for _, rep in shown.index]
    # lowest means: reps 1-10 (rep 0 has none and ranks last among the highest); highest: 391-399 and rep 0
    expected = ["Rep 000", *[f"Rep {i:03d}" for i in range(1, 11)], "Rep 150", "Rep 200"]
    expected += [f"Rep {i:03d}" for i in range(391, 400)]
    assert reps == expected
    assert len(shown) <= shortlist.MOST_REPS_SHOWN
    (note,) = shortlist.heatmap_note(shown, table)
    assert note.startswith("The chart shows 22 of the 400 reps with a quota: the 10 furthest below")


def test_flagged_reps_never_push_the_chart_past_its_limit():
    table = _by_month(400)
    shown = shortlist.heatmap_rows(table, [f"Rep {i:03d}" for i in range(100, 300)])
    assert len(shown) == shortlist.MOST_REPS_SHOWN


def test_team_pages_beyond_the_limit_are_the_teams_furthest_below_and_above_quota():
    teams = [f"Team {i:02d}" for i in range(20)]
    attainment = pd.DataFrame({"team": teams, "attainment": [(i * 7 % 20) / 10 for i in range(20)]})
    attainment.loc[5, "attainment"] = float("nan")  # no quota: never chosen
    printed = shortlist.team_pages(attainment, teams)
    by_attainment = attainment.dropna().sort_values("attainment")["team"].tolist()
    assert set(printed) == set(by_attainment[:4] + by_attainment[-4:])
    assert printed == sorted(printed)  # in the given (name) order
    (note,) = shortlist.team_pages_note(printed, teams)
    assert note.startswith("Pages of 8 of the 20 teams: the 4 furthest below and the 4 furthest above quota")
    assert shortlist.team_pages(attainment, teams[:8]) == teams[:8]
    assert shortlist.team_pages_note(teams[:8], teams[:8]) == []


def _coaching(flagged: int) -> CoachingReview:
    rows = pd.DataFrame(
        {
            "team": ["T"] * flagged,
            "rep": [f"Rep {i:02d}" for i in range(flagged)],
            "evidence": ["wins less"] * flagged,
            "loss_stage_evidence": ["loses at Proposal"] * flagged,
            "bookings_short": [float(i) for i in range(flagged)],
        }
    )
    return CoachingReview(pd.DataFrame({"rep": rows["rep"]}), rows)


def test_many_flagged_reps_are_named_by_the_largest_shortfall_and_the_rest_left_to_the_table():
    few = _coaching(3)
    assert [p["rep"] for p in coaching_points(few)] == ["Rep 00", "Rep 01", "Rep 02"]
    assert coaching_notes(few) == []
    many = _coaching(25)
    assert [p["rep"] for p in coaching_points(many)] == [f"Rep {i:02d}" for i in range(24, 14, -1)]
    assert len(coaching_points(many)) == MOST_COACHING_POINTS
    (note,) = coaching_notes(many)
    assert note.startswith("25 established reps are flagged; below are the 10 whose bookings fell furthest below")


def test_two_reps_of_the_same_name_stay_two_rows_of_the_monthly_attainment(tmp_path, config):
    files = dict(six_deals.VALID_FILES)
    files["reps.csv"] = files["reps.csv"].replace("R3,Cy Doe,SMB", "R3,Bob Ray,SMB")
    data = load_data(six_deals.write_folder(tmp_path / "company", files), config)
    calendar = FiscalCalendar.from_config(config)
    months = calendar.months_between(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))
    table = attainment_by_month(data, months)
    assert list(table.index) == [("Enterprise", "Ann Lee"), ("SMB", "Bob Ray"), ("SMB", "Bob Ray")]
    # each rep has one month of quota: R1 and R2 in January, R3 (the second Bob Ray) in February
    assert [list(row.dropna().index) for _, row in table.iterrows()] == [["2024-01"], ["2024-01"], ["2024-02"]]
