"""Cues that make the words of an act (:mod:`bot.judge.acts`) no act of the sender, now, for this
event; and the grammar :mod:`bot.judge.clauses` cuts sentences with. Data only.

In: nothing. Out: compiled linear-time patterns (:mod:`bot.linear`; made with
:func:`bot.judge.acts.phrases` unless said otherwise) and two sets of occasion words, compared with
simplemma's lemmas ("borrels" is "borrel") in :mod:`bot.judge.clauses`. Read in
:func:`bot.judge.reading.read_clause` and :func:`bot.judge.intent.read_intent`:

- ``ABOUT``: a question *about* an act ("Hoe meld ik me aan?", "Kan ik me nog aanmelden?");
  ``QUESTION_WORDS``: a question without a question mark; ``RHETORICAL``: one that asks
  nothing ("Wie had dat toen kunnen denken?");
- ``CONDITION``, ``AFTER_A_QUESTION`` ("Dan ..."), ``AFTERTHOUGHT`` ("Tenminste, als ..." in
  the next sentence): a condition or hypothesis;
- ``OTHERS``, ``NAMED_SUBJECT`` (case-sensitive), ``FORMAL``, ``BEHALF`` (but not
  ``FOR_A_GROUP``): somebody else acts, or the sender acts for somebody else; ``GROUP``: a
  sign-up or cancellation for more people than the sender ("wij komen met z'n drieën");
- ``SEAT_LEFT``: "als er nog plek is", a condition the bot answers itself (staff confirm);
- ``OTHER_OCCASIONS`` / ``THIS_EVENT`` (words), ``OCCASION_OBJECT`` (where the act's object
  starts), ``BECAUSE`` (a reason, not an object), ``ANAPHORA`` ("daarvoor"), ``TIMING``
  (coming late, leaving early): another occasion or part of the evening;
- ``HEDGE`` (but not ``HEDGE_NOT_ABOUT_THE_ACT``), ``DEFER``, ``CORRECTION``: doubt, "first
  a question", "ignore my last mail";
- ``NOT_CANCELLING``, ``NOT_SIGNING_UP``, ``PAST``, ``NOT_MINE`` (quoted words, "het
  aanmelden"): denied, put off, done before, or nobody's act;
- ``REAFFIRM``: "still coming" is no new sign-up;
- ``CLAUSE_END``: where a sentence is cut into clauses.
"""

from __future__ import annotations

from bot import linear
from bot.judge.acts import ME, W, phrases

ABOUT = phrases(  # a question about an act: how, whether it is possible, what happens if
    r"hoe (?:meld|kan|moet|schrijf|doe)", r"waar (?:kan|moet) ik", r"wanneer (?:moet|kan)",
    r"tot wanneer", r"(?:is|zijn) " + W + r"{0,4}(?:nog )?mogelijk", r"is er nog (?:plek|ruimte)",
    r"(?:kan|kunnen) (?:ik|wij|we|je|men) " + W + r"{0,4}(?:nog|ook|pas|later|eerst)",
    r"moet (?:ik|je) " + ME + r"? ?(?:apart|eerst|nog|ook)", r"hoef (?:ik|je)",
    r"how (?:do|can|should) (?:i|we)", r"is it (?:still )?possible", r"can (?:i|we) still",
    r"do (?:i|we) (?:need|have) to", r"until when", r"by when", r"where (?:do|can) (?:i|we)",
    r"hoe (?:ik|je|we|wij|men)\b", r"how (?:i|we|to)\b", r"uitleggen", r"explain",
    r"or (?:does|do|will|would|is|can) (?:it|they|that|the)\b",   # "would you hold my seat,
    r"of (?:gaat|wordt|vervalt|gaan|is) (?:die|deze|mijn|het|de)\b",  # or does it go to ...?"
)
AFTERTHOUGHT = phrases(  # a sentence that puts a condition on the one before it
    r"^(?:tenminste|althans|at least|that is|only if|alleen als|mits|tenzij|unless|provided)\b",
    r"^(?:als|if|indien) (?:\S+ ){0,3}?(?:tenminste|althans|at least)\b")
SEAT_LEFT = phrases(  # a condition the bot answers itself: a seat, or the waiting list
    r"(?:als|indien|mits) er (?:nog )?(?:een )?(?:plek|plaats|ruimte)",
    r"if (?:there (?:is|are)|there's) (?:still )?(?:a )?(?:seat|place|room|space)",
    r"(?:if|as long as) (?:seats|places) (?:are )?(?:still )?(?:available|left)")
CONDITION = phrases(
    r"wanneer (?:ik|je|u|we|wij|het|de|er|dat|mijn|jullie|zij|hij|ze|die|deze)\b", r"ingeval",
    r"als (?:stemmingen|debatten|\w+ uitlopen|\w+ uitloopt)", r"if\b",
    r"als (?:ik|je|u|we|wij|het|de|er|dat|mijn|jullie|zij|hij|ze|die|deze)\b", r"indien",
    r"mocht(?:en)?", r"stel dat", r"voor het geval", r"in geval van", r"in het geval",
    r"tenzij", r"voordat", r"alvorens", r"zodra", r"mits", r"of ik", r"wat als",
    r"suppose", r"supposing", r"what if", r"in dat geval", r"in that case", r"^otherwise\b",
    r"^anders\b", r"^zo niet\b", r"bij (?:uitlopende|late)", r"behoudens", r"barring",
    r"permitting", r"subject to", r"(?:toelaat|toelaten)\b", r"als alles meezit",
    r"twijfel",                        # "ik twijfel over aanmelden": undecided, no act yet
    r"niet,? dan (?:hoort|hoor|laat|meld|krijgt|zeg)\b",  # "Lukt het niet dan hoort u het"
    r",\s*dan\b",                      # "lukt het niet, dan hoort u het": what came before is one
    r"in case", r"unless", r"before (?:i|we)\b",
    r"should (?:i|we) (?:not )?(?:be|have|need)", r"provided (?:that)?", r"assuming",
    r"^should (?:the|it|my|our|there|this|that|anything|something)\b",   # "Should the debate
    # run over, I won't make it"
)
OTHERS = phrases(  # somebody else acts (the sender is not the subject)
    r"(?:mijn|onze|de|het) (?:secretariaat|fractievoorzitter|voorzitter|baas|chef)",
    r"secretariaat (?:doet|regelt|meldt)", r"(?:geef|meld|schrijf) (?:ik |wij |we )?(?:hem|haar)\b",
    r"(?:mijn|onze|de|het|een|haar|zijn) (?:\w+ )?\w*(?:medewerker|assistent|secretaris|"
    r"stagiair|collega)\w*",
    r"(?:mijn|onze|de|het|een|haar|zijn) (?:collega\w*|fractiegeno\w+|medewerker\w*|"
    r"assistent\w*|secretaris\w*|stagiair\w*|woordvoerder\w*|kamerlid|kamerleden|leden|"
    r"introduc[eé]\w*|partner|man|vrouw|echtgeno\w+|gast|gasten|vervanger|plaatsvervanger)\b",
    r"(?:hij|zij|ze) (?:kan|komt|wil|moet|is|zal|heeft|meldt|zegt)", r"collega's",
    r"(?:de heer|mevrouw|mevr\.|dhr\.) \w",
    r"(?:zijn|haar|his|her) (?:aanmelding|inschrijving|plek|plaats|place|seat|registration)",
    r"(?:hem|haar) (?:\S+ ){0,3}?(?:aanmelden|inschrijven|afmelden|noteren|uitschrijven|op de|"
    r"in te schrijven|aan te melden|af te melden)",
    r"(?:register|sign|add|put|remove|cancel|take) (?:him|her)\b",
    r"(?:u|you) (?:hem|haar|him|her|them) (?:\S+ ){0,3}?(?:een |a )?(?:plek|plaats|seat|place|"
    r"spot)",
    r"(?:my|our|the) (?:\w+ )?(?:colleague|assistant|staff|secretary|intern|mp|guest|partner|"
    r"husband|wife|substitute|replacement|deputy|plus-one|chief of staff|advis[eo]r|aide)\w*",
    r"colleagues",
    r"(?:he|she) (?:can|will|is|has|would|cannot|can't)",
    r"(?:twee|drie|vier|vijf|zes|two|three|four|five|six|\d) (?:plaatsen|plekken|kaarten|seats|"
    r"places|spots|tickets)",                                 # "drie plaatsen op mijn naam"
)
GROUP = phrases(  # a sign-up for more people than the sender
    r"(?:wij|we) (?:\S+ ){0,3}?(?:komen|zijn|doen|melden|schrijven|nemen|graag)",
    r"(?:count|sign|put|register) us\b", r"(?:zet|schrijf|noteer|meld) (?:u )?ons\b",
    r"met (?:z'n |zijn |ons )?(?:tweeën|drieën|vieren|twee|drie|vier)\b",
    r"(?:two|three|four|five|both|all) of us\b", r"allebei",
    r"(?:wij|we) (?:beiden|allen|both|all)\b",
    r"\w+ (?:en|and) (?:ik|i) (?:kunnen|komen|zijn|moeten|willen|can|will|are|have|would)\b",
    r"^ik (?:kunnen|komen|zijn|moeten|willen)\b")
OTHER_OCCASIONS = frozenset((  # also the end of a compound: "commissiedebat", "expertmeeting"
    "interview overleg bespreking ontbijt symposium congres conferentie conference seminar "
    "rondleiding avondeten etentje kennissessie presentatie jaarverslag petitie opening debate "
    "afspraak appointment dieetwens aanvraag tolk interpreter nieuws "
    "nieuwsbericht email e-mail update livestream reservation reservering parking "
    "parkeerplaats parkeerplek taxi "
    "workshop training gesprek plenair "
    "borrel rondetafelgesprek debat commissievergadering commissie werkbezoek nieuwsbrief "
    "mailinglijst verzendlijst diner lunch receptie hoorzitting briefing vergadering "
    "fractievergadering plenaire webinar drink dinner reception newsletter hearing meeting "
    "roundtable mailing"
).split())
THIS_EVENT = frozenset("masterclass bijeenkomst avond event evening nieuwspoort".split())
NAMED_SUBJECT = linear.compile(  # "Floor Lammers wil graag komen": a person named, not "ik";
    # case-sensitive, since the capitals are what make it a name
    r"^(?:[A-Z][\w'-]+ ){2,3}(?:wil|komt|kan|zou|is|heeft|meldt|zegt|would|will|can|has)\b|"
    r"\b(?:kan|komt|is|zal|wil|moet) [A-Z][\w'-]+ (?:[A-Z][\w'-]+ )?(?:\w+ )?niet\b|"  # "Helaas
    r"^\w+,? [A-Z][\w'-]+ (?:[A-Z][\w'-]+ )?(?:cannot|can't|can|will|won't|is|has)\b")
AFTER_A_QUESTION = phrases(r"^dan\b", r"^(?:if so|then|zo ja)\b")  # "(Is er plek?) Dan kom ik."
REAFFIRM = phrases(r"nog steeds", r"still", r"gewoon", r"anyway", r"though")
TIMING = phrases(r"(?:wat|iets|een beetje|half uur|kwartier|uur) (?:later|eerder)",
                 r"later (?:komen|aansluiten|binnen)", r"eerder weg", r"eerder vertrekken",
                 r"pas om", r"(?:arrive|be) (?:a bit |a little )?late", r"leave early",
                 r"(?:have to|need to|must|moet|moeten) (?:\S+ ){0,2}?(?:leave|weg|vertrekken)",
                 r"join later", r"(?:slip|duck|step|sneak|head) (?:out|off|away)\b",
                 r"leave (?:at|around|before|by|halfway)\b", r"\d+ (?:minutes|minuten|min) (?:late|"
                 r"later|te laat)", r"(?:before|until|till) \d", r"het begin",
                 r"(?:voor|tot) \d{1,2}(?:[.:]\d\d| ?uur)", r"the (?:start|beginning)",
                 r"niet op tijd",
                 r"not (?:\S+ ){0,2}?on time", r"kwart (?:over|voor) \w+",
                 r"(?:om|rond|around|at) (?:\d{1,2}[.:]\d\d|half \w+|\d{1,2} ?uur)\b",
                 r"(?:weg|vertrekken|vertrek) (?:om|rond)\b",
                 r"(?:eerste|tweede|laatste|first|second|last) (?:deel|uur|helft|part|hour|half)\b",
                 r"(?:na|after) (?:de |the )?(?:pauze|break)", r"the opening")
HEDGE = phrases(
    r"mogelijk (?:moet|kan|ben|kom|meld|zal)", r"het kan zijn dat", r"might", r"may have to",
    r"eventueel", r"grote kans", r"could be that",
    r"misschien", r"wellicht", r"onder voorbehoud", r"laat (?:\S+ ){0,4}?weten",
    r"denk erover na", r"nog niet zeker", r"weet (?:ik )?nog niet", r"voorlopig",
    r"maybe", r"perhaps", r"tentative\w*", r"not sure", r"pencil me in", r"probably",
    r"waarschijnlijk", r"vermoedelijk",
    r"(?:i'll|i will) (?:let you know|confirm later|know (?:by|on|tomorrow|later))",
    r"not yet certain", r"(?:hou|houd) (?:\S+ ){0,2}?op de hoogte", r"keep you posted",
    r"i think i (?:can|could|will|'ll)", r"(?:ik )?denk (?:ik )?dat ik", r"no promises",
    r"geen beloftes?", r"let me (?:look|check)", r"get back to you", r"for now\b",
    r"kom (?:er )?(?:nog )?op terug", r"(?:ik )?probeer", r"(?:i'll|i will) try\b",
    r"dan zie ik wel", r"we'll see", r"in principe", r"denk ik\b", r"i think\b",
    r"met voorbehoud", r"voorbehoud", r"mogelijk (?:\S+ )?(?:afzeggen|afmelden|niet|komen)",
    r"(?:might|may) (?:\S+ )?(?:need|have) to", r"het (?:kan|zou) (?:\S+ )?(?:zijn|kunnen)",
    r"(?:er is |there's |there is )?(?:een |a )?(?:kans|chance) (?:dat|that|i)\b", r"possibly",
    r"(?:i'm|i am) (?:\S+ )?(?:considering|thinking (?:about|of))", r"overweeg\w*",
    r"(?:come|get) back to you", r"as soon as i know", r"zodra ik (?:het )?weet",
    r"can'?t say yes", r"not saying no",
)
ABOUT_COMING = phrases(  # doubt without an act counts when it is about coming ("misschien lukt
    r"kom\w*", r"erbij", r"aanwezig", r"lukt", r"lukken", r"make it", r"attend", r"come",
    r"be there", r"join", r"red\b", r"redden", r"laat (?:\S+ ){0,4}?weten", r"know",
    r"back to you", r"posted", r"zie ik wel", r"we'll see", r"zeker", r"sure", r"agenda",
    r"diary", r"schedule", r"planning", r"say (?:yes|no)")  # het niet"), not "misschien is
# dat overbodige informatie"
# doubt about what the list says ("As I'm probably not on your list yet") or about the time
# ("I might be five minutes late"), not about coming
HEDGE_NOT_ABOUT_THE_ACT = phrases(
    r"(?:might|may|could|kan|misschien|wellicht|probably|waarschijnlijk) (?:\S+ ){0,3}?(?:late|"
    r"later|te laat|eerder weg)\b",
    r"(?:not|niet|already|al) (?:yet )?(?:on|op) (?:your|the|jullie|uw|de) (?:\w+)?(?:list|lijst)",
    r"already (?:registered|signed)",
    r"al (?:ingeschreven|aangemeld)")
PAST = phrases(  # act words about the past perform nothing now
    r"vorige keer", r"vorig jaar", r"last (?:time|year)", r"toen ik",
    r"(?:it's |it is )?not that i", r"niet dat ik", r"het is niet (?:zo )?dat ik",  # and "not
    # that I don't want to" is no sign-up either
    r"(?:was|were|is|got|werd|been) (?:\S+ )?(?:cancelled|canceled|geannuleerd|afgelast)\b")
NOT_MINE = linear.compile(  # words that are not the sender's act: a noun, somebody's quoted words
    r"\b(?:het|bij het|na het|voor het) (?:aanmelden|afmelden|inschrijven|registreren)\b|"
    r"[\"“„][^\"“”„]{3,300}[\"”]|\x{2018}[^\x{2018}\x{2019}]{3,300}\x{2019}|"  # curly single quotes
    r"\b(?:het|dat) kan (?:toch )?niet (?:zo )?zijn\b",
    ignorecase=True)
FORMAL = phrases(  # someone named as staff name an MP: their acts are written on the MP's behalf
    r"de heer", r"mevrouw", r"mevr\.", r"dhr\.", r"kamerlid", r"\bmp\b", r"the member")
BEHALF = phrases(  # the sender writes for someone else: their acts are on that person's behalf
    r"namens", r"on behalf of", r"in opdracht van", r"(?:i am|i'm) writing for",
    r"(?:vroeg|vraagt|asked) (?:mij|me) (?:\S+ ){0,3}?(?:te laten weten|door te geven|to let you "
    r"know|to tell you)",
    r"(?:ik ben|i am|i'm) (?:de |het |the |a |an )?(?:\w+ )?(?:\w*medewerker|assistent\w*|"
    r"secretar\w+|assistant|aide|advis[eo]r|staffer) (?:van|of|to|for)\b")
FOR_A_GROUP = phrases(  # ... but "ik voer namens mijn fractie het woord" is the sender's own role
    r"(?:namens|on behalf of) (?:mijn |onze |de |het |my |our |the )?(?:fractie|partij|commissie|"
    r"kamer|delegatie|party|group|committee|delegation|parliament)")
ANAPHORA = phrases(  # the act points back at what the sentence before named
    r"daarvoor", r"ervoor", r"daarvan", r"ervan", r"hiervoor", r"hiervan",
    r"(?:for|from) (?:it|that|this)\s*(?:[^\w\s]|$)")
NOT_CANCELLING = phrases(  # "ik meld me niet af": a cancellation denied is no cancellation
    r"niet verhinderd", r"(?:didn't|did not|haven't|have not|hadn't|never) (?:\S+ )?(?:cancel|"
    r"withdr|unregister)", r"(?:heb|had) (?:\S+ ){0,3}?niet (?:afgemeld|geannuleerd|afgezegd)",
    r"(?:mijn|de) afmelding (?:\S+ ){0,3}?(?:annuleren|intrekken|ongedaan)",
    r"(?:cancel|undo|withdraw) (?:my|the) cancellation",
    r"(?:meld|melden) (?:\S+ ){0,4}?niet af\b", r"niet (?:af ?(?:te )?melden|afzeggen|annuleren)",
    r"geen afmelding", r"(?:not|don't|do not|won't|never) (?:cancel|withdraw|unregister)",
    r"not cancell?ing", r"(?:hoef|hoeft) (?:\S+ ){0,3}?niet af",
    r"(?:afmelden|afzeggen|annuleren|uitschrijven|cancel\w*|withdraw\w*) (?:is|hoeft) (?:\S+ )?"
    r"(?:niet|geen|not)\b", r"no need to (?:cancel|withdraw)", r"(?:not|never) (?:going|gonna) "
    r"to (?:cancel|withdraw)", r"(?:kan|kon) (?:ik )?(?:\S+ )?niet afslaan",
    r"(?:couldn't|could not|can't|cannot) (?:possibly )?(?:decline|refuse|say no)",
    r"can'?t come soon enough")
NOT_SIGNING_UP = phrases(  # "zet mij nog niet op de lijst": a sign-up put off is none
    r"nog (?:even )?niet (?:op de \w*lijst|aanmelden|inschrijven|noteren)",
    r"(?:don't|do not|not yet) (?:\S+ )?(?:put|add|register|sign|pencil) (?:me|us)\b",
    r"(?:me|us) (?:down |in )?(?:just )?yet\b")
DEFER = phrases(r"(?:maar )?eerst (?:nog )?een vraag", r"first (?:a|one) question",
                r"before (?:i do|that)", r"voordat ik dat doe",
                r"before i (?:sign up|register|commit|decide|confirm)",
                r"voordat ik (?:me |mij )?(?:aanmeld|inschrijf|beslis)")
MISDIRECTED = phrases(  # "dit bericht was niet voor u bedoeld": nothing in it is for us
    r"niet voor (?:u|jullie) bedoeld", r"verkeerde (?:ontvanger|persoon|adres|geadresseerde)",
    r"wrong (?:person|recipient|address)", r"not (?:meant|intended) for you", r"per abuis",
    r"sent (?:\S+ )?(?:by mistake|in error)", r"per ongeluk (?:\S+ ){0,3}?(?:gestuurd|verstuurd)")
PASTED = phrases(  # "Onderstaand de reactie van het Kamerlid:": the words below are someone else's
    r"(?:onderstaand|hieronder)(?: de| het)? (?:reactie|antwoord|bericht) van",
    r"(?:below|here) is (?:the |her |his )?(?:reply|response|answer|message) (?:of|from)")
TROUBLE = phrases(  # "aanmelden via de website lukt niet": a question for staff, no decline
    r"via (?:de|uw|jullie|het|the|your) (?:website|site|link|formulier|aanmeldformulier|form)",
    r"(?:website|formulier|form|link) (?:\S+ ){0,3}?(?:werkt|doet het|works?) (?:niet|not)\b",
    r"foutmelding", r"error message", r"(?:website|form|link) (?:doesn't|does not|won't)")
NEXT_TIME = phrases(  # "meld me aan voor een volgende keer": not this evening
    r"volgende (?:keer|editie|ronde|masterclass)", r"volgend jaar", r"next (?:time|one|edition|"
    r"year|masterclass)", r"in gedachten", r"in spirit")
ONLINE = phrases(  # another way to follow it: no seat ("I'll join online")
    r"online\b", r"digitaal", r"livestream", r"via (?:teams|zoom|de stream|the stream)")
NEGATION = phrases(  # a sign-up denied: "ik meld me niet aan", "I don't think I'll be there"
    r"niet\b", r"geen\b", r"nooit\b", r"not\b", r"never\b", r"\w+n't\b", r"unlikely\b",
    r"doubt\w*", r"onwaarschijnlijk")
NOT_NEGATED = phrases(  # ... but these negations say yes
    r"niet (?:te )?missen", r"(?:not|n't) (?:want to |wanna )?miss", r"kan niet wachten",
    r"can'?t wait", r"geen (?:twijfel|probleem)", r"no (?:doubt|problem)", r"not a problem",
    r"niet alleen", r"not only", r"waarom niet", r"why not", r"(?:dream|think) of missing")
BUT_NO = phrases(  # a sentence after a wish ("I'd love to come.") that starts to say no
    r"^(?:helaas|unfortunately|however|alas|jammer genoeg|regrettably|sadly|maar|but|alleen|"
    r"echter)\b")
LIMITS = phrases(  # ... and words that limit the yes instead ("maar dan online"): for staff
    r"dan (?:wel|alleen)", r"alleen (?:als|voor|het|de|online)", r"only", r"pas\b", r"eerst\b",
    r"first", r"met mijn", r"with my", r"as long as", r"zolang")
CORRECTION = phrases(r"(?:please )?ignore (?:that|my (?:previous|last|earlier))",
                     r"negeer (?:dat|mijn (?:vorige|eerdere))", r"vergeet mijn vorige")
RHETORICAL = phrases(  # a question nobody is asked to answer
    r"wie had (?:\S+ ){0,2}?(?:kunnen denken|gedacht|kunnen vermoeden)", r"who would have thought",
    r"who (?:could|would) have (?:guessed|imagined)")
QUESTION_WORDS = phrases(
    r"^(?:kunt|kan|wilt|zou|could|can|would) (?:u|you|je|jij) (?:\S+ ){0,3}?(?:uitleggen|"
    r"vertellen|explain|tell)\b", r"^tot wanneer", r"i wonder", r"(?:vraag|vroeg) (?:me|mij) af",
    r"is it (?:ok|okay|alright|all right|a problem)\b", r"is het (?:goed|oké|ok|erg|een "
    r"probleem) (?:als|dat)\b",
    r"^(?:hoe|how)\b", r"^(?:wat|what) (?:is|zijn|moet|kan|are|should|do)\b",
    r"ik heb een vraag", r"vraag over", r"mijn vraag", r"graag (?:zou ik|wil ik) weten",
    r"ik vroeg me (?:\S+ )?af", r"ik hoor graag (?:of|wat|hoe|wanneer|waar|welke)",
    r"(?:graag |gaarne )?verneem (?:ik )?(?:graag |gaarne )?(?:of|wat|hoe|wanneer|waar|welke)",
    r"bij voorbaat dank voor uw antwoord",
    r"laat (?:u|je) (?:me|mij) weten (?:of|wat|hoe|wanneer)",
    r"i have a question", r"could you (?:tell|let) me", r"i was wondering",
    r"please let me know", r"(?:zou|wil) (?:ik )?(?:\S+ ){0,2}?weten", r"ik ben benieuwd",
    r"(?:i'd|i would|we'd|we would) (?:\S+ )?like to know", r"i'm curious",
)
# where a clause ends: ";", a contrast ("..., maar ...", "... but ..."; a bare "maar" is
# mostly a particle, "zet me maar op de lijst", so it needs a comma), ", dus" / ", daarom",
# and "en"/"and" before a new subject ("ik meld me aan en ik meld me af"); groups 1 and 2
# are a contrast word, group 3 the new subject, which stays with the clause after the cut
CLAUSE_END = linear.compile(
    r";\s*|[,:]\s*(maar|echter|doch|helaas|alleen|unfortunately|ware het niet)\b|"
    r",?\s+(but|however)\b|,\s*(?:dus|daarom)\s+|"
    r",?\s+(?:en|and)\s+"
    r"((?:ik|wij|we|i)\b)", ignorecase=True)
# an occasion the act is for: "voor de borrel", "van het rondetafelgesprek", "from the newsletter"
# (:mod:`bot.judge.clauses` reads the next few words: "attend the technical briefing")
OCCASION_OBJECT = linear.compile(
    r"\b(?:voor|van|bij|na|tijdens|for|from|to|at|after|of|off|attend|join|bijwonen|missen|"
    r"miss|cancel|cancell?ed|cancell?ing|skip|annuleren|afzeggen|uit)\s", ignorecase=True)
# ... or, in Dutch, before the verb: "mijn dieetwens annuleren", "mijn vraag over parkeren
# intrekken"; group 1 is the object
OBJECT_BEFORE = linear.compile(
    r"\b(?:mijn|onze|de|het|die|deze|uw)\s+([\w-]+)\s+(?:\S+\s+){0,2}?(?:annuleren|intrekken|"
    r"afzeggen|schrappen|cancellen)\b", ignorecase=True)
# a reason given after the act: an occasion named there is not the act's object ("ik kan niet,
# omdat ik een werkbezoek heb")
BECAUSE = phrases(r"omdat", r"aangezien", r"want", r"vanwege", r"doordat", r"wegens",
                  r"because", r"since", r"due to", r"as (?:i|we|there)\b", r"\s[-\x{2013}]\s",
                  r":\s")
