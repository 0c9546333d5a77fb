"""Mail to a group (issue 16), through Dovecot, the database and the SMTP sink: who is in each
group (registered, wait-listed, present, registered but absent, everyone verified who wrote),
each person gets the mail once, alone, in their language, with the placeholders filled and
marked as automatic; sending the same mail again reaches only newcomers; a bounced address is
left out; the preview, the test to oneself, the progress per person, the audit entry, the
refusals; and the command line, with --dry-run."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from bot.errors import ActionRefused
from bot.ops.privacy import purge_due_at, run_purge
from bot.outbound.outbox import flush_outbox
from bot.outbound.pace import Priority
from bot.outbound.reply import Purpose
from bot.pipeline.flow import poll_once
from bot.staff import accounts, announce, door
from bot.staff.groups import audience
from bot.staff.progress import progress
from bot.store.db import writer
from bot.store.desk_models import AuditEntry, Group, GroupMail, StaffUser
from bot.store.models import Attendee, OutboundMail, OutboundStatus
from bot.web.auth import create_user
from tests.helpers import PASSWORD, rows, run_cli, write_config
from tests.imaptools import deliver
from tests.mailfactory import build

DUTCH = "Hierbij de route naar {{ locatie }}. Tot {{ datum }}, {{ naam }}!"
ENGLISH = "Here is the route to {{ locatie }}. See you on {{ datum }}, {{ naam }}!"


def mail(local: str, name: str, body: str, **headers) -> bytes:
    return build(body, **{"From": f"{name} <{local}@tweedekamer.nl>",
                          "Return_Path": f"<{local}@tweedekamer.nl>",
                          "Message_ID": f"<{local}@tweedekamer.nl>"} | headers)


@pytest.fixture
def crowd(make_runtime, imap):
    """Two seats: Tjitske (Dutch) and Peter (English) registered, Noor wait-listed; Jan asked a
    question; a forged sign-up and an out-of-office reply wrote too; anna has an address."""
    rt = make_runtime(capacity=2)
    deliver(imap,
            mail("t.haagsma", "Tjitske Haagsma", "Graag meld ik mij aan voor de masterclass."),
            mail("p.smith", "Peter Smith", "I would like to register for the masterclass."),
            mail("n.elidrissi", "Noor El Idrissi", "Ik meld mij graag aan voor de masterclass."),
            mail("j.devries", "Jan de Vries", "Is er parkeergelegenheid bij Nieuwspoort?"),
            mail("forged", "Vals", "Ik meld mij aan voor de masterclass.",
                 Authentication_Results=None),
            mail("afwezig", "Afwezig", "Ik ben afwezig tot maandag.",
                 Auto_Submitted="auto-replied", Subject="Automatisch antwoord: Masterclass"))
    poll_once(rt)
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    anna = next(u for u in rows(rt, StaffUser) if u.username == "anna")
    accounts.save_settings(rt, anna.id, accounts.checked("anna@kinderrechten.nl", "none", "8",
                                                          "nl"))
    return rt


def draft(rt, group: str = "registered", **texts) -> announce.Draft:
    values = {"subject_nl": "Praktische informatie", "body_nl": DUTCH,
              "subject_en": "Practical information", "body_en": ENGLISH} | texts
    return announce.check_draft(rt, event_key=rt.config.event.key, group=group, **values)


def addresses(rt, group: Group) -> list[str]:
    with Session(rt.engine) as session:
        return [r.address for r in audience(session, rt.config.event, group).recipients]


def group_mails(rt) -> list[OutboundMail]:
    return [m for m in rows(rt, OutboundMail) if m.purpose == Purpose.GROUP_MAIL]


def test_each_group_holds_its_people(crowd):
    registered = ["t.haagsma@tweedekamer.nl", "p.smith@tweedekamer.nl"]
    assert addresses(crowd, Group.REGISTERED) == registered
    assert addresses(crowd, Group.WAITLISTED) == ["n.elidrissi@tweedekamer.nl"]
    # everyone our server verified, not the forged sender nor the out-of-office reply
    assert addresses(crowd, Group.WROTE) == [*registered, "n.elidrissi@tweedekamer.nl",
                                             "j.devries@tweedekamer.nl"]
    assert addresses(crowd, Group.PRESENT) == []
    assert addresses(crowd, Group.ABSENT) == registered
    tjitske = next(a for a in rows(crowd, Attendee) if a.name == "Tjitske Haagsma")
    door.mark(crowd, crowd.config.event, tjitske.id, True, by="anna")
    door.walk_in(crowd, crowd.config.event, name="Sanne de Wit", party="Volt",
                 email="s.dewit@tweedekamer.nl", by="anna")
    assert addresses(crowd, Group.PRESENT) == ["t.haagsma@tweedekamer.nl",
                                               "s.dewit@tweedekamer.nl"]
    assert addresses(crowd, Group.ABSENT) == ["p.smith@tweedekamer.nl"]  # no walk-ins


def test_everyone_gets_it_once_alone_in_their_language(crowd, smtp_sink):
    smtp_sink.clear()
    sneaky = draft(crowd, subject_nl="Praktische informatie\r\nBcc: iedereen@example.org")
    group_mail_id, said = announce.queue_group_mail(crowd, sneaky, by="anna")
    assert said == f"Groepsmail #{group_mail_id} gaat naar 2 mensen."
    assert {m.group_mail_id for m in group_mails(crowd)} == {group_mail_id}
    flush_outbox(crowd.engine, crowd.config.smtp, crowd.config.worker)
    received = {m.rcpt_tos: m for m in smtp_sink.wait_for(2)}
    assert sorted(received) == [("p.smith@tweedekamer.nl",), ("t.haagsma@tweedekamer.nl",)]
    dutch = received[("t.haagsma@tweedekamer.nl",)]
    assert dutch.message["To"] == "Tjitske Haagsma <t.haagsma@tweedekamer.nl>"
    assert dutch.message["Cc"] is None and dutch.message["Bcc"] is None
    assert dutch.message["Subject"] == "Praktische informatie Bcc: iedereen@example.org"
    assert dutch.message["Auto-Submitted"] == "auto-generated"
    assert dutch.message["In-Reply-To"] is None
    assert ("Hierbij de route naar Nieuwspoort, Lange Poten 10, 2511 CL Den Haag. Tot "
            "dinsdag 15 december 2026, Tjitske Haagsma!") in dutch.text
    english = received[("p.smith@tweedekamer.nl",)]
    assert english.message["Subject"] == "Practical information"
    assert "See you on Tuesday 15 December 2026, Peter Smith!" in english.text

    # the same mail again (a double click, a re-send after a crash): nobody twice
    assert announce.queue_group_mail(crowd, sneaky, by="anna") == (
        group_mail_id, f"Groepsmail #{group_mail_id} gaat naar 0 mensen; 2 hadden hem al.")
    assert len(group_mails(crowd)) == 2
    sent = progress(crowd.engine, group_mail_id)
    assert (sent.sent, len(sent.results), sent.done) == (2, 2, True)
    assert {r.name for r in sent.results} == {"Tjitske Haagsma", "Peter Smith"}
    audit = [e for e in rows(crowd, AuditEntry) if e.action == "group_mail"]
    assert [(e.user, e.target, e.detail) for e in audit] == [
        ("anna", f"groupmail #{group_mail_id}", "registered: 2 of 2"),
        ("anna", f"groupmail #{group_mail_id}", "registered: 0 of 2")]


def test_the_same_text_to_another_group_reaches_only_who_did_not_have_it(crowd, imap):
    with Session(writer(crowd.engine)) as session:
        peter = session.exec(select(Attendee).where(Attendee.name == "Peter Smith")).one()
        peter.undeliverable = True  # a bounce said so: left out from the first send on
        session.add(peter)
        session.commit()
    group_mail_id, said = announce.queue_group_mail(crowd, draft(crowd), by="anna")
    assert said == f"Groepsmail #{group_mail_id} gaat naar 1 persoon."
    assert [m.recipient for m in group_mails(crowd)] == ["t.haagsma@tweedekamer.nl"]
    deliver(imap, mail("k.bakker", "Karin Bakker", "Graag meld ik mij aan."))
    poll_once(crowd)
    everyone = announce.preview(crowd, draft(crowd, "wrote"))
    assert [r.address for r in everyone.audience.undeliverable] == ["p.smith@tweedekamer.nl"]
    assert (everyone.had_it, everyone.earlier, everyone.new) == (1, group_mail_id, 3)
    assert announce.queue_group_mail(crowd, draft(crowd, "wrote"), by="anna") == (
        group_mail_id, f"Groepsmail #{group_mail_id} gaat naar 3 mensen; 1 hadden hem al.")
    assert sorted(m.recipient for m in group_mails(crowd)) == [
        "j.devries@tweedekamer.nl", "k.bakker@tweedekamer.nl", "n.elidrissi@tweedekamer.nl",
        "t.haagsma@tweedekamer.nl"]  # Tjitske once; Peter never
    changed = announce.queue_group_mail(crowd, draft(crowd, body_nl=DUTCH + " Tot ziens."),
                                        by="anna")
    assert changed[0] != group_mail_id  # a changed text is another mail


def test_who_cancelled_is_not_among_those_who_wrote(crowd, imap):
    deliver(imap, mail("t.haagsma", "Tjitske Haagsma", "Ik moet mij helaas afmelden.",
                       Message_ID="<t.haagsma.2@tweedekamer.nl>"))
    poll_once(crowd)
    assert "t.haagsma@tweedekamer.nl" not in addresses(crowd, Group.WROTE)
    assert "t.haagsma@tweedekamer.nl" not in addresses(crowd, Group.REGISTERED)


def test_group_mail_waits_for_the_mail_people_wait_for(crowd, smtp_sink, imap):
    """A sign-up that arrives while a group mail waits is confirmed first."""
    announce.queue_group_mail(crowd, draft(crowd, "wrote"), by="anna")
    deliver(imap, mail("k.bakker", "Karin Bakker", "Graag meld ik mij aan."))
    smtp_sink.clear()
    poll_once(crowd)  # records the sign-up, then one flush sends in the outbox's order
    order = [(m.rcpt_tos[0], m.message["Subject"]) for m in smtp_sink.wait_for(5)]
    assert order[0] == ("k.bakker@tweedekamer.nl", "Re: Masterclass")  # her confirmation
    assert {subject for _, subject in order[1:]} == {"Praktische informatie",
                                                      "Practical information"}
    assert Priority.SCHEDULED < Priority.GROUP < Priority.STAFF  # and before staff notices


def test_two_clicks_at_once_queue_it_once(crowd):
    results = []

    def click() -> None:
        results.append(announce.queue_group_mail(crowd, draft(crowd, "wrote"), by="anna"))
    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 4 and len({group_mail_id for group_mail_id, _ in results}) == 1
    assert sorted(said.split(" gaat naar ")[1] for _, said in results) == [
        "0 mensen; 4 hadden hem al.", "0 mensen; 4 hadden hem al.",
        "0 mensen; 4 hadden hem al.", "4 mensen."]
    assert len(group_mails(crowd)) == 4


def test_the_preview_shows_each_language_and_the_test_goes_to_oneself(crowd, smtp_sink):
    shown = announce.preview(crowd, draft(crowd))
    assert [(letter.language, letter.to, letter.subject) for letter in shown.letters] == [
        ("nl", "Tjitske Haagsma <t.haagsma@tweedekamer.nl>", "Praktische informatie"),
        ("en", "Peter Smith <p.smith@tweedekamer.nl>", "Practical information")]
    assert shown.letters[0].text.startswith("Beste Tjitske Haagsma,\n\nHierbij de route")
    assert "Nieuwspoort" in shown.letters[0].html  # the HTML part too, for the desk's frame
    only_dutch = announce.preview(crowd, draft(crowd, subject_en="", body_en=""))
    assert [letter.language for letter in only_dutch.letters] == ["nl"]  # Peter gets Dutch
    nobody = announce.preview(crowd, draft(crowd, "present"))
    assert nobody.letters[0].to == "Voorbeeldnaam <voorbeeld@example.invalid>"
    assert group_mails(crowd) == []  # a preview queues nothing

    smtp_sink.clear()
    announce.queue_group_mail(crowd, draft(crowd, "wrote", body_nl="Eerder."), by="anna")
    address, ids = announce.queue_test(crowd, draft(crowd), by="anna")
    assert address == "anna@kinderrechten.nl"
    flush_outbox(crowd.engine, crowd.config.smtp, crowd.config.worker, only=ids)
    tests = smtp_sink.wait_for(2)
    assert {m.rcpt_tos for m in tests} == {("anna@kinderrechten.nl",)}  # only the test went
    assert sorted(m.message["Subject"] for m in tests) == [
        "[test] Practical information", "[test] Praktische informatie"]
    assert all(m.sent_at is None for m in group_mails(crowd) if m.group_mail_id)
    with pytest.raises(ActionRefused, match="Mijn instellingen"):
        announce.queue_test(crowd, draft(crowd), by="bart")


@pytest.mark.parametrize(("texts", "refusal"), [
    ({"subject_nl": ""}, "Nederlands onderwerp"),
    ({"body_nl": "  "}, "Nederlandse tekst"),
    ({"body_en": ""}, "Engels onderwerp maar geen Engelse tekst"),
    ({"body_nl": "Beste {{ adres }}"}, "Onbekende plaatshouder {{ adres }}"),
    ({"body_nl": "{{ naam.__class__ }}"}, "Alleen tekst en de plaatshouders"),
    ({"body_nl": "{% for x in naam %}x{% endfor %}"}, "Alleen tekst en de plaatshouders"),
    ({"body_nl": "x" * (announce.MAX_TEXT + 1)}, "Een groepsmail is hoogstens"),
    ({"group": "everyone"}, "Kies een groep"),
    ({"event_key": "elders"}, "Kies een bijeenkomst"),
])
def test_what_cannot_be_sent_is_refused(crowd, texts, refusal):
    values = {"event_key": crowd.config.event.key, "group": "registered",
              "subject_nl": "Praktisch", "body_nl": DUTCH, "subject_en": "Practical",
              "body_en": ENGLISH} | texts
    with pytest.raises(ActionRefused, match=refusal):
        announce.check_draft(crowd, **values)


def test_an_empty_group_is_refused(crowd):
    with pytest.raises(ActionRefused, match="niemand in deze groep"):
        announce.queue_group_mail(crowd, draft(crowd, "present"), by="anna")
    assert rows(crowd, GroupMail) == []


def test_the_purge_leaves_no_address_in_the_outbox(crowd):
    announce.queue_group_mail(crowd, draft(crowd), by="anna")
    flush_outbox(crowd.engine, crowd.config.smtp, crowd.config.worker)
    run_purge(crowd, purge_due_at(crowd.config))
    assert rows(crowd, OutboundMail)
    for row in rows(crowd, OutboundMail):
        assert "@" not in row.dedupe_key + row.recipient and b"@" not in row.raw
    assert [(m.subject_nl, m.body_nl, m.body_en) for m in rows(crowd, GroupMail)] == [
        ("(verwijderd)", "(verwijderd)", "")]  # staff may have named someone in them


def test_a_refused_address_shows_per_person(crowd, smtp_sink):
    smtp_sink.fail_next("550 5.1.1 No such user")
    group_mail_id, _ = announce.queue_group_mail(crowd, draft(crowd), by="anna")
    flush_outbox(crowd.engine, crowd.config.smtp, crowd.config.worker)
    result = progress(crowd.engine, group_mail_id)
    assert (result.sent, result.failed, result.done) == (1, 1, True)
    failed = next(r for r in result.results if r.status == OutboundStatus.FAILED)
    assert "550 5.1.1 No such user" in failed.error


def test_the_command_line_dry_run_and_send(crowd, smtp_sink, tmp_path, imap_account, db_url):
    body = tmp_path / "route.txt"
    body.write_text(DUTCH, encoding="utf-8")
    env = {"TEST_IMAP_PASSWORD": imap_account.password,
           "INBOX_BOT_CONFIG": str(write_config(tmp_path, imap_account, smtp_sink, db_url,
                                                capacity=2))}
    args = ["announce", "--group", "registered", "--subject", "Praktische informatie",
            "--body-file", str(body)]
    smtp_sink.clear()
    shown = run_cli(*args, "--dry-run", env=env)
    assert shown.returncode == 0, shown.stderr
    assert "t.haagsma@tweedekamer.nl (nl) Tjitske Haagsma" in shown.stdout
    assert "p.smith@tweedekamer.nl (nl) Peter Smith" in shown.stdout  # no English text given
    assert "Tot dinsdag 15 december 2026, Tjitske Haagsma!" in shown.stdout
    assert "(2 would get it; nothing was sent)" in shown.stdout
    assert group_mails(crowd) == []

    sent = run_cli(*args, env=env)
    assert sent.returncode == 0, sent.stderr
    assert "gaat naar 2 mensen" in sent.stdout and "2 van 2 verstuurd" in sent.stdout
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.wait_for(2)) == [
        "p.smith@tweedekamer.nl", "t.haagsma@tweedekamer.nl"]
    again = run_cli(*args, env=env)  # nobody twice
    assert "0 mensen; 2 hadden hem al" in again.stdout
    assert len(group_mails(crowd)) == 2
    unreadable = run_cli(*args[:-1], str(tmp_path / "missing.txt"), env=env)
    assert unreadable.returncode == 1 and "cannot read the text" in unreadable.stderr
    refused = run_cli("announce", "--group", "registered", "--subject", "x", "--body-file",
                      str(body), "--event", "elders", env=env)
    assert refused.returncode == 2 and "no event with the key 'elders'" in refused.stderr


def test_with_several_events_the_command_line_asks_which(crowd, smtp_sink, tmp_path,
                                                         imap_account, db_url):
    body = tmp_path / "route.txt"
    body.write_text(DUTCH, encoding="utf-8")
    config = write_config(tmp_path, imap_account, smtp_sink, db_url, capacity=2)
    text = config.read_text().replace("[event]", "[[event]]")
    config.write_text(text.replace("[trust]", '''[[event]]
id = "najaar"
name = "Masterclass Kinderrechten najaar"
date = 2027-10-12
start = "19:00"
end = "21:30"
venue = "Nieuwspoort"
address = "Lange Poten 10, 2511 CL Den Haag"
capacity = 40

[trust]'''))
    env = {"TEST_IMAP_PASSWORD": imap_account.password, "INBOX_BOT_CONFIG": str(config)}
    args = ["announce", "--group", "registered", "--subject", "Praktisch", "--body-file",
            str(body), "--dry-run"]
    unsure = run_cli(*args, env=env)
    assert unsure.returncode == 2
    assert "several events (masterclass-kinderrechten, najaar): say which" in unsure.stderr
    chosen = run_cli(*args, "--event", "masterclass-kinderrechten", env=env)
    assert chosen.returncode == 0, chosen.stderr
    assert "(2 would get it; nothing was sent)" in chosen.stdout
