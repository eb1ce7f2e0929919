"""Stores: where indexed articles, sentences and their embeddings live.

Stages talk to the ``Store`` protocol only; ``SqliteStore`` (SQLite + FTS5 + usearch in one
folder) is the embedded default. Another backend (PostgreSQL + pgvector) implements the
same methods in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..origins import Fingerprint
from ..types import Article, Candidate, StoredArticle


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


class Store(Protocol):
    path: Path

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

    def copy_origin(self, fp: Fingerprint) -> str | None:
        """The origin a text shares with stored copies (wire credit or near-duplicate), if any."""
        ...

    def near_duplicates(self, fp: Fingerprint) -> set[str]:
        """Ids of stored near-duplicates of a text: versions of the same report."""
        ...

    def same_article_ids(self, article: Article) -> set[str]:
        """Ids of stored versions of this article (same id, updated text)."""
        ...

    def search_bm25(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """(sentence_id, bm25 score, higher is better) for an OR of lowercase terms; the
        store may use only the most selective of them."""
        ...

    def search_dense(self, vectors: np.ndarray, limit: int) -> list[list[tuple[int, float]]]:
        """Per query vector: (sentence_id, cosine similarity), best first."""
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

    def ensure_ann(self) -> object:
        """Make dense search ready (load or catch up the vector index)."""
        ...

    def save_ann(self) -> None:
        """Persist the vector index (writers only)."""
        ...

    def lock_for_writing(self, wait: bool = False, on_wait=None) -> None:
        """Become the single writer, or raise StoreError (with ``wait``: block until possible)."""
        ...

    def close(self) -> None:
        ...


def open_store(
    path: Path, *, create: bool = False, embedder_name: str | None = None, dim: int | None = None
) -> Store:
    """The store at ``path`` (today always the embedded SQLite store)."""
    from .sqlite_store import SqliteStore

    return SqliteStore.open(path, create=create, embedder_name=embedder_name, dim=dim)
