"""The revenue forecast's tables as readers see them: the rows in the order that matters, columns named in words,
and how each figure is written and toned (the notebook hands them to presentation.report.table)."""

from __future__ import annotations

from functools import partial

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.findings import NOTHING, Formatter, ShownTable
from salesops_helpers.analyses.forecast.intervals import coverage_tone
from salesops_helpers.analyses.forecast.outlook import Outlook
from salesops_helpers.analyses.forecast.summary import QuarterOutlook, target_tone
from salesops_helpers.calendar.fiscal import Period

SIGNED_PERCENT: Formatter = "{:+.1%}".format
ACCURACY_COLUMNS = {
    "mase": "MASE",
    "wape": "WAPE",
    "smape": "sMAPE",
    "bias": "bias",
    "coverage_80": "80% interval held",
    "coverage_95": "95% interval held",
    "beats_seasonal_naive": "beats seasonal naive",
    "seconds": "fit time (s)",
}
COVERAGE_COLUMNS = {
    "raw_80": "80%, model's own",
    "calibrated_80": "80%, calibrated",
    "raw_95": "95%, model's own",
    "calibrated_95": "95%, calibrated",
}
# The forecast's intervals, as (column, lower bound, upper bound) of the forecast table.
INTERVALS = (
    ("80% interval", "lower_80", "upper_80"),
    ("95% interval", "lower_95", "upper_95"),
    ("the model's own 80% interval", "raw_lower_80", "raw_upper_80"),
)


def money_format(currency: str) -> Formatter:
    """An amount in the reporting currency, abbreviated: $1.2M."""
    return partial(formatting.money, currency=currency)


def money_range(low: float, high: float, currency: str) -> str:
    """A method's range as readers write it: '$614k to $981k'; a dash when the method gives none."""
    if pd.isna(low):
        return "–"
    return f"{formatting.money(low, currency)} to {formatting.money(high, currency)}"


def team_table(teams: pd.DataFrame | None, quarter: Period, currency: str) -> ShownTable:
    """Each team's last twelve months, what it booked in the quarter so far, the forecast of the months left and
    the quarter in all, the largest quarter first (teams: outlook.group_forecasts); nothing without a forecast."""
    if teams is None:
        return NOTHING
    columns = {
        "group": "team",
        "last_twelve_months": "last twelve months",
        "booked": f"booked in {quarter.label} so far",
        "forecast_rest": "forecast of the months left",
        "quarter_total": f"{quarter.label} in all",
    }
    shown = teams.sort_values("quarter_total", ascending=False).rename(columns=columns)
    return ShownTable(shown, dict.fromkeys(list(columns.values())[1:], money_format(currency)))


def accuracy_table(outlook: Outlook) -> ShownTable:
    """Each model's backtest accuracy, the best pooled MASE first, its 80% coverage toned against the aim; nothing
    without a backtest."""
    if not outlook.ready or outlook.accuracy is None:
        return NOTHING
    shown = outlook.accuracy[["model", *ACCURACY_COLUMNS]].rename(columns=ACCURACY_COLUMNS)
    formats: dict[str, Formatter] = {
        "MASE": "{:.2f}".format,
        "WAPE": formatting.percent,
        "sMAPE": formatting.percent,
        "bias": SIGNED_PERCENT,
        "80% interval held": formatting.percent,
        "95% interval held": formatting.percent,
        "beats seasonal naive": formatting.percent,
        "fit time (s)": "{:.1f}".format,
    }
    return ShownTable(shown, formats, {"80% interval held": coverage_tone})


def ahead_table(ahead: pd.DataFrame | None, currency: str) -> ShownTable:
    """The default model's forecast month by month with its calibrated 80% and 95% intervals and its own 80%
    interval; nothing without a forecast."""
    if ahead is None:
        return NOTHING
    shown = pd.DataFrame(
        {
            "month": ahead["month"].dt.strftime("%B %Y"),
            "months ahead": ahead["horizon"],
            "forecast": ahead["forecast"],
            **{
                name: [
                    f"{formatting.money(low, currency)} to {formatting.money(high, currency)}"
                    for low, high in zip(ahead[lower], ahead[upper], strict=True)
                ]
                for name, lower, upper in INTERVALS
            },
        }
    )
    return ShownTable(shown, {"forecast": money_format(currency)})


def coverage_table(outlook: Outlook) -> ShownTable:
    """Each model's own and calibrated 80% and 95% interval coverage, measured on the same backtest months, the 80%
    ones toned against the aim; nothing without a backtest."""
    if not outlook.ready or outlook.accuracy is None:
        return NOTHING
    shown = outlook.accuracy[["model", *COVERAGE_COLUMNS]].rename(columns=COVERAGE_COLUMNS)
    tones = {"80%, model's own": coverage_tone, "80%, calibrated": coverage_tone}
    return ShownTable(shown, dict.fromkeys(COVERAGE_COLUMNS.values(), formatting.percent), tones)


def probabilities_table(quarters: list[QuarterOutlook], probabilities: list[pd.DataFrame]) -> ShownTable:
    """Each stage's configured probability, the estimated probability of being won in each quarter, and the deals
    seen for the coming one (probabilities: pipeline_forecast.stage_probabilities of each quarter)."""
    coming, first = quarters[0].quarter, probabilities[0]
    estimated = {
        f"won in {q.quarter.label} (estimated)": frame["probability"]
        for q, frame in zip(quarters, probabilities, strict=True)
    }
    shown = pd.DataFrame(
        {
            "stage": first["stage"],
            "configured": first["configured"],
            **estimated,
            f"deals seen ({coming.label})": first["observed"],
        }
    )
    return ShownTable(shown, dict.fromkeys(["configured", *estimated], formatting.percent))


def methods_table(quarters: list[QuarterOutlook], currency: str) -> ShownTable:
    """Each quarter's forecast by each method with its 80% range, against the quarter's target when one is set,
    toned by whether it meets it."""
    side_by_side = pd.concat(
        [
            q.methods.assign(
                quarter=q.quarter.label,
                target=q.target,
                gap=(q.methods["forecast"] - q.target) if q.target else None,
            )
            for q in quarters
        ],
        ignore_index=True,
    )
    side_by_side["range"] = [
        money_range(low, high, currency)
        for low, high in zip(side_by_side["lower_80"], side_by_side["upper_80"], strict=True)
    ]
    shown = side_by_side[["quarter", "method", "forecast", "range", "target", "gap"]].rename(
        columns={"range": "80% range", "gap": "against target"}
    )
    formats: dict[str, Formatter] = {
        "forecast": money_format(currency),
        "target": money_format(currency),
        "against target": partial(formatting.change, unit="currency", currency=currency),
    }
    return ShownTable(shown, formats, {"against target": target_tone})


def pipeline_accuracy_table(scores: pd.DataFrame) -> ShownTable:
    """Each method's accuracy at forecasting the coming quarter at past month ends, the best first
    (scores: pipeline_forecast.pipeline_accuracy); nothing when no past quarter could be checked."""
    if scores.empty:
        return NOTHING
    shown = scores.rename(columns={"month_ends": "month ends checked", "wape": "WAPE"})
    return ShownTable(shown, {"WAPE": formatting.percent, "bias": SIGNED_PERCENT})


def scenario_table(scenarios: pd.DataFrame | None, currency: str) -> ShownTable:
    """Each set scenario's quarters and their change from the forecast (scenarios: scenarios.scenario_table);
    nothing without a forecast."""
    if scenarios is None:
        return NOTHING
    money = money_format(currency)
    return ShownTable(scenarios, {str(column): money for column in scenarios.columns if column != "scenario"})


def errors_table(errors: pd.DataFrame) -> ShownTable:
    """Earlier runs' forecasts against bookings by what they forecast (months, quarters) and method, the most
    accurate first (errors: forecast_history.error_by_method)."""
    shown = errors.sort_values(["kind", "wape"], kind="stable").rename(
        columns={"kind": "target", "inside_80": "inside 80% interval"}
    )
    return ShownTable(
        shown, {"wape": formatting.percent, "bias": SIGNED_PERCENT, "inside 80% interval": formatting.percent}
    )
