"""Reading the canonical tables from a SQL database (SQLAlchemy URL), read only, with passwords kept out of sight."""

from __future__ import annotations

import os
import re
import sqlite3
from typing import TYPE_CHECKING
from urllib.parse import quote

import pandas as pd

from salesops_helpers.config import ConfigError

if TYPE_CHECKING:
    from salesops_helpers.data.mapping.spark import SparkReader

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# sqlglot's dialect of each SQLAlchemy backend whose name differs from it; any other backend: its own name.
_DIALECTS = {"postgresql": "postgres", "mariadb": "mysql", "mssql": "tsql"}


def quoted_text(text: str) -> str:
    """Text as it stands inside a single-quoted SQL literal (each quote doubled)."""
    return text.replace("'", "''")


def identifier(label: str) -> str:
    """A column or table name as a double-quoted identifier, as DuckDB's SQL writes one (in_dialect rewrites it)."""
    return '"' + label.replace('"', '""') + '"'


def in_dialect(statement: str, dialect: str) -> str:
    """A statement written in DuckDB's SQL, in the database's dialect (sqlglot); DuckDB's own is left as it is."""
    import sqlglot

    if dialect == "duckdb":
        return statement
    return sqlglot.transpile(statement, read="duckdb", write=dialect, unsupported_level=sqlglot.ErrorLevel.RAISE)[0]


# The dialects whose column labels come back exactly as stored, so that a quoted label names its column: a load reads
# only the mapped columns and sorts by a table's `order` there. Snowflake and Oracle fold case (the driver hands back
# lower case for names stored in upper case), and other databases are not known to sqlglot: there the table is read
# whole, as the database hands it back.
EXACT_LABELS = frozenset({"postgres", "sqlite", "mysql", "duckdb", "spark", "databricks"})


def source_sql(table: str | None, query: str | None, dialect: str) -> str:
    """What a FROM clause names for a mapped table (schema.table quoted in the dialect) or query (verbatim, in
    parentheses on lines of its own, so a trailing comment cannot swallow the closing one)."""
    if query is not None:
        return f"(\n{query.strip().rstrip(';')}\n)"
    name = ".".join(identifier(part) for part in (table or "").split("."))
    return in_dialect(f"SELECT * FROM {name}", dialect).split(" FROM ", 1)[1]


def expand_url(url: str) -> str:
    """The URL with each ${NAME} replaced by the environment variable NAME (so a mapping file needs no password)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in os.environ:
            raise ConfigError(
                f"the mapping's source.url uses ${{{name}}}, but the environment variable {name} is not set"
            )
        return os.environ[name]

    return _VARIABLE.sub(value, url)


def redacted(url: str) -> str:
    """The URL as it can be shown: the password replaced by ***."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"://[^@/]*@", "://***@", url)


def _secret(url: str) -> str | None:
    """The URL's password, to blank out of any message that might repeat it."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password or None
    except ArgumentError:
        return None


def clean_message(message: str, url: str) -> str:
    """A driver's error message without the password and without SQLAlchemy's background link."""
    message = message.split("\n(Background on this error")[0].strip()
    secret = _secret(url)
    return message.replace(secret, "***") if secret else message


def _sqlite_file(url: str) -> str | None:
    """The database file of a SQLite URL (None for another database or an in-memory one)."""
    from sqlalchemy.engine import make_url

    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    return database if database and database != ":memory:" else None


def _scheme(url: str) -> str:
    """The URL's scheme in lower case (postgresql+psycopg for postgresql+psycopg://...)."""
    return url.split(":", 1)[0].strip().lower()


def sql_dialect(url: str) -> str:
    """The sqlglot dialect of a SQLAlchemy URL's database: postgresql+psycopg://... is "postgres", mssql "tsql",
    mariadb "mysql"; sqlite, mysql, snowflake, bigquery, databricks, duckdb, oracle, redshift, trino as named."""
    backend = _scheme(url).split("+", 1)[0]
    return _DIALECTS.get(backend, backend)


def open_reader(url: str) -> SqlReader | SparkReader:
    """The reader of a mapping's source.url: a local Spark session for spark://local[N], else the SQL database."""
    if _scheme(url) == "spark":
        from salesops_helpers.data.mapping.spark import SparkReader

        return SparkReader(url)
    return SqlReader(url)


class SqlReader:
    """One read-only connection to a database, reading whole tables or the results of queries."""

    def __init__(self, url: str) -> None:
        from sqlalchemy import create_engine, event

        self.url = expand_url(url)
        self.shown = redacted(self.url)
        self.dialect = sql_dialect(self.url)  # for sqlglot: the SQL this database speaks
        engine_url = self.url
        connect_args: dict[str, object] = {}
        if self.url.startswith("postgresql"):
            # UTC: a timestamptz column reads as the same moment whether pandas or the database converts it
            connect_args["options"] = "-c default_transaction_read_only=on -c TimeZone=UTC"
        database = _sqlite_file(self.url)
        if database is not None:
            # opened read only: a missing file is an error to report, never a new empty database made in its place
            uri = f"file:{quote(database)}?mode=ro"
            self.engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), poolclass=None)
        else:
            self.engine = create_engine(engine_url, connect_args=connect_args, poolclass=None)
        if self.url.startswith("sqlite"):

            @event.listens_for(self.engine, "connect")
            def _read_only(connection: object, _record: object) -> None:
                connection.execute("PRAGMA query_only = ON")  # type: ignore[attr-defined]

    def read(self, table: str | None, query: str | None) -> pd.DataFrame:
        """Every row of a table (schema.table allowed) or of a query, inside a transaction that is rolled back."""
        if query is None:
            quote = self.engine.dialect.identifier_preparer.quote
            query = "SELECT * FROM " + ".".join(quote(part) for part in (table or "").split("."))
        frame = self.fetch(query)
        frame.index = pd.RangeIndex(1, len(frame) + 1)  # row 1 is the first row, as for Parquet files
        return frame

    def fetch(self, sql: str) -> pd.DataFrame:
        """The rows of one SELECT statement, run as written (a colon is no bind parameter), inside a transaction that
        is rolled back; default index. Errors are SQLAlchemy's (a pandas DatabaseError for some drivers)."""
        from sqlalchemy import text

        with self.engine.connect() as connection:
            try:
                # text() would read ":name" as a parameter to bind; escaped, every colon stays as written
                return pd.read_sql_query(text(sql.replace(":", "\\:")), connection)
            finally:
                connection.rollback()

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()
