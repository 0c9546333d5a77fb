"""Logging set-up for the command line: plain text or one JSON object per line.

In: the chosen format (``text`` or ``json``) and the level. Out: the root logger configured once.
Modules log with ``logging.getLogger(__name__)``; the line for each message's fate carries
structured fields in ``extra={"fields": {...}}`` (message row, UID, kind, fate, reply,
reasons), which the JSON format puts at the top level of the object, e.g.::

    {"time": "2026-11-29T05:30:01.120Z", "level": "INFO", "logger": "bot.pipeline.flow",
     "message": "message #12 uid=40: registration -> processed; reply registration_confirmed",
     "event": "message", "row": 12, "uid": 40, "kind": "registration", "fate": "processed", ...}

Privacy: nothing personal is logged above DEBUG: no bodies, no subjects, no addresses. Texts
that may carry them (an SMTP server's error, an exception raised on a message) pass through
:func:`redact` first, which replaces every email address with ``<address>``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from bot import linear

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def redact(text: object, limit: int = 300) -> str:
    """``text`` without email addresses, cut to ``limit`` characters, on one line."""
    flat = " ".join(str(text).encode("utf-8", "replace").decode("utf-8").split())
    return linear.ADDRESS.sub("<address>", flat)[:limit]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC)
        data = {"time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "level": record.levelname, "logger": record.name,
                "message": record.getMessage()}
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def setup_logging(log_format: str = "text", *, verbose: bool = False) -> None:
    """Configure the root logger (replacing earlier handlers) and quiet chatty libraries."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json"
                         else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    quiet_libraries()


def quiet_libraries() -> None:
    """Libraries that log message content or noise at INFO/WARNING: only what matters."""
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # it warns about every DSN part
    logging.getLogger("flufl.bounce").setLevel(logging.WARNING)  # one line per detector
    logging.getLogger("alembic").setLevel(logging.WARNING)  # bot.store.schema logs them
