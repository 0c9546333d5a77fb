"""The staff web application: the app, its middleware and security headers, and uvicorn.

In: a :class:`~bot.runtime.Runtime` (its ``[web]`` section: ``public_url``,
``trusted_proxies``).
Out: a FastAPI app, which :func:`serve` runs under uvicorn (``inbox-bot web``). The client's
address is the direct peer's, or, when that peer is one of ``[web] trusted_proxies``, the
rightmost address in ``X-Forwarded-For`` that is not a trusted proxy (uvicorn's
``ProxyHeadersMiddleware``, part of the app itself). Every page but ``/login`` and ``/healthz``
(for monitoring) needs a session (else a redirect to the login page); every POST needs a CSRF
token in the form (the session's; before login, the pre-session cookie's: :mod:`bot.web.login`)
and, when the browser sends one, an ``Origin`` of this site: ``[web] public_url`` when set,
else the URL the request came in on (else 403, and nothing changes). With an ``https`` public
URL (or ``--secure-cookies``) the cookies are ``Secure``. Pages carry a strict
Content-Security-Policy: no scripts (but the door's one, on its page: bot.web.door), nothing
from other hosts. uvicorn's access log goes
through :class:`DropQueryString`: a query string, which may carry personal data a link or a
form put there, never reaches journald (the desk's own pages put none in their URLs). The
routes themselves are in :mod:`bot.web.routes`, :mod:`bot.web.login` and
:mod:`bot.web.attendees`; the session and form checks they depend on in :mod:`bot.web.deps`.
"""

from __future__ import annotations

import ipaddress
import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.ops.monitor import health_status
from bot.runtime import Runtime
from bot.staff.sorting import describe
from bot.web import (
    attendees,
    door,
    groupmail,
    login,
    previews,
    questions,
    routes,
    saved_page,
    settings,
)
from bot.web.deps import PAGE_CSP, LoginRequired
from bot.web.labels import labelled, waited, word
from bot.web.reasons import reason_text

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "web"


def create_app(rt: Runtime, *, secure_cookies: bool = False) -> FastAPI:
    """The staff UI for ``rt``; ``secure_cookies`` when served over HTTPS (behind a proxy)
    (implied by an ``https`` ``[web] public_url``)."""
    app = FastAPI(title="inbox-bot", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.rt = rt
    public_url = rt.config.web.public_url
    app.state.origin = public_url
    app.state.secure_cookies = secure_cookies or (public_url or "").startswith("https://")
    app.state.templates = Jinja2Templates(directory=str(TEMPLATES))
    env = app.state.templates.env
    # in the staff member's language (the page's ``lang``, bot.web.routes.page)
    env.filters["reason"] = pass_context(lambda c, name: reason_text(name, c["lang"]))
    env.filters["label"] = pass_context(lambda c, value, vocabulary: labelled(
        value, vocabulary, c["lang"]))  # statuses and kinds, with the code as tooltip
    env.filters["waited"] = pass_context(lambda c, since, now: waited(since, now, c["lang"]))
    env.globals["word"] = pass_context(lambda c, value, vocabulary: word(
        value, vocabulary, c["lang"]))
    env.globals["topic"] = describe  # a question's tag, in Dutch (t() translates it)
    app.add_middleware(ProxyHeadersMiddleware,
                       trusted_hosts=trusted_hosts(rt.config.web.trusted_proxies))

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # no-referrer makes Origin "null"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(_request: Request, _exc: LoginRequired):
        return RedirectResponse("/login", status_code=303)

    @app.get("/healthz")
    def healthz():
        """For monitoring, without a session: ok or failing, and the ages of the last heartbeat
        and poll; not which alerts are open (that is for staff, on the dashboard)."""
        status = health_status(rt.engine, rt.config)
        body = {"status": "ok" if status.ok else "failing",
                "worker_seconds_ago": status.worker_seconds_ago,
                "poll_seconds_ago": status.poll_seconds_ago}
        return JSONResponse(body, status_code=200 if status.ok else 503)

    app.include_router(login.router)
    app.include_router(routes.router)
    app.include_router(attendees.router)
    app.include_router(questions.router)
    app.include_router(saved_page.router)
    app.include_router(settings.router)
    app.include_router(door.router)
    app.include_router(groupmail.router)
    app.include_router(previews.router)
    return app


def serve(rt: Runtime, *, host: str, port: int, secure_cookies: bool = False,
          log_level: str = "info") -> None:
    """Run the desk under uvicorn until SIGTERM or Ctrl-C. uvicorn's own proxy-header handling
    stays off: the app reads X-Forwarded-For itself, and only from ``[web] trusted_proxies``."""
    import uvicorn
    config = uvicorn.Config(create_app(rt, secure_cookies=secure_cookies), host=host, port=port,
                            log_level=log_level, proxy_headers=False)
    # uvicorn.Config has just set up its loggers; the filter goes on after that
    logging.getLogger("uvicorn.access").addFilter(DropQueryString())
    uvicorn.Server(config).run()


class DropQueryString(logging.Filter):
    """Cut everything from ``?`` off the request path of an access-log record.

    uvicorn logs ``'%s - "%s %s HTTP/%s" %d'`` with (client, method, path with query, HTTP
    version, status) as arguments; its formatters unpack them by position, so the arguments
    keep their number and order and only text arguments lose their query part.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(arg.split("?", 1)[0] if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


def trusted_hosts(proxies: tuple[str, ...]) -> list[str]:
    """``[web] trusted_proxies`` as ProxyHeadersMiddleware wants them: a network with host bits
    set (``10.0.0.1/8``) would otherwise be taken for a name and silently never match."""
    return [str(ipaddress.ip_network(p, strict=False)) if "/" in p else p for p in proxies]
