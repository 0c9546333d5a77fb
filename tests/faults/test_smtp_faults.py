"""SMTP faults: a 421 answer to DATA, connections refused, and the connection to the sink cut
in the middle of DATA (by our proxy). Every reply must go out in the end, once; the one case
where SMTP itself cannot tell (the server took the message, its 250 was lost) is counted and
bounded: at most one extra copy of the mail in flight, with the same Message-ID.

Time is moved by passing ``now=`` to ``flush_outbox`` (the retry backoff is a minute and more).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time

import pytest

from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.store.models import OutboundMail, utcnow
from tests.faults.helpers import (
    as_smtp,
    check_handled_once,
    deliver_many,
    rows,
    sign_ups,
    smtp_outcome,
    tls_runtime,
)
from tests.faults.proxy import CutProxy
from tests.helpers import later

N = 3
CAPACITY = 40


def precondition(condition: bool, what: str) -> None:
    """A precondition of a test (not an AssertionError): a set-up that went wrong reads
    differently from the behaviour under test going wrong."""
    if not condition:
        raise RuntimeError(f"precondition failed: {what}")


@contextlib.contextmanager
def requirement(what: str):
    try:
        yield
    except AssertionError as e:
        raise RuntimeError(f"precondition failed: {what}: {e}") from e


def flush(rt, minutes: float = 0):
    return flush_outbox(rt.engine, rt.config.smtp, rt.config.worker,
                        now=later(minutes) if minutes else None)


def test_421_on_data_is_retried_later_and_sent_once(imap_account, smtp_sink, db_url, made):
    """FT-05: the first DATA gets ``421 4.3.2 Service shutting down`` (no quota or rate answer:
    those pause the whole outbox, tests/outbound/test_pace.py); the bot drops that connection,
    sends the other replies on a new one, and the refused one after the backoff, once."""
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    rt = tls_runtime(imap_account, db_url, smtp_sink, capacity=CAPACITY)
    made.append(rt)
    smtp_sink.fail_next("421 4.3.2 Service shutting down")

    summary = poll_once(rt)

    assert (summary.sent.sent, summary.sent.retrying, summary.sent.failed) == (N - 1, 1, 0)
    [waiting] = [o for o in rows(rt.engine, OutboundMail) if o.status == "pending"]
    assert waiting.attempts == 1 and waiting.last_error.startswith("421")
    assert waiting.next_attempt_at > utcnow() + dt.timedelta(seconds=50)  # backoff, no spin
    assert flush(rt).sent == 0  # not due yet
    assert flush(rt, minutes=2).sent == 1
    assert flush(rt, minutes=120).sent == 0
    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
    assert outcome.duplicates == 0
    assert {o.id: o.attempts for o in rows(rt.engine, OutboundMail)}[waiting.id] == 2


def test_421_at_rcpt_is_retried_later_and_the_rest_go_out_at_once(imap_account, smtp_sink,
                                                                   db_url, made):
    """FT-05: the server answers the first RCPT with 421 and closes, as a busy server does;
    that one reply waits for the backoff, the others go out on a new connection at once
    (as with 421 on DATA above)."""
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    with CutProxy(smtp_sink.host, smtp_sink.port) as proxy:
        rt = tls_runtime(imap_account, db_url, as_smtp(proxy.host, proxy.port),
                         capacity=CAPACITY)
        made.append(rt)
        # smtplib writes the command in lower case
        proxy.answer_on_upstream(b"rcpt TO:", b"421 4.3.2 Service shutting down\r\n")

        summary = poll_once(rt)

        errors = sorted(o.last_error or "" for o in rows(rt.engine, OutboundMail))
        precondition(proxy.cuts == 1, "the 421 was never given")
        precondition(flush(rt, minutes=120).sent == N - summary.sent.sent,
                     "not all sent in the end")
        with requirement("every reply out once in the end"):
            check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
            assert smtp_outcome(smtp_sink).duplicates == 0
    # the bug: the second reply fails on the closed connection ("please run connect() first")
    assert (summary.sent.sent, summary.sent.retrying) == (N - 1, 1), errors


# where the proxy cuts the bot's connection to the sink, and the duplicates that must follow
SMTP_CUTS = {
    # everything of the message but the final "." reaches the sink: it never takes the mail
    "before-end-of-data": ("up", b"\r\n.\r\n", 0),
    # the sink took the mail, its "250" never reaches the bot: the bot must send it again
    "250-lost": ("down", b"250 2.0.0 OK: queued", 1),
}


@pytest.mark.parametrize("where", list(SMTP_CUTS))
def test_connection_cut_mid_data_is_retried(imap_account, smtp_sink, db_url, made, where):
    """FT-04/FT-08: the connection drops during the first message's DATA; that reply is sent
    again after the backoff, the others go out on a new connection right away."""
    direction, pattern, expected_duplicates = SMTP_CUTS[where]
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    with CutProxy(smtp_sink.host, smtp_sink.port) as proxy:
        rt = tls_runtime(imap_account, db_url, as_smtp(proxy.host, proxy.port),
                         capacity=CAPACITY)
        made.append(rt)
        if direction == "up":
            proxy.cut_on_upstream(pattern)
        else:
            proxy.cut_on_downstream(pattern)

        summary = poll_once(rt)

        assert proxy.cuts == 1
        assert (summary.sent.sent, summary.sent.retrying) == (N - 1, 1)
        [waiting] = [o for o in rows(rt.engine, OutboundMail) if o.status == "pending"]
        assert waiting.attempts == 1 and "Disconnected" in waiting.last_error
        assert flush(rt, minutes=2).sent == 1
        assert flush(rt, minutes=120).sent == 0

    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
    print(f"\nSMTP cut {where}: {len(smtp_sink.messages)} deliveries for {N} replies, "
          f"duplicates: {outcome.duplicates}")
    assert outcome.duplicates == expected_duplicates <= 1
    if expected_duplicates:
        [(key, times)] = [(k, n) for k, n in outcome.deliveries.items() if n > 1]
        assert key == (waiting.recipient, waiting.message_id) and times == 2
        copies = [m.data for m in smtp_sink.messages if m.rcpt_tos == (waiting.recipient,)]
        assert copies[0] == copies[1]  # the same bytes, the same Message-ID: recognisable


def test_refused_connections_are_retried_until_the_server_takes_them(imap_account, smtp_sink,
                                                                     db_url, made):
    """FT-08: every connection to the SMTP server is reset; nothing is lost or failed."""
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    with CutProxy(smtp_sink.host, smtp_sink.port) as proxy:
        rt = tls_runtime(imap_account, db_url, as_smtp(proxy.host, proxy.port),
                         capacity=CAPACITY)
        made.append(rt)
        proxy.refuse()

        summary = poll_once(rt)
        assert (summary.sent.sent, summary.sent.retrying, summary.sent.failed) == (0, N, 0)
        assert flush(rt, minutes=2).retrying == N  # still refused a little later

        proxy.accept()
        assert flush(rt, minutes=10).sent == N

    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
    assert outcome.duplicates == 0
    assert {o.attempts for o in rows(rt.engine, OutboundMail)} == {3}
    assert smtp_outcome(smtp_sink).duplicates == 0


STALL_SECONDS = 3.0


def test_a_slow_smtp_server_does_not_hold_up_other_database_writers(imap_account, smtp_sink,
                                                                    tmp_path, made):
    """The sink takes 3 s to answer DATA; meanwhile another writer (what each staff page
    request does first) should get the database at once, not after the SMTP server."""
    from sqlalchemy import text
    from sqlmodel import Session

    from bot.store.db import writer

    messages = sign_ups(1)
    deliver_many(imap_account, messages)
    with CutProxy(smtp_sink.host, smtp_sink.port) as proxy:
        rt = tls_runtime(imap_account, f"sqlite:///{tmp_path}/bot.db",
                         as_smtp(proxy.host, proxy.port), capacity=CAPACITY)
        made.append(rt)
        proxy.stall_on_downstream(b"250 2.0.0 OK: queued", STALL_SECONDS)
        polling = threading.Thread(target=poll_once, args=(rt,), daemon=True)
        polling.start()
        precondition(proxy.stalled.wait(20), "the reply never reached DATA")

        started = time.monotonic()
        with Session(writer(rt.engine)) as session:
            session.exec(text("SELECT 1"))
            session.commit()
        waited = time.monotonic() - started

        polling.join(timeout=30)
    with requirement("the reply went out once"):
        check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
    print(f"\na database writer waited {waited:.2f} s for a {STALL_SECONDS} s SMTP answer")
    assert waited < 1.0, f"a database writer waited {waited:.1f} s for the SMTP server"
