"""The index pages: one per period (each report, its status and key figures) and one listing every period."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from salesops_helpers.batch.html import REPORT_CSS, TEMPLATES
from salesops_helpers.batch.manifest import read_json, write_text

_PERIOD_FOLDER = re.compile(r"\d{4}-\d{2}")
_ENVIRONMENT = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]), keep_trailing_newline=True
)


def _error_text(error: dict[str, Any]) -> str:
    """A notebook error from the manifest as one line."""
    where = f"code cell {error['cell']} ({error['code']})" if error.get("cell") else "before any cell ran"
    return f"Failed at {where}: {error['ename']}: {error['evalue']}"


def period_summary(manifest: dict[str, Any]) -> str:
    """One sentence: how many reports rendered, which failed, and how long the run took."""
    runs = manifest["notebooks"]
    failed = [r["name"] for r in runs if r["status"] != "ok"]
    text = f"{len(runs) - len(failed)} of {len(runs)} reports rendered"
    if failed:
        text += f"; failed: {', '.join(failed)}"
    return text + f". Data as of {manifest['data_as_of']}; the run took {manifest['duration_s']:.0f} s."


def write_period_index(folder: Path, manifest: dict[str, Any]) -> None:
    """Write <period>/index.html from the period's manifest."""
    runs = [
        dict(run, error_text=_error_text(run["error"]) if run.get("error") else "") for run in manifest["notebooks"]
    ]
    page = _ENVIRONMENT.get_template("period_index.html.j2").render(
        css=REPORT_CSS,
        company=manifest["company"],
        period_title=manifest["period_title"],
        summary=period_summary(manifest),
        runs=runs,
        footer=manifest["footer"],
    )
    write_text(folder / "index.html", page)


def rendered_periods(root: Path) -> list[dict[str, Any]]:
    """Every period folder under root that holds a manifest, newest period first."""
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
            }
        )
    return periods


def write_root_index(root: Path) -> None:
    """Write the index of every period rendered so far."""
    page = _ENVIRONMENT.get_template("all_periods.html.j2").render(css=REPORT_CSS, periods=rendered_periods(root))
    write_text(root / "index.html", page)
