"""``make demo-mailbox``: a demo mailbox that stays up, to try the real commands against.

In: the sample messages in ``bot/demo/samples/``. Out: until Ctrl-C, an IMAP server (pymap, in
memory) holding the samples in the INBOX of ``info@kinderrechten.nl`` and an SMTP sink that
prints one line per mail it receives; and ``demo-mailbox/config.toml`` (config.example.toml
pointed at them, with its own database ``demo-mailbox/inbox-bot.db``, emptied at start, and
``[health] alert_email`` set). ``docs/deployment.md`` walks through ``inbox-bot
check``, ``run --dry-run`` and ``run`` against it from a second terminal, exactly as against
the collective's real mailbox.
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from bot.demo.imapserver import DemoImapServer
from bot.demo.run import PASSWORD, PASSWORD_ENV, ROOT, SAMPLES, USER, deliver, write_config
from bot.demo.sink import ReceivedMail, SmtpSink

OUT_DIR = ROOT / "demo-mailbox"
STAFF_ADDRESS = "staf@kinderrechten.nl"


def show(mail: ReceivedMail) -> None:
    message = mail.message
    print(f"[demo SMTP] to {', '.join(mail.rcpt_tos)}: {message['Subject']}", flush=True)


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    OUT_DIR.mkdir(exist_ok=True)
    for old in OUT_DIR.glob("*.db*"):
        old.unlink()
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with DemoImapServer(users={USER: PASSWORD}) as imap, SmtpSink(on_message=show) as smtp:
        path = write_config(OUT_DIR, imap_port=imap.port, smtp_port=smtp.port,
                            extra={("health", "alert_email"): STAFF_ADDRESS})
        samples = sorted(SAMPLES.glob("*.eml"))
        deliver(imap.host, imap.port, samples)
        print(f"Demo mailbox {USER}: IMAP {imap.host}:{imap.port} with {len(samples)} sample "
              f"messages, SMTP sink {smtp.host}:{smtp.port}.\n"
              f"In a second terminal:\n"
              f"  export INBOX_BOT_CONFIG={path.relative_to(ROOT)} {PASSWORD_ENV}={PASSWORD}\n"
              f"  .venv/bin/inbox-bot check\n"
              f"Ctrl-C stops the demo mailbox; its mail is gone then.", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    os.environ.setdefault(PASSWORD_ENV, PASSWORD)
    raise SystemExit(main())
