"""LLMFake PolitiFact benchmark: does `risk` tell manipulations of real stories from faithful rewrites?

    python bench/politifact.py [--data ../shared/data] [--work bench/work/politifact] [--limit N]

Archive: every PolitiFact original (`news_text`) of the development stories, one store. Checked:
every generated version that is a real generation by the data README's rule (not a
prefix-extension of its original, difflib similarity < 0.9 on the first 3,000 characters; at
least 100 characters). Methods: paraphrase and rewrite are *faithful*; open-ended and the six
information-manipulation methods are *fabricated*. Reported, on the held half of the stories
(bench/fit_risk.held_out, the split the verifier's news pairs and the risk fit also use) and on
all stories: AUROC of risk for each fabricated method vs the faithful ones and for all fabricated
vs faithful, median risk and SUPPORTED share of faithful articles, and a per-claim diagnosis:
each claim of a checked article is aligned to its original's closest sentence (embedding
cosine); a claim is *changed* when that cosine is below 0.8 or it names a number or capitalised
name the aligned sentence lacks. Per method: how many claims changed, and what verdict and record
status (altered / added / matches / none) the changed and unchanged claims got.
Results: bench/results/politifact-<date>.json; each check's risk inputs go to
<work>/features.jsonl (with bench/llmfake.py's rows, the input of bench/fit_risk.py).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import os
import platform
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from fit_risk import held_out
from llmfake import auroc, index_once

HERE = Path(__file__).resolve().parent
FAITHFUL = ["paraphrase_generation", "rewrite_generation"]
FABRICATED = ["open_ended_generation", "Total_Fabrication", "False_Context", "Outdated_Information", "Incomplete_Fact",
              "Description_Ambiguity", "Unsubstantiated_Content"]
csv.field_size_limit(sys.maxsize)
_NUM = re.compile(r"\d[\d,.]*")
_CAP = re.compile(r"\b[A-Z][a-z]{2,}\b")
# A claim whose closest original sentence is below this cosine (or that names a number or
# name that sentence lacks) is "changed"; faithful paraphrases' claims mostly sit above it.
CHANGED = 0.8


def method_of(path: Path) -> str | None:
    return next((m for m in FAITHFUL + FABRICATED if m in path.name), None)


def is_generation(original: str, generated: str) -> bool:
    """The data README's "real rewrite" rule."""
    o, g = original.strip(), generated.strip()
    if len(g) < 100 or g.startswith(o) or o.startswith(g):
        return False
    return difflib.SequenceMatcher(None, o[:3000], g[:3000]).ratio() < 0.9


def read(folder: Path) -> tuple[dict[str, str], list[dict]]:
    originals: dict[str, str] = {}
    rows = []
    for path in sorted(folder.glob("*.csv")):
        method = method_of(path)
        with path.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                o, g = (r["news_text"] or "").strip(), (r["synthetic_misinformation"] or "").strip()
                if len(o) < 200:
                    continue
                originals.setdefault(r["news_id"], o)
                if method and is_generation(o, g):
                    rows.append({"news_id": r["news_id"], "method": method, "text": g})
    return originals, rows


def _facts(text: str) -> set[str]:
    return {n.strip(".,") for n in _NUM.findall(text)} | set(_CAP.findall(text)[1:])


def diagnose(claims, original_sents: list[str], original_vecs, embedder) -> list[dict]:
    """Each claim aligned to its original's closest sentence: changed or not, and what the
    check said of it."""
    if not claims or not original_sents:
        return []
    vecs = np.asarray(embedder.embed([c.text for c in claims]), dtype=np.float32)
    sims = vecs @ original_vecs.T
    out = []
    for claim, row in zip(claims, sims):
        j = int(row.argmax())
        aligned = original_sents[j]
        new_facts = {f for f in _facts(claim.text) if f.lower() not in aligned.lower()}
        record = getattr(claim, "record", None)
        out.append({"cosine": round(float(row[j]), 3), "changed": bool(row[j] < CHANGED or new_facts),
                    "verdict": claim.verdict.value, "record_status": getattr(record, "status", None) or "none"})
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=HERE.parent.parent / "shared" / "data")
    ap.add_argument("--work", type=Path, default=HERE / "work" / "politifact")
    ap.add_argument("--limit", type=int, default=0, help="check at most N generated articles per method (0: all)")
    ap.add_argument("--held-only", action="store_true", help="check only the held half of the stories")
    ap.add_argument("--fit-only", action="store_true", help="check only the fitting half (for development)")
    ap.add_argument("--uncovered", choices=["held", "dev"], default=None,
                    help="also check real originals against a store without them (uncovered events): the held half's "
                         "against the fitting half's (held), or within the fitting half (dev)")
    ap.add_argument("--uncovered-only", action="store_true", help="skip the generated versions")
    ap.add_argument("--tag", default="", help="suffix of the results file (politifact-<date>-<tag>.json)")
    args = ap.parse_args()

    from corroborator.app import Corroborator, Settings
    from corroborator.assess.risk import closest_restatements
    from corroborator.domain import Article
    from corroborator.runtime.embedder import default_embedder
    from corroborator.text.sentences import segment_many

    folder = args.data / "articles" / "llmfake-politifact"
    if not folder.is_dir():
        sys.exit(f"no LLMFake PolitiFact data at {folder}")
    originals, rows = read(folder)
    if args.held_only or args.fit_only:
        rows = [r for r in rows if held_out(r["news_id"]) == args.held_only]
    if args.uncovered_only:
        rows = []
    if args.limit:
        per: Counter = Counter()
        rows = [r for r in rows if (per.update([r["method"]]) or per[r["method"]] <= args.limit)]
    embedder = default_embedder()
    args.work.mkdir(parents=True, exist_ok=True)
    store_path = args.work / "store"
    archive = args.work / "originals.jsonl"
    archive.write_text("".join(json.dumps({"id": f"orig-{i}", "text": t}) + "\n" for i, t in sorted(originals.items())))
    indexed = index_once(store_path, archive, embedder)
    if indexed:
        print(f"indexed {indexed.added} originals in {indexed.seconds:.0f} s", flush=True)
    ids = sorted({r["news_id"] for r in rows})
    sent_of = {i: [originals[i][s:e] for s, e in spans] for i, spans in zip(ids, segment_many([originals[i] for i in ids]))}
    store = checker = Corroborator(Settings(store=store_path))  # as the command line checks
    features = (args.work / "features.jsonl").open("w", encoding="utf-8")
    checked = []
    latency = []
    for n, r in enumerate(rows):
        article = Article(id=f"politifact-{r['method']}-{r['news_id']}", text=r["text"])
        t0 = time.perf_counter()
        report = checker.check(article)
        latency.append(time.perf_counter() - t0)
        sents = sent_of[r["news_id"]]
        diag = diagnose(report.claims, sents, np.asarray(embedder.embed(sents), dtype=np.float32), embedder) if sents else []
        entry = {"generator": "chatgpt_3.5_generation", "dataset": "politifact", "method": r["method"], "news_id": r["news_id"],
                 "risk": report.summary.risk, "claims": report.summary.claims,
                 "supported_share": report.summary.corroborated,
                 "coverage": report.summary.coverage, "covered": report.summary.covered, "story_similarity": report.summary.story_similarity,
                 "story_names": report.summary.story_names,
                 "factors": {f.name: f.value for f in report.summary.risk_factors},
                 "claim_best_similarity": [round(c, 4) for c in closest_restatements(report.claims)],
                 # per claim: its record status and closest same-event/version counterpart's cosine,
                 # so other counterpart thresholds can be tried without re-checking
                 "claim_record": [[c.record.status if c.record else None, max(
                     (e.similarity or 0.0 for e in c.evidence if e.version or e.event_match == "same"), default=0.0),
                     c.specific, c.finding == "opinion"] for c in report.claims],
                 "diagnosis": diag}
        features.write(json.dumps(entry) + "\n")
        features.flush()
        checked.append(entry)
        if n % 50 == 0:
            print(f"{n}/{len(rows)} checked", flush=True)
    features.close()
    store.close()
    uncovered = check_uncovered(originals, args.work, embedder, args.uncovered) if args.uncovered else None
    results = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
               "command": "python bench/politifact.py " + " ".join(sys.argv[1:]), "verifier": checker.verifier_info.name,
               "check_latency_s": {"median": round(statistics.median(latency), 3),
                                   "p95": round(sorted(latency)[int(0.95 * (len(latency) - 1))], 3)} if latency else None,
               **summarise(checked), "uncovered_real_articles": uncovered}
    out = HERE / "results" / f"politifact-{results['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps({k: results[k] for k in ("held", "all", "uncovered_real_articles")}, indent=1))
    print(f"wrote {out}")


def check_uncovered(originals: dict[str, str], work: Path, embedder, part: str = "held") -> dict:
    """Real articles about events the archive does not cover. ``held``: the held half's
    originals (real PolitiFact-checked stories, written by people) checked against a store of
    the fitting half's originals only; ``dev``: the fitting half split again by another hash,
    one part checked against the other (for choosing thresholds without the held half).
    Nothing in those stores reports the checked articles' events, so the risk must not call
    them risky for that (issue 11: an uncovered, on-record article stays <= 0.3)."""
    from corroborator.app import Corroborator, Settings
    from corroborator.domain import Article

    def side(i: str) -> str:  # "archive" or "checked"
        if part == "held":
            return "checked" if held_out(i) else "archive"
        if held_out(i):
            return "none"
        return "checked" if int(hashlib.sha256(("dev" + i).encode()).hexdigest(), 16) % 2 else "archive"

    store_path = work / f"store-uncovered-{part}"
    archive = work / f"uncovered-{part}-archive.jsonl"
    archive.write_text("".join(json.dumps({"id": f"orig-{i}", "text": t}) + "\n"
                               for i, t in sorted(originals.items()) if side(i) == "archive"))
    index_once(store_path, archive, embedder)
    store = checker = Corroborator(Settings(store=store_path))
    try:
        reports = [checker.check(Article(id=f"uncovered-{i}", text=t)) for i, t in sorted(originals.items())
                   if side(i) == "checked"]
    finally:
        store.close()
    with (work / f"uncovered-{part}.jsonl").open("w", encoding="utf-8") as fh:
        for r in reports:
            fh.write(json.dumps({"risk": r.summary.risk, "claims": r.summary.claims, "covered": r.summary.covered,
                                 "coverage": r.summary.coverage, "story_similarity": r.summary.story_similarity,
                                 "story_names": r.summary.story_names,
                                 "factors": {f.name: f.value for f in r.summary.risk_factors},
                                 "claim_record": [[c.record.status if c.record else None, 0.0, c.specific,
                                                   c.finding == "opinion"] for c in r.claims]}) + "\n")
    reports = [r for r in reports if r.summary.claims]
    risks = sorted(r.summary.risk for r in reports)
    return {"part": part, "n": len(reports), "covered_share": round(sum(r.summary.covered for r in reports) / max(1, len(reports)), 4),
            "median_risk": round(statistics.median(risks), 4) if risks else None,
            "share_risk_le_0.3": round(sum(x <= 0.3 for x in risks) / max(1, len(risks)), 4),
            "p90_risk": round(risks[int(0.9 * (len(risks) - 1))], 4) if risks else None}


def summarise(checked: list[dict], risk_of=lambda e: e["risk"]) -> dict:
    """AUROC per method vs faithful, medians and the per-claim diagnosis, for the held half and
    for all stories. ``risk_of`` lets bench/fit_risk.py score other weights on the same rows."""
    out = {}
    for part, keep in (("held", lambda e: held_out(e["news_id"])), ("all", lambda e: True)):
        rows = [e for e in checked if keep(e)]
        by: dict[str, list[float]] = defaultdict(list)
        for e in rows:
            by[e["method"]].append(risk_of(e))
        faithful = [x for m in FAITHFUL for x in by[m]]
        fabricated = [x for m in FABRICATED for x in by[m]]
        manipulated = [x for m in FABRICATED[1:] for x in by[m]]
        faithful_rows = [e for e in rows if e["method"] in FAITHFUL]
        out[part] = {
            "stories": len({e["news_id"] for e in rows}),
            "n": {m: len(by[m]) for m in FAITHFUL + FABRICATED},
            "auroc_vs_faithful": {m: auroc(by[m], faithful) for m in FABRICATED},
            "auroc_all_fabricated_vs_faithful": auroc(fabricated, faithful),
            "auroc_manipulations_vs_faithful": auroc(manipulated, faithful),
            "median_risk": {m: round(statistics.median(by[m]), 4) for m in FAITHFUL + FABRICATED if by[m]},
            "faithful_median_risk": round(statistics.median(faithful), 4) if faithful else None,
            "faithful_median_supported_share": round(statistics.median(e["supported_share"] for e in faithful_rows), 4)
            if faithful_rows else None,
            "diagnosis": diagnosis_table(rows),
        }
    return out


def diagnosis_table(rows: list[dict]) -> dict:
    table = {}
    for m in FAITHFUL + FABRICATED:
        claims = [c for e in rows if e["method"] == m for c in e.get("diagnosis", [])]
        changed = [c for c in claims if c["changed"]]
        table[m] = {
            "claims": len(claims), "changed": len(changed),
            "changed_verdicts": dict(Counter(c["verdict"] for c in changed)),
            "changed_record": dict(Counter(c["record_status"] for c in changed)),
            "unchanged_verdicts": dict(Counter(c["verdict"] for c in claims if not c["changed"])),
            "unchanged_record": dict(Counter(c["record_status"] for c in claims if not c["changed"])),
        }
    return table


if __name__ == "__main__":
    main()
