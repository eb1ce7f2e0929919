"""Load and faults against a real `corroborator serve` on 127.0.0.1 (a benchmark, not a test).

Load: N concurrent clients for D seconds over a copy of an archive: most read (stats, search,
check list, timeline, one article), a few check articles end to end (submit, poll until done),
one client adds articles to the archive. Errors (any 5xx, 429, refused connection; 4xx other
than the checks' 409/503 is a client bug and counts too), p50/p95 per endpoint, peak memory of
the server and its workers (RSS summed over the process tree).

Faults: kill -9 of the server (and its workers) during an indexing job and during a check,
restart, then: the store passes SQLite's integrity check, no stored article lacks sentences,
and every interrupted job reads "failed" with the reason (none lost silently).

    python bench/serve_load.py [--store DIR] [--clients 200] [--seconds 120] [--workers 1]

Without --store it indexes the demo corpus into a temporary store. Writes
bench/results/serve-load-<date>.json.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from corroborator.interfaces.web.launch import free_port, start_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEMO = ROOT / "src" / "corroborator" / "demo"
QUERIES = ["bombers over the Sea of Japan", "dockworkers strike", "port authority ships at anchor",
           "missile launch", "fighter jets escorted", "union said on Monday", "three hours", "Guam"]


def start(store: Path, port: int, workers: int, log: Path) -> subprocess.Popen:
    try:
        return start_server(store, port, log, "--workers", str(workers), "--rate", "1000000", "--max-upload-mb", "50")
    except RuntimeError as exc:
        raise SystemExit(str(exc)) from None


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
        todo.extend(children.get(p, []))
    return total


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo, seen = 0.0, [pid], set()
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                children.setdefault(int(fields[1]), []).append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError, ValueError):
            pass
        todo.extend(children.get(p, []))
    return total


def make_token(store: Path, role: str) -> str:
    out = subprocess.run([sys.executable, "-m", "corroborator", "token", "create", "--role", role, "--store", str(store)],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


async def load(base: str, token: str, clients: int, seconds: float, articles: list[str], route=None,
               killed_at: list | None = None) -> dict:
    """``route()``, when given, is the base URL for each request (a load balancer over several
    servers); a request that fails on a connection while it was in flight to a server killed at
    ``killed_at[0]`` (monotonic time) is counted apart, as the killed server's in-flight request."""
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    counts: dict[str, int] = {}
    in_flight_lost = [0]
    stop = time.monotonic() + seconds
    checks_done = [0]
    submitted: list[str] = []
    # idle connections are dropped by the client before the server's keep-alive timeout (20 s),
    # so no request is sent on a connection the server is closing
    limits = httpx.Limits(max_connections=clients + 10, max_keepalive_connections=clients + 10, keepalive_expiry=10)

    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as http:
        async def call(name: str, method: str, url: str, ok=(200,), **kw):
            start = time.perf_counter()
            began = time.monotonic()
            target = (route() if route else "") + url
            try:
                r = await http.request(method, target, **kw)
                status = r.status_code
            except httpx.HTTPError as exc:
                r, status = None, type(exc).__name__
            timings.setdefault(name, []).append(time.perf_counter() - start)
            counts[name] = counts.get(name, 0) + 1
            if status not in ok:
                if r is None and killed_at and killed_at[0] is not None and began <= killed_at[0] + 1.0:
                    in_flight_lost[0] += 1  # sent to the server as it was killed
                else:
                    errors[f"{name} {status}"] = errors.get(f"{name} {status}", 0) + 1
            return r

        async def reader(rng: random.Random):
            while time.monotonic() < stop:
                pick = rng.random()
                if pick < 0.35:
                    await call("search", "GET", "/v1/search", params={"q": rng.choice(QUERIES), "limit": 10})
                elif pick < 0.6:
                    await call("stats", "GET", "/v1/stats")
                elif pick < 0.85:
                    await call("list checks", "GET", "/v1/checks", params={"limit": 20})
                elif pick < 0.95:
                    await call("article", "GET", "/v1/articles/demo-001")
                else:
                    await call("timeline", "GET", "/v1/timeline")

        async def checker(rng: random.Random):
            while time.monotonic() < stop:
                r = await call("submit check", "POST", "/v1/checks", ok=(202,), json={"text": rng.choice(articles)})
                if r is None or r.status_code != 202:
                    await asyncio.sleep(1)
                    continue
                url = r.json()["links"]["self"]
                submitted.append(r.json()["id"])
                while time.monotonic() < stop + 240:
                    job = await call("poll check", "GET", url)
                    if job is None:
                        await asyncio.sleep(0.5)  # the server went away: ask again (another one answers)
                        continue
                    if job.json()["status"] in ("done", "failed", "cancelled"):
                        if job is not None and job.json()["status"] == "done":
                            checks_done[0] += 1
                        elif job is not None:
                            errors["check failed"] = errors.get("check failed", 0) + 1
                        break
                    await asyncio.sleep(0.5)

        async def indexer():
            i = 0
            while time.monotonic() < stop:
                rows = "\n".join(json.dumps({"id": f"load-{i}-{k}", "outlet": "Load Wire",
                                             "text": f"Load test report {i}-{k}: the ferry line {k} carried "
                                                     f"{i * 31 + k} passengers on Sunday, the operator said."})
                                 for k in range(50))
                i += 1
                r = await call("add articles", "POST", "/v1/articles", ok=(202,), content=rows.encode(),
                               headers={**headers, "content-type": "application/x-ndjson"})
                if r is not None and r.status_code == 202:
                    url = r.json()["links"]["self"]
                    while time.monotonic() < stop + 240:
                        job = await call("poll job", "GET", url)
                        if job is not None and job.json()["status"] in ("done", "failed"):
                            break
                        await asyncio.sleep(0.5)
                await asyncio.sleep(5)

        n_checkers = max(1, clients // 50)
        tasks = [checker(random.Random(i)) for i in range(n_checkers)] + [indexer()]
        tasks += [reader(random.Random(1000 + i)) for i in range(clients - len(tasks))]
        await asyncio.gather(*tasks)
    per = {name: {"requests": counts[name], "p50_ms": round(1000 * statistics.median(ts), 1),
                  "p95_ms": round(1000 * pct(ts, 0.95), 1)} for name, ts in sorted(timings.items())}
    return {"endpoints": per, "errors": errors, "checks_completed": checks_done[0], "checks_submitted": submitted,
            "killed_in_flight": in_flight_lost[0],
            "requests": sum(counts.values()), "requests_per_s": round(sum(counts.values()) / seconds, 1)}


def faults(store: Path, token: str, workers: int, log: Path) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    out = {}
    for phase in ("indexing", "checking"):
        proc = start(store, port, workers, log)
        if phase == "indexing":
            rows = "\n".join(json.dumps({"id": f"fault-{i}", "text": f"Fault test {i}: the council voted {i % 9} to "
                                         f"{i % 5} on Monday to repair bridge {i}, officials said."})
                             for i in range(3000))
            job = httpx.post(f"{base}/v1/articles", content=rows.encode(), headers={**headers,
                             "content-type": "application/x-ndjson"}, timeout=60).json()["id"]
            url = f"{base}/v1/jobs/{job}"
        else:
            text = next((DEMO / "check").glob("check-001*.md")).read_text()
            job = httpx.post(f"{base}/v1/checks", json={"text": text}, headers=headers).json()["id"]
            url = f"{base}/v1/checks/{job}"
        while httpx.get(url, headers=headers).json()["status"] == "queued":
            time.sleep(0.05)
        time.sleep(1.0 if phase == "indexing" else 0.3)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        proc = start(store, port, workers, log)
        after = httpx.get(url, headers=headers).json()
        conn = sqlite3.connect(store / "store.db")
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        orphans = conn.execute("SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM sentences s "
                               "WHERE s.article_rowid = a.rowid)").fetchone()[0]
        conn.close()
        out[phase] = {"job_status_after_restart": after["status"], "reason": after.get("error"),
                      "integrity_check": integrity, "articles_without_sentences": orphans,
                      "lost_silently": after["status"] not in ("failed", "done")}
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, help="an indexed store to copy (default: the demo corpus, indexed)")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", type=Path, default=HERE / "results" / f"serve-load-{time.strftime('%Y-%m-%d')}.json")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-load-"))
    store = work / "archive"
    if args.store:
        shutil.copytree(args.store, store, ignore=shutil.ignore_patterns("service.db*", "uploads"))
    else:
        subprocess.run([sys.executable, "-m", "corroborator", "index", str(DEMO / "corpus"), "--store", str(store)],
                       check=True, capture_output=True)
    token = make_token(store, "admin")
    log = work / "server.log"
    port = free_port()
    proc = start(store, port, args.workers, log)
    peak = [tree_rss(proc.pid)]
    idle_rss = peak[0]
    sampling = [True]

    def sample() -> None:
        while sampling[0]:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    articles = [p.read_text() for p in sorted((DEMO / "check").glob("*.md"))]
    server_cpu, client_cpu = tree_cpu(proc.pid), time.process_time()
    result = asyncio.run(load(f"http://127.0.0.1:{port}", token, args.clients, args.seconds, articles))
    result["checks_submitted"] = len(result["checks_submitted"])
    # on a small machine the load generator competes with the server for the same cores
    result["cpu_seconds"] = {"server_and_workers": round(tree_cpu(proc.pid) - server_cpu, 1),
                             "load_generator": round(time.process_time() - client_cpu, 1),
                             "available": round(args.seconds * os.cpu_count(), 1)}
    sampling[0] = False
    sampler.join()
    end_rss = tree_rss(proc.pid)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    result.update({"server_rss_mib": {"ready": round(idle_rss / 2**20), "peak": round(peak[0] / 2**20),
                                      "end": round(end_rss / 2**20)}})
    result["faults"] = faults(store, token, args.workers, log)
    report = {"date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
              "command": f"python bench/serve_load.py --clients {args.clients} --seconds {args.seconds:g} "
                         f"--workers {args.workers}" + (f" --store {args.store}" if args.store else ""),
              "clients": args.clients, "seconds": args.seconds, "workers": args.workers, **result}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
