"""The demo company's organisation: calendar, teams, reps and the traits planted in some of them."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

COMPANY = "Northwind Analytics"
FIRST_CREATED = date(2023, 5, 1)  # deals are created from here on, so bookings are steady by November 2023
FIRST_QUOTA_MONTH = date(2023, 11, 1)
AS_OF = date(2026, 10, 31)  # the demo data ends with this day: October 2026 is the last complete month
LAST_QUOTA_MONTH = date(2027, 1, 1)  # quotas run to the end of fiscal year 2027
FISCAL_YEAR_START_MONTH = 2
DEFAULT_OPPORTUNITIES = 6000

OPEN_STAGES = ("Prospecting", "Qualification", "Discovery", "Proposal", "Negotiation")
WON, LOST = "Closed Won", "Closed Lost"
FORECAST_CATEGORY = {
    "Prospecting": "Pipeline",
    "Qualification": "Pipeline",
    "Discovery": "Pipeline",
    "Proposal": "Best Case",
    "Negotiation": "Commit",
    WON: "Closed",
    LOST: "Omitted",
}


@dataclass(frozen=True)
class Team:
    """A sales team: its region, manager, segment mix, deal creation rate and quota per rep."""

    name: str
    region: str
    manager: str
    segments: dict[str, float]
    deals_per_month: float  # new deals per fully ramped rep and month, before seasonality and growth
    monthly_quota: float  # per fully ramped rep in fiscal year 2025; grows 10% a fiscal year


TEAMS = (
    Team("Enterprise", "North America", "Dana Whitfield", {"Enterprise": 0.85, "Mid-Market": 0.15}, 3.0, 30000),
    Team("Mid-Market", "North America", "Marcus Bell", {"Mid-Market": 0.8, "Enterprise": 0.1, "SMB": 0.1}, 5.4, 29000),
    Team("SMB", "North America", "Priya Raman", {"SMB": 0.85, "Mid-Market": 0.15}, 9.0, 23500),
    Team("EMEA", "EMEA", "Lukas Brandt", {"Enterprise": 0.3, "Mid-Market": 0.4, "SMB": 0.3}, 5.4, 34000),
)


@dataclass(frozen=True)
class Rep:
    """One rep of the demo company, with the trait that drives the planted truths."""

    rep_id: str
    name: str
    team: Team
    hire_date: date
    end_date: date | None
    trait: str  # normal, underperformer, slipper, leaver
    skill: float  # multiplies the rep's chance of winning, around 1

    def employed_in(self, month: date) -> bool:
        """Whether the rep works in any day of the month starting on month."""
        next_month = add_months(month, 1)
        return self.hire_date < next_month and (self.end_date is None or self.end_date >= month)

    def tenure_months(self, day: date) -> int:
        """Months since hire, counting the hire month as month 1."""
        return (day.year - self.hire_date.year) * 12 + day.month - self.hire_date.month + 1


# (name, team, hire date, end date, trait); the order is the rep ids' order.
ROSTER = (
    ("Olivia Hart", "Enterprise", date(2019, 3, 4), None, "normal"),
    ("Ethan Brooks", "Enterprise", date(2020, 6, 1), None, "normal"),
    ("Sofia Alvarez", "Enterprise", date(2021, 1, 11), None, "normal"),
    ("Noah Kim", "Enterprise", date(2022, 4, 4), None, "normal"),
    ("Grace Okafor", "Enterprise", date(2024, 2, 5), None, "normal"),
    ("Liam Novak", "Enterprise", date(2026, 2, 2), None, "normal"),
    ("Ava Thompson", "Mid-Market", date(2018, 9, 3), None, "normal"),
    ("Mason Reed", "Mid-Market", date(2019, 11, 4), None, "underperformer"),
    ("Chloe Dubois", "Mid-Market", date(2020, 8, 3), None, "normal"),
    ("Jack Sullivan", "Mid-Market", date(2021, 5, 3), None, "slipper"),
    ("Isabella Rossi", "Mid-Market", date(2022, 9, 5), None, "normal"),
    ("Lucas Meyer", "Mid-Market", date(2023, 3, 6), None, "normal"),
    ("Zoe Patel", "Mid-Market", date(2025, 11, 3), None, "normal"),
    ("Henry Walsh", "SMB", date(2020, 2, 3), None, "normal"),
    ("Mia Fernandes", "SMB", date(2021, 7, 5), None, "normal"),
    ("Samuel Osei", "SMB", date(2022, 1, 10), None, "normal"),
    ("Emily Larsen", "SMB", date(2023, 6, 5), None, "normal"),
    ("Daniel Cohen", "SMB", date(2024, 9, 2), None, "normal"),
    ("Aria Nakamura", "SMB", date(2026, 6, 1), None, "normal"),
    ("Felix Wagner", "EMEA", date(2019, 5, 6), None, "normal"),
    ("Camille Laurent", "EMEA", date(2020, 10, 5), None, "normal"),
    ("Matteo Ricci", "EMEA", date(2021, 9, 6), date(2026, 4, 30), "leaver"),
    ("Hannah Schmidt", "EMEA", date(2022, 11, 7), None, "normal"),
    ("Oscar Lindqvist", "EMEA", date(2023, 9, 4), None, "normal"),
    ("Elena Popescu", "EMEA", date(2026, 5, 4), None, "normal"),
)
NEW_HIRE_SINCE = date(2025, 11, 1)  # reps hired in the last twelve months of the data are the new hires

FIRST_NAMES = (
    "Adam",
    "Bea",
    "Carlos",
    "Dina",
    "Erik",
    "Fatima",
    "Gabe",
    "Hugo",
    "Iris",
    "Jonas",
    "Kira",
    "Leo",
    "Maya",
    "Nils",
    "Omar",
    "Paula",
    "Quinn",
    "Rosa",
    "Sven",
    "Tara",
    "Umar",
    "Vera",
    "Wes",
    "Yara",
)
LAST_NAMES = (
    "Abbott",
    "Berg",
    "Costa",
    "Doyle",
    "Ekström",
    "Fischer",
    "Garcia",
    "Horvat",
    "Ito",
    "Jensen",
    "Keller",
    "Lopez",
    "Moreau",
    "Nolan",
    "Ortiz",
    "Price",
    "Quint",
    "Ruiz",
    "Silva",
    "Tanaka",
)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_starts(first: date, last: date) -> list[date]:
    """First days of every month from first's month to last's month."""
    months, month = [], date(first.year, first.month, 1)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def squad(number: int) -> Team:
    """The extra team `number` (0, 1, ...) of a scaled-up company: a copy of one of the four teams with its own name
    ("Enterprise 2") and manager, as a large sales organisation has many teams of about SQUAD_SIZE reps."""
    base = TEAMS[number % len(TEAMS)]
    manager = f"{FIRST_NAMES[(number * 7 + 3) % len(FIRST_NAMES)]} {LAST_NAMES[(number * 3 + 1) % len(LAST_NAMES)]}"
    return replace(base, name=f"{base.name} {number // len(TEAMS) + 2}", manager=manager)


# Reps per extra team when the company is scaled up.
SQUAD_SIZE = 12


def build_reps(scale: float, rnd: random.Random) -> list[Rep]:
    """The roster, plus extra tenured reps in extra teams of SQUAD_SIZE when the company is scaled up."""
    teams = {team.name: team for team in TEAMS}
    rows: list[tuple[str, str, date, date | None, str]] = list(ROSTER)
    extra = max(0, round(len(ROSTER) * scale) - len(ROSTER))
    for i in range(extra):
        extra_team = squad(i // SQUAD_SIZE)
        teams[extra_team.name] = extra_team
        name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // len(FIRST_NAMES)) % len(LAST_NAMES)]}"
        hired = date(2018, 1, 1) + timedelta(days=rnd.randrange(365 * 5))
        rows.append((name, extra_team.name, hired, None, "normal"))
    width = max(3, len(str(len(rows))))
    reps = []
    for i, (name, team, hired, ended, trait) in enumerate(rows, start=1):
        skill = min(1.2, max(0.85, rnd.gauss(1.0, 0.07))) if trait == "normal" else 1.0
        reps.append(Rep(f"R{i:0{width}d}", name, teams[team], hired, ended, trait, skill))
    return reps


def ramp(tenure_month: int) -> float:
    """Share of an established rep's productivity reached in a tenure month (full from month 6)."""
    return min(1.0, 0.15 + 0.85 * (tenure_month - 1) / 5) if tenure_month >= 1 else 0.0


def quota_ramp(tenure_month: int) -> float:
    """Share of the full quota a rep carries in a tenure month: 25%, 50%, 75%, then 100% from month 4."""
    return min(1.0, 0.25 * tenure_month) if tenure_month >= 1 else 0.0


def fiscal_year(day: date) -> int:
    """The fiscal year (named by the year it ends in) that day falls in."""
    return day.year + 1 if day.month >= FISCAL_YEAR_START_MONTH else day.year


def quota_rows(reps: list[Rep]) -> list[tuple[str, str, int]]:
    """Monthly quotas (rep_id, period_start, quota) from November 2023 to the end of fiscal year 2027."""
    rows = []
    for rep in reps:
        for month in month_starts(FIRST_QUOTA_MONTH, LAST_QUOTA_MONTH):
            if not rep.employed_in(month):
                continue
            growth = 1.10 ** (fiscal_year(month) - 2025)
            amount = rep.team.monthly_quota * growth * quota_ramp(rep.tenure_months(month))
            rows.append((rep.rep_id, month.isoformat(), int(round(amount / 500.0) * 500)))
    return rows
