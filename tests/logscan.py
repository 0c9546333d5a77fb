"""The log-privacy scan of the whole test run: no subject, body or address of the test messages
in any log line at INFO or above (issue 7; DESIGN.md §4 "Privacy").

In: every log record of level INFO and up emitted in the pytest process (by the bot and the
libraries it uses; the test servers' own loggers are left out), and the labelled test messages
of tests/data. Out: :func:`leaks`, the log lines that contain a message's From address, its
subject or a line of its body. conftest.py attaches :class:`Recorder` at the start of the run
and fails the run at its end when :func:`leaks` finds anything. Logs of subprocesses (the
command line) are scanned by tests/ops/test_logs.py with the same :func:`secrets_of`.
"""

from __future__ import annotations

import email
import email.policy
import logging
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
SERVER_LOGGERS = ("mail.log", "pymap", "tests", "asyncio", "uvicorn", "httpx")
MIN_LENGTH = 12  # shorter subjects ("Vraag", "Aanmelding") say nothing about a person


class Recorder(logging.Handler):
    """Keeps the text of every record at INFO and above, except the test servers' own."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(SERVER_LOGGERS):
            self.lines.append(f"{record.name}: {self.format(record)}")


@cache
def secrets_of(folder: Path = DATA_DIR) -> dict[str, str]:
    """What must never be logged, per test message: its From address, subject, body lines."""
    found: dict[str, str] = {}
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        try:
            sender = message["From"].addresses[0].addr_spec if message["From"] else ""
            subject = str(message["Subject"] or "")
            part = message.get_body(("plain",))
            body = part.get_content() if part else ""
        except (LookupError, ValueError, AttributeError, IndexError):
            continue  # a malformed test message: its parts are not reliably known
        for text in (sender, subject, *body.splitlines()[:8]):
            text = " ".join(text.split())
            if len(text) >= MIN_LENGTH and "@kinderrechten.nl" not in text:
                found.setdefault(text, path.name)
    return found


def leaks(lines: list[str]) -> list[str]:
    secrets = secrets_of()
    return [f"{secrets[s]}: {s!r} in {line[:200]!r}" for line in lines for s in secrets
            if s in line]
