"""The Store protocol's contract, run against every registered backend (issue 13, item 3): each
method on a small real store, through open_store(address) as the application opens it."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from corroborator.corroborate.origins import fingerprint
from corroborator.domain import Article, content_hash
from corroborator.errors import StoreError
from corroborator.indexing.indexer import Indexer
from corroborator.store import BACKENDS, open_store, split_address

WIRE = ("TOKYO (Meridian Wire) -- Two US B-52H bombers flew over the Sea of Japan on Friday with Japanese and "
        "South Korean fighter jets, the US Air Force said. The drill lasted about three hours.")
OTHER = ("The Kestrel Bay port authority said on Tuesday that 23 container ships were waiting at anchor outside "
         "the harbor as the dockworkers' strike entered its second day.")


SCHEMES = sorted(set(BACKENDS) - {"postgres"})  # postgres:// is postgresql:// by another name


def _address(scheme: str, tmp_path, request) -> str:
    if scheme == "sqlite":
        return f"sqlite://{tmp_path / 'store'}"
    if scheme == "postgresql":
        return request.getfixturevalue("postgres_server")()
    pytest.skip(f"no test server for the {scheme} backend here")


@pytest.fixture(params=SCHEMES)
def filled(request, tmp_path, embedder):
    address = _address(request.param, tmp_path, request)
    store = open_store(address, create=True, embedder_name=embedder.name, dim=embedder.dim, writer=True)
    try:
        result = Indexer(store, embedder).run_items([
            Article(id="wire-1", outlet="Meridian Wire", published=date(2025, 3, 14), text=WIRE, source="feed.jsonl:1"),
            Article(id="port-1", outlet="Harbor Times", published=date(2025, 3, 4), text=OTHER),
        ])
        assert result.added == 2
        store.checkpoint()
    finally:
        store.close()
    reader = open_store(address, embedder_name=embedder.name, dim=embedder.dim)
    yield reader
    reader.close()


def test_addresses():
    assert split_address("/tmp/x") == ("sqlite", "/tmp/x")
    assert split_address("sqlite:///tmp/x") == ("sqlite", "/tmp/x")
    assert split_address("postgresql://me@host/db") == ("postgresql", "postgresql://me@host/db")
    with pytest.raises(StoreError, match="no store backend for 'nosuch://'"):
        open_store("nosuch://x")


def test_store_contract(filled, embedder):
    store = filled
    assert store.existing_content([content_hash(WIRE), "0" * 32]) == {content_hash(WIRE)}
    assert store.article_ids_for_content(content_hash(OTHER)) == {"port-1"}
    assert store.same_article_ids(Article(id="wire-1", text="An updated text of the wire story, long enough.")) == {"wire-1"}
    copy = WIRE.replace("the US Air Force said", "the US Air Force said on Friday")
    assert store.copy_origin(fingerprint(copy)) == "Meridian Wire"
    assert "Meridian Wire" in {origin for _, origin in store.origin_candidates(fingerprint(copy))}
    assert store.near_duplicates(fingerprint(copy)) == {"wire-1"}
    assert store.near_duplicates(fingerprint("A text about something else entirely, a bake sale at a school.")) == set()
    hits = store.search_bm25(["bombers", "japan"], 5)
    assert hits and all(score > 0 for _, score in hits)
    # document frequencies over distinct texts (issue 23: how distinctive a name is)
    df = store.term_frequencies(["bombers", "ships", "zyzzyva"])
    assert df.get("bombers", 0) >= 1 and "zyzzyva" not in df and store.term_frequencies([]) == {}
    dense = store.search_dense(embedder.embed(["container ships waiting at anchor"]), 2)
    assert len(dense) == 1 and dense[0][0][1] > 0.5
    cands = store.candidates([sid for sid, _ in hits])
    best = cands[hits[0][0]]
    assert "bombers" in best.sentence and best.outlet == "Meridian Wire" and best.origin == "Meridian Wire"
    assert best.source == "feed.jsonl:1" and best.published == date(2025, 3, 14)
    vectors = store.sentence_vectors([hits[0][0]])
    assert abs(float(np.linalg.norm(vectors[hits[0][0]])) - 1.0) < 1e-2
    assert store.missing_vectors(["no-such-hash"]) == {"no-such-hash"}
    info = store.stats()
    assert info["articles"] == 2 and info["sentences"] >= 3 and info["outlets"] == 2
    assert {a.article_id for a in store.stored_articles()} == {"wire-1", "port-1"}
    assert [a.article_id for a in store.stored_articles(article_ids=["port-1"])] == ["port-1"]
    assert dict(store.top_outlets()) == {"Meridian Wire": 1, "Harbor Times": 1}


@pytest.mark.parametrize("scheme", SCHEMES)
def test_origin_of_a_copy_in_the_same_batch(scheme, tmp_path, embedder, request):
    # origins are decided by the indexing code (pipeline.commit), which also sees the earlier
    # articles of its own batch, not yet stored
    address = _address(scheme, tmp_path, request)
    original = OTHER.replace("said on Tuesday", "said on Tuesday morning")
    store = open_store(address, create=True, embedder_name=embedder.name, dim=embedder.dim, writer=True)
    try:
        Indexer(store, embedder).run_items([Article(id="a", outlet="Harbor Times", text=OTHER),
                                            Article(id="b", outlet="Copy Gazette", text=original)])
        assert {a.article_id: a.origin for a in store.stored_articles()} == {"a": "Harbor Times", "b": "Harbor Times"}
    finally:
        store.close()
