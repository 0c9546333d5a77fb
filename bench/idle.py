"""Benchmark: what does the worker cost while nothing happens?

Measures: CPU seconds (user + system, from /proc) used by ``inbox-bot run`` during 60 s of
IDLE with no mail. Baseline, same run and same length: a bare imapclient process that only
waits in IDLE on the same mailbox. Target: the worker under 0.5 CPU seconds per minute.
Last line: ``RATIO idle <worker CPU / baseline CPU>``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from _harness import ROOT, Harness

BARE_IDLE = """
import sys, time
from tests.imaptools import connect
c = connect("localhost", int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
c.select_folder("INBOX")
end = time.time() + float(sys.argv[5])
while time.time() < end:
    c.idle(); c.idle_check(timeout=25); c.idle_done()
"""


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(process: subprocess.Popen, seconds: float) -> float:
    before = cpu_seconds(process.pid)
    time.sleep(seconds)
    return cpu_seconds(process.pid) - before


def main(seconds: float = 60) -> None:
    with Harness() as h:
        a = h.account
        bare = subprocess.Popen([sys.executable, "-c", BARE_IDLE, str(a.port), a.username,
                                 a.password, a.ca_file, str(seconds + 10)], cwd=ROOT)
        time.sleep(2)
        baseline = measure(bare, seconds)
        bare.terminate()
        worker = h.start_worker()
        used = measure(worker, seconds)
    print(f"baseline: bare IDLE client  {baseline:.3f} CPU s in {seconds:.0f} s")
    print(f"worker in IDLE, no mail    {used:.3f} CPU s in {seconds:.0f} s (target < 0.5)")
    tick = 1 / os.sysconf("SC_CLK_TCK")  # /proc counts in ticks: below one, both read as 0
    print(f"RATIO idle {max(used, tick) / max(baseline, tick):.2f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 60)
