"""Issue 15's 1M-article archive, built in 100k steps with check latency measured after each
step (how latency grows with the archive), resumable across sessions.

The articles are bench/corpus.py's recombined set (each sentence = the first half of one real
sentence + the second half of another), indexed by the real Indexer into a real store: every
sentence text is distinct, gets its own vector row, full-text row and ANN entry. One thing is
not the product's: the vectors. Embedding ~10M sentence texts with the packaged model takes
about 3.2 h of both cores here (870 texts/s measured), so each sentence's vector is *composed*
from the model's embeddings of its two real halves (embedded once each; a word-count weighted
mean, renormalised), the way mean pooling composes. On 1,500 sentences the composed vector has
cosine 0.89 (5th percentile 0.80) with the model's own embedding of the whole sentence, and the
top-1 similarity a query finds is 0.445 vs 0.453: the vectors are spread like real ones. The
100k step is measured against the 100k store built with the model's own vectors
(bench/results/scale-100k-sqlite-2026-12-02.json) to show latency does not depend on it.
Sentences the segmenter cut differently from the generator get the model's own embedding
(counted in the results).

    python bench/scale_build.py [--size 1000000] [--step 100000] [--checks 10]

Results accumulate in bench/results/scale-1m-sqlite-<date of first run>.json (one row per step).
Through the Indexer a 100k step takes 30-45 min here (spaCy segmentation ~4 ms an article, the
vector index most of the rest), so 1M is ~5 h, longer than a session, and a session's work
folder does not outlive it. Bulk mode (``--bulk``, see bulk()) writes the same set through the
writer's own commit with the generator's sentence boundaries and a cheaper vector index:

    python bench/scale_build.py --bulk [--measure-at 100000 500000 1000000]

(rows in bench/results/scale-1m-sqlite-bulk-<date>.json). Check latency on stores already built,
side by side (a store may be listed more than once, to alternate):

    python bench/scale_build.py --measure STORE... [--out FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import check_set, sentence_halves, write_recombined  # noqa: E402

import corroborator.store as store_module  # noqa: E402
from corroborator.app import Corroborator, Settings  # noqa: E402
from corroborator.domain import Article  # noqa: E402
from corroborator.indexing.indexer import Indexer, open_for_index  # noqa: E402
from corroborator.runtime.onnx_embedder import OnnxEmbedder  # noqa: E402

WORK = HERE / "work" / "scale"


class ComposedEmbedder:
    """The packaged model's name and size, but each recombined sentence's vector composed from
    its two halves' real embeddings (see the module docstring); other texts are embedded."""

    def __init__(self, halves: list[tuple[str, str]], cache: Path) -> None:
        self.model = OnnxEmbedder.packaged()
        self.name, self.dim = self.model.name, self.model.dim
        firsts = sorted({a for a, _ in halves})
        seconds = sorted({b for _, b in halves})
        if cache.exists():
            saved = np.load(cache)
            first_vecs, second_vecs = saved["first"], saved["second"]
        else:
            first_vecs, second_vecs = self.model.embed(firsts), self.model.embed(seconds)
            np.savez(cache, first=first_vecs, second=second_vecs)
        self.first = {t: (v, len(t.split())) for t, v in zip(firsts, first_vecs)}
        self.second = {t: (v, len(t.split())) for t, v in zip(seconds, second_vecs)}
        self.composed = 0
        self.embedded = 0

    def _compose(self, text: str) -> np.ndarray | None:
        words = text.split()
        for cut in range(1, len(words)):
            head = self.first.get(" ".join(words[:cut]))
            if head is None:
                continue
            tail = self.second.get(" ".join(words[cut:]))
            if tail is not None:
                vec = head[1] * head[0] + tail[1] * tail[0]
                return vec / np.linalg.norm(vec)
        return None

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        rest = []
        for i, text in enumerate(texts):
            vec = self._compose(text)
            if vec is None:
                rest.append(i)
            else:
                out[i] = vec
        if rest:
            out[rest] = self.model.embed([texts[i] for i in rest])
        self.composed += len(texts) - len(rest)
        self.embedded += len(rest)
        return out


def read_articles(path: Path, start: int, stop: int):
    with path.open(encoding="utf-8") as fh:
        for line in itertools.islice(fh, start, stop):
            d = json.loads(line)
            yield Article(id=d["id"], text=d["text"], outlet=d["outlet"], title=d["title"],
                          published=d["published"])


# where a check's time goes (cumulative seconds of one profiled check): the retrieval stage and
# in it the store's searches and reads (search_bm25's SQL: the vocabulary lookup of each term's
# document frequency and the MATCH; _sentences_for_texts maps hit texts to their sentences), the
# claim embeddings and the verifier's model
_PROFILED = ("retrieve", "search_bm25", "search_dense", "_sentences_for_texts", "candidates", "sentence_vectors",
             "embed", "predict")


def _profile(core: Corroborator, article: Article) -> dict:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.enable()
    core.check(article)
    profile.disable()
    seconds = dict.fromkeys(_PROFILED, 0.0)
    for (path, _line, name), (_cc, _nc, _tt, cumulative, _callers) in pstats.Stats(profile).stats.items():
        if name in seconds and "corroborator" in path:
            seconds[name] += cumulative
    return {name: round(value, 3) for name, value in seconds.items()}


def check_latency(address: str, checks: list[Article]) -> dict:
    start = time.perf_counter()
    with Corroborator(Settings(store=address)) as core:
        core.check(checks[0])  # models and the vector index loaded
        warm = time.perf_counter() - start
        times, stages = [], {}
        for article in checks:
            t = time.perf_counter()
            report = core.check(article)
            times.append(time.perf_counter() - t)
            for name, ms in report.timings_ms.items():
                stages.setdefault(name, []).append(ms / 1000)
        profiled = _profile(core, checks[0])
        stats = core.stats()[0]
    times.sort()
    return {"articles": stats["articles"], "sentences": stats["sentences"],
            "distinct_sentences": stats["distinct_sentence_vectors"], "store_bytes": stats["size_bytes"],
            "open_and_first_check_s": round(warm, 1),
            "checks": len(times), "median_s": round(statistics.median(times), 3),
            "p95_s": round(times[int(0.95 * (len(times) - 1))], 3),
            "stage_median_s": {k: round(statistics.median(v), 3) for k, v in stages.items()},
            "profiled_check_s": profiled,
            "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_avg_1m": round(os.getloadavg()[0], 2)}


def latency_with_and_without_budget(address: str, checks: list[Article]) -> dict:
    """check_latency with the full-text postings budget (store.BM25_POSTINGS), and again with
    every one of the 8 rarest query terms, as before the budget (under "without_budget")."""
    row = {"bm25_postings_budget": store_module.BM25_POSTINGS, **check_latency(address, checks)}
    budget, store_module.BM25_POSTINGS = store_module.BM25_POSTINGS, 10**15
    try:
        unbounded = check_latency(address, checks)
    finally:
        store_module.BM25_POSTINGS = budget
    row["without_budget"] = {k: unbounded[k] for k in ("median_s", "p95_s", "stage_median_s", "profiled_check_s")}
    return row


def measure(args) -> None:
    out = args.out or HERE / "results" / f"scale-latency-{time.strftime('%Y-%m-%d')}.json"
    result = json.loads(out.read_text()) if out.exists() else {
        "machine": f"{platform.machine()} {os.cpu_count()} cores", "rows": []}
    checks = [Article(id=c["id"], text=c["text"]) for c in check_set(args.data, args.checks)]
    command = "python bench/scale_build.py " + " ".join(sys.argv[1:])
    if args.budget:
        store_module.BM25_POSTINGS = args.budget
    for store in args.measure:
        row = {"date": time.strftime("%Y-%m-%d %H:%M"), "store": str(store), "command": command}
        if args.budget_only:
            row.update({"bm25_postings_budget": store_module.BM25_POSTINGS, **check_latency(str(store), checks)})
        else:
            row.update(latency_with_and_without_budget(str(store), checks))
        result["rows"].append(row)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(row), flush=True)


class ComposedVectors:
    """Bulk mode's vectors: each recombined sentence's vector composed, as ComposedEmbedder
    does, straight from the indices of its two halves (no text lookup, whole batches at once)."""

    def __init__(self, halves: list[tuple[str, str]], cache: Path) -> None:
        embedder = ComposedEmbedder(halves, cache)
        self.name, self.dim = embedder.name, embedder.dim
        firsts = {t: i for i, t in enumerate(sorted({a for a, _ in halves}))}
        seconds = {t: i for i, t in enumerate(sorted({b for _, b in halves}))}
        first = np.stack([embedder.first[t][0] for t in sorted(firsts)])
        second = np.stack([embedder.second[t][0] for t in sorted(seconds)])
        # row h: the weighted embedding of half h's first (second) part
        first_words = np.array([[len(a.split())] for a, _ in halves], np.float32)
        second_words = np.array([[len(b.split())] for _, b in halves], np.float32)
        self.first = first[[firsts[a] for a, _ in halves]] * first_words
        self.second = second[[seconds[b] for _, b in halves]] * second_words

    def compose(self, pairs: list[tuple[int, int]]) -> np.ndarray:
        idx = np.asarray(pairs)
        vecs = self.first[idx[:, 0]] + self.second[idx[:, 1]]
        return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def _bulk_index(index):
    """Bulk mode's vector index, written into the store folder instead of the product's
    (cosine, f16, usearch's expansion_add 128): int8 and expansion_add 64 (pgvector's
    ef_construction default), so that ~10M vectors build within one session on 2 cores (on
    150k composed vectors: 3,676 vs 1,589 additions/s, recall@20 0.741 vs 0.786 against exact
    search). Dense search is ~1% of a check (profiled), so check latency barely depends on it."""

    def new_index(self):
        # imported here, after onnxruntime: the other order crashes
        from usearch.index import Index

        return Index(ndim=self.dim, metric="cos", dtype="i8", expansion_add=64)

    index.SqliteStore._new_index = new_index


def bulk(args) -> None:
    """Build the recombined archive with the generator's own sentence boundaries and composed
    vectors, through the writer's real commit (origins, dedupe, store.add) in batches of 256,
    and measure check latency at each of ``--measure-at``. Resumes from the articles stored."""
    from corpus import recombined_articles

    import corroborator.store.sqlite.store as sqlite_store
    from corroborator.corroborate.origins import fingerprint
    from corroborator.indexing.indexer import commit, sentence_hash
    from corroborator.store import PreparedArticle

    _bulk_index(sqlite_store)
    WORK.mkdir(parents=True, exist_ok=True)
    out = args.out or HERE / "results" / f"scale-1m-sqlite-bulk-{time.strftime('%Y-%m-%d')}.json"
    halves = sentence_halves(args.data)
    result = json.loads(out.read_text()) if out.exists() else {
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "corpus": {"articles": args.size, "kind": "recombined halves of real sentences (bench/corpus.py)",
                   "sentence_halves": len(halves), "sentences_per_article": 10, "seed": 15},
        "how": "bench/scale_build.py bulk mode: the generator's sentence boundaries (no spaCy), vectors composed "
               "from the halves' real embeddings, written through indexing.commit (origins, dedupe, store.add); "
               "vector index int8, expansion_add 64 (see _bulk_index)",
        "command": "python bench/scale_build.py " + " ".join(sys.argv[1:]), "steps": []}
    checks = [Article(id=c["id"], text=c["text"]) for c in check_set(args.data, args.checks)]
    vectors = ComposedVectors(halves, WORK / "halves-vectors.npz")
    done = {row["articles"] for row in result["steps"]}
    stop_by = time.mktime(time.strptime(time.strftime("%Y-%m-%d ") + args.stop_by, "%Y-%m-%d %H:%M")) \
        if args.stop_by else None
    for stop in args.measure_at:
        if stop in done:
            continue
        start = time.perf_counter()
        store = open_for_index(str(args.store), vectors)
        try:
            have = store.stats()["articles"]
            added = 0
            batch: list[PreparedArticle] = []
            for record, pairs in recombined_articles(halves, stop, start=have):
                text, spans, at = record["text"], [], 0
                for a, b in pairs:
                    length = len(halves[a][0]) + 1 + len(halves[b][1])
                    spans.append((at, at + length))
                    at += length + 1
                article = Article(id=record["id"], text=text, outlet=record["outlet"], title=record["title"],
                                  published=record["published"])
                hashes = [sentence_hash(text[s:e]) for s, e in spans]
                batch.append(PreparedArticle(article=article, content_hash=article.content_hash, spans=spans,
                                             sentence_hashes=hashes, fingerprint=fingerprint(text),
                                             vectors=dict(zip(hashes, vectors.compose(pairs)))))
                if len(batch) == 256:
                    added += commit(store, batch)
                    batch = []
                    if stop_by and time.time() > stop_by:
                        break  # out of time: measure what is stored
            if batch:
                added += commit(store, batch)
        finally:
            store.close()  # saves the vector index
        row = {"date": time.strftime("%Y-%m-%d %H:%M"), "articles_target": stop, "added": added,
               "build_seconds": round(time.perf_counter() - start, 1),
               "articles_per_s": round(added / max(time.perf_counter() - start, 1e-9), 1)}
        row.update(latency_with_and_without_budget(str(args.store), checks))
        if args.compare:
            # side by side: the reference store, then this one again, one right after the other
            # (this machine's speed drifts over minutes), both with the postings budget
            reference = check_latency(str(args.compare), checks)
            again = check_latency(str(args.store), checks)
            row["side_by_side"] = {
                "reference": str(args.compare), "reference_articles": reference["articles"],
                "reference_median_s": reference["median_s"], "reference_p95_s": reference["p95_s"],
                "reference_stage_median_s": reference["stage_median_s"],
                "median_s": again["median_s"], "p95_s": again["p95_s"], "stage_median_s": again["stage_median_s"],
                "median_ratio": round(again["median_s"] / reference["median_s"], 2),
                "load_avg_1m": again["load_avg_1m"]}
        result["steps"].append(row)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(row), flush=True)
        if row["articles"] < stop:
            break


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--step", type=int, default=100_000)
    ap.add_argument("--checks", type=int, default=10)
    ap.add_argument("--store", type=Path, default=WORK / "store-1m-sqlite")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--measure", type=Path, nargs="*", default=None,
                    help="only measure check latency on these existing embedded stores (rows go to "
                         "bench/results/scale-latency-<date>.json)")
    ap.add_argument("--budget-only", action="store_true",
                    help="with --measure: only with the postings budget (not again without it)")
    ap.add_argument("--budget", type=int, default=None,
                    help="with --measure: this postings budget instead of store.BM25_POSTINGS")
    ap.add_argument("--bulk", action="store_true",
                    help="bulk mode (see bulk()): one session on 2 cores instead of ~5 h through the Indexer")
    ap.add_argument("--measure-at", type=int, nargs="*", default=[100_000, 500_000, 1_000_000])
    ap.add_argument("--stop-by", default=None, help="bulk mode: HH:MM today; stop adding then and measure")
    ap.add_argument("--compare", type=Path, default=None,
                    help="bulk mode: also measure this store and the built one again, side by side")
    args = ap.parse_args()
    if args.bulk:
        if args.store == WORK / "store-1m-sqlite":
            args.store = WORK / "store-1m-bulk"
        bulk(args)
        return
    if args.measure is not None:
        measure(args)
        return
    WORK.mkdir(parents=True, exist_ok=True)
    articles = WORK / f"recombined-{args.size}.jsonl"
    if not articles.exists():  # same seed as the 100k set: its first 100k articles are that set
        info = write_recombined(args.data, args.size, articles.with_suffix(".tmp"))
        articles.with_suffix(".tmp").rename(articles)
        (WORK / f"recombined-{args.size}.json").write_text(json.dumps(info) + "\n")
    info = json.loads((WORK / f"recombined-{args.size}.json").read_text())
    outs = sorted(HERE.glob("results/scale-1m-sqlite-*.json"))
    out = args.out or (outs[0] if outs else HERE / "results" / f"scale-1m-sqlite-{time.strftime('%Y-%m-%d')}.json")
    result = json.loads(out.read_text()) if out.exists() else {
        "machine": f"{platform.machine()} {os.cpu_count()} cores", "corpus": info,
        "vectors": "composed from the real embeddings of each sentence's two halves (bench/scale_build.py)",
        "command": "python bench/scale_build.py " + " ".join(sys.argv[1:]), "steps": []}
    checks = [Article(id=c["id"], text=c["text"]) for c in check_set(args.data, args.checks)]
    embedder = ComposedEmbedder(sentence_halves(args.data), WORK / "halves-vectors.npz")
    done = {row["articles_read"] for row in result["steps"]}
    for stop in range(args.step, args.size + 1, args.step):
        if stop in done:
            continue
        start = time.perf_counter()
        store = open_for_index(str(args.store), embedder)
        try:
            # the vector index is written once per step: at ~10M vectors a save writes ~8 GB
            indexed = Indexer(store, embedder, save_every=10**9).run_items(read_articles(articles, stop - args.step, stop))
        finally:
            store.close()
        row = {"date": time.strftime("%Y-%m-%d %H:%M"), "articles_read": stop, "added": indexed.added,
               "index_seconds": round(time.perf_counter() - start, 1),
               "articles_per_s": round(indexed.added / max(time.perf_counter() - start, 1e-9), 1),
               "vectors_composed": embedder.composed, "vectors_embedded_by_model": embedder.embedded}
        row.update(latency_with_and_without_budget(str(args.store), checks))
        result["steps"].append(row)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
