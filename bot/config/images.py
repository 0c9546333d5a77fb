"""What kind of image the ``[branding] logo`` file is, and its size, read from its own bytes.

In: the bytes of a file. Out: an :class:`Image` (``png``, ``jpeg`` or ``gif``, with its width
and height in pixels), or ``None`` when the bytes are none of those three or their size cannot
be read. Only the first bytes (the "magic" signature) and the header that holds the size are
looked at: the file name and its extension are never trusted, and nothing is decoded.
:func:`bot.config.sections.read_branding` refuses a file this returns ``None`` for.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass

log = logging.getLogger(__name__)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
GIF_MAGICS = (b"GIF87a", b"GIF89a")
JPEG_MAGIC = b"\xff\xd8\xff"
# JPEG start-of-frame markers (they hold the size); C4, C8 and CC are other segments
_JPEG_FRAMES = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD,
                          0xCE, 0xCF})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD9)})  # RSTn, SOI: markers without length


@dataclass(frozen=True)
class Image:
    subtype: str  # png | jpeg | gif: the MIME type is image/<subtype>
    width: int
    height: int


def sniff_image(data: bytes) -> Image | None:
    """The kind and size of the image in ``data``; ``None`` when it is not a PNG, JPEG or GIF
    with a size of at least one pixel."""
    found = None
    if data.startswith(PNG_MAGIC) and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        found = Image("png", width, height)
    elif data[:6] in GIF_MAGICS and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        found = Image("gif", width, height)
    elif data.startswith(JPEG_MAGIC):
        size = _jpeg_size(data)
        found = Image("jpeg", *size) if size else None
    if found is None or found.width < 1 or found.height < 1:
        return None
    return found


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Walk the JPEG's segments up to its first start-of-frame, which holds height and width."""
    at = 2  # after the start-of-image marker
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None  # not a marker where one must be: not a JPEG we understand
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte before a marker
            at += 1
            continue
        if marker in _JPEG_STANDALONE:
            at += 2
            continue
        if marker == 0xD9:  # end of image before any frame
            return None
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        if marker in _JPEG_FRAMES:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        if length < 2:
            return None
        at += 2 + length
    return None
