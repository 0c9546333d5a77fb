"""What a question can be about: the words that say "organisatie" and the themes "over de inhoud".

In: nothing (data), and a list of words. Out: :class:`Theme` (a name, its words, and the staff
account that owns it), :data:`DEFAULT_THEMES` (the programme of the masterclass;
``[[questions.theme]]`` in config.toml replaces them), :data:`ORGANISATION_WORDS` (time, place,
access, food, parking, who may come), and the one linear-time pattern that finds a list of words
(:func:`pattern_of`; the configuration compiles each configured theme's at start-up, so a list
RE2 cannot take is a configuration error; the built-in lists compile at their first use).
:mod:`bot.judge.topics` tags each question with these. A word matches at the start of a word in
the text; it is a whole word unless it ends in ``*`` ("jeugdzorg*" also matches
"jeugdzorgbeleid", "tijd" does not match "tijdens"). Case does not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot import linear

MAX_WORDS = 200  # words of one theme


@dataclass(frozen=True)
class Theme:
    name: str                 # as staff say it: "armoede"
    words: tuple[str, ...]    # Dutch and English words or phrases that point to it
    owner: str | None = None  # a staff account's username: new questions on it go to them


DEFAULT_THEMES = (
    Theme("jeugdzorg en -bescherming", (
        "jeugdzorg*", "jeugdbescherming*", "kinderbescherming*", "uithuisplaatsing*",
        "uit huis geplaatst", "pleegzorg*", "pleeggezin*", "pleegouder*", "gezinsvoogd",
        "kinderrechter", "ondertoezichtstelling", "jeugdhulp*", "youth care", "child protection",
        "foster*", "out-of-home")),
    Theme("mentale gezondheid", (
        "mentale gezondheid", "mentale*", "psychisch*", "ggz", "jeugd-ggz", "depressi*",
        "angst*", "suïcide", "suicide", "zelfdoding", "prestatiedruk", "stress",
        "eenzaam*", "welzijn*", "mental health", "wellbeing", "well-being", "anxiety",
        "depress*")),
    Theme("armoede", (
        "armoede*", "kinderarmoede*", "armer", "schuld*", "bestaansminimum",
        "toeslag*", "kindgebonden budget", "voedselbank", "minimumloon", "inkomen*",
        "poverty", "poor*", "debt*", "income")),
    Theme("online seksuele uitbuiting", (
        "online misbruik", "online seksue*", "online uitbuiting", "op internet", "via internet",
        "sociale media", "seksuele uitbuiting", "uitbuiting*",
        "sextortion", "grooming", "sexting", "misbruik*", "seksue*", "loverboy*",
        "social media", "sexual*", "exploitation", "abuse*")),
    Theme("kinderen in asielopvang", (
        "asiel*", "azc*", "asielzoeker*", "opvang*", "noodopvang", "ter apel", "vluchteling*",
        "gezinslocatie*", "alleenstaande minderjarige", "amv", "ongedocumenteerd",
        "kinderpardon", "asylum*", "refugee*", "unaccompanied", "migrant*", "reception centre")),
    Theme("jeugdparticipatie", (
        "participatie*", "jeugdparticipatie*", "inspraak", "meepraten", "meedenken",
        "meebeslissen", "jongerenraad*", "kinderraad*", "kindergemeenteraad", "stem van",
        "gehoord worden", "jongeren zelf", "kinderen zelf", "participation", "youth council",
        "young people take part", "voice of")),
)

ORGANISATION_WORDS = (
    # time and programme
    "hoe laat", "tijden", "welke tijd", "begint", "beginnen", "begin", "aanvang", "afgelopen",
    "eindigt", "duurt", "deuren open", "inloop", "programma*", "agenda", "what time", "start*",
    "finish", "doors open", "schedule", "programme", "online te volgen", "livestream*",
    "terugkijken", "opname", "stream*", "recording", "watch online",
    # place and getting there
    "locatie", "adres", "nieuwspoort", "zaal", "verdieping", "route", "bereikbaar",
    "openbaar vervoer", "trein*", "station", "fiets*", "parkeer*", "parkeren",
    "venue", "address", "room", "floor", "park", "parking", "train", "public transport",
    # access at the door
    "toegang", "toegankelijk*", "rolstoel*", "lift", "identiteitsbewijs*", "legitimatie",
    "paspoort", "dresscode", "kleding", "access", "wheelchair", "identification",
    "passport", "dress code",
    # food
    "eten", "diner", "maaltijd", "broodje", "vegetari*", "veganistisch", "halal",
    "dieet", "allergie*", "glutenvrij", "food", "dinner", "meal", "vegetarian",
    "vegan", "diet", "allerg*",
    # who may come, and costs
    "meenemen", "medewerker*", "beleidsmedewerker*", "assistent", "collega*", "introducé",
    "begeleider", "in mijn plaats", "vervangen", "kosten", "gratis", "bring", "assistant",
    "colleague", "in my place", "plus one", "cost*", "free of charge", "staff member*",
    "bijwonen", "attend",
    # language
    "vertaling", "tolk", "engelstalig", "in het engels", "translation", "interpreter",
    "in english", "dutch only",
)


@cache
def pattern_of(words: tuple[str, ...]):
    """One linear-time pattern that finds any of ``words`` at the start of a word; a word ends
    there unless it ends in ``*``. Group ``k`` (1-based) is the k-th word, and one group takes
    part in each match. Raises ``linear.error`` for a list RE2 cannot compile."""
    groups = []
    for word in words:
        spaced = r"\s+".join(linear.escape(part) for part in word.rstrip("*").split())
        groups.append(f"({spaced})" + ("" if word.endswith("*") else linear.END))
    return linear.compile(linear.START + "(?:" + "|".join(groups) + ")", ignorecase=True)
