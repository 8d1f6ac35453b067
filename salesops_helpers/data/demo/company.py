"""The demo company as canonical tables, and writing it to a folder as CSV or Parquet."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from salesops_helpers.data.demo.deals import (
    CREATION_SEASON,
    END,
    YEARLY_GROWTH,
    Deal,
    day_of,
    simulate,
)
from salesops_helpers.data.demo.leads import lead_funnel
from salesops_helpers.data.demo.organisation import (
    AS_OF,
    DEFAULT_OPPORTUNITIES,
    FIRST_CREATED,
    FORECAST_CATEGORY,
    OPEN_STAGES,
    ROSTER,
    Rep,
    build_reps,
    month_starts,
    quota_rows,
    ramp,
)
from salesops_helpers.data.demo.readme import README_MARKER, readme_text
from salesops_helpers.data.demo.text import days_to_dates, moments, numbered, text
from salesops_helpers.data.model import CAMPAIGNS, LEADS, TABLES, TABLES_BY_NAME, Table

ACTIVITY_TYPES = ("Email", "Call", "Meeting", "Demo")
ACTIVITY_WEIGHTS = (0.45, 0.30, 0.15, 0.10)


@dataclass
class DemoCompany:
    """The demo company's canonical tables, with every value already written as text for the files."""

    opportunities: pd.DataFrame
    opportunity_history: pd.DataFrame
    reps: pd.DataFrame
    quotas: pd.DataFrame
    activities: pd.DataFrame
    rep_list: list[Rep]
    # Empty when the company was made without leads (they are then not written either).
    leads: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=LEADS.column_names))
    campaigns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CAMPAIGNS.column_names))

    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name to frame, in the data model's order (the lead tables only when there are leads)."""
        tables = {
            "opportunities": self.opportunities,
            "opportunity_history": self.opportunity_history,
            "reps": self.reps,
            "quotas": self.quotas,
            "activities": self.activities,
        }
        if len(self.leads):
            tables.update(leads=self.leads, campaigns=self.campaigns)
        return tables


def expected_deals(reps: list[Rep]) -> float:
    """Expected number of deals the reps create at rate scale 1 (used to size the company)."""
    total = 0.0
    for month in month_starts(FIRST_CREATED, AS_OF):
        season = CREATION_SEASON[month.month - 1] * (1 + YEARLY_GROWTH) ** ((month - FIRST_CREATED).days / 365)
        total += sum(
            r.team.deals_per_month * season * ramp(r.tenure_months(month)) for r in reps if r.employed_in(month)
        )
    return total


def current_owner(deal: Deal, successors: dict[str, Rep]) -> Rep:
    """The deal's owner now: a leaver's deals still open on their last day went to their successor."""
    rep = deal.owner
    if rep.end_date is None or rep.rep_id not in successors:
        return rep
    closed_before = deal.stage in {"Closed Won", "Closed Lost"} and deal.close <= day_of(rep.end_date)
    return rep if closed_before else successors[rep.rep_id]


def successors_of(reps: list[Rep]) -> dict[str, Rep]:
    """Each leaver's successor: the first teammate hired after they left, or else a tenured teammate."""
    found = {}
    for rep in reps:
        if rep.end_date is None:
            continue
        mates = [r for r in reps if r.team == rep.team and r.end_date is None]
        later = [r for r in mates if r.hire_date > rep.end_date]
        found[rep.rep_id] = (later or sorted(mates, key=lambda r: r.hire_date))[0]
    return found


def opportunity_table(deals: list[Deal], successors: dict[str, Rep]) -> pd.DataFrame:
    """One row per deal in its state at the end of the data."""
    created = np.array([d.created for d in deals])
    return pd.DataFrame(
        {
            "opportunity_id": [d.opportunity_id for d in deals],
            "name": [f"{d.account} - {d.product} ({d.deal_type})" for d in deals],
            "account": [d.account for d in deals],
            "owner_id": [current_owner(d, successors).rep_id for d in deals],
            "created_date": text(days_to_dates(np.floor(created))),
            "close_date": text(days_to_dates(np.array([d.close for d in deals]))),
            "stage": [d.stage for d in deals],
            "amount": [d.amount for d in deals],
            "currency": "USD",
            "segment": [d.segment for d in deals],
            "lead_source": [d.lead_source for d in deals],
            "deal_type": [d.deal_type for d in deals],
            "lost_reason": [d.lost_reason for d in deals],
            "forecast_category": [FORECAST_CATEGORY[d.stage] for d in deals],
            # The CRM stamps a deal whenever it changes, so its last change is its latest history record.
            "last_modified": text(moments(np.array([max([d.created, *(h[0] for h in d.history)]) for d in deals]))),
        }
    )


def history_table(deals: list[Deal]) -> pd.DataFrame:
    """One row per saved change of a deal, holding its state after the change."""
    ids, times, stages, amounts, closes = [], [], [], [], []
    for deal in deals:
        for when, stage, amount, close in deal.history:
            ids.append(deal.opportunity_id)
            times.append(when)
            stages.append(stage)
            amounts.append(amount)
            closes.append(close)
    return pd.DataFrame(
        {
            "opportunity_id": ids,
            "changed_at": text(moments(np.array(times))),
            "stage": stages,
            "amount": amounts,
            "close_date": text(days_to_dates(np.array(closes))),
        }
    )


def activity_table(
    deals: list[Deal], reps: list[Rep], successors: dict[str, Rep], seed: int, touches: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Calls, emails, meetings and demos: most on deals while they are open, some prospecting without a deal, and
    the first touches of leads (rep_id, when, type, opportunity_id, lead_id), if any."""
    rng = np.random.default_rng(seed)
    start = np.array([d.created for d in deals])
    stop = np.array(
        [min(float(d.close) + 0.99, END - 0.01) if d.stage.startswith("Closed") else END - 0.01 for d in deals]
    )
    stop = np.maximum(stop, start)
    depth = np.array([max(OPEN_STAGES.index(h[1]) for h in d.history if h[1] in OPEN_STAGES) for d in deals])
    counts = rng.poisson(1.0 + 1.1 * depth)
    which = np.repeat(np.arange(len(deals)), counts)
    when = start[which] + rng.random(len(which)) * (stop - start)[which]
    owner = np.array([d.owner.rep_id for d in deals])[which]
    later = np.array([current_owner(d, successors).rep_id for d in deals])[which]
    ends = np.array([day_of(d.owner.end_date) + 1 if d.owner.end_date else END for d in deals])[which]
    rep_ids = np.where(when < ends, owner, later)
    kinds = np.searchsorted(np.cumsum(ACTIVITY_WEIGHTS), rng.random(len(which)) * 0.999999)
    opp_ids = np.array([d.opportunity_id for d in deals])[which]

    # Prospecting with no deal yet: about six calls or emails per rep and month employed.
    loose_when: list[float] = []  # days since the epoch
    loose_rep: list[str] = []
    for month in month_starts(FIRST_CREATED, AS_OF):
        for rep in reps:
            if rep.employed_in(month):
                n = int(rng.poisson(6 * ramp(rep.tenure_months(month))))
                first = max(day_of(month), day_of(rep.hire_date))
                last = min(day_of(month) + 28, day_of(rep.end_date) if rep.end_date else END - 1)
                loose_when.extend(first + rng.random(n) * max(0, last - first))
                loose_rep.extend([rep.rep_id] * n)
    loose_kinds = (rng.random(len(loose_rep)) < 0.5).astype("int64")  # Email or Call
    frame = pd.DataFrame(
        {
            "rep_id": text(np.concatenate([rep_ids, np.array(loose_rep, dtype=rep_ids.dtype)])),
            "when": np.concatenate([when, np.array(loose_when, dtype="float64")]),
            "type": text(np.array(ACTIVITY_TYPES)[np.concatenate([kinds, loose_kinds])]),
            "opportunity_id": text(np.concatenate([opp_ids, np.full(len(loose_rep), "", dtype=opp_ids.dtype)])),
        }
    )
    if touches is not None:
        # Appended, then sorted stably on the same keys: the other activities keep their order among themselves.
        frame = pd.concat([frame.assign(lead_id=""), touches[[*frame.columns, "lead_id"]]], ignore_index=True)
    frame = frame.sort_values(["when", "rep_id", "opportunity_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "activity_id", text(numbered("ACT-", len(frame))))
    frame.insert(2, "occurred_at", text(moments(frame.pop("when").to_numpy())))
    return frame


def rep_table(reps: list[Rep]) -> pd.DataFrame:
    """One row per rep."""
    return pd.DataFrame(
        {
            "rep_id": [r.rep_id for r in reps],
            "name": [r.name for r in reps],
            "team": [r.team.name for r in reps],
            "region": [r.team.region for r in reps],
            "manager": [r.team.manager for r in reps],
            "role": "Account Executive",
            "hire_date": [r.hire_date.isoformat() for r in reps],
            "end_date": [r.end_date.isoformat() if r.end_date else "" for r in reps],
        }
    )


def generate_demo_company(
    seed: int = 42, opportunities: int | None = None, reps: int | None = None, leads: int | None = None
) -> DemoCompany:
    """Build the demo company deterministically from seed, with about `opportunities` deals, about `reps` reps
    (default: as many as the deals need at the committed company's pace) and about `leads` leads (default 2.5 per
    deal, at least one per New Business deal; 0 for none: then the company is the one made before leads existed)."""
    target = opportunities or DEFAULT_OPPORTUNITIES
    rnd = random.Random(seed)
    scale = reps / len(ROSTER) if reps else target / DEFAULT_OPPORTUNITIES
    roster = build_reps(scale, rnd)
    deals = simulate(roster, target / expected_deals(roster), rnd)
    successors = successors_of(roster)
    quotas = pd.DataFrame(quota_rows(roster), columns=["rep_id", "period_start", "quota"])
    funnel = lead_funnel(deals, roster, seed, leads)
    opps = opportunity_table(deals, successors)
    company = DemoCompany(
        opportunities=opps,
        opportunity_history=history_table(deals),
        reps=rep_table(roster),
        quotas=quotas,
        activities=activity_table(deals, roster, successors, seed, funnel.touches if funnel else None),
        rep_list=roster,
    )
    if funnel is not None:
        opps["lead_id"], opps["campaign"] = funnel.deal_lead, funnel.deal_campaign
        company.leads, company.campaigns = funnel.leads, funnel.campaigns
    return company


def _write_parquet(frame: pd.DataFrame, table: Table, path: Path) -> None:
    """Write a table as Parquet with the types its data model gives: dates, numbers, dictionary-encoded labels."""
    typed = frame.copy()
    for column in table.columns:
        if column.name not in typed:
            continue
        values = typed[column.name].replace("", None)
        if column.kind in {"date", "datetime"}:
            # Without a cache: moments are nearly all distinct, and caching them costs four times the parsing.
            typed[column.name] = pd.to_datetime(values, cache=False)
        elif column.kind == "amount":
            typed[column.name] = values.astype("float64")
        elif column.kind == "category":
            typed[column.name] = values.astype("category")
    typed.to_parquet(path, index=False)


def write_demo_company(
    out: Path,
    seed: int = 42,
    opportunities: int | None = None,
    file_format: str = "csv",
    reps: int | None = None,
    leads: int | None = None,
) -> list[Path]:
    """Write the demo company's tables and its README to out; returns the files written."""
    readme = out / "README.md"
    tables = [out / f"{table.name}.{ext}" for table in TABLES for ext in ("csv", "parquet")]
    ours = readme.is_file() and readme.read_text(encoding="utf-8").startswith(README_MARKER)
    if any(p.exists() for p in tables) and not ours:
        raise FileExistsError(f"{out} holds data that is not a demo company; choose an empty folder for --out")
    company = generate_demo_company(seed, opportunities, reps, leads)
    about = readme_text(company, seed, opportunities, file_format, reps, leads)
    out.mkdir(parents=True, exist_ok=True)
    for stale in tables:
        stale.unlink(missing_ok=True)
    written = []
    for name, frame in company.tables().items():
        path = out / f"{name}.{file_format}"
        if file_format == "csv":
            frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        else:
            _write_parquet(frame, TABLES_BY_NAME[name], path)
        written.append(path)
    readme.write_text(about, encoding="utf-8", newline="\n")
    written.append(readme)
    return written
