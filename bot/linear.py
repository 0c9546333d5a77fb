"""Patterns that read mail text, in linear time (RE2). Pure.

In: a pattern in Python's syntax, without what needs backtracking (lookaround, backreferences,
possessive or atomic groups; RE2 refuses them when the module is imported, so a mistake shows at
once). Out: a compiled RE2 pattern with the ``re`` methods the bot uses (``search``, ``match``,
``fullmatch``, ``finditer``, ``findall``, ``sub``, ``split``), each taking time linear in the
length of the text, whatever the text: RE2 never backtracks (DESIGN.md §4, "no message can stop
the queue"). Python's ``re`` can take exponential time on a pattern with overlapping
alternatives under a repetition, and quadratic time on an unanchored pattern that scans a long
run and then fails, and nobody sees it until a hostile mail arrives.

Unicode: RE2's ``\\w``, ``\\s`` and ``\\d`` are ASCII only, so :func:`compile` spells them (and
``\\W``, ``\\S``, ``\\D``) as the Unicode classes Python means (``Noëlle`` is one word, a no-break
space is a space). ``\\b`` stays an ASCII word boundary, so it misfires next to a non-ASCII
letter in the *text* (``\\bmee\\b`` matches inside "meeëten"): where that matters, write
:data:`START`/:data:`END` instead.

Every compiled pattern is kept in :data:`PATTERNS`, so a test can feed each one adversarial text.
"""

from __future__ import annotations

import re2

WORD = r"\p{L}\p{N}_"  # what \w means in Python 3 (near enough): letters, digits, underscore
SPACE = r"\t\n\v\f\r \x{85}\p{Z}"  # what \s means in Python 3
DIGIT = r"\p{Nd}"  # what \d means in Python 3
_CLASSES = {"w": WORD, "s": SPACE, "d": DIGIT}
START = rf"(?:^|[^{WORD}])"  # a word starts here (consumes the character before it)
END = rf"(?:$|[^{WORD}])"  # a word ended here (consumes the character after it)

PATTERNS: list[re2._Regexp] = []

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a bad pattern raises re2.error; RE2 need not also print it


def compile(pattern: str | bytes, *, ignorecase: bool = False, multiline: bool = False,
            dotall: bool = False):
    """Compile ``pattern`` (Python syntax, ``\\w`` meaning Unicode word characters) for RE2."""
    flags = "".join(f for f, on in (("i", ignorecase), ("m", multiline), ("s", dotall)) if on)
    if isinstance(pattern, bytes):
        source = pattern if not flags else f"(?{flags})".encode() + pattern
    else:
        source = (f"(?{flags})" if flags else "") + unicode_classes(pattern)
    compiled = re2.compile(source, _OPTIONS)
    PATTERNS.append(compiled)
    return compiled


def unicode_classes(pattern: str) -> str:
    """``pattern`` with ``\\w``, ``\\s``, ``\\d`` and their negations spelled as Unicode classes
    (inside and outside ``[...]``); a negated one inside a class cannot be spelled so and is
    refused."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if escaped in _CLASSES:
                out.append(_CLASSES[escaped] if in_class else f"[{_CLASSES[escaped]}]")
            elif escaped.lower() in _CLASSES and not in_class:
                out.append(f"[^{_CLASSES[escaped.lower()]}]")
            elif escaped.lower() in _CLASSES:
                raise ValueError(f"\\{escaped} inside a character class: {pattern!r}")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            if pattern[i + 1:i + 2] == "^":  # "[^" and "[]" start a class; "]" is literal there
                out.append("^")
                i += 1
            if pattern[i + 1:i + 2] == "]":
                out.append("]")
                i += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def split_keeping(pattern, text: str) -> list[str]:
    """``text`` split at each match of ``pattern``; where group 1 took part in the match, its
    text stays at the end of the piece before (what ``re.split(r"(?<=[.!?])\\s+", ...)`` does)."""
    pieces, start = [], 0
    for match in pattern.finditer(text):
        end = match.end(1) if match.group(1) is not None else match.start()
        pieces.append(text[start:end])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def escape(text: str) -> str:
    """``text`` as a literal inside a pattern."""
    return re2.escape(text)


error = re2.error


# An address staff type (their own, a walk-in's): a plain ASCII addr-spec, no quoted local part
# and no control or format character (it goes into the To header of our mail)
PLAIN_ADDRESS = compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

# An e-mail address in running text (RFC 5322 addr-spec without comments), also with a quoted
# local part ("jan jansen"@...): what the log redacts. It errs wide on purpose; extraction
# (bot.judge.extract) reads a narrower form, as people write addresses.
ADDRESS = compile(r"(?:\"[^\"\r\n]{0,256}\"|[\w.!#$%&'*+/=?^`{|}~-]+)@[\w-]+(?:\.[\w-]+)+")
