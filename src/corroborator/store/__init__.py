"""Stores: where indexed articles, sentences and their embeddings live.

Stages talk to the ``Store`` protocol only: a core every backend has (articles, sentences,
vectors, counts, export) and capabilities a backend declares in ``capabilities`` and offers by
the methods of their protocol — ``full_text`` (FullTextSearch), ``vector_search``
(VectorSearch), ``origins`` (OriginRows). Code above the stores asks ``has(store, name)``: a
backend without full-text search is searched by vectors alone, one without origin rows treats
every article as its own origin. What the rows mean (copies, versions, origins) is decided once,
above every backend (corroborate/origins.py). ``SqliteStore`` (SQLite + FTS5 + usearch in one
folder) is the embedded default; PostgreSQL + pgvector has its own package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from corroborator.corroborate.origins import Fingerprint
from corroborator.domain import Article, Candidate, StoredArticle

# The timeline's per-article reading: sentences as (text, vector id) -> more StoredArticle fields.
Describe = Callable[[list[tuple[str, int]]], dict[str, Any]]


@dataclass
class PreparedArticle:
    """An article ready to store: its sentences and the hash of each sentence's text."""

    article: Article
    content_hash: str
    spans: list[tuple[int, int]]
    sentence_hashes: list[str]
    fingerprint: Fingerprint | None = None  # for the origin (near-duplicate / wire) lookup
    origin: str | None = None  # decided by the indexing code (indexing/indexer.py), stored by the store
    # embeddings of its sentence texts (by sentence hash) that the store lacked when prepared
    vectors: dict[str, np.ndarray] = field(default_factory=dict)


CAPABILITIES = ("full_text", "vector_search", "origins")


class Store(Protocol):
    """The core every backend offers. No file paths, no index files, no locks: how a backend
    keeps one writer (SQLite) or many (a database server) is its own business, chosen at
    open_store."""

    embedder_name: str  # the model its vectors came from
    dim: int  # their size
    capabilities: frozenset[str]  # which of CAPABILITIES it offers (the protocols below)

    def existing_content(self, hashes: list[str]) -> set[str]:
        """Which of these article content hashes are already stored."""
        ...

    def missing_vectors(self, text_hashes: list[str]) -> set[str]:
        """Which of these sentence-text hashes have no embedding yet."""
        ...

    def add(self, batch: list[PreparedArticle], vectors: dict[str, np.ndarray]) -> int:
        """Store a batch atomically; returns the number of articles added."""
        ...

    def article_ids_for_content(self, content_hash: str) -> set[str]:
        """Ids of stored exact copies of a text."""
        ...

    def candidates(self, sentence_ids: list[int], context: int = 1) -> dict[int, Candidate]:
        ...

    def sentence_vectors(self, sentence_ids: list[int]) -> dict[int, np.ndarray]:
        """Stored (unit-length) embedding of each sentence."""
        ...

    def stats(self) -> dict:
        ...

    def stored_articles(self, describe: Describe | None = None, article_ids: list[str] | None = None) -> list[StoredArticle]:
        """Every stored article's (or the named ones') metadata with its mean sentence
        embedding, plus what ``describe`` reads from its sentences."""
        ...

    def top_outlets(self, limit: int = 10) -> list[tuple[str, int]]:
        """Outlets with the most stored articles."""
        ...

    def checkpoint(self) -> None:
        """Make what was added durable and searchable (writers; a no-op where the database
        does it with each commit)."""
        ...

    def export(self, batch_size: int = 256) -> Iterator[list[PreparedArticle]]:
        """Every stored article in the order it was stored, as it was prepared: sentences,
        fingerprint, the origin decided then, and the stored vector of every sentence text
        (what another store's ``add`` needs to hold the same archive without re-embedding)."""
        ...

    def bulk_load(self) -> AbstractContextManager:
        """Around a load (index, batch index, copy): the backend may defer building its indexes
        to the end (PostgreSQL does for a first load into an empty store)."""
        ...

    def close(self) -> None:
        ...


class FullTextSearch(Protocol):
    """Capability ``full_text``: BM25 over distinct sentence texts."""

    def search_bm25(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """(sentence_id, bm25 score, higher is better) for an OR of lowercase terms; the
        store may use only the most selective of them."""
        ...

    def term_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many distinct sentence texts hold each lowercase term (absent terms: left out)."""
        ...


class VectorSearch(Protocol):
    """Capability ``vector_search``: nearest sentences by embedding."""

    def search_dense(self, vectors: np.ndarray, limit: int) -> list[list[tuple[int, float]]]:
        """Per query vector: (sentence_id, cosine similarity), best first."""
        ...


class OriginRows(Protocol):
    """Capability ``origins``: the rows the origin and version policy reads (origins.py)."""

    def band_rows(self, fp: Fingerprint) -> list[tuple[str, np.ndarray, str]]:
        """(article id, MinHash signature, origin) of the stored articles sharing an LSH band
        with a fingerprint."""
        ...

    def ids_and_outlets(self, article_id: str) -> list[tuple[str, str | None]]:
        """(id, outlet) of the stored articles with this id or an updated version's ``id~...``."""
        ...


CAPABILITY_METHODS = {"full_text": ("search_bm25", "term_frequencies"), "vector_search": ("search_dense",),
                       "origins": ("band_rows", "ids_and_outlets")}


def has(store, capability: str) -> bool:
    """Whether a store offers one of CAPABILITIES: as it declares, or, for a backend that
    declares nothing, whether it has the capability's methods."""
    declared = getattr(store, "capabilities", None)
    if declared is not None:
        return capability in declared
    return all(callable(getattr(store, m, None)) for m in CAPABILITY_METHODS[capability])


def exported_article(article: Article, content_hash: str, origin: str | None, minhash: bytes | None,
                     sentences: list[tuple[int, int, str, np.ndarray]]) -> PreparedArticle:
    """A stored article back as a PreparedArticle (for ``Store.export``): ``sentences`` as
    (start, end, text hash, stored vector); the fingerprint from the stored MinHash signature
    (the wire credit is not kept: it is part of the stored origin already)."""
    from corroborator.corroborate.origins import Fingerprint, band_keys

    fp = None
    if minhash is not None:
        signature = np.frombuffer(minhash, dtype=np.uint32).copy()
        fp = Fingerprint(signature=signature, bands=band_keys(signature), wire=None)
    return PreparedArticle(article=article, content_hash=content_hash, spans=[(s, e) for s, e, _, _ in sentences],
                           sentence_hashes=[h for _, _, h, _ in sentences], fingerprint=fp,
                           origin=origin if fp is not None else None,
                           vectors={h: v for _, _, h, v in sentences})


# Full-text search reads the posting list of every query term it uses, and scores every text
# they hold; the lists grow with the archive. So a query uses its rarest terms only (they carry
# the most weight), at most BM25_TERMS of them and at most BM25_POSTINGS postings in all: the
# cost of a search stops growing with the archive. In an archive of 10k real articles the 8
# rarest terms of a sentence hold 1.0k postings (median; 8.1k at most, 260 sentences of the
# bench's check articles): nothing changes there (314 of 314 claims, bench/bm25_budget.py). At
# 100k articles (median 11k, 90th percentile 48k) 30k changed 8 of 314 verdicts, 10k changed 19.
BM25_TERMS = 8
BM25_POSTINGS = 30_000


def selective_terms(terms: list[str], df: dict[str, int]) -> list[str]:
    """The query terms to search: the rarest first (ties in query order), while they hold at most
    BM25_POSTINGS postings together; none when even the rarest holds more (a claim of common
    words only: dense retrieval finds its evidence)."""
    chosen: list[str] = []
    total = 0
    for term in sorted((t for t in terms if df.get(t)), key=lambda t: df[t])[:BM25_TERMS]:
        total += df[term]
        if total > BM25_POSTINGS:
            break
        chosen.append(term)
    return chosen


# Backends by address scheme: a plain path or sqlite:///... is the embedded store; other
# backends register themselves (the PostgreSQL one in its own package).
Opener = Callable[..., "Store"]
@dataclass(frozen=True)
class Backend:
    """A store backend as registered under its address scheme (``corroborator.registry.stores``;
    a plug-in package's entry point of the group ``corroborator.stores`` names one, or just an
    opener): ``open(location, **options)`` returns a Store; ``stamp(location, connection=None)``,
    if given, a value that changes whenever any writer changed the archive there (service caches
    and check workers compare it; it needs no open store and may use a connection the caller
    already holds to that database)."""

    open: Opener
    stamp: Callable[..., object] | None = None


def register_backend(scheme: str, opener: Opener, stamp: Callable[..., object] | None = None) -> None:
    from corroborator.registry import stores

    stores.register(scheme, Backend(opener, stamp))


def backend(scheme: str) -> Backend:
    from corroborator.errors import StoreError
    from corroborator.registry import stores

    if scheme not in stores:
        raise StoreError(f"no store backend for '{scheme}://' addresses (known: {', '.join(stores.names())})")
    found = stores.get(scheme)
    return found if isinstance(found, Backend) else Backend(found)


# Files other parts keep in an embedded store's folder (the application core registers the
# service's database and uploads, feed state, raw pages: app.py): a new store may be made in a
# folder that holds only these and hidden files. The store knows none of them by name.
COMPANIONS: set[str] = set()


def keep_beside(*names: str) -> None:
    """Declare files (a name, with its ``name-wal``-style side files) kept beside a store."""
    COMPANIONS.update(names)


def is_companion(name: str) -> bool:
    return name.startswith(".") or any(name == n or name.startswith(n + "-") for n in COMPANIONS)


def archive_stamp(address: str | Path, connection=None) -> object:
    """A value that changes whenever the archive at ``address`` may have (None from a backend
    that offers no stamp: then only the server's own indexing jobs are seen); ``connection``: one
    the caller holds to a database server store, for the backend to use."""
    scheme, location = split_address(address)
    stamp = backend(scheme).stamp
    return stamp(location, connection) if stamp is not None else None


def _open_sqlite(location: str, **options) -> "Store":
    from corroborator.store.sqlite.store import SqliteStore

    return SqliteStore.open(Path(location), **options)


def _sqlite_stamp(location: str, connection=None) -> object:
    from corroborator.store.sqlite.store import change_stamp

    return change_stamp(Path(location))


register_backend("sqlite", _open_sqlite, _sqlite_stamp)


def _open_postgres(location: str, **options) -> "Store":
    from corroborator.store.postgres.store import PostgresStore

    return PostgresStore.open(location, **options)


def _postgres_stamp(location: str, connection=None) -> object:
    from corroborator.store.postgres.store import change_stamp

    return change_stamp(location, connection)


register_backend("postgresql", _open_postgres, _postgres_stamp)
register_backend("postgres", _open_postgres, _postgres_stamp)


def split_address(address: str | Path) -> tuple[str, str]:
    """(scheme, location): a plain path is ("sqlite", path); "sqlite:///abs/dir" is
    ("sqlite", "/abs/dir"); "postgresql://user@host/db" is ("postgresql", the address)."""
    text = str(address)
    if "://" not in text:
        return "sqlite", str(Path(text).expanduser())
    scheme = text.split("://", 1)[0].lower()
    if scheme == "sqlite":
        return "sqlite", str(Path(text.split("://", 1)[1]).expanduser())
    return scheme, text


def open_store(
    address: str | Path, *, create: bool = False, embedder_name: str | None = None, dim: int | None = None,
    writer: bool = False, wait: bool = False, on_wait=None,
) -> "Store":
    """The store at ``address`` (a folder path, ``sqlite:///folder``, or a registered scheme);
    ``writer``: open it for indexing (``wait``: for another writer to finish, if the backend
    has only one)."""
    scheme, location = split_address(address)
    return backend(scheme).open(location, create=create, embedder_name=embedder_name, dim=dim, writer=writer,
                                wait=wait, on_wait=on_wait)
