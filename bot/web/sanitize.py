"""Make the body of an inbound mail (written by a stranger) safe to show to staff. Pure.

In:  the HTML part of a mail as a ``str`` plus ``cid_url``, a callable that turns a Content-ID
     (``cid:`` reference, without the ``cid:`` and the angle brackets) into a root-relative URL
     of our own authenticated attachment endpoint, or ``None``; or the plain-text part.
Out: an HTML fragment (``str``) meant to be the body of a document that is shown in
     ``<iframe sandbox="allow-popups allow-popups-to-escape-sandbox">`` and served with the
     ``Content-Security-Policy: CSP`` header (``CSP`` below). Nothing in it runs script, submits
     a form, embeds a frame or plugin, or makes the browser contact any host but ours: the only
     URLs that load something are the ``img`` sources that ``cid_url`` produced. Links to
     http/https/mailto stay clickable and open in a new tab without referrer.

The work is done by nh3 (the Rust ammonia sanitizer, on an html5ever parse) with allow-lists,
not deny-lists; the CSP is the second, independent layer.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from urllib.parse import unquote

import nh3

__all__ = ["CSP", "sanitize_html", "text_to_html"]

# For the document inside the iframe, as an HTTP header. Everything is refused except images from
# our own origin (the cid_url endpoint) and inline style attributes. ``sandbox`` also applies when
# someone opens the document's URL directly, outside the iframe (no scripts, opaque origin);
# popups are allowed so that target="_blank" links open, and escape the sandbox so that the site
# they open works normally. ``frame-ancestors`` and ``sandbox`` are ignored in a <meta> CSP, so
# serve it as a header (an iframe with src=, not srcdoc=).
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox"
)

_HEADINGS = {f"h{n}" for n in range(1, 7)}

# No svg/math (namespace-confusion mXSS), no form/input/button, no iframe/object/embed, no
# base/link/meta/style/script, no area/map (area has an href), no video/audio (poster, src).
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "cite", "code", "col",
    "colgroup", "dd", "del", "div", "dl", "dt", "em", "font", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strike", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "wbr", *_HEADINGS,
})

# Elements removed together with their content (the rest of the disallowed ones are unwrapped:
# the tag goes, its text stays). <style> because CSS can load fonts and images.
CLEAN_CONTENT_TAGS = frozenset({
    "script", "style", "title", "template", "iframe", "noembed", "noframes", "xmp",
})

# No attribute that holds a URL except a/href and img/src (both checked by _attribute_filter);
# so no background, srcset, poster, cite, longdesc, usemap, action, data. No id/class/name.
_CELL = {"colspan", "rowspan", "valign", "width", "height", "bgcolor", "nowrap"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"style", "title", "dir", "lang", "align"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "font": {"color", "face", "size"},
    "table": {"width", "height", "border", "cellpadding", "cellspacing", "bgcolor", "summary"},
    "tr": {"valign", "bgcolor", "height"},
    "td": _CELL,
    "th": _CELL | {"scope"},
    "thead": {"valign"},
    "tbody": {"valign"},
    "tfoot": {"valign"},
    "col": {"span", "width", "valign"},
    "colgroup": {"span", "width", "valign"},
    "ol": {"start", "type", "reversed"},
    "ul": {"type"},
    "li": {"value"},
    "hr": {"width", "size", "noshade", "color"},
}

# CSS properties kept in style="": none of them can take a url() or image (so no background,
# background-image, list-style, border-image, content, cursor, mask, filter, clip-path), and
# none lays content over the page (no position, z-index) or hides it (no display, visibility).
STYLE_PROPERTIES = frozenset({
    "color", "background-color",
    "font", "font-family", "font-size", "font-style", "font-weight", "font-variant",
    "line-height", "letter-spacing", "word-spacing", "white-space", "word-break", "word-wrap",
    "overflow-wrap", "text-align", "text-decoration", "text-indent", "text-transform",
    "vertical-align", "direction",
    "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
    "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left",
    "border-color", "border-style", "border-width", "border-collapse", "border-spacing",
    "border-radius",
    "width", "height", "min-width", "max-width", "min-height", "max-height",
    "list-style-type", "table-layout", "caption-side", "empty-cells",
})

# Declarations containing any of these are dropped even if their property is allowed (belt and
# braces: none of the allowed properties loads anything, and the CSP forbids it as well).
_CSS_BANNED = ("url(", "image(", "image-set(", "expression", "@import", "-moz-binding",
               "behavior", "javascript:")

# cid: (rewritten by us) has to pass nh3's scheme check to reach the filter; the filter then
# allows only http/https/mailto for a/href and only cid: for img/src.
_URL_SCHEMES = frozenset({"http", "https", "mailto", "cid"})
_LINK_REL = "noopener noreferrer nofollow"
_LINK = re.compile(r"(?:https?|mailto):", re.IGNORECASE)
_CID = re.compile(r"cid:", re.IGNORECASE)
# What cid_url must return: a root-relative path. Not "//host" or "/\host" (another host), no
# whitespace or control characters (browsers drop tabs and newlines inside URLs).
_OWN_PATH = re.compile(r"/(?![/\\])[^\x00-\x20\x7f\\]*")
# Characters a browser strips from both ends of a URL, and removes from inside it.
_URL_TRIM = "".join(chr(c) for c in range(0x21))
_URL_DROP = re.compile(r"[\t\n\r]")


def sanitize_html(html: str, *, cid_url: Callable[[str], str | None]) -> str:
    """Return safe HTML for display inside the sandboxed iframe (see the module docstring).

    Allow-lists: ``TAGS``, ``ATTRIBUTES``, ``STYLE_PROPERTIES``. Everything else goes: scripts,
    event handlers, forms, frames, plugins, svg/math, base/link/meta, <style> blocks (with their
    content), comments. Links keep only http/https/mailto hrefs (relative and protocol-relative
    ones are dropped) and get ``rel="noopener noreferrer nofollow" target="_blank"``.

    Images keep only ``cid:`` sources, rewritten to ``cid_url(content_id)``; that must return a
    root-relative path ("/..."), anything else (or None) counts as no image. An image without
    an allowed source becomes its alt text in brackets ("[Logo]"), or nothing without alt text.

    Exceptions raised by ``cid_url`` propagate (nh3 itself would swallow them).
    """
    if not html:
        return ""
    errors: list[BaseException] = []
    rewritten: set[str] = set()

    def from_cid(src: str) -> str | None:
        src = src.strip(_URL_TRIM)
        if not _CID.match(src):
            return None
        content_id = unquote(src[4:]).strip().removeprefix("<").removesuffix(">")
        if not content_id:
            return None
        try:
            url = cid_url(content_id)
        except Exception as exc:
            errors.append(exc)
            return None
        if url is None or not _OWN_PATH.fullmatch(url):
            return None
        rewritten.add(url)
        return url

    out = _clean(html, from_cid, errors)
    if "<img" in out:
        # nh3 can drop an attribute but not replace an element: turn the images left without a
        # source into text, then sanitize again so that what we return is nh3's output. The
        # second pass keeps exactly the sources that the first one produced.
        out = _clean(_ImagesToText.convert(out),
                     lambda src: src if src in rewritten else None, errors)
    return out


def text_to_html(text: str) -> str:
    """Plain text → escaped HTML: line breaks become <br>, URLs stay plain text (not links).

    Spaces are left alone; show it with ``white-space: pre-wrap`` to keep indentation.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
    return escape(text, quote=True).replace("\n", "<br>")


def _clean(html: str, resolve_src: Callable[[str], str | None],
           errors: list[BaseException]) -> str:
    def attribute_filter(element: str, attribute: str, value: str) -> str | None:
        # nh3 has already dropped attributes not in ATTRIBUTES and URLs whose scheme is not in
        # _URL_SCHEMES, but keeps relative URLs (url_relative pass_through) so that this can see
        # them. What this returns is used as is: nh3 does not check it again.
        if attribute == "href":
            return value if _is_link(value) else None
        if attribute == "src":
            return resolve_src(value) if element == "img" else None
        if attribute == "style":
            return _clean_style(value)
        return value

    out = nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes=ATTRIBUTES,
        attribute_filter=attribute_filter,
        strip_comments=True,
        link_rel=_LINK_REL,
        set_tag_attribute_values={"a": {"target": "_blank"}},
        url_schemes=set(_URL_SCHEMES),
        url_relative="pass_through",
        filter_style_properties=set(STYLE_PROPERTIES),
    )
    if errors:
        raise errors[0]
    return out


def _is_link(href: str) -> bool:
    return _LINK.match(_URL_DROP.sub("", href.strip(_URL_TRIM))) is not None


def _clean_style(style: str) -> str | None:
    """Drop the declarations that mention anything able to load or run something.

    nh3 sees the value before it applies STYLE_PROPERTIES and resolves CSS escapes itself (so
    ``u\\72l(`` would come out as ``url(``): a backslash or a comment drops the whole attribute.
    """
    if "\\" in style or "/*" in style:
        return None
    kept = [d for d in style.split(";")
            if d.strip() and not any(bad in d.lower() for bad in _CSS_BANNED)]
    return ";".join(kept) or None


class _ImagesToText(HTMLParser):
    """Re-serialize nh3's output, replacing each <img> without src by "[alt]" (escaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    @classmethod
    def convert(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return "".join(parser.parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and not any(name == "src" and value for name, value in attrs):
            alt = next((value for name, value in attrs if name == "alt" and value), "").strip()
            if alt:
                self.parts.append(escape(f"[{alt}]", quote=False))
            return
        rendered = "".join(f' {name}="{escape(value or "", quote=True)}"' for name, value in attrs)
        self.parts.append(f"<{tag}{rendered}>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(escape(data, quote=False))
