"""The deal inspection's summary (report 06): the quarter's call against the deals' probabilities and the target,
how the call moved since the month before, the deal most at risk, what to review first, and which probabilities the
page trusts; with its key figures."""

from __future__ import annotations

import math
from functools import partial

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses.deals.categories import CALLED, COMMIT, called
from salesops_helpers.analyses.deals.expected import LEVEL, ExpectedBookings
from salesops_helpers.analyses.deals.win_probability import HISTORICAL, DealScores
from salesops_helpers.analyses.findings import BAD, GOOD, NEUTRAL, ExecutiveSummary, Headline
from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.formatting import plural


def standing_sentence(
    quarter: Period,
    day: pd.Timestamp,
    expected: ExpectedBookings,
    call: float | None,
    target: float | None,
    currency: str,
) -> str:
    """What is booked of the quarter, the reps' call (Closed + Commit) and what the deals' probabilities expect, with
    the interval, against the target."""
    money = partial(fmt.money, currency=currency)
    call_text = f"the reps' call (Closed and Commit) is {money(call)} and " if call is not None else ""
    against = f", against a target of {money(target)}" if target is not None and target > 0 else ", with no target set"
    return (
        f"On {fmt.day_name(day)}, {quarter.label} has {money(expected.booked)} booked; {call_text}the open deals' win "
        f"probabilities expect {money(expected.total)} in all ({LEVEL:.0%} between {money(expected.low)} and "
        f"{money(expected.high)}){against}."
    )


def change_sentence(quarter: Period, now: pd.DataFrame, before: pd.DataFrame, currency: str) -> str:
    """How the call for the quarter moved since the month end before (both category_rollup's company rows)."""
    then, current = called(before, quarter), called(now, quarter)
    if then is None or current is None or before.empty:
        return f"No earlier month end holds a call for {quarter.label} to compare with."
    day = fmt.day_name(pd.Timestamp(before["day"].iloc[0]))
    change = current - then
    if math.isclose(change, 0.0, abs_tol=0.5):
        return f"The call for {quarter.label} is unchanged since {day}, at {fmt.money(current, currency)}."
    parts = []
    for category in CALLED:
        moved = (called(now, quarter, (category,)) or 0.0) - (called(before, quarter, (category,)) or 0.0)
        if not math.isclose(moved, 0.0, abs_tol=0.5):
            parts.append(f"{category} {fmt.change(moved, 'currency', currency)}")
    verb = "rose" if change > 0 else "fell"
    return (
        f"Since {day} the call for {quarter.label} {verb} by {fmt.money(abs(change), currency)} to "
        f"{fmt.money(current, currency)} ({', '.join(parts)})."
    )


def _deal(row: pd.Series, currency: str) -> str:
    """'Acme - Renewal (Dana Ortiz, $120k, 35% likely)'."""
    return (
        f"{row['name']} ({row['owner']}, {fmt.money(row['amount'], currency)}, "
        f"{fmt.percent(row['win_probability'])} likely)"
    )


def risk_sentence(quarter: Period, inspection: pd.DataFrame, currency: str) -> str:
    """The value at risk in the deals expected to close by the quarter's end, and the deal carrying most of it."""
    if inspection.empty:
        return f"No open deal is expected to close by the end of {quarter.label}, so none of it is at risk."
    top = inspection.iloc[0]
    reasons = str(top["reasons"]) or "at risk on its probability alone"
    return (
        f"{plural(len(inspection), 'open deal')} expected to close by the end of {quarter.label} carry "
        f"{fmt.money(float(inspection['value_at_risk'].sum()), currency)} of value at risk; the most is in "
        f"{_deal(top, currency)}: {reasons}."
    )


def action_sentence(quarter: Period, inspection: pd.DataFrame, likely: pd.DataFrame, currency: str) -> str:
    """Review the deal most at risk with its owner; ask about the likely wins outside Commit."""
    if inspection.empty:
        return f"Build pipeline that can close in {quarter.label}: no open deal is expected to close in it."
    top = inspection.iloc[0]
    first = f"Review {top['name']} with {top['owner']} first"
    if likely.empty:
        return f"{first}, then the next deals on the inspection list."
    worth = fmt.money(float(likely["amount"].sum()), currency)
    return (
        f"{first}, and ask whether the {plural(len(likely), 'likely win')} worth {worth} not called Commit (the "
        f"likeliest: {_deal(likely.iloc[0], currency)}) belong in the call."
    )


def model_sentence(scores: DealScores) -> str:
    """Which probabilities the page uses and how they measured in the backtest."""
    origins = len(scores.backtest.origins)
    if scores.backtest.scored.empty:
        return (
            "The history is too short to backtest a model, so each deal's probability is its stage's win rate in "
            "the history there is."
        )
    if scores.method == HISTORICAL:
        return (
            f"No model beat the stages' historical win rates over {plural(origins, 'past month end')}, so each "
            "deal's probability is its stage's historical win rate."
        )
    skill = scores.backtest.accuracy.set_index("method").loc[scores.method, "brier_skill"]
    return (
        f"The probabilities come from {scores.method}, whose Brier score over {plural(origins, 'past month end')} "
        f"was {fmt.percent(skill, 1)} better than the stages' historical win rates."
    )


def commit_share(conversion: pd.DataFrame) -> float | None:
    """The share of the Commit amount called at past month ends that closed within its quarter; None when there is
    none or too few deals (conversion: category_conversion's company table)."""
    rows = conversion[conversion["category"] == COMMIT]
    if rows.empty or pd.isna(rows["share_amount"].iloc[0]):
        return None
    return float(rows["share_amount"].iloc[0])


def _figures(
    expected: ExpectedBookings,
    call: float | None,
    target: float | None,
    inspection: pd.DataFrame,
    conversion: pd.DataFrame,
    currency: str,
) -> list[Headline]:
    money = partial(fmt.money, currency=currency)
    has_target = target is not None and target > 0
    model_status = NEUTRAL if not has_target else GOOD if expected.total >= target else BAD  # type: ignore[operator]
    against = f"target {money(target)}" if has_target else ""
    figures = [
        Headline(
            "expected_bookings", "Expected bookings", expected.total, money(expected.total), against, model_status
        ),
        Headline("call", "Call (Closed + Commit)", call, money(call) if call is not None else "–"),
        Headline(
            "value_at_risk",
            "Value at risk",
            float(inspection["value_at_risk"].sum()),
            money(float(inspection["value_at_risk"].sum())),
            f"{plural(len(inspection), 'deal')}",
        ),
    ]
    share = commit_share(conversion)
    figures.append(
        Headline("commit_closed", "Commit that closed", share, fmt.percent(share) if share is not None else "–")
    )
    return figures


def inspection_summary(
    *,
    quarter: Period,
    day: pd.Timestamp,
    expected: ExpectedBookings,
    rollup: pd.DataFrame,
    rollup_before: pd.DataFrame,
    inspection: pd.DataFrame,
    upside: pd.DataFrame,
    conversion: pd.DataFrame,
    scores: DealScores,
    target: float | None,
    currency: str,
) -> ExecutiveSummary:
    """The deal inspection's summary (module docstring)."""
    call = called(rollup, quarter)
    return ExecutiveSummary(
        standing=standing_sentence(quarter, day, expected, call, target, currency),
        change=change_sentence(quarter, rollup, rollup_before, currency),
        risk=risk_sentence(quarter, inspection, currency),
        action=action_sentence(quarter, inspection, upside, currency),
        figures=_figures(expected, call, target, inspection, conversion, currency),
        context=model_sentence(scores),
    )
