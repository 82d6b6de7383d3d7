"""What makes the server safe to share: who may write, from which page, under which host name.

- Writes need the server's token (`marsad serve --token`, or MARSAD_TOKEN) as `Authorization: Bearer
  <token>` or `X-Marsad-Token: <token>`: `Depends(require_write)` on every route that changes the
  store. Without one: 401.
- A write sent by a page of another origin (any browser sends `Origin` with a POST, even a `no-cors`
  one) gets a 403, whatever its token.
- A request whose `Host` is not a name of this server gets a 403 (DNS rebinding: a foreign site's
  name resolved to 127.0.0.1 would otherwise read and write as if local).
- Every answer carries a Content-Security-Policy and frame headers, so the dashboard runs only its
  own scripts and cannot be framed.

The dashboard sends the token it is given in the URL fragment (`/#token=...`, never sent to the
server or kept in its logs): see `static/auth.js`.
"""

from __future__ import annotations

import hmac
import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_ENV = "MARSAD_TOKEN"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# An app made by `create_app` without explicit checks also answers Starlette's TestClient, which
# calls itself "testserver"; `marsad serve` never accepts that name.
LIBRARY_HOSTS = LOOPBACK_HOSTS | {"testserver"}
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})

# The dashboard loads only its own files; /docs (Swagger UI) needs its inline start-up script.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass(frozen=True)
class Security:
    """The server's write token (None: writes need none) and the host names it answers to
    (empty: any, for a server bound to every interface without --allow-host)."""

    token: str | None = None
    hosts: frozenset[str] = field(default_factory=frozenset)

    def host_allowed(self, host_header: str) -> bool:
        return not self.hosts or _hostname(host_header) in self.hosts


def security_for(token: str | None = None, bind: str = "127.0.0.1", extra_hosts: tuple[str, ...] = ()) -> Security:
    """The checks for a server bound to `bind`: the token given, else MARSAD_TOKEN; the loopback
    names, the bound address and `extra_hosts` as host names."""
    token = token or os.environ.get(TOKEN_ENV) or None
    if bind in WILDCARD_HOSTS and not extra_hosts:
        return Security(token, frozenset())
    hosts = set(LOOPBACK_HOSTS) | {h.lower().strip("[]") for h in extra_hosts}
    if bind not in WILDCARD_HOSTS:
        hosts.add(bind.lower().strip("[]"))
    return Security(token, frozenset(hosts))


def beyond_loopback(bind: str) -> bool:
    return bind.strip("[]") not in LOOPBACK_HOSTS and not bind.startswith("127.")


def install(app: FastAPI, security: Security) -> None:
    app.state.security = security
    app.add_middleware(GuardMiddleware)


def _security(request: Request) -> Security:
    return getattr(request.app.state, "security", None) or Security()


def _hostname(host_header: str) -> str:
    """ "example.org:8000" -> "example.org"; "[::1]:8000" -> "::1"."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def same_origin(origin: str, host_header: str) -> bool:
    """Whether a browser's Origin header names this server as the client reached it."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False  # "null" (sandboxed frames, file: pages) and anything odd
    return parts.netloc.lower() == host_header.strip().lower()


async def require_write(request: Request) -> None:
    """FastAPI dependency of every route that writes: same origin (403), then the token (401)."""
    origin = request.headers.get("origin")
    if origin is not None and not same_origin(origin, request.headers.get("host", "")):
        raise HTTPException(403, "cross-origin write refused")
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise HTTPException(403, "cross-origin write refused")
    token = _security(request).token
    if token is None:
        return
    given = request.headers.get("x-marsad-token") or _bearer(request.headers.get("authorization", ""))
    if not given or not hmac.compare_digest(given.encode(), token.encode()):
        raise HTTPException(401, "a write needs the server's token", headers={"WWW-Authenticate": "Bearer"})


def _bearer(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


class GuardMiddleware:
    """Refuses foreign Host names (403) and adds the CSP and frame headers to every answer.

    Pure ASGI (not BaseHTTPMiddleware) so that request bodies keep streaming to the handler."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        app = scope["app"]
        security: Security = getattr(app.state, "security", None) or Security()
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if not security.host_allowed(host):
            await _refuse(send, 403, b'{"detail":"unknown host name"}')
            return
        csp = DOCS_CSP if scope["path"] == "/docs" else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"content-security-policy", csp.encode()), *HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def _refuse(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *HEADERS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
