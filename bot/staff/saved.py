"""Saved replies ("standaardantwoorden"): answers staff keep in the desk, in Dutch and English,
with a few placeholders filled per question.

In: the runtime, a saved reply's title and texts (typed by staff), and, to fill one, the
event and the person's name. Out: the saved rows (:func:`save`, :func:`all_replies`) and a
filled text for the answer box (:func:`fill`), which staff can still edit before it goes out
as an ordinary answer.

The placeholders are ``{{ naam }}``, ``{{ datum }}``, ``{{ tijd }}`` and ``{{ locatie }}``.
Text typed by staff is template source only here, and only for those: :func:`check` reads it
with Jinja's parser and refuses anything but text and these four names (no attributes, calls,
filters, loops or arithmetic), and the text is then rendered in Jinja's immutable sandbox with
no filters, tests or globals and only the four strings to see. A refused text is never saved.
"""

from __future__ import annotations

import functools

from jinja2 import StrictUndefined, Template, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.config.types import EventConfig
from bot.errors import ActionRefused
from bot.outbound.reply import format_event_date
from bot.runtime import Runtime
from bot.staff import team
from bot.store.db import writer
from bot.store.desk_models import SavedReply
from bot.store.models import utcnow

PLACEHOLDERS = ("naam", "datum", "tijd", "locatie")
MAX_TEXT = 5000  # characters of one saved reply
_ALLOWED = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name)
_SANDBOX = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_SANDBOX.filters.clear()
_SANDBOX.tests.clear()
_SANDBOX.globals.clear()
_REFUSED = ("Alleen tekst en de plaatshouders {{ naam }}, {{ datum }}, {{ tijd }} en "
            "{{ locatie }} kunnen in deze tekst.")


def check(text: str, *, limit: int = MAX_TEXT, what: str = "Een standaardantwoord") -> None:
    """Refuse ``text`` unless it is plain text with only the placeholders, and at most
    ``limit`` characters (``what`` names the text in the refusal)."""
    if len(text) > limit:
        raise ActionRefused(f"{what} is hoogstens {limit} tekens lang.")
    check_placeholders(text)


def check_placeholders(text: str) -> None:
    """Refuse ``text`` unless it is plain text with only the placeholders."""
    try:
        tree = _SANDBOX.parse(text)
    except (TemplateError, RecursionError) as e:  # deep nesting overruns the parser's stack
        raise ActionRefused(_REFUSED) from e
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Name) and node.name not in PLACEHOLDERS:
            raise ActionRefused(f"Onbekende plaatshouder {{{{ {node.name} }}}}. {_REFUSED}")
        if not isinstance(node, _ALLOWED):
            raise ActionRefused(_REFUSED)


def values(event: EventConfig, name: str | None, language: str) -> dict[str, str]:
    """What the placeholders stand for, for this event and person."""
    return {"naam": name or "", "datum": format_event_date(event, language),
            "tijd": f"{event.start:%H:%M} {'to' if language == 'en' else 'tot'} "
                    f"{event.end:%H:%M}",
            "locatie": f"{event.venue}, {event.address}"}


def fill(text: str, filled: dict[str, str]) -> str:
    """``text`` with its placeholders filled, in the sandbox."""
    try:
        return _compiled(text).render({key: filled.get(key, "") for key in PLACEHOLDERS})
    except TemplateError as e:
        raise ActionRefused(_REFUSED) from e


@functools.lru_cache(maxsize=16)  # a group mail fills one text for every person
def _compiled(text: str) -> Template:
    check_placeholders(text)
    return _SANDBOX.from_string(text)


def all_replies(session: Session) -> list[SavedReply]:
    return list(session.exec(select(SavedReply).order_by(SavedReply.title)))


def save(rt: Runtime, *, title: str, body_nl: str, body_en: str, by: str,
         reply_id: int | None = None) -> str:
    """Add a saved reply, or change ``reply_id``; return what the desk says."""
    title, body_nl, body_en = title.strip()[:120], body_nl.strip(), body_en.strip()
    if not title or not body_nl:
        raise ActionRefused("Een standaardantwoord heeft een titel en een Nederlandse tekst.")
    check(body_nl)
    check(body_en)
    with Session(writer(rt.engine)) as session:
        row = session.get(SavedReply, reply_id) if reply_id else SavedReply(
            title=title, body_nl=body_nl, updated_by=by)
        if row is None:
            raise ActionRefused("Dit standaardantwoord bestaat niet (meer).")
        taken = session.exec(select(SavedReply.id).where(SavedReply.title == title)).first()
        if taken is not None and taken != row.id:
            raise ActionRefused("Er is al een standaardantwoord met deze titel.")
        row.title, row.body_nl, row.body_en = title, body_nl, body_en
        row.updated_by, row.updated_at = by, utcnow()
        session.add(row)
        try:
            session.flush()
            team.audit(session, by, "save_reply", f"savedreply #{row.id}", row.updated_at)
            session.commit()
        except IntegrityError as e:  # a colleague saved one with this title at this moment
            raise ActionRefused("Er is al een standaardantwoord met deze titel.") from e
    return f"Standaardantwoord \"{title}\" is bewaard."


def delete(rt: Runtime, reply_id: int, *, by: str) -> str:
    """Remove a saved reply (answers sent with it keep their text); return what the desk
    says."""
    with Session(writer(rt.engine)) as session:
        row = session.get(SavedReply, reply_id)
        if row is None:
            raise ActionRefused("Dit standaardantwoord bestaat niet (meer).")
        title = row.title
        session.delete(row)
        team.audit(session, by, "delete_reply", f"savedreply #{reply_id}", utcnow())
        session.commit()
    return f"Standaardantwoord \"{title}\" is verwijderd."


def text_for(rt: Runtime, reply_id: int, language: str) -> str:
    """The saved reply's text in ``language`` (the Dutch one when it has no English)."""
    with Session(rt.engine) as session:
        row = session.get(SavedReply, reply_id)
        if row is None:
            raise ActionRefused("Dit standaardantwoord bestaat niet (meer).")
        return row.body_en if language == "en" and row.body_en else row.body_nl
