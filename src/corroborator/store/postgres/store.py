"""The Store protocol on PostgreSQL + pgvector, for an archive many processes read and write.

Same rows as the embedded store: articles, their sentences, and one row per distinct sentence
text in ``vectors`` (its half-precision embedding in pgvector, HNSW cosine index, and its
postings for full-text search). Many writers at once: uniqueness is the database's (content hash, article
id, sentence-text hash; INSERT ... ON CONFLICT), never a process lock, so two runs indexing the
same articles store each once. Schema versions live in ``meta``; ``_MIGRATIONS`` upgrades an
older database in one transaction under an advisory lock.

Full-text search is BM25 computed in SQL over our own postings (term, text, frequency), with
the tokens of text/tokens.py and FTS5's constants (k1 1.2, b 0.75, idf floor 1e-6), on the 8
rarest query terms as the embedded store does: PostgreSQL's ts_rank is not BM25, and with it
the two stores chose different evidence for the same claims (17 of 18 verdicts alike on a demo
article, evidence order alike for 3). Same ranking, same reports (tests/store/test_postgres.py)."""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from corroborator.domain import Article, Candidate, StoredArticle, first_line, page_at
from corroborator.errors import ArchiveEmptyError, StoreError
from corroborator.store import PreparedArticle, exported_article, selective_terms
from corroborator.text.tokens import word_tokens

SCHEMA_VERSION = "2"
_COPIES_PER_TEXT = 8  # as the embedded store: sentences returned per matching distinct text
_EXACT_SEARCH_BELOW = 50_000  # as the embedded store: exact nearest neighbours below this many texts


def _ddl(dim: int) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS vector",
        "CREATE TABLE IF NOT EXISTS meta(key text PRIMARY KEY, value text NOT NULL)",
        """CREATE TABLE IF NOT EXISTS articles(
            rid bigserial PRIMARY KEY, id text NOT NULL UNIQUE, content_hash text NOT NULL UNIQUE,
            url text, outlet text, title text, published date, text text NOT NULL, source text,
            added_at timestamptz NOT NULL DEFAULT now(), origin text, minhash bytea)""",
        "CREATE TABLE IF NOT EXISTS minhash_bands(key bigint NOT NULL, article_rid bigint NOT NULL REFERENCES articles(rid))",
        "CREATE INDEX IF NOT EXISTS minhash_bands_key ON minhash_bands(key)",
        f"""CREATE TABLE IF NOT EXISTS vectors(
            rid bigserial PRIMARY KEY, text_hash text NOT NULL UNIQUE, vec halfvec({dim}) NOT NULL,
            ntokens integer NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS vectors_hnsw ON vectors USING hnsw (vec halfvec_cosine_ops)",
        # the full-text index: postings by term, document frequencies, and the totals BM25 needs.
        # A search reads its terms' postings from the B-tree alone (an index-only scan: the key
        # includes the term frequency and the text's length), never from rows scattered over the heap
        "CREATE TABLE IF NOT EXISTS postings(term text NOT NULL, vector_id bigint NOT NULL REFERENCES vectors(rid), "
        "tf integer NOT NULL, dl integer NOT NULL, PRIMARY KEY (term, vector_id) INCLUDE (tf, dl))",
        "CREATE TABLE IF NOT EXISTS terms(term text PRIMARY KEY, df bigint NOT NULL)",
        "CREATE TABLE IF NOT EXISTS fts_totals(id integer PRIMARY KEY CHECK (id = 1), texts bigint NOT NULL, "
        "tokens bigint NOT NULL)",
        "INSERT INTO fts_totals VALUES (1, 0, 0) ON CONFLICT DO NOTHING",
        """CREATE TABLE IF NOT EXISTS sentences(
            rid bigserial PRIMARY KEY, article_rid bigint NOT NULL REFERENCES articles(rid), idx integer NOT NULL,
            start_char integer NOT NULL, end_char integer NOT NULL, vector_id bigint NOT NULL REFERENCES vectors(rid))""",
        "CREATE INDEX IF NOT EXISTS sentences_article ON sentences(article_rid, idx)",
        "CREATE INDEX IF NOT EXISTS sentences_vector ON sentences(vector_id)",
    ]


# schema version -> statements that bring a database at that version to the next one
_MIGRATIONS: dict[str, list[str]] = {
    # 1 -> 2: the text's length in each posting, and a covering key, so BM25 reads no heap page
    # and no vectors row per posting (100k articles, every one of the 8 rarest terms, machine
    # loaded alike: retrieval 5.0 s -> 0.53 s a check; bench/results/scale-pg-2026-12-02.json)
    "1": [
        "ALTER TABLE postings ADD COLUMN dl integer",
        "UPDATE postings p SET dl = v.ntokens FROM vectors v WHERE v.rid = p.vector_id",
        "ALTER TABLE postings ALTER COLUMN dl SET NOT NULL",
        "ALTER TABLE postings DROP CONSTRAINT postings_pkey",
        "ALTER TABLE postings ADD PRIMARY KEY (term, vector_id) INCLUDE (tf, dl)",
    ],
}
_LOCK_KEY = 0x636F72726F62  # advisory lock for schema changes ("corrob")


def change_stamp(address: str, connection=None) -> int:
    """The articles' largest row id: it only grows, so it changes whenever any writer added an
    article (store.archive_stamp). On ``connection`` when the caller has one to this database
    (a server's own pool: its service tables live in the archive's database), else on a
    connection opened and closed for it."""
    query = "SELECT coalesce(max(rid), 0) FROM articles"
    if connection is not None:
        return connection.execute(query).fetchone()[0]
    import psycopg

    try:
        with psycopg.connect(address, autocommit=True, connect_timeout=10) as conn:
            return conn.execute(query).fetchone()[0]
    except psycopg.OperationalError as exc:
        raise StoreError(f"store at {_redact(address)} unavailable: {exc}") from None


class PostgresStore:
    capabilities = frozenset({"full_text", "vector_search", "origins"})  # store/__init__.py

    def __init__(self, pool, address: str, dim: int, embedder_name: str) -> None:
        self.pool = pool
        self.address = address
        self.dim = dim
        self.embedder_name = embedder_name

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, address: str, *, create: bool = False, embedder_name: str | None = None, dim: int | None = None,
             writer: bool = False, wait: bool = False, on_wait=None) -> "PostgresStore":
        """The store in the database at ``address``. Writers need no lock here (``writer``,
        ``wait`` are for stores with one writer)."""
        try:
            import psycopg
            from pgvector.psycopg import register_vector
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StoreError("PostgreSQL stores need the postgres extra: pip install 'corroborator[postgres]'") from None
        shown = _redact(address)
        try:
            with psycopg.connect(address, autocommit=True, connect_timeout=10) as conn:
                meta = _ensure_schema(conn, create, embedder_name, dim, shown)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the store at {shown}: {str(exc).strip().splitlines()[0]}") from None
        if embedder_name and meta.get("embedder") != embedder_name:
            raise StoreError(f"store at {shown} was built with embedder {meta.get('embedder')!r}, not {embedder_name!r}")

        def configure(conn) -> None:
            register_vector(conn)
            conn.execute("SET hnsw.ef_search = 100")
            conn.commit()

        pool = ConnectionPool(address, min_size=1, max_size=4, configure=configure, open=True,
                              kwargs={"connect_timeout": 10})
        return cls(pool, shown, int(meta["dim"]), meta["embedder"])

    def checkpoint(self) -> None:
        """Store protocol: every commit is durable and searchable already."""

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def bulk_load(self):
        """Store protocol: a load into an empty store builds the HNSW index once at the end,
        from all the rows (pgvector's build is much faster than an insertion per row), then
        VACUUM (ANALYZE) (postings by index-only scans). A load killed before the end leaves no
        index (searches scan) and the next load builds it; into a store with rows, nothing changes."""
        with self.pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY + 1,))
            if conn.execute("SELECT NOT EXISTS (SELECT 1 FROM vectors)").fetchone()[0]:
                conn.execute("DROP INDEX IF EXISTS vectors_hnsw")
        try:
            yield
        finally:
            with self.pool.connection() as conn:
                # concurrent writers finishing together: one builds, the others find it built
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY + 1,))
                built = conn.execute("SELECT to_regclass('vectors_hnsw') IS NULL").fetchone()[0]
                if built:
                    rows = conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
                    # the graph is built in memory when it fits (~1.2 KB a 384-d halfvec text, m = 16):
                    # up to 4 GB unless the server (or the address: options=-c maintenance_work_mem=12GB)
                    # already allows more
                    server_mb = conn.execute("SELECT setting::bigint / 1024 FROM pg_settings "
                                             "WHERE name = 'maintenance_work_mem'").fetchone()[0]
                    wanted_mb = min(max(rows * 1200 // 2**20, 64), 4096)
                    conn.execute(f"SET LOCAL maintenance_work_mem = '{max(wanted_mb, server_mb)}MB'")
                    conn.execute("CREATE INDEX IF NOT EXISTS vectors_hnsw ON vectors USING hnsw (vec halfvec_cosine_ops)")
            if built:
                with self.pool.connection() as conn:
                    conn.autocommit = True
                    try:
                        conn.execute("VACUUM (ANALYZE) postings, vectors, sentences, articles")
                    finally:
                        conn.autocommit = False

    def _rows(self, query: str, params=()) -> list[tuple]:
        with self.pool.connection() as conn:
            return conn.execute(query, params).fetchall()

    # --- writing -------------------------------------------------------------------------

    def existing_content(self, hashes: list[str]) -> set[str]:
        return {r[0] for r in self._rows("SELECT content_hash FROM articles WHERE content_hash = ANY(%s)", (list(set(hashes)),))}

    def missing_vectors(self, text_hashes: list[str]) -> set[str]:
        wanted = set(text_hashes)
        wanted.difference_update(r[0] for r in self._rows("SELECT text_hash FROM vectors WHERE text_hash = ANY(%s)",
                                                          (list(wanted),)))
        return wanted

    @staticmethod
    def _insert_texts(conn, stored: list, vectors: dict[str, np.ndarray]) -> tuple[dict, list, dict, int]:
        """The batch's sentence texts not stored yet, in one statement (in order of first
        appearance: the embedded store's row order): (text hash -> vector rid for every text of
        the batch, postings of the new texts, the new texts' rids, their token count)."""
        from pgvector import HalfVector

        hashes = list({h for prep, _ in stored for h in prep.sentence_hashes})
        known = dict(conn.execute("SELECT text_hash, rid FROM vectors WHERE text_hash = ANY(%s)", (hashes,)).fetchall())
        new: dict[str, tuple[np.ndarray, list[str]]] = {}
        for prep, _ in stored:
            for (start, end), th in zip(prep.spans, prep.sentence_hashes):
                if th not in known and th not in new:
                    vec = vectors.get(th)
                    if vec is None:
                        raise StoreError(f"internal: no embedding for a sentence of {prep.article.id}")
                    new[th] = (vec, word_tokens(prep.article.text[start:end]))
        postings: list[tuple[str, int, int, int]] = []
        new_tokens = 0
        inserted: dict[str, int] = {}
        if new:
            order = list(new)
            inserted = dict(conn.execute(
                "INSERT INTO vectors(text_hash, vec, ntokens) "
                "SELECT h, v, n FROM unnest(%s::text[], %s::halfvec[], %s::integer[]) WITH ORDINALITY AS x(h, v, n, i) "
                "ORDER BY i ON CONFLICT (text_hash) DO NOTHING RETURNING text_hash, rid",
                (order, [HalfVector(np.asarray(new[h][0], dtype=np.float32)) for h in order],
                 [len(new[h][1]) for h in order])).fetchall())
            known.update(inserted)
            missing = [h for h in order if h not in inserted]  # another writer stored these meanwhile
            if missing:
                known.update(conn.execute("SELECT text_hash, rid FROM vectors WHERE text_hash = ANY(%s)",
                                          (missing,)).fetchall())
            for h, rid in inserted.items():
                tokens = new[h][1]
                postings.extend((term, rid, tf, len(tokens)) for term, tf in Counter(tokens).items())
                new_tokens += len(tokens)
        return known, postings, inserted, new_tokens

    def add(self, batch, vectors: dict[str, np.ndarray]) -> int:
        """One transaction per batch; an article another writer stored meanwhile (same content
        hash) is skipped, a sentence text another writer embedded is shared. The new sentence
        texts go in with one statement, sentences and postings by COPY (a statement per row
        spent more time in round trips than in the database)."""
        with self.pool.connection() as conn, conn.transaction():
            stored = []  # (prep, article rid) of the articles this batch adds, in order
            for prep in batch:
                article_rid = self._insert_article(conn, prep)
                if article_rid is None:
                    continue  # an exact copy is stored already
                stored.append((prep, article_rid))
                if prep.fingerprint is not None:
                    if prep.origin is None:
                        raise StoreError(f"internal: no origin decided for {prep.article.id}")
                    conn.execute("UPDATE articles SET origin = %s, minhash = %s WHERE rid = %s",
                                 (prep.origin, prep.fingerprint.signature.tobytes(), article_rid))
                    conn.execute("INSERT INTO minhash_bands(key, article_rid) SELECT unnest(%s::bigint[]), %s",
                                 ([int(b) for b in prep.fingerprint.bands], article_rid))
            if not stored:
                return 0
            known, postings, inserted, new_tokens = self._insert_texts(conn, stored, vectors)
            with conn.cursor() as cur:
                with cur.copy("COPY sentences (article_rid, idx, start_char, end_char, vector_id) FROM STDIN") as copy:
                    for prep, article_rid in stored:
                        for idx, ((start, end), th) in enumerate(zip(prep.spans, prep.sentence_hashes)):
                            copy.write_row((article_rid, idx, start, end, known[th]))
                if postings:
                    with cur.copy("COPY postings (term, vector_id, tf, dl) FROM STDIN") as copy:
                        for row in postings:
                            copy.write_row(row)
                    # document frequencies in one sorted statement: concurrent writers lock terms in one order
                    df = sorted(Counter(row[0] for row in postings).items())
                    cur.execute("INSERT INTO terms SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                                "ON CONFLICT (term) DO UPDATE SET df = terms.df + EXCLUDED.df",
                                ([d[0] for d in df], [d[1] for d in df]))
                if inserted:  # every new text counts, as an FTS5 row does, even one without words
                    cur.execute("UPDATE fts_totals SET texts = texts + %s, tokens = tokens + %s",
                                (len(inserted), new_tokens))
        return len(stored)

    @staticmethod
    def _insert_article(conn, prep) -> int | None:
        """The new article's rid; None when its text is stored already. A taken id (same id,
        other text: an updated article) becomes id~hash, id~hash~2, ... as in the embedded store."""
        art = prep.article
        wanted, n = art.id, 1
        candidate = wanted
        while True:
            row = conn.execute(
                "INSERT INTO articles(id, content_hash, url, outlet, title, published, text, source) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING rid",
                (candidate, prep.content_hash, art.url, art.outlet, art.title, art.published, art.text, art.source),
            ).fetchone()
            if row is not None:
                return row[0]
            if conn.execute("SELECT 1 FROM articles WHERE content_hash = %s", (prep.content_hash,)).fetchone():
                return None
            candidate = f"{wanted}~{prep.content_hash[:8]}" + (f"~{n}" if n > 1 else "")
            n += 1

    # --- origins -------------------------------------------------------------------------

    def _band_rows(self, fp) -> list[tuple[str, np.ndarray, str]]:
        rows = self._rows(
            "SELECT DISTINCT a.rid, a.id, a.minhash, a.origin FROM minhash_bands b JOIN articles a ON a.rid = b.article_rid "
            "WHERE b.key = ANY(%s) ORDER BY a.rid", ([int(b) for b in fp.bands],))
        return [(aid, np.frombuffer(sig, dtype=np.uint32), origin) for _, aid, sig, origin in rows if sig is not None]

    def band_rows(self, fp) -> list[tuple[str, np.ndarray, str]]:
        return self._band_rows(fp)

    def ids_and_outlets(self, article_id: str) -> list[tuple[str, str | None]]:
        return [tuple(r) for r in self._rows("SELECT id, outlet FROM articles WHERE id = %s OR (id > %s AND id < %s)",
                                             (article_id, article_id + "~", article_id + "\x7f"))]

    def article_ids_for_content(self, content_hash: str) -> set[str]:
        return {r[0] for r in self._rows("SELECT id FROM articles WHERE content_hash = %s", (content_hash,))}

    # --- searching -----------------------------------------------------------------------

    def _sentences_for_texts(self, scored: dict[int, float]) -> list[tuple[int, float]]:
        if not scored:
            return []
        rows = self._rows(
            "SELECT rid, vector_id FROM (SELECT rid, vector_id, row_number() OVER (PARTITION BY vector_id ORDER BY rid) n "
            "FROM sentences WHERE vector_id = ANY(%s)) s WHERE n <= %s", (list(scored), _COPIES_PER_TEXT))
        hits = [(sid, scored[vid]) for sid, vid in rows]
        hits.sort(key=lambda h: (-h[1], h[0]))
        return hits

    def term_frequencies(self, terms: list[str]) -> dict[str, int]:
        terms = list(dict.fromkeys(t for t in terms if t))
        if not terms:
            return {}
        with self.pool.connection() as conn:
            return dict(conn.execute("SELECT term, df FROM terms WHERE term = ANY(%s)", (terms,)).fetchall())

    def search_bm25(self, terms: list[str], limit: int) -> list[tuple[int, float]]:
        """BM25 over distinct sentence texts for an OR of the rarest query terms (as FTS5's
        bm25(): idf = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6)."""
        terms = list(dict.fromkeys(t for t in terms if t))
        if not terms:
            return []
        with self.pool.connection() as conn:
            df = dict(conn.execute("SELECT term, df FROM terms WHERE term = ANY(%s)", (terms,)).fetchall())
            rare = selective_terms(terms, df)
            if not rare:
                return []
            texts, tokens = conn.execute("SELECT texts, tokens FROM fts_totals").fetchone()
            idf = [max(math.log((texts - df[t] + 0.5) / (df[t] + 0.5)), 1e-6) for t in rare]
            rows = conn.execute(
                "SELECT p.vector_id, sum(q.idf * (p.tf * (%(k1)s + 1)) / "
                "(p.tf + %(k1)s * (1 - %(b)s + %(b)s * p.dl / %(avgdl)s))) AS score "
                "FROM postings p JOIN unnest(%(terms)s::text[], %(idf)s::float8[]) AS q(term, idf) ON q.term = p.term "
                "GROUP BY p.vector_id ORDER BY score DESC, p.vector_id LIMIT %(limit)s",
                {"k1": 1.2, "b": 0.75, "avgdl": tokens / max(texts, 1), "terms": rare, "idf": idf, "limit": limit},
            ).fetchall()
        return self._sentences_for_texts({int(vid): float(score) for vid, score in rows})

    def search_dense(self, vectors: np.ndarray, limit: int) -> list[list[tuple[int, float]]]:
        from pgvector import HalfVector

        out = []
        with self.pool.connection() as conn, conn.transaction():
            conn.execute(f"SET LOCAL hnsw.ef_search = {max(100, int(limit))}")
            (texts,) = conn.execute("SELECT texts FROM fts_totals").fetchone()
            if texts < _EXACT_SEARCH_BELOW:
                # as the embedded store: exact below this size (a scan is still fast), so both
                # stores find the same neighbours; the HNSW index above it
                conn.execute("SET LOCAL enable_indexscan = off")
            for vec in vectors:
                q = HalfVector(np.asarray(vec, dtype=np.float32))
                rows = conn.execute("SELECT rid, 1 - (vec <=> %s) FROM vectors ORDER BY vec <=> %s LIMIT %s",
                                    (q, q, limit)).fetchall()
                out.append({int(rid): float(sim) for rid, sim in rows})
        return [self._sentences_for_texts(scored) for scored in out]

    def candidates(self, sentence_ids: list[int], context: int = 1) -> dict[int, Candidate]:
        if not sentence_ids:
            return {}
        rows = self._rows(
            "SELECT s.rid, s.article_rid, s.idx, s.start_char, s.end_char, a.id, a.outlet, a.title, a.published, a.url, "
            "a.origin, a.source, a.text, "
            "(SELECT string_agg(substr(a.text, n.start_char + 1, n.end_char - n.start_char), ' ' ORDER BY n.idx) "
            " FROM sentences n WHERE n.article_rid = s.article_rid AND n.idx >= s.idx - %s AND n.idx < s.idx), "
            "(SELECT string_agg(substr(a.text, n.start_char + 1, n.end_char - n.start_char), ' ' ORDER BY n.idx) "
            " FROM sentences n WHERE n.article_rid = s.article_rid AND n.idx > s.idx AND n.idx <= s.idx + %s) "
            "FROM sentences s JOIN articles a ON a.rid = s.article_rid WHERE s.rid = ANY(%s)",
            (context, context, list(set(sentence_ids))))
        out = {}
        for sid, _, _, start, end, aid, outlet, title, published, url, origin, source, text, before, after in rows:
            out[sid] = Candidate(sentence_id=sid, article_id=aid, outlet=outlet, title=title or first_line(text),
                                 published=published, url=url, source=source, origin=origin,
                                 sentence=text[start:end], page=page_at(text, start), context_before=before or "",
                                 context_after=after or "")
        return out

    def sentence_vectors(self, sentence_ids: list[int]) -> dict[int, np.ndarray]:
        rows = self._rows("SELECT s.rid, v.vec FROM sentences s JOIN vectors v ON v.rid = s.vector_id WHERE s.rid = ANY(%s)",
                          (list(set(sentence_ids)),))
        return {sid: np.asarray(vec.to_numpy(), dtype=np.float16).astype(np.float32) for sid, vec in rows}

    # --- the archive as a whole ----------------------------------------------------------

    def stats(self) -> dict:
        (n, first, last, outlets, origins, undated), = self._rows(
            "SELECT count(*), min(published), max(published), count(DISTINCT outlet), count(DISTINCT origin), "
            "count(*) FILTER (WHERE published IS NULL) FROM articles")
        (sentences,), = self._rows("SELECT count(*) FROM sentences")
        (distinct,), = self._rows("SELECT count(*) FROM vectors")
        (size,), = self._rows("SELECT pg_database_size(current_database())")
        return {"path": self.address, "articles": n, "sentences": sentences, "distinct_sentence_vectors": distinct,
                "outlets": outlets, "origins": origins, "undated_articles": undated,
                "first_published": first.isoformat() if first else None,
                "last_published": last.isoformat() if last else None,
                "embedder": self.embedder_name, "size_bytes": size}

    def stored_articles(self, describe=None, article_ids: list[str] | None = None) -> list[StoredArticle]:
        where, params = ("", ()) if article_ids is None else ("WHERE a.id = ANY(%s)", (sorted(set(article_ids)),))
        out = []
        with self.pool.connection() as conn:
            articles = conn.execute(f"SELECT a.rid, a.id, a.outlet, a.origin, a.title, a.published, a.text FROM articles a "
                                    f"{where} ORDER BY a.rid", params).fetchall()
            for arow, aid, outlet, origin, title, published, text in articles:
                rows = conn.execute("SELECT s.start_char, s.end_char, s.vector_id, v.vec FROM sentences s "
                                    "JOIN vectors v ON v.rid = s.vector_id WHERE s.article_rid = %s ORDER BY s.idx",
                                    (arow,)).fetchall()
                vec = None
                if rows:
                    vec = np.sum([np.asarray(r[3].to_numpy(), dtype=np.float16).astype(np.float32) for r in rows], axis=0)
                    vec = vec / (np.linalg.norm(vec) or 1.0)
                extra = describe([(text[a:b], vid) for a, b, vid, _ in rows]) if describe else {}
                out.append(StoredArticle(article_id=aid, outlet=outlet, origin=origin, title=title, published=published,
                                         sentences=len(rows), vector=vec, **extra))
        return out

    def export(self, batch_size: int = 256) -> Iterator[list[PreparedArticle]]:
        last = 0
        while True:
            rows = self._rows("SELECT rid, id, content_hash, url, outlet, title, published, text, source, origin, minhash"
                              " FROM articles WHERE rid > %s ORDER BY rid LIMIT %s", (last, batch_size))
            if not rows:
                return
            sentences: dict[int, list] = {}
            for arid, start, end, text_hash, vec in self._rows(
                    "SELECT s.article_rid, s.start_char, s.end_char, v.text_hash, v.vec FROM sentences s"
                    " JOIN vectors v ON v.rid = s.vector_id WHERE s.article_rid BETWEEN %s AND %s"
                    " ORDER BY s.article_rid, s.idx", (rows[0][0], rows[-1][0])):
                sentences.setdefault(arid, []).append((start, end, text_hash,
                                                       np.asarray(vec.to_numpy(), dtype=np.float16)))
            yield [exported_article(
                Article(id=aid, text=text, url=url, outlet=outlet, title=title, published=published, source=source),
                content_hash, origin, bytes(minhash) if minhash is not None else None, sentences.get(arid, []))
                for arid, aid, content_hash, url, outlet, title, published, text, source, origin, minhash in rows]
            last = rows[-1][0]

    def top_outlets(self, limit: int = 10) -> list[tuple[str, int]]:
        return [tuple(r) for r in self._rows(
            "SELECT coalesce(outlet, '(unknown)'), count(*) c FROM articles GROUP BY outlet ORDER BY c DESC, 1 LIMIT %s",
            (limit,))]


def _redact(address: str) -> str:
    """The address without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", address)


def _ensure_schema(conn, create: bool, embedder_name: str | None, dim: int | None, shown: str) -> dict:
    """The store's meta; a new database gets the schema (when ``create``), an older schema is
    migrated, all under an advisory lock so that concurrent starts do it once."""
    conn.execute("SELECT pg_advisory_lock(%s)", (_LOCK_KEY,))
    try:
        has_meta = conn.execute("SELECT to_regclass('meta') IS NOT NULL").fetchone()[0]
        if not has_meta:
            others = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()").fetchone()[0]
            if others:
                raise StoreError(f"{shown} holds other tables but no corroborator store; refusing to write there")
            if not create:
                raise ArchiveEmptyError(f"no store at {shown} (run 'corroborator index PATH --store ...' first)")
            if not embedder_name or not dim:
                raise StoreError("cannot create a store without knowing the embedder")
            with conn.transaction():
                for statement in _ddl(dim):
                    conn.execute(statement)
                conn.execute("INSERT INTO meta VALUES ('schema_version', %s), ('embedder', %s), ('dim', %s), "
                             "('created', %s)", (SCHEMA_VERSION, embedder_name, str(dim), time.strftime("%Y-%m-%dT%H:%M:%S")))
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        while meta.get("schema_version") in _MIGRATIONS:
            with conn.transaction():
                for statement in _MIGRATIONS[meta["schema_version"]]:
                    conn.execute(statement)
                meta["schema_version"] = str(int(meta["schema_version"]) + 1)
                conn.execute("UPDATE meta SET value = %s WHERE key = 'schema_version'", (meta["schema_version"],))
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise StoreError(f"store at {shown} has schema version {meta.get('schema_version')}, expected {SCHEMA_VERSION}")
        return meta
    finally:
        conn.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))


