"""The lead funnel's page (analyses/leads/page.py) finds the truths planted in the demo company, and still reads
without leads; its charts draw on both."""

from __future__ import annotations

import pytest

from salesops_helpers import load_data
from salesops_helpers.analyses.leads import story
from salesops_helpers.analyses.leads.page import funnel_page
from salesops_helpers.calendar.periods import parse_period
from salesops_helpers.data.demo import leads as planted
from salesops_helpers.presentation.charts import leads as charts
from tests.helpers import six_deals

OCTOBER = parse_period("2026-10")


@pytest.fixture(scope="module")
def page(demo_data):
    return funnel_page(demo_data, OCTOBER)


def test_the_page_names_the_high_volume_channel_that_converts_poorly(page):
    assert page.poor is not None and page.poor["group"] == planted.POOR_CHANNEL[0]
    assert page.channels.iloc[0]["group"] == planted.POOR_CHANNEL[0]  # the most leads
    assert planted.POOR_CHANNEL[0] in page.summary.risk


def test_the_page_names_the_team_slow_to_follow_up(page):
    assert page.slow is not None and page.slow["group"] == planted.SLOW_TEAM[0]
    assert page.slow["mql_to_sql"] < page.slow["others_rate"]
    assert planted.SLOW_TEAM[0] in page.summary.action


def test_the_page_names_the_channel_with_larger_deals(page):
    assert page.larger is not None and page.larger["group"] == planted.LARGE_DEAL_CHANNEL[0]


def test_the_judged_cohorts_are_old_enough_and_twelve_months(page):
    assert page.judged_end < OCTOBER.end
    assert (page.judged_end.to_period("M") - page.judged_start.to_period("M")).n == 11
    assert (OCTOBER.end - page.judged_end).days >= page.maturity_days


def test_the_summary_figures_are_the_page_s(page):
    figures = {figure.key: figure for figure in page.summary.figures}
    assert figures["leads"].value == page.volume.iloc[-1].sum()
    assert figures["lead_to_deal"].value == pytest.approx(page.judged_rate)


def test_every_chart_draws_on_the_demo(page):
    charts.volume_chart(page.volume, story.volume_title(page.volume))
    charts.channel_chart(page.channels, page.judged_rate, story.channel_title(page.channels, page.poor, "w"))
    charts.curves_chart(page.curves, story.curve_title(page.curves, page.half_days))
    charts.speed_chart(page.speed_conversion, story.speed_title(page.speed_conversion))
    charts.sourced_chart(page.sourced_monthly, "USD", story.sourced_title(page.sourced, page.sourced_window))


def test_without_leads_the_page_says_so_and_still_draws(tmp_path, config):
    data = load_data(six_deals.write_folder(tmp_path / "six"), config)
    page = funnel_page(data, parse_period("2024-03"))
    assert not page.available
    assert "no leads table" in page.summary.standing
    charts.volume_chart(page.volume, story.volume_title(page.volume))
    charts.channel_chart(page.channels, page.judged_rate, story.channel_title(page.channels, page.poor, "w"))
    charts.curves_chart(page.curves, story.curve_title(page.curves, page.half_days))
    charts.speed_chart(page.speed_conversion, story.speed_title(page.speed_conversion))
    charts.sourced_chart(page.sourced_monthly, "USD", story.sourced_title(page.sourced, page.sourced_window))
