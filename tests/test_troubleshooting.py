"""docs/troubleshooting.md stays true: every message it quotes is printed by the package, every mapping or
configuration key it tells the user to set exists, and the README links it.

A message is quoted in backticks in a paragraph that starts with "Message:"; its variable parts are written in angle
brackets (`<file>`). The fixed parts are looked up in the package's string literals, each f-string cut where a value
is formatted in. A printed message is often assembled from several literals (a head, a hint, an action), so a fixed
part may run from the end of one literal through whole literals into the start of another; a part beside a
placeholder must start or end where a value is formatted in, so a message that gained or lost words fails. Keys are
the backticked dotted paths (`format.encoding`, `quotas.source: none`) and the YAML blocks; they are resolved against
the mapping schema and the configuration model.
"""

from __future__ import annotations

import ast
import re
import types
import typing
from functools import cache
from typing import Any, Literal

import pytest
import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from salesops_helpers.config import WorkbookConfig
from salesops_helpers.data.mapping.schema import RECORD_STAND_INS, Mapping
from salesops_helpers.data.model import TABLES_BY_NAME
from salesops_helpers.paths import PROJECT_ROOT

PAGE = PROJECT_ROOT / "docs" / "troubleshooting.md"
PACKAGE = PROJECT_ROOT / "salesops_helpers"
VALUE = "\0"  # where an f-string formats a value in
PLACEHOLDER = re.compile(r"(?<!\?P)<[^<>]+>")  # not the (?P<stage>...) of a regular expression
# Mapping keys whose own keys are canonical columns of the table (the rest, such as keep_rows, take export labels).
BY_COLUMN = {"columns", "joined", "values", "stand_ins", "constants", "first_of", "overrides"}
ROOTS: dict[str, type[BaseModel]] = {name: Mapping for name in Mapping.model_fields} | {
    name: WorkbookConfig for name in WorkbookConfig.model_fields
}
FILE = re.compile(r"\.(csv|parquet|ya?ml|py|md|json|html|ipynb)$")  # quotas.csv is a file, not a key
KEY = re.compile(r"(?P<path>[a-z_]+(?:\[\d+\])?(?:\.(?:[a-z_]+|<table>)(?:\[\d+\])?)*)(?::\s+(?P<value>\S.*))?")


# -- the page -------------------------------------------------------------------------------------------------------


@cache
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def paragraphs(text: str) -> list[str]:
    """The paragraphs outside fenced blocks, each on one line (a line break inside a code span reads as a space)."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    blocks = re.split(r"\n\s*\n", prose)
    return [" ".join(line.strip() for line in block.splitlines()) for block in blocks if block.strip()]


def quoted_messages() -> list[str]:
    """Every message the page quotes."""
    messages = [para for para in paragraphs(page()) if para.startswith("Message:")]
    return [span for para in messages for span in re.findall(r"`([^`]+)`", para)]


def named_keys() -> list[str]:
    """Every backticked key path outside the quoted messages, with its value when one is given (`owners: name`)."""
    found = []
    for para in paragraphs(page()):
        if para.startswith("Message:"):
            continue
        for span in re.findall(r"`([^`]+)`", para):
            match = KEY.fullmatch(span)
            root = match["path"].split(".")[0].split("[")[0] if match else ""
            if match and root in ROOTS and ("." in span or match["value"]) and not FILE.search(span):
                found.append(span)
    return found


def yaml_blocks() -> list[Any]:
    return [yaml.safe_load(block) for block in re.findall(r"^```yaml\n(.*?)^```", page(), flags=re.M | re.S)]


# -- messages against the package's string literals ------------------------------------------------------------------


def _template(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(p.value if isinstance(p, ast.Constant) else VALUE for p in node.values)
    return None


@cache
def source_pieces() -> tuple[str, frozenset[str]]:
    """The package's string literals cut where values are formatted in: all pieces in one text, each between VALUE
    marks (to find a piece's part, end or start), and the set of whole pieces."""
    pieces: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            text = _template(node)
            if text is not None:
                pieces.update(piece for piece in text.split(VALUE) if piece)
    return VALUE + VALUE.join(sorted(pieces)) + VALUE, frozenset(pieces)


# The page quotes a message without what joins it to the rest of its line: a literal may hold these between the
# quoted message's first (last) fixed part and the literal's start (end).
BEFORE = ("", " ", ": ")
AFTER = ("", "\n")


def _printed_run(run: str, heads: list[str], tails: list[str]) -> bool:
    """Whether a fixed part of a message is printed by the package: one piece, or the end of one piece, whole pieces
    of two characters or more (not a lone "s" of a plural), then the start of another (literals joined where values
    were formatted in). In the pieces' text the part must follow one of heads and precede one of tails: a part beside
    a placeholder starts or ends where a value is formatted in, so a message that gained words still fails."""
    text, whole = source_pieces()
    if any(head + run + tail in text for head in heads for tail in tails):
        return True
    starts = [j for j in range(1, len(run)) if any(head + run[:j] + VALUE in text for head in heads)]
    reached, todo = set(starts), list(starts)
    while todo:
        i = todo.pop()
        if any(VALUE + run[i:] + tail in text for tail in tails):
            return True
        for j in range(i + 2, len(run)):
            if j not in reached and run[i:j] in whole:
                reached.add(j)
                todo.append(j)
    return False


def unprinted_parts(message: str) -> list[str]:
    """The fixed parts of a quoted message that the package does not print. A quote beside a placeholder may come
    from formatting the value with !r, so a part is also tried without it."""
    parts = PLACEHOLDER.split(message)
    missing = []
    for index, part in enumerate(parts):
        first, last = index == 0, index == len(parts) - 1
        tries = {part}
        if not first and part.startswith("'"):
            tries |= {t[1:] for t in tries}
        if not last and part.endswith("'"):
            tries |= {t[:-1] for t in tries}
        heads = [VALUE + before for before in BEFORE] if first else [VALUE]
        tails = [after + VALUE for after in AFTER] if last else [VALUE]
        tries = {t for t in tries if t.strip()}
        if tries and not any(_printed_run(t, heads, tails) for t in tries):
            missing.append(part)
    return missing


# -- keys against the mapping schema and the configuration model -----------------------------------------------------


def _unwrapped(annotation: Any) -> Any:
    """An annotation without Annotated and None: a model class, a dict or list type, or a leaf type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrapped(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        if models:
            return models[0]
        return _unwrapped(args[0]) if len(args) == 1 else annotation
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _columns(table: str | None) -> set[str]:
    """The canonical columns of a table; of every table when it is a placeholder."""
    tables = [TABLES_BY_NAME[table]] if table in TABLES_BY_NAME else list(TABLES_BY_NAME.values())
    return {column for t in tables for column in t.column_names}


def _dict_key(key: str, key_type: Any, field: str | None, table: str | None) -> tuple[str | None, str | None]:
    """(problem or None, the table a key under `tables` names)."""
    if typing.get_origin(key_type) is Literal:
        ok = key in typing.get_args(key_type) or key == "<table>"
        return (None if ok else f"{key} is none of {typing.get_args(key_type)}"), key
    if field in BY_COLUMN and key not in _columns(table):
        return f"{key} is not a column of {table}", table
    return None, table


def tree_problems(data: Any, annotation: Any, where: str, table: str | None = None, field: str | None = None) -> list:
    """Where a YAML tree does not fit the annotation: unknown keys, canonical columns a table lacks, wrong values;
    a model given every required key is validated whole."""
    kind = _unwrapped(annotation)
    origin = typing.get_origin(kind)
    if _is_model(kind):
        if not isinstance(data, dict):
            return [f"{where}: a block of keys is expected, got {data!r}"]
        problems = []
        for key, value in data.items():
            if key not in kind.model_fields:
                problems.append(f"{where}.{key}: no such key")
            else:
                problems += tree_problems(value, kind.model_fields[key].annotation, f"{where}.{key}", table, key)
        complete = all(name in data for name, info in kind.model_fields.items() if info.is_required())
        if not problems and complete:
            try:
                kind.model_validate(data)
            except ValidationError as exc:
                problems.append(f"{where}: {exc}")
        return problems
    if origin is dict and isinstance(data, dict):
        key_type, value_type = typing.get_args(kind)
        problems = []
        for key, value in data.items():
            problem, sub_table = _dict_key(str(key), key_type, field, table)
            if problem:
                problems.append(f"{where}: {problem}")
            if field == "stand_ins" and value not in _columns(sub_table) | set(RECORD_STAND_INS):
                problems.append(f"{where}.{key}: {value} cannot stand in")
            problems += tree_problems(value, value_type, f"{where}.{key}", sub_table)
        return problems
    if origin is list and isinstance(data, list):
        item = typing.get_args(kind)[0]
        return [p for i, value in enumerate(data) for p in tree_problems(value, item, f"{where}[{i}]", table, field)]
    try:
        TypeAdapter(kind).validate_python(data)
    except ValidationError:
        return [f"{where}: {data!r} is not a value it takes"]
    return []


def key_problems(span: str) -> list[str]:
    """Where a key path (with its value, if given) is not in the mapping schema or the configuration model."""
    match = KEY.fullmatch(span)
    assert match, span
    steps = [s for part in match["path"].split(".") for s in re.findall(r"\[\d+\]|[^\[\]]+", part)]
    annotation: Any = ROOTS[steps[0]]
    table: str | None = None
    field: str | None = None
    for step in steps:
        kind = _unwrapped(annotation)
        origin = typing.get_origin(kind)
        if step.startswith("["):
            if origin is not list:
                return [f"{span}: {field} is not a list"]
            annotation = typing.get_args(kind)[0]
        elif _is_model(kind):
            if step not in kind.model_fields:
                return [f"{span}: {step} is not a key of {kind.__name__}"]
            annotation, field = kind.model_fields[step].annotation, step
        elif origin is dict:
            key_type, annotation = typing.get_args(kind)
            problem, table = _dict_key(step, key_type, field, table)
            if problem:
                return [f"{span}: {problem}"]
            field = None
        else:
            return [f"{span}: {step} is below a value, not a key"]
    if match["value"] is None:
        return []
    return tree_problems(yaml.safe_load(match["value"]), annotation, match["path"], table, field)


# -- tests ------------------------------------------------------------------------------------------------------------


def test_the_checks_can_fail():
    assert unprinted_parts("the file is empty (not even a header row)") == []
    assert unprinted_parts("no amount -> counted as 0") == [], "a message and its action are two literals"
    assert unprinted_parts("the file is empty (not a single row)") == ["the file is empty (not a single row)"]
    assert unprinted_parts("<n> rows have fewer fields than the header") == [" rows have fewer fields than the header"]
    assert unprinted_parts("the file is empty (not even a header"), "the message goes on after it"
    assert unprinted_parts("no amount -> counted"), "so does the action"
    assert key_problems("format.encoding") == []
    assert key_problems("quotas.source: none") == []
    assert key_problems("tables.<table>.values.stage") == []
    assert key_problems("format.encodng")
    assert key_problems("quotas.source: nothing")
    assert key_problems("owners: names")
    assert key_problems("tables.quotas.columns.close_date")
    assert tree_problems({"tables": {"reps": {"from_owner": True}}}, Mapping, "mapping")
    assert tree_problems({"quotas": {"source": "flat"}}, WorkbookConfig, "configuration"), "flat needs an amount"


def test_every_quoted_message_is_printed_by_the_package():
    messages = quoted_messages()
    assert len(messages) >= 100, "the page quotes the messages in backticks after 'Message:'"
    problems = {}
    for message in messages:
        fixed = PLACEHOLDER.sub("", message)
        assert len(fixed.strip()) >= 8, f"{message!r} quotes too little of the message"
        if missing := unprinted_parts(message):
            problems[message] = missing
    assert not problems, f"messages no longer printed as the page quotes them: {problems}"


def test_every_key_the_page_names_exists():
    keys = named_keys()
    assert len(keys) >= 30
    assert not set(Mapping.model_fields) & set(WorkbookConfig.model_fields), "a first key tells which file it is in"
    problems = [problem for span in keys for problem in key_problems(span)]
    assert not problems, problems


def test_every_yaml_example_fits_the_mapping_or_the_configuration():
    blocks = yaml_blocks()
    assert len(blocks) >= 10
    problems = []
    for block in blocks:
        roots = {ROOTS.get(key) for key in block}
        assert len(roots) == 1 and None not in roots, f"a YAML example mixes files or names no file: {list(block)}"
        model = roots.pop()
        problems += tree_problems(block, model, "mapping" if model is Mapping else "configuration")
    assert not problems, problems


def test_every_entry_with_a_message_says_how_to_fix_it():
    entries = re.split(r"^#### ", page(), flags=re.M)[1:]
    assert len(entries) >= 50
    for entry in entries:
        found = paragraphs(entry)
        if any(p.startswith("Message:") for p in found):
            assert any(p.startswith("Fix:") for p in found), f"no 'Fix:' under {found[0]!r}"


@pytest.mark.parametrize("mapping", sorted(set(re.findall(r"mappings/[\w.-]+\.yml", page()))))
def test_the_ready_mappings_the_page_points_to_exist(mapping):
    assert (PROJECT_ROOT / mapping).is_file()


def test_links_within_the_page_and_from_the_readme():
    headings = {
        re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        for heading in re.findall(r"^#+ (.+)$", page(), flags=re.M)
    }
    for anchor in re.findall(r"\]\(#([^)]+)\)", page()):
        assert anchor in headings, anchor
    for target in re.findall(r"\]\(([\w.-]+\.md)\)", page()):
        assert (PAGE.parent / target).is_file(), target
    assert "(docs/troubleshooting.md)" in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
