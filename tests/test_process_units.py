"""The process analyses on tiny hand-made histories, every expected figure worked out by hand in a comment."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.process import MEASURES
from salesops_helpers.analyses.process.funnel import deal_paths, funnel, settling_days
from salesops_helpers.analyses.process.lost_reasons import lost_reasons_by_stage
from salesops_helpers.analyses.process.review import process_headlines, review_process, stage_time_summary
from salesops_helpers.analyses.process.slippage import pushes_per_rep, slipped_deals
from salesops_helpers.analyses.process.stage_stays import positions, saved_states, stage_stays, time_per_stage
from salesops_helpers.analyses.process.stalled import stalled_deals
from salesops_helpers.analyses.process.story import (
    bottleneck_sentence,
    flows_note,
    longest_stage_sentence,
    stalled_sentence,
    truncated_note,
)
from salesops_helpers.analyses.process.tables import whole_deals
from salesops_helpers.analyses.process.time_in_stage import naive_quantile, time_in_stage
from salesops_helpers.analyses.process.velocity_change import factor_contributions
from salesops_helpers.analyses.process.waterfall import COMPONENTS, balance_gap, pipeline_moves, waterfall
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics.survival import kaplan_meier, km_quantile
from tests.helpers.process_companies import (
    ALL_OPEN_HISTORY,
    ALL_OPEN_OPPORTUNITIES,
    FLOW_HISTORY,
    FLOW_OPPORTUNITIES,
    load_company,
)

# D1: skips Qualification, has two rows at one moment at Proposal (an amount change, blank close date), moves back
# to Discovery, is lost and reopened in Proposal (still there: censored). D2 passes through Qualification at the
# very moment it moves to Discovery (file order kept: a 0-day stay), then is won. D3 is lost now but its history
# stops at Prospecting (the export left out the final save). The data's last day is 2024-03-01.
STAYS_OPPORTUNITIES = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment
D1,Deal one,R1,2024-01-01,2024-05-31,Proposal,1500,Enterprise
D2,Deal two,R2,2024-01-05,2024-02-04,Closed Won,600,SMB
D3,Deal three,R2,2024-02-01,2024-02-20,Closed Lost,900,SMB
"""
STAYS_HISTORY = """\
opportunity_id,changed_at,stage,amount,close_date
D1,2024-01-01T00:00:00,Prospecting,1000,2024-03-31
D1,2024-01-11T00:00:00,Discovery,,
D1,2024-01-21T00:00:00,Proposal,1200,2024-04-30
D1,2024-01-21T00:00:00,Proposal,1500,
D1,2024-02-10T00:00:00,Discovery,,
D1,2024-02-15T00:00:00,Closed Lost,,
D1,2024-03-01T00:00:00,Proposal,,
D2,2024-01-05T00:00:00,Prospecting,500,2024-02-29
D2,2024-01-15T12:00:00,Qualification,,
D2,2024-01-15T12:00:00,Discovery,,
D2,2024-02-04T12:00:00,Closed Won,600,2024-02-04
D3,2024-02-01T00:00:00,Prospecting,900,2024-02-25
"""


@pytest.fixture(scope="module")
def stays_data(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return load_company(tmp_path_factory.mktemp("stays") / "data", STAYS_OPPORTUNITIES, STAYS_HISTORY)


@pytest.fixture(scope="module")
def flow_data(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return load_company(tmp_path_factory.mktemp("flow") / "data", FLOW_OPPORTUNITIES, FLOW_HISTORY)


@pytest.fixture(scope="module")
def stays(stays_data: SalesData) -> pd.DataFrame:
    return stage_stays(stays_data, stays_data.as_of)


def _of(stays: pd.DataFrame, deal: str) -> list[tuple[str, float | None, bool]]:
    rows = stays[stays["opportunity_id"] == deal]
    return [
        (str(s), None if pd.isna(d) else round(float(d), 6), bool(e))
        for s, d, e in zip(rows["stage"], rows["days"], rows["ended"], strict=True)
    ]


def test_stays_follow_skips_moves_back_reopenings_and_the_open_current_stay(stays_data, stays):
    assert stays_data.as_of == pd.Timestamp("2024-03-01")
    # 1 Jan -> 11 Jan, 11 -> 21 Jan, 21 Jan -> 10 Feb, 10 -> 15 Feb, lost, reopened 1 Mar counted to the end of 1 Mar
    assert _of(stays, "D1") == [
        ("Prospecting", 10.0, True),
        ("Discovery", 10.0, True),
        ("Proposal", 20.0, True),
        ("Discovery", 5.0, True),
        ("Closed Lost", None, True),
        ("Proposal", 1.0, False),
    ]


def test_rows_at_one_moment_keep_file_order_and_pass_through_a_stage_in_zero_days(stays):
    # 5 Jan 00:00 -> 15 Jan 12:00 = 10.5 days; Qualification and Discovery saved at 15 Jan 12:00; won 4 Feb 12:00
    assert _of(stays, "D2") == [
        ("Prospecting", 10.5, True),
        ("Qualification", 0.0, True),
        ("Discovery", 20.0, True),
        ("Closed Won", None, False),
    ]


def test_a_deal_closed_now_without_its_closing_save_closes_on_its_close_date(stays):
    # history stops at Prospecting on 1 Feb; the deal is lost with close date 20 Feb: 19 days in Prospecting
    assert _of(stays, "D3") == [("Prospecting", 19.0, True), ("Closed Lost", None, False)]


def test_blank_fields_carry_the_last_saved_value(stays_data):
    states = saved_states(stays_data.history).set_index(["opportunity_id", "changed_at"])
    d1 = states.loc["D1"]
    assert d1.loc[pd.Timestamp("2024-01-11"), "amount"] == 1000  # blank: the 1 Jan amount
    assert d1.loc[pd.Timestamp("2024-01-11"), "close_date"] == pd.Timestamp("2024-03-31")
    # the second row at 21 Jan changes the amount and leaves the close date blank: 30 Apr from the first row
    same_moment = d1.loc[pd.Timestamp("2024-01-21")]
    assert same_moment["amount"].tolist() == [1200, 1500]
    assert same_moment["close_date"].tolist() == [pd.Timestamp("2024-04-30")] * 2


def test_latest_and_cumulative_time_per_stage(stays):
    per_stage = time_per_stage(stays).set_index(["opportunity_id", "stage"])
    # D1 was in Discovery twice: 10 then 5 days; in Proposal 20 days, then 1 day so far (still there)
    assert per_stage.loc[("D1", "Discovery"), ["visits", "latest_days", "cumulative_days"]].tolist() == [2, 5, 15]
    assert per_stage.loc[("D1", "Proposal"), ["visits", "latest_days", "cumulative_days"]].tolist() == [2, 1, 21]
    assert per_stage.loc[("D1", "Proposal"), "now"] and not per_stage.loc[("D1", "Discovery"), "now"]


def test_funnel_counts_entries_moves_on_and_how_far_deals_got(stays_data, stays):
    paths = deal_paths(stays, stays_data, FiscalCalendar.from_config(stays_data.config))
    # furthest: D1 Proposal (rank 3), D2 won (5), D3 Prospecting (0)
    assert dict(zip(paths["opportunity_id"], paths["furthest"], strict=True)) == {"D1": 3, "D2": 5, "D3": 0}
    table = funnel(paths, stays_data).set_index("stage")
    # Prospecting: entered by all 3, D1 and D2 got further: 2/3; Qualification: only D2 entered, it moved on: 1/1,
    # but D1 got past it too (skipped): reached 2 of 3; Proposal: D1 entered and got no further: 0/1, reached by D1
    # and D2: 2/3; Negotiation: nobody entered (no rate), reached by D2 only; won: D2, 1/3
    assert table["entered"].tolist() == [3, 1, 2, 1, 0, 1]
    assert table["reached"].tolist() == [3, 2, 2, 2, 1, 1]
    assert table.loc["Prospecting", "next_step"] == pytest.approx(2 / 3)
    assert table.loc["Qualification", "next_step"] == 1.0
    assert table.loc["Discovery", "next_step"] == 1.0
    assert table.loc["Proposal", "next_step"] == 0.0
    assert math.isnan(table.loc["Negotiation", "next_step"])
    assert table.loc["Qualification", "cumulative"] == pytest.approx(2 / 3)
    assert table.loc["Closed Won", "cumulative"] == pytest.approx(1 / 3)
    by_segment = funnel(paths, stays_data, ["segment"]).set_index(["segment", "stage"])
    assert by_segment.loc[("SMB", "Prospecting"), ["deals", "entered"]].tolist() == [2, 2]


def test_kaplan_meier_on_a_worked_example():
    # stays of 2, 3, 3 (still going), 5, 8 (still going) days:
    # t=2: 5 at risk, 1 ends: S = 4/5 = 0.8; t=3: 4 at risk, 1 ends (the one still going at 3 is at risk): S = 0.8 ×
    # 3/4 = 0.6; t=5: 2 at risk, 1 ends: S = 0.6 × 1/2 = 0.3; S never falls to 0.25, so p75 and p90 are unknown
    days, ended = np.array([2, 3, 3, 5, 8.0]), np.array([True, True, False, True, False])
    times, survival = kaplan_meier(days, ended)
    assert times.tolist() == [2, 3, 5]
    assert survival == pytest.approx([0.8, 0.6, 0.3])
    assert km_quantile(days, ended, 0.5) == 5  # first t with S(t) <= 0.5
    assert math.isnan(km_quantile(days, ended, 0.75))
    assert naive_quantile(days, ended, 0.5) == 3  # finished stays 2, 3, 5: the closed-only median understates
    # all four finished: S = 3/4, 2/4, 1/4, 0 at 1, 2, 3, 4 days: median 2, p75 3, p90 4
    everyone = np.ones(4, dtype=bool)
    assert [km_quantile(np.array([1, 2, 3, 4.0]), everyone, q) for q in (0.5, 0.75, 0.9)] == [2, 3, 4]
    assert math.isnan(km_quantile(np.array([]), np.array([], dtype=bool), 0.5))


def test_time_in_stage_counts_the_stay_still_going(stays_data, stays):
    times = time_in_stage(stays, stays_data.config.stage_names).set_index("stage")
    # Proposal: D1's 20 days (ended) and 1 day (going): S(20) = 0 (the 1-day stay left the risk set at 1), median 20
    assert times.loc["Proposal", ["stays", "still_in", "km_median", "naive_median"]].tolist() == [2, 1, 20, 20]
    # Prospecting: 10, 10.5, 19 days, all ended: S = 2/3, 1/3, 0: median 10.5
    assert times.loc["Prospecting", "km_median"] == 10.5


def test_stalled_deals_are_open_deals_past_their_stage_p90(stays_data, stays):
    times = pd.DataFrame({"stage": ["Proposal"], "km_p90": [0.5]})
    stalled = stalled_deals(stays, times, stays_data)
    # D1 has been in Proposal 1 day, past 0.5: stalled, owned by Ann Lee, 1,500 now
    assert stalled[["opportunity_id", "owner", "stage", "amount", "days_in_stage"]].values.tolist() == [
        ["D1", "Ann Lee", "Proposal", 1500, 1.0]
    ]
    assert stalled_deals(stays, times.assign(km_p90=1.0), stays_data).empty  # not longer than the threshold


def test_the_waterfall_balances_to_the_cent(flow_data):
    march = FiscalCalendar.from_config(flow_data.config).month(pd.Timestamp("2024-03-01"))
    table = waterfall(pipeline_moves(flow_data, march)).set_index("component")
    expected = dict.fromkeys(COMPONENTS, 0.0) | {
        "opening": 3901.05,
        "new": 700.70,
        "pulled in from later months": 300.30,
        "pushed out": -500.05,
        "increased": 200.25,
        "decreased": -200.25,
        "won": -1800.25,
        "lost": -400.40,
        "closing": 2201.35,
    }
    assert table["amount"].to_dict() == pytest.approx(expected, abs=1e-9)
    assert table["cents"].to_dict() == {key: round(value * 100) for key, value in expected.items()}
    assert balance_gap(table.reset_index()) == 0
    assert table["deals"].to_dict() == dict.fromkeys(COMPONENTS, 0) | {
        "opening": 4,
        "new": 1,
        "pulled in from later months": 1,
        "pushed out": 1,
        "increased": 1,
        "decreased": 1,
        "won": 1,
        "lost": 1,
        "closing": 3,
    }


def test_pushes_and_slipped_deals(flow_data):
    march = FiscalCalendar.from_config(flow_data.config).month(pd.Timestamp("2024-03-01"))
    per_rep = pushes_per_rep(flow_data, march.end).set_index("rep_id")
    # pushes: A (15 -> 31 Mar) and C (10 Mar -> 30 Apr), both Ann Lee's, over her 3 deals; E's move was earlier
    assert per_rep.loc["R1", ["rep", "deals", "pushed_deals", "pushes"]].tolist() == ["Ann Lee", 3, 2, 2]
    assert per_rep.loc["R1", "pushes_per_deal"] == pytest.approx(2 / 3)
    assert per_rep.loc["R2", "pushes"] == 0
    slipped = slipped_deals(flow_data, march)
    # C was due on 10 March at the month's start and is due on 30 April at its end, one push in March
    assert slipped[["opportunity_id", "owner", "amount", "pushes"]].values.tolist() == [["C", "Ann Lee", 500.05, 1]]
    assert slipped["close_date_now"].tolist() == [pd.Timestamp("2024-04-30")]


def test_lost_reasons_by_the_stage_lost_at(flow_data):
    march = FiscalCalendar.from_config(flow_data.config).month(pd.Timestamp("2024-03-01"))
    # F, lost on 22 March from Proposal, for Price; no other deal was lost
    assert lost_reasons_by_stage(flow_data, march).to_dict("records") == [
        {"reason": "Price", "Proposal": 1, "all stages": 1}
    ]


def test_velocity_change_parts_add_up_to_the_change():
    # before: 100 open × 0.2 × 1,000 ÷ 50 days = 400/day; after: 120 × 0.25 × 1,000 ÷ 40 = 750/day; change 350
    before = {"open_start_deals": 100, "win_rate": 0.2, "avg_deal_size": 1000, "cycle_days": 50, "velocity": 400}
    after = {"open_start_deals": 120, "win_rate": 0.25, "avg_deal_size": 1000, "cycle_days": 40, "velocity": 750}
    parts = factor_contributions(before, after)
    weight = 350 / math.log(750 / 400)  # L = 556.78
    assert parts["open_start_deals"] == pytest.approx(weight * math.log(1.2))  # 101.5
    assert parts["win_rate"] == pytest.approx(parts["cycle_days"])  # ln 1.25 both (a 20% shorter cycle: ln(50/40))
    assert parts["avg_deal_size"] == 0
    assert sum(parts.values()) == pytest.approx(350)
    assert all(math.isnan(v) for v in factor_contributions(before, after | {"win_rate": 0.0}).values())


def test_every_measure_states_its_formula():
    assert MEASURES
    for measure in MEASURES:
        assert measure.formula, f"{measure.name} has no docstring"


def test_a_history_without_close_dates_gives_stays_but_no_slippage_or_waterfall(tmp_path):
    history = "\n".join(",".join(line.split(",")[:4]) for line in FLOW_HISTORY.splitlines()) + "\n"
    data = load_company(tmp_path / "data", FLOW_OPPORTUNITIES, history)
    calendar = FiscalCalendar.from_config(data.config)
    review = review_process(data, calendar.month(pd.Timestamp("2024-03-01")), calendar)
    assert review.has_history and not review.has_flows
    assert "no close_date column" in flows_note(data)
    figures = {h.key: h for h in process_headlines(review, "USD")}
    assert figures["slipped_value"].value is None and "waterfall_opening" not in figures


# Review findings, each on its own tiny company.


@pytest.fixture(scope="module")
def all_open(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return load_company(tmp_path_factory.mktemp("allopen") / "data", ALL_OPEN_OPPORTUNITIES, ALL_OPEN_HISTORY)


def test_positions_of_nothing_and_in_nothing():
    assert positions(pd.Series([], dtype="object"), pd.Series(["A"])).tolist() == []
    assert positions(pd.Series(["A", "B"]), pd.Series([], dtype="object")).tolist() == [-1, -1]


def test_no_deal_won_or_lost_yet_does_not_stop_the_review(all_open):
    calendar = FiscalCalendar.from_config(all_open.config)
    january = calendar.month(pd.Timestamp("2024-01-01"))  # the last complete month before 10 Feb
    review = review_process(all_open, january, calendar)
    table = review.funnel.set_index("stage")
    # by 31 Jan: D1 and D2 entered Prospecting, D2 moved on to Discovery: 1/2; D3 is not created yet
    assert table.loc["Prospecting", ["entered", "moved_on"]].tolist() == [2, 1]
    assert table.loc["Prospecting", "next_step"] == 0.5
    assert review.stalled.empty and review.slipped.empty
    assert review.waterfall["amount"].abs().sum() == 0  # nothing due in January


def test_a_period_before_the_first_history_row_has_empty_tables(all_open):
    calendar = FiscalCalendar.from_config(all_open.config)
    review = review_process(all_open, calendar.month(pd.Timestamp("2023-06-01")), calendar)
    assert review.stays.empty and review.paths.empty and review.worst is None
    assert review.funnel["deals"].eq(0).all() and review.funnel["next_step"].isna().all()
    assert review.ranking.empty and review.stalled.empty
    assert bottleneck_sentence(review).startswith("No stage shows a shortfall")


def test_stages_without_a_stall_threshold_are_named(all_open):
    calendar = FiscalCalendar.from_config(all_open.config)
    review = review_process(all_open, calendar.month(pd.Timestamp("2024-02-01")), calendar)
    times = review.times.set_index("stage")
    # counted to the end of 10 Feb: Prospecting stays D1 39 days (going), D2 15 (ended 20 Jan), D3 1 (going); at 15
    # days 2 stays are at risk and 1 ends: S = 1/2, never lower: median 15, no p90. Discovery: D2 going, no end.
    assert times.loc["Prospecting", "km_median"] == 15 and math.isnan(times.loc["Prospecting", "km_p90"])
    assert math.isnan(times.loc["Discovery", "km_p90"])
    sentence = stalled_sentence(review, "USD")
    assert "Deals now in Prospecting and Discovery are not judged" in sentence
    assert sentence.startswith("No open deal has stalled in a stage with a stall threshold.")
    assert longest_stage_sentence(review.times) == (
        "Prospecting takes longest: a median of 15 days; how long the longest tenth of its stays last is not known "
        "yet (too many are still going)."
    )


def test_a_time_share_needs_every_stage_median(all_open):
    calendar = FiscalCalendar.from_config(all_open.config)
    review = review_process(all_open, calendar.month(pd.Timestamp("2024-02-01")), calendar)
    # Prospecting's median is 15 days but Discovery's is unknown: the journey's total, and so the share, is unknown
    # (summing only the known medians would give Prospecting 15 / 15 = 100%)
    prospecting = review.ranking[review.ranking["stage"] == "Prospecting"]
    assert prospecting["company_time_share"].isna().all() and prospecting["time_share"].isna().all()


def test_settling_days_count_open_deals_as_still_going(all_open):
    # no deal has closed: creation to 10 Feb is 38 days for D1, 36 for D2, 0 for D3, all still going, so the
    # estimate never reaches nine in ten: the longest time seen, 38 days (closed deals alone would give nothing)
    assert settling_days(all_open) == 38


# The waterfall's harder cases, March 2024:
# L due 20 Mar (5,000), lost 15 Mar with its amount zeroed: lost at its last open amount, −5,000 (not decreased)
# W due 25 Mar (3,000), won on 30 Mar but its close date says 15 Apr: bookings leave it out, so it leaves as
#   closed, dated elsewhere −3,000 (not lost)
# P due 20 Mar (2,000), pushed to 20 Apr on 5 Mar and back to 28 Mar on 12 Mar: stays, no change
# N created 2 Mar due in June, lost 10 Mar (700): entered and closed +700, lost −700
# X created in January due 31 May, lost 10 Mar with the close date rewritten (800): entered and closed +800, lost −800
# Y overdue (due 15 Feb) at the start, given 20 Mar on 3 Mar (900): moved in from earlier months +900
# R lost on 20 Feb, reopened on 4 Mar due 31 Mar (400): reopened +400
# V created in January due 30 Apr, pulled in to 25 Mar on 6 Mar (250): pulled in from later months +250
# Q due 18 Mar (600), moved to 28 Feb on 8 Mar, still open: moved to earlier months −600
# opening = L 5,000 + W 3,000 + P 2,000 + Q 600 = 10,600; closing = P 2,000 + Y 900 + R 400 + V 250 = 3,550
# flows = 400 + 250 + 900 + 1,500 − 600 − (5,000 + 700 + 800) − 3,000 = −7,050; 10,600 − 7,050 = 3,550
HARD_OPPORTUNITIES = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment
L,Lost zeroed,R1,2024-02-01,2024-03-15,Closed Lost,0,Enterprise
W,Won late date,R1,2024-02-01,2024-04-15,Closed Won,3000,Enterprise
P,Push and back,R1,2024-02-01,2024-03-28,Proposal,2000,Enterprise
N,New lost,R2,2024-03-02,2024-03-10,Closed Lost,700,SMB
X,Future lost,R2,2024-01-10,2024-03-10,Closed Lost,800,SMB
Y,Overdue moved,R2,2024-01-10,2024-03-20,Discovery,900,SMB
R,Reopened,R2,2024-01-10,2024-03-31,Discovery,400,SMB
V,Pulled in,R2,2024-01-10,2024-03-25,Discovery,250,SMB
Q,Moved earlier,R2,2024-02-01,2024-02-28,Discovery,600,SMB
G,Later,R2,2024-04-05,2024-06-01,Prospecting,100,SMB
"""
HARD_HISTORY = """\
opportunity_id,changed_at,stage,amount,close_date
L,2024-02-01T09:00,Proposal,5000,2024-03-20
L,2024-03-15T09:00,Closed Lost,0,2024-03-15
W,2024-02-01T09:00,Proposal,3000,2024-03-25
W,2024-03-30T09:00,Closed Won,3000,2024-04-15
P,2024-02-01T09:00,Proposal,2000,2024-03-20
P,2024-03-05T09:00,Proposal,2000,2024-04-20
P,2024-03-12T09:00,Proposal,2000,2024-03-28
N,2024-03-02T09:00,Prospecting,700,2024-06-30
N,2024-03-10T09:00,Closed Lost,700,2024-03-10
X,2024-01-10T09:00,Prospecting,800,2024-05-31
X,2024-03-10T09:00,Closed Lost,800,2024-03-10
Y,2024-01-10T09:00,Discovery,900,2024-02-15
Y,2024-03-03T09:00,Discovery,900,2024-03-20
R,2024-01-10T09:00,Discovery,400,2024-02-20
R,2024-02-20T09:00,Closed Lost,400,2024-02-20
R,2024-03-04T09:00,Discovery,400,2024-03-31
V,2024-01-10T09:00,Discovery,250,2024-04-30
V,2024-03-06T09:00,Discovery,250,2024-03-25
Q,2024-02-01T09:00,Discovery,600,2024-03-18
Q,2024-03-08T09:00,Discovery,600,2024-02-28
G,2024-04-05T09:00,Prospecting,100,2024-06-01
"""


def test_the_waterfall_names_what_really_happened(tmp_path):
    data = load_company(tmp_path / "data", HARD_OPPORTUNITIES, HARD_HISTORY)
    march = FiscalCalendar.from_config(data.config).month(pd.Timestamp("2024-03-01"))
    moves = pipeline_moves(data, march).set_index("opportunity_id")
    assert moves.loc[["L", "W", "P", "Q"], "move"].tolist() == [
        "lost",
        "closed, dated elsewhere",
        "stayed",
        "moved to earlier months",
    ]
    assert moves.loc[["N", "X", "Y", "R", "V"], "entry"].tolist() == [
        "entered and closed",
        "entered and closed",
        "moved in from earlier months",
        "reopened",
        "pulled in from later months",
    ]
    table = waterfall(moves.reset_index()).set_index("component")
    expected = dict.fromkeys(COMPONENTS, 0.0) | {
        "opening": 10600,
        "reopened": 400,
        "pulled in from later months": 250,
        "moved in from earlier months": 900,
        "entered and closed": 1500,
        "moved to earlier months": -600,
        "lost": -6500,
        "closed, dated elsewhere": -3000,
        "closing": 3550,
    }
    assert table["amount"].to_dict() == expected
    assert balance_gap(table.reset_index()) == 0


# S created 5 Mar due 25 Mar, pushed to 30 Apr on 28 Mar; T due 30 May at the start, pulled to 20 Mar on 2 Mar and
# pushed to 30 Apr on 21 Mar: neither was due in March at its start, both were due in it during it and slipped out
SLIP_OPPORTUNITIES = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment
S,Created then slipped,R1,2024-03-05,2024-04-30,Proposal,1000,Enterprise
T,Pulled then slipped,R1,2024-01-05,2024-04-30,Proposal,2000,Enterprise
G,Later,R2,2024-04-05,2024-06-01,Prospecting,100,SMB
"""
SLIP_HISTORY = """\
opportunity_id,changed_at,stage,amount,close_date
S,2024-03-05T09:00,Prospecting,1000,2024-03-25
S,2024-03-28T09:00,Proposal,1000,2024-04-30
T,2024-01-05T09:00,Proposal,2000,2024-05-30
T,2024-03-02T09:00,Proposal,2000,2024-03-20
T,2024-03-21T09:00,Proposal,2000,2024-04-30
G,2024-04-05T09:00,Prospecting,100,2024-06-01
"""


def test_deals_due_during_the_period_then_pushed_out_slipped(tmp_path):
    data = load_company(tmp_path / "data", SLIP_OPPORTUNITIES, SLIP_HISTORY)
    march = FiscalCalendar.from_config(data.config).month(pd.Timestamp("2024-03-01"))
    slipped = slipped_deals(data, march)
    # T 2,000 (due 20 Mar, one push: 20 Mar -> 30 Apr), S 1,000 (due 25 Mar, one push); largest first
    assert slipped[["opportunity_id", "amount", "pushes"]].values.tolist() == [["T", 2000, 1], ["S", 1000, 1]]
    assert slipped["close_date_then"].tolist() == [pd.Timestamp("2024-03-20"), pd.Timestamp("2024-03-25")]


# B: Prospecting -> Proposal -> back to Discovery -> lost. C: created 1 Jun 2023, history from 1 Jan 2024 only. E:
# rows newest first, Discovery and Qualification saved at one moment (the file lists Discovery first).
PATH_OPPORTUNITIES = """\
opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment
B,Back then lost,R1,2024-01-01,2024-03-01,Closed Lost,100,SMB
C,Created before export,R1,2023-06-01,2024-03-01,Closed Won,100,SMB
E,Desc export,R1,2024-01-01,2024-03-01,Closed Won,100,SMB
"""
PATH_HISTORY = """\
opportunity_id,changed_at,stage,amount,close_date
B,2024-01-01,Prospecting,100,2024-03-01
B,2024-01-10,Proposal,100,2024-03-01
B,2024-01-20,Discovery,100,2024-03-01
B,2024-03-01,Closed Lost,100,2024-03-01
C,2024-01-01,Prospecting,100,2024-03-01
C,2024-02-01,Discovery,100,2024-03-01
C,2024-03-01,Closed Won,100,2024-03-01
E,2024-03-01,Closed Won,100,2024-03-01
E,2024-01-20,Discovery,100,2024-03-01
E,2024-01-20,Qualification,100,2024-03-01
E,2024-01-01,Prospecting,100,2024-03-01
"""


@pytest.fixture(scope="module")
def path_data(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return load_company(tmp_path_factory.mktemp("paths") / "data", PATH_OPPORTUNITIES, PATH_HISTORY)


def test_a_stage_only_come_back_to_is_not_moved_on_from(path_data):
    stays = stage_stays(path_data, path_data.as_of)
    paths = deal_paths(stays, path_data, FiscalCalendar.from_config(path_data.config))
    table = funnel(paths[paths["opportunity_id"] == "B"].reset_index(drop=True), path_data).set_index("stage")
    # B reached Proposal (rank 3) before Discovery (2), but after entering Discovery it was only lost (−1): it did
    # not move on from Discovery (0/1); from Prospecting it did (1/1); from Proposal it did not (0/1)
    assert table.loc[["Prospecting", "Discovery", "Proposal"], "moved_on"].tolist() == [1, 0, 0]


def test_stages_saved_at_one_moment_are_taken_in_process_order(path_data):
    stays = stage_stays(path_data, path_data.as_of)
    # E: Prospecting 1 -> 20 Jan (19 days), Qualification and Discovery both on 20 Jan: Qualification first (0
    # days), then Discovery until 1 Mar (41 days), whatever order the file listed them in
    assert _of(stays, "E") == [
        ("Prospecting", 19.0, True),
        ("Qualification", 0.0, True),
        ("Discovery", 41.0, True),
        ("Closed Won", None, False),
    ]


def test_a_first_stay_of_unknown_start_is_left_out_of_time_in_stage(path_data):
    calendar = FiscalCalendar.from_config(path_data.config)
    review = review_process(path_data, calendar.month(pd.Timestamp("2024-02-01")), calendar)
    stays = stage_stays(path_data, path_data.as_of)
    assert stays.loc[stays["truncated"], "opportunity_id"].tolist() == ["C"]  # created Jun 2023, history from Jan
    times = time_in_stage(stays, path_data.config.stage_names).set_index("stage")
    # Prospecting without C's truncated stay: B 9 days, E 19 days, both ended: S = 1/2 at 9: median 9 (with C's 31
    # days it would be 19)
    assert times.loc["Prospecting", ["stays", "km_median"]].tolist() == [2, 9]
    assert truncated_note(review).startswith("1 deal's history starts on a later day than the deal was created")


def test_times_a_deal_came_back_count_every_return(tmp_path):
    opportunities = "opportunity_id,name,owner_id,created_date,close_date,stage,amount,segment\n"
    opportunities += "F,Back and forth,R1,2024-01-01,2024-06-30,Prospecting,100,SMB\n"
    history = "opportunity_id,changed_at,stage\n" + "".join(
        f"F,2024-01-0{day},{stage}\n"
        for day, stage in enumerate(["Prospecting", "Discovery", "Prospecting", "Discovery", "Prospecting"], 1)
    )
    data = load_company(tmp_path / "data", opportunities, history)
    summary = stage_time_summary(stage_stays(data, data.as_of), data).set_index("stage")
    # Prospecting 3 visits (2 returns), Discovery 2 visits (1 return): 3 returns over 2 deal-stage pairs
    assert summary.loc[["Prospecting", "Discovery"], "returns"].tolist() == [2, 1]
    assert summary["returns"].sum() == 3 and summary["re_entered"].sum() == 2


def test_a_shortfall_under_half_a_deal_is_shown_as_0_not_minus_0():
    # −0.4 deals rounds to −0: shown as 0; 129.6 rounds to 130; a missing figure is a dash
    assert [whole_deals(v) for v in (-0.4, 129.6, float("nan"))] == ["0", "130", "–"]
