"""Small charts for the overview, drawn on the server as inline SVG: no script, nothing loaded
from anywhere, readable without colour (every bar has a text title, the chart a label that
says all its numbers in words, and the page a caption).

In: numbers only (seats taken, wait-listed, capacity; sign-ups per day by their status now).
Out: SVG markup (:func:`seats_bar`, :func:`days_chart`). Labels are fixed words (in the staff
member's language: :mod:`bot.web.labels`) and numbers, escaped all the same.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.store.story import Day
from bot.web.labels import translator, word

# colours of registered, wait-listed and cancelled
COLOURS = {"registered": "#1b6e20", "waitlisted": "#b26a00", "cancelled": "#8a8a8a"}
WIDTH, BAR = 600, 22
DAYS_SHOWN = 30  # the last days with sign-ups in the chart


def seats_bar(taken: int, waitlisted: int, capacity: int, language: str = "nl") -> Markup:
    """A bar of the seats: taken out of capacity, and the waiting list beyond it."""
    t = translator(language)
    total = max(capacity + waitlisted, 1)
    parts, x = [], 0.0
    for name, count in (("registered", taken), ("waitlisted", waitlisted)):
        width = WIDTH * count / total
        parts.append(_rect(x, 0, width, BAR, name,
                           f"{count} {word(name, 'attendee', language)}"))
        x += width
    free = max(capacity - taken, 0)
    parts.append(f'<rect x="{x:.1f}" y="0" width="{WIDTH * free / total:.1f}" height="{BAR}" '
                 f'fill="#ffffff" stroke="#999"><title>{t("{free} plaatsen vrij", free=free)}'
                 '</title></rect>')
    label = t("{taken} van {capacity} plaatsen bezet, {waitlisted} op de wachtlijst",
              taken=taken, capacity=capacity, waitlisted=waitlisted)
    return _svg(WIDTH, BAR, label, "".join(parts))


def days_chart(days: list[Day], language: str = "nl") -> Markup:
    """Stacked bars, one per day with sign-ups (the last :data:`DAYS_SHOWN`): how many of them
    are registered, wait-listed and cancelled now; the total above each bar, the date under
    it (under every other bar when there are many)."""
    days = days[-DAYS_SHOWN:]
    if not days:
        return Markup("")
    t = translator(language)
    step = min(60.0, WIDTH / len(days))
    every = 1 if step >= 36 else 2 if step >= 18 else 3
    highest = max(d.registered + d.waitlisted + d.cancelled for d in days) or 1
    height, parts = 160, []
    for n, day in enumerate(days):
        y = float(height)
        for name in ("registered", "waitlisted", "cancelled"):
            count = getattr(day, name)
            tall = (height - 20) * count / highest
            y -= tall
            parts.append(_rect(n * step + 4, y, step - 8, tall, name,
                               f"{day.day:%d-%m}: {count} {word(name, 'attendee', language)}"))
        total = day.registered + day.waitlisted + day.cancelled
        parts.append(f'<text x="{n * step + step / 2:.1f}" y="{y - 4:.1f}" font-size="11" '
                     f'text-anchor="middle">{total}</text>')
        if n % every == 0:
            parts.append(f'<text x="{n * step + step / 2:.1f}" y="{height + 14}" '
                         f'font-size="11" text-anchor="middle">{day.day:%d-%m}</text>')
    label = t("Aanmeldingen per dag") + ": " + "; ".join(t(
        "{day} {registered} ingeschreven, {waitlisted} op de wachtlijst, {cancelled} afgemeld",
        day=f"{d.day:%d-%m}", registered=d.registered, waitlisted=d.waitlisted,
        cancelled=d.cancelled) for d in days)
    return _svg(WIDTH, height + 20, label, "".join(parts))


def _rect(x: float, y: float, width: float, height: float, name: str, title: str) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
            f'fill="{COLOURS[name]}"><title>{escape(title)}</title></rect>')


def _svg(width: float, height: float, label: str, body: str) -> Markup:
    return Markup(f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {width:.0f} '
                  f'{height:.0f}" width="100%" preserveAspectRatio="xMinYMin meet" '
                  f'xmlns="http://www.w3.org/2000/svg">{body}</svg>')
