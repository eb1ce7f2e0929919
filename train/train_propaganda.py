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
import re
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

LABELS_V1 = [
    ptc.ANY, "Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation", "Doubt",
    "Appeal_to_fear-prejudice", "Flag-Waving",
]
# v2: every technique of the SemEval-2020 label set, in the corpus's order of frequency
LABELS_V2 = LABELS_V1 + [
    "Repetition", "Causal_Oversimplification", "Appeal_to_Authority", "Slogans", "Black-and-White_Fallacy",
    "Whataboutism,Straw_Men,Red_Herring", "Thought-terminating_Cliches", "Bandwagon,Reductio_ad_hitlerum",
]
LABELS = LABELS_V1
# v2's extra channel, trained on PolNeAR (not PTC): the source of an attribution ("we" mocked,
# "a senior aide" said), read by sourcing (signals/sourcing.py) beside its parse rules
SOURCE = "attribution_source"
POLNEAR = HERE.parents[1] / "shared" / "data" / "sourcing" / "polnear"
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z])")
MAX_TOKENS = 128


class TokenTagger(CrossEncoder):
    """The verifier's encoder + dropout + linear head, applied to every token instead of the
    mean-pooled pair."""

    def __init__(self, base: torch.nn.Module, outputs: int | None = None) -> None:
        super().__init__(base, outputs=outputs or len(LABELS))

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]
        return self.head(self.dropout(hidden))


def new_model(outputs: int | None = None) -> TokenTagger:
    return TokenTagger(base_model(), outputs)


def tokenizer() -> Tokenizer:
    return verifier_tokenizer(MAX_TOKENS)


def examples_in_context(articles: list[ptc.PtcArticle], tok: Tokenizer, labels: list[str],
                        context: bool) -> list[tuple[list[int], list[int], list[list[float]]]]:
    """v2 rows: (token ids, segment ids, per-token targets) for every window of every line,
    built by the runtime's own context_windows (title, line before, line after as segment 1
    when ``context``; long lines in windows of 128 tokens sharing WINDOW_OVERLAP)."""
    from corroborator.signals.propaganda import WINDOW_OVERLAP, context_windows, sentence_contexts

    tok.enable_truncation(max_length=MAX_TOKENS, stride=WINDOW_OVERLAP)
    out = []
    for art in articles:
        gold = {label: ptc.gold(art, label) for label in labels}
        units = ptc.lines(art.text)
        title = units[0][1] if units else ""
        texts = [line for _, line in units]
        contexts = sentence_contexts(texts, title) if context else None
        for i, window in context_windows(tok, texts, contexts):
            base = units[i][0]
            targets = []
            for (s, e), special in zip(window.offsets, window.special_tokens_mask):
                s, e = s + base, e + base
                targets.append([0.0 if special else float(any(g0 < e and s < g1 for g0, g1 in gold[label]))
                                for label in labels])
            out.append((window.ids, window.type_ids, targets, [1.0] * len(labels)))
    return out


def polnear_articles(folder: Path, split: str, limit: int) -> list[ptc.PtcArticle]:
    """The first ``limit`` PolNeAR articles of a split (sorted names) as PtcArticles whose one
    "technique" is SOURCE, one sentence per line (paragraphs split at sentence ends, so a line
    is what the runtime reads: one sentence)."""
    sys.path.insert(0, str(HERE.parent / "bench"))
    from polnear_eval import source_parts  # the .ann reader the PolNeAR bench scores with

    out = []
    for path in sorted((folder / split / "text").glob("*.txt"))[:limit]:
        raw = path.read_text(encoding="utf-8")
        ann = next((folder / split / "attributions").glob(path.stem + "*.ann"), None)
        spans = [part for parts in source_parts(ann) for part in parts]
        # a sentence end inside a paragraph becomes a line break: offsets are unchanged
        text = _SENTENCE_END.sub(lambda m: m.group(0).replace(" ", "\n", 1) if m.group(0).count(" ") else m.group(0), raw)
        if len(text) != len(raw):
            text = raw
        out.append(ptc.PtcArticle(path.stem, text, {SOURCE: spans}))
    return out


def source_rows(articles: list[ptc.PtcArticle], tok: Tokenizer, labels: list[str], context: bool) -> list[tuple]:
    """PolNeAR rows: only the SOURCE channel is trained (the techniques are not marked there)."""
    rows = examples_in_context(articles, tok, [SOURCE], context)
    keep = labels.index(SOURCE)
    out = []
    for ids, types, targets, _ in rows:
        full = [[0.0] * len(labels) for _ in targets]
        for row, t in zip(full, targets):
            row[keep] = t[0]
        out.append((ids, types, full, [float(c == keep) for c in range(len(labels))]))
    return out


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


def batch_tensors(rows: list[tuple]) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    """rows: (ids, targets) (v1) or (ids, segment ids, targets, channel mask) (v2) ->
    feeds, targets, per-row channel mask (1 where the row's corpus marks that channel)."""
    width = max(len(r[0]) for r in rows)
    channels = len(rows[0][1 if len(rows[0]) == 2 else 2][0])
    channel_mask = torch.ones((len(rows), 1, channels))
    ids = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros_like(ids)
    types = torch.zeros_like(ids)
    y = torch.zeros((len(rows), width, channels))
    for r, row in enumerate(rows):
        tok_ids, targets = row[0], row[1 if len(row) == 2 else 2]
        ids[r, : len(tok_ids)] = torch.tensor(tok_ids)
        mask[r, : len(tok_ids)] = 1
        if len(row) == 4:
            types[r, : len(tok_ids)] = torch.tensor(row[1])
            channel_mask[r, 0] = torch.tensor(row[3])
        y[r, : len(tok_ids)] = torch.tensor(targets)
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}, y, channel_mask


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
    ap.add_argument("--v2", action="store_true", help="all 14 techniques, each line read with its title and neighbours")
    ap.add_argument("--no-context", action="store_true", help="with --v2: all techniques, each line alone (ablation)")
    ap.add_argument("--polnear", type=Path, default=POLNEAR)
    ap.add_argument("--sources", type=int, default=0,
                    help="with --v2: also learn attribution sources from the first N PolNeAR train articles")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(13)
    parts = ptc.split(ptc.load(args.data))
    train_articles = parts["train"][: args.max_articles or None]
    tok = tokenizer()
    labels = (LABELS_V2 + ([SOURCE] if args.sources else [])) if args.v2 else LABELS
    if args.v2:
        rows = examples_in_context(train_articles, tok, labels[: len(LABELS_V2)], not args.no_context)
        rows = [(ids, types, [t + [0.0] * (len(labels) - len(t)) for t in targets], cm + [0.0] * (len(labels) - len(cm)))
                for ids, types, targets, cm in rows]
        if args.sources:
            extra = source_rows(polnear_articles(args.polnear, "train", args.sources), tok, labels, not args.no_context)
            print(f"{args.sources} PolNeAR articles, {len(extra)} windows", flush=True)
            rows += extra
    else:
        rows = examples(train_articles, tok)
    targets_of = (lambda r: r[1]) if not args.v2 else (lambda r: r[2])
    positive = sum(t[0] for r in rows for t in targets_of(r)) / max(1, sum(len(targets_of(r)) for r in rows))
    print(f"{len(train_articles)} articles, {len(rows)} windows, {positive:.3f} of tokens in a span", flush=True)

    model = new_model(len(labels))
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
        torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "state": state, "labels": labels,
                    "context": bool(args.v2 and not args.no_context)}, tmp)
        tmp.replace(args.ckpt)

    pos_weight = torch.full((len(labels),), args.pos_weight)
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
            feeds, y, channel_mask = batch_tensors([rows[i] for i in idx])
            with torch.autocast("cpu", dtype=torch.bfloat16):
                logits = model(**feeds)
            mask = feeds["attention_mask"].unsqueeze(-1).float() * channel_mask
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits.float(), y, weight=mask, pos_weight=pos_weight, reduction="sum") / mask.sum().clamp(min=1)
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
