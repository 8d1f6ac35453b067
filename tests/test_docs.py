"""docs/data-model.md documents every table and column of the data model."""

import re

from salesops_helpers.data.model import TABLES
from salesops_helpers.paths import PROJECT_ROOT


def test_every_column_is_documented_under_its_table():
    text = (PROJECT_ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (\w+).*?\n(.*?)(?=^### |\Z)", text, re.S | re.M))
    for table in TABLES:
        assert table.name in sections, f"no section for {table.name}"
        rows = re.findall(r"^\| (\w+) \| (\w+) \| (yes|no) \|", sections[table.name], re.M)
        documented = {name: (kind, required == "yes") for name, kind, required in rows}
        for column in table.columns:
            assert column.name in documented, f"{table.name}.{column.name} is not documented"
            assert documented[column.name] == (column.kind, column.required), f"{table.name}.{column.name} differs"
        assert set(documented) == set(table.column_names)
