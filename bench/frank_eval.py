"""FRANK-valid through `corroborator check` (issue 24): is a news summary factual?

    python bench/frank_eval.py [--model DIR] [--tag T]

The 149 source articles of ../shared/data/eval/frank-valid/ are indexed into a store (built
once, in bench/work/frank/store; the store does not depend on the verifier), each of the 671
summaries is checked as an article with `corroborator check --format json` (the verifier from
--model through $CORROBORATOR_VERIFIER_MODEL, else the shipped one). FRANK's summaries are
lower-cased and tokenised (" , ", " ."): punctuation is re-attached and each sentence's first
letter capitalised before the check; nothing else is changed.

A summary is factual (FRANK's label: every sentence judged factual) when every claim is
supported by its source. Scores read from each report:
- ``all_supported``: every checked claim has verdict SUPPORTED (the report's own answer);
- ``min_support``: the lowest, over the summary's claims, of the best raw verifier p(supports)
  among evidence from the summary's *own* source article (``model_probs`` before the checks);
- ``min_confidence``: the same with the calibrated ``evidence[].confidence``.
For the continuous scores the threshold is chosen on one half of the articles (sha256 of the
article hash even) and balanced accuracy reported on the other half, per dataset (CNN/DM,
BBC/XSum), with AUROC (threshold-free). Results: bench/results/frank-<date>[-tag].json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def detokenise(text: str) -> str:
    text = text.replace("\\'", "'")
    text = re.sub(r"\s+([,.;:!?%)])", r"\1", text.strip())
    text = re.sub(r"([($])\s+", r"\1", text)
    text = re.sub(r"\s+'(s|re|ve|ll|d|m|t)\b", r"'\1", text)
    text = re.sub(r"\s+n't\b", "n't", text)
    text = re.sub(r"`` ?| ?''", '"', text)
    text = re.sub(r"` ?", "'", text)
    text = re.sub(r"\s+'(?=[\s.,;:!?]|$)", "'", text)  # a closing quote: "the barbie '" -> "the barbie'"
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def tune_half(hash_: str) -> bool:
    return int(hashlib.sha256(hash_.encode()).hexdigest(), 16) % 2 == 0


def balanced_accuracy(y: np.ndarray, pred: np.ndarray) -> float:
    pos, neg = y == 1, y == 0
    tpr = (pred[pos] == 1).mean() if pos.any() else 0.0
    tnr = (pred[neg] == 0).mean() if neg.any() else 0.0
    return float((tpr + tnr) / 2)


def auroc(y: np.ndarray, s: np.ndarray) -> float | None:
    pos, neg = s[y == 1], s[y == 0]
    if not len(pos) or not len(neg):
        return None
    return float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))


def best_threshold(y: np.ndarray, s: np.ndarray) -> float:
    cands = np.unique(np.concatenate([s, [0.0, 1.0]]))
    accs = [balanced_accuracy(y, (s >= t).astype(int)) for t in cands]
    return float(cands[int(np.argmax(accs))])


def cli(*args: str, env: dict | None = None, stdout=None) -> None:
    exe = Path(sys.executable).with_name("corroborator")
    proc = subprocess.run([str(exe), *args], env=env, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if proc.returncode:
        sys.exit(f"corroborator {' '.join(args)}: exit {proc.returncode}: {proc.stderr.strip()[-500:]}")


def scores(report: dict, source_id: str) -> dict:
    claims = [c for c in report["claims"] if c.get("finding") != "opinion"]
    if not claims:
        return {"claims": 0, "all_supported": 0, "min_support": 0.0, "min_confidence": 0.0}
    support, conf = [], []
    for c in claims:
        own = [e for e in c["evidence"] if e["article_id"] == source_id]
        support.append(max([(e.get("model_probs") or e["probs"])["supports"] for e in own], default=0.0))
        conf.append(max([e.get("confidence") or 0.0 for e in own], default=0.0))
    return {"claims": len(claims), "all_supported": int(all(c["verdict"] == "SUPPORTED" for c in claims)),
            "min_support": min(support), "min_confidence": min(conf)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=HERE / "work" / "frank")
    ap.add_argument("--model", type=Path, default=None, help="a verifier model folder (default: the shipped one)")
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    folder = args.data / "eval" / "frank-valid"
    if not (folder / "summaries.jsonl").is_file():
        sys.exit(f"{folder}: absent (see ../shared/data/README.md)")
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / "store"
    if not (store / "store.db").exists():
        archive = args.work / "articles.jsonl"
        with archive.open("w", encoding="utf-8") as fh:
            for line in (folder / "articles.jsonl").open(encoding="utf-8"):
                r = json.loads(line)
                fh.write(json.dumps({"id": r["id"], "text": r["text"], "url": r.get("url")}) + "\n")
        cli("index", str(archive), "--store", str(store))
    rows = [json.loads(line) for line in (folder / "summaries.jsonl").open(encoding="utf-8") if line.strip()]
    checks = args.work / "summaries.jsonl"
    with checks.open("w", encoding="utf-8") as fh:
        for i, r in enumerate(rows):
            fh.write(json.dumps({"id": f"summary-{i}", "text": detokenise(r["summary"])}) + "\n")
    env = dict(os.environ)
    if args.model:
        env["CORROBORATOR_VERIFIER_MODEL"] = str(args.model.resolve())
    reports_path = args.work / f"reports{'-' + args.tag if args.tag else ''}.jsonl"
    t0 = time.perf_counter()
    with reports_path.open("w", encoding="utf-8") as out:
        cli("check", str(checks), "--store", str(store), "--format", "json", env=env, stdout=out)
    seconds = time.perf_counter() - t0
    reports = [json.loads(line) for line in reports_path.open(encoding="utf-8") if line.strip()]
    by_id = {rep["article"]["id"]: rep for rep in reports}
    scored = []
    for i, r in enumerate(rows):
        rep = by_id.get(f"summary-{i}")
        if rep is None:
            continue
        scored.append({"dataset": r["dataset"], "hash": r["hash"], "label": int(bool(r["label"])),
                       **scores(rep, "frank-" + r["hash"][:16])})
    result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "command": "python bench/frank_eval.py " + " ".join(sys.argv[1:]),
              "verifier": reports[0].get("verifier") if reports else None, "summaries": len(scored),
              "check_seconds": round(seconds, 1)}
    for dataset in ("cnndm", "bbc"):
        part = [s for s in scored if s["dataset"] == dataset]
        y = np.array([s["label"] for s in part])
        entry = {"summaries": len(part), "factual": int(y.sum()),
                 "all_supported_balanced_accuracy": round(balanced_accuracy(y, np.array([s["all_supported"] for s in part])), 3)}
        for key in ("min_support", "min_confidence"):
            s = np.array([p[key] for p in part])
            tune = np.array([tune_half(p["hash"]) for p in part])
            t = best_threshold(y[tune], s[tune])
            entry[key] = {"threshold_from_tune_half": round(t, 4),
                          "balanced_accuracy_other_half": round(balanced_accuracy(y[~tune], (s[~tune] >= t).astype(int)), 3),
                          "auroc_other_half": None if auroc(y[~tune], s[~tune]) is None else round(auroc(y[~tune], s[~tune]), 3),
                          "auroc_all": None if auroc(y, s) is None else round(auroc(y, s), 3)}
        result[dataset] = entry
    out = HERE / "results" / f"frank-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("cnndm", "bbc", "check_seconds")}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
