"""The project's closed vocabularies, defined once: topics, populations, evidence types,
retrieval modes and readable file types. The schema, ingest, the CLI choices, the chat's
filters and the eval all read them from here."""

from __future__ import annotations

TOPICS = (
    "efficacy", "safety", "protocol", "mechanism", "stigma",
    "access", "equity", "policy", "social-work",
)
POPULATIONS = (
    "veterans", "first-responders", "communities-of-color", "low-income",
    "rural", "women", "lgbtq", "indigenous", "general",
)
EVIDENCE_TYPES = (
    "rct", "follow-up", "qualitative", "meta-analysis", "review",
    "policy", "commentary", "explainer",
)
RETRIEVAL_MODES = ("hybrid", "dense", "bm25")
FILE_TYPES = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf", ".docx")
# Eval-set topics for questions the assistant should decline (kb eval reads both lists).
DECLINE_TOPICS = ("out-of-scope", "false-premise", "dosing", "not-covered")
