"""Our own mail coming back as HTML only (an auto-responder or a client that strips the plain
part): the layout's header, our name alone on the first line (bot/outbound/layout.py), does not
hide that the text then starts as our replies do, so it is automatic mail, never answered. A
person who writes their own line above a copy of our mail is still read as a person."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes, policy

import pytest

from bot.config.load import parse_config
from bot.judge.classify import Kind
from bot.outbound.reply import Purpose, ReplyRequest, make_environment, render_reply
from tests.mailfactory import verdict
from tests.outbound.test_branding import settings

CONFIG = parse_config(settings(), {"P": "secret"})  # as the branding tests, no logo


def back(purpose: Purpose, language: str, subtype: str, above: str = "") -> tuple[str, str]:
    """Our reply's ``subtype`` part (plain or html), with ``above`` written over it, and its
    Message-ID."""
    request = ReplyRequest(purpose=purpose, language=language,
                           recipient="a.jansen@tweedekamer.nl", name="Anna Jansen",
                           in_reply_to="<m1@tweedekamer.nl>", subject="Aanmelding")
    mail = render_reply(request, CONFIG, make_environment(),
                        now=dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    message = message_from_bytes(mail.raw, policy=policy.default)
    body = message.get_body(preferencelist=(subtype,)).get_content()
    if above:
        body = f"<p>{above}</p>{body}" if subtype == "html" else f"{above}\n\n{body}"
    return body, mail.message_id


def returned(purpose: Purpose, language: str, subtype: str, above: str = ""):
    body, message_id = back(purpose, language, subtype, above)
    return verdict(body, Content_Type=f"text/{subtype}; charset=utf-8", In_Reply_To=message_id,
                   References=message_id, Subject="Re: Masterclass")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("purpose", list(Purpose))
def test_our_html_part_is_known_as_ours_whenever_our_plain_part_is(purpose, language):
    plain = returned(purpose, language, "plain")
    html = returned(purpose, language, "html")
    assert ("echo_of_our_reply" in html.reasons) == ("echo_of_our_reply" in plain.reasons)
    if "echo_of_our_reply" in html.reasons:
        assert html.kind == Kind.AUTOMATIC


def test_the_confirmation_coming_back_as_html_is_automatic():
    found = returned(Purpose.REGISTRATION_CONFIRMED, "nl", "html")
    assert found.kind == Kind.AUTOMATIC and "echo_of_our_reply" in found.reasons


def test_a_person_who_writes_above_our_html_is_read():
    found = returned(Purpose.REGISTRATION_CONFIRMED, "nl", "html",
                     above="Ik moet mij helaas afmelden.")
    assert found.kind == Kind.CANCELLATION
