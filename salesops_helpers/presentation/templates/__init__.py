"""The reports' HTML fragments: Jinja templates that escape every value, each with its stylesheet beside it under the
same name (summary.html.j2 and summary.css).

A fragment's display bundle carries the stylesheets it needs as text/css; the batch puts each once in its page's head.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

FOLDER = Path(__file__).parent
_ENVIRONMENT = Environment(loader=FileSystemLoader(FOLDER), autoescape=True)


def render(name: str, **values: object) -> str:
    """The fragment `name` (summary: summary.html.j2) as HTML, with every value escaped."""
    return _ENVIRONMENT.get_template(f"{name}.html.j2").render(**values)


@cache
def _css(name: str) -> str:
    """The text of one template's stylesheet."""
    return (FOLDER / f"{name}.css").read_text(encoding="utf-8")


def stylesheets(*names: str) -> str:
    """The stylesheets beside the named templates, one after another: the CSS a fragment built from them needs."""
    return "".join(_css(name) for name in names)
