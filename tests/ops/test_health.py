"""Health: ``inbox-bot check`` against the real servers, the worker's alerts, ``/healthz``.

The monitor is driven with explicit times (a stalled poll is "now" three intervals after the
last successful one); the polls, the alert mails and the SMTP server are real.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.ops.monitor import check_health
from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.store.models import Alert, Heartbeat
from bot.web.app import create_app
from tests.helpers import DATA_DIR, ROOT, run_cli, write_config
from tests.imaptools import connect, deliver
from tests.mailfactory import build

STAFF = "staf@kinderrechten.nl"


def cli_env(account, config) -> dict[str, str]:
    return {"TEST_IMAP_PASSWORD": account.password, "INBOX_BOT_CONFIG": str(config)}


def test_check_passes_with_working_servers_and_names_every_part(tmp_path, imap_account,
                                                                smtp_sink, db_url):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url)
    run_cli("db", "upgrade", env=cli_env(imap_account, config))
    result = run_cli("check", env=cli_env(imap_account, config))
    assert result.returncode == 0, result.stdout + result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert [line.split()[:2] for line in lines[:6]] == [
        ["PASS", "database"], ["PASS", "templates"], ["PASS", "imap"], ["PASS", "smtp"],
        ["PASS", "pace"], ["PASS", "alerts"]]
    assert "INBOX 0, Processed 0, Quarantine 0" in lines[2]
    assert "no limit" in lines[4]
    assert lines[-1] == "6 of 6 checks passed"
    paced = write_config(tmp_path, imap_account, smtp_sink, db_url).read_text().replace(
        "[smtp]\n", "[smtp]\nmax_per_minute = 30\nmax_per_day = 10000\n")
    config.write_text(paced)
    [pace_line] = [line for line in run_cli("check", env=cli_env(imap_account, config))
                   .stdout.splitlines() if line.split()[1:2] == ["pace"]]
    assert pace_line.endswith("30 per minute, 10000 per day")
    assert smtp_sink.messages == []  # a check sends nothing


def test_check_names_each_failing_part_and_exits_1(tmp_path, imap_account, smtp_sink, db_url):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url)
    text = config.read_text().replace(f"port = {smtp_sink.port}", "port = 9")  # nothing there
    config.write_text(text)
    env = {"TEST_IMAP_PASSWORD": "wrong password", "INBOX_BOT_CONFIG": str(config)}
    result = run_cli("check", env=env)
    assert result.returncode == 1
    status = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()[:6]}
    assert status == {"database": "FAIL", "templates": "PASS", "imap": "FAIL", "smtp": "FAIL",
                      "pace": "PASS", "alerts": "FAIL"}
    assert "inbox-bot db upgrade" in result.stdout  # a new database: the fix is named
    assert "AUTHENTICATIONFAILED" in result.stdout or "authentication failed" in (
        result.stdout.lower())
    assert "127.0.0.1:9" in result.stdout
    assert "alerts    not checked: the database is not ready" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "2 of 6 checks passed; failed: database, imap, smtp, alerts")
    assert "Traceback" not in result.stderr


def test_a_stalled_poll_alerts_staff_once_and_resolves_when_polls_work_again(make_runtime,
                                                                               smtp_sink):
    rt = make_runtime(health={"alert_email": STAFF}, worker={"poll_interval_seconds": 60})
    start = dt.datetime.now(dt.UTC)
    poll_once(rt)  # a successful poll of the empty inbox: a heartbeat
    assert check_health(rt, start + dt.timedelta(minutes=2), started_at=start) == []

    later = start + dt.timedelta(minutes=4)  # more than 3 intervals of 60 s without a poll
    mailed = check_health(rt, later, started_at=start)
    assert mailed == ["poll_stalled"]
    assert check_health(rt, later + dt.timedelta(minutes=1), started_at=start) == []  # once
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    assert [m.rcpt_tos for m in smtp_sink.messages] == [(STAFF,)]
    alert_mail = smtp_sink.messages[0].message
    assert alert_mail["Subject"] == "[inbox-bot] Waarschuwing: Masterclass Kinderrechten"
    assert alert_mail["Auto-Submitted"] == "auto-generated"
    assert "Geen geslaagde controle van de mailbox" in alert_mail.get_body(
        ("plain",)).get_content()

    poll_once(rt)  # polls work again: the alert is resolved, the dashboard clears
    check_health(rt, dt.datetime.now(dt.UTC), started_at=start)
    with Session(rt.engine) as session:
        alerts = session.exec(select(Alert)).all()
    assert [(a.kind, a.resolved_at is not None) for a in alerts] == [("poll_stalled", True)]

    much_later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)  # stalls again: new mail
    assert check_health(rt, much_later, started_at=start) == ["poll_stalled"]


def test_the_tripped_circuit_breaker_is_mailed_to_staff(make_runtime, imap, smtp_sink):
    rt = make_runtime(health={"alert_email": STAFF}, limits={"circuit_breaker_replies": 2})
    deliver(imap, *(build("Is er parkeergelegenheid bij Nieuwspoort?",
                          From=f"Vraag {i} <v{i}@gmail.example>",
                          Return_Path=f"<v{i}@gmail.example>",
                          Authentication_Results="mx.kinderrechten.nl; dmarc=pass "
                                                 "header.from=gmail.example",
                          Message_ID=f"<breaker-{i}@gmail.example>") for i in range(4)))
    poll_once(rt)
    mailed = check_health(rt, started_at=dt.datetime.now(dt.UTC))
    assert mailed == ["circuit_breaker"]
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    recipients = [m.rcpt_tos[0] for m in smtp_sink.messages]
    assert recipients.count(STAFF) == 1 and len(recipients) == 3  # 2 replies, then the alert
    # (replies to unverified senders only: the other two are held, not dropped)
    assert check_health(rt, started_at=dt.datetime.now(dt.UTC)) == []


def test_healthz_reports_failing_then_ok_without_personal_data(make_runtime, imap):
    rt = make_runtime()
    client = TestClient(create_app(rt))
    first = client.get("/healthz")
    assert first.status_code == 503 and first.json()["status"] == "failing"
    deliver(imap, DATA_DIR / "registration_nl.eml")
    poll_once(rt)
    check_health(rt, started_at=dt.datetime.now(dt.UTC))
    ok = client.get("/healthz")
    assert ok.status_code == 200, ok.text
    body = ok.json()
    assert set(body) == {"status", "worker_seconds_ago", "poll_seconds_ago"}
    assert body["status"] == "ok"
    assert 0 <= body["worker_seconds_ago"] < 60 and 0 <= body["poll_seconds_ago"] < 60
    assert "@" not in ok.text


def test_healthz_fails_on_an_open_alert_without_naming_it(make_runtime):
    """Without a login /healthz says failing and the ages, not which alert is open (that would
    tell an attacker when the circuit breaker tripped)."""
    rt = make_runtime()
    poll_once(rt)
    check_health(rt, started_at=dt.datetime.now(dt.UTC))
    client = TestClient(create_app(rt))
    assert client.get("/healthz").status_code == 200
    with Session(rt.engine) as session:
        session.add(Alert(kind="circuit_breaker", message="Automatische antwoorden gestopt."))
        session.commit()
    failing = client.get("/healthz")
    assert failing.status_code == 503
    assert set(failing.json()) == {"status", "worker_seconds_ago", "poll_seconds_ago"}
    assert failing.json()["status"] == "failing"
    assert "circuit_breaker" not in failing.text and "gestopt" not in failing.text


def test_the_worker_writes_heartbeats(tmp_path, imap_account, smtp_sink, db_url):
    config = write_config(tmp_path, imap_account, smtp_sink, db_url)
    env = {**os.environ, **cli_env(imap_account, config)}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    try:
        deliver(client, DATA_DIR / "registration_nl.eml")
        smtp_sink.wait_for(1, timeout=30)  # the first poll ran
    finally:
        client.logout()
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=30)
    assert worker.returncode == 0, stderr[-3000:]
    from bot.store.db import make_engine
    engine = make_engine(db_url)
    with Session(engine) as session:
        names = set(session.exec(select(Heartbeat.name)).all())
    engine.dispose()
    assert names == {"worker", "poll"}
