"""Dutch names in alphabetical order. Pure.

In: a full name as written ("Pieter van der Berg", "Rémy Toonstra", "Vleugels, N."). Out: a
sort key that files it the way Dutch lists do (NEN 1888 style, as the Tweede Kamer's own member
list does): under the surname proper, with the "tussenvoegsels" (van, de, van der, ter, ...)
and the given names after it, accents ignored. "Pieter van der Berg" sorts as "berg pieter van der".
"""

from __future__ import annotations

import unicodedata

PARTICLES = frozenset({"van", "de", "der", "den", "het", "ter", "ten", "te", "in", "'t", "op",
                       "la", "le", "du", "da", "di", "von", "zu", "'s", "d'", "l'"})


def split_name(name: str) -> tuple[str, str, str]:
    """(given names, tussenvoegsels, surname) of ``name``; "Surname, Given" is understood."""
    name = " ".join(name.split())
    if "," in name:
        surname_part, _, given = name.partition(",")
        words = surname_part.split()
        particles = [w for w in words if w.lower() in PARTICLES]
        surname = " ".join(w for w in words if w.lower() not in PARTICLES)
        return given.strip(), " ".join(particles), surname
    words = name.split()
    if len(words) < 2:
        return "", "", name
    first = next((i for i in range(1, len(words) - 1) if words[i].lower() in PARTICLES), None)
    if first is None:
        return " ".join(words[:-1]), "", words[-1]
    end = first
    while end < len(words) - 1 and words[end].lower() in PARTICLES:
        end += 1
    return " ".join(words[:first]), " ".join(words[first:end]), " ".join(words[end:])


def sort_key(name: str) -> str:
    """The key a Dutch alphabetical list sorts ``name`` by (lower-case, no accents)."""
    given, particles, surname = split_name(name)
    text = " ".join(part for part in (surname, given, particles) if part)
    plain = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
