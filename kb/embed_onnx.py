"""Optional backend: the same MiniLM exported to ONNX, int8-quantised, run with onnxruntime.

The export (torch.onnx + onnxruntime's dynamic quantisation, no `optimum`) is built once into a
cache folder; after that only onnxruntime and the tokenizer load, which is faster to start and
to run on a CPU. Vectors differ slightly from the PyTorch ones, so the index records its own
model name and refuses to mix.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path

import numpy as np

from kb.embed import _INPUTS, MODEL_NAME, Embedder, model_path
from kb.errors import KBError

ONNX_NAME = MODEL_NAME + "+onnx-int8"
EXPORT_VERSION = 1  # bump when the export or quantisation recipe changes


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def export_int8(target: Path) -> Path:
    """Export the packaged model's transformer to ONNX and quantise its weights to int8."""
    try:
        import onnx  # noqa: F401  (quantize_dynamic needs it)
        import torch
        from onnxruntime.quantization import QuantType, quantize_dynamic
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise KBError(f"KB_EMBED_BACKEND=onnx-int8 needs the `onnx` package to build the model "
                      f"once ({exc.name} is missing); run `pip install onnx` or use "
                      "KB_EMBED_BACKEND=torch.") from None

    class _Wrapped(torch.nn.Module):  # keyword call: transformers 5 rejects positional inputs
        def __init__(self, model) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    target.parent.mkdir(parents=True, exist_ok=True)
    path = str(model_path())
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    sample = tokenizer(["an example", "a second, longer example sentence"], padding=True,
                       return_tensors="pt")
    fp32 = target.with_name(target.stem + ".fp32.tmp.onnx")
    tmp = target.with_name(target.stem + ".tmp.onnx")
    axes = {name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")}
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # quantize_dynamic logs a pre-processing hint on the root logger
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(_Wrapped(model), tuple(sample[n] for n in _INPUTS), str(fp32),
                          input_names=list(_INPUTS), output_names=["last_hidden_state"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
        # Per-channel scales keep the vectors close to fp32 (mean cosine ~0.99).
        quantize_dynamic(str(fp32), str(tmp), weight_type=QuantType.QInt8, per_channel=True)
    root.setLevel(level)
    fp32.unlink(missing_ok=True)
    os.replace(tmp, target)  # atomic: a half-written model is never picked up
    target.with_suffix(".json").write_text(json.dumps(
        {"source": MODEL_NAME, "export_version": EXPORT_VERSION, "quantisation": "int8 dynamic"}))
    return target


class OnnxEmbedder(Embedder):
    """Embedder with the same interface, computed by onnxruntime (mean pooling in Embedder)."""

    name = ONNX_NAME
    backend = "onnx-int8"

    def __init__(self, cache_dir: Path) -> None:
        super().__init__()
        self.path = Path(cache_dir) / f"all-MiniLM-L6-v2.int8.v{EXPORT_VERSION}.onnx"

    def _load(self):
        import onnxruntime as ort

        if not self.path.exists():
            export_int8(self.path)
        options = ort.SessionOptions()
        options.intra_op_num_threads = _threads()
        # Idle worker threads sleep instead of spinning: the same work for less CPU, which the
        # chat's other threads (and other processes on a small machine) can use.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        return ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])

    def _forward(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        session = self.model
        with self._lock:
            return session.run(None, feeds)[0]
