"""A staff member's own settings: the desk's language, and how they are told about new work.

In: the runtime, the staff account's id and the form's values (an e-mail address, a
:class:`~bot.store.desk_models.Notify` choice, an hour from 0 to 23, ``nl`` or ``en``). Out:
the account changed, an audit entry (without the address), and a Dutch result line (the desk
shows it in the language just chosen); a wrong value is refused with
:class:`~bot.errors.ActionRefused` and nothing changes. Turning notices on starts from now:
work that was already there is not announced. :mod:`bot.staff.notify` sends the notices,
:mod:`bot.web.settings` is the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot import linear
from bot.errors import ActionRefused
from bot.inbound.parse import MAX_ADDRESS
from bot.runtime import Runtime
from bot.staff import team
from bot.store.db import writer
from bot.store.desk_models import Notify, StaffUser
from bot.store.models import utcnow

LANGUAGES = {"nl": "Nederlands", "en": "English"}


@dataclass(frozen=True)
class Settings:
    email: str | None
    notify: Notify
    notify_hour: int
    language: str


def checked(email: str, notify: str, hour: str, language: str) -> Settings:
    """The form's values as :class:`Settings`; refused (in Dutch) when one is wrong."""
    email = checked_address(email)
    if notify not in set(Notify):
        raise ActionRefused("Kies hoe u bericht wilt krijgen.")
    if Notify(notify) is not Notify.NONE and email is None:
        raise ActionRefused("Vul een e-mailadres in om bericht te krijgen.")
    if not (hour.isascii() and hour.isdigit() and len(hour) <= 2 and int(hour) <= 23):
        raise ActionRefused("Kies een uur van 0 tot 23.")
    if language not in LANGUAGES:
        raise ActionRefused("Kies Nederlands of English.")
    return Settings(email, Notify(notify), int(hour), language)


def checked_address(text: str) -> str | None:
    """An address staff typed (their own, a walk-in's), lower-cased; None when empty; refused
    unless it is a plain ASCII addr-spec (:data:`bot.linear.PLAIN_ADDRESS`)."""
    address = text.strip().lower() or None
    if address is not None and (len(address) > MAX_ADDRESS
                                or not linear.PLAIN_ADDRESS.fullmatch(address)):
        raise ActionRefused("Dat is geen e-mailadres.")
    return address


def save_settings(rt: Runtime, user_id: int, settings: Settings) -> str:
    """Store ``settings`` on the account; return the (Dutch) result line."""
    now = utcnow()
    with Session(writer(rt.engine)) as session:
        user = session.get(StaffUser, user_id, with_for_update=True)
        if user is None or not user.active:
            raise ActionRefused("Dit account bestaat niet (meer).")
        if settings.notify is not Notify.NONE and user.notify is not settings.notify:
            user.notified_upto, user.notified_at = now, None  # from now on
        user.email, user.notify = settings.email, settings.notify
        user.notify_hour, user.language = settings.notify_hour, settings.language
        session.add(user)
        team.audit(session, user.username, "change_settings", f"staff {user.username}", now,
                   f"{settings.notify} {settings.language}")
        session.commit()
    return "Uw instellingen zijn bewaard."  # the desk says it in the language just chosen
