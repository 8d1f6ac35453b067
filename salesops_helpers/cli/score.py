"""`salesops score`: every open deal's win probability and the reasons it is at risk, as CSV to load into the CRM."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from salesops_helpers.cli.options import EXIT_OK, EXIT_USAGE, add_data_options, fmt_day, spreadsheet_safe
from salesops_helpers.config import load_config

# The CSV's columns: the deal's id first, as a CRM's import matches rows by it.
COLUMNS = {
    "opportunity_id": "opportunity_id",
    "name": "name",
    "owner": "owner",
    "team": "team",
    "stage": "stage",
    "amount": "amount",
    "expected_close": "expected_close",
    "forecast_category": "forecast_category",
    "win_probability": "win_probability",
    "value_at_risk": "value_at_risk",
    "reasons": "reasons",
}


def add_score_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `salesops score` to the command line."""
    parser = sub.add_parser("score", help="write every open deal's win probability and reasons as CSV")
    parser.add_argument(
        "--period", help="score the deals open at the end of this month, YYYY-MM (default: the data's day)"
    )
    parser.add_argument("--out", help="CSV file to write (default: standard output)")
    add_data_options(parser)
    parser.set_defaults(func=cmd_score)
    return parser


def cmd_score(args: argparse.Namespace) -> int:
    """Score the open deals with the method the backtest trusts and write them, the largest value at risk first."""
    from salesops_helpers.analyses.deals.inspection import reviewed
    from salesops_helpers.analyses.deals.win_probability import deal_scores
    from salesops_helpers.calendar.periods import parse_period
    from salesops_helpers.data.loading import load_data
    from salesops_helpers.errors import PeriodError
    from salesops_helpers.formatting import percent

    config = load_config(args.config)
    data = load_data(args.data, config, cache=True, mapping=args.mapping).stated_as_of(args.as_of)
    day = data.as_of
    if args.period:
        try:
            day = min(parse_period(args.period).end, data.as_of)
        except PeriodError as exc:
            print(f"salesops score: {exc}", file=sys.stderr)
            return EXIT_USAGE
    scores = deal_scores(data, day)
    deals = reviewed(scores.deals, data)
    deals = deals.sort_values(["value_at_risk", "opportunity_id"], ascending=[False, True])
    table = deals[list(COLUMNS)].rename(columns=COLUMNS)
    table["expected_close"] = table["expected_close"].dt.strftime("%Y-%m-%d")
    table["win_probability"] = table["win_probability"].round(4)
    table["value_at_risk"] = table["value_at_risk"].round(2)
    table["method"] = scores.method
    table["scored_on"] = fmt_day(day)
    for column in ("opportunity_id", "name", "owner", "team", "stage", "forecast_category", "reasons"):
        table[column] = table[column].map(spreadsheet_safe)
    accuracy = scores.backtest.accuracy.set_index("method")
    skill = accuracy["brier_skill"].get(scores.method)
    measured = f", Brier skill {percent(skill, 1)} over historical stage rates" if skill is not None else ""
    note = f"{len(table):,} open deals scored on {fmt_day(day)} by {scores.method}{measured}"
    if args.out:
        table.to_csv(Path(args.out), index=False, encoding="utf-8")
        print(f"{note}: {args.out}")
    else:
        print(note, file=sys.stderr)
        table.to_csv(sys.stdout, index=False)
    return EXIT_OK
