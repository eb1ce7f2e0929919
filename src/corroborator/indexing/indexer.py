"""Indexing an archive: ``prepare`` (segment, hash, fingerprint, embed: no writer needed, can
run on many workers) and ``commit`` (origins, dedupe, insert: the single writer), and the
``Indexer`` that streams articles through both in batches."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from corroborator.corroborate.origins import choose_origin, fingerprint, stored_candidates
from corroborator.domain import Article, normalise_text
from corroborator.errors import BadInputError
from corroborator.ingest import expand_paths, read_file
from corroborator.runtime.embedder import Embedder
from corroborator.store import PreparedArticle, Store, open_store
from corroborator.text.sentences import segment_many

_MIN_SENTENCE_CHARS = 3


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


def prepare(articles: list[Article], embedder: Embedder,
            missing_vectors: Callable[[list[str]], set[str]] | None = None) -> list[PreparedArticle]:
    """The part of indexing that needs no writer and can run on many workers: sentences
    (segmented, hashed), the article's fingerprint (for its origin), and the embeddings of
    its sentence texts — only those ``missing_vectors`` says the store lacks, when given (a
    worker without the store embeds all; commit keeps the ones it needs). Each distinct text
    is embedded once, whichever article of the batch holds it first."""
    prepared: list[PreparedArticle] = []
    for art, spans in zip(articles, segment_many([a.text for a in articles])):
        spans = [(s, e) for s, e in spans if sum(ch.isalnum() for ch in art.text[s:e]) >= _MIN_SENTENCE_CHARS]
        prepared.append(PreparedArticle(article=art, content_hash=art.content_hash, spans=spans,
                                        sentence_hashes=[sentence_hash(art.text[s:e]) for s, e in spans],
                                        fingerprint=fingerprint(art.text)))
    texts: dict[str, tuple[str, PreparedArticle]] = {}
    for p in prepared:
        for (s, e), th in zip(p.spans, p.sentence_hashes):
            texts.setdefault(th, (p.article.text[s:e], p))
    needed = sorted(missing_vectors(list(texts)) if missing_vectors else texts)
    for th, vec in zip(needed, embedder.embed([texts[h][0] for h in needed])):
        texts[th][1].vectors[th] = vec
    return prepared


def commit(store: Store, prepared: list[PreparedArticle]) -> int:
    """The part of indexing that needs the writer: each article's origin (origins.py: its wire
    credit, else a stored or earlier-in-batch near-duplicate's origin, else its own), then
    dedupe and insert in one transaction (store.add); the number of articles added."""
    earlier: list[tuple[object, str]] = []
    for p in prepared:
        if p.fingerprint is None:
            continue
        p.origin = choose_origin(p.fingerprint, p.article.outlet, p.article.id,
                                 stored_candidates(store, p.fingerprint) + earlier, p.article.source)
        earlier.append((p.fingerprint.signature, p.origin))
    vectors = {h: v for p in prepared for h, v in p.vectors.items()}
    return store.add(prepared, vectors)


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

    def _store(self, fresh: list[tuple[Article, str]], result: IndexResult) -> None:
        prepared = prepare([a for a, _ in fresh], self.embedder, self.store.missing_vectors)
        result.embedded += sum(len(p.vectors) for p in prepared)
        added = commit(self.store, prepared)
        result.added += added
        # commit re-checks each content hash inside its transaction
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
        batch: list[Article] = []
        stored_batches = 0

        def flush() -> None:
            nonlocal stored_batches
            fresh = self._dedupe(batch, result)
            if fresh:
                self._store(fresh, result)
                stored_batches += 1
                if stored_batches % self.save_every == 0:
                    self.store.checkpoint()
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
        self.store.checkpoint()
        result.seconds = time.perf_counter() - start
        return result


def open_for_index(address: str | Path, embedder: Embedder, wait: bool = False, on_wait=None) -> Store:
    return open_store(address, create=True, embedder_name=embedder.name, dim=embedder.dim, writer=True, wait=wait,
                      on_wait=on_wait)
