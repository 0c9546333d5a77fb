"""Mail out: rendering replies (reply, mime, calendar), reply limits (limits) and the
SMTP outbox."""
