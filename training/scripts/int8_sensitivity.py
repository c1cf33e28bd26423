"""Which nodes tolerate int8 least: per-node SQNR of weights and output activations of the all-int8 S8S8 model,
measured on calibration views only (the held-out agreement set stays unseen), worst first, as JSON.

python training/scripts/int8_sensitivity.py --fp32 models/efficientnet-lite0 --out /tmp/int8-sensitivity.json"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import onnx
from onnxruntime.quantization import qdq_loss_debug as debug

from hashtagnet.export import bundle
from hashtagnet.data.photos import int8_photo_sets
from hashtagnet.export.quantize import Int8Recipe, PhotoCalibration, prepare_float, quantize_model

VIEWS = 16


def node_scores(float_model: Path, qdq_model: Path, input_name: str, pixels, scratch: Path) -> list[dict]:
    """For each quantizable node of the float model: SQNR (dB) of its weight and of its output after QDQ."""
    augmented = {}
    for name, path in (("float", float_model), ("qdq", qdq_model)):
        augmented[name] = scratch / f"{name}-augmented.onnx"
        debug.modify_model_output_intermediate_tensors(str(path), str(augmented[name]))
    acts = {name: debug.collect_activations(str(path), PhotoCalibration(input_name, pixels)) for name, path in augmented.items()}
    activation = debug.compute_activation_error(debug.create_activation_matching(acts["qdq"], acts["float"]))
    weight = debug.compute_weight_error(debug.create_weight_matching(str(float_model), str(qdq_model)))
    rows = []
    for node in onnx.load(str(float_model)).graph.node:
        if node.op_type not in Int8Recipe().quantized_ops:
            continue
        w = weight.get(node.input[1]) if len(node.input) > 1 else None
        out = activation.get(node.output[0], {})
        scores = [s for s in (w, out.get("qdq_err")) if s is not None]
        rows.append({"node": node.name, "op": node.op_type, "weight_sqnr": w, "output_qdq_sqnr": out.get("qdq_err"),
                     "output_vs_float_sqnr": out.get("xmodel_err"), "score": min(scores) if scores else None})
    return sorted(rows, key=lambda r: (r["score"] is None, r["score"] if r["score"] is not None else 0.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fp32", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--cache", type=Path, help="calibrated ranges folder (int8_levers.py --cache)")
    args = parser.parse_args()
    manifest = bundle.read_bundle(args.fp32)
    sets = int8_photo_sets(manifest["input"])
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        prepared, qdq = scratch / "prepared.onnx", scratch / "qdq.onnx"
        prepare_float(args.fp32 / manifest["model_file"], prepared)
        quantize_model(args.fp32 / manifest["model_file"], qdq, manifest["input"]["name"], sets["calibration"],
                       Int8Recipe(), args.cache)
        step = max(1, len(sets["calibration"]) // VIEWS)
        rows = node_scores(prepared, qdq, manifest["input"]["name"], sets["calibration"][::step][:VIEWS], scratch)
    args.out.write_text(json.dumps(rows, indent=1) + "\n")
    for row in rows[:15]:
        print(row)


if __name__ == "__main__":
    main()
