"""The bot's reasons in English, for staff who use the desk in English: data only, one sentence
for every rule name of :data:`bot.web.reasons.REASONS` (a test checks that both have the same
names).

In: nothing. Out: :data:`REASONS_EN`, read by :func:`bot.web.reasons.reason_text`.
"""

from __future__ import annotations

REASONS_EN = {
    # who sent it
    "dmarc_pass": "Sender verified (DMARC).",
    "dkim_aligned_pass": "Sender verified (DKIM).",
    "spf_pass": "Only the sending server was verified (SPF), not the sender.",
    "sender_unparseable": "The sender's address is unreadable or appears more than once.",
    "duplicate_headers": "A header (such as the subject) appears twice: possibly a forged "
                         "message.",
    "headers_unclear": "The headers are written so that it is not certain what they say.",
    "sender_domain_not_allowed": "The sender is not from tweedekamer.nl.",
    "sender_header_differs": "The message was sent on behalf of someone else (Sender).",
    "no_authentication_results": "Our mail server did not verify the sender.",
    "authentication_results_unparseable": "Our mail server's verification is unreadable.",
    "authentication_results_conflict": "Our mail server's verification contradicts itself.",
    "authentication_failed": "The sender could not be verified.",
    "display_name_mimics_address": "The sender's name looks like an e-mail address.",
    "unverified_sender": "The sender is not verified, so the bot signs nobody up or off.",
    "no_usable_sender": "There is no usable sender address.",
    "no_return_path": "No return address (for instance imported mail): no automatic reply.",
    "system_return_path": "The return address is a system address (no-reply): no automatic "
                          "reply.",
    "resent": "Somebody forwarded the message (Resent).",
    "date_far_from_receipt": "The message's date is far from when it arrived: possibly an old "
                             "message sent again.",
    "not_addressed_to_us": "The message is not addressed to us (Bcc or forwarded).",
    # machine mail
    "auto_submitted": "Automatic message (Auto-Submitted).",
    "precedence_bulk": "Bulk or list mail (Precedence).",
    "list_headers": "Message from a mailing list.",
    "autoreply_headers": "Automatic reply (an autoresponder's headers).",
    "null_return_path": "Message from a mail server (empty return address).",
    "system_sender": "The sender is a system address (no-reply, mailer-daemon).",
    "our_own_mail": "Our own message.",
    "echo_of_our_reply": "Our own reply coming back.",
    "bounce_subject": "Notice that a message could not be delivered.",
    "delivery_report": "Delivery or read receipt.",
    "bounce_detected": "Notice that a message could not be delivered.",
    "out_of_office_text": "Out-of-office reply.",
    "calendar_accepted": "Automatic reply of a calendar: invitation accepted.",
    # what the sender does
    "registration_words": "The sender signs up.",
    "cancellation_words": "The sender cancels.",
    "request": "The request itself is the sign-up or cancellation (\"Could you register me?\").",
    "question_about_act": "A question about signing up or cancelling, not a sign-up or "
                          "cancellation.",
    "conditional_act": "Sign-up or cancellation under a condition (\"if ...\").",
    "act_about_someone_else": "Sign-up or cancellation for someone else.",
    "hedged": "The sender is still in doubt.",
    "if_seat_left": "Signs up if there is a seat left.",
    "other_date": "Names another date than our invitation or confirmation.",
    "reaffirms": "Answer to our confirmation or reminder: still coming.",
    "other_occasion": "About something other than this event (drinks, another meeting).",
    "late_or_early": "Comes later or leaves early: note the time.",
    "acts_disagree": "The message both signs up and cancels.",
    "outweighed_by_contrast": "First one thing, then (\"but\") the other: the last counts.",
    "not_cancelling": "The sender says they are not cancelling.",
    "doubt_overruled": "In doubt at first, but signs up after all.",
    "not_signing_up": "The sender asks not to be put on the list (yet).",
    "negated": "The sender says they are not coming or not signing up.",
    "misdirected": "The message was meant for someone else.",
    "sign_up_trouble": "Signing up on the website or with a link failed: a question for the "
                       "team.",
    "corrected": "The sender corrects an earlier message.",
    "subject_disagrees": "The subject says something else than the text.",
    "also_for_someone_else": "Signs up, and someone else too.",
    "wish_declined": "\"I would like to come, but ...\": a cancellation.",
    "confirmation_asked": "Asks for a confirmation of the sign-up.",
    "yes_to_invitation": "\"Yes\" in answer to the invitation.",
    "no_to_invitation": "\"No\" in answer to the invitation.",
    "registration_subject": "Only the subject names a sign-up.",
    "cancellation_subject": "Only the subject names a cancellation.",
    "question_subject": "The question is in the subject.",
    "question_mark": "Asks a question.",
    "question_words": "Asks a question (without a question mark).",
    "also_asks_question": "Also asks a question.",
    "no_intent_found": "The bot recognises no sign-up, cancellation or question.",
    "on_behalf_of": "Sign-up on behalf of someone else.",
    "for_someone_else": "Sign-up for someone other than the sender.",
    "extra_people": "Names someone else who wants to come; they await review.",
    "low_confidence": "The bot is not sure.",
    # when and which event
    "older_than_autoreply_cutoff": "Old message: no automatic reply.",
    "event_named": "The event was recognised.",
    "several_events_named": "Names more than one event.",
    "event_unclear": "Not clear which event it is about.",
    "only_event_registered_for": "The only event the sender is signed up for.",
    # reply limits
    "circuit_breaker": "Too many automatic replies to unverified senders in a short time "
                       "(emergency brake): reply held back; it goes out by itself once it is "
                       "quieter.",
    "daily_reply_cap": "This sender got the most automatic replies for today already: reply "
                       "held back; it goes out by itself after 24 hours.",
    "same_reply_recently": "This sender got this reply recently.",
    "rejected": "The message could not be read.",
    # what staff decided on the review queue (bot/staff/desk.py)
    "staff_registration": "The team registered this.",
    "staff_question": "The team treated this as a question.",
    "staff_cancel": "The team cancelled this.",
    "staff_ignore": "The team ignored this message.",
}
