"""Report renderers: JSON (the contract), terminal (rich), self-contained HTML and Markdown,
registered by name ("report/<format>") in ``corroborator.registry.renderers``: the command line
and any other front door look them up there, as a plug-in's renderer would be."""

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
    import os

    from rich.console import Console

    from corroborator.render import terminal

    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=width, markup=False, file=sink)
        terminal.render(report, console, verbose=verbose)
        return console.export_text()


def _register() -> None:
    from corroborator.registry import renderers

    renderers.register("report/json", lambda report, indent=None: to_json(report, indent=indent))
    renderers.register("report/html", _html)
    renderers.register("report/markdown", _markdown)
    renderers.register("report/text", _text)


_register()
