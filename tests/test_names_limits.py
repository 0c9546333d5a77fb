"""Dutch surname sorting, and the reply limits' circuit breaker, as tables and rows."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from bot.config import LimitsConfig
from bot.db import open_database, writer
from bot.limits import blocked_by_limits
from bot.models import Alert, OutboundMail, utcnow
from bot.names import sort_key, split_name
from bot.reply import Purpose


@pytest.mark.parametrize(("name", "parts"), [
    ("Pieter van der Berg", ("Pieter", "van der", "Berg")),
    ("Jan de Vries", ("Jan", "de", "Vries")),
    ("Elise van den Broek", ("Elise", "van den", "Broek")),
    ("Wietske de Graaf-Smit", ("Wietske", "de", "Graaf-Smit")),
    ("Jan Peter Balkenende", ("Jan Peter", "", "Balkenende")),
    ("Vleugels, N.", ("N.", "", "Vleugels")),
    ("Dijk van, Ilse", ("Ilse", "van", "Dijk")),
    ("Madonna", ("", "", "Madonna")),
])
def test_split_name(name, parts):
    assert split_name(name) == parts


def test_dutch_order():
    names = ["Anna de Vries", "Rémy Toonstra", "Pieter van der Berg", "Bas Bakker",
             "Els van 't Hek", "Karel ter Horst", "Ümit Özdemir"]
    assert sorted(names, key=sort_key) == ["Bas Bakker", "Pieter van der Berg", "Els van 't Hek",
                                           "Karel ter Horst", "Ümit Özdemir", "Rémy Toonstra",
                                           "Anna de Vries"]


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
