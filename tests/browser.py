"""Test helpers for the browser tests: the staff UI served by uvicorn in a thread, headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright; never `playwright install`), and a
canary HTTP server that counts every request made to it.

In: a FastAPI app. Out: a base URL, a Playwright browser, a request counter.
"""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path

import uvicorn

from tests.helpers import PASSWORD, free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync",
                  "--disable-quic"]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


class ServedApp:
    """``with ServedApp(app) as url:`` serves ``app`` on loopback until the block ends."""

    def __init__(self, app) -> None:
        self.port = free_port()
        # as `inbox-bot web`: the app reads X-Forwarded-For itself, uvicorn does not
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", proxy_headers=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise TimeoutError("uvicorn did not start")
            time.sleep(0.02)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class Canary:
    """An HTTP server on loopback that only counts the requests it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        canary = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                canary.hits.append(self.path)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> Canary:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()


def chromium_available() -> bool:
    return os.access(CHROMIUM, os.X_OK)


def log_in(page, url: str, user: str = "anna") -> None:
    """Log ``user`` (password ``tests.helpers.PASSWORD``) in to the desk at ``url``."""
    page.goto(f"{url}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")
