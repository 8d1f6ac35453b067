"""The forecast history: every run's forecasts kept in one CSV file beside the period folders, so later runs can
hold each forecast against what was booked.

The store lives in the reports root (the folder that holds the period folders), named forecast_history.csv: a
rerun of a period replaces that period's rows and keeps every other period's; the file is written whole to a
temporary file and renamed over the old one, so a run that fails leaves the previous file as it was.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from salesops_helpers.calendar.fiscal import Period
from salesops_helpers.errors import SalesopsError
from salesops_helpers.paths import REPORTS

STORE_NAME = "forecast_history.csv"
# The store `salesops run` writes with its default --out: what a run by hand in JupyterLab reads.
DEFAULT_STORE = REPORTS / STORE_NAME
COLUMNS = [
    "company",
    "made_at",  # the report period (YYYY-MM) whose run made the forecast
    "method",
    "kind",  # month or quarter
    "target",  # 2026-11 or FY2027 Q4
    "start",
    "end",
    "horizon",  # months from the end of made_at to the end of the target
    "forecast",
    "lower_80",
    "upper_80",
    "lower_95",
    "upper_95",
]


class StoreError(SalesopsError, ValueError):
    """A forecast history file that cannot be read; it is left untouched."""


def store_path(output_dir: str | Path | None) -> Path | None:
    """Where the store is: the reports root, the parent of the folder a batch run writes into (its staging
    folder, reports/.staging-…, becomes reports/<period>); None when there is no output folder (a run by hand)."""
    if not output_dir:
        return None
    return Path(output_dir).resolve().parent / STORE_NAME


def read_store(path: Path | None) -> pd.DataFrame:
    """Every stored forecast (an empty table when there is no file yet)."""
    if path is None or not path.exists():
        return pd.DataFrame({column: pd.Series(dtype=_dtype(column)) for column in COLUMNS})
    try:
        frame = pd.read_csv(path, dtype={"company": str, "made_at": str, "method": str, "kind": str, "target": str})
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise StoreError(f"the forecast history {path} cannot be read ({error}); move it aside to start anew") from None
    missing = [column for column in COLUMNS if column not in frame.columns]
    if missing:
        raise StoreError(
            f"the forecast history {path} lacks the columns {', '.join(missing)}; move it aside to start anew"
        )
    for column in ("start", "end"):
        frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    return frame[COLUMNS]


def _dtype(column: str) -> str:
    if column in ("start", "end"):
        return "datetime64[ns]"
    if column == "horizon":
        return "int64"
    return "float64" if column in ("forecast",) or column.startswith(("lower", "upper")) else "object"


def merged(store: pd.DataFrame, rows: pd.DataFrame, company: str, made_at: str) -> pd.DataFrame:
    """The store with this company's rows made at this period replaced by rows (sorted, so reruns write the same
    file)."""
    kept = store[~((store["company"] == company) & (store["made_at"] == made_at))]
    new = rows.assign(company=company, made_at=made_at)[COLUMNS]
    frames = [frame for frame in (kept, new) if len(frame)]
    both = pd.concat(frames, ignore_index=True) if frames else new
    return both.sort_values(["company", "made_at", "method", "kind", "start"], kind="stable").reset_index(drop=True)


def _file_mode(path: Path) -> int:
    """The permissions the store keeps: the old file's, or a new file's under the umask (0o666 & ~umask)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_store(path: Path, frame: pd.DataFrame) -> None:
    """Write the whole store atomically: to a temporary file in the same folder, flushed, then renamed over it,
    with the old file's permissions (mkstemp would leave it readable by its owner only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _file_mode(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            frame.to_csv(out, index=False, date_format="%Y-%m-%d", float_format="%.2f")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_forecasts(path: Path, rows: pd.DataFrame, company: str, made_at: str) -> pd.DataFrame:
    """Replace this company's forecasts made at this period by rows, keep every other row; returns the store."""
    store = merged(read_store(path), rows, company, made_at)
    write_store(path, store)
    return store


def forecast_vs_actual(
    store: pd.DataFrame, monthly: pd.Series, company: str, made_before: str, last_day: pd.Timestamp
) -> pd.DataFrame:
    """The company's forecasts made before a period whose target had ended by last_day (its end ≤ last_day: a
    month still under way is not compared), with the actual (bookings summed over the target's months), error =
    forecast − actual and whether each interval held it."""
    rows = store[(store["company"] == company) & (store["made_at"] < made_before)].copy()
    rows = rows[rows["end"] <= last_day]
    if rows.empty:
        return rows.assign(actual=pd.Series(dtype=float), error=pd.Series(dtype=float))
    rows["actual"] = [
        float(monthly[(monthly.index >= start) & (monthly.index <= end)].sum())
        for start, end in zip(rows["start"], rows["end"], strict=True)
    ]
    rows["error"] = rows["forecast"] - rows["actual"]
    inside = (rows["actual"] >= rows["lower_80"]) & (rows["actual"] <= rows["upper_80"])
    rows["inside_80"] = inside.astype(float).where(rows["lower_80"].notna())
    return rows.reset_index(drop=True)


def error_by_method(compared: pd.DataFrame) -> pd.DataFrame:
    """Per method and kind of target: forecasts compared, WAPE (Σ|error| ÷ Σ actual), bias (Σ error ÷ Σ actual)
    and the share of actuals inside the 80% interval."""
    rows = []
    for (method, kind), group in compared.groupby(["method", "kind"], sort=True):
        total = group["actual"].sum()
        rows.append(
            {
                "method": method,
                "kind": kind,
                "forecasts": len(group),
                "wape": group["error"].abs().sum() / total if total else np.nan,
                "bias": group["error"].sum() / total if total else np.nan,
                "inside_80": group["inside_80"].astype(float).mean(),
            }
        )
    return pd.DataFrame(rows, columns=["method", "kind", "forecasts", "wape", "bias", "inside_80"])


def error_over_time(compared: pd.DataFrame) -> pd.DataFrame:
    """Per run (made_at) and method: WAPE and bias of its monthly forecasts that can be checked."""
    months = compared[compared["kind"] == "month"]
    grouped = months.groupby(["made_at", "method"], sort=True)
    out = grouped.apply(
        lambda g: pd.Series(
            {
                "wape": g["error"].abs().sum() / g["actual"].sum() if g["actual"].sum() else np.nan,
                "bias": g["error"].sum() / g["actual"].sum() if g["actual"].sum() else np.nan,
            }
        ),
        include_groups=False,
    )
    return out.reset_index() if len(months) else pd.DataFrame(columns=["made_at", "method", "wape", "bias"])


def forecast_rows(
    ahead: dict[str, pd.DataFrame], quarters: list[tuple[Period, pd.DataFrame]], as_of: pd.Timestamp
) -> pd.DataFrame:
    """The rows a run stores: every model's monthly forecasts (calibrated bounds) and every method's quarter
    forecasts. ahead: per model, columns month, horizon, forecast, lower_80 ... ; quarters: (quarter, method table
    with columns method, forecast, lower_80, upper_80, and lower_95, upper_95 where known)."""
    rows = []
    for method, frame in ahead.items():
        for row in frame.itertuples(index=False):
            rows.append(
                {
                    "method": method,
                    "kind": "month",
                    "target": f"{row.month:%Y-%m}",
                    "start": row.month,
                    "end": row.month + pd.offsets.MonthEnd(0),
                    "horizon": int(row.horizon),
                    "forecast": row.forecast,
                    **{f"{side}_{lv}": getattr(row, f"{side}_{lv}") for side in ("lower", "upper") for lv in (80, 95)},
                }
            )
    for quarter, methods in quarters:
        months = (quarter.end.to_period("M") - as_of.to_period("M")).n
        for row in methods.to_dict("records"):
            rows.append(
                {
                    "method": row["method"],
                    "kind": "quarter",
                    "target": quarter.label,
                    "start": quarter.start,
                    "end": quarter.end,
                    "horizon": months,
                    "forecast": row["forecast"],
                    **{key: row.get(key, np.nan) for key in ("lower_80", "upper_80", "lower_95", "upper_95")},
                }
            )
    return pd.DataFrame(rows, columns=[c for c in COLUMNS if c not in ("company", "made_at")])
