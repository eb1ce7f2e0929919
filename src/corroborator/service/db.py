"""The service database: access tokens (stored hashed), sign-in sessions, and jobs with their
reports. Beside an embedded archive it is one SQLite file (``<store>/service.db``), apart from
store.db so that job bookkeeping never takes the archive's writer lock and a check's progress
never waits for an indexing run. With a PostgreSQL archive it is tables in the same database,
shared by every server on it (`serve` instances register in ``instances`` and heartbeat; a
job belongs to the instance that runs it). The SQL is written once: both dialects take
``ON CONFLICT``, row values and partial indexes; ``?`` becomes ``%s`` for psycopg, and the
few differences (a row's sequence, JSON paths, column types) are in ``_Dialect``.

A job is a check or an indexing run: queued → running → done | failed | cancelled. Jobs and reports
survive a restart; a job that was queued or running when the server stopped is marked failed
with the reason when the server starts again (``fail_unfinished``), never silently lost."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import os
import socket
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from corroborator.errors import StoreError

ROLES = ("reader", "checker", "admin")
SESSION_SECONDS = 12 * 3600
_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, hash TEXT UNIQUE NOT NULL, role TEXT NOT NULL, name TEXT,
    created REAL NOT NULL, revoked REAL);
CREATE TABLE IF NOT EXISTS sessions (
    hash TEXT PRIMARY KEY, token_id TEXT NOT NULL REFERENCES tokens(id), created REAL NOT NULL, expires REAL NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, owner TEXT, title TEXT,
    created REAL NOT NULL, started REAL, finished REAL, stage TEXT, done INTEGER DEFAULT 0, total INTEGER DEFAULT 0,
    error TEXT, result TEXT, html TEXT, lease TEXT, callback TEXT, notified REAL, attempts INTEGER DEFAULT 0,
    next_attempt REAL, delivery TEXT, request TEXT, instance TEXT, tries INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS jobs_by_kind ON jobs(kind, created);
CREATE TABLE IF NOT EXISTS secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    token_id TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, job_id TEXT NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (token_id, key));
CREATE TABLE IF NOT EXISTS instances (
    id TEXT PRIMARY KEY, host TEXT, pid INTEGER, started REAL NOT NULL, heartbeat REAL NOT NULL);
"""

_ADDED_COLUMNS = (("lease", "TEXT"), ("callback", "TEXT"), ("notified", "REAL"), ("attempts", "INTEGER DEFAULT 0"),
                  ("next_attempt", "REAL"), ("delivery", "TEXT"), ("request", "TEXT"), ("instance", "TEXT"),
                  ("tries", "INTEGER DEFAULT 0"))
FINISHED = ("done", "failed", "cancelled")
_JOB_COLUMNS = "id, kind, status, owner, title, created, started, finished, stage, done, total, error, callback, delivery"

# what a list of checks shows of each finished report, read inside the database (a report is
# ~100 KB of JSON: the list never loads one into Python)
_DIGEST_FIELDS = {"outlet": ("article", "outlet"), "claims": ("summary", "claims"),
                  "supported": ("summary", "supported"), "refuted": ("summary", "refuted"),
                  "conflicting": ("summary", "conflicting"), "not_enough_info": ("summary", "not_enough_info"),
                  "risk": ("summary", "risk")}


@dataclass(frozen=True)
class _Dialect:
    seq: str  # a job row's position in insertion order
    json_path: str  # an expression of ``result`` and a path: "{a,b}" or "$.a.b" filled in
    real: str

    def digest(self) -> str:
        return ", ".join(f"CASE WHEN kind = 'check' AND status = 'done' THEN {self.json_path.format(*path)} END"
                         for path in _DIGEST_FIELDS.values())

    def ddl(self) -> list[str]:
        text = _SCHEMA.replace(" REAL", " " + self.real)
        if self.seq != "rowid":
            text = text.replace("CREATE TABLE IF NOT EXISTS jobs (\n    id TEXT PRIMARY KEY,",
                                f"CREATE TABLE IF NOT EXISTS jobs (\n    {self.seq} BIGSERIAL, id TEXT PRIMARY KEY,")
        return [stmt.strip() for stmt in text.split(";") if stmt.strip()]


_SQLITE = _Dialect(seq="rowid", json_path="json_extract(result, '$.{0}.{1}')", real="REAL")
_POSTGRES = _Dialect(seq="seq", json_path="(result::jsonb #> '{{{0},{1}}}')", real="DOUBLE PRECISION")


def is_server_address(address) -> bool:
    return isinstance(address, str) and address.startswith(("postgresql://", "postgres://"))


class _Result:
    def __init__(self, rowcount: int, rows: list[tuple] | None) -> None:
        self.rowcount, self._rows = rowcount, rows or []

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list[tuple]:
        return self._rows


class _PostgresConnection:
    """The few calls ServiceDB makes, over a psycopg pool (autocommit: each statement is its own
    transaction, as the SQLite connection's isolation_level=None)."""

    def __init__(self, pool) -> None:
        self.pool = pool

    def execute(self, sql: str, params=()) -> _Result:
        with self.pool.connection() as conn:
            cur = conn.execute(sql.replace("?", "%s"), params)
            return _Result(cur.rowcount, cur.fetchall() if cur.description else None)

    def close(self) -> None:
        pass


def _digest(values: tuple) -> dict | None:
    return dict(zip(_DIGEST_FIELDS, values)) if any(v is not None for v in values) else None


def _hash(secret: str) -> str:
    # tokens and session ids are 256-bit random strings: a plain SHA-256 is enough (nothing to
    # guess), and lets a token be found by its hash in one indexed query
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Token:
    id: str
    role: str
    name: str | None

    def may(self, role: str) -> bool:
        """Whether this token's role includes ``role`` (reader < checker < admin)."""
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass
class Job:
    id: str
    kind: str
    status: str
    owner: str | None
    title: str | None
    created: float
    started: float | None
    finished: float | None
    stage: str | None
    done: int
    total: int
    error: str | None
    callback: str | None = None
    delivery: str | None = None
    result: dict | None = None
    digest: dict | None = None  # a finished check's outlet, verdict counts and risk (job lists)

    def to_json(self, with_result: bool = True) -> dict:
        out = {"id": self.id, "kind": self.kind, "status": self.status, "title": self.title, "owner": self.owner,
               "created": _iso(self.created), "started": _iso(self.started), "finished": _iso(self.finished),
               "progress": {"stage": self.stage, "done": self.done, "total": self.total}, "error": self.error}
        if self.callback:
            out["callback"] = {"url": self.callback, "delivery": self.delivery or "pending"}
        if with_result:
            out["result"] = self.result
        return out


def _iso(t: float | None) -> str | None:
    return None if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


class ServiceDB:
    """The service's tables at ``address``: a SQLite file (one connection per thread: SQLite
    objects stay in their thread; WAL, so readers never wait for the writer) or a
    ``postgresql://`` database (a small connection pool shared by the threads)."""

    def __init__(self, address: Path | str, archive: str | Path | None = None) -> None:
        self.archive = archive  # the store it serves (archive_version), if any
        self.shared = is_server_address(address)
        self.address = address if self.shared else Path(address)
        self.path = None if self.shared else self.address  # the file, for an embedded archive
        self.sql = _POSTGRES if self.shared else _SQLITE
        self._local = threading.local()
        self._pool = None
        if self.shared:
            self._open_postgres()
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._conn()
            conn.executescript(_SCHEMA)
            have = {row[1] for row in conn.execute("PRAGMA table_info(jobs)")}
            for column, kind in _ADDED_COLUMNS:  # a service.db from before leases or webhooks
                if column not in have:
                    conn.execute(f"ALTER TABLE jobs ADD COLUMN {column} {kind}")
            conn.execute("CREATE INDEX IF NOT EXISTS jobs_to_notify ON jobs(next_attempt) "
                         "WHERE callback IS NOT NULL AND notified IS NULL")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the service database {self.path}: {exc}") from None

    def _open_postgres(self) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise StoreError("serving a PostgreSQL archive needs the postgres extra: "
                             "pip install 'corroborator[postgres]'") from None
        from corroborator.store.postgres.store import _LOCK_KEY, _redact

        shown = _redact(self.address)
        try:
            with psycopg.connect(self.address, autocommit=True, connect_timeout=10) as conn:
                with conn.transaction():  # one server at a time creates the tables
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY + 1,))
                    for stmt in self.sql.ddl():
                        conn.execute(stmt)
                    for column, kind in _ADDED_COLUMNS:  # tables made by an earlier version
                        conn.execute(f"ALTER TABLE jobs ADD COLUMN IF NOT EXISTS {column} "
                                     f"{kind.replace('REAL', self.sql.real)}")
                    conn.execute("CREATE INDEX IF NOT EXISTS jobs_to_notify ON jobs(next_attempt) "
                                 "WHERE callback IS NOT NULL AND notified IS NULL")
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the service tables at {shown}: {str(exc).strip().splitlines()[0]}") from None
        self._pool = ConnectionPool(self.address, min_size=1, max_size=4, open=True,
                                    kwargs={"connect_timeout": 10, "autocommit": True})

    def _conn(self):
        if self.shared:
            return _PostgresConnection(self._pool)
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        if self.shared:
            return  # the pool is the process's; close_pool() at the end
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def close_pool(self) -> None:
        if self._pool is not None:
            self._pool.close()

    # --- secrets, tokens, sessions --------------------------------------------------------

    def secret(self, name: str) -> str:
        """A random secret made once and kept (the key of the sign-in forms' CSRF tokens)."""
        conn = self._conn()
        conn.execute("INSERT INTO secrets VALUES (?, ?) ON CONFLICT DO NOTHING", (name, secrets.token_hex(32)))
        return conn.execute("SELECT value FROM secrets WHERE name = ?", (name,)).fetchone()[0]

    def create_token(self, role: str, name: str | None = None) -> tuple[Token, str]:
        """A new token of ``role``; the secret is returned once and only its hash is kept."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        secret = "cor_" + secrets.token_urlsafe(32)
        token = Token(id=secrets.token_hex(6), role=role, name=name)
        self._conn().execute("INSERT INTO tokens VALUES (?, ?, ?, ?, ?, NULL)",
                             (token.id, _hash(secret), role, name, time.time()))
        return token, secret

    def tokens(self) -> list[tuple[Token, float, float | None]]:
        rows = self._conn().execute("SELECT id, role, name, created, revoked FROM tokens ORDER BY created").fetchall()
        return [(Token(i, r, n), c, rv) for i, r, n, c, rv in rows]

    def revoke_token(self, token_id: str) -> bool:
        cur = self._conn().execute("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                                   (time.time(), token_id))
        self._conn().execute("DELETE FROM sessions WHERE token_id = ?", (token_id,))
        return cur.rowcount > 0

    def token(self, secret: str) -> Token | None:
        row = self._conn().execute("SELECT id, role, name FROM tokens WHERE hash = ? AND revoked IS NULL",
                                   (_hash(secret),)).fetchone()
        return Token(*row) if row else None

    def create_session(self, token: Token) -> str:
        sid = secrets.token_urlsafe(32)
        now = time.time()
        conn = self._conn()
        conn.execute("DELETE FROM sessions WHERE expires < ?", (now,))
        conn.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (_hash(sid), token.id, now, now + SESSION_SECONDS))
        return sid

    def session(self, sid: str) -> Token | None:
        row = self._conn().execute(
            "SELECT t.id, t.role, t.name FROM sessions s JOIN tokens t ON t.id = s.token_id "
            "WHERE s.hash = ? AND s.expires > ? AND t.revoked IS NULL", (_hash(sid), time.time())).fetchone()
        return Token(*row) if row else None

    def end_session(self, sid: str) -> None:
        self._conn().execute("DELETE FROM sessions WHERE hash = ?", (_hash(sid),))

    def csrf_token(self, sid: str) -> str:
        return hmac.new(self.secret("csrf").encode(), sid.encode(), hashlib.sha256).hexdigest()

    def counter(self, name: str) -> int:
        row = self._conn().execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
        return row[0] if row else 0

    def archive_version(self) -> tuple:
        """Changes whenever the archive this database serves may have: an indexing job of the
        server ended (the ``generation`` counter), or another writer (a command-line ``index``)
        changed it — the store backend's own stamp (store.archive_stamp), read through the store
        contract, never from the store's files."""
        from corroborator.store import archive_stamp

        if self.archive is None:
            return (self.counter("generation"), None)
        # a server store holds these tables too: its stamp is read on this database's pool
        return (self.counter("generation"), archive_stamp(self.archive, self._conn() if self.shared else None))

    def bump(self, name: str) -> None:
        self._conn().execute("INSERT INTO counters VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = counters.value + 1",
                             (name,))

    # --- jobs -----------------------------------------------------------------------------

    def create_job(self, kind: str, title: str | None, owner: str | None, callback: str | None = None,
                   request: dict | None = None, instance: str | None = None) -> str:
        """A queued job of server ``instance``; ``request`` (a check's article) is kept so that a
        failed or cancelled check can be submitted again, by a user or by another instance when
        this one stops."""
        job_id = secrets.token_hex(8)
        self._conn().execute("INSERT INTO jobs (id, kind, status, owner, title, created, callback, request, instance) "
                             "VALUES (?, ?, 'queued', ?, ?, ?, ?, ?, ?)",
                             (job_id, kind, owner, title, time.time(), callback,
                              json.dumps(request, ensure_ascii=False) if request is not None else None, instance))
        return job_id

    def job_request(self, job_id: str) -> dict | None:
        row = self._conn().execute("SELECT request FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    # A job's lease: start_job hands the worker a random lease, and only the holder of the
    # current lease of a running job can report progress or write its result. A restart marks
    # unfinished jobs failed and clears their leases, so a worker that outlived its server
    # (issue 25: one wrote "done" over a job the new server had failed) can never write.

    def start_job(self, job_id: str) -> str | None:
        """Take a queued job: its lease, or None when it is no longer queued."""
        lease = secrets.token_hex(8)
        cur = self._conn().execute("UPDATE jobs SET status = 'running', started = ?, lease = ? "
                                   "WHERE id = ? AND status = 'queued'", (time.time(), lease, job_id))
        return lease if cur.rowcount else None

    def progress(self, job_id: str, lease: str, stage: str, done: int, total: int) -> bool:
        cur = self._conn().execute("UPDATE jobs SET stage = ?, done = ?, total = ? "
                                   "WHERE id = ? AND lease = ? AND status = 'running'", (stage, done, total, job_id, lease))
        return bool(cur.rowcount)

    def finish_job(self, job_id: str, lease: str, result: dict, html: str | None = None) -> bool:
        """The result, written only under the job's current lease; False when it was revoked."""
        cur = self._conn().execute(
            "UPDATE jobs SET status = 'done', finished = ?, result = ?, html = ?, stage = 'done', lease = NULL "
            "WHERE id = ? AND lease = ? AND status = 'running'",
            (time.time(), json.dumps(result, ensure_ascii=False), html, job_id, lease))
        return bool(cur.rowcount)

    def fail_job(self, job_id: str, lease: str, reason: str) -> bool:
        cur = self._conn().execute("UPDATE jobs SET status = 'failed', finished = ?, error = ?, lease = NULL "
                                   "WHERE id = ? AND lease = ? AND status = 'running'", (time.time(), reason, job_id, lease))
        return bool(cur.rowcount)

    def remember_request(self, token_id: str, key: str, fingerprint: str, job_id: str) -> tuple[str, str]:
        """An Idempotency-Key's job: records (key -> job_id, fingerprint) unless the token used
        the key before; returns the job and fingerprint the key stands for (the first one)."""
        self._conn().execute("INSERT INTO idempotency VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                             (token_id, key, fingerprint, job_id, time.time()))
        return self.recalled_request(token_id, key)

    def recalled_request(self, token_id: str, key: str) -> tuple[str, str] | None:
        row = self._conn().execute("SELECT job_id, fingerprint FROM idempotency WHERE token_id = ? AND key = ?",
                                   (token_id, key)).fetchone()
        return (row[0], row[1]) if row else None

    def delete_job(self, job_id: str) -> None:
        self._conn().execute("DELETE FROM jobs WHERE id = ? AND status = 'queued'", (job_id,))

    def cancel_job(self, job_id: str, reason: str) -> bool:
        """Cancel a queued or running job: its lease goes, so a running check stops at its next
        progress call and can never write its result (the same rule as a restart)."""
        cur = self._conn().execute(
            "UPDATE jobs SET status = 'cancelled', finished = ?, error = ?, lease = NULL "
            "WHERE id = ? AND status IN ('queued', 'running')", (time.time(), reason, job_id))
        return bool(cur.rowcount)

    def remove_job(self, job_id: str) -> bool:
        """Delete a finished job and its report."""
        conn = self._conn()
        cur = conn.execute(f"DELETE FROM jobs WHERE id = ? AND status IN {FINISHED}", (job_id,))
        conn.execute("DELETE FROM idempotency WHERE job_id = ?", (job_id,))
        return bool(cur.rowcount)

    # --- webhooks: finished jobs with a callback, delivered by the server's notifier ---------

    def due_callbacks(self, now: float, limit: int = 20) -> list[Job]:
        rows = self._conn().execute(
            f"SELECT {_JOB_COLUMNS} FROM jobs WHERE callback IS NOT NULL AND notified IS NULL "
            f"AND status IN {FINISHED} AND coalesce(next_attempt, 0) <= ? ORDER BY finished LIMIT ?",
            (now, limit)).fetchall()
        return [Job(*r) for r in rows]

    def claim_callback(self, job_id: str, attempts: int, retry_at: float) -> bool:
        """Take one delivery attempt of a job's callback (an attempt counter compare-and-set, so
        two notifiers never send the same attempt); the next try is due at ``retry_at``."""
        cur = self._conn().execute("UPDATE jobs SET attempts = attempts + 1, next_attempt = ? "
                                   "WHERE id = ? AND notified IS NULL AND attempts = ?", (retry_at, job_id, attempts))
        return bool(cur.rowcount)

    def callback_attempts(self, job_id: str) -> int:
        row = self._conn().execute("SELECT attempts FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row[0] if row else 0

    def callback_result(self, job_id: str, delivery: str, final: bool) -> None:
        """What the last attempt gave ("delivered (HTTP 200)", "retrying: ...", "gave up: ...")."""
        self._conn().execute("UPDATE jobs SET delivery = ?, notified = CASE WHEN ? THEN ? ELSE notified END "
                             "WHERE id = ?", (delivery, final, time.time(), job_id))

    # --- server instances (several `serve` on one PostgreSQL archive) -----------------------

    def register_instance(self) -> str:
        """A new instance id for this server process, with its first heartbeat."""
        instance = secrets.token_hex(6)
        now = time.time()
        self._conn().execute("INSERT INTO instances VALUES (?, ?, ?, ?, ?)",
                             (instance, socket.gethostname(), os.getpid(), now, now))
        return instance

    def heartbeat(self, instance: str) -> None:
        self._conn().execute("UPDATE instances SET heartbeat = ? WHERE id = ?", (time.time(), instance))

    def end_instance(self, instance: str) -> None:
        self._conn().execute("DELETE FROM instances WHERE id = ?", (instance,))

    def claim_job(self, job_id: str, instance: str) -> None:
        self._conn().execute("UPDATE jobs SET instance = ? WHERE id = ?", (instance, job_id))

    def orphaned(self, stale_after: float) -> list[tuple[str, str, str | None, int]]:
        """Unfinished jobs whose instance stopped heartbeating ``stale_after`` seconds ago (or
        is gone): (id, kind, instance, tries)."""
        rows = self._conn().execute(
            "SELECT j.id, j.kind, j.instance, coalesce(j.tries, 0) FROM jobs j LEFT JOIN instances i ON i.id = j.instance "
            "WHERE j.status IN ('queued', 'running') AND (i.id IS NULL OR i.heartbeat < ?)",
            (time.time() - stale_after,)).fetchall()
        return [tuple(r) for r in rows]

    def adopt_job(self, job_id: str, old_instance: str | None, instance: str) -> bool:
        """Take over an orphaned job for one more try: queued again under this instance, its old
        lease revoked (the compare on the old instance makes one adopter win)."""
        cur = self._conn().execute(
            "UPDATE jobs SET status = 'queued', instance = ?, tries = coalesce(tries, 0) + 1, lease = NULL, "
            "started = NULL, stage = NULL, done = 0, total = 0 "
            "WHERE id = ? AND status IN ('queued', 'running') AND instance IS NOT DISTINCT FROM ?",
            (instance, job_id, old_instance))
        return bool(cur.rowcount)

    def fail_orphan(self, job_id: str, old_instance: str | None, reason: str) -> bool:
        cur = self._conn().execute(
            "UPDATE jobs SET status = 'failed', finished = ?, error = ?, lease = NULL "
            "WHERE id = ? AND status IN ('queued', 'running') AND instance IS NOT DISTINCT FROM ?",
            (time.time(), reason, job_id, old_instance))
        return bool(cur.rowcount)

    def fail_unfinished(self, reason: str) -> int:
        """Mark every queued or running job failed (at start-up: their worker is gone)."""
        cur = self._conn().execute(
            "UPDATE jobs SET status = 'failed', finished = ?, error = ?, lease = NULL WHERE status IN ('queued', 'running')",
            (time.time(), reason))
        return cur.rowcount

    def job(self, job_id: str) -> Job | None:
        row = self._conn().execute(f"SELECT {_JOB_COLUMNS}, result FROM jobs WHERE id = ?", (job_id,)).fetchone()
        if row is None:
            return None
        return Job(*row[:-1], result=json.loads(row[-1]) if row[-1] else None)

    def job_html(self, job_id: str) -> str | None:
        row = self._conn().execute("SELECT html FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return row[0] if row else None

    def jobs(self, kind: str | None, limit: int = 20, offset: int = 0, status: str | None = None,
             owner: str | None = None, after: tuple[float, int] | None = None) -> tuple[list[Job], int, tuple | None]:
        """Jobs newest first, of one kind (None: every kind), optionally of one status and owner;
        paged by ``offset`` or by ``after`` (the position of the last job of the page before:
        stable while new jobs arrive). Returns the page, the total and the next page's position."""
        where, params = [], []
        for column, value in (("kind", kind), ("status", status), ("owner", owner)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        conn = self._conn()
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        total = conn.execute(f"SELECT count(*) FROM jobs {clause}", params).fetchone()[0]
        if after is not None:
            where.append(f"(created < ? OR (created = ? AND {self.sql.seq} < ?))")
            params += [after[0], after[0], after[1]]
            offset = 0
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        seq = self.sql.seq
        rows = conn.execute(
            f"SELECT {_JOB_COLUMNS}, {self.sql.digest()}, created, {seq} FROM jobs {clause} "
            f"ORDER BY created DESC, {seq} DESC LIMIT ? OFFSET ?", (*params, limit + 1, offset)).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        following = (rows[-1][-2], rows[-1][-1]) if more and rows else None
        width = len(_DIGEST_FIELDS)
        return [Job(*r[:-2 - width], digest=_digest(r[-2 - width:-2])) for r in rows], total, following

    def queued(self, kind: str) -> int:
        return self._conn().execute("SELECT count(*) FROM jobs WHERE kind = ? AND status IN ('queued', 'running')",
                                    (kind,)).fetchone()[0]
