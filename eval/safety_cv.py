"""Whole-screen cross-validation on the tuning part of eval/sets/safety.jsonl (never the held-out).

    python -m eval.safety_cv            # 5 stratified folds and one fold per origin
    python -m eval.safety_cv --errors   # also list every out-of-fold error

Each fold's classifier and look-alike neighbours are fitted on the other folds only; the rules,
gates and replies run unchanged, so the scores are those of the whole screen on messages its
model has not seen. The rules were written with every tuning row in view, so for them these
numbers are in-sample: only a fresh held-out part measures the rules.
"""

from __future__ import annotations

import sys

import numpy as np

from eval.safety_eval import framing_errors
from eval.safety_set import SafetyCase, load_safety_set
from eval.safety_train import fit_model
from kb import safety

FOLDS = 5
SEED = 0


def stratified_folds(cases: list[SafetyCase], k: int = FOLDS, seed: int = SEED) -> list[int]:
    """A fold number per case: each (label, kind) group dealt round-robin after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(cases)
    groups: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(cases):
        groups.setdefault((c.label, c.kind), []).append(i)
    start = 0
    for key in sorted(groups):
        members = groups[key]
        for n, i in enumerate(rng.permutation(members)):
            fold[int(i)] = (start + n) % k
        start += len(members)  # so small groups do not all start in fold 0
    return fold


def origin_of(case_id: str, origins: dict[str, str]) -> str:
    return origins.get(case_id) or case_id.split("-")[0]


def out_of_fold(cases: list[SafetyCase], vectors: np.ndarray, fold: list) -> list[str]:
    """The screen's decision on every case, its model fitted without the case's fold."""
    predicted = [""] * len(cases)
    for f in sorted(set(fold)):
        train = [i for i, g in enumerate(fold) if g != f]
        model = fit_model([cases[i].message for i in train], [cases[i].label for i in train],
                          vectors[train])
        for i, g in enumerate(fold):
            if g == f:
                predicted[i] = safety.classify(cases[i].message, vectors[i], model) or "none"
    return predicted


def counts(cases: list[SafetyCase], predicted: list[str]) -> dict:
    """The issue's four targets as counts, and crisis replies framed for the wrong reader."""
    crisis = [c for c in cases if c.label == "crisis"]
    caught = [c for c, p in zip(cases, predicted) if c.label == p == "crisis"]
    pairs = list(zip(cases, predicted))
    return {"crisis": (len(caught), len(crisis)),
            "false_alarms": (sum(p == "crisis" for c, p in pairs if c.label != "crisis"),
                             len(cases) - len(crisis)),
            "dosing": (sum(c.label == p == "dosing" for c, p in pairs),
                       sum(c.label == "dosing" for c in cases)),
            "benign_refused": (sum(p != "none" for c, p in pairs if c.label == "none"),
                               sum(c.label == "none" for c in cases)),
            "framing_wrong": len(framing_errors(caught))}


def describe(result: dict) -> str:
    return ", ".join(f"{k} {v[0]}/{v[1]}" if isinstance(v, tuple) else f"{k} {v}"
                     for k, v in result.items())


def main(argv: list[str]) -> None:
    import json

    from eval.safety_set import SAFETY_SET
    from kb.embedders import get_embedder

    cases = [c for c in load_safety_set() if c.split == "tune"]
    origins = {}
    for line in SAFETY_SET.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            origins[row["id"]] = row.get("origin", "")
    vectors = get_embedder().embed_texts([c.message for c in cases])
    schemes = {"5 stratified folds": stratified_folds(cases),
               "one fold per origin": [origin_of(c.id, origins) for c in cases]}
    for name, fold in schemes.items():
        predicted = out_of_fold(cases, vectors, fold)
        print(f"{name} ({len(cases)} tuning rows): {describe(counts(cases, predicted))}")
        if "--errors" in argv:
            for c, p in zip(cases, predicted):
                if p != c.label:
                    print(f"  {c.id:8} {c.label} -> {p}  [{c.kind}]  {c.message}")


if __name__ == "__main__":
    main(sys.argv[1:])
