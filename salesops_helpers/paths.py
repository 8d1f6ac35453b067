"""Where the workbook's own folders are, relative to the project root."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "workbook.yml"
DEMO_DATA = PROJECT_ROOT / "data" / "demo"
NOTEBOOKS = PROJECT_ROOT / "notebooks"
REPORTS = PROJECT_ROOT / "reports"
GLOSSARY = PROJECT_ROOT / "docs" / "metrics.md"
