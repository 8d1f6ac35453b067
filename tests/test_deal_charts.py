"""The deal inspection's charts (report 06): the reliability diagram, how much of each call closed, the roll-up of
the call, each drawn from a tiny hand-made table."""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from salesops_helpers.analyses.deals.categories import TOO_FEW
from salesops_helpers.presentation import style
from salesops_helpers.presentation.charts import deals as charts

CALL = ["Commit", "Best Case", "Pipeline"]


@pytest.fixture(autouse=True)
def closed_figures() -> Iterator[None]:
    """Close every figure after each test (the charts make theirs outside pyplot; this also catches any that is not)."""
    yield
    plt.close("all")


def _labels(axes: Axes) -> list[str]:
    return [label.get_text() for label in axes.get_yticklabels()]


def _bars(axes: Axes) -> list[Rectangle]:
    return [patch for patch in axes.patches if isinstance(patch, Rectangle)]


def _texts(axes: Axes) -> list[str]:
    return [text.get_text() for text in axes.texts]


def _ticks(axes: Axes, which: str) -> list[str]:
    axes.figure.draw_without_rendering()
    axis = axes.xaxis if which == "x" else axes.yaxis
    low, high = sorted(axis.get_view_interval())
    return [
        label.get_text()
        for tick, label in zip(axis.get_majorticklocs(), axis.get_majorticklabels(), strict=False)
        if low - 1e-9 <= tick <= high + 1e-9
    ]


def test_the_chart_functions_draw_in_the_theme_outside_pyplot():
    themed_code = style.themed(Figure).__code__
    for chart in (charts.calibration_chart, charts.conversion_chart, charts.rollup_chart):
        assert chart.__code__ is themed_code, chart.__name__
    figure = charts.calibration_chart(_reliability(), "x")
    assert isinstance(figure, Figure) and plt.get_fignums() == []


# --- calibration ----------------------------------------------------------------------------------------------------


def _reliability(bins: int = 4) -> pd.DataFrame:
    """reliability()'s shape: bins of predicted probability, one empty (0 deals) and left out of the chart."""
    deals = [120, 0, 40, 15, *([10] * (bins - 4))]
    predicted = [0.05, np.nan, 0.55, 0.92, *np.linspace(0.15, 0.45, bins - 4)]
    observed = [0.03, np.nan, 0.45, 0.80, *np.linspace(0.1, 0.5, bins - 4)]
    index = pd.Index([f"{i * 10}%-{i * 10 + 10}%" for i in range(bins)], name="predicted probability")
    return pd.DataFrame({"deals": deals, "predicted": predicted, "observed": observed}, index=index)


def test_calibration_chart_draws_the_diagonal_and_one_point_per_bin_with_deals():
    table = _reliability()
    figure = charts.calibration_chart(table, "Deals given 50%-60% won 45%")
    axes = figure.axes[0]
    assert " ".join(axes.get_title(loc="left").split()) == "Deals given 50%-60% won 45%"
    diagonal = [line for line in axes.get_lines() if line.get_label() == "perfectly calibrated"]
    assert len(diagonal) == 1
    assert list(diagonal[0].get_xdata()) == [0, 1] and list(diagonal[0].get_ydata()) == [0, 1]
    (points,) = axes.collections
    assert points.get_offsets().tolist() == [[0.05, 0.03], [0.55, 0.45], [0.92, 0.80]]  # the empty bin left out
    sizes = points.get_sizes()
    assert sizes[0] > sizes[1] > sizes[2]  # 120, 40 and 15 deals
    assert _texts(axes) == ["120", "40", "15"]
    assert axes.get_xlim() == (0, 1) and axes.get_ylim() == (0, 1)
    assert axes.get_xlabel() == "Predicted win probability" and axes.get_ylabel() == "Share won"
    assert _ticks(axes, "x") == ["0%", "20%", "40%", "60%", "80%", "100%"] == _ticks(axes, "y")
    assert _hex(points.get_facecolor()[0]) == style.ACTUAL


def test_calibration_chart_keeps_its_size_and_draws_no_points_without_scored_deals():
    small, large = charts.calibration_chart(_reliability(), "a"), charts.calibration_chart(_reliability(10), "b")
    assert tuple(small.get_size_inches()) == tuple(large.get_size_inches()) == charts.CALIBRATION_SIZE
    assert len(large.axes[0].collections[0].get_offsets()) == 9
    empty = charts.calibration_chart(_reliability().iloc[[1]], "No deal scored yet").axes[0]
    assert len(empty.collections) == 0 and "no scored deals" in _texts(empty)
    assert any(line.get_label() == "perfectly calibrated" for line in empty.get_lines())
    # the report's table when nothing was backtested: no columns at all
    assert len(charts.calibration_chart(pd.DataFrame(), "No backtest").axes[0].collections) == 0


# --- conversion -----------------------------------------------------------------------------------------------------


def _conversion(shares: dict[str, list[float]]) -> pd.DataFrame:
    """category_conversion's columns that the chart reads, a row per group and category; NaN with the small-sample
    note."""
    rows = [
        {
            "group": group,
            "category": category,
            "share_amount": share,
            "note": TOO_FEW if np.isnan(share) else "",
        }
        for group, values in shares.items()
        for category, share in zip(CALL, values, strict=True)
    ]
    return pd.DataFrame(rows)


def _hex(colour: object) -> str:
    return to_hex(colour, keep_alpha=False)


def test_conversion_chart_draws_the_company_in_call_order_and_a_share_not_meaningful_as_no_bar():
    table = _conversion({"Company": [0.72, 0.38, np.nan]})
    table = pd.concat([table, pd.DataFrame([{"group": "Company", "category": "Omitted", "share_amount": 0.1}])])
    figure = charts.conversion_chart(table, "72% of the Commit closed within its quarter")
    axes = figure.axes[0]
    assert _labels(axes) == CALL
    assert tuple(figure.get_size_inches()) == charts.CONVERSION_SIZE
    bars = _bars(axes)
    assert [round(bar.get_width(), 2) for bar in bars] == [0.72, 0.38]  # no bar for Pipeline, none for Omitted
    assert [_hex(bar.get_facecolor()) for bar in bars] == [style.ACTUAL, style.SKY_BLUE]
    assert [bar.get_y() + bar.get_height() / 2 for bar in bars] == [0, 1]  # Commit's row, Best Case's row
    assert _texts(axes) == ["72%", "38%", TOO_FEW]
    assert axes.yaxis_inverted()  # Commit on top
    assert axes.get_xlabel() == "Share of the called amount won within its quarter (%)"
    assert _ticks(axes, "x") == ["0%", "25%", "50%", "75%", "100%"]


def test_conversion_chart_per_group_keeps_the_company_and_the_lowest_and_highest_commit_shares():
    shares = {"Company": [0.6, 0.4, 0.1]}
    # Commit shares 0.10, 0.12, ... 0.88; every fifth team's Best Case not meaningful
    for i in range(40):
        shares[f"Team {i:02d}"] = [0.10 + 0.02 * i, np.nan if i % 5 == 0 else 0.3, 0.05]
    figure = charts.conversion_chart(_conversion(shares), "Team 00's Commit closed at 10%", most_groups=12)
    axes = figure.axes[0]
    shown = _labels(axes)
    assert len(shown) == 12 and shown[0] == "Company"
    assert "Team 00" in shown and "Team 39" in shown  # the lowest and the highest Commit share
    # taken alternately: 00, 39, 01, 38, ... up to 11 beside the company; shown lowest first
    assert shown[1:] == [f"Team {i:02d}" for i in (0, 1, 2, 3, 4, 5, 35, 36, 37, 38, 39)]
    assert "12 of 41 groups" in axes.get_xlabel()
    bars = _bars(axes)
    # three bars a group, less the Best Case bars not meaningful (Teams 00, 05 and 35 among those shown)
    assert len(bars) == 12 * 3 - 3
    assert _texts(axes).count("too few deals") == 3
    legend = figure.legends[0]
    assert [text.get_text() for text in legend.get_texts()] == CALL


def test_conversion_chart_never_grows_with_the_number_of_groups():
    few = charts.conversion_chart(_conversion({"East": [0.5, 0.3, 0.1], "West": [0.7, 0.2, 0.1]}), "a")
    many = charts.conversion_chart(_conversion({f"T{i}": [i / 50, 0.2, 0.1] for i in range(40)}), "b")
    assert tuple(few.get_size_inches()) == tuple(many.get_size_inches()) == charts.GROUPS_SIZE
    assert _labels(few.axes[0]) == ["East", "West"] and "groups" not in few.axes[0].get_xlabel()
    assert len(_labels(many.axes[0])) == charts.MOST_GROUPS


def test_shown_groups_alternate_from_the_lowest_and_highest_and_list_them_lowest_first():
    table = _conversion(
        {
            "Company": [0.5, 0.3, 0.1],
            "A": [0.9, 0.3, 0.1],
            "B": [0.2, 0.3, 0.1],
            "C": [np.nan, 0.3, 0.1],
            "D": [0.4, 0.3, 0.1],
            "E": [0.6, 0.3, 0.1],
        }
    )
    assert charts.shown_groups(table, 3) == ["Company", "B", "A"]
    assert charts.shown_groups(table, 4) == ["Company", "B", "D", "A"]
    # a group without a meaningful Commit share comes only once every measured group is in, last
    assert charts.shown_groups(table, 6) == ["Company", "B", "D", "E", "A", "C"]
    assert charts.shown_groups(table[table["group"] != "Company"], 2) == ["B", "A"]


# --- roll-up --------------------------------------------------------------------------------------------------------

STACKED = ["Closed", "Commit", "Best Case", "Pipeline"]


def _rollup() -> pd.DataFrame:
    """category_rollup's rows for the company and a team (this quarter and next), and an older day to ignore."""
    amounts = {
        ("this quarter", "FY2027 Q3"): [4e5, 3e5, 2e5, 5e5, 1e5],
        ("next quarter", "FY2027 Q4"): [0.0, 1e5, 3e5, 8e5, 2e5],
    }
    rows = []
    for day, group, scale in [
        ("2026-09-15", "Company", 1.0),
        ("2026-09-15", "East", 0.5),
        ("2026-08-31", "Company", 9),
    ]:
        for (horizon, quarter), values in amounts.items():
            for category, amount in zip([*STACKED, "Omitted"], values, strict=True):
                rows.append(
                    {
                        "day": pd.Timestamp(day),
                        "horizon": horizon,
                        "quarter": quarter,
                        "group": group,
                        "category": category,
                        "amount": amount * scale,
                        "deals": 3,
                    }
                )
    return pd.DataFrame(rows)


def test_rollup_chart_stacks_closed_then_the_call_for_the_company_on_the_latest_day():
    figure = charts.rollup_chart(_rollup(), "USD", "Closed and Commit make $700k")
    axes = figure.axes[0]
    assert tuple(figure.get_size_inches()) == charts.ROLLUP_SIZE
    assert _labels(axes) == ["FY2027 Q3\nthis quarter: $1.4M", "FY2027 Q4\nnext quarter: $1.2M"]
    bars = _bars(axes)
    assert len(bars) == 2 * len(STACKED)
    this = [bar for bar in bars if abs(bar.get_y() + bar.get_height() / 2) < 1e-9]
    assert [_hex(bar.get_facecolor()) for bar in this] == [
        style.WON,
        style.ACTUAL,
        style.SKY_BLUE,
        style.NEUTRAL,
    ]
    # each segment starts where the one before it ends; the bar is as long as the four categories (not Omitted)
    assert [bar.get_x() for bar in this] == [0, 4e5, 7e5, 9e5]
    assert [bar.get_width() for bar in this] == [4e5, 3e5, 2e5, 5e5]
    assert this[-1].get_x() + this[-1].get_width() == 1.4e6
    following = [bar for bar in bars if abs(bar.get_y() + bar.get_height() / 2 - 1) < 1e-9]
    assert following[-1].get_x() + following[-1].get_width() == 1.2e6
    assert axes.yaxis_inverted()  # this quarter on top
    assert axes.get_xlabel() == "Amount closed and called in the quarter (USD)"
    assert all(label.startswith("$") for label in _ticks(axes, "x"))
    assert [text.get_text() for text in figure.legends[0].get_texts()] == STACKED
    assert not any(line.get_label() == "target" for line in axes.get_lines())


def test_rollup_chart_marks_the_target_across_this_quarters_bar_only():
    figure = charts.rollup_chart(_rollup(), "EUR", "The call reaches 93% of the target", target=1.5e6)
    axes = figure.axes[0]
    (target,) = [line for line in axes.get_lines() if line.get_label() == "target"]
    assert isinstance(target, Line2D) and list(target.get_xdata()) == [1.5e6, 1.5e6]
    low, high = sorted(target.get_ydata())
    assert -0.5 < low < 0 < high < 0.5  # the first row (this quarter), short of the next quarter's at 1
    assert _hex(target.get_color()) == style.TARGET and target.get_linestyle() == "--"
    assert axes.get_xlim()[1] >= 1.5e6
    assert [text.get_text() for text in figure.legends[0].get_texts()] == [*STACKED, "target"]
    assert all(label.startswith("€") for label in _ticks(axes, "x"))


def test_rollup_chart_marks_the_target_on_the_quarter_it_is_for():
    # on a quarter's last day the quarter being sold into is the roll-up's next quarter
    axes = charts.rollup_chart(_rollup(), "USD", "t", target=2e6, target_quarter="FY2027 Q4").axes[0]
    (target,) = [line for line in axes.get_lines() if line.get_label() == "target"]
    low, high = sorted(target.get_ydata())
    assert 0.5 < low < 1 < high < 1.5
    unknown = charts.rollup_chart(_rollup(), "USD", "t", target=2e6, target_quarter="FY2028 Q1").axes[0]
    assert not any(line.get_label() == "target" for line in unknown.get_lines())
