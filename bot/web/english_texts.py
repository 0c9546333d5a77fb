"""The English texts of the desk: data only, read by :mod:`bot.web.labels`.

In: nothing. Out: :data:`ENGLISH`, the English of every Dutch text the desk's templates, word
lists (bot.staff.words, bot.web.labels, bot.staff.sorting, bot.staff.accounts) and fixed
refusals use, keyed by the Dutch. The staff actions' result lines, which carry names and
numbers, are patterns in :mod:`bot.web.english_results`.
"""

from __future__ import annotations

ENGLISH = {
    # navigation and page titles
    "Balie": "Desk", "Overzicht": "Overview", "Vragen": "Questions",
    "Standaardantwoorden": "Saved replies", "Beoordelen": "Review", "Deelnemers": "Attendees",
    "Quarantaine": "Quarantine", "Uitgaande mail": "Outgoing mail",
    "Mijn instellingen": "My settings", "Uitloggen": "Log out", "Gesprek": "Conversation",
    "Bericht": "Message", "Vraag": "Question", "Te beoordelen": "To review",
    # the overview
    "Bijeenkomst": "Event", "Datum": "Date", "Plaatsen bezet": "Seats taken",
    "Wachtlijst": "Waiting list",
    "{taken} van {capacity} plaatsen bezet, {waitlisted} op de wachtlijst":
        "{taken} of {capacity} seats taken, {waitlisted} on the waiting list",
    "plaatsen bezet": "seats taken", "op de wachtlijst": "on the waiting list",
    "open vragen": "open questions", "te beoordelen": "to review",
    "in quarantaine": "in quarantine", "mislukte e-mails": "failed mails",
    "e-mails vastgehouden": "mails held back", "Aanmeldingen per dag": "Sign-ups per day",
    "voor": "for", "naar hun status nu": "by their status now",
    "{free} plaatsen vrij": "{free} seats free",
    "{day} {registered} ingeschreven, {waitlisted} op de wachtlijst, {cancelled} afgemeld":
        "{day} {registered} registered, {waitlisted} on the waiting list, {cancelled} cancelled",
    "Laatste controle van de mailbox:": "Last check of the mailbox:", "nog nooit": "never",
    "langer geleden dan verwacht. Draait de bot?":
        "longer ago than expected. Is the bot running?",
    "Laatst gedaan": "Recently done", "de bot": "the bot", "bekijken": "view",
    "Nog niets.": "Nothing yet.",
    # attendees
    "Zoeken": "Search", "Aanwezigheidslijst": "Attendance list", "Naam": "Name",
    "E-mail": "E-mail", "Partij": "Party", "Namens": "On behalf of", "Opmerkingen": "Remarks",
    "Status": "Status", "(geen adres)": "(no address)", "onbestelbaar": "undeliverable",
    "Afmelden": "Cancel", "Plaatsen": "Give a seat", "Goedkeuren": "Approve",
    "Geen deelnemers gevonden.": "No attendees found.",
    # a conversation
    "Gesprek met {address}": "Conversation with {address}", "Deelnemer": "Attendee",
    "aangemeld {at}, laatst gewijzigd {changed}": "signed up {at}, last changed {changed}",
    "aangemeld door {who}": "signed up by {who}", "Geen deelnemer.": "No attendee.",
    "Wat de balie deed": "What the desk did", "door": "by", "Berichten": "Messages",
    "Wanneer": "When", "Van": "From", "Wat": "What", "Onderwerp": "Subject",
    "afzender": "sender", "gecontroleerd": "verified", "niet gecontroleerd": "not verified",
    "Onze mailserver kon de afzender niet controleren: dit kan een nagemaakt bericht zijn":
        "Our mail server could not verify the sender: this may be a forged message",
    "wij": "us", "bericht": "message", "vraag beantwoorden": "answer the question",
    # a message
    "Beoordeling bot": "The bot's verdict",
    "Dit bericht kan niet helemaal worden getoond:": "This message cannot be shown in full:",
    "Inhoud": "Content", "Inhoud van het bericht": "Content of the message",
    "Bijlagen": "Attachments",
    # outgoing mail and quarantine
    "Mislukte e-mails": "Failed mails", "Aan": "To", "Soort": "Kind", "Fout": "Error",
    "Opnieuw versturen": "Send again", "Geen mislukte e-mails.": "No failed mails.",
    "Vastgehouden": "Held back",
    "Automatische antwoorden die een limiet tegenhoudt. Ze gaan vanzelf weg zodra de limiet "
    "het toelaat.": "Automatic replies a limit holds back. They go out by themselves as soon "
                    "as the limit allows.",
    "aan": "to", "vastgehouden sinds": "held since", "Niets vastgehouden.": "Nothing held back.",
    "Wacht op verzending": "Waiting to be sent", "poging": "attempt",
    "Berichten die de bot niet kon verwerken. Ze staan ook in de map Quarantaine van de "
    "mailbox.": "Messages the bot could not process. They are also in the mailbox's "
                "Quarantine folder.",
    "Ontvangen": "Received", "Reden": "Reason", "Opnieuw verwerken": "Process again",
    "Geen berichten in quarantaine.": "No messages in quarantine.",
    # the question queue and a question
    "Welke vragen": "Which questions",
    "Zoeken in afzender, onderwerp en vraag": "Search in sender, subject and question",
    "Soort vraag": "Kind of question", "alle": "all", "{n} gevonden": "{n} found",
    "over": "about", "onder": "in", "zoekopdracht wissen": "clear the search",
    "vraag": "question", "vragen": "questions", "alleen de laatste {n}": "only the latest {n}",
    "alleen de oudste {n}": "only the oldest {n}", "Afgehandeld door": "Done by",
    "Wacht": "Waiting", "Behandelaar": "Assignee", "(geen onderwerp)": "(no subject)",
    "Onze mailserver heeft de afzender gecontroleerd": "Our mail server verified the sender",
    "Onze mailserver kon de afzender niet controleren":
        "Our mail server could not verify the sender",
    "geen deelnemer": "no attendee", "niemand": "nobody", "Geen vragen.": "No questions.",
    "Geen vragen van u.": "No questions of yours.",
    "Geen vragen zonder behandelaar.": "No questions without an assignee.",
    "Open": "Open", "Van mij": "Mine", "Niet toegewezen": "Unassigned",
    "Afgehandeld": "Done",
    "Let op: {who} heeft deze vraag {ago} geopend. Overleg even, zodat u niet allebei "
    "antwoordt.": "Note: {who} opened this question {ago}. Check with them, so that you do "
                  "not both answer.",
    "zojuist": "just now", "{ago} geleden": "{ago} ago", "Van:": "From:",
    "Onderwerp:": "Subject:", "Ontvangen:": "Received:", "behandelaar:": "assignee:",
    "Soort vraag:": "Kind of question:", "herkend aan:": "recognised by:",
    "ingedeeld door de balie": "sorted by the desk", "Deelnemer:": "Attendee:",
    "opmerking bij de aanmelding:": "remark with the sign-up:",
    "Het hele bericht bekijken": "View the whole message",
    "afzender niet gecontroleerd: misschien iemand anders":
        "sender not verified: maybe someone else",
    "Het hele gesprek met deze afzender": "The whole conversation with this sender",
    "Antwoord": "Answer", "Standaardantwoord": "Saved reply", "Invoegen": "Insert",
    "Standaardantwoorden maken": "Make saved replies",
    "Uw antwoord (aanhef en ondertekening worden toegevoegd):":
        "Your answer (greeting and signature are added):",
    "Voorbeeld bekijken": "Preview", "Versturen": "Send",
    "Zo wordt het verstuurd": "This is what is sent", "Status:": "Status:",
    "Indelen": "Sort", "Notities": "Notes", "alleen voor medewerkers": "for staff only",
    "over de vraag": "on the question", "over de deelnemer": "on the attendee",
    "Nog geen notities.": "No notes yet.", "Nieuwe notitie": "New note",
    "Bewaren bij de vraag": "Save on the question",
    "Bewaren bij de deelnemer": "Save on the attendee", "ikzelf": "me",
    "Toewijzen": "Assign", "Sluiten zonder antwoord": "Close without an answer",
    "organisatie": "organisation", "inhoud": "content",
    "nog niet ingedeeld": "not sorted yet",
    # review
    "Berichten waarover de bot twijfelde, of die een mens moet bekijken. Bij elk bericht "
    "staat waarom.": "Messages the bot was unsure about, or that a person must look at. "
                     "Each says why.",
    "(geen afzender)": "(no sender)", "De bot dacht:": "The bot thought:",
    "Redenen:": "Reasons:", "Aanmelden": "Register", "Als vraag behandelen": "Treat as a question",
    "Negeren": "Ignore", "Niets te beoordelen.": "Nothing to review.",
    # saved replies
    "Een standaardantwoord zet u met één klik in het antwoord op een vraag; daarna kunt u het "
    "nog aanpassen. De aanhef (\"Beste ...\") en de ondertekening komen er bij het versturen "
    "vanzelf bij. Plaatshouders:": "One click puts a saved reply into the answer to a "
                                   "question; you can still change it there. The greeting "
                                   "(\"Dear ...\") and the signature are added when it is "
                                   "sent. Placeholders:",
    "Titel": "Title", "laatst gewijzigd door {who}": "last changed by {who}",
    "Nederlands": "Dutch", "Engels": "English", "Wijzigingen bewaren": "Save changes",
    "Nieuw standaardantwoord": "New saved reply", "Bewaren": "Save",
    # the door
    "Opkomst": "Turnout",
    "{present} aanwezig, {no_shows} van de {registered} ingeschrevenen niet gekomen, "
    "{walk_ins} aan de deur toegevoegd": "{present} present, {no_shows} of the {registered} "
                                         "registered did not come, {walk_ins} added at the door",
    "Deur": "Door", "{present} van {expected} aanwezig": "{present} of {expected} present",
    "Zoek op naam of partij": "Search by name or party", "aan de deur": "at the door",
    "aanwezig sinds {at}": "present since {at}", "Ongedaan maken": "Undo",
    "Aanwezig": "Present", "Ingeschreven": "Registered", "Niemand gevonden.": "Nobody found.",
    "Op de wachtlijst": "On the waiting list",
    "Zij hebben geen plaats. Laat ze binnen als er plek is.":
        "They have no seat. Let them in when there is room.",
    "Iemand zonder aanmelding": "Someone who did not sign up",
    "E-mail (niet verplicht)": "E-mail (optional)",
    "Toevoegen als aanwezig": "Add as present", "Vul de naam in.": "Fill in the name.",
    "Deze deelnemer staat niet op de lijst.": "This attendee is not on the list.",
    "aanwezig": "present", "niet aanwezig": "not present",
    "aanwezig gemeld aan de deur": "checked in at the door",
    "niet meer aanwezig gemeld aan de deur": "check-in undone at the door",
    "toegevoegd aan de deur": "added at the door",
    # my settings
    "Taal van de balie": "Language of the desk", "Bericht bij nieuw werk": "Told about new work",
    "Uur van het dagoverzicht": "Hour of the daily summary",
    "Uw e-mailadres": "Your e-mail address",
    "Een bericht noemt alleen aantallen en de link naar de balie, nooit namen of onderwerpen. "
    "Berichten gaan na alle andere mail de deur uit.": "A notice holds only counts and the link "
                                                        "to the desk, never names or subjects. "
                                                        "Notices go out after all other mail.",
    "De link naar de balie ontbreekt in de berichten zolang [web] public_url niet is "
    "ingesteld.": "Notices have no link to the desk while [web] public_url is not set.",
    "Een e-mail bij nieuwe vragen en berichten om te beoordelen (hooguit eens per 10 minuten)":
        "A mail for new questions and messages to review (at most once every 10 minutes)",
    "Een overzicht per dag": "A summary once a day", "Geen berichten": "No notices",
    # fixed refusals of staff actions
    "Dat is geen e-mailadres.": "That is not an e-mail address.",
    "Kies hoe u bericht wilt krijgen.": "Choose how you want to be told.",
    "Vul een e-mailadres in om bericht te krijgen.": "Fill in an e-mail address to be told.",
    "Kies een uur van 0 tot 23.": "Choose an hour from 0 to 23.",
    "Kies Nederlands of English.": "Choose Nederlands or English.",
    "Dit account bestaat niet (meer).": "This account does not exist (any more).",
    "Uw instellingen zijn bewaard.": "Your settings are saved.",
    "Kies een onderwerp uit de lijst.": "Choose a kind from the list.",
    "Kies een medewerker uit de lijst.": "Choose a staff member from the list.",
    "Deze vraag bestaat niet.": "This question does not exist.",
    "Deze vraag bestaat niet (meer).": "This question does not exist (any more).",
    "Deze deelnemer bestaat niet (meer).": "This attendee does not exist (any more).",
    "Deze vraag is niet (meer) open.": "This question is not open (any more).",
    "Het antwoord is leeg.": "The answer is empty.",
    "Een lege notitie is niet bewaard.": "An empty note is not saved.",
    "De notitie is bewaard; alleen medewerkers zien haar.":
        "The note is saved; only staff see it.",
    "De afzender van deze vraag is geen deelnemer.": "The sender of this question is no attendee.",
    "Onbekende actie.": "Unknown action.",
    "Kies een standaardantwoord.": "Choose a saved reply.",
    "Een standaardantwoord heeft een titel en een Nederlandse tekst.":
        "A saved reply has a title and a Dutch text.",
    "Dit standaardantwoord bestaat niet (meer).": "This saved reply does not exist (any more).",
    "Er is al een standaardantwoord met deze titel.": "There is a saved reply with this title.",
    "Dit bericht wacht niet (meer) op een beslissing.":
        "This message is not waiting for a decision (any more).",
    "Deze e-mail is niet mislukt.": "This mail has not failed.",
    "Dit bericht staat niet (meer) in quarantaine.":
        "This message is not in quarantine (any more).",
    "Deze actie kan niet voor deze deelnemer.": "This action is not possible for this attendee.",
    # what became of a review item (bot.staff.desk.DECISIONS)
    "aangemeld": "registered", "als vraag behandeld": "treated as a question",
    "afgemeld": "cancelled", "genegeerd": "ignored",
    # the words of bot.staff.words (statuses, kinds, purposes, staff actions)
    "ingeschreven": "registered", "wacht op beoordeling": "awaiting review",
    "afgehandeld": "processed", "genegeerd (automatische mail)": "ignored (automatic mail)",
    "dubbel ontvangen": "received twice", "open": "open", "beantwoord": "answered",
    "gesloten": "closed", "wacht op verzending": "waiting to be sent",
    "tegengehouden": "held back", "verzonden": "sent", "mislukt": "failed",
    "aanmelding": "sign-up", "afmelding": "cancellation", "automatische mail": "automatic mail",
    "overig": "other", "bevestiging van de inschrijving": "confirmation of the sign-up",
    "plaats op de wachtlijst": "place on the waiting list",
    "u bent al ingeschreven": "you are registered already",
    "bevestiging van de afmelding": "confirmation of the cancellation",
    "u was niet ingeschreven": "you were not registered",
    "inschrijving gesloten": "registration closed",
    "ontvangstbevestiging van een vraag": "acknowledgement of a question",
    "herinnering": "reminder", "wijziging van de bijeenkomst": "change of the event",
    "antwoord van de balie": "answer from the desk",
    "waarschuwing aan de balie": "warning to the desk",
    "bericht aan een medewerker: nieuw werk": "notice to a staff member: new work",
    "dagoverzicht voor een medewerker": "daily summary for a staff member",
    "groepsmail van de balie": "group mail from the desk",
    # mail to a group (bot/web/groupmail.py)
    "Nabericht:": "Follow-up:", "aan wie er was": "to those who came",
    "aan wie niet kwam": "to those who did not come",
    "Groepsmail": "Group mail", "Adres": "Address", "Bekijken": "Preview", "Door": "By",
    "Tekst": "Text", "Verstuurd": "Sent", "Voortgang": "Progress",
    "Eerdere groepsmails": "Earlier group mails", "Nog geen groepsmails.": "No group mails yet.",
    "Engels (voor wie in het Engels schreef; mag leeg)":
        "English (for those who wrote in English; may be empty)",
    "Eén e-mail aan een groep: ieder krijgt hem apart, zonder de andere ontvangers te zien, in "
    "de eigen taal (Nederlands als er geen Engelse tekst is). De aanhef (\"Beste ...\") en de "
    "ondertekening komen er vanzelf bij. Plaatshouders:":
        "One e-mail to a group: each person gets it on their own, without seeing the other "
        "recipients, in their own language (Dutch when there is no English text). The greeting "
        "(\"Beste ...\") and the signature are added by themselves. Placeholders:",
    "Niet verstuurd, omdat mail aan hun adres terugkwam:":
        "Not sent, because mail to their address bounced:",
    "De e-mails gaan weg in het tempo van de mailserver; deze pagina ververst zichzelf.":
        "The e-mails go out at the mail server's pace; this page refreshes itself.",
    "Terug naar groepsmail": "Back to group mail", "Testmail naar mijzelf": "Test mail to myself",
    "Versturen naar {n} mensen": "Send to {n} people",
    "Zo leest het in het Engels": "How it reads in English",
    "Zo leest het in het Nederlands": "How it reads in Dutch",
    "{n} mensen krijgen deze e-mail": "{n} people get this e-mail", "{n} mislukt": "{n} failed",
    "{sent} van {total} verstuurd": "{sent} of {total} sent",
    "ingeschreven maar niet gekomen": "registered but did not come",
    "iedereen die ons schreef (behalve afgemelden)":
        "everyone who wrote to us (except those who cancelled)",
    "groepsmail verstuurd": "group mail sent",
    "testmail van een groepsmail verstuurd": "test of a group mail sent",
    "Een groepsmail heeft een Nederlands onderwerp en een Nederlandse tekst.":
        "A group mail has a Dutch subject and a Dutch text.",
    "Er is een Engels onderwerp maar geen Engelse tekst.":
        "There is an English subject but no English text.",
    "Er is niemand in deze groep (met een werkend adres).":
        "There is nobody in this group (with a working address).",
    "Kies een bijeenkomst uit de lijst.": "Choose an event from the list.",
    "Kies een groep uit de lijst.": "Choose a group from the list.",
    "Vul eerst uw e-mailadres in onder Mijn instellingen.":
        "First fill in your e-mail address under My settings.",
    "De tekst of de groep is veranderd sinds u keek: bekijk hem opnieuw.":
        "The text or the group changed since you looked: preview it again.",
    "{n} anderen in deze groep kregen deze e-mail al (groepsmail #{id}); zij krijgen hem niet "
    "nog eens.":
        "{n} others in this group got this e-mail already (group mail #{id}); they will not get "
        "it again.",
    "afgemeld door de balie": "cancelled by the desk",
    "geplaatst door de balie": "given a seat by the desk",
    "goedgekeurd door de balie": "approved by the desk", "vraag beantwoord": "question answered",
    "vraag gesloten zonder antwoord": "question closed without an answer",
    "vraag toegewezen": "question assigned", "notitie toegevoegd": "note added",
    "na beoordeling aangemeld": "registered after review",
    "na beoordeling als vraag behandeld": "treated as a question after review",
    "na beoordeling afgemeld": "cancelled after review",
    "na beoordeling genegeerd": "ignored after review",
    "opnieuw verwerkt uit quarantaine": "processed again from quarantine",
    "e-mail opnieuw verzonden": "mail sent again", "standaardantwoord bewaard": "saved reply saved",
    "standaardantwoord verwijderd": "saved reply deleted", "Verwijderen": "Delete",
    "vraag ingedeeld": "question sorted", "instellingen gewijzigd": "settings changed",
    "gegevens uitgegeven (AVG)": "data exported (GDPR)",
    "gegevens gewist (AVG)": "data erased (GDPR)",
    # previews of every mail (bot/web/previews.py)
    "Voorbeelden": "Sample e-mails",
    "Elke e-mail die de bot kan versturen, in het Nederlands en in het Engels, zoals de "
    "ontvanger hem ziet: met de gegevens van deze bijeenkomst en een verzonnen deelnemer. "
    "Er wordt niets verstuurd.":
        "Every email the bot can send, in Dutch and in English, as the recipient sees it: "
        "with the details of this event and a made-up attendee. Nothing is sent.",
    "Naam, kleur en logo komen uit [branding] in de configuratie, de link naar de route uit "
    "route_url van de bijeenkomst.":
        "Name, colour and logo come from [branding] in the configuration, the link to the "
        "directions from the event's route_url.",
    "Tonen": "Show", "Soorten e-mail": "Kinds of email",
    "{kind} in het {language}, zoals de ontvanger hem ziet":
        "{kind} in {language}, as the recipient sees it",
    "Tekst zonder opmaak": "Plain text",
}
