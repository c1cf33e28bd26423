"""Write the heads bundle: the served graph plus heads, verified on real images (the ImageNet output bit-identical,
the heads as trained), and a manifest carrying the heads' labels and measured precision."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from hashtagnet.data.images import resize_for_input
from hashtagnet.export.bundle import write_manifest

from .features import load_served_rgb
from .graph import add_heads, head_output
from .train import GatheredHead, LinearHead


def _run(model_bytes: bytes, feeds: dict, outputs: list[str]) -> list[np.ndarray]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"]).run(outputs, feeds)


def verify(original: onnx.ModelProto, combined: onnx.ModelProto, manifest: dict, heads: dict[str, LinearHead | GatheredHead],
           paths: list, features: np.ndarray) -> dict:
    """Max |difference| of the ImageNet probabilities (original vs combined graph) and of each head (graph vs numpy)."""
    spec, output = manifest["input"], manifest["output"]["name"]
    pixels = np.stack([resize_for_input(load_served_rgb(p), spec) for p in paths])
    feeds = {spec["name"]: pixels}
    before = _run(original.SerializeToString(), feeds, [output])[0]
    after = _run(combined.SerializeToString(), feeds, [output, *[head_output(n) for n in heads]])
    result = {"images": len(paths), "imagenet_max_abs_diff": float(np.abs(before - after[0]).max()),
              "imagenet_bit_identical": bool(np.array_equal(before, after[0]))}
    for (name, head), got in zip(heads.items(), after[1:]):
        expected = head.probabilities_from(before) if isinstance(head, GatheredHead) else head.probabilities(features)
        result[f"{name}_max_abs_diff_vs_numpy"] = float(np.abs(got - expected).max())
    return result


def write_bundle(base: Path, out: Path, heads: dict[str, LinearHead | GatheredHead], metrics: dict, provenance: dict,
                 check_paths: list, check_features: np.ndarray) -> dict:
    """Export model.onnx with the heads, verify it, and write model.json last; returns the parity figures."""
    manifest = json.loads((base / "model.json").read_text())
    original = onnx.load(base / manifest["model_file"])
    combined = add_heads(original, heads)
    parity = verify(original, combined, manifest, heads, check_paths, check_features)
    if not parity["imagenet_bit_identical"]:
        raise ValueError(f"the ImageNet output changed: {parity}")
    out.mkdir(parents=True, exist_ok=True)
    onnx.save(combined, out / "model.onnx")
    manifest["name"] = out.name
    manifest["description"] = ("EfficientNet-Lite0 ImageNet classifier (bit-identical to efficientnet-lite0) with a kind "
                               "head and a scene head on its frozen pooled features, trained on a weakly labelled corpus")
    manifest["metrics"] = {**manifest.get("metrics", {}), "heads": {
        name: {"output": head_output(name), "labels": list(head.labels), **metrics.get(name, {})}
        for name, head in heads.items()}, "heads_parity": parity}
    manifest["provenance"] = {**manifest["provenance"], "heads": {
        **provenance, "exported_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}}
    for name in ("LICENSE", "NOTICE"):
        if (base / name).exists():
            shutil.copy(base / name, out / name)
    write_manifest(out, manifest)
    return parity
