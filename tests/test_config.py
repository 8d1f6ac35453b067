"""The workbook configuration: the demo file is valid, mistakes are reported with their key path."""

import copy

import pytest
import yaml

from salesops_helpers.cli.main import main
from salesops_helpers.config import ConfigError, load_config, parse_config
from salesops_helpers.paths import DEFAULT_CONFIG


@pytest.fixture
def raw() -> dict:
    return yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))


def _error(raw: dict) -> str:
    with pytest.raises(ConfigError) as caught:
        parse_config(raw, source="workbook.yml")
    return str(caught.value)


def test_demo_configuration_is_valid_and_describes_the_demo_company():
    config = load_config(DEFAULT_CONFIG)
    assert config.company.name == "Northwind Analytics"
    assert config.company.fiscal_year_start_month == 2
    assert config.stage_names == [
        "Prospecting",
        "Qualification",
        "Discovery",
        "Proposal",
        "Negotiation",
        "Closed Won",
        "Closed Lost",
    ]
    assert config.open_stages == config.stage_names[:5]
    assert config.stage_outcome()["Closed Won"] == "won"
    assert config.stage_probability()["Negotiation"] == 0.7
    assert config.mission.goals and config.kpi_targets["bookings"].period == "fiscal_year"
    assert config.quotas.source == "file"


def test_probability_out_of_range_names_its_key_path(raw):
    raw["stages"][1]["probability"] = 1.5
    message = _error(raw)
    assert "workbook.yml" in message
    assert "stages[1].probability" in message and "1.5" in message


def test_misspelt_key_is_rejected_with_its_path(raw):
    raw["company"]["fiscal_year_start"] = 4
    assert "company.fiscal_year_start: unknown key" in _error(raw)


def test_missing_required_key_is_named(raw):
    del raw["company"]["name"]
    assert "company.name: required key is missing" in _error(raw)


def test_bad_outcome_and_currency_are_named(raw):
    raw["stages"][0]["outcome"] = "closed"
    raw["company"]["reporting_currency"] = "usd"
    message = _error(raw)
    assert "stages[0].outcome" in message and "'closed'" in message
    assert "company.reporting_currency" in message


def test_stages_must_be_unique_and_include_won_and_lost(raw):
    doubled = copy.deepcopy(raw)
    doubled["stages"].append(dict(doubled["stages"][0], name="prospecting"))
    assert "listed twice" in _error(doubled)
    no_won = copy.deepcopy(raw)
    no_won["stages"] = [s for s in no_won["stages"] if s["outcome"] != "won"]
    assert "outcome won" in _error(no_won)


def test_fiscal_month_and_flat_quotas_are_checked(raw):
    raw["company"]["fiscal_year_start_month"] = 13
    raw["quotas"] = {"source": "flat"}
    message = _error(raw)
    assert "company.fiscal_year_start_month" in message
    assert "monthly_per_rep" in message


def test_yaml_syntax_error_gives_the_line(tmp_path):
    path = tmp_path / "workbook.yml"
    path.write_text("company:\n  name: [unclosed\nstages: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+"):
        load_config(path)


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_config(tmp_path / "nope.yml")


def test_check_command_reports_a_bad_config_without_traceback(tmp_path, raw, capsys):
    raw["stages"][2]["probability"] = -0.2
    path = tmp_path / "workbook.yml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    assert main(["check", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert "stages[2].probability" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("pattern", ["%Q/%d", "hello", "%m/%Y"])
def test_unusable_date_pattern_is_rejected_with_its_path(raw, pattern):
    raw["data"]["date_format"] = pattern
    assert "data.date_format: not a date pattern" in _error(raw)


def test_unknown_encoding_is_rejected_with_its_path(raw):
    raw["data"]["encoding"] = "klingon-8"
    assert "data.encoding: unknown text encoding" in _error(raw)


def test_us_and_german_date_patterns_are_accepted(raw):
    for pattern in ("%m/%d/%Y", "%d.%m.%Y", "ISO"):
        raw["data"]["date_format"] = pattern
        assert parse_config(raw).data.date_format == pattern


def test_non_text_codec_is_not_an_encoding(raw):
    raw["data"]["encoding"] = "rot13"
    assert "data.encoding: unknown text encoding" in _error(raw)


def test_a_key_given_twice_is_an_error_with_its_line(tmp_path):
    text = DEFAULT_CONFIG.read_text(encoding="utf-8").replace("  source: file", "  source: file\n  source: none")
    path = tmp_path / "workbook.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"not valid YAML at line \d+.*'source' is given twice"):
        load_config(path)


def test_a_target_for_a_kpi_that_does_not_exist_is_named(raw):
    raw["kpi_targets"]["win_rate_count"] = {"target": 0.25, "period": "quarter"}
    message = _error(raw)
    assert "kpi_targets" in message and "unknown KPI 'win_rate_count'" in message and "win_rate" in message


def test_a_goal_measured_by_an_unknown_kpi_is_named_with_its_path(raw):
    raw["mission"]["goals"][1]["kpi"] = "winrate"
    assert "mission.goals[1].kpi: unknown KPI 'winrate'" in _error(raw)


def test_a_goal_without_a_period_is_named_with_its_path(raw):
    del raw["mission"]["goals"][0]["period"]
    assert "mission.goals[0].period: required key is missing" in _error(raw)


def test_a_goal_with_a_kpi_needs_a_target(raw):
    del raw["mission"]["goals"][2]["target"]
    message = _error(raw)
    assert "mission.goals[2]" in message and "needs both kpi and target" in message


def test_a_share_target_written_as_a_percentage_is_refused(raw):
    raw["kpi_targets"]["win_rate"] = {"target": 25, "period": "quarter"}
    message = _error(raw)
    assert "win_rate" in message and "write 0.25 for 25%" in message


def test_check_notes_goals_and_targets_that_need_quotas_when_there_are_none(tmp_path, capsys):

    path = tmp_path / "workbook.yml"
    path.write_text(DEFAULT_CONFIG.read_text(encoding="utf-8").replace("source: file", "source: none"), "utf-8")
    assert main(["check", "--config", str(path)]) == 0
    notes = [line for line in capsys.readouterr().out.splitlines() if line.startswith("NOTE:")]
    # the demo configuration targets coverage and attainment, and one goal is measured by coverage
    assert len(notes) == 3
    assert any("kpi_targets.attainment" in note for note in notes)
