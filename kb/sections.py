"""A subject document's other sections as answer candidates, scored in memory."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from kb import store
from kb.records import Chunk, Hit

MAX_DOCS = 64  # documents whose vectors are kept (least recently used dropped first)


class SectionVectors:
    """Passage and sentence vectors of whole documents, fetched once per index version and
    document (one `get` by id, no vector search), so extra sections cost a dot product."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._lock = threading.Lock()
        self._version: str | None = None
        self._docs: OrderedDict[str, dict[str, tuple[np.ndarray, np.ndarray | None]]] = \
            OrderedDict()

    def _vectors(self, collection, version, doc_id: str, chunks: Sequence[Chunk]):
        with self._lock:
            if version != self._version:
                self._docs.clear()
                self._version = version
            if doc_id in self._docs:
                self._docs.move_to_end(doc_id)
                return self._docs[doc_id]
        got = collection.get(ids=[c.chunk_id for c in chunks], include=["embeddings", "metadatas"])
        vecs = {}
        for cid, emb, meta in zip(got["ids"], got["embeddings"], got["metadatas"], strict=True):
            packed = meta.get("sentence_vectors")
            vecs[cid] = (np.asarray(emb, dtype=np.float32),
                         store.unpack_vectors(packed, self.dim) if packed else None)
        with self._lock:
            self._docs[doc_id] = vecs
            while len(self._docs) > MAX_DOCS:
                self._docs.popitem(last=False)
        return vecs

    def hits(self, collection, version, doc_id: str, chunks: Sequence[Chunk],
             query_vec: np.ndarray, skip: set[str], admits) -> list[Hit]:
        """Every chunk of the document not in `skip` that the filters admit, as a Hit with its
        dense cosine, best first."""
        todo = [c for c in chunks if c.chunk_id not in skip and admits(c)]
        if not todo:
            return []
        vecs = self._vectors(collection, version, doc_id, chunks)
        out = []
        for c in todo:
            if c.chunk_id not in vecs:  # written since the view was built
                continue
            passage, sentences = vecs[c.chunk_id]
            cosine = float(passage @ query_vec)
            out.append(Hit(chunk=c, score=cosine, dense_score=cosine, sentence_vectors=sentences))
        return sorted(out, key=lambda h: -h.score)
