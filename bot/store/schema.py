"""Schema migrations (Alembic): a database at any earlier schema in, the current schema out.

In: a SQLAlchemy engine. Out: the database upgraded to the newest revision in
``bot/store/migrations/versions`` (:func:`upgrade`), or its current revision (:func:`revision_of`).
``inbox-bot db upgrade`` calls :func:`upgrade`; so do ``run`` and ``web`` at start, through
:func:`open_database`. Databases made before migrations existed (``create_all``, no
``alembic_version`` table) are recognised and stamped as the first revision; the second revision
adds whatever such a database lacks. Several workers starting at once are serialised: SQLite
by the write lock (``BEGIN IMMEDIATE``), PostgreSQL by an advisory lock.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from bot.store import desk_models, models  # noqa: F401  (register the tables on SQLModel.metadata)
from bot.store.db import make_engine, writer

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
FIRST_REVISION = "0001"
ADVISORY_LOCK = 7469221  # any fixed number: the key of our PostgreSQL advisory lock


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    """Alembic's configuration, without an alembic.ini: the scripts live in the package."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def revision_of(connection: Connection) -> str | None:
    """The revision the database is at; ``None`` for an empty database or one from before
    migrations (see :func:`upgrade`)."""
    return MigrationContext.configure(connection).get_current_revision()


def open_database(url: str) -> Engine:
    """Return an engine for ``url``, its schema upgraded to the newest revision."""
    engine = make_engine(url)
    upgrade(engine)
    log.debug("database ready: %s", engine.url.render_as_string(hide_password=True))
    return engine


def upgrade(engine: Engine, *, from_scratch: bool = False) -> tuple[str | None, str]:
    """Bring the database to the newest revision; return (revision before, revision after).

    An empty database gets the current tables at once and is stamped with the newest revision
    (Alembic's recipe for new databases); ``from_scratch`` runs every revision instead, which is
    how the tests prove that the revisions end at exactly the tables the models describe.
    """
    with engine.connect() as connection:  # the usual case, without taking the write lock
        current = revision_of(connection)
    if current == head_revision():
        return current, current
    with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})")
        before = revision_of(connection)
        config = alembic_config(connection)
        tables = inspect(connection).get_table_names()
        if before is None and "inboundmessage" in tables:
            log.info("database from before migrations: stamped as revision %s", FIRST_REVISION)
            command.stamp(config, FIRST_REVISION)
        if before is None and not tables and not from_scratch:
            SQLModel.metadata.create_all(connection)
            command.stamp(config, "head")
        else:
            command.upgrade(config, "head")
        after = revision_of(connection)
    if before != after:
        log.info("database schema upgraded: %s -> %s", before or "empty", after)
    assert after is not None
    return before, after
