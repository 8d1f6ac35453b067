"""The demo company's lead funnel: leads, campaigns, first touches, and the lead each New Business deal came from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import pyarrow as pa

from salesops_helpers.data.demo.deals import END, SEGMENT_SIZE, Deal, day_of
from salesops_helpers.data.demo.organisation import FISCAL_YEAR_START_MONTH, Rep
from salesops_helpers.data.demo.text import (
    BASE,
    dates_or_empty,
    labels,
    moments,
    moments_or_empty,
    numbered,
    text,
)
from salesops_helpers.data.model import CAMPAIGNS, LEADS

# The lead funnel draws from its own stream of the seed, so the deals never change with it.
STREAM = 0x1EAD
LEADS_PER_DEAL = 2.5  # leads in the file per deal, by default

# The planted truths of the funnel.
# Paid Social brings the most leads (its share of all leads) and its MQLs become SQLs less often (the factor).
POOR_CHANNEL = ("Paid Social", 0.25, 0.5)
# A team slow to follow up: median office days from a lead's assignment to its first touch (the other teams take
# RESPONSE_DAYS), a factor on its MQLs' chance of becoming SQLs, and how many more unconverted leads per deal it gets.
SLOW_TEAM = ("Mid-Market", 1.3, 0.3, 2.0)
# Inbound deals come from Webinar leads the more often the larger they are: the odds grow with amount ** power.
LARGE_DEAL_CHANNEL = ("Webinar", 0.9)

# The channel of a deal's lead from its lead_source; an Inbound deal's is drawn from INBOUND_CHANNELS.
SOURCE_CHANNELS = {"Event": "Events", "Outbound": "Outbound", "Partner": "Partner", "Referral": "Referral"}
INBOUND_CHANNELS = {"Paid Search": 0.30, "Organic Search": 0.25, "Webinar": 0.17, "Content": 0.16, "Paid Social": 0.12}
CHANNELS = (*INBOUND_CHANNELS, "Events", "Outbound", "Partner", "Referral")
# Marketing's channels, as the workbook's funnel configuration counts them: all but the sales team's and partners'.
MARKETING_CHANNELS = tuple(c for c in CHANNELS if c not in {"Outbound", "Partner"})
# Each channel's share of all leads: its unconverted leads fill it up to that share beside its converted ones.
CHANNEL_SHARE = {
    "Paid Search": 0.14,
    "Organic Search": 0.08,
    "Webinar": 0.07,
    "Content": 0.08,
    POOR_CHANNEL[0]: POOR_CHANNEL[1],
    "Events": 0.08,
    "Outbound": 0.18,
    "Partner": 0.07,
    "Referral": 0.05,
}
# Channels run as paid campaigns, with what a lead costs in each (USD); the others have no campaign.
COST_PER_LEAD = {"Paid Search": 180.0, "Paid Social": 70.0, "Webinar": 120.0, "Events": 450.0, "Content": 90.0}
# Chance that an unconverted lead of the channel becomes an MQL.
MQL_CHANCE = {
    "Paid Search": 0.6,
    "Organic Search": 0.6,
    "Webinar": 0.65,
    "Content": 0.5,
    "Paid Social": 0.3,
    "Events": 0.55,
    "Outbound": 0.5,
    "Partner": 0.7,
    "Referral": 0.75,
}
SQL_CHANCE = 0.3  # that an unconverted MQL that was followed up becomes an SQL
UNFOLLOWED_MQLS = 0.08  # share of all MQLs nobody ever follows up
UNFOLLOWED_OTHERS = 0.1  # share of the other unconverted leads nobody follows up (Outbound leads always are)
UNOWNED = 0.03  # share of unconverted leads never given to an owner
# Office days (1.0 is a working day of ten hours) from creation to assignment, median by channel ...
ASSIGN_DAYS = {"Events": 0.6, "Partner": 0.15, "Referral": 0.15, "Outbound": 0.0}
ASSIGN_DAYS_INBOUND = 0.02
# ... and from assignment to the first touch, median for the teams that follow up promptly.
RESPONSE_DAYS = 0.2
STATUSES = ("Open", "Working", "Nurture", "Disqualified", "Converted")
# Chances of Working, Nurture and Disqualified for an unconverted lead that was followed up, created in the last
# RECENT_DAYS or before.
RECENT_DAYS = 45
STATUS_RECENT = (0.6, 0.15, 0.25)
STATUS_OLD = (0.04, 0.44, 0.52)
DISQUALIFIED_REASONS = ("No budget", "Not a fit", "Student / job seeker", "Competitor", "Bad contact data")
REASON_WEIGHTS = (0.3, 0.35, 0.05, 0.1, 0.2)
REASON_WEIGHTS_POOR = (0.1, 0.2, 0.35, 0.05, 0.3)
SEGMENTS = tuple(SEGMENT_SIZE)


@dataclass
class LeadFunnel:
    """The leads and campaigns tables as text, the first touches to add to activities, and each deal's lead."""

    leads: pd.DataFrame
    campaigns: pd.DataFrame
    touches: pd.DataFrame  # rep_id, when (day offset), type, opportunity_id (empty), lead_id
    deal_lead: pd.Series  # lead_id of each deal, "" when it came from none
    deal_campaign: pd.Series  # campaign of each deal, "" when none


@dataclass
class _Deals:
    """The deals as arrays; owner is the first owner's index in the reps' arrays."""

    created: np.ndarray
    new_business: np.ndarray
    source: np.ndarray
    segment: np.ndarray
    amount: np.ndarray
    owner: np.ndarray
    ids: np.ndarray
    rep_ids: np.ndarray
    rep_slow: np.ndarray  # whether the rep is in SLOW_TEAM
    rep_first: np.ndarray  # first day offset the rep works in the data
    rep_end: np.ndarray  # first day offset the rep no longer works (END at the latest)


@dataclass
class _Leads:
    """Lead rows as arrays: day offsets as floats (NaN when missing), labels as codes (-1 when missing)."""

    created: np.ndarray
    channel: np.ndarray  # in CHANNELS
    owner: np.ndarray  # in the reps' arrays
    segment: np.ndarray  # in SEGMENTS
    assigned: np.ndarray
    touch: np.ndarray
    mql: np.ndarray  # whole days
    sql: np.ndarray
    converted: np.ndarray
    status: np.ndarray  # in STATUSES
    reason: np.ndarray  # in DISQUALIFIED_REASONS
    deal: np.ndarray  # the deal converted to


def default_lead_count(deals: int) -> int:
    """How many leads a company of this many deals has, by default."""
    return round(LEADS_PER_DEAL * deals)


def lead_funnel(deals: list[Deal], reps: list[Rep], seed: int, count: int | None = None) -> LeadFunnel | None:
    """The lead funnel behind the deals: one converted lead per New Business deal, and unconverted leads up to about
    count leads in all (default LEADS_PER_DEAL per deal); None for count 0."""
    if count == 0 or not deals:
        return None
    rng = np.random.default_rng([seed, STREAM])
    book = _deal_arrays(deals, reps)
    converted = _converted(book, rng)
    total = default_lead_count(len(deals)) if count is None else count
    unconverted = _unconverted(book, converted, max(0, total - len(converted.created)), rng)
    rows = _Leads(*(np.concatenate([getattr(converted, f.name), getattr(unconverted, f.name)]) for f in fields(_Leads)))
    _leave_unfollowed(rows, rng)
    order = np.argsort(rows.created, kind="stable")
    rows = _Leads(*(getattr(rows, f.name)[order] for f in fields(_Leads)))
    ids = numbered("LEAD-", len(order))
    campaign, names, campaigns = _campaigns(rows, rng)
    lead_of_deal = np.full(len(deals), len(order))
    campaign_of_deal = np.full(len(deals), -1)
    linked = np.flatnonzero(rows.deal >= 0)
    lead_of_deal[rows.deal[linked]] = linked
    campaign_of_deal[rows.deal[linked]] = campaign[linked]
    return LeadFunnel(
        leads=_lead_table(rows, ids, campaign, names, book),
        campaigns=campaigns,
        touches=_touches(rows, ids, book, rng),
        deal_lead=text(labels(pa.concat_arrays([ids, pa.array([""])]), lead_of_deal)),
        deal_campaign=text(_or_empty(names, campaign_of_deal)),
    )


def _deal_arrays(deals: list[Deal], reps: list[Rep]) -> _Deals:
    """The deals and their first owners as arrays."""
    index = {rep.rep_id: i for i, rep in enumerate(reps)}
    segment = {name: i for i, name in enumerate(SEGMENTS)}
    return _Deals(
        created=np.array([d.created for d in deals], dtype="float64"),
        new_business=np.array([d.deal_type == "New Business" for d in deals]),
        source=np.array([d.lead_source for d in deals]),
        segment=np.array([segment[d.segment] for d in deals], dtype="int64"),
        amount=np.array([d.amount for d in deals], dtype="float64"),
        owner=np.array([index[d.owner.rep_id] for d in deals], dtype="int64"),
        ids=np.array([d.opportunity_id for d in deals]),
        rep_ids=np.array([r.rep_id for r in reps]),
        rep_slow=np.array([r.team.name == SLOW_TEAM[0] for r in reps]),
        rep_first=np.array([max(day_of(r.hire_date), 0) for r in reps], dtype="float64"),
        rep_end=np.array([min(day_of(r.end_date) + 1, END) if r.end_date else END for r in reps], dtype="float64"),
    )


def _draw(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One column index per row of weights, drawn in proportion to the row's weights."""
    cumulative = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cumulative[:, -1]
    return np.minimum((cumulative <= u[:, None]).sum(axis=1), weights.shape[1] - 1)


def _draw_each(rng: np.random.Generator, chances: tuple[float, ...], n: int) -> np.ndarray:
    """n indices into chances, each drawn in proportion to them."""
    return np.searchsorted(np.cumsum(chances) / sum(chances), rng.random(n), side="right")


def _delays(rng: np.random.Generator, medians: np.ndarray) -> np.ndarray:
    """Log-normal delays around the medians (office days), at least a few minutes unless the median is 0."""
    return np.where(medians > 0, np.maximum(medians * np.exp(rng.normal(0.0, 1.0, len(medians))), 0.005), 0.0)


def _assign_medians(channel: np.ndarray) -> np.ndarray:
    """The median assignment delay of each lead's channel."""
    return np.array([ASSIGN_DAYS.get(c, ASSIGN_DAYS_INBOUND) for c in CHANNELS])[channel]


def _response_medians(slow: np.ndarray) -> np.ndarray:
    """The median delay from assignment to first touch for leads of the slow team and of the others."""
    return np.where(slow, SLOW_TEAM[1], RESPONSE_DAYS)


def _converted(book: _Deals, rng: np.random.Generator) -> _Leads:
    """One converted lead per New Business deal, owned by its first owner, created 1 to 40 days before it."""
    deal = np.flatnonzero(book.new_business)
    n = len(deal)
    created_deal, source, amount = book.created[deal], book.source[deal], book.amount[deal]
    owner = book.owner[deal]

    sources, which = np.unique(source, return_inverse=True)
    channel = np.array([CHANNELS.index(SOURCE_CHANNELS.get(s, "Paid Search")) for s in sources])[which]
    inbound = source == "Inbound"
    if inbound.any():
        weights = np.tile(np.array(list(INBOUND_CHANNELS.values())), (int(inbound.sum()), 1))
        size = (amount[inbound] / np.median(amount[inbound])) ** LARGE_DEAL_CHANNEL[1]
        weights[:, list(INBOUND_CHANNELS).index(LARGE_DEAL_CHANNEL[0])] *= size / size.mean()
        channel[inbound] = _draw(rng, weights)

    deal_day = np.floor(created_deal)
    # Not before the owner's first day nor before the data starts (a lead on the deal's own day only when the deal
    # came on that very day).
    room = np.minimum(deal_day - book.rep_first[owner], 40.0)
    lead_day = deal_day - np.where(room >= 1, 1 + np.floor(rng.random(n) * room), 0.0)
    fraction = rng.random(n) * 0.999
    created = lead_day + np.where(lead_day < deal_day, fraction, (created_deal - deal_day) * fraction)
    mql = lead_day + np.floor(rng.random(n) * (deal_day - lead_day + 1))
    sql = mql + np.floor(rng.random(n) * (deal_day - mql + 1))
    # Assigned and first touched before the deal was created.
    assigned = created + np.minimum(_delays(rng, _assign_medians(channel)), 0.3 * (created_deal - created))
    response = _delays(rng, _response_medians(book.rep_slow[owner]))
    touch = assigned + np.minimum(response, 0.9 * (created_deal - assigned))
    return _Leads(
        created=created,
        channel=channel,
        owner=owner,
        segment=book.segment[deal],
        assigned=assigned,
        touch=touch,
        mql=mql,
        sql=sql,
        converted=deal_day,
        status=np.full(n, STATUSES.index("Converted")),
        reason=np.full(n, -1),
        deal=deal,
    )


def _unconverted(book: _Deals, converted: _Leads, n: int, rng: np.random.Generator) -> _Leads:
    """n leads that never became deals: created as deals are (growing with the company, by reps employed then),
    each channel filled up to its share of all leads."""
    in_channel = np.bincount(converted.channel, minlength=len(CHANNELS))
    share = np.array([CHANNEL_SHARE[c] for c in CHANNELS])
    wanted = np.maximum(share * (n + len(converted.created)) - in_channel, 0.0) + 1e-9
    channel = rng.choice(len(CHANNELS), size=n, p=wanted / wanted.sum())

    # Each lead takes its moment, owner and segment from a deal drawn at random (the slow team's more often).
    weight = np.where(book.rep_slow[book.owner], SLOW_TEAM[3], 1.0)
    like = rng.choice(len(book.created), size=n, p=weight / weight.sum())
    rep = book.owner[like]
    first, last = book.rep_first[rep], book.rep_end[rep] - 0.01
    created = book.created[like] + rng.uniform(-3.0, 3.0, n)
    created = np.where(created > last, 2 * last - created, created)  # reflected, so no lead piles up at an end
    created = np.clip(np.where(created < first, 2 * first - created, created), first, last)
    owned = rng.random(n) >= UNOWNED
    owner = np.where(owned, rep, -1)
    slow = owned & book.rep_slow[rep]

    lead_day = np.floor(created)
    mql_chance = np.array([MQL_CHANCE[c] for c in CHANNELS])[channel]
    mql = lead_day + np.floor(rng.exponential(2.0, n))
    mql = np.where((rng.random(n) < mql_chance) & (mql < END), mql, np.nan)

    assigned = np.where(owned, created + _delays(rng, _assign_medians(channel)), np.nan)
    touch = assigned + _delays(rng, _response_medians(slow))
    outbound = channel == CHANNELS.index("Outbound")
    is_mql = ~np.isnan(mql)
    followed = owned & (is_mql | (rng.random(n) >= UNFOLLOWED_OTHERS) | outbound)
    followed &= (touch < END - 0.01) & (touch < last + 0.01)
    touch = np.where(followed, touch, np.nan)

    sql_chance = np.where(slow, SQL_CHANCE * SLOW_TEAM[2], SQL_CHANCE)
    poor = channel == CHANNELS.index(POOR_CHANNEL[0])
    sql_chance = np.where(poor, sql_chance * POOR_CHANNEL[2], sql_chance)
    sql = np.maximum(mql, np.floor(touch)) + np.floor(rng.exponential(6.0, n))
    sql = np.where(followed & (rng.random(n) < sql_chance) & (sql < END), sql, np.nan)

    recent = lead_day >= END - RECENT_DAYS
    status = 1 + np.where(recent, _draw_each(rng, STATUS_RECENT, n), _draw_each(rng, STATUS_OLD, n))
    reason = np.where(poor, _draw_each(rng, REASON_WEIGHTS_POOR, n), _draw_each(rng, REASON_WEIGHTS, n))
    return _Leads(
        created=created,
        channel=channel,
        owner=owner,
        segment=book.segment[like],
        assigned=assigned,
        touch=touch,
        mql=mql,
        sql=sql,
        converted=np.full(n, np.nan),
        status=status,
        reason=reason,
        deal=np.full(n, -1),
    )


def _leave_unfollowed(rows: _Leads, rng: np.random.Generator) -> None:
    """Leave UNFOLLOWED_MQLS of all MQLs without any follow-up (unconverted ones only), and settle statuses."""
    is_mql = ~np.isnan(rows.mql)
    unconverted = rows.deal < 0
    missing = round(UNFOLLOWED_MQLS * is_mql.sum()) - int((is_mql & np.isnan(rows.touch)).sum())
    candidates = np.flatnonzero(is_mql & unconverted & ~np.isnan(rows.touch))
    if missing > 0 and len(candidates):
        dropped = rng.choice(candidates, size=min(missing, len(candidates)), replace=False)
        rows.touch[dropped] = np.nan
        rows.sql[dropped] = np.nan
    rows.status[unconverted & np.isnan(rows.touch)] = STATUSES.index("Open")
    rows.reason[rows.status != STATUSES.index("Disqualified")] = -1


def _or_empty(names: Sequence[str] | np.ndarray, codes: np.ndarray) -> pa.Array:
    """names[code] for each code, "" for code -1."""
    return labels(np.append(np.asarray(names, dtype="str"), ""), np.where(codes < 0, len(names), codes))


def _campaigns(rows: _Leads, rng: np.random.Generator) -> tuple[np.ndarray, list[str], pd.DataFrame]:
    """Each lead's campaign (its channel's campaign in the fiscal quarter it was created in; -1 for none), the
    campaigns' names, and the campaigns table: one per campaign channel and quarter with leads, costing about
    COST_PER_LEAD a lead."""
    months = (BASE.astype("datetime64[D]") + np.floor(rows.created).astype("int64")).astype("datetime64[M]")
    shift = FISCAL_YEAR_START_MONTH - 1
    quarter = (months.astype("int64") - shift) // 3 * 3 + shift  # the quarter's first month, in months since 1970
    in_campaign = np.isin(rows.channel, [CHANNELS.index(c) for c in COST_PER_LEAD])
    key = quarter * len(CHANNELS) + rows.channel
    keys, inverse, counts = np.unique(key[in_campaign], return_inverse=True, return_counts=True)
    names, channels, starts, ends, costs = [], [], [], [], []
    for k, leads, factor in zip(keys, counts, np.exp(rng.normal(0.0, 0.2, len(keys))), strict=True):
        first_month, channel = divmod(int(k), len(CHANNELS))
        start = np.datetime64(first_month, "M")
        year, month = (int(part) for part in str(start).split("-"))
        fiscal_year = year + 1 if month >= FISCAL_YEAR_START_MONTH else year
        names.append(f"FY{fiscal_year} Q{(month - FISCAL_YEAR_START_MONTH) % 12 // 3 + 1} {CHANNELS[channel]}")
        channels.append(CHANNELS[channel])
        starts.append(str(start.astype("datetime64[D]")))
        ends.append(str((start + 3).astype("datetime64[D]") - 1))
        costs.append(str(100 * int(leads * COST_PER_LEAD[CHANNELS[channel]] * factor / 100.0 + 0.5)))
    campaign = np.full(len(rows.created), -1)
    campaign[in_campaign] = inverse
    table = pd.DataFrame(
        {"campaign": names, "channel": channels, "start_date": starts, "end_date": ends, "cost": costs}
    )
    table = table.sort_values(["start_date", "channel"], kind="stable").reset_index(drop=True)
    return campaign, names, table[CAMPAIGNS.column_names]


def _lead_table(rows: _Leads, ids: pa.Array, campaign: np.ndarray, names: list[str], book: _Deals) -> pd.DataFrame:
    """The leads table, every value written as text."""
    columns = {
        "lead_id": ids,
        "created_at": moments(rows.created),
        "source": labels(np.array(CHANNELS), rows.channel),
        "campaign": _or_empty(names, campaign),
        "owner_id": _or_empty(book.rep_ids, rows.owner),
        "status": labels(np.array(STATUSES), rows.status),
        "mql_date": dates_or_empty(rows.mql),
        "sql_date": dates_or_empty(rows.sql),
        "converted_date": dates_or_empty(rows.converted),
        "opportunity_id": _or_empty(book.ids, rows.deal),
        "assigned_at": moments_or_empty(rows.assigned),
        "disqualified_reason": _or_empty(DISQUALIFIED_REASONS, rows.reason),
        "segment": labels(np.array(SEGMENTS), rows.segment),
    }
    return pd.DataFrame({name: text(columns[name]) for name in LEADS.column_names})


def _touches(rows: _Leads, ids: pa.Array, book: _Deals, rng: np.random.Generator) -> pd.DataFrame:
    """One first touch (a call or an email by the lead's owner) per lead that was followed up."""
    touched = np.flatnonzero(~np.isnan(rows.touch))
    n = len(touched)
    return pd.DataFrame(
        {
            "rep_id": text(labels(book.rep_ids, rows.owner[touched])),
            "when": rows.touch[touched],
            "type": text(labels(np.array(["Email", "Call"]), (rng.random(n) >= 0.55).astype("int64"))),
            "opportunity_id": text(np.full(n, "")),
            "lead_id": text(ids.take(pa.array(touched, pa.int64()))),
        }
    )
