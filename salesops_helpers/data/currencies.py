"""Several currencies: deal amounts converted to the reporting currency with a dated table of exchange rates.

The rates file (named by `company.exchange_rates` in the configuration, looked up in the data folder) has the
columns currency, rate_date and rate: one unit of `currency` is worth `rate` units of the reporting currency from
`rate_date` on, until the currency's next rate. A deal converts at the rate in force on its close date (the expected
close date for an open deal), as Salesforce's dated exchange rates do; its history rows convert at the same rate, so
a deal's amount does not move with the exchange rate. Quotas are in the reporting currency.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from salesops_helpers.data.quality import DataQualityLog, Problem

RATE_COLUMNS = ["currency", "rate_date", "rate"]


def read_rates(path: Path, log: DataQualityLog) -> pd.DataFrame | None:
    """The exchange rates file, checked: codes of three letters, ISO dates, positive rates (problems logged)."""
    table = "exchange_rates"
    if not path.is_file():
        log.add(Problem("error", table, path.name, None, "exchange rates file not found (company.exchange_rates)"))
        return None
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, OSError) as exc:
        log.add(Problem("error", table, path.name, None, f"not a readable CSV file: {exc}"))
        return None
    frame.columns = [c.strip().lower() for c in frame.columns]
    missing = [c for c in RATE_COLUMNS if c not in frame.columns]
    if missing:
        message = f"required columns missing: {', '.join(missing)} (columns found: {', '.join(frame.columns)})"
        log.add(Problem("error", table, path.name, ", ".join(missing), message))
        return None
    rates = pd.DataFrame(
        {
            "currency": frame["currency"].str.strip().str.upper(),
            "rate_date": pd.to_datetime(frame["rate_date"].str.strip(), format="%Y-%m-%d", errors="coerce"),
            "rate": pd.to_numeric(frame["rate"].str.strip(), errors="coerce"),
        }
    )
    bad = ~rates["currency"].str.fullmatch(r"[A-Z]{3}") | rates["rate_date"].isna() | ~(rates["rate"] > 0)
    if bad.any():
        rows = ", ".join(str(i + 2) for i in rates.index[bad][:5])
        message = (
            f"{int(bad.sum())} rows are not a three-letter currency code, an ISO date (2026-10-31) and a rate above 0 "
            f"(rows {rows})"
        )
        log.add(Problem("error", table, path.name, None, message))
        return None
    return rates.sort_values(["currency", "rate_date"]).reset_index(drop=True)


def rates_for(currency: pd.Series, day: pd.Series, rates: pd.DataFrame, reporting: str) -> pd.Series:
    """The rate in force for each (currency, day): 1 for the reporting currency; missing where no rate of that
    currency starts on or before the day."""
    frame = pd.DataFrame({"currency": currency.astype("string").str.upper(), "day": day}, index=currency.index)
    result = pd.Series(float("nan"), index=currency.index)
    result[frame["currency"].isna() | (frame["currency"] == reporting)] = 1.0
    todo = frame[result.isna() & frame["day"].notna()].reset_index().sort_values("day")
    if todo.empty or rates.empty:
        return result
    todo = todo.astype({"currency": object, "day": "datetime64[ns]"})
    known = rates.rename(columns={"rate_date": "day"}).astype({"currency": object, "day": "datetime64[ns]"})
    known = known.sort_values("day")
    found = pd.merge_asof(todo, known, on="day", by="currency", direction="backward")
    result[found["index"].to_numpy()] = found["rate"].to_numpy()
    return result
