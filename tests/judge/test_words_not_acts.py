"""Words of an act that the sender does not perform, and acts in words the tables did not
know: the attacker review of issue 12 and the rounds of tuning on held-out mail.

Each mail comes from a verified MP, so nothing but the reading of the text stands between it
and a registration or cancellation. Before these rules each of the first table's mails
registered, cancelled or told the sender "u stond niet ingeschreven" (now the bot asks staff,
or answers a question), and each of the second table's acts waited for staff or was missed.
"""

from __future__ import annotations

import pytest

from tests.mailfactory import verdict

R, C, Q, OTHER = "registration", "cancellation", "question", "other"
CONFIRMATION = ("\n\nOp 5 nov. 2026 om 10:00 schreef Kinderrechtencollectief <info@k.nl>:\n"
                "> U bent ingeschreven voor de Masterclass Kinderrechten. In de bijlage vindt u"
                " een agenda-uitnodiging.\n> Heeft u nog vragen? Antwoord op deze mail.\n")
REMINDER = ("\n\nOn 23 Nov 2026, at 09:00, Kinderrechtencollectief <info@k.nl> wrote:\n"
            "> Reminder: you are registered for the Masterclass. Can't come? Reply to cancel.\n")


@pytest.mark.parametrize(("body", "subject", "kind", "review"), [
    # "Nee" answers our confirmation or reminder, not the invitation; "Yes" to them is no sign-up
    ("See you Wednesday, I'll be there." + REMINDER, "Re: Reminder", OTHER, True),
    ("Nee, dank u wel!" + CONFIRMATION, "Re: Bevestiging aanmelding", OTHER, True),
    ("Nee, ik heb geen dieetwensen." + CONFIRMATION, "Re: Bevestiging aanmelding", OTHER, True),
    ("No worries, see you on the 25th!" + REMINDER, "Re: Reminder", OTHER, True),
    # a cancellation denied
    ("Ik meld me niet af, ik kom gewoon.", "Re: Herinnering", OTHER, True),
    ("I'm not cancelling, count me in as planned.", "Re: Reminder", OTHER, True),
    ("I didn't cancel my registration, someone made a mistake. Please keep me on the list.",
     "Re: Cancellation", OTHER, True),
    ("Please cancel my cancellation, I can make it after all.", "Re: Cancellation", OTHER, True),
    ("Ik ben gelukkig niet verhinderd, dus ik kom graag.", "Masterclass", R, False),
    # a wish that waits for an answer
    ("Ik zou graag komen, maar is er ook parkeergelegenheid?", "Masterclass", Q, False),
    ("I'd love to attend, but is there parking nearby?", "Masterclass", Q, False),
    ("Ik zou graag deelnemen, maar ik heb nog een vraag over de toegankelijkheid.",
     "Masterclass", Q, False),
    # part of the evening, the past, somebody else's news
    ("Vorige keer was ik verhinderd, dus dit jaar kom ik graag!", "Masterclass", R, False),
    ("My train was cancelled, I'll be 20 minutes late.", "Re: Reminder", OTHER, True),
    ("Your website says the masterclass is cancelled. Is that right?", "Masterclass", Q, False),
    # conditions, also in the sentence after the act, and doubt
    ("Wanneer de stemmingen uitlopen, moet ik helaas afzeggen.", "Re: Herinnering", OTHER, True),
    ("If votes run late, I will have to cancel.", "Re: Reminder", OTHER, True),
    ("Should the plenary run late, I'll have to cancel.", "Re: Reminder", OTHER, True),
    ("Ingeval er gestemd wordt, meld ik me af.", "Re: Herinnering", OTHER, True),
    ("Ik meld me af. Tenminste, als de stemmingen uitlopen.", "Re: Herinnering", OTHER, True),
    ("Ik kom graag 👍 als er tenminste geen stemmingen zijn", "Masterclass", OTHER, True),
    ("Het kan zijn dat ik moet afzeggen.", "Re: Herinnering", C, True),
    ("I might have to cancel.", "Re: Reminder", C, True),
    # the subject alone: a question, someone else, another list, a forward
    ("Ik wil graag geen mails meer ontvangen.", "Afmelden nieuwsbrief", OTHER, True),
    ("", "Vraag: annuleringsvoorwaarden", OTHER, True),
    ("Zie onderwerp, alvast dank.", "Afmelden mogelijk?", OTHER, True),
    ("Zie bijlage.", "Aanmelding medewerker", OTHER, True),
    ("Dank!", "Re[2]: Afmelding masterclass", OTHER, True),
    ("Zie hieronder.", "Doorgestuurd: Afmelding masterclass", OTHER, True),
    ("Dank!", "[EXTERN] RE: Afmelding masterclass", OTHER, True),
    ("Dank!", "WG: Afmelding masterclass", OTHER, True),
    # somebody else, named later in the sentence
    ("Helaas kan Pieter Omtzigt niet komen.", "Re: Bevestiging", OTHER, True),
    ("Unfortunately Sarah cannot attend.", "Re: Confirmation", OTHER, True),
    ("De fractievoorzitter is helaas verhinderd.", "Re: Bevestiging", OTHER, True),
    ("Aanmelden doet mijn secretariaat.", "Masterclass", OTHER, True),
    # another occasion: an adjective before it, a compound, no preposition
    ("Ik moet me afmelden voor de jaarlijkse borrel.", "Re: Bevestiging", OTHER, True),
    ("Ik moet me afmelden voor het commissiedebat.", "Re: Bevestiging", OTHER, True),
    ("Ik moet me afmelden voor de technische briefing.", "Re: Bevestiging", OTHER, True),
    ("I have to cancel the interview with your director on Monday.", "Interview", OTHER, True),
    # questions, also without a question mark
    ("Kan ik me kosteloos afmelden?", "Masterclass", Q, False),
    ("Hoe meld ik me af", "Masterclass", Q, False),
    ("Wat is het beleid bij afmelden", "Masterclass", Q, False),
    # words that are nobody's act now: quoted, a noun
    ('Zie bericht van mijn collega: "Ik moet helaas afzeggen voor woensdag."', "Fwd", OTHER,
     True),
    ("I noticed your organisation is not in the EU transparency register.", "Transparency",
     OTHER, True),
    ("Het aanmelden via de website ging mis, daarom mail ik.", "Masterclass", OTHER, True),
    # round 6 (held-out set 7): a sign-up put off, rhetoric, doubt about something else
    ("Zet u mij alstublieft nog niet op de lijst, ik weet het pas maandag.", "Re: Uitnodiging",
     OTHER, True),
    ("Het kan toch niet zo zijn dat kinderen maanden thuiszitten.", "Casus", OTHER, True),
    ("Helaas moeten mijn fractiegenote en ik allebei afzeggen.", "Re: Bevestiging", C, True),
    ("We both have to withdraw, sorry.", "Re: Confirmation", C, True),
    ("I might have to cancel, I'll probably be late back from Brussels.", "Re: Reminder", OTHER,
     True),
    ("Ik moet me waarschijnlijk afmelden, ik sta al niet op de lijst.", "Re: Bevestiging", C,
     True),
    ("I have to withdraw, the vote moved. Wait, it's at 18:00, so I can probably still make "
     "it. Keep my seat for now?", "Re: Reminder", C, True),
])


def test_words_that_are_not_the_sender_s_act(body, subject, kind, review):
    v = verdict(body, Subject=subject)
    assert (v.kind, v.needs_review) == (kind, review), v.reasons
    if v.kind in (R, C) and review:  # nobody is registered or cancelled without staff
        assert not v.acts_alone


@pytest.mark.parametrize(("body", "subject", "kind", "review"), [
    # round 6 (held-out set 7): acts in words the tables did not know, and what is no doubt
    ("Ja leuk, doe mij maar een plek.", "RE: Nog enkele plaatsen vrij", R, False),
    ("Yes please, I'd like one of those seats.", "RE: A few seats left", R, False),
    ("Mag ik alsnog aanschuiven op woensdag?", "Masterclass", R, False),
    ("Could you still squeeze me in?", "Masterclass", R, False),
    ("Ik zal er zeker en vast bij zijn.", "Re: Uitnodiging", R, False),
    ("Ik wil er graag bij zijn.", "Masterclass", R, False),
    ("Ik ga niet op deze uitnodiging in.", "Re: Uitnodiging", C, False),
    ("Thanks, but I'll pass on this one.", "Re: Invitation", C, False),
    ("I won't make Wednesday, sorry.", "Re: Reminder", C, False),
    ("Please register me. As I'm probably not on your list yet, here are my details.",
     "Masterclass", R, False),
    ("Happy to come. I might be ten minutes late.", "Re: Invitation", R, False),
    ("Helaas kan ik niet bij het rondetafelgesprek van 18 november; de masterclass wil ik "
     "niet missen, dus graag aanmelden.", "Masterclass", R, False),
    ("Ik kom graag, maar pas om kwart voor acht.", "Re: Uitnodiging", R, False),
    # coming late is a sign-up all the same: the reasons note the time for staff
    ("Count me in, but I won't make it before 8 pm.", "Masterclass", R, False),
    ("Ik kom graag, maar het begin lukt me niet.", "Masterclass", R, False),
    ("Ik probeer erbij te zijn. Zet me er maar vast op, dan zie ik wel.", "Re: Uitnodiging",
     R, True),
    ("Could you take her name off the list? She is abroad that week.", "Masterclass", C, True),
    ("Zou u hem ook een plek willen geven? Hij volgt het dossier.", "Re: Bevestiging", R, True),
    ("Please count me among the participants.", "Masterclass", R, False),
    ("Who would have thought I'd end up here? Count me in.", "Re: Invitation", R, False),
    # round 8 (held-out set 8)
    ("Noteer mij maar als deelnemer.", "Re: Nog enkele plaatsen vrij", R, False),  # no "not"
    ("Please save me a seat.", "Re: Invitation", R, False),
    ("Any chance you could squeeze me in?", "Re: A few seats left", R, False),
    ("Hierbij meld ik mij aan. Misschien is dat overbodige informatie, maar ik eet geen vis.",
     "Masterclass", R, False),
    ("Ik zou er heel graag bij zijn geweest, maar die avond heb ik een werkbezoek.",
     "Re: Uitnodiging", C, False),
    ("Ik laat deze keer schieten.", "Re: Uitnodiging", C, False),
    ("Sorry, red het toch niet, geef mn plek maar aan iemand anders.", "Re: Herinnering", C,
     False),
    ("I signed up last month, but I now have to withdraw.", "Registration", C, False),
    ("Could you register the two of us? My colleague is in cc.", "Masterclass", R, True),
    ("Helaas, ik kan niet. Wacht, de vergadering is verschoven! Dan graag toch een plek voor "
     "mij.", "Re: Uitnodiging", R, True),
    # round 9 (held-out set 9)
    ("Thanks, but the 1st is a no-go for me.", "Re: Invitation", C, False),
    ("I'm afraid I'll have to sit this one out.", "Re: A few seats left", C, False),
    ("Ik moet me helaas terugtrekken.", "Aanmelding masterclass", C, False),
    ("Nee, dank je. Deze laat ik aan me voorbij gaan.", "Re: Laatste plaatsen", C, False),
    ("Ik zou niets liever willen, maar dan ben ik met verlof. Dus helaas: nee.",
     "Re: Uitnodiging", C, False),
    ("Yes please, one seat for me.", "Re: Last seats", R, False),
    ("Please add my name.", "Re: Invitation", R, False),
    ("Please put down both me and my colleague Sam.", "Re: Invitation", R, True),
    ("Ik weet nog niet of het lukt, maar reserveer toch een plek voor mij. Lukt het niet dan "
     "hoort u het.", "Re: Uitnodiging", R, True),
    ("Mijn man vroeg mij u te laten weten dat hij morgen niet kan komen.", "Afmelding", C,
     True),
])
def test_acts_the_bot_performs_alone(body, subject, kind, review):
    v = verdict(body, Subject=subject)
    assert (v.kind, v.needs_review, v.has_question) == (kind, review, False), v.reasons
    assert v.acts_alone is not review



def test_a_sign_up_for_another_day_than_our_mail_names_waits_for_staff():
    call = ("\n\nOn 12 Nov 2026, at 08:05, Kinderrechtencollectief <info@k.nl> wrote:\n"
            "> A few seats are left for the Masterclass on Wednesday 25 November.\n")
    v = verdict("Please register me for the masterclass on Thursday 26 November." + call,
                Subject="RE: A few seats left")
    assert (v.kind, v.needs_review, v.acts_alone) == (R, True, False)
    assert "other_date" in v.reasons
    v = verdict("Please register me for the masterclass on 25 November." + call,
                Subject="RE: A few seats left")
    assert (v.kind, v.needs_review) == (R, False)


def test_the_call_for_the_last_seats_is_an_invitation():
    """"👍" under our "nog enkele plaatsen vrij" call signs the sender up; under the reminder
    it is thanks."""
    call = ("\n\nVan: Kinderrechtencollectief <info@k.nl>\nVerzonden: donderdag 12 november"
            "\nAan: Kamerleden\nOnderwerp: Nog enkele plaatsen vrij\n\nWilt u erbij zijn? "
            "Antwoord dan op deze e-mail.")
    assert verdict("👍" + call, Subject="RE: Nog enkele plaatsen vrij").kind == R
    assert verdict("👍" + REMINDER, Subject="Re: Reminder").kind == OTHER


INVITATION = ("\n\nVan: Kinderrechtencollectief <info@k.nl>\nVerzonden: dinsdag 3 november 2026"
              "\nAan: Kamerleden\nOnderwerp: Uitnodiging Masterclass Kinderrechten\n\nGraag "
              "nodigen wij u uit voor de Masterclass Kinderrechten. Meld u aan door op deze "
              "e-mail te antwoorden.")
DINNER = ("\n\nVan: Kinderrechtencollectief <info@k.nl>\nVerzonden: dinsdag 3 november 2026"
          "\nAan: Kamerleden\nOnderwerp: Diner na afloop\n\nWij nodigen u graag uit voor het "
          "diner na afloop. Wilt u erbij zijn?")


@pytest.mark.parametrize(("body", "subject", "kind", "review"), [
    # the second attacker review: a polite decline is no sign-up (each registered before)
    ("I'd love to attend. Unfortunately, I have a committee meeting that evening." + INVITATION,
     "Re: Invitation", C, False),
    ("Ik zou graag komen, helaas zit ik dan in Brussel." + INVITATION, "Re: Uitnodiging", C,
     False),
    ("Ik was graag aanwezig geweest, ware het niet dat ik een werkbezoek heb." + INVITATION,
     "Re: Uitnodiging", C, False),
    ("I'd love to come; unfortunately I'm in Brussels that day." + INVITATION,
     "Re: Invitation", C, False),
    # ... but a yes with a limit is for staff, never a cancellation
    ("Ik zou graag deelnemen, maar dan online." + INVITATION, "Re: Uitnodiging", OTHER, True),
    ("I'd love to come, but I need to check with my office first." + INVITATION,
     "Re: Invitation", OTHER, True),
    # staff writing about their MP or a colleague act for them, not for themselves
    ("Laura kan helaas niet komen." + CONFIRMATION, "Re: Bevestiging", OTHER, True),
    ("Femke komt graag." + INVITATION, "Re: Uitnodiging", OTHER, True),
    ("Kunt u Sanne van Dijk inschrijven voor de masterclass?", "Masterclass", R, True),
    ("Ik wil graag onze nieuwe beleidsmedewerker aanmelden.", "Masterclass", R, True),
    ("Ik ben de persoonlijk medewerker van Anna Jansen. Graag aanmelden voor de masterclass.",
     "Masterclass", R, True),
    ("Onderstaand de reactie van het Kamerlid:\n\nIk kom graag!", "Masterclass", R, True),
    ("Ik vervang mijn collega Jansen, die helaas verhinderd is." + INVITATION,
     "Re: Uitnodiging", OTHER, True),
    ("Mijn introducé kan helaas niet komen." + CONFIRMATION, "Re: Bevestiging", OTHER, True),
    # conditions and doubt in other words
    ("Behoudens onvoorziene omstandigheden ben ik erbij." + INVITATION, "Re: Uitnodiging",
     OTHER, True),
    ("Count me in, votes permitting." + INVITATION, "Re: Invitation", OTHER, True),
    ("Ja! Als de stemmingen het toelaten." + INVITATION, "Re: Uitnodiging", OTHER, True),
    ("Ik moet mogelijk afzeggen vanwege stemmingen." + CONFIRMATION, "Re: Bevestiging", C,
     True),
    ("There's a chance I'll have to cancel." + REMINDER, "Re: Reminder", C, True),
    ("Ik twijfel over aanmelden.", "Masterclass", OTHER, True),
    # a sign-up denied, trouble with the website, another time, another thing cancelled
    ("Ik meld me niet aan voor de masterclass, want ik ben die week in Brussel.", "Masterclass",
     OTHER, True),
    ("I don't think I'll be there." + INVITATION, "Re: Invitation", OTHER, True),
    ("Ik kan me niet aanmelden via de website, het formulier werkt niet.", "Masterclass", Q,
     False),
    ("I can't make it this time, but please sign me up for the next one." + INVITATION,
     "Re: Invitation", C, False),
    ("I'll join online." + INVITATION, "Re: Invitation", OTHER, True),
    ("Kunt u mijn dieetwens annuleren? Ik eet toch gewoon mee." + CONFIRMATION,
     "Re: Bevestiging", OTHER, True),
    ("Please unsubscribe me from these emails.", "Unsubscribe", OTHER, True),
    ("Nee, helaas." + DINNER, "RE: Diner na afloop", C, True),
    # the subject alone decides nothing when the text says something else
    ("Excuses, dit bericht was niet voor u bedoeld.", "Afmelding masterclass", OTHER, True),
    ("Please ignore my previous email.", "Cancellation", OTHER, True),
    ("Graag voor mijn stagiair Tim.", "Aanmelding masterclass", OTHER, True),
    ("Kunt u mij uitleggen hoe ik mij kan afmelden.", "Masterclass", Q, False),
    # the last review: words of an act about something else, in an MP's ordinary mail
    ("Child poverty has declined sharply since 2015.", "Armoede", OTHER, True),
    ("The cancellation of the school meals programme was a mistake.", "Schoolmaaltijden",
     OTHER, True),
    ("De gemeente annuleert de subsidie voor het jongerenwerk.", "Jongerenwerk", OTHER, True),
    ("I'll attend to it tomorrow.", "Re: Uw vraag", OTHER, True),
    ("Happy to register my support for your petition.", "Petitie", OTHER, True),
    ("I'd love to come back to this topic later.", "Jeugdzorg", OTHER, True),
    ("Hierbij zijn ervaringsdeskundigen bij betrokken.", "Onderwerp", OTHER, True),
    # round 8 (held-out set 8)
    ("Wilt u mij uit uw verzendlijst halen?", "Re: Nieuws", OTHER, True),
    ("I'm not saying no yet. I'll come back to you as soon as I know.", "Re: Invitation",
     OTHER, True),
    ("De masterclass red ik niet, maar bij de borrel schuif ik graag aan.", "Re: Uitnodiging",
     OTHER, True),
    ("Could you cancel my parking reservation? I'll come by train." + REMINDER, "Re: Reminder",
     OTHER, True),
    ("Ik ben graag aanwezig, maar die avond is er een begrotingsdebat." + INVITATION,
     "Re: Uitnodiging", OTHER, True),
])
def test_the_second_attacker_review(body, subject, kind, review):
    v = verdict(body, Subject=subject)
    assert (v.kind, v.needs_review) == (kind, review), v.reasons
    assert v.acts_alone is not review or v.kind in (Q, OTHER)
