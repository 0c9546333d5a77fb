"""One clause read: which act its words name, and how the sender stands to it. Pure.

In: a sentence (or one clause of it) of a message's new text and the message's language. Out:
:class:`Clause` values, each with the :class:`Act` its words name (:mod:`bot.judge.acts`) and a
:class:`Reading`: whether the sender performs it, for themselves, for this event, or why not
(:mod:`bot.judge.cues`). :mod:`bot.judge.intent` decides the message from the clauses.

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
- ``NEGATED``: a sign-up denied ("ik meld me niet aan", "I don't think I'll be there");
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

from bot import linear
from bot.judge import acts, cues
from bot.judge.clauses import clauses, names_other_occasion, other_occasion


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
    NEGATED = "negated"
    OUTWEIGHED = "outweighed_by_contrast"


LATE_OR_EARLY = "late_or_early"  # the note on a clause about coming late or leaving early
SUSPENDED = (Reading.CONDITIONAL, Reading.SOMEONE_ELSE, Reading.ON_BEHALF, Reading.HEDGED,
             Reading.NEGATED)
_PRONOUN = linear.compile(r"\b(?:zij|hij|ze|she|he|him|her|hem|haar)\b", ignorecase=True)
_EMPHASIS = str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")  # "nog níet": stress, not spelling
# a name at the start of a clause, then its verb: "Femke komt graag", "Sarah can't make it"
_NAME_THEN_VERB = linear.compile(
    r"^((?:[A-Z][\w'-]+|van|de|der|den|ter|ten|te|la|le) ){1,5}(?:komt|kan|is|wil|zal|moet|"
    r"heeft|gaat|zou|can't|cannot|can|will|won't|would|has|isn't|wants|needs|must)\b ?(\w*)")
_NOT_A_NAME = frozenset((
    "helaas graag misschien wellicht ook dan daarom toch dus ja nee maar en hierbij zeker "
    "natuurlijk bovendien verder echter gelukkig hopelijk sadly unfortunately also then so "
    "still alas yes no but and certainly regrettably hopefully luckily fortunately ik i we wij "
    "het dat dit er de die deze daar hier wat wie welke mijn onze uw je jij u zij hij ze it "
    "this that there what who which my our your you she he they"
).split())
_LAST_PART = linear.compile(r"[,:;]")
_TWO_CAPITALS = linear.compile(r"\b[A-Z][\w'-]+ (?:(?:van|de|der|den|ter|ten) )*[A-Z][\w'-]+")
_NOT_PEOPLE = frozenset((
    "masterclass kinderrechten nieuwspoort den haag tweede kamer lange poten ik i children's "
    "rights collective kinderrechtencollectief maandag dinsdag woensdag donderdag vrijdag "
    "monday tuesday wednesday thursday friday november december"
).split())
_REFLEXIVE = linear.compile(r"\b(?:me|mij|mezelf|myself|ons|onszelf|us|ourselves)\b",
                            ignorecase=True)
NEGATION_WORDS = 5  # how far before the act a negation still denies it
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
    contrast = contrast or any(cues.BUT_NO.search(p) for p in parts[1:])  # "...; helaas ..."
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
    rest = " ".join(c.text for c in read[1:])
    if wish and not any(c.act or c.notes or c.hedged for c in read[1:]):
        return [declined_wish(read[0], rest), *read[1:]]
    if performed == [Act.SIGN_UP] and read[0].performed() and not any(c.act for c in read[1:]) \
            and names_other_occasion(rest, language, or_this_event=True):  # "Ik ben graag
        # aanwezig, maar die avond is er een begrotingsdebat"
        return [read[0].suspended_as(Reading.CONDITIONAL), *read[1:]]
    if performed:  # "ik twijfel nog, maar zet me op de lijst"; doubt after the act still counts
        last = max(i for i, c in enumerate(read) if c.performed())
        if any(c.hedged for c in read[:last]):
            read[last] = replace(read[last], notes=(*read[last].notes, "doubt_overruled"))
        return [replace(c, hedged=False) if i < last else c for i, c in enumerate(read)]
    return read


def declined_wish(wish: Clause, rest: str) -> Clause:
    """A wish ("ik zou graag komen") followed by a contrast (``rest``): a decline ("..., maar
    op 25 november zit ik in Brussel"), unless the contrast limits the yes ("..., maar dan
    online", "but only for the first hour"): then staff decide."""
    if cues.LIMITS.search(rest) or cues.TIMING.search(rest) or cues.OTHERS.search(rest) or \
            cues.ONLINE.search(rest) or rest.endswith("?"):
        return wish.suspended_as(Reading.CONDITIONAL)
    return replace(wish, act=Act.CANCEL, notes=("cancellation_words", "wish_declined"))


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
    if cues.TROUBLE.search(text) and (_act_words(text) or _request(text)):  # "aanmelden via
        return replace(plain, asks=True, notes=("sign_up_trouble",))  # de website lukt niet"
    if acts.SEAT_FOR_SOMEONE_ELSE.search(text) and not acts.CANCEL.search(text):
        if cues.OTHERS.search(text) or _PRONOUN.search(text):  # "Tim neemt mijn plek over",
            return replace(plain, act=Act.SIGN_UP, reading=Reading.SOMEONE_ELSE,  # "give my
                           notes=("act_about_someone_else",))  # seat to Sam": their sign-up
        return plain  # "... zodat iemand anders mijn plek krijgt"
    words = _act_words(text)
    request = _request(text) if asks else None
    late = not asks and cues.TIMING.search(text)  # "ik kom wat later", "alleen het eerste uur"
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
    if other_occasion(text, language, found.start()) or cues.NEXT_TIME.search(text) or \
            cues.ONLINE.search(text) or (act is Act.CANCEL and cues.TIMING.search(text)):
        # "afmelden voor de borrel", "sign me up for the next one", "I'll join online", "but
        # I won't make it before 8"
        return replace(clause, reading=Reading.OTHER_OCCASION, notes=("other_occasion",))
    if act is Act.SIGN_UP and not how and _negated(text, found):  # "ik meld me niet aan",
        return clause.suspended_as(Reading.NEGATED)                   # "I doubt I'll attend"
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
    if _someone_else(text) or (act is Act.CANCEL and _other_is_nearer(text, found.start())):
        # somebody else acts: "mijn collega kan niet", "ik vervang mijn collega, die verhinderd
        # is"
        if cues.FORMAL.search(text):  # "de heer Vos is verhinderd": staff write for their MP
            return clause.suspended_as(Reading.ON_BEHALF)
        return replace(clause, reading=Reading.SOMEONE_ELSE, notes=("act_about_someone_else",))
    if act is Act.SIGN_UP and _names_a_person(text):  # "Kunt u Sanne van Dijk inschrijven?",
        return clause.suspended_as(Reading.ON_BEHALF)  # "Please sign up Tom Bakker"
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
    Lammers wil graag komen"), or a name starts the clause ("Femke komt graag")."""
    return (bool(cues.OTHERS.search(text) or cues.NAMED_SUBJECT.search(text)) and
            not _FIRST_PERSON.search(text)) or _named_first(text)


def _negated(text: str, found) -> bool:
    """A negation in the act's words or just before them, within the same part of the clause
    ("reken niet op mij", "I don't think I'll be there"; not "mijn mail doet het niet: ik meld
    me aan"), that is no yes in disguise ("niet te missen")."""
    before = _LAST_PART.split(text[:found.start()])[-1].split()[-NEGATION_WORDS:]
    near = " ".join([*before, found.group(0)])
    return bool(cues.NEGATION.search(near)) and not cues.NOT_NEGATED.search(text)


def _names_a_person(text: str) -> bool:
    """After its first word, the clause names a person ("Jan Peters", "Kamerlid Jansen") and
    the sender is not the one signed up (no "me", "mij", "myself")."""
    names = [m.group(0) for m in _TWO_CAPITALS.finditer(text, 1)]
    return any(not set(n.lower().split()) & _NOT_PEOPLE for n in names) and \
        not _REFLEXIVE.search(text)


def _named_first(text: str) -> bool:
    """The clause starts with a name and its verb, and the sender is not the subject after
    it ("Laura kan helaas niet komen", but not "Helaas kan ik niet komen")."""
    found = _NAME_THEN_VERB.search(text)
    return bool(found) and text.split(" ", 1)[0].lower() not in _NOT_A_NAME and \
        found.group(2).lower() not in ("ik", "i", "we", "wij")


def _other_is_nearer(text: str, act_start: int) -> bool:
    """Before the act, somebody else is named after the sender last was: "Ik vervang mijn
    collega, die helaas verhinderd is", "My guest can no longer come"."""
    before = text[:act_start]
    other = [m.start() for m in cues.OTHERS.finditer(before)] + [
        m.start() for m in _PRONOUN.finditer(before)]
    me = [m.start() for m in _FIRST_PERSON.finditer(before)]
    return bool(other) and (not me or other[-1] > me[-1])
