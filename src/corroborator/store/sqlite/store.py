"""The embedded store: one folder holding SQLite (WAL) + FTS5 and a usearch ANN index.

Layout of the folder:
    store.db                 articles, sentences, unique sentence vectors, FTS5 (BM25) index
    vectors-<maxkey>.usearch HNSW index over the vectors table (a derived cache)
    lock                     held by the one writer (index run) at a time

Crash safety: SQLite is the source of truth. Articles are written in batches, each batch
one transaction, so ``kill -9`` loses at most the batch in flight and a re-run adds it.
The ANN file is only ever replaced atomically (write to a temp file, rename) and its name
carries the highest vector key it holds; on open, vectors committed after it are added
from their stored copies. A missing or unreadable ANN file is rebuilt from SQLite.

Vectors and the FTS5 (BM25) index are kept once per distinct sentence text (wire copies
repeat sentences verbatim), so embedding work, ANN size and BM25 query time grow with
distinct text, not with copies; a hit then maps to the sentences carrying that text.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np

from corroborator.domain import Article, Candidate, StoredArticle, first_line, page_at
from corroborator.errors import ArchiveEmptyError, StoreError
from corroborator.store import Describe, PreparedArticle, exported_article, selective_terms

SCHEMA_VERSION = "3"
DB_NAME = "store.db"
_ANN_RE = re.compile(r"^vectors-(\d+)\.usearch$")
_EXACT_SEARCH_BELOW = 50_000  # brute force is exact and still fast below this many vectors
_SQL_CHUNK = 900  # stay under SQLite's bound-parameter limit
_COPIES_PER_TEXT = 8  # sentences returned per matching distinct text (wire copies repeat text)

_DDL = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    url TEXT, outlet TEXT, title TEXT, published TEXT,
    text TEXT NOT NULL,
    source TEXT,
    added_at TEXT NOT NULL,
    origin TEXT,
    minhash BLOB
);
CREATE TABLE IF NOT EXISTS minhash_bands(
    key INTEGER NOT NULL,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid)
);
CREATE INDEX IF NOT EXISTS minhash_bands_key ON minhash_bands(key);
CREATE TABLE IF NOT EXISTS vectors(
    rowid INTEGER PRIMARY KEY,
    text_hash TEXT NOT NULL UNIQUE,
    vec BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sentences(
    rowid INTEGER PRIMARY KEY,
    article_rowid INTEGER NOT NULL REFERENCES articles(rowid),
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    vector_id INTEGER NOT NULL REFERENCES vectors(rowid)
);
CREATE INDEX IF NOT EXISTS sentences_article ON sentences(article_rowid, idx);
CREATE INDEX IF NOT EXISTS sentences_vector ON sentences(vector_id);
CREATE VIRTUAL TABLE IF NOT EXISTS texts_fts USING fts5(
    text, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE IF NOT EXISTS texts_vocab USING fts5vocab(texts_fts, 'row');
"""


def _upgrade(conn: sqlite3.Connection, path: Path) -> None:
    """Upgrade a schema-2 store in place, holding the writer lock; any failure is a one-line
    StoreError and leaves the store as it was (one transaction)."""
    try:
        fh = (path / "lock").open("a+")
    except OSError as exc:
        conn.close()
        raise StoreError(f"store at {path} needs an upgrade to schema {SCHEMA_VERSION} but is not writable ({exc.strerror})") from None
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        conn.close()
        raise StoreError(f"another process is writing to {path}; try again when it finishes") from None
    try:
        _migrate_2_to_3(conn)
    except sqlite3.Error as exc:
        conn.close()
        raise StoreError(f"cannot upgrade store at {path} to schema {SCHEMA_VERSION} ({exc})") from None
    finally:
        fh.close()


def _migrate_2_to_3(conn: sqlite3.Connection) -> None:
    """Schema 3 adds each article's origin and MinHash (see origins.py): computed here for
    the stored articles, oldest first, in one transaction."""
    from corroborator.corroborate.origins import fingerprint

    cur = conn.cursor()
    cur.execute("BEGIN IMMEDIATE")
    try:
        if cur.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] != "2":
            cur.execute("ROLLBACK")  # another process migrated it meanwhile
            return
        cur.execute("ALTER TABLE articles ADD COLUMN origin TEXT")
        cur.execute("ALTER TABLE articles ADD COLUMN minhash BLOB")
        cur.execute(
            "CREATE TABLE IF NOT EXISTS minhash_bands(key INTEGER NOT NULL, article_rowid INTEGER NOT NULL REFERENCES articles(rowid))"
        )
        cur.execute("CREATE INDEX IF NOT EXISTS minhash_bands_key ON minhash_bands(key)")
        rowids = [r[0] for r in cur.execute("SELECT rowid FROM articles ORDER BY rowid")]
        for rowid in rowids:  # one text in memory at a time
            aid, outlet, text, source = cur.execute("SELECT id, outlet, text, source FROM articles WHERE rowid = ?",
                                                    (rowid,)).fetchone()
            _store_origin(cur, rowid, aid, outlet, fingerprint(text), source)
        cur.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise


def _create_db(db: Path, embedder_name: str, dim: int) -> None:
    """A new store database, made under a temporary name and renamed into place, so a kill at
    any moment leaves either no store.db or a complete one (an existing store.db without our
    tables is then never ours to change)."""
    tmp = db.with_name(".store.db.creating")
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        leftover.unlink(missing_ok=True)

    def q(v: object) -> str:
        return "'" + str(v).replace("'", "''") + "'"

    rows = [("schema_version", SCHEMA_VERSION), ("embedder", embedder_name), ("dim", dim),
            ("created_at", time.strftime("%Y-%m-%dT%H:%M:%S"))]
    inserts = "".join(f"INSERT INTO meta(key, value) VALUES ({q(k)}, {q(v)});\n" for k, v in rows)
    conn = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        conn.executescript("BEGIN;\n" + _DDL + inserts + "COMMIT;")
    finally:
        conn.close()
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, db)


def _store_origin(cur: sqlite3.Cursor, rowid: int, article_id: str, outlet: str | None, fp,
                  source: str | None = None) -> str:
    """Find, record and return the origin of a stored article (rules in origins.py)."""
    from corroborator.corroborate.origins import choose_origin

    origin = choose_origin(fp, outlet, article_id, _band_candidates(cur, fp), source)
    _record_origin(cur, rowid, origin, fp)
    return origin


def _record_origin(cur: sqlite3.Cursor, rowid: int, origin: str, fp) -> None:
    """Store an article's origin with its fingerprint (signature and LSH bands)."""
    cur.execute("UPDATE articles SET origin = ?, minhash = ? WHERE rowid = ?", (origin, fp.signature.tobytes(), rowid))
    cur.executemany("INSERT INTO minhash_bands(key, article_rowid) VALUES (?, ?)", [(k, rowid) for k in fp.bands])


def _band_rows(cur, fp) -> list[tuple[str, np.ndarray, str]]:
    """(id, signature, origin) of the stored articles sharing an LSH band with a fingerprint."""
    rows = cur.execute(
        "SELECT DISTINCT a.rowid, a.id, a.minhash, a.origin FROM minhash_bands b JOIN articles a ON a.rowid = b.article_rowid"
        f" WHERE b.key IN ({','.join('?' * len(fp.bands))})",
        fp.bands,
    ).fetchall()
    return [(aid, np.frombuffer(sig, dtype=np.uint32), origin) for _, aid, sig, origin in rows if sig is not None]


def _band_candidates(cur, fp) -> list[tuple[np.ndarray, str]]:
    """(signature, origin) of the stored articles sharing an LSH band with a fingerprint."""
    return [(sig, origin) for _, sig, origin in _band_rows(cur, fp)]


def _chunks(items: list, size: int = _SQL_CHUNK) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def change_stamp(path: Path) -> tuple:
    """Changes whenever a writer touched store.db or its write-ahead log (store.archive_stamp)."""
    stamps = []
    for name in ("store.db", "store.db-wal"):
        try:
            st = (path / name).stat()
            stamps.append((st.st_mtime_ns, st.st_size))
        except OSError:
            stamps.append(None)
    return tuple(stamps)


class SqliteStore:
    capabilities = frozenset({"full_text", "vector_search", "origins"})  # store/__init__.py

    def __init__(self, path: Path, conn: sqlite3.Connection, dim: int, embedder_name: str) -> None:
        self.path = path
        self.conn = conn
        self.dim = dim
        self.embedder_name = embedder_name
        self._ann = None
        self._ann_max_key = 0
        self._ann_dirty = False
        self._lock_fh = None

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls, path: Path, *, create: bool = False, embedder_name: str | None = None, dim: int | None = None,
        writer: bool = False, wait: bool = False, on_wait=None,
    ) -> "SqliteStore":
        """The store in folder ``path``; ``writer``: also become its single writer (waiting for
        another one when ``wait``)."""
        store = cls._open(path, create=create, embedder_name=embedder_name, dim=dim)
        if writer:
            try:
                store.lock_for_writing(wait=wait, on_wait=on_wait)
            except BaseException:
                store.close()
                raise
        return store

    @classmethod
    def _open(
        cls, path: Path, *, create: bool = False, embedder_name: str | None = None, dim: int | None = None
    ) -> "SqliteStore":
        path = Path(path).expanduser()
        db = path / DB_NAME
        existed = db.exists()
        if existed and db.is_file() and db.stat().st_size == 0:
            raise StoreError(f"{db} is an empty file, not a corroborator store; refusing to change it "
                             "(give another --store, or remove that file yourself if it is yours to remove)")
        read_only = existed and not create and not (os.access(db, os.W_OK) and os.access(path, os.W_OK))
        if existed and create and not (os.access(db, os.W_OK) and os.access(path, os.W_OK)):
            raise StoreError(f"store at {path} is read-only here; indexing needs write access (checking works)")
        if not existed:
            if not create:
                raise ArchiveEmptyError(f"no store at {path} (run 'corroborator index PATH --store {path}' first)")
            if path.exists() and not path.is_dir():
                raise StoreError(f"store path {path} exists and is not a folder")
            from corroborator.store import is_companion  # hidden files, or what others keep beside a store

            if path.is_dir() and any(p for p in path.iterdir() if not is_companion(p.name)):
                raise StoreError(f"{path} is a non-empty folder without a corroborator store; refusing to write there")
            if not embedder_name or not dim:
                raise StoreError("cannot create a store without knowing the embedder")
            path.mkdir(parents=True, exist_ok=True)
            _create_db(db, embedder_name, dim)
        try:
            if read_only:
                # A store on a read-only mount: no WAL side files can be made, so read the file as
                # it is (immutable: nothing writes it while we cannot either).
                conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True, timeout=30,
                                       isolation_level=None, check_same_thread=False)
            else:
                conn = sqlite3.connect(str(db), timeout=30, isolation_level=None, check_same_thread=False)
            has_meta = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
            ).fetchone()
            if not has_meta:
                conn.close()  # before any PRAGMA: journal_mode=WAL would rewrite another program's file
                raise StoreError(f"{db} is not a corroborator store (another program's database?); "
                                 "refusing to change it: give another --store")
            if not read_only:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=NORMAL")  # durable across process crashes in WAL mode
                conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA cache_size=-65536")
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            why = ("no permission to read it" if not os.access(db, os.R_OK) else str(exc))
            raise StoreError(f"cannot read the store at {path} ({why}); it was left as it is") from None
        if meta.get("schema_version") == "2":
            _upgrade(conn, path)
            meta["schema_version"] = SCHEMA_VERSION
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(f"store at {path} has schema version {meta.get('schema_version')}, expected {SCHEMA_VERSION}")
        if embedder_name and meta.get("embedder") != embedder_name:
            raise StoreError(
                f"store at {path} was built with embedder {meta.get('embedder')!r}, not {embedder_name!r}; re-index into a new store"
            )
        return cls(path, conn, int(meta["dim"]), meta["embedder"])

    def bulk_load(self):
        """Store protocol: nothing to defer here (the vector index takes batches as they come)."""
        return contextlib.nullcontext()

    def checkpoint(self) -> None:
        """Store protocol: make what was added durable for search (the vector index file)."""
        self.save_ann()

    def lock_for_writing(self, wait: bool = False, on_wait=None) -> None:
        """One writer at a time; readers (check) are never blocked (WAL). With ``wait``, block
        until the other writer finishes (``on_wait()`` is called once before waiting)."""
        fh = (self.path / "lock").open("a+")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not wait:
                fh.close()
                raise StoreError(f"another process is indexing into {self.path}; try again when it finishes "
                                 "(or use --wait)") from None
            if on_wait is not None:
                on_wait()
            fcntl.flock(fh, fcntl.LOCK_EX)
        self._lock_fh = fh

    # --- writing -------------------------------------------------------------------------

    def existing_content(self, hashes: list[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(set(hashes))):
            q = f"SELECT content_hash FROM articles WHERE content_hash IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self.conn.execute(q, chunk))
        return found

    def missing_vectors(self, text_hashes: list[str]) -> set[str]:
        wanted = set(text_hashes)
        for chunk in _chunks(list(wanted)):
            q = f"SELECT text_hash FROM vectors WHERE text_hash IN ({','.join('?' * len(chunk))})"
            wanted.difference_update(r[0] for r in self.conn.execute(q, chunk))
        return wanted

    def _vector_ids(self, hashes: list[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for chunk in _chunks(list(set(hashes))):
            q = f"SELECT text_hash, rowid FROM vectors WHERE text_hash IN ({','.join('?' * len(chunk))})"
            ids.update(self.conn.execute(q, chunk).fetchall())
        return ids

    def _free_id(self, wanted: str, content_hash: str) -> str:
        """The wanted id, or (same id, different text: an updated article) id~hash, id~hash~2..."""
        candidate, n = wanted, 1
        while self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (candidate,)).fetchone():
            candidate = f"{wanted}~{content_hash[:8]}" + (f"~{n}" if n > 1 else "")
            n += 1
        return candidate

    @staticmethod
    def _insert_sentences(cur, prep: PreparedArticle, article_rowid: int, vectors: dict[str, np.ndarray],
                          known: dict[str, int], new_vectors: list[tuple[int, np.ndarray]]) -> None:
        """An article's sentences; a sentence text not stored yet gets its vector and FTS row
        (``known``: text hash -> vector id, grown here; ``new_vectors``: for the ANN index)."""
        art = prep.article
        for idx, ((start, end), th) in enumerate(zip(prep.spans, prep.sentence_hashes)):
            vid = known.get(th)
            if vid is None:
                vec = vectors.get(th)
                if vec is None:
                    raise StoreError(f"internal: no embedding for a sentence of {art.id}")
                vec16 = np.asarray(vec, dtype=np.float16)
                cur.execute("INSERT INTO vectors(text_hash, vec) VALUES (?, ?)", (th, vec16.tobytes()))
                vid = cur.lastrowid
                known[th] = vid
                new_vectors.append((vid, vec16))
                cur.execute("INSERT INTO texts_fts(rowid, text) VALUES (?, ?)", (vid, art.text[start:end]))
            cur.execute("INSERT INTO sentences(article_rowid, idx, start, end, vector_id) VALUES (?, ?, ?, ?, ?)",
                        (article_rowid, idx, start, end, vid))

    def add(self, batch: list[PreparedArticle], vectors: dict[str, np.ndarray]) -> int:
        if self._lock_fh is not None:
            self.ensure_ann()  # the writer keeps the vector index in step as it adds (checkpoint saves it)
        added = 0
        new_vectors: list[tuple[int, np.ndarray]] = []
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            known = self._vector_ids([h for p in batch for h in p.sentence_hashes])
            for prep in batch:
                art = prep.article
                if cur.execute("SELECT 1 FROM articles WHERE content_hash = ?", (prep.content_hash,)).fetchone():
                    continue
                stored_id = self._free_id(art.id, prep.content_hash)
                cur.execute(
                    "INSERT INTO articles(id, content_hash, url, outlet, title, published, text, source, added_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        stored_id,
                        prep.content_hash,
                        art.url,
                        art.outlet,
                        art.title,
                        art.published.isoformat() if art.published else None,
                        art.text,
                        art.source,
                        now,
                    ),
                )
                article_rowid = cur.lastrowid
                if prep.fingerprint is not None:
                    if prep.origin is None:  # decided by indexing.commit, never by the store
                        raise StoreError(f"internal: no origin decided for {art.id}")
                    _record_origin(cur, article_rowid, prep.origin, prep.fingerprint)
                self._insert_sentences(cur, prep, article_rowid, vectors, known, new_vectors)
                added += 1
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        if new_vectors and self._ann is not None:
            try:
                self._ann_add([k for k, _ in new_vectors], np.stack([v for _, v in new_vectors]))
            except Exception:
                # the in-memory index disagrees with SQLite (should not happen): rebuild it
                self._ann = None
                self.ensure_ann()
                self._ann_dirty = True
        return added

    # --- ANN index -----------------------------------------------------------------------

    def _ann_files(self) -> list[tuple[int, Path]]:
        found = []
        for p in self.path.iterdir():
            m = _ANN_RE.match(p.name)
            if m:
                found.append((int(m.group(1)), p))
        return sorted(found, reverse=True)

    def _new_index(self):
        from usearch.index import Index

        return Index(ndim=self.dim, metric="cos", dtype="f16")

    def ensure_ann(self):
        """Load the ANN index and bring it up to date with the vectors table."""
        if self._ann is not None:
            return self._ann
        index, max_key = None, 0
        top = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM vectors").fetchone()[0]
        for key, p in self._ann_files():
            candidate = self._new_index()
            try:
                candidate.load(str(p))
            except Exception:
                continue  # unreadable file: fall back to an older one or a rebuild
            expected = self.conn.execute("SELECT count(*) FROM vectors WHERE rowid <= ?", (key,)).fetchone()[0]
            if key > top or len(candidate) != expected:
                continue  # out of step with SQLite (e.g. store.db restored from a backup): rebuild
            index, max_key = candidate, key
            break
        if index is None:
            index = self._new_index()
        self._ann, self._ann_max_key = index, max_key
        batch_keys: list[int] = []
        batch_vecs: list[np.ndarray] = []
        for rowid, blob in self.conn.execute("SELECT rowid, vec FROM vectors WHERE rowid > ? ORDER BY rowid", (max_key,)):
            batch_keys.append(rowid)
            batch_vecs.append(np.frombuffer(blob, dtype=np.float16))
            if len(batch_keys) >= 4096:
                self._ann_add(batch_keys, np.stack(batch_vecs))
                batch_keys, batch_vecs = [], []
        if batch_keys:
            self._ann_add(batch_keys, np.stack(batch_vecs))
        return index

    def _ann_add(self, keys: list[int], vecs: np.ndarray) -> None:
        self._ann.add(np.asarray(keys, dtype=np.uint64), vecs.astype(np.float16))
        self._ann_max_key = max(self._ann_max_key, max(keys))
        self._ann_dirty = True

    def save_ann(self) -> None:
        """Write the ANN index atomically, then drop older files."""
        if self._ann is None or not self._ann_dirty:
            return
        final = self.path / f"vectors-{self._ann_max_key}.usearch"
        tmp = self.path / f".vectors-{self._ann_max_key}.tmp"
        self._ann.save(str(tmp))
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        for key, p in self._ann_files():
            if key != self._ann_max_key:
                p.unlink(missing_ok=True)
        self._ann_dirty = False

    # --- reading -------------------------------------------------------------------------

    def ids_and_outlets(self, article_id: str) -> list[tuple[str, str | None]]:
        """(id, outlet) of stored articles with this id or an updated version's id~..."""
        return self.conn.execute("SELECT id, outlet FROM articles WHERE id = ? OR (id > ? AND id < ?)",
                                 (article_id, article_id + "~", article_id + "\x7f")).fetchall()

    def band_rows(self, fp) -> list[tuple[str, np.ndarray, str]]:
        return _band_rows(self.conn, fp)

    def article_ids_for_content(self, content_hash: str) -> set[str]:
        return {r[0] for r in self.conn.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,))}

    def _sentences_for_texts(self, scored: dict[int, float]) -> list[tuple[int, float]]:
        """Sentences carrying each distinct text (at most _COPIES_PER_TEXT each), best text first."""
        hits: list[tuple[int, float]] = []
        for chunk in _chunks(list(scored)):
            q = (
                "SELECT rowid, vector_id FROM (SELECT rowid, vector_id, row_number() OVER "
                "(PARTITION BY vector_id ORDER BY rowid) AS n FROM sentences "
                f"WHERE vector_id IN ({','.join('?' * len(chunk))})) WHERE n <= ?"
            )
            hits.extend((sid, scored[vid]) for sid, vid in self.conn.execute(q, [*chunk, _COPIES_PER_TEXT]))
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits

    def term_frequencies(self, terms: list[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(t for t in terms if t))
        if not terms:
            return {}
        return dict(self.conn.execute(
            f"SELECT term, doc FROM texts_vocab WHERE term IN ({','.join('?' * len(terms))})", terms).fetchall())

    def search_bm25(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """BM25 over distinct sentence texts for an OR of the rarest query terms."""
        terms = list(dict.fromkeys(t for t in terms if t))
        if not terms:
            return []
        df = self.term_frequencies(terms)
        rare = selective_terms(terms, df)
        if not rare:
            return []
        query = " OR ".join('"' + t.replace('"', '""') + '"' for t in rare)
        try:
            rows = self.conn.execute(
                "SELECT rowid, rank FROM texts_fts WHERE texts_fts MATCH ? ORDER BY rank LIMIT ?", (query, limit)
            ).fetchall()
        except sqlite3.OperationalError:
            return []  # a query FTS5 cannot parse finds nothing rather than failing the check
        return self._sentences_for_texts({int(r): -float(s) for r, s in rows})

    def search_dense(self, vectors: np.ndarray, limit: int) -> list[list[tuple[int, float]]]:
        index = self.ensure_ann()
        if len(index) == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        matches = index.search(
            vectors.astype(np.float16), count=min(limit, len(index)), exact=len(index) < _EXACT_SEARCH_BELOW
        )
        keys = np.atleast_2d(matches.keys)
        dists = np.atleast_2d(matches.distances)
        missing = np.iinfo(np.uint64).max
        return [
            self._sentences_for_texts({int(k): 1.0 - float(d) for k, d in zip(qk, qd) if k != missing})
            for qk, qd in zip(keys, dists)
        ]

    def candidates(self, sentence_ids: list[int], context: int = 1) -> dict[int, Candidate]:
        out: dict[int, Candidate] = {}
        rows = []
        for chunk in _chunks(list(set(sentence_ids))):
            q = (
                "SELECT s.rowid, s.article_rowid, s.idx, s.start, s.end, a.id, a.outlet, a.title, a.published, a.url,"
                " a.origin, a.source"
                f" FROM sentences s JOIN articles a ON a.rowid = s.article_rowid WHERE s.rowid IN ({','.join('?' * len(chunk))})"
            )
            rows.extend(self.conn.execute(q, chunk).fetchall())
        texts: dict[int, str] = {}
        for sid, arow, idx, start, end, aid, outlet, title, published, url, origin, source in rows:
            if arow not in texts:
                texts[arow] = self.conn.execute("SELECT text FROM articles WHERE rowid = ?", (arow,)).fetchone()[0]
            text = texts[arow]
            neighbours = self.conn.execute(
                "SELECT idx, start, end FROM sentences WHERE article_rowid = ? AND idx BETWEEN ? AND ? ORDER BY idx",
                (arow, idx - context, idx + context),
            ).fetchall()
            before = " ".join(text[s:e] for i, s, e in neighbours if i < idx)
            after = " ".join(text[s:e] for i, s, e in neighbours if i > idx)
            out[sid] = Candidate(
                sentence_id=sid,
                article_id=aid,
                outlet=outlet,
                title=title or first_line(text),
                published=date.fromisoformat(published) if published else None,
                url=url,
                source=source,
                origin=origin,
                sentence=text[start:end],
                page=page_at(text, start),
                context_before=before,
                context_after=after,
            )
        return out

    def sentence_vectors(self, sentence_ids: list[int]) -> dict[int, np.ndarray]:
        out: dict[int, np.ndarray] = {}
        for chunk in _chunks(list(set(sentence_ids))):
            q = (
                "SELECT s.rowid, v.vec FROM sentences s JOIN vectors v ON v.rowid = s.vector_id"
                f" WHERE s.rowid IN ({','.join('?' * len(chunk))})"
            )
            for sid, blob in self.conn.execute(q, chunk):
                out[sid] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        return out

    def stats(self) -> dict:
        q = self.conn.execute
        n_articles = q("SELECT count(*) FROM articles").fetchone()[0]
        first, last = q("SELECT min(published), max(published) FROM articles").fetchone()
        size = 0
        for p in self.path.iterdir():
            try:
                size += p.stat().st_size if p.is_file() else 0
            except FileNotFoundError:
                pass  # an old index file removed by a concurrent writer
        return {
            "path": str(self.path),
            "articles": n_articles,
            "sentences": q("SELECT count(*) FROM sentences").fetchone()[0],
            "distinct_sentence_vectors": q("SELECT count(*) FROM vectors").fetchone()[0],
            "outlets": q("SELECT count(DISTINCT outlet) FROM articles").fetchone()[0],
            "origins": q("SELECT count(DISTINCT origin) FROM articles").fetchone()[0],
            "undated_articles": q("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0],
            "first_published": first,
            "last_published": last,
            "embedder": self.embedder_name,
            "size_bytes": size,
        }

    def stored_articles(self, describe: Describe | None = None, article_ids: list[str] | None = None) -> list[StoredArticle]:
        """Every article (or those named) with its mean sentence embedding. ``describe`` gets
        each article's sentences as (text, vector id) and returns more StoredArticle fields
        (statements and names). One ordered pass over articles and one over their sentences;
        texts are held one article at a time."""
        article_q = "SELECT rowid, id, outlet, origin, title, published, text FROM articles"
        sentence_q = ("SELECT s.article_rowid, s.start, s.end, s.vector_id, v.vec FROM sentences s"
                      " JOIN vectors v ON v.rowid = s.vector_id")
        if article_ids is None:
            return self._read_articles(self.conn.execute(article_q + " ORDER BY rowid"),
                                       self.conn.cursor().execute(sentence_q + " ORDER BY s.article_rowid, s.idx"),
                                       describe)
        out: list[StoredArticle] = []
        ids = sorted(set(article_ids))
        for i in range(0, len(ids), 500):  # under SQLite's variable limit
            chunk = ids[i:i + 500]
            rows = self.conn.execute(article_q + f" WHERE id IN ({','.join('?' * len(chunk))}) ORDER BY rowid", chunk).fetchall()
            rowids = [r[0] for r in rows]
            sentences = self.conn.execute(
                sentence_q + f" WHERE s.article_rowid IN ({','.join('?' * len(rowids))}) ORDER BY s.article_rowid, s.idx",
                rowids,
            )
            out += self._read_articles(rows, sentences, describe)
        return out

    @staticmethod
    def _read_articles(articles, sentences, describe: Describe | None) -> list[StoredArticle]:
        """Merge article rows (by rowid) with their sentence rows (by article rowid, idx)."""
        out = []
        pending = next(sentences, None)
        for arow, aid, outlet, origin, title, published, text in articles:
            while pending is not None and pending[0] < arow:  # sentences of an article not asked for
                pending = next(sentences, None)
            rows = []
            while pending is not None and pending[0] == arow:
                rows.append(pending)
                pending = next(sentences, None)
            vec = None
            if rows:
                vec = np.sum([np.frombuffer(r[4], dtype=np.float16).astype(np.float32) for r in rows], axis=0)
                vec = vec / (np.linalg.norm(vec) or 1.0)
            extra = describe([(text[a:b], vid) for _, a, b, vid, _ in rows]) if describe else {}
            out.append(StoredArticle(article_id=aid, outlet=outlet, origin=origin, title=title,
                                     published=date.fromisoformat(published) if published else None,
                                     sentences=len(rows), vector=vec, **extra))
        return out

    def export(self, batch_size: int = 256) -> Iterator[list[PreparedArticle]]:
        last = 0
        while True:
            rows = self.conn.execute(
                "SELECT rowid, id, content_hash, url, outlet, title, published, text, source, origin, minhash"
                " FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, batch_size)).fetchall()
            if not rows:
                return
            sentences: dict[int, list] = {}
            for arow, start, end, text_hash, vec in self.conn.execute(
                    "SELECT s.article_rowid, s.start, s.end, v.text_hash, v.vec FROM sentences s"
                    " JOIN vectors v ON v.rowid = s.vector_id WHERE s.article_rowid BETWEEN ? AND ?"
                    " ORDER BY s.article_rowid, s.idx", (rows[0][0], rows[-1][0])):
                sentences.setdefault(arow, []).append((start, end, text_hash, np.frombuffer(vec, dtype=np.float16)))
            yield [exported_article(
                Article(id=aid, text=text, url=url, outlet=outlet, title=title,
                        published=date.fromisoformat(published) if published else None, source=source),
                content_hash, origin, minhash, sentences.get(arow, []))
                for arow, aid, content_hash, url, outlet, title, published, text, source, origin, minhash in rows]
            last = rows[-1][0]

    def top_outlets(self, limit: int = 10) -> list[tuple[str, int]]:
        return self.conn.execute(
            "SELECT coalesce(outlet, '(unknown)'), count(*) c FROM articles GROUP BY outlet ORDER BY c DESC LIMIT ?",
            (limit,),
        ).fetchall()

    def close(self) -> None:
        try:
            if self._lock_fh is not None:
                self.save_ann()
        finally:
            self.conn.close()
            if self._lock_fh is not None:
                self._lock_fh.close()
                self._lock_fh = None
