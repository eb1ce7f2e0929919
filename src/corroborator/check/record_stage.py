"""Stage 5: the claims against the record of their story — coverage, then for each claim its
counterpart and what differs (record.py)."""

from __future__ import annotations

from corroborator.check.state import CheckState
from corroborator.corroborate.record import coverage, is_covered, is_specific, record_match


def shown_time(when) -> str | None:
    if when is None:
        return None
    day, precision = when
    return str(day.year) if precision == "year" else day.strftime("%B %Y") if precision == "month" else day.isoformat()


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("claims", "results", "stories", "name_shares", "when")
WRITES = ("results", "coverage", "covered", "story_similarity", "story_articles", "story_names", "shown_versions")


def run(state: CheckState, ctx) -> None:
    opinion = {c.id for c in state.claims if c.opinion}
    results = [r for r in state.results if r.id not in opinion]  # opinion has no record
    state.coverage = coverage(results)
    state.story_articles = {e.article_id for r in results for e in r.evidence if e.event_match == "same" and not e.version}
    # how closely the archive's best same-event article tells this article's story (1.0 when a
    # stored version of the article itself is there)
    state.story_similarity = max([state.stories[a][1] for a in state.story_articles if a in state.stories]
                                 + [1.0 for r in results for e in r.evidence if e.version], default=0.0)
    state.story_names = max(state.name_shares.values(), default=0.0)
    state.covered = is_covered(state.coverage, state.story_similarity, state.story_names)
    specific = {c.id: is_specific(c) for c in state.claims}
    for r in results:
        r.specific = specific.get(r.id, True)
        r.record = record_match(r, state.covered, len(state.story_articles), shown_time(state.when[r.id]),
                                specific.get(r.id, True))
    state.shown_versions = sorted({e.article_id for r in results for e in r.evidence if e.version})
