"""Database engines.

In: a database URL (``sqlite:///file.db`` or ``postgresql+psycopg://...``). Out: a SQLAlchemy
engine (:func:`make_engine`; :func:`bot.store.schema.open_database` also brings the schema to
the newest revision), and :func:`count`: a row count as plain SQL after a flush, for the record
path's counts (reply limits, seats). SQLite runs in WAL mode with a busy timeout, so the web UI
can read while the worker writes; write transactions opened through :func:`writer` take the
write lock at their start (``BEGIN IMMEDIATE``), which serialises seat assignment across
processes as PostgreSQL's ``SELECT ... FOR UPDATE`` on the event row does there.
"""

from __future__ import annotations

import sqlite3
import time

from sqlalchemy import Select, event, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with our SQLite settings; the schema is left as it is."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # let SQLAlchemy, not pysqlite, begin transactions (SQLAlchemy's documented recipe), so
    # that writers can begin with BEGIN IMMEDIATE (see writer()).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for attempt in range(50):  # switching to WAL needs a moment alone with the file
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.1)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's own lower() folds ASCII only ("ÉÉN" stays "ÉÉN"); the desk's searches use
    # lower() on both sides, so they need Python's, as PostgreSQL's does
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def writer(engine: Engine) -> Engine:
    """The engine for transactions that change seats or the outbox. On SQLite they begin with
    ``BEGIN IMMEDIATE`` (the write lock up front, waiting up to the busy timeout), so two
    processes never both read "one seat left"; readers keep plain, lock-free transactions."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def count(session: Session, rows: Select) -> int:
    """How many rows ``rows`` selects, counting those the session added and not yet flushed
    (it flushes first, as a query would), run as plain SQL on the session's connection: on
    the record path the ORM's handling of a result cost more than the count itself."""
    session.flush()
    return session.connection().execute(
        select(func.count()).select_from(rows.subquery())).scalar_one()
