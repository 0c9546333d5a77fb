"""Health monitor: heartbeats in, alerts (dashboard, log, one mail to staff per problem) out.

In: the :class:`~bot.runtime.Runtime` and the time. Out: ``Heartbeat`` rows (``worker`` each
minute the worker runs, ``poll`` after each successful poll, also of an empty inbox), ``Alert`` rows
for problems, and for each new alert one mail to ``[health] alert_email`` through the outbox.
Problems found here:

- ``poll_stalled``: no successful poll for ``[health] stall_intervals`` poll intervals (the
  mailbox or the database failing; the worker is alive but cannot do its work);
- ``token_expiring``: with ``auth = "oauth2"``, the refresh token is missing, was refused, or
  expires within ``[health] token_warning_days`` (:func:`bot.store.oauth.token_health`);

and problems raised elsewhere as ``Alert`` rows (the reply circuit breaker in
:mod:`bot.outbound.limits`, a reconciliation miss in :mod:`bot.ops.reconcile`) are mailed here too.
An alert this module raised is resolved when its problem is gone; a later recurrence is a new alert
and a new mail. :func:`health_status` is what ``/healthz`` reports to monitoring.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config.types import Config
from bot.outbound.reply import Facts, Purpose, ReplyRequest
from bot.register.record import render_and_queue
from bot.runtime import Runtime
from bot.store.db import writer
from bot.store.models import Alert, Beat, Heartbeat, utcnow
from bot.store.oauth import token_health

log = logging.getLogger(__name__)

WORKER, POLL = Beat.WORKER, Beat.POLL

def beat(engine: Engine, name: str, now: dt.datetime | None = None) -> None:
    """Record a sign of life of ``name`` (``worker`` or ``poll``)."""
    at = now or utcnow()
    insert = (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)
    upsert = insert(Heartbeat).values(name=name, at=at).on_conflict_do_update(
        index_elements=["name"], set_={"at": at})  # two workers may beat at the same moment
    with writer(engine).begin() as connection:
        connection.execute(upsert)


def last_beat(session: Session, name: str) -> dt.datetime | None:
    row = session.get(Heartbeat, name)
    return row.at if row else None


def find_problems(session: Session, config: Config, now: dt.datetime, *,
                  started_at: dt.datetime) -> dict[str, str]:
    """The problems this module watches, by alert kind, with a message staff can act on."""
    problems: dict[str, str] = {}
    allowed = dt.timedelta(seconds=config.health.stall_intervals
                           * config.worker.poll_interval_seconds)
    last_poll = last_beat(session, POLL)
    since = max(last_poll or started_at, started_at)  # a stopped worker is not a stalled poll
    if now - since > allowed:
        when = last_poll.strftime("%Y-%m-%d %H:%M UTC") if last_poll else "nooit"
        problems["poll_stalled"] = (
            f"Geen geslaagde controle van de mailbox sinds {when} (meer dan "
            f"{config.health.stall_intervals} keer het interval van "
            f"{config.worker.poll_interval_seconds} s). Nieuwe aanmeldingen blijven liggen.")
    if config.oauth is not None:
        token = token_health(session.get_bind(), config, now)  # a reader engine
        if not token.ok:
            problems["token_expiring"] = (
                f"Het OAuth2-token van de mailbox werkt niet of verloopt binnenkort: "
                f"{token.message}. Log opnieuw in met `inbox-bot oauth login`.")
    return problems


def check_health(rt: Runtime, now: dt.datetime | None = None, *,
                 started_at: dt.datetime) -> list[str]:
    """The worker's health job: beat, raise and resolve alerts, mail staff about new ones.

    Returns the kinds of the alerts mailed now (each alert is mailed once, when first seen).
    """
    now = now or utcnow()
    beat(rt.engine, WORKER, now)
    with Session(rt.engine) as session:  # read first: the write lock is taken only below
        problems = find_problems(session, rt.config, now, started_at=started_at)
    with Session(writer(rt.engine)) as session:
        open_alerts = session.exec(select(Alert).where(Alert.resolved_at.is_(None))).all()
        watched = {a.kind: a for a in open_alerts if a.kind in _watched_kinds(problems)}
        for kind, message in problems.items():
            if kind not in watched:
                log.error("health: %s: %s", kind, message)
                alert = Alert(kind=kind, message=message, created_at=now)
                session.add(alert)
                open_alerts.append(alert)
        for kind, alert in watched.items():
            if kind not in problems:
                log.info("health: %s resolved", kind)
                alert.resolved_at = now
                session.add(alert)
        session.flush()
        mailed = [a for a in open_alerts if a.resolved_at is None and a.notified_at is None]
        for alert in mailed:
            _mail_staff(session, rt, alert, now)
        kinds = [alert.kind for alert in mailed]
        session.commit()
    return kinds


def _watched_kinds(problems: dict[str, str]) -> set[str]:
    """Kinds this module resolves by itself: its own, and those its finders report."""
    return {"poll_stalled", "token_expiring", *problems}


def _mail_staff(session: Session, rt: Runtime, alert: Alert, now: dt.datetime) -> None:
    alert.notified_at = now
    session.add(alert)
    address = rt.config.health.alert_email
    if not address:
        return
    request = ReplyRequest(
        purpose=Purpose.HEALTH_ALERT, language="nl", recipient=address,
        key=f"health-alert-{alert.id}", facts=Facts(
            problem=alert.message, since=alert.created_at.strftime("%Y-%m-%d %H:%M")),
        automatic=False)  # not an answer to inbound mail: the reply limits do not apply
    render_and_queue(session, [request], rt.config, rt.templates, source_id=None, now=now)


@dataclass(frozen=True)
class HealthStatus:
    """What ``/healthz`` is built from. It reports ``ok`` and the ages only; the kinds of the
    open alerts decide ``ok`` but are not shown without a login (they are on the dashboard)."""

    ok: bool
    worker_seconds_ago: float | None
    poll_seconds_ago: float | None
    open_alerts: tuple[str, ...]  # alert kinds
    poll_late: bool  # no successful poll within [health] stall_intervals poll intervals


def health_status(engine: Engine, config: Config, now: dt.datetime | None = None
                  ) -> HealthStatus:
    """Healthy when the worker beat within two minutes, a poll succeeded within
    ``stall_intervals`` intervals, and no alert is open."""
    now = now or utcnow()
    with Session(engine) as session:
        worker, poll = last_beat(session, WORKER), last_beat(session, POLL)
        kinds = session.exec(select(Alert.kind).where(Alert.resolved_at.is_(None))).all()
    allowed = config.health.stall_intervals * config.worker.poll_interval_seconds
    worker_age = (now - worker).total_seconds() if worker else None
    poll_age = (now - poll).total_seconds() if poll else None
    poll_late = poll_age is None or poll_age > allowed
    ok = worker_age is not None and worker_age <= 120 and not poll_late and not kinds
    return HealthStatus(ok, worker_age, poll_age, tuple(sorted(set(kinds))), poll_late)

