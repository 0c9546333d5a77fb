"""One clause read: which act its words name, and how the sender stands to it. Pure.

In: a sentence (or one clause of it) of a message's new text and the message's language. Out:
:class:`Clause` values, each with the :class:`Act` its words name (:mod:`bot.acts`) and a
:class:`Reading`: whether the sender performs it, for themselves, for this event, or why not
(:mod:`bot.cues`). :mod:`bot.intent` decides the message from the clauses.

- ``PERFORMED``: the sender does it; a request phrased as a question is the act ("Kunt u mij
  inschrijven?", "Zou u mij willen afmelden?");
- ``QUESTION_ABOUT_ACT``: a question about it ("Hoe meld ik me aan?", "Is aanmelden nog
  mogelijk?") or another question with the act's words;
- ``OTHER_OCCASION``: another occasion or part is the act's object ("voor de borrel", "attend
  the technical briefing"); coming late or leaving early is no act but a note for staff
  (``LATE_OR_EARLY``), also on a sign-up that stands ("ik kom, maar pas om acht uur");
- ``CONDITIONAL``: a condition or hypothesis ("als ik verhinderd ben", "Should the debate run
  over, ...", "Dan ..." after a question);
- ``ON_BEHALF``: the sender acts for somebody else ("Kunt u haar inschrijven?");
- ``SOMEONE_ELSE``: somebody else acts ("mijn collega kan niet", "Helaas kan Pieter niet");
- ``HEDGED``: doubt ("onder voorbehoud", "tentatively");
- ``OUTWEIGHED``: after a contrast ("maar", "but") the last act counts, and an act of the
  other kind before it is outweighed ("ik meld me af, maar toch kom ik graag").

:func:`read_sentence` reads two more contrasts: doubt before the act no longer counts
("misschien lukt het niet, maar zet me maar op de lijst"; doubt after it does), and a wish
followed by a contrast is a decline ("ik zou graag komen, maar ...": a ``CANCEL``) or, with a
question after it, waits for the answer (``CONDITIONAL``: "..., maar is er parkeerplek?").
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from bot import acts, cues, linear
from bot.clauses import clauses, other_occasion


class Act(enum.StrEnum):
    SIGN_UP = "registration"
    CANCEL = "cancellation"


class Reading(enum.StrEnum):
    """How the sender stands to the act a clause names; the values are reason names."""

    PERFORMED = "performed"
    QUESTION_ABOUT_ACT = "question_about_act"
    OTHER_OCCASION = "other_occasion"
    CONDITIONAL = "conditional_act"
    ON_BEHALF = "on_behalf_of"
    SOMEONE_ELSE = "act_about_someone_else"
    HEDGED = "hedged"
    OUTWEIGHED = "outweighed_by_contrast"


LATE_OR_EARLY = "late_or_early"  # the note on a clause about coming late or leaving early
SUSPENDED = (Reading.CONDITIONAL, Reading.SOMEONE_ELSE, Reading.ON_BEHALF, Reading.HEDGED)
_PRONOUN = linear.compile(r"\b(?:zij|hij|ze|she|he|him|her|hem|haar)\b", ignorecase=True)
_EMPHASIS = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")  # "nog níet": stress, not spelling
_FIRST_PERSON = linear.compile(r"\b(?:ik|wij|we|me|mij|mezelf|i|myself|us)\b",
                               ignorecase=True)


@dataclass(frozen=True)
class Clause:
    """One clause read: the act its words name, and how the sender stands to it."""

    text: str
    act: Act | None = None          # the words of an act occur
    reading: Reading | None = None  # how the sender stands to ``act`` (None: no act)
    asks: bool = False              # a question staff must answer
    hedged: bool = False            # words of doubt ("misschien", "I'll let you know")
    notes: tuple[str, ...] = ()     # rule names for the reasons

    def performed(self) -> bool:
        return self.reading is Reading.PERFORMED

    def suspended_as(self, reading: Reading) -> Clause:
        return replace(self, reading=reading, notes=(*self.notes, reading.value))


def read_sentence(sentence: str, language: str, *, after_question: bool = False
                  ) -> list[Clause]:
    """The clauses of a sentence, read. A question mark belongs to the last clause; after a
    contrast the last act performed outweighs a different one before it, a wish becomes a
    decline, and doubt before it no longer counts."""
    parts, contrast = clauses(sentence)
    read = [read_clause(part, language, in_question=i == len(parts) - 1 and sentence.endswith(
        "?"), after_question=after_question and i == 0) for i, part in enumerate(parts)]
    if not contrast:
        return read
    performed = [c.act for c in read if c.performed()]
    if len(set(performed)) > 1:
        return [c.suspended_as(Reading.OUTWEIGHED) if c.performed() and c.act != performed[-1]
                else c for c in read]
    wish = len(read) > 1 and performed == [Act.SIGN_UP] and read[0].act is Act.SIGN_UP and \
        acts.WISH.search(read[0].text)
    if wish and any(c.asks for c in read[1:]):  # "ik zou graag komen, maar is er parkeerplek?"
        return [read[0].suspended_as(Reading.CONDITIONAL), *read[1:]]
    if wish and not any(c.act or c.notes or c.hedged for c in read[1:]):
        return [replace(read[0], act=Act.CANCEL, notes=("cancellation_words", "wish_declined")),
                *read[1:]]  # "ik zou graag komen, maar op 25 november ..."
    if performed:  # "ik twijfel nog, maar zet me op de lijst"; doubt after the act still counts
        last = max(i for i, c in enumerate(read) if c.performed())
        return [replace(c, hedged=False) if i < last else c for i, c in enumerate(read)]
    return read


def read_clause(text: str, language: str, *, in_question: bool = False,
                after_question: bool = False) -> Clause:
    """Read one clause: which act its words name, and whether the sender performs it. The
    rules run in this order; the first that applies decides. Quoted words and a noun ("het
    aanmelden") are nobody's act, so they are left out first."""
    asks = (text.endswith("?") or in_question or bool(cues.QUESTION_WORDS.search(text))) and \
        not cues.RHETORICAL.search(text)
    hedged = cues.HEDGE.search(text) and not (  # "I might be late", unless it cancels:
        cues.HEDGE_NOT_ABOUT_THE_ACT.search(text) and not acts.CANCEL.search(text))  # "I might
    # have to cancel, I'll probably be late" stays in doubt
    plain = Clause(text, asks=asks, hedged=bool(hedged))
    text = cues.NOT_MINE.sub(" ... ", text.translate(_EMPHASIS))
    if cues.PAST.search(text):  # "vorige keer was ik verhinderd", "my train was cancelled"
        return replace(plain, notes=(LATE_OR_EARLY,) * bool(
            not asks and cues.TIMING.search(text)))
    if asks and acts.CONFIRM_REQUEST.search(text):  # "Kunt u mijn aanmelding bevestigen?"
        return replace(plain, notes=("confirmation_asked",))
    if cues.NOT_CANCELLING.search(text):  # "ik meld me niet af hoor, ik kom gewoon"
        return replace(plain, notes=("not_cancelling",))
    if cues.NOT_SIGNING_UP.search(text):  # "wilt u mij nog niet op de lijst zetten?"
        return replace(plain, asks=False, notes=("not_signing_up",))
    if acts.SEAT_FOR_SOMEONE_ELSE.search(text) and not acts.CANCEL.search(text):
        if cues.OTHERS.search(text) or _PRONOUN.search(text):  # "Tim neemt mijn plek over",
            return replace(plain, act=Act.SIGN_UP, reading=Reading.SOMEONE_ELSE,  # "give my
                           notes=("act_about_someone_else",))  # seat to Sam": their sign-up
        return plain  # "... zodat iemand anders mijn plek krijgt"
    words = _act_words(text)
    request = _request(text) if asks else None
    late = not asks and cues.TIMING.search(text)  # "ik kom wat later", "schuif om 20.15 aan"
    if words is None and request is None:
        return replace(plain, notes=(LATE_OR_EARLY,) * bool(late))
    condition = cues.CONDITION.search(text) or (after_question and
                                                cues.AFTER_A_QUESTION.search(text))
    if request and not cues.ABOUT.search(text) and not condition:
        (act, found), how = request, ("request",)  # the question is the act itself
    elif asks:
        return replace(plain, act=(words or request)[0], reading=Reading.QUESTION_ABOUT_ACT,
                       notes=("question_about_act",))
    else:
        (act, found), how = words, ()
    act_words = "cancellation_words" if act is Act.CANCEL else "registration_words"
    clause = replace(plain, act=act, asks=False, notes=(act_words, *how))
    if other_occasion(text, language, found.start()) or (
            act is Act.CANCEL and cues.TIMING.search(text)):  # "but I won't make it before 8"
        return replace(clause, reading=Reading.OTHER_OCCASION, notes=("other_occasion",))
    if condition and act is Act.SIGN_UP and (clause.hedged or cues.SEAT_LEFT.search(text)):
        # "onder voorbehoud: als er gestemd wordt ...", "als er nog plek is": the sender's
        # own sign-up, which staff confirm
        return replace(clause.suspended_as(Reading.HEDGED), notes=(
            *clause.notes, "hedged" if clause.hedged else "if_seat_left"))
    if condition:
        return clause.suspended_as(Reading.CONDITIONAL)
    if late:  # a sign-up all the same: the reasons note the time for staff
        clause = replace(clause, notes=(*clause.notes, LATE_OR_EARLY))
    if cues.OTHERS.search(found.group(0) if not how else text):  # "meld ik mevrouw X aan"
        return clause.suspended_as(Reading.ON_BEHALF)
    if _someone_else(text):  # somebody else acts: "mijn collega kan niet"
        if cues.FORMAL.search(text):  # "de heer Vos is verhinderd": staff write for their MP
            return clause.suspended_as(Reading.ON_BEHALF)
        return replace(clause, reading=Reading.SOMEONE_ELSE, notes=("act_about_someone_else",))
    if clause.hedged:
        return clause.suspended_as(Reading.HEDGED)
    return replace(clause, reading=Reading.PERFORMED)


def _act_words(text: str):
    """(act, match) for the words of an act in ``text``, cancelling first; else None."""
    for act, table in ((Act.CANCEL, acts.CANCEL), (Act.SIGN_UP, acts.SIGN_UP)):
        found = table.search(text)
        if found:
            return act, found
    return None


def _request(text: str):
    """(act, match) for a question that is the act ("Kunt u mij inschrijven?"); else None."""
    for act, table in ((Act.CANCEL, acts.ASK_CANCEL), (Act.SIGN_UP, acts.ASK_SIGN_UP)):
        found = table.search(text)
        if found:
            return act, found
    return None


def _someone_else(text: str) -> bool:
    """Somebody else is the subject while the sender is not ("mijn collega kan niet", "Floor
    Lammers wil graag komen")."""
    return bool(cues.OTHERS.search(text) or cues.NAMED_SUBJECT.search(text)) and \
        not _FIRST_PERSON.search(text)
