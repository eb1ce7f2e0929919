"""`corroborator serve`: the REST API (/v1/...) and the web app (/app/...) in one FastAPI
application over the application core. The work runs in service.workers (checks on a worker
pool, indexing on the one writer, reads on one reader thread); jobs, reports, tokens and
sessions live in service.db beside the archive. No pipeline logic here."""

import asyncio
import base64
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from starlette.exceptions import HTTPException as StarletteHTTPException

from corroborator import __version__
from corroborator.config import MIN_ARTICLE_CHARS
from corroborator.errors import BadInputError, CorroboratorError, fault_of
from corroborator.ingest import estimate_articles, read_file
from corroborator.ingest.common import make_article
from corroborator.interfaces.web.security import (
    ApiError,
    Guard,
    RateLimiter,
    TooLarge,
    error_body,
)
from corroborator.service.db import FINISHED, ServiceDB, Token
from corroborator.service.webhooks import DELAYS, Notifier, check_callback
from corroborator.service.workers import CheckPool, Reader, Writer

log = logging.getLogger("corroborator.web")
SESSION_COOKIE = "corroborator_session"
SIGNIN_PER_MINUTE = 10  # sign-in attempts a minute from one client address
READ_TIMEOUT = 60.0  # seconds a read (search, timeline, signals) may take before 504
ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".png", ".jpg", ".jpeg", ".webp"}
ARCHIVE_SUFFIXES = ARTICLE_SUFFIXES | {".jsonl", ".ndjson", ".csv"}


@dataclass(frozen=True)
class ServeConfig:
    store: str  # a folder or sqlite:///folder (service.db goes in the folder)
    workers: int = 1  # check worker processes; 0 = one thread in the server process
    max_body: int = 5 * 1024 * 1024
    rate_per_minute: int = 600
    max_queue: int = 100  # checks queued or running before new ones get 503
    check_timeout: float = 600.0  # seconds one check may run before it is stopped and failed
    allow_private_callbacks: bool = False  # webhooks to loopback / private networks (a receiver nearby)
    allow_private_urls: bool = False  # fetch submitted URLs on loopback / private networks (an intranet)
    webhook_delays: tuple[float, ...] | None = None  # retry backoff (None: service.webhooks.DELAYS)
    max_batch: int = 100  # articles in one batch submit
    instance_stale: float = 30.0  # seconds without a heartbeat before another instance takes over its jobs
    feed_every: float = 900.0  # seconds between polls of one watched feed (the Feeds page)
    feed_tick: float = 30.0  # how often the scheduler looks for feeds that are due


def service_db_address(store: str) -> Path | str:
    """Where the service's tables live: service.db beside an embedded store's files, or the
    PostgreSQL database of a server store (shared by every `serve` on it)."""
    from corroborator.store import split_address

    scheme, location = split_address(store)
    if scheme == "sqlite":
        return Path(location) / "service.db"
    if scheme in ("postgresql", "postgres"):
        return location
    raise CorroboratorError(f"serve keeps its jobs beside an embedded store or in a PostgreSQL one, not '{scheme}://'")


class ArticleIn(BaseModel):
    """An article to check or to add to the archive. Unknown fields are refused (422, naming the
    field) rather than ignored: a misspelt "publshed" must not pass silently."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=MIN_ARTICLE_CHARS, max_length=2_000_000, description="the article's text")
    title: str | None = Field(default=None, max_length=1000)
    outlet: str | None = Field(default=None, max_length=300)
    published: date | None = None
    url: str | None = Field(default=None, max_length=2000)
    id: str | None = Field(default=None, max_length=300, description="archive uploads: the article's id")

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not value.strip():  # the same answer as an empty text: 422, not a 400 later
            raise ValueError("the text is empty")
        return value


class CheckIn(ArticleIn):
    """A check request: the article — its text, or only its `url` for the server to fetch — and
    where to send a signed notice when the check ends."""

    text: str | None = Field(default=None, min_length=MIN_ARTICLE_CHARS, max_length=2_000_000,
                             description="the article's text; without it the server fetches `url`")
    callback_url: str | None = Field(default=None, max_length=2000,
                                     description="webhook: POSTed a signed notice when the check ends")

    @field_validator("text")
    @classmethod
    def _has_words(cls, value: str | None) -> str | None:  # as ArticleIn's, and None is allowed here
        if value is not None and not value.strip():
            raise ValueError("the text is empty")
        return value

    @model_validator(mode="after")
    def _text_or_url(self):
        if self.text is None and not self.url:
            raise ValueError("give the article's text, or its url for the server to fetch")
        return self


JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
JobKind = Literal["check", "index"]


# --- what the API answers, as documented types (the OpenAPI schema; schemathesis checks every
# answer against them). The routes build plain dicts; these only describe them. -------------


class _Links(BaseModel):
    self_: str = Field(alias="self")
    html: str | None = None
    page: str | None = None


class _Progress(BaseModel):
    stage: str | None
    done: int
    total: int


class JobOut(BaseModel):
    """A job: a check (with its `report` when done) or an indexing run (with its `result`)."""

    id: str
    kind: JobKind
    status: JobStatus
    title: str | None
    owner: str | None
    created: str
    started: str | None
    finished: str | None
    progress: _Progress
    error: str | None
    links: _Links
    callback: dict | None = None
    report: dict | None = Field(default=None, description="corroborator.report/2, when the check is done")
    result: dict | None = Field(default=None, description="an indexing run's counts, when done")


class _Page(BaseModel):
    total: int
    limit: int
    offset: int | None
    next: str | None = Field(description="the following page (a cursor), or null at the end")


class CheckListOut(_Page):
    checks: list[JobOut]


class JobListOut(_Page):
    jobs: list[JobOut]


class QueuedOut(BaseModel):
    id: str
    status: Literal["queued"]
    links: _Links


class BatchOut(BaseModel):
    checks: list[QueuedOut]


class _Hit(BaseModel):
    article_id: str
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    source: str | None
    origin: str | None
    sentence: str
    score: float
    similarity: float | None
    links: dict[str, str]


class SearchOut(BaseModel):
    query: str
    results: list[_Hit]


class StoredArticleOut(BaseModel):
    id: str
    outlet: str | None
    origin: str | None
    title: str | None
    published: str | None
    sentences: int


def _known_parameters(request: Request, known: set[str]) -> None:
    """Unknown query parameters are refused by name, never ignored (a misspelt filter would
    otherwise return everything)."""
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise ApiError(422, "invalid", f"unknown query parameter {', '.join(unknown)}; known: {', '.join(sorted(known))}")


def _article(data: ArticleIn, where: str):
    return make_article(text=data.text, where=where, id=data.id, url=data.url, outlet=data.outlet, title=data.title,
                        published=data.published.isoformat() if data.published else None)


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/ArticleIn"}},
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"],
                                               "properties": {"file": {"type": "string", "format": "binary"}}}},
        },
    }
}
_CHECK_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"oneOf": [
                {"$ref": "#/components/schemas/CheckIn"},
                {"type": "array", "items": {"$ref": "#/components/schemas/CheckIn"}, "minItems": 1}]}},
            "application/x-ndjson": {"schema": {"type": "string", "description": "JSON Lines, one CheckIn a line"}},
            "multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {
                "file": {"type": "string", "format": "binary"}, "callback_url": {"type": "string"}}}},
        },
    }
}
_ARCHIVE_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            **_BODY_DOC["requestBody"]["content"],
            "application/x-ndjson": {"schema": {"type": "string", "description": "JSON Lines, one article a line"}},
        },
    }
}


class Service:
    """What the routes share: config, service.db, the pools, the rate limiter."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.db_address = service_db_address(config.store)
        self.db = ServiceDB(self.db_address, archive=config.store)
        # uploads wait for the writer in a folder of this server: beside an embedded archive, or
        # a temporary one when the archive is a database server (instances do not share disks)
        self.uploads = (Path(tempfile.mkdtemp(prefix="corroborator-uploads-")) if self.db.shared
                        else self.db.path.parent / "uploads")
        if not self.db.shared:
            # one server per embedded archive: whatever was unfinished belonged to the last run
            lost = self.db.fail_unfinished("the server stopped before this job finished; submit it again")
            if lost:
                log.warning("%d unfinished jobs from the last run marked failed", lost)
            shutil.rmtree(self.uploads, ignore_errors=True)
        self.instance = self.db.register_instance()
        self.limiter = RateLimiter(config.rate_per_minute)
        self.signin_limiter = RateLimiter(SIGNIN_PER_MINUTE)  # per client address: guessing tokens is slow
        self.html_error = None  # set by the web app's pages: ApiError -> a page in its style
        self._cache: dict[str, tuple[tuple, object]] = {}
        self.reader = Reader(config.store, self.db)
        self.writer = Writer(config.store, self.db)
        self.checks = CheckPool(config.store, self.db_address, config.workers, config.check_timeout)
        self.notifier = Notifier(ServiceDB(self.db_address), config.allow_private_callbacks,
                                 config.webhook_delays or DELAYS)
        self.feeds = None  # the feed scheduler: beside an embedded archive only (service/feeds.py)
        if not self.db.shared:
            from corroborator.service.feeds import FeedScheduler, watch_state_path

            folder = self.db.path.parent
            self.feeds = FeedScheduler(watch_state_path(folder), self.writer, self.db, self.instance,
                                       config.feed_every, config.allow_private_urls, config.feed_tick,
                                       warc_path=folder / "pages.warc.gz")
            self.feeds.start()
        self._stop = threading.Event()
        self._keeper = threading.Thread(target=self._keep, name="instance", daemon=True)
        self._keeper.start()

    def _keep(self) -> None:
        """This instance's heartbeat and, on a shared database, the adoption of jobs whose
        instance stopped (kill -9, a lost machine): each check is tried once more here, with the
        article kept in its job row, else failed with the reason; indexing runs are failed (their
        upload was on the other server's disk)."""
        every = max(0.2, self.config.instance_stale / 3)
        while True:
            try:
                self.db.heartbeat(self.instance)
                if self.db.shared:
                    self.adopt_orphans()
            except Exception as exc:  # a database restart: try again at the next beat
                log.error("instance %s: %s: %s", self.instance, type(exc).__name__, exc)
            if self._stop.wait(every):
                return

    def adopt_orphans(self) -> int:
        adopted = 0
        for job_id, kind, old, tries in self.db.orphaned(self.config.instance_stale):
            if old == self.instance:
                continue
            stored = self.db.job_request(job_id) if kind == "check" else None
            if stored is not None and tries < 1 and self.db.adopt_job(job_id, old, self.instance):
                from corroborator.domain import Article

                log.warning("check %s: its server (%s) stopped; checking it again here", job_id, old)
                self.checks.submit(job_id, Article.model_validate(stored))
                adopted += 1
            elif stored is None or tries >= 1:
                why = ("the server running it stopped twice; submit it again" if stored is not None else
                       "the server running it stopped before this job finished; submit it again")
                self.db.fail_orphan(job_id, old, why)
        return adopted

    def close(self) -> None:
        self._stop.set()
        self._keeper.join(timeout=5)
        for part in (self.feeds, self.checks, self.writer, self.reader, self.notifier):
            if part is not None:
                part.close()
        try:
            self.db.end_instance(self.instance)  # its unfinished jobs are adopted at once
        except Exception as exc:
            log.error("instance %s: %s", self.instance, exc)
        self.notifier.db.close_pool()
        self.db.close_pool()
        if self.db.shared:
            shutil.rmtree(self.uploads, ignore_errors=True)

    async def read_cached(self, key: str, fn):
        """``read(fn)``, remembered until the next indexing job changes the archive (stats,
        timeline and stored articles change only then; the timeline clusters the whole archive)."""
        generation = self.db.archive_version()
        hit = self._cache.get(key)
        if hit is not None and hit[0] == generation:
            return hit[1]
        value = await self.read(fn)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = (generation, value)
        return value

    async def read(self, fn):
        """``fn(core)`` on the reader thread, with a time limit."""
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self.reader.run(fn)), READ_TIMEOUT)
        except asyncio.TimeoutError:
            raise ApiError(504, "timeout", f"the request took longer than {READ_TIMEOUT:g} s") from None

    async def queue_check(self, article, token: Token, idempotency_key: str | None = None,
                          callback: str | None = None) -> str:
        """A check job for ``article`` on the worker pool; its id (see ``queue_checks``)."""
        return (await self.queue_checks([(article, callback)], token, idempotency_key))[0]

    async def queue_checks(self, items: list[tuple], token: Token, idempotency_key: str | None = None,
                           batch: bool = False) -> list[str]:
        """Check jobs for (article, callback URL or None) pairs, all queued or none; their ids.
        With an Idempotency-Key, a repeat of the same request (same token, key and articles) is
        the same jobs; the key with other articles is a 409."""
        if not 1 <= len(items) <= self.config.max_batch:
            raise ApiError(422, "invalid", f"a batch holds 1 to {self.config.max_batch} articles, not {len(items)}")
        for _, callback in items:
            if callback is not None:
                try:
                    # resolving the host is blocking I/O: off the event loop
                    await asyncio.to_thread(check_callback, callback, self.config.allow_private_callbacks)
                except BadInputError as exc:
                    raise ApiError(422, "invalid", str(exc)) from None
        fingerprint = None
        if idempotency_key is not None:
            if not 1 <= len(idempotency_key) <= 200:
                raise ApiError(422, "invalid", "Idempotency-Key: 1 to 200 characters")
            digest = hashlib.sha256(b"batch" if batch else b"")
            for article, callback in items:
                digest.update(article.model_dump_json(exclude={"id", "source"}).encode() + b"\0" +
                              (callback or "").encode() + b"\0")
            fingerprint = digest.hexdigest()
            seen = self.db.recalled_request(token.id, idempotency_key)
            if seen is not None:
                return self._replayed(seen, fingerprint)
        if self.db.queued("check") + len(items) > self.config.max_queue:
            raise ApiError(503, "busy", "too many checks waiting; try again shortly", headers={"Retry-After": "10"})
        stats, _ = await self.read_cached("stats", lambda core: core.stats())
        if not stats.get("articles"):
            raise ApiError(409, "archive_empty", "the archive is empty; add articles first (POST /v1/articles)")
        ids = [self.db.create_job("check", article.title or article.text[:80], token.id, callback,
                                  article.model_dump(mode="json"), self.instance)
               for article, callback in items]
        if fingerprint is not None:
            first = self.db.remember_request(token.id, idempotency_key, fingerprint, ",".join(ids))
            if first[0] != ",".join(ids):  # the same key, sent twice at once: the first one stands
                for job_id in ids:
                    self.db.delete_job(job_id)
                return self._replayed(first, fingerprint)
        for job_id, (article, _) in zip(ids, items):
            self.checks.submit(job_id, article)
        return ids

    @staticmethod
    def _replayed(seen: tuple[str, str], fingerprint: str) -> list[str]:
        job_ids, first_fingerprint = seen
        if first_fingerprint != fingerprint:
            raise ApiError(409, "idempotency_conflict", "this Idempotency-Key was used for another request; use a new key")
        return job_ids.split(",")

    def queue_upload(self, path: Path, name: str, token: Token) -> str:
        """An indexing job for an uploaded file (removed when the job ends); its id."""

        def items():
            for item in read_file(path):
                if isinstance(item, BadInputError):
                    yield BadInputError(str(item).replace(str(path), name))
                else:
                    yield item.model_copy(update={"source": item.source.replace(str(path), name)
                                                  if item.source else name})

        job_id = self.db.create_job("index", name, token.id, instance=self.instance)
        self.writer.submit(job_id, items, estimate_articles(path), lambda: shutil.rmtree(path.parent, ignore_errors=True))
        return job_id

    def authenticate(self, request: Request) -> Token | None:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return self.db.token(header[7:].strip())
        sid = request.cookies.get(SESSION_COOKIE)
        if sid:
            token = self.db.session(sid)
            if token and request.method not in ("GET", "HEAD", "OPTIONS"):
                # a browser session changing something: the page's CSRF token must come along
                sent = request.headers.get("x-csrf-token", "")
                if not secrets.compare_digest(sent, self.db.csrf_token(sid)):
                    raise ApiError(403, "csrf", "missing or wrong CSRF token")
            return token
        return None

    def allow(self, request: Request, token: Token) -> None:
        request.state.token_id = token.id
        wait = self.limiter.take(token.id)
        if wait:
            raise ApiError(429, "rate_limited", f"too many requests; try again in {wait:.0f} s",
                           headers={"Retry-After": str(max(1, round(wait)))})


def needs(role: str):
    """A dependency: the request's token, which must hold ``role`` (reader < checker < admin)."""

    def dependency(request: Request) -> Token:
        service: Service = request.app.state.service
        token = service.authenticate(request)
        if token is None:
            raise ApiError(401, "unauthorized", "a token is needed: 'Authorization: Bearer <token>' "
                                                "(make one with `corroborator token create`)",
                           headers={"WWW-Authenticate": "Bearer"})
        if not token.may(role):
            raise ApiError(403, "forbidden", f"this token's role ({token.role}) cannot do this; it needs {role}")
        service.allow(request, token)
        return token

    return dependency


def _safe_name(name: str | None) -> str:
    base = Path(name or "upload").name
    return re.sub(r"[^\w.\-]+", "_", base)[:120] or "upload"


async def read_form(request: Request):
    try:
        return await request.form(max_files=1, max_fields=12)
    except TooLarge:
        raise  # the Guard answers 413 (a chunked body over the limit), not "cannot read the form"
    except Exception as exc:  # malformed multipart bodies
        raise ApiError(400, "bad_request", f"cannot read the form: {exc}") from None


def _uploaded(form):
    upload = form.get("file")
    return None if upload is None or isinstance(upload, str) or not upload.filename else upload


async def save_upload(upload, service: Service, allowed: set[str]) -> tuple[Path, str]:
    """An uploaded file, saved under the store's uploads/ folder (a folder of its own)."""
    name = _safe_name(upload.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise ApiError(415, "unsupported", f"'{name}': files of type {suffix or '(none)'} are not read here "
                                           f"(one of {', '.join(sorted(allowed))})")
    service.uploads.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=service.uploads)) / name
    with path.open("wb") as fh:
        while chunk := await upload.read(1 << 20):
            fh.write(chunk)
    return path, name


async def _upload(request: Request, service: Service, allowed: set[str]) -> tuple[Path, str]:
    """The uploaded file of a multipart request (form field 'file')."""
    form = await read_form(request)
    upload = _uploaded(form)
    if upload is None:
        raise ApiError(400, "bad_request", "no file: send it as the form field 'file'")
    try:
        return await save_upload(upload, service, allowed)
    finally:
        await form.close()


_FILE_READERS = ThreadPoolExecutor(2, thread_name_prefix="read-upload")


async def article_from_form(form, service: Service):
    """The article of a form: its uploaded file, else its text fields."""
    upload = _uploaded(form)
    if upload is None:
        fields = {k: (form.get(k) or None) for k in ("text", "title", "outlet", "published", "url")}
        if not fields["text"] and fields["url"]:  # only the address: fetch the page
            article = await fetch_article(str(fields["url"]), service)
            return article.model_copy(update={k: fields[k] for k in ("title", "outlet") if fields[k]})
        if not fields["text"]:
            raise BadInputError("no article: paste its text, give its address or choose a file")
        return _article(_article_in({k: v for k, v in fields.items() if v is not None}), "web form")
    path, name = await save_upload(upload, service, ARTICLE_SUFFIXES)
    try:
        # off the event loop, on a pool of its own: a PDF's pages or a screenshot's OCR take
        # seconds, and must not hold the threads that URL fetches and address checks use
        items = await asyncio.get_running_loop().run_in_executor(_FILE_READERS, lambda: list(read_file(path)))
    finally:
        shutil.rmtree(path.parent, ignore_errors=True)
    articles = [i for i in items if not isinstance(i, BadInputError)]
    if not articles:
        raise BadInputError(str(items[0]).replace(str(path), name) if items else f"{name}: no article")
    return articles[0].model_copy(update={"source": name})


async def _json_body(request: Request):
    try:
        return json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "bad_json", "the body is not valid JSON") from None


def _article_in(payload, model: type[ArticleIn] = ArticleIn, where: str = "") -> ArticleIn:
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise ApiError(422, "invalid", f"{where}{loc}: {first.get('msg', 'invalid')}") from None


def _media(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def _check_item(payload, service: "Service", where: str = "") -> tuple:
    body = _article_in(payload, CheckIn, where)
    if body.text is None:  # only a URL: the server fetches the page (public addresses only, unless allowed)
        article = await fetch_article(body.url, service, where)
        fields = body.model_dump(exclude={"callback_url", "text", "url", "id"}, exclude_none=True)
        given = {k: v for k, v in fields.items() if k in ("title", "outlet", "published")}  # what the client knows wins
        return article.model_copy(update=given), body.callback_url
    return _article(ArticleIn.model_validate(body.model_dump(exclude={"callback_url"})), "web request"), body.callback_url


async def fetch_article(url: str, service: "Service", where: str = ""):
    """The article at ``url``, fetched off the event loop; 422 naming the URL when it cannot be."""
    from corroborator.ingest.fetch import Fetcher, FetchPolicy

    def fetch():
        with Fetcher(FetchPolicy(allow_private=service.config.allow_private_urls)) as fetcher:
            return fetcher.article(url)

    try:
        return await asyncio.to_thread(fetch)
    except BadInputError as exc:
        raise ApiError(422, "unfetchable", f"{where}url: {exc}") from None


async def checks_from_request(request: Request, service: Service) -> tuple[list[tuple], bool]:
    """The articles of a check request, with their callback URLs, and whether it was a batch:
    one JSON object, a JSON array or JSON Lines of them (a batch), or a form with a file."""
    media = _media(request)
    if media == "application/json":
        payload = await _json_body(request)
        if isinstance(payload, list):
            return [await _check_item(item, service, f"[{i}].") for i, item in enumerate(payload)], True
        return [await _check_item(payload, service)], False
    if media in ("application/x-ndjson", "application/jsonl"):
        items = []
        for n, line in enumerate((await request.body()).splitlines(), 1):
            if line.strip():
                try:
                    payload = json.loads(line)
                except (ValueError, UnicodeDecodeError):
                    raise ApiError(400, "bad_json", f"line {n} is not valid JSON") from None
                items.append(await _check_item(payload, service, f"line {n}: "))
        return items, True
    if media == "multipart/form-data":
        form = await read_form(request)
        try:
            callback = form.get("callback_url") or None
            return [(await article_from_form(form, service), callback if isinstance(callback, str) else None)], False
        finally:
            await form.close()
    raise ApiError(415, "unsupported", "send the article as application/json (one object or an array), "
                                       "JSON Lines as application/x-ndjson, or a multipart/form-data file")


def _conditional(request: Request, body: bytes, media: str) -> Response:
    """``body`` with a strong ETag, or 304 when the client's If-None-Match holds it. Such answers
    are ``private, no-cache`` instead of the API's no-store: a client may keep them but must ask
    again before using them (so a signed-out browser gets a 401, never the kept copy)."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    sent = request.headers.get("if-none-match", "")
    if sent.strip() == "*" or etag in {t.strip().removeprefix("W/") for t in sent.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media, headers=headers)


def _conditional_json(request: Request, payload: dict) -> Response:
    return _conditional(request, json.dumps(payload, ensure_ascii=False).encode(), "application/json")


def _make_cursor(position: tuple[float, int]) -> str:
    return base64.urlsafe_b64encode(f"{position[0]!r}:{position[1]}".encode()).decode().rstrip("=")


def _read_cursor(cursor: str | None) -> tuple[float, int] | None:
    if cursor is None:
        return None
    try:
        created, rowid = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode().split(":")
        return float(created), int(rowid)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(422, "invalid", "cursor: not one this server gave (use the page's `next`)") from None


def _is_page(request: Request) -> bool:
    """A web-app page a browser asked for (its errors are pages in the app's style, not JSON)."""
    path = request.url.path
    return (path.startswith("/app") or path in ("/signin", "/signout")) and \
        "application/json" not in request.headers.get("accept", "")


def _job_links(job_id: str, kind: str) -> dict:
    if kind == "check":
        return {"self": f"/v1/checks/{job_id}", "html": f"/v1/checks/{job_id}.html", "page": f"/app/checks/{job_id}"}
    return {"self": f"/v1/jobs/{job_id}"}


def _job_json(job, with_result: bool = True) -> dict:
    out = job.to_json(with_result)
    out["links"] = _job_links(job.id, job.kind)
    if job.kind == "check" and with_result:
        out["report"] = out.pop("result")
    return out


def create_app(config: ServeConfig) -> FastAPI:
    service = Service(config)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        service.close()

    app = FastAPI(title="corroborator", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Check news articles against your own archive, offline. Every endpoint but "
                              "/healthz and /readyz needs a token: `Authorization: Bearer <token>`.")
    app.state.service = service
    app.add_middleware(Guard, max_body=config.max_body)

    for add in (_add_error_handlers, _add_health_routes, _add_check_routes, _add_check_item_routes,
                _add_archive_routes, _add_reading_routes, _add_feed_routes):
        add(app, service)  # in this order: a route registered first matches first
    from corroborator.interfaces.web.pages import add_pages

    add_pages(app, service)
    app.openapi = lambda: _openapi(app)
    return app




def _add_error_handlers(app: FastAPI, service: Service) -> None:
    """Errors: one JSON shape, never a traceback (web-app pages get pages)."""
    # --- errors: one JSON shape, never a traceback -----------------------------------------

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        if service.html_error is not None and _is_page(request):
            return service.html_error(request, exc)
        return JSONResponse(error_body(exc.status, exc.code, exc.message), exc.status, headers=exc.headers)

    @app.exception_handler(CorroboratorError)
    async def _corroborator_error(request: Request, exc: CorroboratorError):
        fault = fault_of(exc)  # by the error's kind (errors.Fault), as the command line's exit status
        if fault.status >= 500:
            log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        return JSONResponse(error_body(fault.status, fault.code, str(exc)), fault.status)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
        return JSONResponse(error_body(exc.status_code, code, str(exc.detail)), exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":  # one code for one fault, whichever endpoint parsed it
            return JSONResponse(error_body(400, "bad_json", "the body is not valid JSON"), 400)
        where = ".".join(str(p) for p in first.get("loc", ())) or "request"
        return JSONResponse(error_body(422, "invalid", f"{where}: {first.get('msg', 'invalid')}"), 422)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.error("internal error on %s %s: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return JSONResponse(error_body(500, "internal", "internal error; see the server log"), 500)


def _add_health_routes(app: FastAPI, service: Service) -> None:
    """/healthz and /readyz: no token needed."""
    # --- health ------------------------------------------------------------------------------

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict:
        """The process answers."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["health"])
    async def readyz():
        """Models loaded and the store open: ready for work."""
        try:
            info = await service.read(lambda core: (core.embedder.dim, core.stats()[0]))
        except Exception as exc:
            return JSONResponse({"status": "not ready", "reason": str(exc)}, 503)
        return {"status": "ready", "articles": info[1].get("articles", 0)}


def _add_check_routes(app: FastAPI, service: Service) -> None:
    """Checks and the job lists: submit, page through."""
    # --- checks ------------------------------------------------------------------------------

    @app.post("/v1/checks", status_code=202, tags=["checks"], openapi_extra=_CHECK_BODY_DOC,
              responses={202: {"description": "queued: one check, or a batch's checks",
                               "content": {"application/json": {"schema": {"anyOf": [
                                   {"$ref": "#/components/schemas/QueuedOut"},
                                   {"$ref": "#/components/schemas/BatchOut"}]}}}}})
    async def create_check(request: Request, response: Response, token: Token = Depends(needs("checker"))) -> dict:
        """Queue a check of one article (JSON fields or an uploaded .txt/.md/.html file), or of many
        (a JSON array or JSON Lines: a batch); the ids at once, and the address in `Location`.
        With `callback_url` the server POSTs a signed notice there when the check ends."""
        items, batch = await checks_from_request(request, service)
        ids = await service.queue_checks(items, token, request.headers.get("idempotency-key"), batch)
        if batch:  # no one address for many jobs: each has its own link
            return {"checks": [{"id": i, "status": "queued", "links": _job_links(i, "check")} for i in ids]}
        links = _job_links(ids[0], "check")
        response.headers["Location"] = links["self"]
        return {"id": ids[0], "status": "queued", "links": links}

    def _page(request: Request, kind: str | None, key: str, limit: int, offset: int, cursor: str | None,
              status: str | None, owner: str | None, token: Token) -> dict:
        if cursor is not None and offset:
            raise ApiError(422, "invalid", "give cursor or offset, not both")
        owner_id = token.id if owner == "me" else owner
        jobs, total, following = service.db.jobs(kind, limit, offset, status, owner_id, _read_cursor(cursor))
        nxt = None
        if following is not None:
            params = {k: v for k, v in request.query_params.items() if k not in ("cursor", "offset")}
            nxt = f"{request.url.path}?{urlencode({**params, 'cursor': _make_cursor(following)})}"
        return {"total": total, "limit": limit, "offset": offset if cursor is None else None, "next": nxt,
                key: [_job_json(j, False) for j in jobs]}

    @app.get("/v1/checks", tags=["checks"], responses={200: {"model": CheckListOut}})
    def list_checks(request: Request, limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=1_000_000),
                    cursor: str | None = Query(None, max_length=100, description="`next` of the page before"),
                    status: JobStatus | None = None,
                    owner: str | None = Query(None, max_length=100, description="a token id, or `me`"),
                    token: Token = Depends(needs("reader"))) -> dict:
        """Recent checks, newest first, paged (`next` is the following page: a cursor that stays
        right while new checks arrive; `offset` also works); `status` and `owner` filter."""
        _known_parameters(request, {"limit", "offset", "cursor", "status", "owner"})
        return _page(request, "check", "checks", limit, offset, cursor, status, owner, token)

    @app.get("/v1/jobs", tags=["archive"], responses={200: {"model": JobListOut}})
    def list_jobs(request: Request, kind: JobKind | None = None, status: JobStatus | None = None,
                  owner: str | None = Query(None, max_length=100, description="a token id, or `me`"),
                  limit: int = Query(20, ge=1, le=100), offset: int = Query(0, ge=0, le=1_000_000),
                  cursor: str | None = Query(None, max_length=100, description="`next` of the page before"),
                  token: Token = Depends(needs("reader"))) -> dict:
        """Every job (checks and indexing runs), newest first, paged as /v1/checks; `kind`,
        `status` and `owner` filter."""
        _known_parameters(request, {"kind", "status", "owner", "limit", "offset", "cursor"})
        return _page(request, kind, "jobs", limit, offset, cursor, status, owner, token)



def _add_check_item_routes(app: FastAPI, service: Service) -> None:
    """One check: its report (JSON, HTML), cancel or delete."""

    def _check_job(job_id: str):
        job = service.db.job(job_id)
        if job is None or job.kind != "check":
            raise ApiError(404, "not_found", f"no check {job_id}")
        return job

    @app.get("/v1/checks/{job_id}.html", tags=["checks"], response_class=HTMLResponse)
    def check_html(request: Request, job_id: str, token: Token = Depends(needs("reader"))):
        """The finished check's report page (ETag: send If-None-Match for a 304)."""
        job = _check_job(job_id)
        if job.status != "done":
            raise ApiError(409, "not_done", f"check {job_id} is {job.status}")
        return _conditional(request, (service.db.job_html(job_id) or "").encode(), "text/html; charset=utf-8")

    @app.get("/v1/checks/{job_id}", tags=["checks"], responses={200: {"model": JobOut}})
    def get_check(request: Request, job_id: str, token: Token = Depends(needs("reader"))):
        """Status and progress of a check; its report (corroborator.report/2) when done (ETag:
        send If-None-Match for a 304)."""
        return _conditional_json(request, _job_json(_check_job(job_id)))

    @app.delete("/v1/checks/{job_id}", tags=["checks"], responses={200: {"description": "cancelled", "model": JobOut},
                                                                   204: {"description": "deleted"}})
    def delete_check(job_id: str, token: Token = Depends(needs("checker"))):
        """Cancel a queued or running check (200, the job now `cancelled`: a running check stops
        at its next step and never writes a report), or delete a finished one and its report
        (204). A checker may do this to its own checks, an admin to any."""
        job = _check_job(job_id)
        if job.owner != token.id and not token.may("admin"):
            raise ApiError(403, "forbidden", "only the check's owner or an admin can cancel or delete it")
        if job.status not in FINISHED:
            if service.db.cancel_job(job_id, f"cancelled by token {token.id}"):
                return _job_json(service.db.job(job_id))
            job = service.db.job(job_id)  # it ended meanwhile: delete it as a finished job
        if job is not None and service.db.remove_job(job_id):
            return Response(status_code=204)
        raise ApiError(404, "not_found", f"no check {job_id}")


def _add_archive_routes(app: FastAPI, service: Service) -> None:
    """The archive: add to it, read a job or a stored article."""
    # --- the archive -------------------------------------------------------------------------

    @app.post("/v1/articles", status_code=202, tags=["archive"], openapi_extra=_ARCHIVE_BODY_DOC,
              responses={202: {"model": QueuedOut}})
    async def add_articles(request: Request, response: Response, token: Token = Depends(needs("admin"))) -> dict:
        """Add one article (JSON) or many (a JSON Lines body or an uploaded file) to the archive;
        an indexing job with progress."""
        media = _media(request)
        if media == "application/json":
            article = _article(_article_in(await _json_body(request)), "web request")
            job_id = service.db.create_job("index", article.title or article.id, token.id, instance=service.instance)
            service.writer.submit(job_id, lambda: iter([article]), 1, lambda: None)
        elif media == "multipart/form-data":
            path, name = await _upload(request, service, ARCHIVE_SUFFIXES)
            job_id = service.queue_upload(path, name, token)
        elif media in ("application/x-ndjson", "application/jsonl"):
            body = await request.body()  # read whole first: a body over the limit leaves no folder behind
            service.uploads.mkdir(parents=True, exist_ok=True)
            path = Path(tempfile.mkdtemp(dir=service.uploads)) / "upload.jsonl"
            path.write_bytes(body)
            job_id = service.queue_upload(path, "upload.jsonl", token)
        else:
            raise ApiError(415, "unsupported", "send an article as application/json, JSON Lines as "
                                               "application/x-ndjson, or a file as multipart/form-data")
        links = _job_links(job_id, "index")
        response.headers["Location"] = links["self"]
        return {"id": job_id, "status": "queued", "links": links}

    @app.get("/v1/jobs/{job_id}", tags=["archive"], responses={200: {"model": JobOut}})
    def get_job(request: Request, job_id: str, token: Token = Depends(needs("reader"))):
        """Any job (an indexing run or a check): status, progress, result (ETag as checks)."""
        job = service.db.job(job_id)
        if job is None:
            raise ApiError(404, "not_found", f"no job {job_id}")
        return _conditional_json(request, _job_json(job))

    @app.get("/v1/articles/{article_id}", tags=["archive"], responses={200: {"model": StoredArticleOut}})
    async def get_article(request: Request, article_id: str, token: Token = Depends(needs("reader"))):
        """What the archive holds about one article (ETag: send If-None-Match for a 304)."""
        found = await service.read_cached(f"article:{article_id}", lambda core: core.article(article_id))
        if found is None:
            raise ApiError(404, "not_found", f"no article {article_id}")
        return _conditional_json(request, {
            "id": found.article_id, "outlet": found.outlet, "origin": found.origin, "title": found.title,
            "published": found.published.isoformat() if found.published else None, "sentences": found.sentences})



def _add_reading_routes(app: FastAPI, service: Service) -> None:
    """Reading the archive: search, timeline, stats; signals of an article."""

    @app.get("/v1/search", tags=["archive"], responses={200: {"model": SearchOut}})
    async def search(q: str = Query(..., min_length=1, max_length=1000), outlet: str | None = Query(None, max_length=300),
                     since: date | None = None, until: date | None = None, limit: int = Query(10, ge=1, le=100),
                     relevant_only: bool = Query(False, description="drop sentences that only fill the list: "
                                                                    "cosine under 0.3 without the query's words"),
                     token: Token = Depends(needs("reader"))) -> dict:
        """Archive sentences for a query (BM25 and dense retrieval, fused), optionally by outlet and dates."""
        if not q.strip():  # a query parameter that says nothing: invalid, as an empty one is
            raise ApiError(422, "invalid", "q: the search query is blank")
        hits = await service.read(lambda core: core.search(q, limit, outlet, since, until, relevant_only))
        return {"query": q, "results": [
            {"article_id": h.article_id, "outlet": h.outlet, "title": h.title,
             "published": h.published.isoformat() if h.published else None, "url": h.url, "source": h.source,
             "origin": h.origin, "sentence": h.sentence, "score": round(h.retrieval_score, 5),
             "similarity": round(h.dense_similarity, 4) if h.dense_similarity is not None else None,
             "links": {"article": f"/v1/articles/{h.article_id}"}} for h in hits]}

    @app.get("/v1/timeline", tags=["archive"])
    async def timeline(token: Token = Depends(needs("reader"))) -> dict:
        """Events across the archive in date order (the command line's `timeline -f json`)."""
        found = await service.read_cached("timeline", lambda core: core.timeline())
        return found.to_json_dict()

    @app.get("/v1/stats", tags=["archive"])
    async def stats(token: Token = Depends(needs("reader"))) -> dict:
        """What the archive holds and its most frequent outlets."""
        found = await service.read_cached("stats", lambda core: core.stats())
        return found.to_json_dict(paths=False)  # no server paths to clients

    @app.post("/v1/claims", tags=["checks"])
    async def claims(body: ArticleIn, token: Token = Depends(needs("checker"))) -> dict:
        """The checkable claims of an article with their check-worthiness (corroborator.claims/1,
        as `corroborator claims -f json`); no archive needed."""
        article = _article(body, "web request")
        result = await service.read(lambda core: core.claims(article))
        return result.to_json_dict()

    @app.post("/v1/signals", tags=["checks"])
    async def signals(body: ArticleIn, token: Token = Depends(needs("checker"))) -> dict:
        """Sourcing, hedging and loaded-language signals of an article (corroborator.signals/1); no archive needed."""
        article = _article(body, "web request")
        result = await service.read(lambda core: core.signals(article))
        return result.to_json_dict()


class FeedIn(BaseModel):
    """A feed to watch, or one to pause or resume."""

    model_config = ConfigDict(extra="forbid")
    url: str = Field(min_length=1, max_length=2000)
    paused: bool | None = None


def feed_json(row, every: float) -> dict:
    def when(t):
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)) if t else None

    return {"url": row.url, "paused": row.paused, "last_poll": when(row.last_poll), "failures": row.failures,
            "last_error": row.last_error, "added": row.added,
            "next_poll": None if row.paused else when(max(row.retry_at or 0, (row.last_poll or 0) + every))}


def feeds_state(service: Service):
    """The server's watch.db (a connection for this request), or 409 on a server store."""
    from corroborator.ingest.watch import WatchState

    if service.feeds is None:
        raise ApiError(409, "no_feeds", "this server's archive is a database server: scheduled feeds run beside an "
                                        "embedded archive (run `corroborator watch` beside one instance)")
    return WatchState(service.feeds.state_path)


def _add_feed_routes(app: FastAPI, service: Service) -> None:
    """Feeds the server polls on a schedule (admin): list, add, pause or resume, remove."""

    no_feeds = {409: {"description": "the archive is a database server: no scheduled feeds here"}}

    @app.get("/v1/feeds", tags=["archive"], responses=no_feeds)
    def list_feeds(token: Token = Depends(needs("admin"))) -> dict:
        """The watched feeds: last poll, failures and the last error, articles added, next poll."""
        state = feeds_state(service)
        try:
            return {"every_s": service.config.feed_every,
                    "feeds": [feed_json(r, service.config.feed_every) for r in state.feeds()]}
        finally:
            state.close()

    @app.post("/v1/feeds", tags=["archive"], status_code=201,
              responses={200: {"description": "watched already, or paused or resumed"}, **no_feeds})
    def add_feed(body: FeedIn, response: Response, token: Token = Depends(needs("admin"))) -> dict:
        """Watch a feed (polled at the next scheduler tick); 200 if it was watched already.
        With ``paused`` it pauses or resumes a watched feed."""
        from corroborator.service.feeds import check_feed_url

        state = feeds_state(service)
        try:
            url = check_feed_url(body.url, service.config.allow_private_urls)
            if body.paused is not None and url in {r.url for r in state.feeds()}:
                state.set_paused(url, body.paused)
                response.status_code = 200
            elif not state.add(url):
                response.status_code = 200
            elif body.paused:
                state.set_paused(url, True)
            row = next(r for r in state.feeds() if r.url == url)
            return feed_json(row, service.config.feed_every)
        finally:
            state.close()

    @app.delete("/v1/feeds", tags=["archive"], status_code=204,
                responses={404: {"description": "no such watched feed"}, **no_feeds})
    def remove_feed(url: str = Query(..., min_length=1, max_length=2000), token: Token = Depends(needs("admin"))):
        """Stop watching a feed (what it added stays in the archive)."""
        state = feeds_state(service)
        try:
            if not state.remove(url):
                raise ApiError(404, "not_found", f"no watched feed {url[:200]}")
        finally:
            state.close()
        return Response(status_code=204)


# What the API answers besides success, by operation; every one of them in the error shape.
_ERRORS = {400: "unreadable body: not JSON, a form without a file, no readable article text",
           401: "no or unknown token", 403: "the token's role may not do this", 404: "no such item",
           409: "conflict: a check not done, an empty archive, an Idempotency-Key used for another request", 413: "body over the size limit",
           415: "unsupported media type", 422: "invalid request: the message names the field",
           429: "rate limited (see Retry-After)", 503: "the check queue is full; retry later"}


_CONDITIONAL = {"/v1/checks/{job_id}", "/v1/checks/{job_id}.html", "/v1/jobs/{job_id}", "/v1/articles/{article_id}"}


def _openapi(app: FastAPI) -> dict:
    """The schema as the server behaves: bearer tokens, the one error shape ({"error": ...},
    not FastAPI's {"detail": ...}) and the codes each operation can answer."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = spec.setdefault("components", {})
    components.setdefault("securitySchemes", {})["bearer"] = {"type": "http", "scheme": "bearer",
                                                               "description": "a token from `corroborator token create`"}
    schemas = components.setdefault("schemas", {})
    schemas["Error"] = {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["status", "code", "message"],
        "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}}}}}
    schemas["CheckIn"] = CheckIn.model_json_schema(ref_template="#/components/schemas/{model}")
    for model in (QueuedOut, BatchOut):
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            schemas.setdefault(name, sub)
        schemas.setdefault(model.__name__, schema)
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for path, operations in spec.get("paths", {}).items():
        for op in operations.values():
            responses = op.setdefault("responses", {})
            if path.startswith("/v1/"):
                op["security"] = [{"bearer": []}]
                codes = (400, 401, 403, 409, 413, 415, 422, 429, 503) if op.get("requestBody") else \
                    (401, 403, 404, 409, 422, 429) if "{" in path else (401, 403, 422, 429)
            else:
                op["security"] = []
                codes = ()
            for code in codes:
                responses[str(code)] = {"description": _ERRORS[code], **error}
            if path in _CONDITIONAL and "get" in operations and op is operations["get"]:
                responses["304"] = {"description": "not modified: the If-None-Match ETag is current"}
            if "422" in responses and not codes:
                responses.pop("422")
    app.openapi_schema = spec
    return spec


def run_server(config: ServeConfig, host: str, port: int) -> None:
    import uvicorn

    os.environ.setdefault("CORROBORATOR_ORT_SPINNING", "0")  # this process and its spawned workers
    app = create_app(config)
    # the server's own log lines on stderr: access lines and errors, with time and level
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("corroborator.access", "corroborator.web"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info",
                timeout_keep_alive=20, timeout_graceful_shutdown=10, limit_concurrency=1000)
