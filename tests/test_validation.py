"""Validation of data folders by load_data: every bad input is an error or a logged repair, never a crash.

Each test builds a tiny, hand-written, valid data folder in tmp_path, breaks one thing in it and checks that
load_data either raises DataValidationError or logs a warning, with a message that names the file, the column,
what is wrong and the offending rows (CSV row numbers count the header as row 1).
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from salesops_helpers import DataValidationError, SalesData, load_data
from salesops_helpers.cli.main import main
from salesops_helpers.config import WorkbookConfig, parse_config
from salesops_helpers.data.quality import Problem
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA
from tests.helpers.six_deals import (
    ACTIVITIES_CSV,
    HISTORY_CSV,
    OPPORTUNITIES_CSV,
    REPS_CSV,
    VALID_FILES,
    edit,
    write_folder,
)

# The six-deal company (tests/helpers/six_deals.py) as load_data sees it.
ROW_COUNTS = {"opportunities": 6, "reps": 3, "quotas": 3, "history": 7, "activities": 3}
TABLE_ATTRS = ("opportunities", "reps", "quotas", "history", "activities")
DATE_COLUMNS = {
    "opportunities": ["created_date", "close_date"],
    "reps": ["hire_date", "end_date"],
    "quotas": ["period_start"],
    "history": ["changed_at", "close_date"],
    "activities": ["occurred_at"],
}


def append(folder: Path, name: str, line: str) -> None:
    """Add one line at the end of a fixture file."""
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def load_error(folder: Path, config: WorkbookConfig | str | Path) -> DataValidationError:
    """The DataValidationError load_data raises for folder (fails the test if it loads)."""
    with pytest.raises(DataValidationError) as info:
        load_data(folder, config)
    return info.value


def only_problem(problems: list[Problem], file: str, column: str | None, text: str) -> Problem:
    """The single problem of file and column whose message contains text."""
    found = [p for p in problems if p.file == file and p.column == column and text in p.message]
    listing = "\n".join(p.render() for p in problems) or "(no problems)"
    assert len(found) == 1, f"expected one problem {file}/{column}/{text!r}, got {len(found)} in:\n{listing}"
    return found[0]


def assert_mentions(message: str, *fragments: str) -> None:
    """Every fragment occurs in message."""
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in message:\n{message}"


def assert_example_row(message: str, row: int, *cells: str) -> None:
    """message shows an example row whose row number is row and which holds every one of cells."""
    for line in message.splitlines():
        tokens = line.split()
        if tokens and tokens[0] == str(row) and all(cell in line for cell in cells):
            return
    raise AssertionError(f"no example row {row} with {cells} in message:\n{message}")


def sha256_of_folder(folder: Path) -> dict[str, str]:
    """sha256 of every file in folder, by name."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh copy of the tiny valid data folder."""
    return write_folder(tmp_path / "data")


@pytest.fixture
def valid(folder: Path, config: WorkbookConfig) -> SalesData:
    return load_data(folder, config)


# --------------------------------------------------------------------------------------------------------------------
# The valid fixture, the demo data and the loaded types
# --------------------------------------------------------------------------------------------------------------------


def test_valid_fixture_loads_with_no_problems_at_all(valid: SalesData) -> None:
    assert valid.quality.problems == [], valid.quality.render()
    assert {attr: len(getattr(valid, attr)) for attr in TABLE_ATTRS} == ROW_COUNTS


def test_valid_fixture_uses_only_configured_stage_names(config: WorkbookConfig) -> None:
    stages = {line.split(",")[6] for line in OPPORTUNITIES_CSV.splitlines()[1:]}
    stages |= {line.split(",")[2] for line in HISTORY_CSV.splitlines()[1:]}
    assert stages <= set(config.stage_names)


def test_loaded_dtypes(valid: SalesData, config: WorkbookConfig) -> None:
    for attr, columns in DATE_COLUMNS.items():
        frame = getattr(valid, attr)
        for column in columns:
            assert pd.api.types.is_datetime64_dtype(frame[column]), f"{attr}.{column} is {frame[column].dtype}"
    opps = valid.opportunities
    assert opps["amount"].dtype == "float64"
    assert valid.history["amount"].dtype == "float64"
    assert valid.quotas["quota"].dtype == "float64"
    for frame in (opps, valid.history):
        assert isinstance(frame["stage"].dtype, pd.CategoricalDtype)
        assert list(frame["stage"].cat.categories) == config.stage_names
    assert opps.set_index("opportunity_id")["amount"].to_dict() == {
        "O1": 1000.0,
        "O2": 2500.5,
        "O3": 3000.0,
        "O4": 400.0,
        "O5": 12000.0,
        "O6": 800.0,
    }
    assert opps.loc[opps["opportunity_id"] == "O4", "created_date"].item() == pd.Timestamp("2024-02-15")
    assert list(opps["outcome"]) == ["won", "lost", "open", "open", "won", "open"]


def test_demo_data_loads_with_no_errors_or_warnings(config: WorkbookConfig) -> None:
    data = load_data(DEMO_DATA, config)
    assert data.quality.errors == []
    assert data.quality.warnings == [], data.quality.render(("warning",))
    assert len(data.opportunities) > 1000


# --------------------------------------------------------------------------------------------------------------------
# 1. Missing required column
# --------------------------------------------------------------------------------------------------------------------


def test_missing_required_column_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    text = (folder / "opportunities.csv").read_text()
    without_amount = pd.read_csv(folder / "opportunities.csv", dtype=str).drop(columns=["amount"])
    without_amount.to_csv(folder / "opportunities.csv", index=False)
    assert "amount" not in (folder / "opportunities.csv").read_text() and "amount" in text

    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "amount", "required column missing")
    assert_mentions(str(exc), "opportunities.csv", "column 'amount'", "required column missing", "columns found:")
    assert "owner_id" in problem.message  # lists the columns it did find


def test_header_names_are_matched_after_trimming_and_case_folding(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "opportunity_id,name,", " Opportunity ID ,Name,")
    data = load_data(folder, config)
    assert list(data.opportunities["opportunity_id"]) == ["O1", "O2", "O3", "O4", "O5", "O6"]


# --------------------------------------------------------------------------------------------------------------------
# 2. Duplicates
# --------------------------------------------------------------------------------------------------------------------


def test_duplicate_opportunity_id_with_different_values_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    append(folder, "opportunities.csv", "O2,Bolt - Platform,Bolt,R1,2024-01-10,2024-03-01,Closed Lost,999,USD,SMB")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "opportunity_id", "several rows with different values")
    assert list(problem.examples["row"]) == [3, 8]  # the original O2 is row 3, the conflicting copy row 8
    message = str(exc)
    assert_mentions(message, "opportunities.csv", "column 'opportunity_id'", "must be unique")
    assert_example_row(message, 3, "O2")
    assert_example_row(message, 8, "O2")


def test_exact_duplicate_row_is_dropped_with_a_warning(folder: Path, config: WorkbookConfig) -> None:
    o3 = OPPORTUNITIES_CSV.splitlines()[3]
    assert o3.startswith("O3,")
    append(folder, "opportunities.csv", o3)
    data = load_data(folder, config)
    assert len(data.opportunities) == 6
    assert list(data.opportunities["opportunity_id"]).count("O3") == 1
    problem = only_problem(data.quality.warnings, "opportunities.csv", "opportunity_id", "exact copy")
    assert problem.count == 1
    assert list(problem.examples["row"]) == [8]
    rendered = problem.render()
    assert_mentions(rendered, "WARNING", "opportunities.csv", "column 'opportunity_id'", "the copy is dropped")
    assert_example_row(rendered, 8, "O3")


# --------------------------------------------------------------------------------------------------------------------
# 3. Unreadable date
# --------------------------------------------------------------------------------------------------------------------


def test_unparseable_date_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "R1,2024-01-10,", "R1,31/02/2024x,")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "created_date", "cannot read the value as a date")
    assert list(problem.examples["row"]) == [3]
    message = str(exc)
    assert_mentions(message, "opportunities.csv", "column 'created_date'", "cannot read the value as a date", "ISO")
    assert_example_row(message, 3, "O2", "31/02/2024x")


def test_impossible_calendar_date_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunity_history.csv", "O4,2024-02-15T09:00:00", "O4,2024-02-30T09:00:00")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunity_history.csv", "changed_at", "cannot read the value as a date")
    assert list(problem.examples["row"]) == [6]
    assert_example_row(str(exc), 6, "O4", "2024-02-30T09:00:00")


# --------------------------------------------------------------------------------------------------------------------
# 4. Amounts
# --------------------------------------------------------------------------------------------------------------------


def test_non_numeric_amount_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", ",2500.5,", ',"12,5k",')  # quoted, as a spreadsheet export writes it
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "amount", "not a number")
    assert problem.count == 1
    message = str(exc)
    assert_mentions(message, "opportunities.csv", "column 'amount'", "not a number")
    assert_example_row(message, 3, "O2", "12,5k")


def test_unquoted_comma_in_a_value_names_the_file_and_line(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", ",2500.5,", ",12,5k,")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", None, "do not have the header's 10 fields")
    assert list(problem.examples["row"]) == [3] and list(problem.examples["fields"]) == [11]
    assert_mentions(str(exc), "opportunities.csv", "double quotes")


def test_negative_amount_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", ",400,", ",-400,")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "amount", "negative amount")
    assert list(problem.examples["row"]) == [5]
    message = str(exc)
    assert_mentions(message, "opportunities.csv", "column 'amount'", "negative amount")
    assert_example_row(message, 5, "O4", "-400")


def test_negative_quota_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "quotas.csv", "R2,2024-01-01,4000", "R2,2024-01-01,-4000")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "quotas.csv", "quota", "negative amount")
    assert list(problem.examples["row"]) == [3]
    assert_example_row(str(exc), 3, "R2", "-4000")


# --------------------------------------------------------------------------------------------------------------------
# 5. Close date before created date
# --------------------------------------------------------------------------------------------------------------------


def test_close_date_before_created_date_is_repaired_with_a_warning(folder: Path, config: WorkbookConfig) -> None:
    # O5 was won on 15 April 2024 but entered on 1 May: a cycle of 0 days
    edit(folder, "opportunities.csv", "R3,2024-03-01,2024-04-15", "R3,2024-05-01,2024-04-15")
    data = load_data(folder, config)
    o5 = data.opportunities.set_index("opportunity_id").loc["O5"]
    assert o5["created_date"] == pd.Timestamp("2024-04-15")
    assert o5["close_date"] == pd.Timestamp("2024-04-15")
    problem = only_problem(data.quality.warnings, "opportunities.csv", "close_date", "before the created date")
    assert list(problem.examples["row"]) == [6]
    rendered = problem.render()
    assert_mentions(
        rendered, "WARNING", "opportunities.csv", "column 'close_date'", "created date set to the close date"
    )
    assert_example_row(rendered, 6, "O5", "2024-05-01")  # shows the original created date


def test_an_open_deal_past_its_close_date_when_created_keeps_its_created_date(
    folder: Path, config: WorkbookConfig
) -> None:
    # O6 is still in Negotiation, created on 10 August 2024 with an expected close date of 1 July: past due
    edit(folder, "opportunities.csv", "R3,2024-03-10,2024-07-01", "R3,2024-08-10,2024-07-01")
    data = load_data(folder, config)
    o6 = data.opportunities.set_index("opportunity_id").loc["O6"]
    assert o6["created_date"] == pd.Timestamp("2024-08-10")
    assert o6["close_date"] == pd.Timestamp("2024-07-01")
    problem = only_problem(data.quality.warnings, "opportunities.csv", "close_date", "open deal whose expected")
    assert list(problem.examples["row"]) == [7]
    rendered = problem.render()
    assert_mentions(rendered, "WARNING", "created date kept; the deal counts as past its close date")
    assert_example_row(rendered, 7, "O6", "2024-08-10")
    assert not [w for w in data.quality.warnings if "created date set to the close date" in w.render()]


# --------------------------------------------------------------------------------------------------------------------
# 6. Stages
# --------------------------------------------------------------------------------------------------------------------


def test_unknown_stage_is_an_error_listing_the_stage(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", ",Negotiation,", ",Negotiating,")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "stage", "not in the configured stages")
    assert list(problem.examples["row"]) == [7]
    message = str(exc)
    assert_mentions(message, "opportunities.csv", "column 'stage'", "'Negotiating'", ", ".join(config.stage_names))
    assert_example_row(message, 7, "O6", "Negotiating")


@pytest.mark.parametrize("variant", ["closed won ", "CLOSED WON", "Closed  Won", " closed   won"])
def test_stage_differing_in_case_or_spaces_is_normalised_with_a_warning(
    folder: Path, config: WorkbookConfig, variant: str
) -> None:
    edit(folder, "opportunities.csv", "2024-04-15,Closed Won,", f"2024-04-15,{variant},")
    data = load_data(folder, config)
    opps = data.opportunities.set_index("opportunity_id")
    assert opps.loc["O5", "stage"] == "Closed Won"
    assert opps.loc["O5", "outcome"] == "won"
    assert list(data.opportunities["stage"].cat.categories) == config.stage_names
    problem = only_problem(data.quality.warnings, "opportunities.csv", "stage", "only in case or spacing")
    assert list(problem.examples["row"]) == [6]
    rendered = problem.render()
    assert_mentions(rendered, "WARNING", "opportunities.csv", "column 'stage'", "read as the configured stage")
    assert_example_row(rendered, 6, "O5")


def test_stage_with_only_surrounding_spaces_is_read_as_the_stage(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", ",Proposal,", ",  Proposal ,")
    data = load_data(folder, config)
    assert data.opportunities.set_index("opportunity_id").loc["O3", "stage"] == "Proposal"
    assert data.quality.errors == []


def test_unknown_stage_in_history_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunity_history.csv", ",Discovery,", ",Demo,")
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "opportunity_history.csv", "stage", "not in the configured stages")
    assert_example_row(str(exc), 7, "O5", "Demo")


# --------------------------------------------------------------------------------------------------------------------
# 7. and 8. References between tables
# --------------------------------------------------------------------------------------------------------------------


def test_owner_not_in_reps_is_a_warning_and_the_deal_is_kept(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "O4,Dune - Connectors,Dune,R2,", "O4,Dune - Connectors,Dune,R9,")
    data = load_data(folder, config)
    assert len(data.opportunities) == 6
    assert data.opportunities.set_index("opportunity_id").loc["O4", "owner_id"] == "R9"
    problem = only_problem(data.quality.warnings, "opportunities.csv", "owner_id", "not in reps")
    assert list(problem.examples["row"]) == [5]
    rendered = problem.render()
    assert_mentions(rendered, "WARNING", "opportunities.csv", "column 'owner_id'", "deal kept")
    assert_example_row(rendered, 5, "O4", "R9")


def test_history_row_for_unknown_opportunity_is_left_out_with_a_warning(folder: Path, config: WorkbookConfig) -> None:
    append(folder, "opportunity_history.csv", "O99,2024-01-01T00:00:00,Prospecting,1,2024-02-01")
    data = load_data(folder, config)
    assert len(data.history) == 7
    assert "O99" not in set(data.history["opportunity_id"])
    problem = only_problem(data.quality.warnings, "opportunity_history.csv", "opportunity_id", "not in opportunities")
    assert list(problem.examples["row"]) == [9]
    rendered = problem.render()
    assert_mentions(rendered, "WARNING", "opportunity_history.csv", "column 'opportunity_id'", "left out")
    assert_example_row(rendered, 9, "O99")


def test_quota_for_unknown_rep_is_left_out_with_a_warning(folder: Path, config: WorkbookConfig) -> None:
    append(folder, "quotas.csv", "R7,2024-01-01,1000")
    data = load_data(folder, config)
    assert len(data.quotas) == 3
    problem = only_problem(data.quality.warnings, "quotas.csv", "rep_id", "not in reps")
    assert_example_row(problem.render(), 5, "R7")


# --------------------------------------------------------------------------------------------------------------------
# 9. Empty files
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["opportunities.csv", "reps.csv", "quotas.csv"])
def test_zero_byte_file_is_an_error(folder: Path, config: WorkbookConfig, name: str) -> None:
    (folder / name).write_bytes(b"")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, name, None, "empty")
    assert_mentions(str(exc), name, "the file is empty")
    assert problem.severity == "error"


def test_header_only_opportunities_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    (folder / "opportunities.csv").write_text(OPPORTUNITIES_CSV.splitlines()[0] + "\n", encoding="utf-8")
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "opportunities.csv", None, "no data rows")
    assert_mentions(str(exc), "opportunities.csv", "header but no data rows")


def test_header_only_optional_table_is_treated_as_absent(folder: Path, config: WorkbookConfig) -> None:
    (folder / "activities.csv").write_text(ACTIVITIES_CSV.splitlines()[0] + "\n", encoding="utf-8")
    data = load_data(folder, config)
    assert data.activities is None
    problem = only_problem(data.quality.warnings, "activities.csv", None, "no data rows")
    assert_mentions(problem.render(), "activities.csv", "treated as absent")


# --------------------------------------------------------------------------------------------------------------------
# 10. Encodings, line endings and separators
# --------------------------------------------------------------------------------------------------------------------


def test_file_that_is_not_utf8_is_an_error_naming_file_and_line(folder: Path, config: WorkbookConfig) -> None:
    latin1 = REPS_CSV.replace("Bob Ray", "Bob Müller").encode("latin-1")
    (folder / "reps.csv").write_bytes(latin1)
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "reps.csv", None, "not utf-8 text")
    assert_mentions(problem.message, "line 3", "0xfc")
    assert_mentions(str(exc), "reps.csv", "line 3", "UTF-8")


def test_utf8_with_bom_and_crlf_line_endings_loads(folder: Path, config: WorkbookConfig, valid: SalesData) -> None:
    for name, text in VALID_FILES.items():
        (folder / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    data = load_data(folder, config)
    assert data.quality.problems == [], data.quality.render()
    for attr in TABLE_ATTRS:
        pd.testing.assert_frame_equal(getattr(data, attr), getattr(valid, attr))
    assert data.reps["rep_id"].tolist() == ["R1", "R2", "R3"]  # no BOM glued to the first header or value


def test_semicolon_separated_files_load(folder: Path, config: WorkbookConfig, valid: SalesData) -> None:
    for name, text in VALID_FILES.items():
        (folder / name).write_text(text.replace(",", ";"), encoding="utf-8")
    # a comma inside a value is text, not a separator, in a semicolon file
    edit(folder, "opportunities.csv", "O3;Cask - Connectors;", "O3;Cask, Inc. - Connectors;")
    data = load_data(folder, config)
    assert data.quality.problems == [], data.quality.render()
    assert data.opportunities.set_index("opportunity_id").loc["O3", "name"] == "Cask, Inc. - Connectors"
    for attr in ("reps", "quotas", "history", "activities"):
        pd.testing.assert_frame_equal(getattr(data, attr), getattr(valid, attr))


def _us_config() -> WorkbookConfig:
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    raw["data"]["date_format"] = "%m/%d/%Y"
    return parse_config(raw, source="US test configuration")


def _to_us_days(text: str) -> str:
    """ISO dates (and date-times, reduced to their day) rewritten as MM/DD/YYYY."""
    return re.sub(r"(\d{4})-(\d\d)-(\d\d)(T[\d:]+)?", r"\2/\3/\1", text)


def test_configured_us_date_format_reads_us_dates(folder: Path, valid: SalesData) -> None:
    for name, text in VALID_FILES.items():
        (folder / name).write_text(_to_us_days(text), encoding="utf-8")
    assert "02/15/2024" in (folder / "opportunities.csv").read_text()  # day 15 > 12: month and day not swappable
    data = load_data(folder, _us_config())
    assert data.quality.problems == [], data.quality.render()
    for attr, columns in DATE_COLUMNS.items():
        for column in columns:
            got = getattr(data, attr)[column]
            want = getattr(valid, attr)[column].dt.normalize()
            pd.testing.assert_series_equal(got, want, check_dtype=False)


def test_iso_dates_are_still_read_under_a_us_date_format(folder: Path, valid: SalesData) -> None:
    # Tables written by other tools (reps, quotas) keep ISO dates while a CRM export uses its own format.
    data = load_data(folder, _us_config())
    pd.testing.assert_series_equal(data.opportunities["created_date"], valid.opportunities["created_date"])


def test_dates_in_neither_the_configured_format_nor_iso_are_errors(folder: Path) -> None:
    edit(folder, "opportunities.csv", "R1,2024-01-05,", "R1,5.1.2024,")
    exc = load_error(folder, _us_config())
    problem = only_problem(exc.log.errors, "opportunities.csv", "created_date", "cannot read the value as a date")
    assert problem.count == 1
    assert_mentions(str(exc), "opportunities.csv", "column 'created_date'", "%m/%d/%Y")
    assert_example_row(str(exc), 2, "O1", "5.1.2024")


# --------------------------------------------------------------------------------------------------------------------
# Which files: missing, doubled, Parquet
# --------------------------------------------------------------------------------------------------------------------


def test_missing_opportunities_file_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    (folder / "opportunities.csv").unlink()
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "opportunities.csv", None, "file not found")
    assert_mentions(str(exc), "opportunities.csv", "opportunities.parquet", "file not found")


def test_missing_data_folder_is_an_error(tmp_path: Path, config: WorkbookConfig) -> None:
    exc = load_error(tmp_path / "nowhere", config)
    assert_mentions(str(exc), "nowhere", "data folder not found")


def test_csv_and_parquet_of_the_same_table_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    pd.read_csv(folder / "opportunities.csv", dtype=str).to_parquet(folder / "opportunities.parquet")
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "opportunities.csv", None, "keep only one")
    assert_mentions(str(exc), "opportunities.csv", "opportunities.parquet")


def _csv_to_parquet(folder: Path, typed: bool) -> None:
    """Replace every CSV of the fixture by a Parquet file of the same table."""
    for path in sorted(folder.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
        if typed:
            for column in frame.columns:
                if column.endswith(("_date", "_at", "_start")):
                    frame[column] = pd.to_datetime(frame[column])
                elif column in {"amount", "quota"}:
                    frame[column] = frame[column].astype("float64")
        frame.to_parquet(path.with_suffix(".parquet"), index=False)
        path.unlink()


@pytest.mark.parametrize("typed", [False, True], ids=["text-columns", "typed-columns"])
def test_parquet_fixture_loads_like_the_csv_fixture(
    folder: Path, config: WorkbookConfig, valid: SalesData, typed: bool
) -> None:
    _csv_to_parquet(folder, typed)
    assert sorted(p.suffix for p in folder.iterdir()) == [".parquet"] * 5
    data = load_data(folder, config)
    assert data.quality.problems == [], data.quality.render()
    assert {attr: len(getattr(data, attr)) for attr in TABLE_ATTRS} == ROW_COUNTS
    for attr in TABLE_ATTRS:
        got, want = getattr(data, attr), getattr(valid, attr)
        assert list(got.columns) == list(want.columns)
        assert got.dtypes.astype(str).to_dict() == want.dtypes.astype(str).to_dict(), attr
        pd.testing.assert_frame_equal(got, want)
    assert all(path.suffix == ".parquet" for path in data.files.values())


def test_parquet_row_numbers_count_the_first_row_as_1(folder: Path, config: WorkbookConfig) -> None:
    _csv_to_parquet(folder, typed=False)
    frame = pd.read_parquet(folder / "opportunities.parquet")
    frame.loc[frame["opportunity_id"] == "O4", "amount"] = "-400"  # fourth row of the table
    frame.to_parquet(folder / "opportunities.parquet", index=False)
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.parquet", "amount", "negative amount")
    assert list(problem.examples["row"]) == [4]
    assert_example_row(str(exc), 4, "O4", "-400")


# --------------------------------------------------------------------------------------------------------------------
# 11. Input files are never modified
# --------------------------------------------------------------------------------------------------------------------


def _break_nothing(folder: Path) -> None:
    pass


def _repairable(folder: Path) -> None:
    edit(folder, "opportunities.csv", "R3,2024-03-10,2024-07-01", "R3,2024-08-10,2024-07-01")
    edit(folder, "opportunities.csv", "2024-04-15,Closed Won,", "2024-04-15,closed won ,")
    append(folder, "opportunities.csv", OPPORTUNITIES_CSV.splitlines()[3])
    append(folder, "opportunity_history.csv", "O99,2024-01-01T00:00:00,Prospecting,1,2024-02-01")


def _fatal(folder: Path) -> None:
    edit(folder, "opportunities.csv", "R1,2024-01-10,", "R1,31/02/2024x,")
    (folder / "reps.csv").write_bytes(REPS_CSV.replace("Bob Ray", "Bob Müller").encode("latin-1"))


def _bom_crlf(folder: Path) -> None:
    for name, text in VALID_FILES.items():
        (folder / name).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


@pytest.mark.parametrize(
    ("prepare", "fails"),
    [(_break_nothing, False), (_repairable, False), (_bom_crlf, False), (_fatal, True)],
    ids=["valid", "repaired-in-memory", "bom-crlf", "failing"],
)
def test_input_files_are_never_modified(folder: Path, config: WorkbookConfig, prepare, fails: bool) -> None:
    prepare(folder)
    before = sha256_of_folder(folder)
    if fails:
        load_error(folder, config)
    else:
        data = load_data(folder, config)
        assert data.quality.errors == []
    assert sha256_of_folder(folder) == before
    assert sorted(p.name for p in folder.iterdir()) == sorted(before)  # no file added either


def test_parquet_input_files_are_never_modified(folder: Path, config: WorkbookConfig) -> None:
    _csv_to_parquet(folder, typed=True)
    before = sha256_of_folder(folder)
    load_data(folder, config)
    assert sha256_of_folder(folder) == before


# --------------------------------------------------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------------------------------------------------


def test_cli_check_of_a_valid_folder_returns_0(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--data", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "usable" in out
    assert "opportunities.csv" in out
    assert "0 warnings" in out
    assert err == ""


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("opportunities.csv", "R1,2024-01-10,", "R1,31/02/2024x,", "31/02/2024x"),
        ("opportunities.csv", ",Negotiation,", ",Negotiating,", "Negotiating"),
        ("quotas.csv", "R2,2024-01-01,4000", "R2,2024-01-01,-4000", "negative amount"),
        ("reps.csv", "rep_id,name,", "rep,name,", "rep_id"),
    ],
    ids=["bad-date", "unknown-stage", "negative-quota", "missing-column"],
)
def test_cli_check_of_a_broken_folder_returns_1(
    folder: Path, capsys: pytest.CaptureFixture[str], name: str, old: str, new: str, expected: str
) -> None:
    edit(folder, name, old, new)
    assert main(["check", "--data", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert name in err
    assert expected in err
    assert "Traceback" not in err
    assert "usable" not in out


def test_cli_check_of_a_non_utf8_folder_returns_1(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (folder / "reps.csv").write_bytes(REPS_CSV.replace("Bob Ray", "Bob Müller").encode("latin-1"))
    assert main(["check", "--data", str(folder)]) == 1
    err = capsys.readouterr().err
    assert_mentions(err, "reps.csv", "line 3")
    assert "Traceback" not in err


# --------------------------------------------------------------------------------------------------------------------
# Edge cases that once broke the loader.
# --------------------------------------------------------------------------------------------------------------------


def test_rep_without_team_next_to_a_rep_in_team_unassigned(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "reps.csv", "R2,Bob Ray,SMB,", "R2,Bob Ray,,")
    edit(folder, "reps.csv", "R3,Cy Doe,SMB,", "R3,Cy Doe,Unassigned,")
    data = load_data(folder, config)
    assert data.reps.set_index("rep_id")["team"].to_dict() == {
        "R1": "Enterprise",
        "R2": "Unassigned",
        "R3": "Unassigned",
    }
    only_problem(data.quality.warnings, "reps.csv", "team", "rep without a team")


def test_activity_without_type_next_to_an_activity_of_type_other(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "activities.csv", ",Email,", ",Other,")
    edit(folder, "activities.csv", ",Meeting,", ",,")
    data = load_data(folder, config)
    assert data.activities["type"].tolist() == ["Call", "Other", "Other"]
    only_problem(data.quality.warnings, "activities.csv", "type", "activity without a type")


def test_unreadable_date_is_not_also_reported_as_empty(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "R1,2024-01-10,", "R1,31/02/2024x,")
    exc = load_error(folder, config)
    assert [p.column for p in exc.log.errors] == ["created_date"]
    assert "empty" not in str(exc)


def test_unreadable_close_date_is_not_also_reported_as_missing(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "R1,2024-01-05,2024-02-10,", "R1,2024-01-05,2024-13-10,")
    exc = load_error(folder, config)
    assert len(exc.log.errors) == 1
    assert "without a close date" not in str(exc)


def test_row_numbers_stay_right_after_a_blank_line(folder: Path, config: WorkbookConfig) -> None:
    lines = OPPORTUNITIES_CSV.splitlines()
    lines.insert(2, "")  # file line 3 is blank; O2 moves to line 4, O3 to line 5, O4 to line 6
    (folder / "opportunities.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    edit(folder, "opportunities.csv", ",400,", ",-400,")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "amount", "negative amount")
    assert list(problem.examples["row"]) == [6]


def test_parquet_categorical_stage_with_space_variants(folder: Path, config: WorkbookConfig) -> None:
    opps = pd.read_csv(folder / "opportunities.csv", dtype=str)
    opps.loc[opps["opportunity_id"] == "O6", "stage"] = "Proposal "
    opps["stage"] = opps["stage"].astype("category")
    assert {"Proposal", "Proposal "} <= set(opps["stage"].cat.categories)
    (folder / "opportunities.csv").unlink()
    opps.to_parquet(folder / "opportunities.parquet", index=False)
    data = load_data(folder, config)
    assert data.opportunities.set_index("opportunity_id").loc["O6", "stage"] == "Proposal"


def test_us_date_format_reads_times_of_day_too(folder: Path, valid: SalesData) -> None:
    for name, text in VALID_FILES.items():
        us = re.sub(r"(\d{4})-(\d\d)-(\d\d)T(\d\d:\d\d):\d\d", r"\2/\3/\1 \4", text)
        (folder / name).write_text(_to_us_days(us), encoding="utf-8")
    assert "01/05/2024 09:00" in (folder / "opportunity_history.csv").read_text()
    data = load_data(folder, _us_config())
    pd.testing.assert_series_equal(data.history["changed_at"], valid.history["changed_at"])


def test_every_row_with_an_extra_field_is_an_error_not_a_silent_column_shift(
    folder: Path, config: WorkbookConfig
) -> None:
    # When every data row has one field more than the header, pandas would quietly use the first column as the
    # index and shift all values one column to the left; the loader must refuse instead.
    text = (folder / "opportunities.csv").read_text(encoding="utf-8").splitlines()
    shifted = [text[0]] + [line + ",extra" for line in text[1:]]
    (folder / "opportunities.csv").write_text("\n".join(shifted) + "\n", encoding="utf-8")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", None, "do not have the header's 10 fields")
    assert problem.count == 6 and list(problem.examples["row"]) == [2, 3, 4, 5, 6]


# --------------------------------------------------------------------------------------------------------------------
# Found by reviewing the loader against real exports
# --------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9999-12-31", "0024-06-27"])
def test_dates_outside_a_plausible_range_are_errors_not_crashes(folder: Path, config: WorkbookConfig, value) -> None:
    edit(folder, "opportunities.csv", "2024-03-01,Closed Lost", f"{value},Closed Lost")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "close_date", "outside the years 1900 to 2199")
    assert list(problem.examples["row"]) == [3]


def test_out_of_range_date_in_parquet_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    opps = pd.read_csv(folder / "opportunities.csv", dtype=str)
    opps["close_date"] = pd.to_datetime(opps["close_date"]).astype("datetime64[us]")
    opps.loc[0, "close_date"] = pd.Timestamp("9999-12-31").as_unit("us")
    (folder / "opportunities.csv").unlink()
    opps.to_parquet(folder / "opportunities.parquet", index=False)
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.parquet", "close_date", "outside the years")
    assert list(problem.examples["row"]) == [1]


def test_partial_iso_dates_are_errors(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "R1,2024-01-05,", "R1,2024,")
    edit(folder, "opportunities.csv", "R2,2024-02-01,", "R2,2024-02,")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "created_date", "cannot read the value as a date")
    assert problem.count == 2


def test_a_time_zone_does_not_move_a_close_date_to_another_day(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", "2024-05-01,Proposal", "2024-05-01T00:00:00+02:00,Proposal")
    data = load_data(folder, config)
    assert data.opportunities.set_index("opportunity_id").loc["O3", "close_date"] == pd.Timestamp("2024-05-01")


def test_most_owners_unknown_is_an_error_that_spots_names_in_place_of_ids(folder: Path, config: WorkbookConfig):
    text = (folder / "opportunities.csv").read_text(encoding="utf-8")
    names = dict(line.split(",")[:2] for line in REPS_CSV.splitlines()[1:])
    for rep_id, name in names.items():
        text = text.replace(f",{rep_id},", f",{name},")
    (folder / "opportunities.csv").write_text(text, encoding="utf-8")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "owner_id", "not in reps, for most rows")
    assert_mentions(problem.message, "it holds names: it must hold the ids of reps")


def test_history_with_ids_in_another_form_is_an_error(folder: Path, config: WorkbookConfig) -> None:
    # Salesforce reports 15-character ids where the API gives 18: no history row then matches a deal.
    text = HISTORY_CSV.replace("\nO", "\n0060000O")
    (folder / "opportunity_history.csv").write_text(text, encoding="utf-8")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunity_history.csv", "opportunity_id", "for most rows")
    assert_mentions(problem.message, "same ids as opportunities, in the same form")


def test_history_without_amount_column_loads(folder: Path, config: WorkbookConfig) -> None:
    text = "\n".join(",".join(line.split(",")[:3]) for line in HISTORY_CSV.splitlines()) + "\n"
    (folder / "opportunity_history.csv").write_text(text, encoding="utf-8")
    data = load_data(folder, config)
    assert data.history["amount"].isna().all() and data.history["amount"].dtype == "float64"
    assert data.history["close_date"].dtype == "datetime64[ns]"


def test_reps_with_only_required_columns_pass_the_check(folder: Path, capsys) -> None:
    (folder / "reps.csv").write_text("rep_id,name,team\nR1,Ann Lee,Enterprise\nR2,Bob Ray,SMB\nR3,Cy Doe,SMB\n")
    assert main(["check", "--data", str(folder)]) == 0
    assert "reps.csv" in capsys.readouterr().out


def test_closed_deal_dated_after_today_is_a_warning_and_does_not_move_as_of(folder: Path, config: WorkbookConfig):
    edit(folder, "opportunities.csv", "2024-03-01,Closed Lost", "2032-06-27,Closed Lost")
    data = load_data(folder, config)
    only_problem(data.quality.warnings, "opportunities.csv", "close_date", "close date after the data's day")
    assert data.as_of == pd.Timestamp("2024-04-15")  # the six-deal company's own day, O5's close


def test_activity_for_unknown_deal_is_kept_without_a_deal(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "activities.csv", ",Call,O1", ",Call,O99")
    data = load_data(folder, config)
    only_problem(data.quality.warnings, "activities.csv", "opportunity_id", "not in opportunities")
    activity = data.activities.set_index("activity_id").loc["A1"]
    assert pd.isna(activity["opportunity_id"])


def test_flat_quotas_work_when_no_deal_has_a_close_date(folder: Path) -> None:
    text = OPPORTUNITIES_CSV.splitlines()
    open_only = [text[0]] + [line for line in text[1:] if "Closed" not in line]
    no_close = [re.sub(r"^(([^,]*,){5})[^,]*", r"\1", line) for line in open_only[1:]]  # empty close_date
    (folder / "opportunities.csv").write_text("\n".join([open_only[0], *no_close]) + "\n")
    for name in ("opportunity_history.csv", "activities.csv"):  # they refer to the closed deals left out above
        (folder / name).unlink()
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    raw["quotas"] = {"source": "flat", "monthly_per_rep": 1000}
    data = load_data(folder, parse_config(raw))
    assert data.opportunities["close_date"].isna().all()
    assert set(data.quotas["rep_id"]) == {"R1", "R2", "R3"}  # every rep in reps, with or without open deals
    assert (data.quotas["quota"] == 1000).all()
    assert data.quotas["period_start"].dtype == "datetime64[ns]"


def test_columns_without_header_or_twice_unknown_are_ignored_not_fatal(folder: Path, config: WorkbookConfig) -> None:
    lines = (folder / "opportunities.csv").read_text(encoding="utf-8").splitlines()
    widened = [lines[0] + ",Description,Description,,"] + [line + ",a,b,," for line in lines[1:]]
    (folder / "opportunities.csv").write_text("\n".join(widened) + "\n", encoding="utf-8")
    data = load_data(folder, config)
    ignored = only_problem(data.quality.problems, "opportunities.csv", None, "columns ignored")
    assert_mentions(ignored.message, "Description", "(column 13, no header)", "(column 14, no header)")
    assert len(data.opportunities) == 6


def test_header_only_quotas_file_says_so(folder: Path, config: WorkbookConfig) -> None:
    (folder / "quotas.csv").write_text("rep_id,period_start,quota\n", encoding="utf-8")
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "quotas.csv", None, "header but no data rows")
    assert "file not found" not in str(exc)


def test_problems_in_several_files_are_reported_together(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "reps.csv", "rep_id,name,team", "rep_id,name,squad")
    edit(folder, "opportunities.csv", "R1,2024-01-05,", "R1,31/02/2024x,")
    (folder / "quotas.csv").unlink()
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "reps.csv", "team", "required column missing")
    only_problem(exc.log.errors, "opportunities.csv", "created_date", "cannot read the value as a date")
    only_problem(exc.log.errors, "quotas.csv", None, "file not found")


def test_a_byte_order_mark_means_utf8_whatever_the_configured_encoding(folder: Path) -> None:
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    raw["data"]["encoding"] = "cp1252"
    (folder / "reps.csv").write_bytes(codecs.BOM_UTF8 + REPS_CSV.replace("Bob", "Björn").encode("utf-8"))
    data = load_data(folder, parse_config(raw))
    assert "Björn Ray" in set(data.reps["name"])


def test_skipped_empty_rows_are_logged(folder: Path, config: WorkbookConfig) -> None:
    append(folder, "opportunities.csv", ",,,,,,,,,")
    append(folder, "opportunities.csv", "")
    data = load_data(folder, config)
    info = only_problem(data.quality.problems, "opportunities.csv", None, "rows with every cell empty")
    assert info.count == 2 and info.action == "skipped"  # the separators-only row and the blank line
    assert len(data.opportunities) == 6


def test_ignored_quotas_file_is_named_as_it_is(folder: Path) -> None:
    pd.read_csv(folder / "quotas.csv").to_parquet(folder / "quotas.parquet", index=False)
    (folder / "quotas.csv").unlink()
    raw = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    raw["quotas"] = {"source": "none"}
    data = load_data(folder, parse_config(raw))
    only_problem(data.quality.problems, "quotas.parquet", None, "ignored")
    assert data.quotas is None


def test_check_strict_refuses_data_with_warnings(folder: Path, capsys) -> None:
    edit(folder, "opportunities.csv", ",R3,2024-03-10,", ",R9,2024-03-10,")
    assert main(["check", "--data", str(folder)]) == 0
    capsys.readouterr()
    assert main(["check", "--data", str(folder), "--strict"]) == 1
    printed = capsys.readouterr()
    assert "--strict" in printed.err and "usable" not in printed.out


def test_an_internal_error_exits_3_with_one_line(monkeypatch, folder: Path, capsys) -> None:
    import salesops_helpers.data.loading as loading

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(loading, "load_data", broken)
    monkeypatch.delenv("SALESOPS_DEBUG", raising=False)
    assert main(["check", "--data", str(folder)]) == 3
    err = capsys.readouterr().err
    assert "internal error" in err and "boom" in err and "Traceback" not in err


def test_quality_log_is_a_table_a_notebook_can_show(folder: Path, config: WorkbookConfig) -> None:
    edit(folder, "opportunities.csv", ",R3,2024-03-10,", ",R9,2024-03-10,")
    log = load_data(folder, config).quality
    table = log.to_frame()
    assert list(table.columns) == ["severity", "table", "file", "column", "message", "count", "action"]
    row = table[table["column"] == "owner_id"].iloc[0]
    assert (row["severity"], row["file"], row["count"]) == ("warning", "opportunities.csv", 1)
    assert "R9" in log.render()


def test_check_says_which_analyses_an_absent_optional_table_rules_out(folder: Path, capsys) -> None:
    (folder / "opportunity_history.csv").unlink()
    assert main(["check", "--data", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Without opportunity_history, these analyses are unavailable: time in stage" in out
    assert "Without activities" not in out


def test_short_rows_are_errors_not_silently_padded(folder: Path, config: WorkbookConfig) -> None:
    # A line break inside an unquoted value, or an export cut short, leaves rows with fewer fields than the header.
    edit(
        folder,
        "opportunities.csv",
        "O4,Dune - Connectors,Dune,R2,2024-02-15,",
        "O4,Dune - Connectors\n,Dune,R2,2024-02-15,",
    )
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", None, "do not have the header's 10 fields")
    assert list(problem.examples["row"]) == [5, 6] and list(problem.examples["fields"]) == [2, 9]


def test_excel_sep_line_and_leading_blank_lines_are_understood(folder: Path, config: WorkbookConfig) -> None:
    text = (folder / "opportunities.csv").read_text(encoding="utf-8").replace(",", ";")
    (folder / "opportunities.csv").write_text("sep=;\n\n" + text, encoding="utf-8")
    edit(folder, "opportunities.csv", ";400;", ";-400;")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", "amount", "negative amount")
    assert list(problem.examples["row"]) == [7]  # two lines above the header push O4 from row 5 to row 7


def test_a_cut_off_character_at_the_end_is_named(folder: Path, config: WorkbookConfig) -> None:
    (folder / "reps.csv").write_bytes(REPS_CSV.encode("utf-8") + "R4,Zoë".encode()[:-1])
    exc = load_error(folder, config)
    only_problem(exc.log.errors, "reps.csv", None, "ends in the middle of a character")


def test_a_file_name_in_other_case_is_pointed_out(folder: Path, config: WorkbookConfig) -> None:
    (folder / "opportunities.csv").rename(folder / "Opportunities.csv")
    exc = load_error(folder, config)
    problem = only_problem(exc.log.errors, "opportunities.csv", None, "file not found")
    assert_mentions(problem.message, "found Opportunities.csv")


def test_check_whose_reader_went_away_keeps_its_verdict(folder: Path, monkeypatch) -> None:
    import salesops_helpers.cli.check as cli

    def reader_gone(*args, **kwargs):
        raise BrokenPipeError  # as when the output is piped into `head` and head has exited

    monkeypatch.setattr(cli, "_print_check", reader_gone)
    monkeypatch.setattr(sys, "stdout", sys.stdout)  # restored after the test
    assert main(["check", "--data", str(folder)]) == 0
    edit(folder, "opportunities.csv", ",R3,2024-03-10,", ",R9,2024-03-10,")
    assert main(["check", "--data", str(folder), "--strict"]) == 1


def test_demo_refuses_a_negative_seed(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--out", "unused", "--seed", "-1"])
    assert exit_info.value.code == 2
    assert "must be 0 or more" in capsys.readouterr().err


def test_a_skipped_optional_table_is_not_read(folder: Path, config: WorkbookConfig) -> None:
    (folder / "activities.csv").write_text("this is not,a valid\nactivities file", encoding="utf-8")
    data = load_data(folder, config, skip=("activities",))
    assert data.activities is None and "activities" not in data.files
    assert load_data(folder, config, skip=("reps", "activities")).reps is not None  # required tables are always read
