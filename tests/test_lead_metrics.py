"""The lead funnel KPIs (metrics/funnel.py) against figures worked out by hand on the six-lead company
(tests/helpers/six_leads.py), and the checks that link leads, deals and campaigns (data/lead_checks.py)."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import load_data
from salesops_helpers.data.quality import DataValidationError
from salesops_helpers.metrics import funnel
from tests.helpers import six_deals, six_leads

Q1 = (pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31"))


@pytest.fixture(scope="module")
def data(tmp_path_factory, config):
    return load_data(six_leads.write_folder(tmp_path_factory.mktemp("six-leads") / "company"), config)


@pytest.fixture(scope="module")
def outcomes(data):
    return funnel.data_outcomes(data)


def _kpis(data, by=()):
    return funnel.lead_kpis(data, *Q1, by=list(by))


def test_the_quarter_by_hand(data):
    row = _kpis(data).iloc[0]
    # 8 leads; MQLs: L1 L2 L3 L5 L6, and L7 through its deal; SQLs: L1 L3 L5 L7; deals O1 O2 O3 O5, won O1 O5
    assert (row["leads"], row["mqls"], row["sqls"], row["lead_deals"]) == (8, 6, 4, 4)
    assert row["lead_to_mql"] == pytest.approx(6 / 8)
    assert row["mql_to_sql"] == pytest.approx(4 / 6)
    assert row["sql_to_deal"] == pytest.approx(1.0)
    assert row["lead_to_deal"] == pytest.approx(0.5)
    assert row["lead_to_won"] == pytest.approx(2 / 8)
    assert row["lead_pipeline"] == pytest.approx(1000 + 2500.5 + 3000 + 12000)
    assert row["lead_bookings"] == pytest.approx(1000 + 12000)
    # first touches: L1 after 1.5 h (A4, not the later A8), L2 12 h, L3 0.5 h, L5 24 h: median 6.75 h
    assert row["speed_to_lead"] == pytest.approx(6.75)
    # L6 qualified on 2024-02-12 and was never touched; L7 was never touched but became a deal
    assert row["mqls_not_followed_up"] == 1
    # campaigns starting in Q1: Q1 Search 3000 and Jan Webinar 1200 (Feb Webinar has no cost)
    assert row["campaign_cost"] == pytest.approx(4200)
    assert row["cost_per_lead"] == pytest.approx(4200 / 8)
    assert row["cost_per_mql"] == pytest.approx(4200 / 6)
    assert row["cost_per_deal"] == pytest.approx(4200 / 4)
    assert row["cost_per_won_deal"] == pytest.approx(4200 / 2)
    assert row["pipeline_per_spend"] == pytest.approx(18500.5 / 4200)
    assert row["bookings_per_spend"] == pytest.approx(13000 / 4200)


def test_by_source_by_hand(data):
    table = _kpis(data, ["source"]).set_index("source")
    # L5 has no source: its campaign's channel (Paid Search) stands in; L7 has neither: Unknown
    assert table["leads"].to_dict() == {"Outbound": 1, "Paid Search": 3, "Partner": 1, "Unknown": 1, "Webinar": 2}
    search = table.loc["Paid Search"]
    assert (search["mqls"], search["sqls"], search["lead_deals"]) == (3, 2, 2)
    assert search["lead_pipeline"] == pytest.approx(4000)
    assert search["campaign_cost"] == pytest.approx(3000)
    assert search["cost_per_deal"] == pytest.approx(1500)
    webinar = table.loc["Webinar"]
    assert webinar["campaign_cost"] == pytest.approx(1200)
    assert webinar["lead_to_deal"] == pytest.approx(0.5)
    assert math.isnan(table.loc["Outbound", "campaign_cost"])  # no campaign: no cost, never a cost of 0


def test_groupings_other_than_source_or_campaign_have_no_cost(data):
    table = _kpis(data, ["team"]).set_index("team")
    assert table["leads"].to_dict() == {"(not set)": 1, "Enterprise": 3, "SMB": 4}
    assert table["campaign_cost"].isna().all()


def test_a_month_counts_only_its_own_leads(data):
    row = funnel.lead_kpis(data, pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-29")).iloc[0]
    assert (row["leads"], row["mqls"], row["lead_deals"]) == (2, 2, 1)  # L5 and L6
    assert math.isnan(row["campaign_cost"])  # no campaign with a cost started in February


def test_time_to_convert_by_kaplan_meier(outcomes):
    # days to a deal: L5 and L7 0, L3 2, L1 3; the other four are censored at their ages (41 to 103 days)
    curve = funnel.conversion_curve(outcomes, (0, 1, 2, 7, 90, 180))
    assert curve[0] == pytest.approx(2 / 8)
    assert curve[1] == pytest.approx(2 / 8)
    assert curve[2] == pytest.approx(1 - (6 / 8) * (5 / 6))
    assert curve[7] == pytest.approx(0.5)
    assert curve[90] == pytest.approx(0.5)
    assert math.isnan(curve[180])  # no lead is that old: the curve does not reach so far


def test_young_cohorts(outcomes):
    # nine in ten of the conversions took at most 2.7 days (0, 0, 2, 3): only the last days are young
    assert funnel.maturity_days(outcomes) == pytest.approx(2.7)
    assert funnel.young_cohort(outcomes, pd.Timestamp("2024-04-14"))
    assert not funnel.young_cohort(outcomes, pd.Timestamp("2024-03-31"))


def test_deals_know_their_lead_and_who_sourced_them(data):
    deals = data.opportunities.set_index("opportunity_id")
    assert deals["lead_id"].dropna().to_dict() == {"O1": "L1", "O2": "L3", "O3": "L5", "O5": "L7"}
    assert deals.loc["O1", "lead_source"] == "Paid Search"  # taken from its lead
    assert pd.isna(deals.loc["O5", "lead_source"])  # its lead's source is unknown: nothing to take
    assert deals["sourced_by"].astype(str).to_dict() == {
        "O1": "marketing",
        "O2": "marketing",
        "O3": "marketing",
        "O4": "unknown",
        "O5": "unknown",
        "O6": "unknown",
    }
    leads = data.leads.set_index("lead_id")
    assert leads.loc["L7", "opportunity_id"] == "O5"  # linked from the deal's side
    assert leads.loc["L5", "converted_date"] == pd.Timestamp("2024-02-01")  # the deal's created date


def _load(folder: Path, config, **replacements: str):
    files = dict(six_leads.FILES)
    for name, (old, new) in replacements.items():
        assert files[name].count(old) == 1
        files[name] = files[name].replace(old, new)
    return load_data(six_deals.write_folder(folder, files), config)


def _problems(data, table):
    return [p for p in data.quality.problems if p.table == table]


def test_step_days_out_of_order_are_repaired_with_a_warning(tmp_path, config):
    data = _load(
        tmp_path,
        config,
        **{"leads.csv": ("2024-01-03,2024-01-04,2024-01-05,O1", "2024-01-03,2024-01-01,2024-01-05,O1")},
    )
    lead = data.leads.set_index("lead_id").loc["L1"]
    assert lead["sql_date"] == pd.Timestamp("2024-01-03")  # read as the MQL day
    assert any("sql_date is before the lead's mql_date" in p.message for p in _problems(data, "leads"))


def test_two_leads_converted_to_one_deal_credit_the_earliest(tmp_path, config):
    data = _load(
        tmp_path,
        config,
        **{"leads.csv": ("2024-01-08,2024-01-09,2024-01-10,O2", "2024-01-08,2024-01-09,2024-01-10,O1")},
    )
    assert data.opportunities.set_index("opportunity_id").loc["O1", "lead_id"] == "L1"
    assert any("conversion of several leads" in p.message for p in _problems(data, "leads"))


def test_a_lead_on_two_different_rows_is_fatal(tmp_path, config):
    extra = "L8,2024-03-05T09:00:00,Partner,,,Converted,,,2024-03-06,O6,\n"
    files = dict(six_leads.FILES)
    files["leads.csv"] = files["leads.csv"] + extra
    with pytest.raises(DataValidationError) as raised:
        load_data(six_deals.write_folder(tmp_path, files), config)
    assert "lead_id appears on several rows with different values" in str(raised.value)


def test_a_conversion_to_an_unknown_deal_is_a_warning(tmp_path, config):
    data = _load(tmp_path, config, **{"leads.csv": ("2024-01-10,O2,", "2024-01-10,O99,")})
    assert pd.isna(data.leads.set_index("lead_id").loc["L3", "opportunity_id"])
    assert any("not in opportunities" in p.message for p in _problems(data, "leads"))
