"""Mail that looks like the collective (issue 16): the HTML part carries ``[branding]`` (name,
colour, logo inside the mail), an event card with the route link, what the reader can do, and
a footer with our address; the plain-text part does not change at all. The composed bytes
are read back with the stdlib's parser, as a mail client would. And ``[branding]`` and
``route_url`` refuse what they cannot use, naming the key."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from bot.config.images import sniff_image
from bot.config.load import parse_config
from bot.config.types import BrandingConfig
from bot.errors import ConfigError
from bot.outbound.calendar import Invite
from bot.outbound.layout import LOOKS, logo_box, readable_on_white
from bot.outbound.reply import Facts, Purpose, ReplyRequest, make_environment, render_reply
from bot.outbound.samples import sample_request
from bot.register.record import INVITES

NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=dt.UTC)
ROUTE = "https://www.example.nl/route?naar=nieuwspoort&van=cs"
STAFF = (Purpose.HEALTH_ALERT, Purpose.STAFF_NOTICE, Purpose.STAFF_SUMMARY)


def png(width: int = 120, height: int = 40, colour: tuple[int, int, int] = (31, 95, 139),
        *, padding: int = 0, ring: bool = False) -> bytes:
    """A real PNG of one colour, or of a ring of it on white (``padding`` bytes of a text
    chunk make it bigger)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    def pixel(x: int, y: int) -> bytes:
        r = ((x - width / 2) ** 2 + (y - height / 2) ** 2) ** 0.5 / (min(width, height) / 2)
        return bytes(colour) if not ring or 0.55 <= r <= 0.95 else b"\xff\xff\xff"
    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + (chunk(b"tEXt", b"c\x00" + b"x" * padding) if padding else b"")
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def settings(**sections) -> dict:
    data = {
        "mailbox": {"host": "127.0.0.1", "port": 143, "security": "plain", "username": "u",
                    "password_env": "P", "address": "info@kinderrechten.nl"},
        "smtp": {"host": "127.0.0.1", "port": 25, "security": "plain",
                 "from": "Kinderrechtencollectief <info@kinderrechten.nl>"},
        "event": {"name": "Masterclass Kinderrechten", "date": "2025-11-25", "start": "19:00",
                  "end": "21:30", "venue": "Nieuwspoort",
                  "address": "Lange Poten 10, 2511 CL Den Haag", "capacity": 40},
        "trust": {"allowed_domains": ["tweedekamer.nl"], "authserv_id": "mx.kinderrechten.nl"},
    }
    for name, values in sections.items():
        data.setdefault(name, {}).update(values)
    return data


@pytest.fixture(scope="module")
def logo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("branding") / "logo.png"
    path.write_bytes(png())
    return path


@pytest.fixture(scope="module")
def plain_config():
    return parse_config(settings(), {"P": "x"})


@pytest.fixture(scope="module")
def branded(logo):
    return parse_config(settings(branding={"name": "Stichting <script>alert(1)</script>",
                                           "colour": "#8B1F4A", "logo": str(logo)},
                                 event={"route_url": ROUTE}), {"P": "x"})


def request(purpose=Purpose.REGISTRATION_CONFIRMED, language="nl", **kw) -> ReplyRequest:
    invite = Invite("u-1@kinderrechten.nl", 0, INVITES[purpose], "a.jansen@tweedekamer.nl",
                    "Anna Jansen") if purpose in INVITES else None
    base = dict(purpose=purpose, language=language, recipient="a.jansen@tweedekamer.nl",
                name="Anna Jansen", in_reply_to="<m1@tweedekamer.nl>", subject="Aanmelding",
                facts=Facts(answer="Ja.", staff_name="Bart", position=2), invite=invite)
    base.update(kw)
    return ReplyRequest(**base)


def composed(config, req):
    raw = render_reply(req, config, make_environment(), now=NOW).raw
    return message_from_bytes(raw, policy=policy.default)


def html_of(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def text_part(msg):
    return msg.get_body(preferencelist=("plain",))


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("purpose", list(Purpose))
def test_the_plain_text_does_not_change_with_the_look(plain_config, branded, purpose, language):
    req = request(purpose, language)
    plain, styled = text_part(composed(plain_config, req)), text_part(composed(branded, req))
    assert styled.get_content() == plain.get_content()
    assert styled.get_payload() == plain.get_payload()  # the same quoted-printable, too
    assert styled["Content-Transfer-Encoding"] == "quoted-printable"


def test_a_confirmation_shows_the_collective_the_event_and_what_to_do(branded):
    msg = composed(branded, request())
    html = html_of(msg)
    assert "#8b1f4a" in html  # the colour, in lower case
    assert "Stichting &lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    card = html[html.index('class="event"'):]
    for shown in ("Masterclass Kinderrechten", "dinsdag 25 november 2025",
                  "19:00\u201321:30 uur", "Nieuwspoort", "Lange Poten 10, 2511 CL Den Haag",
                  "Route naar Nieuwspoort"):
        assert shown in card
    assert f'href="{ROUTE.replace("&", "&amp;")}"' in html
    assert 'href="mailto:info@kinderrechten.nl"' in html
    assert "Locatie:" not in html  # the card took the place of the text's details
    assert "Locatie:" in text_part(msg).get_content()
    body, actions = html.split('class="actions"')
    # the text's own sentences on cancelling and on the invite are in the box, said once
    assert "&#34;afmelden&#34;" in actions and "agenda-uitnodiging" in actions
    assert "&#34;afmelden&#34;" not in body and "agenda-uitnodiging" not in body
    assert actions.count("afmelden") == 1


def test_english_mail_has_english_words(branded):
    html = html_of(composed(branded, request(Purpose.REMINDER, "en")))
    assert 'lang="en"' in html and "Directions to Nieuwspoort" in html
    assert "When" in html and "Tuesday 25 November 2025" in html
    assert "&#34;cancel&#34;" in html and "afmelden" not in html
    assert "Questions? Write to" in html


def test_the_logo_travels_inside_the_mail(branded, logo):
    msg = composed(branded, request())
    types = [p.get_content_type() for p in msg.walk()]
    assert types == ["multipart/mixed", "multipart/alternative", "text/plain",
                     "multipart/related", "text/html", "image/png", "text/calendar",
                     "application/ics"]  # the invite's layout as before
    [related] = [p for p in msg.walk() if p.get_content_type() == "multipart/related"]
    assert related.get_param("type") == "text/html"
    [image] = [p for p in msg.walk() if p.get_content_type() == "image/png"]
    assert image.get_content() == logo.read_bytes()
    assert image.get_content_disposition() == "inline"
    content_id = image["Content-ID"].strip("<>")
    assert content_id.endswith("@kinderrechten.nl")
    html = html_of(msg)
    assert f'src="cid:{content_id}"' in html
    assert 'width="120" height="40"' in html  # at its own size: smaller than the box
    assert not re.search(r"""(src|background)\s*=\s*["']?\s*https?:""", html, re.I)
    assert "url(" not in html
    for leaf in (p for p in msg.walk() if not p.is_multipart()):  # mime.py's boundary rule
        assert leaf["Content-Transfer-Encoding"] in ("quoted-printable", "base64")


def test_without_a_logo_the_html_is_a_plain_alternative(plain_config):
    msg = composed(plain_config, request(Purpose.QUESTION_RECEIVED, invite=None))
    assert [p.get_content_type() for p in msg.walk()] == [
        "multipart/alternative", "text/plain", "text/html"]
    html = html_of(msg)
    assert "<img" not in html and "Kinderrechtencollectief" in html and "#1f5f8b" in html
    assert "Route naar" not in html  # no route_url configured
    assert html.index("Met vriendelijke groet") < html.index('class="event"')  # after the text


def test_markup_in_a_name_or_an_answer_stays_text(branded):
    html = html_of(composed(branded, request(
        Purpose.STAFF_ANSWER, name="<script>alert('x')</script>",
        facts=Facts(answer='<img src="https://evil.example/x.png"> & <b>vet</b>',
                    staff_name="<i>Bart</i>"))))
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;img src=&#34;https://evil.example/x.png&#34;&gt; &amp; &lt;b&gt;vet" in html
    assert "evil.example" not in re.findall(r'src="([^"]*)"', html)[0]


@pytest.mark.parametrize("purpose", STAFF)
def test_mail_to_staff_keeps_a_simple_layout(branded, purpose):
    html = html_of(composed(branded, request(purpose, in_reply_to=None)))
    assert 'class="event"' not in html and 'class="actions"' not in html
    assert "afmelden" not in html and "Verstuurd door inbox-bot namens" in html


def test_a_group_mail_has_the_card_but_no_cancelling(branded):
    html = html_of(composed(branded, request(Purpose.GROUP_MAIL, subject="Praktisch")))
    assert 'class="event"' in html and "Route naar Nieuwspoort" in html
    assert "afmelden" not in html and "mailto:info@kinderrechten.nl" in html


def test_every_purpose_has_a_look():
    assert set(LOOKS) == {p.value for p in Purpose}
    assert {p for p in Purpose if LOOKS[p].staff} == set(STAFF)


@pytest.mark.parametrize("purpose", list(Purpose))
def test_every_sample_renders_with_the_look(branded, purpose):
    for language in ("nl", "en"):
        msg = composed(branded, sample_request(purpose, language,
                                               invite_method=INVITES.get(purpose)))
        assert "Fatima Bakker" in text_part(msg).get_content() or purpose in STAFF


@pytest.mark.parametrize(("size", "box"), [((120, 40), (120, 40)), ((400, 100), (192, 48)),
                                           ((1000, 100), (200, 20)), ((30, 300), (5, 48))])
def test_the_logo_is_shown_at_most_48_high_and_200_wide(size, box):
    assert logo_box(BrandingConfig(logo=b"x", logo_type="png", logo_size=size)) == box


def test_a_light_colour_is_not_used_for_text():
    assert readable_on_white("#1f5f8b") == "#1f5f8b"
    assert readable_on_white("#ffdd00") == "#222222"


def jpeg(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + frame + b"\xff\xd9"


@pytest.mark.parametrize(("data", "found"), [
    (png(7, 9), ("png", 7, 9)),
    (jpeg(640, 200), ("jpeg", 640, 200)),
    (b"GIF89a" + struct.pack("<HH", 33, 11) + b"\x00" * 20, ("gif", 33, 11)),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
    (b"\x89PNG\r\n\x1a\n", None),  # cut short
    (b"\xff\xd8\xff\xd9", None),  # a JPEG without a frame
    (png(0, 5), None),
])
def test_images_are_known_by_their_bytes(data, found):
    image = sniff_image(data)
    assert (image and (image.subtype, image.width, image.height)) == found


def test_branding_is_read_with_its_logo(logo):
    config = parse_config(settings(branding={"logo": str(logo), "colour": "#ABCDEF"}),
                          {"P": "x"})
    assert config.branding.logo == logo.read_bytes()
    assert (config.branding.logo_type, config.branding.logo_size) == ("png", (120, 40))
    assert (config.branding.name, config.branding.colour) == ("Kinderrechtencollectief",
                                                              "#abcdef")
    assert parse_config(settings(), {"P": "x"}).branding == BrandingConfig()  # no [branding]


@pytest.mark.parametrize(("file", "message"), [
    (None, r"branding\.logo: cannot read .*missing\.png"),
    (b"not an image, whatever its name", r"branding\.logo: .* is not a PNG, JPEG or GIF"),
    (png(padding=210 * 1024), r"branding\.logo: .* is larger than 200 KB"),
])
def test_a_logo_the_bot_cannot_use_stops_the_start(tmp_path, file, message):
    path = tmp_path / "missing.png"
    if file is not None:
        path.write_bytes(file)
    with pytest.raises(ConfigError, match=message):
        parse_config(settings(branding={"logo": str(path)}), {"P": "x"})


@pytest.mark.parametrize(("section", "values", "message"), [
    ("branding", {"colour": "blue"}, r"branding\.colour: 'blue' must be a colour like #1f5f8b"),
    ("branding", {"colour": "#12345"}, r"branding\.colour:"),
    ("branding", {"colour": "#gggggg"}, r"branding\.colour:"),
    ("branding", {"color": "#1f5f8b"}, r"branding\.color: unknown key"),
    ("branding", {"name": "Een\nnaam"}, r"branding\.name: at most 80 characters"),
    ("branding", {"name": ""}, r"branding\.name: must be a non-empty string"),
    ("event", {"route_url": "http://www.example.nl/route"}, r"event\.route_url: must be an "
                                                            r"https:// address"),
    ("event", {"route_url": "javascript:alert(1)"}, r"event\.route_url:"),
    ("event", {"route_url": "https://"}, r"event\.route_url:"),
    ("event", {"route_url": 'https://example.nl/"><script>'}, r"event\.route_url:"),
    ("event", {"route_url": "https://user@example.nl/"}, r"event\.route_url:"),
])
def test_a_wrong_value_names_its_key(section, values, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(settings(**{section: values}), {"P": "x"})


def test_route_url_per_event_of_several():
    data = settings()
    first = data.pop("event")
    data["event"] = [first, {**first, "name": "Tweede avond", "date": "2026-01-20",
                             "route_url": "http://example.nl"}]
    with pytest.raises(ConfigError, match=r"^event\[2\]\.route_url:"):
        parse_config(data, {"P": "x"})
    data["event"][1]["route_url"] = "https://example.nl/route"
    events = parse_config(data, {"P": "x"}).events
    assert [e.route_url for e in events] == [None, "https://example.nl/route"]
