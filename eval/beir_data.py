"""BEIR-format datasets: read corpus, queries (text only) and qrels; split documents into passages."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from kb.errors import EvalSetError
from kb.records import Chunk
from kb.sentence_split import split_sentences

_GRANULARITY = re.compile(r"^(?:doc|w(\d+)s(\d+))$")


@dataclass(frozen=True)
class BeirDataset:
    """Documents, queries and judgments of one split. Queries carry their text only."""

    name: str
    corpus: dict[str, tuple[str, str]]  # doc id -> (title, text)
    queries: dict[str, str]  # query id -> text (never the `metadata` field: it holds answers)
    qrels: dict[str, dict[str, int]]  # query id -> {doc id: relevance}


def _jsonl(path: Path):
    if not path.is_file():
        raise EvalSetError(f"{path}: file not found; a BEIR folder holds corpus.jsonl, "
                           "queries.jsonl and qrels/<split>.tsv.")
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalSetError(f"{path}, line {n}: not valid JSON ({exc.msg}).") from None
            if not isinstance(row, dict) or "_id" not in row:
                raise EvalSetError(f"{path}, line {n}: expected an object with an \"_id\".")
            yield n, row


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    """query-id, corpus-id, score rows (tab-separated, header optional, LF or CRLF endings)."""
    if not path.is_file():
        raise EvalSetError(f"{path}: file not found; choose a split that has a qrels file.")
    qrels: dict[str, dict[str, int]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.reader(fh, delimiter="\t"), 1):
            row = [c.strip() for c in row]
            if not row or not any(row):
                continue
            if n == 1 and not row[-1].lstrip("-").isdigit():
                continue  # header
            if len(row) < 3 or not row[2].lstrip("-").isdigit():
                raise EvalSetError(f"{path}, line {n}: expected query-id<TAB>corpus-id<TAB>score.")
            qrels.setdefault(row[0], {})[row[1]] = int(row[2])
    return qrels


def load_beir(folder: Path, split: str = "test") -> BeirDataset:
    """Read a BEIR folder; only the queries judged in `split` are kept."""
    folder = Path(folder)
    qrels = load_qrels(folder / "qrels" / f"{split}.tsv")
    corpus = {str(row["_id"]): (str(row.get("title") or ""), str(row.get("text") or ""))
              for _, row in _jsonl(folder / "corpus.jsonl")}
    queries = {str(row["_id"]): str(row.get("text") or "")
               for _, row in _jsonl(folder / "queries.jsonl") if str(row["_id"]) in qrels}
    missing = sorted(set(qrels) - set(queries))
    if missing:
        raise EvalSetError(f"{folder}: {len(missing)} judged queries are not in queries.jsonl "
                           f"(first: {missing[0]}).")
    return BeirDataset(folder.resolve().name, corpus, queries, qrels)


def check_chunking(chunking: str) -> list[str]:
    """'doc', 'w3s2' (3-sentence windows, stride 2) or both joined by '+': the granularities."""
    parts = chunking.split("+")
    for part in parts:
        m = _GRANULARITY.match(part)
        if not m or (m.group(1) and (int(m.group(1)) < 1 or int(m.group(2)) < 1)) \
                or parts.count(part) > 1:
            raise EvalSetError(f"chunking {chunking!r}: use 'doc', 'w<size>s<stride>' (e.g. w3s2) "
                               "or both joined by '+' (doc+w3s2).")
    return parts


def passages(corpus: dict[str, tuple[str, str]], granularity: str = "doc") -> list[Chunk]:
    """One chunk per document ('doc'), or overlapping sentence windows ('w3s2'); titles ride along.

    Chunk ids name the granularity ("4983#doc", "4983#w3s2.0"), so several can share a collection.
    """
    (part,) = check_chunking(granularity)
    m = _GRANULARITY.match(part)
    chunks = []
    for doc_id, (title, text) in corpus.items():
        if part == "doc":
            pieces = [text]
        else:
            size, stride = int(m.group(1)), int(m.group(2))
            sents = split_sentences(text) or [text]
            starts = range(0, max(len(sents) - size, 0) + 1, stride)
            pieces = [" ".join(sents[i:i + size]) for i in starts]
            if (len(sents) - size) % stride and len(sents) > size:  # keep the tail
                pieces.append(" ".join(sents[-size:]))
        for n, piece in enumerate(pieces):
            cid = f"{doc_id}#doc" if part == "doc" else f"{doc_id}#{part}.{n}"
            chunks.append(Chunk(chunk_id=cid, doc_id=doc_id, n=n, text=piece, title=title,
                                section="", start=0, end=len(piece), sentences=(),
                                n_chunks=len(pieces)))
    return chunks


def fingerprint(texts: list[str], *parts: str) -> str:
    """A short hash of the passage texts and what embedded them, for cache file names."""
    h = hashlib.sha1("\x1f".join(parts).encode())
    for t in texts:
        h.update(t.encode("utf-8", "replace"))
        h.update(b"\x1e")
    return h.hexdigest()[:12]
