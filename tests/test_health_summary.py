"""The data-health summary, on the hand-written companies of tests/test_data_health.py (a problem of each kind) and
tests/test_validation.py (six deals, no data problem), and on the demo. Every expected figure is worked out by hand
in the comment beside it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import SalesData, load_data
from salesops_helpers.analyses.health.checks import analysis_readiness, past_due_open_deals
from salesops_helpers.analyses.health.summary import (
    change_sentence,
    data_risks,
    health_summary,
    past_due_by_month,
)
from salesops_helpers.config import WorkbookConfig
from salesops_helpers.paths import DEMO_DATA
from tests.helpers import planted_company as planted
from tests.helpers import six_deals as valid

MARCH = pd.Timestamp("2024-03-31")


@pytest.fixture
def planted_company(tmp_path: Path, config: WorkbookConfig):
    """tests/test_data_health.py's company, with some files' text replaced: planted_company({"D3,...": "D3,..."})."""

    def load(edits: dict[str, str] | None = None) -> SalesData:
        opportunities = planted.OPPORTUNITIES_CSV
        for old, new in (edits or {}).items():
            assert opportunities.count(old) == 1, old
            opportunities = opportunities.replace(old, new)
        return load_data(planted.write_folder(tmp_path / "planted", {"opportunities.csv": opportunities}), config)

    return load


@pytest.fixture
def six_deals(tmp_path: Path, config: WorkbookConfig):
    """tests/test_validation.py's six-deal company, with opportunities.csv edited as given."""

    def load(old: str = "", new: str = "") -> SalesData:
        files = dict(valid.VALID_FILES)
        if old:
            assert files["opportunities.csv"].count(old) == 1, old
            files["opportunities.csv"] = files["opportunities.csv"].replace(old, new)
        return load_data(valid.write_folder(tmp_path / "six", files), config)

    return load


def test_past_due_open_value_is_the_largest_risk_and_its_owners_are_asked(planted_company) -> None:
    data = planted_company()
    # open on 31 March and created by then: D3 3,000, D4 8,000, D5 7,000, D6 no amount: 18,000 open.
    # Past due: D3 (10 Feb, Bob Ray) 3,000, D5 (1 Mar, Cy Doe) 7,000, D6 (20 Mar, owner R9) 0: 10,000.
    shares = [round(risk.share, 4) for risk in data_risks(data, MARCH, "USD")]
    # past due 10,000/18,000; D3 of Bob Ray, who left on 28 Feb, 3,000/18,000; D6 and D10 without an amount 2/10;
    # D6 with the unknown owner R9 1/10
    assert shares == [round(10_000 / 18_000, 4), round(3_000 / 18_000, 4), 0.2, 0.1]
    summary = health_summary(data, MARCH, "USD")
    assert summary.risk == (
        "3 open deals worth $10k (56% of the open pipeline) had a close date before 31 Mar 2024, so the pipeline "
        "counts them in months already over."
    )
    assert summary.action == (
        "Ask the owners to update the close dates of the 3 past-due deals ($10k), starting with Cy Doe (1 deal, $7.0k)."
    )
    assert summary.standing.startswith("Usable: 10 deals and 3 reps loaded, with data up to ")


def test_without_past_due_deals_the_deals_without_an_amount_come_first(planted_company) -> None:
    data = planted_company(
        {
            "D3,Cask,R2,2023-12-01,2024-02-10": "D3,Cask,R2,2023-12-01,2024-06-10",
            "D5,Echo,R3,2024-01-20,2024-03-01": "D5,Echo,R3,2024-01-20,2024-05-01",
            "D6,Fern,R9,2024-02-01,2024-03-20": "D6,Fern,R9,2024-02-01,2024-05-20",
        }
    )
    # no deal past due; the leaver's 3,000 of 18,000 open (17%) is less than 2 of 10 deals without an amount (20%)
    summary = health_summary(data, MARCH, "USD")
    assert summary.risk == "2 of 10 deals have no amount, so bookings, pipeline and deal sizes leave them out."
    # D10 (Ann Lee) and D6 (R9) both at 0: the tie goes to the first name
    assert (
        summary.action
        == "Ask the owners to fill in the amount of the 2 deals without one, starting with Ann Lee (1 deal)."
    )


def test_the_open_deals_of_a_rep_who_left_come_first_when_they_weigh_most(planted_company) -> None:
    data = planted_company(
        {
            "D3,Cask,R2,2023-12-01,2024-02-10": "D3,Cask,R2,2023-12-01,2024-06-10",
            "D5,Echo,R3,2024-01-20,2024-03-01": "D5,Echo,R3,2024-01-20,2024-05-01",
            "D6,Fern,R9,2024-02-01,2024-03-20,Qualification,,": "D6,Fern,R9,2024-02-01,2024-05-20,Qualification,100,",
            "D10,Jade,R1,2023-07-01,2023-08-15,Closed Lost,0,": "D10,Jade,R1,2023-07-01,2023-08-15,Closed Lost,500,",
        }
    )
    # open: 3,000 + 8,000 + 7,000 + 100 = 18,100; Bob Ray's D3 3,000 of it (17%) against D6's unknown owner, 1 of 10
    summary = health_summary(data, MARCH, "USD")
    assert summary.risk == (
        "1 open deal worth $3.0k (17% of the open pipeline) belongs to reps who have left (Bob Ray), so no one is "
        "working it."
    )
    assert summary.action == "Reassign Bob Ray's 1 open deal ($3.0k) to current reps."


def test_the_change_is_the_past_due_value_month_end_against_month_end(six_deals) -> None:
    # O4 (400, Bob Ray) now closes on 20 March instead of 1 June; its history still says 1 June
    data = six_deals("O4,Dune - Connectors,Dune,R2,2024-02-15,2024-06-01", "O4,Dune,Dune,R2,2024-02-15,2024-03-20")
    # 31 Jan and 29 Feb: O1, O2 (and O3, O4 from Feb) open with close dates in March or later: nothing past due;
    # 31 March: the report's own list, O4
    assert past_due_by_month(data, MARCH).to_dict() == {"2024-01": 0.0, "2024-02": 0.0, "2024-03": 400.0}
    summary = health_summary(data, MARCH, "USD")
    assert summary.change == (
        "Open value past its close date rose from $0 at the end of February 2024 to $400 at the end of March 2024."
    )
    assert summary.action == "Ask Bob Ray to update the close date of the 1 past-due deal ($400)."
    past_due = {f.key: f for f in summary.figures}["past_due_value"]
    assert (past_due.value, past_due.text, past_due.status) == (400.0, "$400", "bad")  # up is the worse way
    assert past_due.trend == (0.0, 0.0, 400.0)


def test_a_company_without_data_problems_says_so_and_names_the_limited_analyses(six_deals) -> None:
    data = six_deals()
    assert data_risks(data, MARCH, "USD") == []
    summary = health_summary(data, MARCH, "USD")
    assert summary.change == (
        "Open value past its close date stayed at $0 from the end of February 2024 to the end of March 2024."
    )
    readiness = analysis_readiness(data, MARCH)
    short = readiness[readiness["status"] != "available"]
    assert len(short) >= 1  # six deals cannot support a forecast
    assert summary.risk.startswith(f"{len(short)} analyses cannot use the data in full: {short['analysis'].iloc[0]}")
    assert {f.key: f.value for f in summary.figures}["analyses_limited"] == len(short)


def test_a_fall_in_deals_created_by_half_or_more_is_the_change(six_deals) -> None:
    # O6 now created on 20 Feb: three deals created in February (O3, O4, O6), one in March (O5): −67%
    data = six_deals("O6,Fern - Platform,Fern,R3,2024-03-10", "O6,Fern - Platform,Fern,R3,2024-02-20")
    assert change_sentence(data, MARCH, "USD") == (
        "Deals created fell from 3 in February 2024 to 1 in March 2024 (−67%): check that the export is complete."
    )
    # in a month under way (15 March) the months are not compared
    assert change_sentence(data, pd.Timestamp("2024-03-15"), "USD").startswith("Open value past its close date")


def test_a_company_in_its_first_month_has_nothing_to_compare_and_no_closed_deal(six_deals) -> None:
    january = pd.Timestamp("2024-01-31")
    summary = health_summary(six_deals(), january, "USD")
    assert summary.change == "The data starts in January 2024, so there is no earlier month to compare with."
    # O1, the first deal to close, closes on 10 February
    assert summary.risk == (
        "No deal was won or lost by 31 Jan 2024, so bookings, win rate and deal size cannot be measured."
    )
    assert summary.standing.startswith("Not usable: 6 deals and 3 reps loaded")
    assert {f.key: f for f in summary.figures}["verdict"].status == "bad"


def test_the_demo_summary_names_the_verdict_ready(config: WorkbookConfig) -> None:
    demo = load_data(DEMO_DATA, config, cache=True)
    october = pd.Timestamp("2026-10-31")
    summary = health_summary(demo, october, "USD")
    assert summary.standing.startswith(f"Ready: {len(demo.opportunities):,} deals")
    figures = {f.key: f for f in summary.figures}
    assert list(figures) == ["verdict", "deals", "past_due_value", "warnings", "analyses_limited"]
    assert figures["past_due_value"].value == past_due_open_deals(demo, october)["amount"].sum() > 0
    assert len(figures["past_due_value"].trend) == 12
    assert all(len(sentence) <= 200 for sentence in summary.sentences())
