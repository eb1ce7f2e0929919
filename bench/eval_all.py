"""Run `corroborator eval pairs` logic on every converted set; results to bench/results/.

    python bench/convert_eval.py && python bench/eval_all.py
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

from corroborator.embed import default_embedder
from corroborator.evaluate import evaluate, read_pairs
from corroborator.verify import default_verifier

HERE = Path(__file__).resolve().parent
THREE_WAY = {"climate-fever", "healthver", "wice", "check-covid"}  # sets with a neutral/NEI label


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "work" / "eval"
    verifier, embedder = default_verifier(), default_embedder()
    results = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
               "command": "python bench/eval_all.py", "verifier": verifier.info.model_dump(), "sets": {}}
    for path in sorted(folder.glob("*.jsonl")):
        pairs = read_pairs(path)
        entry = {"labels_2": evaluate(pairs, verifier, embedder, labels=2)}
        if path.stem in THREE_WAY:
            entry["labels_3"] = evaluate(pairs, verifier, embedder, labels=3)
        results["sets"][path.stem] = entry
        print(path.stem, {k: (v["n"], v["accuracy"], v["macro_f1"], v["ece"], v["pairs_per_s"]) for k, v in entry.items()},
              flush=True)
    out = HERE / "results" / f"eval-{results['date']}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
