"""The validated-data cache: a second load of unchanged files skips validation and gives back exactly the same data;
any change means a fresh load; entries hold data only (never unpickled), live in the user's cache folder, stay within
a size bound and can be cleared."""

from __future__ import annotations

import ast
import json
import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from salesops_helpers.cli.main import main
from salesops_helpers.config import load_config
from salesops_helpers.data import cache as data_cache
from salesops_helpers.data import loading
from salesops_helpers.data.loading import SalesData, load_data
from salesops_helpers.paths import DEFAULT_CONFIG, DEMO_DATA, PROJECT_ROOT
from tests.helpers.crm_exports import MAPPINGS, SALESFORCE_QUOTAS, SALESFORCE_REPORT
from tests.helpers.six_deals import edit, write_folder

CONFIG = load_config(DEFAULT_CONFIG)
TABLE_ATTRS = ("opportunities", "reps", "quotas", "history", "activities")


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(data_cache.CACHE_ENV, str(root))
    monkeypatch.delenv(data_cache.SIZE_ENV, raising=False)
    return root


def _no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the folder was read again")

    monkeypatch.setattr(loading, "read_table", refuse)
    monkeypatch.setattr(loading, "mapped_tables", refuse)


def _assert_same(cold: SalesData, warm: SalesData) -> None:
    """Every table equal, dtypes and categories included, and everything else SalesData holds."""
    for name in TABLE_ATTRS:
        if getattr(cold, name) is None:
            assert getattr(warm, name) is None, name
        else:
            pd.testing.assert_frame_equal(getattr(cold, name), getattr(warm, name), check_categorical=True)
    assert len(cold.quality.problems) == len(warm.quality.problems)
    for before, after in zip(cold.quality.problems, warm.quality.problems, strict=True):
        pd.testing.assert_frame_equal(before.examples, after.examples)
        assert (before.severity, before.table, before.file, before.column, before.message, before.count) == (
            after.severity,
            after.table,
            after.file,
            after.column,
            after.message,
            after.count,
        )
        assert before.action == after.action
    assert cold.quality.render() == warm.quality.render()
    assert cold.config == warm.config
    assert (cold.folder, cold.files, cold.sources, cold.database) == (
        warm.folder,
        warm.files,
        warm.sources,
        warm.database,
    )
    assert cold.columns_in_file == warm.columns_in_file
    assert cold.mapped == warm.mapped
    assert cold.as_of == warm.as_of and cold.found_day == warm.found_day


def _entry_folders() -> list[str]:
    """The data folder of each stored entry, least recently used first."""
    return [Path(data_cache.entry_folder(entry)).name for entry in data_cache.entries()]


def _salesforce(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "opportunities.csv").write_bytes(SALESFORCE_REPORT.encode("utf-8"))
    (folder / "quotas.csv").write_bytes(SALESFORCE_QUOTAS.encode("utf-8"))
    return folder


# --------------------------------------------------------------------------------------------------------------------
# A warm load is the cold load, exactly
# --------------------------------------------------------------------------------------------------------------------


def test_the_demo_comes_back_from_the_cache_exactly(cache_root, monkeypatch):
    cold = load_data(DEMO_DATA, CONFIG, cache=True)
    _no_reading(monkeypatch)
    warm = load_data(DEMO_DATA, CONFIG, cache=True)
    assert warm.opportunities is not cold.opportunities
    _assert_same(cold, warm)
    assert isinstance(warm.opportunities["stage"].dtype, pd.CategoricalDtype)
    assert list(warm.opportunities["stage"].cat.categories) == [s.name for s in CONFIG.stages]
    assert len(list(cache_root.iterdir())) == 1


def test_a_mapped_export_with_problems_comes_back_exactly(tmp_path, cache_root, monkeypatch):
    folder = _salesforce(tmp_path / "sf")
    mapping = MAPPINGS / "salesforce-report.yml"
    cold = load_data(folder, CONFIG, cache=True, mapping=mapping)
    assert cold.mapped and any(not p.examples.empty for p in cold.quality.problems)
    assert cold.config.data.date_format == "%m/%d/%Y"  # the mapping's date format, kept with the entry
    _no_reading(monkeypatch)
    _assert_same(cold, load_data(folder, CONFIG, cache=True, mapping=mapping))


def test_warnings_and_their_example_rows_come_back_exactly(tmp_path, cache_root, monkeypatch):
    folder = write_folder(tmp_path / "data")
    edit(folder, "opportunities.csv", "Closed Won,1000", "Closed Won,")  # O1 without an amount: a warning
    cold = load_data(folder, CONFIG, cache=True)
    no_amount = [p for p in cold.quality.problems if p.column == "amount"]
    assert [p.count for p in no_amount] == [1]
    assert no_amount[0].examples["opportunity_id"].tolist() == ["O1"]
    _no_reading(monkeypatch)
    _assert_same(cold, load_data(folder, CONFIG, cache=True))


def test_an_unusual_category_order_and_unused_categories_survive(tmp_path, cache_root):
    folder = write_folder(tmp_path / "data")
    cold = load_data(folder, CONFIG, cache=True)
    # Parquet alone would lose both: store a table whose categories are in no sorted order and partly unused
    cold.reps["team"] = cold.reps["team"].cat.set_categories(["Zeta", "SMB", "Enterprise", "Alpha"], ordered=True)
    key = data_cache.cache_key(folder, CONFIG.model_dump_json(), ())
    data_cache.write(key, cold)
    warm = data_cache.read(key)
    assert warm is not None
    assert list(warm.reps["team"].cat.categories) == ["Zeta", "SMB", "Enterprise", "Alpha"]
    assert warm.reps["team"].cat.ordered
    pd.testing.assert_frame_equal(cold.reps, warm.reps)


# --------------------------------------------------------------------------------------------------------------------
# What makes a new entry
# --------------------------------------------------------------------------------------------------------------------


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
    renamed = CONFIG.model_copy(update={"company": CONFIG.company.model_copy(update={"name": "Other Co"})})
    assert load_data(folder, renamed, cache=True).config.company.name == "Other Co"
    assert len(list(cache_root.iterdir())) == 3


def test_a_changed_mapping_is_a_different_entry(tmp_path, cache_root):
    folder = _salesforce(tmp_path / "sf")
    first = load_data(folder, CONFIG, cache=True, mapping=MAPPINGS / "salesforce-report.yml")
    changed = tmp_path / "mapping.yml"
    text = (MAPPINGS / "salesforce-report.yml").read_text(encoding="utf-8")
    changed.write_text(text.replace("Needs Analysis: Discovery", "Needs Analysis: Qualification"), encoding="utf-8")
    second = load_data(folder, CONFIG, cache=True, mapping=changed)

    def stage(data: SalesData) -> str:
        deals = data.opportunities.set_index("opportunity_id")
        return str(deals.loc["0065g00000AAA05", "stage"])  # exported as "Needs Analysis"

    assert (stage(first), stage(second)) == ("Discovery", "Qualification")
    assert len(data_cache.entries()) == 2


def test_a_file_in_a_subfolder_counts_and_a_cache_inside_the_data_folder_does_not(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "data")
    monkeypatch.setenv(data_cache.CACHE_ENV, str(folder / ".cache"))
    (folder / "rates").mkdir()
    (folder / "rates" / "fx.csv").write_text("currency,rate_date,rate\n")
    load_data(folder, CONFIG, cache=True)
    assert len(data_cache.entries()) == 1
    load_data(folder, CONFIG, cache=True)  # the entry written inside the folder is not a change to the data
    assert len(data_cache.entries()) == 1
    (folder / "rates" / "fx.csv").write_text("currency,rate_date,rate\nEUR,2024-01-01,1.1\n")
    load_data(folder, CONFIG, cache=True)
    assert len(data_cache.entries()) == 2


def test_the_key_names_the_versions_it_depends_on(tmp_path, cache_root, monkeypatch):
    folder = write_folder(tmp_path / "data")
    assert set(data_cache.versions()) == {"salesops_helpers", "python", "pandas", "pyarrow", "numpy"}
    key = data_cache.cache_key(folder, "{}", ())
    real = data_cache.versions
    monkeypatch.setattr(data_cache, "versions", lambda: {**real(), "pandas": "0.0"})
    assert data_cache.cache_key(folder, "{}", ()) != key


# --------------------------------------------------------------------------------------------------------------------
# Entries hold data, never code
# --------------------------------------------------------------------------------------------------------------------


class _Trap:
    """Unpickling this creates the marker file: proof that someone unpickled it."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (str(self.marker), "w"))


def test_the_cache_module_imports_no_deserialiser_that_runs_code():
    tree = ast.parse(Path(data_cache.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    }
    imported |= {
        node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"pickle", "cloudpickle", "dill", "joblib", "marshal", "shelve"}
    assert "read_pickle" not in Path(data_cache.__file__).read_text(encoding="utf-8")


def test_a_planted_pickle_is_never_unpickled(tmp_path, cache_root):
    folder = write_folder(tmp_path / "data")
    key = data_cache.cache_key(folder, CONFIG.model_dump_json(), ())
    marker = tmp_path / "code-ran"
    trap = pickle.dumps(_Trap(marker))
    planted = cache_root / key
    planted.mkdir(parents=True)
    (planted / "data.pickle").write_bytes(trap)  # where the old cache kept its pickle
    (planted / "opportunities.parquet").write_bytes(trap)
    tables = {"opportunities": {"dtypes": {}, "categories": {}}}
    (planted / data_cache.ENTRY_FILE).write_text(
        json.dumps({"layout": data_cache.LAYOUT, "key": key, "tables": tables})
    )
    data = load_data(folder, CONFIG, cache=True)
    assert not marker.exists()
    assert len(data.opportunities) == 6
    assert sorted(p.name for p in planted.iterdir()) == sorted(
        [
            "entry.json",
            "opportunities.parquet",
            "reps.parquet",
            "quotas.parquet",
            "history.parquet",
            "activities.parquet",
        ]
    )  # replaced by a good entry
    assert not marker.exists()


def test_an_unreadable_entry_is_ignored_and_rewritten(tmp_path, cache_root, monkeypatch):
    folder = write_folder(tmp_path / "data")
    load_data(folder, CONFIG, cache=True)
    entry = next(cache_root.iterdir())
    table = entry / "opportunities.parquet"
    table.write_bytes(table.read_bytes()[:100])  # cut short, as a full disk would leave it
    assert len(load_data(folder, CONFIG, cache=True).opportunities) == 6
    _no_reading(monkeypatch)
    assert len(load_data(folder, CONFIG, cache=True).opportunities) == 6  # the rewritten entry loads


def test_an_entry_whose_dtypes_do_not_come_back_is_not_used(tmp_path, cache_root):
    folder = write_folder(tmp_path / "data")
    load_data(folder, CONFIG, cache=True)
    entry = next(cache_root.iterdir()) / data_cache.ENTRY_FILE
    meta = json.loads(entry.read_text(encoding="utf-8"))
    meta["tables"]["opportunities"]["dtypes"]["amount"] = "int64"
    entry.write_text(json.dumps(meta), encoding="utf-8")
    assert data_cache.read(next(cache_root.iterdir()).name) is None


def test_a_write_that_fails_halfway_leaves_no_entry(tmp_path, cache_root, monkeypatch):
    folder = write_folder(tmp_path / "data")
    written = []
    real = pd.DataFrame.to_parquet

    def die_on_the_third(frame: pd.DataFrame, path: Path, *args: object, **kwargs: object) -> None:
        if len(written) == 2:
            raise OSError("No space left on device")
        written.append(path)
        real(frame, path)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", die_on_the_third, raising=True)
    assert len(load_data(folder, CONFIG, cache=True).opportunities) == 6
    assert len(written) == 2
    assert list(cache_root.iterdir()) == []  # neither an entry nor the temporary folder


def test_a_killed_runs_half_entry_is_cleared_later(tmp_path, cache_root):
    left = cache_root / ".partial-killed"
    left.mkdir(parents=True)
    (left / "opportunities.parquet").write_bytes(b"x" * 1000)
    hour_ago = left.stat().st_mtime - data_cache.STALE_PARTIAL_SECONDS - 1
    os.utime(left, (hour_ago, hour_ago))
    load_data(write_folder(tmp_path / "data"), CONFIG, cache=True)
    assert not left.exists()
    assert len(data_cache.entries()) == 1


# --------------------------------------------------------------------------------------------------------------------
# Where, how big, clearing
# --------------------------------------------------------------------------------------------------------------------


def test_the_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv(data_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert data_cache.cache_root() == tmp_path / "home" / ".cache" / "salesops"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # not absolute: the XDG rules say to ignore it
    assert data_cache.cache_root() == tmp_path / "home" / ".cache" / "salesops"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_cache.cache_root() == tmp_path / "xdg" / "salesops"
    monkeypatch.setenv(data_cache.CACHE_ENV, str(tmp_path / "mine"))
    assert data_cache.cache_root() == tmp_path / "mine"
    load_data(write_folder(tmp_path / "data"), CONFIG, cache=True)
    assert len(list((tmp_path / "mine").iterdir())) == 1
    assert not (tmp_path / "xdg").exists()


@pytest.mark.parametrize(
    ("text", "size"),
    [("2G", 2 * 1024**3), ("500M", 500 * 1024**2), ("64k", 65536), ("1.5 GiB", 1536 * 1024**2), ("1000", 1000)],
)
def test_sizes_read_as_people_write_them(text, size):
    assert data_cache.parse_size(text) == size


def test_an_unreadable_size_bound_means_the_default(monkeypatch):
    monkeypatch.setenv(data_cache.SIZE_ENV, "lots")
    assert data_cache.parse_size("lots") is None
    assert data_cache.max_size() == 2 * 1024**3
    monkeypatch.setenv(data_cache.SIZE_ENV, "300M")
    assert data_cache.max_size() == 300 * 1024**2


def test_the_size_bound_drops_the_least_recently_used(tmp_path, cache_root, monkeypatch):
    folders = [write_folder(tmp_path / f"data{n}") for n in range(4)]
    load_data(folders[0], CONFIG, cache=True)
    one = data_cache.entries()[0].size
    monkeypatch.setenv(data_cache.SIZE_ENV, str(3 * one + one // 2))  # room for three entries, not four
    for folder in folders[1:3]:
        load_data(folder, CONFIG, cache=True)
    for age, entry in enumerate(sorted(data_cache.entries(), key=lambda e: data_cache.entry_folder(e))):
        os.utime(entry.path, (1_000_000 + age, 1_000_000 + age))  # last used: data0, then data1, then data2
    assert _entry_folders() == ["data0", "data1", "data2"]
    load_data(folders[0], CONFIG, cache=True)  # data0 is used again: data1 is now the least recently used
    assert _entry_folders() == ["data1", "data2", "data0"]
    load_data(folders[3], CONFIG, cache=True)
    assert _entry_folders() == ["data2", "data0", "data3"]
    assert sum(entry.size for entry in data_cache.entries()) <= data_cache.max_size()


def test_an_entry_larger_than_the_bound_is_not_kept(tmp_path, cache_root, monkeypatch):
    monkeypatch.setenv(data_cache.SIZE_ENV, "1k")
    assert len(load_data(write_folder(tmp_path / "data"), CONFIG, cache=True).opportunities) == 6
    assert data_cache.entries() == []


def test_clearing_removes_the_entries_and_nothing_else(tmp_path, cache_root):
    load_data(write_folder(tmp_path / "a"), CONFIG, cache=True)
    load_data(write_folder(tmp_path / "b"), CONFIG, cache=True)
    (cache_root / "notes.txt").write_text("the analyst's own file")
    sizes = sum(entry.size for entry in data_cache.entries())
    assert sizes > 0
    assert data_cache.clear_cache() == sizes
    assert [p.name for p in cache_root.iterdir()] == ["notes.txt"]
    assert data_cache.clear_cache() == 0


def test_the_cache_command_shows_and_clears(tmp_path, cache_root, capsys):
    load_data(write_folder(tmp_path / "data"), CONFIG, cache=True)
    assert main(["cache"]) == 0
    shown = capsys.readouterr().out
    assert f"Cache of validated data: {cache_root} (set by SALESOPS_CACHE)" in shown
    assert "1 entry, " in shown
    assert str(tmp_path / "data") in shown
    assert main(["cache", "--clear"]) == 0
    assert "Removed 1 entry (" in capsys.readouterr().out
    assert data_cache.entries() == []
    assert main(["cache"]) == 0
    assert "0 entries, 0 bytes of at most 2.0 GB" in capsys.readouterr().out


def test_the_readme_names_the_cache_settings_and_command():
    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for name in (data_cache.CACHE_ENV, data_cache.SIZE_ENV, "XDG_CACHE_HOME", "salesops cache --clear"):
        assert name in text
