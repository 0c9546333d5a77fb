"""What does the sender do? Sign up, cancel, ask, or nothing we know. Pure.

In: the new text of a message (no quoted history, no signature), its subject, the quoted text
below it and its language. Out: an :class:`Intent`: the kind, whether it asks something (and
the question sentences themselves, for staff), and the reasons, which name the rules that fired.

A word is not an act (../shared/research/speech-acts.md). The text is cut into sentences, and a
sentence into clauses at ";", at "maar"/"but" and before "en ik". Each clause with the words of
an act (:mod:`bot.acts`; cancelling words first, so "ik kan me helaas niet aanmelden" is a
decline) is then read for who acts and how:

- a question *about* the act ("Hoe meld ik me aan?", "Is aanmelden nog mogelijk?") or another
  question with the act's words is a question, unless it *is* the act ("Kunt u mij
  inschrijven?", "Zou u mij willen afmelden?");
- a condition or hypothesis ("als ik verhinderd ben", "stel dat ik me aanmeld", "Dan ..." after
  a question) suspends it (``conditional_act``);
- somebody else as the actor or the one signed up ("mijn collega kan niet", "Floor wil graag
  komen", "Kunnen jullie haar inschrijven?") is not the sender (``act_about_someone_else``);
- another occasion or part as the act's object ("voor de borrel", "for the roundtable") is not
  this event (``other_occasion``), nor is coming late or leaving early;
- doubt ("onder voorbehoud", "tentatively") leaves it to staff (``hedged``).

Only acts the sender performs count. After a contrast the last act outweighs a different one
before it ("ik twijfel nog, maar zet me maar op de lijst"), and a wish followed by a contrast is
a decline ("ik zou graag komen, maar ..."). One act decides the kind; both a sign-up and a
cancellation (``acts_disagree``), an act for someone else too, doubt, or only suspended acts
leave the message to staff with the reason. A one-word reply to the invitation ("Ja!", "Nee,
helaas") inherits its act from the quoted invitation. The subject counts only when the message
is not a reply and its text holds no act and no question. Questions are the sentences that ask
something staff must answer; "Kunt u dit bevestigen?" in a sign-up is answered by the
confirmation and is no question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot import acts, linear
from bot.clauses import clauses, other_occasion, sentences

SIGN_UP, CANCEL = "registration", "cancellation"
SUSPENDED = ("conditional_act", "act_about_someone_else", "on_behalf_of", "hedged")
_REPLY_PREFIX = linear.compile(r"^\s*(re|antw|aw|sv|fw|fwd|doorst)\s*:", ignorecase=True)
_OWN = linear.compile(r"\b(?:me|mij|mezelf|myself|ik (?:kom|ben|kan))\b", ignorecase=True)
_FIRST_PERSON = linear.compile(r"\b(?:ik|wij|we|me|mij|mezelf|i|myself|us)\b",
                               ignorecase=True)


@dataclass(frozen=True)
class Intent:
    kind: str            # "registration", "cancellation", "question" or "other"
    has_question: bool
    confidence: float
    reasons: tuple[str, ...]
    questions: tuple[str, ...] = ()   # the sentences that ask staff something
    review: tuple[str, ...] = ()      # why staff must decide instead of the bot


@dataclass(frozen=True)
class Clause:
    """One clause read: the act its words name, and how the sender stands to it."""

    text: str
    act: str | None = None          # SIGN_UP or CANCEL: the words of an act occur
    reading: str | None = None      # None: performed (if act); else why it is not
    asks: bool = False              # a question staff must answer
    notes: tuple[str, ...] = ()     # rule names for the reasons


def read_intent(new_text: str, subject: str, *, quoted: str = "",
                language: str = "nl") -> Intent:
    """Decide what the sender does; see the module docstring."""
    clauses: list[Clause] = []
    after_question = False
    for sentence in sentences(new_text):
        clauses += read_sentence(sentence, language, after_question=after_question)
        after_question = sentence.endswith("?")
    performed = [c.act for c in clauses if c.act and c.reading is None]
    if any(c.act and c.reading != "question_about_act" for c in clauses):
        # an act (or one for staff): "kunt u dat bevestigen?" is answered by confirming it
        clauses = [replace(c, asks=False) if "confirmation_asked" in c.notes else c
                   for c in clauses]
    questions = tuple(dict.fromkeys(c.text for c in clauses if c.asks))
    reasons = [n for c in clauses for n in c.notes if n != "hedge_words"]
    if acts.BEHALF.search(new_text):  # "Namens mevrouw X ...": her acts, by the sender
        clauses = [replace(c, reading="on_behalf_of", notes=(*c.notes, "on_behalf_of"))
                   if c.act and (c.reading == "act_about_someone_else" or (
                       c.reading is None and not _OWN.search(c.text))) else c
                   for c in clauses]
        performed = [c.act for c in clauses if c.act and c.reading is None]
    if acts.DEFER.search(new_text):  # "ik meld me graag aan, maar eerst een vraag: ..."
        clauses = [replace(c, reading="conditional_act", notes=(*c.notes, "conditional_act"))
                   if c.act == SIGN_UP and c.reading is None else c for c in clauses]
        performed = [c.act for c in clauses if c.act and c.reading is None]
    review: list[str] = []
    kind = _decide(performed, clauses, reasons, review)
    if performed and acts.CORRECTION.search(new_text):  # "please ignore my last mail"
        reasons.append("corrected")
        review.append("corrected")
    said = _from_subject(subject, [])
    if performed and said and said != kind:  # subject "Afmelding", text "ik ben erbij"
        reasons.append("subject_disagrees")
        review.append("subject_disagrees")
    if kind is None:
        kind = _reply_to_invitation(new_text, quoted, reasons)
    if not new_text.strip() and subject.endswith("?") and not _REPLY_PREFIX.search(subject):
        questions = (subject.strip(),)  # the question is the subject ("Is er een livestream?")
        reasons.append("question_subject")
    if kind is None and not questions:
        kind = _from_subject(subject, reasons)
    if kind is None:
        kind = "question" if questions else "other"
        if kind == "other" and not reasons:
            reasons.append("no_intent_found")
    if questions and "question_subject" not in reasons:
        reasons.append("question_mark" if any(q.endswith("?") for q in questions)
                       else "question_words")
        if kind in (SIGN_UP, CANCEL):
            reasons.append("also_asks_question")
    confidence = 0.4 if kind == "other" else 0.9 if not review else 0.6
    return Intent(kind, bool(questions), confidence, tuple(dict.fromkeys(reasons)),
                  questions, tuple(dict.fromkeys(review)))


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
    performed = [c.act for c in read if c.act and c.reading is None]
    if len(set(performed)) > 1:
        return [replace(c, reading="outweighed", notes=(*c.notes, "outweighed_by_contrast"))
                if c.act and c.reading is None and c.act != performed[-1] else c for c in read]
    if len(read) > 1 and performed == [SIGN_UP] and read[0].act == SIGN_UP and \
            acts.WISH.search(read[0].text) and not any(c.act or c.notes for c in read[1:]):
        return [replace(read[0], act=CANCEL, notes=("cancellation_words", "wish_declined")),
                *read[1:]]  # "ik zou graag komen, maar op 25 november ..."
    if performed:
        return [replace(c, notes=tuple(n for n in c.notes if n != "hedge_words"))
                for c in read]
    return read


def read_clause(text: str, language: str, *, in_question: bool = False,
                after_question: bool = False) -> Clause:
    """Read one clause: which act its words name, and whether the sender performs it."""
    asks = text.endswith("?") or in_question or bool(acts.QUESTION_WORDS.search(text))
    hedge = ("hedge_words",) if acts.HEDGE.search(text) else ()
    if asks and acts.CONFIRM_REQUEST.search(text):
        return Clause(text, None, None, True, ("confirmation_asked",))
    seat = acts.SEAT_FOR_SOMEONE_ELSE.search(text) and acts.OTHERS.search(text)
    if seat and not asks and not acts.CANCEL.search(text):  # "Tim wil mijn plek overnemen"
        return Clause(text, SIGN_UP, "act_about_someone_else", False, ("act_about_someone_else",))
    if not seat and acts.SEAT_FOR_SOMEONE_ELSE.search(text) and not acts.CANCEL.search(text):
        return Clause(text, None, None, asks, hedge)  # "... zodat iemand anders mijn plek krijgt"
    found = acts.CANCEL.search(text) or acts.SIGN_UP.search(text)
    if found is not None and acts.NOT_CANCELLING.search(text) and not acts.SIGN_UP.search(text):
        return Clause(text, None, None, asks, ("not_cancelling", *hedge))
    if found is None:  # no act here, but perhaps "ik kom wat later", "I have to leave early"
        return Clause(text, None, None, asks, ("other_occasion",) * (not asks and _leaves(
            text)) + hedge)
    act = CANCEL if acts.CANCEL.search(text) else SIGN_UP
    word = "cancellation_words" if act == CANCEL else "registration_words"
    condition = acts.CONDITION.search(text) or (after_question and
                                                acts.AFTER_A_QUESTION.search(text))
    request = acts.REQUEST.search(text) if asks else None
    if request and not acts.ABOUT.search(text) and not condition:
        asks = False  # the question is the act itself: "Kunt u mij inschrijven?"
        found = request
    elif asks:
        return Clause(text, act, "question_about_act", True, ("question_about_act",))
    if other_occasion(text, language, found.start()):
        return Clause(text, act, "other_occasion", False, ("other_occasion",))
    if condition:
        return Clause(text, act, "conditional_act", False, (word, "conditional_act"))
    if acts.OTHERS.search(found.group(0) if request is None else text):  # for someone else:
        return Clause(text, act, "on_behalf_of", False,
                      (word, *("request",) * (request is not None), "on_behalf_of"))
    if _someone_else(text):  # somebody else acts: "mijn collega kan niet"
        if acts.FORMAL.search(text):  # "de heer Vos is verhinderd": staff write for their MP
            return Clause(text, act, "on_behalf_of", False, (word, "on_behalf_of"))
        return Clause(text, act, "act_about_someone_else", False, ("act_about_someone_else",))
    if hedge:
        return Clause(text, act, "hedged", False, (word, "hedged"))
    return Clause(text, act, None, False, (word, *("request",) * (request is not None)))


def _decide(performed: list[str], clauses: list[Clause], reasons: list[str],
            review: list[str]) -> str | None:
    """The kind from the acts performed; the reasons staff must decide go to ``review``."""
    suspended = [c for c in clauses if c.act and c.reading in SUSPENDED]
    if performed:
        named_too = [c for c in clauses if c.act == SIGN_UP and c.reading is None
                     and acts.OTHERS.search(c.text)]
        if named_too:  # "graag meld ik mij aan, en ook mijn fractiegenoot"
            reasons.append("also_for_someone_else")
            review.append("also_for_someone_else")
        if len(set(performed)) > 1:
            reasons.append("acts_disagree")
            review.append("acts_disagree")
        review.extend(c.reading for c in suspended if c.reading == "on_behalf_of" or (
            c.reading == "act_about_someone_else" and c.act == SIGN_UP))  # a seat for them?
        if any("hedge_words" in c.notes for c in clauses):
            reasons.append("hedged")
            review.append("hedged")
        if performed[-1] == SIGN_UP and any("other_occasion" in c.notes for c in clauses):
            review.append("other_occasion")  # "ik kom, maar moet om 20.45 weg": staff note it
            if any(c.act == SIGN_UP and acts.REAFFIRM.search(c.text) for c in clauses):
                return "other"  # "Still coming, but I'll leave early": nothing to sign up
        return performed[-1]
    deferred = any("hedge_words" in c.notes for c in clauses)  # "ik laat het nog weten"
    asks = any(c.asks for c in clauses)  # a condition may hang on the answer: then a question
    own = [c.act for c in suspended if c.reading in ("on_behalf_of", "hedged") or (
        c.reading == "conditional_act" and c.act == SIGN_UP and not deferred and not asks)]
    if own or (suspended and not asks):
        review.extend(c.reading for c in suspended)
        # a condition on cancelling, or put off, or someone else's own act: nothing to do
        return own[-1] if own else "other"
    if any("other_occasion" in c.notes for c in clauses):
        return "other" if not any(c.asks for c in clauses) else None
    return None


def _reply_to_invitation(new_text: str, quoted: str, reasons: list[str]) -> str | None:
    """"Ja!" or "Nee, helaas" (perhaps with a name under it) as the whole answer to a quoted
    invitation."""
    said = sentences(new_text)
    if not said or not quoted or not acts.INVITATION.search(quoted) or \
            len(" ".join(said[1:]).split()) > 10:
        return None
    return _first((acts.YES, "yes_to_invitation", SIGN_UP),
                  (acts.NO, "no_to_invitation", CANCEL), text=said[0], reasons=reasons)


def _from_subject(subject: str, reasons: list[str]) -> str | None:
    """A subject such as "Aanmelding masterclass", when the text says nothing itself (a
    reply's subject is the one it answers, so it counts for nothing)."""
    if _REPLY_PREFIX.search(subject):
        return None
    return _first((acts.SUBJECT_CANCEL, "cancellation_subject", CANCEL),
                  (acts.SUBJECT_SIGN_UP, "registration_subject", SIGN_UP),
                  text=subject, reasons=reasons)


def _first(*tables, text: str, reasons: list[str]) -> str | None:
    """The kind of the first (pattern, reason, kind) whose pattern is found in ``text``."""
    for pattern, reason, kind in tables:
        if pattern.search(text):
            reasons.append(reason)
            return kind
    return None


def _someone_else(text: str) -> bool:
    """Somebody else is the subject while the sender is not ("mijn collega kan niet", "Floor
    Lammers wil graag komen")."""
    return bool(acts.OTHERS.search(text) or acts.NAMED_SUBJECT.search(text)) and \
        not _FIRST_PERSON.search(text)


def _leaves(text: str) -> bool:
    """Words of leaving early or coming late ("ik moet eerder weg", "ik kom wat later")."""
    return bool(acts.TIMING.search(text))
