"""`corroborator batch` on a real two-node Ray cluster on 127.0.0.1 (ray.cluster_utils.Cluster):
the batch results equal the single-process ones, re-runs resume, bad records are reported."""

import json
import os
import shutil

import pytest

from ..conftest import DEMO, cli, store_rows
from ..end_to_end.test_golden import differences

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # and stay on loopback
ray = pytest.importorskip("ray", reason="needs Ray (the cluster extra)")


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    nodes = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "node_ip_address": "127.0.0.1",
                                                          "include_dashboard": False})
    nodes.add_node(num_cpus=1, node_ip_address="127.0.0.1")
    ray.init(address=nodes.address, logging_level="WARNING", log_to_driver=False)
    assert len([n for n in ray.nodes() if n["Alive"]]) == 2
    yield nodes.address
    ray.shutdown()
    nodes.shutdown()


def test_batch_index_equals_the_single_process_index(cluster, demo_store, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(DEMO / "corpus", corpus)
    (corpus / "empty.txt").write_bytes(b"")  # a bad record: reported, the run goes on
    store = tmp_path / "batch-store"
    run = cli("batch", "index", str(corpus), "--store", str(store), "--ray", cluster, "--workers", "2")
    assert run.returncode == 2 and "empty" in run.stderr and "27 added" in run.stdout, run.stdout + run.stderr
    query = ("SELECT a.id, a.origin, a.outlet, count(s.rowid) FROM articles a JOIN sentences s ON s.article_rowid = a.rowid "
             "GROUP BY a.id ORDER BY a.id")
    assert store_rows(store, query) == store_rows(demo_store, query)
    again = cli("batch", "index", str(DEMO / "corpus"), "--store", str(store), "--ray", cluster)
    assert again.returncode == 0 and "28 read, 0 added, 28 already stored" in again.stdout


def test_batch_check_equals_single_process_checks_and_resumes(cluster, demo_store, demo_core, tmp_path):
    from corroborator.ingest import read_paths

    out = tmp_path / "reports.jsonl"
    checks = DEMO / "check"
    run = cli("batch", "check", str(checks), "--store", str(demo_store), "--out", str(out), "--ray", cluster)
    assert run.returncode == 0 and "3 checked" in run.stdout, run.stdout + run.stderr
    batch = {r["article"]["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    for article in read_paths(sorted(checks.glob("*.md"))):
        single = json.loads(json.dumps(demo_core.check(article).to_json_dict(), ensure_ascii=False))
        found = [d for d in differences(batch[article.id], single) if "timings_ms" not in d]
        assert not found, (article.id, found[:5])
    again = cli("batch", "check", str(checks), "--store", str(demo_store), "--out", str(out), "--ray", cluster)
    assert again.returncode == 0 and "0 checked, 3 already in" in again.stdout
    assert len(out.read_text().splitlines()) == 3
