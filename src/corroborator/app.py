"""The application core: one object the command line (and later the web service and the batch
runner) calls for everything, so no interface holds pipeline logic (issue 13, item 1).

    with Corroborator(Settings(store=Path("archive"))) as app:
        app.index(read_paths([Path("news/")]))
        report = app.check(article)

It owns the models (each loaded once, on first use, and shared by every call) and the store
(opened on first use: for reading by check/timeline/stats, for writing — the single writer —
by index). Its methods take and return domain objects (corroborator.domain) and the small
results below, never files or terminal output; reading files is ingest's job, rendering is the
renderers' (corroborator.render, looked up by kind and format).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date
from functools import cached_property
from pathlib import Path

from corroborator.domain import (
    Article,
    Candidate,
    Claim,
    ClaimKind,
    Event,
    Report,
    Signal,
    StoredArticle,
)
from corroborator.errors import ArchiveEmptyError, BadInputError


def _keep_beside() -> None:
    from corroborator.store import keep_beside

    # what the front doors keep in an embedded store's folder, possibly before the store itself
    # exists (serve: its database and uploads, its feeds' state; watch and `index URL`: feed
    # state and the raw pages): a new store may still be made there
    keep_beside("service.db", "uploads", "watch.db", "pages.warc.gz")


_keep_beside()


@dataclass(frozen=True)
class Settings:
    store: str | Path  # a folder, sqlite:///folder, or another registered backend's address (store/__init__.py)
    k: int = 6  # evidence sentences per claim
    wait_for_writer: bool = False  # index: wait for another indexing run instead of failing
    verifier: str = "auto"  # a name in corroborator.registry.verifiers (auto: the trained model if one ships)
    signals: tuple[str, ...] | None = None  # names in corroborator.registry.signal_families (None: every one)


@dataclass
class SignalsResult:
    article: Article
    claims: list[Claim]
    signals: list[Signal]

    def to_json_dict(self) -> dict:
        """The ``corroborator.signals/1`` JSON: spans index ``text``; ``text_offset`` maps them to
        the file the article came from."""
        from corroborator.domain import SIGNALS_SCHEMA
        from corroborator.signals.family import count

        art = self.article
        return {
            "schema": SIGNALS_SCHEMA,
            "article": {"id": art.id, "title": art.title, "outlet": art.outlet,
                        "published": art.published.isoformat() if art.published else None,
                        "source": art.source, "text_offset": art.text_offset},
            "text": art.text,
            "claims": [{"id": c.id, "text": c.text, "span": list(c.span)} for c in self.claims],
            "signals": [sig.model_dump(mode="json") for sig in self.signals],
            "summary": count(self.signals),
        }


@dataclass
class ClaimsResult:
    """An article's checkable claims (``Corroborator.claims``); ``threshold`` is the
    check-worthiness a claim needs to be checked."""

    article: Article
    claims: list[Claim]
    threshold: float

    def to_json_dict(self) -> dict:
        """The ``corroborator.claims/1`` JSON (spans index the article's text)."""
        from corroborator.domain import CLAIMS_SCHEMA

        art = self.article
        return {
            "schema": CLAIMS_SCHEMA,
            "article": {"id": art.id, "title": art.title, "source": art.source, "text_offset": art.text_offset},
            "threshold": self.threshold,
            "claims": [{"id": c.id, "text": c.text, "span": list(c.span), "kind": c.kind.value,
                        "checkworthiness": c.checkworthiness,
                        "checkworthy": (c.checkworthiness or 0.0) >= self.threshold} for c in self.claims],
        }


@dataclass
class Timeline:
    events: list[Event]
    undated: int = 0

    def to_json_dict(self) -> dict:
        return {"events": [e.model_dump(mode="json") for e in self.events], "undated_articles": self.undated}


class Stats(NamedTuple):
    """What the store holds (``Store.stats``) and its most frequent outlets; unpacks as the
    pair it is."""

    info: dict
    outlets: list[tuple[str, int]]

    def to_json_dict(self, paths: bool = True) -> dict:
        """``paths=False`` leaves out where the store lives (no server paths to web clients)."""
        info = {k: v for k, v in self.info.items() if paths or k != "path"}
        return {**info, "top_outlets": [{"outlet": o, "articles": n} for o, n in self.outlets]}


@dataclass
class _Opened:
    store: object = None
    writable: bool = False


class Corroborator:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._opened = _Opened()

    # --- models, loaded once --------------------------------------------------------------

    @cached_property
    def embedder(self):
        from corroborator.runtime.embedder import default_embedder

        return default_embedder()

    @cached_property
    def checkworthiness(self):
        from corroborator.claims.checkworthy import default_checkworthiness

        return default_checkworthiness()

    @cached_property
    def tagger(self):
        """The propaganda-technique tagger behind the loaded-language signals."""
        from corroborator.signals.propaganda import default_tagger

        return default_tagger()

    # --- the store ------------------------------------------------------------------------

    def _store(self, writable: bool = False, on_wait: Callable[[], None] | None = None):
        """The store, opened for reading, or as the single writer when ``writable``."""
        if self._opened.store is not None and (self._opened.writable or not writable):
            return self._opened.store
        self.close()
        from corroborator.check.checker import open_for_check
        from corroborator.indexing.indexer import open_for_index

        if writable:
            self._opened.store = open_for_index(self.settings.store, self.embedder,
                                                wait=self.settings.wait_for_writer, on_wait=on_wait)
        else:
            self._opened.store = open_for_check(self.settings.store, self.embedder)
        self._opened.writable = writable
        return self._opened.store

    def close(self) -> None:
        if self._opened.store is not None:
            self._opened.store.close()
        self._opened = _Opened()
        self.__dict__.pop("_checker", None)  # it holds the store just closed

    def reopen(self) -> None:
        """See what was indexed since the store was opened (the next call opens it again)."""
        self.close()

    def __enter__(self) -> "Corroborator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- what the front doors call ---------------------------------------------------------

    def index(self, items: Iterable[Article | BadInputError], *, on_progress: Callable | None = None,
              on_error: Callable[[str], None] | None = None, on_wait: Callable[[], None] | None = None):
        """Add articles (or report the BadInputErrors among ``items``); the IndexResult.
        ``on_progress(result)`` after each stored batch and at the end."""
        from corroborator.indexing.indexer import Indexer

        store = self._store(writable=True, on_wait=on_wait)
        with store.bulk_load():
            return Indexer(store, self.embedder).run_items(items, on_error=on_error, on_batch=on_progress)

    def bulk_load(self):
        """Around many ``commit`` calls (a batch run): the store may build its indexes once at
        the end (PostgreSQL's HNSW index for a first load)."""
        return self._store(writable=True).bulk_load()

    def copy_to(self, dest: str, *, on_progress: Callable | None = None):
        """Copy this archive into the store at ``dest`` (another backend or place) with its
        stored vectors; the CopyResult. ``on_progress(result)`` after each batch."""
        from corroborator.indexing.copy import copy_archive

        self.close()  # the copy opens the source itself
        return copy_archive(str(self.settings.store), str(dest), on_batch=on_progress)

    def stored_content(self, content_hashes: list[str]) -> set[str]:
        """Which of these article texts (content hashes) the store holds already."""
        return self._store(writable=True).existing_content(content_hashes)

    def commit(self, prepared: list) -> int:
        """Store articles prepared elsewhere (indexing.prepare on other workers), as the
        store's writer: origins, dedupe, insert; the number added."""
        from corroborator.indexing.indexer import commit

        store = self._store(writable=True)
        stored = store.existing_content([p.content_hash for p in prepared])
        fresh = [p for p in prepared if p.content_hash not in stored]
        missing = store.missing_vectors([h for p in fresh for h in p.sentence_hashes])
        for p in fresh:  # the store keeps the embeddings it lacks; the rest are shared
            p.vectors = {h: v for h, v in p.vectors.items() if h in missing}
        return commit(store, fresh)  # made searchable at close (or the store's own checkpoint)

    def require_archive(self) -> None:
        """Raise unless the store can be checked against (it exists and holds articles)."""
        self._checker  # noqa: B018  (opening it is the check)

    @property
    def verifier_info(self):
        """Which verifier the checks use (name, version)."""
        return self._checker.verifier.info

    def check(self, article: Article, progress: Callable[[str, int, int], None] | None = None) -> Report:
        """The report for one article against the archive."""
        return self._checker.check(article, progress=progress)

    @cached_property
    def _checker(self):
        from corroborator.check.checker import Checker

        store = self._store()
        if store.stats()["articles"] == 0:
            raise ArchiveEmptyError(f"store at {self.settings.store} is empty; index some articles first")
        from corroborator.registry import verifiers

        verifier = verifiers.get(self.settings.verifier)(self.settings)
        return Checker(store, self.embedder, k=self.settings.k, checkworthiness=self.checkworthiness,
                       tagger=self.tagger, verifier=verifier, signals=self.settings.signals)

    def claims(self, article: Article, keep_all: bool = False) -> ClaimsResult:
        """The article's checkable claims with their check-worthiness (no store needed);
        ``keep_all`` also lists what the check-worthiness model drops."""
        from corroborator.claims.extract import extract_claims
        from corroborator.text.parsing import parse

        _check_length(article)
        found = extract_claims(article, parse(article.text), self.checkworthiness, keep_all=keep_all)
        return ClaimsResult(article, found, self.checkworthiness.threshold)

    def signals(self, article: Article) -> SignalsResult:
        """Sourcing, hedging and loaded-language signals of an article (no store needed)."""
        from corroborator.claims.extract import extract_claims
        from corroborator.signals import article_signals
        from corroborator.text.parsing import parse

        _check_length(article)
        doc = parse(article.text)
        claims = extract_claims(article, doc, self.checkworthiness)
        return SignalsResult(article, claims, article_signals(article.text, doc, claims, self.tagger, article.title,
                                                                self.settings.signals))

    def timeline(self) -> Timeline:
        """Events across the archive in date order."""
        from corroborator.corroborate.events import cluster_events, describe_article

        articles = self._store().stored_articles(describe_article)
        return Timeline(cluster_events(articles), sum(1 for a in articles if a.published is None))

    def search(self, query: str, limit: int = 10, outlet: str | None = None, since: date | None = None,
               until: date | None = None, relevant_only: bool = False) -> list[Candidate]:
        """Archive sentences for a query, by the check's own retrieval (BM25 and dense, fused),
        at most two per article, optionally of one outlet and published within [since, until].
        ``relevant_only`` drops what merely fills the list (see SEARCH_FLOOR)."""
        from corroborator.retrieve.retriever import Retriever

        query = " ".join(query.split())
        if not query:
            raise BadInputError("empty search query")
        filtered = outlet is not None or since is not None or until is not None
        pool = 200 if filtered else max(30, 3 * limit)
        retriever = Retriever(self._store(), self.embedder, k=pool if filtered else limit, pool=pool, fetch=pool)
        probe = Claim(id="q", text=query, span=(0, len(query)), kind=ClaimKind.EVENT, sentence=query)
        hits = retriever.retrieve([probe], exclude_article_ids=set())["q"]

        def wanted(c: Candidate) -> bool:
            if outlet is not None and (c.outlet or "").casefold() != outlet.casefold():
                return False
            if since is not None and (c.published is None or c.published < since):
                return False
            return until is None or (c.published is not None and c.published <= until)

        def relevant(c: Candidate) -> bool:
            similarity = c.dense_similarity or 0.0
            return similarity >= SEARCH_FLOOR or (c.bm25_rank is not None and similarity >= SEARCH_WORD_FLOOR)

        return [c for c in hits if wanted(c) and (not relevant_only or relevant(c))][:limit]

    def article(self, article_id: str) -> StoredArticle | None:
        """What the archive holds about one stored article (no text: its metadata)."""
        found = self._store().stored_articles(article_ids=[article_id])
        return found[0] if found else None

    def stats(self) -> Stats:
        """What the store holds, and its most frequent outlets."""
        store = self._store()
        return Stats(store.stats(), store.top_outlets())


# Search's relevance floor (the web app's list; the API's ?relevant_only=true). On the demo archive
# related sentences sit at cosine 0.28-0.76 to their query and unrelated ones at 0.08-0.22 (a cake
# recipe, the World Cup against drills and strikes); a sentence holding the query's own words (a
# BM25 hit) is kept down to 0.12, so a surname ("Carraway": 0.15-0.22) still finds its sentences.
SEARCH_FLOOR = 0.3
SEARCH_WORD_FLOOR = 0.12


def _check_length(article: Article) -> None:
    from corroborator.check.checker import MAX_CHECK_CHARS

    if len(article.text) > MAX_CHECK_CHARS:
        raise BadInputError(f"{article.source or article.id}: article too long ({len(article.text):,} characters "
                            f"> {MAX_CHECK_CHARS:,}); split it")
