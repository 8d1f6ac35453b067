"""CSV cells read by pyarrow's fast parser are exactly the cells pandas' parser reads, or pandas reads the file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers.data import reading
from salesops_helpers.data.model import OPPORTUNITIES
from salesops_helpers.data.quality import DataQualityLog

FILES = {
    "plain": ("a,b,c\n1,2,3\n4,5,6\n", "utf-8"),
    "no final line break": ("a,b,c\n1,2,3\n4,5,6", "utf-8"),
    "quoted separators and quotes": ('a,b,c\n"x, y","say ""hi""",3\n4,,\n', "utf-8"),
    "byte-order mark and CRLF": ("\ufeffa,b,c\r\n1,2,3\r\n", "utf-8"),
    "semicolons and decimal commas": ("a;b;c\n1,5;2;3\n", "utf-8"),
    "cp1252 accents": ("a,b,c\nJosé,Zoë,Müller\n", "cp1252"),
    "blank line": ("a,b,c\n1,2,3\n\n4,5,6\n", "utf-8"),
    "line break inside a value": ('a,b,c\n"two\nlines",2,3\n4,5,6\n', "utf-8"),
    "blank lines before the header": ("\n\na,b,c\n1,2,3\n", "utf-8"),
    "spaces around values": ("a,b,c\n 1 , 2,3 \n", "utf-8"),
}


def _read(path: Path, encoding: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> pd.DataFrame | None:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(reading, "_cells_by_arrow", lambda *args: None)
        return reading.read_csv_cells(path, OPPORTUNITIES, encoding, DataQualityLog())


@pytest.mark.parametrize("name", FILES)
def test_the_fast_reader_gives_the_cells_and_rows_pandas_gives(tmp_path, monkeypatch, name):
    text, encoding = FILES[name]
    path = tmp_path / "opportunities.csv"
    path.write_bytes(text.encode(encoding))
    fast, slow = _read(path, encoding, True, monkeypatch), _read(path, encoding, False, monkeypatch)
    assert fast is not None and slow is not None
    pd.testing.assert_frame_equal(fast, slow)


def test_the_fast_reader_steps_aside_where_rows_and_lines_differ(tmp_path):
    path = tmp_path / "opportunities.csv"
    layout = reading._Layout(separator=",", header_row=0, width=3)
    path.write_text("a,b,c\n1,2,3\n\n4,5,6\n", encoding="utf-8")
    assert reading._cells_by_arrow(path, "utf-8", layout) is None  # a blank line: rows would shift
    path.write_text('a,b,c\n"two\nlines",2,3\n', encoding="utf-8")
    assert reading._cells_by_arrow(path, "utf-8", layout) is None  # a quoted line break: rows would shift
    path.write_text("a,b,c\n1,2,3,4\n", encoding="utf-8")
    assert reading._cells_by_arrow(path, "utf-8", layout) is None  # a row too wide: pandas reports it
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    cells = reading._cells_by_arrow(path, "utf-8", layout)
    assert cells is not None and cells.values.tolist() == [["a", "b", "c"], ["1", "2", "3"]]


def test_a_short_row_is_still_found_and_named(tmp_path):
    path = tmp_path / "opportunities.csv"
    path.write_text("a,b,c\n1,2,\n4,5\n", encoding="utf-8")
    log = DataQualityLog()
    assert reading.read_csv_cells(path, OPPORTUNITIES, "utf-8", log) is None
    assert "1 rows do not have the header's 3 fields" in log.render() and "4,5" in log.render()
