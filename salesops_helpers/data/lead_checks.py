"""Checks on the leads and campaigns tables, and the links between leads, deals and campaigns."""

from __future__ import annotations

import pandas as pd

from salesops_helpers.config import Funnel
from salesops_helpers.data.parsing import Checker
from salesops_helpers.data.quality import Problem
from salesops_helpers.data.validation import drop_identical_duplicates, fill_category, flag_unknown_reference, is_in

UNKNOWN_SOURCE = "Unknown"
# The steps a lead passes, in order: each step's day may not come before the step before it.
LEAD_STEPS = ("created_at", "mql_date", "sql_date", "converted_date")


def leads(check: Checker) -> pd.DataFrame:
    """Checks and repairs on the leads table: ids, creation moment, and step days in order."""
    for column in ("lead_id", "created_at"):
        check.flag(check.blank[column], "error", column, "empty, but every row needs a value")
    check.raw.frame = drop_identical_duplicates(check, ["lead_id"], "lead_id")
    frame = check.frame
    earlier = frame["created_at"].dt.normalize()
    for step, before in zip(LEAD_STEPS[1:], LEAD_STEPS[:-1], strict=True):
        day = frame[step]
        early = day.notna() & earlier.notna() & (day < earlier)
        label = "created day" if before == "created_at" else before
        check.flag(
            early,
            "warning",
            step,
            f"{step} is before the lead's {label}",
            action=f"read as the {label} (no time between the two steps)",
            show=[before],
        )
        frame.loc[early, step] = earlier[early]
        earlier = frame[step].fillna(earlier)
    check.flag(
        frame["source"].isna() & frame["campaign"].isna(),
        "warning",
        "source",
        "lead without a source or campaign",
        action=f"counted under source '{UNKNOWN_SOURCE}'",
    )
    return frame


def campaigns(check: Checker) -> pd.DataFrame:
    """Checks and repairs on the campaigns table."""
    check.flag(check.blank["campaign"], "error", "campaign", "empty, but every row needs a value")
    check.raw.frame = drop_identical_duplicates(check, ["campaign"], "campaign")
    frame = check.frame
    check.flag(
        frame["end_date"] < frame["start_date"],
        "warning",
        "end_date",
        "campaign ends before it starts",
        action="kept as it is; check the dates",
        show=["start_date"],
    )
    check.flag(
        frame["cost"].isna(),
        "warning",
        "cost",
        "campaign without a cost",
        action="left out of cost per lead and spend figures",
    )
    return frame


def link_leads(checks: dict[str, Checker]) -> None:
    """Checks between leads and the other tables, and the link from each deal to the lead it came from."""
    if "leads" not in checks:
        return
    check = checks["leads"]
    frame = check.frame
    if "reps" in checks:
        # leads are often owned by people who own no deal (SDRs, queues): never fatal, however many
        unknown = frame["owner_id"].notna() & ~is_in(frame["owner_id"], checks["reps"].frame["rep_id"])
        action = "lead kept; its owner counts under no team (SDRs and queues who own no deal are not in reps)"
        check.flag(unknown, "warning", "owner_id", "refers to an id that is not in reps", action=action)
    if "campaigns" in checks:
        known = checks["campaigns"].frame
        action = "lead kept; the campaign's cost and channel are unknown"
        flag_unknown_reference(check, "campaign", known["campaign"].astype("str"), "campaigns", action)
        channel = frame["campaign"].astype("object").map(dict(zip(known["campaign"], known["channel"], strict=True)))
        stand_in = frame["source"].isna() & channel.notna()
        if stand_in.any():
            frame["source"] = frame["source"].astype("object").mask(stand_in, channel).astype("category")
    frame["source"] = fill_category(frame["source"].astype("category"), UNKNOWN_SOURCE)
    if "opportunities" not in checks:
        return
    deals = checks["opportunities"].frame
    action = "counted as converted without a deal"
    unknown = flag_unknown_reference(check, "opportunity_id", deals["opportunity_id"], "opportunities", action)
    frame.loc[unknown, "opportunity_id"] = None
    _deal_leads(checks["opportunities"], check)
    created = frame["opportunity_id"].map(dict(zip(deals["opportunity_id"], deals["created_date"], strict=True)))
    undated = frame["opportunity_id"].notna() & frame["converted_date"].isna()
    check.flag(
        undated,
        "warning",
        "converted_date",
        "converted to a deal but without a converted date",
        action="read as the deal's created date",
        show=["opportunity_id"],
    )
    frame.loc[undated, "converted_date"] = pd.to_datetime(created[undated])


def _deal_leads(deals_check: Checker, check: Checker) -> None:
    """Each deal's lead_id: the deal's own, else the earliest lead converted to it; unknown leads are flagged."""
    deals, frame = deals_check.frame, check.frame
    action = "deal kept, not linked to a lead"
    unknown = flag_unknown_reference(deals_check, "lead_id", frame["lead_id"], "leads", action)
    deals.loc[unknown, "lead_id"] = None
    converted = frame[frame["opportunity_id"].notna()].sort_values(["created_at", "lead_id"], kind="stable")
    shared = converted["opportunity_id"].duplicated(keep="first").reindex(frame.index, fill_value=False)
    check.flag(
        shared,
        "warning",
        "opportunity_id",
        "deal is the conversion of several leads",
        action="the deal is credited to the earliest of them",
    )
    first = converted.drop_duplicates("opportunity_id").set_index("opportunity_id")["lead_id"]
    own = deals["lead_id"]
    from_leads = deals["opportunity_id"].map(first)
    deals["lead_id"] = own.where(own.notna(), from_leads)
    # a lead naming a deal that the deal does not name back: the deal's own link wins
    named = frame["opportunity_id"].map(dict(zip(deals["opportunity_id"], deals["lead_id"], strict=True)))
    differs = frame["opportunity_id"].notna() & named.notna() & (named != frame["lead_id"]) & ~shared
    check.flag(
        differs,
        "warning",
        "opportunity_id",
        "converted to a deal whose lead_id names another lead",
        action="the deal is credited to the lead it names",
    )
    linked = is_in(frame["lead_id"], deals["lead_id"])
    missing = linked & frame["opportunity_id"].isna()
    frame.loc[missing, "opportunity_id"] = frame.loc[missing, "lead_id"].map(
        deals.dropna(subset=["lead_id"]).drop_duplicates("lead_id").set_index("lead_id")["opportunity_id"]
    )


def mark_sourced(checks: dict[str, Checker], funnel: Funnel) -> None:
    """Each deal's sourced_by (marketing, sales, partner or unknown) from its source: an empty lead_source is first
    filled from the deal's lead (the CRM copies it on conversion, but exports drop it)."""
    if "opportunities" not in checks:
        return
    check = checks["opportunities"]
    deals = check.frame
    if "leads" in checks and deals["lead_id"].notna().any():
        leads = checks["leads"].frame
        lead_source = deals["lead_id"].map(dict(zip(leads["lead_id"], leads["source"].astype("str"), strict=True)))
        empty = deals["lead_source"].isna() & lead_source.notna() & (lead_source != UNKNOWN_SOURCE)
        if empty.any():
            filled = deals["lead_source"].astype("object").mask(empty, lead_source)
            deals["lead_source"] = filled.astype("category")
            message = f"{int(empty.sum()):,} deals without a lead_source take their lead's source"
            check.log.add(Problem("info", "opportunities", check.raw.file, "lead_source", message, int(empty.sum())))
    sources = deals["lead_source"].astype("object")
    who = {value: funnel.sourced_by(value) for value in sources.dropna().unique()}
    deals["sourced_by"] = pd.Categorical(
        sources.map(who).astype("object").fillna("unknown"), categories=["marketing", "sales", "partner", "unknown"]
    )
