"""Address spoofing and forged authentication (reliability-test-plan §2-3): one table each.

Every row is a sign-up; only a verified sender may be registered and confirmed automatically.
"""

from __future__ import annotations

import pytest

from bot.register.effects import plan_effect
from tests.mailfactory import verdict

SIGN_UP = "Graag meld ik mij aan voor de masterclass."
OURS = "mx.kinderrechten.nl"
PASS = f"{OURS}; dmarc=pass header.from=tweedekamer.nl"


def confirmed(v) -> bool:
    return plan_effect(v, existing=None, seats_left=10).reply is not None


# (From header value, verified?) -- PY-01, PY-07..PY-10, AU-10, AU-12
FROM_TABLE = [
    ("mp@tweedekamer.nl", True),
    ("Kamerlid Jansen <mp@tweedekamer.nl>", True),
    ("MP@TweedeKamer.NL", True),
    ("mp@tweedekamer.nl.", False),  # the strict parse calls it invalid: fail closed, staff decide
    ("alice@tweedekamer.nl(<attacker@evil.example>", False),
    ("alice@tweedekamer.nl <attacker@evil.example>", False),
    ("<mp@tweedekamer.nl> <attacker@evil.example>", False),
    ("=?utf-8?q?mp=40tweedekamer=2Enl?= <attacker@evil.example>", False),
    ("=?utf-8?q?Kamerlid_=3Cmp=40tweedekamer=2Enl=3E?= <attacker@evil.example>", False),
    ("=?utf-8?q?mp=40tweedekamer=2Enl?=", False),
    ('"mp@tweedekamer.nl"@evil.example', False),
    ('"mp@tweedekamer.nl (Tweede Kamer)" <x@gmail.com>', False),
    ("mp@evil.tweedekamer.nl.evil.example", False),
    ("mp@tweedekamer.nl.evil.example", False),
    ("mp@xtweedekamer.nl", False),
    ("mp@mail.tweedekamer.nl", False),
    ("mp@tweedekamer.nI", False),
    ("mp@tweedek\u0430mer.nl", False),             # Cyrillic a
    ("mp@xn--tweedekmer-xyz.nl", False),             # punycode look-alike
    ("mp@\uff54weedekamer.nl", False),               # fullwidth t
    ("mp@tweede\u200dkamer.nl", False),              # zero-width joiner
    ("mp@tweedekamer.nl, attacker@evil.example", False),
    ("", False),
]


@pytest.mark.parametrize(("from_value", "verified"), FROM_TABLE)
def test_from_header_spoofing(from_value, verified):
    v = verdict(SIGN_UP, From=from_value)
    assert v.verified is verified
    assert confirmed(v) is verified
    if not verified:
        assert "unverified_sender" in v.reasons and v.needs_review


def test_two_from_headers_are_never_verified():
    from bot.inbound.parse import parse_message
    from bot.judge.classify import classify_message
    from tests.mailfactory import CTX, build
    raw = b"From: attacker@evil.example\r\n" + build(SIGN_UP)
    v = classify_message(parse_message(raw, max_bytes=10**6), CTX)
    assert not v.verified and not confirmed(v)


def test_a_sender_header_naming_someone_else_is_not_verified():
    v = verdict(SIGN_UP, Sender="assistant@gmail.com")
    assert not v.verified and "sender_header_differs" in v.reasons


def test_display_name_that_mimics_an_address_is_flagged():
    v = verdict(SIGN_UP, From='"mp@tweedekamer.nl" <x@gmail.com>')
    assert "display_name_mimics_address" in v.reasons and not v.verified


# (Authentication-Results headers, topmost first; verified?) -- AU-01..AU-09
AUTH_TABLE = [
    ([PASS], True),
    ([f"{OURS.upper()}; dmarc=pass header.from=tweedekamer.nl"], True),
    ([f"{OURS}.; dmarc=pass header.from=tweedekamer.nl"], True),           # trailing dot
    ([f"{OURS} (our mx); dmarc=pass (p=reject) header.from=tweedekamer.nl"], True),
    ([f"{OURS}; dkim=pass header.d=tweedekamer.nl; dmarc=none"], True),      # aligned DKIM
    ([f"{OURS}; dmarc=fail header.from=tweedekamer.nl", PASS], False),     # injected lower
    (["mx.evil.example; dmarc=pass header.from=tweedekamer.nl"], False),  # foreign id
    (["mx.evil.example; dmarc=pass header.from=tweedekamer.nl",
      f"{OURS}; dmarc=fail header.from=tweedekamer.nl"], False),
    ([f"{OURS}; dmarc=none header.from=tweedekamer.nl"], False),
    ([f"{OURS}; dmarc=pass header.from=evil.example"], False),            # AU-07 mismatch
    ([f"{OURS}; dkim=pass header.d=evil.example"], False),                # AU-08
    ([f"{OURS}; spf=pass smtp.mailfrom=tweedekamer.nl"], False),           # AU-09 SPF only
    ([f"{OURS}; dkim=fail (dmarc=pass header.from=tweedekamer.nl) header.d=x"], False),
    ([f"{OURS}; dmarc=pass header.from=tweedekamer.nl; ;;;; garbage ==="], False),  # fail closed
    ([f"{OURS}; " + "; ".join(["x-unknown=pass"] * 200)], False),
    ([], False),
]


@pytest.mark.parametrize(("headers", "verified"), AUTH_TABLE)
def test_authentication_results(headers, verified):
    from bot.inbound.parse import parse_message
    from bot.judge.classify import classify_message
    from tests.mailfactory import CTX, build
    head = b"".join(f"Authentication-Results: {h}\r\n".encode() for h in headers)
    raw = head + build(SIGN_UP, Authentication_Results=None)
    v = classify_message(parse_message(raw, max_bytes=10**6), CTX)
    assert v.verified is verified and confirmed(v) is verified


def test_our_own_control_headers_change_nothing():
    v = verdict(SIGN_UP, Authentication_Results=None, X_Inbox_Bot_Verified="yes",
                X_Inbox_Bot_Approved="yes")
    assert not v.verified and not confirmed(v)


def test_reply_goes_to_from_never_to_reply_to():
    v = verdict(SIGN_UP, Reply_To="attacker@evil.example")
    assert v.sender == "a.jansen@tweedekamer.nl" and confirmed(v)
