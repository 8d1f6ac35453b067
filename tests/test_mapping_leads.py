"""The ready mappings read lead data with the real labels (tests/helpers/lead_exports.py): Salesforce's Lead,
Campaign and CampaignMember objects (API exports and the Data Export), HubSpot's contacts export beside its deals,
and Olist's marketing funnel; an export without lead files loads as it did before. Also the mapping keys the lead
data brought: optional lookups, `earliest` among several matching rows, and `split` cells listing several values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.cli.main import main
from salesops_helpers.config import ConfigError
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.mapping import Mapping, load_mapping
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers import lead_exports as ex
from tests.helpers.crm_exports import MAPPINGS
from tests.helpers.more_crm_exports import config_without_quotas, csv_text, write_export

SALESFORCE = {"salesforce-objects": False, "salesforce-data-export": True}
LEAD_FILES = tuple(ex.SF_LEAD_FILES)


def _days(values: pd.Series) -> list[str]:
    return [str(value.date()) if pd.notna(value) else "" for value in values]


def _messages(data: SalesData, severity: str) -> list[str]:
    return [p.render() for p in data.quality.problems if p.severity == severity]


def _salesforce(tmp_path: Path, name: str, leave_out: tuple[str, ...] = ()) -> SalesData:
    folder = write_export(tmp_path / name, ex.salesforce_files(SALESFORCE[name], leave_out))
    return load_data(folder, DEFAULT_CONFIG, mapping=MAPPINGS / f"{name}.yml")


@pytest.fixture(scope="module")
def salesforce(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SalesData]:
    base = tmp_path_factory.mktemp("salesforce-leads")
    return {name: _salesforce(base, name) for name in SALESFORCE}


@pytest.mark.parametrize("name", list(SALESFORCE))
def test_salesforce_leads_campaigns_and_their_links_to_deals(salesforce, name):
    data = salesforce[name]
    leads = data.leads.set_index("lead_id")
    assert list(leads.index) == [ex.L1, ex.L2, ex.L3, ex.L5, ex.L6], "the deleted L4 is left out"
    assert _days(leads["created_at"]) == ["2026-06-11", "2026-07-15", "2026-08-20", "2026-10-01", "2026-06-11"]
    # a lead's campaign is its earliest membership, named as Campaign.csv names it; L3 and L5 are in none
    assert leads["campaign"].astype(object).where(leads["campaign"].notna(), "").tolist() == [
        ex.FAIR,
        ex.WEBINAR,
        "",
        "",
        ex.FAIR,
    ]
    # L2 has no LeadSource: its campaign's channel stands in
    assert leads["source"].astype(str).tolist() == ["Trade Show", "Webinar", "Web", "Purchased List", "Web"]
    assert leads.loc[ex.L1, "segment"] == "Transportation" and leads.loc[ex.L2, "status"] == "Working - Contacted"
    # converted without an opportunity: a converted date and no deal
    assert str(leads.loc[ex.L3, "converted_date"].date()) == "2026-09-01"
    assert pd.isna(leads.loc[ex.L3, "opportunity_id"])
    assert leads["opportunity_id"].dropna().to_dict() == {ex.L1: ex.O1, ex.L6: ex.O3}
    assert leads[["mql_date", "sql_date"]].isna().all().all(), "standard Salesforce has no MQL or SQL date"
    # each deal names the lead converted to it, and its Primary Campaign Source by name
    deals = data.opportunities.set_index("opportunity_id")
    assert deals["lead_id"].dropna().to_dict() == {ex.O1: ex.L1, ex.O3: ex.L6}
    assert deals["campaign"].dropna().to_dict() == {ex.O1: ex.WEBINAR, ex.O3: ex.FAIR}
    campaigns = data.campaigns.set_index("campaign")
    assert list(campaigns.index) == [ex.WEBINAR, ex.FAIR], "the deleted campaign is left out"
    assert campaigns["cost"].to_dict() == {ex.WEBINAR: 5200.5, ex.FAIR: 15000.0}, "no actual cost: the budget"
    assert campaigns["channel"].astype(str).tolist() == ["Webinar", "Trade Show"]
    assert _days(campaigns["start_date"]) == ["2026-07-01", "2026-06-10"]
    # the lead in a queue is kept, without an owner, with a warning naming it
    (queued,) = [w for w in _messages(data, "warning") if "Lead.csv" in w]
    assert "OwnerId (owner_id)" in queued and "not in reps" in queued and ex.QUEUE in queued
    infos = _messages(data, "info")
    assert any("Lead.csv: 1 rows left out (IsDeleted" in i for i in infos)
    assert any("the row with the earliest CreatedDate" in i for i in infos)
    assert any("2 of 5 Id values are not in CampaignMember.csv" in i for i in infos), "a lead in no campaign"


def test_the_data_export_gives_the_same_lead_tables_as_the_api_export(salesforce):
    objects, export = salesforce["salesforce-objects"], salesforce["salesforce-data-export"]
    for table in ("leads", "campaigns"):
        pd.testing.assert_frame_equal(getattr(objects, table), getattr(export, table), obj=table)
    columns = ["opportunity_id", "lead_id", "campaign", "created_date", "amount"]
    pd.testing.assert_frame_equal(objects.opportunities[columns], export.opportunities[columns])


def _before(mapping: Mapping) -> Mapping:
    """The mapping as it was before it read lead data: no leads or campaigns, no campaign lookup on the deals."""
    deals = mapping.tables["opportunities"]
    deals = deals.model_copy(
        update={
            "lookups": [lookup for lookup in deals.lookups if not lookup.optional],
            "columns": {column: label for column, label in deals.columns.items() if column != "campaign"},
        }
    )
    tables = {name: spec for name, spec in mapping.tables.items() if name not in ("leads", "campaigns")}
    return mapping.model_copy(update={"tables": tables | {"opportunities": deals}})


@pytest.mark.parametrize("name", list(SALESFORCE))
def test_an_export_without_lead_files_loads_as_it_did_before(tmp_path, name):
    folder = write_export(tmp_path / name, ex.salesforce_files(SALESFORCE[name], LEAD_FILES))
    now = load_data(folder, DEFAULT_CONFIG, mapping=MAPPINGS / f"{name}.yml")
    before = load_data(folder, DEFAULT_CONFIG, mapping=_before(load_mapping(MAPPINGS / f"{name}.yml")))
    assert now.leads is None and now.campaigns is None
    for table in ("opportunities", "reps", "quotas"):
        pd.testing.assert_frame_equal(getattr(now, table), getattr(before, table), obj=table)
    assert now.opportunities["campaign"].isna().all()
    # the deals name campaigns (CampaignId) that the export does not hold: one info line says so
    told = [p.render() for p in now.quality.problems]
    gap = "Opportunity.csv, column 'CampaignId': the export has no Campaign.csv, so Campaign Name is left out"
    assert [line for line in told if gap not in line] == [p.render() for p in before.quality.problems]
    assert sum(gap in line for line in told) == 1


def test_a_deals_file_without_a_campaign_id_column_says_so_only_in_check(tmp_path, capsys):
    files = ex.salesforce_files(leave_out=LEAD_FILES)
    rows = [row[:-1] for row in ex.SF_OPPORTUNITY]  # an older export without CampaignId
    files["Opportunity.csv"] = csv_text(rows).encode("utf-8")
    folder = write_export(tmp_path / "sf", files)
    data = load_data(folder, DEFAULT_CONFIG, mapping=MAPPINGS / "salesforce-objects.yml")
    assert not [p for p in data.quality.problems if "Campaign" in p.message]
    assert main(["check", "--data", str(folder), "--mapping", str(MAPPINGS / "salesforce-objects.yml")]) == 0
    out = capsys.readouterr().out
    assert "'Campaign Name' not looked up: Opportunity.csv has no column 'CampaignId' (the lookup is optional)" in out
    assert "campaign left out: 'Campaign Name' was not looked up" in out


@pytest.fixture(scope="module")
def hubspot(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    base = tmp_path_factory.mktemp("hubspot-leads")
    folder = write_export(base / "export", ex.HUBSPOT_FILES)
    return load_data(folder, config_without_quotas(base), mapping=MAPPINGS / "hubspot-deals.yml")


def test_hubspot_contacts_become_leads_beside_the_deals(hubspot):
    leads = hubspot.leads.set_index("lead_id")
    assert list(leads.index) == ["501", "502", "503", "504", "505", "506"]
    # internal values and display labels read as the same readable source
    assert leads["source"].astype(str).tolist() == [
        "Organic Search",
        "Paid Social",
        "Email Marketing",
        "Offline Sources",
        "Referrals",
        "Direct Traffic",
    ]
    assert leads["status"].astype(object).where(leads["status"].notna(), "").tolist() == [
        "Open Deal",
        "Open Deal",
        "In Progress",
        "Unqualified",
        "",
        "New",
    ]
    assert _days(leads["created_at"]) == [
        "2026-06-20",
        "2026-07-28",
        "2026-09-01",
        "2026-09-15",
        "2026-08-30",
        "2026-10-02",
    ]
    # only some lifecycle dates: 502 skipped SQL, 503 is an MQL only, 504 has none
    assert _days(leads["mql_date"]) == ["2026-06-25", "2026-08-01", "2026-09-02", "", "", ""]
    assert _days(leads["sql_date"]) == ["2026-06-28", "", "", "", "", ""]
    # 505 names deal 9003 without an opportunity date: the deal's created date stands in, with a warning
    assert _days(leads["converted_date"]) == ["2026-07-01", "2026-08-10", "", "", "2026-09-05", ""]
    assert leads["opportunity_id"].dropna().to_dict() == {"501": "9001", "502": "9002", "505": "9003"}
    assert leads.loc["501", "owner_id"] == "Ana Diaz" and leads.loc["506", "owner_id"] == "Sam Reyes"
    deals = hubspot.opportunities.set_index("opportunity_id")
    assert deals["lead_id"].to_dict() == {"9001": "501", "9002": "502", "9003": "505"}
    assert hubspot.campaigns is None
    warnings = _messages(hubspot, "warning")
    assert any("Contact owner (owner_id)" in w and "not in reps" in w and "Sam Reyes" in w for w in warnings)
    assert any("without a converted date" in w and "read as the deal's created date" in w for w in warnings)


def test_hubspot_check_says_a_contact_listed_several_deals(tmp_path, capsys):
    folder = write_export(tmp_path / "hs", ex.HUBSPOT_FILES)
    config = config_without_quotas(tmp_path)
    args = ["check", "--data", str(folder), "--config", str(config), "--mapping", str(MAPPINGS / "hubspot-deals.yml")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert f"Mapped leads from {ex.HUBSPOT_CONTACTS_FILE}:" in out
    assert "converted_date <- 'Became an Opportunity Date'" in out
    assert "1 opportunity_id cells list several values: the first listed is taken" in out
    assert "left unmapped: First Name, Last Name, Email, Lifecycle Stage, Became a Lead Date" in out


def test_hubspot_deals_without_contacts_load_without_leads(tmp_path):
    folder = write_export(tmp_path / "hs", {ex.HUBSPOT_DEALS_FILE: ex.HUBSPOT_FILES[ex.HUBSPOT_DEALS_FILE]})
    data = load_data(folder, config_without_quotas(tmp_path), mapping=MAPPINGS / "hubspot-deals.yml")
    assert data.leads is None and data.opportunities["lead_id"].isna().all()
    assert not [p for p in data.quality.problems if "contact" in p.file]


@pytest.fixture(scope="module")
def olist(tmp_path_factory: pytest.TempPathFactory) -> SalesData:
    base = tmp_path_factory.mktemp("olist")
    folder = write_export(base / "export", ex.OLIST_FILES)
    return load_data(folder, config_without_quotas(base), mapping=MAPPINGS / "olist-marketing-funnel.yml")


def test_olist_closed_deals_are_won_deals_linked_to_their_leads(olist):
    deals = olist.opportunities.set_index("opportunity_id")
    assert list(deals.index) == [ex.MQL[0], ex.MQL[1], ex.MISSING_MQL]
    assert set(deals["stage"].astype(str)) == {"Closed Won"}
    assert deals["amount"].tolist() == [0.0, 500000.0, 0.0], "the declared monthly revenue, often 0"
    assert _days(deals["close_date"]) == ["2018-02-26", "2018-03-10", "2018-03-20"]
    assert (deals["created_date"] == deals["close_date"]).all(), "the won date stands in for the created date"
    assert deals["owner_id"].tolist() == [ex.REP_A, ex.REP_B, ex.REP_A]
    assert sorted(olist.reps["rep_id"]) == [ex.REP_A, ex.REP_B] and set(olist.reps["team"]) == {"Sales"}
    assert deals.loc[ex.MQL[0], "segment"] == "pet" and deals.loc[ex.MQL[1], "account"] == ex.SELLERS[1]
    # the deal whose mql_id the leads file does not hold is kept, unlinked, with a warning naming it
    assert deals["lead_id"].tolist()[:2] == [ex.MQL[0], ex.MQL[1]] and pd.isna(deals.loc[ex.MISSING_MQL, "lead_id"])
    warnings = [p for p in olist.quality.warnings if p.column == "mql_id (lead_id)"]
    assert len(warnings) == 1 and "refers to an id that is not in leads" in warnings[0].message
    assert (
        warnings[0].file == "olist_closed_deals_dataset.csv" and warnings[0].action == "deal kept, not linked to a lead"
    )
    assert warnings[0].examples["lead_id"].tolist() == [ex.MISSING_MQL]
    assert any("no created_date in the export: close_date stands in" in p.message for p in olist.quality.warnings)


def test_olist_leads_are_mqls_from_their_first_contact(olist):
    leads = olist.leads.set_index("lead_id")
    assert list(leads.index) == ex.MQL
    assert _days(leads["created_at"]) == ["2018-02-01", "2018-02-03", "2018-02-10", "2018-03-01", "2018-03-05"]
    assert (leads["mql_date"] == leads["created_at"]).all()
    # "unknown" and an empty origin are no source: counted under Unknown, with a warning
    sources = ["Organic Search", "Paid Search", "Unknown", "Unknown", "Other Advertising"]
    assert leads["source"].astype(str).tolist() == sources
    assert any(p.column == "origin (source)" and p.count == 2 for p in olist.quality.warnings), "the export's label"
    assert leads["opportunity_id"].dropna().to_dict() == {ex.MQL[0]: ex.MQL[0], ex.MQL[1]: ex.MQL[1]}
    assert _days(leads["converted_date"]) == ["2018-02-26", "2018-03-10", "", "", ""]
    # most leads never closed: an info line, not a warning
    assert not [p for p in olist.quality.warnings if "olist_closed_deals_dataset.csv (column mql_id)" in p.message]
    assert any("3 of 5 mql_id values are not in olist_closed_deals" in p.message for p in olist.quality.problems)


def test_olist_deals_from_another_sample_of_leads_are_a_clear_error(tmp_path):
    files = dict(ex.OLIST_FILES)
    files["olist_marketing_qualified_leads_dataset.csv"] = csv_text(ex.OLIST_LEADS[:1] + ex.OLIST_LEADS[3:]).encode()
    folder = write_export(tmp_path / "olist", files)
    with pytest.raises(DataValidationError) as info:
        load_data(folder, config_without_quotas(tmp_path), mapping=MAPPINGS / "olist-marketing-funnel.yml")
    text = info.value.render()
    assert "olist_closed_deals_dataset.csv, column 'mql_id (lead_id)'" in text and "for most rows" in text


# The mapping keys, on a small export of their own.
KEY_DEALS = "Id,Owner,Stage,Amount,Created,Closed,Contacts\nD1,Ana,Closed Won,100,2026-01-10,2026-03-01,P1\n"
KEY_PEOPLE = "Id,Since,Deals\nP1,2026-01-02, ; D1 ;D2\nP2,2026-01-03,\nP3,2026-01-04,D2\n"


def _key_mapping(tmp_path: Path, leads: str) -> Path:
    path = tmp_path / "keys.yml"
    path.write_text(
        "name: keys\n"
        "tables:\n"
        "  opportunities:\n"
        "    file: deals.csv\n"
        "    columns: {opportunity_id: Id, owner_id: Owner, created_date: Created, close_date: Closed}\n"
        "  reps: {from_owners: true}\n"
        "  leads:\n"
        "    file: people.csv\n"
        f"    {leads}\n",
        "utf-8",
    )
    return path


def test_split_takes_the_first_value_listed(tmp_path):
    folder = write_export(tmp_path / "x", {"deals.csv": KEY_DEALS.encode(), "people.csv": KEY_PEOPLE.encode()})
    mapping = _key_mapping(
        tmp_path, "columns: {lead_id: Id, created_at: Since, opportunity_id: Deals}\n    split: {opportunity_id: ';'}"
    )
    data = load_data(folder, config_without_quotas(tmp_path), mapping=mapping)
    leads = data.leads.set_index("lead_id")["opportunity_id"]
    # " ; D1 ;D2" -> D1 (empty parts passed over); D2 is no deal of the export: a lead converted without a deal
    assert leads.get("P1") == "D1" and pd.isna(leads.get("P2")) and pd.isna(leads.get("P3"))
    assert data.opportunities.set_index("opportunity_id").loc["D1", "lead_id"] == "P1"


def test_an_earliest_column_the_other_file_lacks_is_named(tmp_path):
    files = {"deals.csv": KEY_DEALS.encode(), "people.csv": KEY_PEOPLE.encode(), "members.csv": b"Person,When\nP1,x\n"}
    folder = write_export(tmp_path / "x", files)
    lookup = "{file: members.csv, key: Id, match: Person, take: {When: Joined}, earliest: CreatedDate}"
    mapping = _key_mapping(tmp_path, f"columns: {{lead_id: Id, created_at: Since}}\n    lookups: [{lookup}]")
    with pytest.raises(DataValidationError) as info:
        load_data(folder, config_without_quotas(tmp_path), mapping=mapping)
    assert "the lookup orders rows by the column 'CreatedDate', which is not in the file" in info.value.render()


def test_a_split_needs_a_mark(tmp_path):
    mapping = _key_mapping(tmp_path, "columns: {lead_id: Id}\n    split: {opportunity_id: ''}")
    with pytest.raises(ConfigError, match="opportunity_id: name the mark between the values"):
        load_mapping(mapping)


def test_every_ready_mapping_still_validates():
    for path in sorted(MAPPINGS.glob("*.yml")):
        assert load_mapping(path).name, path
    assert "Closed Won" in load_config(DEFAULT_CONFIG).stage_names, "the Olist mapping's constant stage"


@pytest.mark.slow
def test_the_olist_funnel_renders_every_report(tmp_path):
    folder = write_export(tmp_path / "olist", ex.OLIST_FILES)
    config, out = config_without_quotas(tmp_path), tmp_path / "reports"
    args = ["run", "--quiet", "--data", str(folder), "--config", str(config), "--out", str(out), "--jobs", "2"]
    assert main([*args, "--mapping", str(MAPPINGS / "olist-marketing-funnel.yml")]) == 0
    assert "index.html" in {p.name for p in out.glob("*/*.html")}
