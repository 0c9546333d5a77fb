"""Reading in a second process (bot/prepare.py, bot/reader.py): the same results as in the main
process, the errors carried back for quarantine, a backlog through the pool end to end, and the
time budget per message, inline and in the reader (which is killed and replaced when it hangs
or dies)."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.errors import MessageRejected
from bot.mailbox import FetchedMessage
from bot.models import InboundMessage
from bot.pipeline import poll_once
from bot.prepare import POOL_MIN, Preparer, Reading
from tests.conftest import DATA_DIR
from tests.imaptools import deliver, folder_messages
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
