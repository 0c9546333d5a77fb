"""Being told about new work (issue 15), through Dovecot, the database and the SMTP sink: a
staff member who chose "each" gets one mail for the questions and items to review that arrived
(at most one per ten minutes, the rest bundled into the next); "daily" gets one summary a day
at their hour, and none when nothing is open; "none", no address or an inactive account gets
nothing. A notice holds counts and a link, never a name, address or subject; it waits behind
every other mail (lowest priority) and is marked as automatic (Auto-Submitted). The settings
page saves the choice, refuses a wrong address without losing what was typed, and works in
Chromium at desktop and phone size."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.errors import ActionRefused
from bot.outbound.outbox import flush_outbox
from bot.outbound.pace import Priority
from bot.outbound.reply import Purpose
from bot.pipeline.flow import poll_once
from bot.pipeline.scheduled import queue_scheduled_mail
from bot.staff import accounts
from bot.staff.notify import BUNDLE, SETTLED, tell_staff
from bot.store.db import writer
from bot.store.desk_models import Notify, StaffUser
from bot.store.models import OutboundMail, utcnow
from bot.web.app import create_app
from bot.web.auth import create_user
from tests.browser import ARTIFACTS, ServedApp, log_in
from tests.helpers import PASSWORD, rows
from tests.imaptools import deliver
from tests.mailfactory import build

ZONE = ZoneInfo("Europe/Amsterdam")
PUBLIC = "https://balie.kinderrechten.nl"


@pytest.fixture
def team(make_runtime):
    """anna (each), bart (daily at 08:00), carla (each, but no longer active), dirk (none)."""
    rt = make_runtime(web={"public_url": PUBLIC})
    with Session(writer(rt.engine)) as session:
        for name in ("anna", "bart", "carla", "dirk"):
            create_user(session, name, PASSWORD)
    ids = {u.username: u.id for u in rows(rt, StaffUser)}
    for name, mode, language in (("anna", "each", "nl"), ("bart", "daily", "en"),
                                 ("carla", "each", "nl"), ("dirk", "none", "nl")):
        accounts.save_settings(rt, ids[name], accounts.checked(
            f"{name}@kinderrechten.nl" if name != "dirk" else "", mode, "8", language))
    with Session(writer(rt.engine)) as session:
        carla = session.exec(select(StaffUser).where(StaffUser.username == "carla")).one()
        carla.active = False
        session.add(carla)
        session.commit()
    return rt


def ask(rt, imap, *subjects: str) -> None:
    deliver(imap, *[build(f"Is er parkeergelegenheid? ({s})", Subject=f"Vraag {s}",
                          From=f"Kamerlid {s} <k.{s}@tweedekamer.nl>",
                          Return_Path=f"<k.{s}@tweedekamer.nl>",
                          Message_ID=f"<{s}@tweedekamer.nl>") for s in subjects])
    poll_once(rt)


def notices(rt, purposes=(Purpose.STAFF_NOTICE, Purpose.STAFF_SUMMARY)) -> list[OutboundMail]:
    """The notices to staff in the outbox (bart's daily summary may come at the real time of a
    poll: pass ``(Purpose.STAFF_NOTICE,)`` to leave it out)."""
    return [m for m in rows(rt, OutboundMail) if m.purpose in purposes]


EACH = (Purpose.STAFF_NOTICE,)


def test_each_new_question_is_told_once_and_a_flood_is_bundled(team, imap, smtp_sink):
    ask(team, imap, "een", "twee")
    assert notices(team, EACH) == []  # the poll's scheduled mail: not yet SETTLED
    start = utcnow()
    assert tell_staff(team, start + SETTLED) == 1  # anna: not bart (daily), carla (left), dirk
    [first] = notices(team, EACH)
    assert (first.recipient, first.priority, first.automatic) == (
        "anna@kinderrechten.nl", Priority.STAFF, False)
    raw = first.raw.decode()
    assert "Auto-Submitted: auto-generated" in raw
    for private in ("tweedekamer.nl", "Kamerlid", "Vraag een", "parkeergelegenheid"):
        assert private not in raw  # counts and a link only
    assert f"{PUBLIC}/vragen" in raw and "2 nieuwe vragen" in raw

    ask(team, imap, "drie", "vier")
    unverified = build("Ik meld me aan.", From="Iemand <iemand@example.org>",
                       Return_Path="<iemand@example.org>", Authentication_Results=None,
                       Message_ID="<review@example.org>")
    deliver(imap, unverified)
    poll_once(team)  # a sign-up nobody verified: waits for staff (Beoordelen)
    later = utcnow() + SETTLED
    assert tell_staff(team, start + SETTLED + BUNDLE / 2) == 0  # within ten minutes
    assert tell_staff(team, max(later, start + SETTLED + BUNDLE)) == 1
    text = notices(team, EACH)[-1].raw.decode()
    assert "2 nieuwe vragen" in text and "1 bericht om te beoordelen" in text  # only the new
    assert tell_staff(team, later + 3 * BUNDLE) == 0  # nothing new: no mail

    flush_outbox(team.engine, team.config.smtp, team.config.worker, now=later + 3 * BUNDLE)
    to_anna = [m for m in smtp_sink.wait_for(len(rows(team, OutboundMail)))
               if m.rcpt_tos == ("anna@kinderrechten.nl",)]
    assert len(to_anna) == 2
    assert to_anna[-1].message["Subject"] == "[balie] Nieuw werk: Masterclass Kinderrechten"


def test_an_address_that_breaks_its_notice_stops_nobody_elses_mail(team, imap, caplog):
    with Session(writer(team.engine)) as session:  # as if stored before the address check
        bart = session.exec(select(StaffUser).where(StaffUser.username == "bart")).one()
        bart.email, bart.notify = '"x\x0bbcc: y"@kinderrechten.nl', Notify.EACH
        session.add(bart)
        session.commit()
        bart_id = bart.id
    ask(team, imap, "een")
    assert tell_staff(team, utcnow() + SETTLED) == 1  # anna's
    assert [m.recipient for m in notices(team, EACH)] == ["anna@kinderrechten.nl"]
    assert f"notice to staff account #{bart_id} not queued" in caplog.text
    assert "bcc" not in caplog.text


def test_a_question_given_to_a_colleague_is_not_told(make_runtime, imap):
    rt = make_runtime(questions={"theme": [{"name": "parkeren", "words": ["parkeer*"],
                                            "owner": "bart"}]})
    with Session(writer(rt.engine)) as session:
        for name in ("anna", "bart"):
            create_user(session, name, PASSWORD)
    anna = next(u for u in rows(rt, StaffUser) if u.username == "anna")
    accounts.save_settings(rt, anna.id, accounts.checked("anna@kinderrechten.nl", "each", "8",
                                                         "nl"))
    ask(rt, imap, "een", "twee")  # questions on bart's theme: his, so anna is not told
    assert tell_staff(rt, utcnow() + SETTLED) == 0
    assert notices(rt) == []


def at(hour: int, minute: int = 0, day: int = 0) -> dt.datetime:
    base = utcnow().astimezone(ZONE) + dt.timedelta(days=day + 1)
    return base.replace(hour=hour, minute=minute, second=0, microsecond=0).astimezone(dt.UTC)


def test_the_daily_summary_comes_once_a_day_at_its_hour(team, imap):
    with Session(writer(team.engine)) as session:  # only bart's summary is under test here
        anna = session.exec(select(StaffUser).where(StaffUser.username == "anna")).one()
        anna.notify = Notify.NONE
        session.add(anna)
        session.commit()
    ask(team, imap, "een")  # at today's real time: bart may get today's summary now
    before = notices(team)
    assert tell_staff(team, at(7, 59)) == 0  # tomorrow, before his hour
    assert queue_scheduled_mail(team, at(8, 5)) == 1  # the worker's scheduled job queues it
    [summary] = notices(team)[len(before):]
    assert (summary.recipient, summary.purpose, summary.priority) == (
        "bart@kinderrechten.nl", Purpose.STAFF_SUMMARY, Priority.STAFF)
    assert "1 open question for you or not yet assigned" in summary.raw.decode()  # English
    assert tell_staff(team, at(9)) == 0 and tell_staff(team, at(23, 59)) == 0
    assert tell_staff(team, at(8, 1, day=1)) == 1  # the next day


def test_no_summary_when_nothing_is_open(team):
    assert tell_staff(team, at(8, 30)) == 0
    assert notices(team) == []
    bart = next(u for u in rows(team, StaffUser) if u.username == "bart")
    assert bart.notified_at == at(8, 30)  # looked: not again today


@pytest.mark.parametrize(("form", "refused"), [
    (("anna@", "each", "8", "nl"), "Dat is geen e-mailadres."),
    (("", "each", "8", "nl"), "Vul een e-mailadres in om bericht te krijgen."),
    (("a@b.nl", "hourly", "8", "nl"), "Kies hoe u bericht wilt krijgen."),
    (("a@b.nl", "daily", "24", "nl"), "Kies een uur van 0 tot 23."),
    (("a@b.nl", "daily", "٣", "nl"), "Kies een uur van 0 tot 23."),
    (("a@b.nl", "daily", "8", "de"), "Kies Nederlands of English."),
    (("a@b.nl\r\nBcc: x@y.nl", "each", "8", "nl"), "Dat is geen e-mailadres."),
])
def test_wrong_settings_are_refused(form, refused):
    with pytest.raises(ActionRefused, match=refused):
        accounts.checked(*form)


@pytest.mark.parametrize(("size", "width"), [("desktop", 1200), ("phone", 390)])
def test_the_settings_page_in_chromium(browser, desk, size, width):
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": width, "height": 900})
        log_in(page, url)
        page.goto(f"{url}/instellingen")
        page.check("input[value=each]")
        page.fill("input[name=email]", "anna@")
        page.evaluate("document.querySelector('#settings').noValidate = true")
        page.click("#settings button")
        page.wait_for_selector(".notice:has-text('Dat is geen e-mailadres.')")
        assert page.input_value("input[name=email]") == "anna@"  # what was typed stays
        page.fill("input[name=email]", "anna@kinderrechten.nl")
        page.select_option("select[name=hour]", "7")
        page.click("#settings button")
        page.wait_for_selector(".notice:has-text('Uw instellingen zijn bewaard.')")
        assert page.is_checked("input[value=each]")
        assert page.input_value("select[name=hour]") == "7"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(ARTIFACTS / f"settings-{size}.png"), full_page=True)
        page.close()
    anna = next(u for u in rows(desk, StaffUser) if u.username == "anna")
    assert (anna.email, anna.notify, anna.notify_hour) == ("anna@kinderrechten.nl",
                                                           Notify.EACH, 7)
