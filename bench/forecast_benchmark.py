"""Forecast backtest benchmark: every model over 24 origins and horizons 1-6 on the demo company and on public
monthly sales series shipped inside PyPI packages, with the time each took.

The public series are read straight from the packages' wheels, without installing them:

    .venv/bin/pip download --no-deps -d /tmp/wheels pmdarima sktime
    .venv/bin/python bench/forecast_benchmark.py --wheels /tmp/wheels

- wineind (pmdarima, from R's forecast package): Australian wine sales by wine makers, bottles <= 1 litre, monthly
  Jan 1980 - Aug 1994 (176 months).
- shampoo (sktime): monthly shampoo sales over three years (36 months): 18 origins, as the first needs 18 months of
  training (backtest.MIN_TRAIN).

(sktime's PBS series, scripts sold, is left out: its last years are all zero, so no error can be scaled.)

With --months 96 every series is cut to windows of its last (and, for the long ones, its first) 96 months, and more
public monthly series join: AirPassengers and monthly sunspots (pmdarima), the El Nino sea temperatures and
Mauna Loa CO2 as monthly means (statsmodels, installed with the workbook). That is the speed goal's run:

    .venv/bin/python bench/forecast_benchmark.py --wheels /tmp/wheels --months 96 --horizon 3 --origins 24

For each series it prints the backtest table (the same as `salesops backtest`), the champion (best pooled MASE),
its MASE as a share of seasonal naive's, how far it is from the best single model in hindsight, its calibrated
80% and 95% coverage and the seconds the whole backtest took.
"""

from __future__ import annotations

import argparse
import io
import re
import time
import zipfile
from pathlib import Path

import pandas as pd

from salesops_helpers.analyses.forecast.backtest import MIN_TRAIN, available_origins
from salesops_helpers.analyses.forecast.models import COMBINATION, quiet_prophet
from salesops_helpers.analyses.forecast.outlook import backtest_summary
from salesops_helpers.analyses.forecast.series import company_bookings, parse_months
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.presentation.report import open_report


def _member(wheels: Path, package: str, inside: str) -> str:
    """The text of a file inside a package's wheel in the wheels folder."""
    wheel = next(iter(sorted(wheels.glob(f"{package}-*.whl"))), None)
    if wheel is None:
        raise SystemExit(f"no {package} wheel in {wheels}: run pip download --no-deps -d {wheels} {package}")
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(inside).decode("utf-8")


def wineind(wheels: Path) -> pd.Series:
    """Australian wine sales, Jan 1980 - Aug 1994, from pmdarima's loader (the array in its source)."""
    text = _member(wheels, "pmdarima", "pmdarima/datasets/wineind.py")
    body = text[text.index("rslt = np.array([") :]
    values = [float(v) for v in re.findall(r"\d+", body[: body.index("])")])]
    return pd.Series(values, index=pd.date_range("1980-01-01", periods=len(values), freq="MS"), name="wineind")


def _pmdarima_array(wheels: Path, name: str, first: str) -> pd.Series:
    """A monthly series pmdarima keeps as an array in its loader's source, from the month `first`."""
    text = _member(wheels, "pmdarima", f"pmdarima/datasets/{name}.py")
    body = text[text.rindex("np.array([") :]
    values = [float(v) for v in re.findall(r"\d+(?:\.\d+)?", body[: body.index("])")])]
    return pd.Series(values, index=pd.date_range(first, periods=len(values), freq="MS"), name=name)


def sunspots(wheels: Path) -> pd.Series:
    """Monthly mean sunspot numbers from January 1749 (pmdarima's sunspots.txt.gz)."""
    import gzip

    wheel = next(iter(sorted(wheels.glob("pmdarima-*.whl"))))
    with zipfile.ZipFile(wheel) as archive:
        text = gzip.decompress(archive.read("pmdarima/datasets/data/sunspots.txt.gz")).decode("utf-8")
    values = [float(v) for v in text.split()]
    return pd.Series(values, index=pd.date_range("1749-01-01", periods=len(values), freq="MS"), name="sunspots")


def statsmodels_series() -> dict[str, pd.Series]:
    """El Nino sea surface temperatures (1950-2010) and Mauna Loa CO2 (weekly, as monthly means) from statsmodels."""
    import statsmodels.api as sm

    elnino = sm.datasets.elnino.load_pandas().data.set_index("YEAR")
    values = elnino.to_numpy(dtype=float).ravel()
    start = f"{int(elnino.index[0])}-01-01"
    nino = pd.Series(values, index=pd.date_range(start, periods=len(values), freq="MS"), name="elnino")
    co2 = sm.datasets.co2.load_pandas().data["co2"].resample("MS").mean().interpolate()
    co2.index = pd.DatetimeIndex(co2.index, freq="MS")
    return {"El Nino (statsmodels)": nino, "CO2 Mauna Loa (statsmodels)": co2.rename("co2")}


def windows(series: dict[str, pd.Series], months: int) -> dict[str, pd.Series]:
    """Each series cut to its last `months` months, and to its first too when it is at least twice as long."""
    cut = {}
    for name, values in series.items():
        if len(values) < months:
            continue
        cut[f"{name}, last {months}"] = values.iloc[-months:]
        if len(values) >= 2 * months:
            cut[f"{name}, first {months}"] = values.iloc[:months]
    return cut


def _sktime_csv(wheels: Path, folder: str, name: str) -> pd.Series:
    frame = pd.read_csv(io.StringIO(_member(wheels, "sktime", f"sktime/datasets/data/{folder}/{folder}.csv")))
    months = parse_months(frame.iloc[:, 0].astype(str))
    return pd.Series(frame.iloc[:, 1].to_numpy(dtype=float), index=pd.DatetimeIndex(months, freq="MS"), name=name)


def demo() -> pd.Series:
    """The demo company's monthly bookings after the warm-up, to October 2026 (as notebook 04 uses them)."""
    report = open_report("", "", "", "", False)
    calendar = FiscalCalendar.from_config(report.config)
    return company_bookings(report.data, calendar, min(report.period.end, report.data.as_of)).values


def measure(series: pd.Series, horizon: int, origins: int) -> dict[str, object]:
    """The backtest table and the goal figures for one series."""
    clock = time.perf_counter()
    table, champion = backtest_summary(series, horizon, origins)
    seconds = time.perf_counter() - clock
    mase = table.set_index("model")["mase"]
    champion_row = table.set_index("model").loc[champion]
    singles = mase.drop(COMBINATION, errors="ignore")
    return {
        "table": table,
        "months": len(series),
        "champion": champion,
        "mase": mase[champion],
        "vs_seasonal_naive": mase[champion] / mase["seasonal naive"],
        "vs_best_single": mase[champion] / singles.min() - 1,
        "coverage_80": champion_row["coverage_80"],
        "coverage_95": champion_row["coverage_95"],
        "seconds": seconds,
    }


def main() -> None:
    """Run the benchmark and print one block per series and a summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the pmdarima and sktime wheels (pip download)")
    parser.add_argument("--horizon", type=int, default=6)
    parser.add_argument("--origins", type=int, default=24)
    parser.add_argument("--months", type=int, help="cut every series to windows of this many months (see above)")
    args = parser.parse_args()
    quiet_prophet()
    series = {"demo bookings": demo()}
    if args.wheels:
        series["wineind (pmdarima)"] = wineind(args.wheels)
        series["shampoo sales (sktime)"] = _sktime_csv(args.wheels, "ShampooSales", "shampoo")
    if args.months:
        if args.wheels:
            series["AirPassengers (pmdarima)"] = _pmdarima_array(args.wheels, "airpassengers", "1949-01-01")
            series["sunspots (pmdarima)"] = sunspots(args.wheels)
        series |= statsmodels_series()
        series = windows(series, args.months)
    summary = []
    for name, values in series.items():
        # A series shorter than MIN_TRAIN + origins months gets the origins it allows (shampoo: 36 - 18 = 18).
        origins = min(args.origins, available_origins(len(values)))
        found = measure(values, args.horizon, origins)
        print(
            f"\n{name}: {found['months']} months, {origins} origins ({MIN_TRAIN} months of training before the first), "
            f"horizons 1-{args.horizon}"
        )
        print(found["table"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        summary.append({"series": name} | {k: v for k, v in found.items() if k != "table"})
    print("\nsummary (goal: MASE <= 0.8 x seasonal naive, within 5% of the best single model, 80% coverage 0.70-0.90)")
    print(pd.DataFrame(summary).to_string(index=False, float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
