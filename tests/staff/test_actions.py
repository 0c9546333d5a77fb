"""Staff actions on attendees (bot.staff.actions) through the real servers: the mail each sends."""

from __future__ import annotations

from bot.outbound.outbox import flush_outbox
from bot.pipeline.flow import poll_once
from bot.staff.actions import promote_attendee
from bot.store.models import Attendee
from tests.helpers import rows
from tests.imaptools import deliver
from tests.mailfactory import build


def test_a_pending_sign_up_given_a_seat_is_not_told_it_left_the_waiting_list(
        make_runtime, imap, smtp_sink):
    """Staff give a seat to a sign-up that waited for review (here: unverified): the
    confirmation says they are registered, not that a seat came free on the waiting list."""
    rt = make_runtime()
    deliver(imap, build("Graag meld ik mij aan voor de masterclass.",
                        From="Anna Jansen <a.jansen@tweedekamer.nl>",
                        Return_Path="<a.jansen@tweedekamer.nl>",
                        Authentication_Results="mx.kinderrechten.nl; dmarc=fail "
                                               "header.from=tweedekamer.nl"))
    poll_once(rt)
    [pending] = rows(rt, Attendee)
    assert pending.status == "pending_review" and smtp_sink.messages == []

    assert promote_attendee(rt, "a.jansen@tweedekamer.nl", by="anna") == (
        "a.jansen@tweedekamer.nl is ingeschreven.")
    flush_outbox(rt.engine, rt.config.smtp, rt.config.worker)

    [mail] = smtp_sink.wait_for(1)
    assert mail.rcpt_tos == ("a.jansen@tweedekamer.nl",)
    assert "Hartelijk dank voor uw aanmelding. U bent ingeschreven" in mail.text
    assert "niet langer op de wachtlijst" not in mail.text
