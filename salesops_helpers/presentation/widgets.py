"""Interactive explorers for JupyterLab (ipywidgets). Batch reports never call these: they show static tables."""

from __future__ import annotations

import gc

import ipywidgets as widgets
from IPython.display import display

from salesops_helpers.analyses.team.pages import TeamReview, choices, show_page
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.metrics import kpi_table
from salesops_helpers.metrics.totals import GROUPINGS
from salesops_helpers.presentation.report import table

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
