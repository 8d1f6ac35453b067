"""Numbers as reports print them: currency with k/M abbreviations, percentages, counts and days."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # figures as text need no pandas at run time
    import pandas as pd

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "C$", "AUD": "A$"}


def _fixed(value: float, digits: int, separators: bool = False) -> str:
    """A number rounded half away from zero, as readers expect ($12,500 is $13k), not to the even neighbour."""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return f"{rounded:,f}" if separators else f"{rounded:f}"


def _missing(value: float | None) -> bool:
    """Whether a value is absent (None or NaN)."""
    return _number(value) is None


def _number(value: float | None) -> float | None:
    """The value as a float, or None when it is absent (None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def money(value: float | None, currency: str = "USD", exact: bool = False) -> str:
    """An amount with its currency: $1.2M, $45k, $950, or exact with thousands separators ($1,234,567)."""
    value = _number(value)
    if value is None:
        return "–"
    symbol = _SYMBOLS.get(currency)
    sign = "-" if value < 0 else ""
    size = abs(float(value))
    if exact:
        number = _fixed(size, 0, separators=True)
    elif size >= 999_500_000:
        number = _fixed(size / 1e9, 1) + "B"
    elif size >= 999_500:
        number = _fixed(size / 1e6, 1) + "M"
    elif size >= 9_999.5:
        number = _fixed(size / 1e3, 0) + "k"
    elif size >= 999.5:
        number = _fixed(size / 1e3, 1) + "k"
    else:
        number = _fixed(size, 0)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


def percent(share: float | None, digits: int = 0) -> str:
    """A share between 0 and 1 as a percentage: 0.234 -> 23%."""
    share = _number(share)
    if share is None:
        return "–"
    return f"{_fixed(share * 100, digits)}%"


def count(value: float | None) -> str:
    """A whole number with thousands separators: 5,993."""
    value = _number(value)
    if value is None:
        return "–"
    return _fixed(value, 0, separators=True)


def days(value: float | None) -> str:
    """A number of days: 42 days, 1 day."""
    value = _number(value)
    if value is None:
        return "–"
    return "1 day" if round(value) == 1 else f"{value:,.0f} days"


def hours(value: float | None) -> str:
    """A duration in hours: 45 min under an hour, 3.5 hours under two days, 4.2 days beyond."""
    value = _number(value)
    if value is None:
        return "–"
    if value < 1:
        return f"{value * 60:.0f} min"
    if value < 48:
        return "1 hour" if round(value, 1) == 1 else f"{value:.1f} hours"
    return f"{value / 24:.1f} days"


def ratio(value: float | None) -> str:
    """A multiple: 3.3x."""
    value = _number(value)
    if value is None:
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
    if unit == "hours":
        return hours(value)
    if unit == "ratio":
        return ratio(value)
    if unit == "reps":
        return "–" if _missing(value) else f"{value:,.1f}"
    return count(value)


def change(value: float | None, unit: str, currency: str = "USD") -> str:
    """A difference in a KPI's unit, signed: +$12k, -2.1 pts, +3 days."""
    value = _number(value)
    if value is None:
        return "–"
    if abs(value) < 1e-9:
        return "±0"
    sign = "+" if value > 0 else "-"
    if unit == "share":
        return f"{sign}{abs(value) * 100:.1f} pts"
    return sign + by_unit(abs(value), unit, currency)


def rows_by_unit(
    frame: pd.DataFrame, columns: list[str], currency: str = "USD", changes: tuple[str, ...] = ()
) -> pd.DataFrame:
    """A copy of a table whose listed columns are text, each row formatted in the unit its `unit` column names."""
    shown = frame.copy()
    for column in columns:
        shown[column] = [
            change(value, unit, currency) if column in changes else by_unit(value, unit, currency)
            for value, unit in zip(frame[column], frame["unit"], strict=True)
        ]
    return shown


def plural(number: int, noun: str, plural_noun: str = "") -> str:
    """A count with its noun, singular for one: '1 deal', '2 deals', '3 opportunities' (given the plural)."""
    return f"{count(number)} {noun if number == 1 else plural_noun or noun + 's'}"


# The most names a sentence lists; beyond, it names these and says how many more there are.
MOST_NAMES = 8


def names(items: Iterable[object], most: int = MOST_NAMES) -> str:
    """Names for a sentence, comma-separated, at most `most` of them and then how many more: 'Ana, Ben and 12 more'."""
    listed = [str(item) for item in items]
    if len(listed) <= most:
        return ", ".join(listed)
    return f"{', '.join(listed[:most])} and {count(len(listed) - most)} more"


def listed(items: Iterable[object], most: int = MOST_NAMES) -> str:
    """Names in prose, the last after 'and' ('Ana, Ben and Cy'), at most `most` of them and then how many more."""
    shown = [str(item) for item in items]
    if len(shown) > most:
        return names(shown, most)
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def month_name(period: str, full: bool = False) -> str:
    """A month written YYYY-MM as readers write it (2026-09 -> Sep 2026, or September 2026 in full); anything else
    as it is."""
    try:
        return datetime.strptime(str(period), "%Y-%m").strftime("%B %Y" if full else "%b %Y")
    except ValueError:
        return str(period)


def signed_percent(share: float) -> str:
    """A relative change with its sign: +18%, −50% (a true minus sign, as in running text)."""
    return f"{'+' if share > 0 else '−'}{percent(abs(share))}"


def day_name(day: date) -> str:
    """A day as readers write it: 31 Oct 2026 (no leading zero); a pandas Timestamp is a date too."""
    return f"{day.day} {day:%b %Y}"
