"""Measures of the analyses (team review, process, forecasting) that are not period KPIs, listed in the glossary."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from salesops_helpers.metrics.catalogue import formula_of


@dataclass(frozen=True)
class Measure:
    """A named measure whose formula in words is the docstring of the function that computes it."""

    name: str
    compute: Callable[..., object]

    @property
    def formula(self) -> str:
        """The compute function's docstring, without its indentation."""
        return formula_of(self.compute)
