"""ONNX Runtime (CPU) sessions over exported bundles; the only module here that opens sessions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort


def open_session(model_path: Path, threads: int | None = None, optimize: bool = True) -> ort.InferenceSession:
    """A CPU session; threads fixes intra-op threads (None: runtime default), inter-op is always 1. optimize=False
    runs a QDQ model node by node in float (no int8 kernels): the quantization error without the CPU's int8 maths."""
    options = ort.SessionOptions()
    if not optimize:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    options.inter_op_num_threads = 1
    if threads is not None:
        options.intra_op_num_threads = threads
    options.log_severity_level = 3
    return ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])


def predict(session: ort.InferenceSession, pixels: np.ndarray, batch_size: int = 8) -> np.ndarray:
    """Probabilities for uint8 [N,H,W,3] pixels, run in batches of batch_size."""
    name = session.get_inputs()[0].name
    outputs = [session.run(None, {name: pixels[i:i + batch_size]})[0] for i in range(0, len(pixels), batch_size)]
    return np.concatenate(outputs, axis=0)
