"""Integrity of an index: manifest, Chroma ids and the read view agree; vectors are sound."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from kb.manifest import manifest_path, read_manifest

SELF_MATCH = 0.999  # a stored vector's best match is itself (or an identical vector)
FIX = ("`kb ingest` finishes an interrupted ingest; `kb ingest --rebuild` rebuilds the index from "
       "the sources recorded in its manifest")


@dataclass
class IntegrityReport:
    """Problems found (each one line), and the command that fixes them."""

    chunks: int = 0
    documents: int = 0
    problems: list[str] = field(default_factory=list)
    fix: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.ok:
            return f"integrity: ok ({self.documents} documents, {self.chunks} chunks)"
        return "\n".join([f"integrity: {len(self.problems)} problem(s)"]
                         + [f"  {p}" for p in self.problems] + [f"fix: {self.fix}"])


def _manifest_problems(index, stored: dict, version: str) -> list[str]:
    recorded = read_manifest(index.settings)
    if recorded is None:
        return []  # a replica on a Chroma server has no manifest of its own
    where = manifest_path(index.settings)
    problems = []
    documents = recorded.get("documents", {})
    missing = sorted(set(documents) - set(stored))
    extra = sorted(set(stored) - set(documents))
    if missing:
        problems.append(f"{len(missing)} document(s) in {where} are not in the index "
                        f"(first: {missing[0]})")
    if extra:
        problems.append(f"{len(extra)} document(s) in the index are not in {where} "
                        f"(first: {extra[0]})")
    for doc_id in sorted(set(documents) & set(stored)):
        want, have = documents[doc_id], stored[doc_id]
        if want.get("chunks") != len(have.ids) or {want.get("doc_hash")} != have.hashes:
            problems.append(f"{doc_id}: the manifest records {want.get('chunks')} chunks of "
                            f"another version than the {len(have.ids)} stored")
            break
    if recorded.get("index_version") not in (None, version) and not problems:
        problems.append(f"{where} describes version {recorded.get('index_version')}, the index "
                        f"is at {version}")
    return problems


def _vector_problems(index, ids: Sequence[str], vectors: np.ndarray, dim: int,
                     sample: int) -> list[str]:
    problems = []
    if vectors.size and vectors.shape[1] != dim:
        return [f"stored vectors have {vectors.shape[1]} dimensions, the model gives {dim}"]
    norms = np.linalg.norm(vectors, axis=1) if len(vectors) else np.zeros(0)
    bad = int(np.sum(~np.isfinite(norms) | (np.abs(norms - 1.0) > 0.01)))
    if bad:
        problems.append(f"{bad} stored vector(s) are not unit length")
    rows = random.Random(0).sample(range(len(ids)), min(sample, len(ids)))
    lost = []
    for row in rows:
        found, cosines = index.query(vectors[row], 1)
        if not found or (found[0] != ids[row] and float(cosines[0]) < SELF_MATCH):
            lost.append(ids[row])
    if lost:
        problems.append(f"{len(lost)} of {len(rows)} sampled vectors do not find their own chunk "
                        f"in the vector index (first: {lost[0]})")
    return problems


def check_index(index, dim: int, *, view_ids: Sequence[str] | None = None,
                sample: int = 20) -> IntegrityReport:
    """Check one open Index (see Index.check)."""
    report = IntegrityReport()
    version = index.version
    if version.startswith("writing-"):
        report.problems.append("the index is half-written: an ingest was interrupted")
    try:
        ids, vectors, stored = index.check_columns(dim)
    except ValueError:  # stored vectors of another dimension do not fit the matrix
        first = index.chunks(with_text=False)[:1]
        have = len(index.get([first[0].chunk_id])[0].vector) if first else 0
        report.problems.append(f"stored vectors have {have} dimensions, the model gives {dim}")
        report.fix = FIX
        return report
    report.chunks, report.documents = len(ids), len(stored)
    counted = index.count()
    if counted != len(ids):
        report.problems.append(f"Chroma counts {counted} chunks but returns {len(ids)}")
    sizes = {doc_id: d.n_chunks for doc_id, d in stored.items() if d.n_chunks != len(d.ids)}
    if sizes:
        first = sorted(sizes)[0]
        report.problems.append(f"{len(sizes)} document(s) have missing or extra chunks "
                               f"(first: {first})")
    report.problems += _manifest_problems(index, stored, version)
    if view_ids is not None and sorted(view_ids) != sorted(ids):
        report.problems.append(f"the BM25 view holds {len(view_ids)} chunks, Chroma "
                               f"{len(ids)}: they disagree")
    report.problems += _vector_problems(index, ids, vectors, dim, sample)
    if report.problems:
        report.fix = FIX
    return report
