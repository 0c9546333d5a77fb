"""Rendered replies: headers, languages, and no header injection from inbound values."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest

from bot.config.load import parse_config
from bot.outbound.reply import (
    Facts,
    Purpose,
    ReplyRequest,
    clean_header,
    make_environment,
    render_reply,
)
from bot.store.models import AttendeeStatus

NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def config():
    return parse_config({
        "mailbox": {"host": "127.0.0.1", "port": 143, "security": "plain", "username": "u",
                    "password_env": "P", "address": "info@kinderrechten.nl"},
        "smtp": {"host": "127.0.0.1", "port": 25, "security": "plain",
                 "from": "Kinderrechtencollectief <info@kinderrechten.nl>"},
        "event": {"name": "Masterclass Kinderrechten", "date": "2025-11-25", "start": "19:00",
                  "end": "21:30", "venue": "Nieuwspoort", "address": "Lange Poten 10, Den Haag",
                  "capacity": 40},
        "trust": {"allowed_domains": ["tweedekamer.nl"], "authserv_id": "mx.kinderrechten.nl"},
    }, {"P": "secret"})


def request(purpose=Purpose.REGISTRATION_CONFIRMED, **kw):
    base = dict(purpose=purpose, language="nl", recipient="a.jansen@tweedekamer.nl",
                name="Anna Jansen", in_reply_to="<m1@tweedekamer.nl>",
                references=("<m0@tweedekamer.nl>",), subject="Aanmelding", key="k")
    base.update(kw)
    return ReplyRequest(**base)


def plain(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def render(config, req):
    mail = render_reply(req, config, make_environment(), now=NOW)
    return mail, message_from_bytes(mail.raw, policy=policy.default)


@pytest.mark.parametrize("purpose", [p for p in Purpose if p is not Purpose.WAITLISTED])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_template_renders_with_the_required_headers(config, purpose, language):
    facts = Facts(has_question=True, status=AttendeeStatus.REGISTERED, position=2, answer="Ja.",
                  staff_name="Anna")
    human = purpose is Purpose.STAFF_ANSWER
    mail, msg = render(config, request(purpose, language=language, facts=facts, human=human))
    assert msg["Auto-Submitted"] == (None if human else "auto-replied")
    assert msg["X-Auto-Response-Suppress"] == "All"
    assert msg["In-Reply-To"] == "<m1@tweedekamer.nl>"
    assert msg["References"] == "<m0@tweedekamer.nl> <m1@tweedekamer.nl>"
    # a group mail's subject is the one staff wrote (here the request's), never "Re: ..."
    assert msg["Subject"] == ("Aanmelding" if purpose is Purpose.GROUP_MAIL else "Re: Aanmelding")
    assert msg["Message-ID"] == mail.message_id and mail.message_id.endswith("@kinderrechten.nl>")
    assert msg.get_all("To") == ["Anna Jansen <a.jansen@tweedekamer.nl>"]
    assert msg["Content-Language"] == language
    body = plain(msg)
    if human:
        assert "Ja." in body and "Anna" in body
        return
    if purpose is Purpose.GROUP_MAIL:  # the text staff wrote, with greeting and signature
        assert body.startswith("Beste Anna Jansen," if language == "nl" else "Dear Anna Jansen,")
        assert "Ja." in body
        return
    assert "Masterclass Kinderrechten" in body
    assert ("dinsdag 25 november 2025" if language == "nl" else "Tuesday 25 November 2025") in body


def test_waitlist_notice_names_the_position(config):
    _, msg = render(config, request(Purpose.WAITLISTED, facts=Facts(position=3)))
    assert "plaats 3" in plain(msg)


def test_inbound_values_cannot_inject_headers(config):
    evil_subject = "Aanmelding\r\nBcc: victim@example.org\r\n\r\nspam body"
    evil_name = "Anna\r\nCc: other@example.org\x00\u202e"
    mail, msg = render(config, request(subject=evil_subject, name=evil_name))
    assert msg["Bcc"] is None and msg["Cc"] is None
    assert msg["Subject"] == "Re: Aanmelding Bcc: victim@example.org spam body"
    assert [a.addr_spec for a in msg["To"].addresses] == ["a.jansen@tweedekamer.nl"]
    head = mail.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\nBcc:" not in head and b"\nCc:" not in head and b"\x00" not in head


@pytest.mark.parametrize(("value", "clean"), [
    ("a\r\nb", "a b"), ("a\nb\rc", "a b c"), ("a\x00b", "a b"), ("x\u202ey\u200fz", "xyz"),
    ("  many   spaces\t", "many spaces"), ("é ü ñ 日本", "é ü ñ 日本"), ("a" * 300, "a" * 200),
])
def test_clean_header(value, clean):
    assert clean_header(value) == clean


def test_no_in_reply_to_when_the_inbound_had_no_message_id(config):
    _, msg = render(config, request(in_reply_to=None, references=()))
    assert msg["In-Reply-To"] is None and msg["References"] is None


# Inbound values that try to add headers to our reply (CVE-2024-6923 and friends): PY-04..06
INJECTIONS = [
    ("subject", "=?utf-8?q?hi=0D=0AReply-To:_attacker=40evil.example=0D=0A=0D=0APlease_wire?="),
    ("subject", "hi\r\nBcc: victim@example.org"),
    ("subject", "hi\nReply-To: attacker@evil.example"),
    ("subject", "hi\x00\u0085Bcc: x@evil.example"),
    ("subject", "hi\u2028Bcc: x@evil.example\u2029"),
    ("subject", "\u202eevil\u202c subject"),
    ("name", "Evil\r\nBcc: x@evil.example"),
    ("name", "=?utf-8?q?Evil=0D=0ABcc:_x=40evil.example?="),
    ("name", 'a"b\\c<d>e@f, g@h'),
]


@pytest.mark.parametrize(("field", "value"), INJECTIONS)
def test_inbound_header_values_never_inject(config, field, value):
    from tests.mailfactory import parsed
    mail = parsed("Ik kom graag.", **({"Subject": value} if field == "subject" else
                                      {"From": f"{value} <a.jansen@tweedekamer.nl>"}))
    source = {"subject": mail.subject, "name": mail.sender.name if mail.sender else ""}
    _raw, msg = render(config, request(subject=source["subject"], name=source["name"]))
    assert set(msg.keys()) == {"From", "To", "Subject", "Date", "Message-ID", "In-Reply-To",
                               "References", "Auto-Submitted", "X-Auto-Response-Suppress",
                               "Content-Type", "MIME-Version", "Content-Language"}
    assert [a.addr_spec for a in msg["To"].addresses] == ["a.jansen@tweedekamer.nl"]
    assert "\n" not in msg["Subject"] and "\r" not in msg["Subject"]
    assert plain(msg).startswith("Beste ")
