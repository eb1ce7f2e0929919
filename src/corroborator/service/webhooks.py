"""Signed webhooks: when a job that came with a ``callback_url`` ends (done, failed or
cancelled), the server POSTs a small JSON notice to that URL.

- **Signed**: ``X-Corroborator-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
  with the server's webhook secret (``corroborator token webhook-secret``). The receiver
  recomputes it over the raw body and refuses old timestamps (replays).
- **Retried** with exponential backoff (``DELAYS``) on a connection error, a timeout or an
  answer other than 2xx; after the last one the job's delivery says "gave up" with the reason.
  Redirects are not followed (a 3xx is a failed attempt): a callback cannot be bounced to
  another address.
- **Never to private addresses** (loopback, RFC 1918, link-local, unique-local, multicast,
  reserved) unless the server allows them (``serve --allow-private-callbacks``, for a receiver
  on the same machine or network): the URL is checked when the job is submitted and its
  host's addresses again before every attempt (a name can be re-pointed in between).

The notifier is one thread of the server process that polls service.db; the workers only write
the job's end as before, so a notice goes out whichever process finished the job, and a
restart picks up notices still due (the attempt counter is taken by compare-and-set, so two
servers on one database never send the same attempt twice)."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time

from corroborator.errors import BadInputError
from corroborator.net import checked_url
from corroborator.service.db import Job, ServiceDB

log = logging.getLogger("corroborator.web")
DELAYS = (2.0, 10.0, 60.0, 300.0, 1800.0)  # seconds before attempts 2, 3, ...; attempts = len + 1
TIMEOUT = 10.0  # seconds one delivery may take
POLL = 0.5  # seconds between looks at service.db
SIGNATURE_HEADER = "X-Corroborator-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, tolerance: float = 300.0, now: float | None = None) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` seconds (for
    receivers written in Python; others recompute the HMAC the same way)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def check_callback(url: str, allow_private: bool, resolve: bool = True) -> str:
    """The callback URL if it may be called, else BadInputError saying why (corroborator.net)."""
    return checked_url(url, allow_private, "callback_url", resolve, "the server runs with --allow-private-callbacks")


def notice(job: Job) -> dict:
    """What a callback receives: the job's end and where to read the rest (never the report
    itself: it can be large, and a receiver fetches it with its own token)."""
    links = {"self": f"/v1/checks/{job.id}", "html": f"/v1/checks/{job.id}.html"} if job.kind == "check" \
        else {"self": f"/v1/jobs/{job.id}"}
    return {"event": f"{job.kind}.{job.status}", "id": job.id, "kind": job.kind, "status": job.status,
            "error": job.error, "links": links}


class Notifier:
    """The server's delivery thread (see the module's text)."""

    def __init__(self, db: ServiceDB, allow_private: bool = False, delays: tuple[float, ...] = DELAYS) -> None:
        self.db = db
        self.allow_private = allow_private
        self.delays = delays
        self.secret = db.secret("webhook")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="webhooks", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=TIMEOUT + 2)

    def _loop(self) -> None:
        import httpx

        try:
            with httpx.Client(timeout=TIMEOUT, follow_redirects=False, trust_env=False) as client:
                while not self._stop.wait(POLL):
                    try:
                        for job in self.db.due_callbacks(time.time()):
                            if self._stop.is_set():
                                break
                            self._attempt(client, job)
                    except Exception as exc:  # the notifier never dies of one bad row or a locked db
                        log.error("webhooks: %s: %s", type(exc).__name__, exc)
        finally:
            self.db.close()  # this thread's connection

    def _attempt(self, client, job: Job) -> None:
        attempts = self.db.callback_attempts(job.id)
        final = attempts >= len(self.delays)
        retry_at = time.time() + (self.delays[attempts] if not final else 0)
        if not self.db.claim_callback(job.id, attempts, retry_at):
            return  # another notifier took this attempt
        body = json.dumps(notice(job), separators=(",", ":")).encode()
        try:
            check_callback(job.callback, self.allow_private)
            answer = client.post(job.callback, content=body, headers={
                "Content-Type": "application/json", "User-Agent": "corroborator-webhook",
                SIGNATURE_HEADER: sign(self.secret, int(time.time()), body)})
            ok, why = 200 <= answer.status_code < 300, f"HTTP {answer.status_code}"
        except BadInputError as exc:
            ok, why, final = False, str(exc), True  # not retried: the address is refused
        except Exception as exc:  # connection refused, timeout, TLS
            ok, why = False, f"{type(exc).__name__}: {exc}"[:300]
        if ok:
            self.db.callback_result(job.id, f"delivered ({why}, attempt {attempts + 1})", True)
        elif final:
            self.db.callback_result(job.id, f"gave up after {attempts + 1} attempts: {why}", True)
        else:
            self.db.callback_result(job.id, f"retrying (attempt {attempts + 1}: {why})", False)
