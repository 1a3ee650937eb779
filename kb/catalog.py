"""What the index holds: documents with their sources, topic counts, model, build time."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from kb import store


def current_to(documents: Iterable[dict]) -> str:
    """The latest `as_of` among curated documents: how recent the knowledge base is ('' if none)."""
    return max((d.get("as_of") or "" for d in documents
                if d.get("origin", "curated") == "curated"), default="")


def describe_index(col, where: str) -> dict:
    """A JSON-ready summary of the collection (used by `kb stats` and the chat's About view)."""
    docs: dict[str, dict] = {}
    for _, _, meta in store.iter_records(col, with_text=False):
        d = docs.setdefault(meta["doc_id"], {
            "doc_id": meta["doc_id"], "title": meta.get("title", ""),
            "topics": list(meta.get("topics") or []),
            "populations": list(meta.get("populations") or []),
            "evidence_type": meta.get("evidence_type", ""), "as_of": meta.get("as_of", ""),
            "source": meta.get("source", ""), "origin": meta.get("origin", "curated"),
            "sources": json.loads(meta.get("sources", "[]")), "chunks": 0,
        })
        d["chunks"] += 1
    topic_docs = Counter(t for d in docs.values() for t in d["topics"])
    topic_chunks = Counter()
    for d in docs.values():
        for t in d["topics"]:
            topic_chunks[t] += d["chunks"]
    meta = col.metadata or {}
    return {
        "documents": len(docs),
        "chunks": sum(d["chunks"] for d in docs.values()),
        "topics": {t: {"documents": topic_docs[t], "chunks": topic_chunks[t]}
                   for t in sorted(topic_docs)},
        "embedding_model": meta.get("embedding_model", ""),
        "chunker_version": meta.get("chunker_version", ""),
        "index_version": meta.get("index_version", ""),
        "built_at": meta.get("built_at", ""),
        "current_to": current_to(docs.values()),
        "where": where,
        "collection": col.name,
        "document_list": sorted(docs.values(), key=lambda d: d["title"].lower()),
    }
