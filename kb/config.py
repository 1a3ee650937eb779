"""Settings: defaults < KB_* environment variables < CLI flags. Built once at the edge."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_DOCUMENTS = Path(__file__).parent / "documents"


class Settings(BaseSettings):
    """Every setting has a KB_ environment variable of the same name (see README)."""

    model_config = SettingsConfigDict(env_prefix="KB_", extra="ignore")

    data_dir: Path = Field(Path(".kbdata"), description="Index, BM25 cache, feedback and logs.")
    chroma_url: str | None = Field(None, description="http://host:port of a `chroma run` server.")
    collection: str = Field(
        "kb_chunks", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$",
        description="Chroma collection name (3-512 of a-z A-Z 0-9 . _ -).")
    top_k: int = Field(5, ge=1, le=50, description="Passages retrieved per question.")
    min_score: float | None = Field(
        None, description="Abstention threshold on dense cosine; default is the calibrated one."
    )
    max_file_mb: float = Field(20.0, gt=0, description="Largest file accepted by ingest.")
    url_timeout_s: float = Field(15.0, gt=0, description="Timeout for fetching a URL.")
    url_max_mb: float = Field(10.0, gt=0, description="Largest download accepted from a URL.")
    allow_private_urls: bool = Field(False, description="Allow loopback/private URLs (tests).")
    pdf_timeout_s: float = Field(60.0, gt=0, description="Time limit for parsing one PDF.")
    pdf_memory_mb: int = Field(1024, gt=64, description="Memory limit for the PDF parser.")
    embed_batch_size: int = Field(32, ge=1, le=512)
    embed_backend: Literal["torch", "onnx-int8"] = Field(
        "torch", description="torch, or onnx-int8 (quantised ONNX export; needs its own index).")
    llm: str | None = Field(None, description="provider:model for LangChain init_chat_model.")
    llm_timeout_s: float = Field(30.0, gt=0)
    host: str = Field("127.0.0.1", description="Address the chat binds to.")
    port: int = Field(7860, ge=0, le=65535)
    auth: str | None = Field(None, description="user:password, required off loopback.")
    enable_upload: bool = Field(False, description="Let chat users add documents.")
    max_upload_mb: float = Field(10.0, gt=0)
    concurrency: int = Field(2, ge=1, description="Answers computed at once by the chat.")
    max_queue: int = Field(40, ge=1, description="Requests waiting before 'busy'.")
    index_check_s: float = Field(2.0, ge=0, description="How often replicas look for a new index.")

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "kb.log"

    def where(self) -> str:
        return self.chroma_url or str(self.chroma_path.resolve())
