"""Stage 4: evidence as the report shows it (built here and nowhere else), each placed in time
and story against its claim (events.py), then each claim's verdict from its independent
origins (corroborate/aggregate.py)."""

from __future__ import annotations

import re

from corroborator.check.state import CheckState
from corroborator.corroborate.aggregate import aggregate, origins
from corroborator.corroborate.confidence import evidence_confidence
from corroborator.corroborate.events import (
    article_names,
    claim_time,
    distinctive_share,
    event_match,
    event_note,
    evidence_time,
    is_earlier,
    name_keys,
    name_weights,
    story_match,
)
from corroborator.domain import Candidate, Claim, ClaimResult, Evidence, StanceProbs, Verdict, page_at
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

    checked = [n for n, c in enumerate(state.claims) if not c.opinion] or list(range(len(state.claims)))
    mean = np.asarray(state.claim_vectors, dtype=np.float32)[checked].sum(axis=0)
    mean /= np.linalg.norm(mean) or 1.0
    names: set[str] = set()
    for n in checked:
        names |= proper_names(state.claims[n].sentence or state.claims[n].text)
    keys = name_keys(names)
    cache = ctx.profiles
    missing = sorted(i for i in evidence_ids if i not in cache)
    if len(cache) + len(missing) > _PROFILES:  # a long batch run: start over
        cache.clear()
    for art in ctx.store.stored_articles(article_names, missing) if missing else []:
        cache[art.article_id] = (art.vector, name_keys(art.names))
    profiles = {aid: cache.get(aid, (None, set())) for aid in evidence_ids}
    # how much of what is distinctive about this article's names each evidence article shares
    # (record.py: the archive holds the story though its claims match nothing)
    from corroborator.text.tokens import word_tokens

    from corroborator.store import has

    # without full-text counts no name can be told distinctive (the share stays 0)
    df = (ctx.store.term_frequencies(sorted({t for k in keys for t in word_tokens(k)}))
          if has(ctx.store, "full_text") else {})
    weights = state.name_weights = name_weights(keys, df, ctx.store_info.get("texts") or 1)
    state.name_shares = {aid: round(distinctive_share(weights, their_keys), 4)
                         for aid, (vector, their_keys) in profiles.items() if vector is not None}
    return {aid: story_match(mean, keys, vector, their_keys)
            for aid, (vector, their_keys) in profiles.items() if vector is not None}


_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def year_stated(text: str):
    """For an undated article, the year its text names most often (ties: the latest), as a
    time of year precision: a 2017 report saved without a date still tells its drill from a
    2025 one. None when it names no year."""
    from collections import Counter
    from datetime import date

    years = Counter(int(y) for y in _YEAR.findall(text))
    if not years:
        return None
    year = max(years, key=lambda y: (years[y], y))
    return date(year, 7, 1), "year"


def same_dated_event(claim: Claim, when, ev_time, dates, cand: Candidate, distinctive: set[str] | None = None) -> list[str]:
    """The claim and the evidence name the same day and share a name of two words or more
    ("Port of Kestrel Bay" struck on March 3, reported inside an article about something else):
    the same event established by the claim itself, whatever the two articles' stories. Only
    ``distinctive`` names count when given (not "White House" or "United States": every story
    of the day names them; events.name_weights). The shared names, or [] when not."""
    if not (claim.dates and dates and when and ev_time and when[1] == "day" and ev_time[1] == "day"
            and when[0] == ev_time[0]):
        return []
    theirs = name_keys(proper_names(f"{cand.context_before} {cand.sentence} {cand.context_after}"))
    return sorted(k for k in name_keys(proper_names(claim.sentence or claim.text)) & theirs
                  if len(k.split()) >= 2 and (distinctive is None or k in distinctive))


def evidence(state: CheckState, claim: Claim, cand: Candidate, p: StanceProbs, raw: StanceProbs, found, dates,
             premise: str | None = None) -> Evidence:
    stance = p.stance
    story, story_sim, shared = state.stories.get(cand.article_id, (None, None, []))
    ev_time = evidence_time(dates, cand.published)
    named = (same_dated_event(claim, state.when[claim.id], ev_time, dates, cand, set(state.name_weights))
             if not story else [])
    if named:
        story, shared = True, named
    ev = Evidence(
        article_id=cand.article_id,
        outlet=cand.outlet,
        published=cand.published,
        title=cand.title,
        url=cand.url,
        source=cand.source,
        origin=cand.origin,
        sentence=cand.sentence,
        page=cand.page,
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
        story_similarity=story_sim,
        sentence_date=ev_time[0] if dates and ev_time else None,
        version=cand.article_id in state.versions,
        same_origin=cand.article_id in state.same_origin,
        premise=premise,
    )
    ev.confidence = round(evidence_confidence(claim.text, ev), 4)
    return ev


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("article", "claims", "claim_vectors", "pairs", "model_probs", "probs", "premises", "mismatches",
         "evidence_dates", "versions", "same_origin")
WRITES = ("when", "stories", "name_shares", "name_weights", "results")


def run(state: CheckState, ctx) -> None:
    published = state.article.published
    hint = None if published else year_stated(state.article.text)
    state.when = {c.id: claim_time(c.dates, published, c.date_precisions) or hint for c in state.claims}
    state.stories = stories(state, ctx)
    by_claim: dict[str, list[Evidence]] = {c.id: [] for c in state.claims}
    for (claim, cand), p, raw, found, dates, premise in zip(state.pairs, state.probs, state.model_probs, state.mismatches,
                                                            state.evidence_dates, state.premises):
        by_claim[claim.id].append(evidence(state, claim, cand, p, raw, found, dates, premise))
    results = []
    for claim in state.claims:
        when = state.when[claim.id]
        verdict, conf, why, ordered, outdated, finding = aggregate(
            by_claim[claim.id], lambda e: is_earlier(e.sentence_date or e.published, when))
        if claim.opinion:
            verdict, conf, why, finding = Verdict.NOT_ENOUGH_INFO, 0.0, "opinion, not checked", "opinion"
        results.append(ClaimResult(
            id=claim.id, text=claim.text, span=claim.span, page=page_at(state.article.text, claim.span[0]),
            kind=claim.kind, verdict=verdict,
            confidence=round(conf, 4), rationale=why,
            origins_supporting=origins(ordered, "supports"), origins_contradicting=origins(ordered, "refutes"),
            event_match=ordered[0].event_match if ordered else "unknown", possibly_outdated=outdated,
            evidence=ordered, finding=finding, checked_as=claim.checked_as,
        ))
    state.results = results
