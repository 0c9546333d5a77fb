"""What does the sender do? Sign up, cancel, ask, or nothing we know. Pure.

In: the new text of a message (no quoted history, no signature), its subject, the quoted text
it answers and its language. Out: an :class:`Intent`: the kind, whether it asks something (and
the question sentences themselves, for staff), the reasons (the rules that fired) and, apart,
the reasons staff must decide instead of the bot.

A word is not an act (../shared/research/speech-acts.md). The text is cut into sentences and
clauses (:mod:`bot.judge.clauses`), and each clause is read for the act its words name and how the
sender stands to it (:mod:`bot.judge.reading`). Then the whole message:

- rules that span sentences: "Namens mevrouw X ..." makes the acts the sender's acts on her
  behalf; "..., maar eerst een vraag" puts a sign-up off; "Tenminste, als ..." puts a condition
  on the sentence before; "daarvoor" after "jullie nieuwsbrief" is for the newsletter;
- :func:`_decide`: one performed act decides the kind; both a sign-up and a cancellation, an
  act for someone else too, doubt, or only suspended acts leave the message to staff with the
  reason;
- a one-word reply to the invitation or the call for the last seats ("Ja!", "Nee, helaas",
  "👍") inherits its act from the quoted mail, never from our confirmation or reminder;
- the subject counts only when the message is not a reply or forward, its text is short and
  holds no act and no question, and the subject itself asks nothing and names nobody else and
  no other occasion.

After :func:`_decide` and before the reply and the subject, in this order, an act goes to
staff when the text corrects an earlier mail (``corrected``), names another day than the mail
it answers (``other_date``), or the subject says the other act (``subject_disagrees``); and a
plain sign-up under our confirmation or reminder ("See you!") is no new act (``reaffirms``).
Of several performed acts the last one is the kind.

Questions are the sentences that ask something staff must answer; "Kunt u dit bevestigen?" in a
sign-up is answered by the confirmation and is no question.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from bot import linear
from bot.judge import acts, cues, reading
from bot.judge.clauses import days_named, names_other_occasion, sentences
from bot.judge.reading import LATE_OR_EARLY, SUSPENDED, Act, Clause, Reading, read_sentence

ACTS = tuple(Act)
# a reply or a forward: its subject is the one it answers ("RE:", "Re[2]:", "[EXTERN] WG:")
_REPLY_PREFIX = linear.compile(r"^\s*(?:\[[^\]]{0,20}\]\s*)?(?:re|antw|aw|sv|fw|fwd|doorst|wg|"
                               r"tr|vs|doorgestuurd|forwarded)\s*(?:\[\d+\])?\s*:",
                               ignorecase=True)
# a subject that asks or names something else is no act by itself ("Vraag: annuleren?")
_SUBJECT_NO_ACT = linear.compile(r"\?|\b(?:vraag|vragen|question|voorwaarden|mogelijk|hoe|how|"
                                 r"info|beleid|policy|collega\w*|medewerker\w*|assistent\w*|"
                                 r"secretari\w*|staff|colleague\w*)\b", ignorecase=True)
QUOTE_LOOKED_AT = 1500  # characters of the quoted mail read for "is this the invitation?"
SUBJECT_WORDS = 12  # a text this short ("Zie onderwerp.") leaves the act to the subject
NAME_WORDS = 10  # what may follow a one-word answer ("Ja!") and still be only a name or greeting
_OWN = linear.compile(r"\b(?:me|mij|mezelf|myself|ik (?:kom|ben|kan))\b", ignorecase=True)


@dataclass(frozen=True)
class Intent:
    kind: str            # "registration", "cancellation", "question" or "other"
    has_question: bool
    confidence: float
    reasons: tuple[str, ...]
    questions: tuple[str, ...] = ()   # the sentences that ask staff something
    review: tuple[str, ...] = ()      # why staff must decide instead of the bot


def read_intent(new_text: str, subject: str, *, quoted: str = "", language: str = "nl",
                sent: dt.date | None = None) -> Intent:
    """Decide what the sender does; see the module docstring."""
    read = _whole_message(_read_sentences(new_text, language), new_text)
    if any(c.act and c.reading is not Reading.QUESTION_ABOUT_ACT for c in read):
        # an act (or one for staff): "kunt u dat bevestigen?" is answered by confirming it
        read = [replace(c, asks=False) if "confirmation_asked" in c.notes else c for c in read]
    questions = tuple(dict.fromkeys(c.text for c in read if c.asks))
    reasons = [n for c in read for n in c.notes]
    kind, review = _decide(read, reasons)
    if kind is None:
        kind = _reply_to_invitation(new_text, quoted, reasons)
    kind = _second_looks(kind, new_text, subject, quoted, sent, reasons, review)
    if not new_text.strip() and subject.endswith("?") and not _REPLY_PREFIX.search(subject):
        questions = (subject.strip(),)  # the question is the subject ("Is er een livestream?")
        reasons.append("question_subject")
    if kind is None and not questions and len(new_text.split()) <= SUBJECT_WORDS and not (
            cues.OTHERS.search(new_text) or cues.BEHALF.search(new_text) or
            names_other_occasion(new_text, language)):  # "Graag voor mijn stagiair Tim."
        kind = _from_subject(subject, reasons)
    if kind is None:
        kind = "question" if questions else "other"
        if kind == "other" and not reasons:
            reasons.append("no_intent_found")
    if questions and "question_subject" not in reasons:
        reasons.append("question_mark" if any(q.endswith("?") for q in questions)
                       else "question_words")
        if kind in ACTS:
            reasons.append("also_asks_question")
    confidence = 0.4 if kind == "other" else 0.9 if not review else 0.6
    return Intent(str(kind), bool(questions), confidence, tuple(dict.fromkeys(reasons)),
                  questions, tuple(dict.fromkeys(review)))


def _second_looks(kind: Act | str | None, new_text: str, subject: str, quoted: str,
                  sent: dt.date | None, reasons: list[str], review: list[str]
                  ) -> Act | str | None:
    """The kind after a second look at the whole mail; adds to ``reasons`` and ``review``."""
    def note(reason: str) -> None:
        reasons.append(reason)
        review.append(reason)
    if cues.MISDIRECTED.search(new_text):  # "dit bericht was niet voor u bedoeld"
        note("misdirected")
        return "other"
    if cues.CORRECTION.search(new_text):  # "please ignore my last mail"
        note("corrected")
        return kind if kind in ACTS else "other"
    if kind not in ACTS:
        return kind
    if _another_day(new_text, f"{subject}\n{quoted[:QUOTE_LOOKED_AT]}", sent):
        note("other_date")  # "register me for Thursday 26 November", under our mail about
        # Wednesday 25 November
    said = _from_subject(subject, [])
    if said is Act.CANCEL and kind is Act.SIGN_UP:  # subject "Afmelding", text "ik ben erbij"
        # (a cancellation under "Registration" is about that registration)
        note("subject_disagrees")
    elif _names_other_occasion(subject):  # "Nee, helaas" under "RE: Diner na afloop"
        note("other_occasion")
    if kind is Act.SIGN_UP and not review and _answers_our_confirmation(quoted):  # "See you!"
        note("reaffirms")
        return "other"
    return kind


def _read_sentences(new_text: str, language: str) -> list[Clause]:
    """Every clause of ``new_text`` read; an act that points back ("ik wil me daarvoor
    afmelden") is for what the sentence before it named."""
    read: list[Clause] = []
    after_question, last = False, 0  # where the sentence before starts in ``read``
    for sentence in sentences(new_text):
        sentence_read = read_sentence(sentence, language, after_question=after_question)
        if cues.AFTERTHOUGHT.search(sentence) and not any(c.act for c in sentence_read):
            # "Ik meld me af. Tenminste, als de stemmingen uitlopen."
            read[last:] = [c.suspended_as(Reading.CONDITIONAL) if c.performed() else c
                           for c in read[last:]]
        if cues.BUT_NO.search(sentence) and not any(c.act for c in sentence_read) and read \
                and read[-1].act is Act.SIGN_UP and read[-1].performed() and \
                acts.WISH.search(read[-1].text):  # "I'd love to attend. Unfortunately, ..."
            read[-1] = reading.declined_wish(read[-1], sentence)
        last = len(read)
        for clause in sentence_read:
            before = " ".join(c.text for c in read[-3:])[-400:]
            if clause.performed() and cues.ANAPHORA.search(clause.text) and \
                    names_other_occasion(before, language):
                clause = replace(clause, reading=Reading.OTHER_OCCASION, notes=(
                    "other_occasion",))
            read.append(clause)
        after_question = sentence.endswith("?")
    return read


def _whole_message(read: list[Clause], new_text: str) -> list[Clause]:
    """Rules that read the whole message: "Namens mevrouw X ..." makes her acts the sender's
    acts on her behalf; "..., maar eerst een vraag: ..." puts a sign-up off until the answer."""
    if len(cues.BEHALF.findall(new_text)) > len(cues.FOR_A_GROUP.findall(new_text)):
        read = [c.suspended_as(Reading.ON_BEHALF) if c.act and (
            c.reading is Reading.SOMEONE_ELSE or (c.performed() and not _OWN.search(c.text)))
            else c for c in read]
    if cues.PASTED.search(new_text):  # "Onderstaand de reactie van het Kamerlid: Ik kom graag!"
        read = [c.suspended_as(Reading.ON_BEHALF) if c.performed() else c for c in read]
    if cues.DEFER.search(new_text):
        read = [c.suspended_as(Reading.CONDITIONAL) if c.act is Act.SIGN_UP and c.performed()
                else c for c in read]
    return read


def _decide(read: list[Clause], reasons: list[str]) -> tuple[Act | str | None, list[str]]:
    """The kind from the clauses read (None: no act, let the reply or subject decide), and
    why staff must decide instead of the bot; adds reasons to ``reasons``."""
    review: list[str] = []
    performed = [c.act for c in read if c.performed()]
    suspended = [c for c in read if c.reading in SUSPENDED]
    hedged = any(c.hedged and c.act is None and cues.ABOUT_COMING.search(c.text)
                 for c in read)  # "ik laat het nog weten", not "misschien is dat overbodig"
    if performed:
        if any(c.performed() and (cues.GROUP.search(c.text) or (
                c.act is Act.SIGN_UP and cues.OTHERS.search(c.text))) for c in read):
            # "graag meld ik mij aan, en ook mijn fractiegenoot", "wij komen met z'n drieën",
            # "mijn collega en ik moeten allebei afzeggen"
            reasons.append("also_for_someone_else")
            review.append("also_for_someone_else")
        review.extend(c.reading.value for c in suspended if c.act in performed and c.reading in (
            Reading.CONDITIONAL, Reading.HEDGED))  # "Ik kom, tenzij ... Schrijf me maar in."
        review.extend(c.reading.value for c in suspended if c.act not in (None, *performed) and
                      c.reading is Reading.HEDGED)  # "I have to cancel. ... Keep my seat?"
        if len(set(performed)) > 1:
            reasons.append("acts_disagree")
            review.append("acts_disagree")
        review.extend(c.reading.value for c in suspended if c.reading is Reading.ON_BEHALF or (
            c.reading is Reading.SOMEONE_ELSE and c.act is Act.SIGN_UP))  # a seat for them?
        if hedged or (any("doubt_overruled" in c.notes for c in read) and any(
                c.act is Act.CANCEL and c.reading is Reading.CONDITIONAL for c in read)):
            # "ik weet het nog niet, maar reserveer een plek. Lukt het niet, dan hoort u het."
            reasons.append("hedged")
            review.append("hedged")
        if performed[-1] is Act.CANCEL and any(
                c.act is Act.SIGN_UP and c.reading is Reading.OTHER_OCCASION and
                not cues.NEXT_TIME.search(c.text) for c in read):
            # "de masterclass red ik niet, de borrel wel": staff decide what to change
            return "other", [*review, "other_occasion"]
        # "ik kom, maar pas om 20.00" is a sign-up (the reasons note the time for staff), but
        # "still coming, but I'll leave early" or "unsubscribe me from the newsletter, I'm
        # still coming" asks nothing of the bot
        noted = _occasion_notes(read)
        if performed[-1] is Act.SIGN_UP and noted and \
                any(c.act is Act.SIGN_UP and cues.REAFFIRM.search(c.text) for c in read):
            return "other", [*review, *noted]
        return performed[-1], review
    asks = any(c.asks for c in read)  # a condition may hang on the answer: then a question
    # the sender's own acts, for someone else or in doubt: that act, for staff to decide
    own = [c.act for c in suspended if c.reading in (Reading.ON_BEHALF, Reading.HEDGED)]
    if own or (suspended and not asks):
        review.extend(c.reading.value for c in suspended)
        # only on a condition ("als het debat niet uitloopt, ben ik erbij"), or someone
        # else's own act: nothing to do until the sender says more
        return (own[-1] if own else "other"), review
    if _occasion_notes(read):
        return ("other" if not asks else None), review
    return None, review


def _occasion_notes(read: list[Clause]) -> list[str]:
    """The notes that say a clause is about another occasion or another time of arrival."""
    return list(dict.fromkeys(n for c in read for n in c.notes
                              if n in (Reading.OTHER_OCCASION.value, LATE_OR_EARLY)))


def _reply_to_invitation(new_text: str, quoted: str, reasons: list[str]) -> str | None:
    """"Ja!", "Nee, helaas" or "👍" (perhaps with a name under it) as the whole answer to a
    quoted invitation."""
    said, answered = sentences(new_text), quoted[:QUOTE_LOOKED_AT]
    rest = " ".join(said[1:])
    if not said or not acts.INVITATION.search(answered) or _answers_our_confirmation(quoted) \
            or len(rest.split()) > NAME_WORDS or cues.DEFER.search(new_text) or \
            cues.CONDITION.search(rest) or cues.HEDGE.search(rest):  # "Ja! Als het lukt."
        return None
    return _first((acts.YES, "yes_to_invitation", Act.SIGN_UP),
                  (acts.NO, "no_to_invitation", Act.CANCEL), text=said[0], reasons=reasons)


def _another_day(new_text: str, answered: str, sent: dt.date | None) -> bool:
    """The text names a day still to come that the subject and the quoted mail (about the
    event) do not; a day in the month before ``sent`` is a reference ("mijn aanmelding van 5
    november"), one further back is next year's (mail of 20 December about 8 January)."""
    ours = days_named(answered)
    later = {d for d in days_named(new_text) if sent is None or _still_to_come(d, sent)}
    return bool(ours) and bool(later) and not later & ours


def _still_to_come(day: tuple[int, int], sent: dt.date) -> bool:
    """(month, day) falls on or after ``sent``, or more than a month before it (next year)."""
    try:
        date = dt.date(sent.year, *day)
    except ValueError:  # 30 February
        return False
    return date >= sent or date < sent - dt.timedelta(days=31)


def _answers_our_confirmation(quoted: str) -> bool:
    """The quoted mail is our confirmation or reminder (and not the invitation): a sign-up
    in answer to it says that the sender still comes."""
    answered = quoted[:QUOTE_LOOKED_AT]
    return bool(acts.CONFIRMED_ALREADY.search(answered)) and not acts.INVITATION.search(answered)


def _from_subject(subject: str, reasons: list[str]) -> str | None:
    """A subject such as "Aanmelding masterclass", when the text says nothing itself (a
    reply's subject is the one it answers, so it counts for nothing)."""
    if _REPLY_PREFIX.search(subject) or _SUBJECT_NO_ACT.search(subject) or \
            cues.OTHERS.search(subject) or _names_other_occasion(subject):
        return None
    return _first((acts.SUBJECT_CANCEL, "cancellation_subject", Act.CANCEL),
                  (acts.SUBJECT_SIGN_UP, "registration_subject", Act.SIGN_UP),
                  text=subject, reasons=reasons)


def _names_other_occasion(subject: str) -> bool:
    """The subject (in either language) names another occasion and not this event."""
    return any(names_other_occasion(subject, language) for language in ("nl", "en"))


def _first(*tables, text: str, reasons: list[str]) -> str | None:
    """The kind of the first (pattern, reason, kind) whose pattern is found in ``text``."""
    for pattern, reason, kind in tables:
        if pattern.search(text):
            reasons.append(reason)
            return kind
    return None
