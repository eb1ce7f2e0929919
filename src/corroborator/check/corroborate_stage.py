"""Stage 4: evidence as the report shows it (built here and nowhere else), each placed in time
and story against its claim (events.py), then each claim's verdict from its independent
origins (verify/aggregate.py)."""

from __future__ import annotations

from corroborator.check.state import CheckState
from corroborator.corroborate.aggregate import aggregate, origins
from corroborator.corroborate.events import (
    article_names,
    claim_time,
    event_match,
    event_note,
    evidence_time,
    is_earlier,
    name_keys,
    story_match,
)
from corroborator.domain import Candidate, Claim, ClaimResult, Evidence, StanceProbs
from corroborator.text.names import proper_names

# evidence articles' profiles kept across the checks of one run, at most this many
_PROFILES = 4096


def rounded(p: StanceProbs) -> StanceProbs:
    return p.model_copy(update={k: round(v, 4) for k, v in p.model_dump().items()})


def stories(state: CheckState, ctx) -> dict[str, tuple[bool, float, list[str]]]:
    """Per evidence article: whether it tells the checked article's story (the timeline's
    clustering rule: similarity of mean embeddings, shared names), the similarity and the
    shared names. The checked article is represented by its claims."""
    evidence_ids = {cand.article_id for _, cand in state.pairs}
    if not state.claims or not evidence_ids:
        return {}
    import numpy as np

    mean = np.asarray(state.claim_vectors, dtype=np.float32).sum(axis=0)
    mean /= np.linalg.norm(mean) or 1.0
    names: set[str] = set()
    for claim in state.claims:
        names |= proper_names(claim.sentence or claim.text)
    keys = name_keys(names)
    cache = ctx.profiles
    missing = sorted(i for i in evidence_ids if i not in cache)
    if len(cache) + len(missing) > _PROFILES:  # a long batch run: start over
        cache.clear()
    for art in ctx.store.stored_articles(article_names, missing) if missing else []:
        cache[art.article_id] = (art.vector, name_keys(art.names))
    profiles = {aid: cache.get(aid, (None, set())) for aid in evidence_ids}
    return {aid: story_match(mean, keys, vector, their_keys)
            for aid, (vector, their_keys) in profiles.items() if vector is not None}


def evidence(state: CheckState, claim: Claim, cand: Candidate, p: StanceProbs, raw: StanceProbs, found, dates) -> Evidence:
    stance = p.stance
    story, story_sim, shared = state.stories.get(cand.article_id, (None, None, []))
    ev_time = evidence_time(dates, cand.published)
    return Evidence(
        article_id=cand.article_id,
        outlet=cand.outlet,
        published=cand.published,
        title=cand.title,
        url=cand.url,
        source=cand.source,
        origin=cand.origin,
        sentence=cand.sentence,
        context=" ".join(x for x in (cand.context_before, cand.sentence, cand.context_after) if x),
        stance=stance,
        score=round(getattr(p, stance), 4),
        probs=rounded(p),
        retrieval_score=round(cand.retrieval_score, 5),
        similarity=None if cand.dense_similarity is None else round(cand.dense_similarity, 4),
        mismatches=found,
        model_probs=rounded(raw) if found else None,
        event_match=event_match(state.when[claim.id], ev_time, story),
        event_note=event_note(state.when[claim.id], ev_time, story_sim, shared, bool(dates)),
        sentence_date=ev_time[0] if dates and ev_time else None,
        version=cand.article_id in state.versions,
    )


def run(state: CheckState, ctx) -> None:
    published = state.article.published
    state.when = {c.id: claim_time(c.dates, published, c.date_precisions) for c in state.claims}
    state.stories = stories(state, ctx)
    by_claim: dict[str, list[Evidence]] = {c.id: [] for c in state.claims}
    for (claim, cand), p, raw, found, dates in zip(state.pairs, state.probs, state.model_probs, state.mismatches,
                                                   state.evidence_dates):
        by_claim[claim.id].append(evidence(state, claim, cand, p, raw, found, dates))
    for claim in state.claims:
        when = state.when[claim.id]
        verdict, conf, why, ordered, outdated = aggregate(by_claim[claim.id],
                                                          lambda e: is_earlier(e.sentence_date or e.published, when))
        state.results.append(ClaimResult(
            id=claim.id, text=claim.text, span=claim.span, kind=claim.kind, verdict=verdict,
            confidence=round(conf, 4), rationale=why,
            origins_supporting=origins(ordered, "supports"), origins_contradicting=origins(ordered, "refutes"),
            event_match=ordered[0].event_match if ordered else "unknown", possibly_outdated=outdated,
            evidence=ordered,
        ))
