"""The process review's sentences and chart titles (analyses/process/story.py) on reviews put together by hand from
tiny tables: no history, no close dates in it, one deal, one rep, and the usual case; and its tables for readers
(analyses/process/tables.py), which a section shows only when the review has them. Every expected figure is worked out
by hand in the test."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_config, load_data
from salesops_helpers.analyses.process import story, tables
from salesops_helpers.analyses.process.review import ProcessReview
from salesops_helpers.analyses.process.waterfall import COMPONENTS
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers.process_companies import FLOW_HISTORY, FLOW_OPPORTUNITIES, QUOTAS, REPS, load_company, velocity_table

CONFIG = load_config(DEFAULT_CONFIG)
CALENDAR = FiscalCalendar.from_config(CONFIG)
MARCH = CALENDAR.month(pd.Timestamp("2024-03-01"))
NAN = float("nan")
STAGES = ["Prospecting", "Discovery", "Proposal"]


VELOCITY = velocity_table([20.0, 60.0, -10.0, 0.0, 70.0])


def _review(**tables_: object) -> ProcessReview:
    """A review of March 2024 (as of its last day, cohorts settling in 45 days) holding the tables given."""
    lost = tables_.pop("lost_reasons", None)
    velocity = tables_.pop("velocity", VELOCITY)
    return ProcessReview(MARCH, MARCH.end, velocity, lost, 45.0, **tables_)


def _stays(truncated: list[bool], stages: list[str] | None = None, last: list[bool] | None = None) -> pd.DataFrame:
    """Stage stays: open stays in the given stages (Prospecting by default), the latest of their deal unless told."""
    stages = stages or ["Prospecting"] * len(truncated)
    return pd.DataFrame(
        {
            "stage": stages,
            "outcome": "open",
            "last": last if last is not None else [True] * len(truncated),
            "truncated": truncated,
        }
    )


def _times(medians: list[float], p90: list[float], naive_p90: list[float] | None = None) -> pd.DataFrame:
    """time_in_stage rows for Prospecting, Discovery and Proposal (stage as the categorical it is)."""
    return pd.DataFrame(
        {
            "stage": pd.Categorical(STAGES, categories=STAGES, ordered=True),
            "km_median": medians,
            "km_p90": p90,
            "naive_p90": naive_p90 or [NAN] * 3,
        }
    )


def _funnel(deals: int, next_step: list[float], cumulative: list[float]) -> pd.DataFrame:
    """A funnel over the open stages then Closed Won."""
    return pd.DataFrame(
        {
            "stage": [*STAGES, "Closed Won"],
            "deals": deals,
            "next_step": [*next_step, NAN],
            "cumulative": cumulative,
        }
    )


def _waterfall(amounts: dict[str, float], deals: dict[str, int] | None = None) -> pd.DataFrame:
    """A waterfall with every component, 0 unless given."""
    amount = [amounts.get(name, 0.0) for name in COMPONENTS]
    frame = pd.DataFrame(
        {
            "component": COMPONENTS,
            "amount": amount,
            "deals": [
                (deals or {}).get(name, 1 if value else 0) for name, value in zip(COMPONENTS, amount, strict=True)
            ],
        }
    )
    return frame.assign(cents=(frame["amount"] * 100).round().astype("int64"))


# opening 3,901.05 + 700.70 + 300.30 − 500.05 + 200.25 − 200.25 − 1,800.25 − 400.40 = 2,201.35 (it balances)
FLOWS = {
    "opening": 3_901.05,
    "new": 700.70,
    "pulled in from later months": 300.30,
    "pushed out": -500.05,
    "increased": 200.25,
    "decreased": -200.25,
    "won": -1_800.25,
    "lost": -400.40,
    "closing": 2_201.35,
}


def _per_rep(rows: list[tuple[str, bool, int, float]]) -> pd.DataFrame:
    """pushes_per_rep rows (rep, compared, pushes, pushes per deal), in the order given."""
    frame = pd.DataFrame(rows, columns=["rep", "compared", "pushes", "pushes_per_deal"])
    return frame.assign(rep_id=frame["rep"], deals=10, pushed_deals=frame["pushes"].clip(upper=10))


def _slipped(*amounts: float) -> pd.DataFrame:
    return pd.DataFrame({"opportunity_id": [f"S{i}" for i in range(len(amounts))], "amount": list(amounts)})


def _flows_review(per_rep: pd.DataFrame, slipped: pd.DataFrame) -> ProcessReview:
    """A review with a history, close dates and amounts: the waterfall of FLOWS, the pushes and slipped deals given."""
    return _review(stays=_stays([False]), waterfall=_waterfall(FLOWS), per_rep=per_rep, slipped=slipped)


@pytest.fixture(scope="module")
def without_history(tmp_path_factory: pytest.TempPathFactory):
    """The flow company of tests/helpers/process_companies.py without its history file."""
    folder = tmp_path_factory.mktemp("no-history")
    for name, text in {"reps.csv": REPS, "quotas.csv": QUOTAS, "opportunities.csv": FLOW_OPPORTUNITIES}.items():
        (folder / name).write_text(text, encoding="utf-8")
    return load_data(folder, CONFIG)


@pytest.fixture(scope="module")
def flow_data(tmp_path_factory: pytest.TempPathFactory):
    """The flow company of tests/helpers/process_companies.py: a history with close dates and amounts."""
    return _flow_company(tmp_path_factory.mktemp("flows") / "data")


def _flow_company(folder: Path, drop: str = ""):
    """The flow company, its history without the column named (none by default)."""
    history = pd.read_csv(pd.io.common.StringIO(FLOW_HISTORY), dtype=str)
    text = history.drop(columns=[drop] if drop else []).to_csv(index=False)
    return load_company(folder, FLOW_OPPORTUNITIES, text)


def test_without_a_history_every_history_section_says_what_it_needs(without_history):
    review = _review()
    assert story.stays_sentence(review) == story.without_history_note()
    assert story.without_history_note().startswith("The data has no opportunity_history table, so ")
    assert story.funnel_sentence(review) == "The funnel needs the history table and deals in it: not enough deals here."
    assert story.groupings_sentence(review) == "Funnels by segment, team and lead source need the history table."
    assert story.cohorts_sentence(review) == "Funnels by creation cohort need the history table."
    assert story.time_in_stage_sentence(review) == (
        "Time in stage needs the history table and finished stays: not enough deals here."
    )
    assert story.bottleneck_sentence(review) == "Bottlenecks need the history table."
    assert story.stalled_sentence(review, "USD") == "Stalled deals need the history table."
    note = "Slippage and the pipeline waterfall need the history table (close dates and amounts on past days)."
    assert story.flows_note(without_history) == note
    assert story.slippage_sentence(review, without_history, "USD") == note
    assert story.waterfall_sentence(review, without_history, "USD") == note


def test_without_a_history_there_is_no_chart_and_no_history_table():
    review = _review()
    titles = [
        story.funnel_chart_titles(review),
        story.time_chart_titles(review),
        story.pushes_chart_titles(review),
        story.waterfall_chart_titles(review, "USD"),
    ]
    assert titles == [[], [], [], []]
    shown = [
        tables.stage_time_tables(review),
        tables.funnel_tables(review),
        tables.grouped_funnel_tables(review, STAGES),
        tables.cohort_tables(review, STAGES),
        tables.time_in_stage_tables(review),
        tables.bottleneck_tables(review),
        tables.stalled_tables(review),
        tables.push_tables(review),
        tables.slipped_tables(review),
        tables.waterfall_tables(review),
        tables.lost_reason_tables(review),
    ]
    assert shown == [[]] * 11


def test_the_flows_note_names_the_missing_history_column(flow_data, tmp_path):
    assert story.flows_note(flow_data) == ""
    assert story.flows_note(_flow_company(tmp_path / "no-close", "close_date")) == (
        "The history table has no close_date column, so close-date pushes, slipped deals and the pipeline waterfall "
        "cannot be worked out."
    )


def test_the_stays_sentence_counts_stays_deals_returns_and_late_histories():
    # 3 stays of 2 deals, one history starting late; deals came back to a stage twice
    review = _review(
        stays=_stays([False, True, False]),
        paths=pd.DataFrame({"deal": ["D1", "D2"]}),
        stage_time=pd.DataFrame({"stage": STAGES, "returns": [2, 0, 0]}),
    )
    assert story.stays_sentence(review) == (
        "The review rebuilds 3 stage stays of 2 deals from the history saved up to 2024-03-31; a stay still going "
        "counts up to the end of that day. 2 times a deal came back to a stage it had been in before (moved back or "
        "reopened). 1 deal's history starts on a later day than the deal was created: the first stay's start is "
        "unknown, so time in stage leaves it out."
    )


def test_the_stays_sentence_of_one_deal():
    review = _review(
        stays=_stays([False, False]),
        paths=pd.DataFrame({"deal": ["D1"]}),
        stage_time=pd.DataFrame({"stage": STAGES, "returns": [1, 0, 0]}),
    )
    assert story.stays_sentence(review) == (
        "The review rebuilds 2 stage stays of 1 deal from the history saved up to 2024-03-31; a stay still going "
        "counts up to the end of that day. Once a deal came back to a stage it had been in before (moved back or "
        "reopened). Every deal's history starts on the day it was created."
    )
    no_return = _review(stays=_stays([True, True]), stage_time=pd.DataFrame({"stage": STAGES, "returns": [0, 0, 0]}))
    assert story.returns_sentence(no_return) == "No deal came back to a stage it had been in before."
    assert story.truncated_note(no_return).startswith("2 deals' histories start on a later day")


def test_the_funnel_names_the_share_won_and_the_narrowest_stage():
    # 10 deals: 80% leave Prospecting, 50% Discovery, 75% Proposal; 40% are won
    review = _review(stays=_stays([False]), funnel=_funnel(10, [0.8, 0.5, 0.75], [1.0, 0.8, 0.4, 0.4]))
    assert story.funnel_sentence(review) == (
        "Of 10 deals with a history, 40% were won; the stage that lets the fewest deals move on is Discovery (50%)."
    )
    assert story.funnel_chart_titles(review) == ["40% of deals are won; Discovery lets the fewest move on"]


def test_the_funnel_of_one_deal_and_of_deals_that_entered_no_stage():
    one = _review(stays=_stays([False]), funnel=_funnel(1, [1.0, 0.0, NAN], [1.0, 1.0, 0.0, 0.0]))
    assert story.funnel_sentence(one) == (
        "Of 1 deal with a history, 0% were won; the stage that lets the fewest deals move on is Discovery (0%)."
    )
    none = _review(stays=_stays([False]), funnel=_funnel(2, [NAN, NAN, NAN], [0.0, 0.0, 0.0, 0.0]))
    assert story.funnel_sentence(none) == "The funnel needs the history table and deals in it: not enough deals here."
    assert story.funnel_chart_titles(none) == []


def test_grouped_funnels_and_cohorts_with_a_history():
    review = _review(stays=_stays([False]))
    assert story.groupings_sentence(review) == (
        "Share of deals moving on from each stage, by segment, team and lead source (won: share of all deals won)."
    )
    assert story.cohorts_sentence(review) == (
        "By creation quarter (fiscal): cohorts whose last day is less than 45 days before 2024-03-31 are marked too "
        "young to judge: nine deals in ten are won or lost within that time (Kaplan-Meier, deals still open counted "
        "as still going)."
    )


def test_time_in_stage_names_the_longest_stage_and_the_longest_tenth():
    # Proposal's median (20) is the longest, its p90 unknown; Discovery's p90 (40) is the longest known
    review = _review(stays=_stays([False]), times=_times([5.0, 12.0, 20.0], [9.0, 40.0, NAN], [8.0, 30.0, NAN]))
    assert story.time_in_stage_sentence(review) == (
        "Proposal takes longest: a median of 20 days; how long the longest tenth of its stays last is not known yet "
        "(too many are still going)."
    )
    assert story.time_chart_titles(review) == [
        "One Discovery stay in ten lasts over 40 days; finished stays alone say 30 days"
    ]
    assert story.longest_stage_sentence(_times([5.0, 1.0, NAN], [9.0, 2.0, NAN])) == (
        "Prospecting takes longest: a median of 5 days, and one stay in ten lasts more than 9 days."
    )


def test_time_in_stage_without_a_finished_stay():
    review = _review(stays=_stays([False]), times=_times([NAN, NAN, NAN], [NAN, NAN, NAN]))
    assert story.time_in_stage_sentence(review) == (
        "Time in stage needs the history table and finished stays: not enough deals here."
    )
    assert story.longest_stage_sentence(review.times) == "Time in stage needs finished stays: not enough deals here."
    assert story.time_chart_titles(review) == []


WORST = pd.Series(
    {
        "segment": "Enterprise",
        "stage": "Proposal",
        "next_step": 0.34,
        "entered": 120,
        "company_next_step": 0.5,
        "deals_short": 19.2,
        "time_share": 0.4,
        "km_median": 30.0,
        "company_time_share": 0.25,
        "time_ratio": 1.6,
    }
)


def test_the_worst_bottleneck_with_and_without_its_time_share():
    assert story.bottleneck_sentence(_review(stays=_stays([False]), worst=WORST)) == (
        "The worst bottleneck is Enterprise deals in Proposal: 34% of the 120 that entered it moved on, against 50% "
        "for the company, about 19 deals short; they spend 40% of their time in open stages there (median 30 days) "
        "against 25% company-wide, 1.6 times the usual share."
    )
    untimed = WORST.copy()
    untimed["time_ratio"] = NAN
    assert story.bottleneck_sentence(_review(stays=_stays([False]), worst=untimed)) == (
        "The worst bottleneck is Enterprise deals in Proposal: 34% of the 120 that entered it moved on, against 50% "
        "for the company, about 19 deals short."
    )


def test_no_bottleneck_without_enough_deals():
    assert story.bottleneck_sentence(_review(stays=_stays([False]))) == (
        "No stage shows a shortfall against the company in any segment with at least 20 deals entering it: not "
        "enough deals to name a bottleneck."
    )


STALLED = pd.DataFrame(
    {"opportunity_id": ["S1", "S2"], "stage": ["Proposal", "Discovery"], "amount": [4_000.0, 1_000.0]}
)


def test_stalled_deals_none_one_and_several():
    judged = _times([5.0, 12.0, 20.0], [9.0, 40.0, 60.0])
    stays = _stays([False, False], ["Discovery", "Proposal"])
    review = _review(stays=stays, times=judged, stalled=STALLED.iloc[0:0])
    assert story.stalled_sentence(review, "USD") == "No open deal has stalled."
    one = _review(stays=stays, times=judged, stalled=STALLED.iloc[:1])
    assert story.stalled_sentence(one, "USD") == "1 open deal has stalled, worth $4.0k in all: the value at risk."
    two = _review(stays=stays, times=judged, stalled=STALLED)
    # 4,000 + 1,000
    assert story.stalled_sentence(two, "USD") == "2 open deals have stalled, worth $5.0k in all: the value at risk."


def test_stalled_deals_in_stages_without_a_threshold_are_not_judged():
    # Prospecting and Discovery hold a deal now but have no p90; the stay in Proposal is not the deal's latest
    times = _times([5.0, NAN, 20.0], [NAN, NAN, 60.0])
    stays = _stays([False] * 3, ["Discovery", "Prospecting", "Proposal"], last=[True, True, False])
    review = _review(stays=stays, times=times, stalled=STALLED.iloc[0:0])
    assert story.stalled_sentence(review, "USD") == (
        "No open deal has stalled in a stage with a stall threshold. Deals now in Prospecting and Discovery are not "
        "judged: too few stays there have ended to say how long nine stays in ten last."
    )


def test_slippage_names_the_rep_who_pushes_most_against_the_median(flow_data):
    # compared reps push 2.5, 1.0 and 0.5 times per deal: median 1.0; Dee (not compared) is left out
    per_rep = _per_rep([("Ann", True, 25, 2.5), ("Bob", True, 10, 1.0), ("Cy", True, 5, 0.5), ("Dee", False, 9, 3.0)])
    review = _flows_review(per_rep, _slipped(1_000.0, 500.0))
    assert story.slippage_sentence(review, flow_data, "USD") == (
        "Ann pushes close dates most: 2.5 pushes per deal against a median of 1.0 across the 3 reps with at least 10 "
        "deals. 2 deals worth $1.5k slipped out of 2024-03."
    )
    assert story.pushes_chart_titles(review) == ["Ann pushes close dates 2.5 times per deal, the most of any rep"]


def test_slippage_of_one_rep_one_slipped_deal_and_no_push(flow_data):
    one = _flows_review(_per_rep([("Ann", True, 12, 1.2)]), _slipped(500.0))
    assert story.slippage_sentence(one, flow_data, "USD") == (
        "Ann pushes close dates most: 1.2 pushes per deal against a median of 1.2 across the 1 rep with at least 10 "
        "deals. 1 deal worth $500 slipped out of 2024-03."
    )
    still = _flows_review(_per_rep([("Ann", True, 0, 0.0)]), _slipped())
    assert story.slippage_sentence(still, flow_data, "USD") == (
        "No rep has pushed a close date yet. No deal slipped out of the period."
    )
    assert story.pushes_chart_titles(still) == []


def test_slippage_without_a_rep_with_enough_deals(flow_data):
    review = _flows_review(_per_rep([("Dee", False, 9, 3.0)]), _slipped())
    assert story.slippage_sentence(review, flow_data, "USD") == (
        "Not enough deals per rep to compare pushes (at least 10 each). No deal slipped out of the period."
    )
    assert story.pushes_chart_titles(review) == []


def test_the_waterfall_sentence_and_title(flow_data):
    review = _flows_review(_per_rep([]), _slipped())
    assert story.waterfall_sentence(review, flow_data, "USD") == (
        "2024-03 opened with $3.9k due in it and closed with $2.2k still open; $1.8k was won, $400 lost and $500 "
        "pushed out. Opening plus the changes minus closing: $0."
    )
    assert story.waterfall_chart_titles(review, "USD") == [
        "$3.9k was due in Mar 2024: $1.8k won, $400 lost, $500 pushed out"
    ]


def test_the_waterfall_names_deals_closed_but_dated_elsewhere(flow_data):
    # one deal of 250.00 closed in March by its history, dated outside it now: closing 2,201.35 − 250 = 1,951.35
    one = _review(
        stays=_stays([False]), waterfall=_waterfall(FLOWS | {"closed, dated elsewhere": -250.0, "closing": 1_951.35})
    )
    assert story.waterfall_sentence(one, flow_data, "USD") == (
        "2024-03 opened with $3.9k due in it and closed with $2.0k still open; $1.8k was won, $400 lost and $500 "
        "pushed out; 1 deal worth $250 closed in the month by the history but is dated outside it now (or reopened), "
        "so neither bookings nor the month's losses count it. Opening plus the changes minus closing: $0."
    )
    two = _review(
        stays=_stays([False]),
        waterfall=_waterfall(
            FLOWS | {"closed, dated elsewhere": -250.0, "closing": 1_951.35}, {"closed, dated elsewhere": 2}
        ),
    )
    assert "; 2 deals worth $250 closed in the month by the history but are dated outside it now" in (
        story.waterfall_sentence(two, flow_data, "USD")
    )


def test_the_velocity_sentence_names_the_factor_that_moved_it_most():
    assert story.velocity_sentence(VELOCITY, {}, "USD") == (
        "Sales velocity went from $40/day to $110/day; win rate moved it most (+$60/day)."
    )
    # a fall is as large as a rise: the deal size's −80 outweighs the win rate's +60
    fell = velocity_table([20.0, 60.0, -80.0, 0.0, 0.0])
    assert story.velocity_sentence(fell, {}, "USD").endswith("average deal size moved it most (-$80/day).")


def test_the_velocity_change_cannot_be_split_without_a_won_deal():
    assert story.velocity_sentence(velocity_table([NAN, NAN, NAN, NAN, NAN]), {}, "USD") == (
        "The velocity change cannot be split: a factor is missing or 0 in one of the two months (no deal won, or no "
        "deal open at the start)."
    )


def test_lost_reasons_none_one_deal_and_several():
    assert story.lost_reasons_sentence(_review(), "TTM 2024-03") == "The data carries no lost reasons."
    empty = pd.DataFrame(columns=["reason", "all stages"])
    assert (
        story.lost_reasons_sentence(_review(lost_reasons=empty), "TTM 2024-03") == "The data carries no lost reasons."
    )
    one = pd.DataFrame({"reason": ["Price"], "Proposal": [1], "all stages": [1]})
    assert story.lost_reasons_sentence(_review(lost_reasons=one), "TTM 2024-03") == (
        "Price is the most common reason, 1 of 1 deal lost in TTM 2024-03."
    )
    several = pd.DataFrame({"reason": ["Price", "Timing"], "Proposal": [3, 1], "all stages": [5, 2]})
    assert story.lost_reasons_sentence(_review(lost_reasons=several), "TTM 2024-03") == (
        "Price is the most common reason, 5 of 7 deals lost in TTM 2024-03."
    )
    assert tables.lost_reason_tables(_review(lost_reasons=several))[0] is several
    assert tables.lost_reason_tables(_review(lost_reasons=empty)) == []


def test_history_tables_show_only_what_has_a_row():
    stalled = _review(stays=_stays([False]), stalled=STALLED)
    assert list(tables.stalled_tables(stalled)[0].columns) == ["deal", "stage", "amount"]
    assert tables.stalled_tables(_review(stays=_stays([False]), stalled=STALLED.iloc[0:0])) == []
    flows = _flows_review(_per_rep([("Ann", True, 12, 1.2)]), _slipped())
    assert tables.slipped_tables(flows) == []
    assert list(tables.push_tables(flows)[0].columns) == [
        "rep",
        "pushes",
        "pushes per deal",
        "rep id",
        "deals",
        "deals pushed",
    ]
    assert tables.waterfall_tables(flows)[0]["component"].tolist() == COMPONENTS
    assert "cents" not in tables.waterfall_tables(flows)[0].columns


def test_whole_deals_never_shows_minus_zero():
    assert [tables.whole_deals(v) for v in (-0.4, 129.6, 1.0, NAN)] == ["0", "130", "1", "–"]


def test_the_velocity_table_labels_the_two_months():
    shown = tables.velocity_table(_review(), CALENDAR, "USD")
    assert list(shown.columns) == ["factor", "2024-02", "2024-03", "part of change"]
    # win rate 20% -> 25% (shares to one decimal), its part +$60/day; the cycle's part 0
    assert shown.iloc[1].tolist() == ["Win rate", "20.0%", "25.0%", "+$60/day"]
    assert shown.iloc[3, 3] == "±0"
