"""Articles from URLs (issue 27) against a real HTTP server of our own on 127.0.0.1 that serves
a news page made from a demo article, redirects, a redirect loop, a slow page, a huge page, a
binary answer, a page in Latin-1, a robots.txt and a page with a script and a tracking iframe.
Never the internet."""

import html
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corroborator.errors import BadInputError
from corroborator.ingest import read_paths
from corroborator.ingest.fetch import Fetcher, FetchPolicy

from ..conftest import DEMO, cli

ARTICLE = next((DEMO / "check").glob("check-002*.md"))


def _page(title: str, body: str, extra: str = "") -> bytes:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip())
    return (f"<html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<meta property='og:site_name' content='Lakeside Observer'></head><body><nav>Home | World</nav>"
            f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>{extra}"
            "<footer>Subscribe now</footer></body></html>").encode()


def _article_body() -> tuple[str, str]:
    text = ARTICLE.read_text().split("---\n", 2)[2].strip()
    title, _, body = text.partition("\n")
    return title.lstrip("# ").strip(), body.strip()


class _Site:
    def __init__(self) -> None:
        title, body = _article_body()
        self.pages = {
            "/news/strike.html": ("text/html; charset=utf-8", _page(title, body)),
            "/news/scripted.html": ("text/html", _page(title, body, "<script>alert('pwned')</script>"
                                                        "<iframe src='http://tracker.example/pixel'></iframe>")),
            "/news/latin1.html": ("text/html; charset=iso-8859-1",
                                  _page("Café reopens", "The café on Rue Émile reopened on Monday after repairs "
                                        "that cost 40,000 euros, its owner said.").replace(b"utf-8", b"iso-8859-1")
                                  .decode().encode("latin-1")),
            "/image.png": ("image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100),
            "/private/memo.html": ("text/html", _page("Memo", "Internal memo text that must not be fetched.")),
            "/robots.txt": ("text/plain", b"User-agent: *\nDisallow: /private/\n"),
        }
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                path = self.path
                if path == "/old-address":
                    return self._redirect("/news/strike.html")
                if path == "/loop":
                    return self._redirect("/loop")
                if path == "/slow.html":
                    time.sleep(3)
                if path == "/huge.html":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()  # no Content-Length: only the stream tells
                    try:
                        for _ in range(400):
                            self.wfile.write(b"<p>" + b"x" * 16_000 + b"</p>")
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                media, body = site.pages.get(path, ("text/html", None))
                if body is None and path != "/slow.html":
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = body or _page("Slow", "A slow page.")
                self.send_response(200)
                self.send_header("Content-Type", media)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _redirect(self, to: str):
                self.send_response(302)
                self.send_header("Location", to)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def site():
    s = _Site()
    yield s
    s.close()


LOCAL = FetchPolicy(allow_private=True, timeout=1.5, per_host_seconds=0.0, max_bytes=2 * 1024 * 1024)


def test_a_page_is_read_as_its_saved_html_with_the_url_as_id(site):
    with Fetcher(LOCAL) as fetcher:
        article = fetcher.article(f"{site.base}/old-address")  # one redirect
    assert article.url == article.id == f"{site.base}/news/strike.html"
    assert article.outlet == "Lakeside Observer" and "container terminals" in article.text
    assert "Subscribe now" not in article.text and "Home | World" not in article.text


def test_hostile_answers_are_one_line_each(site):
    cases = {
        "/loop": "more than 5 redirects",
        "/slow.html": "no answer within 1.5 s",
        "/huge.html": "page larger than 2 MB",
        "/image.png": "not an HTML page (Content-Type image/png)",
        "/private/memo.html": "robots.txt does not allow",
        "/missing.html": "HTTP 404",
    }
    with Fetcher(LOCAL) as fetcher:
        for path, why in cases.items():
            with pytest.raises(BadInputError, match=None) as caught:
                fetcher.article(site.base + path)
            assert why in str(caught.value) and "\n" not in str(caught.value), (path, str(caught.value))
        scripted = fetcher.article(f"{site.base}/news/scripted.html")
        assert "pwned" not in scripted.text and "tracker" not in scripted.text
        latin = fetcher.article(f"{site.base}/news/latin1.html")
        assert "café on Rue Émile" in latin.text


def test_private_addresses_and_other_schemes_are_refused_by_default(site):
    with Fetcher(FetchPolicy(per_host_seconds=0.0)) as fetcher:
        for url in (f"{site.base}/news/strike.html", "http://localhost/x", "http://10.0.0.7/x", "http://[::1]/x",
                    "file:///etc/passwd", "ftp://example.org/x", "http://user:pw@example.org/x"):
            with pytest.raises(BadInputError) as caught:
                fetcher.article(url)
            assert "private or local address" in str(caught.value) or "http:// or https://" in str(caught.value) \
                or "no user or password" in str(caught.value), (url, str(caught.value))


def test_one_host_is_asked_at_most_once_a_second(site):
    with Fetcher(FetchPolicy(allow_private=True, per_host_seconds=0.4, robots=False)) as fetcher:
        start = time.monotonic()
        for _ in range(3):
            fetcher.page(f"{site.base}/news/strike.html")
        assert time.monotonic() - start >= 0.8  # three requests, two waits


def test_check_and_index_a_url_on_the_command_line(site, demo_store, tmp_path):
    url = f"{site.base}/news/strike.html"
    saved = tmp_path / "strike.html"
    saved.write_bytes(site.pages["/news/strike.html"][1])
    by_url = cli("check", url, "--store", str(demo_store), "-f", "json", "--allow-private-urls")
    by_file = cli("check", str(saved), "--store", str(demo_store), "-f", "json")
    assert by_url.returncode == 0 and by_file.returncode == 0, by_url.stderr + by_file.stderr
    a, b = json.loads(by_url.stdout), json.loads(by_file.stdout)
    assert a["article"]["url"] == url and a["article"]["id"] == url
    assert [(c["text"], c["verdict"]) for c in a["claims"]] == [(c["text"], c["verdict"]) for c in b["claims"]]
    refused = cli("check", url, "--store", str(demo_store))
    assert refused.returncode == 2 and "private or local address" in refused.stderr and "Traceback" not in refused.stderr

    store = tmp_path / "archive"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# pages to keep\n{url}\n{site.base}/image.png\n")
    done = cli("index", "--urls", str(urls), "--store", str(store), "--allow-private-urls")
    assert done.returncode == 2 and "1 added" in done.stdout and "not an HTML page" in done.stderr
    again = cli("index", url, "--store", str(store), "--allow-private-urls")
    assert again.returncode == 0 and "0 added" in again.stdout  # the same page is stored once
    kept = list(read_paths([store / "pages.warc.gz"]))  # the raw page, re-extractable
    assert kept and kept[0].url == url and "container terminals" in kept[0].text
