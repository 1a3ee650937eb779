"""`kb eval beir`: index a BEIR dataset in its own collection and score the retriever on it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import ir_measures
import numpy as np

from eval.beir_data import BeirDataset, check_chunking, fingerprint, load_beir, passages
from eval.metrics import score_runs
from kb.sentence_split import split_sentences
from kb.store import Index

EMBED_STEP = 512  # passages per model call; the cache is written once at the end
UPSERT_STEP = 1000
EF_SEARCH = 800
DEPTH = 100  # documents ranked per query (recall@100, as BEIR reports)


def embed_cached(embedder, texts: list[str], cache_dir: Path, label: str,
                 progress: bool = True) -> np.ndarray:
    """Passage vectors, read from `cache_dir` when the same model embedded the same texts before."""
    key = fingerprint(texts, embedder.name, str(getattr(embedder, "dim", "")))
    path = Path(cache_dir) / f"{label}-{key}.npy"
    if path.is_file():
        vecs = np.load(path)
        if vecs.shape[0] == len(texts):
            return vecs
    from tqdm import tqdm

    parts = []
    with tqdm(total=len(texts), desc=f"embedding {label}", unit="passage",
              disable=not progress) as bar:
        for i in range(0, len(texts), EMBED_STEP):
            parts.append(embedder.embed_texts(texts[i:i + EMBED_STEP]))
            bar.update(len(texts[i:i + EMBED_STEP]))
    vecs = np.concatenate(parts) if parts else np.zeros((0, embedder.dim), dtype=np.float32)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vecs)
    tmp.replace(path)
    return vecs


def collection_name(dataset: str, chunking: str, key: str) -> str:
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", dataset).strip("-").lower() or "dataset"
    return f"beir_{slug}_{chunking.replace('+', '_')}_{key}"[:500]


def sentence_vectors(ds: BeirDataset, chunks, embedder, cache_dir: Path,
                     progress: bool = True) -> list[np.ndarray]:
    """Each passage's sentences, embedded one sentence at a time (title in front, as passages).

    The knowledge base pools a sentence's vector from its passage's token embeddings instead; a
    SciFact abstract is often longer than the model's 256 tokens, so here each sentence is
    encoded on its own (the `w1s1` granularity, cached like the others).
    """
    singles = passages(ds.corpus, "w1s1")
    vecs = embed_cached(embedder, [c.embed_text() for c in singles], cache_dir,
                        f"{ds.name}-w1s1", progress)
    by_sentence = {(c.doc_id, c.text): v for c, v in zip(singles, vecs, strict=True)}
    out = []
    for c in chunks:
        rows = [by_sentence[key] for s in split_sentences(c.text) or [c.text]
                if (key := (c.doc_id, s)) in by_sentence]
        out.append(np.asarray(rows, dtype=np.float32).reshape(-1, vecs.shape[1]))
    return out


def build_index(settings, ds: BeirDataset, chunking: str, embedder, progress: bool = True,
                sentences: bool = False):
    """The dataset's own collection (created once; each granularity's vectors are cached).

    `sentences`: store every passage's sentence vectors too (for sentence-level dense scoring).
    """
    from tqdm import tqdm

    cache_dir = Path(settings.data_dir) / "beir-cache"
    chunks, parts = [], []
    for granularity in check_chunking(chunking):
        some = passages(ds.corpus, granularity)
        texts = [c.embed_text() for c in some]
        parts.append(embed_cached(embedder, texts, cache_dir, f"{ds.name}-{granularity}",
                                  progress))
        chunks += some
    vectors = np.concatenate(parts)
    label = chunking + ("+sentences" if sentences else "")
    keyed = [c.chunk_id + "\n" + c.embed_text() for c in chunks]
    if sentences:  # the stored sentence vectors follow the sentence splitter too
        keyed += ["\x00".join(split_sentences(c.text)) for c in chunks]
    key = fingerprint(keyed, embedder.name, label)[:8]
    own = settings.model_copy(update={"collection": collection_name(ds.name, label, key)})
    identity = {"embedding_model": embedder.name, "beir_dataset": ds.name, "chunking": label}
    index = Index.open(own, create=True, expect=identity)
    # Chroma's default HNSW search breadth (100) loses a few relevant abstracts when a query asks
    # for hundreds of passages. Set a wider one before the first write: an index already loaded
    # in this process keeps the breadth it was loaded with.
    index.set_search_breadth(EF_SEARCH)
    if index.count() != len(chunks):
        sentence_vecs = sentence_vectors(ds, chunks, embedder, cache_dir, progress) if sentences \
            else [None] * len(chunks)
        with tqdm(total=len(chunks), desc="indexing", unit="passage",
                  disable=not progress) as bar:
            for i in range(0, len(chunks), UPSERT_STEP):
                part = chunks[i:i + UPSERT_STEP]
                index.upsert(part, vectors[i:i + UPSERT_STEP], sentence_vecs[i:i + UPSERT_STEP])
                bar.update(len(part))
        index.publish()
    return own, identity


def doc_ranking(hits, depth: int) -> list[str]:
    """Documents in the order of their best passage."""
    return list(dict.fromkeys(h.chunk.doc_id for h in hits))[:depth]


def run_beir(settings, folder: Path, embedder, *, split: str = "test", modes=("hybrid",),
             chunking: str = "doc", depth: int = DEPTH, retriever_options: dict | None = None,
             sentences: bool = False, progress: bool = True) -> dict:
    """nDCG@10, MRR@10 and recall@100 of the retriever per mode, on one split of a BEIR folder.

    `sentences`: store sentence vectors with the passages and turn on the retriever's
    sentence-level dense scoring (a passage's dense score is its best sentence's or its own).

    Only each query's text reaches the retriever (never its `metadata`, which holds the answers).
    """
    from tqdm import tqdm

    from kb.retrieve import Retriever

    ds = load_beir(folder, split)
    own, identity = build_index(settings, ds, chunking, embedder, progress, sentences)
    options = {"candidates": depth * (1 if chunking == "doc" else 3), **(retriever_options or {}),
               "sentence_scoring": sentences}
    retriever = Retriever(Index.open(own, expect=identity), embedder, check_every_s=3600,
                          **options)
    retriever.refresh(force=True)
    qids = list(ds.queries)
    qvecs = embed_cached(embedder, [ds.queries[q] for q in qids], Path(settings.data_dir) /
                         "beir-cache", f"{ds.name}-queries-{split}", progress=False)
    measures = {"ndcg_at_10": ir_measures.parse_measure("nDCG@10"),
                "mrr_at_10": ir_measures.parse_measure("RR@10"),
                f"recall_at_{depth}": ir_measures.parse_measure(f"R@{depth}")}
    out = {"dataset": ds.name, "split": split, "queries": len(qids), "documents": len(ds.corpus),
           "passages": retriever.index.count(), "chunking": chunking,
           "retriever": {k: v for k, v in options.items()}, "modes": {}}
    for mode in modes:
        run = {}
        t0 = time.perf_counter()
        for qid, qv in tqdm(list(zip(qids, qvecs, strict=True)), desc=f"beir {mode}",
                            unit="query", disable=not progress, leave=False):
            hits = retriever.search(ds.queries[qid], options["candidates"], mode=mode,
                                    query_vector=qv)
            run[qid] = doc_ranking(hits, depth)
        per_query = score_runs(measures, ds.qrels, run)
        out["modes"][mode] = {
            **{name: float(np.mean([s[name] for s in per_query.values()])) for name in measures},
            "ms_per_query": (time.perf_counter() - t0) * 1000 / max(len(qids), 1),
        }
    return out
