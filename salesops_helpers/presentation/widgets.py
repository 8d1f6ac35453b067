"""Interactive explorers for JupyterLab (ipywidgets). Batch reports never call these: they show static tables."""

from __future__ import annotations

import gc

import ipywidgets as widgets
import pandas as pd
from IPython.display import display

from salesops_helpers import formatting
from salesops_helpers.analyses.forecast.scenarios import scenario
from salesops_helpers.analyses.team.pages import TeamReview, choices
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table
from salesops_helpers.metrics.groupings import GROUPINGS
from salesops_helpers.presentation.charts.forecast import scenario_chart
from salesops_helpers.presentation.report import table
from salesops_helpers.presentation.team import show_page

PERIOD_KINDS = [("Month", "month"), ("Fiscal quarter", "quarter"), ("Fiscal year", "fiscal_year"), ("TTM", "ttm")]


def kpi_explorer(data: SalesData, calendar: FiscalCalendar, period: Period) -> widgets.VBox:
    """Pick a period kind, a month within the data and a grouping; the KPI table redraws below."""
    months = calendar.months_between(data.opportunities["created_date"].min(), data.as_of)
    month = widgets.Dropdown(description="Month", options=[(m.label, m.start) for m in months], value=period.start)
    kind = widgets.Dropdown(description="Period", options=PERIOD_KINDS, value="month")
    grouping = widgets.Dropdown(
        description="By", options=[("Company", "")] + [(g.replace("_", " ").title(), g) for g in GROUPINGS]
    )
    output = widgets.Output()
    currency = data.config.company.reporting_currency

    def redraw(_: object = None) -> None:
        chosen = calendar.period(kind.value, month.value)
        shown = kpi_table(data, chosen, [grouping.value] if grouping.value else []).formatted(currency)
        with output:
            output.clear_output(wait=True)
            print(f"{chosen.label}: {chosen.start:%Y-%m-%d} to {chosen.end:%Y-%m-%d}")
            display(table(shown))

    for control in (month, kind, grouping):
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([kind, month, grouping]), output])


def steady_redraws() -> None:
    """Collect garbage once, then exempt every object alive now (the review's tables) from later collections.

    A full collection of a kernel holding the data and the review stalls a redraw by 150-250 ms now and then; the
    review lives as long as the picker anyway.
    """
    gc.collect()
    gc.freeze()


def team_picker(review: TeamReview) -> widgets.VBox:
    """Pick a team or rep and the month, quarter to date or year to date; that page redraws below."""
    steady_redraws()
    who = widgets.Dropdown(description="Team or rep", options=choices(review), style={"description_width": "initial"})
    when = widgets.ToggleButtons(options=[(key.capitalize(), key) for key in review.periods], value="quarter to date")
    output = widgets.Output()

    def redraw(_: object = None) -> None:
        with output:
            output.clear_output(wait=True)
            show_page(review, who.value, when.value)

    who.observe(redraw, names="value")
    when.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox([who, when]), output])


def scenario_sliders(
    history: pd.Series,
    forecast: pd.DataFrame,
    new_share: dict[int, float],
    quarters: list[tuple[Period, float]],
    currency: str,
) -> object:
    """Sliders for win rate, deal size and pipeline creation (JupyterLab only); the chart and quarter totals redraw."""
    sliders = {
        key: widgets.FloatSlider(value=1.0, min=0.5, max=1.5, step=0.05, description=label, readout_format=".0%")
        for key, label in (("win", "Win rate"), ("size", "Deal size"), ("creation", "Pipeline creation"))
    }
    output = widgets.Output()

    def redraw(_: object = None) -> None:
        drawn = scenario(forecast, new_share, sliders["win"].value, sliders["size"].value, sliders["creation"].value)
        totals = []
        for quarter, booked in quarters:
            inside = (drawn["month"] >= quarter.start) & (drawn["month"] <= quarter.end)
            totals.append(
                f"{quarter.label}: {formatting.money(booked + drawn.loc[inside, 'scenario'].sum(), currency)}"
            )
        with output:
            output.clear_output(wait=True)
            display(scenario_chart(history, drawn, currency, "Scenario against the forecast — " + "; ".join(totals)))

    for slider in sliders.values():
        slider.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(list(sliders.values())), output])
