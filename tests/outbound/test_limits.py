"""The reply limits: the circuit breaker, the daily cap and the order of sending, as rows."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from bot.config.types import LimitsConfig
from bot.outbound.limits import blocked_by_limits, release_held
from bot.outbound.reply import Purpose
from bot.store.db import writer
from bot.store.models import Alert, OutboundMail, utcnow
from bot.store.schema import open_database


def test_circuit_breaker_counts_and_stops_only_replies_to_unverified_senders(db_url):
    engine = open_database(db_url)
    limits = LimitsConfig(circuit_breaker_replies=5, circuit_breaker_minutes=10)
    now = utcnow()

    def add(session, i, *, unverified):
        session.add(OutboundMail(purpose="question_received", dedupe_key=f"k{i}",
                                 recipient=f"p{i}@x.nl", message_id=f"<m{i}>", raw=b"x",
                                 unverified_recipient=unverified,
                                 created_at=now - dt.timedelta(minutes=1)))
        session.commit()

    def blocked(session, recipient, purpose, *, verified, at=now):
        return blocked_by_limits(session, recipient=recipient, purpose=purpose,
                                 verified=verified, now=at, limits=limits)

    with Session(writer(engine)) as session:
        for i in range(9):  # four to unverified senders, five to verified ones
            add(session, i, unverified=i < 4)
        below = blocked(session, "new@x.nl", Purpose.QUESTION_RECEIVED, verified=False)
        add(session, 9, unverified=True)  # the fifth to an unverified sender
        first = blocked(session, "new@x.nl", Purpose.QUESTION_RECEIVED, verified=False)
        second = blocked(session, "other@x.nl", Purpose.QUESTION_RECEIVED, verified=False)
        confirmation = blocked(session, "mp@tweedekamer.nl", Purpose.REGISTRATION_CONFIRMED,
                               verified=True)
        later = blocked(session, "new@x.nl", Purpose.QUESTION_RECEIVED, verified=False,
                        at=now + dt.timedelta(minutes=20))
        session.commit()
        alerts = session.exec(select(Alert)).all()
    engine.dispose()
    assert below is None  # replies to verified senders did not count
    assert (first, second, confirmation, later) == ("circuit_breaker", "circuit_breaker", None,
                                                    None)
    assert [a.kind for a in alerts] == ["circuit_breaker"]


def test_a_day_of_replies_to_strangers_trips_the_breaker_and_stale_acks_are_withdrawn(db_url):
    """Attacker review 4: 100 every 10 minutes, held and released forever, would use up the
    provider's daily quota; a daily ceiling holds them, and a day-old acknowledgement goes."""
    engine = open_database(db_url)
    limits = LimitsConfig(circuit_breaker_replies=100, unverified_replies_per_day=20)
    now = utcnow()
    with Session(writer(engine)) as session:
        for i in range(20):  # spread over the day: never 100 in ten minutes
            session.add(OutboundMail(purpose="question_received", dedupe_key=f"k{i}",
                                     recipient=f"p{i}@x.nl", message_id=f"<m{i}>", raw=b"x",
                                     unverified_recipient=True, status="sent",
                                     created_at=now - dt.timedelta(hours=i + 1)))
        session.add(OutboundMail(purpose="question_received", dedupe_key="held",
                                 recipient="late@x.nl", message_id="<held>", raw=b"x",
                                 unverified_recipient=True, status="held",
                                 held_reason="circuit_breaker", held_since=now))
        session.commit()
        blocked = blocked_by_limits(session, recipient="new@x.nl",
                                    purpose=Purpose.QUESTION_RECEIVED, verified=False, now=now,
                                    limits=limits)
        session.commit()
    assert blocked == "circuit_breaker"
    assert release_held(engine, limits, now + dt.timedelta(hours=2)) == 0  # still tripped
    assert release_held(engine, limits, now + dt.timedelta(hours=25)) == 0  # a day late: gone
    with Session(engine) as session:
        assert session.exec(select(OutboundMail).where(OutboundMail.dedupe_key == "held")
                            ).first() is None
    engine.dispose()


def test_mail_to_verified_senders_goes_first(db_url, smtp_sink):
    from bot.config.types import SmtpConfig, WorkerConfig
    from bot.outbound.outbox import flush_outbox
    engine = open_database(db_url)
    with Session(writer(engine)) as session:
        for i in range(5):
            session.add(OutboundMail(purpose="question_received", dedupe_key=f"s{i}",
                                     recipient=f"stranger{i}@x.nl", message_id=f"<s{i}>",
                                     raw=b"Subject: x\r\n\r\nx", unverified_recipient=True))
        session.add(OutboundMail(purpose="registration_confirmed", dedupe_key="mp",
                                 recipient="mp@tweedekamer.nl", message_id="<mp>",
                                 raw=b"Subject: x\r\n\r\nx"))
        session.commit()
    smtp = SmtpConfig(host=smtp_sink.host, port=smtp_sink.port, security="plain",
                      from_header="info@kinderrechten.nl")
    flush_outbox(engine, smtp, WorkerConfig())
    engine.dispose()
    assert smtp_sink.wait_for(6)[0].rcpt_tos == ("mp@tweedekamer.nl",)
