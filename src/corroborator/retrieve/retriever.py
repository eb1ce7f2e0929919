"""Hybrid retrieval: BM25 (SQLite FTS5) + dense (MiniLM ANN), fused by reciprocal rank.

BM25 finds exact names and numbers; dense finds paraphrases. Both search distinct sentence
texts, then map each hit to the sentences (articles) carrying it. Reciprocal rank fusion
(Cormack et al., SIGIR 2009, k=60) needs no score calibration between the two. The checked
article and its exact copies are excluded by article id, so an article never corroborates
itself.
"""

from __future__ import annotations

import numpy as np

from corroborator.domain import Candidate, Claim
from corroborator.runtime.embedder import Embedder
from corroborator.store import Store
from corroborator.text.tokens import word_tokens

RRF_K = 60


def _stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) | {"said", "says", "told", "according", "also", "would", "could"}


# Words that carry no content for matching a claim to evidence (BM25 terms, word overlap).
STOP_WORDS = _stop_words()


def bm25_terms(text: str) -> list[str]:
    """The claim's content words as FTS5's unicode61 tokenizer sees them (lowercase, split at
    every non-alphanumeric character, diacritics removed), stop words dropped."""
    terms = [t for t in word_tokens(text) if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]
    return list(dict.fromkeys(terms))


def _text_ranks(hits: list[tuple[int, float]]):
    """(rank, sentence_id, score) where copies of one text (equal scores) share a rank, so a
    text repeated by eight outlets does not push the next text down eight places."""
    rank, last = 0, None
    for sid, score in hits:
        if score != last:
            rank, last = rank + 1, score
        yield rank, sid, score


class Retriever:
    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        k: int = 6,
        pool: int = 30,
        fetch: int = 40,
        per_article: int = 2,
        per_text: int = 2,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.k = k
        self.pool = pool  # hits per claim from each retriever
        self.fetch = fetch  # fused candidates per claim read from the store (k survive filtering)
        self.per_article = per_article
        self.per_text = per_text  # copies of one sentence text kept as evidence

    def _fused(self, claims: list[Claim], claim_vecs: np.ndarray) -> list[dict[int, dict]]:
        """Per claim, its best ``fetch`` sentences by reciprocal-rank fusion of the dense and the
        BM25 ranking (a backend without one of the two searches is searched by the other alone)."""
        from corroborator.store import has

        dense_hits = (self.store.search_dense(claim_vecs, self.pool) if has(self.store, "vector_search")
                      else [[] for _ in claims])
        full_text = has(self.store, "full_text")
        fused_per_claim: list[dict[int, dict]] = []
        for claim, dense in zip(claims, dense_hits):
            fused: dict[int, dict] = {}
            for rank, sid, sim in _text_ranks(dense):
                entry = fused.setdefault(sid, {"score": 0.0})
                entry["score"] += 1.0 / (RRF_K + rank)
                entry["dense_rank"], entry["dense_similarity"] = rank, sim
            for rank, sid, _score in _text_ranks(self.store.search_bm25(bm25_terms(claim.text), self.pool)
                                                 if full_text else []):
                entry = fused.setdefault(sid, {"score": 0.0})
                entry["score"] += 1.0 / (RRF_K + rank)
                entry["bm25_rank"] = rank
            fused_per_claim.append(dict(sorted(fused.items(), key=lambda kv: -kv[1]["score"])[: self.fetch]))
        return fused_per_claim

    def retrieve(self, claims: list[Claim], exclude_article_ids: set[str],
                 claim_vecs: np.ndarray | None = None) -> dict[str, list[Candidate]]:
        """Up to k candidates per claim id; ``claim_vecs`` (the claims' embeddings, if the
        caller has them) saves embedding the claims again."""
        if not claims:
            return {}
        if claim_vecs is None:
            claim_vecs = self.embedder.embed([c.text for c in claims])
        fused_per_claim = self._fused(claims, claim_vecs)
        wanted = {sid for fused in fused_per_claim for sid in fused}
        cands = self.store.candidates(sorted(wanted))
        vectors = self.store.sentence_vectors(sorted(wanted))
        results: dict[str, list[Candidate]] = {}
        for claim, qvec, fused in zip(claims, claim_vecs, fused_per_claim):
            chosen: list[Candidate] = []
            per_article: dict[str, int] = {}
            per_text: dict[str, int] = {}
            for sid, info in sorted(fused.items(), key=lambda kv: -kv[1]["score"]):
                cand = cands.get(sid)
                if cand is None or cand.article_id in exclude_article_ids:
                    continue
                key = " ".join(cand.sentence.lower().split())
                if per_text.get(key, 0) >= self.per_text or per_article.get(cand.article_id, 0) >= self.per_article:
                    continue
                per_text[key] = per_text.get(key, 0) + 1
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
