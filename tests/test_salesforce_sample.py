"""Salesforce Developer Edition's own sample opportunities, as a new org's Data Export holds them, through
mappings/salesforce-data-export.yml: a single-currency org (no CurrencyIsoCode column), no quotas, one user without
a role, won deals closed before they were created. The figures are Salesforce's sample amounts summed by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.cli.main import main
from salesops_helpers.metrics import kpi_table
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers.crm_exports import MAPPINGS
from tests.helpers.salesforce_sample import OPPORTUNITIES, write_sample_export

MAPPING = MAPPINGS / "salesforce-data-export.yml"


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_export(tmp_path_factory.mktemp("sample-org") / "export")


@pytest.fixture(scope="module")
def config_without_quotas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default configuration with quotas.source: none, as a new org without Collaborative Forecasts needs."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    assert "  source: file\n" in text
    path = tmp_path_factory.mktemp("config") / "workbook.yml"
    path.write_text(text.replace("  source: file\n", "  source: none\n"), encoding="utf-8")
    return path


def test_the_sample_is_salesforce_s_31_opportunities():
    assert len(OPPORTUNITIES) == 31
    won = [amount for *_, stage, amount, _ in OPPORTUNITIES if stage == "Closed Won"]
    assert len(won) == 18 and sum(won) == 3_645_000


def test_without_quotas_the_message_names_the_configuration_key(export):
    with pytest.raises(DataValidationError) as caught:
        load_data(export, DEFAULT_CONFIG, mapping=MAPPING)
    message = str(caught.value)
    assert "ForecastingQuota.csv: no file matches" in message
    assert "quotas.source is 'file'; set it to 'none', or to 'flat'" in message


def test_a_single_currency_org_loads_without_a_currency_column(export, config_without_quotas):
    data = load_data(export, config_without_quotas, mapping=MAPPING)
    assert len(data.opportunities) == 31 and len(data.history) == 31
    assert "currency" not in data.opportunities.columns or data.opportunities["currency"].isna().all()
    # the export's day is its latest record, the org's sign-up, not the open Edge deal's close date a day later
    assert data.as_of == pd.Timestamp("2025-07-29")
    assert data.reps["team"].tolist() == ["Unassigned"]  # the admin has no role
    assert data.opportunities["account"].str.startswith("United Oil").sum() == 10  # looked up in Account.csv
    # won before they were created: a cycle of 0 days; open with a close date already past: created as it was
    opps = data.opportunities.set_index("opportunity_id")
    assert opps.loc["006gL000009l09JQAQ", "created_date"] == pd.Timestamp("2025-04-10")  # Edge SLA, won
    assert opps.loc["006gL000009l093QAA", "created_date"].date() == pd.Timestamp("2025-07-29").date()  # Dickenson
    warnings = [problem.message for problem in data.quality.warnings]
    assert any(m.startswith("18 rows: close date is before the created date") for m in warnings), warnings
    assert any(m.startswith("12 rows: open deal whose expected close date is before") for m in warnings), warnings


@pytest.mark.parametrize(
    ("month", "bookings", "won"),
    # April: Edge SLA 60k, Grand Hotels SLA 90k, Express Logistics Standby 220k, University of AZ Portable 50k
    # and SLA 90k. May: Edge Installation 50k, United Oil Emergency 440k and Installations 270k, GenePoint Standby
    # 85k, Burlington Textiles 235k. June: United Oil Installations 235k. July: United Oil Refinery 915k, Grand
    # Hotels Emergency 210k and Installations 350k, United Oil SLA 120k and Standby 120k, GenePoint SLA 30k, Edge
    # Emergency 75k.
    [("2025-04", 510_000, 5), ("2025-05", 1_080_000, 5), ("2025-06", 235_000, 1), ("2025-07", 1_820_000, 7)],
)
def test_monthly_bookings_are_the_sample_amounts_summed_by_hand(export, config_without_quotas, month, bookings, won):
    data = load_data(export, config_without_quotas, mapping=MAPPING)
    period = FiscalCalendar.from_config(load_config(config_without_quotas)).parse(month)
    row = kpi_table(data, period, metrics=["bookings", "won_deals", "lost_deals"]).values.iloc[0]
    assert row["bookings"] == bookings and row["won_deals"] == won and row["lost_deals"] == 0


def test_the_open_pipeline_is_the_thirteen_open_samples(export, config_without_quotas):
    data = load_data(export, config_without_quotas, mapping=MAPPING)
    period = FiscalCalendar.from_config(load_config(config_without_quotas)).parse("2025-07")
    row = kpi_table(data, period, metrics=["open_pipeline"]).values.iloc[0]
    # 15k + 125k + 15k + 270k + 250k + 100k + 80k + 60k + 270k + 100k + 120k + 675k + 35k
    assert row["open_pipeline"] == 2_115_000


@pytest.mark.slow
def test_every_report_renders_on_the_sample_org(export, config_without_quotas, tmp_path, capsys):
    out = tmp_path / "reports"
    inputs = ["--data", str(export), "--mapping", str(MAPPING), "--config", str(config_without_quotas)]
    code = main(["run", *inputs, "--out", str(out), "--jobs", "2", "--quiet"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert len(re.findall(r": ok in ", printed.out)) == 7
    assert (out / "2025-07" / "index.html").is_file()


def test_only_a_mapped_column_that_is_not_required_can_be_optional():
    from pydantic import ValidationError

    from salesops_helpers.data.mapping.schema import Mapping

    def mapping(optional: list[str]) -> Mapping:
        table = {"file": "Opportunity.csv", "columns": {"currency": "CurrencyIsoCode", "amount": "Amount"}}
        return Mapping.model_validate(
            {"name": "x", "tables": {"opportunities": table | {"optional_columns": optional}}}
        )

    assert mapping(["currency"]).tables["opportunities"].optional_columns == ["currency"]
    with pytest.raises(ValidationError, match="opportunities cannot do without amount"):
        mapping(["amount"])
    with pytest.raises(ValidationError, match="list only columns named in columns"):
        mapping(["deal_type"])


def test_a_column_not_listed_as_optional_is_still_an_error(export, config_without_quotas, tmp_path):
    strict = tmp_path / "strict.yml"
    strict.write_text(MAPPING.read_text(encoding="utf-8").replace("optional_columns: [currency]", ""), "utf-8")
    with pytest.raises(DataValidationError, match="takes currency from the column 'CurrencyIsoCode', which is not"):
        load_data(export, config_without_quotas, mapping=strict)
