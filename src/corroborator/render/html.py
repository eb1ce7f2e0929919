"""Self-contained HTML report: the article with claims highlighted by verdict, and
evidence cards. Every piece of article or evidence text goes through html.escape; the
page loads nothing from the network."""

from __future__ import annotations

import re
from html import escape

from corroborator.corroborate.aggregate import REFUTE_THRESHOLD, THRESHOLD
from corroborator.domain import ClaimResult, Difference, Report, Verdict
from corroborator.render.summary import (
    FACTOR_WORDS,
    RECORD_WORDS,
    VERDICT_WORDS,
    claim_words,
    risk_reason,
    risk_words,
    summary_lines,
    weak_claims,
)
from corroborator.signals.family import legend_key

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
.lead{font-family:sans-serif;font-size:1.05em;background:#fafafa;border:1px solid #ddd;border-radius:6px;padding:.6em 1em}
.lead ul{margin:.3em 0;padding-left:1.3em} .lead a{color:#245}
.bars{font-family:sans-serif;font-size:.88em;margin:.3em 0 .8em} .bars .row{display:grid;grid-template-columns:14em 1fr 4em;gap:.5em;align-items:center}
.bars .bar{height:.8em;background:#c65b5b;border-radius:2px} .bars .bar.off{background:#bbb}
.verdicts{font-family:sans-serif;font-size:.88em} .verdicts span{display:inline-block;margin:.1em .8em .1em 0;padding:0 .4em;border-radius:3px}
.filters{font-family:sans-serif;font-size:.9em;margin:.6em 0} .filters input{position:absolute;opacity:0}
.filters label{display:inline-block;border:1px solid #bbb;border-radius:12px;padding:.05em .7em;margin:.15em .2em;cursor:pointer}
.filters input:checked+label{background:#245;color:#fff} .filters input:focus-visible+label{outline:2px solid #245}
details.evidence>summary{cursor:pointer;color:#245;margin:.3em 0} .note-stance{color:#6a4c00;font-size:.88em}
.matrix td.text{text-align:left;max-width:28em}
@media (max-width:600px){body{margin:1em auto}.sbs{grid-template-columns:1fr}.bars .row{grid-template-columns:9em 1fr 3em}}
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
    if r.status in ("added", "not_in_record"):
        parts.append(f"<div>{escape(RECORD_WORDS[r.status]).capitalize()}{' — ' + escape(r.note) if r.note else ''}</div>")
        if r.sentence:
            where = escape(r.cited_at) + ", " + escape(str(r.published or "undated"))
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
    where = escape(r.cited_at) + ", " + escape(str(r.published or "undated"))
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


def _claim_links(ids: list[str]) -> str:
    return ", ".join(f'<a href="#{escape(i)}">{escape(i)}</a>' for i in ids)


def summary_html(report: Report) -> str:
    head, lines = summary_lines(report)
    items = "".join(f"<li>{escape(what)}" + (f" ({_claim_links(ids)})" if ids else "") + "</li>" for what, ids in lines)
    return f'<div class="lead"><b>Summary.</b> {escape(head)}' + (f"<ul>{items}</ul>" if items else "") + "</div>"


def risk_html(report: Report) -> str:
    """The risk in words, with each factor as a bar (its share of claims, or coverage) and how
    much it pushed the score."""
    s = report.summary
    because = "; " + risk_reason(report) if risk_reason(report) else ""
    parts = [f'<p class="meta"><b>Risk {s.risk:.2f}: {risk_words(s.risk)}</b>{escape(because)}. '
             "It weighs what other reporting contradicts or lacks with how the claims are sourced and worded; "
             "it is a prompt to look closer, not a verdict on the article.</p>", '<div class="bars">']
    for f in s.risk_factors:
        if not f.weight:
            continue  # reported in the JSON, not part of the score
        counted = bool(f.contribution)
        why = "" if counted or not f.weight else " (not counted: the archive does not cover the story)"
        parts.append(
            f'<div class="row"><span>{escape(FACTOR_WORDS.get(f.name, f.name))}</span>'
            f'<span><div class="bar{"" if counted else " off"}" style="width:{max(1.0, min(f.value, 1.0) * 100):.0f}%" '
            f'title="{escape(f.name)} {f.value:.2f} × {f.weight:+.1f}{escape(why)}"></div></span>'
            f"<span>{f.value:.0%}</span></div>"
        )
    parts.append("</div>")
    parts.append('<div class="verdicts">' + "".join(
        f'<span style="background:{_COLOURS[v]}">{escape(v.value)}: {escape(VERDICT_WORDS[v])}</span>'
        for v in Verdict) + "</div>")
    return "".join(parts)


def _filters(report: Report) -> str:
    """Filter chips for the claim list (CSS only: the page runs no script). Each radio input
    shows one class of claims; the rules are in the page's <style>."""
    present = {c.verdict for c in report.claims}
    chips = [("all", "all claims")] + [(v.value, v.value.replace("_", " ").lower()) for v in Verdict if v in present]
    if weak_claims(report):
        chips.append(("weak", "anonymous, leaked or vague sources"))
    if any(s.type == "loaded_language" and s.claim_id for s in report.signals):
        chips.append(("loaded", "loaded language"))
    out = ['<div class="filters" role="radiogroup" aria-label="Show claims">Show: ']
    for n, (key, label) in enumerate(chips):
        out.append(f'<input type="radio" name="show" id="show-{key}"{" checked" if n == 0 else ""}>'
                   f'<label for="show-{key}">{escape(label)}</label>')
    return "".join(out)  # the claim list follows inside this div (the inputs must precede it)


FILTER_CSS = "".join(f"#show-{v.value}:checked~.claims .claim:not(.v-{v.value}){{display:none}}" for v in Verdict) \
    + "#show-weak:checked~.claims .claim:not(.s-weak){display:none}" \
    + "#show-loaded:checked~.claims .claim:not(.s-loaded){display:none}"


# Event matches in words (Evidence.event_match).
EVENT_WORDS = {"same": "same event", "unknown": "same topic, event not established", "different": "another event"}


def stance_note(c: ClaimResult, e) -> str:
    """Why a card's stance can differ from the claim's verdict, in words."""
    if e.version:
        return "From a stored version of this article: shown as the record, never counted as corroboration."
    if e.same_origin:
        return "From an article of this article's own origin (same wire credit or copy group): the record, not independent."
    if e.event_match == "unknown" and (e.probs.supports >= 0.5 or e.probs.refutes >= 0.5):
        return "Same topic, event not established (no shared date, story or participants): it counts neither way."
    if e.event_match == "different":
        return "About another event (months apart): related context only, it counts neither way."
    if c.verdict is Verdict.SUPPORTED and e.stance == "refutes":
        return ("This sentence reads as a contradiction, but other independent origins back the claim"
                if c.origins_supporting else "This contradiction is weaker than the support found") + \
               f" (verdict from {len(c.origins_supporting)} supporting origin(s))."
    if c.verdict is Verdict.REFUTED and e.stance == "supports":
        return "This sentence leans to support, but the contradicting reports decide the verdict."
    needed = REFUTE_THRESHOLD if e.stance == "refutes" else THRESHOLD
    if c.verdict is Verdict.NOT_ENOUGH_INFO and e.stance != "neutral" and e.score < needed:
        return f"Too weak to count ({e.stance} {e.score:.2f}; it counts from {needed:.2f} on)."
    return ""


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


def _legend(signals: list | None = None) -> dict:
    """The signal families' legend entries by key (signals/family.py), in the families' order:
    the built-ins and any family that flagged one of ``signals``."""
    from corroborator.signals.family import legend

    return {entry.key: entry for entry in legend({s.type for s in signals or []})}


def _strength(sig) -> str:
    """" (strength 0.62)" for a technique flag: the technique's weight times the tagger's
    probability (what risk weighs)."""
    if getattr(sig, "strength", None) is None:
        return ""
    return f" (strength {sig.strength:.2f})"


def signals_article_html(text: str, signals: list) -> str:
    """The whole article with every flagged span highlighted, overlaps included; each
    highlight's tooltip lists its flags. All text escaped."""
    shown = [sig for sig in signals if sig.subtype != "none" and sig.span[1] > sig.span[0]]
    cuts = sorted({0, len(text)} | {p for sig in shown for p in sig.span if 0 <= p <= len(text)})
    entries = _legend(signals)
    out = []
    for start, end in zip(cuts[:-1], cuts[1:]):
        cover = [sig for sig in shown if sig.span[0] <= start and end <= sig.span[1]]
        piece = escape(text[start:end])
        if not cover:
            out.append(piece)
            continue
        # when flags overlap, the most serious colour shows (all explanations are in the tooltip)
        key = min((legend_key(sig) for sig in cover), key=lambda k: entries[k].severity if k in entries else 99)
        tip = "; ".join(dict.fromkeys(f"{sig.type} · {sig.subtype}{_strength(sig)}: {sig.explanation}" for sig in cover))
        colour = escape(entries[key].colour) if key in entries else "#eee"
        out.append(f'<mark style="background:{colour}" title="{escape(tip)}">{piece}</mark>')
    return f'<div class="article">{"".join(out)}</div>'



def signals_html(text: str, signals: list) -> str:
    """The signals as a legend plus one line each: the flagged words highlighted in their
    context (all of it escaped)."""
    shown = [sig for sig in signals if sig.subtype != "none"]
    if not shown:
        return "<p>No sourcing, hedging or loaded-language signals.</p>"
    parts = ['<p class="legend">']
    entries = _legend(signals)
    for entry in entries.values():
        parts.append(f'<span style="background:{escape(entry.colour)}">{escape(entry.key)}: {escape(entry.label)}</span> ')
    parts.append("</p><ul class=\"signals\">")
    seen = set()
    for sig in shown:
        if (sig.type, sig.subtype, sig.span) in seen:
            continue
        seen.add((sig.type, sig.subtype, sig.span))
        start, end = sig.span
        colour = escape(entries[legend_key(sig)].colour) if legend_key(sig) in entries else "#eee"
        before = text[max(0, start - 80) : start]
        after = text[end : end + 80]
        parts.append(
            f"<li><b>{escape(sig.type)} · {escape(sig.subtype)}{escape(_strength(sig))}</b>"
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
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src data:\">"
        f"<title>{title}</title><style>{css}</style></head><body>"
    )


def render(report: Report, header: str = "") -> str:
    """The self-contained report page. ``header``: trusted markup of the caller's put at the
    top (the web app's navigation); never article text."""
    parts = [_head_html(report, header), summary_html(report), _counts_html(report), risk_html(report),
             coverage_html(report), image_html(report), f'<div class="article">{_mark_article(report)}</div>',
             "<h2>Signals: sourcing, hedging, loaded language</h2>", signals_html(report.article_text, report.signals),
             _matrix_html(report), "<h2>Claims and evidence</h2>", _filters(report), '<div class="claims">']
    flagged = weak_claims(report)
    loaded = {s.claim_id for s in report.signals if s.type == "loaded_language"}
    parts.extend(_claim_html(c, c.id in flagged, c.id in loaded) for c in report.claims)
    parts.append("</div></div>")  # .claims, .filters
    parts.append(
        f'<p class="meta">corroborator report, schema {escape(report.schema_)}; verifier '
        f"{escape(report.verifier.name)} {escape(report.verifier.version)}.</p></body></html>"
    )
    return "".join(parts)


# outline of a claim's words on the image, by verdict (the fills are the text marks' colours)
_STROKES = {Verdict.SUPPORTED: "#2e7d32", Verdict.REFUTED: "#c62828", Verdict.CONFLICTING: "#b8860b",
            Verdict.NOT_ENOUGH_INFO: "#666"}


def word_runs(words: list, span: tuple[int, int]) -> list[tuple[int, int, int, int]]:
    """The boxes (left, top, width, height) that cover the words of ``span`` on an image: one
    per run of words on one line (a word starts a new run when it does not sit beside the last
    one: the next line, the next column)."""
    runs: list[list[int]] = []
    for start, end, left, top, width, height in words:
        if end <= span[0] or start >= span[1]:
            continue
        if runs:
            x0, y0, x1, y1 = runs[-1]
            middle = top + height / 2
            if y0 <= middle <= y1 and x1 - height <= left <= x1 + 3 * height:
                runs[-1] = [x0, min(y0, top), max(x1, left + width), max(y1, top + height)]
                continue
        runs.append([left, top, left + width, top + height])
    return [(x0, y0, x1 - x0, y1 - y0) for x0, y0, x1, y1 in runs]


def image_html(report: Report) -> str:
    """The screenshot the text was read from, each claim's words outlined by verdict and linked
    to its card (an inline SVG over the image: the page still loads nothing)."""
    img = report.image
    if img is None:
        return ""
    parts = ["<h2>The image this text was read from</h2>",
             '<p class="meta">Read by OCR: each claim is outlined where it stands in the image; '
             "compare the words with the image before quoting them.</p>",
             f'<svg class="shot" viewBox="0 0 {img.width} {img.height}" width="100%" style="max-width:{img.width}px" '
             'role="img" aria-label="The image, each claim outlined">'
             f'<image href="{escape(img.data_uri)}" width="{img.width}" height="{img.height}"/>']
    for c in report.claims:
        runs = word_runs(img.words, c.span)
        title = escape(f"{c.id} · {c.verdict.value}: {c.text}")
        for n, (x, y, w, h) in enumerate(runs):
            parts.append(f'<a href="#{escape(c.id)}"><rect x="{x - 2}" y="{y - 2}" width="{w + 4}" height="{h + 4}" '
                         f'fill="{_COLOURS[c.verdict]}" fill-opacity="0.35" stroke="{_STROKES[c.verdict]}" '
                         f'stroke-width="2"><title>{title}</title></rect>'
                         + (_badge(c, x, y, h) if n == 0 else "") + "</a>")
    parts.append("</svg>")
    return "".join(parts)


def _badge(c: ClaimResult, x: int, y: int, h: int) -> str:
    """The claim's id on a badge of its verdict's colour: in the margin left of its first
    line when there is room, else just above it."""
    size = round(max(9, min(h * 0.6, 13)))
    width, height = round(len(c.id) * size * 0.62) + 6, size + 4
    bx, by = (x - width - 3, y + (h - height) / 2) if x >= width + 3 else (x - 2, max(0, y - height - 3))
    return (f'<rect x="{bx}" y="{by:.0f}" width="{width}" height="{height}" rx="3" fill="{_STROKES[c.verdict]}"/>'
            f'<text x="{bx + 3}" y="{by + size:.0f}" font-size="{size}" fill="#fff" font-family="sans-serif">'
            f"{escape(c.id)}</text>")


def _head_html(report: Report, header: str) -> str:
    a = report.article
    parts = [
        page_head(f"corroborator: {escape(a.title or a.id)}", _CSS + FILTER_CSS) + header,
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
    return "".join(parts)


def _counts_html(report: Report) -> str:
    s = report.summary
    parts = ['<p class="summary">']
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
    return "".join(parts)


def _matrix_html(report: Report) -> str:
    if not report.matrix.origins:
        return ""
    marks = {"supports": ("✓", "#cfe8cf"), "contradicts": ("✗", "#f3c9c9"), "both": ("±", "#f5e3b3"), "silent": ("·", "")}
    parts = ['<h2>Corroboration by independent origin</h2><div class="matrix-wrap" tabindex="0" role="region" '
             'aria-label="Corroboration matrix (scrolls sideways)"><table class="matrix"><tr><th>claim</th>']
    parts.extend(f"<th>{escape(o)}</th>" for o in report.matrix.origins)
    parts.append("</tr>")
    texts = {c.id: c.text for c in report.claims}
    for row in report.matrix.rows:
        text = texts.get(row.claim_id, "")
        short = text if len(text) <= 90 else text[:89].rstrip() + "…"
        parts.append(f'<tr><td class="text"><a href="#{escape(row.claim_id)}">{escape(row.claim_id)}</a> '
                     f'{escape(short)}</td>')
        for cell in row.cells:
            mark, colour = marks[cell]
            style = f' style="background:{colour}"' if colour else ""
            parts.append(f'<td{style} title="{escape(cell)}">{mark}</td>')
        parts.append("</tr>")
    parts.append("</table></div>")
    return "".join(parts)


def _claim_html(c: ClaimResult, weak: bool, loaded: bool) -> str:
    classes = f"claim v-{c.verdict.value}" + (" s-weak" if weak else "") + (" s-loaded" if loaded else "")
    parts = [
        f'<div class="{classes}" id="{escape(c.id)}"><h3>{escape(c.id)} · {escape(c.kind.value)} · '
        f'<span class="verdict" style="background:{_COLOURS[c.verdict]}">{escape(c.verdict.value)}</span> '
        f"{c.confidence:.2f} — {escape(claim_words(c))}{f' · p. {c.page}' if c.page else ''}</h3>"
        f"<div>{escape(c.text)}</div>"
        f"<div class=\"why\">{escape(c.rationale)}</div>"
    ]
    if c.checked_as:
        parts.append(f'<div class="why">checked with its context: {escape(c.checked_as)}</div>')
    if c.possibly_outdated:
        parts.append('<div class="why">possibly outdated: its only support is about an earlier event</div>')
    if c.origins_supporting or c.origins_contradicting:
        parts.append(
            '<div class="why">independent origins supporting: '
            f"{escape(', '.join(c.origins_supporting) or 'none')}; contradicting: "
            f"{escape(', '.join(c.origins_contradicting) or 'none')}</div>"
        )
    parts.append(record_html(c))
    if c.evidence:
        parts.append(f'<details class="evidence"><summary>Evidence: {len(c.evidence)} sentence(s) from the archive'
                     "</summary>")
        parts.extend(_evidence_html(c, e) for e in c.evidence)
        parts.append("</details>")
    else:
        parts.append('<div class="card">No related sentence found in the store.</div>')
    parts.append("</div>")
    return "".join(parts)


def _evidence_html(c: ClaimResult, e) -> str:
    src = _link(e.url, escape(e.cited_as)) + (f", p. {e.page}" if e.page else "")
    disagreement = stance_note(c, e)
    return (
        f'<div class="card"><span class="stance">[{escape(e.stance)} {e.score:.2f}]</span>'
        f'<span class="src">{src}</span>, {escape(str(e.published or "undated"))}'
        + (' <span class="version">stored version of this article (not independent)</span>' if e.version else "")
        + (' <span class="version">same origin as this article (not independent)</span>' if e.same_origin else "")
        + (" <b>(another event: related context only)</b>" if e.event_match == "different" else "")
        + (f' <span class="event" title="{escape(e.event_note)}">[{escape(EVENT_WORDS[e.event_match])}]</span>'
           if e.event_note else "")
        + f'{" — " + escape(e.title) if e.title and e.title != e.cited_as else ""}'
        + (f' <span class="path">({escape(e.source)})</span>' if e.source and not e.url else "")
        + f'<br>{_context_html(e.context, e.sentence)}'
        + "".join(f'<div class="mismatch">⚠ {escape(m.kind)}: {escape(m.explanation)}</div>' for m in e.mismatches)
        + (f'<div class="why">read as a passage with its neighbour: {escape(e.premise)}</div>' if e.premise else "")
        + (f'<div class="note-stance">{escape(disagreement)}</div>' if disagreement else "")
        + "</div>"
    )
