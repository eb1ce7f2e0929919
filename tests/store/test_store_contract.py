"""The Store protocol's contract, run against every registered backend (issue 13, item 3): each
method on a small real store, through open_store(address) as the application opens it."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pytest

from corroborator.corroborate.origins import copy_origin, fingerprint, near_duplicates, stored_candidates, stored_versions
from corroborator.domain import Article, Claim, ClaimKind, content_hash
from corroborator.errors import StoreError
from corroborator.indexing.indexer import Indexer
from corroborator.registry import stores
from corroborator.store import CAPABILITY_METHODS, open_store, split_address

WIRE = ("TOKYO (Meridian Wire) -- Two US B-52H bombers flew over the Sea of Japan on Friday with Japanese and "
        "South Korean fighter jets, the US Air Force said. The drill lasted about three hours.")
OTHER = ("The Kestrel Bay port authority said on Tuesday that 23 container ships were waiting at anchor outside "
         "the harbor as the dockworkers' strike entered its second day.\n\n\f"  # a page break: page 2 follows
         "Union leaders said about 1,800 dockworkers walked off the job on Monday.")


SCHEMES = sorted(set(stores.names()) - {"postgres"})  # postgres:// is postgresql:// by another name


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
    # the rows the origin policy reads, and the policy over them (once, above the stores)
    assert store.ids_and_outlets("wire-1") == [("wire-1", "Meridian Wire")] and store.ids_and_outlets("wire") == []
    assert stored_versions(store, Article(id="wire-1", text="An updated text of the wire story, long enough.")) == {"wire-1"}
    assert stored_versions(store, Article(id="wire-1", outlet="Other Outlet", text="Another outlet's own wire-1.")) == set()
    copy = WIRE.replace("the US Air Force said", "the US Air Force said on Friday")
    assert [aid for aid, _, _ in store.band_rows(fingerprint(copy))] == ["wire-1"]
    assert copy_origin(store, fingerprint(copy)) == "Meridian Wire"
    assert "Meridian Wire" in {origin for _, origin in stored_candidates(store, fingerprint(copy))}
    assert near_duplicates(store, fingerprint(copy)) == {"wire-1"}
    assert near_duplicates(store, fingerprint("A text about something else entirely, a bake sale at a school.")) == set()
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
    assert best.page is None  # a text without page breaks has no pages
    (paged,) = store.search_dense(embedder.embed(["1,800 dockworkers walked off the job"]), 1)
    assert store.candidates([paged[0][0]])[paged[0][0]].page == 2  # the page of a paged text (a PDF's)
    vectors = store.sentence_vectors([hits[0][0]])
    assert abs(float(np.linalg.norm(vectors[hits[0][0]])) - 1.0) < 1e-2
    assert store.missing_vectors(["no-such-hash"]) == {"no-such-hash"}
    info = store.stats()
    assert info["articles"] == 2 and info["sentences"] >= 3 and info["outlets"] == 2
    assert {a.article_id for a in store.stored_articles()} == {"wire-1", "port-1"}
    assert [a.article_id for a in store.stored_articles(article_ids=["port-1"])] == ["port-1"]
    assert dict(store.top_outlets()) == {"Meridian Wire": 1, "Harbor Times": 1}
    # export gives every article back as it was prepared: sentences, origin, stored vectors
    exported = [prep for batch in store.export(batch_size=1) for prep in batch]
    assert [p.article.id for p in exported] == ["wire-1", "port-1"]
    wire = exported[0]
    assert wire.content_hash == content_hash(WIRE) and wire.origin == "Meridian Wire" and wire.fingerprint is not None
    assert len(wire.spans) == len(wire.sentence_hashes) >= 2 and set(wire.vectors) == set(wire.sentence_hashes)
    assert all(abs(float(np.linalg.norm(v)) - 1.0) < 1e-2 for v in wire.vectors.values())


def test_bulk_load_into_a_new_store_holds_the_same_archive(filled, embedder, tmp_path, request):
    """export -> add inside bulk_load (what `corroborator copy` does) into a new store of the
    same backend: the same articles, origins and search results, nothing re-embedded."""
    address = _address(request.node.callspec.params["filled"], tmp_path / "copy", request)
    dest = open_store(address, create=True, embedder_name=embedder.name, dim=embedder.dim, writer=True)
    try:
        with dest.bulk_load():
            added = sum(dest.add(batch, {h: v for p in batch for h, v in p.vectors.items()})
                        for batch in filled.export(batch_size=1))
        dest.checkpoint()
        assert added == 2
        assert {a.article_id: a.origin for a in dest.stored_articles()} == \
            {a.article_id: a.origin for a in filled.stored_articles()}
        query = embedder.embed(["container ships waiting at anchor"])
        theirs, ours = filled.search_dense(query, 1)[0][0], dest.search_dense(query, 1)[0][0]
        assert filled.candidates([theirs[0]])[theirs[0]].sentence == dest.candidates([ours[0]])[ours[0]].sentence
        assert abs(theirs[1] - ours[1]) < 1e-3
    finally:
        dest.close()


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




@pytest.mark.parametrize("withdrawn", sorted(CAPABILITY_METHODS))
def test_a_capability_a_backend_does_not_declare_is_never_asked_for(filled, embedder, withdrawn):
    """A backend declares its capabilities; what sits above the stores asks for no other:
    without full text the claims are found by vectors, without vector search by words, without
    origin rows every article is its own origin."""
    from corroborator.retrieve.retriever import Retriever
    from corroborator.store import CAPABILITIES

    assert set(filled.capabilities) == set(CAPABILITIES)  # every built-in backend offers all three

    def refuse(*args, **kwargs):
        raise AssertionError(f"asked a store without {withdrawn} for it")

    filled.capabilities = frozenset(filled.capabilities) - {withdrawn}
    for method in CAPABILITY_METHODS[withdrawn]:
        setattr(filled, method, refuse)
    claim = Claim(id="c", text="Container ships waited at anchor outside the harbor.", span=(0, 10),
                  kind=ClaimKind.EVENT, sentence="Container ships waited at anchor outside the harbor.")
    found = Retriever(filled, embedder, k=2).retrieve([claim], set())["c"]
    assert found and found[0].article_id == "port-1"
    if withdrawn == "full_text":
        assert all(c.bm25_rank is None for c in found)
    if withdrawn == "vector_search":
        assert all(c.dense_rank is None for c in found)
    # a near-copy without its wire credit: its origin can only come from the stored rows
    uncredited = dataclasses.replace(fingerprint(WIRE.replace("the US Air Force said", "the US Air Force said on Friday")),
                                     wire=None)
    assert copy_origin(filled, uncredited) == (None if withdrawn == "origins" else "Meridian Wire")
