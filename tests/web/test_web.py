"""The staff web UI through the framework's test client, on a database filled by real polls."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.pipeline.flow import poll_once
from bot.store.db import writer
from bot.store.desk_models import AuditEntry, LoginAttempt, StaffSession
from bot.store.models import Attendee, InboundMessage, Question
from bot.web.app import create_app
from bot.web.auth import LOGIN_FAILED, create_user
from bot.web.deps import COOKIE
from tests.helpers import PASSWORD, csrf_of, logged_in
from tests.imaptools import connect, deliver

PAGES = ["/", "/vragen", "/beoordelen", "/deelnemers", "/quarantaine", "/uitgaand",
         "/deelnemers.csv", "/deelnemers.xlsx", "/aanwezigheidslijst", "/berichten/1"]


def test_every_page_needs_a_session(desk):
    client = TestClient(create_app(desk))
    for path in PAGES:
        response = client.get(path, follow_redirects=False)
        assert (response.status_code, response.headers["location"]) == (303, "/login"), path
    assert client.get("/login").status_code == 200


def test_pages_render_in_dutch_with_strict_headers(desk):
    client = logged_in(desk)
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    home = client.get("/").text
    assert "plaatsen bezet" in home and "2 / 40" in home and "open vragen" in home


def test_login_errors_are_identical_and_throttled(desk):
    client = TestClient(create_app(desk))
    token = csrf_of(client, "/login")
    unknown = client.post("/login", data={"username": "nobody", "password": PASSWORD,
                                          "csrf": token})
    wrong = client.post("/login", data={"username": "anna", "password": "fout", "csrf": token})
    assert LOGIN_FAILED in unknown.text and LOGIN_FAILED in wrong.text
    assert unknown.text == wrong.text and unknown.status_code == wrong.status_code == 200
    with Session(writer(desk.engine)) as session:  # four more failures a moment ago, here
        session.add_all(LoginAttempt(username="anna", address="testclient", succeeded=False,
                                     at=dt.datetime.now(dt.UTC)) for _ in range(4))
        session.commit()
    refused = client.post("/login", data={"username": "anna", "password": PASSWORD,
                                          "csrf": token}, follow_redirects=False)
    assert refused.status_code == 429 and "Te veel mislukte pogingen" in refused.text
    assert int(refused.headers["Retry-After"]) >= 1
    assert COOKIE not in refused.cookies


def test_sessions_rotate_on_login_and_die_on_logout_and_idle(desk):
    client = logged_in(desk)
    first = client.cookies[COOKIE]
    client.post("/login", data={"username": "anna", "password": PASSWORD,
                                "csrf": csrf_of(client, "/login")})
    second = client.cookies[COOKIE]
    assert first != second
    stale = TestClient(create_app(desk), cookies={COOKIE: first})
    assert stale.get("/", follow_redirects=False).status_code == 303
    client.post("/logout", data={"csrf": csrf_of(client)})
    again = TestClient(create_app(desk), cookies={COOKIE: second})
    assert again.get("/", follow_redirects=False).status_code == 303

    idle = logged_in(desk)
    with Session(writer(desk.engine)) as session:
        for row in session.exec(select(StaffSession)):
            row.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
            session.add(row)
        session.commit()
    assert idle.get("/", follow_redirects=False).status_code == 303


def open_question_id(rt) -> int:
    with Session(rt.engine) as session:
        return session.exec(select(Question.id).where(Question.status == "open")).one()


def test_csrf_is_required_and_nothing_changes_without_it(desk):
    anna, bart = logged_in(desk), logged_in(desk, "bart")
    question = open_question_id(desk)
    path = f"/vragen/{question}"
    attempts = [
        anna.post(path, data={"action": "close"}),
        anna.post(path, data={"action": "close", "csrf": csrf_of(bart)}),
        anna.post(path, data={"action": "close", "csrf": csrf_of(anna)},
                  headers={"Origin": "https://evil.example"}),
    ]
    assert [a.status_code for a in attempts] == [403, 403, 403]
    with Session(desk.engine) as session:
        assert session.get(Question, question).status == "open"


def test_answer_a_question_threaded_from_info(desk, smtp_sink):
    client = logged_in(desk)
    question = open_question_id(desk)
    page = client.get(f"/vragen/{question}").text  # the sender's DMARC pass, stored on the row
    assert '<span class="badge verified">gecontroleerd</span>' in page
    token = csrf_of(client, f"/vragen/{question}")
    preview = client.post(f"/vragen/{question}", data={
        "csrf": token, "action": "preview", "answer": "De masterclass begint om 19:00 uur."})
    assert "Beste Lieke Warmerdam" in preview.text and "anna" in preview.text
    sent = client.post(f"/vragen/{question}", data={
        "csrf": token, "action": "send", "answer": "De masterclass begint om 19:00 uur."})
    assert "staat klaar" in sent.text

    [received] = smtp_sink.wait_for(1)
    with Session(desk.engine) as session:
        row = session.get(Question, question)
        inbound = session.get(InboundMessage, row.source_message_id)
    assert (row.status, row.answered_by) == ("answered", "anna") and inbound.verified
    assert received.rcpt_tos == ("l.warmerdam@tweedekamer.nl",)
    assert received.message["In-Reply-To"] == inbound.message_id
    assert inbound.message_id in received.message["References"]
    assert received.message["Auto-Submitted"] is None  # a person wrote it
    assert "De masterclass begint om 19:00 uur." in received.text


def test_approve_a_review_item_sends_the_confirmation(desk, smtp_sink):
    client = logged_in(desk)
    with Session(desk.engine) as session:
        item = session.exec(select(InboundMessage).where(
            InboundMessage.sender == "k.verhoeff@tweedekamer.nl")).one()
    response = client.post(f"/beoordelen/{item.id}",
                           data={"csrf": csrf_of(client), "decision": "registration"})
    assert "aangemeld" in response.text
    [received] = smtp_sink.wait_for(1)
    assert received.rcpt_tos == ("k.verhoeff@tweedekamer.nl",)
    assert "U bent ingeschreven" in received.text
    with Session(desk.engine) as session:
        attendee = session.exec(select(Attendee).where(
            Attendee.email == "k.verhoeff@tweedekamer.nl")).one()
        assert attendee.status == "registered"
        assert "staff_registration" in session.get(InboundMessage, item.id).reasons


def test_exports_and_message_view(desk):
    client = logged_in(desk)
    csv_text = client.get("/deelnemers.csv").text
    assert csv_text.splitlines()[0] == "name,email,status,party,on_behalf_of,notes,aanwezig"
    assert "t.haagsma@tweedekamer.nl" in csv_text
    with Session(desk.engine) as session:
        html_mail = session.exec(select(InboundMessage).where(
            InboundMessage.sender == "f.nijenhuis@tweedekamer.nl")).one()
    page = client.get(f"/berichten/{html_mail.id}").text
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in page
    assert f"/berichten/{html_mail.id}/inhoud" in page
    body = client.get(f"/berichten/{html_mail.id}/inhoud")
    assert "default-src 'none'" in body.headers["Content-Security-Policy"]
    assert "Masterclass" in body.text and "<script" not in body.text


def test_inline_images_attachments_and_quarantine(make_runtime, imap_account, smtp_sink):
    import base64

    from tests.mailfactory import build
    rt = make_runtime(worker={"max_message_bytes": 4096})
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 40).decode()
    mixed = build("", Content_Type='multipart/related; boundary="b"').replace(
        b"\r\n\r\n", b"\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n"
        b"<p>Zie <img src=\"cid:logo@x\"></p>\r\n--b\r\nContent-Type: image/png\r\n"
        b"Content-ID: <logo@x>\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n" + png.encode() + b"\r\n--b\r\n"
        b"Content-Type: application/pdf\r\n"
        b"Content-Disposition: attachment; filename=\"programma.pdf\"\r\n"
        b"\r\n%PDF-1.4\r\n--b--\r\n", 1)
    big = build("Ik kom graag. " + "x" * 5000, Message_ID="<big@tweedekamer.nl>")
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, mixed, big)
    client.logout()
    poll_once(rt)
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
        [html_id] = session.exec(select(InboundMessage.id).where(
            InboundMessage.status != "quarantined")).all()
        [quarantined] = session.exec(select(InboundMessage.id).where(
            InboundMessage.status == "quarantined")).all()
    web = logged_in(rt)

    body = web.get(f"/berichten/{html_id}/inhoud").text
    [image_url] = re.findall(r'src="(/berichten/[^"]+)"', body)
    image = web.get(image_url.replace("&amp;", "&"))
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")
    page = web.get(f"/berichten/{html_id}").text
    [pdf_url] = re.findall(r'href="(/berichten/\d+/deel/\d+)">programma.pdf', page)
    pdf = web.get(pdf_url)
    assert pdf.headers["content-disposition"].startswith("attachment;")
    assert pdf.headers["content-type"] == "application/octet-stream"

    assert "over the limit of 4096" in web.get("/quarantaine").text
    refused = web.post(f"/quarantaine/{quarantined}", data={"csrf": csrf_of(web)})
    assert "alleen de kop bewaard" in refused.text  # re-delivery is the way for big mail


def test_reprocess_a_quarantined_message(make_runtime, imap_account, smtp_sink):
    rt = make_runtime()
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, b"no headers at all\r\n")
    client.logout()
    poll_once(rt)
    with Session(writer(rt.engine)) as session:
        create_user(session, "anna", PASSWORD)
        [first] = session.exec(select(InboundMessage.id)).all()
    web = logged_in(rt)
    result = web.post(f"/quarantaine/{first}", data={"csrf": csrf_of(web)})
    assert "opnieuw verwerkt: quarantined" in result.text
    with Session(rt.engine) as session:
        [again] = session.exec(select(InboundMessage)).all()
        [audit] = session.exec(select(AuditEntry)).all()
    assert again.status == "quarantined" and again.raw_complete
    assert (audit.user, audit.action, audit.target) == ("anna", "reprocess", f"message #{first}")
