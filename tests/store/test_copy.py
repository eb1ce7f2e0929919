"""`corroborator copy`: an archive moved between stores (folder -> PostgreSQL -> folder) with
its vectors answers checks as the original does; re-runs add nothing; bad targets are refused."""


from corroborator.app import Corroborator, Settings
from corroborator.ingest import read_paths

from ..conftest import DEMO, cli, store_rows
from .reports import assert_same_reports


def test_copy_to_postgresql_and_back_keeps_the_archive_and_its_reports(demo_store, demo_core, postgres_server,
                                                                       tmp_path):
    uri = postgres_server()
    to_pg = cli("copy", uri, "--store", str(demo_store))
    assert to_pg.returncode == 0, to_pg.stderr
    back = tmp_path / "back"
    to_folder = cli("copy", str(back), "--store", uri)
    assert to_folder.returncode == 0, to_folder.stderr
    articles = "SELECT id, content_hash, outlet, origin, published, minhash FROM articles ORDER BY rowid"
    assert store_rows(back, articles) == store_rows(demo_store, articles)
    sentences = ("SELECT a.id, s.idx, s.start, s.end, v.text_hash, v.vec FROM sentences s JOIN articles a"
                 " ON a.rowid = s.article_rowid JOIN vectors v ON v.rowid = s.vector_id ORDER BY s.rowid")
    assert store_rows(back, sentences) == store_rows(demo_store, sentences)  # vectors bit for bit, texts in the same order
    import psycopg

    with psycopg.connect(uri) as conn:  # the HNSW index, built once after the load
        assert conn.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'vectors_hnsw'").fetchone()[0] == 1
    checks = list(read_paths(sorted((DEMO / "check").glob("*.md"))))
    with Corroborator(Settings(store=uri)) as core:
        assert_same_reports(core, demo_core, checks)
    with Corroborator(Settings(store=back)) as core:
        assert_same_reports(core, demo_core, checks[:1])

    again = cli("copy", uri, "--store", str(demo_store))
    assert again.returncode == 0 and " 0 added" in again.stdout, again.stdout


def test_copy_refuses_the_same_store_and_a_missing_source(demo_store, tmp_path):
    same = cli("copy", f"{demo_store}/../{demo_store.name}", "--store", str(demo_store))
    assert same.returncode == 2 and "same store" in same.stderr and "Traceback" not in same.stderr
    missing = cli("copy", str(tmp_path / "out"), "--store", str(tmp_path / "nothing-here"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert not (tmp_path / "out").exists()
