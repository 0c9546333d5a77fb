"""Small helpers the tests share: the command line, rows, times, ports, and the desk's login.

In: what each function names. Out: a finished ``inbox-bot`` process (:func:`run_cli`), the rows
of a table (:func:`rows`), a time some minutes from now (:func:`later`), a free loopback port
(:func:`free_port`), and a desk client logged in as a staff member (:func:`logged_in`,
:func:`csrf_of`). Fixtures live in ``conftest.py``; message builders in ``mailfactory.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.store.models import utcnow
from bot.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "een-lang-wachtwoord-2026"  # of the desk's staff accounts in the tests


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
