"""``make web``: the staff desk on the demo's database, with an SMTP sink that shows what it sends.

In: ``demo-data/config.toml`` (written by ``make demo``). Out: the staff UI on
http://127.0.0.1:8000/ until Ctrl-C, and one line on the console for every mail the desk sends
(to the demo's SMTP port, where the sink listens again), so answering the demo question from
the browser visibly sends an answer. Production runs ``inbox-bot web`` instead.
"""

from __future__ import annotations

import os
import sys

from bot.config.load import load_config
from bot.demo.run import PASSWORD, PASSWORD_ENV, ROOT
from bot.demo.sink import ReceivedMail, SmtpSink
from bot.runtime import Runtime
from bot.web.app import serve


def show(mail: ReceivedMail) -> None:
    message = mail.message
    print(f"[demo SMTP] to {mail.rcpt_tos[0]}: {message['Subject']} "
          f"(In-Reply-To {message['In-Reply-To']})", flush=True)


def main(port: int = 8000) -> int:
    config_path = ROOT / "demo-data" / "config.toml"
    if not config_path.is_file():
        print("run `make demo` first: it writes demo-data/config.toml", file=sys.stderr)
        return 2
    os.environ.setdefault(PASSWORD_ENV, PASSWORD)
    rt = Runtime.create(load_config(config_path))
    with SmtpSink(port=rt.config.smtp.port, on_message=show):
        print(f"Staff desk on http://127.0.0.1:{port}/ (Ctrl-C stops it); mail it sends is "
              "shown here.", flush=True)
        serve(rt, host="127.0.0.1", port=port, log_level="warning")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
