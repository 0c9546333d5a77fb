"""Benchmark: peak memory of ``inbox-bot poll --once`` over a small and a large backlog.

What it measures: the peak resident set size (RSS) of the bot's command-line process running
``inbox-bot --config FILE poll --once``, exactly as production runs it, over a backlog of 1,000
(``--small``) and of 10,000 (``--large``) messages. The messages are the realistic mix of
bench/backlog.py (sign-ups, questions, out-of-office, list mail; 2-6 KB each), APPENDed with
MULTIAPPEND to a fresh account of a throw-away Dovecot (tests/servers.py); each run has its own
SQLite database and configuration file (written by tests/helpers.py ``write_config``, with
capacity 100,000 and a circuit breaker that cannot trip) and the SMTP sink of bot/demo/sink.py.
The peak is ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read in a fresh helper process
(this script with ``--child``) whose only child is the bot, so no other process's peak is mixed
in.

Baseline: the peak of the small run. Target: the bot's memory does not grow with the backlog,
``peak_rss_large / peak_rss_small <= 1.2`` (it fetches and records in batches). Out: both peaks
in MB, the runs' summaries, and a last line ``RATIO memory <large / small>``. Nothing is
asserted. Run: ``.venv/bin/python bench/memory.py [--small N] [--large N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from backlog import NO_BREAKER, append_all, folder_counts, make_messages  # noqa: E402

from bot.demo.sink import SmtpSink  # noqa: E402
from tests.helpers import write_config  # noqa: E402
from tests.servers import DovecotServer  # noqa: E402

EXTRA_CONFIG = f"""
[worker]
batch_size = 200

[limits]
circuit_breaker_replies = {NO_BREAKER}
unverified_replies_per_day = {NO_BREAKER}
"""


def bot_command(config: Path) -> list[str]:
    script = Path(sys.executable).parent / "inbox-bot"
    prefix = [str(script)] if script.exists() else [sys.executable, "-m", "bot"]
    return [*prefix, "--config", str(config), "poll", "--once"]


def child(config: Path, log: Path) -> None:
    """Run the bot once as our only child; print its exit code, summary and peak RSS (JSON)."""
    start = time.perf_counter()
    with log.open("wb") as stderr:
        done = subprocess.run(bot_command(config), stdout=subprocess.PIPE, stderr=stderr,
                              cwd=ROOT, check=False)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    lines = done.stdout.decode(errors="replace").strip().splitlines()
    print(json.dumps({"returncode": done.returncode, "summary": lines[-1] if lines else "",
                      "peak_kib": peak_kib, "seconds": seconds}))


def measure(dovecot: DovecotServer, sink: SmtpSink, count: int, workdir: Path) -> dict:
    """Fill a new account with ``count`` messages and run the bot over it in a helper."""
    account = dovecot.new_account()
    messages, _mix = make_messages(count)
    append_all(account, messages)
    del messages
    run_dir = workdir / f"run-{count}"
    run_dir.mkdir()
    config = write_config(run_dir, account, sink, f"sqlite:///{run_dir}/bot.db",
                          capacity=100_000, extra=EXTRA_CONFIG)
    env = {**os.environ, "TEST_IMAP_PASSWORD": account.password}
    log = run_dir / "bot.log"
    helper = subprocess.run([sys.executable, __file__, "--child", str(config), str(log)],
                            env=env, capture_output=True, check=True, cwd=ROOT)
    result = json.loads(helper.stdout.decode().strip().splitlines()[-1])
    result["folders"] = folder_counts(account, "INBOX", "Processed", "Quarantine")
    errors = [line for line in log.read_text(errors="replace").splitlines()
              if " ERROR " in line or " CRITICAL " in line]
    result["errors"] = len(errors)
    if result["returncode"] != 0 or errors:
        kept = Path(tempfile.gettempdir()) / f"bench-memory-{count}.log"
        shutil.copyfile(log, kept)
        result["log"] = str(kept)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=1_000, help="messages (default 1000)")
    parser.add_argument("--large", type=int, default=10_000, help="messages (default 10000)")
    parser.add_argument("--child", nargs=2, metavar=("CONFIG", "LOG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]))
        return

    peaks = {}
    with DovecotServer() as dovecot, SmtpSink() as sink, \
            tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for name, count in (("small", args.small), ("large", args.large)):
            result = measure(dovecot, sink, count, Path(tmp))
            peaks[name] = result["peak_kib"] / 1024
            print(f"{name}: {count} messages: peak RSS {peaks[name]:.1f} MB, "
                  f"{result['seconds']:.1f} s, exit code {result['returncode']}, "
                  f"{result['errors']} ERROR log lines, folders after {result['folders']}"
                  + (f", log kept in {result['log']}" if "log" in result else ""))
            print(f"  {result['summary']}")
    print(f"RATIO memory {peaks['large'] / peaks['small']:.3f}")


if __name__ == "__main__":
    main()
