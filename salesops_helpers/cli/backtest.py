"""`salesops backtest`: the notebook's backtest on any monthly series an analyst brings as a CSV file.

Wired into salesops_helpers/cli/main.py with add_backtest_parser(sub); also runs on its own as
`python -m salesops_helpers.cli.backtest --csv FILE ...`.
"""

from __future__ import annotations

import argparse
import json
import sys

from salesops_helpers.analyses.forecast.defaults import HORIZON, MAX_ORIGINS
from salesops_helpers.cli.options import EXIT_DATA, EXIT_OK, positive


def add_backtest_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the backtest sub-command to the salesops parser."""
    parser = sub.add_parser("backtest", help="backtest every forecasting model on a monthly series in a CSV file")
    add_arguments(parser)
    parser.set_defaults(func=cmd_backtest)
    return parser


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The backtest's options."""
    parser.add_argument("--csv", required=True, help="CSV file with a month column and a value column")
    parser.add_argument("--date-col", help="the month column (default: the first column)")
    parser.add_argument("--value-col", help="the value column (default: the second column)")
    parser.add_argument("--horizon", type=positive, default=HORIZON, help=f"months ahead, 1 to H (default {HORIZON})")
    parser.add_argument(
        "--origins", type=positive, default=MAX_ORIGINS, help=f"forecast origins, the last N months ({MAX_ORIGINS})"
    )
    parser.add_argument("--format", choices=["table", "json"], default="table", help="output format")


def cmd_backtest(args: argparse.Namespace) -> int:
    """Print one row per model (mase, wape, smape, bias, coverage_80, coverage_95, seconds), the champion and the
    default model the reports forecast with."""
    from salesops_helpers.analyses.forecast.backtest import TooShortError, default_model
    from salesops_helpers.analyses.forecast.models import quiet_prophet
    from salesops_helpers.analyses.forecast.outlook import backtest_summary
    from salesops_helpers.analyses.forecast.series import SeriesError, read_monthly_csv

    try:
        series = read_monthly_csv(args.csv, args.date_col, args.value_col)
        quiet_prophet()
        table, champion = backtest_summary(series, args.horizon, args.origins)
    except (SeriesError, TooShortError) as error:
        print(f"salesops backtest: {error}", file=sys.stderr)
        return EXIT_DATA
    if args.format == "json":
        rows = [
            {key: (round(value, 4) if isinstance(value, float) else value) for key, value in row.items()}
            for row in table.to_dict(orient="records")
        ]
        json.dump({"champion": champion, "default": default_model(table), "models": rows}, sys.stdout, indent=2)
        print()
        return EXIT_OK
    print(
        f"{args.csv}: {len(series)} months, {series.index[0]:%Y-%m} to {series.index[-1]:%Y-%m}; "
        f"{args.origins} origins, horizons 1 to {args.horizon}"
    )
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"champion (best pooled MASE): {champion}")
    print(f"default model of the reports: {default_model(table)}")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Run the backtest command on its own."""
    parser = argparse.ArgumentParser(prog="salesops backtest", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return cmd_backtest(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
