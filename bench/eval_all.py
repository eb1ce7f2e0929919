"""Run `corroborator eval pairs` logic on every converted set; results to bench/results/.

    python bench/convert_eval.py && python bench/eval_all.py [--checks] [FOLDER]
    python bench/eval_all.py --table [RESULTS.json]     # the README table from a results file

Each set is scored two-way (SUPPORTED vs REFUTED, NEI rows dropped) and, where it has a
neutral/NEI label, three-way. ``--checks`` adds the quantity/date/name checks to the
verifier, as `check` applies them. Published numbers (PUBLISHED below) are quoted with their
source and setting; most are not the same setting as ours (zero-shot, dev split).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
THREE_WAY = {"climate-fever", "healthver", "wice", "check-covid"}  # sets with a neutral/NEI label

# Verified from the authors' repositories (see bench/README or docs/DESIGN.md for quotes).
PUBLISHED = {
    "fever-symmetric": "57.5% acc, 2-way: BERT-base trained on FEVER, on the v0.1 symmetric set "
                       "(Schuster et al., EMNLP 2019; our set is v0.2 dev)",
    "healthver": "80.7% acc / 79.6 F1, 3-way: T5 fine-tuned on HealthVer train "
                 "(Sarrouti et al., Findings of EMNLP 2021, repo leaderboard; ours is zero-shot)",
    "wice": "88.0% acc / 77.8 F1 claim-level, supported vs rest, test: T5-3B trained on ANLI+WiCE "
            "(Kamoi et al., EMNLP 2023, repo result table; different setting)",
    "check-covid": "F1 76.99: fact-checking system (Wang et al., Findings of ACL 2023 abstract; "
                   "evidence setting not stated there)",
}


def run(folder: Path, checks: bool, model: Path | None = None, tag: str = "") -> None:
    from corroborator.evaluate import evaluate, read_pairs
    from corroborator.runtime.embedder import default_embedder
    from corroborator.verify import default_verifier
    from corroborator.verify.onnx_verifier import OnnxVerifier

    verifier, embedder = (OnnxVerifier(model) if model else default_verifier()), default_embedder()
    date = time.strftime("%Y-%m-%d")
    results = {"date": date, "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
               "command": "python bench/eval_all.py " + " ".join(sys.argv[1:]),
               "verifier": verifier.info.model_dump(), "checks": checks, "published": PUBLISHED, "sets": {}}
    for path in sorted(folder.glob("*.jsonl")):
        pairs = read_pairs(path)
        entry = {"labels_2": evaluate(pairs, verifier, embedder, labels=2, checks=checks)}
        if path.stem in THREE_WAY:
            entry["labels_3"] = evaluate(pairs, verifier, embedder, labels=3, checks=checks)
        results["sets"][path.stem] = entry
        print(path.stem, {k: (v["n"], v["accuracy"], v["macro_f1"], v["ece"], v["pairs_per_s"]) for k, v in entry.items()},
              flush=True)
    out = HERE / "results" / f"eval-{date}{'-checks' if checks else ''}{'-' + tag if tag else ''}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


def table(path: Path) -> None:
    data = json.loads(path.read_text())
    print(f"Verifier `{data['verifier']['name']} {data['verifier']['version']}`"
          f"{' with the checks' if data.get('checks') else ''}; `{data['command']}`, {data['date']}, "
          f"{data['machine']['cpus']} CPUs; file `bench/results/{path.name}`.\n")
    print("| set (dev) | n 2-way | acc 2-way | macro-F1 2-way | ECE 2-way | n 3-way | acc 3-way | macro-F1 3-way "
          "| ECE 3-way | pairs/s | published (setting) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for name, entry in data["sets"].items():
        two, three = entry["labels_2"], entry.get("labels_3")
        cells3 = (f"{three['n']} | {three['accuracy']:.3f} | {three['macro_f1']:.3f} | {three['ece']:.3f}"
                  if three else "– | – | – | –")
        print(f"| {name} | {two['n']} | {two['accuracy']:.3f} | {two['macro_f1']:.3f} | {two['ece']:.3f} | {cells3} "
              f"| {two['pairs_per_s']} | {data.get('published', {}).get(name, 'none found')} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", type=Path, default=HERE / "work" / "eval")
    ap.add_argument("--checks", action="store_true")
    ap.add_argument("--table", nargs="?", const="latest", default=None)
    ap.add_argument("--model", type=Path, default=None, help="a verifier model folder (default: the packaged one)")
    ap.add_argument("--tag", default="", help="suffix of the results file")
    args = ap.parse_args()
    if args.table:
        path = sorted((HERE / "results").glob("eval-*.json"))[-1] if args.table == "latest" else Path(args.table)
        table(path)
        return
    if not args.folder.is_dir():
        sys.exit(f"{args.folder}: no converted sets (run python bench/convert_eval.py)")
    run(args.folder, args.checks, args.model, args.tag)


if __name__ == "__main__":
    main()
