"""Privacy (AVG) on the real servers and a real database: the retention purge after the event,
export and erasure of one person, and the ``inbox-bot privacy`` commands.

Every test fills the database the way production does (mail delivered to Dovecot, one poll)
and then reads the whole database back, every table and every column, looking for the person.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, select

from bot.cli.main import main
from bot.ops.export import export_person
from bot.ops.privacy import erase_person, pseudonym, purge_due_at, run_purge
from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.staff import team
from bot.staff.actions import cancel_attendee
from bot.staff.desk import close_question
from bot.store.db import writer
from bot.store.desk_models import AuditEntry
from bot.store.models import Alert, Attendee, EventState, InboundMessage, OutboundMail, Question
from tests.helpers import write_config
from tests.imaptools import deliver, folder_messages
from tests.mailfactory import build

ANNA = "a.jansen@tweedekamer.nl"
BOB = "b.bakker@tweedekamer.nl"
CARLA = "c.dewit@tweedekamer.nl"
MIA = "ma.jansen@tweedekamer.nl"  # holds Anna's address as a substring
PHRASE = "zonnebloem-7f3a"  # only in Anna's mail bodies


def mail(address: str, name: str, body: str, n: int, subject: str = "Masterclass") -> bytes:
    return build(body, From=f"{name} <{address}>", Return_Path=f"<{address}>",
                 Message_ID=f"<privacy-{n}@tweedekamer.nl>", Subject=subject)


def fill(rt, imap) -> None:
    """Anna registers (seat) and asks a question, Bob registers (waiting list), Carla asks
    about Anna by address, Mia (whose address contains Anna's) registers (waiting list), and
    a broken mail from Anna lands in quarantine."""
    deliver(imap,
            mail(ANNA, "Anna Jansen", f"Graag meld ik mij aan voor de masterclass. Ik ben "
                 f"vegetariër. Mijn codewoord is {PHRASE}.", 1),
            mail(BOB, "Bob Bakker", "Graag meld ik mij aan voor de masterclass.", 2),
            mail(ANNA, "Anna Jansen", f"Is er parkeergelegenheid bij Nieuwspoort ({PHRASE})?",
                 3, subject="Vraag over parkeren"),
            mail(CARLA, "Carla de Wit", f"Komt {ANNA} ook naar de masterclass?", 4,
                 subject="Vraag"),
            mail(MIA, "Mia Jansen", "Graag meld ik mij aan voor de masterclass.", 7),
            mail(ANNA, "Anna Jansen", f"x {PHRASE}", 5).replace(
                b"Subject:", b"X-Long: " + b"a" * 9000 + b"\r\nSubject:", 1))
    poll_once(rt)
    with Session(rt.engine) as session:  # a staff alert that names her (as reconcile's do)
        session.add(Alert(kind="test", message=f"bounce from <{ANNA}>"))
        session.commit()
        hers = session.exec(select(Question.id).where(Question.sender == ANNA)).one()
        carlas = session.exec(select(Question.id).where(Question.sender == CARLA)).one()
        attendee = session.exec(select(Attendee.id).where(Attendee.email == ANNA)).one()
    # staff notes: on her question, on her attendee row, and on Carla's question about her
    now = dt.datetime.now(dt.UTC)
    team.add_note(rt, f"Belt terug over {PHRASE}.", by="medewerker", now=now, question_id=hers)
    team.add_note(rt, "Anna Jansen wil vooraan zitten.", by="medewerker", now=now,
                  attendee_id=attendee)
    team.add_note(rt, f"Carla vraagt naar {ANNA}.", by="medewerker", now=now,
                  question_id=carlas)


def dump(rt) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with Session(rt.engine) as session:
        return {table.name: [tuple(row) for row in session.exec(
                    sa_select(table).order_by(*table.primary_key.columns)).all()]
                for table in SQLModel.metadata.sorted_tables}


def found(rt, *needles: str) -> list[str]:
    """Where any of ``needles`` occurs (case-insensitive): ``table.column`` of each hit. Bytes
    are searched as they are and, when they are a mail, in every decoded text part too."""
    hits = []
    for table, rows in dump(rt).items():
        columns = [c.name for c in SQLModel.metadata.tables[table].columns]
        for row in rows:
            for column, value in zip(columns, row, strict=True):
                text = _searchable(value)
                hits += [f"{table}.{column}" for n in needles
                         if re.search(r"(?<![\w.])" + re.escape(n), text, re.IGNORECASE)]
    return hits


def _searchable(value) -> str:
    if not isinstance(value, bytes):
        return str(value)
    parts = [value.decode("utf-8", "replace")]
    for part in message_from_bytes(value, policy=policy.default).walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def counts(rt) -> dict[str, Counter]:
    with Session(rt.engine) as session:
        return {
            "attendees": Counter(session.exec(select(Attendee.status)).all()),
            "questions": Counter(session.exec(select(Question.status)).all()),
            "messages": Counter(session.exec(select(InboundMessage.kind)).all()),
            "replies": Counter(session.exec(select(OutboundMail.purpose)).all()),
        }


def test_purge_waits_for_the_retention_date_then_leaves_only_counts(make_runtime, imap,
                                                                     smtp_sink):
    rt = make_runtime(capacity=1)
    fill(rt, imap)
    assert found(rt, ANNA, "Anna Jansen", PHRASE, BOB, CARLA)  # the scan does find them
    before, numbers = dump(rt), counts(rt)
    assert numbers["attendees"] == {"registered": 1, "waitlisted": 2}
    due = purge_due_at(rt.config)
    assert due == dt.datetime(2027, 1, 14, 21, 30, tzinfo=due.tzinfo)  # end + 30 days

    early = run_purge(rt, due - dt.timedelta(seconds=1))

    assert not early.done_now and early.purged_at is None
    assert dump(rt) == before

    report = run_purge(rt, due + dt.timedelta(seconds=1))

    assert report.done_now and report.attendees == 3 and report.questions == 2
    assert report.notes == 3
    assert found(rt, ANNA, "Anna Jansen", "Jansen", PHRASE, BOB, "Bakker", CARLA, MIA,
                 "parkeergelegenheid", "vegetariër", "tweedekamer.nl") == []
    assert counts(rt) == numbers
    with Session(rt.engine) as session:
        assert session.exec(select(EventState.purged_at)).one() is not None
        assert session.exec(select(Alert.message)).one() == "bounce from <(verwijderd)>"
    after = dump(rt)

    again = run_purge(rt, due + dt.timedelta(days=2))

    assert not again.done_now and again.purged_at is not None
    assert dump(rt) == after


def test_export_holds_the_person_and_nobody_else(make_runtime, imap, smtp_sink):
    rt = make_runtime(capacity=1)
    fill(rt, imap)
    with Session(rt.engine) as session:
        question_id = session.exec(select(Question.id).where(Question.sender == ANNA)).one()
    close_question(rt, question_id, by="medewerker")
    cancel_attendee(rt, ANNA, by="medewerker")

    with Session(rt.engine) as session:
        data = json.loads(json.dumps(export_person(session, ANNA.upper())))
        attendee_id = session.exec(select(Attendee.id).where(Attendee.email == ANNA)).one()

    assert data["email"] == ANNA
    [attendee] = data["attendees"]
    assert (attendee["name"], attendee["status"], attendee["notes"]) == (
        "Anna Jansen", "cancelled", "Ik ben vegetariër.")
    assert len(data["messages"]) == 2 and all(PHRASE in m["raw"] for m in data["messages"])
    assert {m["subject"] for m in data["messages"]} == {"Masterclass", "Vraag over parkeren"}
    [question] = data["questions"]
    assert PHRASE in question["text"] and question["status"] == "closed"
    assert {r["purpose"] for r in data["replies"]} == {"registration_confirmed",
                                                        "question_received",
                                                        "cancellation_confirmed"}
    assert all(r["recipient"] == ANNA for r in data["replies"])
    assert sorted(n["text"] for n in data["notes"]) == [
        "Anna Jansen wil vooraan zitten.", f"Belt terug over {PHRASE}."]  # not Carla's
    assert all("author" not in n for n in data["notes"])
    assert [(e["action"], e["target"]) for e in data["audit"]] == [
        ("add_note", f"question #{question_id}"), ("add_note", f"attendee #{attendee_id}"),
        ("close_question", f"question #{question_id}"),
        ("attendee_cancel", f"attendee #{attendee_id}")]
    assert '"medewerker"' not in json.dumps(data)  # who wrote or did what stays out
    text = json.dumps(data)
    assert BOB not in text and CARLA not in text and MIA not in text and "Bakker" not in text


def test_erase_removes_the_person_from_database_and_mailbox_only(make_runtime, imap, smtp_sink):
    rt = make_runtime(capacity=1)
    fill(rt, imap)
    deliver(imap, mail(ANNA, "Anna Jansen", "Nog een vraag?", 6))  # not yet polled
    smtp_sink.clear()

    report = erase_person(rt, ANNA, by="medewerker")

    assert (report.attendees, report.messages, report.questions, report.replies) == (1, 3, 1, 2)
    assert report.notes == 2  # on her question and her attendee row; Carla's note is blanked
    assert report.mailbox == 4 and report.promoted == 1 and report.elsewhere >= 2
    assert found(rt, ANNA, PHRASE) == []
    with Session(rt.engine) as session:
        assert {a.email: a.status for a in session.exec(select(Attendee))} == {
            BOB: "registered", MIA: "waitlisted"}  # the freed seat went to the first in line
        [entry] = session.exec(select(AuditEntry).where(AuditEntry.action != "add_note")).all()
        assert (entry.action, entry.target) == ("privacy_erase", pseudonym(ANNA))
    mailbox = [m for folder in ("INBOX", "Processed", "Quarantine")
               for m in folder_messages(imap, folder)]  # a separate IMAP connection
    senders = sorted(message_from_bytes(m, policy=policy.default)["From"].addresses[0].addr_spec
                     for m in mailbox)
    assert senders == [BOB, CARLA, MIA]  # Anna's four messages are gone; others' mail stays
    assert found(rt, BOB) and found(rt, CARLA) and found(rt, MIA)
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
    [confirmation] = smtp_sink.wait_for(1)
    assert confirmation.rcpt_tos == (BOB,)  # Bob is told; Anna gets nothing

    again = erase_person(rt, ANNA, by="medewerker")

    assert again.line() == "niets gevonden voor dit adres: er is niets verwijderd"


@pytest.fixture
def config_file(tmp_path, imap_account, smtp_sink, db_url, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", imap_account.password)
    return str(write_config(tmp_path, imap_account, smtp_sink, db_url, capacity=1))


def test_privacy_commands(config_file, tmp_path, imap, capsys, monkeypatch):
    deliver(imap, mail(ANNA, "Anna Jansen", f"Graag meld ik mij aan. {PHRASE}", 1),
            mail(BOB, "Bob Bakker", "Graag meld ik mij aan voor de masterclass.", 2))
    assert main(["--config", config_file, "poll", "--once"]) == 0
    capsys.readouterr()

    assert main(["--config", config_file, "privacy", "export", ANNA]) == 0
    printed = json.loads(capsys.readouterr().out)
    output = tmp_path / "anna.json"
    assert main(["--config", config_file, "privacy", "export", ANNA, "--output",
                 str(output)]) == 0
    written = json.loads(output.read_text())
    assert [e["action"] for e in written.pop("audit")] == ["privacy_export"]  # the first one
    assert written | {"audit": []} == printed
    assert output.stat().st_mode & 0o777 == 0o600
    assert printed["attendees"][0]["name"] == "Anna Jansen" and BOB not in output.read_text()

    monkeypatch.setattr("sys.stdin", io.StringIO("nee\n"))
    assert main(["--config", config_file, "privacy", "erase", ANNA]) == 1
    assert "niets verwijderd" in capsys.readouterr().err
    assert len(folder_messages(imap, "Processed")) == 2

    monkeypatch.setattr("sys.stdin", io.StringIO("ja\n"))
    assert main(["--config", config_file, "privacy", "erase", ANNA]) == 0
    out = capsys.readouterr().out
    assert "verwijderd: 1 deelnemers, 1 berichten" in out and "1 berichten uit de mailbox" in out
    assert len(folder_messages(imap, "Processed")) == 1

    assert main(["--config", config_file, "privacy", "erase", "nobody@example.org",
                 "--yes"]) == 0
    assert "niets gevonden voor dit adres: er is niets verwijderd" in capsys.readouterr().out


def test_after_the_purge_the_desk_refuses_answers_and_still_shows_the_pages(make_runtime, imap):
    from bot.errors import ActionRefused
    from bot.staff.desk import answer_question
    from bot.web.auth import create_user
    from tests.helpers import PASSWORD, logged_in
    rt = make_runtime(capacity=1)
    fill(rt, imap)
    run_purge(rt, purge_due_at(rt.config) + dt.timedelta(seconds=1))
    with Session(rt.engine) as session:
        question_id = session.exec(select(Question.id)).first()
        message_id = session.exec(select(InboundMessage.id)).first()
    with pytest.raises(ActionRefused, match="bewaartermijn"):
        answer_question(rt, question_id, "Ja, dat kan.", by="anna")
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
    client = logged_in(rt)
    for path in ("/", "/vragen", f"/vragen/{question_id}", f"/berichten/{message_id}",
                 "/deelnemers", "/beoordelen"):
        assert client.get(path, follow_redirects=False).status_code == 200, path
