"""Export a classifier as a verified model bundle: models/<name>/{model.onnx, model.json}."""

from __future__ import annotations

import importlib.metadata
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np
import onnx
import torch

from hashtagnet.labels import wordnet_graph

from . import bundle, machine, runtime
from .inference_graph import PixelsToProbabilities

OPSET = 18
MODEL_FILE = "model.onnx"
INPUT_NAME = "image"
OUTPUT_NAME = "probabilities"
TOOLS = ("torch", "onnx", "onnxruntime", "onnxscript", "nltk", "timm", "pillow", "numpy")


def export_onnx(graph: torch.nn.Module, path: Path, input_size: int) -> None:
    """Export the uint8-in, probabilities-out graph with a dynamic batch axis and run the ONNX checker."""
    example = torch.zeros((2, input_size, input_size, 3), dtype=torch.uint8)
    batch = torch.export.Dim("batch", min=1, max=4096)
    torch.onnx.export(graph, (example,), str(path), dynamo=True, opset_version=OPSET, external_data=False,
                      input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
                      dynamic_shapes={"pixels": {0: batch}}, verbose=False)
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)


def measure_parity(graph: torch.nn.Module, model_path: Path, pixels: np.ndarray) -> dict:
    """PyTorch vs ONNX Runtime on the same uint8 images: max abs probability difference, top-1 agreement, the CPU."""
    with torch.no_grad():
        reference = graph(torch.from_numpy(pixels)).numpy()
    exported = runtime.predict(runtime.open_session(model_path), pixels)
    return {
        "images": int(len(pixels)),
        "max_abs_prob_diff": float(np.abs(reference - exported).max()),
        "top1_agreement": float((reference.argmax(1) == exported.argmax(1)).mean()),
        "cpu": machine.cpu_model(),
    }


def tool_versions() -> dict[str, str]:
    """Versions of the packages that shaped the bundle."""
    versions = {}
    for tool in TOOLS:
        try:
            versions[tool] = importlib.metadata.version(tool)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def caption_classes(class_ids: list[str]) -> list[dict]:
    """The classes in output order with display names fit for a sentence."""
    return [{"id": class_id, "name": wordnet_graph.display_name(class_id)} for class_id in class_ids]


def export_bundle(model: torch.nn.Module, out_dir: Path, *, name: str, version: str, class_ids: list[str],
                  input_size: int, resize_shorter: int, mean: Sequence[float], std: Sequence[float],
                  temperature: float = 1.0, provenance: dict, metrics: dict | None = None,
                  parity_images: Sequence[np.ndarray] | None = None, interpolation: str = "bilinear") -> dict:
    """Wrap, export, check and verify `model` (normalised NCHW -> logits over class_ids); write and return the manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    graph = PixelsToProbabilities(model.eval(), mean, std, temperature).eval()
    export_onnx(graph, out_dir / MODEL_FILE, input_size)
    metrics = dict(metrics or {})
    if parity_images is not None and len(parity_images):
        metrics["parity"] = measure_parity(graph, out_dir / MODEL_FILE, np.stack(parity_images).astype(np.uint8))
    manifest = {
        "format_version": 1,
        "name": name,
        "version": version,
        "task": "caption",
        "model_file": MODEL_FILE,
        "sha256": "0" * 64,  # replaced by write_manifest once the file is final
        "precision": "fp32",
        "input": {
            "name": INPUT_NAME, "dtype": "uint8", "layout": "NHWC", "channels": "RGB",
            "height": input_size, "width": input_size,
            "resize": {"method": "shorter_side_center_crop", "shorter_side": resize_shorter},
            "interpolation": interpolation,
            "normalization": {"mean": [float(m) for m in mean], "std": [float(s) for s in std]},
        },
        "output": {"name": OUTPUT_NAME, "dtype": "float32", "kind": "probabilities", "temperature": float(temperature)},
        "classes": caption_classes(class_ids),
        "hierarchy": wordnet_graph.hierarchy_for(class_ids),
        "provenance": {
            **provenance,
            "exported_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "tools": {**tool_versions(), "onnx_opset": str(OPSET)},
        },
        "metrics": metrics,
    }
    bundle.write_manifest(out_dir, manifest)
    return bundle.read_bundle(out_dir)
