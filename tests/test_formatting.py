"""The words reports write figures in: one pluraliser, one month name, one signed change, one day name."""

from __future__ import annotations

import datetime

import pandas as pd
import pytest

from salesops_helpers import formatting


@pytest.mark.parametrize(
    ("number", "noun", "plural_noun", "expected"),
    [
        (1, "deal", "", "1 deal"),
        (0, "deal", "", "0 deals"),
        (2, "deal", "", "2 deals"),
        (1, "exact copy", "exact copies", "1 exact copy"),
        (3, "exact copy", "exact copies", "3 exact copies"),
        (12500, "rep", "", "12,500 reps"),
    ],
)
def test_plural_takes_the_singular_for_one_and_separates_thousands(number, noun, plural_noun, expected):
    assert formatting.plural(number, noun, plural_noun) == expected


@pytest.mark.parametrize(
    ("period", "full", "expected"),
    [("2026-09", False, "Sep 2026"), ("2026-09", True, "September 2026"), ("FY2027 Q3", False, "FY2027 Q3")],
)
def test_month_name_writes_a_month_as_readers_do_and_leaves_other_labels(period, full, expected):
    assert formatting.month_name(period, full=full) == expected


@pytest.mark.parametrize(("share", "expected"), [(0.18, "+18%"), (-0.5, "−50%"), (1.04, "+104%")])
def test_signed_percent_carries_its_sign_with_a_true_minus(share, expected):
    assert formatting.signed_percent(share) == expected


def test_day_name_drops_the_leading_zero_for_timestamps_and_dates():
    assert formatting.day_name(pd.Timestamp("2026-10-05 13:45")) == "5 Oct 2026"
    assert formatting.day_name(datetime.date(2026, 1, 31)) == "31 Jan 2026"


@pytest.mark.parametrize("missing", [None, float("nan")])
def test_every_figure_formatter_writes_a_missing_value_as_a_dash(missing):
    shown = [formatting.money(missing), formatting.percent(missing), formatting.count(missing)]
    shown += [formatting.days(missing), formatting.ratio(missing), formatting.change(missing, "currency")]
    assert shown == ["–"] * 6


@pytest.mark.parametrize(
    ("items", "commas", "prose"),
    [
        (["Ana"], "Ana", "Ana"),
        (["Ana", "Ben"], "Ana, Ben", "Ana and Ben"),
        (["Ana", "Ben", "Cy"], "Ana, Ben, Cy", "Ana, Ben and Cy"),
        ([f"R{i}" for i in range(1, 9)], "R1, R2, R3, R4, R5, R6, R7, R8", "R1, R2, R3, R4, R5, R6, R7 and R8"),
        ([f"R{i}" for i in range(1, 1211)], "R1, R2, R3, R4, R5, R6, R7, R8 and 1,202 more", None),
    ],
)
def test_a_list_of_names_is_cut_after_eight_with_how_many_more(items, commas, prose):
    assert formatting.names(items) == commas
    assert formatting.listed(items) == (prose or commas)
