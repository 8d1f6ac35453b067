"""`salesops kpis` and `salesops glossary`: the KPI table for scripts and spreadsheets, and the generated glossary."""

import csv
import io
import json
import subprocess
import sys

import pytest

from salesops_helpers.analyses.glossary import full_glossary
from salesops_helpers.cli.main import main
from salesops_helpers.metrics import METRICS
from salesops_helpers.paths import GLOSSARY

JSON_KEYS = [
    "bookings",
    "won_deals",
    "lost_deals",
    "win_rate",
    "win_rate_value",
    "avg_deal_size",
    "median_deal_size",
    "sales_cycle_days",
    "pipeline_created",
    "open_pipeline",
    "weighted_pipeline",
    "quota",
    "attainment",
    "coverage",
    "velocity",
]


def _kpis(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["kpis", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_glossary_in_docs_is_the_one_the_code_writes():
    assert GLOSSARY.read_text(encoding="utf-8") == full_glossary(), "run: salesops glossary --write"


def test_the_glossary_defines_every_metric_with_its_formula():
    text = full_glossary()
    for metric in METRICS:
        assert f"(`{metric.key}`)" in text
        assert metric.formula and metric.formula in text


def test_json_rows_carry_the_group_columns_and_one_key_per_metric(capsys):
    code, out, _ = _kpis(capsys, "--period", "FY2027 Q3", "--by", "team", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [row["team"] for row in rows] == ["EMEA", "Enterprise", "Mid-Market", "SMB"]
    for key in JSON_KEYS:
        assert all(key in row for row in rows), key
    assert all(isinstance(row["bookings"], float) for row in rows)


def test_json_by_segment_writes_missing_quota_as_null_not_zero(capsys):
    _, out, _ = _kpis(
        capsys, "--period", "FY2027", "--by", "segment", "--metrics", "bookings", "quota", "--format", "json"
    )
    rows = json.loads(out)
    assert rows and all(row["quota"] is None and row["bookings"] >= 0 for row in rows)
    assert set(rows[0]) == {"segment", "bookings", "quota"}


def test_csv_has_a_header_and_one_row_per_group_whose_team_bookings_add_up(capsys):
    _, by_team, _ = _kpis(capsys, "--period", "2026-10", "--by", "team", "--format", "csv")
    _, company, _ = _kpis(capsys, "--period", "2026-10", "--format", "csv")
    teams = list(csv.DictReader(io.StringIO(by_team)))
    total = list(csv.DictReader(io.StringIO(company)))
    assert len(teams) == 4 and len(total) == 1
    assert sum(float(row["bookings"]) for row in teams) == pytest.approx(float(total[0]["bookings"]))


def test_the_table_format_is_for_people_and_says_why_values_are_missing(capsys):
    code, out, _ = _kpis(capsys, "--period", "2026-10", "--by", "segment", "--metrics", "bookings", "attainment")
    assert code == 0
    assert "KPIs for 2026-10, 2026-10-01 to 2026-10-31" in out
    assert "$" in out and "attainment is missing for 3 row(s): no quota" in out


def test_the_default_period_is_the_last_complete_month(capsys):
    _, out, _ = _kpis(capsys, "--metrics", "bookings")
    assert out.startswith("KPIs for 2026-10,")
    # standing on a day the analyst states: 15 October leaves September as the last complete month
    _, out, _ = _kpis(capsys, "--metrics", "bookings", "--as-of", "2026-10-15")
    assert out.startswith("KPIs for 2026-09,")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--period", "2031-01"], "is outside the data"),
        (["--period", "Q3 2027"], "not a month (2026-10), a fiscal quarter (FY2027 Q3)"),
        (["--by", "country"], "unknown grouping country"),
        (["--metrics", "revenue"], "unknown metric revenue"),
    ],
)
def test_bad_requests_exit_2_with_a_message(capsys, args, fragment):
    code, out, err = _kpis(capsys, *args)
    assert code == 2 and fragment in err and out == ""


def test_csv_output_never_hands_a_spreadsheet_a_formula(capsys, tmp_path):
    from tests.helpers.six_deals import VALID_FILES, write_folder

    files = dict(VALID_FILES)
    # a team named like a formula, as a CRM text field can hold one
    files["reps.csv"] = files["reps.csv"].replace(
        "R1,Ann Lee,Enterprise,", 'R1,Ann Lee,"=HYPERLINK(""http://x"",""y"")",'
    )
    folder = write_folder(tmp_path / "data", files)
    code, out, _ = _kpis(capsys, "--data", str(folder), "--period", "2024-02", "--by", "team", "--format", "csv")
    assert code == 0
    teams = [row["team"] for row in csv.DictReader(io.StringIO(out))]
    assert '\'=HYPERLINK("http://x","y")' in teams
    assert not any(team.startswith("=") for team in teams)


def test_the_command_runs_as_a_module_too():
    """`python -m salesops_helpers.cli` is the same command as the console script (for environments without it)."""
    result = subprocess.run(
        [sys.executable, "-m", "salesops_helpers.cli", "glossary"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == GLOSSARY.read_text(encoding="utf-8")


def test_a_second_run_reads_the_cached_tables_and_prints_the_same(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SALESOPS_CACHE", str(tmp_path / "cache"))
    args = ["kpis", "--by", "team", "segment", "--period", "FY2027 Q3", "--format", "csv"]
    assert main(args) == 0
    first = capsys.readouterr().out
    loads = []
    monkeypatch.setattr("salesops_helpers.data.loading.load_data", lambda *a, **k: loads.append(a))
    assert main(args) == 0
    assert capsys.readouterr().out == first
    assert loads == []  # the engine read the cache's Parquet files; nothing was loaded into frames
    assert main(["kpis", "--metrics", "bookings", "--as-of", "2026-10-15"]) == 0  # the cache's tables, a stated day
    assert capsys.readouterr().out.startswith("KPIs for 2026-09,") and loads == []


def test_lead_kpis_by_source_count_the_demo_s_leads(capsys):
    import pandas as pd

    from salesops_helpers.paths import DEMO_DATA

    code, out, _ = _kpis(capsys, "--period", "FY2027 Q2", "--by", "source", "--format", "json")
    assert code == 0
    rows = {row["source"]: row for row in json.loads(out)}
    leads = pd.read_csv(DEMO_DATA / "leads.csv", parse_dates=["created_at"])
    quarter = leads[(leads["created_at"] >= "2026-05-01") & (leads["created_at"] < "2026-08-01")]
    assert {key: row["leads"] for key, row in rows.items()} == quarter["source"].value_counts().to_dict()
    converted = quarter[quarter["opportunity_id"].notna()]["source"].value_counts()
    assert {key: row["lead_deals"] for key, row in rows.items() if row["lead_deals"]} == converted.to_dict()
    assert rows["Outbound"]["campaign_cost"] is None  # no campaign, so no cost: never 0


def test_lead_kpis_refuse_a_deal_grouping_and_data_without_leads(capsys, tmp_path):
    from tests.helpers import six_deals

    code, _, err = _kpis(capsys, "--by", "source", "lead_source")
    assert code == 2 and "lead funnel KPIs cannot show groupings lead_source" in err
    code, _, err = _kpis(capsys, "--by", "source", "--data", str(six_deals.write_folder(tmp_path / "six")))
    assert code == 2 and "no leads table" in err
