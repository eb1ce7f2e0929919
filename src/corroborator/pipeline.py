"""The two jobs, wired from the stages: indexing an archive and checking an article.

Models (spaCy, embedder, verifier) are loaded once per ``Checker``/``Indexer`` and reused
for every article of a run.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .assess import (
    archive_similarity,
    coverage_note,
    matrix,
    novel_specifics_share,
    record_shares,
    risk,
    shares,
    support_strength,
    unmatched_share,
)
from .claims import extract_claims
from .embed import Embedder, default_embedder
from .events import article_names, claim_time, event_match, evidence_time, event_note, is_earlier, name_keys, story_match
from .errors import BadInputError
from .ingest import expand_paths, read_file
from .nlp import parse, proper_names, segment_many
from .origins import fingerprint
from .record import coverage, is_covered, record_match
from .signals import count as count_signals
from .signals import article_signals, loaded_language_share, weak_sourcing_share
from .retrieve import Retriever
from .store import PreparedArticle, Store, open_store
from .types import (
    Article,
    ArticleRef,
    Claim,
    ClaimResult,
    Evidence,
    Report,
    StanceProbs,
    Summary,
    Verdict,
    content_hash,
    normalise_text,
)
from .verify import Verifier, default_verifier
from .verify.aggregate import aggregate, origins
from .verify.checks import MismatchChecker

_MIN_SENTENCE_CHARS = 3
# The full spaCy parse needs about 1 GB per 100k characters (spaCy's own estimate).
# Longest article a check takes: checking is linear in length, about 23 s and 0.36 GiB per 1,000
# sentences on 2 CPUs (bench/long_article.py); 500k characters is ~3,800 news sentences, ~1.5 min, ~2 GiB.
MAX_CHECK_CHARS = 500_000
# Pairs verified between two progress reports.
VERIFY_CHUNK = 256


def sentence_hash(text: str) -> str:
    return hashlib.blake2b(normalise_text(text).encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class IndexResult:
    files: int = 0
    read: int = 0
    added: int = 0
    duplicates: int = 0
    sentences: int = 0
    embedded: int = 0
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Indexer:
    """Streams articles into the store in batches: dedupe, segment and hash, embed the
    sentence texts the store lacks, store (one transaction per batch).

    Segmenting the next batch on a worker thread while ONNX Runtime embeds this one was
    tried and gained nothing on 2 cores (1,000 FNC-1 bodies: 71.4 s overlapped, 71.7 s
    sequential): both already keep the cores busy."""

    def __init__(self, store: Store, embedder: Embedder, batch_size: int = 64, save_every: int = 50) -> None:
        self.store = store
        self.embedder = embedder
        self.batch_size = batch_size
        self.save_every = save_every

    def _dedupe(self, batch: list[Article], result: IndexResult) -> list[tuple[Article, str]]:
        hashes = [a.content_hash for a in batch]
        existing = self.store.existing_content(hashes)
        fresh: list[tuple[Article, str]] = []
        seen: set[str] = set()
        for art, h in zip(batch, hashes):
            if h in existing or h in seen:
                result.duplicates += 1
                continue
            seen.add(h)
            fresh.append((art, h))
        return fresh

    @staticmethod
    def _prepare(fresh: list[tuple[Article, str]]) -> list[PreparedArticle]:
        prepared: list[PreparedArticle] = []
        for (art, h), spans in zip(fresh, segment_many([a.text for a, _ in fresh])):
            spans = [(s, e) for s, e in spans if sum(ch.isalnum() for ch in art.text[s:e]) >= _MIN_SENTENCE_CHARS]
            prepared.append(
                PreparedArticle(
                    article=art,
                    content_hash=h,
                    spans=spans,
                    sentence_hashes=[sentence_hash(art.text[s:e]) for s, e in spans],
                    fingerprint=fingerprint(art.text),
                )
            )
        return prepared

    def _store(self, prepared: list[PreparedArticle], result: IndexResult) -> None:
        texts_by_hash: dict[str, str] = {}
        for p in prepared:
            for (s, e), th in zip(p.spans, p.sentence_hashes):
                texts_by_hash.setdefault(th, p.article.text[s:e])
        missing = sorted(self.store.missing_vectors(list(texts_by_hash)))
        vectors = dict(zip(missing, self.embedder.embed([texts_by_hash[h] for h in missing])))
        result.embedded += len(missing)
        added = self.store.add(prepared, vectors)
        result.added += added
        # store.add re-checks each content hash inside its transaction
        result.duplicates += len(prepared) - added
        result.sentences += sum(len(p.spans) for p in prepared)

    def run(
        self,
        paths: Iterable[Path],
        on_file: Callable[[Path, IndexResult], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_batch: Callable[[IndexResult], None] | None = None,
    ) -> IndexResult:
        """Index every article under ``paths`` (files and folders); ``on_file`` after each file."""

        def items():
            for entry in expand_paths(paths):
                if isinstance(entry, BadInputError):
                    yield entry
                    continue
                yield from read_file(entry)
                result.files += 1
                if on_file:
                    on_file(entry, result)

        result = IndexResult()
        return self.run_items(items(), on_error=on_error, on_batch=on_batch, result=result)

    def run_items(
        self,
        items: Iterable[Article | BadInputError],
        on_error: Callable[[str], None] | None = None,
        on_batch: Callable[[IndexResult], None] | None = None,
        result: IndexResult | None = None,
    ) -> IndexResult:
        """Index articles from any source (file readers, an API, a queue); a BadInputError
        among them is counted and reported, never fatal. ``on_batch`` is called after each
        stored batch (articles read so far in ``result.read``) and at the end."""
        start = time.perf_counter()
        result = result if result is not None else IndexResult()
        self.store.ensure_ann()
        batch: list[Article] = []
        stored_batches = 0

        def flush() -> None:
            nonlocal stored_batches
            fresh = self._dedupe(batch, result)
            if fresh:
                self._store(self._prepare(fresh), result)
                stored_batches += 1
                if stored_batches % self.save_every == 0:
                    self.store.save_ann()
            batch.clear()
            if on_batch:
                on_batch(result)

        for item in items:
            if isinstance(item, BadInputError):
                result.errors.append(str(item))
                if on_error:
                    on_error(str(item))
                continue
            result.read += 1
            batch.append(item)
            if len(batch) >= self.batch_size:
                flush()
        flush()
        self.store.save_ann()
        result.seconds = time.perf_counter() - start
        return result


def _shown_time(when) -> str | None:
    if when is None:
        return None
    day, precision = when
    return str(day.year) if precision == "year" else day.strftime("%B %Y") if precision == "month" else day.isoformat()


def _rounded(p: StanceProbs) -> StanceProbs:
    return p.model_copy(update={k: round(v, 4) for k, v in p.model_dump().items()})


class Checker:
    def __init__(
        self,
        store: Store,
        embedder: Embedder | None = None,
        verifier: Verifier | None = None,
        k: int = 6,
        checks: bool = True,
    ) -> None:
        self.store = store
        self.checks = MismatchChecker() if checks else None
        self.embedder = embedder or default_embedder()
        self.verifier = verifier or default_verifier()
        self.retriever = Retriever(store, self.embedder, k=k)
        store.ensure_ann()
        stats = store.stats()  # once per run: counting 2M sentences per article would cost ~0.1 s
        self.store_info = {"articles": stats["articles"], "sentences": stats["sentences"]}
        # evidence articles' mean embedding and name keys, kept across the checks of a run
        self._profiles: dict[str, tuple[object, set[str]]] = {}

    def _stories(self, claims: list[Claim], claim_vecs, evidence_ids: set[str]) -> dict[str, tuple[bool, float, list[str]]]:
        """Per evidence article: whether it tells the checked article's story (the timeline's
        clustering rule: similarity of mean embeddings, shared names), the similarity and
        the shared names. The checked article is represented by its claims."""
        if not claims or not evidence_ids:
            return {}
        import numpy as np

        mean = np.asarray(claim_vecs, dtype=np.float32).sum(axis=0)
        mean /= np.linalg.norm(mean) or 1.0
        names: set[str] = set()
        for claim in claims:
            names |= proper_names(claim.sentence or claim.text)
        keys = name_keys(names)
        missing = sorted(i for i in evidence_ids if i not in self._profiles)
        if len(self._profiles) + len(missing) > 4096:  # a long batch run: start over
            self._profiles.clear()
        for art in self.store.stored_articles(article_names, missing) if missing else []:
            self._profiles[art.article_id] = (art.vector, name_keys(art.names))
        profiles = {aid: self._profiles.get(aid, (None, set())) for aid in evidence_ids}
        return {aid: story_match(mean, keys, vector, their_keys)
                for aid, (vector, their_keys) in profiles.items() if vector is not None}

    def check(self, article: Article, progress: Callable[[str, int, int], None] | None = None) -> Report:
        """The report for one article. ``progress(stage, done, total)`` is called as the stages
        advance (claims, retrieval, verification in chunks of VERIFY_CHUNK pairs), for a long
        article's progress bar."""
        progress = progress or (lambda stage, done, total: None)
        if len(article.text) > MAX_CHECK_CHARS:
            raise BadInputError(
                f"article too long to check ({len(article.text):,} characters > {MAX_CHECK_CHARS:,}); split it"
            )
        t0 = time.perf_counter()
        progress("claims", 0, 1)
        doc = parse(article.text)
        claims = extract_claims(article, doc)
        signals = article_signals(article.text, doc, claims)
        progress("claims", 1, 1)
        t1 = time.perf_counter()
        exclude = self.store.article_ids_for_content(content_hash(article.text)) | self.store.same_article_ids(article)
        claim_vecs = self.embedder.embed([c.text for c in claims]) if claims else None
        retrieved = self.retriever.retrieve(claims, exclude, claim_vecs)
        # Stored near-duplicates are versions of the article itself: not corroboration, but the
        # record it was made from (record.py diffs against them). Other stored articles of the
        # same origin (the same wire agency's other copies) are not independent of it either.
        fp = fingerprint(article.text)
        own, versions = self.store.copy_origin(fp), self.store.near_duplicates(fp)
        if own:
            retrieved = {cid: [c for c in cands if c.origin != own or c.article_id in versions]
                         for cid, cands in retrieved.items()}
        t2 = time.perf_counter()
        pairs = [(c, cand) for c in claims for cand in retrieved.get(c.id, [])]
        model_probs = []
        for start in range(0, len(pairs), VERIFY_CHUNK):
            progress("verification", start, len(pairs))
            model_probs += self.verifier.predict(pairs[start:start + VERIFY_CHUNK])
        progress("verification", len(pairs), len(pairs))
        probs, found, named = (
            self.checks.apply(pairs, model_probs, article.published) if self.checks
            else (model_probs, [[]] * len(pairs), [None] * len(pairs))
        )
        t3 = time.perf_counter()
        by_claim: dict[str, list[Evidence]] = {c.id: [] for c in claims}
        when = {c.id: claim_time(c.dates, article.published, c.date_precisions) for c in claims}
        stories = self._stories(claims, claim_vecs, {cand.article_id for _, cand in pairs})
        for (claim, cand), p, raw, mism, dates in zip(pairs, probs, model_probs, found, named):
            stance = p.stance
            story, story_sim, shared = stories.get(cand.article_id, (None, None, []))
            ev_time = evidence_time(dates, cand.published)
            by_claim[claim.id].append(
                Evidence(
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
                    probs=_rounded(p),
                    retrieval_score=round(cand.retrieval_score, 5),
                    similarity=None if cand.dense_similarity is None else round(cand.dense_similarity, 4),
                    mismatches=mism,
                    model_probs=_rounded(raw) if mism else None,
                    event_match=event_match(when[claim.id], ev_time, story),
                    event_note=event_note(when[claim.id], ev_time, story_sim, shared, bool(dates)),
                    sentence_date=ev_time[0] if dates and ev_time else None,
                    version=cand.article_id in versions,
                )
            )
        results: list[ClaimResult] = []
        for claim in claims:
            verdict, conf, why, ordered, outdated = aggregate(by_claim[claim.id], lambda e: is_earlier(e.sentence_date or e.published, when[claim.id]))
            results.append(
                ClaimResult(
                    id=claim.id,
                    text=claim.text,
                    span=claim.span,
                    kind=claim.kind,
                    verdict=verdict,
                    confidence=round(conf, 4),
                    rationale=why,
                    origins_supporting=origins(ordered, "supports"),
                    origins_contradicting=origins(ordered, "refutes"),
                    event_match=ordered[0].event_match if ordered else "unknown",
                    possibly_outdated=outdated,
                    evidence=ordered,
                )
            )
        cover = coverage(results)
        story = {e.article_id for r in results for e in r.evidence if e.event_match == "same" and not e.version}
        # how closely the archive's best same-event article tells this article's story (1.0
        # when a stored version of the article itself is there)
        story_sim = max([stories[a][1] for a in story if a in stories]
                        + [1.0 for r in results for e in r.evidence if e.version], default=0.0)
        covered = is_covered(cover, story_sim)
        for r in results:
            r.record = record_match(r, covered, len(story), _shown_time(when[r.id]))
        shown_versions = sorted({e.article_id for r in results for e in r.evidence if e.version})
        counts = {v: sum(1 for r in results if r.verdict == v) for v in Verdict}
        share = shares(results)
        share["weak_sourcing_share"] = weak_sourcing_share(signals, len(claims))
        share["loaded_language_share"] = loaded_language_share(signals, len(claims))
        share["support_strength"] = support_strength(results)
        share["archive_similarity"] = archive_similarity(results)
        share["unmatched_share"] = unmatched_share(results)
        share["novel_specifics_share"] = novel_specifics_share(claims, results)
        share |= record_shares(results)
        share["coverage"] = cover
        risk_score, factors = risk(share, covered)
        return Report(
            article=ArticleRef(
                id=article.id, title=article.title, outlet=article.outlet, published=article.published, url=article.url,
                source=article.source, text_offset=article.text_offset,
            ),
            verifier=self.verifier.info,
            store=dict(self.store_info),
            claims=results,
            summary=Summary(
                claims=len(results),
                supported=counts[Verdict.SUPPORTED],
                refuted=counts[Verdict.REFUTED],
                conflicting=counts[Verdict.CONFLICTING],
                not_enough_info=counts[Verdict.NOT_ENOUGH_INFO],
                corroborated=round(share["corroborated_share"], 4),
                contradicted=round(share["contradicted_share"], 4),
                uncorroborated=round(share["uncorroborated_share"], 4),
                possibly_outdated=sum(1 for r in results if r.possibly_outdated),
                signals=count_signals(signals),
                risk=risk_score,
                risk_factors=factors,
                coverage=round(cover, 4),
                covered=covered,
                story_similarity=round(story_sim, 4),
                altered=sum(1 for r in results if r.record and r.record.status == "altered"),
                added=sum(1 for r in results if r.record and r.record.status == "added"),
                versions=shown_versions,
                note=coverage_note(covered, cover, len(story), shown_versions, len(results)),
            ),
            matrix=matrix(results),
            signals=signals,
            article_text=article.text,
            timings_ms={
                "claims": round((t1 - t0) * 1000, 1),
                "retrieval": round((t2 - t1) * 1000, 1),
                "verification": round((t3 - t2) * 1000, 1),
                "total": round((time.perf_counter() - t0) * 1000, 1),
            },
        )


def open_for_index(path: Path, embedder: Embedder, wait: bool = False, on_wait=None) -> Store:
    store = open_store(path, create=True, embedder_name=embedder.name, dim=embedder.dim)
    try:
        store.lock_for_writing(wait=wait, on_wait=on_wait)
    except BaseException:
        store.close()
        raise
    return store


def open_for_check(path: Path, embedder: Embedder) -> Store:
    return open_store(path, create=False, embedder_name=embedder.name, dim=embedder.dim)
