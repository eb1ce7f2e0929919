"""The web app's pages (/app/...): server-rendered templates (Jinja2, escaped by default) and
one small script of ours (static/app.js) for progress bars. A browser signs in with a token
once; the session cookie is HttpOnly, SameSite=Strict and Secure, and every form post carries a
CSRF token derived from the session. The report and timeline pages are the HTML renderer's own,
with the navigation on top."""

import asyncio
import secrets
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from corroborator.errors import BadInputError, CorroboratorError
from corroborator.interfaces.web.app import (
    ARCHIVE_SUFFIXES,
    SESSION_COOKIE,
    Service,
    _uploaded,
    article_from_form,
    read_form,
    save_upload,
)
from corroborator.interfaces.web.security import ApiError
from corroborator.service.db import Token

HERE = Path(__file__).parent
PRE_SESSION_COOKIE = "corroborator_signin"
templates = Jinja2Templates(directory=str(HERE / "templates"))


class _SignIn(Exception):
    pass


class _Ui:
    """What every page shares: the signed-in session, the page and navigation templates, the
    CSRF check of posted forms, error pages in the app's style."""

    def __init__(self, service: Service) -> None:
        self.service = service
        self.db = service.db

    def error_page(self, request: Request, exc: ApiError):
        sid = request.cookies.get(SESSION_COOKIE)
        token = self.db.session(sid) if sid else None
        titles = {403: "Not allowed", 404: "Not found", 409: "Not ready", 413: "Too large", 415: "Unsupported file",
                  422: "Please check the form", 429: "Too many requests", 503: "Busy"}
        response = self.page(request, "message.html", token, sid if token else None, status=exc.status,
                             title=titles.get(exc.status, "Something went wrong"), message=exc.message)
        response.headers.update(exc.headers)
        return response

    def session(self, request: Request, role: str = "reader") -> tuple[Token, str]:
        sid = request.cookies.get(SESSION_COOKIE)
        token = self.db.session(sid) if sid else None
        if token is None:
            raise _SignIn
        if not token.may(role):
            raise ApiError(403, "forbidden", f"your role ({token.role}) cannot do this; it needs {role}")
        self.service.allow(request, token)
        return token, sid

    def page(self, request: Request, name: str, token: Token | None, sid: str | None, status: int = 200, **context):
        return templates.TemplateResponse(request, name, {
            "token": token, "csrf": self.db.csrf_token(sid) if sid else "", **context}, status_code=status)

    def nav(self, token: Token, sid: str) -> str:
        return templates.get_template("nav.html").render(token=token, csrf=self.db.csrf_token(sid), inline=True)

    def check_csrf(self, form, sid: str) -> None:
        if not secrets.compare_digest(str(form.get("csrf", "")), self.db.csrf_token(sid)):
            raise ApiError(403, "csrf", "the form is out of date; reload the page and try again")

    @asynccontextmanager
    async def posted_form(self, request: Request, sid: str):
        """The posted form once its CSRF token is checked; its uploaded files closed after."""
        form = await read_form(request)
        try:
            self.check_csrf(form, sid)
            yield form
        finally:
            await form.close()


def add_pages(app: FastAPI, service: Service) -> None:
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    ui = _Ui(service)

    @app.exception_handler(_SignIn)
    async def _to_sign_in(request: Request, exc: _SignIn):
        return RedirectResponse("/signin", 303)

    service.html_error = ui.error_page
    for add in (_signin_pages, _check_pages, _check_item_pages, _history_pages, _archive_pages, _feed_pages,
                _other_pages):
        add(app, ui)


def _signin_pages(app: FastAPI, ui: _Ui) -> None:
    """Signing in and out."""
    service, db, session, page, check_csrf = ui.service, ui.db, ui.session, ui.page, ui.check_csrf

    # --- signing in -------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home(request: Request):
        sid = request.cookies.get(SESSION_COOKIE)
        return RedirectResponse("/app" if sid and db.session(sid) else "/signin", 303)

    @app.get("/signin", include_in_schema=False, response_class=HTMLResponse)
    def signin_form(request: Request, error: str | None = None):
        nonce = secrets.token_urlsafe(24)
        response = page(request, "signin.html", None, None, status=401 if error else 200, nonce=nonce, error=error)
        response.set_cookie(PRE_SESSION_COOKIE, nonce, httponly=True, samesite="strict", secure=True, max_age=3600)
        return response

    @app.post("/signin", include_in_schema=False)
    async def signin(request: Request):
        wait = service.signin_limiter.take(request.client.host if request.client else "-")
        if wait:
            raise ApiError(429, "rate_limited", f"too many sign-in attempts; try again in {wait:.0f} s",
                           headers={"Retry-After": str(max(1, round(wait)))})
        form = await read_form(request)
        nonce = request.cookies.get(PRE_SESSION_COOKIE, "")
        if not nonce and request.url.scheme == "http" and request.url.hostname not in ("localhost", "127.0.0.1", "::1"):
            # the cookies are Secure: over plain HTTP a browser keeps them only for localhost
            return signin_form(request, f"This server is reached over plain HTTP at {request.url.hostname}, and "
                                        "browsers keep its sign-in cookie only over HTTPS (or on localhost). "
                                        "Open it through an HTTPS reverse proxy (see the README).")
        if not nonce or not secrets.compare_digest(str(form.get("nonce", "")), nonce):
            return signin_form(request, "The sign-in form expired; try again.")
        token = db.token(str(form.get("token", "")).strip())
        if token is None:
            return signin_form(request, "That token is not valid (or was revoked).")
        response = RedirectResponse("/app", 303)
        response.set_cookie(SESSION_COOKIE, db.create_session(token), httponly=True, samesite="strict", secure=True,
                            max_age=12 * 3600, path="/")
        response.delete_cookie(PRE_SESSION_COOKIE)
        return response

    @app.post("/signout", include_in_schema=False)
    async def signout(request: Request):
        token, sid = session(request)
        check_csrf(await read_form(request), sid)
        db.end_session(sid)
        response = RedirectResponse("/signin", 303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response


def _check_pages(app: FastAPI, ui: _Ui) -> None:
    """Checking an article: the form and its submission."""
    service, db, session, page, posted_form = ui.service, ui.db, ui.session, ui.page, ui.posted_form

    @app.get("/app", include_in_schema=False, response_class=HTMLResponse)
    def new_check(request: Request):
        token, sid = session(request)
        jobs, _, _ = db.jobs("check", 10, 0)
        return page(request, "check.html", token, sid, jobs=jobs)

    @app.post("/app/checks", include_in_schema=False)
    async def submit_check(request: Request):
        token, sid = session(request, "checker")
        async with posted_form(request, sid) as form:
            try:
                article = await article_from_form(form, service)
                job_id = await service.queue_check(article, token)
            except (BadInputError, CorroboratorError, ApiError) as exc:
                # the form comes back as the user filled it, with what to fix
                typed = {k: str(form.get(k) or "") for k in ("text", "title", "outlet", "published", "url")}
                jobs, _, _ = db.jobs("check", 10, 0)
                status, message = (exc.status, exc.message) if isinstance(exc, ApiError) else (400, str(exc))
                return page(request, "check.html", token, sid, status=status, jobs=jobs, error=message, typed=typed)
        return RedirectResponse(f"/app/checks/{job_id}", 303)


def _check_item_pages(app: FastAPI, ui: _Ui) -> None:
    """One check: its progress or report, cancel, again."""
    service, db, session, page, nav, posted_form = ui.service, ui.db, ui.session, ui.page, ui.nav, ui.posted_form

    @app.post("/app/checks/{job_id}/again", include_in_schema=False)
    async def check_again(request: Request, job_id: str):
        """A failed or cancelled check submitted again, with the article it had."""
        token, sid = session(request, "checker")
        async with posted_form(request, sid):
            job, stored = db.job(job_id), db.job_request(job_id)
            if job is None or job.kind != "check" or stored is None:
                raise ApiError(404, "not_found", f"there is no check {job_id} to submit again")
            from corroborator.domain import Article

            new_id = await service.queue_check(Article.model_validate(stored), token)
        return RedirectResponse(f"/app/checks/{new_id}", 303)

    @app.post("/app/checks/{job_id}/cancel", include_in_schema=False)
    async def cancel_check(request: Request, job_id: str):
        token, sid = session(request, "checker")
        async with posted_form(request, sid):
            job = db.job(job_id)
            if job is None or job.kind != "check":
                raise ApiError(404, "not_found", f"there is no check {job_id}")
            if job.owner != token.id and not token.may("admin"):
                raise ApiError(403, "forbidden", "only the check's owner or an admin can cancel it")
            db.cancel_job(job_id, "cancelled from the web app")
        return RedirectResponse(f"/app/checks/{job_id}", 303)

    @app.get("/app/checks/{job_id}", include_in_schema=False, response_class=HTMLResponse)
    def check_page(request: Request, job_id: str):
        token, sid = session(request)
        job = db.job(job_id)
        if job is None or job.kind != "check":
            return page(request, "message.html", token, sid, status=404, title="No such check",
                        message=f"There is no check {job_id}.")
        if job.status == "done" and job.result is not None:
            from corroborator.domain import Report
            from corroborator.registry import renderers

            bar = templates.get_template("report_bar.html").render(job=job)
            # the stored report rendered again with our navigation as its header (a few ms; the
            # API's /v1/checks/{id}.html serves the page stored when the check finished)
            try:
                report = Report.model_validate(job.result)
            except ValueError:  # a report stored by another version: the page stored with it
                return HTMLResponse(db.job_html(job_id) or "")
            return HTMLResponse(renderers.get("report/html")(report, header=nav(token, sid) + bar))
        return page(request, "progress.html", token, sid, job=job, again=db.job_request(job_id) is not None)


def _history_pages(app: FastAPI, ui: _Ui) -> None:
    """The history of checks."""
    db, session, page = ui.db, ui.session, ui.page

    @app.get("/app/history", include_in_schema=False, response_class=HTMLResponse)
    def history(request: Request, page_no: int = 1):
        token, sid = session(request)
        page_no = max(1, min(page_no, 100_000))
        jobs, total, _ = db.jobs("check", 25, (page_no - 1) * 25)
        return page(request, "history.html", token, sid, jobs=jobs, total=total, page_no=page_no,
                    pages=max(1, (total + 24) // 25))


def _archive_pages(app: FastAPI, ui: _Ui) -> None:
    """Search, timeline, the archive and its uploads."""
    service, db, session, page, nav, posted_form = ui.service, ui.db, ui.session, ui.page, ui.nav, ui.posted_form

    # --- the archive ------------------------------------------------------------------------

    @app.get("/app/search", include_in_schema=False, response_class=HTMLResponse)
    async def search_page(request: Request, q: str = "", outlet: str = "", since: str = "", until: str = ""):
        token, sid = session(request)
        results, error = [], None
        if q.strip():
            from corroborator.ingest.common import parse_date

            try:
                since_d, until_d = (parse_date(since) if since else None), (parse_date(until) if until else None)
                results = await service.read(lambda core: core.search(q[:1000], 20, outlet or None, since_d, until_d,
                                                                      relevant_only=True))
            except (BadInputError, CorroboratorError) as exc:
                error = str(exc)
        return page(request, "search.html", token, sid, q=q, outlet=outlet, since=since, until=until,
                    results=results, error=error)

    @app.get("/app/timeline", include_in_schema=False, response_class=HTMLResponse)
    async def timeline_page(request: Request):
        from corroborator.registry import renderers

        token, sid = session(request)
        found = await service.read_cached("timeline", lambda core: core.timeline())
        return HTMLResponse(renderers.get("timeline/html")(found, header=nav(token, sid)))

    @app.get("/app/archive", include_in_schema=False, response_class=HTMLResponse)
    def archive_page(request: Request):
        token, sid = session(request)
        jobs, _, _ = db.jobs("index", 10, 0)
        return page(request, "archive.html", token, sid, jobs=jobs)

    @app.post("/app/archive", include_in_schema=False)
    async def archive_upload(request: Request):
        token, sid = session(request, "admin")
        async with posted_form(request, sid) as form:
            upload = _uploaded(form)
            if upload is None:
                raise ApiError(400, "bad_request", "choose a file to add")
            path, name = await save_upload(upload, service, ARCHIVE_SUFFIXES)
        job_id = service.queue_upload(path, name, token)
        if "application/json" in request.headers.get("accept", ""):
            return {"id": job_id, "links": {"self": f"/v1/jobs/{job_id}", "page": f"/app/jobs/{job_id}"}}
        return RedirectResponse(f"/app/jobs/{job_id}", 303)

    @app.get("/app/jobs/{job_id}", include_in_schema=False, response_class=HTMLResponse)
    def job_page(request: Request, job_id: str):
        token, sid = session(request)
        job = db.job(job_id)
        if job is None:
            return page(request, "message.html", token, sid, status=404, title="No such job",
                        message=f"There is no job {job_id}.")
        return page(request, "progress.html", token, sid, job=job)


def _feeds_page(ui: _Ui, request: Request, token, sid, status: int = 200, **context):
    """The Feeds page: the watched feeds (or why there are none here) and the recent polls."""
    from corroborator.interfaces.web.app import feed_json, feeds_state

    every = ui.service.config.feed_every
    shown = f"{every / 60:g} minutes" if every >= 60 else f"{every:g} s"
    jobs = [j for j in ui.db.jobs("index", 50, 0)[0] if (j.title or "").startswith("feed ")][:10]
    try:
        state = feeds_state(ui.service)
    except ApiError as exc:
        return ui.page(request, "feeds.html", token, sid, status=status, every=shown, unavailable=exc.message, jobs=jobs)
    try:
        feeds = [feed_json(r, every) for r in state.feeds()]
    finally:
        state.close()
    return ui.page(request, "feeds.html", token, sid, status=status, every=shown, feeds=feeds, jobs=jobs, **context)


def _feed_pages(app: FastAPI, ui: _Ui) -> None:
    """Feeds the server keeps the archive current from (admin): watch, pause or resume, remove."""
    service, session, posted_form = ui.service, ui.session, ui.posted_form

    def feeds_page(request: Request, token, sid, status: int = 200, **context):
        return _feeds_page(ui, request, token, sid, status, **context)

    @app.get("/app/feeds", include_in_schema=False, response_class=HTMLResponse)
    def feeds(request: Request):
        token, sid = session(request, "admin")
        return feeds_page(request, token, sid)

    @app.post("/app/feeds", include_in_schema=False)
    async def watch_feed(request: Request):
        from corroborator.interfaces.web.app import feeds_state
        from corroborator.service.feeds import check_feed_url

        token, sid = session(request, "admin")
        async with posted_form(request, sid) as form:
            typed = str(form.get("url") or "")
            try:  # resolving the host is a network wait: off the event loop
                url = await asyncio.to_thread(check_feed_url, typed, service.config.allow_private_urls)
            except BadInputError as exc:  # the form comes back with what to fix
                return feeds_page(request, token, sid, status=422, error=str(exc), typed=typed[:2000])

            def add() -> None:
                state = feeds_state(service)
                try:
                    state.add(url)
                finally:
                    state.close()

            await asyncio.to_thread(add)
        return RedirectResponse("/app/feeds", 303)

    @app.post("/app/feeds/{action}", include_in_schema=False)
    async def change_feed(request: Request, action: str):
        from corroborator.interfaces.web.app import feeds_state

        token, sid = session(request, "admin")
        if action not in ("pause", "remove"):
            raise ApiError(404, "not_found", "no such feed action")
        async with posted_form(request, sid) as form:
            url = str(form.get("url") or "")
            state = feeds_state(service)
            try:
                done = state.set_paused(url, form.get("paused") == "1") if action == "pause" else state.remove(url)
            finally:
                state.close()
            if not done:
                raise ApiError(404, "not_found", f"no watched feed {url[:200]}")
        return RedirectResponse("/app/feeds", 303)


def _other_pages(app: FastAPI, ui: _Ui) -> None:
    """The API's documentation page and robots.txt."""
    page = ui.page

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs(request: Request):
        """The API, from its OpenAPI schema (/openapi.json), without any third-party script."""
        spec = app.openapi()
        operations = [(method.upper(), path, op) for path, item in spec["paths"].items()
                      for method, op in item.items()]
        return page(request, "docs.html", None, None, operations=operations, spec=spec)

    @app.get("/robots.txt", include_in_schema=False)
    def robots():
        return Response("User-agent: *\nDisallow: /\n", media_type="text/plain")
