"""A demo company loaded into PostgreSQL as a warehouse holds it, for timing `salesops kpis` inside the database
(pushdown) against loading the rows (`--no-pushdown`).

Usage:
    .venv/bin/python bench/warehouse_benchmark.py --company bench/out/scale/company-1000000 \\
        --url "$(scripts/test-postgres)" --schema crm_1m
It copies the company's Parquet files (`salesops demo --opportunities N --format parquet`) into typed tables of the
schema (timestamps, numbers; the history with its file position as row_order), writes the mapping
bench/out/warehouse/<schema>.yml, and prints the farm-bench command that times both ways side by side.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import duckdb

TABLES = ["opportunities", "opportunity_history", "reps", "quotas"]
TYPES = {"VARCHAR": "text", "DOUBLE": "double precision", "BIGINT": "bigint", "INTEGER": "bigint", "DATE": "date"}


def _postgres_type(duck_type: str) -> str:
    """The PostgreSQL column type for a DuckDB one (timestamps stay timestamps)."""
    if duck_type.startswith("TIMESTAMP"):
        return "timestamp"
    return TYPES.get(duck_type, "text")


def copy_table(connection: object, schema: str, name: str, path: Path) -> int:
    """The Parquet file as a new table of the schema, through COPY; its row count."""
    order = ", row_number() OVER () AS row_order" if name == "opportunity_history" else ""
    relation = duckdb.sql(f"SELECT *{order} FROM read_parquet('{path}')")
    columns = ", ".join(
        f'"{column}" {_postgres_type(str(kind))}' for column, kind in zip(relation.columns, relation.types, strict=True)
    )
    cursor = connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f'CREATE TABLE "{schema}"."{name}" ({columns})')
    rows = 0
    with cursor.copy(f'COPY "{schema}"."{name}" FROM STDIN WITH (FORMAT csv)') as copy:
        batches = relation.to_arrow_reader(200_000)
        for batch in batches:
            frame = batch.to_pandas()
            buffer = io.StringIO()
            frame.to_csv(buffer, index=False, header=False)
            copy.write(buffer.getvalue())
            rows += len(frame)
    cursor.execute(f'ANALYZE "{schema}"."{name}"')
    return rows


def main() -> None:
    """Copy the company in, write the mapping, print the timing command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--company", type=Path, required=True, help="a Parquet demo company folder")
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the PostgreSQL server")
    parser.add_argument("--schema", default="crm_bench")
    args = parser.parse_args()
    import psycopg

    plain = args.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f'DROP SCHEMA IF EXISTS "{args.schema}" CASCADE')
        connection.execute(f'CREATE SCHEMA "{args.schema}"')
        for name in TABLES:
            path = args.company / f"{name}.parquet"
            if path.exists():
                print(f"{name}: {copy_table(connection, args.schema, name, path):,} rows")
    out = Path("bench/out/warehouse")
    out.mkdir(parents=True, exist_ok=True)
    mapping = out / f"{args.schema}.yml"
    lines = ["name: a demo company in PostgreSQL", "source:", f"  url: '{args.url}'", "tables:"]
    for name in TABLES:
        order = ", order: row_order" if name == "opportunity_history" else ""
        lines.append(f"  {name}: {{table: {args.schema}.{name}{order}}}")
    mapping.write_text("\n".join(lines) + "\n", encoding="utf-8")
    command = f".venv/bin/salesops kpis --mapping {mapping} --data /nonexistent --by team --period 2026-10 --format csv"
    print(f"mapping: {mapping}")
    print(f'farm-bench -n 3 --timeout 900 --vs "{command} --no-pushdown" -- {command}')


if __name__ == "__main__":
    main()
