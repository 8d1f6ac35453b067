"""Several currencies: deal amounts converted to the reporting currency with a dated rates table."""

from __future__ import annotations

import pytest

from salesops_helpers import DataValidationError, load_config, load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.helpers.six_deals import VALID_FILES, write_folder

RATES = "currency,rate_date,rate\nEUR,2024-01-01,1.10\nEUR,2024-04-01,1.08\nGBP,2024-06-01,1.25\n"


def _config(tmp_path, rates: str | None = "exchange_rates.csv"):
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    if rates:
        text = text.replace("  reporting_currency: USD", f"  exchange_rates: {rates}\n  reporting_currency: USD")
    path = tmp_path / "workbook.yml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def _folder(tmp_path, currency: str, with_rates: bool = True):
    files = dict(VALID_FILES)
    files["opportunities.csv"] = files["opportunities.csv"].replace(
        "O5,Echo - Platform,Echo,R3,2024-03-01,2024-04-15,Closed Won,12000,USD",
        f"O5,Echo - Platform,Echo,R3,2024-03-01,2024-04-15,Closed Won,12000,{currency}",
    )
    if with_rates:
        files["exchange_rates.csv"] = RATES
    return write_folder(tmp_path / "data", files)


def test_a_deal_converts_at_the_rate_in_force_on_its_close_date_and_so_does_its_history(tmp_path):
    data = load_data(_folder(tmp_path, "EUR"), _config(tmp_path))
    # O5 closed 2024-04-15: the EUR rate from 2024-04-01 (1.08) is in force, not the one from 2024-01-01 (1.10)
    opps = data.opportunities.set_index("opportunity_id")
    assert opps.loc["O5", "amount"] == pytest.approx(12000 * 1.08)
    assert opps.loc["O5", "currency"] == "USD"
    assert opps.loc["O1", "amount"] == 1000, "amounts already in USD stay as they are"
    history = data.history.set_index("opportunity_id")
    assert history.loc["O5", "amount"] == pytest.approx(12000 * 1.08), "history converts at the deal's rate"
    assert any("converted to USD" in p.message for p in data.quality.problems)


def test_a_missing_rate_is_an_error_naming_the_currency_and_the_day(tmp_path):
    with pytest.raises(DataValidationError) as info:
        load_data(_folder(tmp_path, "GBP"), _config(tmp_path))
    text = info.value.render()
    # GBP rates start 2024-06-01, after O5's close date 2024-04-15
    assert "no GBP exchange rate on or before 2024-04-15 in the rates file exchange_rates.csv" in text
    assert "(its rates start on 2024-06-01)" in text
    assert "O5" in text


def test_another_currency_without_a_rates_file_is_an_error_saying_how_to_add_one(tmp_path):
    with pytest.raises(DataValidationError, match=r"company\.exchange_rates"):
        load_data(_folder(tmp_path, "EUR", with_rates=False), _config(tmp_path, rates=None))


def test_a_broken_rates_file_names_its_rows(tmp_path):
    folder = _folder(tmp_path, "EUR")
    (folder / "exchange_rates.csv").write_text("currency,rate_date,rate\nEUR,2024-01-01,-1\neuro,01/02/2024,1\n")
    with pytest.raises(DataValidationError, match=r"rows 2, 3"):
        load_data(folder, _config(tmp_path))
