"""Records that cross module boundaries: Document, Chunk, Hit, Citation, Answer."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Source:
    """A publication a document draws on."""

    cite: str
    authors: str
    year: int | None
    title: str
    outlet: str = ""
    doi: str = ""
    url: str = ""

    @property
    def link(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else self.url

    def cited_in(self, text: str) -> bool:
        """The text names this source inline ("... (Mitchell et al. 2023).")."""
        return bool(self.cite) and self.cite in text

    def reference(self) -> str:
        """'Rigg C (2020). Title. Outlet.' then the DOI or URL, as a reference list writes it."""
        year = f"({self.year})" if self.year else ""
        head = " ".join(p for p in (self.authors.strip().rstrip(",;"), year) if p)
        head = head.rstrip(".") if not head.endswith("al.") else head
        ref = ""
        for part in (head, self.title.strip().rstrip("."), self.outlet.strip().rstrip(".")):
            if part:  # each part ends with a full stop, unless it ends with ? or ! already
                ref += ("" if not ref else " ") + part + ("" if part.endswith(("?", "!")) else ".")
        if self.doi:
            ref += f" doi:{self.doi}"
        elif self.url:
            ref += f" {self.url}"
        return ref


@dataclass(frozen=True)
class Document:
    """One cleaned document ready for chunking."""

    doc_id: str
    title: str
    text: str
    source: str  # path or URL it came from
    topics: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    evidence_type: str = ""
    as_of: str = ""
    summary: str = ""
    sources: tuple[Source, ...] = ()
    page_starts: tuple[int, ...] = ()  # PDF: character offset where each page begins
    content_hash: str = ""
    aliases: tuple[str, ...] = ()  # other names readers use for the subject ("MAPP2", ...)
    origin: str = "curated"  # "curated" (kb/documents/) or "user" (CLI path, URL, upload)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A passage of a document, within the model's word-piece limit."""

    chunk_id: str
    doc_id: str
    n: int
    text: str
    title: str
    section: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]  # spans relative to `text`
    topics: tuple[str, ...] = ()
    populations: tuple[str, ...] = ()
    evidence_type: str = ""
    as_of: str = ""
    sources: tuple[Source, ...] = ()
    source: str = ""
    page: int | None = None
    doc_hash: str = ""
    n_chunks: int = 0
    aliases: tuple[str, ...] = ()
    origin: str = "curated"
    # indices into `sentences` flagged at ingest (instructions to an assistant, personal dosing
    # directions): kept for retrieval, never quoted in an answer
    flagged_sentences: tuple[int, ...] = ()

    def embed_text(self) -> str:
        """What the model sees: title and section give the passage its context."""
        head = " > ".join(p for p in (self.title, self.section) if p)
        return f"{head}\n{self.text}" if head else self.text


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the dense cosine that gates abstention."""

    chunk: Chunk
    score: float
    dense_score: float | None = None
    bm25_rank: int | None = None
    dense_rank: int | None = None
    sentence_vectors: Any = None  # np.ndarray [n_sentences, dim] or None


@dataclass(frozen=True)
class Citation:
    n: int
    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    quote: str
    quote_start: int
    quote_end: int
    source: str
    link: str
    evidence_type: str
    as_of: str
    origin: str = "curated"
    attributed: str = "sentence"  # whose source the reference line is: sentence, passage, document

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    safety: str | None
    citations: tuple[Citation, ...] = ()
    retrieved: tuple[Hit, ...] = ()
    notice: str = ""
    disclaimer: str = ""
    mode: str = "extractive"
    timings_ms: dict = field(default_factory=dict)
    nearest_topics: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "safety": self.safety,
            "mode": self.mode,
            "notice": self.notice,
            "disclaimer": self.disclaimer,
            "nearest_topics": list(self.nearest_topics),
            "citations": [c.to_dict() for c in self.citations],
            "retrieved": [
                {
                    "chunk_id": h.chunk.chunk_id,
                    "doc_id": h.chunk.doc_id,
                    "score": round(h.score, 6),
                    "text": h.chunk.text,
                }
                for h in self.retrieved
            ],
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }
