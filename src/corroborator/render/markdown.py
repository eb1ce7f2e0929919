"""A report as Markdown (issue 26's proof that a renderer is one file and one registration):
for a newsroom's wiki, a ticket or a chat message. Summary first, then each claim with its
verdict in words and the evidence it rests on, cited by outlet, date and link.

Article and evidence text is untrusted: every piece of it is escaped so that it stays text
(no links, images, HTML or headings can be injected through an article), and links are only
http(s) URLs the domain types accepted."""

from __future__ import annotations

import re

from corroborator.domain import Report
from corroborator.render.summary import RECORD_WORDS, claim_words, risk_reason, risk_words, summary_lines

# Markdown's punctuation that can start markup, and the HTML characters: escaped with a backslash
# or as an entity, so an article's "<script>", "[x](javascript:…)" or "# heading" stays text.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def escape(text: str | None) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())  # one line: a newline could start a heading or a list
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", flat)


def _cite(e) -> str:
    where = escape(e.outlet or e.title or e.article_id)
    when = e.published.isoformat() if e.published else "undated"
    label = f"{where}, p. {e.page}, {when}" if e.page else f"{where}, {when}"
    url = e.url or ""
    if url.startswith(("http://", "https://")):
        return f"[{label}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
    return label


def render(report: Report, max_evidence: int = 2) -> str:
    a, s = report.article, report.summary
    title = a.title or a.id
    lines = [f"# {escape(title)}", ""]
    meta = [m for m in (escape(a.outlet), a.published.isoformat() if a.published else None) if m]
    if meta:
        lines += [" · ".join(meta), ""]
    reason = risk_reason(report)
    lines += [f"**Risk {s.risk:.2f} ({risk_words(s.risk)})**" + (f": {escape(reason)}" if reason else ""), ""]
    head, counted = summary_lines(report)
    lines.append(escape(head))
    lines += [f"- {escape(what)}" + (f" ({', '.join(ids)})" if ids else "") for what, ids in counted]
    lines += ["", "## Claims", ""]
    for c in report.claims:
        page = f", p. {c.page}" if c.page else ""
        lines.append(f"### {c.id}: {claim_words(c)} ({c.verdict.value}, {c.confidence:.2f}){page}")
        lines += ["", f"> {escape(c.text)}", ""]
        if c.checked_as:
            lines += [f"Checked with its context: {escape(c.checked_as)}", ""]
        lines.append(f"Why: {escape(c.rationale)}")
        if c.record is not None and c.record.status != "matches":
            lines.append(f"Record: {escape(RECORD_WORDS.get(c.record.status, c.record.status))}")
        for e in c.evidence[:max_evidence]:
            lines.append(f"- {e.stance} ({e.score:.2f}), {_cite(e)}: “{escape(e.premise or e.sentence)}”")
        lines.append("")
    lines.append(f"Verifier: {escape(report.verifier.name)} {escape(report.verifier.version)}")
    return "\n".join(lines) + "\n"
