"""The timeline view: events across the corpus in date order (`corroborator timeline`)."""

from __future__ import annotations

from html import escape

from rich.console import Console
from rich.table import Table
from rich.text import Text

from corroborator.domain import Event
from corroborator.render.html import page_head


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


def timeline_svg(events: list[Event], width: int = 1000, row: int = 18, limit: int = 200) -> str:
    """The events as a self-contained SVG chart: one row per event, a bar from its first to
    its last report, a dot sized by its independent origins, the event id at the left; hovering
    shows the title. The time axis is marked in years, or months for a span under two years."""
    shown = sorted(events, key=lambda e: (e.first, e.id))[:limit]
    if not shown:
        return ""
    start = min(e.first for e in shown).toordinal()
    end = max(e.last for e in shown).toordinal()
    span = max(end - start, 1)
    left, right, top = 70, 20, 24
    height = top + row * len(shown) + 10

    def x(day: int) -> float:
        return left + (day - start) / span * (width - left - right)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 {width} {height}" '
             f'aria-label="Timeline chart of {len(shown)} events" style="max-width:{width}px;font:11px sans-serif">']
    first, last = min(e.first for e in shown), max(e.last for e in shown)
    months = span < 730
    tick = first.replace(day=1) if months else first.replace(month=1, day=1)
    while tick <= last:
        if tick.toordinal() >= start:
            tx = x(tick.toordinal())
            parts.append(f'<line x1="{tx:.1f}" y1="{top - 6}" x2="{tx:.1f}" y2="{height - 10}" stroke="#e5e5e5"/>'
                         f'<text x="{tx + 2:.1f}" y="{top - 10}" fill="#666">'
                         f'{escape(tick.strftime("%b %Y") if months else str(tick.year))}</text>')
        tick = (tick.replace(year=tick.year + (tick.month == 12), month=tick.month % 12 + 1) if months
                else tick.replace(year=tick.year + 1))
    for n, e in enumerate(shown):
        y = top + n * row + row / 2
        x0, x1 = x(e.first.toordinal()), x(e.last.toordinal())
        r = min(3 + len(e.origins), 9)
        tip = escape(f"{e.id}: {e.title} ({e.first.isoformat()}"
                     f"{'' if e.last == e.first else ' to ' + e.last.isoformat()}; {len(e.articles)} articles, "
                     f"{len(e.origins)} independent origins)")
        parts.append(f'<g><title>{tip}</title><text x="4" y="{y + 4:.1f}" fill="#333">{escape(e.id)}</text>'
                     f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{max(x1, x0 + 1):.1f}" y2="{y:.1f}" stroke="#4a78a8" '
                     f'stroke-width="4" stroke-linecap="round"/>'
                     f'<circle cx="{x0:.1f}" cy="{y:.1f}" r="{r}" fill="#4a78a8" fill-opacity="0.6"/></g>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(events: list[Event], undated: int, header: str = "") -> str:
    """The timeline page; ``header`` as in render.html.render."""
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
        page_head("corroborator timeline", css) + header
        + f"<h1>Timeline: {len(events)} events</h1>{note}"
        + (f"<figure>{timeline_svg(events)}<figcaption>Each row an event: a bar from its first to its last report, "
           "the dot larger with more independent origins (hover for the title).</figcaption></figure>" if events else "")
        + "<table><tr><th>#</th><th>dates</th><th>event</th>"
        "<th>names</th><th>articles</th><th>independent origins</th><th>outlets</th><th>claims</th></tr>"
        f"{rows}</table></body></html>"
    )
