"""Fine-tune all-MiniLM-L6-v2 as a token classifier for propaganda techniques on the PTC
train articles (SemEval-2020 Task 11; split in ptc.py: test articles are never seen here).

    pip install '.[train]'
    nohup python train/train_propaganda.py --minutes 40 > train/work/propaganda.log &   # resumable
    python train/export_propaganda.py            # -> src/corroborator/models/propaganda/

Unit: one corpus line (one sentence), at most 128 tokens. Targets: for each token and each
channel in LABELS, 1 when the token overlaps a gold span of that technique ("propaganda":
any technique). Loss: binary cross-entropy per token and channel (channels overlap), with
positive tokens weighted up (--pos-weight) because most tokens carry no technique. Batches
are grouped by length and run under bf16 autocast on the CPU; a checkpoint is written after
every epoch and on exit.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import torch
from tokenizers import Tokenizer

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import ptc  # noqa: E402
from train_verifier import CrossEncoder, base_model  # noqa: E402
from train_verifier import tokenizer as verifier_tokenizer  # noqa: E402

LABELS = [
    ptc.ANY, "Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation", "Doubt",
    "Appeal_to_fear-prejudice", "Flag-Waving",
]
MAX_TOKENS = 128


class TokenTagger(CrossEncoder):
    """The verifier's encoder + dropout + linear head, applied to every token instead of the
    mean-pooled pair."""

    def __init__(self, base: torch.nn.Module) -> None:
        super().__init__(base, outputs=len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        return self.head(self.dropout(hidden))


def new_model() -> TokenTagger:
    return TokenTagger(base_model())


def tokenizer() -> Tokenizer:
    return verifier_tokenizer(MAX_TOKENS)


def examples(articles: list[ptc.PtcArticle], tok: Tokenizer) -> list[tuple[list[int], list[list[float]]]]:
    """(token ids, per-token targets) for every line of the articles."""
    out = []
    for art in articles:
        gold = {label: ptc.gold(art, label) for label in LABELS}
        units = ptc.lines(art.text)
        for (base, line), enc in zip(units, tok.encode_batch([line for _, line in units])):
            targets = []
            for (s, e), special in zip(enc.offsets, enc.special_tokens_mask):
                s, e = s + base, e + base
                targets.append([0.0 if special else float(any(g0 < e and s < g1 for g0, g1 in gold[label]))
                                for label in LABELS])
            out.append((enc.ids, targets))
    return out


def batch_tensors(rows: list[tuple[list[int], list[list[float]]]]) -> tuple[dict[str, torch.Tensor], torch.Tensor]:
    width = max(len(ids) for ids, _ in rows)
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    y = torch.zeros((len(rows), width, len(LABELS)))
    for r, (tok_ids, targets) in enumerate(rows):
        ids[r, : len(tok_ids)] = torch.tensor(tok_ids)
        mask[r, : len(tok_ids)] = 1
        y[r, : len(tok_ids)] = torch.tensor(targets)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids)}, y


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data" / "articles" / "propaganda")
    ap.add_argument("--ckpt", type=Path, default=HERE / "work" / "propaganda.pt")
    ap.add_argument("--minutes", type=float, default=40)
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--pos-weight", type=float, default=2.0)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--max-articles", type=int, default=0, help="train on the first N train articles only (smoke runs)")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(13)
    parts = ptc.split(ptc.load(args.data))
    train_articles = parts["train"][: args.max_articles or None]
    tok = tokenizer()
    rows = examples(train_articles, tok)
    positive = sum(t[0] for _, ts in rows for t in ts) / max(1, sum(len(ts) for _, ts in rows))
    print(f"{len(train_articles)} articles, {len(rows)} lines, {positive:.3f} of tokens in a span", flush=True)

    model = new_model()
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    total_steps = args.epochs * ((len(rows) + args.batch_size - 1) // args.batch_size)
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
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state, "labels": LABELS}, tmp)
        tmp.replace(args.ckpt)

    pos_weight = torch.full((len(LABELS),), args.pos_weight)
    deadline = time.time() + args.minutes * 60
    model.train()
    while state["epoch"] < args.epochs and time.time() < deadline:
        rng = random.Random(100 + state["epoch"])
        order = sorted(range(len(rows)), key=lambda i: (len(rows[i][0]), rng.random()))
        plan = [order[i : i + args.batch_size] for i in range(0, len(order), args.batch_size)]
        rng.shuffle(plan)
        losses = []
        for idx in plan:
            # linear warm-up over 5% of the run, then linear decay to zero
            frac = state["step"] / max(1, total_steps)
            scale = min(1.0, frac / 0.05) if frac < 0.05 else max(0.0, (1 - frac) / 0.95)
            for group in opt.param_groups:
                group["lr"] = args.lr * scale
            feeds, y = batch_tensors([rows[i] for i in idx])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**feeds)
            mask = feeds["attention_mask"].unsqueeze(-1).float()
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits.float(), y, weight=mask, pos_weight=pos_weight, reduction="sum") / (mask.sum() * len(LABELS))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            state["step"] += 1
            losses.append(loss.item())
            if state["step"] % 100 == 0:
                print(f"step {state['step']} loss {sum(losses[-100:]) / len(losses[-100:]):.4f}", flush=True)
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
