"""The operator's commands of ``inbox-bot``: health, schema, privacy requests, accounts, web.

In: the parsed arguments (and a :class:`~bot.runtime.Runtime` where the command needs the
database). Out: lines on stdout and an exit code, as in :mod:`bot.cli.main`, which parses the
arguments and dispatches here. ``check`` and ``db`` work without a Runtime: they must report
on a database that cannot be opened or is not migrated yet.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from bot.ops.preflight import run_checks
from bot.runtime import Runtime
from bot.store import schema
from bot.store.db import make_engine


def check(config) -> int:
    results = run_checks(config)
    for result in results:
        print(result.line())
    failed = [r.name for r in results if not r.ok]
    print(f"{len(results) - len(failed)} of {len(results)} checks passed"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def database_schema(command: str, url: str) -> int:
    engine = make_engine(url)
    try:
        if command == "upgrade":
            before, after = schema.upgrade(engine)
            print(f"database schema: {before or 'none'} -> {after}" if before != after
                  else f"database schema: {after}, the newest")
            return 0
        with engine.connect() as connection:
            current = schema.revision_of(connection)
        head = schema.head_revision()
        print(f"database schema: {current or 'none'}; newest: {head}")
        return 0 if current == head else 1
    finally:
        engine.dispose()


def cmd_reconcile(rt: Runtime, _args: argparse.Namespace) -> int:
    from bot.ops.reconcile import reconcile
    report = reconcile(rt)
    print("\n".join(report.lines()))
    return 1 if report.unaccounted else 0


def cmd_web(rt: Runtime, args: argparse.Namespace) -> int:
    from bot.web.app import serve
    public = f" for {rt.config.web.public_url}" if rt.config.web.public_url else ""
    print(f"Staff UI on http://{args.host}:{args.port}/{public} (Ctrl-C stops it)",
          file=sys.stderr)
    serve(rt, host=args.host, port=args.port, secure_cookies=args.secure_cookies)
    return 0


def cmd_user_add(rt: Runtime, args: argparse.Namespace) -> int:
    import getpass

    from sqlmodel import Session

    from bot.errors import AccountError
    from bot.store.db import writer
    from bot.web.auth import create_user
    password = os.environ.get("INBOX_BOT_NEW_PASSWORD")
    if password is None:
        password = getpass.getpass(f"Wachtwoord voor {args.name}: ")
        if getpass.getpass("Nog een keer: ") != password:
            print("inbox-bot: the two passwords differ", file=sys.stderr)
            return 1
    try:
        with Session(writer(rt.engine)) as session:
            create_user(session, args.name, password)
    except AccountError as e:
        print(f"inbox-bot: {e}", file=sys.stderr)
        return 1
    print(f"staff account {args.name.strip().lower()} created")
    return 0


def write_output(data: bytes, output: Path | None) -> int:
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        output.write_bytes(data)
        print(f"written: {output}", file=sys.stderr)
    return 0


def cmd_privacy_export(rt: Runtime, args: argparse.Namespace) -> int:
    from bot.ops.export import export_for_request
    data = export_for_request(rt, args.email, by=args.by)
    if args.output:  # personal data: readable by its owner only
        args.output.touch(mode=0o600)
        args.output.chmod(0o600)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return write_output(text.encode(), args.output)


def cmd_privacy_erase(rt: Runtime, args: argparse.Namespace) -> int:
    from bot.ops.privacy import erase_person
    if not args.yes:
        try:
            answer = input(f"Alle gegevens van {args.email} definitief verwijderen, ook uit de "
                           "mailbox? Typ 'ja': ")
        except EOFError:
            answer = ""
        if answer.strip().lower() != "ja":
            print("inbox-bot: afgebroken, er is niets verwijderd", file=sys.stderr)
            return 1
    print(f"{args.email}: {erase_person(rt, args.email, by=args.by).line()}")
    return 0


def say(line: str) -> None:
    """One line on stdout at once (between the worker's log lines: the dry run's decisions,
    the OAuth2 login's instructions)."""
    print(line, flush=True)
