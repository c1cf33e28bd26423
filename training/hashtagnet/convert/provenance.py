"""What every TF.js conversion records about when and with which tools it ran (the Node.js that ran the original too)."""

from __future__ import annotations

import datetime as dt
import platform
import subprocess

import numpy as np
import onnx
import onnxruntime as ort


def node_version() -> str:
    """The Node.js version that evaluated the TF.js original."""
    return subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()


def conversion_stamp(opset: int) -> dict:
    """`exported_at` (UTC, seconds) and `tools` (onnx, onnxruntime, numpy, node, python, opset) for a manifest's provenance."""
    return {
        "exported_at": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "tools": {"onnx": onnx.__version__, "onnxruntime": ort.__version__, "numpy": np.__version__,
                  "node": node_version(), "python": platform.python_version(), "opset": str(opset)},
    }
