"""How long the team/rep picker of notebook 02 takes to redraw a page, rendered as JupyterLab renders it.

Run: .venv/bin/python bench/team_picker_benchmark.py [--data DIR]
Each redraw runs show_page and formats every output it displays (tables to HTML, charts to PNG), as the kernel does
before JupyterLab can show it. Prints the median and slowest redraw over every team and rep and each period.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd
from IPython.core.interactiveshell import InteractiveShell

from salesops_helpers.analyses.team import pages
from salesops_helpers.analyses.team.coaching import coaching_review
from salesops_helpers.analyses.team.rep_months import rep_months
from salesops_helpers.calendar.fiscal import FiscalCalendar
from salesops_helpers.config import load_config
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from salesops_helpers.presentation import team as team_views
from salesops_helpers.presentation.report import use_report_style
from salesops_helpers.presentation.widgets import steady_redraws


def main() -> None:
    """Build the review once, then time every redraw."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEMO_DATA)
    args = parser.parse_args()
    shell = InteractiveShell.instance()
    use_report_style()
    config = load_config(DEFAULT_CONFIG)
    data = load_data(args.data, config, cache=True)
    calendar = FiscalCalendar.from_config(config)
    month = calendar.month(data.as_of.replace(day=1) - pd.Timedelta(days=1))
    started = time.perf_counter()
    months = rep_months(data, calendar.months_between(data.opportunities["created_date"].min(), month.end))
    coaching = coaching_review(data, calendar.trailing_twelve_months(month.end), months, "USD")
    review = pages.team_review(data, calendar, month, months, coaching)
    built = time.perf_counter() - started
    steady_redraws()  # as team_picker does before its first draw
    shown: list[object] = []
    team_views.display = shown.append  # capture what a redraw displays, then format it as the kernel would
    pages_say = team_views.say
    timings = []
    labels: list[str] = []
    for _label, choice in pages.choices(review):
        for key in review.periods:
            shown.clear()
            start = time.perf_counter()
            team_views.say = lambda template, **values: shown.append(template.format(**values))
            team_views.show_page(review, choice, key)
            for output in shown:
                shell.display_formatter.format(output)
            timings.append(time.perf_counter() - start)
            labels.append(f"{choice} {key}")
    team_views.say = pages_say
    print(f"review built once in {built:.2f} s ({len(pages.choices(review))} teams and reps, 3 periods)")
    rest = timings[1:]
    slowest = max(range(1, len(timings)), key=timings.__getitem__)
    print(f"first redraw (font and renderer caches cold): {timings[0] * 1000:.0f} ms")
    print(
        f"later redraws: median {statistics.median(rest) * 1000:.0f} ms, "
        f"95th percentile {statistics.quantiles(rest, n=20)[-1] * 1000:.0f} ms, slowest {max(rest) * 1000:.0f} ms "
        f"over {len(rest)} redraws (slowest: {labels[slowest]})"
    )


if __name__ == "__main__":
    main()
