"""The timeline view: events across the corpus in date order (`corroborator timeline`)."""

from __future__ import annotations

import json
from html import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..types import Event
from .html import page_head


def to_json(events: list[Event], undated: int) -> str:
    return json.dumps({"events": [e.model_dump(mode="json") for e in events], "undated_articles": undated}, indent=2)


def render_text(events: list[Event], undated: int, console: Console) -> None:
    table = Table(title=f"{len(events)} events" + (f" ({undated} undated articles not placed)" if undated else ""))
    table.add_column("#", no_wrap=True)
    table.add_column("dates", no_wrap=True)  # ISO dates must stay whole, one per line
    table.add_column("event", ratio=3)
    table.add_column("names", ratio=2)
    for col in ("articles", "origins", "claims"):
        table.add_column(col, justify="right", no_wrap=True)
    table.add_column("outlets", ratio=2)
    for e in events:
        dates = e.first.isoformat() + ("" if e.last == e.first else f"\n– {e.last.isoformat()}")
        table.add_row(e.id, dates, Text(e.title), Text(", ".join(e.names[:4])), str(len(e.articles)), str(len(e.origins)),
                      str(e.claims), Text(", ".join(e.outlets)))
    table.caption = "origins: independent origins (wire copies count once); claims: distinct checkable statements"
    console.print(table)


def render_html(events: list[Event], undated: int) -> str:
    rows = "".join(
        f"<tr><td>{escape(e.id)}</td><td>{escape(e.first.isoformat())}"
        f"{'' if e.last == e.first else ' – ' + escape(e.last.isoformat())}</td><td>{escape(e.title)}</td>"
        f"<td>{escape(', '.join(e.names))}</td>"
        f"<td>{len(e.articles)}</td><td title=\"{escape(', '.join(e.origins))}\">{len(e.origins)}</td>"
        f"<td>{escape(', '.join(e.outlets))}</td><td title=\"{e.sentences} stored sentences\">{e.claims}</td></tr>"
        for e in events
    )
    note = f"<p>{undated} undated articles could not be placed.</p>" if undated else ""
    note += ("<p>Claims: distinct checkable statements reported about the event (a sentence"
             " repeated by wire copies counts once).</p>")
    css = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
           "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top}")
    return (
        page_head("corroborator timeline", css)
        + f"<h1>Timeline: {len(events)} events</h1>{note}<table><tr><th>#</th><th>dates</th><th>event</th>"
        "<th>names</th><th>articles</th><th>independent origins</th><th>outlets</th><th>claims</th></tr>"
        f"{rows}</table></body></html>"
    )
