"""The ready mappings for HubSpot's deal property history, Pipedrive, Zoho CRM and Dynamics 365 read hand-made exports
with each vendor's labels and quirks (tests/helpers/more_crm_exports.py), and the mapping keys they brought:
first_of (the first of several columns with a value) and overrides (a status that replaces the stage)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.cli.main import main
from salesops_helpers.config import ConfigError, WorkbookConfig
from salesops_helpers.data.loading import SalesData
from salesops_helpers.data.mapping import load_mapping
from salesops_helpers.metrics import kpi_table
from tests.helpers.crm_exports import MAPPINGS
from tests.helpers.more_crm_exports import (
    DYNAMICS_EXPORT,
    DYNAMICS_GUID,
    HUBSPOT_EXPORT,
    PIPEDRIVE_EXPORT,
    ZOHO_EXPORT,
    ZOHO_ID,
    config_without_quotas,
    write_export,
)

EXPORTS = {
    "hubspot-deal-history": HUBSPOT_EXPORT,
    "pipedrive": PIPEDRIVE_EXPORT,
    "zoho-crm": ZOHO_EXPORT,
    "dynamics-365": DYNAMICS_EXPORT,
}
KPIS = ["bookings", "won_deals", "lost_deals"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("more-crms")
    for name, files in EXPORTS.items():
        write_export(folder / name, files)
    config_without_quotas(folder)
    return folder


@pytest.fixture(scope="module")
def config(workspace: Path) -> WorkbookConfig:
    return load_config(workspace / "workbook-no-quotas.yml")


@pytest.fixture(scope="module")
def loaded(workspace: Path, config: WorkbookConfig) -> dict[str, SalesData]:
    return {name: load_data(workspace / name, config, mapping=MAPPINGS / f"{name}.yml") for name in EXPORTS}


def _october(data: SalesData, config: WorkbookConfig, by: str) -> dict[str, dict[str, float]]:
    october = FiscalCalendar.from_config(config).parse("2026-10")
    rows = kpi_table(data, october, [by], KPIS).values
    return {str(row[by]): {key: float(row[key]) for key in KPIS} for _, row in rows.iterrows()}


def _days(values: pd.Series) -> list[str]:
    return [str(value.date()) if pd.notna(value) else "" for value in values]


def _stages(data: SalesData) -> dict[str, str]:
    return data.opportunities.set_index("opportunity_id")["stage"].astype(str).to_dict()


def _history_of(data: SalesData, deal: str) -> pd.DataFrame:
    return data.history[data.history["opportunity_id"] == deal].sort_values("changed_at", kind="stable")


def test_hubspot_property_history_keeps_every_stage_change_of_a_reopened_deal(loaded, config):
    data = loaded["hubspot-deal-history"]
    # the archived deal 9006 is left out; stages are HubSpot's internal ids
    assert _stages(data) == {
        "9001": "Closed Won",
        "9002": "Negotiation",
        "9003": "Closed Lost",
        "9004": "Closed Won",
        "9005": "Discovery",
    }
    assert _days(data.opportunities.set_index("opportunity_id").loc[["9001", "9004"], "created_date"]) == [
        "2026-08-01",
        "2026-07-01",
    ]
    # 16 of the 20 rows are dealstage changes, one of them the archived deal's; amount, closedate and owner are not
    assert len(data.history) == 15
    assert any("4 rows left out (property in ['dealstage']" in p.message for p in data.quality.problems)
    echo = _history_of(data, "9005")
    assert echo["stage"].astype(str).tolist() == ["Prospecting", "Discovery", "Closed Lost", "Discovery"]
    assert str(echo["changed_at"].iloc[-1]) == "2026-10-05 13:00:00", "UTC timestamps, listed newest first"
    assert data.reps.set_index("rep_id")["name"].to_dict() == {
        "41001": "Ana Diaz",
        "41002": "Ben Okoro",
        "41004": "Cara Lund",
    }
    # October: Ana won 9001 (12,000), Ben lost 9003; the deactivated owner's 9004 (2,500) is Unassigned
    assert _october(data, config, "team") == {
        "Sales": {"bookings": 12000.0, "won_deals": 1.0, "lost_deals": 1.0},
        "Unassigned": {"bookings": 2500.0, "won_deals": 1.0, "lost_deals": 0.0},
    }


def test_pipedrive_status_overrides_the_stage_and_the_flow_gives_the_stage_changes(loaded, config):
    data = loaded["pipedrive"]
    # deal 104 is deleted; 101 was won while in Negotiations Started, 103 lost in Demo Scheduled
    assert _stages(data) == {
        "101": "Closed Won",
        "102": "Proposal",
        "103": "Closed Lost",
        "105": "Prospecting",
        "106": "Closed Won",
    }
    deals = data.opportunities.set_index("opportunity_id")
    # closed deals close on the day they were marked won or lost; open ones on their expected close date
    assert _days(deals["close_date"]) == ["2026-10-20", "2026-12-15", "2026-10-12", "", "2026-09-28"]
    assert deals.loc["102", "amount"] == 8500.5
    assert deals.loc["103", "lost_reason"] == "Went with a competitor"
    # 8 stage_id rows in the flow, one of them the deleted deal's (left out with a warning); stage ids named
    assert len(data.history) == 7
    acme = _history_of(data, "101")
    assert acme["stage"].astype(str).tolist() == ["Qualification", "Proposal", "Negotiation"]
    assert str(acme["changed_at"].iloc[0]) == "2026-08-10 10:00:00"
    assert any(p.file == "dealflow.csv" and "not in opportunities" in p.message for p in data.quality.warnings)
    assert _october(data, config, "rep") == {
        "Ana Diaz": {"bookings": 12000.0, "won_deals": 1.0, "lost_deals": 0.0},
        "Ben Okoro": {"bookings": 0.0, "won_deals": 0.0, "lost_deals": 1.0},
    }


def test_zoho_stage_history_report_joins_by_deal_name_with_day_first_dates(loaded, config):
    data = loaded["zoho-crm"]
    deals = data.opportunities.set_index("opportunity_id")
    assert list(deals.index) == [ZOHO_ID.format(n) for n in range(1, 6)], "the zcrm_ prefix stays part of the id"
    assert deals.loc[ZOHO_ID.format(3), "stage"] == "Closed Lost", "Closed-Lost to Competition"
    assert _days(deals["created_date"]) == ["2026-08-01", "2026-09-10", "2026-09-01", "2026-10-02", "2026-10-15"]
    assert deals.loc[ZOHO_ID.format(5), "owner_id"] == "Zoë Brontë"
    assert len(data.history) == 10
    acme = _history_of(data, ZOHO_ID.format(1))
    # newest first in the report; 02/09/2026 11:00 AM is 2 September
    assert [str(moment) for moment in acme["changed_at"]] == [
        "2026-08-01 09:15:00",
        "2026-09-02 11:00:00",
        "2026-10-20 16:30:00",
    ]
    assert acme["stage"].astype(str).tolist() == ["Qualification", "Proposal", "Closed Won"]
    assert acme["amount"].tolist() == [10000.0, 12000.0, 12000.0], "amounts written as $ 12,000.00"
    assert _days(acme["close_date"]) == ["2026-11-30", "2026-10-31", "2026-10-20"]
    assert _october(data, config, "rep") == {
        "Ana Diaz": {"bookings": 14500.0, "won_deals": 2.0, "lost_deals": 0.0},
        "Ben Okoro": {"bookings": 0.0, "won_deals": 0.0, "lost_deals": 1.0},
        "Zoë Brontë": {"bookings": 0.0, "won_deals": 0.0, "lost_deals": 0.0},
    }


def test_zoho_deals_sharing_a_name_are_warned_of_and_their_history_goes_to_the_first(tmp_path, config):
    renamed = {name: text.replace(b"Echo - Platform", b"Acme - Platform") for name, text in ZOHO_EXPORT.items()}
    data = load_data(write_export(tmp_path / "zoho", renamed), config, mapping=MAPPINGS / "zoho-crm.yml")
    warned = [p.message for p in data.quality.warnings if p.file == "Deals_2026_10_30.csv"]
    assert "1 Deal Name values appear more than once: the lookup uses the first row of each" in warned
    assert len(_history_of(data, ZOHO_ID.format(1))) == 4
    assert _history_of(data, ZOHO_ID.format(5)).empty


def test_dynamics_actual_figures_of_closed_deals_and_estimates_of_open_ones(loaded, config):
    data = loaded["dynamics-365"]
    deals = data.opportunities.set_index("opportunity_id")
    acme, bolt, cask, dune, elan = (DYNAMICS_GUID.format(n) for n in range(1, 6))
    assert _stages(data) == {
        acme: "Closed Won",  # won from 3-Propose
        bolt: "Negotiation",
        cask: "Closed Lost",
        dune: "Qualification",
        elan: "Closed Won",
    }
    # actual revenue where the deal has one (12,000 rather than the 12,500 estimated), else the estimate
    assert deals["amount"].tolist() == [12000.0, 8000.0, 3000.0, 2000.0, 4800.0]
    assert _days(deals["close_date"]) == ["2026-10-20", "2026-12-15", "2026-10-12", "", "2026-10-25"]
    assert set(deals["currency"]) == {"USD"}, "US Dollar, the currency's name"
    assert sorted(data.reps["name"]) == ["Ana Díaz", "José Núñez", "Zoë Brontë"], "cp1252 text"
    # one row per opportunity: the stage it is in (or closed in) and since when, found by its topic
    history = data.history.set_index("opportunity_id")
    assert len(history) == 5
    assert history.loc[acme, "stage"] == "Proposal" and str(history.loc[acme, "changed_at"]) == "2026-09-02 11:00:00"
    assert _october(data, config, "team") == {
        "Enterprise": {"bookings": 16800.0, "won_deals": 2.0, "lost_deals": 0.0},
        "SMB": {"bookings": 0.0, "won_deals": 0.0, "lost_deals": 1.0},
    }


@pytest.mark.parametrize(
    ("name", "printed"),
    [
        ("hubspot-deal-history", "name <- 'firstName + lastName'"),
        ("pipedrive", "close_date <- 'Deal - Deal closed on or Deal - Expected close date'"),
        ("zoho-crm", "'Deal Record Id' looked up in Deals_2026_10_30.csv through Deal Name: 10 of 10 keys found"),
        ("dynamics-365", "3 stage values taken from 'Status' (Won, Lost)"),
    ],
)
def test_check_reads_each_export_cleanly(workspace, capsys, name, printed):
    command = ["check", "--data", str(workspace / name), "--config", str(workspace / "workbook-no-quotas.yml")]
    assert main([*command, "--mapping", str(MAPPINGS / f"{name}.yml")]) == 0
    assert printed in capsys.readouterr().out


# The two keys on a small export of their own: a status column beside the stage, two close date columns.
STATUS_DEALS = (
    "Id,Owner,Phase,State,Closed,Expected,Amount,Created\n"
    "D1,Ana,Offer,WON,2026-03-02,2026-03-31,100,2026-01-05\n"
    "D2,Ana,Offer,open,,2026-04-30,50,2026-01-06\n"
    "D3,Ana,Intro,Lost,2026-03-09,  ,70,2026-01-07\n"
)


def _status_mapping(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "status.yml"
    path.write_text(
        "name: deals with a status column\n"
        "tables:\n"
        "  opportunities:\n"
        "    file: deals.csv\n"
        "    columns: {opportunity_id: Id, owner_id: Owner, stage: Phase, created_date: Created}\n"
        "    first_of: {close_date: [Closed, Expected]}\n"
        "    overrides: {stage: {column: State, values: [won, lost]}}\n"
        "    values: {stage: {Intro: Qualification, Offer: Proposal, won: Closed Won, lost: Closed Lost}}\n"
        f"{extra}"
        "  reps: {from_owners: true}\n",
        "utf-8",
    )
    return path


def test_first_of_takes_the_first_filled_column_and_overrides_replace_before_translation(tmp_path, workspace):
    folder = write_export(tmp_path / "deals", {"deals.csv": STATUS_DEALS.encode("utf-8")})
    config = load_config(workspace / "workbook-no-quotas.yml")
    data = load_data(folder, config, mapping=_status_mapping(tmp_path))
    deals = data.opportunities.set_index("opportunity_id")
    # WON and Lost match the override's values ignoring case, then translate like any stage
    assert deals["stage"].astype(str).tolist() == ["Closed Won", "Proposal", "Closed Lost"]
    # D2 has no Closed date: its Expected one; D3's Expected is blank, but its Closed date comes first
    assert _days(deals["close_date"]) == ["2026-03-02", "2026-04-30", "2026-03-09"]


def test_a_first_of_or_override_column_missing_from_the_file_is_named(tmp_path, workspace):
    folder = write_export(tmp_path / "deals", {"deals.csv": STATUS_DEALS.replace("Expected", "Expect").encode()})
    config = load_config(workspace / "workbook-no-quotas.yml")
    with pytest.raises(DataValidationError) as info:
        load_data(folder, config, mapping=_status_mapping(tmp_path))
    text = info.value.render()
    assert "first_of.close_date names the column 'Expected', which is not in the file" in text
    assert "did you mean 'Expect'" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    first_of: {closing: [Closed]}\n", "first_of.closing: not a column of opportunities"),
        ("    first_of: {close_date: []}\n", "first_of.close_date: name at least one column"),
        ("    overrides: {stage: {column: State, values: []}}\n", "name at least one value"),
    ],
)
def test_first_of_and_override_mistakes_name_their_key(tmp_path, extra, message):
    path = tmp_path / "bad.yml"
    path.write_text(f"name: x\ntables:\n  opportunities:\n    file: d.csv\n{extra}", "utf-8")
    with pytest.raises(ConfigError, match=message):
        load_mapping(path)


def test_overrides_are_refused_on_a_table_made_from_the_deals(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(
        "name: x\ntables:\n  opportunities: {file: d.csv}\n"
        "  reps: {from_owners: true, overrides: {team: {column: Region, values: [EMEA]}}}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match="first_of and overrides are for a table read from the export"):
        load_mapping(path)
