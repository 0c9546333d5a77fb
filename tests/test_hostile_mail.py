"""Hostile mail (issue 11 §1 to §4; ../shared/research/security-review.md findings 1 to 4, 6, 7, 9,
13, 16): nobody outside can forge or replay verification, stop the queue, make the bot mail
strangers, or stall the outbox. Tables on the pure stages, and each attack once through the
real servers (Dovecot, aiosmtpd, SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest
from sqlmodel import Session

from bot.outbound.limits import release_held
from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.pipeline.prepare import Reading, read_message
from bot.register.effects import plan_effect
from bot.store.db import writer
from bot.store.models import (
    Attendee,
    AttendeeStatus,
    InboundMessage,
    OutboundMail,
    Question,
    utcnow,
)
from bot.web.auth import create_user
from tests.helpers import PASSWORD, logged_in, rows
from tests.imaptools import deliver, folder_messages
from tests.mailfactory import CTX, VERIFIED, build, verdict

SIGN_UP = "Graag meld ik mij aan voor de masterclass."
# Our MX writes an honest dmarc=fail, but copies the sender's chosen tokens into its header
FORGED_AR = [
    "mx.kinderrechten.nl; spf=pass smtp.mailfrom==?utf-8?q?x=3B_dmarc=3Dpass_header.from=3D"
    "tweedekamer.nl_header.x=3D?=@attacker.example; dkim=none; dmarc=fail (p=reject) "
    "header.from=tweedekamer.nl",
    'mx.kinderrechten.nl; spf=pass smtp.mailfrom="=?utf-8?q?=22=3B_dmarc=3Dpass_header.from='
    '=3Dtweedekamer.nl_x=3D=22?=@attacker.example"; dkim=none; dmarc=fail (p=reject) '
    "header.from=tweedekamer.nl",
    "mx.kinderrechten.nl; spf=pass (mx.kinderrechten.nl: domain of =?utf-8?q?=29=3B_dmarc="
    "3Dpass_header.from=3Dtweedekamer.nl_=28?=@attacker.example designates 192.0.2.7 as "
    "permitted sender) smtp.mailfrom=attacker.example; dkim=none; dmarc=fail (p=reject) "
    "header.from=tweedekamer.nl",
]


# --- §1 authentication that cannot be forged or replayed ---------------------------------

@pytest.mark.parametrize("forged", FORGED_AR)
def test_encoded_words_never_turn_into_dmarc_pass(forged):
    v = verdict(SIGN_UP, Authentication_Results=forged)
    assert not v.verified and "dmarc_pass" not in v.reasons
    assert "unverified_sender" in v.reasons and not v.acts_alone


def test_a_forged_dmarc_pass_registers_nobody_through_the_servers(dovecot_runtime, imap,
                                                                   smtp_sink):
    rt = dovecot_runtime
    deliver(imap, build(SIGN_UP, Authentication_Results=FORGED_AR[0]))

    poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert attendee.status == "pending_review"
    assert rows(rt, OutboundMail) == [] and smtp_sink.messages == []


@pytest.mark.parametrize("header", ["Subject", "To", "Cc", "Date", "Message-ID", "In-Reply-To",
                                    "References", "Sender", "Reply-To"])
def test_a_second_copy_of_a_single_header_is_never_verified(header):
    value = {"Subject": "Afmelding masterclass", "To": "info@kinderrechten.nl",
             "Cc": "info@kinderrechten.nl", "Date": "Tue, 10 Nov 2026 11:00:00 +0100",
             "Message-ID": "<replay@tweedekamer.nl>", "In-Reply-To": "<x@tweedekamer.nl>",
             "References": "<x@tweedekamer.nl>", "Sender": "a.jansen@tweedekamer.nl",
             "Reply-To": "a.jansen@tweedekamer.nl"}[header]
    raw = f"{header}: {value}\r\n".encode() + build(SIGN_UP, Cc="x@tweedekamer.nl",
                                                     In_Reply_To="<y@tweedekamer.nl>",
                                                     References="<y@tweedekamer.nl>",
                                                     Sender="a.jansen@tweedekamer.nl",
                                                     Reply_To="a.jansen@tweedekamer.nl")
    from bot.inbound.parse import parse_message
    from bot.judge.classify import classify_message
    v = classify_message(parse_message(raw, max_bytes=10**6), CTX)
    assert not v.verified and "duplicate_headers" in v.reasons and not v.acts_alone


def test_a_replayed_signed_mail_cancels_nobody(dovecot_runtime, imap, smtp_sink):
    """Finding 2: a DKIM-signed reply of an MP with Subject and To prepended."""
    rt = dovecot_runtime
    deliver(imap, build(SIGN_UP, Message_ID="<signup@tweedekamer.nl>"))
    poll_once(rt)
    signed = build("Prima, dat is goed. Jan", To="attacker@example.org",
                   Subject="Re: koffie volgende week", Message_ID="<koffie@tweedekamer.nl>")
    deliver(imap, b"Subject: Afmelding masterclass\r\nTo: info@kinderrechten.nl\r\n" + signed)

    poll_once(rt)

    [attendee] = rows(rt, Attendee)
    assert attendee.status == "registered"
    replay = rows(rt, InboundMessage)[-1]
    assert replay.status == "needs_review" and "duplicate_headers" in replay.reasons
    assert len(smtp_sink.wait_for(1)) == 1  # only the confirmation of the real sign-up


SIGNED = ("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=tweedekamer.nl; s=sel;\r\n"
          "\th=From:To:Subject:Date:Message-ID; bh=x; b=y\r\n"
          "To: attacker@example.org\r\nSubject: Re: koffie volgende week\r\n"
          "Date: Tue, 10 Nov 2026 10:00:00 +0100\r\nMessage-ID: <abc@tweedekamer.nl>\r\n")


@pytest.mark.parametrize(("split", "plain_subject"), [
    ("Van : x\r\n", True),              # obsolete syntax: a mail server reads on, Python stops
    ("X-Mailer: x\r\r", True),           # a bare CR: Python sees a line end, a server does not
    ("Subject : Afmelding\r\n", False),  # a second Subject that Python's parser reads as body
])
def test_headers_hidden_from_python_s_parser_are_never_verified(split, plain_subject):
    """The attacker review's replay: the signed Subject and To sit below a line that ends
    Python's header block, so the bot saw one Subject while DKIM checks the bottom one."""
    raw = (f"Return-Path: <a.jansen@tweedekamer.nl>\r\nAuthentication-Results: {VERIFIED}\r\n"
           + ("Subject: Afmelding masterclass\r\nTo: info@kinderrechten.nl\r\n"
              if plain_subject else "To: info@kinderrechten.nl\r\n")
           + "From: Anna Jansen <a.jansen@tweedekamer.nl>\r\n" + split + SIGNED
           + "\r\nPrima, dat is goed. Jan\r\n").encode()
    from bot.inbound.parse import parse_message
    from bot.judge.classify import classify_message
    v = classify_message(parse_message(raw, max_bytes=10**6), CTX)
    assert not v.verified and not v.acts_alone
    assert {"duplicate_headers", "headers_unclear"} & set(v.reasons)


OUR_RECEIVED = ("from mail.tweedekamer.nl by mx.kinderrechten.nl (Postfix) for "
                "<info@kinderrechten.nl>; {}")
CANCEL = "Ik moet me helaas afmelden voor de masterclass van 25 november."


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"Resent_To": "info@kinderrechten.nl", "To": "secretaris@example.org"}, "resent"),
    ({"Received": OUR_RECEIVED.format("Tue, 10 Nov 2026 10:00:05 +0100"),
      "Date": "Mon, 02 Mar 2020 09:00:00 +0100"}, "date_far_from_receipt"),
    ({"Received": OUR_RECEIVED.format("Tue, 10 Nov 2026 10:00:05 +0100"), "Date": None},
     "date_far_from_receipt"),
])
def test_a_signed_mail_passed_on_or_replayed_later_is_not_acted_on(overrides, reason):
    """Attacker review 2: a signed mail to someone else, replayed with an added Resent-To, or
    an old one with a To that Microsoft 365 does not sign: staff decide."""
    v = verdict(CANCEL, **overrides)
    assert v.verified and reason in v.reasons and not v.acts_alone
    effect = plan_effect(v, existing=AttendeeStatus.REGISTERED, seats_left=3)
    assert (effect.status, effect.reply) == ("needs_review", None)


def test_a_fresh_date_is_acted_on():
    v = verdict(CANCEL, Received=OUR_RECEIVED.format("Tue, 10 Nov 2026 10:00:05 +0100"))
    assert v.acts_alone and "date_far_from_receipt" not in v.reasons


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"Sender": "xa.jansen@tweedekamer.nl"}, "sender_header_differs"),
    ({"Sender": "Secretariaat <a.jansen@tweedekamer.nl.evil.example>"}, "sender_header_differs"),
    ({"Authentication_Results": VERIFIED + "; dmarc=fail header.from=tweedekamer.nl"},
     "authentication_results_conflict"),
    ({"Authentication_Results": "mx.kinderrechten.nl; dkim=pass header.d=tweedekamer.nl; "
                                "dkim=fail header.d=tweedekamer.nl"},
     "authentication_results_conflict"),
])
def test_exact_comparisons_and_conflicting_results_fail_closed(overrides, reason):
    v = verdict(SIGN_UP, **overrides)
    assert not v.verified and reason in v.reasons


def test_the_same_sender_in_sender_is_fine():
    assert verdict(SIGN_UP, Sender="Anna Jansen <A.Jansen@tweedekamer.nl>").verified


@pytest.mark.parametrize(("resent", "ours"), [
    ("xinfo@kinderrechten.nl.evil", False),
    ("info@kinderrechten.nl.evil", False),
    ("Kinderrechten <info@kinderrechten.nl>", True),
    ("INFO+masterclass@kinderrechten.nl", True),
])
def test_resent_to_is_compared_as_whole_addresses(resent, ours):
    v = verdict(SIGN_UP, To="someone@elsewhere.example", Resent_To=resent)
    assert ("not_addressed_to_us" not in v.reasons) is ours


# --- §2 no message can stop the queue ----------------------------------------------------

HOSTILE_BODIES = {
    "namens van van ...": "namens " + "van " * 40 + "x",
    "namens kamerlid de de ...": "namens kamerlid " + "de " * 40 + "x",
    "collega van der van der ...": "collega " + "van der " * 30 + "x",
    "80 KB of letters": "a" * 80_000,
    "1 MB of words": "aanmelden@ " * 100_000,
    "64 KB of initials": "A. " * 21_000,  # each joined to the sentence before (issue 12)
}


@pytest.mark.parametrize("name", HOSTILE_BODIES)
def test_hostile_text_is_read_within_the_budget(name):
    """A liveness bound (the budget itself), not a speed: the message is read, not stopped."""
    ready = read_message(build(HOSTILE_BODIES[name]), Reading(CTX, 25 * 1024 * 1024, 10.0))
    assert ready.verdict is not None, ready.error


MANY_ATTRIBUTES = "<p " + " ".join(f"a{i}" for i in range(60_000)) + ">x</p>"


@pytest.mark.parametrize("html", ["<a " * 20_000, "<a " * 350_000, "<p>x</p>" * 130_000,
                                  "<div>" * 100_000 + "x", MANY_ATTRIBUTES,
                                  "<p " + " ".join(f'a{i}=">"' for i in range(40_000)) + ">x"])
def test_hostile_html_is_read_within_the_budget(html):
    raw = build(html, Content_Type="text/html; charset=utf-8")
    ready = read_message(raw, Reading(CTX, 25 * 1024 * 1024, 10.0))
    assert ready.verdict is not None, ready.error


def test_the_desk_sanitizes_a_tag_with_many_attributes_quickly():
    """Attacker review 3: libxml2 and html5ever are quadratic in one tag's attributes, in C,
    where no budget reaches; such tags never get to them."""
    from bot.inbound.htmltext import defuse_html
    from bot.web.sanitize import sanitize_html
    start = time.perf_counter()
    sanitize_html(defuse_html(MANY_ATTRIBUTES), cid_url=lambda _cid: None)
    assert time.perf_counter() - start < 5  # a liveness bound: it took 50 s at 128,000


def test_inbox_bot_classify_reads_a_redos_mail_and_returns(tmp_path):
    """The 250-byte mail of finding 3 through the command line; before the fix it never
    returned (the timeout turns that into a failure instead of a hung test run)."""
    path = tmp_path / "redos.eml"
    path.write_bytes(build(HOSTILE_BODIES["namens van van ..."], From="x@attacker.example"))
    result = subprocess.run([sys.executable, "-m", "bot", "classify", str(path)],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0 and '"kind": "' in result.stdout


def test_a_redos_mail_does_not_stop_the_queue(dovecot_runtime, imap, smtp_sink):
    """Finding 3: a 250-byte mail hung classify for good and came back after every restart."""
    rt = dovecot_runtime
    deliver(imap, build(HOSTILE_BODIES["namens van van ..."], From="x@attacker.example",
                        Message_ID="<redos@attacker.example>"),
            build("<a " * 20_000, Content_Type="text/html", Message_ID="<html@attacker.example>"),
            build(SIGN_UP, Message_ID="<after@tweedekamer.nl>"))

    start = time.perf_counter()
    summary = poll_once(rt)

    assert time.perf_counter() - start < 30  # three messages, each far inside the budget
    assert sum(summary.fates.values()) == 3 and folder_messages(imap, "INBOX") == []
    assert [a.status for a in rows(rt, Attendee)] == ["registered"]


def test_the_desk_shows_a_hostile_message_within_the_budget(make_runtime, imap, smtp_sink):
    """Staff open quarantined mail too: taking it apart has the same time budget."""
    rt = make_runtime(worker={"message_seconds": 0.05})
    deliver(imap, build("Graag meld ik mij aan voor de masterclass.\n" * 480_000))
    poll_once(rt)
    [row] = rows(rt, InboundMessage)
    assert row.status == "quarantined" and row.error == "took longer than 0.05 s to read"
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    client = logged_in(rt)
    start = time.perf_counter()
    page = client.get(f"/berichten/{row.id}")
    assert page.status_code == 200 and 'id="problem"' in page.text
    assert client.get(f"/berichten/{row.id}/inhoud").status_code == 200
    assert time.perf_counter() - start < 30  # a liveness bound


# --- §3 outsiders cannot use the bot against others --------------------------------------

PHISH_NAME = "Uw betaling van EUR 95 staat open, betaal via https://betalen.example"
PHISH_SUBJECT = "Factuur 2025-113: betaal binnen 24 uur via https://betalen.example?"


@pytest.mark.parametrize(("auth", "answered", "echoed"), [
    (None, False, False),
    ("mx.kinderrechten.nl; spf=fail smtp.mailfrom=gmail.example; dmarc=fail "
     "header.from=gmail.example", False, False),
    ("mx.kinderrechten.nl; spf=pass smtp.mailfrom=bulk@attacker.example; dmarc=none "
     "header.from=gmail.example", False, False),  # SPF passes for another domain
    ("mx.kinderrechten.nl; spf=pass smtp.mailfrom=victim@gmail.example; dmarc=none "
     "header.from=gmail.example", True, False),  # envelope only: no name, no subject
    ("mx.kinderrechten.nl; dkim=pass header.d=gmail.example; dmarc=pass "
     "header.from=gmail.example", True, True),
])
def test_a_question_is_acknowledged_only_to_an_authenticated_sender(
        dovecot_runtime, imap, smtp_sink, auth, answered, echoed):
    """Finding 7: backscatter with the attacker's text to any address."""
    rt = dovecot_runtime
    deliver(imap, build("Hoe laat begint de masterclass?", Authentication_Results=auth,
                        From=f'"{PHISH_NAME}" <victim@gmail.example>', Subject=PHISH_SUBJECT,
                        Return_Path="<victim@gmail.example>"))

    poll_once(rt)

    [question] = rows(rt, Question)
    assert question.status == "open"  # staff see it either way
    sent = smtp_sink.wait_for(1) if answered else smtp_sink.messages
    assert len(sent) == (1 if answered else 0)
    if answered:
        text = sent[0].message.as_string()
        assert ("betalen.example" in text) is echoed
        assert sent[0].rcpt_tos == ("victim@gmail.example",)


def test_spoofed_questions_cannot_hold_back_an_mp_s_confirmation(make_runtime, imap, smtp_sink):
    """Finding 6: the breaker, tripped from outside, dropped MPs' confirmations for good."""
    rt = make_runtime(limits={"circuit_breaker_replies": 3})
    strangers = [build(f"Vraag {i}: is er parkeergelegenheid?", From=f"p{i}@gmail.example",
                       Return_Path=f"<p{i}@gmail.example>", Message_ID=f"<q{i}@gmail.example>",
                       Authentication_Results="mx.kinderrechten.nl; dmarc=pass "
                                              "header.from=gmail.example") for i in range(5)]
    spoofed = [build(f"Vraag {i}?", From=f"s{i}@tweedekamer.nl", Message_ID=f"<s{i}@x.example>",
                     Authentication_Results="mx.kinderrechten.nl; dmarc=fail "
                                            "header.from=tweedekamer.nl") for i in range(20)]
    deliver(imap, *strangers, *spoofed, build(SIGN_UP, Message_ID="<mp@tweedekamer.nl>"))

    poll_once(rt)

    outbox = rows(rt, OutboundMail)
    held = [m for m in outbox if m.status == "held"]
    assert [m.held_reason for m in held] == ["circuit_breaker", "circuit_breaker"]
    received = {m.rcpt_tos[0] for m in smtp_sink.wait_for(4)}
    assert "a.jansen@tweedekamer.nl" in received  # the MP's confirmation went out at once
    assert not any(r.startswith("s") for r in received)  # spoofed senders get nothing
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    page = logged_in(rt).get("/uitgaand").text  # staff see what waits, and why
    assert page.count("noodrem") == 2 and "p3@gmail.example" in page


    later = utcnow() + dt.timedelta(minutes=11)
    assert release_held(rt.engine, rt.config.limits, later) == 2
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, now=later)
    assert len(smtp_sink.wait_for(6)) == 6  # the held acknowledgements went out later
    assert [m.status for m in rows(rt, OutboundMail)] == ["sent"] * 6


def test_a_held_reply_that_no_longer_fits_is_withdrawn(make_runtime, imap, smtp_sink):
    """With the daily cap at 1, an MP signs up, cancels and signs up again: the cancellation
    notice and the second confirmation are held; the next release (at the end of the same
    poll) withdraws the cancellation notice (she is registered again), and the confirmation
    goes when the cap allows. Repeated questions get one acknowledgement."""
    rt = make_runtime(limits={"replies_per_sender_per_day": 1})
    deliver(imap, build(SIGN_UP, Message_ID="<m1@tweedekamer.nl>"),
            build("Ik moet mij helaas afmelden.", Message_ID="<m2@tweedekamer.nl>"),
            build(SIGN_UP, Message_ID="<m3@tweedekamer.nl>"),
            *(build(f"Vraag {i}: is er een lift?", From="v@gmail.example",
                    Return_Path="<v@gmail.example>", Message_ID=f"<v{i}@gmail.example>",
                    Authentication_Results="mx.kinderrechten.nl; dmarc=pass "
                                           "header.from=gmail.example") for i in range(3)))

    poll_once(rt)

    purposes = [(m.recipient[0], m.purpose, m.status) for m in rows(rt, OutboundMail)]
    assert purposes == [("a", "registration_confirmed", "sent"),
                        ("a", "registration_confirmed", "held"),
                        ("v", "question_received", "sent")]
    assert "daily_reply_cap" in rows(rt, InboundMessage)[1].reasons  # the cancellation's
    assert release_held(rt.engine, rt.config.limits, utcnow()) == 0
    later = utcnow() + dt.timedelta(hours=25)
    assert release_held(rt.engine, rt.config.limits, later) == 1
    assert rows(rt, OutboundMail)[1].status == "pending"


@pytest.mark.parametrize(("overrides", "body", "rule"), [
    ({"Subject": "[Automatic reply] Masterclass"}, "I'm out of office until Monday.",
     "out_of_office_text"),
    ({}, "I\u2019m out of the office until Monday.", "out_of_office_text"),
    ({"X_Autogenerated": "Reply"}, SIGN_UP, "autoreply_headers"),
    ({"Precedence": "auto-reply"}, SIGN_UP, "precedence_bulk"),
    ({"Return_Path": "< >"}, SIGN_UP, "null_return_path"),
    ({"From": "MAILER_DAEMON@mx.example.org"}, SIGN_UP, "system_sender"),
    ({"From": "mail-daemon@mx.example.org"}, SIGN_UP, "system_sender"),
    ({"From": "no-reply-123@example.org"}, SIGN_UP, "system_sender"),
    ({"From": "Mail Delivery Subsystem <x@mx.example.org>"}, SIGN_UP, "system_sender"),
    ({"Subject": "Undeliverable: Masterclass"}, SIGN_UP, "bounce_subject"),
    ({"From": "info+bot@kinderrechten.nl"}, SIGN_UP, "our_own_mail"),
    ({"Return_Path": "<INFO+x@Kinderrechten.NL>"}, SIGN_UP, "our_own_mail"),
])
def test_loop_guards_that_were_missed(overrides, body, rule):
    v = verdict(body, **overrides)
    assert v.kind == "automatic" and rule in v.reasons and not v.may_reply


def test_an_echo_of_our_own_reply_is_automatic(dovecot_runtime, imap, smtp_sink):
    """Our reply coming back with its headers stripped (an auto-responder that quotes nothing)
    is automatic; a person's reply to it, quoting it below their text, is read as usual."""
    rt = dovecot_runtime
    deliver(imap, build("Hoe laat begint de masterclass?", Message_ID="<q@tweedekamer.nl>"))
    poll_once(rt)
    [ack] = smtp_sink.wait_for(1)
    body = ack.message.get_body(("plain",)).get_content()
    echo = build(body, Subject="Re: Masterclass", In_Reply_To=ack.message["Message-ID"],
                 Message_ID="<echo@tweedekamer.nl>", From="Robot <a.jansen@tweedekamer.nl>")
    quoted = "\n".join(f"> {line}" for line in body.splitlines())
    person = build(f"Dank u. Is er ook parkeergelegenheid?\n\n{quoted}", Subject="Re: x",
                   In_Reply_To=ack.message["Message-ID"], Message_ID="<person@tweedekamer.nl>")
    unrecognised = build(f"Helaas kan ik toch niet komen. Wilt u mij afmelden?\n\n{body}",
                         Subject="Re: x", In_Reply_To=ack.message["Message-ID"],
                         Message_ID="<unquoted@tweedekamer.nl>")  # quoted without markers
    deliver(imap, echo, person, unrecognised)

    poll_once(rt)

    echo_row, person_row, unquoted_row = rows(rt, InboundMessage)[-3:]
    assert echo_row.kind == "automatic" and "echo_of_our_reply" in echo_row.reasons
    assert person_row.kind == "question"
    assert unquoted_row.kind != "automatic"


def test_a_system_return_path_alone_means_no_reply_not_ignored():
    v = verdict("Hoe laat begint de masterclass?", Return_Path="<noreply@send.mailing.example>")
    assert v.kind == "question" and "system_return_path" in v.reasons and not v.may_reply


def test_a_message_without_return_path_is_read_and_left_to_staff(dovecot_runtime, imap,
                                                                 smtp_sink):
    """A missing Return-Path (imported, appended by a tool) is not a null one."""
    rt = dovecot_runtime
    deliver(imap, build("Hoe laat begint de masterclass?", Return_Path=None),
            build(SIGN_UP, Return_Path=None, Message_ID="<nrp@tweedekamer.nl>"))

    poll_once(rt)

    question, sign_up = rows(rt, InboundMessage)
    assert question.kind == "question" and "no_return_path" in question.reasons
    assert rows(rt, Question)[0].status == "open"
    assert sign_up.kind == "registration" and sign_up.status == "needs_review"
    assert [a.status for a in rows(rt, Attendee)] == ["pending_review"]
    assert rows(rt, OutboundMail) == [] and smtp_sink.messages == []


# --- §4 the outbox survives any recipient ------------------------------------------------

def non_ascii_question() -> bytes:
    raw = build("Is er een lift?", From="Jöhn <jöhn@example.org>", Return_Path="<jöhn@example.org>",
                Authentication_Results="mx.kinderrechten.nl; dmarc=pass header.from=example.org",
                Message_ID="<john@example.org>")
    return raw


@pytest.mark.parametrize("smtputf8", [False, True])
def test_a_non_ascii_recipient_never_stops_the_flush(make_runtime, imap, smtputf8):
    """Finding 9: UnicodeEncodeError escaped the flush; the row was never marked failed. An
    address with a non-ASCII local part (RFC 6532) is never verified, so it gets no automatic
    reply; staff answer it from the desk, and that answer must go, or fail alone."""
    from bot.demo.sink import SmtpSink
    from bot.staff.desk import answer_question
    with SmtpSink(smtputf8=smtputf8) as sink:
        rt = make_runtime(smtp_={"port": sink.port})
        deliver(imap, non_ascii_question(),
                build("Is er koffie?", From="piet@example.org", Return_Path="<piet@example.org>",
                      Authentication_Results="mx.kinderrechten.nl; dmarc=pass "
                                             "header.from=example.org",
                      Message_ID="<piet@example.org>"))
        poll_once(rt)
        assert [m.rcpt_tos for m in sink.wait_for(1)] == [("piet@example.org",)]
        john_question = next(q for q in rows(rt, Question) if q.sender == "jöhn@example.org")
        answer_question(rt, john_question.id, "Ja, er is een lift.", by="anna")
        answer_question(rt, next(q.id for q in rows(rt, Question) if q is not john_question
                                 and q.sender == "piet@example.org"), "Ja.", by="anna")

        flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)

        _ack, john, piet = rows(rt, OutboundMail)
        assert (john.recipient, piet.status) == ("jöhn@example.org", "sent")
        if smtputf8:
            assert john.status == "sent"
            assert [m.rcpt_tos for m in sink.wait_for(3)][1:] == [("jöhn@example.org",),
                                                                 ("piet@example.org",)]
        else:
            assert john.status == "failed" and "SMTPUTF8" in john.last_error
            assert [m.rcpt_tos for m in sink.wait_for(2)][1:] == [("piet@example.org",)]
