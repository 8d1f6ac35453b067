"""Reading the canonical tables from a local Apache Spark session: a mapping's source.url spark://local[N].

The tables are Spark SQL queries (`SELECT * FROM parquet.`/data/opportunity.parquet``) or tables of Spark's catalog.
pyspark is imported only when a spark:// URL is used (pip install 'salesops-workbook[spark]'), and it needs a Java 17+
runtime. One Spark context serves the whole process: it starts on the first read (a few seconds), later readers reuse
it, and closing a reader leaves it running (it ends with the process). A context the process already runs (a
notebook's own) is reused as it is, master included; the reader's SQL settings (UTC, Arrow) live in a session of its
own, so a notebook's session keeps its settings.

A normal run prints nothing of Spark's: the JVM's console output goes to a log file (its tail is shown when Spark does
not start), the log level is ERROR, pyspark's warnings about the pandas version are silenced around the conversion.
Spark SQL has no read-only transaction: each statement is read as the subquery of a SELECT, so that anything but a
query (INSERT, DROP, SET, CACHE ...) is a syntax error, never run.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import warnings
from collections.abc import Iterator
from typing import Any

import pandas as pd

from salesops_helpers.config import ConfigError

ACCEPTED = "spark://local, spark://local[N] (N cores) or spark://local[*] (every core)"
_URL = re.compile(r"spark://(local(?:\[(?:[1-9][0-9]*|\*)\])?)")
NEEDS_PYSPARK = "spark:// sources need pyspark: pip install 'salesops-workbook[spark]' (and Java 17 or newer)"
_INSTALL_JAVA = "install one (on Debian: apt-get install openjdk-17-jre-headless; or run scripts/test-spark)"

# Settings of the Spark context the reader starts (fixed when the JVM starts).
_CONTEXT = {
    "spark.app.name": "salesops-workbook",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.log.level": "ERROR",
    "spark.driver.memory": "1g",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    # the JVM's own clock in UTC too, whatever TZ the machine has (local mode: the executors are the driver's JVM)
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
}
# Settings of the reader's own SQL session.
_SESSION = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}
# Words a query may start with in Spark SQL; a statement starting otherwise is reported as not a query.
_QUERY_WORDS = {"select", "with", "values", "table", "from", "("}

# pyspark's loggers that write each failed query's Java stack to stderr (the reader raises the error instead)
_LOGGERS = ("SQLQueryContextLogger", "DataFrameQueryContextLogger")

_lock = threading.Lock()
_session: Any = None  # the reader's SQL session of the process's Spark context (pyspark.sql.SparkSession)


def spark_master(url: str) -> str:
    """The Spark master a spark:// URL names (local, local[2], local[*]); a ConfigError for any other URL."""
    match = _URL.fullmatch(url.strip())
    if match is None:
        raise ConfigError(f"the mapping's source.url {url!r} is not a Spark URL the workbook can use: give {ACCEPTED}")
    return match.group(1)


def _java() -> str:
    """The java Spark will start (JAVA_HOME's, else the one on PATH); a ConfigError when there is none."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        where = f"JAVA_HOME={home} has no bin/java" if home else "no java on PATH and JAVA_HOME is not set"
        raise ConfigError(f"spark:// sources need Java 17 or newer, and none was found ({where}): {_INSTALL_JAVA}")
    return java


def _check_java_version(java: str) -> None:
    """A ConfigError unless the java is version 17 or newer (run only to explain a Spark that did not start: asking
    the version costs a JVM start)."""
    try:
        result = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        problem = f"{java} does not run ({exc})"
        raise ConfigError(f"spark:// sources need Java 17 or newer, and {problem}: {_INSTALL_JAVA}") from exc
    found = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    major = 0 if found is None else int(found.group(2) or 0) if found.group(1) == "1" else int(found.group(1))
    if major < 17:
        version = f"Java {major}" if major else "not a Java version the workbook recognises"
        raise ConfigError(f"spark:// sources need Java 17 or newer; {java} is {version}: {_INSTALL_JAVA}")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pyspark's own console output silenced while the reader works (and only then: a notebook's Spark code keeps
    it): warnings about pyspark's future or pandas', and the logs and warnings of queries that fail."""
    from pyspark.logger import PySparkLogger

    loggers = [PySparkLogger.getLogger(name) for name in _LOGGERS]
    levels = [logger.level for logger in loggers]
    with warnings.catch_warnings():
        # pyspark's own code warned about its future or about pandas' (pyspark 4.3 with pandas 3: that pandas 3 is
        # not fully supported yet, that astype's copy keyword is deprecated): nothing a workbook user can act on
        for category in (FutureWarning, DeprecationWarning):
            warnings.filterwarnings("ignore", category=category, module=r"pyspark\.")
        # a query failing during the Arrow transfer: the error is raised, the warning would only repeat it
        warnings.filterwarnings("ignore", message="toPandas attempted Arrow optimization.*can not continue")
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        try:
            yield
        finally:
            for logger, level in zip(loggers, levels, strict=True):
                logger.setLevel(level)


def _start_context(master: str, url: str) -> Any:
    """A new Spark context on the master, its JVM's console output sent to a log file instead of the terminal."""
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway

    # the JVM's console log and Spark's warehouse folder (made even when no table is) in a folder of the process's,
    # never in the working directory; removed when the process ends
    folder = tempfile.mkdtemp(prefix="salesops-spark-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    conf = SparkConf().setMaster(master).set("spark.sql.warehouse.dir", os.path.join(folder, "warehouse"))
    for key, value in _CONTEXT.items():
        conf.set(key, value)
    log = os.path.join(folder, "spark.log")
    java = _java()
    try:
        with open(log, "wb") as console:
            gateway = launch_gateway(conf, popen_kwargs={"stdout": console, "stderr": subprocess.STDOUT})
        context = SparkContext(conf=conf, gateway=gateway)
    except Exception as exc:
        _check_java_version(java)
        with open(log, encoding="utf-8", errors="replace") as file:
            tail = "\n".join(file.read().strip().splitlines()[-15:])
        raise ConfigError(f"Spark did not start for {url}: {exc}" + (f"\n{tail}" if tail else "")) from exc
    context.setLogLevel("ERROR")
    return context


def spark_session(url: str) -> Any:
    """The reader's Spark SQL session (pyspark.sql.SparkSession), the process's Spark context started when none runs."""
    global _session
    master = spark_master(url)
    try:
        from pyspark import SparkContext
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise ConfigError(NEEDS_PYSPARK) from exc
    with _lock, _quiet():
        context = SparkContext._active_spark_context
        if _session is not None and context is not None and _session.sparkContext is context:
            return _session
        if context is None:
            context = _start_context(master, url)
        session = SparkSession(context).newSession()
        for key, value in _SESSION.items():
            session.conf.set(key, value)
        _session = session
        return session


def _wrapped(sql: str) -> str:
    """The statement as the subquery of a SELECT: only a query can be one (Spark SQL has no read-only transaction)."""
    statement = sql.strip()
    while statement.endswith(";"):
        statement = statement[:-1].rstrip()
    return f"SELECT * FROM (\n{statement}\n) AS salesops_query"


def _message(exc: Exception, sql: str) -> str:
    """Spark's error in one line: its first, without the plan or the SQL that follow, lines counted as written."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = lines[0] if lines else type(exc).__name__
    message = re.sub(r"\(line (\d+), pos", lambda m: f"(line {int(m.group(1)) - 1}, pos", message)
    message = re.sub(r"; line (\d+) pos", lambda m: f"; line {int(m.group(1)) - 1} pos", message)
    first = re.match(r"\s*(\(|\w+)", re.sub(r"^\s*(--[^\n]*\n|/\*.*?\*/)*", "", sql.strip(), flags=re.S))
    word = first.group(1).lower() if first else ""
    if "PARSE_SYNTAX_ERROR" in message and word not in _QUERY_WORDS:
        return f"a Spark source reads queries only, and this statement (starting {word.upper()!r}) is not one: not run"
    return message


def _naive_timestamps(values: pd.Series) -> pd.Series:
    """A timestamp column as naive datetime64[ns] (Arrow gives microseconds; the values are already in UTC)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    try:
        return values.astype("datetime64[ns]")
    except (pd.errors.OutOfBoundsDatetime, TypeError, ValueError):
        return values  # a moment outside 1677-2262 stays as Arrow gave it


class SparkReader:
    """A reader of Spark SQL on a local Spark session, with SqlReader's contract (read, fetch, shown, dialect)."""

    dialect = "spark"

    def __init__(self, url: str) -> None:
        self.url = url.strip()
        self.master = spark_master(self.url)
        self.shown = self.url  # a local session: nothing secret in the URL
        self.session: Any = None

    def _spark(self) -> Any:
        if self.session is None:
            self.session = spark_session(self.url)
        return self.session

    def read(self, table: str | None, query: str | None) -> pd.DataFrame:
        """Every row of a catalog table (schema.table allowed) or of a query; row 1 is the first row."""
        if query is None:
            parts = (table or "").split(".")
            query = "SELECT * FROM " + ".".join("`" + part.replace("`", "``") + "`" for part in parts)
        frame = self.fetch(query)
        frame.index = pd.RangeIndex(1, len(frame) + 1)
        return frame

    def fetch(self, sql: str) -> pd.DataFrame:
        """The rows of one query (Spark SQL), default index: timestamps as naive datetime64[ns] equal to the stored
        values (UTC), decimals as floats (as pandas reads them from a SQL database). A statement Spark refuses is a
        pandas DatabaseError with Spark's message, as a database's error is."""
        spark = self._spark()  # first: without pyspark, the ConfigError that says how to install it
        from py4j.protocol import Py4JError
        from pyspark.errors import PySparkException
        from pyspark.sql.types import DecimalType, TimestampNTZType, TimestampType

        try:
            with _quiet():
                result = spark.sql(_wrapped(sql))
                frame = result.toPandas()
        except (PySparkException, Py4JError) as exc:
            raise pd.errors.DatabaseError(_message(exc, sql)) from exc
        for position, field in enumerate(result.schema.fields):  # by position: a query may repeat a column label
            if isinstance(field.dataType, TimestampType | TimestampNTZType):
                frame.isetitem(position, _naive_timestamps(frame.iloc[:, position]))
            elif isinstance(field.dataType, DecimalType):
                frame.isetitem(position, frame.iloc[:, position].astype("float64"))
        return frame.reset_index(drop=True)

    def close(self) -> None:
        """Let go of the session; the process's Spark context keeps running for the next reader."""
        self.session = None
