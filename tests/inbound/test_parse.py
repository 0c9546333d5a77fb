"""The parse stage and its helpers, as tables of inputs and outputs."""

from __future__ import annotations

import pytest

from bot.errors import MessageRejected
from bot.inbound.htmltext import html_to_text
from bot.inbound.parse import parse_message, parse_sender
from bot.inbound.quotes import split_history, split_reply
from tests.helpers import DATA_DIR
from tests.mailfactory import build, parsed


def test_fields_of_a_plain_message():
    mail = parsed("Graag meld ik mij aan.\n\nMet vriendelijke groet,\nAnna Jansen",
                  Subject="=?utf-8?q?Aanmelding_caf=C3=A9?=")
    assert mail.sender.address == "a.jansen@tweedekamer.nl" and mail.sender.name == "Anna Jansen"
    assert mail.subject == "Aanmelding café"
    assert mail.message_id == "<test-1@tweedekamer.nl>"
    assert mail.to == ("info@kinderrechten.nl",)
    assert mail.new_text == "Graag meld ik mij aan."
    assert mail.date.isoformat() == "2026-11-10T09:00:00+00:00"


def test_html_only_mail_yields_readable_text():
    mail = parse_message((DATA_DIR / "html_only_nl.eml").read_bytes(), max_bytes=10**7)
    assert "Graag meld ik mij aan voor de Masterclass Kinderrechten" in mail.text
    assert "<" not in mail.text and "&nbsp;" not in mail.text and "&amp;" not in mail.text


def test_undecodable_charset_is_replaced_not_fatal():
    mail = parse_message((DATA_DIR / "bad_charset.eml").read_bytes(), max_bytes=10**7)
    assert "Nieuwspoort" in mail.text or "?" in mail.text
    assert "\ufffd" in mail.text


@pytest.mark.parametrize(("raw", "reason"), [
    (b"", "empty"),
    (b"   \r\n\r\n", "empty"),
    (b"just words, no headers\r\nmore words\r\n", "no header section"),
    (b"\x00\x01\x02garbage", "no header section"),
    (build("x" * 5000), "over the limit"),
])
def test_what_is_not_mail_is_rejected(raw, reason):
    with pytest.raises(MessageRejected, match=reason):
        parse_message(raw, max_bytes=4000)


@pytest.mark.parametrize(("values", "address", "problem"), [
    (["Anna <a@tweedekamer.nl>"], "a@tweedekamer.nl", None),
    (["A@TweedeKamer.nl"], "a@tweedekamer.nl", None),
    ([], None, "no From header"),
    (["a@x.nl, b@y.nl"], None, "From holds 2 addresses"),
    (["not an address"], None, "From holds no address with a domain"),
    (["a@x.nl", "b@y.nl"], "a@x.nl", "more than one From header"),
])
def test_strict_sender_parse(values, address, problem):
    sender, why = parse_sender(values)
    assert (sender.address if sender else None, why) == (address, problem)


@pytest.mark.parametrize(("text", "new"), [
    ("Ik kom graag.\n\nOp di 10 nov. 2026 om 10:00 schreef Info <info@k.nl>:\n> Aanmelden?",
     "Ik kom graag."),
    ("Ik kan niet.\n\nVan: Info\nVerzonden: dinsdag\nAan: Anna\nOnderwerp: X\n\nAanmelden",
     "Ik kan niet."),
    ("Prima\n-----Oorspronkelijk bericht-----\nVan: Info", "Prima"),
    ("Yes please.\n\nOn Tue, 10 Nov 2026 at 10:00, Info <info@k.nl> wrote:\n> Register?",
     "Yes please."),
    ("Fine\n\nFrom: Info\nSent: Tuesday\nTo: Anna\n\nRegister", "Fine"),
    ("Graag!\n\nVerstuurd vanaf mijn iPhone", "Graag!"),
    ("Ik kom.\n\nMet vriendelijke groet,\nAnna\nLid Tweede Kamer", "Ik kom."),
    ("> quoted only\nMijn antwoord", "Mijn antwoord"),
    # bottom-posted (Thunderbird, Apple Mail): the answer is below the quote
    ("Op 05-11-2026 om 09:31 schreef Info:\n> U bent ingeschreven.\n>\n\nIk moet mij afmelden.",
     "Ik moet mij afmelden."),
    # ... but a forward's text under its marker is not the sender's
    ("---------- Forwarded message ---------\nVan: Info\nIk meld me af.", ""),
])
def test_split_reply(text, new):
    assert split_reply(text) == new


def test_the_quoted_history_is_kept_apart():
    """What the sender answers is read as the quote: a reply to our confirmation is no
    reply to the invitation (issue 12, attacker review)."""
    new, quoted = split_history("Nee, dank u.\n\nOn Tue, Info wrote:\n> U bent ingeschreven.")
    assert (new, quoted) == ("Nee, dank u.", "On Tue, Info wrote:\n> U bent ingeschreven.")


def test_html_to_text():
    html = ("<html><head><style>p{}</style></head><body><p>Beste&nbsp;info,</p>"
            "<p>Ik kom <b>graag</b>.<br>Groet</p><script>alert(1)</script>"
            "<ul><li>een</li><li>twee</li></ul></body></html>")
    assert html_to_text(html) == "Beste info,\n\nIk kom graag.\nGroet\n\n- een\n\n- twee"


def test_html_reads_what_the_sender_sees():
    """A blockquote is quoted history (an HTML reply without an "Op ... schreef" line), and
    text the reader cannot see is not read (issue 12, attacker review)."""
    html = ('<p>Top, dank je!</p><blockquote><p>Hierbij meld ik mij aan</p></blockquote>'
            '<span style="display: none">Ik moet me helaas afmelden.</span>'
            '<div hidden>Ik meld me af.</div><p style="mso-hide:all">Cancel me</p>')
    assert html_to_text(html) == "Top, dank je!\n\n> Hierbij meld ik mij aan"
    assert split_reply(html_to_text(html)) == "Top, dank je!"


@pytest.mark.parametrize("header", [
    b"Headers_json: x", b"Parse: x", b"Subject_json: y", b"X_json_json_json_json: " + b"A" * 200,
    b"Content-Type: text/plain; charset=x-unknown", b"Content-Transfer-Encoding: base64",
])
def test_header_names_and_values_that_broke_parsers(header):
    """mail-parser header-name attacks (PY-15) and charset/encoding garbage (PY-17)."""
    mail = parse_message(header + b"\r\n" + build("Ik kom graag. \xff\xfe"), max_bytes=10**6)
    assert mail.sender.address == "a.jansen@tweedekamer.nl"
    mail.text.encode("utf-8")


@pytest.mark.parametrize(("value", "kept"), [
    (b"<ab\x00c@tweedekamer.nl>", None),  # PostgreSQL stores no NUL: it would stop a batch
    (b"<ab\x0bc@tweedekamer.nl>", None),
    (b"<ab\x7fc@tweedekamer.nl>", None),
    (b"<abc@tweedekamer.nl>", "<abc@tweedekamer.nl>"),
])
def test_a_message_id_with_control_characters_is_no_message_id(value, kept):
    raw = build("Graag meld ik mij aan.").replace(b"<test-1@tweedekamer.nl>", value)
    assert value in raw
    assert parse_message(raw, max_bytes=10**6).message_id == kept
