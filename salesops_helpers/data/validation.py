"""Checks on typed canonical tables: within each table and across tables."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.parsing import Checker


def drop_identical_duplicates(check: Checker, key: list[str], what: str) -> pd.DataFrame:
    """Drop rows that repeat another row exactly (warning); rows sharing a key but differing are errors."""
    frame = check.frame
    on_key = frame.duplicated(key, keep=False)
    if not on_key.any():
        return frame
    subset = frame[on_key]
    repeat = subset.duplicated(keep="first").reindex(frame.index, fill_value=False)
    check.flag(
        repeat, "warning", key[0], f"exact copy of an earlier row with the same {what}", action="the copy is dropped"
    )
    distinct = subset.drop_duplicates()
    conflicting = distinct.duplicated(key, keep=False).reindex(frame.index, fill_value=False)
    check.flag(
        conflicting,
        "error",
        key[0],
        f"{what} appears on several rows with different values (each {what} must be unique)",
    )
    return frame[~repeat]


def _stage_fix(check: Checker, column: str) -> str:
    """How to fix an unknown stage: translate it in the mapping's values (when a mapping applies), or configure it."""
    if check.raw.mapped:
        key = f"tables.{check.raw.table.name}.values.{column}"
        return f"translate it in the mapping's {key}, or add the stage to the configuration"
    return "add the stage to the configuration's stages, or fix the data"


def normalise_stages(check: Checker, column: str, config: WorkbookConfig) -> pd.Series:
    """Map stage names onto the configured stages; case or spacing variants are repaired, others are errors."""
    values = check.frame[column]
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    exact = set(config.stage_names)
    folded = {name.casefold(): name for name in config.stage_names}
    mapping: dict[str, str] = {}
    for raw in values.cat.categories:
        text = str(raw)
        if text in exact:
            mapping[raw] = text
        elif (key := " ".join(text.split()).casefold()) in folded:
            mapping[raw] = folded[key]
    variant = values.isin([k for k, v in mapping.items() if k != v])
    check.flag(
        variant,
        "warning",
        column,
        "stage name differs from the configured stage only in case or spacing",
        action="read as the configured stage",
    )
    unknown = values.notna() & ~values.isin(list(mapping))
    if unknown.any():
        names = values[unknown].value_counts()
        listed = ", ".join(f"{name!r} ({count:,})" for name, count in names[names > 0].head(10).items())
        check.flag(
            unknown,
            "error",
            column,
            f"stage not in the configured stages: {listed}; configured stages are "
            f"{', '.join(config.stage_names)} ({_stage_fix(check, column)})",
        )
    check.flag(values.isna(), "error", column, "no stage given")
    return pd.Series(pd.Categorical(values.map(mapping), categories=config.stage_names), index=values.index)


def is_in(values: pd.Series, known: pd.Series) -> pd.Series:
    """Whether each value occurs among known; missing values are False. Hashes in Arrow: fast for millions of ids."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        present = pd.Series(values.cat.categories).pipe(is_in, known).to_numpy()
        codes = values.cat.codes.to_numpy()
        return pd.Series((codes >= 0) & present[codes.clip(0)], index=values.index)
    found = pc.is_in(pa.array(values.astype("str")), value_set=pc.unique(pa.array(known.dropna().astype("str"))))
    return pd.Series(found.fill_null(False).to_numpy(zero_copy_only=False), index=values.index)


def fill_category(values: pd.Series, label: str) -> pd.Series:
    """Fill missing values of a categorical with label, adding it as a category when it is not one yet."""
    if label not in values.cat.categories:
        values = values.cat.add_categories([label])
    return values.fillna(label)


def flag_unknown_reference(
    check: Checker, column: str, known: pd.Series, target: str, action: str, names: pd.Series | None = None
) -> pd.Series:
    """Flag values of column that are not in known (the key of target); returns the mask.

    A few unknown ids are a warning. When most rows refer to unknown ids the column holds something else (names,
    another id form such as Salesforce's 15- and 18-character ids), so that is an error.
    """
    values = check.frame[column]
    mask = values.notna() & ~is_in(values, known)
    if mask.sum() <= 0.5 * values.notna().sum():
        check.flag(mask, "warning", column, f"refers to an id that is not in {target}", action=action)
        return mask
    if names is not None and is_in(values[mask], names).mean() > 0.5:
        hint = f"it holds names: it must hold the ids of {target}"
        if check.raw.mapped:
            hint += ", or set owners: name in the mapping"
    else:
        hint = f"check that it holds the same ids as {target}, in the same form"
    check.flag(mask, "error", column, f"refers to an id that is not in {target}, for most rows ({hint})")
    return mask
