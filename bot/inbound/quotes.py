"""Cut a reply down to what the sender wrote now. Pure.

In: the plain text of a message. Out: what the sender wrote now (the text above the first
quoted-history marker, without ``>`` quoted lines, or the answer below a bottom-posted quote)
without the signature, and the quoted history apart. Markers, Dutch and English, as Outlook, Gmail,
Apple Mail and phones write them:

- ``Op di 18 nov. 2025 om 10:02 schreef Naam <adres>:`` / ``On Tue, ... wrote:``
- an Outlook header block: ``Van:`` / ``From:`` followed within three lines by ``Verzonden:`` /
  ``Sent:`` / ``Datum:`` / ``Date:``
- ``-----Oorspronkelijk bericht-----`` / ``-----Original Message-----`` / ``Begin forwarded
  message`` / ``---------- Forwarded message ---------``
- an Outlook divider line of underscores (``________________``), above quotes and disclaimers
- signatures: a ``-- `` line, ``Verstuurd vanaf mijn iPhone`` / ``Sent from my ...``, a closing
  greeting (``Met vriendelijke groet``, ``Kind regards``, ...), or the block a signature starts
  with even without a greeting: a name line followed by ``Lid Tweede Kamer ...``, ``Fractie``,
  ``Postbus``, a phone number or ``Vragen? Bel ...`` (those question marks are not questions).
"""

from __future__ import annotations

from bot import linear

_WROTE = linear.compile(
    r"^\s*(op\s.{4,200}\sschreef\s.{1,200}|op\s.{4,200}\sheeft\s.{1,200}\sgeschreven|"
    r"on\s.{4,200}\swrote)\s*:\s*$",
    ignorecase=True,
)
_SEPARATOR = linear.compile(
    r"^\s*(-{2,}\s*(oorspronkelijk bericht|original message|forwarded message|doorgestuurd bericht)"
    r"\s*-{2,}|begin (forwarded|doorgestuurd) (message|bericht)\s*:?|_{8,}|-{20,}|={20,})\s*$",
    ignorecase=True,
)
_HEADER_FROM = linear.compile(r"^\s*\*?(van|from|von|de)\s*:\*?\s", ignorecase=True)
_HEADER_NEXT = linear.compile(r"^\s*\*?(verzonden|sent|datum|date|aan|to|gesendet|an|envoy\w*|"
                              r"betreff|onderwerp|subject)\s*:", ignorecase=True)
_SIGNATURE = linear.compile(
    r"^\s*(--\s*|verstuurd (vanaf|met) .{1,40}|sent (from|with) .{1,40}|"
    r"(met )?(vriendelijke|hartelijke|beste|warme) groet(en)?\b.*|groet(en|jes)?,?|"
    r"(kind|best|warm) regards\b.*|regards,?|best,?)\s*$",
    ignorecase=True,
)
_SIGNATURE_BLOCK = linear.compile(
    r"^\s*(lid (van de )?tweede kamer|tweede kamerlid|member of (the )?(house|parliament)|"
    r"fractie\s|beleidsmedewerker\b|persoonlijk medewerker|postbus\s|vragen\? bel|"
    r"(t|tel|m|mob|telefoon)\s*[.:]\s*[+0-9]|\+31[\s0-9]|0[1-9][0-9][\s-]?[0-9]{6,7}\b|"
    r"disclaimer\b|dit (e-?mail)?bericht (kan|is) |this e-?mail (and|may|is) )",
    ignorecase=True,
)
_NAME_LINE = linear.compile(r"^\s*[A-Z][\w'.-]+(\s+[\w'.-]+){0,4}\s*$")


def split_reply(text: str) -> str:
    """Return the new text of ``text``: above the quoted history, without quotes and signature."""
    return cut_signature(strip_quoted(text))


def cut_signature(unquoted: str) -> str:
    """``unquoted`` (from :func:`strip_quoted`) without its signature."""
    kept: list[str] = []
    for line in unquoted.split("\n"):
        if _SIGNATURE.match(line) and (any(k.strip() for k in kept) or line.strip()):
            break
        if _SIGNATURE_BLOCK.match(line):
            if len(kept) > 1 and not kept[-2].strip() and _NAME_LINE.match(kept[-1]):
                kept.pop()  # the name line the signature block starts with
            break
        kept.append(line)
    return "\n".join(kept).strip()


def strip_quoted(text: str) -> str:
    """Return what the sender wrote now, signature included (it names the sender and their
    party); see :func:`split_history`."""
    return split_history(text)[0]


def split_history(text: str) -> tuple[str, str]:
    """``text`` as (what the sender wrote now, the quoted history). Top-posted: the text above
    the first quoted-history marker, without ``>`` lines. Bottom-posted (Thunderbird, Apple
    Mail: nothing above an "Op ... schreef:" line, then ``>`` lines, then the answer): the
    unquoted lines below the quote, up to the next marker."""
    lines = text.replace("\r\n", "\n").split("\n")
    end = next((i for i, line in enumerate(lines) if _is_marker(lines, i)), len(lines))
    new = [line for line in lines[:end] if not _quoted(line)]
    quoted = [line for line in lines[:end] if _quoted(line)] + lines[end:]
    if not "".join(new).strip() and end < len(lines) and _WROTE.match(lines[end]):
        below = end + 1
        while below < len(lines) and (_quoted(lines[below]) or not lines[below].strip()):
            below += 1
        stop = next((i for i in range(below, len(lines)) if _is_marker(lines, i)), len(lines))
        answer = [line for line in lines[below:stop] if not _quoted(line)]
        if "".join(answer).strip() and below > end + 1:
            new, quoted = answer, lines[end:below] + lines[stop:]
    return "\n".join(new).strip(), "\n".join(quoted).strip()


def _quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _is_marker(lines: list[str], i: int) -> bool:
    return bool(_WROTE.match(lines[i]) or _SEPARATOR.match(lines[i])) or \
        _is_outlook_block(lines, i)


def _is_outlook_block(lines: list[str], i: int) -> bool:
    if not _HEADER_FROM.match(lines[i]):
        return False
    return any(_HEADER_NEXT.match(line) for line in lines[i + 1 : i + 4])
