"""The registration lifecycle end to end: seats, waiting list, promotion, invites, reminders,
event updates, reply limits, backlog, registration window, colleagues and exports."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlmodel import Session, select

from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.pipeline.scheduled import queue_scheduled_mail
from bot.store.models import Attendee, InboundMessage, OutboundMail
from tests.imaptools import deliver
from tests.mailfactory import build

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def mail_from(address: str, body: str, n: int, **headers) -> bytes:
    headers = {"From": f"Kamerlid {address.split('@')[0].title()} <{address}>",
               "Return_Path": f"<{address}>", "Message_ID": f"<m{n}.{address}>", **headers}
    return build(body, **headers)


def sign_up(i: int, **headers) -> bytes:
    return mail_from(f"mp{i}@tweedekamer.nl", "Graag meld ik mij aan voor de masterclass.", i,
                     **headers)


def attendees(rt) -> dict[str, str]:
    with Session(rt.engine) as session:
        return {a.email: a.status for a in session.exec(select(Attendee).order_by(Attendee.id))}


def invite_of(received) -> Calendar:
    [part] = [p for p in received.message.walk() if p.get_content_type() == "application/ics"]
    return Calendar.from_ical(part.get_payload(decode=True))



def test_capacity_waiting_list_and_promotion(make_runtime, imap, smtp_sink):
    rt = make_runtime(capacity=3)
    deliver(imap, *(sign_up(i) for i in range(1, 6)))

    poll_once(rt)

    assert attendees(rt) == {"mp1@tweedekamer.nl": "registered", "mp2@tweedekamer.nl":
                             "registered", "mp3@tweedekamer.nl": "registered",
                             "mp4@tweedekamer.nl": "waitlisted", "mp5@tweedekamer.nl":
                             "waitlisted"}
    received = {m.rcpt_tos[0]: m for m in smtp_sink.wait_for(5)}
    assert "U bent ingeschreven" in received["mp1@tweedekamer.nl"].text
    assert "plaats 1" in received["mp4@tweedekamer.nl"].text
    assert "plaats 2" in received["mp5@tweedekamer.nl"].text
    smtp_sink.clear()

    deliver(imap, mail_from("mp1@tweedekamer.nl", "Ik moet mij helaas afmelden.", 99))
    poll_once(rt)

    assert attendees(rt)["mp1@tweedekamer.nl"] == "cancelled"
    assert attendees(rt)["mp4@tweedekamer.nl"] == "registered"
    assert attendees(rt)["mp5@tweedekamer.nl"] == "waitlisted"
    mails = {m.rcpt_tos[0]: m for m in smtp_sink.wait_for(2)}
    assert set(mails) == {"mp1@tweedekamer.nl", "mp4@tweedekamer.nl"}
    assert invite_of(mails["mp1@tweedekamer.nl"])["method"] == "CANCEL"
    assert "Er is een plaats vrijgekomen" in mails["mp4@tweedekamer.nl"].text
    assert invite_of(mails["mp4@tweedekamer.nl"])["method"] == "REQUEST"
    assert mails["mp4@tweedekamer.nl"].message["In-Reply-To"] is None  # a new message


def test_invite_is_a_valid_calendar_request(make_runtime, imap, smtp_sink):
    rt = make_runtime()
    deliver(imap, sign_up(1))

    poll_once(rt)

    [received] = smtp_sink.wait_for(1)
    msg = received.message
    assert msg.get_content_type() == "multipart/mixed"
    types = [p.get_content_type() for p in msg.walk()]
    assert types[:5] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html",
                         "text/calendar"] and "application/ics" in types
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "Nieuwspoort" in html and "Lange Poten 10" in html
    cal = invite_of(received)
    [event] = cal.walk("VEVENT")
    [attendee_id] = [a.id for a in
                     Session(rt.engine).exec(select(Attendee)).all()]
    assert cal["method"] == "REQUEST"
    assert str(event["uid"]) == f"masterclass-kinderrechten-attendee-{attendee_id}@kinderrechten.nl"
    assert event["sequence"] == 0
    start = event.decoded("dtstart")
    assert (start.tzinfo.key, start.hour, start.minute) == ("Europe/Amsterdam", 19, 0)
    assert start.date() == dt.date(2026, 12, 15)
    assert str(event["attendee"]) == "mailto:mp1@tweedekamer.nl"
    assert cal.walk("VTIMEZONE")


def test_reminders_once_across_a_restart_and_updates_once_per_change(make_runtime, imap,
                                                                     smtp_sink):
    rt = make_runtime(capacity=2)
    deliver(imap, *(sign_up(i) for i in range(1, 4)))  # two registered, one wait-listed
    poll_once(rt)
    smtp_sink.clear()
    evening_before = dt.datetime(2026, 12, 14, 20, 0, tzinfo=AMSTERDAM)

    assert queue_scheduled_mail(rt, evening_before - dt.timedelta(days=2)) == 0
    assert queue_scheduled_mail(rt, evening_before) == 2
    restarted = make_runtime(capacity=2)
    assert queue_scheduled_mail(restarted, evening_before + dt.timedelta(minutes=5)) == 0
    poll_once(restarted)

    reminders = smtp_sink.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in reminders) == ["mp1@tweedekamer.nl",
                                                         "mp2@tweedekamer.nl"]
    assert all("Herinnering" in m.message["Subject"] for m in reminders)
    smtp_sink.clear()

    moved = make_runtime(capacity=2, event={"venue": "Tweede Kamer, Statenpassage",
                                            "start": "19:30"})
    poll_once(moved)
    poll_once(make_runtime(capacity=2, event={"venue": "Tweede Kamer, Statenpassage",
                                              "start": "19:30"}))

    updates = smtp_sink.wait_for(2)
    assert len(smtp_sink.messages) == 2
    assert all("Statenpassage" in m.text and "19:30" in m.text for m in updates)
    sequences = {m.rcpt_tos[0]: invite_of(m).walk("VEVENT")[0]["sequence"] for m in updates}
    assert sequences == {"mp1@tweedekamer.nl": 1, "mp2@tweedekamer.nl": 1}


def test_reply_limits_and_a_naive_autoresponder(make_runtime, imap, smtp_sink):
    rt = make_runtime()
    deliver(imap, *(sign_up(1, Message_ID=f"<again{n}@tweedekamer.nl>") for n in range(5)))
    poll_once(rt)
    purposes = sorted(m.purpose for m in Session(rt.engine).exec(select(OutboundMail)))
    assert purposes == ["already_registered", "registration_confirmed"]

    # An autoresponder that answers everything, without Auto-Submitted, with a question mark.
    robot = "robot@tweedekamer.nl"
    deliver(imap, mail_from(robot, "Hoe laat begint het?", 1000))
    answered_by_robot: set[str] = set()
    for n in range(1, 6):
        poll_once(rt)
        for mail in [m for m in smtp_sink.messages if m.rcpt_tos == (robot,)]:
            if mail.message["Message-ID"] not in answered_by_robot:
                answered_by_robot.add(mail.message["Message-ID"])
                deliver(imap, mail_from(robot, "Dank voor uw bericht. Heeft u nog vragen?",
                                        1000 + n, Subject=f"RE: {mail.message['Subject']}",
                                        In_Reply_To=mail.message["Message-ID"]))
    assert len([m for m in smtp_sink.messages if m.rcpt_tos == (robot,)]) == 1
    with Session(rt.engine) as session:
        rows = session.exec(select(InboundMessage).where(InboundMessage.sender == robot)
                            .order_by(InboundMessage.id)).all()
    assert len(rows) == 2 and "same_reply_recently" in rows[1].reasons


def test_backlog_is_recorded_but_never_answered(make_runtime, imap, smtp_sink):
    rt = make_runtime()
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)
    imap.append("INBOX", sign_up(1), msg_time=old)

    poll_once(rt)

    assert attendees(rt) == {"mp1@tweedekamer.nl": "pending_review"}
    [row] = Session(rt.engine).exec(select(InboundMessage)).all()
    assert row.status == "needs_review" and "older_than_autoreply_cutoff" in row.reasons
    assert smtp_sink.messages == []
    # the receipt time is the server's (INTERNALDATE, in whole seconds), not the recording's
    assert abs(row.received_at - old) < dt.timedelta(seconds=1)


def test_a_message_reprocessed_from_quarantine_keeps_its_receipt_time(make_runtime, smtp_sink):
    """A sign-up received ten days ago that staff take out of quarantine today is still too
    old for an automatic reply: the age counts from the server's receipt, not the recording."""
    from bot.register.record import record_quarantine
    from bot.register.recorded import Location
    from bot.staff.desk import reprocess_quarantined
    from bot.store.db import writer
    rt = make_runtime()
    old = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=10)
    with Session(writer(rt.engine)) as session:
        row = record_quarantine(session, Location("INBOX", 7, 1), sign_up(1),
                                "MessageTooSlow: took longer than 10 s to read", received_at=old)
        session.commit()
        quarantined = row.id

    reprocess_quarantined(rt, quarantined, by="anna")

    [row] = Session(rt.engine).exec(select(InboundMessage)).all()
    assert row.status == "needs_review" and "older_than_autoreply_cutoff" in row.reasons
    assert row.received_at == old and row.verified
    assert attendees(rt) == {"mp1@tweedekamer.nl": "pending_review"}
    assert Session(rt.engine).exec(select(OutboundMail)).all() == []


def test_registration_closed(make_runtime, imap, smtp_sink):
    rt = make_runtime(event={"registration_closes": "2026-01-01T12:00"})
    deliver(imap, sign_up(1))

    poll_once(rt)

    assert attendees(rt) == {}
    [received] = smtp_sink.wait_for(1)
    assert "De aanmelding is helaas gesloten" in received.text
    [row] = Session(rt.engine).exec(select(InboundMessage)).all()
    assert row.status == "needs_review"


def test_cancellation_from_someone_not_registered(make_runtime, imap, smtp_sink):
    rt = make_runtime()
    deliver(imap, mail_from("mp7@tweedekamer.nl", "Ik moet mij helaas afmelden.", 7),
            mail_from("mp8@tweedekamer.nl", "Ik moet mij helaas afmelden.", 8,
                      Authentication_Results="mx.kinderrechten.nl; dmarc=fail "
                      "header.from=tweedekamer.nl"))

    poll_once(rt)

    [received] = smtp_sink.wait_for(1)
    assert received.rcpt_tos == ("mp7@tweedekamer.nl",)
    assert "geen aanmelding van dit e-mailadres" in received.text.replace("\n", " ")


def test_a_colleague_named_in_a_sign_up_waits_for_staff(make_runtime, imap, smtp_sink):
    """Both wait: staff decide for the sender and the colleague (one click each)."""
    from bot.staff.actions import approve_attendee
    rt = make_runtime()
    deliver(imap, mail_from("mp1@tweedekamer.nl", "Ik kom graag, en mijn collega Piet de Vries "
                            "(p.devries@tweedekamer.nl) ook. Ik ben vegetariër.", 1))

    poll_once(rt)

    with Session(rt.engine) as session:
        rows = {a.email: a for a in session.exec(select(Attendee))}
    assert rows["mp1@tweedekamer.nl"].status == "pending_review"
    assert rows["mp1@tweedekamer.nl"].notes == "Ik ben vegetariër."
    colleague = rows["p.devries@tweedekamer.nl"]
    assert (colleague.status, colleague.on_behalf_of) == ("pending_review", "mp1@tweedekamer.nl")
    assert smtp_sink.messages == []

    for email in ("mp1@tweedekamer.nl", "p.devries@tweedekamer.nl"):
        assert approve_attendee(rt, email, by="anna") == f"{email} is ingeschreven."  # one click
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    assert {m.rcpt_tos for m in smtp_sink.wait_for(2)} == {("mp1@tweedekamer.nl",),
                                                         ("p.devries@tweedekamer.nl",)}


def test_one_verified_mail_naming_many_colleagues_takes_no_seats(make_runtime, imap,
                                                                 smtp_sink):
    """Security review finding 8: 45 addresses in one sign-up filled every seat."""
    rt = make_runtime(capacity=10)
    names = ", ".join(f"p{i}@tweedekamer.nl" for i in range(45))
    deliver(imap, mail_from("stagiair@tweedekamer.nl", f"Graag meld ik mij aan, samen met "
                            f"{names}.", 1),
            mail_from("mp2@tweedekamer.nl", "Ik meld mij aan voor de masterclass.", 2))

    poll_once(rt)

    with Session(rt.engine) as session:
        statuses = Counter(a.status for a in session.exec(select(Attendee)))
        mp2 = session.exec(select(Attendee).where(Attendee.email == "mp2@tweedekamer.nl")).one()
    assert statuses == {"registered": 1, "pending_review": 46}
    assert mp2.status == "registered"


def test_a_sign_up_waiting_for_review_never_takes_a_seat_away(make_runtime, imap):
    from bot.register import lifecycle
    from bot.store.db import writer
    from bot.store.models import AttendeeStatus
    rt = make_runtime()
    deliver(imap, mail_from("mp1@tweedekamer.nl", "Ik kom graag.", 1))
    poll_once(rt)
    with Session(writer(rt.engine)) as session:  # e.g. an unverified mail signs them up again
        row = lifecycle.upsert_attendee(session, rt.config.event, email="mp1@tweedekamer.nl",
                                        status=AttendeeStatus.PENDING_REVIEW,
                                        person=lifecycle.Person(
                                            on_behalf_of="secretariaat@gmail.com"))
        session.commit()
        assert row.status == "registered"
