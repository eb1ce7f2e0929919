"""The web app in a real browser (Playwright driving Debian's chromium) against a real server
(`corroborator serve` under uvicorn on 127.0.0.1, one check worker process). Screenshots go to
test-artefacts/ (or $CORROBORATOR_ARTEFACTS)."""

import os
import re
import shutil
from pathlib import Path

import pytest

from corroborator.interfaces.web.launch import free_port, start_server

from ..conftest import DEMO, cli

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(os.environ.get("CORROBORATOR_ARTEFACTS", Path(__file__).resolve().parents[2] / "test-artefacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOSTILE = ("Drill report. Two US B-52H bombers flew over the Sea of Japan on Friday, March 14. "
           "<script>alert('pwned')</script> The drill lasted about three hours, officials said. "
           '<img src=x onerror="alert(1)"> Japanese F-2 fighters joined the formation.')

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)")


@pytest.fixture(scope="module")
def server(demo_store, tmp_path_factory):

    store = tmp_path_factory.mktemp("served") / "archive"
    shutil.copytree(demo_store, store)
    tokens = {}
    for role in ("reader", "checker", "admin"):
        made = cli("token", "create", "--role", role, "--name", f"browser {role}", "--store", str(store))
        assert made.returncode == 0, made.stderr
        tokens[role] = made.stdout.strip()
    port = free_port()
    log = tmp_path_factory.mktemp("logs") / "server.log"
    try:
        proc = start_server(store, port, log, "--workers", "1", timeout=120)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    base = f"http://127.0.0.1:{port}"
    yield base, tokens, store, log
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _sign_in(browser, base: str, token: str, **context):
    page = browser.new_page(**context)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/app")
    assert page.url.endswith("/signin")  # not signed in: sent to sign in
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/app")
    return page, dialogs


def _verdict(page, needle: str) -> str | None:
    """The verdict shown for the claim whose own text (not its evidence) holds ``needle``."""
    return page.evaluate("""(needle) => {
        for (const claim of document.querySelectorAll('.claim')) {
            const text = claim.querySelector('h3 + div');
            if (text && text.textContent.includes(needle)) return claim.querySelector('.verdict').textContent;
        }
        return null; }""", needle)


def test_sign_in_check_the_demo_article_and_read_the_report(server, browser):
    base, tokens, _, _ = server
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    page, dialogs = _sign_in(browser, base, tokens["checker"])
    body = next((DEMO / "check").glob("check-001*.md")).read_text().split("---\n", 2)[2]  # as a reader copies it
    page.fill("#text", body)
    page.fill("#title", "Allied bombers drill")
    page.fill("#outlet", "Global Insight Network")
    page.fill("#published", "2025-03-17")
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}/app/checks/*")
    page.screenshot(path=str(ARTEFACTS / "check-progress.png"))
    page.wait_for_selector(".claims", timeout=240_000)  # the report, once the worker is done
    page.screenshot(path=str(ARTEFACTS / "report-top.png"))
    page.screenshot(path=str(ARTEFACTS / "report.png"), full_page=True)
    assert _verdict(page, "Col. Dana Whitfield") == "SUPPORTED"
    assert _verdict(page, "more than six hours") == "NOT_ENOUGH_INFO"
    assert "similar reporting, not confirmed" in page.locator("body").inner_text()
    assert _verdict(page, "submarine") == "NOT_ENOUGH_INFO"
    assert "risk" in page.locator("body").inner_text().lower()
    # downloads and the navigation are on the report page; history lists the check
    assert page.locator("a", has_text="Download JSON").count() == 1
    page.click("nav >> text=History")
    row = page.locator("table.jobs tr", has_text="Allied bombers drill").first.inner_text()
    # the row says where it came from, how it came out and when, in the reader's time
    assert "Global Insight Network" in row and re.search(r"\b\d+: \d+ / \d+ / \d+ / \d+", row), row
    assert re.search(r"\t0\.\d\d\t", row) and "UTC" not in row, row
    assert not dialogs


def test_hostile_article_renders_as_text(server, browser):
    base, tokens, _, _ = server
    page, dialogs = _sign_in(browser, base, tokens["checker"])
    page.fill("#text", HOSTILE)
    page.fill("#title", "<img src=x onerror=alert(2)> hostile")
    page.fill("#url", "https://example.org/a")  # type=url refuses javascript: in the browser; the API is tested too
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".claims", timeout=240_000)
    page.screenshot(path=str(ARTEFACTS / "hostile-report.png"), full_page=True)
    body = page.locator("body").inner_text()
    assert "<script>alert('pwned')</script>" in body and "<img src=x onerror=alert(2)> hostile" in body
    assert page.locator("script").count() == 0 and page.locator("img[src=x]").count() == 0
    assert not dialogs


def test_reader_cannot_check_and_phone_width_works(server, browser):
    base, tokens, _, _ = server
    page, _ = _sign_in(browser, base, tokens["reader"], viewport={"width": 390, "height": 844})
    assert page.locator("#text").count() == 0 and "not start them" in page.locator("main").inner_text()
    page.click("nav >> text=Search")
    page.fill("#q", "bombers over the Sea of Japan")
    page.keyboard.press("Enter")
    page.wait_for_selector("ol.results li")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # no sideways scrolling
    page.screenshot(path=str(ARTEFACTS / "search-phone.png"), full_page=True)
    page.click("nav >> text=Timeline")
    assert "Timeline:" in page.locator("h1").inner_text()
    # keyboard: the skip link comes first, then the navigation
    page.goto(f"{base}/app")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"


def test_no_token_is_refused_and_signing_out_ends_the_session(server, browser):
    import httpx

    base, tokens, _, log = server
    assert httpx.get(f"{base}/v1/checks").status_code == 401
    page, _ = _sign_in(browser, base, tokens["checker"])
    cookie = next(c for c in page.context.cookies() if c["name"] == "corroborator_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["secure"]
    # a cross-site form post carries no cookie (SameSite Strict): sent to sign in, nothing queued
    anonymous = httpx.post(f"{base}/app/checks", data={"text": "x" * 40})
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/signin"
    # even with the real session cookie (a forged request that somehow carries it), no CSRF
    # token or a wrong one is refused; the page's own token is accepted
    session = {"Cookie": f"corroborator_session={cookie['value']}", "Accept": "text/html"}
    article = {"text": "The port authority said on Tuesday that 23 container ships were waiting at anchor."}
    for forged in ({}, {"csrf": "0" * 64}):
        r = httpx.post(f"{base}/app/checks", data={**article, **forged}, headers=session)
        assert r.status_code == 403 and "out of date" in r.text, (forged, r.status_code)
    csrf = page.locator("input[name=csrf]").first.get_attribute("value")
    r = httpx.post(f"{base}/app/checks", data={**article, "csrf": csrf}, headers=session)
    assert r.status_code == 303 and r.headers["location"].startswith("/app/checks/")
    page.click("nav >> text=Sign out")
    page.wait_for_url(f"{base}/signin")
    page.goto(f"{base}/app")
    assert page.url.endswith("/signin")
    logged = log.read_text()
    # the access log: method, path, status, token id; never article text or search terms
    assert "GET /app/search 200" in logged and "INFO corroborator.access" in logged
    assert "pwned" not in logged and "Sea of Japan" not in logged and "warning:" not in logged


def test_admin_uploads_to_the_archive_with_a_progress_bar(server, browser, tmp_path):
    import json

    base, tokens, _, _ = server
    page, dialogs = _sign_in(browser, base, tokens["admin"])
    upload = tmp_path / "harbour.jsonl"
    upload.write_text("\n".join(json.dumps({"id": f"up-{i}", "outlet": "Upload Wire", "published": "2025-06-0" + str(i),
                                            "text": f"The harbour of Port Vell handled {100 + i} ships on day {i}, "
                                                    "the port authority said."}) for i in range(1, 6)) + "\n")
    page.click("nav >> text=Archive")
    page.set_input_files("#archive-file", str(upload))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(f"{base}/app/jobs/*")
    page.wait_for_selector("#job-result", timeout=120_000)
    assert "5 added" in page.locator("#job-result").inner_text()
    page.screenshot(path=str(ARTEFACTS / "archive-upload.png"))
    page.click("nav >> text=Search")
    page.fill("#q", "ships handled at the harbour of Port Vell")
    page.keyboard.press("Enter")
    results = page.locator("ol.results").inner_text()
    assert "Upload Wire" in results and re.search(r"match 0\.[3-9]\d", results)
    assert page.locator("ol.results a", has_text="article up-").count() >= 1
    # a query nothing in the archive is about: no list of filler sentences
    page.fill("#q", "recipe for chocolate cake with strawberries")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=recipe*")
    assert page.locator("ol.results li").count() == 0 and "Nothing in the archive" in page.content()
    assert not dialogs


def test_back_after_sign_out_does_not_show_the_report(server, browser):
    base, tokens, _, _ = server
    page, _ = _sign_in(browser, base, tokens["checker"])
    page.click("nav >> text=History")
    page.wait_for_url(f"{base}/app/history*")
    assert "History" in page.content()
    page.click("nav >> text=Sign out")
    page.wait_for_url(f"{base}/signin")
    page.go_back()  # no-store: the browser asks the server again, which sends it to sign in
    page.wait_for_load_state()
    assert page.url.endswith("/signin") and "Recent checks" not in page.content()


def test_a_form_error_keeps_what_was_typed_and_a_cancelled_check_can_be_sent_again(server, browser):
    base, tokens, _, _ = server
    page, dialogs = _sign_in(browser, base, tokens["checker"])
    page.fill("#text", "Too short.")
    page.fill("#title", "Harbour note")
    page.fill("#outlet", "Desk Wire")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("p.error")
    assert "fewer than" in page.locator("p.error").inner_text() or "characters" in page.locator("p.error").inner_text()
    assert page.input_value("#text") == "Too short." and page.input_value("#title") == "Harbour note"
    assert page.input_value("#outlet") == "Desk Wire"
    # the demo's longest article takes seconds to check: cancelled from its page while it runs
    page.fill("#text", next((DEMO / "check").glob("check-001*.md")).read_text())
    page.click("form.card button[type=submit]")
    page.wait_for_url(f"{base}/app/checks/*")
    first = page.url
    # progress in words and claims, never claim-evidence pairs
    assert re.fullmatch(r"waiting for a free worker|finding the claims|\d+ of \d+ claims verified|"
                        r"reading passages: \d+ of \d+ claims|putting the report together|0 of 0",
                        page.locator("#job-count").inner_text()), page.locator("#job-count").inner_text()
    page.click("#cancel-check")
    page.wait_for_url(first)
    assert "Check cancelled" in page.locator("h1").inner_text()
    page.click("#check-again")  # the same article, not pasted again
    page.wait_for_url(f"{base}/app/checks/*")
    assert page.url != first
    page.wait_for_selector(".claim", timeout=240_000)  # the new check ran to its report
    assert "Drill" in page.title() or page.locator(".claim").count() > 5
    # an error page in the app's style, not raw JSON
    page.goto(f"{base}/app/checks/no-such-check")
    assert "No such check" in page.locator("h1").inner_text() and "nav" in page.content()
    assert not dialogs


def test_sign_in_is_rate_limited_per_address(server):
    # last in this module: it spends this address's sign-in attempts
    import httpx

    base, _, _, _ = server
    codes, limited = [], None
    with httpx.Client(base_url=base) as client:
        for _ in range(25):
            r = client.post("/signin", data={"token": "cor_guess", "nonce": "x"})
            codes.append(r.status_code)
            if r.status_code == 429:
                limited = r
                break
    assert limited is not None and set(codes[:-1]) == {401}, codes
    assert int(limited.headers["retry-after"]) >= 1 and "Too many requests" in limited.text
