"""What the index holds: documents with their sources, topic counts, model, build time."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def _document(chunk) -> dict:
    return {
        "doc_id": chunk.doc_id, "title": chunk.title, "topics": list(chunk.topics),
        "populations": list(chunk.populations), "evidence_type": chunk.evidence_type,
        "as_of": chunk.as_of, "source": chunk.source, "origin": chunk.origin,
        "sources": [s.__dict__ for s in chunk.sources],
        "references": [(s.reference(), s.link) for s in chunk.sources], "chunks": 0,
    }


def current_to(documents: Iterable[dict]) -> str:
    """The latest `as_of` among curated documents: how recent the knowledge base is ('' if none)."""
    return max((d.get("as_of") or "" for d in documents
                if d.get("origin", "curated") == "curated"), default="")


def describe_index(index) -> dict:
    """A JSON-ready summary of an Index (used by `kb stats` and the chat's About view)."""
    docs: dict[str, dict] = {}
    for chunk in index.chunks(with_text=False):
        docs.setdefault(chunk.doc_id, _document(chunk))["chunks"] += 1
    topic_docs = Counter(t for d in docs.values() for t in d["topics"])
    topic_chunks = Counter()
    for d in docs.values():
        for t in d["topics"]:
            topic_chunks[t] += d["chunks"]
    meta = index.metadata
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
        "where": index.where,
        "collection": index.name,
        "document_list": sorted(docs.values(), key=lambda d: d["title"].lower()),
    }

