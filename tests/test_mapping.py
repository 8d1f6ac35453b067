"""Bring your own CRM data: the ready mappings read hand-made exports with the real column labels and the mess
real exports carry (see ../shared/reference/crm-exports.md), and mapping mistakes get clear messages."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import ConfigError
from salesops_helpers.data.mapping import load_mapping
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers.crm_exports import MAPPINGS, SALESFORCE_QUOTAS, SALESFORCE_REPORT

CAL = FiscalCalendar(2, "end")

# A HubSpot deals export: owners by name, plain stage labels in "Deal Stage", one 'Date entered' column per stage
# with labels qualified by the pipeline, dates with times.
HUBSPOT_DEALS = (
    "\n".join(
        [
            "Record ID,Deal Name,Deal Stage,Pipeline,Amount,Close Date,Create Date,Deal owner,Deal Type,"
            '"Date entered ""Appointment Scheduled (Sales Pipeline)""",'
            '"Date entered ""Qualified To Buy (Sales Pipeline)""",'
            '"Date entered ""Contract Sent (Sales Pipeline)""","Date entered ""Closed Won (Sales Pipeline)""",'
            '"Date entered ""Closed Lost (Sales Pipeline)"""',
            "9001,Acme deal,Closed Won,Sales Pipeline,12000,2026-09-20 10:00,2026-07-01 09:00,Ana Diaz,newbusiness,"
            "2026-07-01 09:00,2026-07-15 11:30,2026-09-01 16:00,2026-09-20 10:00,",
            "9002,Bolt deal,Closed Lost,Sales Pipeline,3000,2026-10-05 12:00,2026-08-10 08:00,Ben Okoro,newbusiness,"
            "2026-08-10 08:00,,,,2026-10-05 12:00",
            "9003,Cask deal,Contract Sent,Sales Pipeline,7000,2026-12-01 00:00,2026-09-05 13:00,Ana Diaz,"
            "existingbusiness,"
            "2026-09-05 13:00,2026-09-20 10:00,2026-10-20 15:45,,",
        ]
    )
    + "\n"
)


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))
    return folder


def _config_without_quotas(tmp_path: Path) -> Path:
    path = tmp_path / "workbook.yml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("source: file", "source: none"), "utf-8")
    return path


@pytest.fixture
def salesforce(tmp_path: Path) -> Path:
    return _write(tmp_path / "sf", {"opportunities.csv": SALESFORCE_REPORT, "quotas.csv": SALESFORCE_QUOTAS})


def test_the_salesforce_report_mapping_reads_the_export(salesforce):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in salesforce.iterdir()}
    data = load_data(salesforce, load_config(DEFAULT_CONFIG), mapping=MAPPINGS / "salesforce-report.yml")
    opps = data.opportunities.set_index("opportunity_id")
    assert len(opps) == 6, "the footer lines are not deals"
    # $12,500.00 -> 12500; 4,000 -> 4000; USD 2,250.50 -> 2250.5; an empty amount counts as 0 (with a warning)
    assert opps["amount"].tolist() == [12500.0, 4000.0, 2250.5, 800.0, 15000.0, 0.0]
    assert opps["stage"].astype(str).tolist() == [
        "Closed Won",
        "Closed Lost",
        "Negotiation",
        "Closed Won",  # "  closed   WON " read as the configured stage
        "Discovery",  # Needs Analysis
        "Proposal",  # Proposal/Price Quote
    ]
    assert str(opps.loc["0065g00000AAA01", "close_date"].date()) == "2026-03-15", "US dates, month first"
    # the deal won before it was created gets the close date as created date (a 0-day cycle), with a warning
    assert opps.loc["0065g00000AAA04", "created_date"] == opps.loc["0065g00000AAA04", "close_date"]
    assert opps.loc["0065g00000AAA02", "name"].startswith("=HYPERLINK"), "text is kept as text, never evaluated"
    reps = data.reps.set_index("rep_id")
    assert sorted(reps.index) == ["Ana Diaz", "Ben Okoro", "Cara Lund"]
    assert reps.loc["Ben Okoro", "team"] == "SMB AE", "the owner's role stands for the team"
    assert data.quotas.set_index("rep_id")["quota"].to_dict() == {"Ana Diaz": 10000.0, "Ben Okoro": 5000.0}
    warnings = [p.render() for p in data.quality.warnings]
    assert any("close date is before the created date" in w and "Close Date (close_date)" in w for w in warnings)
    assert any("no amount" in w and "opportunities.csv" in w for w in warnings)
    assert any("quotas.csv" in w and "Zed Gone" in w and "quota left out" in w for w in warnings)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in salesforce.iterdir()}
    assert after == before, "the export is only read"


def test_kpis_from_a_mapped_export_match_the_hand_sums(salesforce):
    data = load_data(salesforce, load_config(DEFAULT_CONFIG), mapping=MAPPINGS / "salesforce-report.yml")
    # October 2026: won AAA04 800 (created 10/20 moved to its close 10/12); quota Ana 10000 + Ben 5000
    row = kpi_table(data, CAL.parse("2026-10"), [], ["bookings", "won_deals", "quota", "attainment"]).values.iloc[0]
    assert (row["bookings"], row["won_deals"], row["quota"]) == (800.0, 1, 15000.0)
    assert row["attainment"] == pytest.approx(800 / 15000)


def test_salesforce_check_prints_what_was_mapped_and_left_unmapped(salesforce):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "salesops_helpers.cli",
            "check",
            "--data",
            str(salesforce),
            "--mapping",
            str(MAPPINGS / "salesforce-report.yml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Mapped opportunities from opportunities.csv" in result.stdout
    assert "close_date <- 'Close Date'" in result.stdout
    assert "left unmapped: Probability (%), Fiscal Period" in result.stdout
    assert "Mapped reps from the deal owners in opportunities.csv" in result.stdout
    assert "team <- 'Owner Role'" in result.stdout
    assert "3 reps made from the deal owners" in result.stdout
    assert "report footer lines" in result.stdout


def test_the_hubspot_mapping_turns_stage_dates_into_history(tmp_path):
    folder = _write(tmp_path / "hs", {"hubspot-deals-export.csv": HUBSPOT_DEALS})
    config = load_config(_config_without_quotas(tmp_path))
    data = load_data(folder, config, mapping=MAPPINGS / "hubspot-deals.yml")
    assert data.opportunities.set_index("opportunity_id")["stage"].astype(str).to_dict() == {
        "9001": "Closed Won",
        "9002": "Closed Lost",
        "9003": "Negotiation",
    }
    history = data.history
    # 9001: 4 dates, 9002: 2 dates, 9003: 3 dates
    assert history.groupby("opportunity_id").size().to_dict() == {"9001": 4, "9002": 2, "9003": 3}
    cask = history[history["opportunity_id"] == "9003"].sort_values("changed_at")
    assert cask["stage"].astype(str).tolist() == ["Prospecting", "Qualification", "Negotiation"]
    assert str(cask["changed_at"].iloc[-1]) == "2026-10-20 15:45:00"
    assert set(data.reps["team"]) == {"Sales"}


def test_a_german_export_with_semicolons_decimal_commas_and_day_first_dates(tmp_path):
    text = (
        "Opportunity ID;Opportunity Name;Opportunity Owner;Stage;Amount;Close Date;Created Date\n"
        "A1;Alpha;Ana Diaz;Closed Won;12.500,50 €;15.03.2026;05.01.2026\n"
        "A2;Beta;Ana Diaz;Prospecting;1.000;01.12.2026;02.11.2026\n"
    )
    folder = _write(tmp_path / "de", {"opportunities.csv": text})
    mapping = tmp_path / "de.yml"
    mapping.write_text(
        "name: German Salesforce export\n"
        "format: {separator: ';', decimal: ',', date_format: '%d.%m.%Y'}\n"
        "owners: name\n"
        "tables:\n"
        "  opportunities:\n"
        "    file: opportunities.csv\n"
        "    columns: {opportunity_id: Opportunity ID, name: Opportunity Name, owner_id: Opportunity Owner,\n"
        "              stage: Stage, amount: Amount, close_date: Close Date, created_date: Created Date}\n"
        "  reps: {from_owners: true}\n",
        "utf-8",
    )
    data = load_data(folder, load_config(_config_without_quotas(tmp_path)), mapping=mapping)
    opps = data.opportunities.set_index("opportunity_id")
    assert opps["amount"].tolist() == [12500.5, 1000.0]
    assert str(opps.loc["A1", "close_date"].date()) == "2026-03-15", "day first"


def test_an_export_without_created_dates_can_name_a_stand_in(tmp_path):
    text = "Id,Owner,Stage,Amount,Close Date\nX1,Ana,Closed Won,100,2026-03-01\nX2,Ana,Prospecting,50,2026-12-01\n"
    folder = _write(tmp_path / "nocreated", {"deals.csv": text})
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "name: no created date\n"
        "tables:\n"
        "  opportunities:\n"
        "    file: deals.csv\n"
        "    columns: {opportunity_id: Id, owner_id: Owner}\n"
        "    stand_ins: {created_date: close_date}\n"
        "  reps: {from_owners: true}\n",
        "utf-8",
    )
    data = load_data(folder, load_config(_config_without_quotas(tmp_path)), mapping=mapping)
    assert (data.opportunities["created_date"] == data.opportunities["close_date"]).all()
    assert any("close_date stands in" in p.message for p in data.quality.warnings)


# A sample-data shape: deals still in their first stage have no created date; a stage log exists beside the deals.
NO_DATE_DEALS = (
    "Id,Owner,Stage,Amount,Created,Close Date\n"
    "X1,Ana,Closed Won,100,2026-01-10,2026-03-01\n"
    "X2,Ana,Prospecting,50,,2026-12-01\n"  # no created date; its first log row is 2026-02-03
    "X3,Ana,Closed Lost,70,,2026-04-20\n"  # no created date and no log row: only its close date
)
NO_DATE_LOG = (
    "Deal,When,Stage\n"
    "X1,2026-01-10 09:00,Prospecting\n"
    "X1,2026-03-01 10:00,Closed Won\n"
    "X2,2026-02-03 08:30,Prospecting\n"
)


def _no_date_mapping(tmp_path: Path, stand_in: str) -> Path:
    mapping = tmp_path / f"{stand_in}.yml"
    mapping.write_text(
        "name: deals without created dates\n"
        "tables:\n"
        "  opportunities:\n"
        "    file: deals.csv\n"
        "    columns: {opportunity_id: Id, owner_id: Owner, created_date: Created}\n"
        f"    stand_ins: {{created_date: {stand_in}}}\n"
        "  opportunity_history:\n"
        "    file: log.csv\n"
        "    columns: {opportunity_id: Deal, changed_at: When}\n"
        "  reps: {from_owners: true}\n",
        "utf-8",
    )
    return mapping


def test_a_deals_earliest_history_row_can_stand_in_for_its_created_date(tmp_path):
    folder = _write(tmp_path / "nodates", {"deals.csv": NO_DATE_DEALS, "log.csv": NO_DATE_LOG})
    config = load_config(_config_without_quotas(tmp_path))
    with pytest.raises(DataValidationError) as info:
        load_data(folder, config, mapping=_no_date_mapping(tmp_path, "first_history"))
    text = info.value.render()
    # X3 has no log row, so nothing stands in: the error says what can
    assert "empty, but every row needs a value (a mapping can name a stand-in" in text and "X3" in text
    data = load_data(folder, config, mapping=_no_date_mapping(tmp_path, "first_date"))
    created = data.opportunities.set_index("opportunity_id")["created_date"].dt.strftime("%Y-%m-%d")
    assert created.to_dict() == {"X1": "2026-01-10", "X2": "2026-02-03", "X3": "2026-04-20"}
    warned = [p for p in data.quality.warnings if "stands in (the mapping's stand_ins)" in p.message]
    assert len(warned) == 1 and warned[0].count == 2
    assert "the earliest date the export has for the deal" in warned[0].message


def test_a_record_stand_in_is_for_the_created_date_only(tmp_path):
    path = tmp_path / "m.yml"
    path.write_text(
        "name: x\ntables:\n  opportunities:\n    file: d.csv\n    stand_ins: {close_date: first_history}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match="stands in for created_date only"):
        load_mapping(path)


def test_a_mapped_column_missing_from_the_file_is_named_with_a_suggestion(tmp_path):
    folder = _write(tmp_path / "sf", {"opportunities.csv": SALESFORCE_REPORT.replace("Close Date", "Closing Date")})
    with pytest.raises(DataValidationError) as info:
        load_data(folder, load_config(DEFAULT_CONFIG), mapping=MAPPINGS / "salesforce-report.yml")
    text = info.value.render()
    assert "'Close Date'" in text and "not in the file" in text and "did you mean 'Closing Date'" in text


def test_mapping_file_mistakes_name_their_key_path(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: x\ntables:\n  opportunities:\n    file: a.csv\n    columns: {closing_day: Close Date}\n    colums: {}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_mapping(bad)
    message = str(info.value)
    assert "tables.opportunities.colums" in message and "unknown key" in message
    bad.write_text(
        "name: x\ntables:\n  opportunities:\n    file: a.csv\n    columns: {closing_day: Close Date}\n", "utf-8"
    )
    with pytest.raises(ConfigError, match="closing_day: not a column of opportunities"):
        load_mapping(bad)


def test_a_file_pattern_that_matches_two_files_is_refused(tmp_path, salesforce):
    (salesforce / "opportunities-old.csv").write_text(SALESFORCE_REPORT, "utf-8")
    with pytest.raises(DataValidationError, match="matches several files"):
        load_data(salesforce, load_config(DEFAULT_CONFIG), mapping=MAPPINGS / "salesforce-report.yml")


# Salesforce objects with API field names: ISO timestamps with a zone, owners by user id, a deleted opportunity and
# a deleted history row (IsDeleted true) that must be left out, a quarterly-looking quota row per month.
SF_OPPORTUNITY = (
    "Id,IsDeleted,Name,AccountId,OwnerId,StageName,Amount,CloseDate,CreatedDate,Type,LeadSource,"
    "ForecastCategoryName,CurrencyIsoCode\n"
    "006A1,false,Acme,001A,005U1,Closed Won,12000,2026-10-20,2026-08-01T09:15:00.000+0000,New Business,Web,Closed,USD\n"
    "006A2,false,Bolt,001B,005U2,Negotiation/Review,8000,2026-12-15,2026-09-10T10:00:00.000+0000,New Business,"
    "Partner,Commit,USD\n"
    "006A3,true,Cask,001C,005U2,Closed Won,99999,2026-10-05,2026-07-01T10:00:00.000+0000,New Business,Web,Closed,USD\n"
    "006A4,false,Dune,001D,005U2,Closed Lost,3000,2026-10-12,2026-09-01T08:00:00.000+0000,Renewal,Web,Omitted,USD\n"
)
SF_HISTORY = (
    "Id,OpportunityId,CreatedDate,StageName,Amount,CloseDate,IsDeleted\n"
    "008H1,006A1,2026-08-01T09:15:00.000+0000,Prospecting,12000,2026-11-30,false\n"
    "008H2,006A1,2026-09-02T11:00:00.000+0000,Proposal/Price Quote,12000,2026-10-31,false\n"
    "008H3,006A1,2026-10-20T16:30:00.000+0000,Closed Won,12000,2026-10-20,false\n"
    "008H4,006A2,2026-09-10T10:00:00.000+0000,Needs Analysis,8000,2026-12-15,false\n"
    "008H5,006A2,2026-10-01T10:00:00.000+0000,Negotiation/Review,8000,2026-12-15,false\n"
    "008H6,006A2,2026-10-02T10:00:00.000+0000,Closed Lost,8000,2026-10-02,true\n"
    "008H7,006A4,2026-09-01T08:00:00.000+0000,Qualification,3000,2026-10-31,false\n"
    "008H8,006A4,2026-10-12T09:00:00.000+0000,Closed Lost,3000,2026-10-12,false\n"
)
SF_USER = "Id,Name,Department,ManagerId,IsActive\n005U1,Ana Diaz,Enterprise,,true\n005U2,Ben Okoro,SMB,005U1,true\n"
SF_QUOTA = (
    "Id,QuotaOwnerId,StartDate,QuotaAmount,CurrencyIsoCode\n"
    "0J9Q1,005U1,2026-10-01,10000,USD\n0J9Q2,005U2,2026-10-01,6000,USD\n"
)
SF_FILES = {
    "Opportunity.csv": SF_OPPORTUNITY,
    "OpportunityHistory.csv": SF_HISTORY,
    "User.csv": SF_USER,
    "ForecastingQuota.csv": SF_QUOTA,
}


def _snake(label: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", label).lower()


def test_salesforce_objects_and_their_warehouse_sync_give_the_same_kpis(tmp_path):
    objects = _write(tmp_path / "objects", SF_FILES)
    warehouse = _warehouse_copy(objects, tmp_path / "warehouse")
    config = load_config(DEFAULT_CONFIG)
    from_objects = load_data(objects, config, mapping=MAPPINGS / "salesforce-objects.yml")
    from_warehouse = load_data(warehouse, config, mapping=MAPPINGS / "salesforce-warehouse.yml")
    # the deleted opportunity 006A3 (99,999) and the deleted history row are left out
    assert sorted(from_objects.opportunities["opportunity_id"]) == ["006A1", "006A2", "006A4"]
    assert len(from_objects.history) == 7
    assert (
        str(from_objects.opportunities.set_index("opportunity_id").loc["006A1", "created_date"].date()) == "2026-08-01"
    )
    # the two give the same canonical tables, so rendering the reports from one of them covers both
    for name in ("opportunities", "history", "reps", "quotas"):
        a_frame, b_frame = getattr(from_objects, name), getattr(from_warehouse, name)
        pd.testing.assert_frame_equal(a_frame.reset_index(drop=True), b_frame.reset_index(drop=True), obj=name)
    october = CAL.parse("2026-10")
    keys = ["bookings", "won_deals", "lost_deals", "win_rate", "quota", "attainment", "open_pipeline"]
    a = kpi_table(from_objects, october, ["team"], keys).values
    b = kpi_table(from_warehouse, october, ["team"], keys).values
    pd.testing.assert_frame_equal(a, b)
    # October by hand: Enterprise (Ana, 005U1) won 006A1 12000 against 10000; SMB (Ben) lost 006A4, quota 6000,
    # 006A2 (8000) still open at the month's end
    rows = a.set_index("team")
    assert rows.loc["Enterprise", "bookings"] == 12000 and rows.loc["Enterprise", "attainment"] == pytest.approx(1.2)
    assert rows.loc["SMB", "lost_deals"] == 1 and rows.loc["SMB", "open_pipeline"] == 8000


def _warehouse_copy(objects: Path, warehouse: Path) -> Path:
    """The Salesforce objects as a warehouse sync holds them: snake_case tables, as Parquet."""
    warehouse.mkdir(parents=True, exist_ok=True)
    names = {
        "Opportunity.csv": "opportunity",
        "OpportunityHistory.csv": "opportunity_history",
        "User.csv": "user",
        "ForecastingQuota.csv": "forecasting_quota",
    }
    for file, table in names.items():
        frame = pd.read_csv(objects / file, dtype=str, keep_default_na=False)
        frame.columns = [_snake(c) for c in frame.columns]
        frame.to_parquet(warehouse / f"{table}.parquet", index=False)
    return warehouse


@pytest.mark.slow
# salesforce-warehouse is left out: it gives the same canonical tables as salesforce-objects (tested above)
@pytest.mark.parametrize("ready", ["salesforce-report", "hubspot-deals", "salesforce-objects"])
def test_each_ready_mapping_turns_its_fixture_into_rendered_reports(tmp_path, ready):
    config = DEFAULT_CONFIG
    if ready == "salesforce-report":
        folder = _write(tmp_path / "data", {"opportunities.csv": SALESFORCE_REPORT, "quotas.csv": SALESFORCE_QUOTAS})
    elif ready == "hubspot-deals":
        folder = _write(tmp_path / "data", {"hubspot-deals-export.csv": HUBSPOT_DEALS})
        config = _config_without_quotas(tmp_path)
    else:
        folder = _write(tmp_path / "data", SF_FILES)
    out = tmp_path / "reports"
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--quiet", "--data", str(folder)]
    command += ["--config", str(config), "--mapping", str(MAPPINGS / f"{ready}.yml"), "--out", str(out), "--jobs", "2"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted(p.name for p in out.glob("*/*.html"))
    assert "index.html" in pages and len(pages) >= 6, pages
    manifest = next(out.glob("*/manifest.json")).read_text(encoding="utf-8")
    assert f"{ready}.yml" in manifest, "the mapping is one of the run's recorded inputs"
