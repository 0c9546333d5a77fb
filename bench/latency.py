"""Benchmark: how fast does a sign-up get its confirmation while the worker waits in IDLE?

Measures: with ``inbox-bot run`` in IDLE (poll interval one hour, so only IDLE can wake it),
50 sign-ups APPENDed one at a time; for each, the time from APPEND returning to the
confirmation arriving at the SMTP sink. Baseline, same run: Dovecot's own IDLE notification
delay (a second client in IDLE sees the EXISTS of an APPEND), about 0.5 s here. Target: the
median within 0.5 s of the baseline's median. Last line: ``RATIO latency <median / baseline>``.
"""

from __future__ import annotations

import statistics
import sys
import time

from _harness import Harness

from tests.mailfactory import build


def sign_up(i: int) -> bytes:
    return build("Graag meld ik mij aan voor de masterclass.", From=f"mp{i}@tweedekamer.nl",
                 Return_Path=f"<mp{i}@tweedekamer.nl>", Message_ID=f"<lat{i}@tweedekamer.nl>")


def idle_delays(h: Harness, count: int) -> list[float]:
    """Dovecot alone: APPEND with one client, time until another client in IDLE hears it."""
    writer, watcher = h.imap(), h.imap()
    watcher.select_folder("INBOX")
    delays = []
    for i in range(count):
        watcher.idle()
        writer.append("INBOX", sign_up(100_000 + i))
        appended = time.perf_counter()
        while not watcher.idle_check(timeout=5):
            pass
        delays.append(time.perf_counter() - appended)
        watcher.idle_done()
    uids = watcher.search("ALL")
    writer.select_folder("INBOX")
    writer.delete_messages(uids)
    writer.expunge()
    writer.logout()
    watcher.logout()
    return delays


def main(count: int = 50) -> None:
    with Harness() as h:
        baseline = idle_delays(h, count)
        h.start_worker()
        client = h.imap()
        latencies = []
        for i in range(count):
            client.append("INBOX", sign_up(i))
            appended = time.perf_counter()
            h.sink.wait_for(i + 1, timeout=30)
            latencies.append(time.perf_counter() - appended)
        client.logout()
    q = statistics.quantiles
    for name, values in (("baseline: Dovecot IDLE notification", baseline),
                         ("bot: APPEND to confirmation", latencies)):
        print(f"{name:38} median {statistics.median(values):.3f} s, "
              f"p95 {q(values, n=20)[18]:.3f} s (n={len(values)})")
    print(f"RATIO latency {statistics.median(latencies) / statistics.median(baseline):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
