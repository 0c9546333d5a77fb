"""Property tests (hypothesis): no input makes parse, classify or reply raise."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import MessageRejected
from bot.inbound.parse import parse_message
from bot.judge.classify import classify_message
from bot.ops.evaluate import classify_bytes
from bot.outbound.reply import clean_header
from tests.mailfactory import CTX, build

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEADER_TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200)
SPECIALS = st.text(alphabet='<>()"@,;:\\ =?q\r\n\x00aé.', max_size=60)


def parse_and_classify(raw: bytes) -> None:
    try:
        mail = parse_message(raw, max_bytes=1_000_000)
    except MessageRejected:
        return
    verdict = classify_message(mail, CTX)
    assert 0.0 <= verdict.confidence <= 1.0
    for text in (mail.subject, mail.text, verdict.sender or "", verdict.name or ""):
        text.encode("utf-8")  # no lone surrogates: every database accepts it


@FAST
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(raw):
    parse_and_classify(raw)


@FAST
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_after_valid_headers(body):
    parse_and_classify(build() + body)


@FAST
@given(name=st.sampled_from(["From", "Subject", "Auto-Submitted", "Authentication-Results",
                             "Content-Type", "Return-Path", "Message-ID", "To", "Sender"]),
       value=st.one_of(HEADER_TEXT, SPECIALS))
def test_arbitrary_header_values(name, value):
    value = value.replace("\r", " ").replace("\n", " ")  # one header line; folding is separate
    raw = f"{name}: {value}\r\n".encode("utf-8", "surrogatepass") + build("Ik kom graag.")
    parse_and_classify(raw)
    assert classify_bytes(raw, CTX, capacity=1)["kind"]


@FAST
@given(HEADER_TEXT)
def test_clean_header_leaves_no_control_or_format_characters(value):
    cleaned = clean_header(value)
    assert len(cleaned) <= 200
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in cleaned)
