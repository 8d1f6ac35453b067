"""Every error a user can see derives from one base class, so callers tell a user's mistake from a bug."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import salesops_helpers
from salesops_helpers.errors import PeriodError, SalesopsError


def package_errors() -> dict[str, type[BaseException]]:
    """Every exception class the package defines, by its qualified name."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(salesops_helpers.__path__, "salesops_helpers."):
        if info.name.endswith(".__main__"):  # importing it runs the command line; it defines nothing
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == info.name:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_error_the_package_defines_derives_from_salesops_error():
    errors = package_errors()
    assert len(errors) >= 10, sorted(errors)  # configuration, data, metric, period, notebook, batch, forecast ...
    strays = [name for name, error in errors.items() if not issubclass(error, SalesopsError)]
    assert not strays, f"errors a user can see that do not derive from SalesopsError: {strays}"


def test_there_is_one_period_error_and_both_calendar_modules_raise_it():
    from salesops_helpers.calendar import fiscal, periods

    periods_named = [name for name in package_errors() if name.rsplit(".", 1)[1] == "PeriodError"]
    assert periods_named == ["salesops_helpers.errors.PeriodError"]
    assert fiscal.PeriodError is PeriodError and periods.PeriodError is PeriodError
    try:
        periods.parse_period("October")
    except SalesopsError as raised:
        assert isinstance(raised, PeriodError) and isinstance(raised, ValueError)
    else:
        raise AssertionError("parse_period accepted 'October'")
