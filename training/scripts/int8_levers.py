"""The int8 lever study: each Int8Recipe variant quantized and measured on the same held-out photos, one JSON line each.

python training/scripts/int8_levers.py --fp32 models/efficientnet-lite0 --out /tmp/int8-levers.jsonl [--only NAME ...]
The photo sets and the fp32 reference are computed once; calibrated ranges are cached per calibration method."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import onnx

from hashtagnet.export import bundle, machine, runtime
from hashtagnet.data.photos import int8_photo_sets
from hashtagnet.export.quantize import Int8Recipe, agreement, quantize_model

HEAD = ("node_Conv_899", "n4_33", "node_linear")  # the 1280-channel head conv, its ReLU6, the classifier (13.5 dB)
PREFIX = 10  # the previous recipe's float stem + first blocks (training/README.md, "int8 attempt")
LEVERS = {
    "s8s8_minmax": Int8Recipe(),
    "s8s8_minmax_tensor": Int8Recipe(per_channel=False),
    "s8s8_percentile": Int8Recipe(calibration="Percentile"),
    "s8s8_percentile_99.99": Int8Recipe(calibration="Percentile", percentile=99.99),
    "s8s8_entropy": Int8Recipe(calibration="Entropy"),
    "s8s8_minmax_reduce_range": Int8Recipe(reduce_range=True),
    "s8s8_minmax_float_prefix": Int8Recipe(float_prefix=PREFIX),
    "s8s8_percentile_float_prefix": Int8Recipe(calibration="Percentile", float_prefix=PREFIX),
    "s8s8_minmax_float_add": Int8Recipe(float_ops=("Add",)),
    "s8s8_minmax_float_depthwise": Int8Recipe(float_depthwise=True),
    "s8s8_minmax_float_prefix_1": Int8Recipe(float_prefix=1),
    "s8s8_minmax_float_prefix_4": Int8Recipe(float_prefix=4),
    "s8s8_minmax_float_prefix_20": Int8Recipe(float_prefix=20),
    "s8s8_minmax_float_prefix_40": Int8Recipe(float_prefix=40),
    "s8s8_minmax_float_gemm": Int8Recipe(float_ops=("Gemm",)),
    "s8s8_minmax_symmetric": Int8Recipe(extra={"ActivationSymmetric": True}),
    "u8s8_minmax (previous types)": Int8Recipe(activation="QUInt8"),
    "u8s8_percentile_float_prefix (previous recipe)": Int8Recipe(activation="QUInt8", calibration="Percentile",
                                                                 float_prefix=PREFIX),
}


def linear_bottleneck_convs(model_path: Path) -> tuple[str, ...]:
    """Convs whose output no Clip (ReLU6) bounds: the blocks' projections, whose signed outputs lost the most SQNR
    in the sensitivity run (int8_sensitivity.py: 28.8 -> 22.1 dB at the first one)."""
    graph = onnx.load(str(model_path)).graph
    clipped = {n.input[0] for n in graph.node if n.op_type == "Clip"}
    return tuple(n.name for n in graph.node if n.op_type == "Conv" and n.output[0] not in clipped)


def emulated(reference, int8_model: Path, pixels) -> float:
    """Top-1 agreement of the QDQ model run unfused (DequantizeLinear -> float op -> QuantizeLinear)."""
    quantized = runtime.predict(runtime.open_session(int8_model, optimize=False), pixels)
    return round(float((reference.argmax(1) == quantized.argmax(1)).mean()), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fp32", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", nargs="*", help="lever names (default: all)")
    parser.add_argument("--emulated", action="store_true", help="also agreement with ORT's graph optimisations off: "
                        "QDQ evaluated in float, no int8 kernels (separates rounding from the CPU's int8 arithmetic)")
    parser.add_argument("--cache", type=Path, help="folder for the calibrated ranges (reused across runs)")
    parser.add_argument("--combine", help="an extra recipe as JSON (Int8Recipe fields), named 'combined'")
    args = parser.parse_args()
    manifest = bundle.read_bundle(args.fp32)
    fp32_model = args.fp32 / manifest["model_file"]
    sets = int8_photo_sets(manifest["input"])
    reference = runtime.predict(runtime.open_session(fp32_model), sets["agreement"])
    projections = linear_bottleneck_convs(fp32_model)
    LEVERS["s8s8_minmax_float_projections"] = Int8Recipe(float_nodes=projections)
    LEVERS["s8s8_minmax_float_prefix_projections"] = Int8Recipe(float_prefix=PREFIX, float_nodes=projections)
    LEVERS["s8s8_minmax_float_prefix_head"] = Int8Recipe(float_prefix=PREFIX, float_nodes=HEAD)
    levers = {name: LEVERS[name] for name in (args.only or LEVERS)}
    if args.combine:
        fields = json.loads(args.combine)
        levers["combined"] = Int8Recipe(**{k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()})
    cache = args.cache or Path(tempfile.mkdtemp(prefix="int8-ranges-"))
    cache.mkdir(parents=True, exist_ok=True)
    for name, recipe in levers.items():
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as scratch:
            int8_model = Path(scratch) / "model.onnx"
            method = quantize_model(fp32_model, int8_model, manifest["input"]["name"], sets["calibration"], recipe, cache)
            row = {"lever": name, "method": method, "agreement": agreement(reference, int8_model, sets["agreement"]),
                   "calibration_photos": len(sets["calibration_photos"]),
                   **({"emulated_agreement": emulated(reference, int8_model, sets["agreement"])} if args.emulated else {}),
                   "agreement_photos": len(sets["agreement_photos"]), "seconds": round(time.perf_counter() - started, 1),
                   "cpu": machine.cpu_model(), "cpu_int8_features": machine.int8_features()}
        with open(args.out, "a") as sink:
            sink.write(json.dumps(row) + "\n")
        print(f"{name}: {row['agreement']['top1_agreement']} emulated {row.get('emulated_agreement')} "
              f"({row['seconds']} s)", flush=True)


if __name__ == "__main__":
    main()
