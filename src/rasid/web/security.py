"""The server's guard: headers, host check, token, body size, CSRF.

Article text and names are untrusted, and so is every request. One ASGI
middleware (cheaper than a stack of BaseHTTPMiddleware) does, in order:

1. refuse requests whose ``Host`` is not a loopback name when no token is set
   (a page elsewhere cannot reach a loopback server by DNS rebinding);
2. refuse bodies whose declared or streamed size passes the upload limit (413);
3. check the token, from ``Authorization: Bearer`` or the session cookie set by
   the login form (401 when missing, 403 when wrong);
4. give every browser a CSRF cookie, and add the security headers to every
   response (a strict Content-Security-Policy: no inline script or style).

CSRF itself is checked per route (:func:`require_csrf`), because a form field
can only be read once the route parses the body: every state-changing request
carries the cookie's value back in the ``X-CSRF-Token`` header or a
``csrf_token`` form field. Requests authenticated by an ``Authorization``
header need no CSRF token: a browser never adds that header on its own.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request

from rasid.web.config import WebConfig, is_loopback

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
CSRF_COOKIE = "rasid_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SESSION_COOKIE = "rasid_session"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Reachable without the token: the login form itself and its stylesheet.
_OPEN_PATHS = ("/login", "/static/")


def session_value(config: WebConfig) -> str:
    """The session cookie's value: proves the token was given, without holding it."""
    assert config.token is not None
    return hmac.new(config.secret, config.token.encode(), hashlib.sha256).hexdigest()


def token_matches(config: WebConfig, given: str) -> bool:
    assert config.token is not None
    return hmac.compare_digest(given.encode(), config.token.encode())


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is treated as no cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}


def _host_name(host_header: str) -> str:
    host = host_header.strip()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def wants_html(scope: Scope, headers: dict[str, str]) -> bool:
    path: str = scope.get("path", "")
    return (
        not path.startswith("/api/")
        and path != "/openapi.json"
        and ("text/html" in headers.get("accept", "") or scope.get("method") == "POST")
    )


class GuardMiddleware:
    """See the module docstring; wraps the whole application."""

    def __init__(
        self,
        app: ASGIApp,
        config: WebConfig,
        render_login: Callable[[Scope, int, str], bytes],
    ) -> None:
        self.app = app
        self.config = config
        self.render_login = render_login

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = _headers(scope)
        cookies = _cookies(headers)
        csrf = cookies.get(CSRF_COOKIE, "")
        new_csrf = None
        if len(csrf) < 32:
            new_csrf = csrf = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = csrf
        scope["state"]["auth_header"] = False

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = list(message.get("headers", []))
                present = {k.lower() for k, _ in out}
                out.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                if new_csrf is not None:
                    out.append((b"set-cookie", _cookie_header(CSRF_COOKIE, new_csrf)))
                message["headers"] = out
            await send(message)

        refusal = self._refusal(scope, headers, cookies)
        if refusal is not None:
            status, detail = refusal
            await self._reply(scope, headers, send_secured, status, detail)
            return
        limit = self.config.max_upload_bytes
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.isdigit():
                await self._reply(scope, headers, send_secured, 400, "bad Content-Length")
                return
            if int(declared) > limit:
                await self._reply(
                    scope,
                    headers,
                    send_secured,
                    413,
                    f"the request body is {int(declared)} bytes; the limit is {limit}",
                )
                return
        received = 0

        async def receive_limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        try:
            await self.app(scope, receive_limited, send_secured)
        except BodyTooLarge as exc:
            await self._reply(scope, headers, send_secured, 413, str(exc))

    def _refusal(
        self, scope: Scope, headers: dict[str, str], cookies: dict[str, str]
    ) -> tuple[int, str] | None:
        config = self.config
        path: str = scope.get("path", "")
        if config.token is None:
            host = _host_name(headers.get("host", ""))
            if not (is_loopback(host) or host in config.extra_hosts):
                return 400, "this server only answers to 127.0.0.1/localhost"
            return None
        if path.startswith(_OPEN_PATHS):
            return None
        auth = headers.get("authorization")
        if auth is not None:
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not given.strip():
                return 401, "use the header 'Authorization: Bearer <token>'"
            if not token_matches(config, given.strip()):
                return 403, "wrong token"
            scope["state"]["auth_header"] = True
            return None
        session = cookies.get(SESSION_COOKIE)
        if session is None:
            return 401, "a token is required: log in at /login or send Authorization: Bearer"
        if not hmac.compare_digest(session.encode(), session_value(config).encode()):
            return 403, "the session is not valid (the token changed?); log in again at /login"
        return None

    async def _reply(
        self, scope: Scope, headers: dict[str, str], send: Send, status: int, detail: str
    ) -> None:
        if status in (401, 403) and wants_html(scope, headers):
            body = self.render_login(scope, status, detail)
            content_type = b"text/html; charset=utf-8"
        else:
            body = json.dumps({"detail": detail}, ensure_ascii=False).encode()
            content_type = b"application/json"
        out = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        if status == 401:
            out.append((b"www-authenticate", b'Bearer realm="rasid"'))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"the request body passes the limit of {limit} bytes")


def _cookie_header(name: str, value: str, *, http_only: bool = True) -> bytes:
    parts = [f"{name}={quote(value)}", "Path=/", "SameSite=Strict"]
    if http_only:
        parts.append("HttpOnly")
    return "; ".join(parts).encode("latin-1")


async def require_csrf(request: Request) -> None:
    """Dependency for state-changing routes: the CSRF token must come back.

    The token travels in the ``X-CSRF-Token`` header (scripts) or the
    ``csrf_token`` field of a form, and must equal the cookie's value.
    """
    if request.method not in UNSAFE_METHODS or request.state.auth_header:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            # The route reads the same (cached) form: parse it with the upload limits.
            limit = request.app.state.config.max_upload_bytes
            form = await request.form(max_files=100, max_fields=100, max_part_size=limit)
            field = form.get(CSRF_FIELD)
            given = field if isinstance(field, str) else None
    if not cookie or not given or not hmac.compare_digest(given.encode(), cookie.encode()):
        raise HTTPException(
            status_code=403,
            detail="CSRF check failed: send the rasid_csrf cookie's value in the X-CSRF-Token "
            "header or the csrf_token form field (reload the page to get one)",
        )
