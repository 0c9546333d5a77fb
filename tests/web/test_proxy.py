"""The staff desk behind a real HTTPS reverse proxy, end to end.

Debian's nginx runs ``deploy/nginx-inbox-bot.conf`` (only its ports and paths replaced) in
front of ``inbox-bot web``, whose config has ``[web] public_url`` set to the proxy's https URL
and the default ``trusted_proxies``. Debian's Chromium trusts the throwaway certificate by its
public key only (``--ignore-certificate-errors-spki-list``, no blanket ignore). A TCP hop puts
the browser on another address (127.0.0.2) than the proxy (127.0.0.1), as a staff member's
machine would be. A staff member logs in, answers a question, searches and cancels an
attendee, and exports the list; the test checks the SMTP sink, the database, the download,
the client address the desk saw, and both access logs for personal data.
"""

from __future__ import annotations

import http.client
import re

from sqlmodel import Session, select

from bot.store.desk_models import LoginAttempt
from bot.store.models import Attendee, Question
from bot.web.deps import COOKIE
from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, chromium_available
from tests.helpers import PASSWORD, write_config
from tests.httpsproxy import (
    ROOT,
    SITE,
    Nginx,
    SourceRelay,
    WebCommand,
    make_certificate,
    nginx_available,
    spki_hash,
)
from tests.servers import require

ANSWER = "De masterclass begint om 19:00 uur; de zaal is open vanaf 18:30."
PERSONAL = ("@", "%40", "haagsma", "warmerdam", "verhoeff", "tweedekamer")


def test_a_day_at_the_desk_through_nginx(desk, tmp_path, imap_account, smtp_sink,
                                         db_url):
    require(nginx_available(), "nginx not installed: apt-get install nginx")
    require(chromium_available(), "chromium not installed: apt-get install chromium")
    cert, key = make_certificate(tmp_path)
    config = tmp_path / "config.toml"
    web = WebCommand(config, {"TEST_IMAP_PASSWORD": imap_account.password}, tmp_path)
    nginx = Nginx(tmp_path, web.port, cert, key)
    relay = SourceRelay(nginx.port)
    url = f"https://127.0.0.1:{relay.port}"
    write_config(tmp_path, imap_account, smtp_sink, db_url,
                 extra=f'\n[web]\npublic_url = "{url}"\n')  # trusted_proxies: the default
    ARTIFACTS.mkdir(exist_ok=True)

    from playwright.sync_api import sync_playwright
    with web, nginx, relay, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            *CHROMIUM_FLAGS, f"--ignore-certificate-errors-spki-list={spki_hash(cert)}"])
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(f"{url}/login")
        page.fill("input[name=username]", "anna")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{url}/")
        assert "plaatsen bezet" in page.content()
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies[COOKIE]["secure"] and cookies[COOKIE]["httpOnly"]

        page.click("text=Vragen")
        page.click("table.queue td a >> nth=0")
        page.fill("#answer", ANSWER)
        page.click("button[value=preview]")
        assert "Beste Lieke Warmerdam" in page.inner_text("#preview")
        page.click("button[value=send]")
        assert "staat klaar" in page.inner_text(".notice")
        [answer] = smtp_sink.wait_for(1, timeout=30)

        page.click("text=Deelnemers")
        page.fill("#search input[name=q]", "Haagsma")
        page.click("#search button[type=submit]")
        page.wait_for_load_state()
        assert page.url == f"{url}/deelnemers?event={desk.config.event.key}"
        assert page.locator("tbody tr").count() == 1
        page.locator("tr", has_text="t.haagsma@tweedekamer.nl").locator(
            "button[value=cancel]").click()
        assert "t.haagsma@tweedekamer.nl is afgemeld" in page.inner_text(".notice")
        cancellation = smtp_sink.wait_for(2, timeout=30)[1]
        with page.expect_download() as download:
            page.click("text=CSV")
        csv_text = download.value.path().read_text(encoding="utf-8")
        page.screenshot(path=str(ARTIFACTS / "behind-nginx.png"), full_page=True)
        context.close()
        chromium.close()
        redirect = http.client.HTTPConnection("127.0.0.1", nginx.http_port, timeout=30)
        redirect.request("GET", "/login")
        plain = redirect.getresponse()
        assert (plain.status, plain.getheader("Location")) == (301, "https://127.0.0.1/login")

    assert answer.rcpt_tos == ("l.warmerdam@tweedekamer.nl",) and ANSWER in answer.text
    assert cancellation.rcpt_tos == ("t.haagsma@tweedekamer.nl",)
    assert csv_text.splitlines()[0] == "name,email,status,party,on_behalf_of,notes,aanwezig"
    assert re.search(r"^[^\n]*t\.haagsma@tweedekamer\.nl,cancelled,", csv_text, re.M)
    with Session(desk.engine) as session:
        assert session.exec(select(Question.answered_by)).all() == ["anna"]
        haagsma = session.exec(select(Attendee).where(
            Attendee.email == "t.haagsma@tweedekamer.nl")).one()
        logins = session.exec(select(LoginAttempt)).all()
    assert haagsma.status == "cancelled"
    # the desk saw the browser's address, from nginx's X-Forwarded-For
    assert [(a.username, a.address, a.succeeded) for a in logins] == [
        ("anna", "127.0.0.2", True)]

    uvicorn_log = web.access_log
    nginx_log = nginx.access_log.read_text()
    assert '127.0.0.2:0 - "POST /login HTTP/1.0" 303' in uvicorn_log  # nginx speaks 1.0
    assert '"POST /deelnemers HTTP/1.0" 200' in uvicorn_log  # the search
    assert "127.0.0.2" in nginx_log and '"POST /login HTTP/1.1" 303' in nginx_log
    assert '"GET /deelnemers.csv HTTP/1.1" 200' in nginx_log  # its ?event= is not logged
    for log in (uvicorn_log, nginx_log):
        assert "?" not in log
        for word in PERSONAL:
            assert word not in log.lower(), (word, log)


def test_the_deployment_guide_shows_the_tested_nginx_site():
    """docs/deployment.md's nginx block is deploy/nginx-inbox-bot.conf without its comments."""
    guide = (ROOT / "docs" / "deployment.md").read_text()
    [shown] = re.findall(r"```nginx\n(.*?)```", guide, re.S)
    lines = [line for line in SITE.read_text().splitlines() if not line.strip().startswith("#")]
    assert shown.strip() == "\n".join(lines).strip()
