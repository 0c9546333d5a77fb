"""Who is signing up, for whom, with whom, and what staff should know. Pure.

In: a :class:`~bot.inbound.parse.ParsedMail`, the list of parties and our own addresses. Out:
:class:`Details`: the sender's name (From display name, else the line under the closing
greeting), party (a configured party named in the text or signature), on whose behalf the
mail was written ("namens Kamerlid Jansen", "on behalf of ..."), extra people named in the
mail (colleagues, with their address where given), and diet/access remarks as free text for
staff. Nothing here decides anything; the classifier and staff do. Every pattern runs in
linear time (:mod:`bot.linear`): a name is capitalised words with single-word particles
between them, so no text can be read in more than one way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bot import linear
from bot.inbound.parse import ParsedMail

# an address as people write one in a mail: narrower than linear.ADDRESS (which the log's
# redaction uses and which errs wide), so that "*jan@tweedekamer.nl*" or "tel|jan@..." is read
# as jan@tweedekamer.nl, not as a new person
_ADDRESS_WRITTEN = linear.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PARTY_ALIASES = {
    "gl-pvda": "GroenLinks-PvdA", "groenlinks/pvda": "GroenLinks-PvdA",
    "partij voor de dieren": "PvdD", "forum voor democratie": "FvD",
    "nieuw sociaal contract": "NSC", "boerburgerbeweging": "BBB", "cu": "ChristenUnie",
}
# A person's name: capitalised words and Dutch "tussenvoegsels" (van der, de, ...), one particle
# word at a time so that a run of them can be split only one way. Matched case-sensitively, so
# "Jansen meld ik" stops after "Jansen".
_WORD = r"[A-Z][\w'\x{2019}.-]+"
_PARTICLE = r"(?:[Vv]an|[Dd]e[nr]?|te[nr]|het|in|op|'t)"
_NAME = _WORD + r"(?:\s+(?:" + _PARTICLE + r"\s+)*" + _WORD + r"){0,3}|" + (
    r"(?:" + _PARTICLE + r"\s+)+" + _WORD)
_BEHALF = linear.compile(
    r"\b(?i:namens|voor|on behalf of)\s+(?i:het\s+|de\s+|mijn\s+)?(?i:kamerlid|tweede kamerlid|"
    r"mp|member of parliament|mevrouw|mevr\.|de heer|dhr\.|mr\.?|mrs\.?|ms\.?)\s+(" + _NAME + ")")
_BEHALF_PLAIN = linear.compile(r"\b(?i:namens|on behalf of)\s+(" + _NAME + ")")
_COLLEAGUE = linear.compile(r"\b(?i:collega|colleague|beleidsmedewerker|medewerker|assistent|"
                            r"assistant|fractiegenoo?t|fractiegenote|chief of staff)\s+("
                            + _NAME + ")")
_NOTE_WORDS = linear.compile(
    r"vegetari|veganist|vegan|allergi|allergy|glutenvrij|gluten|lactose|halal|kosher|koosjer|"
    r"dieet|diet|notenallergie|rolstoel|wheelchair|slechtziend|slechthorend|doof|gebarentolk|"
    r"toegankelijk|accessib|mindervalide|invalidenparkeer|hulphond|rollator", ignorecase=True)
_CLOSING = linear.compile(
    r"^\s*((met )?(vriendelijke|hartelijke|beste|warme) groet(en)?|groet(en)?|kind regards|"
    r"best regards|regards|met collegiale groet|hoogachtend)\b", ignorecase=True)
_NAME_LINE = linear.compile(r"^\s*(" + _NAME + r")\s*$")
_SENTENCE_BREAK = linear.compile(r"([.!?])\s+|\n+")


@dataclass(frozen=True)
class Person:
    name: str | None
    email: str | None


@dataclass(frozen=True)
class Details:
    name: str | None = None
    party: str | None = None
    on_behalf_of: str | None = None
    extra_people: tuple[Person, ...] = ()
    notes: str | None = None


def extract_details(mail: ParsedMail, *, parties: tuple[str, ...],
                    our_addresses: frozenset[str]) -> Details:
    """Read the details of ``mail``; see the module docstring."""
    body = mail.unquoted
    behalf = _BEHALF.search(mail.new_text) or _BEHALF_PLAIN.search(mail.new_text)
    return Details(
        name=_name(mail, body),
        party=find_party(body, parties),
        on_behalf_of=_clean_name(behalf.group(1)) if behalf else None,
        extra_people=_extra_people(mail, our_addresses),
        notes=_notes(mail.new_text),
    )


def find_party(text: str, parties: tuple[str, ...]) -> str | None:
    """The first configured party (or a known alias of one) named in ``text``. Short names
    (SP, CDA, D66) must be written as parties write them; longer ones in any case."""
    lowered = text.lower()
    for pattern, party, case_sensitive in _party_patterns(parties):
        if pattern.search(text if case_sensitive else lowered):
            return party
    return None


@functools.cache
def _party_patterns(parties: tuple[str, ...]) -> tuple[tuple[object, str, bool], ...]:
    """(pattern, party, case-sensitive): the name not inside a longer word or hyphenation."""
    before, letter_after, word_after = r"(?:^|[^\w-])", r"(?:$|[^\p{L}\p{N}])", r"(?:$|\W)"
    aliases = [(linear.compile(before + linear.escape(alias) + word_after), party, False)
               for alias, party in _PARTY_ALIASES.items() if party in parties]
    names = [(linear.compile(before + linear.escape(p if len(p) <= 4 else p.lower())
                             + letter_after), p, len(p) <= 4) for p in parties]
    return tuple(aliases + names)


def _name(mail: ParsedMail, body: str) -> str | None:
    if mail.sender and mail.sender.name and "@" not in mail.sender.name:
        return mail.sender.name.strip()
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if _CLOSING.match(line):
            for following in lines[i + 1:i + 3]:
                match = _NAME_LINE.match(following)
                if match:
                    return match.group(1)
    return None


def _extra_people(mail: ParsedMail, our_addresses: frozenset[str]) -> tuple[Person, ...]:
    sender = mail.sender.address if mail.sender else ""
    people: list[Person] = []
    found = _ADDRESS_WRITTEN.findall(mail.new_text)
    for address in dict.fromkeys(a.lower().rstrip(".") for a in found):
        if address != sender and address not in our_addresses:
            people.append(Person(None, address))
    for match in _COLLEAGUE.finditer(mail.new_text):
        name = _clean_name(match.group(1))
        surname = name.split()[-1].lower()
        same = [i for i, p in enumerate(people) if p.email and surname in p.email and not p.name]
        if same:
            people[same[0]] = Person(name, people[same[0]].email)  # "Piet de Vries (p.devries@)"
        else:
            people.append(Person(name, None))
    return tuple(people)


def _clean_name(name: str) -> str:
    """Drop a sentence's full stop after a name, but keep an initial's ("N.")."""
    name = " ".join(name.split())
    return name[:-1] if name.endswith(".") and len(name.split()[-1]) > 2 else name


def _notes(text: str) -> str | None:
    sentences = linear.split_keeping(_SENTENCE_BREAK, text)
    remarks = [s.strip() for s in sentences if _NOTE_WORDS.search(s)]
    return " ".join(remarks)[:500] or None
