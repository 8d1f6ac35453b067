"""`salesops glossary`: print the metric glossary, or write it to docs/metrics.md."""

from __future__ import annotations

import argparse

from salesops_helpers.cli.options import EXIT_OK
from salesops_helpers.paths import GLOSSARY


def add_glossary_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `salesops glossary` to the command line: print the metric glossary or write it."""
    parser = sub.add_parser("glossary", help="print the metric glossary (or --write it to docs/metrics.md)")
    parser.add_argument("--write", action="store_true", help="write docs/metrics.md")
    parser.set_defaults(func=cmd_glossary)
    return parser


def cmd_glossary(args: argparse.Namespace) -> int:
    """Print the metric glossary, or write it to docs/metrics.md."""
    from salesops_helpers.analyses.glossary import full_glossary

    text = full_glossary()
    if args.write:
        GLOSSARY.write_text(text, encoding="utf-8")
        print(f"Glossary written to {GLOSSARY}")
    else:
        print(text, end="")
    return EXIT_OK
