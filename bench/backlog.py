"""Benchmark: the bot's poll over a large backlog on a real Dovecot, against fetch + mail-parser.

What it measures: N realistic messages (default 10,000; ``--count``), 2-6 KB each, built with
tests/mailfactory.py ``build()``: ~60 % verified sign-ups from distinct MPs
(``mp{i}@tweedekamer.nl``), ~20 % questions, ~10 % out-of-office replies with Auto-Submitted,
~10 % list mail (newsletters). They are APPENDed with MULTIAPPEND (batches of 100) to two
accounts of a throw-away Dovecot (tests/servers.py), one for the bot and one for the baseline.
The bot then runs ``poll_once(rt)`` over its inbox, as production does (STARTTLS verified,
SQLite database in a temp dir, the SMTP sink of bot/demo/sink.py, production ``batch_size``
200, capacity 100,000 and a circuit breaker that cannot trip, so every reply goes out): fetch,
parse, classify, record, render, send, MOVE. Replies that ``poll_once`` leaves in the outbox
(``flush_outbox`` used to send at most 1,000 per cycle) are then sent with further
``flush_outbox`` calls; the bot's rate is N / (poll_once + that drain), all replies sent.

Baseline: the same content on the second account, fetched with imapclient ``BODY.PEEK[]`` in
batches of 200 over STARTTLS and parsed with ``mailparser.parse_from_bytes`` (messages/s):
the least any poll has to do. Target: flat in N (the RATIO at 10,000 within 10 % of the RATIO
at 2,000: a falling ratio means per-message work that grows with the database) and RATIO
>= 0.1 (about 150 msg/s here: a 10,000-message backlog in about a minute).

Out: both rates, the counts of replies queued and sent, and a last line
``RATIO backlog <bot rate / baseline rate>``. ``--profile`` runs the bot part under cProfile
and prints the top 25 entries by cumulative time (and the top 15 by own time), then the
milliseconds per message of each stage (bench/_stages.py). Speed is never
asserted. Run: ``.venv/bin/python bench/backlog.py [--count N] [--profile]``.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import datetime as dt
import email.utils
import io
import logging
import pstats
import quopri
import random
import smtplib
import ssl
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import mailparser  # noqa: E402
from _stages import stage_line  # noqa: E402
from imapclient import IMAPClient  # noqa: E402

from bot.config.types import DEFAULT_PARTIES  # noqa: E402
from bot.demo.sink import SmtpSink  # noqa: E402
from tests.mailfactory import VERIFIED, build  # noqa: E402
from tests.servers import DovecotServer, ImapAccount  # noqa: E402

APPEND_BATCH = 100
FETCH_BATCH = 200
NO_BREAKER = 1_000_000_000  # [limits] circuit_breaker_replies: never trips in a benchmark

# --- realistic mail ------------------------------------------------------------------------------

FIRST = ("Anna", "Bram", "Charlotte", "Daan", "Esther", "Fleur", "Gert-Jan", "Hanneke", "Ilse",
         "Jeroen", "Karin", "Lotte", "Maarten", "Nadia", "Olaf", "Petra", "Ruben", "Sanne",
         "Thijs", "Ursula", "Vincent", "Wendy", "Youssef", "Zeynep", "Joost", "Marieke")
LAST = ("Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
        "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
        "Brouwer", "de Wit", "Dijkstra", "Wolterink", "Hameete", "Mollema", "Kaya", "El Amrani")
INTEREST = (
    "Kinderrechten staan hoog op mijn agenda, zeker nu de hervormingsagenda jeugd in de Kamer "
    "wordt besproken.",
    "Als woordvoerder jeugd vind ik het belangrijk om goed op de hoogte te blijven van wat het "
    "VN-Kinderrechtenverdrag van ons als wetgever vraagt.",
    "De positie van kinderen in de asielopvang en de armoede onder kinderen houden mij al "
    "langer bezig; ik verwacht veel van deze bijeenkomst.",
    "Ik heb goede verhalen gehoord over de vorige editie en kijk uit naar de gesprekken met "
    "jongeren en deskundigen.",
    "Het onderwerp sluit mooi aan bij de wetsbehandeling die we in januari verwachten.",
    "Juist als nieuw Kamerlid wil ik de basis van het kinderrechtenbeleid goed in de vingers "
    "krijgen.",
)
DISCLAIMER = (
    "Dit bericht kan informatie bevatten die niet voor u is bestemd. Indien u niet de "
    "geadresseerde bent of dit bericht abusievelijk aan u is toegezonden, wordt u verzocht dat "
    "aan de afzender te melden en het bericht te verwijderen. De Staat aanvaardt geen "
    "aansprakelijkheid voor schade, van welke aard ook, die verband houdt met risico's "
    "verbonden aan het elektronisch verzenden van berichten.\n\n"
    "This message may contain information that is not intended for you. If you are not the "
    "addressee or if this message was sent to you by mistake, you are requested to inform the "
    "sender and delete the message. The State accepts no liability for damage of any kind "
    "resulting from the risks inherent in the electronic transmission of messages."
)
INVITATION_ID = "<uitnodiging-2026.4f1c9e@kinderrechten.nl>"
INVITATION = (
    "Geachte Kamerleden,\n\n"
    "Het Kinderrechtencollectief nodigt u van harte uit voor de Masterclass Kinderrechten op "
    "dinsdag 15 december 2026, van 19.00 tot 21.30 uur in Nieuwspoort, Lange Poten 10 in "
    "Den Haag.\n\n"
    "In twee en een half uur nemen deskundigen uit de jeugdzorg, het onderwijs en de "
    "rechtspraak u mee langs de kern van het VN-Kinderrechtenverdrag en wat het betekent voor "
    "wetgeving en toezicht. Jongeren van de Nationale Jeugdraad vertellen uit eigen ervaring "
    "over jeugdbescherming, armoede en kansengelijkheid, en er is ruim tijd voor gesprek.\n\n"
    "Programma\n"
    "18.30  Inloop met koffie en thee\n"
    "19.00  Welkom en opening\n"
    "19.15  Het Kinderrechtenverdrag in de praktijk van wetgeving\n"
    "20.00  Gesprek met jongeren over jeugdbescherming\n"
    "20.45  Casus: de kinderrechtentoets bij nieuwe wetten\n"
    "21.15  Afsluiting en borrel\n\n"
    "U kunt zich aanmelden door op deze e-mail te antwoorden. Er is plaats voor veertig "
    "deelnemers; bij meer aanmeldingen houden wij een wachtlijst bij. Laat u ons ook weten of "
    "u een dieetwens heeft of gebruik wilt maken van een rolstoeltoegankelijke plek.\n\n"
    "Met vriendelijke groet,\n\nKinderrechtencollectief\ninfo@kinderrechten.nl\n"
)
QUESTIONS = (
    "Is de masterclass ook online te volgen? Onze woordvoerder heeft die avond mogelijk een "
    "debat en zou dan graag via een livestream meekijken.",
    "Is er parkeergelegenheid bij Nieuwspoort, of kunt u een parkeergarage in de buurt "
    "aanraden? Ik kom met de auto uit Groningen.",
    "Hoe laat begint de inloop precies, en is er voor aanvang iets te eten?",
    "Is de zaal in Nieuwspoort rolstoeltoegankelijk? En is er een invalidentoilet in de buurt "
    "van de zaal?",
    "Worden de presentaties na afloop gedeeld? Ik ben vooral benieuwd naar de casus over de "
    "kinderrechtentoets.",
    "Mag de pers aanwezig zijn bij het openbare deel van de avond? Wij schrijven een "
    "achtergrondartikel over kinderrechten in de Kamer.",
)
QUESTION_CONTEXT = (
    "Wij hebben uw uitnodiging met belangstelling gelezen en bespreken die deze week in ons "
    "fractieoverleg. Voordat we daar iets over kunnen zeggen, wil ik graag nog het volgende "
    "weten.",
    "Vanuit onze organisatie volgen we het werk van het Kinderrechtencollectief al een tijd en "
    "we zijn erg benieuwd naar de opzet van deze avond.",
)
NEWSLETTER_ORGS = (("Netwerk Jeugdrecht", "jeugdrechtnetwerk.example"),
                   ("Platform Kinderarmoede", "kinderarmoede.example"),
                   ("Vereniging Onderwijsrecht", "onderwijsrecht.example"))


def _b64(rng: random.Random, size: int) -> str:
    return base64.b64encode(rng.randbytes(size * 3 // 4)).decode()


def _fold(text: str, width: int = 76) -> str:
    return "\r\n\t".join(text[i:i + width] for i in range(0, len(text), width))


def _outlook_headers(rng: random.Random, domain: str, when: dt.datetime) -> dict[str, str]:
    """The transport headers Microsoft 365 adds: Received chain, ARC, DKIM, X-MS-Exchange."""
    stamp = email.utils.format_datetime(when)
    hops = [f"from AM{rng.randint(0, 9)}PR09MB{rng.randint(1000, 9999)}.eurprd09.prod.outlook.com"
            f" ([fe80::{rng.randint(0, 0xffff):x}]) by AM{rng.randint(0, 9)}PR09MB"
            f"{rng.randint(1000, 9999)}.eurprd09.prod.outlook.com with mapi id 15.20.8722.0"
            f"\r\n\t; {stamp}" for _ in range(rng.randint(1, 3))]
    hops.insert(0, f"from EUR05-AM6-obe.outbound.protection.outlook.com "
                   f"(mail-am6eur05on{rng.randint(2000, 2999)}.outbound.protection.outlook.com "
                   f"[40.107.22.{rng.randint(2, 250)}])\r\n\tby mx.kinderrechten.nl (Postfix) "
                   f"with ESMTPS id {_b64(rng, 12)[:14]}\r\n\tfor <info@kinderrechten.nl>; "
                   f"{stamp}")
    arc = {  # ARC sealing: only where the mail crossed a tenant boundary
        "ARC-Seal": _fold(f"i=1; a=rsa-sha256; s=arcselector10001; d=microsoft.com; cv=none; "
                          f"b={_b64(rng, 344)}"),
        "ARC-Message-Signature": _fold(
            f"i=1; a=rsa-sha256; c=relaxed/relaxed; d=microsoft.com; s=arcselector10001; "
            f"h=From:Date:Subject:Message-ID:Content-Type:MIME-Version; "
            f"bh={_b64(rng, 44)}; b={_b64(rng, 344)}"),
    } if rng.random() < 0.5 else {}
    return {
        # one dict key per header name in build(): further Received lines ride in the value
        "Received": "\r\nReceived: ".join(hops),
        **arc,
        "DKIM-Signature": _fold(
            f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=selector1; "
            f"h=From:Date:Subject:Message-ID:Content-Type:MIME-Version; bh={_b64(rng, 44)}; "
            f"b={_b64(rng, 344)}"),
        "Thread-Index": _b64(rng, 32),
        "Accept-Language": "nl-NL, en-US",
        "Content-Language": "nl-NL",
        "X-MS-Has-Attach": "",
        "X-MS-Exchange-Organization-SCL": "1",
        "X-MS-Exchange-CrossTenant-Network-Message-Id": f"{rng.randbytes(16).hex()}",
        "X-MS-Exchange-CrossTenant-AuthAs": "Internal",
        "MIME-Version": "1.0",
    }


def _text_part(body: str, rng: random.Random) -> dict[str, str | None]:
    """Content headers and body: half as quoted-printable (as Outlook sends), half 8bit."""
    if rng.random() < 0.5:
        encoded = quopri.encodestring(body.encode("utf-8")).decode("ascii")
        return {"Content_Type": 'text/plain; charset="utf-8"',
                "Content_Transfer_Encoding": "quoted-printable", "body": encoded}
    return {"Content_Type": 'text/plain; charset="utf-8"', "Content_Transfer_Encoding": "8bit",
            "body": body}


def _signature(name: str, party: str, rng: random.Random) -> str:
    return (f"{name}\nLid Tweede Kamer der Staten-Generaal\nFractie {party}\n"
            f"Postbus 20018 | 2500 EA Den Haag\nT 070 318 {rng.randint(1000, 9999)}")


def _quoted_invitation(name: str, address: str) -> str:
    return ("\n\n________________________________\n"
            "Van: Kinderrechtencollectief <info@kinderrechten.nl>\n"
            "Verzonden: maandag 9 november 2026 10:02\n"
            f"Aan: {name} <{address}>\n"
            "Onderwerp: Uitnodiging Masterclass Kinderrechten 15 december\n\n" + INVITATION)


def _send(rng: random.Random, parts: dict[str, str | None]) -> bytes:
    body = parts.pop("body") or ""
    return build(body, **parts)


def signup(i: int, rng: random.Random, when: dt.datetime) -> bytes:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    address = f"mp{i}@tweedekamer.nl"
    party = rng.choice(DEFAULT_PARTIES)
    style = rng.randrange(4)
    interest = rng.choice(INTEREST)
    if style == 0:
        subject = "Aanmelding Masterclass Kinderrechten"
        text = (f"Beste organisatie,\n\nGraag meld ik mij aan voor de Masterclass Kinderrechten "
                f"op 15 december in Nieuwspoort. {interest}\n\nMet vriendelijke groet,\n\n"
                f"{_signature(name, party, rng)}\n\n{DISCLAIMER}")
        threading: dict[str, str | None] = {}
    elif style == 1:
        subject = "RE: Uitnodiging Masterclass Kinderrechten 15 december"
        text = (f"Beste mensen,\n\nIk kom graag naar de masterclass. {interest}\n\n"
                f"Hartelijke groet,\n\n{_signature(name, party, rng)}\n\n{DISCLAIMER}"
                + _quoted_invitation(name, address))
        threading = {"In_Reply_To": INVITATION_ID, "References": INVITATION_ID}
    elif style == 2:
        subject = "Aanmelding masterclass 15 december"
        text = (f"Goedemiddag,\n\nHierbij meld ik me aan voor de masterclass van 15 december. "
                f"Ik ben vegetariër; fijn als daar bij de borrel rekening mee kan worden "
                f"gehouden. {interest}\n\nMet vriendelijke groet,\n\n"
                f"{_signature(name, party, rng)}\n\n{DISCLAIMER}")
        threading = {}
    else:
        subject = "Registration Masterclass Kinderrechten"
        text = ("Dear organisers,\n\nI would like to register for the Masterclass "
                "Kinderrechten on 15 December. Children's rights are an important part of my "
                "portfolio and I look forward to the discussion with the young people.\n\n"
                f"Kind regards,\n\n{name}\nMember of Parliament, {party}\n"
                f"House of Representatives of the Netherlands\n\n{DISCLAIMER}")
        threading = {}
    return _send(rng, {
        "Return_Path": f"<{address}>", "Authentication_Results": VERIFIED,
        "From": f"{name} <{address}>", "Subject": subject,
        "Date": email.utils.format_datetime(when),
        "Message_ID": f"<AM0PR09MB{rng.randbytes(12).hex().upper()}@eurprd09.prod.outlook.com>",
        **threading, **_outlook_headers(rng, "tweedekamer.nl", when),
        **_text_part(text, rng)})


def question(i: int, rng: random.Random, when: dt.datetime) -> bytes:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    name = f"{first} {last}"
    local = f"{first[0].lower()}.{last.replace(' ', '').lower()}{i}"
    external = rng.random() < 0.4
    domain = rng.choice(("gmail.com", "kinderombudsman.example", "nji.example")) if external \
        else "tweedekamer.nl"
    address = f"{local}@{domain}"
    role = ("Beleidsmedewerker Jeugd, Zorg en Onderwijs\nTweede Kamer der Staten-Generaal"
            if not external else f"Adviseur\n{domain}")
    text = (f"Beste medewerkers van het Kinderrechtencollectief,\n\n"
            f"{rng.choice(QUESTION_CONTEXT)} {rng.choice(QUESTIONS)}\n\n"
            f"Alvast bedankt voor uw antwoord.\n\nMet vriendelijke groet,\n\n{name}\n{role}\n"
            f"T 06 {rng.randint(10000000, 99999999)}\n\n"
            + (DISCLAIMER if not external else ""))
    threading: dict[str, str | None] = {}
    subject = "Vraag over de Masterclass Kinderrechten"
    if rng.random() < 0.5:
        subject = "RE: Uitnodiging Masterclass Kinderrechten 15 december"
        text += _quoted_invitation(name, address)
        threading = {"In_Reply_To": INVITATION_ID, "References": INVITATION_ID}
    auth = VERIFIED.replace("tweedekamer.nl", domain)
    return _send(rng, {
        "Return_Path": f"<{address}>", "Authentication_Results": auth,
        "From": f"{name} <{address}>", "Subject": subject,
        "Date": email.utils.format_datetime(when),
        "Message_ID": f"<vraag.{rng.randbytes(10).hex()}@{domain}>",
        **threading, **_outlook_headers(rng, domain, when), **_text_part(text, rng)})


def out_of_office(i: int, rng: random.Random, when: dt.datetime) -> bytes:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    address = f"ooo{i}@tweedekamer.nl"
    until = rng.choice(("2 december", "7 december", "4 januari"))
    text = (f"Dank voor uw bericht.\n\nIk ben afwezig tot en met {until} en heb in die periode "
            f"beperkt toegang tot mijn e-mail. Uw bericht wordt niet doorgestuurd. Voor "
            f"dringende zaken kunt u contact opnemen met het fractiesecretariaat via "
            f"070 318 {rng.randint(1000, 9999)}.\n\nMet vriendelijke groet,\n{name}\n"
            f"Lid Tweede Kamer der Staten-Generaal\n\n---\n\nThank you for your message. I am "
            f"out of the office until {until} with limited access to e-mail. For urgent "
            f"matters please contact the group secretariat.\n\n{DISCLAIMER}")
    return _send(rng, {
        "Return_Path": f"<{address}>", "Authentication_Results": VERIFIED,
        "From": f"{name} <{address}>",
        "Subject": "Automatisch antwoord: Uitnodiging Masterclass Kinderrechten 15 december",
        "Date": email.utils.format_datetime(when),
        "Message_ID": f"<AM8PR09MB{rng.randbytes(12).hex().upper()}@eurprd09.prod.outlook.com>",
        "In_Reply_To": INVITATION_ID, "References": INVITATION_ID,
        "Auto_Submitted": "auto-replied", "X_Auto_Response_Suppress": "All",
        **_outlook_headers(rng, "tweedekamer.nl", when), **_text_part(text, rng)})


def list_mail(i: int, rng: random.Random, when: dt.datetime) -> bytes:
    org, domain = rng.choice(NEWSLETTER_ORGS)
    token = rng.randbytes(5).hex()
    boundary = f"=_nb_{rng.randbytes(12).hex()}"
    items = rng.sample(INTEREST + QUESTION_CONTEXT, 3)
    plain = (f"Nieuwsbrief {org} - november 2026\nBekijk deze nieuwsbrief in je browser: "
             f"https://nieuws.{domain}/nb/2026-11/{i}\n\nIN DEZE EDITIE\n"
             + "".join(f"- {item[:60]}\n" for item in items) + "\n"
             + "\n\n".join(items) + "\n\n--\nJe ontvangt deze nieuwsbrief omdat je je hebt "
             f"aangemeld bij {org}.\nAfmelden: https://nieuws.{domain}/afmelden?u={token}\n")
    html = ("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>"
            f"{org}</title></head>\n<body style=\"margin:0;background:#f4f4f4\">\n"
            "<table role=\"presentation\" width=\"600\" cellpadding=\"24\" style=\"background:"
            "#fff;font-family:Arial,sans-serif;font-size:15px;color:#222\"><tr><td>\n"
            f"<h1 style=\"color:#0b5394\">Nieuwsbrief november 2026</h1>\n"
            + "".join(f"<h2>{item[:60]}</h2>\n<p>{item}</p>\n<p><a href=\"https://nieuws."
                      f"{domain}/artikel/{n}\">Lees verder &raquo;</a></p>\n"
                      for n, item in enumerate(items))
            + f"<hr><p style=\"font-size:12px;color:#777\"><a href=\"https://nieuws.{domain}/"
            f"afmelden?u={token}\">Afmelden</a></p>\n<img src=\"https://nieuws.{domain}/o/"
            f"{token}.gif\" width=\"1\" height=\"1\" alt=\"\">\n</td></tr></table></body></html>")
    body = (f"--{boundary}\nContent-Type: text/plain; charset=\"utf-8\"\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n"
            + quopri.encodestring(plain.encode()).decode("ascii")
            + f"\n--{boundary}\nContent-Type: text/html; charset=\"utf-8\"\n"
            f"Content-Transfer-Encoding: quoted-printable\n\n"
            + quopri.encodestring(html.encode()).decode("ascii") + f"\n--{boundary}--\n")
    sender = f"nieuwsbrief@{domain}"
    return build(
        body, Return_Path=f"<bounce-{token}@mail.{domain}>",
        Authentication_Results=(f"mx.kinderrechten.nl; spf=pass smtp.mailfrom=mail.{domain}; "
                                f"dkim=pass header.d={domain}; dmarc=pass (p=none) "
                                f"header.from={domain}"),
        From=f"{org} <{sender}>", Reply_To=f"redactie@{domain}",
        Subject=f"Nieuwsbrief november: {items[0][:40]}",
        Date=email.utils.format_datetime(when),
        Message_ID=f"<nb-2026-11.{token}.{i}@mail.{domain}>",
        List_Id=f"Nieuwsbrief {org} <nieuwsbrief.{domain}>",
        List_Unsubscribe=f"<https://nieuws.{domain}/afmelden?u={token}>,\r\n "
                         f"<mailto:afmelden+{token}@mail.{domain}>",
        List_Unsubscribe_Post="List-Unsubscribe=One-Click", Precedence="bulk",
        X_Mailer=f"{org} mailer 4.2", MIME_Version="1.0",
        Content_Type=f"multipart/alternative; boundary=\"{boundary}\"",
        DKIM_Signature=_fold(f"v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain}; s=nb; "
                             f"bh={_b64(rng, 44)}; b={_b64(rng, 344)}"))


def make_messages(count: int, seed: int = 2026) -> tuple[list[bytes], dict[str, int]]:
    """``count`` messages in a shuffled, reproducible order, and how many of each kind."""
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).astimezone()
    kinds = ["signup"] * 6 + ["question"] * 2 + ["out_of_office", "list"]
    plan = [kinds[i % 10] for i in range(count)]
    rng.shuffle(plan)
    makers = {"signup": signup, "question": question, "out_of_office": out_of_office,
              "list": list_mail}
    counters = dict.fromkeys(makers, 0)
    messages = []
    for kind in plan:
        counters[kind] += 1
        when = now - dt.timedelta(minutes=rng.randint(1, 36 * 60))
        messages.append(makers[kind](counters[kind], rng, when))
    return messages, counters


# --- servers -------------------------------------------------------------------------------------

def connect(account: ImapAccount) -> IMAPClient:
    """An imapclient connection as the bot makes it: STARTTLS verified against the test CA."""
    context = ssl.create_default_context(cafile=account.ca_file)
    client = IMAPClient("localhost", port=account.port, ssl=False, timeout=60)
    client.starttls(context)
    client.login(account.username, account.password)
    return client


def append_all(account: ImapAccount, messages: list[bytes]) -> float:
    """MULTIAPPEND ``messages`` to the account's INBOX in batches; seconds taken."""
    start = time.perf_counter()
    client = connect(account)
    try:
        for i in range(0, len(messages), APPEND_BATCH):
            client.multiappend("INBOX", messages[i:i + APPEND_BATCH])
    finally:
        client.logout()
    return time.perf_counter() - start


def folder_counts(account: ImapAccount, *folders: str) -> dict[str, int]:
    client = connect(account)
    try:
        return {f: (client.folder_status(f, ["MESSAGES"])[b"MESSAGES"]
                    if client.folder_exists(f) else 0) for f in folders}
    finally:
        client.logout()


def runtime(account: ImapAccount, sink: SmtpSink, db_url: str, parse_processes: int = 1):
    """The bot's Runtime for this account, built as tests/helpers.py builds it."""
    from tests.helpers import runtime_for
    return runtime_for(host="localhost", port=account.port, username=account.username,
                       password=account.password, db_url=db_url, smtp=sink,
                       security="starttls", ca_file=account.ca_file, capacity=100_000,
                       worker={"batch_size": 200, "parse_processes": parse_processes},
                       limits={"circuit_breaker_replies": NO_BREAKER,
                               "unverified_replies_per_day": NO_BREAKER})


# --- the two measurements ------------------------------------------------------------------------

def baseline(account: ImapAccount) -> tuple[float, int]:
    """Seconds to fetch every message (BODY.PEEK[], batches of 200) and parse it with
    mail-parser; and the number of messages."""
    start = time.perf_counter()
    client = connect(account)
    done = 0
    try:
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search("ALL"))
        for i in range(0, len(uids), FETCH_BATCH):
            for data in client.fetch(uids[i:i + FETCH_BATCH], ["BODY.PEEK[]"]).values():
                mailparser.parse_from_bytes(data[b"BODY[]"])
                done += 1
    finally:
        client.logout()
    return time.perf_counter() - start, done


def run_bot(rt) -> tuple[float, float, object, int]:
    """Seconds for poll_once, seconds to drain the rest of the outbox, the poll's summary and
    the number of mails sent by the drain."""
    from bot.outbound.outbox import flush_outbox
    from bot.pipeline.flow import poll_once

    start = time.perf_counter()
    summary = poll_once(rt)
    polled = time.perf_counter()
    drained = 0
    while True:
        sent = flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)
        drained += sent.sent
        if sent.sent == 0:
            break
    return polled - start, time.perf_counter() - polled, summary, drained


def ceiling(sink: SmtpSink, total: int, base_rate: float) -> None:
    """The most any bot could reach here: aiosmtpd's own receive rate for the bot's replies.

    The replies the sink received (real sizes) are sent again, as they are, over one smtplib
    connection to a fresh aiosmtpd sink in this process (where the bot's sink runs too). A bot
    that did nothing but send its replies would process ``total`` messages in
    ``replies / receive rate`` seconds: that rate over the baseline is the highest RATIO this
    machine allows for this mix of mail.
    """
    replies = [(m.mail_from, list(m.rcpt_tos), m.data) for m in sink.messages[:2000]]
    if not replies:
        return
    with SmtpSink() as second, smtplib.SMTP(second.host, second.port) as smtp:
        start = time.perf_counter()
        for mail_from, rcpt_tos, data in replies:
            smtp.sendmail(mail_from, rcpt_tos, data)
        receive_rate = len(replies) / (time.perf_counter() - start)
    size = statistics.median(len(data) for _, _, data in replies)
    best = receive_rate * total / len(sink.messages)
    print(f"ceiling: aiosmtpd receives the bot's replies (median {size:.0f} bytes) at "
          f"{receive_rate:.0f} msg/s over one connection; {len(sink.messages)} replies for "
          f"{total} messages cap any bot at {best:.0f} msg/s = RATIO {best / base_rate:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="messages (default 10000)")
    parser.add_argument("--parse-processes", type=int, default=1,
                        help="[worker] parse_processes for the bot (default 1; 0: inline)")
    parser.add_argument("--profile", action="store_true",
                        help="run the bot under cProfile and print where the time goes")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("mailparser").setLevel(logging.ERROR)  # as the bot's command line does
    logging.getLogger("flufl.bounce").setLevel(logging.WARNING)

    messages, mix = make_messages(args.count)
    sizes = [len(m) for m in messages]
    print(f"messages: {len(messages)} ({', '.join(f'{n} {k}' for k, n in mix.items())}); "
          f"size min/median/max {min(sizes)}/{int(statistics.median(sizes))}/{max(sizes)} "
          f"bytes, {sum(sizes) / 1e6:.1f} MB")
    with DovecotServer() as dovecot, SmtpSink() as sink, \
            tempfile.TemporaryDirectory(prefix="bench-backlog-") as tmp:
        bot_account = dovecot.new_account()
        base_account = dovecot.new_account(prefix="baseline")
        seconds = append_all(bot_account, messages) + append_all(base_account, messages)
        print(f"MULTIAPPEND ({APPEND_BATCH} per command): {2 * len(messages) / seconds:.0f} "
              f"msg/s over two accounts")
        del messages

        base_seconds, base_count = baseline(base_account)
        base_rate = base_count / base_seconds
        print(f"baseline FETCH BODY.PEEK[] x{FETCH_BATCH} + mail-parser: {base_count} in "
              f"{base_seconds:.2f} s = {base_rate:.0f} msg/s")

        rt = runtime(bot_account, sink, f"sqlite:///{tmp}/bot.db", args.parse_processes)
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        poll_seconds, drain_seconds, summary, drained = run_bot(rt)
        if profiler:
            profiler.disable()
        rt.engine.dispose()
        total = sum(summary.fates.values())
        bot_seconds = poll_seconds + drain_seconds
        bot_rate = total / bot_seconds
        left = folder_counts(bot_account, "INBOX", "Processed", "Quarantine")
        print(f"bot kinds: { {str(k): n for k, n in sorted(summary.kinds.items())} }")
        print(f"bot fates: { {str(k): n for k, n in sorted(summary.fates.items())} }; "
              f"folders after: {left}")
        print(f"replies queued {summary.replies_queued}; sent by poll_once {summary.sent.sent} "
              f"(retrying {summary.sent.retrying}, failed {summary.sent.failed}); sent by the "
              f"drain {drained}; received by the sink {len(sink.messages)}")
        print(f"bot poll_once: {total} in {poll_seconds:.2f} s = {total / poll_seconds:.0f} "
              f"msg/s")
        print(f"bot poll_once + outbox drain: {total} in {bot_seconds:.2f} s = "
              f"{bot_rate:.0f} msg/s" + (" (under cProfile: slower than without)"
                                         if profiler else ""))
        ceiling(sink, total, base_rate)
        if profiler:
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).strip_dirs()
            stats.sort_stats("cumulative").print_stats(25)
            stats.sort_stats("tottime").print_stats(15)
            print(out.getvalue())
            print(stage_line(stats, total))
    print(f"RATIO backlog {bot_rate / base_rate:.3f}")


if __name__ == "__main__":
    main()
