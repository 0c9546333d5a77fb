"""Sending at the provider's pace (bot.outbound.pace, bot.outbound.outbox) against an SMTP server
of our own that enforces a rate and answers with the providers' quota codes: confirmations
first, no more than the configured pace, a quota answer pauses the outbox and fails nothing, and
two workers share one budget. Time is passed to the flushes (``now``) and to the server, so the
minutes go by without waiting for them."""

from __future__ import annotations

import datetime as dt
import re
import threading
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session

from bot.config.types import SmtpConfig
from bot.demo.sink import SmtpSink
from bot.inbound.mailbox import Mailbox
from bot.outbound import pace
from bot.outbound.outbox import flush_outbox
from bot.outbound.pace import (
    DAILY_PAUSE,
    outbox_sentence,
    outlook,
    quota_pause,
)
from bot.pipeline.flow import poll_once, process_mailbox
from bot.store.db import writer
from bot.store.models import OutboundMail, OutboundStatus, OutboxPace, utcnow
from bot.store.schema import open_database
from bot.web.auth import create_user
from tests.helpers import PASSWORD, logged_in, rows, runtime_for
from tests.imaptools import deliver
from tests.mailfactory import build

MICROSOFT_QUOTA = "554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException"
MINUTE = dt.timedelta(minutes=1)


@pytest.mark.parametrize(("code", "text", "strikes", "pause"), [
    (421, "421 4.7.0 Try again later, closing connection", 0, MINUTE),
    (421, "421 4.7.28 Our system has detected an unusual rate of mail", 0, MINUTE),
    (452, "452 4.5.3 Your message has too many recipients", 0, MINUTE),
    (432, "432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded", 0, MINUTE),
    (554, MICROSOFT_QUOTA, 0, MINUTE),
    (554, MICROSOFT_QUOTA, 2, 4 * MINUTE),  # the server keeps refusing: the pause doubles
    (554, MICROSOFT_QUOTA, 9, 60 * MINUTE),  # ... up to an hour
    (550, "550 5.4.5 Daily user sending limit exceeded", 0, DAILY_PAUSE),
    (550, "550 5.1.1 The email account that you tried to reach does not exist", 0, None),
    (550, "550 5.7.1 Message rejected as spam", 0, None),
    (451, "451 4.3.0 Temporary local problem", 0, None),  # retried, but no pause for all
    (450, "450 4.2.1 The user you are trying to contact is receiving mail at a rate", 0, None),
    (454, "454 4.7.0 TLS not available due to local problem", 0, None),
    # words further on are somebody else's (an address, a host): they never pause the outbox
    (550, "550 5.1.1 <5.4.5@evil.example>: Recipient address rejected: User unknown", 0, None),
    (450, "450 4.1.2 <4.7.0@no-such-domain.example>: Recipient address rejected", 0, None),
    (553, "553 5.1.2 <5.2.0.rate@evil.example> SubmissionQuotaExceeded", 0, None),
    (550, "550 5.7.1 Client host [10.5.4.5] blocked; rate limit", 0, None),
    (554, "554 5.2.0 OutboundSpamException; RefuseQuota: the account is blocked", 0, None),
])
def test_quota_and_rate_answers_pause_and_nothing_else_does(code, text, strikes, pause):
    assert quota_pause(code, text, strikes) == pause


class Clock:
    """The test's time, shared by the flushes and the rate-limited server."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> dt.datetime:
        return max(self.now, utcnow())


class RateLimited:
    """What a provider does: at most ``per_minute`` messages in a sliding minute of ``clock``,
    the rest refused with ``answer``. Counts every DATA it was offered."""

    def __init__(self, clock: Clock, per_minute: int, answer: str = MICROSOFT_QUOTA) -> None:
        self.clock, self.per_minute, self.answer = clock, per_minute, answer
        self.accepted: list[dt.datetime] = []
        self.offered = self.refused = 0

    def __call__(self) -> str | None:
        self.offered += 1
        now = self.clock()
        if sum(t > now - MINUTE for t in self.accepted) >= self.per_minute:
            self.refused += 1
            return self.answer
        self.accepted.append(now)
        return None


@pytest.fixture
def clock() -> Clock:
    return Clock()


def provider(clock: Clock, per_minute: int = 30):
    limit = RateLimited(clock, per_minute)
    return SmtpSink(refuse=limit), limit


def sign_ups_and_questions(imap, sign_ups: int, questions: int) -> None:
    """Questions first: their acknowledgements are queued before the confirmations."""
    deliver(imap, *(build("Is er parkeergelegenheid bij Nieuwspoort?",
                          From=f"q{i}@tweedekamer.nl", Return_Path=f"<q{i}@tweedekamer.nl>",
                          Message_ID=f"<q{i}@tweedekamer.nl>") for i in range(questions)),
            *(build("Graag meld ik mij aan voor de masterclass.",
                    From=f"mp{i}@tweedekamer.nl", Return_Path=f"<mp{i}@tweedekamer.nl>",
                    Message_ID=f"<s{i}@tweedekamer.nl>") for i in range(sign_ups)))


def runtime(imap_account, db_url, server, **smtp):
    return runtime_for(host="localhost", port=imap_account.port, username=imap_account.username,
                       password=imap_account.password, db_url=db_url, smtp=server,
                       security="starttls", ca_file=imap_account.ca_file, capacity=100,
                       smtp_=smtp, limits={"circuit_breaker_replies": 500})


def flush(rt, clock: Clock, later: dt.timedelta):
    clock.now = clock.now + later
    return flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, now=clock.now)


def is_confirmation(mail) -> bool:
    return "U bent ingeschreven" in mail.text


def test_sixty_sign_ups_go_at_the_configured_pace_confirmations_first(
        imap_account, imap, db_url, clock):
    server, limit = provider(clock)
    with server:
        rt = runtime(imap_account, db_url, server, max_per_minute=30)
        sign_ups_and_questions(imap, sign_ups=60, questions=20)

        first = poll_once(rt).sent  # the poll's own flush: the first minute's 30
        clock.now = utcnow()
        assert (first.sent, first.failed) == (30, 0) and first.waiting_until is not None
        paced = flush(rt, clock, dt.timedelta(seconds=30))  # the same minute: nothing more
        assert paced.sent == 0 and paced.waiting_until > clock.now

        with Session(writer(rt.engine)) as session:
            create_user(session, "anna", PASSWORD)
            session.commit()
        overview = logged_in(rt).get("/").text
        assert re.search(r"50 e-mails wachten; klaar rond \d\d:\d\d \(de mailprovider neemt "
                         r"er 30 per minuut aan\)",
                         overview), overview

        second = flush(rt, clock, dt.timedelta(seconds=31))
        third = flush(rt, clock, MINUTE + dt.timedelta(seconds=1))

        assert (second.sent, third.sent) == (30, 20)  # in about two minutes
        assert limit.refused == 0 and {m.status for m in rows(rt, OutboundMail)} == {"sent"}
        order = [is_confirmation(m) for m in server.messages]
        assert order == [True] * 60 + [False] * 20  # every confirmation before any acknowledgement
        rt.engine.dispose()


def test_without_a_configured_pace_the_server_s_quota_answers_pause_and_all_arrive_later(
        imap_account, imap, db_url, clock):
    server, limit = provider(clock)
    with server:
        rt = runtime(imap_account, db_url, server)  # no [smtp] max_per_minute
        sign_ups_and_questions(imap, sign_ups=60, questions=0)

        first = poll_once(rt).sent
        clock.now = utcnow()
        assert (first.sent, first.retrying, first.failed) == (30, 1, 0)
        assert limit.offered == 31  # the 31st was refused, then the outbox paused
        hold = flush(rt, clock, dt.timedelta(seconds=30))
        assert (hold.sent, limit.offered) == (0, 31)  # paused: the server is not asked again

        rest = flush(rt, clock, dt.timedelta(seconds=35))
        assert (rest.sent, rest.failed) == (30, 0)
        assert len(server.messages) == 60 and limit.refused == 1
        outbox = rows(rt, OutboundMail)
        assert {m.status for m in outbox} == {"sent"}
        assert {m.attempts for m in outbox} == {1}  # the refused one's attempt was not counted
        assert all(m.last_error is None for m in outbox)
        rt.engine.dispose()


def test_two_workers_share_one_budget(imap_account, imap, db_url, clock):
    server, _ = provider(clock, per_minute=1000)
    with server:
        one = runtime(imap_account, db_url, server, max_per_minute=10)
        other = runtime(imap_account, db_url, server, max_per_minute=10)
        sign_ups_and_questions(imap, sign_ups=15, questions=0)

        assert poll_once(one).sent.sent == 10
        clock.now = utcnow()
        assert flush_outbox(other.engine, other.config.smtp, other.config.worker,
                            now=clock.now).sent == 0  # the other worker's budget is the same
        assert flush(other, clock, MINUTE + dt.timedelta(seconds=1)).sent == 5
        assert len(server.messages) == 15
        one.engine.dispose()
        other.engine.dispose()


AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOON = dt.datetime(2026, 12, 7, 11, 0, tzinfo=dt.UTC)  # 12:00 in The Hague


def outbox_with(db_url, *, waiting: int, handed: int = 0, retry_at=None, paused_until=None):
    """A database whose outbox holds ``waiting`` pending mails (one due at ``retry_at``),
    ``handed`` mails handed to the server in the last hours, and maybe a pause."""
    engine = open_database(db_url)
    with Session(writer(engine)) as session:
        rows_ = [OutboundMail(purpose="registration_confirmed", dedupe_key=f"k{i}",
                              recipient=f"mp{i}@tweedekamer.nl", message_id=f"<m{i}@x>",
                              raw=b"x", status=OutboundStatus.PENDING, next_attempt_at=NOON)
                 for i in range(waiting)]
        if retry_at is not None and rows_:
            rows_[0].next_attempt_at = retry_at
        rows_ += [OutboundMail(purpose="reminder", dedupe_key=f"s{i}", recipient="a@b.nl",
                               message_id=f"<s{i}@x>", raw=b"x", status=OutboundStatus.SENT,
                               claimed_at=NOON - dt.timedelta(hours=2), sent_at=NOON)
                  for i in range(handed)]
        session.add_all(rows_)
        if paused_until is not None:
            session.add(OutboxPace(id=1, paused_until=paused_until, strikes=1))
        session.commit()
    return engine


def told(engine, smtp) -> str:
    return outbox_sentence(outlook(engine, smtp, NOON), AMSTERDAM, NOON, "nl")


def test_the_desk_says_when_the_waiting_mail_will_have_gone(db_url):
    microsoft = SmtpConfig("h", 25, "plain", "info@kinderrechten.nl", max_per_minute=30,
                           max_per_day=10_000)
    assert told(outbox_with(db_url, waiting=50), microsoft) == (
        "50 e-mails wachten; klaar rond 12:02 (de mailprovider neemt er 30 per minuut en "
        "10.000 per dag aan).")


def test_the_sentence_in_english(db_url):
    day = SmtpConfig("h", 25, "plain", "info@kinderrechten.nl", max_per_minute=30,
                     max_per_day=100)
    view = outlook(outbox_with(db_url, waiting=1500, handed=100), day, NOON)
    assert outbox_sentence(view, AMSTERDAM, NOON, "en") == (
        "1,500 mails are waiting; done on 22 December around 12:00 (the mail provider takes 30 "
        "per minute and 100 per day).")


def test_a_used_up_day_names_the_next_day(db_url):
    day = SmtpConfig("h", 25, "plain", "info@kinderrechten.nl", max_per_day=100)
    assert told(outbox_with(db_url, waiting=50, handed=100), day) == (
        "50 e-mails wachten; klaar op 8 december rond 12:00 (de mailprovider neemt er 100 per "
        "dag aan).")


def test_a_pause_comes_first_and_a_retry_later_on_is_waited_for(db_url):
    free = SmtpConfig("h", 25, "plain", "info@kinderrechten.nl")
    engine = outbox_with(db_url, waiting=3, retry_at=NOON + dt.timedelta(hours=3),
                         paused_until=NOON + dt.timedelta(minutes=10))
    assert told(engine, free) == ("De mailserver vroeg om te wachten: verzenden gaat verder "
                                  "rond 12:10. 3 e-mails wachten; klaar rond 15:01.")


def test_nothing_waiting_is_said_so(db_url):
    free = SmtpConfig("h", 25, "plain", "info@kinderrechten.nl")
    assert told(outbox_with(db_url, waiting=0), free) == "Geen e-mails wachten op verzending."


def test_a_flush_held_back_by_the_pace_says_until_when(imap_account, imap, db_url, clock):
    """Fewer due mails than one claim batch: the flush still reports when the rest may go."""
    server, _ = provider(clock, per_minute=1000)
    with server:
        rt = runtime(imap_account, db_url, server, max_per_minute=10)
        sign_ups_and_questions(imap, sign_ups=15, questions=0)
        first = poll_once(rt).sent
        assert first.sent == 10 and first.waiting_until is not None
        assert first.waiting_until > utcnow() + dt.timedelta(seconds=50)
        rt.engine.dispose()


def test_two_workers_flushing_at_the_same_moment_keep_to_one_budget(imap_account, imap, db_url,
                                                                     clock):
    """Two flushes started together on one database (threads, each with its own engine and
    connection pool, as two worker processes have): together they hand the server no more than
    the pace allows, and no mail twice. On PostgreSQL this rests on the pace row's lock (without
    it both count the same ten free places); on SQLite the write lock already serialises
    claims."""
    server, _ = provider(clock, per_minute=1000)
    with server:
        one = runtime(imap_account, db_url, server, max_per_minute=10)
        other = runtime(imap_account, db_url, server, max_per_minute=10)
        sign_ups_and_questions(imap, sign_ups=40, questions=0)
        with Mailbox(one.config.mailbox) as mailbox:  # record the mail, send nothing yet
            process_mailbox(mailbox, one)
        results, start = [], threading.Barrier(2)

        def flush_from(rt):
            start.wait()
            results.append(flush_outbox(rt.engine, rt.config.smtp, rt.config.worker,
                                        now=clock.now))

        clock.now = utcnow()
        threads = [threading.Thread(target=flush_from, args=(rt,)) for rt in (one, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert sum(r.sent for r in results) == 10 and len(server.messages) == 10
        assert len({m.rcpt_tos for m in server.messages}) == 10  # nobody twice
        one.engine.dispose()
        other.engine.dispose()


def test_a_pause_another_worker_meets_stops_this_flush_and_gives_the_rest_back(
        imap_account, imap, db_url):
    """While this flush sends, another worker gets a quota answer and pauses the outbox: this
    flush sends nothing more, and the mail it had claimed goes back unattempted, due when the
    pause ends."""
    state = {"offered": 0}
    with SmtpSink() as server:
        rt = runtime(imap_account, db_url, server)
        sign_ups_and_questions(imap, sign_ups=12, questions=0)
        with Mailbox(rt.config.mailbox) as mailbox:
            process_mailbox(mailbox, rt)
        other = open_database(db_url)  # the other worker's connection

        def other_worker_told_to_wait():
            state["offered"] += 1
            if state["offered"] == 5:
                with Session(writer(other)) as session:
                    state["until"] = pace.pause(session, 554, MICROSOFT_QUOTA, utcnow())
                    session.commit()
            return None  # this one is taken

        server.refuse = other_worker_told_to_wait
        result = flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)

        assert (result.sent, result.failed, state["offered"]) == (5, 0, 5)
        assert result.waiting_until == state["until"]
        waiting = [m for m in rows(rt, OutboundMail) if m.status == OutboundStatus.PENDING]
        assert len(waiting) == 7
        assert {(m.attempts, m.claimed_at) for m in waiting} == {(0, None)}
        assert {m.next_attempt_at for m in waiting} == {state["until"]}
        rt.engine.dispose()
        other.dispose()
