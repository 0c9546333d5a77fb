"""The bot's reasons in words staff read: a short Dutch sentence for every rule name that can appear
in a message's ``reasons`` (:mod:`bot.judge.classify`, :mod:`bot.judge.intent`,
:mod:`bot.judge.reading`, :mod:`bot.judge.trust`, :mod:`bot.judge.automatic`,
:mod:`bot.judge.events`, :mod:`bot.register.decide`, :mod:`bot.register.record`,
:mod:`bot.outbound.limits`, :mod:`bot.staff.desk`).

In: a rule name (and the staff member's language). Out: its sentence (the desk shows the rule
name as a tooltip; English in :mod:`bot.web.reasons_en`). A name without a
sentence is shown as it is; a test (tests/judge/test_acts.py) checks every name the bot writes
on the labelled sets and the corpus, and every rule name the modules list.
"""

from __future__ import annotations

from bot.web.reasons_en import REASONS_EN

REASONS = {
    # who sent it
    "dmarc_pass": "Afzender gecontroleerd (DMARC).",
    "dkim_aligned_pass": "Afzender gecontroleerd (DKIM).",
    "spf_pass": "Alleen de verzendende server is gecontroleerd (SPF), niet de afzender zelf.",
    "sender_unparseable": "Het afzenderadres is onleesbaar of staat er meer dan één keer.",
    "duplicate_headers": "Een kopregel (zoals het onderwerp) staat er twee keer in: mogelijk "
                         "een nagemaakt bericht.",
    "headers_unclear": "De kopregels zijn zo opgemaakt dat niet zeker is wat er staat.",
    "sender_domain_not_allowed": "Afzender is niet van tweedekamer.nl.",
    "sender_header_differs": "Het bericht is namens iemand anders verstuurd (Sender).",
    "no_authentication_results": "Onze mailserver heeft de afzender niet gecontroleerd.",
    "authentication_results_unparseable": "De controle van onze mailserver is onleesbaar.",
    "authentication_results_conflict": "De controle van onze mailserver spreekt zichzelf tegen.",
    "authentication_failed": "De afzender kon niet worden gecontroleerd.",
    "display_name_mimics_address": "De naam van de afzender lijkt op een e-mailadres.",
    "unverified_sender": "De afzender is niet gecontroleerd, dus de bot schrijft niemand in of "
                         "uit.",
    "no_usable_sender": "Er is geen bruikbaar afzenderadres.",
    "no_return_path": "Geen antwoordadres (bijvoorbeeld ingelezen mail): geen automatisch "
                      "antwoord.",
    "system_return_path": "Het antwoordadres is een systeemadres (no-reply): geen automatisch "
                          "antwoord.",
    "resent": "Het bericht is door iemand doorgestuurd (Resent).",
    "date_far_from_receipt": "De datum van het bericht ligt ver van de ontvangst: mogelijk een "
                             "oud bericht dat opnieuw is verstuurd.",
    "not_addressed_to_us": "Het bericht is niet aan ons adres gericht (Bcc of doorgestuurd).",
    # machine mail
    "auto_submitted": "Automatisch bericht (Auto-Submitted).",
    "precedence_bulk": "Massa- of lijstmail (Precedence).",
    "list_headers": "Bericht van een mailinglijst.",
    "autoreply_headers": "Automatisch antwoord (kopregels van een autoresponder).",
    "null_return_path": "Bericht van een mailserver (leeg antwoordadres).",
    "system_sender": "Afzender is een systeemadres (no-reply, mailer-daemon).",
    "our_own_mail": "Ons eigen bericht.",
    "echo_of_our_reply": "Ons eigen antwoord dat terugkomt.",
    "bounce_subject": "Melding dat een bericht niet kon worden bezorgd.",
    "delivery_report": "Bezorg- of leesbevestiging.",
    "bounce_detected": "Melding dat een bericht niet kon worden bezorgd.",
    "out_of_office_text": "Afwezigheidsmelding.",
    "calendar_accepted": "Automatisch antwoord van een agenda: uitnodiging geaccepteerd.",
    # what the sender does
    "registration_words": "De afzender meldt zich aan.",
    "cancellation_words": "De afzender meldt zich af.",
    "request": "Het verzoek zelf is de aan- of afmelding (\"Kunt u mij inschrijven?\").",
    "question_about_act": "Een vraag over aan- of afmelden, geen aan- of afmelding.",
    "conditional_act": "Aan- of afmelding onder een voorwaarde (\"als ...\").",
    "act_about_someone_else": "Aan- of afmelding voor iemand anders.",
    "hedged": "De afzender twijfelt nog.",
    "if_seat_left": "Meldt zich aan als er nog plek is.",
    "other_date": "Noemt een andere datum dan onze uitnodiging of bevestiging.",
    "reaffirms": "Antwoord op onze bevestiging of herinnering: komt nog steeds.",
    "other_occasion": "Gaat over iets anders dan deze bijeenkomst (borrel, ander overleg).",
    "late_or_early": "Komt later of gaat eerder weg: noteer de tijd.",
    "acts_disagree": "Het bericht meldt zowel aan als af.",
    "outweighed_by_contrast": "Eerst het een, daarna (\"maar\") het ander: het laatste telt.",
    "not_cancelling": "De afzender zegt juist dat hij of zij zich niet afmeldt.",
    "doubt_overruled": "Twijfelt eerst, maar meldt zich toch aan.",
    "not_signing_up": "De afzender vraagt juist om (nog) niet op de lijst te komen.",
    "negated": "De afzender zegt juist niet te komen of zich niet aan te melden.",
    "misdirected": "Het bericht was voor iemand anders bedoeld.",
    "sign_up_trouble": "Het aanmelden via de website of een link lukte niet: vraag voor het team.",
    "corrected": "De afzender verbetert een eerder bericht.",
    "subject_disagrees": "Het onderwerp zegt iets anders dan de tekst.",
    "also_for_someone_else": "Meldt zich aan en ook iemand anders.",
    "wish_declined": "\"Ik zou graag komen, maar ...\": een afmelding.",
    "confirmation_asked": "Vraagt om een bevestiging van de aanmelding.",
    "yes_to_invitation": "\"Ja\" als antwoord op de uitnodiging.",
    "no_to_invitation": "\"Nee\" als antwoord op de uitnodiging.",
    "registration_subject": "Alleen het onderwerp noemt een aanmelding.",
    "cancellation_subject": "Alleen het onderwerp noemt een afmelding.",
    "question_subject": "De vraag staat in het onderwerp.",
    "question_mark": "Stelt een vraag.",
    "question_words": "Stelt een vraag (zonder vraagteken).",
    "also_asks_question": "Stelt daarnaast een vraag.",
    "no_intent_found": "De bot herkent geen aanmelding, afmelding of vraag.",
    "on_behalf_of": "Aanmelding namens iemand anders.",
    "for_someone_else": "Aanmelding voor iemand anders dan de afzender.",
    "extra_people": "Noemt nog iemand die mee wil; die wacht op beoordeling.",
    "low_confidence": "De bot is niet zeker.",
    # when and which event
    "older_than_autoreply_cutoff": "Oud bericht: geen automatisch antwoord.",
    "event_named": "De bijeenkomst is herkend.",
    "several_events_named": "Noemt meer dan één bijeenkomst.",
    "event_unclear": "Niet duidelijk over welke bijeenkomst het gaat.",
    "only_event_registered_for": "De enige bijeenkomst waarvoor de afzender is aangemeld.",
    # reply limits
    "circuit_breaker": "Te veel automatische antwoorden aan niet-gecontroleerde afzenders in "
                       "korte tijd (noodrem): antwoord vastgehouden; het gaat vanzelf weg zodra "
                       "het rustiger is.",
    "daily_reply_cap": "Deze afzender kreeg vandaag al het maximum aan automatische antwoorden: "
                       "antwoord vastgehouden; het gaat vanzelf weg na 24 uur.",
    "same_reply_recently": "Deze afzender kreeg dit antwoord onlangs al.",
    "rejected": "Het bericht kon niet worden gelezen.",
    # what staff decided on the review queue (bot/staff/desk.py)
    "staff_registration": "Het team heeft dit als aanmelding verwerkt.",
    "staff_question": "Het team heeft dit als vraag behandeld.",
    "staff_cancel": "Het team heeft dit als afmelding verwerkt.",
    "staff_ignore": "Het team heeft dit bericht genegeerd.",
}


def reason_text(name: str, language: str = "nl") -> str:
    """The sentence for the rule ``name`` in Dutch, or in English (``language`` "en",
    :data:`bot.web.reasons_en.REASONS_EN`); the name itself when there is none."""
    return (REASONS_EN if language == "en" else REASONS).get(name, name)
