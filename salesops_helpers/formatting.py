"""Numbers as reports print them: currency with k/M abbreviations, percentages, counts and days."""

from __future__ import annotations

import math

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "C$", "AUD": "A$"}


def _missing(value: float | None) -> bool:
    """Whether a value is absent (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, currency: str = "USD", exact: bool = False) -> str:
    """An amount with its currency: $1.2M, $45k, $950, or exact with thousands separators ($1,234,567)."""
    if _missing(value):
        return "–"
    symbol = _SYMBOLS.get(currency)
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if exact:
        number = f"{size:,.0f}"
    elif size >= 999_500_000:
        number = f"{size / 1e9:.1f}B"
    elif size >= 999_500:
        number = f"{size / 1e6:.1f}M"
    elif size >= 10_000:
        number = f"{size / 1e3:.0f}k"
    elif size >= 1_000:
        number = f"{size / 1e3:.1f}k"
    else:
        number = f"{size:.0f}"
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


def percent(share: float | None, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage: 0.234 -> 23%."""
    if _missing(share):
        return "–"
    return f"{share * 100:.{digits}f}%"


def count(value: float | None) -> str:
    """A whole number with thousands separators: 5,993."""
    if _missing(value):
        return "–"
    return f"{value:,.0f}"


def days(value: float | None) -> str:
    """A number of days: 42 days, 1 day."""
    if _missing(value):
        return "–"
    return "1 day" if round(value) == 1 else f"{value:,.0f} days"


def ratio(value: float | None) -> str:
    """A multiple: 3.3x."""
    if _missing(value):
        return "–"
    return f"{value:.1f}x"


def by_unit(value: float | None, unit: str, currency: str = "USD") -> str:
    """A value formatted for its unit: currency, count, share, days, ratio or currency per day."""
    if unit == "currency":
        return money(value, currency)
    if unit == "currency_per_day":
        return "–" if _missing(value) else money(value, currency) + "/day"
    if unit == "share":
        return percent(value, 1)
    if unit == "days":
        return days(value)
    if unit == "ratio":
        return ratio(value)
    return count(value)
