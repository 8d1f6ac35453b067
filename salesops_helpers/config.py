"""Workbook configuration (config/workbook.yml): how the user's sales organisation works."""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from salesops_helpers.errors import SalesopsError

Outcome = Literal["open", "won", "lost"]
PeriodKind = Literal["month", "quarter", "fiscal_year"]
NonEmpty = Annotated[str, Field(min_length=1)]


class ConfigError(SalesopsError):
    """The configuration file is missing or invalid; the message names the file and the key path."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Company(_Strict):
    """Who the workbook reports for and how its calendar runs."""

    name: NonEmpty
    reporting_currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    fiscal_year_start_month: Annotated[int, Field(ge=1, le=12)] = 1
    # Salesforce lets a company name its fiscal year after the calendar year it starts or ends in.
    fiscal_year_named_by: Literal["start", "end"] = "end"
    # A CSV in the data folder (currency, rate_date, rate) that converts other currencies to the reporting one.
    exchange_rates: NonEmpty | None = None


def _known_kpi(key: str) -> str:
    """A KPI key that the metric layer defines (imported here lazily: the metric layer builds on this module)."""
    from salesops_helpers.metrics.catalogue import METRICS_BY_KEY

    if key not in METRICS_BY_KEY:
        raise ValueError(f"unknown KPI {key!r}; the KPIs are {', '.join(METRICS_BY_KEY)} (see docs/metrics.md)")
    return key


def _sensible_target(key: str, target: float) -> None:
    """A share target (win rate, attainment) is written as a fraction: 0.25 for 25%."""
    from salesops_helpers.metrics.catalogue import METRICS_BY_KEY

    if METRICS_BY_KEY[key].unit == "share" and not 0 <= target <= 1.5:
        raise ValueError(f"target {target} for {key} is a share: write 0.25 for 25%")


class Goal(_Strict):
    """One goal of the sales mission over a period, measured by a KPI against a target when both are given."""

    name: NonEmpty
    period: PeriodKind
    kpi: str | None = None
    target: float | None = None

    @field_validator("kpi")
    @classmethod
    def _kpi_exists(cls, value: str | None) -> str | None:
        return None if value is None else _known_kpi(value)

    @model_validator(mode="after")
    def _kpi_and_target_together(self) -> Goal:
        if (self.kpi is None) != (self.target is None):
            raise ValueError("a goal measured by a KPI needs both kpi and target")
        if self.kpi is not None and self.target is not None:
            _sensible_target(self.kpi, self.target)
        return self


class Mission(_Strict):
    """The sales mission statement and the goals that make it measurable."""

    statement: NonEmpty
    goals: list[Goal] = Field(default_factory=list)


class Stage(_Strict):
    """One stage of the sales process, in order."""

    name: NonEmpty
    probability: Annotated[float, Field(ge=0, le=1)]
    outcome: Outcome
    forecast_category: NonEmpty

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        if value != value.strip():
            raise ValueError(f"stage name {value!r} has leading or trailing spaces")
        return value


class KpiTarget(_Strict):
    """Target of one KPI for a kind of period."""

    target: float
    period: PeriodKind = "month"


class Quotas(_Strict):
    """Where quotas come from: the quotas table, one flat monthly amount per rep, or nowhere."""

    source: Literal["file", "flat", "none"] = "file"
    monthly_per_rep: Annotated[float, Field(gt=0)] | None = None

    @model_validator(mode="after")
    def _flat_needs_amount(self) -> Quotas:
        if self.source == "flat" and self.monthly_per_rep is None:
            raise ValueError("source 'flat' needs monthly_per_rep (the monthly quota of each rep)")
        return self


class Funnel(_Strict):
    """Which lead sources are the sales team's and partners' own; every other known source is marketing's."""

    # Compared ignoring case and surrounding spaces.
    sales_sources: list[str] = Field(
        default_factory=lambda: [
            "Outbound",
            "Prospecting",
            "Cold Call",
            "Cold Email",
            "Sales Generated",
            "Self-Sourced",
            "SDR",
        ]
    )
    partner_sources: list[str] = Field(default_factory=lambda: ["Partner", "Partner Referral", "Channel", "Reseller"])

    def sourced_by(self, source: str | None) -> str:
        """Who sourced a lead or deal of this source: marketing, sales, partner, or unknown (no source)."""
        if source is None or not str(source).strip() or str(source).strip().casefold() in {"unknown", "(not set)"}:
            return "unknown"
        key = str(source).strip().casefold()
        if key in {s.strip().casefold() for s in self.sales_sources}:
            return "sales"
        if key in {s.strip().casefold() for s in self.partner_sources}:
            return "partner"
        return "marketing"


class DataFormat(_Strict):
    """How the data files are written."""

    # "ISO" accepts 2026-10-31, 2026-10-31 14:05 and 2026-10-31T14:05:00Z; anything else is a strftime pattern.
    date_format: NonEmpty = "ISO"
    encoding: NonEmpty = "utf-8"

    @field_validator("date_format")
    @classmethod
    def _usable_pattern(cls, value: str) -> str:
        if value.upper() == "ISO":
            return value
        sample = datetime(2026, 1, 31)
        try:
            usable = datetime.strptime(sample.strftime(value), value).date() == sample.date()
        except ValueError:
            usable = False
        if not usable:
            raise ValueError("not a date pattern that gives year, month and day (examples: ISO, %m/%d/%Y, %d.%m.%Y)")
        return value

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            text_encoding = codecs.lookup(value)._is_text_encoding
        except LookupError:
            text_encoding = False
        if not text_encoding:
            raise ValueError("unknown text encoding (examples: utf-8, cp1252, latin-1)")
        return value


class WorkbookConfig(_Strict):
    """The whole workbook configuration."""

    company: Company
    mission: Mission
    stages: Annotated[list[Stage], Field(min_length=2)]
    kpi_targets: dict[str, KpiTarget] = Field(default_factory=dict)
    quotas: Quotas = Field(default_factory=Quotas)
    data: DataFormat = Field(default_factory=DataFormat)
    funnel: Funnel = Field(default_factory=Funnel)

    @field_validator("kpi_targets")
    @classmethod
    def _targets_name_kpis(cls, value: dict[str, KpiTarget]) -> dict[str, KpiTarget]:
        for key, target in value.items():
            try:
                _known_kpi(key)
                _sensible_target(key, target.target)
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _stages_make_a_process(self) -> WorkbookConfig:
        seen: dict[str, str] = {}
        for stage in self.stages:
            key = stage.name.casefold()
            if key in seen:
                raise ValueError(f"stage {stage.name!r} is listed twice (names are compared ignoring case)")
            seen[key] = stage.name
        outcomes = {stage.outcome for stage in self.stages}
        missing = [o for o in ("open", "won", "lost") if o not in outcomes]
        if missing:
            raise ValueError(f"stages need at least one stage with outcome {' and '.join(missing)}")
        return self

    @property
    def stage_names(self) -> list[str]:
        """Stage names in process order."""
        return [stage.name for stage in self.stages]

    @property
    def open_stages(self) -> list[str]:
        """Names of the stages in which a deal is still open, in order."""
        return [stage.name for stage in self.stages if stage.outcome == "open"]

    def stage_outcome(self) -> dict[str, str]:
        """Map of stage name to its outcome (open, won or lost)."""
        return {stage.name: stage.outcome for stage in self.stages}

    def stage_probability(self) -> dict[str, float]:
        """Map of stage name to its configured default probability."""
        return {stage.name: stage.probability for stage in self.stages}


def _key_path(location: tuple[Any, ...]) -> str:
    """Turn pydantic's error location into a YAML key path such as stages[2].probability."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part in {"function-after", "function-before"} or str(part).startswith("function-"):
            continue
        else:
            path += f".{part}" if path else str(part)
    return path or "(top level)"


MOST_SHOWN = 80  # characters of a bad value an error message repeats


def _shown_value(value: object) -> str:
    """A value as an error message repeats it: a URL's password hidden, long text cut short."""
    text = re.sub(r"(://[^:/@\s]+):[^@\s]*@", r"\1:***@", repr(value))
    return text if len(text) <= MOST_SHOWN else text[: MOST_SHOWN - 1] + "…"


def _describe(error: Mapping[str, Any], example: str) -> str:
    """One readable line for one pydantic error."""
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = f"unknown key (check its spelling; see the commented example {example})"
    elif error["type"] == "missing":
        message = "required key is missing"
    elif (
        "input" in error
        and not isinstance(error["input"], dict | list)
        and error["type"]
        not in {
            "model_type",
            "dict_type",
            "list_type",
        }
    ):
        # only a single value is repeated, never a whole section (which may hold a database password)
        message += f" (got {_shown_value(error['input'])})"
    return f"  {_key_path(error['loc'])}: {message}"


def parse_config(raw: Any, source: str = "configuration") -> WorkbookConfig:
    """Validate an already-parsed YAML document into a WorkbookConfig."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a mapping of keys (company, mission, stages, ...), got {raw!r}")
    try:
        return WorkbookConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(describe_errors(exc, source)) from None


def describe_errors(exc: ValidationError, source: str, example: str = "config/workbook.yml") -> str:
    """A validation error as one line per problem, each with its key path."""
    return f"{source} is not valid:\n" + "\n".join(_describe(error, example) for error in exc.errors())


QUOTA_KPIS = ("quota", "attainment", "coverage", "reps_at_quota")


def unreachable_targets(config: WorkbookConfig) -> list[str]:
    """Goals and KPI targets the data can never measure as configured (quota KPIs when quotas.source is none)."""
    if config.quotas.source != "none":
        return []
    found = [f"kpi_targets.{key}" for key in config.kpi_targets if key in QUOTA_KPIS]
    found += [
        f"mission.goals[{i}] ({goal.name})" for i, goal in enumerate(config.mission.goals) if goal.kpi in QUOTA_KPIS
    ]
    return found


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice in one mapping (plain YAML keeps the last one silently)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_config(path: str | Path) -> WorkbookConfig:
    """Read and validate the workbook configuration from a YAML file."""
    return parse_config(read_yaml(path, "configuration"), source=str(path))


def read_yaml(path: str | Path, what: str) -> Any:
    """A YAML file's document, or a ConfigError naming the file and where it cannot be read (`what` names it)."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"{path}: {what} file not found")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}: not valid YAML{where}: {problem}") from None
    return raw
