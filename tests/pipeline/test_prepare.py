"""Reading in a second process (bot/pipeline/prepare.py, bot/pipeline/reader.py): the same results
as in the main process, the errors carried back for quarantine, a backlog through the pool end to
end, and the time budget per message, inline and in the reader (which is killed and replaced when it
hangs or dies)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.errors import MessageRejected, MessageTooSlow
from bot.inbound.mailbox import FetchedMessage
from bot.pipeline.flow import poll_once
from bot.pipeline.prepare import Reading
from bot.pipeline.reader import NAME, POOL_MIN, Preparer, ReaderPool
from bot.store.models import InboundMessage
from tests.helpers import DATA_DIR, write_config
from tests.imaptools import connect, deliver, folder_messages
from tests.mailfactory import CTX, build

READING = Reading(CTX, 25 * 1024 * 1024, 10.0)
HEADER_BOMB = b"".join(b"X-Filler-%d: x\r\n" % i for i in range(400)) + build("Hallo")


def batch() -> list[FetchedMessage]:
    files = sorted(DATA_DIR.glob("*.eml"))[:POOL_MIN + 8]
    found = [FetchedMessage(i, len(f.read_bytes()), f.read_bytes())
             for i, f in enumerate(files, 1)]
    return [*found, FetchedMessage(999, len(HEADER_BOMB), HEADER_BOMB),
            FetchedMessage(1000, 40_000_000, b"Subject: big\r\n\r\n", oversized=True)]


def test_the_pool_gives_the_same_answers_as_the_main_process():
    messages = batch()
    inline = Preparer(READING, processes=0).submit(messages)()
    pool = Preparer(READING, processes=1)
    try:
        pooled = pool.submit(messages)()
        assert pool.pool is not None  # the batch was large enough to go to the pool
    finally:
        pool.close()
    assert [(p.mail, p.verdict) for p in pooled] == [(p.mail, p.verdict) for p in inline]
    assert [str(p.error) if p.error else None for p in pooled] == [
        str(p.error) if p.error else None for p in inline]
    assert isinstance(pooled[-2].error, MessageRejected)  # the header bomb: quarantined
    assert "over the limit" in str(pooled[-1].error)


def test_a_small_batch_stays_in_the_main_process():
    preparer = Preparer(READING, processes=1)
    preparer.submit(batch()[:POOL_MIN - 1])()
    assert preparer.pool is None


def test_a_backlog_goes_through_the_pool_end_to_end(make_runtime, imap, smtp_sink):
    rt = make_runtime(capacity=100, worker={"batch_size": 40, "parse_processes": 1})
    deliver(imap, *(build("Graag meld ik mij aan voor de masterclass.",
                          From=f"Lid {i} <lid{i}@tweedekamer.nl>",
                          Return_Path=f"<lid{i}@tweedekamer.nl>",
                          Message_ID=f"<pool-{i}@tweedekamer.nl>") for i in range(70)),
            HEADER_BOMB)
    try:
        summary = poll_once(rt)
        assert rt.preparer.pool is not None
    finally:
        rt.preparer.close()
    assert summary.fates == {"processed": 70, "quarantined": 1}
    assert len(smtp_sink.messages) == 70 and folder_messages(imap, "INBOX") == []
    with Session(rt.engine) as session:
        quarantined = session.exec(select(InboundMessage).where(
            InboundMessage.status == "quarantined")).one()
    assert "header" in quarantined.error


SLOW = build("Graag meld ik mij aan voor de masterclass.\n" * 480_000,
             Message_ID="<slow@tweedekamer.nl>")  # 20 MB of text: about a second to read


@pytest.mark.parametrize("processes", [0, 1])
def test_a_message_over_its_budget_is_stopped_and_the_batch_goes_on(processes):
    """[worker] message_seconds holds inline (parse_processes = 0) and in the reader."""
    reading = Reading(CTX, 25 * 1024 * 1024, 0.2)
    messages = [FetchedMessage(1, len(SLOW), SLOW), *batch()[:POOL_MIN]]
    preparer = Preparer(reading, processes=processes)
    try:
        start = time.perf_counter()
        slow, *rest = preparer.submit(messages)()
        elapsed = time.perf_counter() - start
    finally:
        preparer.close()
    assert isinstance(slow.error, MessageTooSlow)
    assert str(slow.error) == "took longer than 0.2 s to read"
    assert all(p.verdict is not None or isinstance(p.error, MessageRejected) for p in rest)
    assert sum(p.verdict is not None for p in rest) >= POOL_MIN - 3
    assert elapsed < 60  # a liveness bound: the batch finished


def test_a_reader_that_hangs_is_killed_and_replaced():
    """A reader stuck where its own budget cannot reach (SIGSTOP stands in for C code that
    holds the interpreter) is killed after message_seconds + GRACE; the next message goes to
    a new reader."""
    pool = ReaderPool(Reading(CTX, 25 * 1024 * 1024, 0.5), 1)
    try:
        pool.submit([build("Hallo")])()
        stuck = pool.supervisors[0].process
        os.kill(stuck.pid, signal.SIGSTOP)
        hung, after = pool.submit([build("Hallo"), build("Ik meld mij aan.")])()
        assert isinstance(hung.error, MessageTooSlow)
        assert after.verdict is not None and after.verdict.kind == "registration"
        assert pool.supervisors[0].process.pid != stuck.pid
        assert stuck.exitcode == -signal.SIGKILL
    finally:
        pool.close()


def test_a_reader_that_dies_while_reading_is_replaced():
    pool = ReaderPool(Reading(CTX, 25 * 1024 * 1024, 10.0), 1)
    try:
        pool.submit([build("Hallo")])()
        victim = pool.supervisors[0].process
        killer = threading.Thread(target=kill_when_read, args=(victim.pid, len(SLOW)))
        killer.start()
        died, after = pool.submit([SLOW, build("Ik meld mij aan.")])()
        killer.join()
        assert isinstance(died.error, MessageRejected)
        assert "reader process stopped while reading it" in str(died.error)
        assert after.verdict is not None and after.verdict.kind == "registration"
    finally:
        pool.close()


def test_a_worker_killed_with_sigkill_leaves_no_reader_behind(tmp_path, imap_account,
                                                              smtp_sink):
    """The reader gets SIGKILL from Linux when the worker dies (PR_SET_PDEATHSIG), even when
    it is stuck and would never see its pipe close (SIGSTOP stands in for that)."""
    big = [build("Ik meld mij aan.\n" * 120_000, From=f"p{i}@tweedekamer.nl",
                 Message_ID=f"<big{i}@tweedekamer.nl>") for i in range(POOL_MIN + 4)]
    client = connect("localhost", imap_account.port, imap_account.username,
                     imap_account.password, imap_account.ca_file)
    deliver(client, *big)
    client.logout()
    config = write_config(tmp_path, imap_account, smtp_sink, f"sqlite:///{tmp_path}/bot.db",
                          extra="\n[worker]\nbatch_size = 100\nparse_processes = 1\n")
    env = {**os.environ, "TEST_IMAP_PASSWORD": imap_account.password}
    worker = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "poll",
                               "--once"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    reader = None
    try:
        reader = wait_for_child(worker.pid, timeout=60)
        os.kill(reader, signal.SIGSTOP)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert gone(reader, timeout=10), f"reader process {reader} outlived the worker"
    finally:
        worker.kill()
        if reader is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(reader, signal.SIGKILL)


def kill_when_read(pid: int, size: int) -> None:
    """SIGKILL ``pid`` once it has read ``size`` bytes (the message is in, being parsed)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        io = dict(line.split(": ") for line in Path(f"/proc/{pid}/io").read_text().splitlines())
        if int(io["rchar"]) >= size:
            break
        time.sleep(0.005)
    os.kill(pid, signal.SIGKILL)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for_child(pid: int, *, timeout: float) -> int:
    """The reader child of ``pid``, once it is running (it names itself then)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children(pid):
            with contextlib.suppress(OSError):
                if Path(f"/proc/{child}/comm").read_bytes().strip() == NAME:
                    return child
        time.sleep(0.02)
    raise AssertionError("the worker started no reader process")


def gone(pid: int, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):  # dead, waiting for init to reap it
            return True
        time.sleep(0.05)
    return False
