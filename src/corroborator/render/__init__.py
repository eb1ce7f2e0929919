"""Renderers keyed by kind and format in ``corroborator.registry.renderers``: reports
("report/<format>": JSON (the contract), terminal (rich), self-contained HTML, Markdown), an
article's signals ("signals/<format>": json, html, text; the input is app.SignalsResult), and in
render/views.py an article's claims, the archive's stats and timeline and a verifier
evaluation ("claims/…", "stats/…", "timeline/…", "eval/…"). The command line and the web app
look them up there, as a plug-in's renderer would be; registering a name again replaces it."""

from __future__ import annotations

import json

from corroborator.domain import Report


def to_json(report: Report, indent: int | None = 2) -> str:
    return json.dumps(report.to_json_dict(), indent=indent, ensure_ascii=False)


def _html(report: Report, header: str = "") -> str:
    from corroborator.render.html import render

    return render(report, header=header)


def _markdown(report: Report) -> str:
    from corroborator.render.markdown import render

    return render(report)


def _text(report: Report, verbose: bool = False, width: int = 140) -> str:
    from corroborator.render import terminal
    from corroborator.render.views import recorded

    return recorded(lambda console: terminal.render(report, console, verbose=verbose), width)


def _signals_json(result) -> str:
    """corroborator.signals/1, one line per article (JSON Lines across articles)."""
    return json.dumps(result.to_json_dict(), indent=None)


def _signals_html(result) -> str:
    from html import escape

    from corroborator.render.html import page_head, signals_article_html, signals_html

    art, found = result.article, result.signals
    title = escape(art.title or art.id)
    return (page_head(f"signals: {title}", "body{font-family:sans-serif;max-width:1000px;margin:2em auto}"
                      ".article{white-space:pre-wrap;border-left:3px solid #ccc;padding-left:1em}")
            + f"<h1>{title}</h1>{signals_article_html(art.text, found)}{signals_html(art.text, found)}</body></html>")


def _signals_text(result, width: int = 140) -> str:
    """One table per article: a row per flag, the claims sharing its sentence listed together."""
    from rich.table import Table
    from rich.text import Text

    from corroborator.render.views import recorded
    from corroborator.signals.family import count

    art, found = result.article, result.signals
    table = Table("claim", "type", "subtype", "text", "why", title=Text(f"{art.title or art.id}: {count(found)}"))
    rows: dict[tuple, list[str]] = {}
    for sig in found:
        if sig.subtype != "none":
            rows.setdefault((sig.type, sig.subtype, sig.span, sig.text, sig.explanation), []).append(sig.claim_id or "-")
    for (kind, subtype, _, flagged, why), ids in rows.items():
        table.add_row(", ".join(dict.fromkeys(ids)), kind, subtype, Text(flagged), why)
    return recorded(lambda console: console.print(table), width)


def _register() -> None:
    from corroborator.registry import renderers

    renderers.register("report/json", lambda report, indent=None: to_json(report, indent=indent))
    renderers.register("report/html", _html)
    renderers.register("report/markdown", _markdown)
    renderers.register("report/text", _text)
    renderers.register("signals/json", _signals_json)
    renderers.register("signals/html", _signals_html)
    renderers.register("signals/text", _signals_text)
    from corroborator.render.views import BUILT_IN

    for name, render in BUILT_IN.items():
        renderers.register(name, render)


_register()
