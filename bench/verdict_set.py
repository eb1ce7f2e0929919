"""A labelled set of real claim–evidence decisions (issue 23, item 6), and the score of the
current pipeline on it.

    python bench/verdict_set.py build [--per-kind N]     # stores, checks, decisions to label
    python bench/verdict_set.py build --no-decisions     # on a fresh machine: what `score` needs
    python bench/verdict_set.py score [--tag T]          # re-check, precision/recall per verdict

Real news from ../shared only:
- ``politifact``: PolitiFact development originals in the archive; their ChatGPT versions
  (paraphrase, rewrite and the manipulations) checked against it;
- ``fnc``: FNC-1 *competition test* bodies (no model of ours trained on them) grouped by the
  headline they discuss: one story from several outlets; each body checked against an archive
  holding the others;
- ``ptc`` / ``polnear``: propaganda-corpus and PolNeAR articles checked against the archive of
  everything else (their stories are mostly not in it: same-topic traps);
- ``shifted``: same topic, different event on purpose — a PolitiFact original stored as a copy
  moved three years back (every year in its text and its date) with its people swapped for
  other people of the corpus, the real original checked against it.

Each decision is one claim and one evidence passage (the retrieved sentence with its
neighbours), as the report shows it. Decisions are split by story (sha256 of the story key):
a third is kept back (``held``) before any tuning; thresholds are chosen on the rest
(``dev``). Labels (read by people, not by script) go to bench/labels/verdicts.jsonl:
supports / refutes / same_topic / different_event / unrelated. ``score`` re-checks the same
articles with the code as it is and reports, per part, precision and recall of the decisions
that count for SUPPORTED and REFUTED.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import random
import re
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels" / "verdicts.jsonl"
csv.field_size_limit(sys.maxsize)
KINDS = ("politifact", "fnc", "ptc", "polnear", "shifted")


def part_of(group: str) -> str:
    """held (a third, by story) or dev."""
    return "held" if int(hashlib.sha256(group.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def _politifact(data: Path):
    sys.path.insert(0, str(HERE))
    from politifact import read

    return read(data / "articles" / "llmfake-politifact")


def _fnc_stories(data: Path, min_bodies: int = 3, max_stories: int = 40) -> dict[str, list[tuple[str, str]]]:
    folder = data / "train" / "fnc1" / "FNC"
    with (folder / "competition_test_bodies.csv").open(encoding="utf-8", newline="") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    by_headline: dict[str, list[str]] = defaultdict(list)
    with (folder / "competition_test_stances.csv").open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            if r["Stance"] in ("agree", "discuss") and len(bodies.get(r["Body ID"], "")) >= 400:
                by_headline[r["Headline"]].append(r["Body ID"])
    used: set[str] = set()
    stories = {}
    for headline, ids in sorted(by_headline.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ids = [i for i in dict.fromkeys(ids) if i not in used]
        if len(ids) >= min_bodies:
            stories[headline] = [(i, bodies[i]) for i in ids[:5]]
            used |= set(ids)
        if len(stories) >= max_stories:
            break
    return stories


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
_PERSON = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]{2,})\b")


def shifted_copy(text: str, others: list[str], rng: random.Random) -> tuple[str, dict]:
    """A shorter report of a like event three years earlier with other people: every third
    sentence of the text, every year moved back three, its most named people swapped for other
    names of the corpus (not a near-copy of the original, so not read as a version of it)."""
    from corroborator.text.sentences import segment_many

    spans = next(segment_many([text]))
    out = " ".join(text[a:b].strip() for n, (a, b) in enumerate(spans) if n % 3 == 0)
    out = _YEAR.sub(lambda m: str(int(m.group(1)) - 3), out)
    names = [m.group(0) for m in _PERSON.finditer(text)]
    common = Counter(names).most_common(3)
    swaps = {}
    for name, _ in common:
        pick = rng.choice(others)
        if pick not in names:
            swaps[name] = pick
            swaps[name.split()[-1]] = pick.split()[-1]
    for a, b in sorted(swaps.items(), key=lambda kv: -len(kv[0])):
        out = re.sub(rf"\b{re.escape(a)}\b", b, out)
    return out, swaps


def corpus(data: Path, rng: random.Random) -> tuple[list[dict], list[dict]]:
    """(archive records, articles to check), each a dict with id/text/title/published and the
    story key and kind."""
    archive, checks = [], []
    originals, versions = _politifact(data)
    for nid, text in sorted(originals.items()):
        archive.append({"id": f"orig-{nid}", "text": text, "story": f"politifact:{nid}"})
    by_story = defaultdict(list)
    for v in versions:
        by_story[v["news_id"]].append(v)
    for nid in sorted(by_story):
        for v in sorted(by_story[nid], key=lambda v: v["method"]):
            checks.append({"id": f"pf-{v['method']}-{nid}", "text": v["text"], "story": f"politifact:{nid}",
                           "kind": "politifact", "method": v["method"]})
    for n, (headline, bodies) in enumerate(_fnc_stories(data).items()):
        key = f"fnc:{hashlib.sha256(headline.encode()).hexdigest()[:12]}"
        for i, body in bodies:
            archive.append({"id": f"fnc-{i}", "text": body, "story": key})
        i, body = bodies[0]
        checks.append({"id": f"fnc-check-{i}", "text": body, "story": key, "kind": "fnc", "headline": headline})
    ptc = sorted((data / "articles" / "propaganda" / "train-articles").glob("*.txt"))
    for path in ptc[:200]:
        text = path.read_text(encoding="utf-8", errors="replace")
        archive.append({"id": f"ptc-{path.stem}", "text": text, "story": f"ptc:{path.stem}"})
    for path in ptc[:200:5]:
        checks.append({"id": f"ptc-check-{path.stem}", "text": path.read_text(encoding="utf-8", errors="replace"),
                       "story": f"ptc:{path.stem}", "kind": "ptc"})
    polnear = sorted((data / "sourcing" / "polnear").glob("*/text/*.txt"))
    for n, path in enumerate(polnear[:300]):
        m = re.match(r"(.+?)_(\d{4}-\d{2}-\d{2})_", path.name)
        rec = {"id": f"pn-{path.stem}", "text": path.read_text(encoding="utf-8", errors="replace"),
               "outlet": m.group(1) if m else None, "published": m.group(2) if m else None,
               "story": f"polnear:{path.stem}"}
        archive.append(rec)
        if n % 10 == 0:
            checks.append({**rec, "id": f"pn-check-{path.stem}", "kind": "polnear"})
    people = sorted({m.group(0) for t in originals.values() for m in _PERSON.finditer(t)})
    for nid in sorted(originals)[::8]:
        text = originals[nid]
        shifted, swaps = shifted_copy(text, people, rng)
        if not swaps:
            continue
        archive.append({"id": f"shifted-{nid}", "text": shifted, "published": "2016-06-01", "story": f"shifted:{nid}"})
        checks.append({"id": f"shifted-check-{nid}", "text": text, "published": "2019-06-01", "story": f"shifted:{nid}",
                       "kind": "shifted", "swaps": swaps})
    return archive, checks


def build_store(work: Path, archive: list[dict]):
    from corroborator.app import Corroborator, Settings
    from corroborator.ingest import read_paths

    store = work / "store"
    if (store / "store.db").exists():
        return store
    work.mkdir(parents=True, exist_ok=True)
    path = work / "archive.jsonl"
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "story" and v is not None}) + "\n"
                            for r in archive))
    with Corroborator(Settings(store=store)) as core:
        res = core.index(read_paths([path]))
    print(f"indexed {res.added} articles", flush=True)
    return store


def sample_checks(checks: list[dict], per_kind: int, rng: random.Random) -> list[dict]:
    out = []
    for kind in KINDS:
        pool = [c for c in checks if c["kind"] == kind]
        if kind == "politifact":  # every method, stories spread out
            by_method = defaultdict(list)
            for c in pool:
                by_method[c["method"]].append(c)
            n = max(1, per_kind // len(by_method))
            for m in sorted(by_method):
                out += rng.sample(by_method[m], min(n, len(by_method[m])))
        else:
            out += rng.sample(pool, min(per_kind, len(pool)))
    return out


def run_checks(store: Path, items: list[dict]):
    """Check each item against the store; yields (item, report). A checked text that the
    archive holds verbatim is left out of its own evidence (the check excludes exact copies),
    so FNC-1, PTC and PolNeAR articles are checked against everything else."""
    from corroborator.app import Corroborator, Settings
    from corroborator.domain import Article
    from corroborator.ingest.common import parse_date

    with Corroborator(Settings(store=store)) as core:
        for item in items:
            art = Article(id=item["id"], text=item["text"], outlet=item.get("outlet"),
                          published=parse_date(item["published"]) if item.get("published") else None)
            yield item, core.check(art)


def decisions(item: dict, report) -> list[dict]:
    """Per claim: the evidence the verdict rests on (strongest support or contradiction) and the
    closest by wording, when they differ."""
    out = []
    for claim in report.claims:
        if not claim.evidence:
            continue
        decisive = max(claim.evidence, key=lambda e: max(e.probs.supports, e.probs.refutes))
        closest = max(claim.evidence, key=lambda e: e.similarity or 0.0)
        for role, ev in (("decisive", decisive), ("closest", closest)):
            if role == "closest" and ev is decisive:
                continue
            out.append(decision_row(item, claim, ev, role))
    return out


def decision_row(item: dict, claim, ev, role: str) -> dict:
    key = f"{item['id']}|{claim.span[0]}|{ev.article_id}|{ev.sentence}"
    return {
        "id": hashlib.sha256(key.encode()).hexdigest()[:16], "kind": item["kind"], "story": item["story"],
        "part": part_of(item["story"]), "role": role, "check_id": item["id"],
        "claim": claim.text, "claim_span": list(claim.span),
        "claim_article_date": item.get("published"), "claim_article_outlet": item.get("outlet"),
        "evidence_article": ev.article_id, "evidence_date": ev.published.isoformat() if ev.published else None,
        "evidence_outlet": ev.outlet, "evidence_sentence": ev.sentence, "evidence_passage": ev.context or ev.sentence,
        "system": {"supports": ev.probs.supports, "refutes": ev.probs.refutes, "event_match": ev.event_match,
                   "similarity": ev.similarity, "verdict": claim.verdict.value},
    }


def cmd_build(args) -> None:
    rng = random.Random(23)
    archive, checks = corpus(args.data, rng)
    store = build_store(args.work, archive)
    chosen = sample_checks(checks, args.per_kind, rng)
    (args.work / "checks.jsonl").write_text("".join(json.dumps(c) + "\n" for c in chosen))
    if args.no_decisions:  # enough to score the committed labels
        print(f"store {store}, {len(chosen)} checks in {args.work / 'checks.jsonl'}")
        return
    rows = []
    for n, (item, report) in enumerate(run_checks(store, chosen)):
        rows += decisions(item, report)
        if n % 20 == 0:
            print(f"{n}/{len(chosen)} checked, {len(rows)} decisions", flush=True)
    # at most 6 decisions per checked article, so no one article dominates
    by_check = defaultdict(list)
    for r in rows:
        by_check[r["check_id"]].append(r)
    kept = []
    for cid, rs in by_check.items():
        decisive = [r for r in rs if r["role"] == "decisive"]
        closest = [r for r in rs if r["role"] == "closest"]
        rng.shuffle(decisive)
        rng.shuffle(closest)
        kept += (decisive[:4] + closest[:2])[:6]
    out = args.work / "to_label.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in kept))
    print(f"{len(kept)} decisions from {len(chosen)} checks -> {out}; by kind {Counter(r['kind'] for r in kept)}; "
          f"by part {Counter(r['part'] for r in kept)}")


def cmd_score(args) -> None:
    labels = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            labels[r["id"]] = r
    # the labels carry what scoring needs (check, kind, part); a decision's id is a hash of
    # (check, claim start, evidence article, sentence), recomputed from the re-check, so the
    # labels match on a machine that rebuilt the store and checks.jsonl (`build --no-decisions`)
    rows = labels
    checks = [json.loads(line) for line in (args.work / "checks.jsonl").read_text().splitlines()]
    wanted = {r["check_id"] for r in labels.values()}
    from corroborator.corroborate import aggregate as agg

    def legacy(ev):  # before issue 23 (for scoring an older checkout side by side)
        if ev.event_match == "different" or ev.version:
            return None
        return "supports" if ev.probs.supports >= agg.THRESHOLD and ev.probs.supports >= ev.probs.refutes else \
            "refutes" if ev.probs.refutes >= agg.REFUTE_THRESHOLD else None

    counts_for = getattr(agg, "counts_for", legacy)

    store = args.work / "store"
    found: dict[str, dict] = {}
    t0 = time.perf_counter()
    for item, report in run_checks(store, [c for c in checks if c["id"] in wanted]):
        for claim in report.claims:
            for ev in claim.evidence:
                key = f"{item['id']}|{claim.span[0]}|{ev.article_id}|{ev.sentence}"
                found[hashlib.sha256(key.encode()).hexdigest()[:16]] = {
                    "counts": counts_for(ev),
                    "supports": ev.probs.supports, "refutes": ev.probs.refutes, "event_match": ev.event_match,
                    "similarity": ev.similarity, "story_similarity": getattr(ev, "story_similarity", None),
                    "premise": getattr(ev, "premise", None) is not None,
                    "mismatches": [m.kind for m in ev.mismatches], "event_note": ev.event_note,
                    "record_only": bool(ev.version or getattr(ev, "same_origin", False)),
                    "model_supports": (ev.model_probs or ev.probs).supports,
                    "verdict": claim.verdict.value, "finding": getattr(claim, "finding", None),
                    "claim": claim.text, "passage": ev.context or ev.sentence}
    seconds = time.perf_counter() - t0
    result = {"date": time.strftime("%Y-%m-%d"), "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
              "command": "python bench/verdict_set.py score " + " ".join(sys.argv[2:]), "checks": len(wanted),
              "seconds": round(seconds, 1)}
    def unseen(check_id: str) -> bool:
        """Not from a story the verifier v2/v3 pairs trained on: PolitiFact stories (and their
        shifted copies) of the training half (train/build_news.held_out false) were; FNC-1
        competition-test, PTC and PolNeAR articles were in no training data."""
        if check_id.startswith(("pf-", "shifted-check-")):
            return int(hashlib.sha256(check_id.rsplit("-", 1)[1].encode()).hexdigest(), 16) % 2 == 0
        return True

    for part in ("dev", "held", "all", "held_unseen"):
        sel = [i for i in labels if i in rows and (part == "all" or rows[i]["part"] == part.split("_")[0])
               and (not part.endswith("_unseen") or unseen(labels[i]["check_id"]))]
        table = {}
        for verdict, gold in (("supports", "supports"), ("refutes", "refutes")):
            said = [i for i in sel if found.get(i, {}).get("counts") == verdict]
            # a stored version of the checked article (or its own origin's copy) is the record,
            # never counted, by design: not a decision that could support or refute
            true = [i for i in sel if labels[i]["label"] == gold and not found.get(i, {}).get("record_only")]
            tp = sum(labels[i]["label"] == gold for i in said)
            table[verdict] = {"said": len(said), "labelled": len(true), "correct": tp,
                              "precision": round(tp / len(said), 3) if said else None,
                              "recall": round(tp / len(true), 3) if true else None}
        trap = [i for i in sel if labels[i]["label"] in ("different_event", "same_topic", "unrelated")]
        table["not_same_event_counted"] = {"labelled": len(trap),
                                           "counted_as_support": sum(found.get(i, {}).get("counts") == "supports" for i in trap),
                                           "counted_as_refute": sum(found.get(i, {}).get("counts") == "refutes" for i in trap)}
        table["labels"] = dict(Counter(labels[i]["label"] for i in sel))
        table["missing_after_recheck"] = sum(i not in found for i in sel)
        table["record_only"] = sum(bool(found.get(i, {}).get("record_only")) for i in sel)
        result[part] = table
    # every labelled decision as the pipeline now sees it, for choosing thresholds on the dev part
    (args.work / f"scored{'-' + args.tag if args.tag else ''}.jsonl").write_text("".join(
        json.dumps({"id": i, "part": rows[i]["part"], "kind": rows[i]["kind"], "label": labels[i]["label"], **found.get(i, {})})
        + "\n" for i in labels if i in rows))
    out = HERE / "results" / f"verdicts-{result['date']}{'-' + args.tag if args.tag else ''}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({p: result[p] for p in ("dev", "held", "held_unseen")}, indent=1))
    print(f"wrote {out}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("command", choices=["build", "score"])
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--work", type=Path, default=HERE / "work" / "verdicts")
    ap.add_argument("--per-kind", type=int, default=30)
    ap.add_argument("--tag", default="")
    ap.add_argument("--no-decisions", action="store_true",
                    help="build: only the store and the checks (what `score` needs), not the decisions to label")
    args = ap.parse_args()
    if not (args.data / "articles").is_dir():
        sys.exit(f"{args.data}: no shared data (see ../shared/data/README.md)")
    {"build": cmd_build, "score": cmd_score}[args.command](args)


if __name__ == "__main__":
    main()
