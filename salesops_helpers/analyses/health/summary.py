"""The data-health report's executive summary: the verdict, the largest change on the month before, the data problem
that distorts the reports most, and whom to ask to fix it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from salesops_helpers import formatting
from salesops_helpers.analyses.findings import BAD, GOOD, NEUTRAL, ExecutiveSummary, Headline, trend_headline
from salesops_helpers.analyses.health import checks as data_health
from salesops_helpers.data.loading import UNKNOWN_TEAM, SalesData
from salesops_helpers.data.validation import is_in
from salesops_helpers.formatting import day_name, month_name, plural
from salesops_helpers.metrics.deal_state import open_deals_at

TREND_MONTHS = 12
VERDICT_STATUS = {"Ready": GOOD, "Usable": NEUTRAL, "Not usable": BAD}
EXAMPLES = 3
# Deal creation falling by at least this share from one month to the next suggests an incomplete export.
EXPORT_GAP_DROP = 0.5


def month_ends(data: SalesData, as_of: pd.Timestamp, months: int = TREND_MONTHS) -> list[pd.Timestamp]:
    """The days a monthly trend is measured on: the month ends before as_of's month from the data's first created
    deal on (at most months − 1 of them), then as_of itself."""
    first = data.opportunities["created_date"].min()
    before = pd.date_range(end=as_of.to_period("M").start_time - pd.Timedelta(days=1), periods=months - 1, freq="ME")
    return [*(day for day in before if day >= first.to_period("M").start_time), as_of]


def past_due_by_month(data: SalesData, as_of: pd.Timestamp, months: int = TREND_MONTHS) -> pd.Series:
    """Open value past its close date at each of month_ends (index YYYY-MM, oldest first): Σ amount of the deals
    open at the end of the day whose close date is before it. Earlier month ends take each deal's state that day
    from the stage history (open_deals_at); the last, as_of, is the report's own list (past_due_open_deals)."""
    values = {}
    for day in month_ends(data, as_of, months)[:-1]:
        state = open_deals_at(data, day)
        values[f"{day:%Y-%m}"] = float(state.loc[state["close_date"] < day, "amount"].fillna(0.0).sum())
    values[f"{as_of:%Y-%m}"] = float(data_health.past_due_open_deals(data, as_of)["amount"].fillna(0.0).sum())
    return pd.Series(values, name="past_due_value", dtype=float)


def created_by_month(data: SalesData, as_of: pd.Timestamp, months: int = TREND_MONTHS) -> pd.Series:
    """Deals created in each month of month_ends up to as_of (index YYYY-MM, oldest first, 0 for none)."""
    created = data.opportunities["created_date"]
    counts = created[created <= as_of].dt.to_period("M").value_counts()
    ends = month_ends(data, as_of, months)
    return pd.Series({f"{d:%Y-%m}": int(counts.get(d.to_period("M"), 0)) for d in ends}, name="created", dtype=float)


def relative_change(previous: float, current: float) -> float:
    """(current − previous) ÷ previous; infinite from 0 to more, 0 when both are 0."""
    if previous > 0:
        return (current - previous) / previous
    return math.inf if current > 0 else 0.0


def change_sentence(data: SalesData, as_of: pd.Timestamp, currency: str) -> str:
    """The open value past its close date at the end of as_of's month against the end of the month before; or,
    when deal creation fell by more (relatively) and by at least EXPORT_GAP_DROP, that fall, a sign of an
    incomplete export (compared only when as_of ends its month: a month under way is not)."""
    past_due = past_due_by_month(data, as_of, 2)
    if len(past_due) < 2:
        first = month_name(past_due.index[-1], full=True)
        return f"The data starts in {first}, so there is no earlier month to compare with."
    previous_month, month = month_name(past_due.index[-2], full=True), month_name(past_due.index[-1], full=True)
    before, now = float(past_due.iloc[-2]), float(past_due.iloc[-1])
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    if as_of == as_of + pd.offsets.MonthEnd(0):
        created = created_by_month(data, as_of, 2)
        drop = -relative_change(float(created.iloc[-2]), float(created.iloc[-1]))
        if drop >= EXPORT_GAP_DROP and drop > abs(relative_change(before, now)):
            return (
                f"Deals created fell from {formatting.count(created.iloc[-2])} in {previous_month} to "
                f"{formatting.count(created.iloc[-1])} in {month} ({formatting.signed_percent(-drop)}): check that the "
                "export is complete."
            )
    if before == now:
        return (
            f"Open value past its close date stayed at {money(now)} from the end of {previous_month} to the end "
            f"of {month}."
        )
    share = relative_change(before, now)
    by = "" if math.isinf(share) else f" ({formatting.signed_percent(share)})"
    return (
        f"Open value past its close date {'rose' if now > before else 'fell'} from {money(before)} at the end of "
        f"{previous_month} to {money(now)} at the end of {month}{by}."
    )


def _by_owner(deals: pd.DataFrame) -> pd.DataFrame:
    """Deals and value per owner, the most value first (then the most deals, then the name)."""
    frame = deals.assign(amount=deals["amount"].fillna(0.0)).groupby("owner", observed=True)["amount"]
    table = frame.agg(deals="size", value="sum").reset_index()
    return table.sort_values(["value", "deals", "owner"], ascending=[False, False, True], kind="stable")


def _ask(deals: pd.DataFrame, currency: str, verb: str, kind: str) -> str:
    """'Ask <owner> to <verb>(s) of the N <kind> deal(s) ($X).' when one owner has them all, else 'Ask the owners
    to <verb>s of the N <kind> deals ($X), starting with <owner> (K deals, $Y).'"""
    owners = _by_owner(deals)
    total = formatting.money(float(deals["amount"].fillna(0.0).sum()), currency)
    many = "" if len(deals) == 1 else "s"
    what = f"{verb}{many} of the {formatting.count(len(deals))} {kind} deal{many} ({total})"
    top = owners.iloc[0]
    if len(owners) == 1:
        return f"Ask {top['owner']} to {what}."
    return (
        f"Ask the owners to {what}, starting with {top['owner']} "
        f"({plural(int(top['deals']), 'deal')}, {formatting.money(top['value'], currency)})."
    )


@dataclass(frozen=True)
class Risk:
    """A data problem: the share of open value (or of deals) it distorts, what to say and what to ask."""

    share: float
    sentence: str
    action: str


def data_risks(data: SalesData, as_of: pd.Timestamp, currency: str) -> list[Risk]:
    """Each problem found among: open deals past their close date and open deals of reps who have left (share of
    the open value: Σ their amount ÷ Σ amount of deals open now and created by as_of, or of the open deals when
    that is 0), deals without an amount and deals whose owner is not a known rep (share of all deals)."""
    opps = data.opportunities
    money = lambda value: formatting.money(value, currency)  # noqa: E731
    open_now = opps[(opps["outcome"] == "open") & (opps["created_date"] <= as_of)]
    open_value = float(open_now["amount"].fillna(0.0).sum())

    def of_open(deals: pd.DataFrame) -> float:
        """Their share of the open value, or of the open deals when no open deal has an amount."""
        if open_value > 0:
            return float(deals["amount"].fillna(0.0).sum()) / open_value
        return len(deals) / len(open_now) if len(open_now) else 0.0

    def pipeline_share(deals: pd.DataFrame) -> str:
        return f" ({formatting.percent(of_open(deals))} of the open pipeline)" if open_value > 0 else ""

    risks = []
    past_due = data_health.past_due_open_deals(data, as_of)
    if len(past_due):
        risks.append(
            Risk(
                of_open(past_due),
                f"{plural(len(past_due), 'open deal')} worth {money(past_due['amount'].sum())}"
                f"{pipeline_share(past_due)} had a close date before {day_name(as_of)}, so the pipeline counts "
                f"{'it' if len(past_due) == 1 else 'them'} in months already over.",
                _ask(past_due, currency, "update the close date", "past-due"),
            )
        )
    reps = data.reps.set_index("rep_id")
    gone = open_now[is_in(open_now["owner_id"], reps.index[reps["end_date"] < as_of].to_series())]
    if len(gone):
        gone = gone.assign(owner=gone["owner_id"].map(reps["name"]).fillna(gone["owner_id"]).astype("str"))
        owners = _by_owner(gone)
        names = ", ".join(owners["owner"].head(EXAMPLES)) + (", ..." if len(owners) > EXAMPLES else "")
        risks.append(
            Risk(
                of_open(gone),
                f"{plural(len(gone), 'open deal')} worth {money(gone['amount'].sum())}{pipeline_share(gone)} "
                f"{'belongs' if len(gone) == 1 else 'belong'} to reps who have left ({names}), so no one is "
                f"working {'it' if len(gone) == 1 else 'them'}.",
                (
                    f"Reassign {owners['owner'].iloc[0]}'s {plural(len(gone), 'open deal')} "
                    f"({money(gone['amount'].sum())}) to current reps."
                    if len(owners) == 1
                    else f"Reassign the {plural(len(gone), 'open deal')} ({money(gone['amount'].sum())}) of reps "
                    f"who have left to current reps, starting with {owners['owner'].iloc[0]}'s "
                    f"{plural(int(owners['deals'].iloc[0]), 'deal')}."
                ),
            )
        )
    no_amount = data_health.deals_without_amount(data)
    if len(no_amount):
        owners = _by_owner(no_amount)
        risks.append(
            Risk(
                len(no_amount) / len(opps),
                f"{formatting.count(len(no_amount))} of {plural(len(opps), 'deal')} "
                f"{'has' if len(no_amount) == 1 else 'have'} no amount, so bookings, pipeline and deal sizes leave "
                f"{'it' if len(no_amount) == 1 else 'them'} out.",
                (
                    f"Ask the owners to fill in the amount of the {plural(len(no_amount), 'deal')} without one, "
                    f"starting with {owners['owner'].iloc[0]} ({plural(int(owners['deals'].iloc[0]), 'deal')})."
                    if len(owners) > 1
                    else f"Ask {owners['owner'].iloc[0]} to fill in the amount of the "
                    f"{plural(len(no_amount), 'deal')} without one."
                ),
            )
        )
    unknown = opps[~is_in(opps["owner_id"], data.reps["rep_id"])]
    if len(unknown):
        missing = unknown["owner_id"].dropna().astype("str").drop_duplicates()
        shown = ", ".join(missing.head(EXAMPLES)) + (", ..." if len(missing) > EXAMPLES else "")
        risks.append(
            Risk(
                len(unknown) / len(opps),
                f"{formatting.count(len(unknown))} of {plural(len(opps), 'deal')} "
                f"{'has' if len(unknown) == 1 else 'have'} no owner in the reps table, so team results show "
                f"{'it' if len(unknown) == 1 else 'them'} under '{UNKNOWN_TEAM}'.",
                (
                    f"Add the {plural(len(missing), 'missing owner')} ({shown}) to the reps table, or reassign "
                    f"their {plural(len(unknown), 'deal')}."
                    if len(missing)
                    else f"Give the {plural(len(unknown), 'deal')} without an owner an owner."
                ),
            )
        )
    return risks


def _standing(data: SalesData, verdict: data_health.HealthVerdict) -> str:
    """The verdict, what was loaded and what is flagged."""
    flags = [
        plural(verdict.errors, "error") if verdict.errors else "",
        plural(verdict.warnings, "loading warning") if verdict.warnings else "",
        plural(verdict.checks_to_review, "check") + " to review" if verdict.checks_to_review else "",
        plural(verdict.limited + verdict.unavailable, "analysis", "analyses") + " limited or unavailable"
        if verdict.limited + verdict.unavailable
        else "",
    ]
    flagged = ", ".join(flag for flag in flags if flag) or "no warnings, and every analysis is supported"
    return (
        f"{verdict.verdict}: {plural(len(data.opportunities), 'deal')} and {plural(len(data.reps), 'rep')} "
        f"loaded, with data up to {day_name(data.as_of)}; {flagged}."
    )


def _risk_and_action(
    data: SalesData, as_of: pd.Timestamp, currency: str, verdict: data_health.HealthVerdict
) -> tuple[str, str]:
    """The biggest risk and its action: no closed deal first (no KPI can be measured), then the problem distorting
    the largest share, then limited analyses, then loading warnings and checks; else none."""
    readiness = data_health.analysis_readiness(data, as_of)
    status = readiness.set_index("analysis")["status"]
    if status["KPI scorecard"] == data_health.UNAVAILABLE:
        return (
            f"No deal was won or lost by {day_name(as_of)}, so bookings, win rate and deal size cannot be measured.",
            "Include won and lost deals in the export, then check the data again.",
        )
    risks = [risk for risk in data_risks(data, as_of, currency) if risk.share > 0]
    if risks:
        worst = max(risks, key=lambda risk: risk.share)
        return worst.sentence, worst.action
    short = readiness[readiness["status"] != data_health.AVAILABLE]
    if len(short):
        names = ", ".join(short["analysis"].head(EXAMPLES)) + (", ..." if len(short) > EXAMPLES else "")
        return (
            f"{plural(len(short), 'analysis', 'analyses')} cannot use the data in full: {names}.",
            "Add what 'What the data supports' says is missing to the export, or read those analyses with care.",
        )
    if verdict.warnings or verdict.checks_to_review:
        return (
            "Loading repaired or set aside some rows; the log and checks below say which.",
            "Read the data-quality log and the checks below before trusting the reports.",
        )
    return (
        "No data problem found: no open deal is past its close date, and every deal has an amount and a known owner.",
        "No action needed: the reports can be read as they are.",
    )


def health_summary(data: SalesData, as_of: pd.Timestamp, currency: str) -> ExecutiveSummary:
    """The data-health summary on as_of (the report period's last day, or the data's when earlier): verdict and
    load, the largest change on the month before, the biggest data risk and its action, and five key figures."""
    as_of = pd.Timestamp(as_of).normalize()
    verdict = data_health.health_verdict(data, as_of)
    readiness = data_health.analysis_readiness(data, as_of)
    short = int((readiness["status"] != data_health.AVAILABLE).sum())
    risk, action = _risk_and_action(data, as_of, currency, verdict)
    figures = [
        Headline("verdict", "Data verdict", verdict.verdict, verdict.verdict, status=VERDICT_STATUS[verdict.verdict]),
        Headline("deals", "Deals loaded", len(data.opportunities), formatting.count(len(data.opportunities))),
        trend_headline(
            "past_due_value",
            "Open value past its close date",
            past_due_by_month(data, as_of),
            lambda value: formatting.money(value, currency),
            lambda value: formatting.change(value, "currency", currency),
            better="down",
        ),
        Headline(
            "warnings",
            "Loading warnings",
            verdict.warnings,
            formatting.count(verdict.warnings),
            status=GOOD if verdict.warnings == 0 else NEUTRAL,
        ),
        Headline(
            "analyses_limited",
            "Analyses limited or unavailable",
            short,
            formatting.count(short),
            status=GOOD if short == 0 else NEUTRAL,
        ),
    ]
    return ExecutiveSummary(
        standing=_standing(data, verdict),
        change=change_sentence(data, as_of, currency),
        risk=risk,
        action=action,
        figures=figures,
    )
