"""Test helpers for the staff desk behind a real HTTPS reverse proxy: ``inbox-bot web`` in a
subprocess, Debian's nginx run from ``deploy/nginx-inbox-bot.conf``, a throwaway certificate,
and a TCP hop that makes the browser come from another address than the proxy.

In: a config file for ``inbox-bot web``, a temporary directory. Out: the desk's port and its
logs (uvicorn's access log is its stdout), nginx on a free loopback port with its access log,
the certificate's SPKI hash for Chromium's ``--ignore-certificate-errors-spki-list``, and a
relay port. nginx runs as our child (``nginx -c CONF -p DIR -e LOG -g 'daemon off;'``) with
its pid, logs and temporary files in the test's directory; never the system service.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.browser import free_port
from tests.helpers import ROOT
from tests.servers import _OPENSSL_SELF_SIGNED

SITE = ROOT / "deploy" / "nginx-inbox-bot.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_available() -> bool:
    return os.access(NGINX, os.X_OK)


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 60  # generous: two cores, other test runs
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited {process.returncode}: {log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not listen on {port}: {log.read_text()[-3000:]}")


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A throwaway self-signed certificate (its own CA) for localhost and 127.0.0.1."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run([*_OPENSSL_SELF_SIGNED.split(), "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def spki_hash(cert: Path) -> str:
    """base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo (what Chromium pins)."""
    pem = subprocess.run(["openssl", "x509", "-in", str(cert), "-pubkey", "-noout"],
                         check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem,
                         check=True, capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class WebCommand:
    """``with WebCommand(config, env, directory) as port:`` runs ``inbox-bot web``."""

    def __init__(self, config: Path, env: dict[str, str], directory: Path) -> None:
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("INBOX_BOT")}
        self.env |= env | {"INBOX_BOT_CONFIG": str(config)}
        self.stdout, self.stderr = directory / "web.stdout", directory / "web.stderr"

    def __enter__(self) -> int:
        with self.stdout.open("wb") as out, self.stderr.open("wb") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "web", "--host", "127.0.0.1", "--port",
                 str(self.port)], cwd=ROOT, env=self.env, stdout=out, stderr=err)
        wait_for_port(self.port, self.process, "inbox-bot web", self.stderr)
        return self.port

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)

    @property
    def access_log(self) -> str:
        """uvicorn's access log (its stdout)."""
        return self.stdout.read_text()


class Nginx:
    """``with Nginx(directory, desk_port, cert, key) as port:`` the HTTPS proxy's port."""

    def __init__(self, directory: Path, desk_port: int, cert: Path, key: Path) -> None:
        self.dir = directory
        self.port, self.http_port = free_port(), free_port()
        self.access_log = directory / "access.log"
        self.error_log = directory / "error.log"
        site = render_site(SITE.read_text(), {
            "listen 443 ssl;": f"listen 127.0.0.1:{self.port} ssl;",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "/etc/letsencrypt/live/balie.kinderrechten.nl/fullchain.pem": str(cert),
            "/etc/letsencrypt/live/balie.kinderrechten.nl/privkey.pem": str(key),
            "/var/log/nginx/inbox-bot.access.log": str(self.access_log),
            "proxy_pass http://127.0.0.1:8000;": f"proxy_pass http://127.0.0.1:{desk_port};",
        })
        (directory / "inbox-bot.conf").write_text(site)
        temp = "\n".join(f"    {kind}_temp_path {directory}/{kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # as root, the workers too run as root: the default (nobody) cannot enter tmp_path
        user = "user root;\n" if os.geteuid() == 0 else ""
        (directory / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {directory}/nginx.pid;\n"
            f"error_log {self.error_log} info;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n{temp}\n    include {directory}/inbox-bot.conf;\n}}\n")

    def __enter__(self) -> int:
        with (self.dir / "nginx.stderr").open("wb") as stderr:
            self.process = subprocess.Popen(
                [NGINX, "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir), "-e",
                 str(self.error_log), "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                stderr=stderr)
        wait_for_port(self.port, self.process, "nginx", self.dir / "nginx.stderr")
        return self.port

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()  # SIGTERM: fast shutdown of master and workers
        self.process.wait(timeout=60)


def render_site(text: str, replacements: dict[str, str]) -> str:
    """The deploy file with its production values replaced; each must be there, so the test
    cannot silently run something other than what docs/deployment.md shows."""
    for old, new in replacements.items():
        assert old in text, f"{SITE.name} no longer holds {old!r}"
        text = text.replace(old, new)
    return text


class SourceRelay:
    """A TCP hop from 127.0.0.1 to ``target`` whose outgoing connections leave from
    ``source``: to the proxy, the browser is another machine (127.0.0.2, not 127.0.0.1)."""

    def __init__(self, target: int, source: str = "127.0.0.2") -> None:
        self.target, self.source = target, source
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []

    def __enter__(self) -> int:
        threading.Thread(target=self._accept, daemon=True).start()
        return self.port

    def __exit__(self, *exc: object) -> None:
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target), timeout=10,
                                                source_address=(self.source, 0))
            upstream.settimeout(None)
            self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)
