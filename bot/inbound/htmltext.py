"""HTML to readable plain text, for HTML-only mail (Outlook sends plenty). Pure.

In: an HTML string. Out: text with one line per block element, ``<br>`` as a newline, list
items on their own line, links kept as their text, a ``<blockquote>`` (the quoted history of
an HTML reply) as ``>`` lines, and nothing of ``<script>``, ``<style>``, ``<head>`` or an
element hidden from the reader (``display:none``, ``visibility:hidden``, ``mso-hide:all``,
``hidden``): the bot reads what the sender sees. Character references are decoded. Good
enough to classify and to show staff; it is not a renderer.

The HTML is parsed by libxml2 (lxml), whose parser takes time linear in the input whatever the
input, and recovers from broken markup as mail clients do; the stdlib's ``HTMLParser`` on this
Python is quadratic on some malformed input (a 60 KB mail took 30 s). libxml2 stops at 256
levels of nesting: text nested deeper (only hostile mail does that) is dropped. inscriptis would
lay out tables too, but pads their columns and takes about 30 times as long on a large table;
the classifier wants the words, one block per line.

libxml2 (and html5ever in nh3, which the desk uses) compare each attribute of a tag with the
ones before it, so a tag with tens of thousands of attributes costs quadratic time in C, where
the time budget cannot reach. :func:`defuse_html` therefore prepares the HTML for any parser:
it reads at most :data:`SCAN_LIMIT` characters, drops ``<style>`` and ``<script>`` elements
(Outlook puts tens of kilobytes of styles before the first word) and every tag longer than
:data:`LONGEST_TAG` characters (real mail has none; what such a tag holds is never text), and
hands on at most :data:`PARSE_LIMIT` characters. A tag can still hide many attributes behind
quoted ``>`` characters, but within that limit they cost about a second at most.
"""

from __future__ import annotations

import lxml.etree
import lxml.html

from bot import linear

_BLOCKS = frozenset({
    "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "ul", "ol", "section", "article", "header", "footer",
})
_SKIP = frozenset({"script", "style", "head", "title", "template", "noscript"})
_VOID = frozenset({"br", "hr"})  # one line break, not one for the start and one for the end
_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                               no_network=True)
SCAN_LIMIT = 1024 * 1024  # characters of one HTML part looked at
PARSE_LIMIT = 64 * 1024   # characters of it a parser gets, after styles and long tags are gone
LONGEST_TAG = 1000  # characters between "<" and ">" (RE2 counts repetitions up to 1000)
_LONG_TAG = linear.compile(rf"<[A-Za-z!/?][^<>]{{{LONGEST_TAG - 1},}}>?")
_STYLE_OR_SCRIPT = linear.compile(r"<(?:style|script)\b.*?</(?:style|script)\s*>",
                                  ignorecase=True, dotall=True)
_SPACES = linear.compile(r"[ \t\r\f\v]+")
_HIDDEN = linear.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all",
                         ignorecase=True)
_QUOTE_IN, _QUOTE_OUT = "\x00>", "\x00<"  # where a blockquote starts and ends, in the text
_BLANK_LINES = linear.compile(r"\n{3,}")


def defuse_html(html: str) -> str:
    """``html`` as a parser may take it in linear time; see the module docstring."""
    html = _STYLE_OR_SCRIPT.sub(" ", html[:SCAN_LIMIT])
    return _LONG_TAG.sub(" ", html)[:PARSE_LIMIT]


def html_to_text(html: str) -> str:
    """Return the readable text of ``html``."""
    try:
        root = lxml.html.document_fromstring(defuse_html(html).encode("utf-8", "replace"),
                                             parser=_PARSER)
    except (lxml.etree.ParserError, ValueError):  # nothing but markup, or no markup at all
        return ""
    parts: list[str] = []
    walk = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walk:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _SKIP or _hidden(element):
                walk.skip_subtree()
                continue
            if tag in _BLOCKS:
                parts.append("\n")
            if tag == "blockquote":
                parts.append(f"{_QUOTE_IN}\n")
            if tag == "li":
                parts.append("- ")
            parts.append(element.text or "")
        else:
            if tag == "blockquote":
                parts.append(f"\n{_QUOTE_OUT}")
            if tag in _BLOCKS and tag not in _VOID:
                parts.append("\n")
            parts.append(element.tail or "")
    text = "".join(parts).replace("\xa0", " ")
    return _BLANK_LINES.sub("\n\n", "\n".join(_quoted_lines(text.split("\n")))).strip()


def _hidden(element) -> bool:
    """The sender's mail client does not show ``element``."""
    return element.get("hidden") is not None or bool(_HIDDEN.search(element.get("style") or ""))


def _quoted_lines(lines: list[str]) -> list[str]:
    """``lines`` with spaces folded, and those inside a blockquote marked ``>``."""
    depth, out = 0, []
    for line in lines:
        depth += line.count(_QUOTE_IN) - line.count(_QUOTE_OUT)
        line = _SPACES.sub(" ", line.replace(_QUOTE_IN, "").replace(_QUOTE_OUT, "")).strip()
        out.append(f"{'> ' * depth}{line}" if depth > 0 and line else line)
    return out
