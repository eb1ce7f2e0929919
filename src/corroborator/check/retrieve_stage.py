"""Stage 2: candidate evidence sentences for each claim, minus the article itself; stored versions
of it and other articles of its own origin are kept as the record (never counted)."""

from __future__ import annotations

import numpy as np

from corroborator.check.state import CheckState
from corroborator.corroborate.origins import copy_origin, fingerprint, near_duplicates, stored_versions
from corroborator.domain import content_hash


# what this stage reads from and writes to CheckState (checked when a Checker is built: check_stages)
READS = ("article", "claims")
WRITES = ("claim_vectors", "retrieved", "versions", "same_origin", "marks")


def run(state: CheckState, ctx) -> None:
    article, store = state.article, ctx.store
    exclude = store.article_ids_for_content(content_hash(article.text)) | stored_versions(store, article)
    state.claim_vectors = ctx.embedder.embed([c.text for c in state.claims]) if state.claims else None
    checked = [n for n, c in enumerate(state.claims) if not c.opinion]  # opinion is reported, not checked
    vectors = np.asarray(state.claim_vectors)[checked] if state.claim_vectors is not None and checked else None
    retrieved = ctx.retriever.retrieve([state.claims[n] for n in checked], exclude, vectors) if checked else {}
    # Stored near-duplicates are versions of the article itself: not corroboration, but the
    # record it was made from (record.py diffs against them). Other stored articles of the
    # same origin (the same wire agency's other copies) are not independent of it either.
    fp = fingerprint(article.text)
    own, state.versions = copy_origin(store, fp), near_duplicates(store, fp)
    # Issue 23: they used to be dropped, and a manipulated copy that kept its "(AP)" credit lost
    # the stored AP original it was made from (no record, coverage 0). They stay as the record.
    if own:
        state.same_origin = {c.article_id for cands in retrieved.values() for c in cands
                             if c.origin == own and c.article_id not in state.versions}
    state.retrieved = retrieved
    state.mark("retrieval")
