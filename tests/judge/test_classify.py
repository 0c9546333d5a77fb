"""The classifier, as tables: loop guards, sender trust, intent; and the sample files."""

from __future__ import annotations

import pytest

from bot.inbound.parse import parse_message
from bot.judge.classify import classify_message
from bot.register.effects import plan_effect
from tests.helpers import DATA_DIR
from tests.mailfactory import CTX, verdict

REGISTER = "Graag meld ik mij aan voor de masterclass."


@pytest.mark.parametrize(("overrides", "rule"), [
    ({"Auto_Submitted": "auto-replied"}, "auto_submitted"),
    ({"Auto_Submitted": "Auto-Generated (vacation)"}, "auto_submitted"),
    ({"Auto_Submitted": "auto-notified"}, "auto_submitted"),
    ({"Precedence": "bulk"}, "precedence_bulk"),
    ({"Precedence": "JUNK"}, "precedence_bulk"),
    ({"X_Precedence": "auto_reply"}, "precedence_bulk"),
    ({"List_Id": "<overleg.lists.example>"}, "list_headers"),
    ({"List_Unsubscribe": "<mailto:leave@lists.example>"}, "list_headers"),
    ({"X_Mailing_List": "overleg@lists.example"}, "list_headers"),
    ({"X_Autoreply": "yes"}, "autoreply_headers"),
    ({"X_Auto_Response_Suppress": "All"}, "autoreply_headers"),
    ({"X_Loop": "info@kinderrechten.nl"}, "autoreply_headers"),
    ({"Return_Path": "<>"}, "null_return_path"),
    ({"Return_Path": "< >"}, "null_return_path"),
    ({"Return_Path": "<<>>"}, "null_return_path"),
    ({"From": "MAILER-DAEMON@mx.example.org"}, "system_sender"),
    ({"From": "postmaster@tweedekamer.nl"}, "system_sender"),
    ({"From": "no-reply@tweedekamer.nl"}, "system_sender"),
    ({"From": "noreply@example.org"}, "system_sender"),
    ({"From": "overleg-request@lists.example"}, "system_sender"),
    ({"From": "owner-overleg@lists.example"}, "system_sender"),
    ({"From": "Kinderrechtencollectief <INFO@kinderrechten.nl>"}, "our_own_mail"),
    ({"Message_ID": "<inbox-bot.abc@kinderrechten.nl>"}, "our_own_mail"),
    ({"Content_Type": "multipart/report; report-type=delivery-status; boundary=x"},
     "delivery_report"),
    ({"Subject": "Automatisch antwoord: Masterclass"}, "out_of_office_text"),
    ({"Subject": "Afwezig: Masterclass"}, "out_of_office_text"),
    ({"Subject": "Out of Office: Masterclass"}, "out_of_office_text"),
    ({"Subject": "Automatic reply: Masterclass"}, "out_of_office_text"),
])
def test_automatic_mail_is_never_answered(overrides, rule):
    v = verdict(REGISTER, **overrides)
    assert v.kind == "automatic" and rule in v.reasons
    assert plan_effect(v, existing=None, seats_left=10).reply is None


@pytest.mark.parametrize("overrides", [
    {"Auto_Submitted": "no"}, {"Auto_Submitted": "No (a person wrote this)"},
    {"Precedence": "first-class"},
])
def test_headers_that_do_not_mean_automatic(overrides):
    assert verdict(REGISTER, **overrides).kind == "registration"


@pytest.mark.parametrize(("answer", "kind"), [("ACCEPTED", "automatic"),
                                              ("TENTATIVE", "automatic"), ("DECLINED", "other")])
def test_a_calendar_answer_to_our_invitation(answer, kind):
    """Outlook's "Geaccepteerd: Masterclass" (an empty text part beside text/calendar,
    METHOD:REPLY) is a program's answer; a declined one is left to staff."""
    body = ("--b\nContent-Type: text/plain; charset=utf-8\n\n\n--b\n"
            "Content-Type: text/calendar; method=REPLY; charset=utf-8\n\n"
            "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nATTENDEE;PARTSTAT="
            f"{answer}:mailto:a.jansen@tweedekamer.nl\nSUMMARY:Masterclass\n"
            "END:VEVENT\nEND:VCALENDAR\n--b--\n")
    v = verdict(body, Subject="Geaccepteerd: Masterclass Kinderrechten",
                Content_Type="multipart/alternative; boundary=b")
    assert v.kind == kind and ("calendar_accepted" in v.reasons) is (kind == "automatic")
    assert plan_effect(v, existing=None, seats_left=10).reply is None


def test_a_calendar_answer_with_a_comment_is_read():
    """Outlook's "accept and send a response with comments": the comment is someone's words."""
    body = ("--b\nContent-Type: text/plain; charset=utf-8\n\nIk neem mijn collega mee, kan "
            "dat?\n--b\nContent-Type: text/calendar; method=REPLY; charset=utf-8\n\n"
            "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nATTENDEE;PARTSTAT=ACCEPTED:mailto:"
            "a.jansen@tweedekamer.nl\nEND:VEVENT\nEND:VCALENDAR\n--b--\n")
    v = verdict(body, Subject="Geaccepteerd: Masterclass Kinderrechten",
                Content_Type="multipart/alternative; boundary=b")
    assert v.kind != "automatic" and v.has_question


@pytest.mark.parametrize(("comment", "kind"), [("\\n", "automatic"),
                                               ("Ik kan toch niet komen.", "other")])
def test_a_comment_in_the_calendar_answer_is_read(comment, kind):
    """Outlook adds an empty COMMENT to every answer; one with words is someone's words."""
    body = ("--b\nContent-Type: text/plain; charset=utf-8\n\n\n--b\nContent-Type: text/calendar; "
            "method=REPLY; charset=utf-8\n\nBEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\n"
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a.jansen@tweedekamer.nl\n"
            f"COMMENT;LANGUAGE=nl-NL:{comment}\nEND:VEVENT\nEND:VCALENDAR\n--b--\n")
    v = verdict(body, Subject="Geaccepteerd: Masterclass Kinderrechten",
                Content_Type="multipart/alternative; boundary=b")
    assert v.kind == kind


def test_out_of_office_body_without_headers():
    v = verdict("Ik ben afwezig tot en met 2 december en heb beperkt toegang tot mijn mail.")
    assert v.kind == "automatic" and v.reasons == ("out_of_office_text",)


@pytest.mark.parametrize(("overrides", "verified", "reason"), [
    ({}, True, "dmarc_pass"),
    ({"From": "a.jansen@TweedeKamer.NL"}, True, "dmarc_pass"),
    ({"Authentication_Results": "mx.kinderrechten.nl; dkim=pass header.d=tweedekamer.nl"},
     True, "dkim_aligned_pass"),
    ({"Authentication_Results": "mx.kinderrechten.nl; dmarc=fail header.from=tweedekamer.nl"},
     False, "authentication_failed"),
    ({"Authentication_Results": "mx.kinderrechten.nl; dkim=pass header.d=mailer.example"},
     False, "authentication_failed"),
    ({"Authentication_Results": "mx.evil.example; dmarc=pass header.from=tweedekamer.nl"},
     False, "no_authentication_results"),
    ({"Authentication_Results": None}, False, "no_authentication_results"),
    ({"From": "a.jansen@tweedekamer.nl.evil.example"}, False, "sender_domain_not_allowed"),
    ({"From": "a.jansen@evil-tweedekamer.nl"}, False, "sender_domain_not_allowed"),
    ({"From": "a.jansen@sub.tweedekamer.nl"}, False, "sender_domain_not_allowed"),
    ({"From": "a.jansen@tweedek\u0430mer.nl"}, False, "sender_domain_not_allowed"),  # Cyrillic
    ({"From": "a@tweedekamer.nl, b@tweedekamer.nl"}, False, "sender_unparseable"),
])
def test_sender_trust(overrides, verified, reason):
    v = verdict(REGISTER, **overrides)
    assert (v.verified, v.reasons[0]) == (verified, reason)


def test_only_the_topmost_header_of_our_server_counts():
    raw = (b"Authentication-Results: mx.kinderrechten.nl; dmarc=fail header.from=tweedekamer.nl\r\n"
           + b"Authentication-Results: mx.kinderrechten.nl; dmarc=pass header.from=tweedekamer.nl"
           + b"\r\n" + _without_auth(REGISTER))
    v = classify_message(parse_message(raw, max_bytes=10**6), CTX)
    assert not v.verified and v.needs_review


def _without_auth(body: str) -> bytes:
    from tests.mailfactory import build
    return build(body, Authentication_Results=None)


@pytest.mark.parametrize(("body", "subject", "kind", "has_question"), [
    ("Graag meld ik mij aan voor de masterclass.", "Masterclass", "registration", False),
    ("Ik kom graag!", "Uitnodiging", "registration", False),
    ("Hierbij meld ik me aan.", "Masterclass", "registration", False),
    ("Ik wil graag komen. Is er parkeergelegenheid?", "Masterclass", "registration", True),
    ("", "Aanmelding masterclass", "registration", False),
    ("I would like to attend the masterclass.", "Masterclass", "registration", False),
    ("Please register me for the masterclass.", "Masterclass", "registration", False),
    ("Ik moet mij helaas afmelden.", "Masterclass", "cancellation", False),
    ("Ik kan toch niet komen, excuses.", "RE: Aanmelding", "cancellation", False),
    ("Ik kan me helaas niet aanmelden, ik zit dan in de commissie.", "Masterclass",
     "cancellation", False),
    ("I am afraid I can no longer attend.", "Re: Registration", "cancellation", False),
    ("Is de masterclass ook online te volgen?", "Vraag", "question", True),
    ("Where exactly is Nieuwspoort?", "Question", "question", True),
    ("Zet me maar op de lijst.", "Masterclass", "registration", False),
    ("Sorry, kan toch niet", "Re: Bevestiging", "cancellation", False),
    ("Wilt u mij afmelden? Ik zit in een debat.", "Masterclass", "cancellation", False),
    ("", "Is er ook een livestream?", "question", True),
    ("Met vriendelijke groet,\n\nAnna Jansen\nLid Tweede Kamer", "Is er een livestream?",
     "question", True),
    ("Bedankt!\n\nAnna Jansen\nLid Tweede Kamer der Staten-Generaal\nVragen? Bel 070-1234567",
     "RE: Bevestiging", "other", False),
    ("Graag bevestig ik hierbij mijn deelname.", "Uitnodiging", "registration", False),
    ("Graag schuif ik aan op de 25e!", "RE: Uitnodiging", "registration", False),
    ("Reken maar op mij!", "Re: Uitnodiging", "registration", False),
    ("Leuk, ik doe mee. Komen er leesstukken?", "Re: Uitnodiging", "registration", True),
    ("Voordat ik mij aanmeld: kunt u het programma sturen?", "Programma", "question", True),
    ("Ik kom uit Drenthe. Is er parkeergelegenheid?", "parkeren", "question", True),
    ("Zij reageren zelf als ze willen komen.", "Uitnodiging", "other", False),
    ("Helaas gaat het mij niet lukken om aanwezig te zijn.", "RE: Deelname", "cancellation",
     False),
    ("Er is iets tussengekomen. Wilt u mij van de lijst halen?", "Re: Bevestiging",
     "cancellation", False),
    ("Moet helaas afhaken, ziek thuis.", "Re: Bevestiging", "cancellation", False),
    ("Something came up, please take me off the list.", "RE: Registration", "cancellation",
     False),
    ("Top, dank je wel!", "RE: Aanmelding Masterclass Kinderrechten", "other", False),
    ("Ik ben van de partij!", "Re: Uitnodiging", "registration", False),
    ("Ik ben van de partijcommissie en heb het druk.", "Re: Uitnodiging", "other", False),
    ("Wij zijn van de partijen die dit wetsvoorstel steunen.", "Uitnodiging", "other", False),
    ("Hartelijk dank voor de uitnodiging.", "Uitnodiging", "other", False),
])
def test_intent(body, subject, kind, has_question):
    v = verdict(body, Subject=subject)
    assert (v.kind, v.has_question) == (kind, has_question)
    assert v.needs_review == (kind == "other")


R, C, Q, OTHER = "registration", "cancellation", "question", "other"


@pytest.mark.parametrize(("body", "subject", "kind", "has_question", "review"), [
    # performed acts
    ("Hierbij meld ik mij aan voor de masterclass.", "Masterclass", R, False, False),
    ("Graag schuif ik op 25 november aan.", "Re: Uitnodiging", R, False, False),
    ("Count me in for the 25th.", "Masterclass", R, False, False),
    ("Ja, ik kom graag.", "Re: Uitnodiging masterclass", R, False, False),
    ("Ik kom nog steeds!", "Re: Herinnering", R, False, False),
    ("Ik moet helaas afzeggen voor woensdag.", "Re: Bevestiging", C, False, False),
    ("I'm afraid I have to withdraw.", "Re: Confirmation", C, False, False),
    ("Ik kan me helaas niet aanmelden, ik zit in het buitenland.", "Uitnodiging", C, False,
     False),
    # requests phrased as questions are acts
    ("Kunt u mij inschrijven voor de masterclass?", "Masterclass", R, False, False),
    ("Mag ik mij nog aanmelden?", "Masterclass", R, False, False),
    ("Zou u mij willen afmelden?", "Re: Bevestiging", C, False, False),
    ("Could you put me down for the 25th?", "Masterclass", R, False, False),
    # questions about an act are questions
    ("Hoe meld ik me aan?", "Masterclass", Q, True, False),
    ("Is aanmelden nog mogelijk?", "Masterclass", Q, True, False),
    ("Before I register: is there interpretation into English?", "Masterclass", Q, True,
     False),
    ("Tot wanneer kan ik me kosteloos afmelden?", "Masterclass", Q, True, False),
    # conditions and hypotheticals are not acts
    ("Als ik verhinderd ben, kan mijn medewerker dan gaan?", "Masterclass", Q, True, False),
    ("Stel dat ik me aanmeld en later niet kan, is dat een probleem?", "Masterclass", Q, True,
     False),
    ("If I sign up, do I get the slides afterwards?", "Masterclass", Q, True, False),
    ("Als het debat niet uitloopt, ben ik erbij.", "Masterclass", OTHER, False, True),
    ("Als er nog plek is, meld ik me graag aan.", "Masterclass", R, False, True),  # staff check
    # someone else is not the sender
    ("Mijn collega kan helaas niet komen.", "Re: Bevestiging", OTHER, False, True),
    ("Kan mijn medewerker zich ook aanmelden als ik zelf verhinderd ben?", "Masterclass", Q,
     True, False),
    ("Count me in! Will there be a livestream for colleagues who cannot attend?", "Masterclass",
     R, True, False),
    # another occasion or part is not this event
    ("Ik moet me afmelden voor het rondetafelgesprek van morgen.", "Afmelding", OTHER, False, True),
    ("Ik kan helaas niet blijven voor de borrel.", "Re: Bevestiging", OTHER, False, True),
    ("Ik kom wat later binnen, rond acht uur.", "Re: Bevestiging", OTHER, False, True),
    ("Please remove me from the newsletter.", "Newsletter", OTHER, False, True),
    # negation and doubt
    ("Ik twijfel nog, maar zet me maar op de lijst.", "Masterclass", R, False, False),
    ("Misschien kom ik, ik laat het nog weten.", "Masterclass", OTHER, False, True),
    ("Ik zou graag komen, maar ik kan die avond helaas niet.", "Uitnodiging", C, False, False),
    # mixed messages
    ("Ik meld me aan. Is er een lift in Nieuwspoort?", "Masterclass", R, True, False),
    ("I'd like to attend. Could you please confirm my registration?", "Masterclass", R, False,
     False),
    ("Ik meld me aan en ik meld me af.", "Masterclass", C, False, True),
    ("Mijn assistent meldt zich af.", "Re: Bevestiging", OTHER, False, True),
    ("Als ik verhinderd ben, meld ik me af; ik laat het nog weten.", "Masterclass", OTHER,
     False, True),
    ("Ik meld mijn assistent aan voor de masterclass.", "Masterclass", R, False, True),
    ("Kunt u mijn collega ook aanmelden?", "Masterclass", R, False, True),
    ("Wilt u de heer Ten Hove als deelnemer noteren?", "Masterclass", R, False, True),
    ("Is er een lift? Dan meld ik me aan.", "Masterclass", Q, True, False),
    ("Ik kan niet. Mijn collega Tim wil graag mijn plek overnemen.", "Re: Bevestiging", C, False,
     True),
    ("Ik kan niet; hopelijk kan iemand anders mijn plek krijgen.", "Re: Bevestiging", C, False,
     False),
    ("Ik kom graag, en mijn collega Jansen ook.", "Masterclass", R, False, True),
    ("Helaas, ik kan niet.", "Re: Uitnodiging", C, False, False),
    ("Please cancel my registration.", "Re: Confirmation", C, False, False),
    ("Can I cancel if something comes up?", "Masterclass", Q, True, False),
    ("Dank voor de bevestiging van mijn aanmelding!", "Re: Bevestiging", OTHER, False, True),
    ("Ik heb me al aangemeld maar kreeg geen bevestiging.", "Masterclass", OTHER, False, True),
    ("Mijn fractievoorzitter vroeg of ik ga; ik kom graag!", "Masterclass", R, False, False),
    ("Dat wil ik graag bijwonen.", "Re: Uitnodiging", R, False, False),
    ("Ik zal er zeker zijn!", "Re: Uitnodiging", R, False, False),
    ("Ik kom graag, als het debat niet uitloopt.", "Masterclass", OTHER, False, True),
    ("Zet me maar op de lijst, onder voorbehoud: als er gestemd wordt, zit ik in de zaal.",
     "Masterclass", R, False, True),
    ("Ik kom, tenzij er een spoeddebat komt. Schrijf me maar in.", "Masterclass", R, False,
     True),
    # a seat handed to a named colleague: staff decide for both
    ("Ik kan er toch niet bij zijn. Kan mijn collega mijn plek overnemen?", "Afmelding", C,
     True, True),
    ("Please give my seat to my colleague Sam Bakker instead.", "Re: Reminder", OTHER, False,
     True),
    # a group, and doubt next to the act
    ("Wij komen graag met drie leden van onze fractie.", "Masterclass", R, False, True),
    ("Ik ben er waarschijnlijk bij, noteer mij maar.", "Masterclass", R, False, True),
    ("I think I can make it. Put me down for now.", "Masterclass", R, False, True),
    # coming later: a sign-up for part of the evening
    ("Ik schuif rond kwart over acht aan.", "Masterclass", R, False, False),  # the time is noted
    ("Ik kom graag. Als ik toch verhinderd ben, laat ik het weten.", "Masterclass", R, False,
     False),
    ("I can't make it, but my colleague would like to come in my place.", "Re: Confirmation",
     C, False, True),
    # one-word replies to the invitation
    ("Ja!\n\n> U bent uitgenodigd voor de masterclass. Meld u aan door te antwoorden.",
     "Re: Uitnodiging", R, False, False),
    ("Nee, helaas niet.\n\n> U bent uitgenodigd voor de masterclass. Meld u aan door te "
     "antwoorden.", "Re: Uitnodiging", C, False, False),
    ("Ja!", "Re: Vraag over parkeren", OTHER, False, True),  # no invitation quoted
])
def test_acts_not_words(body, subject, kind, has_question, review):
    """Issue 12: the bot acts on what the sender does, for themselves, for this event."""
    v = verdict(body, Subject=subject)
    assert (v.kind, v.has_question, v.needs_review) == (kind, has_question, review), v.reasons


@pytest.mark.parametrize(("body", "reasons", "acts_alone"), [
    ("Hierbij meld ik mevrouw Van Dijk (i.vandijk@tweedekamer.nl) aan.",
     {"for_someone_else", "extra_people"}, False),
    ("Namens Kamerlid Jansen meld ik haar graag aan.", {"on_behalf_of"}, False),
    # a colleague named with the sender: staff decide for both (issue 12)
    ("Ik kom graag, en mijn collega Piet de Vries (p.devries@tweedekamer.nl) ook.",
     {"extra_people"}, False),
])
def test_sign_ups_for_other_people(body, reasons, acts_alone):
    v = verdict(body)
    assert v.kind == "registration" and reasons <= set(v.reasons) and v.needs_review
    assert v.acts_alone is acts_alone
    assert (plan_effect(v, existing=None, seats_left=5).reply is not None) is acts_alone


def test_quoted_history_does_not_count():
    body = ("Top, dank je wel!\n\nVan: Kinderrechtencollectief <info@kinderrechten.nl>\n"
            "Verzonden: dinsdag 10 november 2026 10:00\nAan: Anna Jansen\n"
            "Onderwerp: Aanmelding\n\nU bent ingeschreven. Wilt u zich afmelden?")
    assert verdict(body, Subject="RE: Masterclass").kind == "other"


@pytest.mark.parametrize(("body", "language"), [
    ("Graag meld ik mij aan voor de masterclass.", "nl"),
    ("I would like to register for the masterclass, thank you.", "en"),
])
def test_language(body, language):
    assert verdict(body).language == language


@pytest.mark.parametrize(("name", "kind", "reply", "needs_review"), [
    ("registration_nl.eml", "registration", "registration_confirmed", False),
    ("registration_en.eml", "registration", "registration_confirmed", False),
    ("html_only_nl.eml", "registration", "registration_confirmed", False),
    ("question_nl.eml", "question", "question_received", False),
    ("bad_charset.eml", "question", "question_received", False),
    ("out_of_office_nl.eml", "automatic", None, False),
    ("out_of_office_noheader_nl.eml", "automatic", None, False),
    ("bounce_dsn.eml", "automatic", None, False),
    ("list_mail.eml", "automatic", None, False),
    ("registration_unverified.eml", "registration", None, True),
    ("registration_lookalike.eml", "registration", None, True),
])
def test_sample_files(name, kind, reply, needs_review):
    v = classify_message(parse_message((DATA_DIR / name).read_bytes(), max_bytes=10**7), CTX)
    effect = plan_effect(v, existing=None, seats_left=10)
    assert (v.kind, effect.reply, v.needs_review) == (kind, reply, needs_review)
