"""The data-quality log: every problem found while loading, with file, column and example rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from salesops_helpers.errors import SalesopsError

Severity = Literal["error", "warning", "info"]
MAX_EXAMPLES = 5


@dataclass
class Problem:
    """One kind of problem in one file and column, with how many rows it touches and a few examples."""

    severity: Severity
    table: str
    file: str
    column: str | None
    message: str
    count: int = 0
    action: str = ""
    examples: pd.DataFrame = field(default_factory=pd.DataFrame)

    def render(self) -> str:
        """The problem as the few lines of text a user reads."""
        where = f"{self.file}, column '{self.column}'" if self.column else self.file
        head = f"{self.severity.upper()}: {where}: {self.message}"
        if self.action:
            head += f" -> {self.action}"
        if self.examples.empty:
            return head
        shown = self.examples.to_string(index=False, max_colwidth=40)
        label = "example rows" if self.count > len(self.examples) else "rows"
        return head + f"\n    {label}:\n" + "\n".join("      " + line for line in shown.splitlines())


@dataclass
class DataQualityLog:
    """All problems found while loading one data folder, in the order found."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        """Problems that make the data unusable."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that were repaired or worked around, and that reports should mention."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def has_errors(self) -> bool:
        """Whether any problem is fatal."""
        return bool(self.errors)

    def to_frame(self) -> pd.DataFrame:
        """One row per problem, for a notebook to show."""
        columns = ["severity", "table", "file", "column", "message", "count", "action"]
        rows = [{c: getattr(p, c) for c in columns} for p in self.problems]
        return pd.DataFrame(rows, columns=columns)

    def render(self, severities: tuple[Severity, ...] = ("error", "warning", "info")) -> str:
        """All problems of the given severities as text."""
        return "\n".join(p.render() for p in self.problems if p.severity in severities)


class DataValidationError(SalesopsError):
    """The data cannot be used; the log holds every fatal problem with its examples."""

    def __init__(self, log: DataQualityLog, folder: str = "") -> None:
        self.log = log
        self.folder = folder
        super().__init__(self.render())

    def render(self) -> str:
        """The message a user reads: what is wrong, where, and example rows."""
        errors = self.log.errors
        where = f" in {self.folder}" if self.folder else ""
        noun = "problem" if len(errors) == 1 else "problems"
        return f"The data{where} cannot be used: {len(errors)} {noun}.\n" + self.log.render(("error",))
