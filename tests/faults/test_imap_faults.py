"""IMAP faults: the connection to Dovecot cut in the middle of a FETCH or a MOVE, refused, and
the server restarted between polls. After each fault a healthy poll must finish the job with
every message recorded once, every sign-up one attendee and every reply sent once.

The bot talks plain IMAP on loopback to our :class:`~tests.faults.proxy.CutProxy`, which
forwards to Dovecot's plain port (the session's Dovecot; the restart test starts its own).
"""

from __future__ import annotations

import time

import pytest

from bot.errors import MailboxError
from bot.pipeline.flow import poll_once
from bot.store.models import InboundMessage, OutboundMail
from tests.faults.helpers import (
    check_handled_once,
    deliver_many,
    folder_counts,
    imap_runtime,
    rows,
    sha256,
    sign_ups,
)
from tests.faults.proxy import CutProxy

N = 50
CAPACITY = 40


@pytest.fixture
def proxy(imap_account):
    with CutProxy("127.0.0.1", imap_account.port) as proxy:
        yield proxy


@pytest.mark.parametrize("batch_size", [N, 10])
def test_cut_mid_fetch_then_a_healthy_poll_catches_up(proxy, imap_account, smtp_sink, db_url,
                                                      made, batch_size):
    """FT-09: the connection drops halfway through the bytes of a 50-message backlog."""
    messages = sign_ups(N, pad=2000)
    deliver_many(imap_account, messages)
    rt = imap_runtime(imap_account, db_url, smtp_sink, port=proxy.port, capacity=CAPACITY,
                      worker={"batch_size": batch_size})
    made.append(rt)
    total = sum(len(m) for m in messages)
    proxy.cut_after_bytes(total // 2, direction="down")

    with pytest.raises(MailboxError):
        poll_once(rt)

    assert proxy.cuts == 1
    recorded = rows(rt.engine, InboundMessage)
    # no half message was parsed or stored: whatever was recorded is a whole delivered message
    assert {m.sha256 for m in recorded} <= {sha256(raw) for raw in messages}
    if batch_size == N:
        assert recorded == []  # the one batch never arrived whole
    else:
        assert 0 < len(recorded) < N and len(recorded) % batch_size == 0  # whole batches only
    assert smtp_sink.messages == []  # the poll died before the send stage
    counts = folder_counts(imap_account)
    assert counts["INBOX"] + counts["Processed"] == N and counts["INBOX"] >= N - len(recorded)

    summary = poll_once(rt)

    assert summary.refiled + sum(summary.fates.values()) == counts["INBOX"]
    assert summary.fates.get("duplicate", 0) == 0
    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
    assert outcome.duplicates == 0
    again = poll_once(rt)
    assert (sum(again.fates.values()), again.refiled, again.sent.sent) == (0, 0, 0)
    assert len(smtp_sink.messages) == N
    print(f"\ncut after {total // 2} of ~{total} bytes (batch {batch_size}): "
          f"{len(recorded)} recorded before the cut, {summary.refiled} refiled after; "
          f"duplicate replies: {outcome.duplicates}")


MOVE_CUTS = {
    # the command is cut off before Dovecot sees it: every message stays in INBOX
    "move-never-arrives": ("up", b"UID MOVE", False),
    # the command reaches Dovecot and the connection drops at once (Dovecot may or may not
    # carry it out)
    "move-sent-then-cut": ("up", b"UID MOVE", True),
    # Dovecot moved everything; its answer ([COPYUID ...], EXPUNGEs, OK) never reaches the bot
    "move-done-answer-lost": ("down", b"[COPYUID ", False),
}


@pytest.mark.parametrize("where", list(MOVE_CUTS))
def test_cut_mid_move_changes_nothing_twice(proxy, imap_account, smtp_sink, db_url, made,
                                            where):
    """FT-01 over the network: every message is committed, then the UID MOVE is cut off."""
    messages = sign_ups(N)
    deliver_many(imap_account, messages)
    rt = imap_runtime(imap_account, db_url, smtp_sink, port=proxy.port, capacity=CAPACITY)
    made.append(rt)
    direction, pattern, forward = MOVE_CUTS[where]
    if direction == "up":
        proxy.cut_on_upstream(pattern, forward=forward)
    else:
        proxy.cut_on_downstream(pattern, forward=forward)

    with pytest.raises(MailboxError):
        poll_once(rt)

    assert proxy.cuts == 1
    assert len(rows(rt.engine, InboundMessage)) == N  # all committed before the move
    assert {o.status for o in rows(rt.engine, OutboundMail)} == {"pending"}
    assert smtp_sink.messages == []
    left = folder_counts(imap_account)["INBOX"]
    if where == "move-never-arrives":
        assert left == N
    elif where == "move-done-answer-lost":
        assert left == 0

    summary = poll_once(rt)

    assert sum(summary.fates.values()) == 0  # nothing handled a second time
    assert summary.refiled == left and summary.replies_queued == 0
    assert summary.sent.sent == N
    outcome = check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)
    assert outcome.duplicates == 0
    again = poll_once(rt)
    assert (sum(again.fates.values()), again.refiled, again.sent.sent) == (0, 0, 0)
    print(f"\n{left} of {N} still in INBOX after the cut; duplicate replies: "
          f"{outcome.duplicates}")


def test_refused_connections_fail_the_poll_and_change_nothing(proxy, imap_account, smtp_sink,
                                                              db_url, made):
    """FT-10: the server's port resets every connection; the poll fails at once with a
    MailboxError naming the server, and catches up when the server takes connections again."""
    messages = sign_ups(5)
    deliver_many(imap_account, messages)
    rt = imap_runtime(imap_account, db_url, smtp_sink, port=proxy.port, capacity=CAPACITY)
    made.append(rt)
    proxy.refuse()

    started = time.monotonic()
    with pytest.raises(MailboxError, match=f"127.0.0.1:{proxy.port}"):
        poll_once(rt)

    assert time.monotonic() - started < 5  # no hang until the timeout
    assert rows(rt.engine, InboundMessage) == [] and smtp_sink.messages == []
    proxy.accept()
    summary = poll_once(rt)
    assert summary.fates == {"processed": 5} and summary.sent.sent == 5
    check_handled_once(rt.engine, imap_account, smtp_sink, messages, capacity=CAPACITY)


def test_dovecot_restart_between_polls(restartable_dovecot, smtp_sink, db_url, made):
    """The IMAP server goes down between two polls and comes back (same mail, same
    UIDVALIDITY): the poll while it is down fails cleanly, the next one catches up."""
    server = restartable_dovecot
    account = server.new_account()
    messages = sign_ups(30)
    rt = imap_runtime(account, db_url, smtp_sink, capacity=CAPACITY)
    made.append(rt)
    deliver_many(account, messages[:10])
    assert poll_once(rt).fates == {"processed": 10}
    deliver_many(account, messages[10:20])

    server.stop_server()
    with pytest.raises(MailboxError):
        poll_once(rt)
    server.start_server()

    deliver_many(account, messages[20:])
    summary = poll_once(rt)

    assert summary.fates == {"processed": 20} and summary.refiled == 0
    outcome = check_handled_once(rt.engine, account, smtp_sink, messages, capacity=CAPACITY)
    assert outcome.duplicates == 0
