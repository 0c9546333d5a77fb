"""The ``inbox-bot`` command line: each command parses its arguments and calls one function.

In: ``argv``. Out: an exit code and lines on stdout. Exit codes: 0 done, 1 a file or server
could not be reached or read, 2 bad configuration or usage (one line on stderr naming the key).

    inbox-bot [--config PATH] run [--dry-run]          the worker, until SIGTERM/SIGINT
    inbox-bot [--config PATH] poll --once [--dry-run]  one cycle: fetch, process, send; a summary
    inbox-bot [--config PATH] classify FILE.eml...     offline: one JSON line per file
    inbox-bot [--config PATH] evaluate FOLDER          offline: score the classifier on labels
    inbox-bot [--config PATH] attendees [--format table|csv|xlsx] [--status S] [--output F]
              [--event KEY]
    inbox-bot [--config PATH] checkin [--output FILE] [--event KEY]   check-in list (HTML)
    inbox-bot [--config PATH] cancel|promote|approve EMAIL [--by NAME] [--event KEY]
                                                       staff actions, with the same mails
                                                       (bot.cli.staff)
    inbox-bot [--config PATH] announce --group G --subject S --body-file FILE [--subject-en S
              --body-file-en FILE] [--event KEY] [--dry-run] [--by NAME]
                                                       mail to a group (bot.staff.announce)
    inbox-bot [--config PATH] reconcile                is every message accounted for?
    inbox-bot [--config PATH] web [--host 127.0.0.1] [--port 8000] [--secure-cookies]
                                                       the staff web UI
    inbox-bot [--config PATH] user add NAME              a staff account (password asked twice)
    inbox-bot [--config PATH] questions [--status open|answered|closed]
    inbox-bot [--config PATH] db upgrade|current     the database schema (migrations)
    inbox-bot [--config PATH] check                  can it work? PASS/FAIL per part, exit 1 on FAIL
    inbox-bot [--config PATH] privacy export EMAIL [--output FILE] [--by NAME]
                                                       AVG: all we hold, as JSON
    inbox-bot [--config PATH] privacy erase EMAIL [--yes] [--by NAME]
                                                       AVG: erase them, mailbox included
    inbox-bot [--config PATH] oauth login|status         OAuth2: log in once; the token's health
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from sqlalchemy.exc import OperationalError

from bot.cli.ops import (
    check,
    cmd_privacy_erase,
    cmd_privacy_export,
    cmd_reconcile,
    cmd_user_add,
    cmd_web,
    database_schema,
    say,
)
from bot.cli.staff import (
    cmd_announce,
    cmd_attendees,
    cmd_checkin,
    cmd_questions,
    cmd_staff_action,
)
from bot.config.load import load_config, load_offline_settings, resolve_path
from bot.errors import ConfigError, MailboxError, OAuthError
from bot.judge.classify import ClassifyContext
from bot.logs import FORMATS, setup_logging
from bot.ops.dryrun import DEFAULT_NAME, DecisionFeed, dry_run_config
from bot.ops.evaluate import classify_bytes, evaluate_folder, format_report
from bot.pipeline.flow import PollSummary, poll_once
from bot.runtime import Runtime, classifier_context
from bot.store.desk_models import Group

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    setup_logging(args.log_format, verbose=args.verbose)
    path = resolve_path(args.config)
    try:
        if args.command == "classify":
            return classify_files(args.files, path)
        if args.command == "evaluate":
            return evaluate(args.folder, path)
        if args.command == "check":
            return check(load_config(path))
        if args.command == "db":
            return database_schema(args.db_command, load_config(path).database_url)
        config = load_config(path)
        if getattr(args, "dry_run", False):
            config = dry_run_config(config, args.dry_run_database)
        rt = Runtime.create(config)
        return args.handler(rt, args)
    except ConfigError as e:
        print(f"inbox-bot: configuration error: {e}", file=sys.stderr)
        return 2
    except MailboxError as e:
        print(f"inbox-bot: mailbox error: {e}", file=sys.stderr)
        return 1
    except OperationalError as e:  # the database cannot be opened or reached
        print(f"inbox-bot: database error: {e.orig or e}", file=sys.stderr)
        return 1
    except OAuthError as e:
        print(f"inbox-bot: OAuth2 error: {e}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="inbox-bot", description=__doc__.split("\n")[0])
    parser.add_argument("--config", help="configuration file (default: $INBOX_BOT_CONFIG, "
                        "else ./config.toml)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    parser.add_argument("--log-format", choices=FORMATS, default="text",
                        help="text (default) or json: one JSON object per line")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the worker until stopped")
    run.set_defaults(handler=cmd_run)
    poll = sub.add_parser("poll", help="one cycle: fetch, process, send")
    poll.add_argument("--once", action="store_true", help="one cycle, then exit (the default)")
    poll.set_defaults(handler=cmd_poll)
    for command in (run, poll):
        command.add_argument("--dry-run", action="store_true",
                             help="read-only: record in a scratch database and print the "
                                  "decisions; send nothing, move nothing")
        command.add_argument("--dry-run-database", type=Path, metavar="FILE",
                             help=f"the scratch SQLite file (default: {DEFAULT_NAME} next to "
                                  "the configuration; emptied at start)")
    classify = sub.add_parser("classify", help="classify .eml files offline, one JSON line each")
    classify.add_argument("files", nargs="+", type=Path)
    evaluate_ = sub.add_parser("evaluate", help="score the classifier on a labelled folder")
    evaluate_.add_argument("folder", type=Path, help="a folder of .eml files with labels.csv")
    attendees = sub.add_parser("attendees", help="list the attendees")
    attendees.add_argument("--format", choices=("table", "csv", "xlsx"), default="table")
    attendees.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    attendees.add_argument("--status", choices=("registered", "waitlisted", "cancelled",
                                                "pending_review"))
    attendees.set_defaults(handler=cmd_attendees)
    event_help = "the event's key (with several [[event]]s; default: the first)"
    attendees.add_argument("--event", metavar="KEY", help=event_help)
    checkin = sub.add_parser("checkin", help="printable check-in list (HTML), by surname")
    checkin.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    checkin.set_defaults(handler=cmd_checkin)
    checkin.add_argument("--event", metavar="KEY", help=event_help)
    for name, text in (("cancel", "cancel an attendee (the next on the waiting list moves up)"),
                       ("promote", "give a wait-listed person a free seat"),
                       ("approve", "approve a sign-up that waits for staff review")):
        action = sub.add_parser(name, help=text)
        action.add_argument("email")
        action.add_argument("--by", default=os.environ.get("USER", "staff"),
                            help="who does this (for the log)")
        action.add_argument("--event", metavar="KEY",
                            help="the event's key, when the person is on several events")
        action.set_defaults(handler=cmd_staff_action)
    announce = sub.add_parser("announce", help="mail to a group of an event's people, each "
                              "alone, through the outbox")
    announce.add_argument("--group", required=True, choices=[str(g) for g in Group])
    announce.add_argument("--subject", required=True, help="the Dutch subject")
    announce.add_argument("--body-file", required=True, type=Path,
                          help="the Dutch text (UTF-8); placeholders as in saved replies")
    announce.add_argument("--subject-en", default="", help="the English subject")
    announce.add_argument("--body-file-en", type=Path, help="the English text, for those who "
                          "wrote in English (without it everyone gets the Dutch)")
    announce.add_argument("--event", metavar="KEY", help="the event's key (needed with "
                          "several [[event]]s)")
    # not the global --dry-run (main() would swap in an empty scratch database): a preview
    # reads the real attendees
    announce.add_argument("--dry-run", dest="show_only", action="store_true",
                          help="print who would get what; send nothing")
    announce.add_argument("--by", default=os.environ.get("USER", "staff"),
                          help="who sends it (for the audit log)")
    announce.set_defaults(handler=cmd_announce)
    sub.add_parser("reconcile", help="is every message in the mailbox in the database?"
                   ).set_defaults(handler=cmd_reconcile)
    web = sub.add_parser("web", help="serve the staff web UI")
    web.add_argument("--host", default="127.0.0.1")
    web.add_argument("--port", type=int, default=8000)
    web.add_argument("--secure-cookies", action="store_true",
                     help="mark the session cookie Secure (when served over HTTPS)")
    web.set_defaults(handler=cmd_web)
    user = sub.add_parser("user", help="manage staff accounts")
    user_sub = user.add_subparsers(dest="user_command", required=True)
    add = user_sub.add_parser("add", help="create a staff account")
    add.add_argument("name")
    add.set_defaults(handler=cmd_user_add)
    sub.add_parser("check", help="check the database, templates, IMAP, SMTP and open alerts")
    db = sub.add_parser("db", help="the database schema")
    db.add_argument("db_command", choices=("upgrade", "current"),
                    help="upgrade: migrate to the newest schema; current: show the revision")
    questions = sub.add_parser("questions", help="list the questions, oldest first")
    questions.add_argument("--status", choices=("open", "answered", "closed"))
    questions.set_defaults(handler=cmd_questions)
    privacy = sub.add_parser("privacy", help="AVG requests: export or erase one person's data")
    privacy_sub = privacy.add_subparsers(dest="privacy_command", required=True)
    export = privacy_sub.add_parser("export", help="everything stored about EMAIL, as JSON")
    export.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    export.set_defaults(handler=cmd_privacy_export)
    erase = privacy_sub.add_parser("erase", help="erase EMAIL from the database and mailbox")
    erase.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    erase.set_defaults(handler=cmd_privacy_erase)
    for command in (export, erase):
        command.add_argument("email")
        command.add_argument("--by", default=os.environ.get("USER", "staff"),
                             help="who does this (for the audit log)")
    oauth = sub.add_parser("oauth", help='OAuth2 for [mailbox] auth = "oauth2"')
    oauth_sub = oauth.add_subparsers(dest="oauth_command", required=True)
    oauth_sub.add_parser("login", help="log in as the mailbox account (device code or browser) "
                         "and store its tokens").set_defaults(handler=cmd_oauth_login)
    oauth_sub.add_parser("status", help="is the stored token usable, and until when? (exit 1 "
                         "when not, or within 7 days of expiring)"
                         ).set_defaults(handler=cmd_oauth_status)
    return parser


def cmd_run(rt: Runtime, _args: argparse.Namespace) -> int:
    from bot.pipeline.worker import run_worker  # APScheduler is needed only here

    run_worker(rt, after_poll=DecisionFeed(rt.engine, say) if rt.config.dry_run else None)
    return 0


def cmd_poll(rt: Runtime, _args: argparse.Namespace) -> int:
    summary = poll_once(rt)
    if rt.config.dry_run:
        DecisionFeed(rt.engine, say)()
        print(f"dry run: nothing sent, nothing moved; decisions kept in {rt.engine.url.database}")
    print(format_summary(summary))
    return 0


def format_summary(summary: PollSummary) -> str:
    fates = ", ".join(f"{n} {fate}" for fate, n in sorted(summary.fates.items())) or "none"
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.kinds.items())) or "none"
    sent = summary.sent
    return (f"messages: {sum(summary.fates.values())} ({fates}); kinds: {kinds}; "
            f"refiled: {summary.refiled}; replies queued: {summary.replies_queued}; "
            f"reminders/updates/held replies queued: {summary.scheduled}; "
            f"sent: {sent.sent}, retrying: {sent.retrying}, failed: {sent.failed}")


def classify_files(files: list[Path], config_path: Path) -> int:
    """Print one JSON object per file; a file that cannot be read makes the exit code 1."""
    ctx, capacity, seconds = _offline_context(config_path)
    code = 0
    for file in files:
        try:
            raw = file.read_bytes()
        except OSError as e:
            print(json.dumps({"file": str(file), "error": f"cannot read: {e.strerror}"}))
            code = 1
            continue
        verdict = classify_bytes(raw, ctx, capacity=capacity, seconds=seconds)
        print(json.dumps(verdict | {"file": str(file)}, ensure_ascii=False))
    return code


def evaluate(folder: Path, config_path: Path) -> int:
    """Print the evaluation report; exit 1 when any harmful reply would go out."""
    ctx, capacity, seconds = _offline_context(config_path)
    result = evaluate_folder(folder, ctx, capacity=capacity, seconds=seconds)
    print(format_report(result))
    return 1 if result.harmful else 0


def _offline_context(config_path: Path) -> tuple[ClassifyContext, int, float]:
    settings = load_offline_settings(config_path)
    ctx = classifier_context(settings.our_address, settings.aliases, settings.trust,
                             settings.classify, settings.brand)
    return ctx, settings.capacity, settings.message_seconds


def cmd_oauth_login(rt: Runtime, _args: argparse.Namespace) -> int:
    from bot.store.oauth import login
    account = login(rt.engine, rt.config, say=say)
    print(f"logged in: the tokens of {account} are stored")
    return cmd_oauth_status(rt, _args)


def cmd_oauth_status(rt: Runtime, _args: argparse.Namespace) -> int:
    from bot.store.oauth import token_health
    ok, _expires_at, message = token_health(rt.engine, rt.config)
    print(message)
    return 0 if ok else 1
