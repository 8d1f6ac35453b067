"""The team review's executive summary: attainment to date, the team that moved most against the previous quarter,
the largest gap to quota, and the coaching conversation the evidence suggests."""

from __future__ import annotations

import math

import pandas as pd

from salesops_helpers import formatting as fmt
from salesops_helpers.analyses import findings
from salesops_helpers.analyses.findings import BAD, GOOD, NEUTRAL, ExecutiveSummary, Headline, trend_headline
from salesops_helpers.analyses.team.attainment import attainment_by_team
from salesops_helpers.analyses.team.coaching import CoachingReview, ranked_flags
from salesops_helpers.analyses.team.pages import TeamReview
from salesops_helpers.analyses.team.story import coaching_summary
from salesops_helpers.calendar.fiscal import FiscalCalendar, Period
from salesops_helpers.data.loading import SalesData
from salesops_helpers.formatting import plural
from salesops_helpers.metrics import kpi_series, kpi_table
from salesops_helpers.metrics.catalogue import MIN_QUOTA_SHARE
from salesops_helpers.metrics.stability import caveats

COMPANY = "Company"  # the company's row in attainment_by_team
TREND_MONTHS = 12


def same_point_before(calendar: FiscalCalendar, to_date: Period) -> Period:
    """The previous fiscal quarter cut to as many months as the quarter to date has: the fair comparison for a
    quarter to date (the whole quarter when the quarter to date is complete)."""
    previous = calendar.previous(calendar.quarter(to_date.start))
    months = min(to_date.months, previous.months)
    end = previous.start + pd.DateOffset(months=months) - pd.Timedelta(days=1)
    first = "the first month" if months == 1 else f"the first {plural(months, 'month')}"
    label = previous.label if months == previous.months else f"{first} of {previous.label}"
    return Period("quarter", previous.start, end, label)


def attainment_caveat(row: pd.Series) -> str | None:
    """Why a row's attainment (of an attainment_by_team table) is too unstable to state, None when it is not."""
    return caveats({"attainment": float(row["attainment"])}).get("attainment")


def stable_attainment(by_team: pd.DataFrame) -> pd.DataFrame:
    """The rows of an attainment_by_team table whose attainment is stable enough to state (attainment_caveat)."""
    stable = [attainment_caveat(row) is None for _, row in by_team.iterrows()]
    return by_team[pd.Series(stable, index=by_team.index, dtype=bool)]


def attainment_moves(now: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """Per team with a quota in both periods and an attainment stable enough to state in both (attainment_by_team
    tables, the company left out): attainment before and now and the change (now − before, in shares); largest move
    either way first."""
    columns = ["team", "attainment"]
    now, before = stable_attainment(now), stable_attainment(before)
    merged = before[columns].merge(now[columns], on="team", suffixes=("_before", "_now"))
    merged = merged[(merged["team"] != COMPANY)].dropna(subset=["attainment_before", "attainment_now"])
    merged = merged.rename(columns={"attainment_before": "before", "attainment_now": "now"})
    merged["change"] = merged["now"] - merged["before"]
    merged["size"] = merged["change"].abs()
    ranked = merged.sort_values(["size", "team"], ascending=[False, True])
    return ranked.drop(columns="size").reset_index(drop=True)


def quota_gaps(by_team: pd.DataFrame) -> pd.DataFrame:
    """The teams short of their quota to date (an attainment_by_team table, the company left out), with the gap:
    quota − bookings; largest gap first."""
    teams = by_team[by_team["team"] != COMPANY].copy()
    teams["gap"] = teams["quota"] - teams["bookings"]
    short = teams[teams["gap"] > 0]
    return short.sort_values(["gap", "team"], ascending=[False, True]).reset_index(drop=True)


def costliest_flag(coaching: CoachingReview) -> pd.Series | None:
    """The flagged rep who booked the most below an average peer over the review's window (None when nobody is
    flagged)."""
    ranked = ranked_flags(coaching)
    return None if ranked.empty else ranked.iloc[0]


def team_summary(
    data: SalesData, calendar: FiscalCalendar, review: TeamReview, ramp_months: int | None
) -> ExecutiveSummary:
    """The team review's summary for the review's month: quarter-to-date attainment, the team whose attainment moved
    most against the same months of the previous quarter, the largest gap to quota (or the coaching signals), the
    conversation the coaching evidence suggests (or the gap's, or the ramp's), and the key figures."""
    to_date = review.periods["quarter to date"]
    quarter = calendar.quarter(to_date.start)
    before = same_point_before(calendar, to_date)
    now_by_team = attainment_by_team(data, to_date)
    before_by_team = attainment_by_team(data, before)
    window = calendar.trailing_twelve_months(to_date.end)
    gaps = quota_gaps(now_by_team)
    flags_text = _flags(review.coaching, window.label, review.currency)
    return ExecutiveSummary(
        standing=_standing(now_by_team, review.company["quarter to date"].iloc[0], to_date.label, review.currency),
        change=_change(now_by_team, before_by_team, to_date.label, before.label),
        risk=_risk(gaps, now_by_team, quarter, to_date, review.coaching, flags_text, review.currency),
        action=_action(data, review.coaching, gaps, quarter, to_date, ramp_months, review.currency),
        figures=_figures(data, calendar, review, now_by_team, before_by_team, before.label, ramp_months),
        # the risk sentence names the flagged reps unless a team's gap to quota took its place
        context=flags_text if not gaps.empty and not review.coaching.flagged.empty else "",
    )


def _company(by_team: pd.DataFrame) -> pd.Series | None:
    """The company's row of an attainment_by_team table (None without quota)."""
    rows = by_team[by_team["team"] == COMPANY]
    return None if rows.empty else rows.iloc[0]


def _reps_at_quota(row: pd.Series) -> int:
    """How many reps reached their quota, from a share and a count."""
    return round(row["reps_at_quota"] * row["reps_with_quota"])


def _standing(by_team: pd.DataFrame, company: pd.Series, label: str, currency: str) -> str:
    row = _company(by_team)
    if row is None:
        return (
            f"In {label} the company booked {fmt.money(company['bookings'], currency)}; no rep has a quota for it, "
            "so there is no attainment."
        )
    caveat = attainment_caveat(row)
    of_quota = (
        f"against a quota of {fmt.money(row['quota'], currency)} (attainment is not meaningful: {caveat})"
        if caveat
        else f"{fmt.percent(row['attainment'])} of its {fmt.money(row['quota'], currency)} quota"
    )
    text = (
        f"In {label} the company booked {fmt.money(row['bookings'], currency)}, {of_quota}, and "
        f"{fmt.count(_reps_at_quota(row))} of {plural(int(row['reps_with_quota']), 'rep')} with a quota reached theirs"
    )
    teams = stable_attainment(by_team[by_team["team"] != COMPANY].dropna(subset=["attainment"]))
    teams = teams.sort_values(["attainment", "team"], ascending=[False, True])
    if len(teams) < 2:
        return text + "."
    best, worst = teams.iloc[0], teams.iloc[-1]
    if fmt.percent(best["attainment"]) == fmt.percent(worst["attainment"]):
        return text + f"; every team stands at {fmt.percent(best['attainment'])}."
    return (
        text + f"; {best['team']} leads at {fmt.percent(best['attainment'])}, "
        f"{worst['team']} trails at {fmt.percent(worst['attainment'])}."
    )


def _change(now: pd.DataFrame, before: pd.DataFrame, now_label: str, before_label: str) -> str:
    moves = attainment_moves(now, before)
    if moves.empty and set(now["team"]) & set(before["team"]) - {COMPANY}:
        return (
            f"No team's attainment can be compared between {before_label} and {now_label}: where a team had a quota "
            f"in both, it was under {MIN_QUOTA_SHARE:.0%} of the bookings in one of them, so attainment is not "
            "meaningful."
        )
    if moves.empty:
        return f"No team had a quota in both {before_label} and {now_label}, so attainment cannot be compared."
    top = moves.iloc[0]
    if round(abs(top["change"]) * 1000) == 0:  # shown to a tenth of a point, it would read as ±0.0 pts
        return f"No team's attainment moved against {before_label}."
    verb = "rose" if top["change"] > 0 else "fell"
    text = (
        f"Against {before_label}, {top['team']}'s attainment moved most: it {verb} from {fmt.percent(top['before'])} "
        f"to {fmt.percent(top['now'])} ({fmt.change(top['change'], 'share')})"
    )
    company_now, company_before = _company(stable_attainment(now)), _company(stable_attainment(before))
    if company_now is None or company_before is None:
        return text + "."
    return (
        text + f"; the company's went from {fmt.percent(company_before['attainment'])} to "
        f"{fmt.percent(company_now['attainment'])}."
    )


def _flags(coaching: CoachingReview, window: str, currency: str) -> str:
    """Who falls short of their peers beyond chance, and what the costliest shortfall cost; or why nobody is named."""
    top = costliest_flag(coaching)
    if top is None:
        return coaching_summary(coaching)
    names = list(ranked_flags(coaching)["rep"])
    listed = fmt.listed(names)
    verb = "falls" if len(names) == 1 else "fall"
    text = (
        f"{plural(len(names), 'established rep')} {verb} short of the rest of their team by more than chance "
        f"explains ({listed})"
    )
    if not top["bookings_short"] > 0:
        return text + "."
    return (
        text + f"; {top['rep']} booked {fmt.money(top['bookings_short'], currency)} less than an average "
        f"{top['team']} peer over {window}."
    )


def _quarter_over(quarter: Period, to_date: Period) -> bool:
    return to_date.end >= quarter.end


def _risk(
    gaps: pd.DataFrame,
    by_team: pd.DataFrame,
    quarter: Period,
    to_date: Period,
    coaching: CoachingReview,
    flags_text: str,
    currency: str,
) -> str:
    if not gaps.empty:
        top = gaps.iloc[0]
        of = f"{fmt.percent(top['attainment'])} of {fmt.money(top['quota'], currency)}"
        if _quarter_over(quarter, to_date):
            return (
                f"{top['team']} missed its {quarter.label} quota by {fmt.money(top['gap'], currency)} ({of}), "
                "the largest gap of any team."
            )
        left = quarter.months - to_date.months
        return (
            f"{top['team']} is furthest behind its quota to date: {fmt.money(top['gap'], currency)} short ({of}), "
            f"with {plural(left, 'month')} of {quarter.label} left."
        )
    if not coaching.flagged.empty:
        return flags_text
    coaching_text = coaching_summary(coaching)
    lowered = coaching_text[0].lower() + coaching_text[1:]
    if _company(by_team) is None:
        return f"No rep has a quota for {to_date.label}, so no team can fall short of one, and {lowered}"
    return f"No team is short of its quota to date, and {lowered}"


def _managers(data: SalesData, rep_ids: pd.Series) -> list[str]:
    """The managers named for the given reps in the reps table, in name order (none when it has no manager)."""
    if "manager" not in data.reps.columns:
        return []
    names = data.reps.loc[data.reps["rep_id"].isin(rep_ids), "manager"].dropna().astype(str).str.strip()
    return sorted({name for name in names if name})


def _with(managers: list[str], whose: str) -> str:
    """' with their manager, X' / ' with the team's managers, X and Y' / '' when nobody is named."""
    if not managers:
        return ""
    return f" with {whose} manager{'s' if len(managers) > 1 else ''}, {fmt.listed(managers)}"


def _action(
    data: SalesData,
    coaching: CoachingReview,
    gaps: pd.DataFrame,
    quarter: Period,
    to_date: Period,
    ramp_months: int | None,
    currency: str,
) -> str:
    top = costliest_flag(coaching)
    if top is not None:
        with_manager = _with(_managers(data, pd.Series([top["rep_id"]])), "their")
        if isinstance(top["loss_stage"], str):
            return (
                f"Review {top['rep']}'s losses at {top['loss_stage']}{with_manager}: "
                f"{fmt.percent(top['loss_share'])} of their closed deals are lost there, against "
                f"{fmt.percent(top['peers_loss_share'])} for their peers."
            )
        return f"Review {top['rep']}'s results{with_manager}: {top['rep']} {top['evidence']}."
    if not gaps.empty:
        team = gaps.iloc[0]
        members = data.reps.loc[data.reps["team"].astype("object") == team["team"], "rep_id"]
        with_manager = _with(_managers(data, members), "its")
        if _quarter_over(quarter, to_date):
            return (
                f"Review {team['team']}'s {quarter.label} shortfall of {fmt.money(team['gap'], currency)}"
                f"{with_manager}, before its next quarter's plan is set."
            )
        needed = _quarter_quota(data, quarter, team["team"]) - team["bookings"]
        return (
            f"Review {team['team']}'s pipeline{with_manager}: it needs {fmt.money(needed, currency)} more in the "
            f"{plural(quarter.months - to_date.months, 'month')} left to reach its {quarter.label} quota."
        )
    if ramp_months is not None:
        return (
            f"Hire at least {plural(ramp_months, 'month')} ahead of need: new hires reach 90% of an established "
            f"rep's deal creation in their month {ramp_months}."
        )
    return (
        "No action stands out: no team is short of its quota to date and no established rep falls short of their "
        "peers by more than chance explains."
    )


def _quarter_quota(data: SalesData, quarter: Period, team: str) -> float:
    """A team's quota for the whole quarter."""
    values = kpi_table(data, quarter, ["team"], ["quota"]).values
    return float(values.loc[values["team"] == team, "quota"].sum())


def _figures(
    data: SalesData,
    calendar: FiscalCalendar,
    review: TeamReview,
    now: pd.DataFrame,
    before: pd.DataFrame,
    before_label: str,
    ramp_months: int | None,
) -> list[Headline]:
    to_date, month = review.periods["quarter to date"], review.periods["month"]
    company_now, company_before = _company(now), _company(before)

    def to_date_figure(key: str, column: str, label: str, status_of_value: bool) -> Headline:
        value = math.nan if company_now is None else float(company_now[column])
        previous = math.nan if company_before is None else float(company_before[column])
        change = value - previous
        if math.isnan(value):
            status = NEUTRAL
        elif status_of_value:  # attainment to date against 100% of the quota to date
            status = GOOD if value >= 1 else BAD
        else:
            status = NEUTRAL if math.isnan(change) or change == 0 else GOOD if change > 0 else BAD
        change_text = "" if math.isnan(change) else f"{fmt.change(change, 'share')} vs {before_label}"
        if column == "attainment" and company_before is not None and attainment_caveat(company_before):
            change_text = ""  # no change is measured from an attainment too unstable to state
        figure = Headline(key, label, value, fmt.percent(value), change=change_text, status=status)
        unstable = column == "attainment" and company_now is not None and attainment_caveat(company_now)
        return findings.unstable_headline(figure) if unstable else figure

    months = calendar.months_between(month.start - pd.DateOffset(months=TREND_MONTHS - 1), month.end)
    series = kpi_series(data, months, [], ["reps_at_quota"]).set_index("period")["reps_at_quota"]
    flagged = len(review.coaching.flagged)
    compared = review.coaching.reps["strongest_p"].notna().any()
    return [
        to_date_figure("attainment_qtd", "attainment", f"Quota attainment, {to_date.label}", True),
        to_date_figure("reps_at_quota_qtd", "reps_at_quota", f"Reps at or above quota, {to_date.label}", False),
        trend_headline(
            "reps_at_quota_month",
            f"Reps at or above quota in {month.label}",
            series,
            fmt.percent,
            lambda v: fmt.change(v, "share"),
            "up",
        ),
        Headline(
            "coaching_flags",
            "Reps with a coaching signal",
            flagged,
            fmt.count(flagged),
            status=(BAD if flagged else GOOD) if compared else NEUTRAL,
        ),
        Headline(
            "ramp_months",
            "Months for a new hire to ramp",
            ramp_months,
            plural(ramp_months, "month") if ramp_months else "not seen",
            dashboard=False,  # a finding over years of hires, not a figure that moves month by month
        ),
    ]
