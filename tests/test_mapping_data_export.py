"""Salesforce's Data Export through mappings/salesforce-data-export.yml: cp1252 text with every field quoted, 0/1
booleans, 18-character ids, a User file without a Name column, role and account names looked up in other files of
the export, and the org's own dated exchange rates (the inverse of the workbook's convention)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.cli.main import main
from salesops_helpers.data.mapping.rates import mapped_rates
from salesops_helpers.data.mapping.schema import ExchangeRates, FileFormat
from salesops_helpers.data.quality import DataQualityLog
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers.crm_exports import MAPPINGS

MAPPING = MAPPINGS / "salesforce-data-export.yml"
ANA, JOSE, ZOE = "0058a000000AnaDAAA", "0058a000000JosNAAC", "0058a000000ZoeBAA2"
ENTERPRISE, SMB, GONE = "00E8a000001le98EAA", "00E8a000001smb1EAA", "00E8a000009xxxxEAA"


def _quoted(rows: list[list[str]]) -> str:
    """CSV as the Data Export writes it: every field quoted, CRLF line ends."""
    return "".join(",".join(f'"{cell}"' for cell in row) + "\r\n" for row in rows)


OPPORTUNITY = [
    [
        "Id",
        "IsDeleted",
        "AccountId",
        "Name",
        "StageName",
        "Amount",
        "CloseDate",
        "Type",
        "LeadSource",
        "ForecastCategoryName",
        "CurrencyIsoCode",
        "OwnerId",
        "CreatedDate",
        "LastModifiedDate",
    ],
    [
        "0068a00000D1aaaAAA",
        "0",
        "0018a00000A1aaaAAA",
        "Acmé - Platform",
        "Closed Won",
        "12000",
        "2026-10-20",
        "New Business",
        "Web",
        "Closed",
        "USD",
        ANA,
        "2026-08-01T09:15:00.000Z",
        "2026-10-20T16:30:00.000Z",
    ],
    [
        "0068a00000D2aaaAAA",
        "0",
        "0018a00000A2aaaAAA",
        "Bolt - Add-on",
        "Negotiation/Review",
        "8000",
        "2026-12-15",
        "Existing Business",
        "Partner",
        "Commit",
        "USD",
        JOSE,
        "2026-09-10T10:00:00.000Z",
        "2026-10-28T10:00:00.000Z",
    ],
    [
        "0068a00000D3aaaAAA",
        "1",
        "0018a00000A2aaaAAA",
        "Cask (deleted)",
        "Closed Won",
        "99999",
        "2026-10-05",
        "New Business",
        "Web",
        "Closed",
        "USD",
        JOSE,
        "2026-07-01T10:00:00.000Z",
        "2026-10-06T10:00:00.000Z",
    ],
    [
        "0068a00000D4aaaAAA",
        "0",
        "0018a00000A2aaaAAA",
        "Dune - Renewal",
        "Closed Lost",
        "3000",
        "2026-10-12",
        "Renewal",
        "Web",
        "Omitted",
        "USD",
        JOSE,
        "2026-09-01T08:00:00.000Z",
        "2026-10-12T09:00:00.000Z",
    ],
    [
        "0068a00000D5aaaAAA",
        "0",
        "0018a00000A3aaaAAA",
        "Élan - Platform",
        "Closed Won",
        "1000",
        "2026-10-25",
        "New Business",
        "Event",
        "Closed",
        "EUR",
        ZOE,
        "2026-09-15T08:00:00.000Z",
        "2026-10-25T11:00:00.000Z",
    ],
    # marked won on 30 October, its close date set ahead to 20 November: the export was taken on 30 October
    [
        "0068a00000D6aaaAAA",
        "0",
        "0018a00000A1aaaAAA",
        "Fjord - Platform",
        "Closed Won",
        "5000",
        "2026-11-20",
        "New Business",
        "Web",
        "Closed",
        "USD",
        ANA,
        "2026-09-01T08:00:00.000Z",
        "2026-10-30T12:00:00.000Z",
    ],
]
HISTORY = [
    ["Id", "OpportunityId", "CreatedDate", "StageName", "Amount", "CloseDate", "IsDeleted", "Probability"],
    [
        "0088a00000H1aaaAAA",
        "0068a00000D1aaaAAA",
        "2026-08-01T09:15:00.000Z",
        "Prospecting",
        "12000",
        "2026-11-30",
        "0",
        "10",
    ],
    [
        "0088a00000H2aaaAAA",
        "0068a00000D1aaaAAA",
        "2026-09-02T11:00:00.000Z",
        "Proposal/Price Quote",
        "12000",
        "2026-10-31",
        "0",
        "75",
    ],
    [
        "0088a00000H3aaaAAA",
        "0068a00000D1aaaAAA",
        "2026-10-20T16:30:00.000Z",
        "Closed Won",
        "12000",
        "2026-10-20",
        "0",
        "100",
    ],
    [
        "0088a00000H4aaaAAA",
        "0068a00000D2aaaAAA",
        "2026-09-10T10:00:00.000Z",
        "Needs Analysis",
        "8000",
        "2026-12-15",
        "0",
        "20",
    ],
    [
        "0088a00000H5aaaAAA",
        "0068a00000D2aaaAAA",
        "2026-10-28T10:00:00.000Z",
        "Negotiation/Review",
        "8000",
        "2026-12-15",
        "0",
        "90",
    ],
    [
        "0088a00000H6aaaAAA",
        "0068a00000D4aaaAAA",
        "2026-09-01T08:00:00.000Z",
        "Qualification",
        "3000",
        "2026-10-31",
        "0",
        "10",
    ],
    [
        "0088a00000H7aaaAAA",
        "0068a00000D4aaaAAA",
        "2026-10-12T09:00:00.000Z",
        "Closed Lost",
        "3000",
        "2026-10-12",
        "0",
        "0",
    ],
    [
        "0088a00000H8aaaAAA",
        "0068a00000D5aaaAAA",
        "2026-09-15T08:00:00.000Z",
        "Prospecting",
        "1000",
        "2026-11-30",
        "0",
        "10",
    ],
    [
        "0088a00000H9aaaAAA",
        "0068a00000D5aaaAAA",
        "2026-10-25T11:00:00.000Z",
        "Closed Won",
        "1000",
        "2026-10-25",
        "0",
        "100",
    ],
    [
        "0088a00000HAaaaAAA",
        "0068a00000D6aaaAAA",
        "2026-09-01T08:00:00.000Z",
        "Prospecting",
        "5000",
        "2026-12-31",
        "0",
        "10",
    ],
    [
        "0088a00000HBaaaAAA",
        "0068a00000D6aaaAAA",
        "2026-10-30T12:00:00.000Z",
        "Closed Won",
        "5000",
        "2026-11-20",
        "0",
        "100",
    ],
]
USER = [
    ["Id", "Username", "LastName", "FirstName", "UserRoleId", "IsActive"],
    [ANA, "ana@northwind.example", "Díaz", "Ana", ENTERPRISE, "1"],
    [JOSE, "jose@northwind.example", "Núñez", "José", SMB, "1"],
    [ZOE, "zoe@northwind.example", "Brontë", "Zoë", GONE, "1"],  # her role was deleted: not in UserRole.csv
]
USER_ROLE = [["Id", "Name", "ParentRoleId"], [ENTERPRISE, "Enterprise", ""], [SMB, "SMB", ENTERPRISE]]
ACCOUNT = [
    ["Id", "IsDeleted", "Name", "Industry"],
    ["0018a00000A1aaaAAA", "0", "Acmé Ltd", "Manufacturing"],
    ["0018a00000A2aaaAAA", "0", "Bolt GmbH", "Retail"],
    ["0018a00000A3aaaAAA", "0", "Élan SA", "Energy"],
]
# EUR: 0.95 per dollar until July 2026, 0.90 after; Salesforce's first dated rate starts on 0001-01-01
DATED_RATES = [
    ["Id", "IsoCode", "ConversionRate", "NextStartDate", "StartDate"],
    ["04w8a0000001aaaAAA", "USD", "1.000000", "9999-12-31", "0001-01-01"],
    ["04w8a0000002aaaAAA", "EUR", "0.950000", "2026-07-01", "0001-01-01"],
    ["04w8a0000003aaaAAA", "EUR", "0.900000", "9999-12-31", "2026-07-01"],
]
CURRENCY_TYPE = [
    ["Id", "IsoCode", "ConversionRate", "DecimalPlaces", "IsActive", "IsCorporate"],
    ["01L8a0000001aaaAAA", "USD", "1.000000", "2", "1", "1"],
    ["01L8a0000002aaaAAA", "EUR", "0.920000", "2", "1", "0"],
]
QUOTA = [
    ["Id", "QuotaOwnerId", "StartDate", "QuotaAmount", "CurrencyIsoCode"],
    ["0J98a0000001aaaAAA", ANA, "2026-10-01", "10000", "USD"],
    ["0J98a0000002aaaAAA", JOSE, "2026-10-01", "6000", "USD"],
    ["0J98a0000003aaaAAA", ZOE, "2026-10-01", "2000", "USD"],
]
EXPORT = {
    "Opportunity.csv": OPPORTUNITY,
    "OpportunityHistory.csv": HISTORY,
    "User.csv": USER,
    "UserRole.csv": USER_ROLE,
    "Account.csv": ACCOUNT,
    "DatedConversionRate.csv": DATED_RATES,
    "CurrencyType.csv": CURRENCY_TYPE,
    "ForecastingQuota.csv": QUOTA,
}


def _export(folder: Path, encoding: str = "cp1252", leave_out: tuple[str, ...] = ()) -> Path:
    folder.mkdir(parents=True)
    for name, rows in EXPORT.items():
        if name not in leave_out:
            (folder / name).write_bytes(_quoted(rows).encode(encoding))
    return folder


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(tmp_path_factory.mktemp("data-export") / "export")


def test_names_roles_and_accounts_come_from_the_other_files_of_the_export(export):
    data = load_data(export, DEFAULT_CONFIG, mapping=MAPPING)
    reps = data.reps.set_index("rep_id")
    assert reps.loc[ANA, "name"] == "Ana Díaz" and reps.loc[JOSE, "name"] == "José Núñez"
    assert reps.loc[ANA, "team"] == "Enterprise" and reps.loc[JOSE, "team"] == "SMB"
    assert pd.isna(reps.loc[ZOE, "team"]) or reps.loc[ZOE, "team"] == "Unassigned"
    # the role nobody can find is named, with the row of the user that refers to it
    missed = [p for p in data.quality.warnings if p.file == "User.csv" and p.column == "UserRoleId"]
    assert len(missed) == 1 and "1 of 3 UserRoleId values are not in UserRole.csv" in missed[0].message
    assert missed[0].examples.to_dict("records") == [{"row": 4, "UserRoleId": GONE}]
    deals = data.opportunities.set_index("opportunity_id")
    assert "0068a00000D3aaaAAA" not in deals.index  # IsDeleted "1"
    assert deals.loc["0068a00000D1aaaAAA", "account"] == "Acmé Ltd"
    assert deals.loc["0068a00000D5aaaAAA", "account"] == "Élan SA"


def test_amounts_convert_at_the_orgs_dated_rate_inverted(export):
    data = load_data(export, DEFAULT_CONFIG, mapping=MAPPING)
    deals = data.opportunities.set_index("opportunity_id")
    # 1,000 EUR closing on 25 October 2026, when one dollar bought 0.90 euros: 1,000 / 0.90 dollars
    assert deals.loc["0068a00000D5aaaAAA", "amount"] == pytest.approx(1000 / 0.90)
    history = data.history.set_index("opportunity_id")
    assert history.loc["0068a00000D5aaaAAA", "amount"].tolist() == pytest.approx([1000 / 0.90] * 2)
    notes = [p.message for p in data.quality.problems if p.table == "exchange_rates"]
    assert notes == ["3 dated rates of 2 currencies read from the export"]


def test_the_export_day_is_its_last_recorded_change_not_a_close_date_set_ahead(export):
    data = load_data(export, DEFAULT_CONFIG, mapping=MAPPING)
    assert data.as_of == pd.Timestamp("2026-10-30")
    ahead = [p for p in data.quality.warnings if "after the data's day" in p.message]
    assert len(ahead) == 1 and "after the data's day (2026-10-30" in ahead[0].message
    assert list(ahead[0].examples["opportunity_id"]) == ["0068a00000D6aaaAAA"]


def test_october_by_team_matches_the_hand_sums(export):
    data = load_data(export, DEFAULT_CONFIG, mapping=MAPPING)
    october = FiscalCalendar.from_config(load_config(DEFAULT_CONFIG)).parse("2026-10")
    rows = kpi_table(data, october, ["team"], ["bookings", "won_deals", "lost_deals", "quota"]).values
    rows = rows.set_index("team")
    # Enterprise: Ana won D1 (12,000) against 10,000; D6 counts in November. SMB: José lost D4.
    # Zoë's role is unknown, so her won D5 (1,111.11) is under Unassigned.
    assert rows.loc["Enterprise", "bookings"] == 12000 and rows.loc["Enterprise", "quota"] == 10000
    assert rows.loc["SMB", "lost_deals"] == 1 and rows.loc["SMB", "bookings"] == 0
    assert rows.loc["Unassigned", "bookings"] == pytest.approx(1111.11, abs=0.01)


def test_without_dated_rates_the_currency_types_rate_holds_for_all_time(tmp_path):
    folder = _export(tmp_path / "export", leave_out=("DatedConversionRate.csv",))
    data = load_data(folder, DEFAULT_CONFIG, mapping=MAPPING)
    amount = data.opportunities.set_index("opportunity_id").loc["0068a00000D5aaaAAA", "amount"]
    assert amount == pytest.approx(1000 / 0.92)


def test_without_any_rates_file_a_foreign_amount_names_the_mappings_key(tmp_path):
    folder = _export(tmp_path / "export", leave_out=("DatedConversionRate.csv", "CurrencyType.csv"))
    with pytest.raises(DataValidationError) as info:
        load_data(folder, DEFAULT_CONFIG, mapping=MAPPING)
    text = info.value.render()
    assert "the export has no DatedConversionRate.csv or CurrencyType.csv (the mapping's exchange_rates)" in text


def test_a_utf8_mapping_on_cp1252_text_names_the_mappings_encoding_key(tmp_path):
    folder = _export(tmp_path / "export")
    mapping = tmp_path / "utf8.yml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace("encoding: cp1252", "encoding: utf-8"), "utf-8")
    with pytest.raises(DataValidationError) as info:
        load_data(folder, DEFAULT_CONFIG, mapping=mapping)
    text = info.value.render()
    assert "not utf-8 text" in text and "set format.encoding in the mapping" in text
    assert "data.encoding" not in text


def test_rates_in_the_workbooks_convention_and_a_reporting_currency_that_is_not_corporate(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("Code,Rate,From\nEUR,1.10,2026-01-01\nEUR,1.20,2026-07-01\n", encoding="utf-8")
    spec = ExchangeRates(file="rates.csv", currency="Code", rate="Rate", start="From", convention="in_reporting")
    log = DataQualityLog()
    rates = mapped_rates(path, spec, FileFormat(), "USD", log)
    assert rates is not None and rates["rate"].tolist() == [1.10, 1.20]
    # Salesforce rates of an org whose corporate currency is EUR, read by a workbook reporting in USD
    path.write_text("IsoCode,ConversionRate\nEUR,1.0\nUSD,1.08\n", encoding="utf-8")
    log = DataQualityLog()
    assert mapped_rates(path, ExchangeRates(file="rates.csv"), FileFormat(), "USD", log) is None
    assert "corporate currency looks like EUR: set company.reporting_currency to it" in log.render()


def test_check_lists_what_the_lookups_found(export, capsys):
    assert main(["check", "--data", str(export), "--mapping", str(MAPPING)]) == 0
    out = capsys.readouterr().out
    assert "'Role Name' looked up in UserRole.csv through UserRoleId: 2 of 3 keys found" in out
    assert "'Account Name' looked up in Account.csv through AccountId: 5 of 5 keys found" in out
    assert "name <- 'FirstName + LastName'" in out


def test_stage_names_in_another_language_name_the_mappings_values_key(tmp_path):
    folder = _export(tmp_path / "export")
    for name in ("Opportunity.csv", "OpportunityHistory.csv"):
        text = (folder / name).read_bytes().decode("cp1252").replace('"Closed Won"', '"Cerrada ganada"')
        (folder / name).write_bytes(text.encode("cp1252"))
    with pytest.raises(DataValidationError) as info:
        load_data(folder, DEFAULT_CONFIG, mapping=MAPPING)
    text = info.value.render()
    assert "'Cerrada ganada' (3)" in text
    assert "translate it in the mapping's tables.opportunities.values.stage" in text
    assert "tables.opportunity_history.values.stage" in text
    # translated in the mapping, the same export loads
    mapping = tmp_path / "spanish.yml"
    spanish = MAPPING.read_text(encoding="utf-8").replace(
        "        Closed Won: Closed Won\n", "        Cerrada ganada: Closed Won\n"
    )
    mapping.write_text(spanish, encoding="utf-8")
    data = load_data(folder, DEFAULT_CONFIG, mapping=mapping)
    assert (data.opportunities["stage"] == "Closed Won").sum() == 3
