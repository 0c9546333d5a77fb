"""Staff accounts and sessions: Argon2id passwords, server-side sessions, CSRF tokens, notices.

In: usernames, passwords, the browser's session token and address, the time. Out: a
:class:`LoginResult` (the logged-in ``StaffUser``, or ``None`` with the same
message for an unknown user and a wrong password, or the seconds a throttled attempt must wait:
see :mod:`bot.web.throttle`), new session tokens, and the one-time notice of a session.
Passwords are hashed with Argon2id at OWASP's recommended minimum (19 MiB, 2 iterations, 1
lane). A session lives in the database: the cookie holds a random token and the database only
its SHA-256, so logging out, ``IDLE_TIMEOUT`` without a request, or ``MAX_LIFETIME`` after the
login ends it for good; logging in always starts a new one (no session fixation). The result
of a staff action travels to the next page in the session (``StaffSession.notice``), shown
once, never in the URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from bot.errors import AccountError
from bot.store.desk_models import StaffSession, StaffUser
from bot.web import throttle

HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
HASHING = threading.BoundedSemaphore(2)  # password checks at the same time
IDLE_TIMEOUT = dt.timedelta(minutes=30)
MAX_LIFETIME = dt.timedelta(hours=12)
LOGIN_FAILED = "Onbekende gebruikersnaam of onjuist wachtwoord."
THROTTLED = "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw."
# A hash to verify against for unknown users, so both answers take the same time.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


def create_user(session: Session, username: str, password: str) -> StaffUser:
    username = username.strip().lower()
    if not username or len(username) > 64:
        raise AccountError("a username needs 1 to 64 characters")
    if len(password) < 12:
        raise AccountError("a password needs at least 12 characters")
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise AccountError(f"user {username} already exists")
    user = StaffUser(username=username, password_hash=HASHER.hash(password))
    session.add(user)
    session.commit()
    return user


@dataclass(frozen=True)
class LoginResult:
    user: StaffUser | None  # None: unknown user, wrong password, or throttled
    wait_seconds: int = 0  # > 0: throttled; the password was not checked


def authenticate(session: Session, username: str, password: str, *, address: str,
                 now: dt.datetime) -> LoginResult:
    """The user, if the login is not throttled and the password is right; record the try.

    ``session`` must be a writer's (:func:`bot.store.db.writer`).
    """
    username = username.strip().lower()[:64]
    attempt, wait = throttle.claim_attempt(session, username, address[:64], now=now)
    if attempt is None:
        return LoginResult(None, wait)
    user = session.exec(select(StaffUser).where(StaffUser.username == username,
                                                StaffUser.active)).first()
    password_hash = user.password_hash if user else _DUMMY_HASH
    session.rollback()  # the slow password check holds no database lock
    if not _verify(password_hash, password) or user is None:
        return LoginResult(None)
    throttle.mark_succeeded(session, attempt)
    return LoginResult(user)


def _verify(password_hash: str, password: str) -> bool:
    """Check the password; at most :data:`HASHING` checks at once (each takes 19 MiB and a
    core for about 50 ms: a burst of logins, each in its own worker thread, queues here instead
    of taking all memory and both cores)."""
    with HASHING:
        try:
            return HASHER.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


def start_session(session: Session, user: StaffUser, *, now: dt.datetime,
                  old_token: str | None = None) -> tuple[str, str]:
    """A new session for ``user`` (ending the browser's old one); returns (token, csrf)."""
    if old_token:
        end_session(session, old_token)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    session.add(StaffSession(token_hash=_hash(token), user_id=user.id, csrf_token=csrf,
                             created_at=now, last_seen_at=now))
    session.commit()
    return token, csrf


def current(session: Session, token: str | None, *, now: dt.datetime
            ) -> tuple[StaffUser, StaffSession] | None:
    """The user and session for ``token``; ``None`` when unknown, idle too long, or older
    than ``MAX_LIFETIME``."""
    if not token:
        return None
    row = session.exec(select(StaffSession).where(StaffSession.token_hash == _hash(token))
                       ).first()
    if row is None:
        return None
    if now - row.last_seen_at > IDLE_TIMEOUT or now - row.created_at > MAX_LIFETIME:
        session.delete(row)
        session.commit()
        return None
    user = session.get(StaffUser, row.user_id)
    if user is None or not user.active:
        return None
    row.last_seen_at = now
    session.add(row)
    session.commit()
    return user, row


def end_session(session: Session, token: str) -> None:
    row = session.exec(select(StaffSession).where(StaffSession.token_hash == _hash(token))
                       ).first()
    if row is not None:
        session.delete(row)
        session.commit()


def set_notice(session: Session, session_id: int, notice: str) -> None:
    """Show ``notice`` once, on the next page this browser session opens."""
    row = session.get(StaffSession, session_id)
    if row is not None:
        row.notice = notice[:500]
        session.add(row)
        session.commit()


def clear_notice(session: Session, session_id: int) -> None:
    row = session.get(StaffSession, session_id)
    if row is not None and row.notice is not None:
        row.notice = None
        session.add(row)
        session.commit()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
