"""The Propaganda Techniques Corpus (SemEval-2020 Task 11) in ../shared/data/articles/propaganda:
articles, their technique spans, our fixed split, and the task's span metric.

Split (by article, fixed, no randomness): sorted article ids, position % 5 == 0 -> "test"
(kept back, never trained or tuned on), position % 10 == 1 -> "dev" (thresholds), the rest
-> "train".

Metric: the SemEval-2020 Task 11 span-identification score (Da San Martino et al., 2020),
which gives partial credit for overlap. For predicted spans S and gold spans T of one
article (overlapping spans of the same class merged first),
    P = sum_{s,t} |s & t| / |s|  /  |S|        R = sum_{s,t} |s & t| / |t|  /  |T|
summed over articles before dividing; F1 is their harmonic mean. "propaganda" scores spans of
any technique (the task's SI setting); each technique is also scored on its own spans.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ANY = "propaganda"


@dataclass
class PtcArticle:
    id: str
    text: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # technique -> [(start, end)]


def load(folder: Path) -> list[PtcArticle]:
    articles_dir = folder / "train-articles"
    labels_dir = folder / "train-labels-task2-technique-classification"
    if not articles_dir.is_dir():
        raise SystemExit(f"PTC articles not found in {articles_dir} (see ../shared/data/README.md)")
    out = []
    for path in sorted(articles_dir.glob("article*.txt")):
        art_id = path.stem.removeprefix("article")
        text = path.read_text(encoding="utf-8")
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        label_file = labels_dir / f"article{art_id}.task2-TC.labels"
        if label_file.is_file():
            for line in label_file.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) == 4:
                    spans[parts[1]].append((int(parts[2]), int(parts[3])))
        out.append(PtcArticle(art_id, text, dict(spans)))
    return out


def split(articles: list[PtcArticle]) -> dict[str, list[PtcArticle]]:
    parts: dict[str, list[PtcArticle]] = {"train": [], "dev": [], "test": []}
    for pos, art in enumerate(sorted(articles, key=lambda a: a.id)):
        name = "test" if pos % 5 == 0 else "dev" if pos % 10 == 1 else "train"
        parts[name].append(art)
    return parts


def gold(article: PtcArticle, label: str) -> list[tuple[int, int]]:
    if label == ANY:
        return merge([s for spans in article.spans.values() for s in spans])
    return merge(article.spans.get(label, []))


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if out and start < out[-1][1]:  # overlapping (not merely touching), as the task's scorer
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out if e > s]


def span_scores(pairs: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]) -> dict:
    """pairs: (predicted, gold) span lists per article -> precision, recall, F1, counts."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for pred, true in pairs:
        pred, true = merge(pred), merge(true)
        n_pred += len(pred)
        n_gold += len(true)
        for s0, s1 in pred:
            for t0, t1 in true:
                overlap = min(s1, t1) - max(s0, t0)
                if overlap > 0:
                    p_sum += overlap / (s1 - s0)
                    r_sum += overlap / (t1 - t0)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "predicted_spans": n_pred, "gold_spans": n_gold}


def char_scores(pairs: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]) -> dict:
    """Character-level precision/recall/F1: every character of a predicted span against every
    character of a gold span, summed over articles (no partial-credit weighting by span)."""
    tp = n_pred = n_gold = 0
    for pred, true in pairs:
        p_chars = {i for s, e in pred for i in range(s, e)}
        g_chars = {i for s, e in true for i in range(s, e)}
        tp += len(p_chars & g_chars)
        n_pred += len(p_chars)
        n_gold += len(g_chars)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"char_precision": round(precision, 4), "char_recall": round(recall, 4), "char_f1": round(f1, 4)}


def lines(text: str) -> list[tuple[int, str]]:
    """(start offset, line) for each non-empty line: the corpus has one sentence per line."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def line_probabilities(tagger, articles: list[PtcArticle]) -> list[list[tuple[int, str, list, object]]]:
    """Per article, per line: (line offset, line, token offsets, probabilities) from a
    corroborator.propaganda tagger, computed once so thresholds can be searched cheaply. A
    context model reads each line with the title (the first line) and its neighbours, as
    reports read each sentence."""
    from corroborator.signals.propaganda import sentence_contexts

    out = []
    for art in articles:
        units = lines(art.text)
        texts = [line for _, line in units]
        probs = tagger.probabilities(texts, sentence_contexts(texts, texts[0] if texts else ""))
        out.append([(base, line, offs, p) for (base, line), (offs, p) in zip(units, probs)])
    return out


def score(tagger, articles: list[PtcArticle], cached, thresholds=None) -> dict[str, dict]:
    """Span precision/recall/F1 per channel of the tagger on the articles."""
    predicted: dict[str, list[list[tuple[int, int]]]] = {label: [] for label in tagger.labels}
    for art_lines in cached:
        per_label: dict[str, list[tuple[int, int]]] = {label: [] for label in tagger.labels}
        for base, line, offs, p in art_lines:
            for span in tagger.decode(line, offs, p, thresholds):
                per_label[span.technique].append((base + span.start, base + span.end))
        for label in tagger.labels:
            predicted[label].append(per_label[label])
    return {label: span_scores(pairs) | char_scores(pairs)
            for label in tagger.labels
            for pairs in [[(pred, gold(art, label)) for pred, art in zip(predicted[label], articles)]]}


def shown_scores(tagger, articles: list[PtcArticle], cached, thresholds=None, extend=None) -> dict:
    """What a report shows (tagger.shown: technique spans only), all techniques together,
    against the gold spans of any technique: span and character scores."""
    pairs = []
    by_technique: dict[str, list] = {}
    for art, art_lines in zip(articles, cached):
        shown = [(sp.technique, base + sp.start, base + sp.end) for base, line, offs, p in art_lines
                 for sp in tagger.shown(line, offs, p, thresholds, extend)]
        pairs.append(([(a, b) for _, a, b in shown], gold(art, ANY)))
        for technique in {t for spans in (art.spans, {t: 0 for t, _, _ in shown}) for t in spans}:
            by_technique.setdefault(technique, []).append(
                ([(a, b) for t, a, b in shown if t == technique], gold(art, technique)))
    per = {t: span_scores(v) | char_scores(v) for t, v in sorted(by_technique.items())}
    return span_scores(pairs) | char_scores(pairs) | {"per_technique": per}
