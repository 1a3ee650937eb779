"""`kb eval beir` on a tiny BEIR-format fixture (real model, real Chroma in the test's KB_DATA_DIR)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import cli
from eval.beir_data import check_chunking, load_beir, load_qrels, passages
from kb.errors import EvalSetError
from kb.sentence_split import split_sentences

MINI = Path(__file__).parent / "data" / "beir-mini"


def test_crlf_qrels_and_text_only_queries():
    assert (MINI / "qrels" / "test.tsv").read_bytes().count(b"\r\n") == 5
    qrels = load_qrels(MINI / "qrels" / "test.tsv")
    assert qrels == {"1": {"d2": 1}, "2": {"d3": 1}, "3": {"d4": 1}, "4": {"d8": 1}}
    ds = load_beir(MINI, "test")
    assert set(ds.queries) == {"1", "2", "3", "4"}  # only judged queries
    # A query is its text alone: the metadata (which names the answer) never comes along.
    assert ds.queries["1"] == "Aspirin lowers the risk of colon cancer."
    assert load_beir(MINI, "dev").qrels == {"5": {"d5": 1}, "6": {"d6": 1}}


def test_bad_folders_and_lines_are_named(tmp_path):
    with pytest.raises(EvalSetError, match="qrels/nope.tsv: file not found"):
        load_beir(MINI, "nope")
    bad = tmp_path / "q.tsv"
    bad.write_text("query-id\tcorpus-id\tscore\n1\td1\n")
    with pytest.raises(EvalSetError, match="q.tsv, line 2: expected query-id<TAB>corpus-id"):
        load_qrels(bad)
    with pytest.raises(EvalSetError, match="chunking 'w0s1': use 'doc', 'w<size>s<stride>'"):
        check_chunking("w0s1")


def test_sentence_windows_cover_every_sentence():
    corpus = {"a": ("T", "One is here. Two is here. Three is here. Four is here. Five.")}
    assert len(split_sentences(corpus["a"][1])) == 5
    windows = [c.text for c in passages(corpus, "w2s2")]
    assert windows == ["One is here. Two is here.", "Three is here. Four is here.",
                       "Four is here. Five."]
    assert [c.text for c in passages(corpus, "doc")] == [corpus["a"][1]]
    assert passages(corpus, "w3s2")[0].embed_text().startswith("T\n")
    # The project's one splitter (kb/sentence_split.py), as ingest cuts chunks: "et al.", "e.g."
    # and "vs." do not end a sentence; a closing quote or bracket does.
    abstract = {"b": ("T", 'Smith et al. found it (e.g. in mice). Rates were 4% vs. 9%. '
                           'They called it "stroma." It held.')}
    assert [c.text for c in passages(abstract, "w1s1")] == [
        "Smith et al. found it (e.g. in mice).", "Rates were 4% vs. 9%.",
        'They called it "stroma."', "It held."]


def _run(args):
    result = CliRunner().invoke(cli, ["eval", "beir", str(MINI), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_beir_run_scores_every_mode_and_reuses_the_cache(embedder, tmp_path):
    first = _run(["--mode", "all"])
    assert (first["dataset"], first["split"], first["queries"], first["documents"]) == \
        ("beir-mini", "test", 4, 8)
    assert set(first["modes"]) == {"hybrid", "dense", "bm25"}
    for scores in first["modes"].values():
        assert set(scores) == {"ndcg_at_10", "mrr_at_10", "recall_at_100", "ms_per_query"}
        assert 0.0 <= scores["ndcg_at_10"] <= 1.0
    # Easy claims with one relevant abstract each: the hybrid retriever ranks it first.
    assert first["modes"]["hybrid"]["ndcg_at_10"] == 1.0
    cache = sorted((tmp_path / "kbdata" / "beir-cache").glob("beir-mini-doc-*.npy"))
    assert len(cache) == 1
    stamp = cache[0].stat().st_mtime_ns
    second = _run(["--fusion", "rrf", "--split", "dev"])
    assert cache[0].stat().st_mtime_ns == stamp  # vectors read back, not recomputed
    assert second["retriever"]["fusion"] == "rrf" and second["queries"] == 2


def test_passage_level_run_and_table_output(embedder):
    data = _run(["--chunking", "w2s1", "--mode", "dense"])
    assert data["passages"] > data["documents"] and data["chunking"] == "w2s1"
    result = CliRunner().invoke(cli, ["eval", "beir", str(MINI), "-q"])
    assert result.exit_code == 0, result.output
    assert "beir-mini test: 4 queries, 8 documents" in result.output
    assert "ndcg_at_10" in result.output


def test_missing_folder_is_a_usage_error():
    result = CliRunner().invoke(cli, ["eval", "beir", "/no/such/folder"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_sentence_scoring_stores_every_sentence_vector(embedder, tmp_path):
    data = _run(["--sentences", "--mode", "all"])
    assert data["retriever"]["sentence_scoring"] is True
    assert data["modes"]["hybrid"]["ndcg_at_10"] == 1.0
    import chromadb

    from kb.store_codec import unpack_vectors

    client = chromadb.PersistentClient(path=str(tmp_path / "kbdata" / "chroma"))
    (name,) = [c.name for c in client.list_collections() if "sentences" in c.name]
    got = client.get_collection(name).get(include=["metadatas", "documents"])
    corpus = load_beir(MINI, "test").corpus
    for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
        doc_id = cid.split("#")[0]
        assert text == corpus[doc_id][1]
        vecs = unpack_vectors(meta["sentence_vectors"], embedder.dim)
        # one vector per sentence, each the sentence embedded on its own (title in front)
        assert vecs.shape[0] == len(split_sentences(text))
        first = embedder.embed_texts([f"{corpus[doc_id][0]}\n{split_sentences(text)[0]}"])[0]
        assert float(vecs[0] @ first) > 0.99
