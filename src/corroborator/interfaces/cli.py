"""Command-line interface: a thin layer over the application core (app.py) and the renderers.

Exit codes: 0 success; 2 usage error or bad input (one line on stderr, no traceback);
1 internal error (one line; CORROBORATOR_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import logging
import os
import re
import sys
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from corroborator import __version__
from corroborator.config import default_store, user_store_dir
from corroborator.errors import BadInputError, CorroboratorError, fault_of

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Check news articles against your own news archive, offline.",
)
# markup=False: paths, outlets and messages may contain "[...]", which is text here, never markup
out = Console(highlight=False, markup=False)
err = Console(stderr=True, highlight=False, markup=False)


class UsageError(CorroboratorError):
    """A wrong combination of options."""


class Format(str, Enum):
    text = "text"
    json = "json"
    html = "html"


class ReportFormat(str, Enum):
    """A check's report: the renderers registered as report/<format> (corroborator.registry)."""

    text = "text"
    json = "json"
    html = "html"
    markdown = "markdown"


StoreOpt = Annotated[
    Optional[str],
    typer.Option("--store", help="store: a folder or an address such as sqlite:///path/to/folder "
                                 "(default: $CORROBORATOR_STORE or ~/.local/share/corroborator)"),
]


def _store_path(store: str | Path | None) -> str | Path:
    """The store's address: a folder path (expanded), or an address with a scheme as given."""
    store = store if store is not None else default_store()
    if "://" in str(store):
        return str(store)
    return Path(store).expanduser()


def _warn(message: str) -> None:
    err.print(Text("skipped: ", style="yellow") + Text(message), soft_wrap=True)


def _safe_name(article_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", article_id)[:100] or "article"


def _output_name(art) -> str:
    """A per-article output file named after its input: the file's stem ("drill-report"), with
    the record number for a row of a .jsonl/.csv ("feed-12"); the id when there is no file."""
    if not art.source:
        return _safe_name(art.id)
    path, _, record = art.source.rpartition(":") if re.search(r":\d+$", art.source) else (art.source, "", "")
    stem = Path(path).stem
    return _safe_name(f"{stem}-{record}" if record else stem)


@app.command()
def watch(
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs")],
    store: StoreOpt = None,
    every: Annotated[str, typer.Option(help="time between polls: 15m, 2h, ... (at least 60 s)")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="poll each feed once and stop")] = False,
    state: Annotated[Optional[Path], typer.Option(help="the feeds' state (default: watch.db beside the store)")] = None,
    allow_private_urls: Annotated[bool, typer.Option(help="feeds and pages on loopback and private networks")] = False,
) -> None:
    """Keep the archive current from feeds: poll them (conditional GET), fetch each new item's page
    and index it; per feed, what each poll added."""
    import time as time_

    from corroborator.app import Corroborator, Settings
    from corroborator.ingest.fetch import Fetcher, FetchPolicy, is_url
    from corroborator.ingest.watch import WatchState, parse_every, poll

    bad = [f for f in feeds if not is_url(f)]
    if bad:
        raise BadInputError(f"not a feed URL: {', '.join(bad)} (saved feed files go to `index`)")
    pause = parse_every(every)
    store_dir = _store_path(store)
    folder = store_dir if isinstance(store_dir, Path) else None
    state_path = state or (folder / "watch.db" if folder else Path.home() / ".local/share/corroborator/watch.db")
    failed = False
    with Corroborator(Settings(store=store_dir, wait_for_writer=True)) as core:
        core.stored_content([])  # the store exists (made if new) before its watch.db goes beside it
        core.close()
    watch_state = WatchState(state_path)
    try:
        with Corroborator(Settings(store=store_dir, wait_for_writer=True)) as core, \
                Fetcher(FetchPolicy(allow_private=allow_private_urls), folder / "pages.warc.gz" if folder else None) as fetcher:
            while True:
                for url in feeds:
                    result = poll(url, fetcher, watch_state)
                    added = core.index(iter(result.articles), on_error=_warn).added if result.articles else 0
                    watch_state.indexed(url, result.items, added, result)
                    for message in result.errors:
                        _warn(message)
                    failed |= result.status == "failed"
                    out.print(f"{url}: {result.status}, {len(result.items)} new items, {added} added, "
                              f"{len(result.errors)} errors", soft_wrap=True)
                if once:
                    break
                core.close()  # between polls the store's writer lock is free for other runs
                time_.sleep(pause)
    finally:
        watch_state.close()
    if failed:
        raise typer.Exit(2)


def _url_lines(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(f"--urls {path}: cannot read it ({exc})") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _index(paths: list, store_dir: Path, show_progress: bool = True, wait: bool = False, allow_private: bool = False):
    from corroborator.app import Corroborator, Settings
    from corroborator.ingest import estimate_articles, expand_paths
    from corroborator.ingest.fetch import is_url

    entries = [str(p) for p in paths]
    urls = [e for e in entries if is_url(e)]
    files = [p for p in expand_paths([Path(e) for e in entries if not is_url(e)]) if isinstance(p, Path)]
    warc = Path(store_dir) / "pages.warc.gz" if urls and isinstance(store_dir, Path) else None
    with Corroborator(Settings(store=store_dir, wait_for_writer=wait)) as core, Progress(
        TextColumn("[bold]indexing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("articles · {task.fields[added]} added"),
        TimeElapsedColumn(),
        console=err,
        disable=not show_progress or not err.is_terminal,
        transient=True,
    ) as progress:
        # progress by articles: a 3,000-article .jsonl is one file (estimated by its lines)
        task = progress.add_task("index", total=sum(estimate_articles(p) for p in files) + len(urls), added=0)

        def on_progress(result) -> None:
            total = max(progress.tasks[0].total or 0, result.read)
            progress.update(task, completed=result.read, total=total, added=result.added)

        result = core.index(_inputs(entries, allow_private, warc), on_progress=on_progress, on_error=_warn,
                            on_wait=lambda: err.print(f"waiting for the other indexing run on {store_dir} to finish …"))
        result.files = len(files) + len(urls)
        stats, _ = core.stats()
    return result, stats


@app.command()
def index(
    paths: Annotated[Optional[list[str]], typer.Argument(help="files or folders: .txt .md .html .jsonl .csv "
                                                            ".warc(.gz) .rss .atom .xml, or http(s) URLs of news pages")] = None,
    store: StoreOpt = None,
    wait: Annotated[bool, typer.Option("--wait", help="if another run is indexing into the store, wait for it")] = False,
    urls: Annotated[Optional[Path], typer.Option("--urls", help="a file of URLs to fetch, one a line")] = None,
    allow_private_urls: Annotated[bool, typer.Option(help="fetch URLs on loopback and private networks")] = False,
) -> None:
    """Add articles to the store (files, folders, URLs). Exact duplicates are skipped; re-running
    adds nothing. Fetched pages are kept as they came in pages.warc.gz beside an embedded store."""
    from corroborator.ingest.fetch import is_url

    store_dir = _store_path(store)
    entries = list(paths or []) + (_url_lines(urls) if urls else [])
    if not entries:
        raise BadInputError("nothing to index: give files, folders or URLs (or --urls FILE)")
    if not any(is_url(e) or Path(e).expanduser().exists() for e in entries):
        raise BadInputError(f"no such file or folder: {', '.join(map(str, entries))}")
    result, stats = _index(entries, store_dir, wait=wait, allow_private=allow_private_urls)
    rate = result.added / result.seconds if result.seconds else 0.0
    out.print(
        f"read {result.read} articles from {result.files} files: {result.added} added, "
        f"{result.duplicates} duplicates skipped, {len(result.errors)} errors "
        f"({result.sentences} sentences, {result.embedded} embedded, {result.seconds:.1f} s, {rate:.1f} articles/s)"
    )
    out.print(f"store {store_dir}: {stats['articles']} articles, {stats['sentences']} sentences")
    if result.errors:
        raise typer.Exit(2)


def _inputs(entries: list[str], allow_private: bool = False, warc: Path | None = None):
    """Articles (or BadInputErrors) of files, folders and http(s) URLs, in the order given."""
    from corroborator.ingest import read_paths
    from corroborator.ingest.fetch import FetchPolicy, is_url, read_urls

    urls = [e for e in entries if is_url(e)]
    paths = [Path(e).expanduser() for e in entries if not is_url(e)]
    if urls:
        yield from read_urls(urls, FetchPolicy(allow_private=allow_private), warc)
    if paths:
        yield from read_paths(paths)


def _load_articles(paths: list[str], allow_private: bool = False):
    """(articles, errors) of the inputs, each bad one reported in one line; none readable is
    a BadInputError."""
    articles, errors = [], []
    for item in _inputs([str(p) for p in paths], allow_private):
        if isinstance(item, BadInputError):
            errors.append(str(item))
            _warn(str(item))
        else:
            articles.append(item)
    if not articles:
        raise BadInputError("no readable article in the input" + (f" ({len(errors)} error(s) above)" if errors else ""))
    return articles, errors


def _text_options(dest: Path | None) -> dict:
    """A text renderer's width and styles: the terminal's, when the text goes to one."""
    if dest is None and out.is_terminal:
        return {"width": out.width, "styles": True}
    return {"width": 140, "styles": False}


def _write(text: str, dest: Path | None) -> None:
    if dest is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CorroboratorError(f"cannot write {dest}: {exc.strerror or exc}") from None


def _check_out(fmt: Format | ReportFormat, dest: Path | None, many: bool) -> None:
    """Refuse an --out that cannot take the output, before any work is done."""
    if dest is not None:
        target = dest if dest.exists() else next((p for p in dest.parents if p.exists()), Path("."))
        if not os.access(target, os.W_OK) or (target.is_dir() and not os.access(target, os.X_OK)):
            raise UsageError(f"--out {dest}: cannot write there (no permission on {target})")
    if dest is None:
        if fmt.value == "html" and many:
            raise UsageError("several articles with --format html need --out DIR")
        return
    if fmt.value == "html":
        if many and (dest.is_file() or dest.suffix.lower() in (".html", ".htm")):
            raise UsageError(f"--out {dest}: several HTML reports need a folder, not a file")
        if not many and not dest.is_dir() and dest.suffix.lower() not in (".html", ".htm"):
            raise UsageError(f"--out {dest}: give a .html file or an existing folder")
    elif dest.is_dir():
        raise UsageError(f"--out {dest} is a folder; give a file name")


def _unique_path(folder: Path, name: str, used: set[Path]) -> Path:
    target, n = folder / f"{name}.html", 1
    while target in used:
        n += 1
        target = folder / f"{name}-{n}.html"
    used.add(target)
    return target


def _run_check(articles, store_dir: Path, fmt: ReportFormat, dest: Path | None, k: int, verbose: bool = False,
               verifier: str = "auto") -> int:
    """Check each article; returns the number that failed (each reported in one line)."""
    from corroborator.app import Corroborator, Settings
    from corroborator.registry import renderers
    from corroborator.render import terminal

    many = len(articles) > 1
    _check_out(fmt, dest, many)
    render = renderers.get(f"report/{fmt.value}")
    failed = 0
    with Corroborator(Settings(store=store_dir, k=k, verifier=verifier)) as core:
        core.require_archive()
        lines: list[str] = []
        used: set[Path] = set()
        text_console = out if dest is None else Console(record=True, width=140, markup=False, file=open(os.devnull, "w"))
        bar = Progress(TextColumn("[bold]checking {task.fields[name]}: {task.fields[stage]}"), BarColumn(),
                       MofNCompleteColumn(), TimeElapsedColumn(), console=err, transient=True,
                       disable=not err.is_terminal)
        task = bar.add_task("check", total=1, name="", stage="")
        for art in articles:
            def advance(stage: str, done: int, total: int, name: str = _output_name(art)) -> None:
                bar.update(task, completed=done, total=max(total, 1), name=name, stage=_STAGE_WORDS.get(stage, stage))
            try:
                with bar:
                    report = core.check(art, progress=advance)
            except CorroboratorError as exc:
                failed += 1
                _warn(f"{art.source or art.id}: {exc}")
                continue
            if fmt is ReportFormat.html:
                page = render(report)
                if not many and dest is not None and not dest.is_dir():
                    _write(page, dest)
                elif dest is None:
                    _write(page, None)
                else:
                    target = _unique_path(dest, _output_name(art), used)
                    _write(page, target)
                    err.print(f"wrote {target}")
            elif fmt is ReportFormat.text:
                terminal.render(report, text_console, verbose=verbose)
            else:  # json (one object a line) and markdown (documents one after another)
                lines.append(render(report))
        if lines:
            _write(("\n" if fmt is ReportFormat.json else "\n---\n\n").join(lines), dest)
        elif fmt is ReportFormat.text and dest is not None:
            _write(text_console.export_text(), dest)
    return failed


# what the progress bar says of each stage of a check (they count claims)
_STAGE_WORDS = {"claims": "claims and signals", "verification": "verifying claims", "passages": "reading passages",
                "finishing": "finishing the report"}


@app.command()
def check(
    articles: Annotated[list[str], typer.Argument(help="article files, a folder, a .jsonl of articles, or "
                                                     "http(s) URLs of news pages")],
    store: StoreOpt = None,
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="report format")] = ReportFormat.text,
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="output file (or folder for several HTML reports)")] = None,
    k: Annotated[int, typer.Option(min=1, max=50, help="evidence sentences per claim")] = 6,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="text format: show evidence, matrix and all flags")] = False,
    verifier: Annotated[str, typer.Option(help="the verifier by its registered name (auto: the trained model "
                                               "if one ships; onnx, baseline, or a plug-in's)")] = "auto",
    allow_private_urls: Annotated[bool, typer.Option(help="fetch URLs on loopback and private networks "
                                                          "(an intranet; off: only public addresses)")] = False,
) -> None:
    """Check articles against the store: which claims are supported, refuted, or unmatched."""
    loaded, errors = _load_articles(articles, allow_private_urls)
    failed = _run_check(loaded, _store_path(store), format, out_path, k, verbose, verifier)
    if errors or failed:
        raise typer.Exit(2)


@app.command()
def claims(
    articles: Annotated[list[Path], typer.Argument(help="article files, a folder, or a .jsonl of articles or short texts")],
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json (one object per article)")] = Format.text,
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="output file")] = None,
    all_: Annotated[bool, typer.Option("--all", help="also list what the check-worthiness model drops")] = False,
) -> None:
    """The checkable claims of articles (text, span, kind, check-worthiness); needs no store."""
    from corroborator.app import Corroborator, Settings
    from corroborator.registry import renderers

    if format is Format.html:
        raise UsageError("claims come as text or json")
    _check_out(format, out_path, False)
    render = renderers.get(f"claims/{format.value}")  # shared with the web app's /v1/claims
    loaded, errors = _load_articles(articles)
    core = Corroborator(Settings(store=_store_path(None)))  # no store is opened: claims need none
    results, failed = [], 0
    for art in loaded:
        try:
            results.append(core.claims(art, keep_all=all_))
        except BadInputError as exc:
            failed += 1
            _warn(str(exc))
    if format is Format.text:
        _write(render(results, show_all=all_, threshold=core.checkworthiness.threshold, **_text_options(out_path)),
               out_path)
    elif results:
        _write(render(results), out_path)
    if errors or failed:
        raise typer.Exit(2)


@app.command()
def signals(
    articles: Annotated[list[Path], typer.Argument(help="article files, a folder, or a .jsonl of articles")],
    format: Annotated[Format, typer.Option("--format", "-f", help="output format")] = Format.text,
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="output file (or folder for several HTML pages)")] = None,
) -> None:
    """Sourcing, hedging and loaded-language signals of articles, with spans; needs no store."""
    from corroborator.app import Corroborator, Settings
    from corroborator.registry import renderers

    loaded, errors = _load_articles(articles)
    many = len(loaded) > 1
    _check_out(format, out_path, many)
    render = renderers.get(f"signals/{format.value}")  # shared with any other front door
    pieces: list[str] = []
    used: set[Path] = set()
    failed = 0
    core = Corroborator(Settings(store=_store_path(None)))  # no store is opened: signals need none
    for art in loaded:
        try:
            result = core.signals(art)
        except BadInputError as exc:
            failed += 1
            _warn(str(exc))
            continue
        if format is Format.html and out_path is not None and out_path.is_dir():
            target = _unique_path(out_path, _output_name(art), used)
            _write(render(result), target)
            err.print(f"wrote {target}")
        elif format is Format.html:
            _write(render(result), out_path)
        else:
            pieces.append(render(result))
    if pieces:
        _write(("\n" if format is Format.json else "").join(pieces), out_path)
    if errors or failed:
        raise typer.Exit(2)


def _demo_dir() -> Path:
    return Path(str(resources.files("corroborator") / "demo"))


@app.command()
def demo(
    store: Annotated[
        Optional[Path], typer.Option("--store", help="demo store folder (default: ~/.local/share/corroborator-demo)")
    ] = None,
    html_out: Annotated[Path, typer.Option("--html", help="where to write the HTML report")] = Path("corroborator-demo.html"),
) -> None:
    """Index the shipped demo corpus (fictional, written for this project) and check the demo article."""
    if html_out.is_dir():
        raise UsageError(f"--html {html_out} is a folder; give a file name")
    demo_dir = _demo_dir()
    base = default_store()
    store_dir = _store_path(store or str((base if isinstance(base, Path) else user_store_dir()).parent / "corroborator-demo"))
    result, stats = _index([demo_dir / "corpus"], store_dir)
    out.print(
        f"demo corpus: {result.added} added, {result.duplicates} duplicates skipped; store {store_dir} holds {stats['articles']} articles"
    )
    check_article = sorted((demo_dir / "check").glob("check-001*.md"))
    loaded, _ = _load_articles(check_article)
    _run_check(loaded, store_dir, ReportFormat.text, None, 6)
    _run_check(loaded, store_dir, ReportFormat.html, html_out, 6)
    out.print(f"HTML report: {html_out.resolve()}")


@app.command()
def stats(
    store: StoreOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="text or json")] = Format.text,
) -> None:
    """What the store holds."""
    from corroborator.app import Corroborator, Settings
    from corroborator.registry import renderers

    if format is Format.html:
        raise UsageError("stats come as text or json")
    render = renderers.get(f"stats/{format.value}")
    with Corroborator(Settings(store=_store_path(store))) as core:
        _write(render(core.stats(), **_text_options(None)), None)


@app.command()
def copy(
    dest: Annotated[str, typer.Argument(help="the store to copy into: a folder or an address such as "
                                             "postgresql://user@host/db (created when new)")],
    store: StoreOpt = None,
) -> None:
    """Copy the archive (--store) into another store, vectors included (nothing is re-embedded);
    a re-run skips what DEST holds."""
    from corroborator.app import Corroborator, Settings

    source = _store_path(store)
    with Corroborator(Settings(store=source)) as core:
        result = core.copy_to(dest, on_progress=lambda r: err.print(
            f"copying: {r.read:,} read, {r.added:,} added, {r.skipped:,} already there "
            "(then the vector index is built)", end="\r") if err.is_terminal else None)
    if err.is_terminal:
        err.print()
    out.print(f"{result.read:,} articles read from {source}: {result.added:,} added, {result.skipped:,} already there "
              f"({result.seconds:.1f} s; {result.index_seconds:.1f} s of it building the vector index)")


@app.command()
def timeline(
    store: StoreOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="output format")] = Format.text,
    out_path: Annotated[Optional[Path], typer.Option("--out", "-o", help="output file")] = None,
) -> None:
    """Events across the store in date order: outlets, independent origins, shared names and claim counts."""
    from corroborator.app import Corroborator, Settings
    from corroborator.registry import renderers

    if out_path is not None and out_path.is_dir():
        raise UsageError(f"--out {out_path} is a folder; give a file name")
    render = renderers.get(f"timeline/{format.value}")  # the web app's timeline page and /v1/timeline too
    with Corroborator(Settings(store=_store_path(store))) as core:
        _write(render(core.timeline(), **(_text_options(out_path) if format is Format.text else {})), out_path)


eval_app = typer.Typer(no_args_is_help=True, help="Evaluate the verifier on labelled data.")
app.add_typer(eval_app, name="eval")


@eval_app.command("pairs")
def eval_pairs(
    file: Annotated[Path, typer.Argument(help='JSON Lines: {"id","claim","evidence": str | [str],"label"}')],
    as_json: Annotated[bool, typer.Option("--json", help="print one JSON object")] = False,
    labels: Annotated[int, typer.Option("--labels", min=2, max=3, help="3: all labels; 2: SUPPORTED vs REFUTED only")] = 3,
    checks: Annotated[bool, typer.Option("--checks", help="also apply the quantity/date/name checks, as `check` does")] = False,
    verifier: Annotated[str, typer.Option(help="the verifier by its registered name (as for check)")] = "auto",
) -> None:
    """Accuracy, macro-F1, per-label P/R/F1, confusion matrix, ECE and pairs/s of a verifier."""
    from corroborator.evaluate import evaluate, read_pairs
    from corroborator.registry import renderers, verifiers
    from corroborator.runtime.embedder import default_embedder

    make = verifiers.get(verifier)  # an unknown name fails before the file is read
    render = renderers.get("eval/json" if as_json else "eval/text")
    pairs = read_pairs(file)
    result = evaluate(pairs, make(None), default_embedder(), labels=labels, checks=checks)
    _write(render(result, file=str(file), **({} if as_json else _text_options(None))), None)


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="address to listen on (loopback unless you mean otherwise)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=0, max=32, help="check worker processes (each holds the models, "
                                                            "~1 GiB); 0 runs checks in the server process")] = 1,
    max_upload_mb: Annotated[float, typer.Option(min=0.01, max=4096, help="largest request body")] = 5.0,
    rate: Annotated[int, typer.Option(min=1, help="requests a minute per token")] = 600,
    check_timeout: Annotated[float, typer.Option(min=1, help="seconds a check may run before it is stopped")] = 600,
    allow_private_callbacks: Annotated[bool, typer.Option(help="let webhooks (callback_url) go to loopback and "
                                                               "private-network addresses")] = False,
    instance_stale: Annotated[float, typer.Option(min=1, help="PostgreSQL archives: seconds without a heartbeat "
                                                              "before another server takes over a server's jobs")] = 30,
    allow_private_urls: Annotated[bool, typer.Option(help="fetch submitted article URLs and watched feeds on "
                                                          "loopback and private networks (off: public addresses "
                                                          "only)")] = False,
    feed_every: Annotated[str, typer.Option(help="time between polls of each watched feed (the Feeds page): "
                                                 "15m, 2h, ... (at least 60 s)")] = "15m",
) -> None:
    """The REST API and web app for a team (needs tokens: `corroborator token create`)."""
    from corroborator.ingest.watch import parse_every
    from corroborator.interfaces.web.app import ServeConfig, run_server

    every = parse_every(feed_every)
    address = str(_store_path(store))
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: listening on {host}: reachable from other machines; put it behind TLS", soft_wrap=True)
    run_server(ServeConfig(store=address, workers=workers, max_body=int(max_upload_mb * 1024 * 1024),
                           rate_per_minute=rate, check_timeout=check_timeout,
                           allow_private_callbacks=allow_private_callbacks, instance_stale=instance_stale,
                           allow_private_urls=allow_private_urls, feed_every=every),
               host, port)


batch_app = typer.Typer(help="Index or check many articles on a Ray cluster (pip install 'corroborator[cluster]').",
                        no_args_is_help=True)
app.add_typer(batch_app, name="batch")
RayOpt = Annotated[Optional[str], typer.Option("--ray", help="cluster address, or 'auto' for the one this machine "
                                                             "is in (default: a local cluster)")]
WorkersOpt = Annotated[Optional[int], typer.Option(min=1, max=1024, help="actors (default: the cluster's CPUs)")]


def _batch_progress(label: str):
    def show(result) -> None:
        err.print(f"{label}: {result.read:,} read, {result.done:,} done, {result.skipped:,} skipped, "
                  f"{len(result.errors):,} errors", soft_wrap=True, end="\r")

    return show


@batch_app.command("index")
def batch_index(
    sources: Annotated[list[Path], typer.Argument(help="files or folders of articles")],
    store: StoreOpt = None,
    ray_address: RayOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Index on a cluster: actors segment and embed, this process stores (re-runs skip what is stored)."""
    from corroborator.ingest import read_paths
    from corroborator.interfaces.batch import batch_index as run_batch
    from corroborator.interfaces.batch import connect

    connect(ray_address)
    result = run_batch(read_paths(sources), str(_store_path(store)), workers, _batch_progress("indexing"))
    err.print()
    for message in result.errors:
        _warn(message)
    out.print(f"{result.read:,} read, {result.done:,} added, {result.skipped:,} already stored, "
              f"{len(result.errors):,} errors")
    if result.errors:
        raise typer.Exit(2)


@batch_app.command("check")
def batch_check(
    articles: Annotated[list[Path], typer.Argument(help="article files, folders or .jsonl")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="JSON Lines of reports (appended; ids in it are skipped)")],
    store: StoreOpt = None,
    ray_address: RayOpt = None,
    workers: WorkersOpt = None,
) -> None:
    """Check on a cluster: one report a line in --out, in the order they finish."""
    from corroborator.ingest import read_paths
    from corroborator.interfaces.batch import batch_check as run_batch
    from corroborator.interfaces.batch import connect

    if out_path.is_dir():
        raise BadInputError(f"--out {out_path} is a folder; give a .jsonl file")
    connect(ray_address)
    result = run_batch(read_paths(articles), str(_store_path(store)), out_path, workers, _batch_progress("checking"))
    err.print()
    for message in result.errors:
        _warn(message)
    out.print(f"{result.read:,} read, {result.done:,} checked, {result.skipped:,} already in {out_path}, "
              f"{len(result.errors):,} errors")
    if result.errors:
        raise typer.Exit(2)


token_app = typer.Typer(help="Access tokens for `corroborator serve` (stored hashed beside the archive).",
                        no_args_is_help=True)
app.add_typer(token_app, name="token")


def _service_db(store):
    from corroborator.interfaces.web.app import service_db_address
    from corroborator.service.db import ServiceDB

    return ServiceDB(service_db_address(str(_store_path(store))))


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="reader (read reports and the archive), checker (also check "
                                           "articles), admin (also add to the archive)")] = "checker",
    name: Annotated[Optional[str], typer.Option(help="who or what it is for")] = None,
    store: StoreOpt = None,
) -> None:
    """Make a token; it is printed once and only its hash is kept."""
    from corroborator.service.db import ROLES

    if role not in ROLES:
        raise BadInputError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
    token, secret = _service_db(store).create_token(role, name)
    err.print(f"token {token.id} ({role}{', ' + name if name else ''}); keep it, it is not shown again:")
    out.print(secret)


@token_app.command("list")
def token_list(store: StoreOpt = None) -> None:
    """The tokens (ids, roles, names; never the secrets)."""
    import time as time_

    for token, created, revoked in _service_db(store).tokens():
        when = time_.strftime("%Y-%m-%d", time_.gmtime(created))
        out.print(f"{token.id}  {token.role:8}  {token.name or '-'}  created {when}"
                  + ("  REVOKED" if revoked else ""))


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="the token's id (token list)")], store: StoreOpt = None) -> None:
    """Revoke a token (its sessions end)."""
    if not _service_db(store).revoke_token(token_id):
        raise BadInputError(f"no active token {token_id}")
    out.print(f"revoked {token_id}")


@token_app.command("webhook-secret")
def token_webhook_secret(store: StoreOpt = None) -> None:
    """The secret that signs this server's webhooks (X-Corroborator-Signature: HMAC-SHA256); give
    it to the receivers."""
    out.print(_service_db(store).secret("webhook"))


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"corroborator {__version__}")


def _print_version(value: bool) -> None:
    if value:
        out.print(f"corroborator {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version_: Annotated[bool, typer.Option("--version", "-V", callback=_print_version, is_eager=True,
                                           help="print the version and exit")] = False,
) -> None:
    """Check news articles against your own news archive, offline."""


class _WarningLine(logging.Handler):
    """Library warnings (a file read in a detected encoding) as one "warning: ..." line each."""

    def emit(self, record: logging.LogRecord) -> None:
        err.print(Text("warning: ", style="yellow") + Text(record.getMessage()), soft_wrap=True)


def run(args: list[str] | None = None) -> int:
    """Run one command line and return its exit status (0 ok, 1 installation or internal
    error, 2 usage or bad input, 130 interrupted); errors are one line on stderr. ``main`` exits
    with it; tests call it in-process (models stay loaded between calls)."""
    debug = os.environ.get("CORROBORATOR_DEBUG") == "1"
    log = logging.getLogger("corroborator")
    if not any(isinstance(h, _WarningLine) for h in log.handlers):
        log.addHandler(_WarningLine())
    log.propagate = False
    try:
        app(args=args, prog_name="corroborator")  # typer handles usage errors itself (message, exit 2)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except CorroboratorError as exc:  # its kind says the exit status (errors.Fault)
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return fault_of(exc).exit_code
    except KeyboardInterrupt:
        err.print("interrupted; the store keeps what was stored before")
        return 130
    except BrokenPipeError:
        # the reader went away (| head): stop quietly, and keep Python from complaining about
        # the unflushed stdout at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # last resort: one line, never a traceback unless asked
        if debug:
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (set CORROBORATOR_DEBUG=1 for details)",
            markup=False, highlight=False, soft_wrap=True,
        )
        return 1
    return 0


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
