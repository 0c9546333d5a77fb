"""Dutch surname sorting (bot.staff.names), as tables."""

from __future__ import annotations

import pytest

from bot.staff.names import sort_key, split_name


@pytest.mark.parametrize(("name", "parts"), [
    ("Pieter van der Berg", ("Pieter", "van der", "Berg")),
    ("Jan de Vries", ("Jan", "de", "Vries")),
    ("Elise van den Broek", ("Elise", "van den", "Broek")),
    ("Wietske de Graaf-Smit", ("Wietske", "de", "Graaf-Smit")),
    ("Jan Peter Balkenende", ("Jan Peter", "", "Balkenende")),
    ("Vleugels, N.", ("N.", "", "Vleugels")),
    ("Dijk van, Ilse", ("Ilse", "van", "Dijk")),
    ("Madonna", ("", "", "Madonna")),
])
def test_split_name(name, parts):
    assert split_name(name) == parts


def test_dutch_order():
    names = ["Anna de Vries", "Rémy Toonstra", "Pieter van der Berg", "Bas Bakker",
             "Els van 't Hek", "Karel ter Horst", "Ümit Özdemir"]
    assert sorted(names, key=sort_key) == ["Bas Bakker", "Pieter van der Berg", "Els van 't Hek",
                                           "Karel ter Horst", "Ümit Özdemir", "Rémy Toonstra",
                                           "Anna de Vries"]
