"""The demo company's deals: creation by rep and month, then each deal's walk through the stages."""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from salesops_helpers.data.demo.organisation import (
    AS_OF,
    FIRST_CREATED,
    LOST,
    OPEN_STAGES,
    WON,
    Rep,
    add_months,
    month_starts,
    ramp,
)

END = (AS_OF - FIRST_CREATED).days + 1  # day offsets are days since FIRST_CREATED; END is the first day not seen
PROPOSAL = OPEN_STAGES.index("Proposal")
NEGOTIATION = OPEN_STAGES.index("Negotiation")

# Chance to move on from each open stage, and median days spent in it, for an average deal.
ADVANCE = (0.66, 0.74, 0.72, 0.74, 0.80)
MEDIAN_DAYS = (7.0, 11.0, 15.0, 17.0, 13.0)
SEGMENT_PACE = {"Enterprise": 1.5, "Mid-Market": 1.0, "SMB": 0.6}
SEGMENT_SIZE = {"Enterprise": (62000, 0.55, 500), "Mid-Market": (21000, 0.5, 100), "SMB": (6800, 0.45, 50)}
# The planted bottleneck: Enterprise deals in Proposal convert far less often and wait far longer.
BOTTLENECK = ("Enterprise", "Proposal", 0.44, 2.6)
# The planted under-performing rep loses more deals at each of these stages.
WEAK_STAGES = ("Discovery", "Proposal", "Negotiation")
# Planted for deal inspection: a deal pushed out twice or more moves on less often at each later stage ...
PUSHED_OFTEN = (2, 0.8)  # (pushes, factor on the chance of moving on)
# ... and one team calls Commit too early: its deals in Negotiation (Commit) are won far less often.
OPTIMISTIC_COMMIT = ("EMEA", 0.6)  # (team, factor on the chance of winning from Negotiation)

LEAD_SOURCES = {
    "Inbound": (0.35, 1.0),
    "Outbound": (0.30, 0.8),
    "Partner": (0.15, 1.15),
    "Event": (0.10, 0.9),
    "Referral": (0.10, 1.3),
}
DEAL_TYPES = {"New Business": (0.62, 1.0, 1.0), "Expansion": (0.28, 1.2, 0.6), "Renewal": (0.10, 1.6, 0.8)}
LOST_REASONS = (
    {"No budget": 3, "Not a fit": 3, "No response": 4},
    {"No budget": 3, "Not a fit": 4, "No response": 2, "No decision": 1},
    {"No decision": 3, "Not a fit": 2, "Lost to competitor": 3, "No budget": 2},
    {"Lost to competitor": 4, "Price": 3, "No decision": 2, "Timing": 1},
    {"Lost to competitor": 3, "Price": 4, "No decision": 1, "Timing": 2},
)
PRODUCTS = ("Platform", "Analytics Suite", "Forecasting Add-on", "Data Connectors", "Premium Support")
ACCOUNT_WORDS = (
    "Acme",
    "Apex",
    "Blue",
    "Cedar",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Harbor",
    "Iron",
    "Juniper",
    "Keystone",
    "Lumen",
    "Maple",
    "Nimbus",
    "Orbit",
    "Pioneer",
    "Quartz",
    "River",
    "Summit",
    "Tidal",
    "Union",
    "Vertex",
    "Willow",
    "Zenith",
)
ACCOUNT_KINDS = (
    "Logistics",
    "Retail",
    "Foods",
    "Freight",
    "Outfitters",
    "Markets",
    "Supply",
    "Distribution",
    "Home",
    "Pharma",
    "Motors",
    "Apparel",
)
CREATION_SEASON = (1.0, 1.15, 1.1, 1.0, 0.95, 0.9, 0.7, 0.65, 1.05, 1.2, 1.15, 0.8)  # January to December
# Chance that a deal in Negotiation signs, by calendar month: budgets are spent before the year ends, and
# decisions wait while buyers are on summer holiday.
DECISION_SEASON = (1.3, 1.0, 1.0, 1.05, 1.0, 0.95, 0.75, 0.7, 0.9, 1.05, 1.15, 1.25)
YEARLY_GROWTH = 0.12


@dataclass
class Deal:
    """One simulated deal: its current state and its history rows (day offset, stage, amount, close day)."""

    opportunity_id: str
    owner: Rep
    created: float
    segment: str
    lead_source: str
    deal_type: str
    account: str
    product: str
    amount: int
    close: int
    stage: str = OPEN_STAGES[0]
    lost_reason: str = ""
    pushes: int = 0  # times the expected close day was pushed out
    history: list[tuple[float, str, int, int]] = field(default_factory=list)

    def record(self, when: float) -> None:
        """Save the deal's current state as a history row at time when (unless nothing changed at all)."""
        row = (when, self.stage, self.amount, self.close)
        if not self.history or self.history[-1] != row:
            self.history.append(row)


def day_of(d: date) -> int:
    """Day offset of a calendar day."""
    return (d - FIRST_CREATED).days


def poisson(rnd: random.Random, mean: float) -> int:
    """A Poisson draw by Knuth's method (exact and stable across Python versions; means here are small)."""
    limit, k, product = math.exp(-mean), 0, rnd.random()
    while product > limit:
        k += 1
        product *= rnd.random()
    return k


def weighted(rnd: random.Random, weights: Mapping[str, float]) -> str:
    """One key of weights, drawn in proportion to its weight."""
    keys = list(weights)
    return rnd.choices(keys, weights=[weights[k] for k in keys])[0]


QUARTER_ENDS = [day_of(add_months(date(2023, 2, 1), 3 * i)) - 1 for i in range(1, 24)]
MONTH_ENDS = [day_of(m) - 1 for m in month_starts(add_months(FIRST_CREATED, 1), date(2029, 1, 1))]


class DealSimulator:
    """Walks deals through the stages; every random draw comes from one seeded generator."""

    def __init__(self, rnd: random.Random) -> None:
        self.rnd = rnd

    def stage_days(self, deal: Deal, index: int) -> float:
        """Days the deal spends in an open stage before its next move."""
        days = MEDIAN_DAYS[index] * SEGMENT_PACE[deal.segment] * math.exp(self.rnd.gauss(0.0, 0.6))
        if (deal.segment, OPEN_STAGES[index]) == BOTTLENECK[:2]:
            days *= BOTTLENECK[3]
        return days

    def advance_chance(self, deal: Deal, index: int, when: float) -> float:
        """Chance that the deal moves on from stage index rather than being lost."""
        rep = deal.owner
        factor = rep.skill * LEAD_SOURCES[deal.lead_source][1] * DEAL_TYPES[deal.deal_type][1]
        factor *= 0.75 + 0.25 * ramp(rep.tenure_months(FIRST_CREATED + timedelta(days=int(when))))
        chance = ADVANCE[index] * factor**0.2
        if (deal.segment, OPEN_STAGES[index]) == BOTTLENECK[:2]:
            chance = BOTTLENECK[2] * factor**0.2
        if rep.trait == "underperformer" and OPEN_STAGES[index] in WEAK_STAGES:
            chance *= 0.72
        if index == NEGOTIATION:
            chance *= DECISION_SEASON[(FIRST_CREATED + timedelta(days=int(when))).month - 1]
            if rep.team.name == OPTIMISTIC_COMMIT[0]:
                chance *= OPTIMISTIC_COMMIT[1]
        if deal.pushes >= PUSHED_OFTEN[0]:
            chance *= PUSHED_OFTEN[1]
        return min(chance, 0.97)

    def expected_close(self, deal: Deal, when: float, remaining: float) -> int:
        """A close day as a rep would set it: optimistic, often rounded to a month end."""
        optimism = self.rnd.uniform(0.3, 0.5) if deal.owner.trait == "slipper" else self.rnd.uniform(0.75, 1.3)
        day = int(when + max(5.0, remaining * optimism))
        if self.rnd.random() < 0.5:
            day = MONTH_ENDS[min(bisect.bisect_left(MONTH_ENDS, day), len(MONTH_ENDS) - 1)]
        return day

    def push(self, deal: Deal, now: float, until: float) -> None:
        """Push the expected close day out, with a history row each time, until it lies beyond until."""
        slipper = deal.owner.trait == "slipper"
        while deal.close < until and deal.close < END + 400:
            when = max(now, deal.close - self.rnd.uniform(0.0, 4.0))
            if when >= END:
                return
            deal.close += int(self.rnd.uniform(8, 20) if slipper else self.rnd.uniform(20, 45))
            deal.pushes += 1
            deal.record(when)
            now = when

    def walk(self, deal: Deal) -> None:
        """Simulate the deal from creation to its outcome or to the end of the data."""
        rnd = self.rnd
        index = 1 if deal.lead_source in {"Inbound", "Referral"} and rnd.random() < 0.4 else 0
        deal.stage = OPEN_STAGES[index]
        typical = sum(MEDIAN_DAYS[index:]) * SEGMENT_PACE[deal.segment]
        deal.close = self.expected_close(deal, deal.created, typical)
        deal.record(deal.created)
        now, regressed, reopened = deal.created, False, False
        stale = rnd.random() < 0.12  # the rep stops updating the close date of this deal
        while True:
            days = self.stage_days(deal, index) * (6.0 if rnd.random() < 0.03 else 1.0)
            if (FIRST_CREATED + timedelta(days=int(now))).month in {7, 8}:
                days *= 1.4  # buyers are on holiday
            moves_on = rnd.random() < self.advance_chance(deal, index, now)
            nxt = now + (days if moves_on else days * 1.3)
            if not stale or deal.close < now:
                self.push(deal, now, min(nxt, END))
            if nxt >= END:
                return  # still open at the end of the data
            now = nxt
            if not moves_on:
                deal.stage, deal.lost_reason = LOST, weighted(rnd, LOST_REASONS[index])
                deal.close = int(now)
                deal.record(now)
                if index >= PROPOSAL and not reopened and rnd.random() < 0.06:
                    later = now + rnd.uniform(20, 90)
                    if later >= END:
                        return
                    reopened, now, index = True, later, PROPOSAL
                    deal.stage, deal.lost_reason = OPEN_STAGES[index], ""
                    deal.close = self.expected_close(deal, now, 45.0)
                    deal.record(now)
                    continue
                return
            if index >= PROPOSAL and not regressed and rnd.random() < 0.06:
                regressed, index = True, index - 1
            elif index == NEGOTIATION:
                self.win(deal, now)
                return
            else:
                skip = index + 2 <= NEGOTIATION and rnd.random() < 0.07
                index += 2 if skip else 1
            deal.stage = OPEN_STAGES[index]
            deal.record(now)
            if index == PROPOSAL and rnd.random() < 0.2:
                new_amount = self.rounded(deal, deal.amount * rnd.uniform(0.75, 1.25))
                # Half the amount changes are saved separately, a moment later or at the very same time.
                when = now + (0.0 if rnd.random() < 0.5 else rnd.uniform(0.01, 2.0))
                if when < END:
                    deal.amount, now = new_amount, when
                    deal.record(now)

    def win(self, deal: Deal, now: float) -> None:
        """Close the deal as won; deals that could close early in the next quarter often close at quarter end."""
        day = int(now)
        quarter = bisect.bisect_left(QUARTER_ENDS, day)
        previous_end, quarter_end = QUARTER_ENDS[quarter - 1], QUARTER_ENDS[quarter]
        last_saved = deal.history[-1][0]
        if day - previous_end <= 12 and last_saved < previous_end - 3 and self.rnd.random() < 0.5:
            now = previous_end - self.rnd.uniform(0.0, 3.0)  # the rep pulled the signature into last quarter
        elif quarter_end - day <= 25 and self.rnd.random() < 0.6 and quarter_end < END:
            now = max(now, quarter_end - self.rnd.uniform(0.0, 2.5))
        if self.rnd.random() < 0.1:
            deal.amount = self.rounded(deal, deal.amount * self.rnd.uniform(0.85, 1.0))  # final discount
        deal.stage, deal.close = WON, int(now)
        deal.record(now)

    @staticmethod
    def rounded(deal: Deal, value: float) -> int:
        """An amount rounded the way the segment's deals are quoted."""
        step = SEGMENT_SIZE[deal.segment][2]
        return max(step, round(value / step) * step)

    def new_deal(self, number: int, rep: Rep, created: float, accounts: dict[str, list[str]]) -> Deal:
        """A new deal of rep's, with its segment, source, type, account and amount drawn."""
        rnd = self.rnd
        segment = weighted(rnd, rep.team.segments)
        source = weighted(rnd, {k: v[0] for k, v in LEAD_SOURCES.items()})
        kind = weighted(rnd, {k: v[0] for k, v in DEAL_TYPES.items()})
        median, sigma, _ = SEGMENT_SIZE[segment]
        size = median * math.exp(rnd.gauss(0.0, sigma)) * DEAL_TYPES[kind][2]
        if rep.trait == "underperformer":
            size *= 0.85
        deal = Deal(
            f"OPP-{number:07d}",
            rep,
            created,
            segment,
            source,
            kind,
            rnd.choice(accounts[segment]),
            rnd.choice(PRODUCTS),
            0,
            0,
        )
        deal.amount = self.rounded(deal, size)
        return deal


def account_names(rnd: random.Random) -> dict[str, list[str]]:
    """A pool of customer account names for each segment."""
    names = [f"{word} {kind}" for word in ACCOUNT_WORDS for kind in ACCOUNT_KINDS]
    rnd.shuffle(names)
    third = len(names) // 3
    return {"Enterprise": names[:third], "Mid-Market": names[third : 2 * third], "SMB": names[2 * third :]}


def simulate(reps: list[Rep], rate_scale: float, rnd: random.Random) -> list[Deal]:
    """Create every deal of every rep month by month, then walk each one."""
    simulator, accounts = DealSimulator(rnd), account_names(rnd)
    planned: list[tuple[float, Rep]] = []
    for month in month_starts(FIRST_CREATED, AS_OF):
        days_in_month = (add_months(month, 1) - month).days
        season = CREATION_SEASON[month.month - 1] * (1 + YEARLY_GROWTH) ** ((month - FIRST_CREATED).days / 365)
        for rep in reps:
            if not rep.employed_in(month):
                continue
            mean = rep.team.deals_per_month * rate_scale * season * ramp(rep.tenure_months(month))
            for _ in range(poisson(rnd, mean)):
                day = month + timedelta(days=rnd.randrange(days_in_month))
                if rep.hire_date <= day and (rep.end_date is None or day <= rep.end_date):
                    planned.append((day_of(day) + rnd.uniform(0.0, 0.999), rep))
    planned.sort(key=lambda item: (item[0], item[1].rep_id))
    deals = []
    for number, (created, rep) in enumerate(planned, start=1):
        deal = simulator.new_deal(number, rep, created, accounts)
        simulator.walk(deal)
        deals.append(deal)
    return deals
