"""The demo company's lead funnel: leads and campaigns that load cleanly, one lead behind each New Business deal, deals
left as they were, and the three planted truths of data/demo/README.md (9 to 11), each recounted with pandas alone."""

import hashlib
import itertools

import pandas as pd
import pyarrow as pa
import pytest

from salesops_helpers.cli.main import main
from salesops_helpers.data.demo import generate_demo_company, write_demo_company
from salesops_helpers.paths import DEMO_DATA

MARKETING_BUT_WEBINAR = ["Paid Search", "Organic Search", "Content", "Paid Social", "Events", "Referral"]
TABLES = ("opportunities", "opportunity_history", "reps", "quotas", "activities", "leads", "campaigns")


def _committed() -> dict[str, pd.DataFrame]:
    """The committed demo company's tables, as text, the way the generator writes them."""
    return {name: pd.read_csv(DEMO_DATA / f"{name}.csv", dtype=str, keep_default_na=False) for name in TABLES}


@pytest.fixture(scope="module")
def committed() -> dict[str, pd.DataFrame]:
    return _committed()


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    """Another seed, at a quarter of the committed size."""
    return generate_demo_company(seed=3, opportunities=1500).tables()


@pytest.fixture(params=["committed", "small"])
def company(request) -> dict[str, pd.DataFrame]:
    return request.getfixturevalue(request.param)


def _speed_and_qualification(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per team of the lead's owner: median hours from creation to first touch, and the share of MQLs that became
    SQLs."""
    leads, activities = tables["leads"], tables["activities"]
    touches = activities[activities["lead_id"] != ""].copy()
    touches["occurred_at"] = pd.to_datetime(touches["occurred_at"])
    first = touches.groupby("lead_id")["occurred_at"].min()
    hours = (leads["lead_id"].map(first) - pd.to_datetime(leads["created_at"])).dt.total_seconds() / 3600
    team = leads["owner_id"].map(tables["reps"].set_index("rep_id")["team"])
    mql = leads["mql_date"] != ""
    return pd.DataFrame(
        {
            "speed_hours": hours.groupby(team).median(),
            "mql_to_sql": (leads.loc[mql, "sql_date"] != "").groupby(team[mql]).mean(),
        }
    )


def test_the_committed_demo_loads_leads_and_campaigns_without_any_problem(demo_data):
    assert [p.render() for p in demo_data.quality.problems if p.table in {"leads", "campaigns"}] == []
    assert demo_data.quality.errors == [] and demo_data.quality.warnings == []
    assert len(demo_data.leads) == len(_committed()["leads"]) and len(demo_data.campaigns) >= 60
    assert 2.3 <= len(demo_data.leads) / len(demo_data.opportunities) <= 2.7
    assert demo_data.opportunities["lead_id"].notna().sum() > 3000
    assert demo_data.activities["lead_id"].notna().sum() > 10000


def test_every_new_business_deal_comes_from_a_converted_lead_and_no_other_deal_does(company):
    opps, leads = company["opportunities"], company["leads"]
    new_business = opps["deal_type"] == "New Business"
    assert (opps.loc[new_business, "lead_id"] != "").all()
    assert (opps.loc[~new_business, "lead_id"] == "").all() and (opps.loc[~new_business, "campaign"] == "").all()
    converted = leads[leads["opportunity_id"] != ""].set_index("opportunity_id")
    assert converted.index.is_unique and (converted["status"] == "Converted").all()
    assert (leads.loc[leads["opportunity_id"] == "", "status"] != "Converted").all()
    deals = opps[new_business].set_index("opportunity_id")
    assert (converted.loc[deals.index, "lead_id"] == deals["lead_id"]).all()
    assert (converted.loc[deals.index, "converted_date"] == deals["created_date"]).all()
    assert (converted.loc[deals.index, "campaign"] == deals["campaign"]).all()
    assert (converted.loc[deals.index, "segment"] == deals["segment"]).all()
    days = (
        pd.to_datetime(deals["created_date"]) - pd.to_datetime(converted.loc[deals.index, "created_at"]).dt.normalize()
    ).dt.days
    assert days.between(0, 40).all() and days.median() > 10
    # Deal lead sources map to lead channels.
    channel = converted.loc[deals.index, "source"]
    inbound = deals["lead_source"] == "Inbound"
    assert set(channel[inbound]) == {"Paid Search", "Organic Search", "Webinar", "Content", "Paid Social"}
    named = {"Event": "Events", "Outbound": "Outbound", "Partner": "Partner", "Referral": "Referral"}
    assert (channel[~inbound] == deals.loc[~inbound, "lead_source"].map(named)).all()


def test_leads_steps_are_in_order_and_the_unconverted_ones_look_like_a_crm(company):
    leads = company["leads"]
    assert leads["lead_id"].is_unique and leads["created_at"].is_monotonic_increasing
    created = pd.to_datetime(leads["created_at"])
    assert created.min() >= pd.Timestamp("2023-05-01") and created.max() < pd.Timestamp("2026-11-01")
    steps = [created.dt.normalize()] + [pd.to_datetime(leads[c]) for c in ("mql_date", "sql_date", "converted_date")]
    for earlier, later in itertools.pairwise(steps):
        assert not (later < earlier).any()
    assert ((leads["sql_date"] == "") | (leads["mql_date"] != "")).all()
    open_leads = leads[leads["opportunity_id"] == ""]
    assert set(open_leads["status"]) == {"Open", "Working", "Nurture", "Disqualified"}
    assert ((open_leads["mql_date"] != "") & (open_leads["sql_date"] == "")).sum() > 100
    assert (open_leads["sql_date"] != "").sum() > 50
    disqualified = open_leads["status"] == "Disqualified"
    assert (open_leads.loc[disqualified, "disqualified_reason"] != "").all()
    assert (open_leads.loc[~disqualified, "disqualified_reason"] == "").all()
    assert set(open_leads["disqualified_reason"]) >= {"No budget", "Not a fit", "Student / job seeker", "Competitor"}
    assert 0.005 < (leads["owner_id"] == "").mean() < 0.05
    reps = company["reps"].set_index("rep_id")
    owned = leads[leads["owner_id"] != ""]
    hired = pd.to_datetime(owned["owner_id"].map(reps["hire_date"]))
    ended = pd.to_datetime(owned["owner_id"].map(reps["end_date"]).replace("", None))
    day = pd.to_datetime(owned["created_at"]).dt.normalize()
    assert (day >= hired).all() and not (day > ended).any()


def test_campaigns_cover_the_paid_channels_by_fiscal_quarter(company):
    leads, campaigns = company["leads"], company["campaigns"]
    paid = {"Paid Search", "Paid Social", "Webinar", "Events", "Content"}
    assert campaigns["campaign"].is_unique and set(campaigns["channel"]) == paid
    assert (campaigns["campaign"].str.fullmatch(r"FY20\d\d Q[1-4] .+")).all()
    starts, ends = pd.to_datetime(campaigns["start_date"]), pd.to_datetime(campaigns["end_date"])
    assert set(starts.dt.month) <= {2, 5, 8, 11} and ((ends - starts).dt.days.between(88, 91)).all()
    assert (campaigns["cost"].astype(float) > 0).all()
    per_lead = campaigns["cost"].astype(float).sum() / leads["campaign"].ne("").sum()
    assert 50 < per_lead < 500
    in_paid = leads["source"].isin(paid)
    assert (leads.loc[in_paid, "campaign"] != "").all() and (leads.loc[~in_paid, "campaign"] == "").all()
    info = campaigns.set_index("campaign")
    mine = leads[in_paid]
    assert (mine["campaign"].map(info["channel"]) == mine["source"]).all()
    created = pd.to_datetime(mine["created_at"]).dt.normalize()
    assert (created >= pd.to_datetime(mine["campaign"].map(info["start_date"]))).all()
    assert (created <= pd.to_datetime(mine["campaign"].map(info["end_date"]))).all()


def test_first_touches_are_one_call_or_email_per_lead_followed_up(company):
    leads, activities = company["leads"], company["activities"]
    assert activities["activity_id"].is_unique and activities["occurred_at"].is_monotonic_increasing
    touches = activities[activities["lead_id"] != ""]
    assert touches["lead_id"].is_unique and (touches["opportunity_id"] == "").all()
    assert set(touches["type"]) == {"Call", "Email"}
    lead = leads.set_index("lead_id").loc[touches["lead_id"]]
    assert (touches["rep_id"].to_numpy() == lead["owner_id"].to_numpy()).all()
    assert (touches["occurred_at"].to_numpy() >= lead["created_at"].to_numpy()).all()
    assigned = lead["assigned_at"].to_numpy()
    assert (touches["occurred_at"].to_numpy() >= assigned).all()
    inbound = leads[leads["source"].isin(["Paid Search", "Organic Search", "Webinar", "Content", "Paid Social"])]
    inbound = inbound[inbound["assigned_at"] != ""]
    wait = pd.to_datetime(inbound["assigned_at"]) - pd.to_datetime(inbound["created_at"])
    assert wait.median() < pd.Timedelta(hours=1) and wait.quantile(0.95) < pd.Timedelta(days=1)
    # Some MQLs are never followed up at all: about 8% of them.
    mql = leads[leads["mql_date"] != ""]
    unfollowed = ~mql["lead_id"].isin(touches["lead_id"])
    assert 0.06 <= unfollowed.mean() <= 0.10
    assert (mql.loc[unfollowed, "sql_date"] == "").all() and (mql.loc[unfollowed, "status"] == "Open").all()
    assert mql.loc[~unfollowed, "lead_id"].isin(touches["lead_id"]).all()


def test_planted_paid_social_brings_the_most_leads_but_converts_worst(company):
    leads = company["leads"]
    by_channel = (leads["opportunity_id"] != "").groupby(leads["source"]).agg(["size", "mean"])
    assert by_channel["size"].idxmax() == "Paid Social"
    assert by_channel.loc["Paid Social", "size"] > 1.2 * by_channel["size"].drop("Paid Social").max()
    assert by_channel["mean"].idxmin() == "Paid Social"
    others = by_channel.drop("Paid Social")
    assert by_channel.loc["Paid Social", "mean"] < others["mean"].mean() / 3
    assert by_channel.loc["Paid Social", "mean"] < (others["size"] * others["mean"]).sum() / others["size"].sum() / 3


def test_planted_mid_market_follows_up_slowly_and_qualifies_fewer_mqls(company):
    teams = _speed_and_qualification(company)
    assert set(teams.index) == {"Enterprise", "Mid-Market", "SMB", "EMEA"}
    others = teams.drop("Mid-Market")
    assert teams.loc["Mid-Market", "speed_hours"] >= 20
    assert (others["speed_hours"] <= 6).all()
    assert teams.loc["Mid-Market", "mql_to_sql"] < 0.7 * others["mql_to_sql"].min()


def test_planted_webinar_deals_are_larger_than_other_marketing_channels(company):
    opps, leads = company["opportunities"], company["leads"]
    deals = opps[opps["lead_id"] != ""]
    channel = deals["lead_id"].map(leads.set_index("lead_id")["source"])
    amount = deals["amount"].astype(float)
    webinar = amount[channel == "Webinar"]
    assert len(webinar) >= 30
    assert webinar.median() >= 1.5 * amount[channel.isin(MARKETING_BUT_WEBINAR)].median()


def _digest(frame: pd.DataFrame) -> str:
    """A hash of a frame's values as CSV text."""
    return hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()


def test_the_lead_funnel_leaves_the_deals_as_they_were(small):
    without = generate_demo_company(seed=3, opportunities=1500, leads=0).tables()
    assert set(without) == {"opportunities", "opportunity_history", "reps", "quotas", "activities"}
    assert "lead_id" not in without["opportunities"] and "lead_id" not in without["activities"]
    deals = small["opportunities"]
    assert list(deals.columns) == [*without["opportunities"].columns, "lead_id", "campaign"]
    assert _digest(deals.drop(columns=["lead_id", "campaign"])) == _digest(without["opportunities"])
    for name in ("opportunity_history", "reps", "quotas"):
        assert _digest(small[name]) == _digest(without[name]), name
    activities = small["activities"]
    others = activities[activities["lead_id"] == ""].drop(columns=["activity_id", "lead_id"])
    assert _digest(others) == _digest(without["activities"].drop(columns=["activity_id"]))


def test_the_number_of_leads_can_be_asked_for(tmp_path):
    few = generate_demo_company(seed=3, opportunities=1500, leads=1500).tables()
    converted = (few["leads"]["opportunity_id"] != "").sum()
    assert converted == (few["opportunities"]["deal_type"] == "New Business").sum()
    assert len(few["leads"]) == max(1500, converted)
    many = generate_demo_company(seed=3, opportunities=1500, leads=6000).tables()
    assert len(many["leads"]) == 6000
    assert main(["demo", "--out", str(tmp_path / "none"), "--opportunities", "300", "--leads", "0"]) == 0
    assert not (tmp_path / "none" / "leads.csv").exists() and not (tmp_path / "none" / "campaigns.csv").exists()
    assert "--leads 0" in (tmp_path / "none" / "README.md").read_text(encoding="utf-8")
    write_demo_company(tmp_path / "none", seed=1, opportunities=300, leads=700)  # the same folder, now with leads
    assert len(pd.read_csv(tmp_path / "none" / "leads.csv")) == 700


def test_ids_for_millions_of_leads_are_one_array():
    # pyarrow returns a chunked array past about two million values; the 1M-deal demo writes 2.5M leads
    from salesops_helpers.data.demo.text import numbered

    ids = numbered("LEAD-", 2_500_000)
    assert isinstance(ids, pa.Array)
    assert ids[0].as_py() == "LEAD-0000001" and ids[-1].as_py() == "LEAD-2500000"
