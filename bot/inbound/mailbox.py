"""Fetch and mark-done stages: the IMAP mailbox. The only module that imports imapclient.

In: the ``[mailbox]`` settings. Out: the folder's UIDVALIDITY, its UIDs, and
:class:`FetchedMessage` values (UID, size, raw bytes, INTERNALDATE: when the server received it)
fetched with ``BODY.PEEK[]`` in batches, so the bot never sets ``\\Seen``: people reading the
mailbox do not change what the bot does.
After the database commit the pipeline calls :meth:`Mailbox.move` to file messages in the
processed or quarantine folder (UID MOVE; COPY + ``\\Deleted`` + UID EXPUNGE where the server
has no MOVE). For an erasure request, :meth:`Mailbox.delete_messages` deletes one person's
messages from a folder. TLS is verified by default. With ``auth = "oauth2"`` it logs in with
XOAUTH2 and an access token from ``tokens`` (:class:`bot.store.oauth.TokenSource`). Every library
error, and a token that cannot be had, becomes :class:`~bot.errors.MailboxError`.
"""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from bot.config.types import MailboxConfig
from bot.errors import MailboxError, OAuthError

log = logging.getLogger(__name__)

_ERRORS = (IMAPClientError, imaplib.IMAP4.error, OSError, ssl.SSLError, EOFError)


@dataclass(frozen=True)
class FetchedMessage:
    uid: int
    size: int
    raw: bytes        # the whole message, or only its header section when ``oversized``
    oversized: bool = False
    received_at: dt.datetime | None = None  # INTERNALDATE: when the server received it


class Mailbox:
    """One logged-in IMAP connection with the configured folder selected. A context manager."""

    def __init__(self, config: MailboxConfig, *,
                 tokens: Callable[[], str] | None = None) -> None:
        """``tokens`` returns an OAuth2 access token; needed when ``config.auth`` is oauth2."""
        self.config = config
        self.tokens = tokens
        self.client: IMAPClient | None = None
        self.uidvalidity = 0

    def __enter__(self) -> Mailbox:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self) -> None:
        """Connect, secure, log in, create the target folders and select the watched folder."""
        cfg = self.config
        context = ssl.create_default_context(cafile=cfg.ca_file)
        token = self._access_token() if cfg.auth == "oauth2" else None
        try:
            client = IMAPClient(cfg.host, port=cfg.port, ssl=cfg.security == "ssl",
                                ssl_context=context, timeout=cfg.timeout_seconds)
            if cfg.security == "starttls":
                client.starttls(context)
            client.socket().setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if token is None:
                client.login(cfg.username, cfg.password)
            else:
                client.oauth2_login(cfg.username, token)
            self.client = client
            if not cfg.read_only:
                for folder in (cfg.processed_folder, cfg.quarantine_folder):
                    _ensure_folder(client, folder)
            status = client.select_folder(cfg.folder, readonly=cfg.read_only)
        except _ERRORS as e:
            self.close()
            raise MailboxError(f"{cfg.host}:{cfg.port}: {type(e).__name__}: {e}") from e
        self.uidvalidity = int(status[b"UIDVALIDITY"])
        log.debug("selected %s (UIDVALIDITY %s)", cfg.folder, self.uidvalidity)

    def _access_token(self) -> str:
        if self.tokens is None:
            raise MailboxError("mailbox.auth is oauth2, but no token source was given")
        try:
            return self.tokens()
        except OAuthError as e:
            raise MailboxError(f"{self.config.host}: OAuth2: {e}") from e

    def close(self) -> None:
        if self.client is None:
            return
        client, self.client = self.client, None
        try:
            client.logout()
        except _ERRORS:
            log.debug("logout failed; connection dropped", exc_info=True)

    def list_uids(self) -> list[int]:
        """Every UID in the watched folder, ascending (the folder holds only unfiled mail)."""
        return sorted(self._call(lambda c: c.search("ALL")))

    def fetch(self, uids: list[int], *, max_bytes: int) -> list[FetchedMessage]:
        """Fetch ``uids`` without setting \\Seen; messages over ``max_bytes`` bring only headers."""
        if not uids:
            return []
        sizes = self._call(lambda c: c.fetch(uids, ["RFC822.SIZE", "INTERNALDATE"]))
        small = [u for u in uids if u in sizes and sizes[u][b"RFC822.SIZE"] <= max_bytes]
        large = [u for u in uids if u in sizes and sizes[u][b"RFC822.SIZE"] > max_bytes]
        found: dict[int, FetchedMessage] = {}
        if small:
            for uid, data in self._call(lambda c: c.fetch(small, ["BODY.PEEK[]"])).items():
                found[uid] = FetchedMessage(uid, sizes[uid][b"RFC822.SIZE"], data[b"BODY[]"],
                                            received_at=_internaldate(sizes[uid]))
        if large:
            for uid, data in self._call(lambda c: c.fetch(large, ["BODY.PEEK[HEADER]"])).items():
                found[uid] = FetchedMessage(uid, sizes[uid][b"RFC822.SIZE"],
                                            data[b"BODY[HEADER]"], oversized=True,
                                            received_at=_internaldate(sizes[uid]))
        missing = set(uids) - set(found)
        if missing:
            log.warning("UIDs %s vanished before they could be fetched", sorted(missing))
        return [found[u] for u in uids if u in found]

    def move(self, uids: list[int], folder: str) -> None:
        """File ``uids`` in ``folder``: UID MOVE, or COPY + \\Deleted + UID EXPUNGE."""
        if not uids:
            return
        if self.config.read_only:
            raise MailboxError("the mailbox is opened read-only (--dry-run): nothing is moved")

        def move(client: IMAPClient, uids: list[int]) -> None:
            if client.has_capability("MOVE"):
                client.move(uids, folder)
                return
            client.copy(uids, folder)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            if client.has_capability("UIDPLUS"):
                client.uid_expunge(uids)
            else:
                client.expunge()

        try:
            self._call(lambda c: move(c, uids))
        except MailboxError as e:
            # another worker may have filed some of them first ([EXPUNGEISSUED]): move the rest
            left = self._call(lambda c: c.search(["UID", ",".join(map(str, uids))]))
            if set(left) == set(uids):
                raise
            log.info("%d of %d messages were already filed elsewhere (%s)",
                     len(uids) - len(left), len(uids), e)
            if left:
                self._call(lambda c: move(c, sorted(left)))

    def scan_folder(self, folder: str, *, batch_size: int = 200):
        """Yield (UID, raw bytes) of every message in ``folder``, read-only, without \\Seen.

        Used by reconciliation; it leaves ``folder`` selected (read-only) afterwards.
        """
        def select(client: IMAPClient) -> list[int]:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return sorted(client.search("ALL"))

        uids = self._call(select)
        for start in range(0, len(uids), batch_size):
            chunk = uids[start:start + batch_size]
            found = self._call(lambda c, chunk=chunk: c.fetch(chunk, ["BODY.PEEK[]"]))
            for uid in chunk:
                if uid in found:
                    yield uid, found[uid][b"BODY[]"]

    def folder_counts(self) -> dict[str, int]:
        """Messages in the watched, processed and quarantine folders (IMAP STATUS)."""
        cfg = self.config
        folders = (cfg.folder, cfg.processed_folder, cfg.quarantine_folder)
        return {folder: int(self._call(lambda c, f=folder: c.folder_status(f, ["MESSAGES"]))
                            [b"MESSAGES"])
                for folder in folders if self._call(lambda c, f=folder: c.folder_exists(f))}

    def delete_messages(self, folder: str, *, address: str, message_ids: tuple[str, ...] = ()
                        ) -> int:
        """Delete from ``folder`` every message from or to ``address`` or with one of
        ``message_ids``: ``\\Deleted``, then UID EXPUNGE. For erasure requests
        (:mod:`bot.ops.privacy`). SEARCH matches substrings, so each hit's ENVELOPE is checked for
        the exact address or Message-ID first. Returns how many were deleted; the watched
        folder is selected again afterwards."""
        def delete(client: IMAPClient) -> int:
            if not client.folder_exists(folder):
                return 0
            client.select_folder(folder)
            charset = None if address.isascii() else "UTF-8"
            found = set(client.search(["OR", "FROM", address, "TO", address], charset=charset))
            for message_id in message_ids:
                found.update(client.search(["HEADER", "Message-ID", message_id]))
            envelopes = client.fetch(sorted(found), ["ENVELOPE"]) if found else {}
            uids = sorted(uid for uid, data in envelopes.items()
                          if _concerns(data[b"ENVELOPE"], address, message_ids))
            if uids:
                client.add_flags(uids, [b"\\Deleted"], silent=True)
                if client.has_capability("UIDPLUS"):
                    client.uid_expunge(uids)
                else:
                    client.expunge()
            client.select_folder(self.config.folder)
            return len(uids)

        return self._call(delete)

    def has_idle(self) -> bool:
        return bool(self._call(lambda c: c.has_capability("IDLE")))

    def wait_for_change(self, timeout: float) -> bool:
        """Wait in IMAP IDLE up to ``timeout`` seconds; True when the server reported something."""
        def idle(client: IMAPClient) -> bool:
            client.idle()
            try:
                responses = client.idle_check(timeout=timeout)
            finally:
                client.idle_done()
            return bool(responses)

        return self._call(idle)

    def _call(self, action):
        if self.client is None:
            raise MailboxError("not connected")
        try:
            return action(self.client)
        except _ERRORS as e:
            raise MailboxError(f"{self.config.host}: {type(e).__name__}: {e}") from e


def _ensure_folder(client: IMAPClient, folder: str) -> None:
    if client.folder_exists(folder):
        return
    try:
        client.create_folder(folder)
        log.info("created folder %s", folder)
    except IMAPClientError:
        if not client.folder_exists(folder):  # else another worker created it just now
            raise


def _concerns(envelope, address: str, message_ids: tuple[str, ...]) -> bool:
    """Is the message with this ENVELOPE exactly from or to ``address``, or one of
    ``message_ids``?"""
    def text(value: bytes | None) -> str:
        return (value or b"").decode("utf-8", "replace")

    people = [*(envelope.from_ or ()), *(envelope.to or ())]
    found = {f"{text(p.mailbox)}@{text(p.host)}".lower() for p in people if p.mailbox}
    return address in found or text(envelope.message_id).strip() in message_ids


def _internaldate(data: dict) -> dt.datetime | None:
    """imapclient gives INTERNALDATE as a naive local time by default; make it aware."""
    value = data.get(b"INTERNALDATE")
    if value is None:
        return None
    return value.astimezone(dt.UTC) if value.tzinfo else value.astimezone().astimezone(dt.UTC)
