"""Self-contained HTML report: the article with claims highlighted by verdict, and
evidence cards. Every piece of article or evidence text goes through html.escape; the
page loads nothing from the network."""

from __future__ import annotations

import re
from html import escape

from ..types import ClaimResult, Difference, Report, Verdict

_COLOURS = {
    Verdict.SUPPORTED: "#d4f4dd",
    Verdict.REFUTED: "#f9d0d0",
    Verdict.CONFLICTING: "#fbeec1",
    Verdict.NOT_ENOUGH_INFO: "#e6e6e6",
}

_CSS = """
body{font-family:Georgia,serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}
h1{font-size:1.6em;margin-bottom:.2em} .meta{color:#555;font-size:.95em;overflow-wrap:anywhere}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:.6em 1em;margin:1em 0;font-family:sans-serif;font-size:.9em}
.summary span{display:inline-block;margin-right:1em;padding:.1em .6em;border-radius:4px;font-family:sans-serif;font-size:.9em}
.article{white-space:pre-wrap;border-left:3px solid #ccc;padding-left:1em;margin:1.5em 0}
mark{padding:0 .1em;border-radius:3px} mark a{color:inherit;text-decoration:none}
.claim{border:1px solid #ddd;border-radius:6px;padding:.8em 1em;margin:1em 0;font-family:sans-serif;font-size:.92em}
.claim h3{margin:.1em 0 .4em;font-size:1em} .verdict{font-weight:bold;padding:.1em .5em;border-radius:3px}
.why{color:#555;margin:.2em 0 .6em} .card{border-top:1px solid #eee;padding:.4em 0}
.legend span{display:inline-block;margin:.1em .4em .1em 0;padding:0 .4em;border-radius:3px;font-size:.85em}
.matrix-wrap{overflow-x:auto;max-width:100%} .matrix{border-collapse:collapse;font-family:sans-serif;font-size:.85em} .matrix td,.matrix th{border:1px solid #ccc;padding:.2em .5em;text-align:center}
.card .src{color:#245;font-weight:bold} .mismatch{color:#8a1f5c;font-size:.9em} .stance{font-family:monospace;margin-right:.5em} .event{color:#666;font-size:.85em;cursor:help}
.legend span{margin-right:1em}
.coverage{font-family:sans-serif;font-size:1.05em;border:1px solid #c9d6e3;background:#f1f6fb;border-radius:6px;padding:.6em 1em;margin:1em 0}
.coverage .pct{font-size:1.3em;font-weight:bold} .coverage .note{color:#333;margin-top:.3em} .coverage .versions{color:#555;font-size:.9em}
.record{border-top:1px dashed #bbb;margin:.5em 0 .4em;padding-top:.4em} .record h4{margin:.1em 0 .3em;font-size:.95em}
.record .status{font-weight:bold;padding:0 .4em;border-radius:3px} .record .status.matches{background:#d4f4dd}
.record .status.altered{background:#f9d0d0} .record .status.added{background:#fbeec1}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:.8em;margin:.3em 0}
.sbs>div{border:1px solid #e2e2e2;border-radius:4px;padding:.4em .6em;background:#fcfcfc;overflow-wrap:anywhere}
.sbs .side{display:block;color:#555;font-size:.85em;margin-bottom:.2em}
.diffs{margin:.2em 0;padding-left:1.2em;color:#8a1f5c} .diff-number,.diff-date,.diff-name,.diff-context{background:#ffd27a}
.diff-negation,.diff-contradiction{background:#f7b3b3} .version{color:#6a4c00;background:#fff3cd;border-radius:3px;padding:0 .3em;font-size:.85em}
@media (max-width:600px){body{margin:1em auto}.sbs{grid-template-columns:1fr}}
"""


def _link(url: str | None, label: str) -> str:
    """An <a> for http(s) URLs only; any other scheme (javascript:, data:) stays plain text."""
    if url and url.lower().startswith(("http://", "https://")):
        return f'<a href="{escape(url)}" rel="noreferrer noopener">{label}</a>'
    return label


def _context_html(context: str, sentence: str) -> str:
    """The evidence sentence in bold inside its (escaped) neighbours."""
    ctx, sent = escape(context or sentence), escape(sentence)
    return ctx.replace(sent, f"<strong>{sent}</strong>", 1) if sent in ctx else f"<strong>{sent}</strong>"


def _mark_article(report: Report) -> str:
    text = report.article_text
    spans = sorted(((c.span[0], c.span[1], c) for c in report.claims), key=lambda s: s[0])
    out: list[str] = []
    pos = 0
    for start, end, c in spans:
        if start < pos:  # overlapping spans: keep the first
            continue
        out.append(escape(text[pos:start]))
        out.append(
            f'<mark style="background:{_COLOURS[c.verdict]}" title="{escape(c.verdict.value)}">'
            f'<a href="#{escape(c.id)}">{escape(text[start:end])}</a></mark>'
        )
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


# Differences whose two sides are whole sentences (nothing narrower to mark): explained only.
_WHOLE_SENTENCE = {"negation", "contradiction"}
_ISO_SUFFIX = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)$")


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    """Case-insensitive occurrences of ``needle`` in ``text``, not inside a longer word or
    number ("3" does not match in "2023"). A date difference ("March 14 (2025-03-14)") is
    looked for without its ISO form when that is not in the text."""
    for probe in dict.fromkeys((needle.strip(), _ISO_SUFFIX.sub("", needle).strip())):
        if not probe:
            continue
        pattern = ("(?<!\\w)" if probe[0].isalnum() else "") + re.escape(probe) + ("(?!\\w)" if probe[-1].isalnum() else "")
        found = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        if found:
            return found
    return []


def _marked(text: str, needles: list[tuple[str, str]]) -> str:
    """``text`` escaped, with every occurrence of each (needle, kind) wrapped in
    <mark class="diff-kind">; overlapping occurrences keep the first."""
    spans = sorted((start, end, kind) for needle, kind in needles for start, end in _occurrences(text, needle))
    out, pos = [], 0
    for start, end, kind in spans:
        if start < pos:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="diff-{escape(kind)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _markable(d: Difference, side: str, sentence: str) -> bool:
    part = (d.claim if side == "claim" else d.record).strip()
    return bool(part) and d.kind not in _WHOLE_SENTENCE and part.casefold() != sentence.strip().casefold()


def record_html(c: ClaimResult) -> str:
    """The claim "against the record": side by side with its counterpart in the archive's
    reporting of the story, differences marked and explained; or the line saying it was added.
    Empty when the archive does not cover the story (no record)."""
    r = c.record
    if r is None:
        return ""
    parts = ['<div class="record"><h4>Against the record: '
             f'<span class="status {escape(r.status)}">{escape(r.status)}</span></h4>']
    if r.status == "added":
        parts.append(f"<div>Added: the record does not say this{' — ' + escape(r.note) if r.note else ''}</div>")
        if r.sentence:
            where = escape(r.cited_as or r.outlet or r.article_id or "archive") + ", " + escape(str(r.published or "undated"))
            parts.append(f'<div class="why">Closest in the record ({where}): {escape(r.sentence)}</div>')
        parts.append("</div>")
        return "".join(parts)
    if r.sentence is None:
        if r.note:
            parts.append(f'<div class="why">{escape(r.note)}</div>')
        parts.append("</div>")
        return "".join(parts)
    left = _marked(c.text, [(d.claim, d.kind) for d in r.differences if _markable(d, "claim", c.text)])
    right = _marked(r.sentence, [(d.record, d.kind) for d in r.differences if _markable(d, "record", r.sentence)])
    where = escape(r.cited_as or r.outlet or r.article_id or "archive") + ", " + escape(str(r.published or "undated"))
    if r.version:
        where += ', <span class="version">stored version of this article</span>'
    parts.append(
        '<div class="sbs">'
        f'<div><span class="side">This article</span>{left}</div>'
        f'<div><span class="side">The record ({where})</span>{right}</div>'
        "</div>"
    )
    if r.differences:
        parts.append('<ul class="diffs">')
        parts.extend(f"<li>{escape(d.kind)}: {escape(d.explanation)}</li>" for d in r.differences)
        parts.append("</ul>")
    else:
        extra = f" (cosine {r.similarity:.2f})" if r.similarity is not None else ""
        parts.append(f'<div class="why">{escape(r.note or "restated by the record")}{extra}</div>')
    parts.append("</div>")
    return "".join(parts)


def coverage_html(report: Report) -> str:
    """The summary's line on what the archive could say: coverage, the caveat, versions."""
    s = report.summary
    parts = [
        '<div class="coverage"><div>Archive coverage: <span class="pct">'
        f"{s.coverage:.0%}</span> of claims have a same-story counterpart"
        + ("" if s.covered else "; the story is not covered, so the archive's factors do not count toward the risk")
        + "</div>"
    ]
    if s.note:
        parts.append(f'<div class="note">{escape(s.note)}</div>')
    if s.versions:
        parts.append(f'<div class="versions">version of {escape(", ".join(s.versions))} '
                     "(stored versions are the record it was made from, not independent corroboration)</div>")
    parts.append("</div>")
    return "".join(parts)


_SIGNAL_COLOURS = {"documents": "#f3b6b6", "anonymous": "#f7cfa0", "vague": "#f5e6a3", "on_record": "#cfe8cf",
                   "hedging": "#d9d2f0", "loaded_language": "#f0c8e0"}
_SIGNAL_LEGEND = [("documents", "leaked, internal or classified documents"), ("anonymous", "unnamed sources"),
                  ("vague", "unnamed groups or hearsay"), ("on_record", "named source"),
                  ("hedging", "hedged: may, could, suggests, appears"),
                  ("loaded_language", "loaded language and other propaganda techniques")]
# when flags overlap, the most serious colour shows (all explanations are in the tooltip)
_SEVERITY = ["documents", "anonymous", "vague", "loaded_language", "hedging", "on_record"]


def _signal_key(sig) -> str:
    return sig.subtype if sig.type == "sourcing" else sig.type


def signals_article_html(text: str, signals: list) -> str:
    """The whole article with every flagged span highlighted, overlaps included; each
    highlight's tooltip lists its flags. All text escaped."""
    shown = [sig for sig in signals if sig.subtype != "none" and sig.span[1] > sig.span[0]]
    cuts = sorted({0, len(text)} | {p for sig in shown for p in sig.span if 0 <= p <= len(text)})
    out = []
    for start, end in zip(cuts[:-1], cuts[1:]):
        cover = [sig for sig in shown if sig.span[0] <= start and end <= sig.span[1]]
        piece = escape(text[start:end])
        if not cover:
            out.append(piece)
            continue
        key = min((_signal_key(sig) for sig in cover), key=lambda k: _SEVERITY.index(k) if k in _SEVERITY else 99)
        tip = "; ".join(dict.fromkeys(f"{sig.type} · {sig.subtype}: {sig.explanation}" for sig in cover))
        out.append(f'<mark style="background:{_SIGNAL_COLOURS.get(key, "#eee")}" title="{escape(tip)}">{piece}</mark>')
    return f'<div class="article">{"".join(out)}</div>'



def signals_html(text: str, signals: list) -> str:
    """The signals as a legend plus one line each: the flagged words highlighted in their
    context (all of it escaped)."""
    shown = [sig for sig in signals if sig.subtype != "none"]
    if not shown:
        return "<p>No sourcing, hedging or loaded-language signals.</p>"
    parts = ['<p class="legend">']
    for key, label in _SIGNAL_LEGEND:
        parts.append(f'<span style="background:{_SIGNAL_COLOURS[key]}">{escape(key)}: {escape(label)}</span> ')
    parts.append("</p><ul class=\"signals\">")
    seen = set()
    for sig in shown:
        if (sig.type, sig.subtype, sig.span) in seen:
            continue
        seen.add((sig.type, sig.subtype, sig.span))
        start, end = sig.span
        colour = _SIGNAL_COLOURS.get(_signal_key(sig), "#eee")
        before = text[max(0, start - 80) : start]
        after = text[end : end + 80]
        parts.append(
            f"<li><b>{escape(sig.type)} · {escape(sig.subtype)}</b>"
            f"{' (' + escape(sig.claim_id) + ')' if sig.claim_id else ''}: …{escape(before)}"
            f'<mark style="background:{colour}">{escape(text[start:end])}</mark>{escape(after)}… '
            f'<span class="why">{escape(sig.explanation)}</span></li>'
        )
    parts.append("</ul>")
    return "".join(parts)


def page_head(title: str, css: str) -> str:
    """Start of a self-contained page: loads nothing (CSP), title already escaped by the caller."""
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>{title}</title><style>{css}</style></head><body>"
    )


def render(report: Report) -> str:
    a = report.article
    s = report.summary
    parts = [
        page_head(f"corroborator: {escape(a.title or a.id)}", _CSS),
        f"<h1>{escape(a.title or a.id)}</h1>",
        f'<div class="meta">{escape(a.outlet or "unknown outlet")} · {escape(str(a.published or "undated"))}',
    ]
    if a.url:
        parts.append(f" · {_link(a.url, escape(a.url))}")
    parts.append("</div>")
    if report.verifier.interim:
        parts.append(
            f'<div class="banner"><b>Interim verifier</b> ({escape(report.verifier.name)} '
            f"{escape(report.verifier.version)}): {escape(report.verifier.note)}</div>"
        )
    parts.append('<p class="summary">')
    for v, n in (
        (Verdict.SUPPORTED, s.supported),
        (Verdict.REFUTED, s.refuted),
        (Verdict.CONFLICTING, s.conflicting),
        (Verdict.NOT_ENOUGH_INFO, s.not_enough_info),
    ):
        parts.append(f'<span style="background:{_COLOURS[v]}">{v.value}: {n}</span>')
    parts.append(f'<span style="background:#f9d0d0">altered: {s.altered}</span>'
                 f'<span style="background:#fbeec1">added: {s.added}</span>')
    parts.append(f"<span>{s.claims} claims · {escape(str(report.store.get('articles', '?')))} articles searched</span></p>")
    factors = "; ".join(
        f"{escape(f.name)} {f.value:.2f} × {f.weight:+.1f}"
        + (" (not counted: archive does not cover the story)" if not s.covered and f.weight and f.value and not f.contribution else "")
        for f in s.risk_factors
    )
    parts.append(
        f'<p class="meta"><b>risk {s.risk:.2f}</b> (corroborated {s.corroborated:.0%}, contradicted '
        f"{s.contradicted:.0%}, uncorroborated {s.uncorroborated:.0%}; factors: {factors})</p>"
    )
    parts.append(coverage_html(report))
    parts.append(f'<div class="article">{_mark_article(report)}</div>')
    parts.append("<h2>Signals: sourcing, hedging, loaded language</h2>")
    parts.append(signals_html(report.article_text, report.signals))
    if report.matrix.origins:
        marks = {"supports": ("✓", "#cfe8cf"), "contradicts": ("✗", "#f3c9c9"), "both": ("±", "#f5e3b3"), "silent": ("·", "")}
        parts.append('<h2>Corroboration by independent origin</h2><div class="matrix-wrap" tabindex="0" role="region" '
                     'aria-label="Corroboration matrix (scrolls sideways)"><table class="matrix"><tr><th>claim</th>')
        parts.extend(f"<th>{escape(o)}</th>" for o in report.matrix.origins)
        parts.append("</tr>")
        for row in report.matrix.rows:
            parts.append(f'<tr><td><a href="#{escape(row.claim_id)}">{escape(row.claim_id)}</a></td>')
            for cell in row.cells:
                mark, colour = marks[cell]
                style = f' style="background:{colour}"' if colour else ""
                parts.append(f'<td{style} title="{escape(cell)}">{mark}</td>')
            parts.append("</tr>")
        parts.append("</table></div>")
    parts.append("<h2>Claims and evidence</h2>")
    for c in report.claims:
        parts.append(
            f'<div class="claim" id="{escape(c.id)}"><h3>{escape(c.id)} · {escape(c.kind.value)} · '
            f'<span class="verdict" style="background:{_COLOURS[c.verdict]}">{escape(c.verdict.value)}</span> '
            f"{c.confidence:.2f}</h3><div>{escape(c.text)}</div><div class=\"why\">{escape(c.rationale)}</div>"
        )
        if c.possibly_outdated:
            parts.append('<div class="why">possibly outdated: its only support is about an earlier event</div>')
        if c.origins_supporting or c.origins_contradicting:
            parts.append(
                '<div class="why">independent origins supporting: '
                f"{escape(', '.join(c.origins_supporting) or 'none')}; contradicting: "
                f"{escape(', '.join(c.origins_contradicting) or 'none')}</div>"
            )
        parts.append(record_html(c))
        for e in c.evidence:
            src = _link(e.url, escape(e.cited_as))
            parts.append(
                f'<div class="card"><span class="stance">[{escape(e.stance)} {e.score:.2f}]</span>'
                f'<span class="src">{src}</span>, {escape(str(e.published or "undated"))}'
                + (' <span class="version">stored version of this article (not independent)</span>' if e.version else "")
                + (" <b>(another event: related context only)</b>" if e.event_match == "different" else "")
                + (f' <span class="event" title="{escape(e.event_note)}">[{escape(e.event_match)} event]</span>'
                   if e.event_note else "")
                + f'{" — " + escape(e.title) if e.title and e.title != e.cited_as else ""}'
                + (f' <span class="path">({escape(e.source)})</span>' if e.source and not e.url else "")
                + f'<br>{_context_html(e.context, e.sentence)}'
                + "".join(f'<div class="mismatch">⚠ {escape(m.kind)}: {escape(m.explanation)}</div>' for m in e.mismatches)
                + "</div>"
            )
        if not c.evidence:
            parts.append('<div class="card">No related sentence found in the store.</div>')
        parts.append("</div>")
    parts.append(
        f'<p class="meta">corroborator report, schema {escape(report.schema_)}; verifier '
        f"{escape(report.verifier.name)} {escape(report.verifier.version)}.</p></body></html>"
    )
    return "".join(parts)
