"""Test-side IMAP helpers: deliver .eml files into a mailbox and look at what a folder holds.

In: a host, port and login. Out: APPENDed messages, folder contents. Uses imapclient directly,
as a second client beside the bot, the way a mail server's delivery or a person would.
"""

from __future__ import annotations

import ssl
from pathlib import Path

from imapclient import IMAPClient


def connect(host: str, port: int, username: str, password: str,
            ca_file: str | None = None) -> IMAPClient:
    client = IMAPClient(host, port=port, ssl=False, timeout=10)
    if ca_file:
        client.starttls(ssl.create_default_context(cafile=ca_file))
    client.login(username, password)
    return client


def deliver(client: IMAPClient, *messages: bytes | Path, folder: str = "INBOX") -> None:
    for message in messages:
        raw = message.read_bytes() if isinstance(message, Path) else message
        client.append(folder, raw)


def folder_messages(client: IMAPClient, folder: str) -> list[bytes]:
    """The raw messages in ``folder`` (empty when the folder does not exist)."""
    if not client.folder_exists(folder):
        return []
    client.select_folder(folder, readonly=True)
    uids = client.search("ALL")
    if not uids:
        return []
    return [data[b"BODY[]"] for data in client.fetch(uids, ["BODY.PEEK[]"]).values()]


def flags_of(client: IMAPClient, folder: str) -> list[tuple]:
    client.select_folder(folder, readonly=True)
    uids = client.search("ALL")
    return list(client.get_flags(uids).values()) if uids else []
