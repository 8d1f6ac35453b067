"""The data-health report's sentences (analyses/health/story.py) on tiny hand-made check tables: nothing found, one
row, and the usual case. Every expected figure is worked out by hand in the test."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.analyses.health import story
from salesops_helpers.analyses.health.checks import incomplete_columns

DAY = pd.Timestamp("2024-03-31")


def _coverage(*gaps: tuple[str, str, int, str]) -> pd.DataFrame:
    """date_coverage rows: opportunities.created_date without a gap, then the given (table, column, empty, gaps)."""
    rows = [("opportunities", "created_date", 0, ""), *gaps]
    return pd.DataFrame(rows, columns=["table", "column", "empty_months", "gaps"])


def _missing(*rows: tuple[str, bool, bool, int, float]) -> pd.DataFrame:
    """missing_values rows (column, required, present, missing, share), all of table deals."""
    frame = pd.DataFrame(rows, columns=["column", "required", "present", "missing", "share"])
    return frame.assign(table="deals", note="")


def _deals(*amounts: float) -> pd.DataFrame:
    """Deals with the given amounts, one owner each."""
    return pd.DataFrame({"owner": [f"Rep {i}" for i in range(len(amounts))], "amount": list(amounts)})


def test_the_source_sentence_names_the_company_folder_day_and_period():
    sentence = story.source_sentence("Acme", "demo", pd.Timestamp("2024-04-15"), "March 2024")
    assert sentence == (
        "Data for Acme, read from demo, runs up to 2024-04-15. Stages and open deals below are as the data stands on "
        "that day; overdue deals are judged against the end of March 2024."
    )


def test_coverage_without_a_gap_says_so():
    assert story.coverage_sentence(_coverage()) == (
        "Every table has rows in every month of its span: no gaps in the export."
    )


def test_coverage_lists_each_column_with_empty_months():
    coverage = _coverage(
        ("activities", "occurred_at", 1, "2024-02"), ("quotas", "period_start", 3, "2023-05 to 2023-07")
    )
    assert story.coverage_sentence(coverage) == (
        "2 date column(s) have months without a single row, a sign of an incomplete export: "
        "activities.occurred_at: 2024-02; quotas.period_start: 2023-05 to 2023-07"
    )


def test_the_volume_title_names_the_span_and_the_busiest_month():
    volume = pd.DataFrame(
        {"month": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]), "created": [2, 1_204, 7]}
    )
    assert story.volume_title(volume) == "Deals created per month, Jan 2024 to Mar 2024: most in Feb 2024 (1,204)"


def test_the_volume_title_of_a_first_month_and_of_no_month():
    first = pd.DataFrame({"month": pd.to_datetime(["2024-03-01"]), "created": [1]})
    assert story.volume_title(first) == "Deals created per month, Mar 2024 to Mar 2024: most in Mar 2024 (1)"
    empty = pd.DataFrame({"month": pd.to_datetime([]), "created": []})
    assert story.volume_title(empty) == "No deal was created or closed in the data"


def test_the_quality_log_sentence_counts_kinds_of_problem():
    assert story.quality_log_sentence(pd.DataFrame(columns=["severity", "count"])) == "Loading found no problem at all."
    log = pd.DataFrame({"severity": ["warning", "error"], "count": [3, 1]})
    assert story.quality_log_sentence(log) == "Loading recorded 2 kind(s) of problem."


def test_missing_values_when_every_column_is_filled():
    missing = _missing(("amount", True, True, 0, 0.0), ("stage", True, True, 0, 0.0))
    assert story.missing_values_sentence(missing) == "All 2 columns are completely filled."


def test_missing_values_counts_columns_with_empty_cells_and_columns_not_in_the_file():
    # 4 columns: amount and stage filled, lost_reason with 2 empty cells, segment absent from the file -> 2 of 4
    missing = _missing(
        ("amount", True, True, 0, 0.0),
        ("lost_reason", False, True, 2, 0.5),
        ("segment", False, False, 4, 1.0),
        ("stage", True, True, 0, 0.0),
    )
    assert story.missing_values_sentence(missing) == (
        "2 of 4 columns are completely filled; the 2 others are listed below."
    )


def test_missing_values_with_one_column_left_out():
    missing = _missing(("amount", True, True, 0, 0.0), ("segment", False, False, 1, 1.0))
    assert story.missing_values_sentence(missing) == "1 of 2 columns are completely filled; the other is listed below."


def test_incomplete_columns_lists_required_columns_first_then_the_emptiest():
    missing = _missing(
        ("lost_reason", False, True, 2, 0.5),
        ("amount", True, True, 1, 0.25),
        ("stage", True, True, 0, 0.0),
        ("segment", False, False, 4, 1.0),
    )
    assert list(incomplete_columns(missing)["column"]) == ["amount", "segment", "lost_reason"]


def test_the_duplicates_sentence_sums_the_rows_dropped_over_the_tables():
    none = pd.DataFrame({"table": ["deals", "reps"], "dropped": [0, 0]})
    assert story.duplicates_sentence(none) == "No file repeated a row."
    some = pd.DataFrame({"table": ["deals", "reps"], "dropped": [1_200, 3]})
    assert story.duplicates_sentence(some) == "Loading dropped 1,203 exact copies of earlier rows."
    one = pd.DataFrame({"table": ["deals", "reps"], "dropped": [0, 1]})
    assert story.duplicates_sentence(one) == "Loading dropped 1 exact copy of earlier rows."


def test_the_open_value_title_names_the_stage_holding_most():
    stages = pd.DataFrame({"stage": ["Discovery", "Proposal", "Negotiation"], "amount": [2_000.0, 45_000.0, 3_000.0]})
    # 2,000 + 45,000 + 3,000 = 50,000
    assert story.open_value_title(stages, "USD") == "Most open value sits in Proposal: $45k of $50k"


def test_the_open_value_title_of_one_stage_and_of_none():
    one = pd.DataFrame({"stage": ["Proposal"], "amount": [950.0]})
    assert story.open_value_title(one, "EUR") == "Most open value sits in Proposal: €950 of €950"
    assert story.open_value_title(one.iloc[0:0], "USD") == "No open deals"


def test_past_due_deals_none_one_and_several():
    assert story.past_due_sentence(_deals(), DAY, "USD") == "No open deal had a close date before 2024-03-31."
    assert story.past_due_sentence(_deals(5_000.0), DAY, "USD") == (
        "1 open deal worth $5.0k had a close date before 2024-03-31, listed below, the largest first."
    )
    # 319,000 + 94,000 + 1,000 = 414,000
    assert story.past_due_sentence(_deals(319_000.0, 94_000.0, 1_000.0), DAY, "USD") == (
        "3 open deals worth $414k had a close date before 2024-03-31, listed below, the largest first."
    )


def test_deals_without_an_amount():
    assert story.no_amount_sentence(_deals()) == "Every deal has an amount."
    assert story.no_amount_sentence(_deals(0.0)) == (
        "1 deal has no amount (or 0); it counts as a deal but adds nothing to value."
    )
    assert story.no_amount_sentence(_deals(0.0, float("nan"))) == (
        "2 deals have no amount (or 0); they count as deals but add nothing to value."
    )
