"""Renderers of what is not a report: an article's claims, the archive's statistics and
timeline, a verifier evaluation. Registered as "<kind>/<format>" in
``corroborator.registry.renderers`` (render/__init__.py) and looked up there by the command line
and the web app, as a plug-in's renderer would be. Text renderers return text (a rich table
recorded at ``width`` columns; with ``styles`` its dim and colours as terminal escapes, which the
command line asks for when it prints to a terminal); JSON renderers return the results' own
``to_json_dict``. Every renderer takes keyword options it may ignore (``**options``)."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text


def recorded(draw: Callable[[Console], None], width: int = 140, styles: bool = False) -> str:
    """What ``draw`` prints, as text (markup off: article text is never markup); ``styles``
    keeps its styles as terminal escapes."""
    with open(os.devnull, "w") as sink:
        console = Console(record=True, width=width, markup=False, file=sink, force_terminal=styles,
                          color_system="standard" if styles else None)
        draw(console)
        return console.export_text(styles=styles)


def claims_json(results: Sequence, **options) -> str:
    """corroborator.claims/1, one line per article (JSON Lines across articles)."""
    return "\n".join(json.dumps(r.to_json_dict()) for r in results)


def claims_text(results: Sequence, show_all: bool = False, threshold: float | None = None, width: int = 140,
                styles: bool = False, **options) -> str:
    """One table: a row per claim, the article named in its first row (a .jsonl of sentences
    reads as a list); claims under the check-worthiness bar (``threshold``, else the results')
    dimmed when ``show_all``."""
    from corroborator.domain import source_name

    if threshold is None:
        threshold = results[0].threshold if results else 0.5
    table = Table(title=Text(f"check-worthiness score; checked at {threshold:.2f} and above"
                             + (" (dimmed rows are not)" if show_all else "")))
    table.add_column("article", max_width=18, overflow="fold")
    table.add_column("#", width=4)
    table.add_column("claim", ratio=1)
    table.add_column("kind", width=10)
    table.add_column("score", width=5)
    for result in results:
        art = result.article
        name = art.title or source_name(art.source) or art.id
        if not result.claims:
            table.add_row(Text(name), "-", Text("no checkable claim", style="dim"), "", "")
        for n, c in enumerate(result.claims):
            score = c.checkworthiness or 0.0
            style = "" if score >= result.threshold else "dim"
            table.add_row(Text(name if n == 0 else ""), c.id, Text(c.text, style=style), c.kind.value,
                          Text(f"{score:.2f}", style=style))
    return recorded(lambda console: console.print(table), width, styles)


STATS_ROWS = ("articles", "sentences", "distinct_sentence_vectors", "outlets", "origins", "undated_articles",
              "first_published", "last_published", "embedder")


def stats_text(stats, width: int = 140, styles: bool = False, **options) -> str:
    info, outlets = stats
    table = Table(title=f"store {info['path']}", show_header=False)
    for key in STATS_ROWS:
        table.add_row(key, str(info.get(key)))
    table.add_row("size", f"{info['size_bytes'] / 2**20:.1f} MiB")
    table.add_row("top outlets", ", ".join(f"{o} ({n})" for o, n in outlets))
    return recorded(lambda console: console.print(table), width, styles)


def stats_json(stats, **options) -> str:
    return json.dumps(stats.to_json_dict(), indent=2)


def timeline_json(found, **options) -> str:
    return json.dumps(found.to_json_dict(), indent=2)


def timeline_text(found, width: int = 140, styles: bool = False, **options) -> str:
    from corroborator.render.timeline import render_text

    return recorded(lambda console: render_text(found.events, found.undated, console), width, styles)


def timeline_html(found, header: str = "", **options) -> str:
    from corroborator.render.timeline import render_html

    return render_html(found.events, found.undated, header=header)


def eval_json(result: dict, file: str = "", **options) -> str:
    return json.dumps(result)


def eval_text(result: dict, file: str = "", width: int = 140, styles: bool = False, **options) -> str:
    """The headline numbers, per-label precision/recall/F1 and the confusion matrix."""
    def draw(console: Console) -> None:
        console.print(f"{file}: {result['n']} pairs, {result['labels']} labels, verifier "
                      f"{result['verifier']['name']} {result['verifier']['version']}"
                      + (" + checks" if result.get("checks") else ""))
        console.print(f"accuracy {result['accuracy']:.4f}  macro-F1 {result['macro_f1']:.4f}  ECE {result['ece']:.4f}  "
                      f"{result['pairs_per_s']} pairs/s")
        table = Table("label", "precision", "recall", "F1", "support")
        for name, m in result["per_label"].items():
            table.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["support"]))
        console.print(table)
        names = result["confusion"]["rows_gold_cols_pred"]
        confusion = Table("gold \\ predicted", *names)
        for name, row in zip(names, result["confusion"]["matrix"]):
            confusion.add_row(name, *map(str, row))
        console.print(confusion)

    return recorded(draw, width, styles)


BUILT_IN = {
    "claims/json": claims_json, "claims/text": claims_text,
    "stats/json": stats_json, "stats/text": stats_text,
    "timeline/json": timeline_json, "timeline/text": timeline_text, "timeline/html": timeline_html,
    "eval/json": eval_json, "eval/text": eval_text,
}
