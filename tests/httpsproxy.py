"""Test helpers for the staff desk as it is served: ``inbox-bot web`` in a subprocess, its logs
in files.

In: a config file for ``inbox-bot web``, a temporary directory. Out: the desk's port and its
logs (uvicorn's access log is its stdout).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.browser import free_port

ROOT = Path(__file__).resolve().parents[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str, log: Path) -> None:
    deadline = time.monotonic() + 60  # generous: two cores, other test runs
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited {process.returncode}: {log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} did not listen on {port}: {log.read_text()[-3000:]}")


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
