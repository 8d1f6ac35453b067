"""The lead funnel's sentences (analyses/leads/summary.py and story.py) on hand-made tables, edge cases included:
no leads, the first month, one lead, no costs, no touches."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from salesops_helpers.analyses.leads import story, summary

POOR = pd.Series(
    {
        "group": "Paid Social",
        "lead_share": 0.32,
        "lead_to_deal": 0.008,
        "low": 0.006,
        "high": 0.011,
        "others_rate": 0.075,
    }
)
LARGER = pd.Series({"group": "Webinar", "median_deal": 45000.0, "others": 26000.0, "deals": 80})
SLOW = pd.Series(
    {"group": "Mid-Market", "speed_hours": 30.0, "others_speed": 2.5, "mql_to_sql": 0.28, "others_rate": 0.47}
)


def _monthly(leads, mqls=None, speed=None):
    months = [f"2026-{m:02d}" for m in range(11 - len(leads), 11)]
    return pd.DataFrame(
        {
            "leads": leads,
            "mqls": mqls or [n // 3 for n in leads],
            "speed_to_lead": speed or [2.0] * len(leads),
            "lead_to_deal": [0.05] * len(leads),
        },
        index=months,
    ).astype(float)


def _sourced(marketing=600.0, sales=300.0, partner=100.0):
    rows = pd.DataFrame(
        {
            "sourced_by": ["marketing", "sales", "partner", "unknown"],
            "pipeline_created": [marketing, sales, partner, 0.0],
            "bookings": [marketing / 2, sales / 2, partner / 2, 0.0],
        }
    )
    total = rows["pipeline_created"].sum()
    rows["pipeline_created_share"] = rows["pipeline_created"] / total if total else math.nan
    rows["bookings_share"] = rows["bookings"] / rows["bookings"].sum() if total else math.nan
    return rows


def test_change_sentence_states_a_percentage_only_on_a_fair_base():
    assert (
        summary.change_sentence("2026-10", "2026-09", 412, 368)
        == "Leads rose 12% from 368 in Sep 2026 to 412 in Oct 2026."
    )
    assert summary.change_sentence("2026-10", "2026-09", 40, 3) == "Leads rose from 3 in Sep 2026 to 40 in Oct 2026."
    assert summary.change_sentence("2026-10", "2026-09", 0, 5) == "Leads fell 100% from 5 in Sep 2026 to 0 in Oct 2026."
    assert summary.change_sentence("2026-10", "2026-09", 7, 7) == "Leads held at 7 from Sep 2026 to Oct 2026."


def test_standing_sentence_with_and_without_judged_cohorts():
    judged = pd.Series(
        {"leads": 1000, "lead_deals": 61, "lead_won_deals": 19, "lead_to_deal": 0.061, "low": 0.05, "high": 0.073}
    )
    text = summary.standing_sentence("2026-10", 412, 138, judged, "Sep 2025 to Aug 2026")
    assert text.startswith("In October 2026, 412 leads came in and 138 became MQLs; of the 1,000 leads created from")
    assert "6.1% (90%: 5.0%-7.3%) became deals and 1.9% won deals" in text
    assert "1 lead came in" in summary.standing_sentence("2026-10", 1, 0, None, "")
    assert "no leads are old enough yet" in summary.standing_sentence("2026-10", 1, 0, None, "")


def test_risk_prefers_the_poor_channel_then_the_missed_mqls():
    assert summary.risk_sentence(POOR, "Sep 2025 to Aug 2026", 12, "1 Aug 2026").startswith(
        "Paid Social brought 32% of the leads created from Sep 2025 to Aug 2026, but only 0.8%"
    )
    assert summary.risk_sentence(None, "w", 12, "1 Aug 2026") == (
        "12 MQLs created since 1 Aug 2026 had no activity at all a week after qualifying."
    )
    assert "every MQL was followed up" in summary.risk_sentence(None, "w", 0, "1 Aug 2026")


def test_marketing_recommendation_uses_costs_when_there_are_some():
    costs = {"Paid Social": 9000.0, "Webinar": 2500.0, "Paid Search": 4000.0}
    text = summary.marketing_recommendation(POOR, LARGER, costs, "USD")
    assert "retarget or cut Paid Social, whose deals cost $9.0k each in campaign spend against $2.5k" in text
    assert "grow Webinar, whose deals are 1.7x as large (median $45k against $26k)" in text
    assert "tighten Paid Social's targeting" in summary.marketing_recommendation(POOR, None, {}, "USD")
    assert "no channel stands out" in summary.marketing_recommendation(None, None, {}, "USD")


def test_sales_recommendation():
    text = summary.sales_recommendation(SLOW, 12, 3.0)
    assert text.startswith("Sales: Mid-Market first touches its leads after a median 30.0 hours against 2.5 hours")
    assert "follow up the 12 MQLs nobody has touched" in text
    assert (
        summary.sales_recommendation(None, 0, 3.0)
        == "Sales: leads are first touched after a median 3.0 hours; keep it so."
    )
    assert "log first touches" in summary.sales_recommendation(None, 0, math.nan)


def test_sourced_sentence():
    text = summary.sourced_sentence(_sourced(), "Nov 2025 to Oct 2026")
    assert text == (
        "Marketing sourced 60% of the pipeline created from Nov 2025 to Oct 2026 (sales 30%, partner 10%) and 60% of "
        "the bookings."
    )
    assert summary.sourced_sentence(_sourced(0, 0, 0), "w") == "No pipeline was created from w."


def test_summary_of_the_first_month_and_of_a_company():
    first = summary.funnel_summary(
        month="2026-10", monthly=_monthly([5]), judged=None, judged_window="", poor=None, larger=None, slow=None,
        missed=0, missed_since="1 Aug 2026", cost_per_deal={}, sourced=_sourced(), sourced_window="w", currency="USD",
    )  # fmt: skip
    assert "first month with leads" in first.change
    full = summary.funnel_summary(
        month="2026-10", monthly=_monthly([300, 368, 412]), judged=None, judged_window="", poor=POOR, larger=LARGER,
        slow=SLOW, missed=4, missed_since="1 Aug 2026", cost_per_deal={}, sourced=_sourced(), sourced_window="w",
        currency="USD",
    )  # fmt: skip
    assert full.action.startswith("Sales: Mid-Market")  # a slow team comes before marketing's advice
    assert [f.key for f in full.figures] == [
        "leads",
        "mqls",
        "lead_to_deal",
        "speed_to_lead",
        "marketing_pipeline_share",
    ]
    assert full.figures[0].text == "412"


def test_no_leads_summary_still_tells_who_sourced_the_pipeline():
    text = summary.no_leads_summary(_sourced(), "w").text()
    assert "no leads table" in text and "Marketing sourced 60%" in text


def test_titles_state_the_finding():
    volume = pd.DataFrame({"Paid Social": [30, 40], "Webinar": [10, 20]}, index=["2026-09-01", "2026-10-01"])
    assert story.volume_title(volume) == "Paid Social brought the most leads in the last 2 months: 70% of them"
    assert story.volume_title(volume * 0) == "No leads were created in the months shown"
    table = pd.DataFrame({"group": ["A", "B"], "lead_share": [0.9, 0.1], "lead_to_deal": [0.02, 0.08]})
    assert story.channel_title(table, None, "w") == "B leads become deals most often: 8.0% (leads of w)"
    assert story.channel_title(table, POOR, "w").startswith("Paid Social brings 32% of the leads but converts 0.8%")
    curves = pd.DataFrame({"All channels": [0.02, 0.05]}, index=[30, 90])
    assert (
        story.curve_title(curves, 21.0)
        == "Half the leads that become deals do so within 21 days; 5.0% of all leads are deals within 90 days"
    )
    assert story.curve_title(pd.DataFrame(), math.nan) == "No lead has become a deal yet"
    speed = pd.DataFrame(
        {
            "bucket": ["within an hour", "after 3 days", "never touched"],
            "mqls": [100, 50, 40],
            "mql_to_sql": [0.5, 0.2, 0],
        }
    )
    assert story.speed_title(speed) == "MQLs first touched within an hour became SQLs at 50%, those after 3 days at 20%"
    assert story.speed_title(speed.assign(mqls=[3, 2, 40])).startswith("Too few MQLs")


def test_notes():
    assert "cannot be measured" in story.speed_note("", None)
    assert story.speed_note("first activity", SLOW).startswith(
        "Speed to lead runs from a lead's creation to its first activity. Mid-Market"
    )
    missed = pd.DataFrame({"team": ["SMB", "SMB", "EMEA"]})
    assert story.missed_note(missed, "1 Aug 2026") == (
        "3 MQLs of the leads created since 1 Aug 2026 had no activity a week after qualifying; SMB holds 2 of them."
    )
    efficiency = pd.DataFrame({"source": ["A", "B"], "cost_per_deal": [500.0, 9000.0]})
    assert story.efficiency_note(efficiency, "USD") == "Per deal, A cost least ($500) and B most ($9.0k)."
    assert "No campaign costs" in story.efficiency_note(efficiency.iloc[:0], "USD")


@pytest.mark.parametrize("hours, text", [(0.5, "30 min"), (1.0, "1 hour"), (6.75, "6.8 hours"), (72.0, "3.0 days")])
def test_hours_are_written_for_readers(hours, text):
    from salesops_helpers.formatting import hours as written

    assert written(hours) == text
