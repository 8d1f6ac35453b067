"""`salesops run` in its own process, as `make reports` and cron start it, and the demo company with names like
markup that the rendered pages must show as text."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from salesops_helpers.analyses.forecast.forecast_history import STORE_NAME
from salesops_helpers.paths import DEMO_DATA

SCRIPT_NAME = "<script>alert(1)</script>"
# A deal shown by the data-health (past due) and deal-inspection (at risk) reports and a rep shown by the team,
# process and data-health reports.
HOSTILE_DEAL = ("Union Retail - Premium Support (New Business)", SCRIPT_NAME)
HOSTILE_REP = ("Noah Kim", "Noah <img src=x onerror=alert(2)> Kim")


def salesops_run(*args: str) -> subprocess.CompletedProcess[str]:
    """`salesops run --quiet` with the given arguments, in its own process."""
    command = [sys.executable, "-m", "salesops_helpers.cli", "run", "--quiet", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)


def write_hostile_demo(folder: Path) -> Path:
    """A copy of the demo company with one deal and one rep renamed like markup (nothing else differs)."""
    folder.mkdir(parents=True)
    for source in DEMO_DATA.iterdir():
        text = source.read_text(encoding="utf-8")
        if source.name == "opportunities.csv":
            assert text.count(HOSTILE_DEAL[0]) >= 1
            text = text.replace(HOSTILE_DEAL[0], HOSTILE_DEAL[1])
        if source.name == "reps.csv":
            assert text.count(HOSTILE_REP[0]) == 1
            text = text.replace(HOSTILE_REP[0], HOSTILE_REP[1])
        (folder / source.name).write_text(text, encoding="utf-8", newline="")
    return folder


@dataclass(frozen=True)
class DemoRun:
    """The demo reports as two monthly runs left them in one reports folder."""

    data: Path  # the data folder both runs read
    out: Path  # the reports folder: 2026-09/, 2026-10/, the all-periods index and the forecast store
    september: subprocess.CompletedProcess[str]  # notebook 04 for September 2026
    october: subprocess.CompletedProcess[str]  # every notebook for October 2026

    @property
    def period_dir(self) -> Path:
        """October 2026's folder."""
        return self.out / "2026-10"

    @property
    def store(self) -> Path:
        """The forecast store both runs wrote to."""
        return self.out / STORE_NAME


@dataclass(frozen=True)
class SixDealRun:
    """Every notebook rendered on the six-deal company for March 2024."""

    out: Path  # the reports folder
    result: subprocess.CompletedProcess[str]

    @property
    def period_dir(self) -> Path:
        """March 2024's folder."""
        return self.out / "2024-03"
