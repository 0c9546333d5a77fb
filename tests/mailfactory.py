"""Build small test messages from one-line descriptions, for table-driven tests.

In: header lines and a body. Out: raw bytes (and the ParsedMail of them). The defaults describe
a verified sign-up-shaped message from an MP; a test overrides only what it is about.
"""

from __future__ import annotations

from bot.inbound.parse import ParsedMail, parse_message
from bot.judge.classify import ClassifyContext, Verdict, classify_message
from bot.outbound.reply import own_phrases

VERIFIED = ("mx.kinderrechten.nl; spf=pass smtp.mailfrom=tweedekamer.nl; dkim=pass "
            "header.d=tweedekamer.nl; dmarc=pass (p=reject) header.from=tweedekamer.nl")
CTX = ClassifyContext(our_address="info@kinderrechten.nl", allowed_domains=("tweedekamer.nl",),
                      reply_phrases=own_phrases(),
                      authserv_id="mx.kinderrechten.nl", brand="Kinderrechtencollectief")
DEFAULTS = {
    "Return-Path": "<a.jansen@tweedekamer.nl>",
    "Authentication-Results": VERIFIED,
    "From": "Anna Jansen <a.jansen@tweedekamer.nl>",
    "To": "Kinderrechtencollectief <info@kinderrechten.nl>",
    "Subject": "Masterclass",
    "Date": "Tue, 10 Nov 2026 10:00:00 +0100",
    "Message-ID": "<test-1@tweedekamer.nl>",
    "Content-Type": "text/plain; charset=utf-8",
}


def build(body: str = "", **overrides: str | None) -> bytes:
    """A message: DEFAULTS with ``overrides`` (``Return_Path=`` for Return-Path; None drops)."""
    headers = dict(DEFAULTS)
    for key, value in overrides.items():
        name = key.replace("_", "-")
        if value is None:
            headers.pop(name, None)
        else:
            headers[name] = value
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return (head + "\r\n" + body.replace("\n", "\r\n")).encode("utf-8")


def parsed(body: str = "", **overrides: str | None) -> ParsedMail:
    return parse_message(build(body, **overrides), max_bytes=10_000_000)


def verdict(body: str = "", **overrides: str | None) -> Verdict:
    return classify_message(parsed(body, **overrides), CTX)


def many_parts(count: int) -> bytes:
    parts = b"".join(b"--XX\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(count))
    return (b"From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n" + parts
            + b"--XX--\r\n")


def nested(depth: int) -> bytes:
    raw = b"From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
    for i in range(1, depth):
        raw += b"--b%d\r\nContent-Type: multipart/mixed;\r\n boundary=\"b%d\"\r\n\r\n" % (i - 1, i)
    raw += b"--b%d\r\nContent-Type: text/plain\r\n\r\nx\r\n" % (depth - 1)
    return raw + b"".join(b"--b%d--\r\n" % i for i in reversed(range(depth)))
