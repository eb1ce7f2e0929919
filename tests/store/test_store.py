"""The embedded store: dedup, re-runs, ANN recovery, crash safety, bad stores."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from corroborator.check.checker import open_for_check
from corroborator.errors import StoreError
from corroborator.indexing.indexer import Indexer, open_for_index
from corroborator.store.sqlite.store import SqliteStore

from ..conftest import DEMO


def _counts(path):
    conn = sqlite3.connect(str(path / "store.db"))
    try:
        return {
            "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            "distinct_hashes": conn.execute("SELECT count(DISTINCT content_hash) FROM articles").fetchone()[0],
            "sentences": conn.execute("SELECT count(*) FROM sentences").fetchone()[0],
            "fts": conn.execute("SELECT count(*) FROM texts_fts_docsize").fetchone()[0],
            "vectors": conn.execute("SELECT count(*) FROM vectors").fetchone()[0],
            "orphans": conn.execute(
                "SELECT count(*) FROM sentences s LEFT JOIN vectors v ON v.rowid = s.vector_id WHERE v.rowid IS NULL"
            ).fetchone()[0],
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
        }
    finally:
        conn.close()


def test_rerun_adds_nothing_and_copies_share_vectors(tmp_path, embedder):
    path = tmp_path / "s"
    for expected_added in (None, 0):
        store = open_for_index(path, embedder)
        try:
            result = Indexer(store, embedder).run([DEMO / "corpus"])
        finally:
            store.close()
        if expected_added is None:
            first = result
            assert result.added > 20
        else:
            assert result.added == 0 and result.duplicates == first.read
    counts = _counts(path)
    assert counts["articles"] == counts["distinct_hashes"] == first.added
    assert counts["vectors"] == counts["fts"] and counts["orphans"] == 0
    # wire copies repeat sentences verbatim: fewer vectors than sentences
    st = SqliteStore.open(path)
    try:
        stats = st.stats()
    finally:
        st.close()
    assert stats["distinct_sentence_vectors"] < stats["sentences"]


def test_dense_search_finds_paraphrase_and_ann_rebuilds(demo_store, embedder, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(demo_store, copy)
    for p in copy.glob("vectors-*.usearch"):
        p.unlink()  # ANN is a cache: it must come back from SQLite
    (copy / "vectors-999999.usearch").write_bytes(b"garbage")  # an unreadable file is ignored
    store = open_for_check(copy, embedder)
    try:
        q = embedder.embed(["Dockworkers at Kestrel Bay walked out on strike."])
        hits = store.search_dense(q, 5)[0]
        cands = store.candidates([sid for sid, _ in hits])
        assert any("strike" in cands[sid].sentence.lower() for sid, _ in hits)
        assert hits[0][1] > 0.5
        bm25 = store.search_bm25(["kestrel", "dockworkers", "notawordanywhere"], 5)
        assert bm25 and all(score > 0 for _, score in bm25)
        assert any("Kestrel" in c.sentence for c in store.candidates([sid for sid, _ in bm25]).values())
        assert store.search_bm25(['"', "notawordanywhere"], 5) == []
    finally:
        store.close()


def test_missing_and_corrupt_store_are_clear_errors(tmp_path, embedder):
    with pytest.raises(StoreError, match="no store"):
        open_for_check(tmp_path / "nowhere", embedder)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "store.db").write_bytes(b"this is not sqlite" * 100)
    before = (bad / "store.db").read_bytes()
    with pytest.raises(StoreError, match="corrupt"):
        open_for_check(bad, embedder)
    with pytest.raises(StoreError, match="corrupt"):
        open_for_index(bad, embedder)
    assert (bad / "store.db").read_bytes() == before  # nothing overwritten
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="non-empty folder"):
        open_for_index(other, embedder)


def test_one_writer_at_a_time(tmp_path, embedder):
    first = open_for_index(tmp_path / "s", embedder)
    try:
        with pytest.raises(StoreError, match="another process"):
            open_for_index(tmp_path / "s", embedder)
    finally:
        first.close()


def test_kill_9_during_index_leaves_consistent_store(tmp_path, embedder):
    """A writer killed mid-run loses at most its open batch; a re-run completes with no duplicates."""
    rng = np.random.default_rng(7)
    words = "port union strike ships cargo council budget fire plant residents drill bombers fighters".split()
    src = tmp_path / "many.jsonl"
    n = 1200
    with src.open("w") as fh:
        for i in range(n):
            picks = " ".join(rng.choice(words, 8))
            text = (
                f"Report {i}: officials said {picks} on day {i}. "
                f"The figure reached {i * 7 + 3} units according to record {i}. A third sentence mentions {picks}."
            )
            fh.write(json.dumps({"id": f"r{i}", "outlet": f"O{i % 5}", "text": text}) + "\n")
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "corroborator", "index", str(src), "--store", str(store)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    killed_at = None
    while time.time() < deadline and proc.poll() is None:
        if (store / "store.db").exists():
            try:
                c = _counts(store)["articles"]
            except sqlite3.Error:
                c = 0
            if c >= 64:
                os.kill(proc.pid, signal.SIGKILL)
                killed_at = c
                break
        time.sleep(0.02)
    proc.wait()
    assert killed_at is not None and killed_at < n, "indexing finished before it could be killed"
    after_kill = _counts(store)
    assert after_kill["integrity"] == "ok"
    assert after_kill["articles"] == after_kill["distinct_hashes"] < n
    assert after_kill["vectors"] == after_kill["fts"] and after_kill["orphans"] == 0
    rerun = subprocess.run(cmd, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    final = _counts(store)
    assert final["articles"] == final["distinct_hashes"] == n
    assert final["vectors"] == final["fts"] and final["orphans"] == 0
    assert final["integrity"] == "ok"
    clean = open_for_index(tmp_path / "clean", embedder)
    try:
        Indexer(clean, embedder).run([src])
    finally:
        clean.close()
    assert _counts(tmp_path / "clean") == final  # same as if it had never been killed


def test_restored_database_with_newer_ann_file_is_rebuilt(tmp_path, embedder):
    import shutil

    path = tmp_path / "s"
    files = sorted((DEMO / "corpus").glob("*.md"))
    store = open_for_index(path, embedder)
    try:
        Indexer(store, embedder).run(files[:5])
    finally:
        store.close()
    shutil.copy(path / "store.db", tmp_path / "backup.db")
    store = open_for_index(path, embedder)
    try:
        Indexer(store, embedder).run(files[5:8])
    finally:
        store.close()
    (path / "store.db-wal").unlink(missing_ok=True)
    (path / "store.db-shm").unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.db", path / "store.db")  # SQLite goes back; the ANN file does not
    store = open_for_index(path, embedder)
    try:
        Indexer(store, embedder).run(files[8:14])
        ann = store.ensure_ann()
        assert len(ann) == _counts(path)["vectors"]
    finally:
        store.close()


def test_id_collisions_get_distinct_ids(tmp_path, embedder):
    from corroborator.domain import content_hash

    a = "Officials said the port of Kestrel Bay reopened on Friday after a long strike."
    b = "Officials said the port of Kestrel Bay stayed closed on Friday during the strike."
    src = tmp_path / "ids.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in [
        {"id": f"x~{content_hash(b)[:8]}", "text": a + " One."}, {"id": "x", "text": a}, {"id": "x", "text": b},
    ]) + "\n")
    store = open_for_index(tmp_path / "s", embedder)
    try:
        result = Indexer(store, embedder).run([src])
    finally:
        store.close()
    assert result.added == 3 and not result.errors


def test_stored_articles_reads_all_or_the_named_ones_alike(demo_store, embedder):
    from corroborator.corroborate.events import describe_article

    store = open_for_check(demo_store, embedder)
    try:
        every = {a.article_id: a for a in store.stored_articles(describe_article)}
        some = store.stored_articles(describe_article, ["demo-004", "demo-001", "no-such-id"])
        assert store.stored_articles(None, []) == []
    finally:
        store.close()
    assert [a.article_id for a in some] == ["demo-001", "demo-004"]  # unknown ids are skipped
    for a in some:
        full = every[a.article_id]
        assert a.sentences == full.sentences > 0 and a.names == full.names and a.statements == full.statements
        assert float(a.vector @ full.vector) == pytest.approx(1.0, abs=1e-6)
    assert all(a.sentences > 0 and a.vector is not None for a in every.values())


def test_read_only_store_is_readable_and_never_written(demo_store, tmp_path, monkeypatch, embedder):
    # issue 12: a store on a read-only mount could not even be read. The tests run as root, whom
    # file modes do not stop, so the read-only mount is simulated where the store asks for it.
    import shutil

    from corroborator.store.sqlite import store as sqlite_store

    copy = tmp_path / "ro"
    shutil.copytree(demo_store, copy, ignore=shutil.ignore_patterns("lock", "*-wal", "*-shm"))
    before = sorted(p.name for p in copy.iterdir())
    real_access = os.access
    monkeypatch.setattr(sqlite_store.os, "access",
                        lambda p, mode: False if mode & os.W_OK and str(p).startswith(str(copy)) else real_access(p, mode))
    store = open_for_check(copy, embedder)
    try:
        assert store.stats()["articles"] > 20
        hits = store.search_dense(embedder.embed(["bombers flew over the Sea of Japan"]), 3)
        assert hits and hits[0]
    finally:
        store.close()
    assert sorted(p.name for p in copy.iterdir()) == before  # no WAL side files, no lock, no index file
    with pytest.raises(StoreError, match="read-only"):
        open_for_index(copy, embedder)
