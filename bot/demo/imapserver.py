"""A throw-away IMAP server for the demo: pymap's in-memory ("dict") backend on loopback.

In:  a mapping of login name -> password (``users``), a host and a port (0 = any free port).
Out: a running IMAP4rev1 server at ``DemoImapServer.host:port`` where each of those users logs in
     (plain ``LOGIN``, no TLS) to an empty INBOX. Everything lives in memory and is gone after
     ``stop()``.

How it runs: pymap is asyncio code, so the server gets its own event loop in a daemon thread of
this process (``asyncio.run`` in the thread). That keeps start-up at a few milliseconds, needs no
child process to clean up after a crash, and lets tests and ``make demo`` share one process. The
calling thread only waits for the listening socket and reads the port back.

What to know about this server (pymap 0.36.7):

* The hierarchy separator is ``/`` (Dovecot's default in our tests is ``.``): derive folder names
  from ``NAMESPACE``/``LIST``, never hard-code them. pymap does not offer NAMESPACE, so a client has
  to fall back to the delimiter that ``LIST "" ""`` reports.
* Offered: IDLE, MOVE, UIDPLUS, MULTIAPPEND, CHILDREN, BINARY, OBJECTID. Not offered: CONDSTORE,
  NAMESPACE, SPECIAL-USE, STARTTLS, IMAPS.
* Passwords are kept in clear text (pysasl's ``Cleartext`` hash) instead of pymap's default PBKDF2
  with 500,000 rounds, so a LOGIN costs nothing; fine for a demo that only listens on loopback.
* pymap's own ``--demo-data`` mailbox and its built-in ``demouser`` are not created: the backend is
  assembled here from its parts (``Config``, ``Login``, ``Identity``) instead of
  ``DictBackend.init``, which always adds that user.
* imaplib sends an APPEND literal and its CRLF in two writes; against pymap each APPEND then waits
  ~40 ms for a delayed ACK unless the client sets ``TCP_NODELAY`` on its socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from argparse import Namespace
from collections.abc import Mapping
from types import TracebackType

from proxyprotocol.reader import ProxyProtocolReader
from proxyprotocol.version import ProxyProtocolVersion
from pymap.backend.dict import Config, Identity, Login
from pymap.concurrent import Subsystem
from pymap.imap import IMAPServer
from pymap.user import UserMetadata
from pysasl.hashing import Cleartext

logger = logging.getLogger(__name__)

DEFAULT_USERS: Mapping[str, str] = {"info@kinderrechten.nl": "demo-password"}
SEPARATOR = "/"
_START_TIMEOUT = 10.0


class _DemoConfig(Config):
    """pymap's dict-backend config with a fixed greeting.

    The default greeting calls ``socket.getfqdn()`` for every connection, which can take seconds
    on a machine without working DNS.
    """

    @property
    def greeting(self) -> bytes:
        return b"inbox-bot demo IMAP server (pymap) ready"


def _make_config(host: str, port: int) -> _DemoConfig:
    # pymap's config normally comes from its command line; these are the only attributes of the
    # argument namespace that the parts used here read.
    args = Namespace(passlib_cfg=None, proxy_protocol=None, inherited_sockets=None)
    return _DemoConfig(
        args,
        host=host,
        port=port,
        demo_data=False,
        demo_user="",
        demo_password="",
        tls_enabled=False,  # no certificate: offer no STARTTLS and allow LOGIN in plain text
        hash_context=Cleartext(),
        cpu_subsystem=Subsystem.for_asyncio(),  # no hashing work, so no thread pool is needed
        subsystem=Subsystem.for_asyncio(),
        invalid_user_sleep=0.0,
        reject_dnsbl=False,
        proxy_protocol=ProxyProtocolVersion.get(None),
    )


class DemoImapServer:
    """Context manager. DemoImapServer(users={"info@kinderrechten.nl": "demo-password"},
    host="127.0.0.1", port=0); ``.port`` is the bound port after ``start()``."""

    separator = SEPARATOR

    def __init__(
        self,
        users: Mapping[str, str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.users = dict(DEFAULT_USERS if users is None else users)
        self.host = host
        self.port = port
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop_event: asyncio.Event | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None

    def start(self) -> DemoImapServer:
        if self._thread is not None:
            raise RuntimeError("DemoImapServer already started")
        self._ready.clear()
        self._error = None
        thread = threading.Thread(target=self._run, name="demo-imap-server", daemon=True)
        self._thread = thread
        thread.start()
        if not self._ready.wait(_START_TIMEOUT):
            raise TimeoutError(f"demo IMAP server did not start within {_START_TIMEOUT} s")
        if self._error is not None:
            thread.join()
            self._thread = None
            raise RuntimeError(f"demo IMAP server failed to start: {self._error}") from self._error
        logger.info("demo IMAP server listening on %s:%d", self.host, self.port)
        return self

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is None:
            return
        loop, stop_event = self._loop, self._stop_event
        if loop is not None and stop_event is not None:
            with contextlib.suppress(RuntimeError):  # the loop has already closed
                loop.call_soon_threadsafe(stop_event.set)
        thread.join(_START_TIMEOUT)
        if thread.is_alive():
            logger.warning("demo IMAP server thread did not end within %s s", _START_TIMEOUT)
        else:
            logger.info("demo IMAP server on %s:%d stopped", self.host, self.port)

    def __enter__(self) -> DemoImapServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- inside the server thread ---------------------------------------------------------------

    def _run(self) -> None:
        try:
            asyncio.run(self._serve())
        except BaseException as exc:  # reported to start() if it happens before ready
            if not self._ready.is_set():
                self._error = exc
            else:
                logger.exception("demo IMAP server crashed")
        finally:
            self._loop = None
            self._ready.set()

    async def _serve(self) -> None:
        config = _make_config(self.host, self.port)
        config.apply_context()  # pymap reads its concurrency subsystem from a context variable
        login = Login(config)
        for name, password in self.users.items():
            identity = Identity(name, login, None, frozenset())
            await identity.set(UserMetadata(config, name, password=password))

        imap_server = IMAPServer(login, config)
        callback = ProxyProtocolReader(config.proxy_protocol).get_callback(imap_server)
        server = await asyncio.start_server(callback, host=self.host, port=self.port)
        self.port = server.sockets[0].getsockname()[1]
        self._loop = asyncio.get_running_loop()
        self._stop_event = asyncio.Event()
        self._ready.set()
        async with server:
            await self._stop_event.wait()
        # Leaving asyncio.run() cancels the tasks of still-open connections, closing them.
