"""The overview that tells the story (issue 15): the seats as a bar, sign-ups per day as a chart
drawn on the server (inline SVG: no script, nothing loaded from elsewhere), and the last things
the bot and staff did, with links. Pure checks of the charts, and the page in Chromium."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from bot.staff.actions import cancel_attendee
from bot.store.story import Day
from bot.web.app import create_app
from bot.web.charts import days_chart, seats_bar
from tests.browser import ARTIFACTS, ServedApp, log_in


def test_the_seats_bar_says_its_numbers():
    svg = str(seats_bar(30, 5, 40))
    assert 'aria-label="30 van 40 plaatsen bezet, 5 op de wachtlijst"' in svg
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height', svg)]
    assert widths == [round(600 * n / 45, 1) for n in (30, 5, 10)]  # taken, waiting, free
    assert "<title>10 plaatsen vrij</title>" in svg and "<script" not in svg


def test_the_chart_of_days_has_a_bar_per_day_and_says_it_in_words():
    days = [Day(dt.date(2026, 11, 30), registered=3, cancelled=1), Day(dt.date(2026, 12, 1),
                                                                      waitlisted=2)]
    svg = str(days_chart(days))
    assert svg.count("<rect") == 6 and ">30-11<" in svg and ">4<" in svg and ">2<" in svg
    assert ("Aanmeldingen per dag: 30-11 3 ingeschreven, 0 op de wachtlijst, 1 afgemeld; "
            "01-12 0 ingeschreven, 2 op de wachtlijst, 0 afgemeld") in svg
    assert str(days_chart([])) == ""


def test_many_days_show_the_last_thirty_as_bars_that_can_be_drawn():
    days = [Day(dt.date(2026, 9, 1) + dt.timedelta(days=n), registered=n % 4 + 1)
            for n in range(100)]
    svg = str(days_chart(days))
    assert svg.count("<rect") == 90 and 'width="-' not in svg  # 30 days, 3 parts each
    assert "01-09" not in svg and f"{days[-1].day:%d-%m}" in svg


def test_the_overview_in_chromium(browser, desk):
    cancel_attendee(desk, "t.haagsma@tweedekamer.nl", by="bart")
    ARTIFACTS.mkdir(exist_ok=True)
    for width, size in ((1200, "desktop"), (390, "phone")):
        with ServedApp(create_app(desk)) as url:
            page = browser.new_page(viewport={"width": width, "height": 900})
            elsewhere = []
            page.on("request", lambda r, url=url, seen=elsewhere: None
                    if r.url.startswith(url) else seen.append(r.url))
            log_in(page, url)
            seats = page.locator("figure.seats svg")
            assert seats.get_attribute("aria-label") == (
                "1 van 40 plaatsen bezet, 0 op de wachtlijst")  # Fleur; Tjitske cancelled
            today = dt.datetime.now(ZoneInfo(desk.config.event.timezone)).strftime("%d-%m")
            assert f"{today} 1 ingeschreven, 0 op de wachtlijst, 1 afgemeld" in (
                page.locator("#per-day svg").get_attribute("aria-label"))
            recent = page.inner_text("#recent")
            assert "bart: afgemeld door de balie" in recent and "de bot: aanmelding" in recent
            assert page.locator("#recent a").first.get_attribute("href").startswith("/")
            assert page.locator("script").count() == 0 and elsewhere == []
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            page.screenshot(path=str(ARTIFACTS / f"overview-{size}.png"), full_page=True)
            page.close()
