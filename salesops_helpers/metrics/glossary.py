"""The metric glossary (docs/metrics.md), written from the metric layer itself so that it cannot drift."""

from __future__ import annotations

import inspect
from collections.abc import Sequence

import pandas as pd

from salesops_helpers.metrics import funnel, totals
from salesops_helpers.metrics.catalogue import METRICS, MIN_CYCLE_DAYS, MIN_DEALS, MIN_QUOTA_SHARE, formula_of
from salesops_helpers.metrics.deal_state import open_deals_at
from salesops_helpers.metrics.groupings import GROUPINGS
from salesops_helpers.metrics.measure import Measure

GOOD = {"up": "higher", "down": "lower", "neutral": "(neither: a plan, not a result)"}
UNITS = {
    "currency": "amount in the reporting currency",
    "count": "number",
    "share": "share (0 to 1, shown as %)",
    "days": "days",
    "hours": "hours",
    "ratio": "ratio (3.0 = three times)",
    "currency_per_day": "amount per day",
}


def glossary_markdown(measure_sections: Sequence[tuple[str, Sequence[Measure]]] = ()) -> str:
    """The glossary as Markdown: the shared deal rules, one section per KPI, then the measures the analyses built on
    the KPIs hand in, one section per (title, measures) pair (the metric layer never imports its analyses)."""
    rules = inspect.cleandoc(totals.__doc__ or "").split("\n", 1)[1].strip()
    lines = [
        "# Metric glossary",
        "",
        "Generated from `salesops_helpers/metrics/` by `salesops glossary --write`; a test fails when it is stale.",
        "Every report, notebook and `salesops kpis` computes these KPIs through the same code, so a number means",
        "the same everywhere. Keys are the names used in tables, JSON output and `config/workbook.yml`.",
        "",
        "## Rules every KPI shares",
        "",
        rules,
        "",
        "How a deal's state on a past day is known: " + inspect.cleandoc(open_deals_at.__doc__ or "").split("\n", 2)[2],
        "",
        "Periods are calendar months (2026-10), fiscal quarters (FY2027 Q3), fiscal years (FY2027) and trailing twelve",
        "months (TTM 2026-10), from the fiscal year configured in `company`. Groupings: "
        + ", ".join(f"`{g}`" for g in GROUPINGS)
        + ".",
        "",
        "A target set for a longer period applies to a shorter one pro rata by months for sums (bookings, deals,",
        "pipeline created, quota) and unchanged for rates and ratios.",
        "",
        f"A value can be there and still too unstable to state: a rate, average or median over fewer than {MIN_DEALS}",
        f"deals, a velocity over a median cycle under {MIN_CYCLE_DAYS} days, a ratio to a quota under "
        f"{MIN_QUOTA_SHARE:.0%} of what is held",
        "against it. Tables show such a value with a note; summaries say it is not meaningful instead of stating it",
        "and measure no change from or to it (`metrics/stability.py`). Each KPI's rule is under",
        "**Not meaningful when**.",
        "",
        "| key | KPI | unit | better when |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{m.key}` | {m.name} | {UNITS[m.unit]} | {GOOD[m.good]} |" for m in METRICS]
    for metric in METRICS:
        lines += ["", f"## {metric.name} (`{metric.key}`)", "", f"**Formula:** {metric.formula}"]
        if metric.choice:
            lines += ["", f"**Convention:** {metric.choice}"]
        if metric.when_missing:
            lines += ["", f"**Missing when:** {metric.when_missing}."]
        if metric.unstable_when:
            lines += [
                "",
                f"**Not meaningful when:** {metric.unstable_when} (a summary then says so instead of stating it).",
            ]
    lines += _lead_sections()
    for title, measures in measure_sections:
        if measures:
            lines += ["", f"# {title} measures", ""]
            lines += [f"**{m.name}.** {' '.join(m.formula.split())}\n" for m in measures]
    return "\n".join(lines).rstrip("\n") + "\n"


def _lead_sections() -> list[str]:
    """The lead funnel KPIs (metrics/funnel.py): their shared rules, a table of them, one section each."""
    rules = inspect.cleandoc(funnel.__doc__ or "").split("\n", 1)[1].strip()
    lines = [
        "",
        "# Lead funnel KPIs",
        "",
        "Built on the leads table (docs/data-model.md) and shown by report 05 and `salesops kpis --by source` (or",
        "`campaign`, `segment`, `sourced_by`, `team`, `rep`). " + rules,
        "",
        "Who sourced a deal (`sourced_by`, a grouping of every deal KPI: marketing, sales, partner or unknown) follows",
        "its lead's source, else its own lead source, by the configuration's `funnel.sales_sources` and",
        "`funnel.partner_sources`. " + " ".join(formula_of(funnel.sourced_share).split()),
        "",
        "| key | KPI | unit | better when |",
        "|---|---|---|---|",
    ]
    lines += [f"| `{m.key}` | {m.name} | {UNITS[m.unit]} | {GOOD[m.good]} |" for m in funnel.LEAD_METRICS]
    for metric in funnel.LEAD_METRICS:
        lines += ["", f"## {metric.name} (`{metric.key}`)", "", f"**Formula:** {metric.formula}"]
        if metric.choice:
            lines += ["", f"**Convention:** {metric.choice}"]
        if metric.when_missing:
            lines += ["", f"**Missing when:** {metric.when_missing}."]
        if metric.unstable_when:
            lines += ["", f"**Not meaningful when:** {metric.unstable_when}."]
    lines += [
        "",
        f"**Young cohort.** {' '.join(formula_of(funnel.young_cohort).split())}",
        "",
        f"**Time to convert (Kaplan-Meier).** {' '.join(formula_of(funnel.conversion_curve).split())}",
    ]
    return lines


def catalogue_frame() -> pd.DataFrame:
    """The KPI catalogue as a table for reports: key, KPI, unit, better when, formula and convention."""
    return pd.DataFrame(
        [(m.key, m.name, UNITS[m.unit], GOOD[m.good], m.formula, m.choice) for m in METRICS],
        columns=["key", "kpi", "unit", "better when", "formula", "convention"],
    )
