"""Benchmark: offline judgement (caps + parse + classify) over real mail, against mail-parser.

In: the shared corpus (../shared/corpus) and tests/data, read once into memory. Out: messages/s
for the bot's whole offline judgement and for the baseline (mailparser.parse_from_bytes alone)
on the same messages in the same run, the slowest single message, and a last line
``RATIO classify_corpus <bot rate / baseline rate>``. Run with ``make bench``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import mailparser

from bot.judge.classify import ClassifyContext
from bot.ops.evaluate import classify_bytes

ROOT = Path(__file__).resolve().parents[1]
CTX = ClassifyContext("info@kinderrechten.nl", ("tweedekamer.nl",), "mx.kinderrechten.nl")


def load() -> list[bytes]:
    paths = sorted((ROOT.parent / "shared" / "corpus").glob("*/*.eml"))
    paths += sorted((ROOT / "tests" / "data").glob("*.eml"))
    return [p.read_bytes() for p in paths]


def timed(function, messages: list[bytes], rounds: int) -> tuple[float, float]:
    """Total seconds for ``rounds`` passes, and the slowest single call."""
    slowest = 0.0
    start = time.perf_counter()
    for _ in range(rounds):
        for raw in messages:
            t = time.perf_counter()
            function(raw)
            slowest = max(slowest, time.perf_counter() - t)
    return time.perf_counter() - start, slowest


def main(rounds: int = 5) -> None:
    import logging
    logging.disable(logging.WARNING)  # mail-parser warns about every DSN part
    messages = load()
    count = len(messages) * rounds
    base_total, base_slowest = timed(mailparser.parse_from_bytes, messages, rounds)
    bot_total, bot_slowest = timed(lambda raw: classify_bytes(raw, CTX, capacity=1),
                                   messages, rounds)
    print(f"messages: {len(messages)} x {rounds} rounds")
    for name, total, slowest in (("baseline mail-parser", base_total, base_slowest),
                                 ("bot caps+parse+classify", bot_total, bot_slowest)):
        print(f"{name:24} {count / total:7.0f} msg/s, slowest message {slowest * 1e3:.1f} ms")
    print(f"RATIO classify_corpus {base_total / bot_total:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
