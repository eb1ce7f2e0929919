"""Where an embedded store's full-text search spends its time, per check sentence: the
vocabulary lookup that finds each query term's document frequency (fts5vocab reads the term's
doclist, so it grows with the archive) and the MATCH query over the terms the postings budget
keeps (store.selective_terms). Read-only; 80 sentences of 5 held-out check articles, 2 rounds.

    python bench/bm25_split.py STORE [STORE...]
"""

import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import check_set  # noqa: E402

from corroborator.retrieve.retriever import bm25_terms  # noqa: E402
from corroborator.store import selective_terms  # noqa: E402
from corroborator.text.sentences import segment_many  # noqa: E402


def main() -> None:
    articles = check_set(HERE.parents[1] / "shared" / "data", 5)
    sentences = [a["text"][s:e] for a, spans in zip(articles, segment_many([a["text"] for a in articles]))
                 for s, e in spans][:80]
    for store in sys.argv[1:]:
        conn = sqlite3.connect(f"file:{store}/store.db?mode=ro", uri=True)
        vocab = match = 0.0
        for _ in range(2):
            vocab = match = 0.0
            for sentence in sentences:
                terms = bm25_terms(sentence)
                if not terms:
                    continue
                start = time.perf_counter()
                df = dict(conn.execute(f"SELECT term, doc FROM texts_vocab WHERE term IN ({','.join('?' * len(terms))})",
                                       terms).fetchall())
                looked_up = time.perf_counter()
                rare = selective_terms(terms, df)
                if rare:
                    query = " OR ".join('"' + t.replace('"', '""') + '"' for t in rare)
                    conn.execute("SELECT rowid, rank FROM texts_fts WHERE texts_fts MATCH ? ORDER BY rank LIMIT 30",
                                 (query,)).fetchall()
                vocab += looked_up - start
                match += time.perf_counter() - looked_up
        texts = conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
        print(f"{store}: {texts:,} texts; ms per sentence: vocabulary {1000 * vocab / len(sentences):.1f}, "
              f"match {1000 * match / len(sentences):.1f}")


if __name__ == "__main__":
    main()
