"""Schema migrations (bot/store/schema.py, bot/store/migrations): every way a database can arrive.

An empty database migrated through every revision ends at exactly the tables the models
describe (Alembic's compare_metadata finds nothing), on SQLite and PostgreSQL; so does a database
made by create_all before migrations existed, from the first commit's schema or from the last
schema before migrations (real SQLite files of those schemas in tests/data/). The upgraded
database keeps its rows and the bot works on it through the real servers.
"""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.store import schema
from bot.store.db import make_engine
from bot.store.schema import open_database
from tests.helpers import DATA_DIR, run_cli, write_config
from tests.imaptools import connect, deliver
from tests.mailfactory import build


def differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def revision(engine) -> str | None:
    with engine.connect() as connection:
        return schema.revision_of(connection)


def test_an_empty_database_migrated_revision_by_revision_matches_the_models(db_url):
    engine = make_engine(db_url)
    before, after = schema.upgrade(engine, from_scratch=True)
    assert (before, after) == (None, schema.head_revision())
    assert differences(engine) == []
    engine.dispose()


def test_a_new_database_is_created_at_the_newest_revision_and_opened_again_unchanged(db_url):
    engine = open_database(db_url)
    assert revision(engine) == schema.head_revision()
    assert differences(engine) == []
    assert schema.upgrade(engine) == (schema.head_revision(), schema.head_revision())
    engine.dispose()


def test_a_first_revision_database_without_alembic_table_is_stamped_and_upgraded(db_url):
    """What a create_all database of the first commit looks like on either database."""
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), schema.FIRST_REVISION)
        connection.execute(text("DROP TABLE alembic_version"))
    assert revision(engine) is None and differences(engine) != []
    assert schema.upgrade(engine) == (None, schema.head_revision())
    assert differences(engine) == []
    engine.dispose()


def test_old_messages_get_their_verified_mark_from_their_reasons(db_url):
    """Revision 0009 stores ``verified`` on the message row; rows from before get it from the
    reasons the desk used to read it from."""
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), "0008")
        for uid, reasons in ((1, '["dmarc_pass", "registration_words"]'),
                             (2, '["dkim_aligned_pass"]'), (3, '["sender_domain_not_allowed"]')):
            connection.execute(text(
                "INSERT INTO inboundmessage (folder, uidvalidity, uid, sha256, received_at, "
                "has_question, reasons, status, raw_complete) VALUES ('INBOX', 1, :uid, :sha, "
                "'2026-11-02 09:30:00', false, :reasons, 'processed', true)"),
                {"uid": uid, "sha": f"{uid:064}", "reasons": reasons})
    assert schema.upgrade(engine) == ("0008", schema.head_revision())
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT uid, verified FROM inboundmessage ORDER BY uid"))
        assert [(uid, bool(verified)) for uid, verified in rows] == [
            (1, True), (2, True), (3, False)]
    engine.dispose()


def test_waiting_staff_notices_move_behind_group_mail(db_url):
    """Revision 0014 puts group mail at priority 3: notices to staff that wait go to 4."""
    engine = make_engine(db_url)
    with engine.begin() as connection:
        command.upgrade(schema.alembic_config(connection), "0013")
        for n, (purpose, priority) in enumerate((("staff_notice", 3), ("staff_summary", 3),
                                                 ("reminder", 2), ("registration_confirmed", 0))):
            connection.execute(text(
                "INSERT INTO outboundmail (purpose, dedupe_key, recipient, message_id, raw, "
                "status, attempts, next_attempt_at, created_at, priority, automatic, "
                "unverified_recipient) VALUES (:purpose, :key, 'a@b.nl', :key, :raw, "
                "'pending', 0, '2026-12-01 09:00:00', '2026-12-01 09:00:00', :priority, false, "
                "false)"), {"purpose": purpose, "key": f"<{n}@b.nl>", "raw": b"x",
                            "priority": priority})
    assert schema.upgrade(engine) == ("0013", schema.head_revision())
    with engine.connect() as connection:
        found = connection.execute(text("SELECT purpose, priority FROM outboundmail ORDER BY id"))
        assert list(found) == [("staff_notice", 4), ("staff_summary", 4), ("reminder", 2),
                               ("registration_confirmed", 0)]
    engine.dispose()


@pytest.mark.parametrize("dump", ["first-schema.sql", "schema-before-migrations.sql"])
def test_an_old_database_file_upgrades_keeps_its_rows_and_the_bot_runs_on_it(
        tmp_path, imap_account, smtp_sink, dump):
    """The first commit's schema, and the last one before migrations (the demo's database of
    the session before): SQLite files made by create_all of those commits' models."""
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as connection:
        connection.executescript((DATA_DIR / dump).read_text())
    url = f"sqlite:///{path}"
    config = write_config(tmp_path, imap_account, smtp_sink, url)
    env = {"TEST_IMAP_PASSWORD": imap_account.password, "INBOX_BOT_CONFIG": str(config)}

    current = run_cli("db", "current", env=env)
    assert current.returncode == 1 and "database schema: none" in current.stdout
    upgraded = run_cli("db", "upgrade", env=env)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    assert f"database schema: none -> {schema.head_revision()}" in upgraded.stdout
    assert run_cli("db", "current", env=env).returncode == 0
    engine = make_engine(url)
    assert differences(engine) == []
    with engine.connect() as connection:  # the new NOT NULL columns got their defaults
        rows = connection.execute(text(
            "SELECT email, undeliverable, ics_sequence FROM attendee ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("a.jansen@tweedekamer.nl", False, 0),
                                            ("c.bakker@tweedekamer.nl", False, 0)]
        assert connection.execute(text("SELECT automatic FROM outboundmail")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM inboundmessage "
                                        "WHERE raw_complete")).scalar() == 3
    engine.dispose()

    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, build("Graag meld ik mij aan voor de masterclass.\n\nDaan Smit",
                          From="Daan Smit <d.smit@tweedekamer.nl>",
                          Return_Path="<d.smit@tweedekamer.nl>",
                          Message_ID="<after-upgrade-1@tweedekamer.nl>"))
    client.logout()
    poll = run_cli("poll", "--once", env=env)
    assert poll.returncode == 0, poll.stderr[-2000:]
    listing = run_cli("attendees", "--format", "csv", env=env)
    table = {r["email"]: r["status"] for r in csv.DictReader(io.StringIO(listing.stdout))}
    assert table == {"a.jansen@tweedekamer.nl": "registered",
                     "c.bakker@tweedekamer.nl": "waitlisted",
                     "d.smit@tweedekamer.nl": "registered"}
    assert [m.rcpt_tos for m in smtp_sink.messages] == [("d.smit@tweedekamer.nl",)]


@pytest.mark.parametrize("command_name", ["upgrade", "current"])
def test_db_commands_on_an_unreachable_database_fail_cleanly(tmp_path, imap_account, smtp_sink,
                                                             command_name):
    config = write_config(tmp_path, imap_account, smtp_sink,
                          f"sqlite:///{tmp_path}/missing-dir/x.db")
    env = {"TEST_IMAP_PASSWORD": imap_account.password, "INBOX_BOT_CONFIG": str(config)}
    result = run_cli("db", command_name, env=env)
    assert result.returncode == 1
    assert "database" in result.stderr and "Traceback" not in result.stderr
