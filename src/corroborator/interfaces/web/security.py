"""The web service's guards, as plain ASGI middleware and small helpers: request size limit,
security headers, access log (method, path, status, time, token id: never a body or query
text), per-token rate limit, and the one JSON shape of every error."""

import json
import logging
import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access_log = logging.getLogger("corroborator.access")

# no script but our own files, nothing loaded from elsewhere, never framed; the report pages
# colour their spans with style attributes, hence inline styles
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class ApiError(Exception):
    """An error answered as JSON: {"error": {"status", "code", "message"}}."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"status": status, "code": code, "message": message}}


async def _send_json(send: Send, status: int, body: dict) -> None:
    data = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            (b"connection", b"close"), *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": data})


class TooLarge(Exception):
    """The body went over the limit while it was read (a chunked body has no Content-Length)."""


def _private(path: str) -> bool:
    """Responses that may carry what a token or session may see: the API and the web app."""
    return path.startswith(("/v1/", "/app"))  # not /static, /healthz, /readyz


class Guard:
    """Outermost middleware: refuses bodies over ``max_body`` bytes with 413 (by Content-Length
    at once, else while reading), adds the security headers, and logs each request."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [500]
        limit = self.max_body
        too_large = error_body(413, "too_large", f"request body over the limit of {limit / 1024 / 1024:g} MB; "
                                                 "split the upload or start the server with a larger --max-upload-mb")
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _send_json(send, 413, too_large)
            self._log(scope, 413, start)
            return
        seen = [0]
        started = [False]

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                seen[0] += len(message.get("body", b""))
                if seen[0] > limit:
                    raise TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started[0] = True
                status[0] = message["status"]
                headers = [h for h in message.get("headers", []) if h[0] not in {k for k, _ in SECURITY_HEADERS}]
                if _private(scope.get("path", "")) and not any(k == b"cache-control" for k, _ in headers):
                    # reports and pages of a signed-in user: never from a cache, nor from the
                    # browser's Back after sign-out (issue 25)
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers + SECURITY_HEADERS}
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except TooLarge:
            if not started[0]:
                status[0] = 413
                await _send_json(send, 413, too_large)
        finally:
            self._log(scope, status[0], start)

    @staticmethod
    def _log(scope: Scope, status: int, start: float) -> None:
        state = scope.get("state") or {}
        token = state.get("token_id", "-")
        client = (scope.get("client") or ("-", 0))[0]
        # the path only: query strings (search terms) and bodies (article text) stay out of the log
        access_log.info("%s %s %s %d %.0fms token=%s", client, scope.get("method"), scope.get("path"), status,
                        (time.perf_counter() - start) * 1000, token)


class RateLimiter:
    """A token bucket per access token: ``per_minute`` requests a minute, bursts up to that."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go; else the seconds to wait."""
        now = time.monotonic()
        with self.lock:
            level, then = self.buckets.get(key, (self.capacity, now))
            level = min(self.capacity, level + (now - then) * self.rate)
            if level < 1:
                self.buckets[key] = (level, now)
                return (1 - level) / self.rate
            self.buckets[key] = (level - 1, now)
            return 0.0
