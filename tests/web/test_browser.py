"""The staff UI in a real headless Chromium: a person's path through the desk, hostile mail
that must not run or phone home, and screenshots for a person to look at (tests/artifacts/)."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.pipeline.flow import poll_once
from bot.store.models import InboundMessage
from bot.web.app import create_app
from tests.browser import ARTIFACTS, Canary, ServedApp, log_in
from tests.helpers import PASSWORD
from tests.imaptools import connect, deliver
from tests.mailfactory import build


def test_a_day_at_the_desk(browser, desk, smtp_sink):
    ARTIFACTS.mkdir(exist_ok=True)
    with ServedApp(create_app(desk)) as url:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        log_in(page, url)
        assert "plaatsen bezet" in page.content()
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

        page.click("text=Vragen")
        page.click("table.queue td a >> nth=0")
        page.fill("#answer", "De masterclass begint om 19:00 uur; de zaal is open vanaf 18:30.")
        page.click("button[value=preview]")
        assert "Beste Lieke Warmerdam" in page.inner_text("#preview")
        page.screenshot(path=str(ARTIFACTS / "question.png"), full_page=True)
        page.click("button[value=send]")
        page.wait_for_selector(".notice")
        [answer] = smtp_sink.wait_for(1)
        assert answer.rcpt_tos == ("l.warmerdam@tweedekamer.nl",)
        assert answer.message["In-Reply-To"]
        assert "zaal is open vanaf 18:30" in answer.text

        page.click("text=Beoordelen")
        card = page.locator(".card", has_text="k.verhoeff@tweedekamer.nl")
        card.locator("button[value=registration]").click()
        page.wait_for_selector(".notice")
        confirmation = smtp_sink.wait_for(2)[1]
        assert confirmation.rcpt_tos == ("k.verhoeff@tweedekamer.nl",)

        page.click("text=Deelnemers")
        with page.expect_download() as download:
            page.click("text=CSV")
        content = download.value.path().read_text(encoding="utf-8")
        assert content.startswith("name,email,status") and "k.verhoeff@tweedekamer.nl" in content
        page.screenshot(path=str(ARTIFACTS / "attendees.png"), full_page=True)
        page.close()


FLAG = "window.top.__xss=1"
PAYLOADS = [
    f"<script>{FLAG}</script>",
    f'<img src=x onerror="{FLAG}">',
    f'<svg onload="{FLAG}"></svg>',
    f'<a href="javascript:{FLAG}">klik</a>',
    f'<body onload="{FLAG}">',
    f'<iframe srcdoc="<script>{FLAG}</script>"></iframe>',
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img'
    f'&Tab;src=1&Tab;onerror={FLAG}&gt;">',
    f'<details open ontoggle="{FLAG}">',
]


def test_hostile_mail_runs_nothing_and_loads_nothing(browser, make_runtime, imap_account,
                                                     smtp_sink):
    rt = make_runtime()
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    with Canary() as canary:
        remote = (f'<img src="http://127.0.0.1:{canary.port}/pixel.gif">'
                  f'<div style="background:url(http://127.0.0.1:{canary.port}/bg.png)">x</div>'
                  f'<link rel="stylesheet" href="http://127.0.0.1:{canary.port}/s.css">'
                  f'<img srcset="http://127.0.0.1:{canary.port}/set.png 2x">')
        for n, payload in enumerate(PAYLOADS):
            html = f"<html><body><p>Vraag?</p>{payload}{remote}</body></html>"
            deliver(client, build(
                html, Subject=f"Vraag {payload}", Message_ID=f"<xss{n}@tweedekamer.nl>",
                From=f'"{payload}" <mp{n}@tweedekamer.nl>',
                Content_Type="text/html; charset=utf-8"))
        deliver(client, build("Zie bijlage?", Message_ID="<xss-att@tweedekamer.nl>",
                              Content_Type='multipart/mixed; boundary="b"').replace(
            b"Zie bijlage?", b"--b\r\nContent-Type: text/plain\r\n\r\nZie bijlage?\r\n--b\r\n"
            b"Content-Type: text/html\r\nContent-Disposition: attachment; filename=\""
            + f"<img src=x onerror={FLAG}>.html".encode() + b"\"\r\n\r\n<script>x</script>\r\n"
            b"--b--\r\n"))
        client.logout()
        poll_once(rt)
        with Session(rt.engine) as session:
            ids = session.exec(select(InboundMessage.id)).all()
        assert len(ids) == len(PAYLOADS) + 1

        from bot.store.db import writer
        from bot.web.auth import create_user
        with Session(writer(rt.engine)) as session:
            create_user(session, "anna", PASSWORD)
        with ServedApp(create_app(rt)) as url:
            page = browser.new_page()
            log_in(page, url)
            for path in ["/vragen", "/beoordelen", *(f"/berichten/{i}" for i in ids)]:
                response = page.goto(f"{url}{path}")
                page.wait_for_load_state("networkidle")
                source = response.text()
                for raw in ("<script>window", "<img src=x onerror", "<svg onload", "<details"):
                    assert raw not in source, (path, source[source.find(raw) - 200:][:400])
                for frame in page.frames:
                    assert frame.evaluate("typeof window.__xss") == "undefined", path
            page.screenshot(path=str(ARTIFACTS / "hostile-message.png"), full_page=True)
            page.close()
        assert canary.hits == []
