"""Print the README's signals table (issue 28) from two runs side by side:

    python bench/signals_table.py --before bench/results/propaganda-eval-D-v1.json \
        --after bench/results/propaganda-eval-D-v2.json \
        --polnear-before bench/results/polnear-D-rules-before.json --polnear-after bench/results/polnear-D-v2.json

The technique rows come from bench/propaganda_eval.py (61 PTC articles kept back), the source
rows from bench/polnear_eval.py (PolNeAR test spans; our labelled dev sources, kept-back part).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def _cell(s: dict | None, key: str) -> str:
    return "—" if not s or s.get(key) is None else f"{s[key]:.3f}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True)
    ap.add_argument("--after", type=Path, required=True)
    ap.add_argument("--polnear-before", type=Path, required=True)
    ap.add_argument("--polnear-after", type=Path, required=True)
    args = ap.parse_args()
    before, after = (json.loads(p.read_text()) for p in (args.before, args.after))
    print(f"Techniques: {after['articles']} PTC articles kept back; `{after['command']}` "
          f"(`{args.before.name}` → `{args.after.name}`). Span = SemEval-2020 Task 11 partial-overlap F1; "
          "char = character-level.\n")
    print("| what the report shows | span P | span R | span F1 | char P | char R | char F1 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, run in (("before", before), ("after", after)):
        s = run["shown"]
        print(f"| all techniques, {name} | {_cell(s, 'precision')} | {_cell(s, 'recall')} | **{_cell(s, 'f1')}** "
              f"| {_cell(s, 'char_precision')} | {_cell(s, 'char_recall')} | **{_cell(s, 'char_f1')}** |")
    print("\n| technique, as shown (spans named by it) | span F1 before | span F1 after | char F1 before "
          "| char F1 after | gold spans |")
    print("|---|---:|---:|---:|---:|---:|")
    a_any, b_any = after["scores"]["propaganda"], before["scores"]["propaganda"]
    print(f"| any technique (the any channel's own spans) | {_cell(b_any, 'f1')} | {_cell(a_any, 'f1')} "
          f"| {_cell(b_any, 'char_f1')} | {_cell(a_any, 'char_f1')} | {a_any['gold_spans']} |")
    per_after, per_before = after["shown"]["per_technique"], before["shown"].get("per_technique", {})
    for label, s in sorted(per_after.items(), key=lambda kv: -kv[1]["gold_spans"]):
        b = per_before.get(label)
        print(f"| {label} | {_cell(b, 'f1')} | {_cell(s, 'f1')} | {_cell(b, 'char_f1')} | {_cell(s, 'char_f1')} "
              f"| {s['gold_spans']} |")
    pb, pa = (json.loads(p.read_text()) for p in (args.polnear_before, args.polnear_after))
    print(f"\nSources: `{pa['command']}` (`{args.polnear_before.name}` → `{args.polnear_after.name}`).\n")
    print("| sources | before | after |")
    print("|---|---:|---:|")
    for key in ("precision", "recall", "f1"):
        print(f"| PolNeAR test ({pa['source_spans_test']['articles']} articles), source spans {key} "
              f"| {pb['source_spans_test']['partial_overlap'][key]:.3f} | {pa['source_spans_test']['partial_overlap'][key]:.3f} |")
    tb, ta = pb["classes_dev_sample"]["test"], pa["classes_dev_sample"]["test"]
    print(f"| labelled sources kept back ({ta['n']}): class right | {tb['accuracy']:.3f} | {ta['accuracy']:.3f} |")
    for cls, s in ta["per_class"].items():
        if s["n"]:
            print(f"| … {cls} ({s['n']}): recall | {tb['per_class'][cls]['accuracy']:.3f} | {s['accuracy']:.3f} |")


if __name__ == "__main__":
    main()
