"""The words of the acts the intent reader (:mod:`bot.judge.intent`) looks for: one table per act,
Dutch and English, one phrase per line so that a newcomer can add one. Data only.

In: nothing. Out: compiled linear-time patterns (:mod:`bot.linear`); made with :func:`phrases`
they find any of their phrases at a word start, case-insensitively. What makes such words no
act of the sender (a question about it, a condition, somebody else, another occasion, doubt)
is in :mod:`bot.judge.cues`; whether the sender *performs* the act, for themselves, for this event,
is decided per clause in :func:`bot.judge.reading.read_clause`.

- ``CANCEL`` / ``SIGN_UP``: the words of cancelling or declining, and of signing up. A clause
  is searched for ``CANCEL`` first, so "ik kan me helaas niet aanmelden" is a decline;
- ``ASK_CANCEL`` / ``ASK_SIGN_UP``: a question that *is* the act ("Zou u mij willen
  afmelden?", "Kunt u mij inschrijven?", "Could you save me a seat?");
- ``CONFIRM_REQUEST``: "Kunt u mijn aanmelding bevestigen?" is answered by the confirmation,
  so it is no question for staff;
- ``SEAT_FOR_SOMEONE_ELSE``: "Tim neemt mijn plek over" is Tim's sign-up, not the sender's;
- ``WISH``: "ik zou graag komen", which a contrast turns into a decline ("..., maar ...");
- ``YES`` / ``NO``: a one-word answer to a quoted ``INVITATION`` (or the call for the last
  seats) that is not ``CONFIRMED_ALREADY`` (our confirmation or reminder);
- ``SUBJECT_SIGN_UP`` / ``SUBJECT_CANCEL``: a subject that alone says the act.

**Adding a phrase.** Put it in the table of its act (or of its cue, in :mod:`bot.judge.cues`), as a
Python regular expression without lookaround or backreferences (RE2 refuses them at import:
see :mod:`bot.linear`); ``W`` is one word and the space after it, ``ME`` the sender as
object. Patterns ending in ``$`` only match at the end of a clause. A broad ``CANCEL`` phrase
wins over a sign-up in the same clause, so keep it narrow, and mind the cues: "twee plekjes"
is a seat for others (``cues.OTHERS``). Add a row to ``tests/judge/test_words_not_acts.py``:
``test_acts_the_bot_performs_alone`` for an act, ``test_words_that_are_not_the_sender_s_act``
for words that are none. Then run ``.venv/bin/ruff check bot`` and ``.venv/bin/python -m
pytest tests/judge/test_words_not_acts.py tests/judge/test_classify.py tests/test_linear.py
tests/cli/test_cli.py``: test_linear feeds every pattern adversarial text, test_cli scores every
labelled set in ``tests/data`` and fails on a harmful action or a set below its figure. When
it fails, ``.venv/bin/inbox-bot evaluate tests/data/<set>`` lists each miss with the rules
that fired.
"""

from __future__ import annotations

from bot import linear


def phrases(*patterns: str):
    """One linear-time pattern that finds any of ``patterns`` at a word start."""
    return linear.compile(r"\b(?:" + "|".join(patterns) + r")", ignorecase=True, multiline=True)


W = r"(?:[\w'.,-]+ )"  # one word and its space, for "up to N words between"
ME = r"(?:me|mij|mezelf|ons|onszelf)\b"
# what may follow "attend", "join", "come", "register" in a sign-up: the end, or its object
# ("attend the masterclass", "register me"); not "attend to it", "register my support"
ENDS = (r"(?:\s*(?:[^\w\s]|$)| (?:the|this|on|tonight|it|your|that|for|along|and|to the|as|"
        r"me|us|myself|him|her|them|two|three|both|all)\b)")
# "van de partij", but not "van de partij voor ...": what (?! voor) says, spelled without
# lookahead (RE2 has none): the text ends, or differs from " voor" somewhere
NOT_FOLLOWED_BY_VOOR = r"(?:$|[^ ]| $| [^v]| v$| v[^o]| vo$| vo[^o]| voo$| voo[^r])"
CANCEL = phrases(
    r"(?:meld|melden|meldt) (?:\S+ ){0,8}?af\b",              # "meld ik mij hierbij af"
    r"afmelden", r"afmelding (?:voor|van) (?:de|het|mijn)",        # "afmelding voor de masterclass"
    r"(?:graag|hierbij|bij deze) (?:mijn )?afmelding",
    r"uitschrijv\w*",
    r"schrijf " + ME + r" \S* ?uit",
    r"annuleer\b", r"annuleren\b", r"(?:mijn|onze) annulering",  # not "de gemeente annuleert"
    r"afzeggen",
    r"zeg\w* " + W + r"{0,4}af\b",
    r"verhinderd",
    r"afhaken",
    r"haak " + W + r"{0,2}af\b",
    r"(?:kan|kunnen|kom|komt|ben|zijn|zal|zullen) " + W + r"{0,7}niet (?:komen|aanwezig|"
    r"deelnemen|erbij|bij|meedoen|mee\b|present)",  # "ik kan er op de 25e niet bij zijn"
    r"(?:kan|kom) " + W + r"{0,2}toch niet",
    r"niet (?:aanwezig|komen|deelnemen|erbij|bij|meedoen) (?:kan|kunnen|zal|zullen|ben|zijn)\b",
    r"(?:er )?niet (?:bij )?(?:kan|kunnen|zal|zullen) (?:komen|zijn|deelnemen|aanwezig)",
    r"(?:kan|kunnen|kom|komt|ben|zijn) (?:[^\s()]+ ){0,6}?(?:helaas |toch |dan |echt |dus )?"
    r"niet(?: (?:op|om|in|bij|die|deze|de|that|on) (?:[^\s()]+ ){0,3}?[^\s()]+)?\s*[.!]*$",
    r"(?:i|we|i'm|we're|i'll|must|to|regretfully|respectfully) (?:\S+ ){0,2}?declin(?:e|ing)\b",
    r"declin(?:e|ing) (?:the|your|this|with)\b", r"afslaan",  # not "poverty declined"
    r"niet (?:\S+ ){0,3}?uitnodiging in\b",  # "ga niet op ... in"
    r"(?:i'll|i will|i must|i have to|i need to|i'm going to|i'd better) (?:have to )?pass"
    r"(?: on (?:this|it|the)\b| this time|\s*(?:[^\w\s]|$))",        # "I'll pass on this one"
    r"(?:moet|moeten|must|have to) (?:\S+ ){0,3}?(?:passen|pass)\b",
    r"geen gebruik (?:\S+ ){0,2}?maken van (?:uw|de|jullie) uitnodiging",
    r"lukt " + W + r"{0,4}niet",
    r"gaat " + W + r"{0,5}niet lukken",
    r"niet (?:gaan )?lukken",
    r"van de \w*lijst (?:halen|schrappen|af)",
    r"(?:haal|schrap) " + ME + " ",
    r"(?:me|mij) (?:\S+ ){0,8}?(?:afhalen|halen|schrappen)\b",   # "mij van de ... halen"
    r"tussengekomen",
    r"(?:aanmelding|inschrijving) " + W + r"{0,4}(?:intrekken|in te trekken|annuleren)",
    r"trek\w* " + W + r"{0,4}(?:aanmelding|inschrijving) " + W + r"{0,2}in\b",
    r"verstek",                                                   # "verstek laten gaan"
    r"niet in de gelegenheid",
    r"(?:kan|wil|zal) " + W + r"{0,3}niet (?:aanmelden|inschrijven)",   # a decline
    r"(?:me|mij) " + W + r"{0,2}niet (?:aanmelden|inschrijven)",
    r"cancel(?:l?ing|l?ed)?\b", r"(?:my|our) cancellation",  # not "the cancellation of ..."
    r"withdraw(?:ing|n)?\b", r"(?:my|our) withdrawal", r"unsubscribe",
    r"unregister",
    r"count me out",
    r"(?:i|we|i'll|i'm|have to|must|will|'ll) (?:\S+ ){0,2}?drop out\b",  # not "pupils who"
    r"(?:can ?not|can'?t|cannot|unable to|won't be able to|will not be able to|no longer "
    r"(?:be )?(?:able to )?)\s?(?:attend|come|make it|join|be there)",
    r"(?:i'm|i am) (?:afraid )?(?:not able to|unable to) (?:attend|come|make it|join)",
    r"(?:won't|will not|wouldn't) (?:\S+ ){0,2}?(?:make it|come|attend|be there|be able)",
    r"(?:red|redt|redden) (?:\S+ ){0,3}?niet\b", r"laat (?:\S+ ){0,3}?schieten",
    r"(?:is|'s) (?:a )?no-?go\b", r"sit (?:this one|this|it) out", r"terugtrekken",
    r"trek (?:me|mij) (?:\S+ ){0,2}?terug", r"(?:aan (?:me|mij) )?voorbij (?:gaan|laten gaan)",
    r"niet (?:\S+ ){0,4}?(?:kan|kunnen|zal|zullen) (?:komen|zijn|deelnemen)\b",  # "dat hij niet
    # naar de masterclass kan komen"
    r"(?:zou|was|had) (?:\S+ ){0,4}?(?:bij zijn geweest|erbij zijn geweest|aanwezig (?:zijn )?"
    r"geweest|gekomen)\b",                    # "ik zou er graag bij zijn geweest, maar ..."
    r"(?:won't|will not|can't|cannot|can not|couldn't) make (?:wednesday|thursday|tuesday|"
    r"monday|friday|tomorrow|tonight|the (?:25th|evening|masterclass|session))\b",
    r"(?:mijn|onze) plek (?:\S+ ){0,3}?(?:vrijgeven|vrij geven|weggeven|aan iemand anders)",
    r"take (?:me|us|him|her|my name|his name|her name) off",
    r"remove (?:me|us|him|her) from",
    r"something came up",
    r"(?:would|'d) have (?:loved|liked|wanted) to (?:join|come|attend|be there)",  # "I'd have
    r"would've (?:loved|liked|wanted) to (?:join|come|attend|be there)",            # loved to"
    r"had (?:heel |erg )?graag (?:\S+ ){0,4}?(?:gewild|willen|gekomen|aanwezig geweest)",
    r"give (?:it|this one|this) a miss", r"not this time", r"(?:deze|dit) keer (?:dus )?niet",
    r"niet (?:\S+ ){0,2}?geraken", r"geraak (?:\S+ ){0,3}?niet",    # Flemish: "niet geraken"
    r"(?:mag|kan|moet|mogen|kunnen) (?:\S+ ){0,2}?(?:mijn|onze) (?:aanmelding|inschrijving|"
    r"registratie) (?:\S+ ){0,4}?(?:worden |wordt )?(?:geschrapt|ingetrokken|geannuleerd|"
    r"doorgehaald|verwijderd)",                      # "mag mijn aanmelding worden ingetrokken"
    r"^(?:dus |dan |maar )?helaas\W{1,3}(?:niet|nee)\W*$",  # "Dus helaas: nee."
)
SIGN_UP = phrases(
    r"(?:meld|melden|meldt) (?:\S+ ){0,8}?aan\b",             # "meld ik mevrouw Van Dijk aan"
    r"aanmelden\b",
    r"(?:graag|hierbij|bij deze) (?:mijn |onze )?(?:aanmelding|inschrijving|deelname)",
    r"(?:bevestig|bevestigen) " + W + r"{0,3}(?:mijn |onze )?(?:aanmelding|deelname|komst)",
    r"inschrijven\b",
    r"schrijf (?:ik |wij |we )?" + ME + " " + W + r"{0,3}in\b",
    r"schrijft u " + ME + " " + W + r"{0,3}in\b",
    r"noteer " + ME, r"(?:als deelnemer |op de lijst )?noteren\b", r"noteert u " + ME,
    r"(?:wil|willen|zou|zouden) " + W + r"{0,3}(?:graag )?deelnemen",
    r"(?:zal|zullen|ga|gaan) (?:graag |zeker |gaarne )?deelnemen",
    r"neem " + W + r"{0,2}(?:graag )?deel\b",
    r"doe(?:n)? (?:graag |ook )?mee\b",
    r"ik kom(?: ook| gewoon| natuurlijk| heel| erg| graag| zeker| nog steeds)*\s*(?:[^\w\s]|$)",
    r"kom(?:t|en)? (?:heel |erg |zeer |ontzettend )?(?:graag|zeker|er ?graag)",
    r"graag (?:kom|ben) (?:ik|wij|we)\b", r"(?:kom|ben) (?:ik|wij|we) (?:heel )?(?:graag|zeker)\b",

    r"(?:ben|zijn) (?:ik |we |wij )?(?:erbij\b|er (?:graag |zeker |gewoon )?(?:\S+ ){0,3}?bij\b)",
    r"(?:ben|zijn) (?:ik |we |wij )?(?:graag |zeker |gewoon )?bij\s*(?:[^\w\s]|$)",
    r"(?:ben|zijn) " + W + r"{0,2}van de partij\b" + NOT_FOLLOWED_BY_VOOR,
    r"schuif\w* " + W + r"{0,5}aan\b",
    r"aanschuiven",
    r"reken " + W + r"{0,2}op (?:mij|me|ons)\b",
    r"zet (?:u )?(?:me|mij|ons|mijn naam|onze namen) " + W + r"{0,3}op de \w*lijst",
    r"zet (?:u )?(?:me|mij|ons) (?:er )?(?:maar |dan |gerust |vast |alvast )*op\b",  # "zet me
    # er maar vast op"
    r"geef (?:ik |wij |we )?(?:" + ME + r"|hem|haar) (?:\S+ ){0,4}?op\b",  # "geef ik me op"
    r"graag aanwezig",
    r"(?:ik|wij|we) (?:ben|zijn) (?:graag |zeker )?aanwezig",
    r"(?:ik|wij|we) (?:met genoegen |graag |zeker |gaarne )?aanwezig (?:zal|zullen) zijn",
    r"(?:ik|wij|we) (?:zal|zullen) (?:met genoegen |graag |zeker |gaarne )?aanwezig zijn",
    r"(?:ik|we|wij) (?:wil|willen|zou|zouden) " + W + r"{0,3}(?:komen|bijwonen|aanwezig zijn)",
    r"(?:wil|zou|willen) (?:ik|we|wij) " + W + r"{0,3}(?:komen|bijwonen|aanwezig zijn|deelnemen)",
    r"(?:ik|we|wij) (?:zal|zullen) er (?:\S+ ){0,3}?(?:zijn|bij zijn)\b",  # "zeker en vast"
    r"(?:ik|we|wij) (?:wil|willen|zou|zouden) (?:er )?(?:heel |erg )?graag (?:bij zijn|erbij zijn)",
    r"graag (?:komen|bijwonen)",
    r"(?:reserveer|reserveren) " + W + r"{0,3}(?:een )?plek",
    r"graag! ?$",
    r"doe (?:mij|me|ons) (?:maar )?(?:een |twee )?(?:plek|plaats|plekje|stoel)",   # "ja leuk,
    r"(?:i'd|i would|we'd|we would) (?:like|love) (?:one of those|a|one|two) "      # doe mij
    r"(?:\S+ )?(?:seats?|places?|spots?)\b",                                      # maar een plek"
    r"register (?:me|us|myself)\b", r"please register" + ENDS,
    r"(?:i|we|i'd|we'd) (?:would |hereby |want to |wish to |like to |'d like to )?register"
    + ENDS,  # not "register my support"
    r"sign (?:me |us )?up",
    r"count (?:me|us) (?:in|among)\b",
    r"(?:can't|cannot|can not) think of (?:a|any) (?:\S+ )?reason not to",   # "..., so yes"
    r"rsvp\b",
    r"(?:like|love|want|happy|pleased|delighted|glad) to (?:participate|take part|sign up)\b",
    r"(?:like|love|want|happy|pleased|delighted|glad) to (?:attend|join|come|register)"
    + ENDS,  # not "come back to this topic", "attend to it"
    r"(?:i|we) will attend" + ENDS,
    r"(?:i'll|i will|we'll|we will) (?:be there|be coming)\b",
    r"(?:i'll|i will|we'll|we will) (?:attend|join)" + ENDS,
    r"(?:i'll|i will|we'll|we will) come(?:\s*(?:[^\w\s]|$)| (?:to|along|for)\b)",  # not "back"
    r"i'm in\s*(?:[^\w\s]|$)",
    r"(?:add|put|pencil) (?:me|us) (?:down|on the list|in)", r"put down (?:both )?(?:me|us)\b",
    r"add (?:my name|our names)\b", r"(?:one|a) (?:seat|place|spot) for me\b",
    r"(?:put|write|jot|pencil) (?:my name|our names) (?:down|on)",
    r"(?:please )?reserve (?:one|a seat|a place|a spot) for (?:me|us)",
    r"(?:save|keep|hold|reserve) (?:me|us) (?:a )?(?:seat|place|spot|plek|plaats)",
    r"(?:graag|toch) (?:\S+ ){0,2}?(?:een )?(?:plek|plaats|plekje) (?:voor|for) (?:mij|me|ons)\b",
    r"verzoek (?:ik )?u (?:\S+ ){0,3}?(?:in te schrijven|aan te melden|te noteren)",
    r"graag had (?:ik|wij|we) (?:mij|me|ons) (?:\S+ ){0,4}?(?:ingeschreven|aangemeld|opgegeven)",
    r"(?:add|put) (?:me|us) (?:to|on) (?:the|your) (?:\w+ )?list",
    r"still (?:coming|attending|on (?:the|your) list|on for)\b",
    r"(?:i'm|i am|we're|we are) still (?:coming|in\s*(?:[^\w\s]|$))",
)
# a question that *is* the act ("Kunt u mij inschrijven?"): one table per act
_YOU_OR_I = (r"(?:(?:wilt|wil|kunt|kan|kunnen|mag|zou|zoudt) (?:u|je|jij|jullie)|mag ik) "
             r"(?:\S+ ){0,12}?")  # "Kan ik me afmelden?" asks whether it is possible: ABOUT
ASK_SIGN_UP = phrases(
    r"(?:zet|noteert|noteer) u (?:me|mij|ons|hem|haar)\b",
    _YOU_OR_I + r"(?:aanmelden|inschrijven|noteren|op de \w*lijst (?:\S+ )?zetten|"
    r"(?:aan|op) de \w*lijst (?:\S+ )?toevoegen|reserveren|(?:plek|plaats) (?:\S+ )?geven)",
    r"(?:can|could|would) you (?:please |kindly |still )?(?:be able to )?(?:register|sign|add|put|"
    r"pencil|save|hold|reserve|book|keep|squeeze|fit) (?:me|us|my|our|him|her|them|all|both|"
    r"the (?:two|three|four) of us)\b",
    r"any chance (?:you could |to )?(?:squeeze|fit|register|add|put|sign) (?:me|us)\b",
    r"mag ik (?:\S+ ){0,3}?(?:aanschuiven|deelnemen|meedoen|erbij zijn)\b",
    r"mag ik (?:\S+ ){0,3}?komen\s*(?:[^\w\s]|$)",
    r"(?:may|can) i (?:still |please )?(?:register|sign up|join)",
    r"(?:keep|hold|save) (?:my|me a|a) (?:seat|place|spot)", r"(?:pencil|put) (?:me|us) in",
)
ASK_CANCEL = phrases(
    _YOU_OR_I + r"(?:afmelden|uitschrijven|van de \w*lijst (?:\S+ )?(?:halen|afhalen|"
    r"schrappen)|schrappen|doorhalen|vrijgeven|vrij geven|halen|afhalen|intrekken|annuleren)",
    r"(?:can|could|would) you (?:please |kindly )?(?:be able to )?(?:cancel|remove|withdraw|"
    r"unregister) (?:me|us|my|our|him|her|them)\b",
    r"(?:can|could|would) you (?:please )?take (?:me|us|him|her|them|my name|his name|her name|"
    r"our names|their names) off",
    r"would you mind (?:cancel|remov|taking (?:me|us) off|withdraw)",
    r"(?:mag|kan|moet) (?:mijn|onze) (?:aanmelding|inschrijving|registratie) (?:\S+ ){0,3}?"
    r"(?:geschrapt|ingetrokken|geannuleerd|doorgehaald|verwijderd)",
)
WISH = phrases(r"zou (?:er )?(?:heel |erg |ontzettend |echt )?graag", r"had (?:heel |erg )?graag",
               r"would (?:really |very much )?(?:love|like) to",
               r"i'd (?:really )?(?:love|like) to", r"dolgraag", r"(?:wilde|was) (?:\S+ )?graag",
               r"zou (?:\S+ )?(?:komen|deelnemen|aanwezig)", r"graag zou (?:ik|wij|we)",
               r"would (?:come|attend|register|join)", r"niets liever",
               r"nothing (?:i'd like )?better",
               r"(?:be|'d be|would be) (?:happy|delighted|glad|pleased) to")
CONFIRMED_ALREADY = phrases(  # our confirmation or reminder quoted: "Nee" answers something else
    r"u bent ingeschreven", r"u staat op de (?:deelnemers)?lijst", r"bevestiging", r"herinnering",
    r"you are registered", r"you're registered", r"confirmation", r"reminder",
    r"u bent aangemeld", r"confirm\w* your (?:place|seat|registration)",
    r"bevestig\w* (?:uw|je) (?:plaats|plek|aanmelding|inschrijving)")
SEAT_FOR_SOMEONE_ELSE = phrases(  # a sign-up, by definition not the sender's own
    r"(?:take|have|get) (?:my|his|her) (?:seat|place|spot)",
    r"(?:give|giving|geef|geeft|geven) (?:\S+ )?(?:my|mijn|mn|m'n) (?:spot|seat|place|plek|plaats) "
    r"(?:\S+ ){0,2}?(?:to|aan)\b",                               # "give my spot to Sam"
    r"(?:mijn|zijn|haar) (?:plek|plaats) (?:\S+ ){0,3}?(?:overneemt|inneemt|krijgt)",
    r"(?:mijn|zijn|haar) (?:plek|plaats) (?:\S+ ){0,3}?(?:overnemen|innemen|krijgen)",
    r"(?:neemt|neem|nemen) (?:mijn|zijn|haar) (?:plek|plaats) (?:over|in)\b",
    r"in (?:mijn|zijn|haar) (?:plek|plaats)\b", r"in my (?:place|stead)\b", r"instead of me\b")
CONFIRM_REQUEST = phrases(
    r"(?:bevestig|bevestigen|bevestiging) " + W + r"{0,4}(?:aanmelding|inschrijving|deelname)",
    r"(?:aanmelding|inschrijving|deelname) " + W + r"{0,3}bevestigen",
    r"confirm (?:my|our|the) (?:registration|attendance|place|seat|sign-?up)",
    r"confirm\w* (?:once|when|that|if) (?:she|he|i|we|it)",
    r"bevestiging (?:\S+ ){0,4}?(?:sturen|toesturen|mailen|ontvangen|krijgen|bezorgen)",
    r"(?:kunt|kan|wilt|wil|zou) u (?:dit|dat|het|deze|mijn|onze)? ?(?:\S+ ){0,3}?bevestigen",
    r"(?:could|can|would) you (?:please )?confirm",
    r"(?:send|give) (?:me|us) (?:a )?(?:short |brief )?confirmation", r"confirmation that",
    r"(?:laten weten|let me know) (?:dat|of|that|if|whether) (?:de |mijn |my |the )?(?:afmelding|"
    r"aanmelding|inschrijving|cancellation|registration)",
)
YES = linear.compile(r"^\W*(?:ja|jazeker|yes|graag|ja graag|yes please|zeker|prima|top|👍)\W*$",
                     ignorecase=True)
NO = linear.compile(r"^\W*(?:nee|neen|no|helaas nee|helaas niet)(?:\W+(?:helaas|sorry|"
                    r"unfortunately|helaas niet|niet|dank u|dank je|bedankt|thanks|thank you))*"
                    r"\W*$|^\W*(?:nee|no)\W+(?:sorry|helaas|unfortunately)\b[^?]{0,40}$",
                    ignorecase=True)
# the invitation or the call for the last seats, not a confirmation or a reminder
INVITATION = phrases(r"nodig\w* (?:\S+ ){0,4}?uit\b", r"uitgenodigd", r"uitnodiging (?:voor|om)",
                     r"(?:invite|inviting) you", r"you are invited", r"invitation to",
                     r"meld u aan", r"aanmelden kan", r"sign up by", r"to register,? (?:reply|"
                     r"answer|respond)", r"wilt u erbij zijn", r"plaatsen vrij",
                     r"would you like to (?:join|come|attend)",
                     r"seats (?:are )?(?:still )?available", r"laatste plaatsen",
                     r"last seats", r"plaatsen beschikbaar")
SUBJECT_SIGN_UP = phrases(r"aanmeld\w*", r"inschrijv\w*", r"registration", r"register\w*",
                          r"sign[- ]?up", r"deelname", r"rsvp")
SUBJECT_CANCEL = phrases(r"afmeld\w*", r"annuler\w*", r"uitschrijv\w*", r"afzegging",
                         r"cancel\w*", r"withdraw\w*")
