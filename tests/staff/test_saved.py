"""Saved replies (bot.staff.saved): the placeholders are filled, and text typed by staff is
never template source with access to anything else: every template trick is refused before it
is saved or filled, and nothing else renders."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config.types import EventConfig
from bot.errors import ActionRefused
from bot.staff.saved import check, fill, values

EVENT = EventConfig("Masterclass Kinderrechten", dt.date(2026, 12, 15), dt.time(19, 0),
                    dt.time(21, 30), "Nieuwspoort", "Lange Poten 10, Den Haag", 40)


def test_the_placeholders_are_filled():
    text = ("Beste {{ naam }}, de masterclass is op {{datum}} van {{ tijd }} in {{ locatie }}. "
            "Een accolade { of } en 100% blijven staan.")
    assert fill(text, values(EVENT, "Anna Jansen", "nl")) == (
        "Beste Anna Jansen, de masterclass is op dinsdag 15 december 2026 van 19:00 tot 21:30 "
        "in Nieuwspoort, Lange Poten 10, Den Haag. Een accolade { of } en 100% blijven staan.")
    assert fill("{{ datum }}, {{ tijd }}", values(EVENT, None, "en")) == (
        "Tuesday 15 December 2026, 19:00 to 21:30")


@pytest.mark.parametrize("trick", [
    "{{ naam.__class__ }}", "{{ naam.upper() }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}", "{{ config }}", "{{ self }}",
    "{{ lipsum.__globals__ }}", "{{ naam|attr('__class__') }}", "{{ naam|upper }}",
    "{% for x in range(10**9) %}x{% endfor %}", "{{ 'a' * 999999999 }}", "{{ 9**9**9 }}",
    "{% set x = 1 %}", "{% include '/etc/passwd' %}", "{% extends 'base.html' %}",
    "{{ naam ~ datum }}", "{{ request }}", "{{ naam",
    "{# comment #}{{ x }}", "{{ [naam] }}", "{% if naam %}x{% endif %}",
    "{{" + "(" * 2400, "{{" + "[" * 2400,  # deep enough to overrun the parser's stack
])
def test_every_template_trick_is_refused(trick):
    with pytest.raises(ActionRefused, match="Alleen tekst en de plaatshouders"):
        check(trick)
    with pytest.raises(ActionRefused):
        fill(trick, values(EVENT, "Anna", "nl"))


def test_a_misspelt_placeholder_is_named():
    with pytest.raises(ActionRefused, match=r"Onbekende plaatshouder \{\{ Naam \}\}"):
        check("Beste {{ Naam }},")


def test_a_very_long_text_is_refused():
    with pytest.raises(ActionRefused, match="hoogstens"):
        check("x" * 5001)
