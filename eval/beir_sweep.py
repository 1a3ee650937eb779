"""What-if sweeps on a BEIR dataset with exact numpy scoring over the cached vectors.

`kb eval beir` measures the real retriever; this script tries ideas the retriever has no switch
for (BM25 parameters and title weighting, pooling of passage scores, pseudo-relevance feedback,
full-ranking fusion), fast, so only the ones that help need building. Every dense score is exact
(no HNSW), so dense figures can differ from `kb eval beir` in the third decimal. Example:

    python -m eval.beir_sweep ../shared/benchmarks/beir/scifact --split dev
"""

from __future__ import annotations

import argparse
from pathlib import Path

import bm25s
import ir_measures
import numpy as np
import Stemmer

from eval.beir import embed_cached
from eval.beir_data import load_beir, passages
from eval.metrics import score_runs

_STEMMER = Stemmer.Stemmer("english")
NDCG = {"ndcg": ir_measures.parse_measure("nDCG@10")}


def bm25_index(texts, k1=1.5, b=0.75, method="lucene") -> bm25s.BM25:
    index = bm25s.BM25(k1=k1, b=b, method=method)
    index.index(bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, show_progress=False),
                show_progress=False)
    return index


def bm25_words(index: bm25s.BM25, words) -> np.ndarray:
    """Scores of every text for already stemmed words (unknown words are skipped)."""
    known = [w for w in words if w in index.vocab_dict]
    return index.get_scores(known) if known else np.zeros(index.scores["num_docs"])


def bm25_matrix(texts, queries, k1=1.5, b=0.75, method="lucene") -> np.ndarray:
    """BM25 score of every text for every query (bm25s, English stop words, Snowball stems)."""
    index = bm25_index(texts, k1, b, method)
    return np.asarray([bm25_words(index, _stems(q)) for q in queries], dtype=np.float32)


def _stems(text: str) -> list[str]:
    return bm25s.tokenize([text], stopwords="en", stemmer=_STEMMER, return_ids=False,
                          show_progress=False)[0]


def pool(scores: np.ndarray, owner: np.ndarray, n_docs: int, temperature: float = 0.0):
    """Passage scores -> document scores: max, or log-sum-exp at `temperature` (> 0)."""
    order = np.argsort(owner, kind="stable")
    sorted_owner = owner[order]
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_owner)) + 1]
    out = np.full((scores.shape[0], n_docs), -np.inf, dtype=np.float32)
    if temperature <= 0:
        out[:, sorted_owner[starts]] = np.maximum.reduceat(scores[:, order], starts, axis=1)
        return out
    top = scores.max(axis=1, keepdims=True)
    summed = np.add.reduceat(np.exp((scores[:, order] - top) / temperature), starts, axis=1)
    with np.errstate(divide="ignore"):  # a document far below the best underflows to -inf
        out[:, sorted_owner[starts]] = temperature * np.log(summed) + top
    return out


def bm25_feedback(texts, queries, bm25: np.ndarray, docs: int = 3, terms: int = 5,
                  weight: float = 0.3) -> np.ndarray:
    """BM25 pseudo-relevance feedback: add the top tf-idf terms of the `docs` best texts."""
    from collections import Counter

    index = bm25_index(texts)
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=_STEMMER, return_ids=False,
                            show_progress=False)
    df = Counter(w for t in tokens for w in set(t))
    rows = []
    for i, q in enumerate(queries):
        weights: Counter = Counter()
        for j in np.argsort(-bm25[i])[:docs]:
            for w, n in Counter(tokens[j]).items():
                weights[w] += n / len(tokens[j]) * np.log(len(texts) / df[w])
        own = set(_stems(q))
        extra = [w for w, _ in weights.most_common(terms + len(own)) if w not in own][:terms]
        rows.append(bm25[i] + weight * bm25_words(index, extra))
    return np.asarray(rows, dtype=np.float32)


def rrf(signals, weights, k=60) -> np.ndarray:
    total = 0.0
    for scores, w in zip(signals, weights, strict=True):
        ranks = np.argsort(np.argsort(-scores, axis=1, kind="stable"), axis=1) + 1
        total = total + w / (k + ranks)
    return total


def convex(signals, weights, candidates=100) -> np.ndarray:
    """Sum of weighted z-scores over the union of each signal's top candidates (as the retriever)."""
    out = np.full(signals[0].shape, -np.inf, dtype=np.float32)
    for i in range(out.shape[0]):
        union = np.unique(np.concatenate([np.argsort(-s[i])[:candidates] for s in signals]))
        fused = np.zeros(len(union))
        for scores, w in zip(signals, weights, strict=True):
            v = scores[i, union]
            if v.std() > 1e-12:
                fused += w * (v - v.mean()) / v.std()
        out[i, union] = fused
    return out


def lexical_variants(score, bm25, docs, texts, queries) -> None:
    """BM25 parameters, title weighting, variants and pseudo-relevance feedback."""
    score("bm25 k1=1.5 b=0.75 (bm25s default, as kb/lexical.py)", bm25)
    for k1, b in ((0.9, 0.4), (0.9, 0.75), (1.2, 0.75), (1.2, 0.9), (2.0, 0.75)):
        score(f"bm25 k1={k1} b={b}", bm25_matrix(texts, queries, k1, b))
    for repeat in (2, 3):
        titled = [f"{c.title} " * repeat + "\n" + c.text for c in docs]
        score(f"bm25 title repeated x{repeat}", bm25_matrix(titled, queries))
    for method in ("robertson", "bm25+", "bm25l"):
        score(f"bm25 method={method}", bm25_matrix(texts, queries, method=method))
    score("bm25 pseudo-relevance feedback (3 docs, 5 terms, weight 0.3)",
          bm25_feedback(texts, queries, bm25))


def sweep(folder: Path, split: str, cache_dir: Path, embedder) -> list[tuple[str, float]]:
    """(variant, nDCG@10) for every idea, on one split."""
    ds = load_beir(folder, split)
    doc_ids = list(ds.corpus)
    index = {d: i for i, d in enumerate(doc_ids)}
    qids = list(ds.queries)
    queries = [ds.queries[q] for q in qids]
    docs = passages(ds.corpus, "doc")
    wins = passages(ds.corpus, "w3s2")
    owner = np.array([index[c.doc_id] for c in wins])
    dvec = embed_cached(embedder, [c.embed_text() for c in docs], cache_dir, f"{ds.name}-doc")
    wvec = embed_cached(embedder, [c.embed_text() for c in wins], cache_dir, f"{ds.name}-w3s2")
    qvec = embed_cached(embedder, queries, cache_dir, f"{ds.name}-queries-{split}", False)
    dense, wdense = qvec @ dvec.T, qvec @ wvec.T
    maxp = pool(wdense, owner, len(doc_ids))
    texts = [c.embed_text() for c in docs]
    bm25 = bm25_matrix(texts, queries)
    results = []

    def score(name, matrix):
        run = {q: [doc_ids[j] for j in np.argsort(-matrix[n], kind="stable")[:100]]
               for n, q in enumerate(qids)}
        per_query = score_runs(NDCG, ds.qrels, run)
        results.append((name, float(np.mean([v["ndcg"] for v in per_query.values()]))))
        print(f"{name:62s} {results[-1][1]:.4f}", flush=True)

    lexical_variants(score, bm25, docs, texts, queries)
    score("dense, one vector per abstract (256-token cap)", dense)
    score("dense, best 3-sentence window (w3s2 max)", maxp)
    score("dense, max(abstract, best window)", np.maximum(dense, maxp))
    score("dense, log-sum-exp of windows t=0.02", pool(wdense, owner, len(doc_ids), 0.02))
    sents = passages(ds.corpus, "w1s1")
    sowner = np.array([index[c.doc_id] for c in sents])
    svec = embed_cached(embedder, [c.embed_text() for c in sents], cache_dir, f"{ds.name}-w1s1")
    sdense = qvec @ svec.T
    best = pool(sdense, sowner, len(doc_ids))
    score("dense, best sentence (w1s1 max)", best)
    score("rrf k=60 (full rankings) bm25 + dense", rrf([bm25, dense], [1, 1]))
    score("rrf k=10 (full rankings) bm25 + dense", rrf([bm25, dense], [1, 1], k=10))
    for a in (0.3, 0.4, 0.5):
        score(f"convex z a={a}: bm25 + dense", convex([bm25, dense], [a, 1 - a]))
        score(f"convex z a={a}: bm25 + dense window max", convex([bm25, maxp], [a, 1 - a]))
    fused = convex([bm25, dense], [0.5, 0.5])
    for m, beta in ((1, 0.6), (3, 0.3)):
        top = np.argsort(-fused, axis=1)[:, :m]
        q2 = qvec + beta * dvec[top].mean(axis=1)
        q2 /= np.linalg.norm(q2, axis=1, keepdims=True)
        score(f"dense PRF (Rocchio m={m} beta={beta}) then convex z a=0.5",
              convex([bm25, q2 @ dvec.T], [0.5, 0.5]))
    sentence_level(score, bm25, dense, best, pool(sdense, sowner, len(doc_ids), 0.01), texts,
                   queries, [f"{c.title} " * 3 + "\n" + c.text for c in docs])
    for m, beta in ((1, 0.3), (2, 0.3)):
        top = np.argsort(-convex([bm25, best], [0.4, 0.6]), axis=1)[:, :m]
        q2 = qvec + beta * dvec[top].mean(axis=1)
        q2 /= np.linalg.norm(q2, axis=1, keepdims=True)
        score(f"dense PRF (Rocchio m={m} beta={beta}) then bm25 + best sentence a=0.4",
              convex([bm25, pool(q2 @ svec.T, sowner, len(doc_ids))], [0.4, 0.6]))
    return results


def bigram_matrix(texts, queries) -> np.ndarray:
    """BM25 over adjacent pairs of stemmed words (a phrase signal)."""
    def pairs(tokens):
        return [a + "_" + b for a, b in zip(tokens, tokens[1:], strict=False)]

    index = bm25s.BM25()
    index.index([pairs(_stems(t)) for t in texts], show_progress=False)
    return np.asarray([bm25_words(index, pairs(_stems(q))) for q in queries], dtype=np.float32)


def sentence_level(score, bm25, dense, best, soft, texts, queries, titled) -> None:
    """Document-level fusion of BM25 on abstracts with the best sentence's cosine (what
    `kb eval beir --sentences` does in the retriever), and what was tried around it."""
    for a in (0.3, 0.35, 0.4, 0.45, 0.5):
        score(f"convex z a={a}: bm25 + dense best sentence", convex([bm25, best], [a, 1 - a]))
    score("convex z a=0.4: bm25 + max(abstract, best sentence) (the retriever's rule)",
          convex([bm25, np.maximum(dense, best)], [0.4, 0.6]))
    score("convex z a=0.4: bm25 + log-sum-exp of sentences t=0.01",
          convex([bm25, np.where(np.isfinite(soft), soft, -10)], [0.4, 0.6]))
    score("convex z a=0.4: bm25 + abstract + best sentence (0.4/0.1/0.5)",
          convex([bm25, dense, best], [0.4, 0.1, 0.5]))
    score("convex z a=0.4: bm25 title x3 + best sentence",
          convex([bm25_matrix(titled, queries), best], [0.4, 0.6]))
    score("convex z: bm25 0.4 + best sentence 0.55 + bigram bm25 0.05",
          convex([bm25, best, bigram_matrix(texts, queries)], [0.4, 0.55, 0.05]))


def main() -> None:
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from kb.config import Settings
    from kb.embedders import get_embedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--split", default="dev")
    args = parser.parse_args()
    sweep(args.folder, args.split, Settings().data_dir / "beir-cache", get_embedder())


if __name__ == "__main__":
    main()
