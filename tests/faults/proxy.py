"""A TCP fault proxy for the fault-injection tests: loopback only, threads and sockets.

In:  a target ``host:port`` on loopback (Dovecot, the SMTP sink). The proxy listens on
     ``127.0.0.1`` at a free port (``.port``); point the bot there instead of at the server.
Out: the same bytes in both directions, until a fault is asked for:

- ``cut_after_bytes(n, direction="down")``: after ``n`` more bytes flowed server→client
  (``"up"``: client→server), drop both sides of every open connection; the ``n`` bytes are
  delivered, nothing after them;
- ``cut_on_upstream(pattern, forward=False)`` / ``cut_on_downstream(...)``: when ``pattern``
  shows up in that direction, deliver the bytes before it (with ``forward=True``: up to and
  including it) and drop every connection, e.g. ``cut_on_upstream(b"UID MOVE")`` lets the
  server never see the MOVE, ``forward=True`` lets it see the MOVE while the client never
  hears the answer;
- ``answer_on_upstream(pattern, answer)``: when the client sends ``pattern``, keep it from the
  server, give the client ``answer`` instead and drop the connection (``421`` at RCPT);
- ``stall_on_downstream(pattern, seconds)``: hold the server's bytes from ``pattern`` on back
  for ``seconds``, then deliver them (a slow server); ``.stalled`` is set when it begins;
- ``cut_now()``: drop every open connection at once;
- ``refuse()`` / ``accept()``: while refusing, new connections are accepted and closed at once
  (the client sees a reset or EOF before any greeting); open ones are not touched.

Each armed trigger fires once, then disarms; ``.cuts`` counts the cuts made, ``.connections``
the connections accepted. Dropping means ``shutdown(SHUT_RDWR)`` and ``close()`` on both
sockets, so each side sees EOF (or a reset) at once, never a hang. A pattern that spans two
reads is still found (a tail of the previous read is kept), but then its first bytes were
already delivered.

Usage::

    with CutProxy("127.0.0.1", dovecot.port) as proxy:
        proxy.cut_after_bytes(100_000)
        ...  # the bot connects to 127.0.0.1:proxy.port
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import threading
from dataclasses import dataclass

log = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "::1", "localhost")
_CHUNK = 65536


@dataclass
class _Trigger:
    direction: str             # "up" (client→server) or "down" (server→client)
    budget: int | None = None  # cut after this many more bytes
    pattern: bytes = b""       # or cut on this pattern
    forward: bool = False      # with a pattern: deliver the pattern itself before cutting
    stall: float = 0.0         # with a pattern: hold it back this long instead of cutting
    answer: bytes = b""        # with an upstream pattern: say this to the client, then cut


class _Link:
    """One proxied connection: the client's socket and ours to the server."""

    def __init__(self, client: socket.socket, server: socket.socket) -> None:
        self.client = client
        self.server = server
        self.tails = {"up": b"", "down": b""}
        self.closed = False

    def drop(self) -> None:
        if self.closed:
            return
        self.closed = True
        for sock in (self.client, self.server):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()


class CutProxy:
    """A context manager: a TCP proxy on 127.0.0.1 in front of ``target_host:target_port``."""

    def __init__(self, target_host: str, target_port: int) -> None:
        if target_host not in _LOOPBACK:
            raise ValueError(f"the fault proxy only forwards to loopback, not {target_host!r}")
        self.target = (target_host, target_port)
        self.host = "127.0.0.1"
        self.port = 0
        self.cuts = 0
        self.connections = 0
        self._lock = threading.Lock()
        self._links: list[_Link] = []
        self._triggers: list[_Trigger] = []
        self._refusing = False
        self._listener: socket.socket | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self.stalled = threading.Event()

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> CutProxy:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, 0))
        listener.listen(64)
        listener.settimeout(0.2)  # so the accept loop notices stop()
        self._listener = listener
        self.port = listener.getsockname()[1]
        self._spawn(self._accept_loop, "proxy-accept")
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            with contextlib.suppress(OSError):
                self._listener.close()
        self.cut_now(count=False)
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> CutProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- controls ----------------------------------------------------------------------------

    def cut_after_bytes(self, n: int, direction: str = "down") -> None:
        """Drop every connection once ``n`` more bytes flowed in ``direction``."""
        if n < 0:
            raise ValueError("n must be >= 0")
        self._arm(_Trigger(_direction(direction), budget=n))

    def cut_on_upstream(self, pattern: bytes, *, forward: bool = False) -> None:
        """Drop every connection when the client sends ``pattern``."""
        self._arm(_Trigger("up", pattern=_pattern(pattern), forward=forward))

    def cut_on_downstream(self, pattern: bytes, *, forward: bool = False) -> None:
        """Drop every connection when the server sends ``pattern``."""
        self._arm(_Trigger("down", pattern=_pattern(pattern), forward=forward))

    def answer_on_upstream(self, pattern: bytes, answer: bytes) -> None:
        """When the client sends ``pattern``, keep it from the server, send ``answer`` to the
        client in the server's place and drop the connection, as a server answering ``421``
        does (e.g. ``answer_on_upstream(b"rcpt TO:", b"421 4.3.2 Shutting down\\r\\n")``)."""
        if not answer:
            raise ValueError("an empty answer")
        self._arm(_Trigger("up", pattern=_pattern(pattern), answer=bytes(answer)))

    def stall_on_downstream(self, pattern: bytes, seconds: float) -> None:
        """When the server sends ``pattern``, hold it (and what follows) back ``seconds``, then
        deliver it: a slow server, not a broken one. ``.stalled`` is set when the stall begins."""
        if seconds <= 0:
            raise ValueError("seconds must be > 0")
        self._arm(_Trigger("down", pattern=_pattern(pattern), stall=seconds))

    def cut_now(self, *, count: bool = True) -> None:
        """Drop every open connection."""
        with self._lock:
            links, self._links = self._links, []
            if count and links:
                self.cuts += 1
        for link in links:
            link.drop()

    def refuse(self) -> None:
        """Close new connections right after accepting them, until :meth:`accept`."""
        with self._lock:
            self._refusing = True

    def accept(self) -> None:
        with self._lock:
            self._refusing = False

    def disarm(self) -> None:
        """Forget every trigger that has not fired."""
        with self._lock:
            self._triggers.clear()

    @property
    def armed(self) -> bool:
        with self._lock:
            return bool(self._triggers)

    def _arm(self, trigger: _Trigger) -> None:
        with self._lock:
            self._triggers.append(trigger)

    # --- the work ----------------------------------------------------------------------------

    def _spawn(self, target, name: str, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            with self._lock:
                refusing = self._refusing
                self.connections += 1
            if refusing:
                with contextlib.suppress(OSError):
                    # RST rather than FIN: as close to "connection refused" as an open port gets
                    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                      struct.pack("ii", 1, 0))
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError as e:
                log.info("proxy: target %s:%s unreachable: %s", *self.target, e)
                client.close()
                continue
            server.settimeout(None)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            link = _Link(client, server)
            with self._lock:
                self._links.append(link)
            self._spawn(self._pump, "proxy-up", link, "up")
            self._spawn(self._pump, "proxy-down", link, "down")

    def _pump(self, link: _Link, direction: str) -> None:
        source, sink = ((link.client, link.server) if direction == "up"
                        else (link.server, link.client))
        while True:
            try:
                data = source.recv(_CHUNK)
            except OSError:
                data = b""
            if not data:
                # one side closed: close the other too (a half-open relay helps no test)
                self._forget(link)
                link.drop()
                return
            deliver, cut, stall, answer = self._inspect(link, direction, data)
            try:
                if deliver:
                    sink.sendall(deliver)
                if answer:
                    source.sendall(answer)
                if stall:
                    log.info("proxy: stalling %s for %.1f s", direction, stall)
                    self.stalled.set()
                    self._stopping.wait(stall)
                    sink.sendall(data[len(deliver):])
            except OSError:
                self._forget(link)
                link.drop()
                return
            if cut:
                log.info("proxy: cutting every connection (%s)", direction)
                self.cut_now()
                return

    def _inspect(self, link: _Link, direction: str, data: bytes
                 ) -> tuple[bytes, bool, float, bytes]:
        """How much of ``data`` to deliver now, whether to cut after that, how long to wait
        before delivering the rest (a stall), and what to answer the sender first."""
        with self._lock:
            tail = link.tails[direction]
            for trigger in list(self._triggers):
                if trigger.direction != direction:
                    continue
                if trigger.budget is not None:
                    if len(data) < trigger.budget:
                        trigger.budget -= len(data)
                        continue
                    self._triggers.remove(trigger)
                    return data[:trigger.budget], True, 0.0, b""
                window = tail + data
                at = window.find(trigger.pattern)
                if at < 0:
                    continue
                self._triggers.remove(trigger)
                end = at + (len(trigger.pattern) if trigger.forward else 0) - len(tail)
                if trigger.stall:
                    return data[:max(end, 0)], False, trigger.stall, b""
                return data[:max(end, 0)], True, 0.0, trigger.answer
            keep = max((len(t.pattern) for t in self._triggers if t.pattern), default=1) - 1
            link.tails[direction] = (tail + data)[-keep:] if keep else b""
        return data, False, 0.0, b""

    def _forget(self, link: _Link) -> None:
        with self._lock:
            if link in self._links:
                self._links.remove(link)


def _direction(direction: str) -> str:
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    return direction


def _pattern(pattern: bytes) -> bytes:
    if not pattern:
        raise ValueError("an empty pattern would match at once")
    return bytes(pattern)
