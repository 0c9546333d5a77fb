"""The command line's staff commands: the attendee list, the check-in list, the attendee
actions, the question queue and mail to a group.

In: a :class:`~bot.runtime.Runtime` and the parsed arguments of ``inbox-bot attendees``,
``checkin``, ``cancel``/``promote``/``approve``, ``questions`` and ``announce``. Out: an exit
code, and the list or the action's one-line result on stdout (a refused action, or a text file
that cannot be read, on stderr, exit 1). The actions are :mod:`bot.staff.actions` and
:mod:`bot.staff.announce`, the same the desk calls; their mails are sent at once, as far as the
outbox's pace allows (the worker sends the rest).
"""

from __future__ import annotations

import argparse
import sys

from bot.cli.ops import write_output
from bot.config.types import EventConfig
from bot.errors import ActionRefused, ConfigError
from bot.outbound.outbox import flush_outbox
from bot.outbound.reply import format_event_date
from bot.runtime import Runtime
from bot.staff import announce
from bot.staff.actions import ACTIONS
from bot.staff.exports import sorted_by_surname, to_checkin_html, to_csv, to_xlsx
from bot.staff.progress import progress
from bot.staff.sorting import describe
from bot.store.queries import list_attendees, list_questions


def cmd_attendees(rt: Runtime, args: argparse.Namespace) -> int:
    event = chosen_event(rt, args.event)
    rows = list_attendees(rt.engine, event.key, status=args.status)
    if args.format in ("csv", "xlsx"):
        data = to_csv(rows) if args.format == "csv" else to_xlsx(rows)
        return write_output(data, args.output)
    print(f"{'name':28} {'party':16} {'email':36} status")
    for row in sorted_by_surname(rows):
        print(f"{row.name[:28]:28} {row.party[:16]:16} {row.email[:36]:36} {row.status}")
    print(f"({len(rows)} attendees of {event.name}, {event.date}; capacity {event.capacity})")
    return 0


def cmd_checkin(rt: Runtime, args: argparse.Namespace) -> int:
    event = chosen_event(rt, args.event)
    rows = list_attendees(rt.engine, event.key)
    page = to_checkin_html(rows, rt.templates, title=event.name,
                           date=format_event_date(event, "nl"))
    return write_output(page, args.output)


def chosen_event(rt: Runtime, key: str | None, *, required: bool = False) -> EventConfig:
    """The event ``--event KEY`` names (the first without it, unless ``required`` and there
    are several); a wrong or missing key is a usage error."""
    keys = [e.key for e in rt.config.events]
    if key is not None and key not in keys:
        raise ConfigError(f"--event: no event with the key {key!r} (there are: {', '.join(keys)})")
    if key is None and required and len(keys) > 1:
        raise ConfigError(f"--event: there are several events ({', '.join(keys)}): say which")
    return rt.config.event_by_key(key)


def cmd_staff_action(rt: Runtime, args: argparse.Namespace) -> int:
    action = ACTIONS[args.command]
    try:
        print(action(rt, args.email.lower(), by=args.by,
                     event_key=args.event and chosen_event(rt, args.event).key))
    except ActionRefused as e:
        print(f"inbox-bot: {e}", file=sys.stderr)
        return 1
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
    return 0


def cmd_questions(rt: Runtime, args: argparse.Namespace) -> int:
    for q in list_questions(rt.engine, status=args.status):
        first_line = " ".join(q.text.split())[:100]
        print(f"#{q.id} [{q.status} · {describe(q.topic, q.theme)}] "
              f"{q.created_at:%Y-%m-%d %H:%M} {q.sender}: {first_line}")
    return 0


def cmd_announce(rt: Runtime, args: argparse.Namespace) -> int:
    """``inbox-bot announce``: queue a group mail and send what the pace allows, or with
    ``--dry-run`` print who would get what."""
    event = chosen_event(rt, args.event, required=True)  # a mail to the wrong event's people
    #                                                       cannot be taken back
    try:
        texts = [path.read_text(encoding="utf-8") if path else ""
                 for path in (args.body_file, args.body_file_en)]
    except (OSError, UnicodeDecodeError) as e:
        print(f"inbox-bot: cannot read the text: {e}", file=sys.stderr)
        return 1
    try:
        draft = announce.check_draft(rt, event_key=event.key, group=args.group,
                                     subject_nl=args.subject, body_nl=texts[0],
                                     subject_en=args.subject_en, body_en=texts[1])
        if args.show_only:
            return _show(announce.preview(rt, draft))
        group_mail_id, message = announce.queue_group_mail(rt, draft, by=args.by)
    except ActionRefused as e:
        print(f"inbox-bot: {e}", file=sys.stderr)
        return 1
    print(message)
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker, tokens=rt.tokens)
    now = progress(rt.engine, group_mail_id)
    print(f"{now.sent} van {len(now.results)} verstuurd"
          + (f", {now.failed} mislukt" if now.failed else ""))
    return 0


def _show(shown: announce.Preview) -> int:
    """The dry run: each recipient with their language, those left out, and each text."""
    for person in shown.audience.recipients:
        print(f"{person.address} ({shown.language(person)}) {person.name or ''}".rstrip())
    for person in shown.audience.undeliverable:
        print(f"{person.address}: left out, mail to this address bounced")
    for letter in shown.letters:
        print(f"\n--- {letter.language}, e.g. to {letter.to}\nSubject: {letter.subject}\n\n"
              f"{letter.text}")
    if shown.had_it:
        print(f"({shown.had_it} of them had it already, as group mail #{shown.earlier})")
    print(f"({shown.new} would get it; nothing was sent)")
    return 0
