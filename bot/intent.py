"""What does the sender do? Sign up, cancel, ask, or nothing we know. Pure.

In: the new text of a message (no quoted history, no signature), its subject, the quoted text
below it and its language. Out: an :class:`Intent`: the kind, whether it asks something (and
the question sentences themselves, for staff), and the reasons, which name the rules that fired.

A word is not an act (../shared/research/speech-acts.md). The text is cut into sentences, and a
sentence into clauses at "maar"/"but" (the clause after it usually carries the real act: "ik
twijfel nog, maar zet me maar op de lijst" is a sign-up). Each clause with the words of an act
(:mod:`bot.acts`; cancelling words first, so "ik kan me helaas niet aanmelden" is a decline) is
then read for who acts and how:

- a question *about* the act ("Hoe meld ik me aan?", "Is aanmelden nog mogelijk?") or another
  question with the act's words is a question, unless it *is* the act ("Kunt u mij
  inschrijven?", "Zou u mij willen afmelden?");
- a condition or hypothesis ("als ik verhinderd ben", "stel dat ik me aanmeld") suspends it
  (``conditional_act``);
- somebody else as the actor ("mijn collega kan niet", "colleagues who cannot attend") is not
  the sender (``act_about_someone_else``);
- another occasion or part ("de borrel", "het rondetafelgesprek", "ik kom wat later") is not
  this event (``other_occasion``);
- doubt ("misschien", "onder voorbehoud") is no act (``hedged``).

Only acts the sender performs count. One act decides the kind; both a sign-up and a
cancellation (``acts_disagree``), or only suspended acts, leave the message to staff with the
reason. A one-word reply to the invitation ("Ja!", "Nee, helaas") inherits its act from the
quoted invitation. The subject counts only when the message is not a reply and its text holds
no act and no question. Questions are the sentences that ask something staff must answer; "Kunt
u mijn aanmelding bevestigen?" in a sign-up is answered by the confirmation and is no question.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import simplemma

from bot import acts, linear

SIGN_UP, CANCEL = "registration", "cancellation"
SUSPENDED = ("conditional_act", "act_about_someone_else", "hedged")
_REPLY_PREFIX = linear.compile(r"^\s*(re|antw|aw|sv|fw|fwd|doorst)\s*:", ignorecase=True)
_SENTENCE_END = linear.compile(r"([.!?])\s+|\n\s*\n")
_PARAGRAPH = linear.compile(r"\n\s*\n")
_ABBREVIATION = linear.compile(
    r"(?:^|\s)(?:[A-Z]|dhr|mevr|mr|mrs|ms|dr|drs|ir|prof|bijv|o\.a|m\.b\.t|i\.v\.m|t\.a\.v|"
    r"z\.s\.m|vs|etc)\.$", ignorecase=False)
_FIRST_PERSON = linear.compile(r"\b(?:ik|wij|we|me|mij|mezelf|i|me|myself|us)\b",
                               ignorecase=True)


@dataclass(frozen=True)
class Intent:
    kind: str            # "registration", "cancellation", "question" or "other"
    has_question: bool
    confidence: float
    reasons: tuple[str, ...]
    questions: tuple[str, ...] = ()   # the sentences that ask staff something
    review: tuple[str, ...] = ()      # why staff must decide instead of the bot
    attention: tuple[str, ...] = ()   # what staff should see although the bot acts


@dataclass(frozen=True)
class Clause:
    """One clause read: the act its words name, and how the sender stands to it."""

    text: str
    act: str | None = None          # SIGN_UP or CANCEL: the words of an act occur
    reading: str | None = None      # None: performed; else a reason it is not (or a question)
    asks: bool = False              # a question staff must answer
    notes: tuple[str, ...] = field(default_factory=tuple)


def sentences(text: str) -> list[str]:
    """Sentences of ``text``: mail wraps lines at ~72 characters, so lines are joined first;
    a full stop after an initial or a title ("W.", "dhr.") ends no sentence."""
    paragraphs = _PARAGRAPH.split(text)
    joined = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    found: list[str] = []
    for piece in linear.split_keeping(_SENTENCE_END, joined):
        if found and _ABBREVIATION.search(found[-1]):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return [s.strip() for s in found if s.strip()]


def read_intent(new_text: str, subject: str, *, quoted: str = "",
                language: str = "nl") -> Intent:
    """Decide what the sender does; see the module docstring."""
    clauses = [clause for sentence in sentences(new_text)
               for clause in _read_sentence(sentence, language)]
    performed = [c.act for c in clauses if c.act and c.reading is None]
    signed_up = SIGN_UP in performed  # then "kunt u dat bevestigen?" is answered already
    questions = tuple(dict.fromkeys(
        c.text for c in clauses
        if c.asks and not (signed_up and "confirmation_asked" in c.notes)))
    reasons = [n for c in clauses for n in c.notes]
    review: list[str] = []
    kind = _decide(performed, clauses, reasons, review)
    if kind is None:
        kind = _reply_to_invitation(new_text, subject, quoted, reasons)
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
    attention = tuple(dict.fromkeys(  # "ik kan niet, maar mijn collega wil graag komen"
        c.reading for c in clauses if performed and c.reading == "act_about_someone_else"))
    return Intent(kind, bool(questions), confidence, tuple(dict.fromkeys(reasons)),
                  questions, tuple(dict.fromkeys(review)), attention)


def read_clause(text: str, in_question: bool, language: str) -> Clause:
    """Read one clause: which act its words name, and whether the sender performs it."""
    asks = text.endswith("?") or in_question or bool(acts.QUESTION_WORDS.search(text))
    if asks and acts.CONFIRM_REQUEST.search(text):
        return Clause(text, None, None, True, ("confirmation_asked",))
    found = acts.CANCEL.search(text) or acts.SIGN_UP.search(text)
    act = (CANCEL if acts.CANCEL.search(text) else SIGN_UP) if found else None
    if act is None:
        leaves = not asks and (_other_occasion(text, language) or _leaves(text))
        return Clause(text, None, None, asks, ("other_occasion",) if leaves else ())
    word = "cancellation_words" if act == CANCEL else "registration_words"
    request = acts.REQUEST.search(text) if asks else None
    if request and not acts.ABOUT.search(text) and not acts.CONDITION.search(text):
        if acts.OTHERS.search(request.group(0)):  # "Kunt u mijn collega aanmelden?"
            return Clause(text, act, "act_about_someone_else", False,
                          (word, "request", "act_about_someone_else"))
        return Clause(text, act, None, False, (word, "request"))
    if asks:
        return Clause(text, act, "question_about_act", True, ("question_about_act",))
    if _other_occasion(text, language) and not acts.THIS_EVENT.search(text):
        return Clause(text, act, "other_occasion", False, ("other_occasion",))
    if acts.CONDITION.search(text):
        return Clause(text, act, "conditional_act", False, (word, "conditional_act"))
    if acts.OTHERS.search(text) and (not _FIRST_PERSON.search(text)
                                     or acts.OTHERS.search(found.group(0))):
        return Clause(text, act, "act_about_someone_else", False,
                      (word, "act_about_someone_else"))
    if acts.HEDGE.search(text):
        return Clause(text, act, "hedged", False, (word, "hedged"))
    return Clause(text, act, None, False, (word,))


def _decide(performed: list[str], clauses: list[Clause], reasons: list[str],
            review: list[str]) -> str | None:
    """The kind from the acts performed; the reasons staff must decide go to ``review``."""
    if performed:
        if len(set(performed)) > 1:
            reasons.append("acts_disagree")
            review.append("acts_disagree")
            return performed[-1]
        return performed[0]
    suspended = [c for c in clauses if c.act and c.reading in SUSPENDED]
    if suspended and not any(c.asks for c in clauses):
        review.extend(c.reading for c in suspended)
        return suspended[-1].act
    if any(c.reading == "other_occasion" or "other_occasion" in c.notes for c in clauses):
        return "other" if not any(c.asks for c in clauses) else None
    return None


def _reply_to_invitation(new_text: str, subject: str, quoted: str,
                         reasons: list[str]) -> str | None:
    """"Ja!" or "Nee, helaas" as the whole answer to a quoted invitation."""
    if not quoted or not acts.INVITATION.search(quoted) or len(new_text) > 60:
        return None
    return _first((acts.YES, "yes_to_invitation", SIGN_UP),
                  (acts.NO, "no_to_invitation", CANCEL), text=new_text, reasons=reasons)


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


def _read_sentence(sentence: str, language: str) -> list[Clause]:
    """The clauses of a sentence, read. A question mark belongs to the last clause; after a
    contrast ("maar", "but") the last act performed outweighs a different one before it."""
    parts, contrast = _clauses(sentence)
    read = [read_clause(part, i == len(parts) - 1 and sentence.endswith("?"), language)
            for i, part in enumerate(parts)]
    performed = [c.act for c in read if c.act and c.reading is None]
    if contrast and len(set(performed)) > 1:
        read = [replace(c, reading="outweighed", notes=(*c.notes, "outweighed_by_contrast"))
                if c.act and c.reading is None and c.act != performed[-1] else c for c in read]
    return read


def _clauses(sentence: str) -> tuple[list[str], bool]:
    """A sentence cut into clauses (:data:`bot.acts.CLAUSE_END`), and whether a contrast cut
    it; a cut before a new subject keeps the subject ("... en ik meld me af")."""
    parts, start, contrast = [], 0, False
    for match in acts.CLAUSE_END.finditer(sentence):
        contrast = contrast or match.group(1) is not None or match.group(2) is not None
        parts.append(sentence[start:match.start()])
        start = match.start(3) if match.group(3) is not None else match.end()
    parts.append(sentence[start:])
    return [p.strip(" ,;:") for p in parts if p.strip(" ,;:")], contrast


def _other_occasion(text: str, language: str) -> bool:
    """The act is for another occasion: "voor de borrel", "from the newsletter"."""
    return any(lemma(m.group(1).lower(), language) in acts.OTHER_OCCASIONS
               for m in acts.OCCASION_OBJECT.finditer(text))


def _leaves(text: str) -> bool:
    """Words of leaving or coming late ("ik moet eerder weg", "ik kom wat later")."""
    return bool(acts.TIMING.search(text))


def warm_up() -> None:
    """Load simplemma's Dutch and English dictionaries now (about half a second), not inside
    the first message's time budget."""
    for language in ("nl", "en"):
        lemma("borrels", language)


def lemma(word: str, language: str) -> str:
    """The dictionary form of ``word`` (``borrels`` → ``borrel``), by simplemma."""
    return simplemma.lemmatize(word, lang=language if language in ("nl", "en") else "nl")
