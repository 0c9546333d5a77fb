"""The ``inbox-bot`` command line: each command parses its arguments and calls one function.

In: ``argv``. Out: an exit code and lines on stdout. Exit codes: 0 done, 1 a file or server
could not be reached or read, 2 bad configuration or usage (one line on stderr naming the key).

    inbox-bot [--config PATH] run                      the worker, until SIGTERM/SIGINT
    inbox-bot [--config PATH] poll --once              one cycle: fetch, process, send; a summary
    inbox-bot [--config PATH] classify FILE.eml...     offline: one JSON line per file
    inbox-bot [--config PATH] attendees [--format table|csv] [--status S]
    inbox-bot [--config PATH] questions [--status open|answered|closed]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from pathlib import Path

from bot.classify import ClassifyContext, classify_message
from bot.config import load_config, load_trust_settings, resolve_path
from bot.errors import ConfigError, MailboxError, MessageRejected
from bot.parse import parse_message
from bot.pipeline import PollSummary, Runtime, poll_once
from bot.queries import list_attendees, list_questions
from bot.record import plan_effect

log = logging.getLogger(__name__)

CLASSIFY_MAX_BYTES = 25 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # it warns about every DSN part
    path = resolve_path(args.config)
    try:
        if args.command == "classify":
            return classify_files(args.files, path)
        rt = Runtime.create(load_config(path))
        return args.handler(rt, args)
    except ConfigError as e:
        print(f"inbox-bot: configuration error: {e}", file=sys.stderr)
        return 2
    except MailboxError as e:
        print(f"inbox-bot: mailbox error: {e}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inbox-bot", description=__doc__.split("\n")[0])
    parser.add_argument("--config", help="configuration file (default: $INBOX_BOT_CONFIG, "
                        "else ./config.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the worker until stopped").set_defaults(handler=cmd_run)
    poll = sub.add_parser("poll", help="one cycle: fetch, process, send")
    poll.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    poll.set_defaults(handler=cmd_poll)
    classify = sub.add_parser("classify", help="classify .eml files offline, one JSON line each")
    classify.add_argument("files", nargs="+", type=Path)
    attendees = sub.add_parser("attendees", help="list the attendees")
    attendees.add_argument("--format", choices=("table", "csv"), default="table")
    attendees.add_argument("--status", choices=("registered", "waitlisted", "cancelled",
                                                "pending_review"))
    attendees.set_defaults(handler=cmd_attendees)
    questions = sub.add_parser("questions", help="list the questions, oldest first")
    questions.add_argument("--status", choices=("open", "answered", "closed"))
    questions.set_defaults(handler=cmd_questions)
    return parser


def cmd_run(rt: Runtime, _args: argparse.Namespace) -> int:
    from bot.worker import run_worker  # APScheduler is needed only here

    run_worker(rt)
    return 0


def cmd_poll(rt: Runtime, _args: argparse.Namespace) -> int:
    print(format_summary(poll_once(rt)))
    return 0


def format_summary(summary: PollSummary) -> str:
    fates = ", ".join(f"{n} {fate}" for fate, n in sorted(summary.fates.items())) or "none"
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.kinds.items())) or "none"
    sent = summary.sent
    return (f"messages: {sum(summary.fates.values())} ({fates}); kinds: {kinds}; "
            f"refiled: {summary.refiled}; replies queued: {summary.replies_queued}; "
            f"sent: {sent.sent}, retrying: {sent.retrying}, failed: {sent.failed}")


def classify_files(files: list[Path], config_path: Path) -> int:
    """Print one JSON object per file; a file that cannot be read makes the exit code 1."""
    our_address, trust, capacity = load_trust_settings(config_path)
    ctx = ClassifyContext(our_address, trust.allowed_domains, trust.authserv_id)
    code = 0
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as e:
            print(json.dumps({"file": str(file), "error": f"cannot read: {e.strerror}"}))
            code = 1
            continue
        print(json.dumps(classify_bytes(raw, ctx, capacity=capacity) | {"file": str(file)},
                         ensure_ascii=False))
    return code


def classify_bytes(raw: bytes, ctx: ClassifyContext, *, capacity: int) -> dict:
    """The JSON-able verdict on one message, including the reply the bot would send."""
    try:
        mail = parse_message(raw, max_bytes=CLASSIFY_MAX_BYTES)
        verdict = classify_message(mail, ctx)
    except MessageRejected as e:
        return {"kind": "quarantined", "has_question": False, "needs_review": True,
                "confidence": 0.0, "reply": None, "reasons": ["rejected"], "sender": None,
                "error": str(e)}
    except Exception as e:  # a defect of ours must still give the file its line
        log.debug("classify failed", exc_info=True)
        return {"kind": "quarantined", "has_question": False, "needs_review": True,
                "confidence": 0.0, "reply": None, "reasons": ["crashed"], "sender": None,
                "error": f"{type(e).__name__}: {e}"}
    effect = plan_effect(verdict, existing=None, seats_left=capacity)
    return {"kind": str(verdict.kind), "has_question": verdict.has_question,
            "needs_review": verdict.needs_review, "confidence": verdict.confidence,
            "reply": str(effect.reply) if effect.reply else None, "reasons": list(verdict.reasons),
            "sender": verdict.sender, "language": verdict.language, "verified": verdict.verified}


def cmd_attendees(rt: Runtime, args: argparse.Namespace) -> int:
    rows = list_attendees(rt.engine, rt.config.event.key, status=args.status)
    fields = ("name", "email", "status", "party", "on_behalf_of", "notes")
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(fields)
        writer.writerows([getattr(row, f) for f in fields] for row in rows)
        return 0
    print(f"{'name':30} {'email':40} status")
    for row in rows:
        print(f"{row.name[:30]:30} {row.email[:40]:40} {row.status}")
    print(f"({len(rows)} attendees; capacity {rt.config.event.capacity})")
    return 0


def cmd_questions(rt: Runtime, args: argparse.Namespace) -> int:
    for q in list_questions(rt.engine, status=args.status):
        first_line = " ".join(q.text.split())[:100]
        print(f"#{q.id} [{q.status}] {q.created_at:%Y-%m-%d %H:%M} {q.sender}: {first_line}")
    return 0
