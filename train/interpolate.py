"""Weight-space interpolation between the start model (v1) and the fine-tuned one (WiSE-FT).

    python train/interpolate.py --start train/work/v1.pt --tuned train/work/v2.pt --out train/work/v2-wise.pt

Wortsman et al. (CVPR 2022, "Robust fine-tuning of zero-shot models") found that averaging the
weights of a model before and after fine-tuning, theta = (1 - a) * start + a * tuned, keeps most
of the fine-tuning gain on the new data while recovering robustness the fine-tuning lost
elsewhere. Here the new data is news text and "elsewhere" is what v1 was trained for. a is
chosen on validation rows only, never on an evaluation set: the mean of three-way accuracy on
v1's validation rows (the first --old-rows of val.jsonl) and on the news validation rows (the
rest: 2 % of the news training stories, train/build_v2.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from train_verifier import evaluate, load_rows, new_model, tokenizer

HERE = Path(__file__).resolve().parent


def mixed(start: dict, tuned: dict, a: float) -> dict:
    return {k: (1 - a) * start[k] + a * tuned[k] if torch.is_floating_point(tuned[k]) else tuned[k] for k in tuned}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=Path, default=HERE / "work" / "v1.pt")
    ap.add_argument("--tuned", type=Path, default=HERE / "work" / "v2.pt")
    ap.add_argument("--mix", type=Path, default=HERE / "work" / "v2")
    ap.add_argument("--out", type=Path, default=HERE / "work" / "v2-wise.pt")
    ap.add_argument("--old-rows", type=int, default=2000)
    ap.add_argument("--alphas", type=float, nargs="+", default=[0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--max-tokens", type=int, default=128, help="as trained (v3: 192)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    start = torch.load(args.start, map_location="cpu", weights_only=False)["model"]
    saved = torch.load(args.tuned, map_location="cpu", weights_only=False)
    tuned = saved["model"]
    val = load_rows(args.mix / "val.jsonl")
    parts = {"old": val[: args.old_rows], "news": val[args.old_rows:]}
    tok = tokenizer(args.max_tokens)
    enc = {k: tok.encode_batch([(p, h) for p, h, _ in rows]) for k, rows in parts.items()}
    labels = {k: [y for *_, y in rows] for k, rows in parts.items()}
    model = new_model()
    scores = []
    for a in args.alphas:
        model.load_state_dict(mixed(start, tuned, a))
        got = {k: evaluate(model, enc[k], labels[k])["val_accuracy_3way"] for k in parts}
        scores.append({"alpha": a, **got, "mean": round((got["old"] + got["news"]) / 2, 4)})
        print(json.dumps(scores[-1]), flush=True)
    best = max(scores, key=lambda s: (s["mean"], s["alpha"]))
    model.load_state_dict(mixed(start, tuned, best["alpha"]))
    state = dict(saved["state"], wise={"alpha": best["alpha"], "scores": scores, "start": str(args.start.name)})
    torch.save({"model": model.state_dict(), "opt": saved.get("opt"), "state": state}, args.out)
    print(f"alpha {best['alpha']} -> {args.out}")


if __name__ == "__main__":
    main()
