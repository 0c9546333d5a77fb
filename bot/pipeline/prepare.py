"""Read (parse and classify) one fetched message within its time budget. Pure but for the
clock.

In: a :class:`~bot.inbound.mailbox.FetchedMessage` (or its raw bytes) and a :class:`Reading`:
the :class:`~bot.judge.classify.ClassifyContext`, the size limit and ``[worker]
message_seconds``. Out: a :class:`Prepared`: its :class:`~bot.inbound.parse.ParsedMail` and
:class:`~bot.judge.classify.Verdict`, or the error that makes the pipeline quarantine it. A
message that takes longer than the budget is stopped (:func:`bot.pipeline.budget.run_within`)
and gets :class:`~bot.errors.MessageTooSlow`. Whether a batch is read here, inline, or in reader
processes on the other core is :class:`bot.pipeline.reader.Preparer`'s choice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.errors import MessageRejected
from bot.inbound.mailbox import FetchedMessage
from bot.inbound.parse import ParsedMail, parse_message
from bot.judge.classify import ClassifyContext, Verdict, classify_message
from bot.pipeline.budget import run_within

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Prepared:
    mail: ParsedMail | None = None
    verdict: Verdict | None = None
    error: Exception | None = None  # set when the message must be quarantined


@dataclass(frozen=True)
class Reading:
    """What reading a message needs besides its bytes (pickled once into each reader)."""

    ctx: ClassifyContext
    max_bytes: int
    seconds: float  # [worker] message_seconds


def read_message(raw: bytes, reading: Reading) -> Prepared:
    """Parse and classify one message within its budget; any failure is returned, not raised."""
    try:
        mail, verdict = run_within(reading.seconds, _parse_and_classify, raw, reading)
        return Prepared(mail, verdict)
    except Exception as e:  # the pipeline quarantines the message with this reason
        return Prepared(error=e)


def _parse_and_classify(raw: bytes, reading: Reading) -> tuple[ParsedMail, Verdict]:
    mail = parse_message(raw, max_bytes=reading.max_bytes)
    return mail, classify_message(mail, reading.ctx)


def prepare(fetched: FetchedMessage, reading: Reading) -> Prepared:
    """One fetched message, read inline (an oversized one is refused unread)."""
    if fetched.oversized:
        return Prepared(error=MessageRejected(
            f"message is {fetched.size} bytes, over the limit of {reading.max_bytes}"))
    return read_message(fetched.raw, reading)
