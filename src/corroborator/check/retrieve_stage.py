"""Stage 2: candidate evidence sentences for each claim, minus the article itself and the other
copies of its own origin; stored versions of it are kept as the record."""

from __future__ import annotations

from corroborator.check.state import CheckState
from corroborator.corroborate.origins import fingerprint
from corroborator.domain import content_hash


def run(state: CheckState, ctx) -> None:
    article, store = state.article, ctx.store
    exclude = store.article_ids_for_content(content_hash(article.text)) | store.same_article_ids(article)
    state.claim_vectors = ctx.embedder.embed([c.text for c in state.claims]) if state.claims else None
    retrieved = ctx.retriever.retrieve(state.claims, exclude, state.claim_vectors)
    # Stored near-duplicates are versions of the article itself: not corroboration, but the
    # record it was made from (record.py diffs against them). Other stored articles of the
    # same origin (the same wire agency's other copies) are not independent of it either.
    fp = fingerprint(article.text)
    own, state.versions = store.copy_origin(fp), store.near_duplicates(fp)
    if own:
        retrieved = {cid: [c for c in cands if c.origin != own or c.article_id in state.versions]
                     for cid, cands in retrieved.items()}
    state.retrieved = retrieved
    state.mark("retrieval")
