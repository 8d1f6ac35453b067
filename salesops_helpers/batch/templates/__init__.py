"""The batch's page templates: Jinja that escapes every value, each template's stylesheet beside it under the same
name (period_index.html.j2 and period_index.css); salesops_report/ is the nbconvert template of a report's page."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

FOLDER = Path(__file__).parent
ENVIRONMENT = Environment(loader=FileSystemLoader(FOLDER), autoescape=True, keep_trailing_newline=True)
