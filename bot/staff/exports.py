"""Attendee lists for people: CSV, Excel and a printable check-in list.

In: the attendee rows of one event (:func:`bot.store.queries.list_attendees`). Out: bytes of a CSV
or XLSX file (with the column "aanwezig": checked in at the door), or an HTML page that prints
as a check-in list (name, party, on behalf of, notes, a box to tick, ticked for who is in
already), sorted as Dutch lists are: by surname, "van der Berg" under B.
"""

from __future__ import annotations

import csv
import io

import jinja2
from openpyxl import Workbook

from bot.staff.names import sort_key
from bot.store.queries import AttendeeView

# (field of AttendeeView, the export's column heading)
COLUMNS = (("name", "name"), ("email", "email"), ("status", "status"), ("party", "party"),
           ("on_behalf_of", "on_behalf_of"), ("notes", "notes"), ("present", "aanwezig"))
FIELDS, HEADINGS = tuple(f for f, _ in COLUMNS), tuple(h for _, h in COLUMNS)


def sorted_by_surname(rows: list[AttendeeView]) -> list[AttendeeView]:
    return sorted(rows, key=lambda a: (sort_key(a.name or a.email), a.email))


def to_csv(rows: list[AttendeeView]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADINGS)
    writer.writerows([_cell(getattr(row, f)) for f in FIELDS] for row in sorted_by_surname(rows))
    return out.getvalue().encode("utf-8")


def to_xlsx(rows: list[AttendeeView]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Deelnemers"
    sheet.append(list(HEADINGS))
    for row in sorted_by_surname(rows):
        sheet.append([_cell(getattr(row, f)) for f in FIELDS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str) -> str:
    """Text that Excel will not run as a formula (CSV/Excel injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def to_checkin_html(rows: list[AttendeeView], env: jinja2.Environment, *, title: str,
                    date: str) -> bytes:
    confirmed = [r for r in sorted_by_surname(rows) if r.status == "registered"]
    page = env.get_template("checkin.html").render(rows=confirmed, title=title, date=date)
    return page.encode("utf-8")
