"""Size and structure caps, checked on the raw bytes before any parser sees them. Pure.

In: raw message bytes and :class:`Limits`. Out: nothing, or :class:`~bot.errors.MessageRejected`
naming the cap that was exceeded. The stdlib header parser is quadratic on some inputs
(python/cpython#136063, still open) and recursion-bound on deep nesting, so a hostile message
is refused here, in one linear scan, instead of being handed to it:

- the whole message over ``max_bytes``; empty; no header section;
- one header field (with its folded lines) over 8 KB, the header block over 64 KB, more than
  300 header fields;
- more than 200 MIME parts, or multiparts nested deeper than 20; parts inside an attached
  message (``message/rfc822``) count too, and each attached message is a level of nesting, and
  a bare CR ends a line here as it does for Python's parser.

:func:`header_names` reads the header block as a mail server and a DKIM verifier do (a field
may have spaces before its colon, a bare CR is not a line end), so that the parse stage can
notice headers that Python's parser would not see.

The MIME scan reads only boundary lines and the header blocks of parts, never bodies. Its
patterns run in linear time (:mod:`bot.linear`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import linear
from bot.config.types import MAX_MESSAGE_BYTES
from bot.errors import MessageRejected

_HEADER_LINE = linear.compile(rb"[!-9;-~]+:")  # RFC 5322 field name, then a colon
_FIELD_NAME = linear.compile(rb"^([!-9;-~]+)[ \t]*:")  # also the obsolete "Name :" form
_LEADING_BLANK_LINES = linear.compile(rb"^(?:[ \t]*\r?\n)*")
_BLANK_LINE = linear.compile(rb"\r?\n\r?\n")
_DELIMITER = linear.compile(rb"^--([^\r\n]{1,200}?)[ \t]*\r?$", multiline=True)
_CONTENT_TYPE = linear.compile(
    rb"^content-type:[ \t]*multipart/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*", ignorecase=True,
    multiline=True)
_MESSAGE_TYPE = linear.compile(rb"^content-type:[ \t]*message/(?:rfc822|global)",
                               ignorecase=True, multiline=True)
_BOUNDARY = linear.compile(rb"""boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))""",
                           ignorecase=True)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_MESSAGE_BYTES
    max_header_bytes: int = 8 * 1024
    max_header_block_bytes: int = 64 * 1024
    max_header_fields: int = 300
    max_parts: int = 200
    max_depth: int = 20


def check_caps(raw: bytes, limits: Limits) -> None:
    """Raise MessageRejected when ``raw`` breaks one of the caps in the module docstring."""
    if len(raw) > limits.max_bytes:
        raise MessageRejected(f"message is {len(raw)} bytes, over the limit of {limits.max_bytes}")
    if not raw.strip():
        raise MessageRejected("message is empty")
    head = _header_block(raw, limits)
    _check_headers(head, limits)
    _check_mime(raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n"), limits)


def header_names(raw: bytes) -> tuple[list[str], bool]:
    """The field names of the header block as a mail server reads it (lower-cased, "" for a
    line that is no field), and whether a bare CR appears in it."""
    start, end = _header_span(raw, len(raw))
    head = raw[start:end]
    names = []
    for line in head.split(b"\n"):
        line = line.removesuffix(b"\r")
        if line and line[:1] not in (b" ", b"\t"):
            field = _FIELD_NAME.match(line)
            names.append(field.group(1).decode("ascii").lower() if field else "")
    return names, b"\r" in head.replace(b"\r\n", b"")


def _header_span(raw: bytes, longest: int) -> tuple[int, int]:
    """Where the header block starts and ends (looked for over ``longest`` bytes)."""
    start = _LEADING_BLANK_LINES.match(raw).end()
    if raw.startswith(b"From ", start):  # an mbox separator line left in by some exports
        start = raw.find(b"\n", start) + 1
    end_match = _BLANK_LINE.search(raw, start, start + longest + 4)
    return start, end_match.start() if end_match else len(raw)


def _header_block(raw: bytes, limits: Limits) -> bytes:
    start, end = _header_span(raw, limits.max_header_block_bytes)
    if end - start > limits.max_header_block_bytes:
        raise MessageRejected(
            f"header block is over the limit of {limits.max_header_block_bytes} bytes")
    head = raw[start:end]
    if not _HEADER_LINE.match(head):
        raise MessageRejected("message has no header section (first line is not a header)")
    return head


def _check_headers(head: bytes, limits: Limits) -> None:
    fields = 0
    size = 0
    for line in head.split(b"\n"):
        if line[:1] in (b" ", b"\t"):
            size += len(line) + 1  # a folded continuation of the field before
        else:
            fields, size = fields + 1, len(line) + 1
        if size > limits.max_header_bytes:
            raise MessageRejected(
                f"header field {fields} is over the limit of {limits.max_header_bytes} bytes")
    if fields > limits.max_header_fields:
        raise MessageRejected(
            f"message has {fields} header fields, over the limit of {limits.max_header_fields}")


def _check_mime(raw: bytes, limits: Limits) -> None:
    """Count parts and nesting by walking boundary lines with a stack of open multiparts."""
    top, depth = _boundary_within(raw, 0, limits, 0)
    if top is None:
        return
    stack, depths = [top], [depth + 1]  # the levels of the open multiparts
    parts = 0
    for match in _DELIMITER.finditer(raw):
        line = match.group(1)
        closing = line.endswith(b"--") and line[:-2] in stack
        boundary = line[:-2] if closing else line
        if boundary not in stack:
            continue  # body text that happens to start with "--"
        del stack[stack.index(boundary) + 1:]  # inner multiparts end with their parent's part
        del depths[len(stack):]
        if closing:
            stack.pop()
            depths.pop()
            if not stack:
                return
            continue
        parts += 1
        if parts > limits.max_parts:
            raise MessageRejected(f"message has more than {limits.max_parts} MIME parts")
        inner, depth = _boundary_within(raw, match.end(), limits, depths[-1])
        if inner is not None:
            stack.append(inner)
            depths.append(depth + 1)
            if depth + 1 > limits.max_depth:
                raise MessageRejected(
                    f"MIME parts are nested deeper than {limits.max_depth} levels")


def _boundary_within(raw: bytes, start: int, limits: Limits, depth: int
                     ) -> tuple[bytes | None, int]:
    """The multipart boundary of the entity whose headers start at ``start``, looking through
    attached messages (``message/rfc822``: their own headers follow the part's); with the
    nesting depth reached, each attached message a level."""
    while True:
        blank = _BLANK_LINE.search(raw, start, start + 65536)
        end = blank.start() if blank else min(len(raw), start + 65536)
        head = raw[start:end]
        boundary = _multipart_boundary(head)
        if boundary is not None or blank is None or not _MESSAGE_TYPE.search(head):
            return boundary, depth
        depth += 1
        if depth > limits.max_depth:
            raise MessageRejected(f"MIME parts are nested deeper than {limits.max_depth} levels")
        start = blank.end()


def _multipart_boundary(head: bytes) -> bytes | None:
    content_type = _CONTENT_TYPE.search(head)
    if content_type is None:
        return None
    boundary = _BOUNDARY.search(content_type.group(0))
    return (boundary.group(1) or boundary.group(2)) if boundary else None
