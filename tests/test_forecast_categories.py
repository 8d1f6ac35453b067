"""Forecast categories: the call at a day and at past month ends (from the stage history), how much of each category
closed within its quarter, the rule for small samples and the sentences, worked out by hand on a sixteen-deal
company; and the demo's conversion, checked for what must hold."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest

from salesops_helpers.analyses.deals import categories as fc
from salesops_helpers.analyses.deals import story
from salesops_helpers.data.loading import SalesData, load_data
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA

T = pd.Timestamp
# The demo configuration's fiscal year starts in February: FY2025 Q1 is February to April 2024, Q2 May to July.
# Stages' categories: Prospecting, Qualification, Discovery Pipeline; Proposal Best Case; Negotiation Commit.
BULK = [f"C{i:02d}" for i in range(1, 11)]  # ten Commit deals of R2's, $1,000 each: C01 to C07 won, C08 to C10 lost
OPPORTUNITIES = "\n".join(
    [
        "opportunity_id,owner_id,created_date,close_date,stage,amount,forecast_category",
        "D1,R1,2024-01-10,2024-04-20,Closed Won,12000,",
        "D2,R2,2024-01-15,2024-05-08,Closed Lost,20000,",
        "D3,R3,2024-02-01,2024-03-10,Closed Won,5000,",
        "D4,R9,2024-03-01,2024-06-30,Prospecting,3000,",  # R9 is no rep: team and manager Unassigned
        "D5,R1,2024-04-20,2024-05-31,Proposal,8000,Commit",  # a Proposal the rep calls Commit today
        "D6,R3,2024-02-10,2024-05-03,Closed Won,2000,",  # Commit, expected on 28 April, won in May: too late for Q1
        *[f"{deal},R2,2024-02-05,2024-04-25,Closed Won,1000," for deal in BULK[:7]],
        *[f"{deal},R2,2024-02-05,2024-04-26,Closed Lost,1000," for deal in BULK[7:]],
    ]
)
HISTORY = "\n".join(
    [
        "opportunity_id,changed_at,stage,amount,close_date",
        # D1 moves from Discovery (Pipeline) to Negotiation (Commit) on 5 March, its amount raised to 12,000
        "D1,2024-01-10T09:00:00,Discovery,10000,2024-04-15",
        "D1,2024-03-05T09:00:00,Negotiation,12000,2024-04-20",
        "D1,2024-04-20T09:00:00,Closed Won,12000,2024-04-20",
        # D2 stays in Proposal (Best Case); on 28 March its close date is pushed from March into May (Q2)
        "D2,2024-01-15T09:00:00,Proposal,20000,2024-03-30",
        "D2,2024-03-28T09:00:00,Proposal,20000,2024-05-15",
        "D2,2024-05-08T09:00:00,Closed Lost,20000,2024-05-08",
        "D3,2024-02-01T09:00:00,Negotiation,5000,2024-03-15",
        "D3,2024-03-10T09:00:00,Closed Won,5000,2024-03-10",
        "D4,2024-03-01T09:00:00,Prospecting,3000,2024-06-30",
        "D5,2024-04-20T09:00:00,Proposal,8000,2024-05-31",
        "D6,2024-02-10T09:00:00,Negotiation,2000,2024-04-28",
        "D6,2024-05-03T09:00:00,Closed Won,2000,2024-05-03",
        *[f"{deal},2024-02-05T09:00:00,Negotiation,1000,2024-04-25" for deal in BULK],
        *[f"{deal},2024-04-25T09:00:00,Closed Won,1000,2024-04-25" for deal in BULK[:7]],
        *[f"{deal},2024-04-26T09:00:00,Closed Lost,1000,2024-04-26" for deal in BULK[7:]],
    ]
)
FILES = {
    "reps.csv": "rep_id,name,team,manager\nR1,Ann Lee,East,Mia Cole\nR2,Bob Ray,West,Ned Hart\nR3,Cy Fox,West,\n",
    "quotas.csv": "rep_id,period_start,quota\nR1,2024-01-01,1000\nR2,2024-01-01,1000\nR3,2024-01-01,1000\n",
    "opportunities.csv": OPPORTUNITIES + "\n",
    "opportunity_history.csv": HISTORY + "\n",
}


def _load(tmp_path_factory: pytest.TempPathFactory, name: str, files: dict[str, str]) -> SalesData:
    folder = tmp_path_factory.mktemp(name)
    for file, text in files.items():
        (folder / file).write_text(text, encoding="utf-8")
    return load_data(folder, DEFAULT_CONFIG)


@pytest.fixture(scope="module")
def company(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    return _load(tmp_path_factory, "sixteen-deals", FILES)


@pytest.fixture(scope="module")
def no_history(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    files = {name: text for name, text in FILES.items() if name != "opportunity_history.csv"}
    return _load(tmp_path_factory, "sixteen-deals-no-history", files)


def _cells(rollup: pd.DataFrame) -> dict[tuple[str, str, str], tuple[float, int]]:
    """The roll-up's non-zero cells: (horizon, group, category) -> (amount, deals)."""
    rows = rollup[rollup["deals"] > 0]
    return {(r.horizon, r.group, r.category): (r.amount, r.deals) for r in rows.itertuples()}


def test_the_data_stands_on_the_last_loss(company):
    assert company.as_of == T("2024-05-08")  # D2's loss, the latest change saved


def test_the_call_on_the_datas_day_uses_the_current_category(company):
    rollup = fc.category_rollup(company, company.as_of, by="team")
    # this quarter is FY2025 Q2 (May to July): D5 ($8,000, Proposal) is called Commit today, D4 ($3,000) is
    # Pipeline under Unassigned; D6 ($2,000, West) was won on 3 May; D2 was lost on the day. Nothing is due in Q3.
    assert set(rollup["quarter"]) == {"FY2025 Q2", "FY2025 Q3"}
    assert _cells(rollup) == {
        ("this quarter", "East", "Commit"): (8000.0, 1),
        ("this quarter", "Unassigned", "Pipeline"): (3000.0, 1),
        ("this quarter", "West", "Closed"): (2000.0, 1),
    }
    # every group any deal has, every category, both quarters: 3 × 5 × 2 rows
    assert len(rollup) == 30 and set(rollup["group"]) == {"East", "West", "Unassigned"}


def test_the_call_at_a_past_month_end_comes_from_the_stage_history(company):
    march = fc.category_rollup(company, T("2024-03-31"))
    # Q1: D1 in Negotiation since 5 March (Commit, $12,000 then), the ten bulk deals ($10,000) and D6 ($2,000):
    # $24,000 in 12;
    # Closed: D3, won on 10 March, $5,000. Q2: D2, pushed into May on 28 March (Best Case $20,000), and D4 ($3,000).
    assert _cells(march) == {
        ("this quarter", "Company", "Commit"): (24000.0, 12),
        ("this quarter", "Company", "Closed"): (5000.0, 1),
        ("next quarter", "Company", "Best Case"): (20000.0, 1),
        ("next quarter", "Company", "Pipeline"): (3000.0, 1),
    }
    february = _cells(fc.category_rollup(company, T("2024-02-29"), by="team"))
    # before its move D1 was in Discovery: Pipeline at its first amount, $10,000; D2 was still due in March
    assert february[("this quarter", "East", "Pipeline")] == (10000.0, 1)
    assert february[("this quarter", "West", "Best Case")] == (20000.0, 1)
    assert february[("this quarter", "West", "Commit")] == (17000.0, 12)  # D3 $5,000, the bulk $10,000, D6 $2,000
    april = _cells(fc.category_rollup(company, T("2024-04-30")))
    # before the data's day D5 is what its stage was configured as, Best Case, in Q2 (the next quarter on 30 April)
    assert april[("next quarter", "Company", "Best Case")] == (28000.0, 2)  # D2 $20,000 and D5 $8,000
    # Q1's closed by 30 April: D3 $5,000, D1 $12,000, seven bulk deals $7,000
    assert april[("this quarter", "Company", "Closed")] == (24000.0, 9)


def test_the_trend_is_the_rollup_at_each_month_end(company):
    trend = fc.category_trend(company, months=2)
    assert sorted(trend["day"].unique()) == [T("2024-03-31"), T("2024-04-30")]
    table = fc.rollup_columns(trend)
    row = table[(table["day"] == T("2024-03-31")) & (table["horizon"] == "this quarter")].iloc[0]
    assert list(table.columns[4:]) == ["Commit", "Best Case", "Pipeline", "Closed", "Omitted"]
    assert (row["Commit"], row["Closed"]) == (24000.0, 5000.0)


def test_calls_at_month_ends_whose_quarter_is_over(company):
    calls = fc.past_calls(company)
    # 31 January, 29 February and 31 March call for Q1, over on 30 April; 30 April calls for Q2, not over yet.
    # 31 January: D1 (Pipeline), D2 (Best Case). 29 February: D1, D2, D3, D6 and the bulk. 31 March: D1, D6 and the
    # bulk (D2 is due in Q2 by then, D3 won).
    assert calls.groupby("month_end").size().to_dict() == {T("2024-01-31"): 2, T("2024-02-29"): 14, T("2024-03-31"): 12}
    assert calls.groupby("month_end")["months_left"].first().tolist() == [3, 2, 1]
    d1 = calls[calls["opportunity_id"] == "D1"].set_index("month_end")
    assert d1["category"].tolist() == ["Pipeline", "Pipeline", "Commit"] and d1["won"].all()
    assert d1["amount"].tolist() == [10000.0, 10000.0, 12000.0]
    assert not calls.loc[calls["opportunity_id"] == "D2", "won"].any()  # lost in May
    assert not calls.loc[calls["opportunity_id"] == "D6", "won"].any()  # won in May, after Q1
    assert calls.loc[calls["opportunity_id"] == "D4", "manager"].empty  # due in Q2, never in a Q1 call


def test_conversion_by_hand(company):
    table = fc.category_conversion(fc.past_calls(company)).set_index("category")
    commit = table.loc["Commit"]
    # Commit calls: 29 Feb D3 $5,000 + the bulk $10,000 + D6 $2,000; 31 Mar D1 $12,000 + the bulk $10,000 + D6
    # $2,000: 24 calls, 13 deals, $41,000; won within Q1: D3, D1 and seven bulk deals twice (D6 won in May),
    # $5,000 + $12,000 + $14,000 = $31,000 in 16 calls
    assert (commit["deals"], commit["distinct_deals"], commit["amount"]) == (24, 13, 41000.0)
    assert (commit["won_deals"], commit["won_amount"], commit["month_ends"]) == (16, 31000.0, 2)
    assert commit["share_amount"] == pytest.approx(31000 / 41000)  # 76%
    assert commit["share_deals"] == pytest.approx(16 / 24)
    assert commit["note"] == ""
    assert table.index.tolist() == ["Commit", "Best Case", "Pipeline"]


def test_fewer_than_ten_deals_give_no_share(company):
    calls = fc.past_calls(company)
    table = fc.category_conversion(calls).set_index("category")
    # Best Case: D2 twice ($40,000, lost); Pipeline: D1 twice ($20,000, won): one deal each
    assert table.loc["Best Case", "amount"] == 40000.0 and table.loc["Pipeline", "won_amount"] == 20000.0
    assert table.loc[["Best Case", "Pipeline"], ["share_amount", "share_deals"]].isna().all().all()
    assert (table.loc[["Best Case", "Pipeline"], "note"] == fc.TOO_FEW).all()
    by_manager = fc.category_conversion(calls, by="manager")
    commit = by_manager[by_manager["category"] == "Commit"].set_index("group")
    # Ned Hart: the bulk, ten deals twice, 14 of 20 won, $14,000 of $20,000; Mia Cole (D1) and Cy Fox's '(not set)'
    # (D3, D6) called one and two deals
    assert commit.loc["Ned Hart", "share_amount"] == pytest.approx(0.7)
    assert commit.loc["Ned Hart", "distinct_deals"] == fc.FEWEST_DEALS
    assert commit.loc[["Mia Cole", "(not set)"], "share_amount"].isna().all()
    per_month = fc.category_conversion(calls, per_month_end=True)
    march = per_month[(per_month["month_end"] == T("2024-03-31")) & (per_month["category"] == "Commit")].iloc[0]
    # 31 March: D1 $12,000, the bulk $10,000 and D6 $2,000; won $12,000 + $7,000 in 8 of 12 deals
    assert march["share_amount"] == pytest.approx(19000 / 24000) and march["share_deals"] == pytest.approx(8 / 12)


def test_without_history_past_categories_are_unknown(no_history):
    march = _cells(fc.category_rollup(no_history, T("2024-03-31")))
    # open then and closed since: D1 ($12,000, closed 20 April) and the bulk ($10,000, 25 and 26 April) have no
    # known stage that day; D2 ($20,000) and D6 ($2,000) fall in Q2 by their close dates now, 8 and 3 May
    assert march[("this quarter", "Company", "Unknown")] == (22000.0, 11)
    assert march[("next quarter", "Company", "Unknown")] == (22000.0, 2)
    assert fc.past_calls(no_history).empty
    assert fc.category_conversion(fc.past_calls(no_history)).empty
    assert story.conversion_sentence(fc.category_conversion(fc.past_calls(no_history)), history=False) == (
        "Without an opportunity history the categories of past month ends are unknown, so no call is checked "
        "against what closed."
    )


def test_the_sentences(company):
    conversion = fc.category_conversion(fc.past_calls(company))
    assert story.conversion_sentence(conversion) == (
        "Of the Commit called at 2 past month ends, 76% of the amount closed within its quarter "
        "(Best Case: too few deals, Pipeline: too few deals)."
    )
    assert story.rollup_sentence(fc.category_rollup(company, T("2024-03-31"))) == (
        "On 31 Mar 2024, FY2025 Q1 had $5.0k closed, with $24k in Commit, $0 in Best Case and $0 in Pipeline still "
        "open; FY2025 Q2 had $0 in Commit, $20k in Best Case and $3.0k in Pipeline."
    )
    # only Ned Hart's Commit is measured: nobody to compare him with
    assert story.lowest_group_sentence(fc.category_conversion(fc.past_calls(company), "manager"), "manager") == ""


def test_the_lowest_group_is_named_among_the_measured_ones():
    table = pd.DataFrame(
        {
            "group": ["Ana", "Ben", "Cy", "Dee", "(not set)", "Ana"],
            "category": ["Commit"] * 5 + ["Best Case"],
            "share_amount": [0.6, 0.45, 0.8, np.nan, 0.1, 0.05],
        }
    )
    # '(not set)' is no manager to talk to; Dee called too few; Ana's Best Case is another category
    assert story.lowest_group_sentence(table, "manager") == (
        "Ben's Commit closed at 45%, the lowest of the 3 managers, and Cy's at 80%, the highest "
        "(1 manager with fewer than 10 Commit deals not compared)."
    )
    assert story.lowest_group_sentence(table, None) == ""


def test_sentences_of_empty_tables():
    empty = fc.category_conversion(pd.DataFrame(columns=fc.CALL_COLUMNS))
    assert story.conversion_sentence(empty) == (
        "No quarter called at a past month end is over yet, so no call can be checked against what closed."
    )
    few = pd.DataFrame({"category": ["Commit"], "share_amount": [np.nan], "month_ends": [3]})
    assert story.conversion_sentence(few).startswith("Fewer than 10 deals were called in each category")
    assert story.lowest_group_sentence(empty, "team") == ""
    assert story.rollup_sentence(pd.DataFrame(columns=fc.ROLLUP_COLUMNS)) == ""


def test_the_demo_call_converts_by_category():
    started = time.perf_counter()
    demo = load_data(DEMO_DATA, DEFAULT_CONFIG, cache=True)
    calls = fc.past_calls(demo)
    company = fc.category_conversion(calls).set_index("category")
    for by in ("team", "manager"):
        table = fc.category_conversion(calls, by=by)
        shares = table[["share_amount", "share_deals"]].stack().dropna()
        assert len(shares) and shares.between(0, 1).all()
        # the groups' calls add up to the company's
        assert table.groupby("category")["amount"].sum().sort_index().tolist() == pytest.approx(
            company["amount"].sort_index().tolist()
        )
    assert company.loc["Commit", "share_amount"] > company.loc["Best Case", "share_amount"]
    assert company.loc["Best Case", "share_amount"] > company.loc["Pipeline", "share_amount"]
    assert company.loc["Commit", "share_deals"] > company.loc["Pipeline", "share_deals"]
    rollup = fc.category_rollup(demo, demo.as_of, by="team")
    total = fc.category_rollup(demo, demo.as_of)
    summed = rollup.groupby(["horizon", "category"], sort=False)["amount"].sum()
    assert summed.tolist() == pytest.approx(total.set_index(["horizon", "category"])["amount"].tolist())
    assert story.conversion_sentence(fc.category_conversion(calls)).startswith("Of the Commit called at ")
    assert time.perf_counter() - started < 10
