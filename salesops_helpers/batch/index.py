"""The index pages: one per period (a dashboard of the headline figures, then each report and its status) and one
for every period (how the headline figures moved month by month, then each rendered period)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from salesops_helpers.batch.manifest import read_json, write_text
from salesops_helpers.batch.sparkline import month_name, sparkline_svg
from salesops_helpers.batch.templates import ENVIRONMENT

_PERIOD_FOLDER = re.compile(r"\d{4}-\d{2}")
MAX_CARDS_PER_REPORT = 5
MAX_HISTORY_COLUMNS = 10  # figures side by side in one table of the all-periods index, to fit a 1024 px window
# Status in words as well as colour, for readers who cannot tell the colours apart and for print in grey.
_STATUS_TEXT = {"good": "on track", "bad": "needs attention"}


def _error_text(error: dict[str, Any]) -> str:
    """A notebook error from the manifest as one line."""
    where = f"code cell {error['cell']} ({error['code']})" if error.get("cell") else "before any cell ran"
    return f"Failed at {where}: {error.get('ename', 'Error')}: {error.get('evalue', '')}"


def period_summary(manifest: dict[str, Any]) -> str:
    """One sentence: how many reports rendered, which failed, and how long the run took."""
    runs = manifest.get("notebooks", [])
    failed = [r["name"] for r in runs if r.get("status") != "ok"]
    text = f"{len(runs) - len(failed)} of {len(runs)} reports rendered"
    if failed:
        text += f"; failed: {', '.join(failed)}"
    as_of, took = manifest.get("data_as_of", "unknown"), manifest.get("duration_s") or 0
    return text + f". Data as of {as_of}; the run took {took:.0f} s."


def dashboard_headlines(run: dict[str, Any]) -> list[dict[str, Any]]:
    """A run's figures for the dashboard, in the report's order: those not kept off it, at most five."""
    shown = [h for h in run.get("headlines") or [] if h.get("dashboard", True)]
    return shown[:MAX_CARDS_PER_REPORT]


def _label(headline: dict[str, Any]) -> str:
    """The label readers see, or the key when a figure has none."""
    return str(headline.get("label") or headline.get("key", ""))


def _trend(headline: dict[str, Any]) -> tuple[list[Any], list[str], list[str]]:
    """A headline's trend values, months and texts (empty for figures recorded before trends existed)."""
    trend = headline.get("trend") or []
    return list(trend), list(headline.get("trend_periods") or []), list(headline.get("trend_text") or [])


def _trend_of(headline: dict[str, Any]) -> tuple[list[Any], str, list[str], list[str]]:
    """A headline's trend as sparkline_svg's values, label, months and texts."""
    values, periods, texts = _trend(headline)
    return values, _label(headline), periods, texts


def trend_span(headline: dict[str, Any]) -> str:
    """The months a figure's trend covers, from its first value to its last: "Nov 2025 – Oct 2026"."""
    values, periods, _ = _trend(headline)
    present = [p for v, p in zip(values, periods, strict=False) if v is not None]
    return f"{month_name(present[0])} – {month_name(present[-1])}" if len(present) > 1 else ""


def _card(headline: dict[str, Any], href: str | None, kept: bool) -> dict[str, Any]:
    """One dashboard card: value, label, change, status, sparkline and the report it links to."""
    status = str(headline.get("status") or "")
    status = status if status in _STATUS_TEXT else ""
    return {
        "label": _label(headline),
        "text": str(headline.get("text", "")),
        "change": str(headline.get("change") or ""),
        "status": status,
        "status_text": _STATUS_TEXT.get(status, ""),
        "href": href,
        "kept": kept,
        "sparkline": sparkline_svg(*_trend_of(headline)),
        "span": trend_span(headline),
    }


def dashboard(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The dashboard's groups of cards, one per report with figures to show, in report order."""
    groups = []
    for run in manifest.get("notebooks", []):
        headlines = dashboard_headlines(run)
        if not headlines:
            continue
        kept = run.get("status") != "ok"  # a failed run's figures are those of its last good page
        cards = [_card(h, run.get("html"), kept) for h in headlines]
        groups.append({"title": run.get("title", run.get("name", "")), "href": run.get("html"), "cards": cards})
    return groups


def _standing(run: dict[str, Any]) -> str:
    """The first sentence of the summary behind the page the index links to ("Where it stands"), or empty."""
    summary = run.get("summary") if run.get("status") == "ok" else (run.get("carried_over") or {}).get("summary")
    sentences = (summary or {}).get("sentences") or []
    return str(sentences[0]) if sentences else ""


def _report_row(run: dict[str, Any]) -> dict[str, Any]:
    """One report's row, with defaults for what older manifests did not record."""
    return {
        "title": run.get("title", run.get("name", "")),
        "status": "ok" if run.get("status") == "ok" else "failed",
        "html": run.get("html"),
        "notebook": run.get("notebook"),
        "carried_over": run.get("carried_over"),
        "error_text": _error_text(run["error"]) if run.get("error") else "",
        "standing": _standing(run),
        "headlines": [{"label": _label(h), "text": str(h.get("text", ""))} for h in dashboard_headlines(run)],
        "duration_s": float(run.get("duration_s") or 0.0),
    }


def render_period_index(manifest: dict[str, Any]) -> str:
    """The period's index page as HTML."""
    return ENVIRONMENT.get_template("period_index.html.j2").render(
        company=manifest.get("company", ""),
        period_title=manifest.get("period_title", manifest.get("period", "")),
        summary=period_summary(manifest),
        groups=dashboard(manifest),
        runs=[_report_row(run) for run in manifest.get("notebooks", [])],
        footer=manifest.get("footer", ""),
    )


def write_period_index(folder: Path, manifest: dict[str, Any]) -> None:
    """Write <period>/index.html from the period's manifest."""
    write_text(folder / "index.html", render_period_index(manifest))


def rendered_periods(root: Path) -> list[dict[str, Any]]:
    """Every period folder under root that holds a manifest, newest period first, with its manifest."""
    periods = []
    for folder in sorted(root.iterdir(), reverse=True):
        if not (folder.is_dir() and _PERIOD_FOLDER.fullmatch(folder.name)):
            continue
        manifest = read_json(folder / "manifest.json")
        if manifest is None:
            continue
        runs = manifest.get("notebooks", [])
        failed = sum(1 for run in runs if run.get("status") != "ok")
        periods.append(
            {
                "label": folder.name,
                "title": manifest.get("period_title", folder.name),
                "company": manifest.get("company", ""),
                "reports": len(runs),
                "status": "failed" if failed else "ok",
                "status_text": f"{failed} failed" if failed else "all ok",
                "finished_at": manifest.get("finished_at", ""),
                "manifest": manifest,
            }
        )
    return periods


def _history_groups(manifest: dict[str, Any], folder: str) -> list[dict[str, Any]]:
    """Each report's dashboard figures that carry a trend, leaving out a series already shown under another name."""
    seen: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    groups = []
    for run in manifest.get("notebooks", []):
        columns = []
        for headline in dashboard_headlines(run):
            values, months, texts = _trend(headline)
            series = (tuple(months), tuple(texts))
            if any(v is not None for v in values) and series not in seen:
                seen.add(series)
                columns.append(headline)
        if columns:
            href = f"{folder}/{quote(run['html'])}" if run.get("html") else None
            groups.append({"title": run.get("title", run.get("name", "")), "href": href, "columns": columns})
    return groups


def _history_table(groups: list[dict[str, Any]], rendered: set[str]) -> dict[str, Any]:
    """One table of the history: a column per figure under its report's name, a row per month, newest first."""
    columns = [h for group in groups for h in group["columns"]]
    starts, position = set(), 0  # the columns that open a report's group, to draw a line before them
    for group in groups:
        starts.add(position)
        position += len(group["columns"])
    cells: dict[str, list[str]] = {}
    for position, headline in enumerate(columns):
        values, months, texts = _trend(headline)
        for month, value, text in zip(months, values, texts, strict=False):
            row = cells.setdefault(month, ["–"] * len(columns))
            row[position] = "–" if value is None else str(text)
    return {
        "groups": [{"title": g["title"], "href": g["href"], "span": len(g["columns"])} for g in groups],
        "kpis": [{"label": _label(h), "sparkline": sparkline_svg(*_trend_of(h), width=72, height=22)} for h in columns],
        "starts": starts,
        "rows": [
            {
                "label": month_name(month),
                "href": f"{month}/index.html" if month in rendered else None,
                "cells": cells[month],
            }
            for month in sorted(cells, reverse=True)
        ],
    }


def kpi_history(periods: list[dict[str, Any]]) -> dict[str, Any] | None:
    """How the dashboard figures moved month by month, from the newest period whose figures carry a trend: months
    newest first, each linked to its period's index when that period was rendered; reports side by side, in as
    many tables as it takes to keep each within MAX_HISTORY_COLUMNS figures."""
    rendered = {p["label"] for p in periods}
    for period in periods:
        groups = _history_groups(period["manifest"], period["label"])
        if not groups:
            continue
        packed: list[list[dict[str, Any]]] = [[]]
        for group in groups:
            if packed[-1] and sum(len(g["columns"]) for g in packed[-1]) + len(group["columns"]) > MAX_HISTORY_COLUMNS:
                packed.append([])
            packed[-1].append(group)
        return {
            "period": period["label"],
            "period_title": period["title"],
            "data_as_of": period["manifest"].get("data_as_of", ""),
            "tables": [_history_table(chunk, rendered) for chunk in packed],
        }
    return None


def render_root_index(root: Path) -> str:
    """The index of every period rendered so far, as HTML."""
    periods = rendered_periods(root)
    return ENVIRONMENT.get_template("all_periods.html.j2").render(periods=periods, history=kpi_history(periods))


def write_root_index(root: Path) -> None:
    """Write the index of every period rendered so far."""
    write_text(root / "index.html", render_root_index(root))
