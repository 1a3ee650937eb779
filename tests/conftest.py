"""Shared fixtures: real model, real Chroma on temp dirs, the bundled knowledge base indexed once."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

from kb.config import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch, tmp_path):
    """No test touches a developer's index: KB_DATA_DIR points into the test's own tmp dir."""
    for key in list(os.environ):
        if key.startswith("KB_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("KB_DATA_DIR", str(tmp_path / "kbdata"))
    yield


@pytest.fixture(scope="session")
def embedder():
    from kb.embedders import get_embedder

    return get_embedder()


def pytest_addoption(parser):
    parser.addoption("--fresh-index", action="store_true",
                     help="ingest the bundled knowledge base afresh instead of reusing the index "
                          "an earlier run kept (tests/index_cache.py); `make test` does")


@pytest.fixture(scope="session")
def kb_index(request, tmp_path_factory, embedder) -> Path:
    """The bundled knowledge base ingested once, and kept between runs while every input of the
    ingest is unchanged (tests/index_cache.py); treat it as read-only."""
    from index_cache import bundled_index

    cache = getattr(request.config, "cache", None)  # None under `-p no:cacheprovider`
    data_dir = tmp_path_factory.mktemp("kb_index")
    report = bundled_index(data_dir, embedder, cache.mkdir("kb_index") if cache else None,
                           fresh=request.config.getoption("--fresh-index"))
    assert report["ingested"] >= 24 and not report["skipped"], report["summary"]
    return data_dir


@pytest.fixture
def kb_copy(kb_index, tmp_path) -> Settings:
    """A private, writable copy of the session index."""
    target = tmp_path / "kbcopy"
    shutil.copytree(kb_index, target)
    return Settings(data_dir=target)


@pytest.fixture(scope="session")
def assistant(kb_index, embedder):
    from kb.assistant import build_assistant

    return build_assistant(Settings(data_dir=kb_index), embedder)
