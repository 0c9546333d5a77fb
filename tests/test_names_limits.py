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


def test_circuit_breaker_stops_replies_and_alerts_once(db_url):
    engine = open_database(db_url)
    limits = LimitsConfig(circuit_breaker_replies=5, circuit_breaker_minutes=10)
    now = utcnow()
    with Session(writer(engine)) as session:
        for i in range(5):
            session.add(OutboundMail(purpose="question_received", dedupe_key=f"k{i}",
                                     recipient=f"p{i}@x.nl", message_id=f"<m{i}>", raw=b"x",
                                     created_at=now - dt.timedelta(minutes=1)))
        session.commit()
        first = blocked_by_limits(session, recipient="new@x.nl", purpose=Purpose.QUESTION_RECEIVED,
                                  now=now, limits=limits)
        second = blocked_by_limits(session, recipient="other@x.nl",
                                   purpose=Purpose.REGISTRATION_CONFIRMED, now=now, limits=limits)
        later = blocked_by_limits(session, recipient="new@x.nl",
                                  purpose=Purpose.QUESTION_RECEIVED,
                                  now=now + dt.timedelta(minutes=20), limits=limits)
        session.commit()
        alerts = session.exec(select(Alert)).all()
    engine.dispose()
    assert (first, second, later) == ("circuit_breaker", "circuit_breaker", None)
    assert [a.kind for a in alerts] == ["circuit_breaker"]
