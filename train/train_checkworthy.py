"""Fine-tune all-MiniLM-L6-v2 as a check-worthiness classifier on CheckThat! 2024 English (issue 12).

    pip install '.[train]'
    nohup python train/train_checkworthy.py > train/work/checkworthy.log &   # ~10 min on 2 CPUs, resumable
    python train/export_checkworthy.py                                      # -> models/checkworthy/

Unit: one sentence, at most 96 tokens. Output: two logits (not check-worthy, check-worthy).
Data: the CT24 *train* file only (../shared/data/claims/ct24-checkworthy-en); dev chooses the
threshold and the checkpoint at export, dev-test is reported and never used to choose. The
news sentences we labelled (bench/news_sentences.py) are not trained on: their "tune" part
sets the news threshold at export, their "test" part is reported. A checkpoint is written
after every epoch and on exit; a re-run resumes from it.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "bench"))
from checkworthy_eval import DATA, ct24  # noqa: E402
from train_verifier import CrossEncoder, base_model, batches, tensors, tokenizer  # noqa: E402

MAX_TOKENS = 96


def new_model() -> CrossEncoder:
    return CrossEncoder(base_model(), outputs=2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--ckpt", type=Path, default=HERE / "work" / "checkworthy.pt")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--minutes", type=float, default=40)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--threads", type=int, default=0)
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(17)
    rows = ct24("train", args.data)
    tok = tokenizer(MAX_TOKENS)
    encoded = tok.encode_batch([text for text, _ in rows])
    labels = [y for _, y in rows]
    print(f"{len(rows)} train sentences, {sum(labels)} check-worthy", flush=True)
    model = new_model()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = (len(rows) + args.batch_size - 1) // args.batch_size
    total = args.epochs * steps_per_epoch
    state = {"step": 0, "epoch": 0, "log": []}
    if args.ckpt.is_file():
        saved = torch.load(args.ckpt, map_location="cpu", weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        state = saved["state"]
        print(f"resumed at epoch {state['epoch']} step {state['step']}", flush=True)

    def save() -> None:
        args.ckpt.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, tmp)
        tmp.replace(args.ckpt)

    deadline = time.time() + args.minutes * 60
    model.train()
    while state["epoch"] < args.epochs and time.time() < deadline:
        plan = batches(encoded, labels, args.batch_size, random.Random(200 + state["epoch"]))
        done_in_epoch = state["step"] - state["epoch"] * steps_per_epoch
        losses = []
        for idx in plan[done_in_epoch:]:
            frac = state["step"] / max(1, total)  # 6 % linear warm-up, then linear decay to zero
            scale = frac / 0.06 if frac < 0.06 else max(0.0, (1 - frac) / 0.94)
            for group in opt.param_groups:
                group["lr"] = args.lr * scale
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**tensors(encoded, idx))
            loss = torch.nn.functional.cross_entropy(logits.float(), torch.tensor([labels[i] for i in idx]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            losses.append(loss.item())
            if state["step"] % 100 == 0:
                print(f"step {state['step']}/{total} loss {sum(losses[-100:]) / len(losses[-100:]):.4f}", flush=True)
            if time.time() >= deadline:
                break
        else:
            state["epoch"] += 1
        state["log"].append({"epoch": state["epoch"], "step": state["step"],
                             "loss": round(sum(losses) / max(1, len(losses)), 4), "time": time.strftime("%H:%M:%S")})
        print(json.dumps(state["log"][-1]), flush=True)
        save()


if __name__ == "__main__":
    main()
