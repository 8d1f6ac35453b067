"""The reports' one look: palette, role and team colours, theme, axis formats, and every chart function built on
tiny hand-made tables."""

from __future__ import annotations

import inspect
import re

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from salesops_helpers.presentation import style
from salesops_helpers.presentation.charts import deals as deal_charts
from salesops_helpers.presentation.charts import forecast as forecast_charts
from salesops_helpers.presentation.charts import general as charts
from salesops_helpers.presentation.charts import process as process_charts
from salesops_helpers.presentation.charts import team as team_charts

MONTHS = pd.date_range("2026-01-01", periods=6, freq="MS")
# "$" then 0, or a number with k or M: $0, $500k, $1.0M
DOLLAR_TICK = re.compile(r"^\$(0|\d+(\.\d)?[kM])$")
EURO_TICK = re.compile(r"^€(0|\d+(\.\d)?[kM])$")


def _ticks(axis: Axis) -> list[str]:
    """The tick labels a reader sees on an axis, once the figure is laid out."""
    axis.axes.figure.draw_without_rendering()
    low, high = sorted(axis.get_view_interval())
    return [
        label.get_text()
        for tick, label in zip(axis.get_major_locator()(), axis.get_majorticklabels(), strict=False)
        if low - 1e-9 <= tick <= high + 1e-9 and label.get_text()
    ]


def _title(axes: Axes) -> str:
    """The left title as one line (titles wrap to the figure's width)."""
    return " ".join(axes.get_title(loc="left").split())


def _hex(colour: object) -> str:
    return to_hex(colour, keep_alpha=False)


def _plain(axes: Axes, title: str) -> None:
    """What every single-axes chart shares: its finding as the left title, no centred title, no top or right spine,
    a legend (if any) without a frame."""
    assert _title(axes) == title
    assert axes.get_title(loc="center") == ""
    assert not axes.spines["top"].get_visible() and not axes.spines["right"].get_visible()
    legend = axes.get_legend()
    assert legend is None or not legend.get_frame_on()


def _money_ticks(axis: Axis, pattern: re.Pattern[str] = DOLLAR_TICK) -> list[str]:
    """The currency ticks of an axis, checked to carry the currency symbol and a k/M abbreviation."""
    labels = _ticks(axis)
    assert labels and all(pattern.match(label) for label in labels), labels
    return labels


# --- palette and colours ------------------------------------------------------------------------------------------


def test_the_palette_is_seaborns_colour_blind_palette_and_every_role_colour_comes_from_it_or_is_grey():
    assert style.PALETTE_NAME == "colorblind"
    assert sns.color_palette("colorblind").as_hex() == style.PALETTE
    for role, colour in style.ROLE_COLOURS.items():
        red, green, blue = mpl.colors.to_rgb(colour)
        is_grey = red == green == blue
        assert colour in style.PALETTE or is_grey, role
    assert set(style.CATEGORY_COLOURS) <= set(style.PALETTE)
    assert style.NEUTRAL not in style.CATEGORY_COLOURS, "grey means neutral, never a team"


def test_won_lost_and_open_are_three_different_palette_colours_and_actual_forecast_target_differ():
    outcomes = [style.OUTCOME_COLOURS[key] for key in ("won", "lost", "open")]
    assert outcomes == [style.WON, style.LOST, style.OPEN]
    assert len(set(outcomes)) == 3
    assert len({style.ACTUAL, style.FORECAST, style.TARGET, style.BASELINE}) == 4
    # green for won, vermillion for lost: the pair colour-blind readers can still tell apart (no red against green)
    assert sns.color_palette("colorblind").as_hex()[2] == style.WON
    assert sns.color_palette("colorblind").as_hex()[3] == style.LOST


def test_a_team_keeps_its_colour_whatever_order_the_names_come_in():
    assert style.team_colours(["West", "East", "North"]) == style.team_colours(["North", "West", "East", "West"])
    # sorted: East, North, West -> the first three category colours
    assert style.team_colours(["West", "East", "North"]) == {
        "East": style.CATEGORY_COLOURS[0],
        "North": style.CATEGORY_COLOURS[1],
        "West": style.CATEGORY_COLOURS[2],
    }


@pytest.mark.parametrize("teams", [8, 9, 12])
def test_up_to_a_dozen_teams_all_get_different_colours(teams):
    names = [f"Team {chr(65 + i)}" for i in range(teams)]
    colours = style.team_colours(names)
    assert len(set(colours.values())) == teams
    # the first nine come from the colour-blind palette
    assert [colours[name] for name in sorted(names)][:9] == style.CATEGORY_COLOURS[: min(teams, 9)]


def test_category_colours_can_leave_out_a_colour_already_used_on_the_chart():
    colours = style.category_colours(["a", "b"], avoid=[style.ACTUAL])
    assert style.ACTUAL not in colours.values()
    assert colours == {"a": style.CATEGORY_COLOURS[1], "b": style.CATEGORY_COLOURS[2]}


# --- theme ----------------------------------------------------------------------------------------------------------


def test_use_theme_sets_the_rcparams_the_reports_rely_on():
    with mpl.rc_context(rc=mpl.rcParamsDefault):
        style.use_theme()
        rc = mpl.rcParams
        assert rc["figure.dpi"] == 100 and rc["savefig.dpi"] == 100
        assert rc["axes.titlelocation"] == "left"
        assert rc["axes.spines.top"] is False and rc["axes.spines.right"] is False
        assert rc["axes.grid"] is True and rc["grid.color"] == "#ebebeb" and rc["grid.linewidth"] == 0.7
        assert rc["legend.frameon"] is False
        assert rc["axes.titlesize"] == 12.5 and rc["axes.labelsize"] == 10
        assert rc["xtick.labelsize"] == 9 and rc["ytick.labelsize"] == 9
        assert [_hex(c) for c in rc["axes.prop_cycle"].by_key()["color"]] == style.CATEGORY_COLOURS
        assert rc["text.parse_math"] is False


def test_use_report_style_applies_the_theme():
    from salesops_helpers.presentation.report import use_report_style

    with mpl.rc_context(rc=mpl.rcParamsDefault), pd.option_context("display.max_columns", 5, "display.width", 80):
        use_report_style()
        assert mpl.rcParams["axes.titlelocation"] == "left" and mpl.rcParams["figure.dpi"] == 100
        assert mpl.rcParams["axes.spines.top"] is False


def test_a_chart_has_the_theme_even_when_the_caller_never_set_it():
    with mpl.rc_context(rc=mpl.rcParamsDefault):
        figure = charts.monthly_volume_chart(_volume(), "Title")
        axes = figure.axes[0]
        figure.draw_without_rendering()  # ticks drawn here, under matplotlib's defaults, still follow the theme
        labels = axes.yaxis.get_majorticklabels()
        assert len(labels) > 2 and {label.get_fontsize() for label in labels} == {9}
        assert {_hex(tick.gridline.get_color()) for tick in axes.yaxis.get_major_ticks()} == {"#ebebeb"}
        assert not axes.spines["top"].get_visible()


# --- axis formats ---------------------------------------------------------------------------------------------------


def test_percent_ticks_use_as_few_decimals_as_the_ticks_need():
    formatter = style.percent_formatter()
    assert formatter.format_ticks([0, 0.25, 0.5]) == ["0%", "25%", "50%"]
    assert formatter.format_ticks([0, 0.025, 0.05]) == ["0.0%", "2.5%", "5.0%"]


def test_money_and_count_formatters_abbreviate_with_the_currency():
    assert style.money_formatter("USD")(1_250_000, 0) == "$1.3M"
    assert style.money_formatter("EUR")(45_000, 0) == "€45k"
    assert style.money_formatter("SEK")(500, 0) == "500 SEK"
    assert style.count_formatter()(1250, 0) == "1,250"
    assert style.money_label("Bookings", "USD") == "Bookings (USD)"


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # 6 months: every month
        ("2026-01-01", "2026-06-01", ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026", "Jun 2026"]),
        # 18 months: every third, from January
        ("2025-01-01", "2026-06-01", ["Jan 2025", "Apr 2025", "Jul 2025", "Oct 2025", "Jan 2026", "Apr 2026"]),
        # 54 months: every twelfth (every sixth would make ten ticks)
        ("2022-01-01", "2026-06-01", ["Jan 2022", "Jan 2023", "Jan 2024", "Jan 2025", "Jan 2026"]),
        # 20 years: the Januaries of years divisible by three (every second year would make ten ticks)
        (
            "2006-01-01",
            "2025-12-01",
            ["Jan 2007", "Jan 2010", "Jan 2013", "Jan 2016", "Jan 2019", "Jan 2022", "Jan 2025"],
        ),
    ],
)
def test_month_axes_tick_at_most_eight_month_starts(first, last, expected):
    _, axes = style.figure()
    axes.plot(pd.to_datetime([first, last]), [1, 2])
    axes.set_xlim(pd.Timestamp(first), pd.Timestamp(last))
    style.month_axis(axes.xaxis)
    assert _ticks(axes.xaxis) == expected


def test_long_titles_wrap_to_the_figure_without_losing_a_word():
    _, axes = style.figure(6, 3)
    words = " ".join(f"word{i}" for i in range(40))
    style.title(axes, words)
    lines = axes.get_title(loc="left").split("\n")
    assert len(lines) > 1 and all(len(line) <= 45 for line in lines)  # (6 inches - 1.5 of margin) x 10 characters
    assert " ".join(lines) == words


# --- chart functions ------------------------------------------------------------------------------------------------


def _volume() -> pd.DataFrame:
    return pd.DataFrame(
        {"month": MONTHS, "created": [10, 12, 9, 14, 11, 13], "won": [3, 4, 2, 5, 3, 4], "lost": [5, 6, 4, 6, 5, 7]}
    )


def test_monthly_volume_chart():
    figure = charts.monthly_volume_chart(_volume(), "Most deals created in Apr 2026 (14)")
    axes = figure.axes[0]
    _plain(axes, "Most deals created in Apr 2026 (14)")
    assert axes.get_ylabel() == "Deals per month (count)"
    assert {line.get_label(): _hex(line.get_color()) for line in axes.get_lines()} == {
        "created": style.OPEN,
        "won": style.WON,
        "lost": style.LOST,
    }


def test_stage_amount_chart_colours_bars_by_outcome_and_shows_euros():
    stages = pd.DataFrame(
        {
            "stage": ["Proposal", "Closed Won", "Closed Lost"],
            "outcome": ["open", "won", "lost"],
            "amount": [1.2e6, 4e5, 2e5],
        }
    )
    figure = charts.stage_amount_chart(stages, "EUR", "Proposal holds 67% of deal value")
    axes = figure.axes[0]
    _plain(axes, "Proposal holds 67% of deal value")
    assert axes.get_xlabel() == "Deal value (EUR)"
    assert [_hex(bar.get_facecolor()) for bar in axes.patches] == [style.OPEN, style.WON, style.LOST]
    assert "€1.0M" in _money_ticks(axes.xaxis, EURO_TICK)
    # each bar labelled with its amount
    assert [text.get_text() for text in axes.texts] == ["€1.2M", "€400k", "€200k"]


def test_kpi_trends_chart():
    trend = pd.DataFrame(
        {
            "period_start": MONTHS,
            "bookings": [1e5, 2e5, 1.5e5, 3e5, 2.5e5, 4e5],
            "win_rate": [0.2, 0.25, 0.3, 0.2, 0.22, 0.3],
        }
    )
    metrics = [("bookings", "Bookings", "currency"), ("win_rate", "Win rate", "share")]
    figure = charts.kpi_trends_chart(
        trend, metrics, {"bookings": 2e5, "win_rate": 0.25}, {"win_rate": 0.3}, "USD", "Bookings peaked in Jun 2026"
    )
    assert " ".join(figure.get_suptitle().split()) == "Bookings peaked in Jun 2026"
    bookings, win_rate = figure.axes[:2]
    assert bookings.get_ylabel() == "USD" and win_rate.get_ylabel() == "%"
    assert "$400k" in _money_ticks(bookings.yaxis)
    assert all(label.endswith("%") for label in _ticks(win_rate.yaxis))
    assert _hex(bookings.get_lines()[0].get_color()) == style.ACTUAL
    assert _hex(win_rate.get_lines()[-1].get_color()) == style.TARGET  # the target line
    assert not figure.legends[0].get_frame_on()


def _reps() -> pd.DataFrame:
    return pd.DataFrame({"team": ["West", "East", "East", "North", "West"], "attainment": [0.5, 0.9, 1.1, 1.6, 1.2]})


def test_attainment_histogram_keeps_each_teams_colour_when_a_team_is_missing():
    figure = team_charts.attainment_histogram(_reps(), "2 of 5 reps at or above quota")
    axes = figure.axes[0]
    _plain(axes, "2 of 5 reps at or above quota")
    assert axes.get_xlabel() == "Quota attainment (% of quota)" and axes.get_ylabel() == "Reps (count)"
    assert "100%" in _ticks(axes.xaxis) and all(label.endswith("%") for label in _ticks(axes.xaxis))
    # stacked in sorted team order: East, North, West
    drawn = [_hex(container.patches[0].get_facecolor()) for container in axes.containers]
    assert drawn == style.CATEGORY_COLOURS[:3]
    # West alone, with every team named: still West's colour, the third; and no legend for one team
    west = team_charts.attainment_histogram(
        _reps()[_reps()["team"] == "West"], "West", teams=["West", "North", "East"]
    ).axes[0]
    assert {_hex(bar.get_facecolor()) for bar in west.patches} == {style.CATEGORY_COLOURS[2]}
    assert west.get_legend() is None


def test_attainment_heatmap():
    table = pd.DataFrame(
        [[0.5, 1.0, np.nan], [1.5, 2.5, 0.8]],
        index=pd.MultiIndex.from_tuples([("East", "Ann"), ("West", "Bo")], names=["team", "rep"]),
        columns=["Aug 2026", "Sep 2026", "Oct 2026"],
    )
    figure = team_charts.attainment_heatmap(table, "Reps reached quota in 2 of 5 rep-months")
    axes = figure.axes[0]
    assert _title(axes) == "Reps reached quota in 2 of 5 rep-months"
    assert axes.get_xlabel() == "Month"
    colourbar = figure.axes[1]
    assert colourbar.get_ylabel() == "Attainment (% of monthly quota, capped at 200%)"
    assert [text.get_text() for text in axes.texts] == ["50%", "100%", "150%", "250%", "80%"]
    # below quota vermillion, above it blue: the ends of the colour map
    cmap = axes.collections[0].get_cmap()
    assert _hex(cmap(0.0)) == style.VERMILLION and _hex(cmap(1.0)) == style.BLUE


def test_ramp_chart():
    curve = pd.DataFrame({"tenure_month": [1, 2, 3, 4], "relative": [0.2, 0.5, 0.8, 0.95]})
    figure = team_charts.ramp_chart({"deals created": curve}, "New hires ramp in month 4")
    axes = figure.axes[0]
    _plain(axes, "New hires ramp in month 4")
    assert axes.get_ylabel() == "Share of an established rep's output (%)"
    assert all(label.endswith("%") for label in _ticks(axes.yaxis))
    lines = {line.get_label(): _hex(line.get_color()) for line in axes.get_lines()}
    assert lines["established rep"] == style.TARGET and lines["90%: counted as ramped"] == style.BASELINE


def test_activity_chart_colours_reps_by_team_from_all_teams():
    by_rep = pd.DataFrame(
        {"team": ["North", "North", "West"], "activities": [120, 80, 40], "bookings": [9e5, 4e5, 1.5e5]}
    )
    figure = team_charts.activity_chart(by_rep, "USD", "Busy reps book more", teams=["East", "North", "West"])
    axes = figure.axes[0]
    _plain(axes, "Busy reps book more")
    assert axes.get_xlabel() == "Activities logged (count)" and axes.get_ylabel() == "Bookings (USD)"
    _money_ticks(axes.yaxis)
    colours = {collection.get_label(): _hex(collection.get_facecolor()[0]) for collection in axes.collections}
    assert colours == {"North": style.CATEGORY_COLOURS[1], "West": style.CATEGORY_COLOURS[2]}


def test_bookings_against_quota_chart():
    months = pd.DataFrame({"period_start": MONTHS[:3], "bookings": [8e4, 1.2e5, 6e4], "quota": [1e5, 1e5, 1e5]})
    figure = team_charts.bookings_against_quota_chart(months, "USD", "Ann reached quota in 1 of 3 months")
    axes = figure.axes[0]
    _plain(axes, "Ann reached quota in 1 of 3 months")
    assert axes.get_ylabel() == "Bookings (USD)"
    assert "$100k" in _money_ticks(axes.yaxis)
    assert {_hex(bar.get_facecolor()) for bar in axes.patches} == {style.ACTUAL}
    assert _hex(axes.get_lines()[0].get_color()) == style.TARGET


def test_funnel_chart_highlights_the_stage_fewest_move_on_from():
    funnel = pd.DataFrame(
        {"stage": ["Qualify", "Propose", "Closed Won"], "reached": [100, 60, 20], "next_step": [0.6, 1 / 3, np.nan]}
    )
    figure = process_charts.funnel_chart(funnel, "20% of deals are won; Propose lets the fewest move on")
    axes = figure.axes[0]
    _plain(axes, "20% of deals are won; Propose lets the fewest move on")
    assert axes.get_xlabel() == "Deals that got at least this far (count)"
    assert [_hex(bar.get_facecolor()) for bar in axes.patches] == [style.ACTUAL, style.HIGHLIGHT, style.WON]
    assert [text.get_text() for text in axes.texts] == ["100  (60% moved on)", "60  (33% moved on)", "20"]


def test_time_in_stage_chart():
    times = pd.DataFrame({"stage": ["Qualify", "Propose"], "km_p90": [40.0, 75.0], "naive_p90": [30.0, 50.0]})
    figure = process_charts.time_in_stage_chart(times, "One Propose stay in ten lasts over 75 days")
    axes = figure.axes[0]
    _plain(axes, "One Propose stay in ten lasts over 75 days")
    assert axes.get_xlabel() == "Time in the stage, p90 (days)"
    assert [_hex(bar.get_facecolor()) for bar in axes.patches] == [style.ACTUAL] * 2 + [style.NEUTRAL] * 2
    assert not figure.legends[0].get_frame_on()


def test_waterfall_chart_draws_won_and_lost_in_their_colours():
    table = pd.DataFrame(
        {
            "component": ["opening", "new", "won", "lost", "pushed out", "closing"],
            "amount": [1_000_000.0, 300_000.0, -400_000.0, -200_000.0, -100_000.0, 600_000.0],
        }
    )
    figure = process_charts.waterfall_chart(table, "USD", "$1.0M was due: $400k won")
    axes = figure.axes[0]
    _plain(axes, "$1.0M was due: $400k won")
    assert axes.get_ylabel() == "Open pipeline due in the period (USD)"
    assert "$1.0M" in _money_ticks(axes.yaxis)
    colours = [_hex(bar.get_facecolor()) for bar in axes.patches]
    assert colours == [style.ACTUAL, style.OPEN, style.WON, style.LOST, style.NEUTRAL, style.ACTUAL]
    # flows float: won starts where opening + new (1.3M) ends and goes down 400k
    assert axes.patches[2].get_y() == pytest.approx(900_000) and axes.patches[2].get_height() == pytest.approx(400_000)


def test_pushes_chart():
    per_rep = pd.DataFrame({"rep": ["Ann", "Bo", "Cy"], "pushes_per_deal": [2.5, 1.0, 0.5]})
    figure = process_charts.pushes_chart(per_rep, "Ann pushes close dates 2.5 times per deal, the most of any rep")
    axes = figure.axes[0]
    _plain(axes, "Ann pushes close dates 2.5 times per deal, the most of any rep")
    assert axes.get_xlabel() == "Close-date pushes per deal"
    assert [_hex(bar.get_facecolor()) for bar in axes.patches] == [style.HIGHLIGHT, style.ACTUAL, style.ACTUAL]
    assert axes.get_lines()[0].get_label() == "median 1.0"


def _history() -> pd.Series:
    return pd.Series([2e5, 3e5, 2.5e5, 4e5, 3.5e5, 5e5], index=MONTHS)


def test_forecast_chart():
    ahead = pd.DataFrame(
        {
            "month": pd.date_range("2026-07-01", periods=2, freq="MS"),
            "forecast": [5e5, 5.5e5],
            "lower_80": [4e5, 4.2e5],
            "upper_80": [6e5, 6.8e5],
            "lower_95": [3e5, 3.2e5],
            "upper_95": [7e5, 8e5],
        }
    )
    figure = forecast_charts.forecast_chart(_history(), ahead, "USD", "$1.1M forecast for the next 2 months")
    axes = figure.axes[0]
    _plain(axes, "$1.1M forecast for the next 2 months")
    assert axes.get_ylabel() == "Bookings (USD)"
    assert any(label.endswith("k") for label in _money_ticks(axes.yaxis))
    months = _ticks(axes.xaxis)
    assert len(months) >= 3 and all(re.match(r"^[A-Z][a-z]{2} 20\d\d$", label) for label in months), months
    lines = {line.get_label(): _hex(line.get_color()) for line in axes.get_lines()}
    assert lines == {"bookings": style.ACTUAL, "forecast": style.FORECAST}
    assert {_hex(band.get_facecolor()[0]) for band in axes.collections} == {style.FORECAST}


def test_horizon_chart_gives_each_model_a_stable_colour_and_the_default_a_bold_line():
    by_horizon = pd.DataFrame({"horizon": [1, 2, 3], "naive": [1.2, 1.3, 1.4], "ETS": [0.8, 0.9, 1.0]})
    figure = forecast_charts.horizon_chart(by_horizon, "ETS", "ETS has the lowest error (MASE 0.90)")
    axes = figure.axes[0]
    _plain(axes, "ETS has the lowest error (MASE 0.90)")
    assert axes.get_xlabel() == "Months ahead" and axes.get_ylabel() == "MASE (lower is better)"
    lines = {line.get_label(): line for line in axes.get_lines()}
    # sorted: ETS, naive
    assert _hex(lines["ETS (default)"].get_color()) == style.CATEGORY_COLOURS[0]
    assert _hex(lines["naive"].get_color()) == style.CATEGORY_COLOURS[1]
    assert lines["ETS (default)"].get_linewidth() > lines["naive"].get_linewidth()


def test_methods_chart():
    methods = pd.DataFrame(
        {
            "method": ["stage-weighted", "blend"],
            "forecast": [1.1e6, 1.3e6],
            "lower_80": [np.nan, 1.0e6],
            "upper_80": [np.nan, 1.6e6],
        }
    )
    figure = forecast_charts.methods_chart(methods, 1.5e6, "USD", "The methods say $1.1M to $1.3M; target $1.5M")
    axes = figure.axes[0]
    _plain(axes, "The methods say $1.1M to $1.3M; target $1.5M")
    assert axes.get_xlabel() == "Bookings in the quarter (USD)"
    assert any(label.endswith("M") for label in _money_ticks(axes.xaxis))
    assert {_hex(bar.get_facecolor()) for bar in axes.patches} == {style.FORECAST}
    target = next(line for line in axes.get_lines() if line.get_label() == "target")
    assert _hex(target.get_color()) == style.TARGET


def test_history_chart():
    compared = pd.DataFrame(
        {
            "kind": ["month"] * 4,
            "start": [MONTHS[0], MONTHS[0], MONTHS[1], MONTHS[1]],
            "actual": [2e5, 2e5, 3e5, 3e5],
            "method": ["ETS", "blend", "ETS", "blend"],
            "forecast": [2.2e5, 1.8e5, 2.9e5, 3.4e5],
        }
    )
    figure = forecast_charts.history_chart(compared, "USD", "Earlier forecasts: WAPE 5% for the best method")
    axes = figure.axes[0]
    _plain(axes, "Earlier forecasts: WAPE 5% for the best method")
    assert axes.get_ylabel() == "Bookings (USD)"
    _money_ticks(axes.yaxis)
    assert _hex(axes.get_lines()[0].get_color()) == style.ACTUAL
    methods = {collection.get_label(): _hex(collection.get_facecolor()[0]) for collection in axes.collections}
    assert style.ACTUAL not in methods.values() and len(set(methods.values())) == 2


def test_scenario_chart():
    drawn = pd.DataFrame(
        {"month": pd.date_range("2026-07-01", periods=2, freq="MS"), "forecast": [5e5, 5.5e5], "scenario": [6e5, 6e5]}
    )
    figure = forecast_charts.scenario_chart(_history(), drawn, "GBP", "Scenario against the forecast")
    axes = figure.axes[0]
    _plain(axes, "Scenario against the forecast")
    assert axes.get_ylabel() == "Bookings (GBP)"
    assert all(label.startswith("£") for label in _ticks(axes.yaxis))
    lines = {line.get_label(): _hex(line.get_color()) for line in axes.get_lines()}
    assert lines == {"bookings": style.ACTUAL, "forecast": style.FORECAST, "scenario": style.HIGHLIGHT}


def test_groups_chart_uses_the_team_colours_and_no_legend_for_one_team():
    wide = pd.DataFrame({"West": [1e5, 2e5, 3e5], "East": [2e5, 1e5, 2e5]}, index=MONTHS[:3])
    figure = forecast_charts.groups_chart(wide, "USD", "West booked the most", teams=["East", "North", "West"])
    axes = figure.axes[0]
    _plain(axes, "West booked the most")
    assert axes.get_ylabel() == "Bookings (USD)"
    _money_ticks(axes.yaxis)
    lines = {line.get_label(): _hex(line.get_color()) for line in axes.get_lines()}
    assert lines == {"West": style.CATEGORY_COLOURS[2], "East": style.CATEGORY_COLOURS[0]}
    alone = forecast_charts.groups_chart(wide[["West"]], "USD", "West alone").axes[0]
    assert alone.get_legend() is None


def test_every_chart_function_is_drawn_in_the_theme():
    """Every public function of the chart modules that returns a figure is wrapped by style.themed."""
    modules = (charts, team_charts, process_charts, forecast_charts, deal_charts)
    themed_code = style.themed(Figure).__code__  # every themed wrapper runs this one code object
    themed = {}
    for module in modules:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            if inspect.signature(function, eval_str=True).return_annotation is Figure:
                themed[f"{module.__name__}.{name}"] = function.__code__ is themed_code
    assert {name.rsplit(".", 1)[0] for name in themed} == {module.__name__ for module in modules}
    assert all(themed.values()), [name for name, is_themed in themed.items() if not is_themed]


def test_figures_are_made_outside_pyplot():
    figure = charts.monthly_volume_chart(_volume(), "x")
    assert isinstance(figure, Figure) and figure.get_dpi() == 100
