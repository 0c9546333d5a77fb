"""Benchmark: what queueing a group mail costs, against a round of reminders to the same people.

What it measures: the wall time of :func:`bot.staff.announce.queue_group_mail` for a group of
``--people`` registered attendees (one transaction under the event's lock: the audience, one
rendered mail per person, the outbox rows), and the same with a ``[branding]`` logo (every mail
carries it). Baseline, measured in the same run on a fresh SQLite file each: the reminders to
the same people (:func:`bot.pipeline.scheduled.queue_reminders`), the bot's own round of one
rendered mail per attendee. Nothing is sent and no server is needed (the IMAP and SMTP settings
are never used). The attendees are inserted directly: this measures the queueing, not sign-up.

Out: the seconds of each run, per person, and the lines ``RATIO groupmail_vs_reminders`` and
``RATIO logo_vs_no_logo``. Nothing is asserted. Target: a group mail costs no more than twice
a reminder round (it fills the placeholders and checks who had it), and the logo no more than
1.2 times (its bytes are encoded once per run, not per mail). Run:
``.venv/bin/python bench/groupmail.py [--people N]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bot.demo.sink import SmtpSink  # noqa: E402
from bot.pipeline.scheduled import queue_reminders  # noqa: E402
from bot.staff import announce  # noqa: E402
from bot.store.models import Attendee, AttendeeStatus  # noqa: E402
from tests.helpers import runtime_for  # noqa: E402

TEXT = ("Fijn dat u er volgende week bij bent, {{ naam }}. Neemt u een identiteitsbewijs mee "
        "naar {{ locatie }}? De zaal is open vanaf 18:30 uur.\n\n") * 8


def png(width: int, height: int) -> bytes:
    """A plain PNG of about 10 KB (random-looking rows compress badly)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\0" + bytes((x * 7 + y * 13) % 251 for x in range(width * 3))
                    for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def runtime(workdir: Path, name: str, people: int, logo: Path | None):
    sink = SmtpSink()  # never started: nothing is sent
    sink.port = 25
    extra = {"branding": {"logo": str(logo)}} if logo else {}
    rt = runtime_for(host="127.0.0.1", port=143, username="bench", password="x",
                     db_url=f"sqlite:///{workdir}/{name}.db", smtp=sink, capacity=people,
                     **extra)
    with Session(rt.engine) as session:
        for n in range(people):
            session.add(Attendee(event=rt.config.event.key, email=f"kamerlid{n}@tweedekamer.nl",
                                 name=f"Kamerlid {n}", language="en" if n % 5 == 0 else "nl",
                                 status=AttendeeStatus.REGISTERED))
        session.commit()
    return rt


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=500)
    people = parser.parse_args().people
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        logo = workdir / "logo.png"
        logo.write_bytes(png(120, 40))
        plain, branded, baseline = (runtime(workdir, name, people, path) for name, path in
                                    (("plain", None), ("logo", logo), ("reminders", None)))
        event = baseline.config.event
        due = event.starts_at - dt.timedelta(hours=1)
        reminders = timed(lambda: queue_reminders(baseline, event, due))

        def group(rt):
            draft = announce.check_draft(rt, event_key=event.key, group="registered",
                                         subject_nl="Praktische informatie", body_nl=TEXT,
                                         subject_en="Practical information", body_en=TEXT)
            return lambda: announce.queue_group_mail(rt, draft, by="bench")
        without_logo = timed(group(plain))
        with_logo = timed(group(branded))
    for label, seconds in (("reminders (baseline)", reminders), ("group mail", without_logo),
                           ("group mail with a logo", with_logo)):
        print(f"{label:24} {seconds:6.2f} s for {people} people, "
              f"{1000 * seconds / people:5.2f} ms each")
    print(f"RATIO groupmail_vs_reminders {without_logo / reminders:.2f}")
    print(f"RATIO logo_vs_no_logo {with_logo / without_logo:.2f}")


if __name__ == "__main__":
    main()
