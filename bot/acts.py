"""The phrase tables the intent reader (:mod:`bot.intent`) reads mail with: one table per act or
signal, Dutch and English, one phrase per line so that a newcomer can add one. Data only.

In: nothing. Out: compiled linear-time patterns (:mod:`bot.linear`), each finding any of its
phrases at a word start, case-insensitively, and sets of lemmas (:mod:`simplemma` forms:
``collega's`` is ``collega``, ``colleagues`` is ``colleague``).

A phrase only says that words of an act occur. Whether the sender *performs* the act, for
themselves, for this event, is decided per clause in :mod:`bot.intent`:

- ``SIGN_UP`` / ``CANCEL``: the words of signing up and of cancelling or declining ("ik kan me
  helaas niet aanmelden" is a decline, so ``CANCEL`` is read first);
- ``REQUEST``: a question that *is* the act ("Kunt u mij inschrijven?", "Zou u mij willen
  afmelden?", "Could you put me down?");
- ``ABOUT``: a question *about* an act ("Hoe meld ik me aan?", "Is aanmelden nog mogelijk?");
- ``CONDITION``: a condition or hypothesis around the act ("als ik verhinderd ben", "stel dat",
  "if I sign up");
- ``OTHERS``: somebody else than the sender ("mijn collega", "colleagues", "hij");
- ``OTHER_OCCASIONS`` (lemmas) and ``TIMING``: another occasion or part ("de borrel", "het
  rondetafelgesprek", "ik kom wat later");
- ``HEDGE``: doubt without an act ("misschien", "onder voorbehoud", "I'll let you know");
- ``CONFIRM_REQUEST``: "Kunt u mijn aanmelding bevestigen?" in a sign-up (the confirmation is
  the answer, so it is not a question for staff);
- ``QUESTION_WORDS``: a question asked in words, without a question mark.
"""

from __future__ import annotations

from bot import linear


def phrases(*patterns: str):
    """One linear-time pattern that finds any of ``patterns`` at a word start."""
    return linear.compile(r"\b(?:" + "|".join(patterns) + r")", ignorecase=True, multiline=True)


W = r"(?:[\w'.,-]+ )"  # one word and its space, for "up to N words between"
ME = r"(?:me|mij|mezelf|ons|onszelf)"
# "van de partij", but not "van de partij voor ...": what (?! voor) says, spelled without
# lookahead (RE2 has none): the text ends, or differs from " voor" somewhere
NOT_FOLLOWED_BY_VOOR = r"(?:$|[^ ]| $| [^v]| v$| v[^o]| vo$| vo[^o]| voo$| voo[^r])"

CANCEL = phrases(
    r"(?:meld|melden|meldt) (?:\S+ ){0,8}?af\b",              # "meld ik mij hierbij af"
    r"afmelden", r"afmelding (?:voor|van) (?:de|het|mijn)",        # "afmelding voor de masterclass"
    r"(?:graag|hierbij|bij deze) (?:mijn )?afmelding",
    r"uitschrijv\w*",
    r"schrijf " + ME + r" \S* ?uit",
    r"annule\w+",
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
    r"decline\w*", r"afslaan", r"(?:moet|moeten|must|have to) (?:\S+ ){0,2}?(?:passen|pass)\b",
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
    r"cancel\w*",
    r"withdraw\w*", r"unsubscribe",
    r"unregister",
    r"count me out",
    r"drop out",
    r"(?:can ?not|can't|cannot|unable to|won't be able to|will not be able to|no longer "
    r"(?:be )?(?:able to )?)\s?(?:attend|come|make it|join|be there)",
    r"(?:i'm|i am) (?:afraid )?(?:not able to|unable to) (?:attend|come|make it|join)",
    r"(?:won't|will not|wouldn't) (?:\S+ ){0,2}?(?:make it|come|attend|be there|be able)",
    r"(?:mijn|onze) plek (?:\S+ ){0,3}?(?:vrijgeven|vrij geven|weggeven|aan iemand anders)",
    r"take (?:me|us|him|her) off",
    r"remove (?:me|us|him|her) from",
    r"something came up",
)
SIGN_UP = phrases(
    r"(?:meld|melden|meldt) (?:\S+ ){0,8}?aan\b",             # "meld ik mevrouw Van Dijk aan"
    r"aanmelden\b",
    r"(?:graag|hierbij|bij deze) (?:mijn |onze )?(?:aanmelding|inschrijving|deelname)",
    r"(?:bevestig|bevestigen) " + W + r"{0,3}(?:mijn |onze )?(?:aanmelding|deelname|komst)",
    r"inschrijven\b",
    r"schrijf " + ME + " " + W + r"{0,2}in\b",
    r"noteer " + ME, r"(?:als deelnemer |op de lijst )?noteren\b", r"noteert u " + ME,
    r"(?:wil|willen|zou|zouden) " + W + r"{0,3}(?:graag )?deelnemen",
    r"(?:zal|zullen|ga|gaan) (?:graag |zeker |gaarne )?deelnemen",
    r"neem " + W + r"{0,2}(?:graag )?deel\b",
    r"doe(?:n)? (?:graag |ook )?mee\b",
    r"ik kom(?: ook| gewoon| natuurlijk| heel| erg| graag| zeker| nog steeds)*\s*(?:[^\w\s]|$)",
    r"kom(?:t|en)? (?:heel |erg |zeer |ontzettend )?(?:graag|zeker|er ?graag)",
    r"graag (?:kom|ben) (?:ik|wij|we)\b", r"(?:kom|ben) (?:ik|wij|we) (?:heel )?(?:graag|zeker)\b",

    r"(?:ben|zijn) (?:ik |we |wij )?er ?(?:graag |zeker |gewoon )?(?:\S+ ){0,3}?bij\b",
    r"(?:ben|zijn) (?:ik |we |wij )?(?:graag |zeker |gewoon )?bij\s*(?:[^\w\s]|$)",
    r"(?:ben|zijn) " + W + r"{0,2}van de partij\b" + NOT_FOLLOWED_BY_VOOR,
    r"schuif\w* " + W + r"{0,5}aan\b",
    r"aanschuiven",
    r"reken " + W + r"{0,2}op (?:mij|me|ons)\b",
    r"zet (?:u )?(?:me|mij|ons|mijn naam|onze namen) " + W + r"{0,3}op de \w*lijst",
    r"zet (?:u )?(?:me|mij|ons) (?:er )?(?:maar |dan |gerust )?op\b",   # "zet me er maar op"
    r"geef (?:ik |wij |we )?" + ME + r" (?:\S+ ){0,4}?op\b",     # "dan geef ik me daarvoor op"
    r"graag aanwezig",
    r"(?:ik|wij|we) (?:ben|zijn) (?:graag |zeker )?aanwezig",
    r"(?:ik|we|wij) (?:wil|willen|zou|zouden) " + W + r"{0,3}(?:komen|bijwonen|aanwezig zijn)",
    r"(?:wil|zou|willen) (?:ik|we|wij) " + W + r"{0,3}(?:komen|bijwonen|aanwezig zijn|deelnemen)",
    r"(?:ik|we|wij) (?:zal|zullen) er (?:zeker |graag |gewoon )?(?:zijn|bij zijn)\b",
    r"graag (?:komen|bijwonen)",
    r"(?:reserveer|reserveren) " + W + r"{0,3}(?:een )?plek",
    r"graag! ?$",
    r"register(?: me| us)?\b",
    r"sign (?:me |us )?up",
    r"count (?:me|us) in",
    r"rsvp",
    r"(?:like|love|want|happy|pleased|delighted|glad) to (?:attend|join|come|participate|take "
    r"part|register|sign up)",
    r"(?:i|we) will attend",
    r"(?:i'll|i will|we'll|we will) (?:attend|be there|join|come|be coming)",
    r"i'm in\b",
    r"(?:add|put|pencil) (?:me|us) (?:down|on the list|in)",
    r"(?:add|put) (?:me|us) (?:to|on) (?:the|your) (?:\w+ )?list",
    r"still (?:coming|attending|on|in)\b", r"(?:i'm|i am|we're|we are) still (?:coming|in)",
)
REQUEST = phrases(  # a question that *is* the act
    r"(?:zet|noteert|noteer) u (?:me|mij|ons|hem|haar)\b",
    r"(?:wilt|wil|kunt|kan|kunnen|mag|zou|zoudt) (?:u|je|jij|jullie|ik) (?:\S+ ){0,12}?"
    r"(?:aanmelden|"
    r"inschrijven|noteren|op de \w*lijst zetten|afmelden|uitschrijven|van de \w*lijst halen|"
    r"schrappen|doorhalen|vrijgeven|vrij geven|halen|afhalen|intrekken|annuleren)",
    r"(?:can|could|would) you (?:please |kindly )?(?:register|sign|add|put|cancel|remove|take|"
    r"pencil)",
    r"(?:may|can) i (?:still |please )?(?:register|sign up|join)",
)
ABOUT = phrases(  # a question about an act: how, whether it is possible, what happens if
    r"hoe (?:meld|kan|moet|schrijf|doe)", r"waar (?:kan|moet) ik", r"wanneer (?:moet|kan)",
    r"tot wanneer", r"(?:is|zijn) " + W + r"{0,4}(?:nog )?mogelijk", r"is er nog (?:plek|ruimte)",
    r"(?:kan|kunnen) (?:ik|wij|we|je|men) " + W + r"{0,4}(?:nog|ook|pas|later|eerst)",
    r"moet (?:ik|je) " + ME + r"? ?(?:apart|eerst|nog|ook)", r"hoef (?:ik|je)",
    r"how (?:do|can|should) (?:i|we)", r"is it (?:still )?possible", r"can (?:i|we) still",
    r"do (?:i|we) (?:need|have) to", r"until when", r"by when", r"where (?:do|can) (?:i|we)",
)
CONDITION = phrases(
    r"als (?:ik|je|u|we|wij|het|de|er|dat|mijn|jullie|zij|hij|ze|die|deze)\b", r"indien",
    r"mocht(?:en)?", r"stel dat", r"voor het geval", r"in geval van", r"in het geval",
    r"tenzij", r"voordat", r"alvorens", r"zodra", r"mits", r"of ik",
    r",\s*dan\b",                      # "lukt het niet, dan hoort u het": what came before is one
    r"if (?:i|we|you|it|the|my|there)\b", r"in case", r"unless", r"before (?:i|we)\b",
    r"should (?:i|we) (?:not )?(?:be|have|need)", r"provided (?:that)?", r"assuming",
)
OTHERS = phrases(  # somebody else acts (the sender is not the subject)
    r"(?:mijn|onze|de|het|een|haar|zijn) (?:collega\w*|fractiegeno\w+|medewerker\w*|"
    r"assistent\w*|secretaris\w*|stagiair\w*|woordvoerder\w*|kamerlid|kamerleden|leden)",
    r"(?:hij|zij|ze) (?:kan|komt|wil|moet|is|zal|heeft|meldt|zegt)", r"collega's",
    r"(?:de heer|mevrouw|mevr\.|dhr\.) \w",
    r"(?:zijn|haar|his|her) (?:aanmelding|inschrijving|plek|plaats|place|seat|registration)",
    r"(?:hem|haar) (?:\S+ ){0,3}?(?:aanmelden|inschrijven|afmelden|noteren|uitschrijven|op de)",
    r"(?:register|sign|add|put|remove|cancel|take) (?:him|her)\b",
    r"(?:my|our|the) (?:colleague|assistant|staff|secretary|intern|mp)\w*", r"colleagues",
    r"(?:he|she) (?:can|will|is|has|would|cannot|can't)",
)
OTHER_OCCASIONS = frozenset((
    "borrel rondetafelgesprek debat commissievergadering commissie werkbezoek nieuwsbrief "
    "mailinglijst verzendlijst diner lunch receptie hoorzitting briefing vergadering "
    "fractievergadering plenaire webinar drink dinner reception newsletter hearing meeting "
    "roundtable mailing"
).split())
THIS_EVENT = frozenset("masterclass bijeenkomst avond event evening nieuwspoort".split())
NAMED_SUBJECT = linear.compile(  # "Floor Lammers wil graag komen": a person named, not "ik"
    r"^(?:[A-Z][\w'-]+ ){2,3}(?:wil|komt|kan|zou|is|heeft|meldt|zegt|would|will|can|is|has)\b")
WISH = phrases(r"zou (?:heel |erg |ontzettend |echt )?graag", r"had (?:heel |erg )?graag",
               r"would (?:really |very much )?(?:love|like) to",
               r"i'd (?:really )?(?:love|like) to")
AFTER_A_QUESTION = phrases(r"^dan\b", r"^(?:if so|then)\b")  # "(Is er plek?) Dan kom ik."
REAFFIRM = phrases(r"nog steeds", r"still", r"gewoon", r"zelf", r"anyway", r"though")
TIMING = phrases(r"(?:wat|iets|een beetje|half uur|kwartier|uur) (?:later|eerder)",
                 r"later (?:komen|aansluiten|binnen)", r"eerder weg", r"eerder vertrekken",
                 r"pas om", r"(?:arrive|be) (?:a bit |a little )?late", r"leave early",
                 r"(?:have to|need to|must|moet|moeten) (?:\S+ ){0,2}?(?:leave|weg|vertrekken)",
                 r"join later")
HEDGE = phrases(
    r"misschien", r"wellicht", r"onder voorbehoud", r"laat (?:\S+ ){0,4}?weten",
    r"denk erover na", r"nog niet zeker", r"weet (?:ik )?nog niet", r"voorlopig",
    r"maybe", r"perhaps", r"tentative\w*", r"not sure", r"pencil me in", r"probably",
    r"waarschijnlijk", r"vermoedelijk",
    r"(?:i'll|i will) (?:let you know|confirm later)", r"not yet certain",
)
FORMAL = phrases(  # someone named as staff name an MP: their acts are written on the MP's behalf
    r"de heer", r"mevrouw", r"mevr\.", r"dhr\.", r"kamerlid", r"\bmp\b", r"the member")
BEHALF = phrases(  # the sender writes for someone else: their acts are on that person's behalf
    r"namens", r"on behalf of", r"in opdracht van", r"(?:i am|i'm) writing for")
NOT_CANCELLING = phrases(  # "ik meld me niet af": a cancellation denied is no cancellation
    r"(?:meld|melden) (?:\S+ ){0,4}?niet af\b", r"niet (?:af ?(?:te )?melden|afzeggen|annuleren)",
    r"geen afmelding", r"(?:not|don't|do not|won't|never) (?:cancel|withdraw|unregister)",
    r"not cancell?ing", r"(?:hoef|hoeft) (?:\S+ ){0,3}?niet af")
DEFER = phrases(r"(?:maar )?eerst (?:nog )?een vraag", r"first (?:a|one) question",
                r"before (?:i do|that)", r"voordat ik dat doe")
CORRECTION = phrases(r"(?:please )?ignore (?:that|my (?:previous|last|earlier))",
                     r"negeer (?:dat|mijn (?:vorige|eerdere))", r"vergeet mijn vorige")
SEAT_FOR_SOMEONE_ELSE = phrases(  # a sign-up, by definition not the sender's own
    r"(?:take|have|get) (?:my|his|her) (?:seat|place|spot)",
    r"(?:mijn|zijn|haar) (?:plek|plaats) (?:\S+ ){0,3}?(?:overnemen|innemen|krijgen)",
    r"(?:neemt|neem|nemen) (?:mijn|zijn|haar) (?:plek|plaats) (?:over|in)\b")
CONFIRM_REQUEST = phrases(
    r"(?:bevestig|bevestigen|bevestiging) " + W + r"{0,4}(?:aanmelding|inschrijving|deelname)",
    r"(?:aanmelding|inschrijving|deelname) " + W + r"{0,3}bevestigen",
    r"confirm (?:my|our|the) (?:registration|attendance|place|seat|sign-?up)",
    r"confirm\w* (?:once|when|that|if) (?:she|he|i|we|it)",
    r"bevestiging (?:\S+ ){0,4}?(?:sturen|toesturen|mailen|ontvangen|krijgen)",
    r"(?:kunt|kan|wilt|wil|zou) u (?:dit|dat|het|deze|mijn|onze)? ?(?:\S+ ){0,3}?bevestigen",
    r"(?:could|can|would) you (?:please )?confirm",
    r"(?:send|give) (?:me|us) (?:a )?(?:short |brief )?confirmation", r"confirmation that",
)
QUESTION_WORDS = phrases(
    r"ik heb een vraag", r"vraag over", r"mijn vraag", r"graag (?:zou ik|wil ik) weten",
    r"ik vroeg me (?:\S+ )?af", r"ik hoor graag (?:of|wat|hoe|wanneer|waar|welke)",
    r"(?:graag |gaarne )?verneem (?:ik )?(?:graag |gaarne )?(?:of|wat|hoe|wanneer|waar|welke)",
    r"bij voorbaat dank voor uw antwoord",
    r"laat (?:u|je) (?:me|mij) weten (?:of|wat|hoe|wanneer)",
    r"i have a question", r"could you (?:tell|let) me", r"i was wondering",
    r"please let me know",
)
# where a clause ends: ";", a contrast ("..., maar ...", "... but ..."; a bare "maar" is
# mostly a particle, "zet me maar op de lijst", so it needs a comma), and "en"/"and" before a
# new subject ("ik meld me aan en ik meld me af"); groups 1 and 2 are a contrast word, group 3
# the new subject, which stays with the clause after the cut
CLAUSE_END = linear.compile(
    r";\s*|[,:]\s*(maar|echter|doch)\b|,?\s+(but|however)\b|,?\s+(?:en|and)\s+"
    r"((?:ik|wij|we|i)\b)", ignorecase=True)
# an occasion the act is for: "voor de borrel", "van het rondetafelgesprek", "from the newsletter"
OCCASION_OBJECT = linear.compile(
    r"\b(?:voor|van|bij|na|tijdens|for|from|to|at|after|of|off) (?:de |het |een |die |dat |the |a |"
    r"this |that |your |uw |jullie |onze |our )?([\w-]+)", ignorecase=True)
YES = linear.compile(r"^\W*(?:ja|jazeker|yes|graag|ja graag|yes please|zeker|prima|top)\W*$",
                     ignorecase=True)
NO = linear.compile(r"^\W*(?:nee|neen|no)\b[^?]*$", ignorecase=True)
INVITATION = phrases(r"uitnodig\w*", r"uitgenodigd", r"nodig\w* (?:\S+ ){0,4}?uit\b",
                     r"invitation", r"invite", r"meld u aan", r"aanmelden kan",
                     r"sign up", r"register")
SUBJECT_SIGN_UP = phrases(r"aanmeld\w*", r"inschrijv\w*", r"registration", r"register\w*",
                          r"sign[- ]?up", r"deelname", r"rsvp")
SUBJECT_CANCEL = phrases(r"afmeld\w*", r"annuler\w*", r"uitschrijv\w*", r"afzegging",
                         r"cancel\w*", r"withdraw\w*")
