"""New-hire ramp: a rep's monthly output by tenure month, against what established reps produce in the same month."""

from __future__ import annotations

import pandas as pd

from salesops_helpers import formatting

ESTABLISHED_AFTER = 12  # a rep past this many tenure months is established
PRODUCTIVE_SHARE = 0.9  # ramped once output reaches this share of an established rep's ...
SUSTAINED_MONTHS = 3  # ... over this many months in a row
CURVE_MONTHS = 12  # the ramp is followed over the first twelve tenure months


def with_established(rep_months: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The rep-months with `established`: the mean of the metric over the established reps (tenure > 12 months) of
    the rep's team in the same calendar month, which takes deal mix, growth and seasonality out of comparisons."""
    established = rep_months[rep_months["tenure_month"] > ESTABLISHED_AFTER]
    reference = established.groupby(["team", "period_start"])[metric].mean().rename("established")
    return rep_months.merge(reference, left_on=["team", "period_start"], right_index=True, how="left")


def new_hire_months(rep_months: pd.DataFrame, metric: str, last: int = CURVE_MONTHS) -> pd.DataFrame:
    """Tenure months 1 to `last` of the reps hired inside the data (whose first month can be seen), with the
    established reference of their team."""
    hired = rep_months.loc[rep_months["tenure_month"] == 1, "rep_id"]
    frame = with_established(rep_months, metric)
    frame = frame[frame["rep_id"].isin(hired) & frame["tenure_month"].between(1, last)]
    frame = frame.dropna(subset=["established"]).copy()
    frame["tenure_month"] = frame["tenure_month"].astype(int)
    return frame


def ramp_curve(rep_months: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per tenure month 1–12: Σ new hires' metric ÷ Σ established reference of their team that month (the share of
    an established rep's output a new hire produces), with the number of new hires it rests on."""
    frame = new_hire_months(rep_months, metric)
    sums = frame.groupby("tenure_month").agg(
        output=(metric, "sum"), established=("established", "sum"), reps=("rep_id", "nunique")
    )
    sums["relative"] = sums["output"] / sums["established"].where(sums["established"] > 0)
    curve = sums.reindex(range(1, CURVE_MONTHS + 1)).rename_axis("tenure_month").reset_index()
    curve["reps"] = curve["reps"].fillna(0).astype(int)
    return curve[["tenure_month", "relative", "reps"]]


def months_to_productivity(output: pd.Series, established: pd.Series) -> int | None:
    """First tenure month m at which Σ output ÷ Σ established over months m, m+1, m+2 reaches 90%.

    Both series are indexed by tenure month 1, 2, ...; None when that does not happen in the months seen.
    """
    ahead = output.sort_index()[::-1].rolling(SUSTAINED_MONTHS).sum()[::-1]
    base = established.sort_index()[::-1].rolling(SUSTAINED_MONTHS).sum()[::-1]
    share = ahead / base.where(base > 0)
    reached = share[share >= PRODUCTIVE_SHARE]
    return int(reached.index[0]) if not reached.empty else None


def ramp_by_rep(rep_months: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Per rep hired inside the data: tenure months seen (up to 12), the month from which output reached 90% of
    established output over three months in a row (missing: not within the first twelve months, or not yet), and
    the share reached over the last three of the first twelve tenure months seen."""
    frame = new_hire_months(rep_months, metric, CURVE_MONTHS + SUSTAINED_MONTHS - 1)
    rows = []
    for (rep_id, rep, team), months in frame.groupby(["rep_id", "rep", "team"], sort=True):
        months = months.set_index("tenure_month").sort_index()
        last = months.loc[:CURVE_MONTHS].tail(SUSTAINED_MONTHS)
        rows.append(
            (
                rep_id,
                rep,
                team,
                months["hire_date"].iloc[0],
                int(min(months.index.max(), CURVE_MONTHS)),
                _within_curve(months_to_productivity(months[metric], months["established"])),
                last[metric].sum() / last["established"].sum() if last["established"].sum() > 0 else float("nan"),
                f"{last.index.min()}–{last.index.max()}" if len(last) > 1 else f"{last.index.min()}",
            )
        )
    columns = [
        "rep_id",
        "rep",
        "team",
        "hire_date",
        "months_seen",
        "months_to_productivity",
        "latest_share",
        "latest_months",
    ]
    table = pd.DataFrame(rows, columns=columns)
    table["months_to_productivity"] = table["months_to_productivity"].astype("Int64")
    return table


def ramp_months(rep_months: pd.DataFrame, metric: str) -> int | None:
    """The tenure month from which new hires together reach 90% of established output over three months in a row
    (Σ over new hires of the metric ÷ Σ of their teams' established reference), None when not within 12 months."""
    frame = new_hire_months(rep_months, metric, CURVE_MONTHS + SUSTAINED_MONTHS - 1)
    sums = frame.groupby("tenure_month")[[metric, "established"]].sum()
    return _within_curve(months_to_productivity(sums[metric], sums["established"]))


def _within_curve(month: int | None) -> int | None:
    """A ramp month inside the first twelve tenure months, else None."""
    return month if month is not None and month <= CURVE_MONTHS else None


def readable_ramp(by_rep: pd.DataFrame) -> pd.DataFrame:
    """The per-hire ramp table as text for people ('not yet' for reps still ramping)."""
    return pd.DataFrame(
        {
            "team": by_rep["team"],
            "rep": by_rep["rep"],
            "hired": by_rep["hire_date"],
            "tenure months seen": by_rep["months_seen"],
            "ramped in month": by_rep["months_to_productivity"]
            .astype("object")
            .where(by_rep["months_to_productivity"].notna(), "not yet"),
            "share of established output": [
                f"{formatting.percent(share)} in tenure months {months}" if pd.notna(share) else "–"
                for share, months in zip(by_rep["latest_share"], by_rep["latest_months"], strict=True)
            ],
        }
    )
