"""The login throttle on a real database (SQLite, and PostgreSQL when configured), driven with
explicit times: growing delays per account, refused attempts not counted, a success resets
the account, a separate limit per client address, and no race between parallel logins."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlmodel import Session, select

from bot.store.db import writer
from bot.store.desk_models import LoginAttempt
from bot.store.schema import open_database
from bot.web import throttle
from bot.web.auth import authenticate, create_user

PASSWORD = "een-lang-wachtwoord-2026"
T0 = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(db_url):
    engine = open_database(db_url)
    with Session(writer(engine)) as session:
        create_user(session, "anna", PASSWORD)
        create_user(session, "bart", PASSWORD)
    yield engine
    engine.dispose()


def login(engine, user: str, password: str, seconds: float, address: str = "198.51.100.7"):
    """(logged in?, seconds to wait) for a login ``seconds`` after T0."""
    with Session(writer(engine)) as session:
        result = authenticate(session, user, password, address=address,
                              now=T0 + dt.timedelta(seconds=seconds))
        return result.user is not None, result.wait_seconds


def recorded(engine, user: str) -> int:
    with Session(engine) as session:
        return len(session.exec(select(LoginAttempt).where(LoginAttempt.username == user)).all())


def test_delays_double_from_the_fourth_failure_and_stop_at_a_minute():
    assert [throttle.account_delay(n).total_seconds() for n in range(12)] == [
        0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert throttle.account_delay(10_000) == dt.timedelta(seconds=60)


def test_an_account_slows_down_but_never_locks(engine):
    for second in (0, 0, 0):  # three free failures
        assert login(engine, "anna", "fout", second) == (False, 0)
    # the fourth must wait a second after the third; refused with the right password, too
    assert login(engine, "anna", PASSWORD, 0.5) == (False, 1)
    assert recorded(engine, "anna") == 3  # refused: not counted
    assert login(engine, "bart", PASSWORD, 0.5) == (True, 0)  # nobody else is slowed down
    assert login(engine, "anna", "fout", 1) == (False, 0)  # the fourth failure: now 2 s
    assert login(engine, "anna", "fout", 2.9) == (False, 1)
    assert login(engine, "anna", "fout", 3) == (False, 0)  # fifth: now 4 s
    assert login(engine, "anna", PASSWORD, 6.5) == (False, 1)
    assert recorded(engine, "anna") == 5
    at = 7.0
    for delay in (8, 16, 32, 60, 60, 60):  # a patient attacker: at most one guess a minute
        assert login(engine, "anna", "fout", at) == (False, 0)
        assert login(engine, "anna", PASSWORD, at + delay - 0.5) == (False, 1)
        at += delay
    assert login(engine, "anna", PASSWORD, at) == (True, 0)  # the right password still works
    for _ in range(3):  # and a success starts the count afresh
        assert login(engine, "anna", "fout", at + 1) == (False, 0)
    assert login(engine, "anna", "fout", at + 1.5) == (False, 1)


def test_an_attacker_guessing_once_a_minute_slows_down_only_themselves(engine):
    """Attacker review 5: one wrong password each time the delay ended kept the real staff
    member out for an hour."""
    at = 0.0
    for _ in range(60):  # an hour of guessing from one address, as fast as allowed
        ok, wait = login(engine, "anna", "fout", at, address="203.0.113.66")
        assert not ok
        at += max(wait, 1)
        # anna, from her own address, gets in with the right password at any moment
        assert login(engine, "anna", PASSWORD, at - 0.5, address="198.51.100.7") == (True, 0)


def test_guessing_spread_over_many_addresses_slows_the_account_everywhere(engine):
    for n in range(throttle.ACCOUNT_FAILURES):
        assert login(engine, "anna", "fout", 0, address=f"10.0.{n // 250}.{n % 250}") == (
            False, 0)
    assert login(engine, "anna", PASSWORD, 0.5, address="198.51.100.7") == (False, 1)


def test_an_unknown_name_is_throttled_like_a_real_one(engine):
    for user in ("anna", "nobody"):
        for _ in range(3):
            assert login(engine, user, "fout", 0) == (False, 0)
        assert login(engine, user, "fout", 0.2) == (False, 1)


def test_failures_age_out_of_the_window(engine):
    for second in (0, 0, 0, 1, 3, 7, 15, 31):  # eight failures, each as early as allowed
        assert login(engine, "anna", "fout", second) == (False, 0)
    assert login(engine, "anna", PASSWORD, 59) == (False, 4)  # 32 s after the last one
    window = throttle.WINDOW.total_seconds()
    assert login(engine, "anna", PASSWORD, window + 32) == (True, 0)


def test_a_client_address_has_its_own_higher_limit(engine):
    limit = throttle.ADDRESS_FAILURES
    for n in range(limit):  # many names, each below its own limit
        assert login(engine, f"naam{n // 3}", "fout", n, address="203.0.113.9") == (False, 0)
    refused = login(engine, "bart", PASSWORD, limit, address="203.0.113.9")
    assert refused == (False, throttle.WINDOW.total_seconds() - limit)  # the first ages out
    assert login(engine, "anna", PASSWORD, limit, address="198.51.100.7") == (True, 0)
    # once the oldest failure is out of the window, that address may try again
    assert login(engine, "bart", PASSWORD, throttle.WINDOW.total_seconds() + 1,
                 address="203.0.113.9") == (True, 0)


def test_parallel_logins_cannot_slip_past_the_throttle(engine):
    """Eight wrong passwords at the same moment after two failures: one more is checked, the
    other seven are refused (on PostgreSQL thanks to the advisory locks)."""
    login(engine, "anna", "fout", 0)
    login(engine, "anna", "fout", 0)
    start = threading.Barrier(8)
    results: list[tuple[bool, int]] = []

    def attempt() -> None:
        start.wait()
        results.append(login(engine, "anna", "fout", 0.1))

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == [(False, 0)] + [(False, 1)] * 7
    assert recorded(engine, "anna") == 3
