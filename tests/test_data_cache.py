"""The validated-data cache: a second load of unchanged files skips validation; any change means a fresh load."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers.config import load_config
from salesops_helpers.data import cache as data_cache
from salesops_helpers.data import loading
from salesops_helpers.data.loading import load_data
from salesops_helpers.paths import DEFAULT_CONFIG
from tests.test_validation import edit, write_folder

CONFIG = load_config(DEFAULT_CONFIG)


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setattr(data_cache, "CACHE_ROOT", root)
    return root


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the folder was read again")

    monkeypatch.setattr(loading, "read_table", refuse)


def test_an_unchanged_folder_comes_from_the_cache(tmp_path, cache_root, monkeypatch):
    folder = write_folder(tmp_path / "data")
    first = load_data(folder, CONFIG, cache=True)
    _no_reading(monkeypatch)
    second = load_data(folder, CONFIG, cache=True)
    pd.testing.assert_frame_equal(first.opportunities, second.opportunities)
    assert len(list(cache_root.iterdir())) == 1


def test_a_changed_file_is_read_and_validated_again(tmp_path, cache_root):
    folder = write_folder(tmp_path / "data")
    before = load_data(folder, CONFIG, cache=True)
    edit(folder, "opportunities.csv", "Closed Won,1000", "Closed Won,1500")
    stat = (folder / "opportunities.csv").stat()
    os.utime(folder / "opportunities.csv", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = load_data(folder, CONFIG, cache=True)
    assert after.opportunities["amount"].sum() == before.opportunities["amount"].sum() + 500


def test_a_different_configuration_or_skip_is_a_different_entry(tmp_path, cache_root):
    folder = write_folder(tmp_path / "data")
    load_data(folder, CONFIG, cache=True)
    load_data(folder, CONFIG, skip=("activities",), cache=True)
    assert len(list(cache_root.iterdir())) == 2
    assert load_data(folder, CONFIG, skip=("activities",), cache=True).activities is None


def test_only_the_newest_entries_are_kept(tmp_path, cache_root):
    for number in range(data_cache.KEEP + 2):
        load_data(write_folder(tmp_path / f"data{number}"), CONFIG, cache=True)
    assert len(list(cache_root.iterdir())) == data_cache.KEEP


def test_an_unreadable_entry_is_ignored(tmp_path, cache_root):
    folder = write_folder(tmp_path / "data")
    load_data(folder, CONFIG, cache=True)
    (next(cache_root.iterdir()) / "data.pickle").write_bytes(b"not a pickle")
    assert len(load_data(folder, CONFIG, cache=True).opportunities) == 6
