"""The English of the staff actions' result lines: data only, read by :mod:`bot.web.labels`.

In: nothing. Out: :data:`RESULTS`, patterns of the Dutch result lines (they carry names,
addresses and numbers, so they cannot be keys like the fixed texts of
:mod:`bot.web.english_texts`) with their English: ``{0}`` is the first group; the groups named
as words, such as a status, are translated too.
"""

from __future__ import annotations

# (pattern of a Dutch result line, its English, the groups that are words to translate: a
# status or a topic, never an address, a name or a title); the first pattern that matches the
# whole line wins, so a narrower one comes before a wider. "{{{{" is a literal "{{" after
# str.format.
RESULTS = (
    (r"Antwoord op vraag #(\d+) staat klaar om te verzenden\.",
     "The answer to question #{0} is ready to be sent.", ()),
    (r"Vraag #(\d+) is gesloten zonder antwoord\.",
     "Question #{0} is closed without an answer.", ()),
    (r"Vraag #(\d+) is toegewezen aan niemand\.", "Question #{0} is assigned to nobody.", ()),
    (r"Vraag #(\d+) is toegewezen aan (.+)\.", "Question #{0} is assigned to {1}.", ()),
    (r"Vraag #(\d+) gaat over (.+)\. Toegewezen aan (.+)\.",
     "Question #{0} is about {1}. Assigned to {2}.", (1,)),
    (r"Vraag #(\d+) gaat over (.+)\.", "Question #{0} is about {1}.", (1,)),
    (r"Bericht #(\d+): (.+)\.", "Message #{0}: {1}.", (1,)),
    (r"E-mail #(\d+) wordt opnieuw verzonden\.", "Mail #{0} will be sent again.", ()),
    (r"Bericht opnieuw verwerkt: (.+) \((.+)\)\.", "Message processed again: {0} ({1}).", ()),
    (r"Standaardantwoord \"(.*)\" is bewaard\.", "Saved reply \"{0}\" is saved.", ()),
    (r"Standaardantwoord \"(.*)\" is verwijderd\.", "Saved reply \"{0}\" is deleted.", ()),
    (r"(.+) is toegevoegd en aanwezig\.", "{0} is added and present.", ()),
    (r"(.+) stond al op de lijst en was al aanwezig\.",
     "{0} was on the list and present already.", ()),
    (r"(.+) stond al op de lijst \((.+)\) en is nu aanwezig\.",
     "{0} was on the list ({1}) and is present now.", (1,)),
    (r"(.+) was al (aanwezig|niet aanwezig)\.", "{0} was {1} already.", (1,)),
    (r"(.+) is (aanwezig|niet aanwezig)\.", "{0} is {1}.", (1,)),
    (r"(\S+) is afgemeld; (\d+) van de wachtlijst geplaatst\.",
     "{0} is cancelled; {1} moved up from the waiting list.", ()),
    (r"(\S+) is al (.+)\.", "{0} is {1} already.", (1,)),
    (r"(\S+) is niet aangemeld\.", "{0} is not signed up.", ()),
    (r"(\S+) is (.+), niet op de wachtlijst of wachtend op beoordeling\.",
     "{0} is {1}, not on the waiting list or awaiting review.", (1,)),
    (r"(\S+) is (.+), niet wachtend op beoordeling\.", "{0} is {1}, not awaiting review.",
     (1,)),
    (r"(\S+) is (.+)\.", "{0} is {1}.", (1,)),
    (r"Onbekende beslissing: (.*)", "Unknown decision: {0}", ()),
    (r"(\S+) staat bij meer dan één bijeenkomst \((.*)\): zeg welke \(--event\)\.",
     "{0} is signed up for more than one event ({1}): say which (--event).", ()),
    (r"Er is geen plaats vrij \((\d+) plaatsen\)\.", "There is no free seat ({0} seats).", ()),
    (r"Geen deelnemer met adres (.+)\.", "No attendee with the address {0}.", ()),
    (r"Een notitie is hoogstens (\d+) tekens lang\.",
     "A note is at most {0} characters long.", ()),
    (r"Een standaardantwoord is hoogstens (\d+) tekens lang\.",
     "A saved reply is at most {0} characters long.", ()),
    (r"Groepsmail #(\d+) gaat naar (\d+) mensen\.", "Group mail #{0} goes to {1} people.", ()),
    (r"Groepsmail #(\d+) gaat naar (\d+) mensen; (\d+) hadden hem al\.",
     "Group mail #{0} goes to {1} people; {2} had it already.", ()),
    (r"Testmail verstuurd naar (.+)\.", "Test mail sent to {0}.", ()),
    (r"Testmail voor (.+) staat klaar; de mailserver nam hem nog niet aan \(zie Uitgaande "
     r"mail\)\.", "The test mail to {0} is queued; the mail server has not taken it yet (see "
     "Outgoing mail).", ()),
    (r"Groepsmail #(\d+) gaat naar 1 persoon\.", "Group mail #{0} goes to 1 person.", ()),
    (r"Groepsmail #(\d+) gaat naar 1 persoon; (\d+) hadden hem al\.",
     "Group mail #{0} goes to 1 person; {1} had it already.", ()),
    (r"Een groepsmail is hoogstens (\d+) tekens lang\.",
     "A group mail is at most {0} characters long.", ()),
    (r"Onbekende plaatshouder (.+?)\. Alleen tekst en de plaatshouders .*",
     "Unknown placeholder {0}. Only text and the placeholders {{{{ naam }}}}, {{{{ datum }}}}, "
     "{{{{ tijd }}}} and {{{{ locatie }}}} can be in this text.", ()),
    (r"Alleen tekst en de plaatshouders .*",
     "Only text and the placeholders {{{{ naam }}}}, {{{{ datum }}}}, {{{{ tijd }}}} and "
     "{{{{ locatie }}}} can be in this text.", ()),
    (r"Dit bericht kan niet opnieuw worden gelezen: (.*)",
     "This message cannot be read again: {0}", ()),
    (r"Dit bericht is na de bewaartermijn verwijderd.*",
     "This message was deleted after the retention period; it can no longer be answered.", ()),
    (r"Van dit bericht is alleen de kop bewaard.*",
     "Only the header of this message was kept (it was too big). Raise "
     "worker.max_message_bytes and move the message back to the inbox; the bot then "
     "processes it again.", ()),
)
