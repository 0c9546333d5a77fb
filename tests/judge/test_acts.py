"""Issue 12 through the real servers: the bot acts on what a sender does, never on a keyword.
A sign-up with a question registers and says the question was received (and the question
opened is the question itself); a registered MP who asks about a colleague "als ik verhinderd
ben" stays registered and is not told "u stond niet ingeschreven"; the desk shows the reasons
in Dutch words; and every reason the bot can write has those words."""

from __future__ import annotations

from sqlmodel import Session

from bot.judge.automatic import RULES
from bot.pipeline.flow import poll_once
from bot.store.db import writer
from bot.store.models import Attendee, InboundMessage, OutboundMail, Question
from bot.web.auth import create_user
from bot.web.reasons import REASONS
from tests.helpers import DATA_DIR, PASSWORD, logged_in, rows
from tests.imaptools import deliver
from tests.mailfactory import CTX, build


def test_a_sign_up_with_a_question_registers_and_opens_the_question(dovecot_runtime, imap,
                                                                    smtp_sink):
    rt = dovecot_runtime
    deliver(imap, build("Count me in! Will there be a livestream for colleagues who cannot "
                        "attend?\n\nKind regards,\nAnna Jansen", Subject="Masterclass"))

    poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert attendee.status == "registered"
    [question] = rows(rt, Question)
    assert question.text == "Will there be a livestream for colleagues who cannot attend?"
    [confirmation] = smtp_sink.wait_for(1)
    assert "We have also received your question" in confirmation.text


def test_a_question_about_a_colleague_leaves_the_mp_registered(dovecot_runtime, imap,
                                                               smtp_sink):
    rt = dovecot_runtime
    deliver(imap, build("Ik kom graag!", Message_ID="<m1@tweedekamer.nl>"))
    poll_once(rt)
    deliver(imap, build("Beste organisatie,\n\nDank voor de bevestiging. Kan mijn medewerker "
                        "zich ook aanmelden als ik zelf verhinderd ben?\n\nGroet,\nAnna",
                        Message_ID="<m2@tweedekamer.nl>", Subject="Re: Bevestiging"))

    poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert attendee.status == "registered"
    purposes = [m.purpose for m in rows(rt, OutboundMail)]
    assert purposes == ["registration_confirmed", "question_received"]  # no "not registered"
    assert rows(rt, Question)[0].text == ("Kan mijn medewerker zich ook aanmelden als ik zelf "
                                          "verhinderd ben?")  # the question, not the first lines


def test_the_desk_shows_the_reasons_in_dutch_words(make_runtime, imap):
    rt = make_runtime()
    deliver(imap, build("Als het debat niet uitloopt, ben ik erbij.", Subject="Masterclass"))
    poll_once(rt)
    [message] = rows(rt, InboundMessage)
    assert message.status == "needs_review" and "conditional_act" in message.reasons
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    page = logged_in(rt).get("/beoordelen").text
    assert "Aan- of afmelding onder een voorwaarde" in page
    assert 'title="conditional_act"' in page  # the rule name only as a tooltip


RECORDED = {"older_than_autoreply_cutoff", "event_named", "several_events_named",
            "event_unclear", "only_event_registered_for", "circuit_breaker", "daily_reply_cap",
            "same_reply_recently"}


def test_every_reason_the_bot_writes_has_dutch_words(corpus_dir):
    from bot.ops.evaluate import classify_bytes
    written = {rule.__name__ for rule in RULES}
    for path in [*DATA_DIR.rglob("*.eml"), *corpus_dir.glob("*/*.eml")]:
        written.update(classify_bytes(path.read_bytes(), CTX, capacity=3)["reasons"])
    written |= RECORDED  # added when the message is recorded
    missing = sorted(name for name in written if name not in REASONS)
    assert missing == []
