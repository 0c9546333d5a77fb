"""Mail text cut into sentences and clauses, and the words in them. Pure.

In: the new text of a message, or one sentence of it. Out: its sentences (lines joined first:
mail wraps at about 72 characters; a full stop after an initial or a title such as "W." or
"dhr." ends none; an emoji does), or a sentence's clauses: cut at ";", at a contrast ("..., maar
...", "... but ...") and before a new subject ("... en ik meld me af"), with whether a contrast
cut it. Words come with their lemma (simplemma: "borrels" is "borrel"), and a clause says which
occasion its act is for; and which days a text names. :mod:`bot.judge.reading` reads each clause for
what the sender does.
"""

from __future__ import annotations

import simplemma

from bot import linear
from bot.judge import cues
from bot.judge.events import MONTHS_EN, MONTHS_NL

_SENTENCE_END = linear.compile(r"([.!?\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}])\s+|\n\s*\n")
_PARAGRAPH = linear.compile(r"\n\s*\n")
_WORD = linear.compile(r"[\w-]+")
_ABBREVIATION = linear.compile(
    r"(?:^|\s)(?:(?:[A-Z]\.)*[A-Z]|dhr|mevr|mr|mrs|ms|dr|drs|ir|prof|bijv|o\.a|m\.b\.t|"
    r"i\.v\.m|t\.a\.v|z\.s\.m|vs|etc|jl)\.$")


def sentences(text: str) -> list[str]:
    """Sentences of ``text``: mail wraps lines at ~72 characters, so lines are joined first;
    a full stop after an initial or a title ("W.", "dhr.") ends no sentence."""
    paragraphs = _PARAGRAPH.split(text)
    joined = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    found: list[list[str]] = []
    for piece in linear.split_keeping(_SENTENCE_END, joined):
        last = found[-1][-1] if found else ""  # the piece before: searching the whole sentence
        if found and (_ABBREVIATION.search(last) or (  # again would take quadratic time
                last.endswith("..") and piece[:1].islower())):  # "dinsdag.. eh woensdag"
            found[-1].append(piece)
        else:
            found.append([piece])
    return [s for s in (" ".join(pieces).strip() for pieces in found) if s]


def clauses(sentence: str) -> tuple[list[str], bool]:
    """A sentence cut into clauses (:data:`bot.judge.cues.CLAUSE_END`), and whether a contrast cut
    it; a cut before a new subject keeps the subject ("... en ik meld me af")."""
    parts, start, contrast = [], 0, False
    for match in cues.CLAUSE_END.finditer(sentence):
        contrast = contrast or match.group(1) is not None or match.group(2) is not None
        parts.append(sentence[start:match.start()])
        start = match.start(3) if match.group(3) is not None else match.end()
    parts.append(sentence[start:])
    return [p.strip(" ,;:") for p in parts if p.strip(" ,;:")], contrast


def other_occasion(text: str, language: str, act_start: int) -> bool:
    """The act is for another occasion: the first occasion named after the act (else before
    it) is not this event ("afmelden voor het rondetafelgesprek", "from the newsletter",
    "attend the technical briefing")."""
    reason = cues.BECAUSE.search(text, act_start)
    text = text[:reason.start()] if reason else text
    if any(occasion(m.group(1).lower(), language) in cues.OTHER_OCCASIONS or
           m.group(1).lower() in ("vraag", "verzoek")
           for m in cues.OBJECT_BEFORE.finditer(text)):  # "mijn dieetwens annuleren"
        return True
    named = [(m.start(), _first_occasion(text[m.end():m.end() + 80], language))
             for m in cues.OCCASION_OBJECT.finditer(text)]
    named = [(at, word) for at, word in named if word]
    after = [word for at, word in named if at >= act_start]
    first = (after or [word for _, word in named] or [None])[0]
    return first in cues.OTHER_OCCASIONS


def names_other_occasion(text: str, language: str, *, or_this_event: bool = False) -> bool:
    """``text`` names another occasion ("jullie nieuwsbrief") and not this event (or also
    this one: "die avond is er een begrotingsdebat")."""
    named = [occasion(w, language) for w in _WORD.findall(text.lower())]
    return any(w in cues.OTHER_OCCASIONS for w in named) and (
        or_this_event or not any(w in cues.THIS_EVENT for w in named))


def _first_occasion(following: str, language: str) -> str | None:
    """The first of the next four words ("the technical briefing on") that names an occasion
    we know."""
    words = _WORD.findall(following.lower())[:4]
    return next(filter(None, (occasion(w, language) for w in words)), None)


def occasion(word: str, language: str) -> str | None:
    """``word`` (or its lemma: "borrels") as an occasion we know, else None; a compound counts
    as its last part ("commissiedebat" is a "debat", "expertmeeting" a "meeting")."""
    for form in (word, lemma(word, language), lemma(word, "en" if language == "nl" else "nl")):
        if form in cues.OTHER_OCCASIONS or form in cues.THIS_EVENT:
            return form
    return next((known for known in cues.OTHER_OCCASIONS
                 if len(word) > len(known) + 2 and word.endswith(known)), None)


_MONTHS = (*MONTHS_NL, *MONTHS_EN)
_DAY_MONTH = linear.compile(
    rf"\b(\d{{1,2}})(?:e|ste|de|st|nd|rd|th)? ({'|'.join(_MONTHS)})\b|"
    rf"\b({'|'.join(_MONTHS[12:])}) (\d{{1,2}})(?:st|nd|rd|th)?\b|"
    r"(?:^|[^\d/.-])(\d{1,2})[-/](\d{1,2})(?:$|[^\d/.-])", ignorecase=True)


def days_named(text: str) -> set[tuple[int, int]]:
    """The days ``text`` names, as (month, day): "25 november", "November 25th", "25/11"."""
    named = set()
    for m in _DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (
            (m.group(4), m.group(3)) if m.group(3) else (m.group(5), m.group(6)))
        number = int(month) if month.isdigit() else 1 + _MONTHS.index(month.lower()) % 12
        if 1 <= number <= 12 and 1 <= int(day) <= 31:
            named.add((number, int(day)))
    return named


def warm_up() -> None:
    """Load simplemma's Dutch and English dictionaries now (about half a second), not inside
    the first message's time budget."""
    for language in ("nl", "en"):
        lemma("borrels", language)


def lemma(word: str, language: str) -> str:
    """The dictionary form of ``word`` (``borrels`` → ``borrel``), by simplemma."""
    return simplemma.lemmatize(word, lang=language if language in ("nl", "en") else "nl")
