"""A large sales organisation's reports read as well as a small one's: a 50,000-deal, 300-rep demo company rendered
whole, every page small, no table or chart growing with the reps, and every row kept in a CSV file beside the page.
"""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers.data.demo import write_demo_company
from salesops_helpers.presentation.report import MOST_READER_ROWS
from salesops_helpers.presentation.style import LARGEST_FIGURE
from tests.helpers.runs import salesops_run

pytestmark = pytest.mark.slow

REPS = 300
# The pages of the committed 25-rep demo weigh about 0.4 to 0.6 MB; the bound is the at 1M deals.
LARGEST_PAGE = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pd.DataFrame]:
    """The period folder of a rendered 50,000-deal, 300-rep company, and its reps."""
    base = tmp_path_factory.mktemp("large")
    write_demo_company(base / "data", seed=11, opportunities=50_000, file_format="parquet", reps=REPS)
    result = salesops_run("--data", str(base / "data"), "--out", str(base / "reports"), "--jobs", "2")
    assert result.returncode == 0, result.stdout + result.stderr
    (period,) = [p for p in (base / "reports").iterdir() if p.is_dir() and p.name.startswith("20")]
    return period, pd.read_parquet(base / "data" / "reps.parquet")


def _pages(period: Path) -> list[Path]:
    return sorted(period.glob("0*.html"))


def _png_sizes(page: str) -> list[tuple[int, int]]:
    """Width and height of every embedded PNG (from its header)."""
    sizes = []
    for encoded in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page):
        header = base64.b64decode(encoded[:64])
        sizes.append(struct.unpack(">II", header[16:24]))
    return sizes


def test_the_company_is_as_large_as_asked(large):
    _, reps = large
    assert abs(len(reps) - REPS) <= 2
    assert reps["team"].nunique() >= 20  # teams of about twelve beyond the committed four


def test_every_page_renders_and_stays_small(large):
    period, _ = large
    pages = _pages(period)
    assert [p.stem[:2] for p in pages] == ["00", "01", "02", "03", "04", "05", "06"]
    for page in pages:
        assert page.stat().st_size < LARGEST_PAGE, page.name


def test_no_table_or_chart_on_a_page_grows_with_the_reps(large):
    period, _ = large
    largest = (LARGEST_FIGURE[0] * 100, LARGEST_FIGURE[1] * 100)
    for page in _pages(period):
        text = page.read_text(encoding="utf-8")
        for table in re.findall(r"<table.*?</table>", text, flags=re.S):
            assert table.count("<tr") <= MOST_READER_ROWS + 1, page.name  # a header row and the rows shown
        for width, height in _png_sizes(text):
            assert width <= largest[0] and height <= largest[1], (page.name, width, height)


def test_no_rep_list_is_shown_whole_and_the_csv_files_keep_every_rep(large):
    period, reps = large
    team_page = (period / "02_team_performance.html").read_text(encoding="utf-8")
    named = {name for name in reps["name"] if name in team_page}
    assert len(named) < len(set(reps["name"])) / 2
    assert "All " in team_page and "rows as a CSV file" in team_page
    quarter = pd.read_csv(period / "02_team_performance-tables" / "01-reps-quarter-to-date.csv")
    assert len(quarter) >= len(reps) - 10  # every rep with deals or a quota this quarter
    assert set(quarter["rep"]) <= set(reps["name"])
    # the team pages: eight of the many teams, and a sentence saying which
    assert "Pages of 8 of the " in team_page
