"""A subject document's other sections as answer candidates, scored in memory from the read view."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from kb.read_view import ReadView
from kb.records import Chunk, Hit


def section_hits(view: ReadView, chunks: Sequence[Chunk], query_vec: np.ndarray, skip: set[str],
                 admits: Callable[[Chunk], bool]) -> list[Hit]:
    """Every chunk of one document not in `skip` that the filters admit, as a Hit with its dense
    cosine, best first: a dot product per chunk on vectors the view already holds."""
    out = []
    for c in chunks:
        row = view.row.get(c.chunk_id)
        if row is None or c.chunk_id in skip or not admits(c):
            continue
        cosine = float(view.vectors[row] @ query_vec)
        out.append(Hit(chunk=c, score=cosine, dense_score=cosine,
                       sentence_vectors=view.sentence_vectors(row)))
    return sorted(out, key=lambda h: -h.score)
