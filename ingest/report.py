"""IngestReport: what one ingest read, added, changed, removed, skipped, flagged and noted."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class IngestReport:
    read: int = 0
    unchanged: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (item, reason)
    notes: list[str] = field(default_factory=list)
    # (chunk id, sentence): sentences kept for retrieval but never quoted (see ingest/flag.py)
    flagged: list[tuple[str, str]] = field(default_factory=list)
    # what was read from each user document (title, authors, date, outlet), so a wrong guess shows
    extracted: list[dict] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    seconds: float = 0.0
    documents: int = 0
    chunks: int = 0
    rebuilt: bool = False

    @property
    def ingested(self) -> int:
        return len(self.added) + len(self.changed) + self.unchanged

    def to_dict(self) -> dict:
        d = self.__dict__.copy()
        d["skipped"] = [{"item": i, "reason": r} for i, r in self.skipped]
        d["flagged"] = [{"chunk_id": c, "sentence": s} for c, s in self.flagged]
        return d

    def summary(self) -> str:
        lines = [
            f"read {self.read}, unchanged {self.unchanged}, added {len(self.added)}, "
            f"changed {len(self.changed)}, removed {len(self.removed)}, "
            f"skipped {len(self.skipped)}" + (", rebuilt from the manifest" if self.rebuilt
                                              else ""),
            f"chunks +{self.chunks_added} -{self.chunks_removed}; index now "
            f"{self.documents} documents, {self.chunks} chunks; {self.seconds:.1f} s",
        ]
        lines += [f"  skipped {item}: {why}" for item, why in self.skipped]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  read {e['doc_id']}: title “{e['title']}”; author {e['authors'] or '(none)'}; "
                  f"date {e['date'] or '(none)'}; outlet {e['outlet'] or '(none)'}"
                  + (f"; url {e['url']}" if e["url"] else "") for e in self.extracted]
        if self.flagged:
            lines.append(f"  flagged {len(self.flagged)} sentence(s) that address an assistant "
                         "or give personal dosing directions (kept for search, never quoted):")
            lines += [f"    {cid}: {_short(s)}" for cid, s in self.flagged]
        return "\n".join(lines)


def _short(sentence: str, limit: int = 100) -> str:
    one_line = " ".join(sentence.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 3] + "..."
