"""Articles from URLs (issue 27): fetch a news page politely and safely, and read it as a saved
HTML page is read (trafilatura), with the URL as its address and id.

What a fetch does, and why:
- only http(s) URLs whose host resolves to public addresses (``corroborator.net``), checked
  again at every redirect hop: a submitted URL can never make the server read its own network
  (server-side request forgery), unless private addresses are allowed (tests, an intranet);
- at most ``max_redirects`` redirects, a time limit per request, a size cap read as a stream
  (a 5 GB page stops at the cap), only HTML answers (``Content-Type``);
- robots.txt honoured (read once per host; an unreadable or missing one allows), one request
  per host at most every ``per_host_seconds`` (polite to small outlets), a User-Agent that says
  who is asking;
- the raw answer can be kept in a WARC file (warcio) so the archive can be re-extracted later.
Every failure is one BadInputError line naming the URL; nothing is stored for it."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from corroborator import __version__
from corroborator.config import MAX_ARTICLE_BYTES
from corroborator.domain import Article
from corroborator.errors import BadInputError
from corroborator.net import checked_url

USER_AGENT = f"corroborator/{__version__} (offline news verification; fetches one page when asked)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


def is_url(text: str) -> bool:
    return str(text).lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchPolicy:
    allow_private: bool = False
    timeout: float = 20.0  # seconds, connect and each read
    max_bytes: int = MAX_ARTICLE_BYTES
    max_redirects: int = 5
    per_host_seconds: float = 1.0
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass
class Page:
    url: str  # the final URL, after redirects
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class Fetcher:
    """One HTTP client for a run (connections reused), its politeness state and its WARC file."""

    def __init__(self, policy: FetchPolicy | None = None, warc_path: Path | None = None) -> None:
        import httpx

        self.policy = policy or FetchPolicy()
        self.client = httpx.Client(timeout=self.policy.timeout, follow_redirects=False, trust_env=False,
                                   headers={"User-Agent": self.policy.user_agent})
        self.warc_path = warc_path
        self._last: dict[str, float] = {}
        self._robots: dict[str, object] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- one page ---------------------------------------------------------------------------

    def article(self, url: str) -> Article:
        """The article at ``url`` (id and url: the final URL), or BadInputError."""
        from corroborator.ingest.html import article_from_html

        page = self.page(url)
        if self.warc_path is not None:
            self._keep(page)
        return article_from_html(page.body, url, url=page.url, id=page.url)

    def page(self, url: str, accept: tuple[str, ...] = HTML_TYPES, headers: dict | None = None) -> Page:
        """The answer at ``url`` (redirects followed by hand, each hop checked): one of the
        ``accept`` media types, or a 304 to conditional ``headers``; else BadInputError."""
        import httpx

        current = url
        for _hop in range(self.policy.max_redirects + 1):
            checked_url(current, self.policy.allow_private, url)
            self._allowed_by_robots(current, url)
            self._wait_for_host(current)
            try:
                with self.client.stream("GET", current, headers=headers) as answer:
                    if answer.status_code in (301, 302, 303, 307, 308) and "location" in answer.headers:
                        current = urljoin(current, answer.headers["location"])
                        continue
                    if answer.status_code == 304:
                        return Page(current, 304, list(answer.headers.items()), b"")
                    return self._read(url, current, answer, accept)
            except httpx.TimeoutException:
                raise BadInputError(f"{url}: no answer within {self.policy.timeout:g} s") from None
            except httpx.HTTPError as exc:
                raise BadInputError(f"{url}: cannot fetch ({type(exc).__name__}: {str(exc)[:200]})") from None
        raise BadInputError(f"{url}: more than {self.policy.max_redirects} redirects")

    def _read(self, url: str, current: str, answer, accept: tuple[str, ...] = HTML_TYPES) -> Page:
        if answer.status_code != 200:
            retry = answer.headers.get("retry-after", "")
            raise BadInputError(f"{url}: the server answered HTTP {answer.status_code}"
                                + (f" (Retry-After {retry})" if retry else ""))
        media = answer.headers.get("content-type", "").split(";")[0].strip().lower()
        if media not in accept:
            kind = "an HTML page" if accept == HTML_TYPES else "a feed"
            raise BadInputError(f"{url}: not {kind} (Content-Type {media or 'missing'})")
        declared = answer.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            raise BadInputError(f"{url}: page larger than {self.policy.max_bytes / 1024 / 1024:g} MB")
        body = bytearray()
        for chunk in answer.iter_bytes():
            body += chunk
            if len(body) > self.policy.max_bytes:
                raise BadInputError(f"{url}: page larger than {self.policy.max_bytes / 1024 / 1024:g} MB")
        # the body is kept decoded: its transfer headers no longer describe it
        kept = [(k, v) for k, v in answer.headers.items()
                if k.lower() not in ("content-encoding", "transfer-encoding", "content-length")]
        return Page(current, answer.status_code, kept, bytes(body))

    # --- politeness ---------------------------------------------------------------------------

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        with self._lock:
            wait = self._last.get(host, 0.0) + self.policy.per_host_seconds - time.monotonic()
            self._last[host] = time.monotonic() + max(0.0, wait)
        if wait > 0:
            time.sleep(wait)

    def _allowed_by_robots(self, url: str, asked: str) -> None:
        if not self.policy.robots:
            return
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        rules = self._robots.get(root)
        if rules is None:
            rules = RobotFileParser()
            try:
                self._wait_for_host(url)
                answer = self.client.get(root + "/robots.txt")
                text = answer.text[:500_000] if answer.status_code == 200 else ""
            except Exception:  # no robots.txt to read: allowed
                text = ""
            rules.parse(text.splitlines())
            self._robots[root] = rules
        if not rules.can_fetch(self.policy.user_agent, url):
            raise BadInputError(f"{asked}: {parts.netloc}'s robots.txt does not allow fetching this page")

    # --- keeping the raw page ----------------------------------------------------------------

    def _keep(self, page: Page) -> None:
        """Append the answer to the WARC file (gzip per record, as warcio writes)."""
        from io import BytesIO

        from warcio.statusandheaders import StatusAndHeaders
        from warcio.warcwriter import WARCWriter

        self.warc_path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.warc_path.open("ab") as fh:
            writer = WARCWriter(fh, gzip=True)
            headers = StatusAndHeaders(f"{page.status} OK", page.headers, protocol="HTTP/1.1")
            record = writer.create_warc_record(page.url, "response", payload=BytesIO(page.body), http_headers=headers)
            writer.write_record(record)


def read_urls(urls: list[str], policy: FetchPolicy | None = None, warc_path: Path | None = None):
    """Article | BadInputError for each URL, in order."""
    with Fetcher(policy, warc_path) as fetcher:
        for url in urls:
            try:
                yield fetcher.article(url)
            except BadInputError as exc:
                yield exc
