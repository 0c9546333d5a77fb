"""The demo behind ``make demo``: the bot's main job against a local mailbox, start to finish.

In: the sample messages in ``bot/demo/samples/`` and ``config.example.toml``. Out: a report on
stdout, and ``demo-data/`` with the database and configuration the run used (the staff commands
and UI read them afterwards). It needs no system packages: the IMAP server is pymap, in memory,
and the SMTP server is an aiosmtpd sink, both on loopback and stopped at the end.

The poll goes through ``inbox-bot poll --once`` exactly as in production; only the servers are
local. The event is moved to a Tuesday four to five weeks ahead, whatever today's date is, so
the demo always shows an upcoming event, and it has three seats, so the demo also shows the
waiting list and a promotion after a cancellation.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import tomllib
from pathlib import Path

from imapclient import IMAPClient
from sqlmodel import Session, select

from bot.cli import main as cli
from bot.config.load import load_config
from bot.demo.imapserver import DemoImapServer
from bot.demo.sink import SmtpSink
from bot.runtime import Runtime
from bot.store.models import InboundMessage
from bot.store.queries import list_attendees, list_questions

ROOT = Path(__file__).resolve().parents[2]
DEMO_CAPACITY = 3  # small, so the demo shows the waiting list and a promotion
SAMPLES = Path(__file__).resolve().parent / "samples"
USER, PASSWORD, PASSWORD_ENV = "info@kinderrechten.nl", "demo-password", "INBOX_BOT_DEMO_PASSWORD"


def main(out_dir: Path = ROOT / "demo-data") -> int:
    sys.stdout.reconfigure(line_buffering=True)  # keep the report in order with the log lines
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-command lines
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.glob("inbox-bot.db*"):
        old.unlink()
    os.environ[PASSWORD_ENV] = PASSWORD
    with DemoImapServer(users={USER: PASSWORD}) as imap, SmtpSink() as smtp:
        config_path = write_config(out_dir, imap_port=imap.port, smtp_port=smtp.port)
        samples = sorted(SAMPLES.glob("*.eml"))
        deliver(imap.host, imap.port, samples)
        print(f"== delivered {len(samples)} sample messages to {USER} on "
              f"{imap.host}:{imap.port} (pymap); SMTP sink on {smtp.host}:{smtp.port}")
        print("== inbox-bot poll --once")
        code = cli.main(["--config", str(config_path), "poll", "--once"])
        if code != 0:
            return code
        report(Runtime.create(load_config(config_path)), smtp, config_path)
    return 0


def write_config(out_dir: Path, *, imap_port: int, smtp_port: int,
                 extra: dict[tuple[str, str], object] | None = None) -> Path:
    """config.example.toml with local servers, the demo database and a future event date;
    ``extra`` sets further keys, e.g. ``{("health", "alert_email"): "staf@..."}``."""
    data = tomllib.loads((ROOT / "config.example.toml").read_text(encoding="utf-8"))
    event_date = upcoming_event_date(dt.date.today())
    replace = {
        ("mailbox", "host"): "127.0.0.1", ("mailbox", "port"): imap_port,
        ("mailbox", "security"): "plain", ("mailbox", "username"): USER,
        ("mailbox", "password_env"): PASSWORD_ENV, ("smtp", "host"): "127.0.0.1",
        ("smtp", "port"): smtp_port, ("smtp", "security"): "plain",
        ("database", "url"): f"sqlite:///{out_dir / 'inbox-bot.db'}",
        ("event", "date"): event_date.isoformat(),
        ("event", "capacity"): DEMO_CAPACITY,
        **(extra or {}),
    }
    lines = ["# Written by `make demo`: config.example.toml with the demo's local servers.",
             f"# Commands need the password in the environment: {PASSWORD_ENV}={PASSWORD}", ""]
    for section, table in data.items():
        lines.append(f"[{section}]")
        keys = {**table, **{k: None for s, k in replace if s == section and k not in table}}
        for key, value in keys.items():
            if (section, key) in {("smtp", "username"), ("smtp", "password_env")}:
                continue  # the sink needs no login
            lines.append(f"{key} = {_toml(replace.get((section, key), value))}")
        lines.append("")
    path = out_dir / "config.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def upcoming_event_date(today: dt.date) -> dt.date:
    """A Tuesday, like the real event, four to five weeks after ``today``."""
    date = today + dt.timedelta(days=28)
    return date + dt.timedelta(days=(1 - date.weekday()) % 7)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def deliver(host: str, port: int, files: list[Path]) -> None:
    """APPEND the samples as a mail server's delivery would (a second client beside the bot)."""
    client = IMAPClient(host, port=port, ssl=False, timeout=10)
    client.login(USER, PASSWORD)
    for file in files:
        client.append("INBOX", file.read_bytes())
    client.logout()


def report(rt: Runtime, smtp: SmtpSink, config_path: Path) -> None:
    """Print what happened: attendees, questions, replies, ignored and review messages."""
    attendees = list_attendees(rt.engine, rt.config.event.key)
    print(f"\n== attendees ({len(attendees)}; capacity {rt.config.event.capacity})")
    for a in attendees:
        print(f"   {a.status:15} {a.name or '-':24} {a.party or '-':16} {a.email}")
    questions = list_questions(rt.engine, status="open")
    print(f"\n== open questions ({len(questions)})")
    for q in questions:
        print(f"   #{q.id} {q.sender}: {' '.join(q.text.split())[:90]}")
    print(f"\n== mail sent ({len(smtp.messages)})")
    for mail in smtp.messages:
        msg = mail.message
        invite = next((p.get_param("method") for p in msg.walk()
                       if p.get_content_type() == "text/calendar"), None)
        print(f"   to {mail.rcpt_tos[0]:30} {msg['Subject']}"
              + (f"  [.ics {invite}]" if invite else ""))
    confirmation = next((m for m in smtp.messages
                         if "ingeschreven" in m.text), None)
    if confirmation is not None:
        print("\n== first lines of one confirmation")
        for line in confirmation.text.splitlines()[:9]:
            print(f"   | {line}")
    with Session(rt.engine) as session:
        rows = session.exec(select(InboundMessage).order_by(InboundMessage.id)).all()
    print("\n== ignored (automatic mail, never answered)")
    for row in rows:
        if row.status == "ignored":
            print(f"   {row.sender or '-':40} {', '.join(row.reasons)}")
    print("\n== for staff review")
    for row in rows:
        if row.status in ("needs_review", "quarantined"):
            print(f"   {row.sender or '-':40} {row.kind}: {', '.join(row.reasons) or row.error}")
    print(f"\nThe database is in {rt.config.database_url.removeprefix('sqlite:///')}. Try:\n"
          f"   {PASSWORD_ENV}={PASSWORD} .venv/bin/inbox-bot --config {config_path} attendees\n"
          f"   {PASSWORD_ENV}={PASSWORD} .venv/bin/inbox-bot --config {config_path} questions")
    sys.stdout.flush()
