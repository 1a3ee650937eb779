"""SciFact (BEIR) as a knowledge base: one markdown file per abstract, plus the test queries."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANDIDATES = (ROOT.parent / "shared" / "benchmarks" / "beir" / "scifact",
              Path("/work/shared/benchmarks/beir/scifact"))


def find_scifact() -> Path | None:
    for path in CANDIDATES:
        if (path / "corpus.jsonl").is_file() and (path / "qrels" / "test.tsv").is_file():
            return path
    return None


def read_corpus(path: Path, limit: int | None = None) -> list[dict]:
    rows = []
    with open(path / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if limit and len(rows) >= limit:
                    break
    return rows


def read_test_queries(path: Path, doc_ids: set[str] | None = None) -> list[tuple[str, str, set[str]]]:
    """(query id, claim, relevant doc ids) for the test qrels, optionally only those in doc_ids."""
    qrels: dict[str, set[str]] = {}
    for line in (path / "qrels" / "test.tsv").read_text().splitlines()[1:]:
        qid, did, score = line.split("\t")
        if int(score) > 0 and (doc_ids is None or did in doc_ids):
            qrels.setdefault(qid, set()).add(did)
    out = []
    with open(path / "queries.jsonl", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["_id"] in qrels:  # the claim only: metadata holds the answers
                out.append((row["_id"], row["text"], qrels[row["_id"]]))
    return out


def write_documents(rows: list[dict], folder: Path) -> int:
    """One `<id>.md` per abstract with its title in front matter; unchanged files are left alone."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    wanted = set()
    for row in rows:
        path = folder / f"{row['_id']}.md"
        wanted.add(path.name)
        body = (row.get("text") or "").strip() or "(no abstract)"
        text = f"---\ntitle: {json.dumps(row.get('title') or row['_id'])}\n---\n\n{body}\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written += 1
    for stale in folder.glob("*.md"):
        if stale.name not in wanted:
            stale.unlink()
    return written


def doc_of(doc_id: str) -> str:
    """SciFact id of an indexed document id ('4983.md' -> '4983')."""
    return doc_id[:-3] if doc_id.endswith(".md") else doc_id
