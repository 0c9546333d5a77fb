"""What does the sender want? Registration, cancellation, question or nothing we know. Pure.

In: the new text of a message (no quoted history, no signature) and its subject. Out: an
:class:`Intent`. The text is cut into sentences, and each sentence is read against three short
lists of Dutch and English phrases, one phrase per line below so a newcomer can add one:

- a cancellation phrase anywhere wins ("ik kan er helaas niet bij zijn", "wilt u mij van de
  lijst halen?", "ik kan me helaas niet aanmelden" is a decline);
- a registration phrase counts in a statement ("graag schuif ik aan"), and in a question only
  when the question *is* the sign-up ("wilt u mij aanmelden?"), not when it asks about it
  ("voordat ik mij aanmeld: kunt u het programma sturen?" is a question);
- a question is a sentence that ends in "?" (or asks in words) and is not itself the request.

The subject counts unless the message is a reply: a reply inherits "RE: Aanmelding".
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import linear


def _phrases(*patterns: str):
    """One linear-time pattern that finds any of ``patterns`` at a word start."""
    return linear.compile(r"\b(?:" + "|".join(patterns) + r")", ignorecase=True, multiline=True)


_W = r"(?:[\w'.,-]+ )"  # one word and its space, for "up to N words between"
# "van de partij", but not "van de partij voor ...": what (?! voor) says, spelled without
# lookahead (RE2 has none): the text ends, or differs from " voor" somewhere
_NOT_FOLLOWED_BY_VOOR = r"(?:$|[^ ]| $| [^v]| v$| v[^o]| vo$| vo[^o]| voo$| voo[^r])"

CANCEL = _phrases(
    r"afmeld\w*",
    r"meld\w* (?:\S+ ){0,8}?af\b",                       # "meld ik mij hierbij af"
    r"uitschrijv\w*",
    r"schrijf (?:me|mij) \S* ?uit",
    r"annule\w+",
    r"afzeggen",
    r"zeg\w* " + _W + r"{0,4}af\b",
    r"verhinderd",
    r"afhaken",
    r"haak " + _W + r"{0,2}af\b",
    r"(?:kan|kunnen|kom|komt|ben|zijn|zal|zullen) " + _W + r"{0,7}niet (?:komen|aanwezig|"
    r"deelnemen|erbij|bij|meedoen|mee\b|present)",      # "ik kan er op de 25e niet bij zijn"
    r"(?:kan|kom) " + _W + r"{0,2}toch niet",
    r"lukt " + _W + r"{0,4}niet",
    r"gaat " + _W + r"{0,5}niet lukken",
    r"niet (?:gaan )?lukken",
    r"van de \w*lijst (?:halen|schrappen|af)",
    r"(?:haal|schrap) (?:me|mij) ",
    r"tussengekomen",
    r"intrek\w*",                                         # "mijn aanmelding intrekken"
    r"in te trekken",
    r"trek\w* " + _W + r"{0,4}in\b",
    r"verstek",                                           # "verstek laten gaan"
    r"niet in de gelegenheid",
    r"(?:kan|wil|zal) " + _W + r"{0,3}niet (?:aanmelden|inschrijven)",   # a decline
    r"(?:me|mij) " + _W + r"{0,2}niet (?:aanmelden|inschrijven)",
    r"cancel\w*",
    r"withdraw\w*",
    r"unregister",
    r"count me out",
    r"drop out",
    r"(?:can ?not|can't|unable to|won't be able to|will not be able to|no longer "
    r"(?:be able to )?)\s?(?:attend|come|make it|join|be there)",
    r"take (?:me|us) off",
    r"remove (?:me|us) from",
    r"something came up",
)
REGISTER = _phrases(
    r"aanmeld\w*",
    r"meld\w* (?:\S+ ){0,8}?aan\b",                      # "meld ik mevrouw Van Dijk aan"
    r"inschrijv\w*",
    r"schrijf (?:me|mij|ons|hem|haar) " + _W + r"{0,2}in\b",
    r"noteer (?:me|mij|ons|hem|haar)",
    r"\w*deelna\w*",                                      # deelname
    r"deelne\w*",                                         # deelnemen, deelnemer
    r"doe(?:n)? (?:graag )?mee\b",
    r"ik kom(?: ook| gewoon| natuurlijk)?\s*(?:[^\w\s]|$)",  # "Ik kom!", not "ik kom uit"
    r"kom(?:t|en)? (?:graag|zeker|er ?graag)",
    r"(?:ben|zijn) (?:ik |we |wij )?(?:er ?)?bij\b",
    r"(?:ben|zijn) " + _W + r"{0,2}van de partij\b" + _NOT_FOLLOWED_BY_VOOR,
    r"schuif\w* " + _W + r"{0,3}aan\b",
    r"aanschuiven",
    r"reken " + _W + r"{0,2}op (?:mij|me|ons)\b",
    r"zet (?:me|mij|ons|hem|haar|mijn naam|onze namen) " + _W + r"{0,3}op de \w*lijst",
    r"zet (?:me|mij|ons|hem|haar) (?:er )?(?:maar |dan |gerust )?op\b",   # "zet me er maar op"
    r"geef (?:me|mij|ons|hem|haar) (?:\S+ ){0,4}?op\b",     # "dan geef ik me daarvoor op"
    r"graag aanwezig",
    r"aanwezig (?:zijn|te zijn)",
    r"present zijn",
    r"reserve\w+",
    r"(?:ik|we|wij) (?:wil|willen|zou|zouden) " + _W + r"{0,3}(?:komen|deelnemen|bijwonen)",
    r"graag (?:komen|deelnemen|bijwonen)",
    r"plek\w* voor",
    r"plaats\w* voor",
    r"graag! ?$",
    r"register\w*",
    r"sign (?:me |us |him |her )?up",
    r"count (?:me|us) in",
    r"rsvp",
    r"(?:like|love|want|happy|pleased|delighted) to (?:attend|join|come|participate|take part)",
    r"will attend",
    r"i'll (?:attend|be there|join)",
    r"i will be there",
    r"i'm in\b",
    r"(?:add|put) (?:me|us) (?:down|on the list)",
)
REQUEST = _phrases(  # a question that *is* the sign-up
    r"(?:wilt|wil|kunt|kan|mag|zou) (?:u|je|jij|jullie|ik) " + _W + r"{0,8}(?:aanmelden|"
    r"inschrijven|noteren|op de \w*lijst zetten)",
    r"(?:can|could|would) you (?:please )?(?:register|sign|add|put)",
)
HYPOTHETICAL = _phrases(r"voordat ik", r"of ik", r"zou het mogelijk", r"mogen (?:we|wij|zij)",
                        r"twijfel", r"before i")
QUESTION_WORDS = _phrases(
    r"ik heb een vraag", r"vraag over", r"mijn vraag", r"graag (?:zou ik|wil ik) weten",
    r"ik vroeg me af", r"ik hoor graag", r"verneem", r"bij voorbaat dank voor uw antwoord",
    r"laat (?:u|je) (?:me|mij) weten (?:of|wat|hoe|wanneer)",
    r"i have a question", r"could you (?:tell|let) me", r"i was wondering",
    r"please let me know",
)
_REPLY_PREFIX = linear.compile(r"^\s*(re|antw|aw|sv)\s*:", ignorecase=True)
_SENTENCE_END = linear.compile(r"([.!?])\s+|\n\s*\n")
_PARAGRAPH = linear.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Intent:
    kind: str            # "registration", "cancellation", "question" or "other"
    has_question: bool
    confidence: float
    reasons: tuple[str, ...]


def sentences(text: str) -> list[str]:
    """Sentences of ``text``: mail wraps lines at ~72 characters, so lines are joined first."""
    paragraphs = _PARAGRAPH.split(text)
    joined = "\n\n".join(" ".join(p.split()) for p in paragraphs)
    return [s.strip() for s in linear.split_keeping(_SENTENCE_END, joined) if s.strip()]


def read_intent(new_text: str, subject: str) -> Intent:
    """Decide the intent of a message from its new text and (unless a reply) its subject."""
    cancel, register, asks = [], [], []
    for sentence in sentences(new_text):
        is_question = sentence.endswith("?") or bool(QUESTION_WORDS.search(sentence))
        if CANCEL.search(sentence):
            cancel.append("cancellation_words")
            continue  # "wilt u mij van de lijst halen?" is the cancellation itself
        if REGISTER.search(sentence) and (not is_question or (
                REQUEST.search(sentence) and not HYPOTHETICAL.search(sentence))):
            register.append("registration_words")
            continue  # "wilt u mij aanmelden?" is the sign-up itself
        if is_question:
            asks.append("question_mark" if sentence.endswith("?") else "question_words")
    if not _REPLY_PREFIX.match(subject):
        if CANCEL.search(subject):
            cancel.append("cancellation_subject")
        elif REGISTER.search(subject):
            register.append("registration_subject")
        elif "?" in subject and not new_text.strip():
            asks.append("question_subject")
    has_question = bool(asks)
    if cancel and not (register and "cancellation_words" not in cancel):
        kind, found = "cancellation", cancel
    elif register:
        kind, found = "registration", register
    elif asks:
        return Intent("question", True, 0.9, tuple(dict.fromkeys(asks)))
    else:
        return Intent("other", False, 0.4, ("no_intent_found",))
    reasons = list(dict.fromkeys(found))
    if has_question:
        reasons.append("also_asks_question")
    confidence = 0.9 if len(found) > 1 else 0.75
    return Intent(kind, has_question, confidence, tuple(reasons))
