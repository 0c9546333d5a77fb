"""Hostile structure is refused before any parser runs, with a reason; real mail passes."""

from __future__ import annotations

import pytest

from bot.errors import MessageRejected
from bot.inbound.caps import Limits, check_caps
from tests.mailfactory import build, many_parts, nested


def headerless_parts(count: int) -> bytes:
    parts = b"".join(b"--XX\r\n\r\nx\r\n" for _ in range(count))
    return b"From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=\"XX\"\r\n\r\n" + parts


def attached(raw: bytes, levels: int = 1) -> bytes:
    """``raw`` attached as message/rfc822 inside ``levels`` multiparts (a forward of a forward)."""
    for level in range(levels):
        raw = (b"From: a@b.nl\r\nContent-Type: multipart/mixed; boundary=\"w%d\"\r\n\r\n"
               b"--w%d\r\nContent-Type: message/rfc822\r\n\r\n" % (level, level)
               + raw + b"\r\n--w%d--\r\n" % level)
    return raw


@pytest.mark.parametrize(("raw", "reason"), [
    (attached(many_parts(201)), "more than 200 MIME parts"),  # finding 14: parts inside
    (attached(many_parts(20_000)), "more than 200 MIME parts"),  # message/rfc822 count too
    (attached(nested(15), levels=3), "nested deeper than 20"),  # each attached message a level
    (b"From: a@b.nl\r\nContent-Type: message/rfc822\r\n\r\n" * 30 + b"x",
     "nested deeper than 20"),
    (b"From: a@b.nl\r\n\r\n" + b"x" * 30_000_000, "over the limit of 26214400"),
    (b"", "empty"),
    (b"no header at all\r\n", "no header section"),
    (b"Subject: " + b"=?utf-8?q?a?= " * 32_000 + b"\r\n\r\nbody", "header block is over"),
    (b"Subject: " + b"x" * 9000 + b"\r\n\r\nbody", "header field 1 is over"),
    (b"To: a@b.nl,\r\n" + b" c@d.nl,\r\n" * 900 + b"\r\nbody", "header field 1 is over"),
    (b"".join(b"X-H%d: v\r\n" % i for i in range(301)) + b"\r\nbody", "301 header fields"),
    (many_parts(100_000), "more than 200 MIME parts"),
    (headerless_parts(5_000), "more than 200 MIME parts"),
    (nested(2_000), "nested deeper than 20"),
    (nested(21), "nested deeper than 20"),
])
def test_caps_refuse_with_a_reason(raw, reason):
    with pytest.raises(MessageRejected, match=reason):
        check_caps(raw, Limits())


@pytest.mark.parametrize("raw", [
    many_parts(200), nested(20), build("hello"), attached(many_parts(150)),
    attached(nested(12), levels=2),
    b"".join(b"X-H%d: v\r\n" % i for i in range(300)) + b"\r\nbody",
    b"\r\n  \r\nFrom: a@b.nl\r\n\r\nleading blank lines are tolerated",
    b"From MAILER-DAEMON Tue Nov 10 10:00:00 2026\nFrom: a@b.nl\n\nmbox separator line",
    build("--XX is just text here\n--not a boundary"),
])
def test_ordinary_structure_passes(raw):
    check_caps(raw, Limits())


def test_every_corpus_message_passes_or_has_a_reason(corpus_dir):
    refused = {}
    for path in sorted(corpus_dir.glob("*/*.eml")):
        try:
            check_caps(path.read_bytes(), Limits())
        except MessageRejected as e:
            refused[path.name] = str(e)
    assert refused == {"stdlib__msg_19.eml":
                       "message has no header section (first line is not a header)"}
