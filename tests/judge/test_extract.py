"""Details read from a sign-up: name, party, on-behalf-of, extra people, notes for staff."""

from __future__ import annotations

import pytest

from bot.config.types import DEFAULT_PARTIES
from bot.judge.extract import Person, extract_details, find_party
from tests.helpers import DATA_DIR
from tests.mailfactory import CTX, parsed, verdict


def details(body: str, **headers):
    return extract_details(parsed(body, **headers), parties=DEFAULT_PARTIES,
                           our_addresses=CTX.our_addresses)


def test_name_from_the_display_name_party_from_the_signature():
    d = details("Ik kom graag.\n\nMet vriendelijke groet,\n\nAnna Jansen\nLid Tweede Kamer\n"
                "Fractie GroenLinks-PvdA")
    assert (d.name, d.party) == ("Anna Jansen", "GroenLinks-PvdA")


def test_name_from_the_signature_when_from_has_none():
    d = details("Ik kom graag.\n\nMet vriendelijke groet,\nPieter van der Berg\nFractie VVD",
                From="p.vanderberg@tweedekamer.nl")
    assert (d.name, d.party) == ("Pieter van der Berg", "VVD")


@pytest.mark.parametrize(("text", "party"), [
    ("Fractie D66", "D66"), ("namens de SP-fractie", "SP"), ("Partij voor de Dieren", "PvdD"),
    ("GL-PvdA", "GroenLinks-PvdA"), ("lid van de CDA fractie", "CDA"), ("DENK", "DENK"),
    ("Ik spreek (sp)elling", None), ("een cdabc", None), ("vvd.nl", None), ("Volt", "Volt"),
])
def test_find_party(text, party):
    assert find_party(text, DEFAULT_PARTIES) == party


@pytest.mark.parametrize(("body", "behalf"), [
    ("Namens Kamerlid Jansen meld ik haar aan.", "Jansen"),
    ("Graag meld ik namens mevrouw Van der Laan aan.", "Van der Laan"),
    ("On behalf of MP de Vries I would like to register him.", "de Vries"),
    ("Ik meld mij aan voor de masterclass.", None),
])
def test_on_behalf_of(body, behalf):
    assert details(body).on_behalf_of == behalf


def test_extra_people_and_notes():
    d = details("Ik kom graag, en mijn collega Piet de Vries (p.devries@tweedekamer.nl) ook. "
                "Ik ben vegetariër en kom met een rolstoel.\nInfo: info@kinderrechten.nl")
    assert d.extra_people == (Person("Piet de Vries", "p.devries@tweedekamer.nl"),)
    assert d.notes == "Ik ben vegetariër en kom met een rolstoel."


def test_named_colleague_without_address():
    d = details("Ik kom graag met mijn collega Sanne Bakker.")
    assert d.extra_people == (Person("Sanne Bakker", None),)


@pytest.mark.parametrize("written", [
    "*a.jansen@tweedekamer.nl*", "tel 070-1234|a.jansen@tweedekamer.nl",
    "https://x.nl/?to=a.jansen@tweedekamer.nl"])
def test_punctuation_around_the_sender_s_own_address_names_nobody_else(written):
    """Markdown bold, a separator or a link around the sender's address is not a colleague
    (found by the attacker's review of the address pattern: such a sign-up went to staff)."""
    assert details(f"Graag meld ik mij aan. Mijn adres: {written}").extra_people == ()
    assert verdict(f"Graag meld ik mij aan. Mijn adres: {written}").acts_alone


def test_html_only_sample():
    from bot.inbound.parse import parse_message
    mail = parse_message((DATA_DIR / "html_only_nl.eml").read_bytes(), max_bytes=10**7)
    d = extract_details(mail, parties=DEFAULT_PARTIES, our_addresses=CTX.our_addresses)
    assert d.party == "GroenLinks-PvdA" and d.name
