"""Sparklines: a figure's monthly values as a small inline SVG line that needs no script, font or network."""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup

from salesops_helpers.batch.templates import ENVIRONMENT
from salesops_helpers.formatting import month_name

WIDTH, HEIGHT, PAD = 150, 34, 3


def _number(value: object) -> float | None:
    """A trend value as a float, or None when it is missing, not a number or not finite."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def sparkline_points(
    values: Sequence[object], width: float = WIDTH, height: float = HEIGHT, pad: float = PAD
) -> list[tuple[float, float] | None]:
    """Each value's (x, y) in the box, evenly spaced left to right, the highest at the top (SVG y grows downwards);
    None where a value is missing. A flat series sits in the middle."""
    numbers = [_number(v) for v in values]
    present = [n for n in numbers if n is not None]
    if not present:
        return [None] * len(numbers)
    low, high = min(present), max(present)
    step = (width - 2 * pad) / (len(numbers) - 1) if len(numbers) > 1 else 0.0
    points: list[tuple[float, float] | None] = []
    for i, n in enumerate(numbers):
        if n is None:
            points.append(None)
            continue
        x = pad + i * step if len(numbers) > 1 else width / 2
        y = height / 2 if high == low else pad + (high - n) / (high - low) * (height - 2 * pad)
        points.append((round(x, 1), round(y, 1)))
    return points


def sparkline_description(label: str, periods: Sequence[str], texts: Sequence[str], values: Sequence[object]) -> str:
    """What the line shows in words, from the first value present to the last: "Bookings, Nov 2025 to Oct 2026:
    $520k to $693k"."""
    present = [i for i, v in enumerate(values) if _number(v) is not None]
    if not present:
        return label
    first, last = present[0], present[-1]

    def at(items: Sequence[str], i: int) -> str:
        return str(items[i]) if i < len(items) else ""

    span = f"{month_name(at(periods, first))} to {month_name(at(periods, last))}"
    return f"{label}, {span}: {at(texts, first)} to {at(texts, last)}"


def sparkline_svg(
    values: Sequence[object],
    label: str,
    periods: Sequence[str] = (),
    texts: Sequence[str] = (),
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Markup:
    """An accessible inline SVG line of the values (missing ones leave a gap, the latest is a dot), every text escaped;
    empty when fewer than two values are present (one value is no trend)."""
    points = sparkline_points(values, width, height)
    if sum(p is not None for p in points) < 2:
        return Markup("")
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    # one sub-path per stretch of months without a gap; a value between two gaps is drawn as a dot
    path = " ".join("M" + " L".join(f"{x:g} {y:g}" for x, y in run) for run in runs if len(run) > 1)
    latest = next(p for p in reversed(points) if p is not None)
    svg = ENVIRONMENT.get_template("sparkline.svg.j2").render(
        description=sparkline_description(label, periods, texts, values),
        width=width,
        height=height,
        path=path,
        dots=[_coordinates(run[0]) for run in runs if len(run) == 1],
        latest=_coordinates(latest),
    )
    return Markup(svg)  # rendered with every value escaped, so the index pages insert it as it is


def _coordinates(point: tuple[float, float]) -> tuple[str, str]:
    """A point's x and y as SVG writes them: 12.5, 3 (no trailing zeros)."""
    return f"{point[0]:g}", f"{point[1]:g}"
