"""Login throttling: growing delays per account, a higher limit per client address.

In: a writing database session, the username typed and the client's address (the real one, from
``X-Forwarded-For`` of a trusted proxy: see :mod:`bot.web.app`), and the time. Out: either the
seconds the attempt must wait (it is refused: nothing is recorded and the password is not checked),
or a new :class:`~bot.store.desk_models.LoginAttempt` row, recorded as failed before the password is
checked and marked as succeeded afterwards when it was right.

Per account and client address: the first ``FREE_FAILURES`` failures since the account's last
successful login (within ``WINDOW``) cost nothing; after that each attempt from that address must
wait ``BASE_DELAY`` after its last failure, doubling with every further failure up to ``MAX_DELAY``.
That slows guessing to about one try a minute without ever locking anyone out: a refused attempt
does not count (nobody can renew a delay), and one attacker's failures slow down only the attacker,
not the staff member logging in from elsewhere. Per account from everywhere: past
``ACCOUNT_FAILURES`` failures within ``WINDOW`` (guessing spread over many addresses) the same
growing delays apply to every address. Per client address: more than ``ADDRESS_FAILURES`` failures
within ``WINDOW`` refuse that address until the oldest of them age out. Unknown usernames are
throttled exactly like real ones, so the throttle says nothing about which accounts exist.

The count and the insert are one transaction: on SQLite the writer's ``BEGIN IMMEDIATE`` serialises
it; on PostgreSQL transaction-scoped advisory locks on the username and on the address do, so
parallel requests cannot slip past the limits together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from sqlalchemy import func, text
from sqlmodel import Session, select

from bot.store.desk_models import LoginAttempt

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(minutes=15)
FREE_FAILURES = 3
BASE_DELAY = dt.timedelta(seconds=1)
MAX_DELAY = dt.timedelta(seconds=60)
ADDRESS_FAILURES = 30
ACCOUNT_FAILURES = 100  # failures of one account from all addresses before all are slowed
_LOCK_ACCOUNT, _LOCK_ADDRESS = 74692, 74693  # PostgreSQL advisory lock classes


def account_delay(failures: int) -> dt.timedelta:
    """How long after the last failure the next attempt on an account must wait."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(BASE_DELAY * 2 ** min(failures - FREE_FAILURES, 16), MAX_DELAY)


def claim_attempt(session: Session, username: str, address: str, *,
                  now: dt.datetime) -> tuple[int | None, int]:
    """(the new attempt's row id, 0), or (None, seconds to wait) when throttled.

    ``session`` must be a writer's (see :func:`bot.store.db.writer`); this commits.
    """
    _lock(session, _LOCK_ACCOUNT, username)
    _lock(session, _LOCK_ADDRESS, address)
    wait = max(_account_wait(session, username, address, now),
               _address_wait(session, address, now))
    if wait > dt.timedelta(0):
        session.rollback()
        seconds = int(-(-wait.total_seconds() // 1))  # rounded up
        log.warning("login throttled for %d s", seconds)
        log.debug("login throttled: client %s", address)  # an address is personal data
        return None, seconds
    attempt = LoginAttempt(username=username, address=address, succeeded=False, at=now)
    session.add(attempt)
    session.commit()
    return attempt.id, 0


def mark_succeeded(session: Session, attempt_id: int) -> None:
    attempt = session.get(LoginAttempt, attempt_id)
    attempt.succeeded = True
    session.add(attempt)
    session.commit()


def _account_wait(session: Session, username: str, address: str, now: dt.datetime
                  ) -> dt.timedelta:
    waits = [dt.timedelta(0)]
    here, last_here = _failures(session, now, LoginAttempt.username == username,
                                LoginAttempt.address == address)
    if here:
        waits.append(last_here + account_delay(here) - now)
    everywhere, last = _failures(session, now, LoginAttempt.username == username)
    if everywhere >= ACCOUNT_FAILURES:
        waits.append(last + account_delay(everywhere - ACCOUNT_FAILURES + FREE_FAILURES) - now)
    return max(waits)


def _failures(session: Session, now: dt.datetime, *where) -> tuple[int, dt.datetime | None]:
    """How many failed logins match ``where`` since the last success that matches it (within
    ``WINDOW``), and when the last was: a success from one address resets that address only."""
    last_success = session.exec(select(func.max(LoginAttempt.at)).where(
        *where, LoginAttempt.succeeded)).one()
    since = max(now - WINDOW, last_success) if last_success else now - WINDOW
    return session.exec(select(func.count(), func.max(LoginAttempt.at)).where(
        *where, ~LoginAttempt.succeeded, LoginAttempt.at > since)).one()


def _address_wait(session: Session, address: str, now: dt.datetime) -> dt.timedelta:
    recent = (LoginAttempt.address == address, ~LoginAttempt.succeeded,
              LoginAttempt.at > now - WINDOW)
    failures = session.exec(select(func.count()).select_from(LoginAttempt).where(*recent)).one()
    if failures < ADDRESS_FAILURES:
        return dt.timedelta(0)
    # refused until so many of them have aged out that one more is allowed
    oldest = session.exec(select(LoginAttempt.at).where(*recent).order_by(LoginAttempt.at)
                          .offset(failures - ADDRESS_FAILURES).limit(1)).one()
    return oldest + WINDOW - now


def _lock(session: Session, kind: int, value: str) -> None:
    """On PostgreSQL, hold an advisory lock on ``value`` until the transaction ends."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite: the writer's BEGIN IMMEDIATE already holds the database's write lock
    key = int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)
    session.connection().execute(text("SELECT pg_advisory_xact_lock(:kind, :key)"),
                                 {"kind": kind, "key": key})
