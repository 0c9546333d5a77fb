"""Small helpers the tests share: the command line, rows, times, ports, and the desk's login.

In: what each function names. Out: a finished ``inbox-bot`` process (:func:`run_cli`), the rows
of a table (:func:`rows`), a time some minutes from now (:func:`later`), a free loopback port
(:func:`free_port`), a desk client logged in as a staff member (:func:`logged_in`,
:func:`csrf_of`), a Runtime or a configuration file for a test's servers (:func:`runtime_for`,
:func:`write_config`) and an empty PostgreSQL database (:func:`fresh_postgres_database`).
Fixtures live in ``conftest.py``; message builders in ``mailfactory.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.demo.sink import SmtpSink
from bot.store.models import utcnow
from bot.web.app import create_app
from tests.servers import ImapAccount

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een-lang-wachtwoord-2026"  # of the desk's staff accounts in the tests
DATA_DIR = ROOT / "tests" / "data"  # labelled messages and old database files
DOVECOT_MISSING = "dovecot not installed: apt-get install dovecot-imapd"


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m bot ARGS`` as a user runs it, without the caller's INBOX_BOT_* variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("INBOX_BOT")}
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True,
                          env=base | (env or {}), cwd=ROOT, timeout=120)


def rows(source, model) -> list:
    """Every row of ``model``'s table in id order; ``source`` is a Runtime or an Engine."""
    with Session(getattr(source, "engine", source)) as session:
        return list(session.exec(select(model).order_by(model.id)))


def later(minutes: float) -> dt.datetime:
    return utcnow() + dt.timedelta(minutes=minutes)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def logged_in(rt, user: str = "anna") -> TestClient:
    """A desk client with ``user``'s session (the account must exist, with :data:`PASSWORD`)."""
    client = TestClient(create_app(rt))
    response = client.post("/login", data={"username": user, "password": PASSWORD,
                                           "csrf": csrf_of(client, "/login")},
                           follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    return client


def csrf_of(client: TestClient, path: str = "/") -> str:
    """The CSRF token in the form on ``path`` (on /login: the pre-session cookie's); "" when
    the page has none (and the POST that needs one fails)."""
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    return found.group(1) if found else ""


def runtime_for(*, host: str, port: int, username: str, password: str, db_url: str,
                smtp: SmtpSink, security: str = "plain", ca_file: str | None = None,
                capacity: int = 40, **sections: dict):
    """A Runtime for the real servers of a test, built the way production builds it."""
    from bot.config.load import parse_config
    from bot.runtime import Runtime

    mailbox = {"host": host, "port": port, "security": security, "username": username,
               "password_env": "TEST_IMAP_PASSWORD", "address": "info@kinderrechten.nl"}
    if ca_file:
        mailbox["ca_file"] = ca_file
    data = {
        "mailbox": mailbox,
        "smtp": {"host": smtp.host, "port": smtp.port, "security": "plain",
                 "from": "Kinderrechtencollectief <info@kinderrechten.nl>"},
        "database": {"url": db_url},
        "event": {"name": "Masterclass Kinderrechten", "date": "2026-12-15", "start": "19:00",
                  "end": "21:30", "venue": "Nieuwspoort",
                  "address": "Lange Poten 10, 2511 CL Den Haag", "capacity": capacity},
        "trust": {"allowed_domains": ["tweedekamer.nl"], "authserv_id": "mx.kinderrechten.nl"},
        "worker": {"batch_size": 50, "retry_base_seconds": 60},
    }
    # e.g. event={"venue": "Elders"}; smtp_={...} for [smtp] (smtp is the sink); None drops a
    # key; a list replaces the section (event=[{...}, {...}] for several [[event]]s)
    for section, values in sections.items():
        if isinstance(values, list):
            data[section.removesuffix("_")] = values
            continue
        table = data.setdefault(section.removesuffix("_"), {})
        for key, value in values.items():
            if value is None:
                table.pop(key, None)
            else:
                table[key] = value
    return Runtime.create(parse_config(data, {"TEST_IMAP_PASSWORD": password}))


def write_config(tmp_path: Path, account: ImapAccount, smtp: SmtpSink, db_url: str,
                 *, extra: str = "", capacity: int = 40) -> Path:
    """A config file for the real servers of a test, as a user would write it."""
    path = tmp_path / "config.toml"
    path.write_text(f"""
[mailbox]
host = "localhost"
port = {account.port}
security = "starttls"
ca_file = "{account.ca_file}"
username = "{account.username}"
password_env = "TEST_IMAP_PASSWORD"
address = "info@kinderrechten.nl"

[smtp]
host = "127.0.0.1"
port = {smtp.port}
security = "plain"
from = "Kinderrechtencollectief <info@kinderrechten.nl>"

[database]
url = "{db_url}"

[event]
name = "Masterclass Kinderrechten"
date = 2026-12-15
start = "19:00"
end = "21:30"
venue = "Nieuwspoort"
address = "Lange Poten 10, 2511 CL Den Haag"
capacity = {capacity}

[trust]
allowed_domains = ["tweedekamer.nl"]
authserv_id = "mx.kinderrechten.nl"
""" + extra)
    return path


def fresh_postgres_database(base_url: str) -> Iterator[str]:
    """Create ``test_<random>`` on the server of ``base_url``, yield its URL, drop it after."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"test_{secrets.token_hex(6)}"
    params = {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username,
        "password": url.password,
        "dbname": url.database or "postgres",
    }
    params = {key: value for key, value in params.items() if value is not None}
    with psycopg.connect(**params, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        with psycopg.connect(**params, autocommit=True) as conn:
            # FORCE: a connection the test leaked must not keep the database alive
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
