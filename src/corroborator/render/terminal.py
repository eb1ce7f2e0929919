"""Terminal view of a report (rich). Article text is printed as text, never as markup."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from corroborator.domain import ClaimResult, Report, Verdict
from corroborator.render.summary import (
    VERDICT_WORDS,
    claim_words,
    risk_reason,
    risk_words,
    summary_lines,
)

VERDICT_STYLE = {
    Verdict.SUPPORTED: "bold green",
    Verdict.REFUTED: "bold red",
    Verdict.CONFLICTING: "bold yellow",
    Verdict.NOT_ENOUGH_INFO: "dim",
}


MATRIX_MARK = {"supports": "✓", "contradicts": "✗", "both": "±", "silent": "·"}
RECORD_STYLE = {"matches": "green", "altered": "bold red", "added": "bold yellow", "not_in_record": "yellow"}


def record_line(c: ClaimResult) -> Text | None:
    """One compact line: the claim against the record of its story (None without a record)."""
    r = c.record
    if r is None:
        return None
    line = Text("record: ", style="bold")
    line.append(r.status, style=RECORD_STYLE.get(r.status, ""))
    if r.status == "altered":
        said = "; ".join(d.explanation for d in r.differences) or r.note
        if said:
            line.append(" — ")
            line.append(said)
    elif r.status == "matches":
        line.append(" ")
        line.append(r.cited_at)
    elif r.note:
        line.append(" — ")
        line.append(r.note, style="dim")
    if r.version and r.status != "added":
        line.append(" (stored version of this article)", style="yellow")
    return line


def coverage_text(report: Report) -> Text:
    """Coverage of the article's story by the archive, with the summary's plain-language note."""
    s = report.summary
    line = Text(f"archive coverage: {s.coverage:.0%} of claims have a same-story counterpart", style="bold")
    line.append(f" · {s.altered} altered, {s.added} added")
    if not s.covered:
        line.append(" · story not covered: archive factors not counted in the risk", style="yellow")
    if s.note:
        line.append("\n")
        line.append(s.note)
    if s.versions:
        line.append("\nversion of ", style="yellow")
        line.append(", ".join(s.versions), style="yellow")
    return line


def _compact(report: Report, console: Console) -> None:
    """One row per claim: its verdict in words, how many independent origins back or
    contradict it, and the record's word; the flags by claim below."""
    table = Table(expand=True, title="claims (--verbose: with evidence)")
    table.add_column("#", width=4)
    table.add_column("claim", ratio=3)
    table.add_column("verdict", ratio=2)
    for c in report.claims:
        verdict = Text(claim_words(c), style=VERDICT_STYLE[c.verdict])
        if c.origins_supporting or c.origins_contradicting:
            verdict.append(f" (+{len(c.origins_supporting)}/−{len(c.origins_contradicting)} origins)", style="dim")
        if c.record is not None and c.record.status != "matches":
            verdict.append(f"; record: {c.record.status}", style=RECORD_STYLE.get(c.record.status, ""))
        if c.possibly_outdated:
            verdict.append("; possibly outdated", style="yellow")
        table.add_row(c.id, Text(c.text), verdict)
    console.print(table)
    flags: dict[str, list[str]] = {}
    for sig in report.signals:
        if sig.subtype not in ("none", "on_record") and sig.claim_id:
            label = f"{sig.subtype.replace('_', ' ').lower() if sig.type != 'hedging' else 'hedged'} \"{sig.text}\""
            if label not in flags.setdefault(sig.claim_id, []):
                flags[sig.claim_id].append(label)
    if flags:
        console.print(Text("flags:", style="bold"))
        for claim_id, labels in flags.items():
            console.print(Text(f"  {claim_id}: " + "; ".join(labels), style="magenta"))


def render(report: Report, console: Console, max_evidence: int = 2, verbose: bool = False) -> None:
    a = report.article
    head = Text()
    head.append(a.title or a.id, style="bold")
    head.append(f"\n{a.outlet or 'unknown outlet'} · {a.published or 'undated'}")
    if a.url:
        head.append(f" · {a.url}")
    s = report.summary
    headline, lines = summary_lines(report)
    head.append(f"\n{headline} (searched {report.store.get('articles', '?')} archived articles)")
    for what, ids in lines:
        head.append(f"\n • {what}" + (f" ({', '.join(ids)})" if ids else ""))
    reason = risk_reason(report)
    head.append(f"\nrisk {s.risk:.2f}: {risk_words(s.risk)}" + (f" ({reason})" if reason else ""), style="bold")
    console.print(Panel(head, title="corroborator", expand=False))
    console.print(coverage_text(report))
    if report.verifier.interim:
        console.print(Text(f"Verifier: {report.verifier.name} {report.verifier.version} — {report.verifier.note}", style="yellow"))
    if not verbose:
        _compact(report, console)
        return
    _claims_table(report, console, max_evidence)
    _flags(report, console)
    _matrix(report, console)


def _evidence_text(c, max_evidence: int) -> Text:
    ev = Text()
    rec = record_line(c)
    if rec is not None:
        ev.append_text(rec)
        ev.append("\n")
    for e in c.evidence[:max_evidence]:
        ev.append(f"[{e.stance} {e.score:.2f}] ", style="bold")
        ev.append(f"{e.cited_at}, {e.published or 'undated'}: ", style="cyan")
        if e.version:
            ev.append("(stored version, not independent) ", style="yellow")
        elif e.same_origin:
            ev.append("(same origin, not independent) ", style="yellow")
        if e.event_match == "unknown":
            ev.append("(same topic, event not established) ", style="yellow")
        if e.event_match == "different":
            ev.append("(another event) ", style="yellow")
        ev.append(e.sentence + "\n")
        for m in e.mismatches:
            ev.append(f"  ⚠ {m.kind}: {m.explanation}\n", style="magenta")
    if not c.evidence:
        ev.append("—", style="dim")
    return ev


def _claims_table(report: Report, console: Console, max_evidence: int) -> None:
    table = Table(show_lines=True, expand=True)
    table.add_column("#", width=4)
    table.add_column("claim", ratio=3)
    table.add_column("verdict", width=16)
    table.add_column("evidence", ratio=4)
    for c in report.claims:
        verdict = Text(c.verdict.value, style=VERDICT_STYLE[c.verdict])
        verdict.append(f"\n{c.confidence:.2f} · {c.kind.value}" + (f" · p. {c.page}" if c.page else ""), style="dim")
        if c.possibly_outdated:
            verdict.append("\npossibly outdated", style="yellow")
        if c.origins_supporting or c.origins_contradicting:
            verdict.append(f"\norigins +{len(c.origins_supporting)} / −{len(c.origins_contradicting)}", style="dim")
        table.add_row(c.id, Text(c.text), verdict, _evidence_text(c, max_evidence))
    console.print(table)


def _flags(report: Report, console: Console) -> None:
    flagged = [sig for sig in report.signals if sig.subtype not in ("none", "on_record")]
    if flagged:
        console.print(Text("Sourcing, hedging and loaded-language flags:", style="bold"))
        for sig in dict.fromkeys((sig.type, sig.subtype, sig.text, sig.claim_id) for sig in flagged):
            console.print(Text(f"  {sig[3] or '-'} {sig[0]}/{sig[1]}: \"{sig[2]}\"", style="magenta"))


def _matrix(report: Report, console: Console) -> None:
    if report.matrix.origins:
        grid = Table(title="corroboration by independent origin (✓ supports, ✗ contradicts, ± both, · silent)")
        grid.add_column("#")
        for origin in report.matrix.origins:
            grid.add_column(Text(origin), justify="center")
        for row in report.matrix.rows:
            grid.add_row(row.claim_id, *(MATRIX_MARK[cell] for cell in row.cells))
        console.print(grid)
