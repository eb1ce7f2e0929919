"""Copying an archive from one store to another (the laptop's folder into PostgreSQL, or back):
articles, sentences, origins and the stored vectors move as they are, nothing is re-embedded,
so the copy answers checks as the original does. Re-runs skip what the destination holds."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corroborator.errors import StoreError
from corroborator.store import open_store, split_address


@dataclass
class CopyResult:
    read: int = 0
    added: int = 0
    skipped: int = 0
    seconds: float = 0.0
    index_seconds: float = 0.0  # building indexes the destination deferred to the end (bulk_load)


def _same(a: str, b: str) -> bool:
    (scheme_a, where_a), (scheme_b, where_b) = split_address(a), split_address(b)
    if scheme_a == scheme_b == "sqlite":
        return Path(where_a).resolve() == Path(where_b).resolve()
    return (scheme_a, where_a) == (scheme_b, where_b)


def copy_archive(source: str, dest: str, batch_size: int = 256,
                 on_batch: Callable[[CopyResult], None] | None = None) -> CopyResult:
    """Copy every article of the store at ``source`` into the store at ``dest`` (created with
    the source's embedder when new). Articles keep the origins decided when they were indexed:
    copying into a store that holds other articles does not re-decide them."""
    if _same(source, dest):
        raise StoreError("the source and the destination are the same store")
    start = time.perf_counter()
    result = CopyResult()
    src = open_store(source)
    try:
        target = open_store(dest, create=True, embedder_name=src.embedder_name, dim=src.dim, writer=True)
        try:
            with target.bulk_load():
                _copy(src, target, batch_size, result, on_batch)
                loaded = time.perf_counter()
            result.index_seconds = time.perf_counter() - loaded
            target.checkpoint()
        finally:
            target.close()
    finally:
        src.close()
    result.seconds = time.perf_counter() - start
    return result


def _copy(src, target, batch_size: int, result: CopyResult, on_batch) -> None:
    for batch in src.export(batch_size):
        result.read += len(batch)
        held = target.existing_content([p.content_hash for p in batch])
        fresh = [p for p in batch if p.content_hash not in held]
        if fresh:
            wanted = target.missing_vectors(list({h for p in fresh for h in p.sentence_hashes}))
            vectors = {h: v for p in fresh for h, v in p.vectors.items() if h in wanted}
            result.added += target.add(fresh, vectors)
        result.skipped = result.read - result.added
        if on_batch:
            on_batch(result)
