"""Stage 7: the versioned report (domain.Report, docs/REPORT.md)."""

from __future__ import annotations

import time

from corroborator.assess.risk import coverage_note, matrix
from corroborator.check.state import CheckState
from corroborator.domain import ArticleRef, Report, Summary, Verdict
from corroborator.signals.family import count as count_signals


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("article", "results", "signals", "coverage", "covered", "story_similarity", "story_names", "story_articles",
         "shown_versions", "factors", "risk", "risk_factors", "started", "marks")
WRITES = ("report",)


def run(state: CheckState, ctx) -> None:
    article, results, f = state.article, state.results, state.factors
    counts = {v: sum(1 for r in results if r.verdict == v) for v in Verdict}
    marks = state.marks
    state.report = Report(
        article=ArticleRef(id=article.id, title=article.title, outlet=article.outlet, published=article.published,
                           url=article.url, source=article.source, text_offset=article.text_offset),
        verifier=ctx.verifier.info,
        store=dict(ctx.store_info),
        claims=results,
        summary=Summary(
            claims=len(results),
            supported=counts[Verdict.SUPPORTED],
            refuted=counts[Verdict.REFUTED],
            conflicting=counts[Verdict.CONFLICTING],
            not_enough_info=counts[Verdict.NOT_ENOUGH_INFO],
            corroborated=round(f["corroborated_share"], 4),
            contradicted=round(f["contradicted_share"], 4),
            uncorroborated=round(f["uncorroborated_share"], 4),
            possibly_outdated=sum(1 for r in results if r.possibly_outdated),
            signals=count_signals(state.signals),
            risk=state.risk,
            risk_factors=state.risk_factors,
            coverage=round(state.coverage, 4),
            covered=state.covered,
            story_similarity=round(state.story_similarity, 4),
            story_names=round(state.story_names, 4),
            altered=sum(1 for r in results if r.record and r.record.status == "altered"),
            added=sum(1 for r in results if r.record and r.record.status == "added"),
            versions=state.shown_versions,
            note=coverage_note(state.covered, state.coverage, len(state.story_articles), state.shown_versions,
                               len(results)),
        ),
        matrix=matrix(results),
        signals=state.signals,
        article_text=article.text,
        image=article.image,
        timings_ms=_timings(state.started, marks),
    )


def _timings(started: float, marks: dict[str, float]) -> dict[str, float]:
    """Milliseconds per stage that marked its end (a pipeline without one leaves it out)."""
    out, last = {}, started
    for stage in ("claims", "retrieval", "verification"):
        if stage in marks:
            out[stage] = round((marks[stage] - last) * 1000, 1)
            last = marks[stage]
    out["total"] = round((time.perf_counter() - started) * 1000, 1)
    return out
