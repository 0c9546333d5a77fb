"""Database engine and schema.

In: a database URL (``sqlite:///file.db`` or ``postgresql+psycopg://...``). Out: a SQLAlchemy
engine with every table created. SQLite runs in WAL mode with a busy timeout, so the web UI
can read while the worker writes, and every transaction takes the write lock at its start
(``BEGIN IMMEDIATE``), which serialises seat assignment across processes as PostgreSQL's
``SELECT ... FOR UPDATE`` on the event row does there.
"""

from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel, create_engine

from bot import models  # noqa: F401  (registers the tables on SQLModel.metadata)

log = logging.getLogger(__name__)


def open_database(url: str) -> Engine:
    """Return an engine for ``url`` and create any missing table."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    SQLModel.metadata.create_all(engine)
    log.debug("database ready: %s", engine.url.render_as_string(hide_password=True))
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # let SQLAlchemy, not pysqlite, begin transactions (SQLAlchemy's documented recipe), so
    # that each one starts with BEGIN IMMEDIATE: the write lock is taken up front, and two
    # processes can never both read "one seat left" and both take it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin_immediate(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
