"""Hybrid retrieval: BM25 (SQLite FTS5) + dense (MiniLM ANN), fused by reciprocal rank.

BM25 finds exact names and numbers; dense finds paraphrases. Reciprocal rank fusion
(Cormack et al., SIGIR 2009, k=60) needs no score calibration between the two. The checked
article and its exact copies are excluded by article id, so an article never corroborates
itself.
"""

from __future__ import annotations

import re

import numpy as np

from .embed import Embedder
from .store import Store
from .types import Candidate, Claim

RRF_K = 60
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-']*")


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "according", "also", "would", "could"}


_STOP = _stop_words()


def bm25_query(text: str, max_terms: int = 16) -> str:
    """An FTS5 OR-query of the claim's content words (quoted, so no FTS5 syntax leaks in)."""
    terms: list[str] = []
    for tok in _TOKEN.findall(text):
        word = tok.lower().strip("'-")
        for part in re.split(r"[-']", word):
            if part and part not in _STOP and (len(part) > 1 or part.isdigit()) and part not in terms:
                terms.append(part)
    # prefer longer (usually rarer) terms when a claim is long
    if len(terms) > max_terms:
        terms = sorted(terms, key=len, reverse=True)[:max_terms]
    return " OR ".join(f'"{t}"' for t in terms)


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, k: int = 6, pool: int = 40, per_article: int = 2) -> None:
        self.store = store
        self.embedder = embedder
        self.k = k
        self.pool = pool
        self.per_article = per_article

    def retrieve(self, claims: list[Claim], exclude_article_ids: set[str]) -> dict[str, list[Candidate]]:
        if not claims:
            return {}
        claim_vecs = self.embedder.embed([c.text for c in claims])
        dense_hits = self.store.search_dense(claim_vecs, self.pool)
        fused_per_claim: list[dict[int, dict]] = []
        wanted: set[int] = set()
        for claim, dense in zip(claims, dense_hits):
            fused: dict[int, dict] = {}
            for rank, (sid, sim) in enumerate(dense[: self.pool * 2], start=1):
                entry = fused.setdefault(sid, {"score": 0.0})
                entry["score"] += 1.0 / (RRF_K + rank)
                entry["dense_rank"], entry["dense_similarity"] = rank, sim
            for rank, (sid, _score) in enumerate(self.store.search_bm25(bm25_query(claim.text), self.pool), start=1):
                entry = fused.setdefault(sid, {"score": 0.0})
                entry["score"] += 1.0 / (RRF_K + rank)
                entry["bm25_rank"] = rank
            top = sorted(fused.items(), key=lambda kv: -kv[1]["score"])[: self.pool]
            fused_per_claim.append(dict(top))
            wanted.update(sid for sid, _ in top)
        cands = self.store.candidates(sorted(wanted))
        vectors = self.store.sentence_vectors(sorted(wanted))
        results: dict[str, list[Candidate]] = {}
        for claim, qvec, fused in zip(claims, claim_vecs, fused_per_claim):
            chosen: list[Candidate] = []
            per_article: dict[str, int] = {}
            seen_text: set[tuple[str | None, str]] = set()
            for sid, info in sorted(fused.items(), key=lambda kv: -kv[1]["score"]):
                cand = cands.get(sid)
                if cand is None or cand.article_id in exclude_article_ids:
                    continue
                key = (cand.outlet, cand.sentence.strip().lower())
                if key in seen_text or per_article.get(cand.article_id, 0) >= self.per_article:
                    continue
                seen_text.add(key)
                per_article[cand.article_id] = per_article.get(cand.article_id, 0) + 1
                vec = vectors.get(sid)
                sim = float(np.dot(qvec, vec)) if vec is not None else info.get("dense_similarity")
                chosen.append(
                    cand.model_copy(
                        update={
                            "retrieval_score": info["score"],
                            "bm25_rank": info.get("bm25_rank"),
                            "dense_rank": info.get("dense_rank"),
                            "dense_similarity": sim,
                        }
                    )
                )
                if len(chosen) >= self.k:
                    break
            results[claim.id] = chosen
        return results
