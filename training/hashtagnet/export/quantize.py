"""int8 variant of a bundle: ONNX Runtime static QDQ quantization (S8S8 by default) calibrated on real photos, with
top-1 agreement against fp32 measured on held-out photos (disjoint by image) and the CPU it was measured on."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from onnxruntime.quantization import CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

from hashtagnet.data.photos import int8_photo_sets

from . import bundle, machine, runtime
from .latency import median_latency_ms

AGREEMENT_BAR = 0.98
DEAD_CHANNEL_THRESHOLD = 1e-5


@dataclass(frozen=True)
class Int8Recipe:
    """The levers of static quantization. Defaults: S8S8 QDQ, per-channel weights, MinMax, everything quantized."""

    activation: str = "QInt8"
    weight: str = "QInt8"
    calibration: str = "MinMax"  # MinMax | Percentile | Entropy
    percentile: float = 99.999
    per_channel: bool = True
    reduce_range: bool = False
    float_prefix: int = 0  # the first N quantizable nodes (stem, first blocks) stay float
    float_ops: tuple[str, ...] = ()  # op types left float, e.g. ("Add",)
    float_depthwise: bool = False  # depthwise convolutions (group > 1) stay float
    float_nodes: tuple[str, ...] = ()  # named nodes left float (e.g. the least int8-tolerant, by sensitivity)
    quantized_ops: tuple[str, ...] = ("Conv", "Gemm", "Add", "Clip")  # Clip: ReLU6 folds into the conv's range
    extra: dict = field(default_factory=dict)  # other quantize_static extra_options

    def calibration_key(self) -> str:
        """What the collected ranges depend on (a cache per key is reused across the other levers)."""
        symmetric = self.extra.get("ActivationSymmetric", False)
        return f"{self.calibration}-{self.percentile if self.calibration == 'Percentile' else ''}-{symmetric}"


# The best recipe of the lever study (training/README.md, "int8 study"): the default of the CLI and of --int8.
RECIPE = Int8Recipe(float_prefix=10)


def zero_dead_channels(model_path: Path, out_path: Path, threshold: float = DEAD_CHANNEL_THRESHOLD) -> int:
    """Zero Conv output channels whose weights are all below threshold; return how many were zeroed.

    BatchNorm folding leaves "dead" channels with weights ~1e-9 next to an O(1) bias; their int8 weight scale makes
    the int32 bias overflow. With exact zeros the channel outputs its bias, as it did (fp32 output unchanged)."""
    model = onnx.load(str(model_path))
    weights = {init.name: init for init in model.graph.initializer}
    zeroed = 0
    for node in model.graph.node:
        if node.op_type != "Conv" or node.input[1] not in weights:
            continue
        tensor = weights[node.input[1]]
        values = numpy_helper.to_array(tensor).copy()
        dead = np.abs(values.reshape(values.shape[0], -1)).max(axis=1) < threshold
        if dead.any():
            values[dead] = 0.0
            tensor.CopyFrom(numpy_helper.from_array(values, tensor.name))
            zeroed += int(dead.sum())
    onnx.save(model, str(out_path))
    return zeroed


class PhotoCalibration(CalibrationDataReader):
    """Feeds calibration images one at a time under the bundle's input name; set_range serves ORT's strided
    collection (histogram methods otherwise hold every activation of every image in memory: killed at 429 views)."""

    def __init__(self, input_name: str, pixels: np.ndarray):
        self.input_name, self.pixels = input_name, pixels
        self.set_range(0, len(pixels))

    def __len__(self) -> int:
        return len(self.pixels)

    def set_range(self, start_index: int, end_index: int) -> None:
        self.batches = iter([{self.input_name: self.pixels[i:i + 1]} for i in range(start_index, end_index)])

    def get_next(self):
        return next(self.batches, None)


def _stride(count: int, at_most: int = 40) -> int:
    """The largest divisor of count up to at_most (ORT requires the stride to divide the calibration size)."""
    return max(d for d in range(1, min(count, at_most) + 1) if count % d == 0)


def prepare_float(fp32_path: Path, out_path: Path) -> int:
    """The float model quantization starts from: dead channels zeroed, ORT's pre-processing; returns channels zeroed."""
    cleaned = Path(out_path).with_suffix(".cleaned.onnx")
    zeroed = zero_dead_channels(fp32_path, cleaned)
    quant_pre_process(str(cleaned), str(out_path), skip_symbolic_shape=True)
    cleaned.unlink()
    return zeroed


def quantize_model(fp32_path: Path, int8_path: Path, input_name: str, calibration: np.ndarray,
                   recipe: Int8Recipe = Int8Recipe(), cache_dir: Path | None = None) -> dict:
    """Static QDQ quantization by `recipe`; cache_dir keeps the calibrated ranges per calibration key."""
    options = {**recipe.extra, "CalibPercentile": recipe.percentile}
    if recipe.calibration != "MinMax":
        options.setdefault("CalibStridedMinMax", _stride(len(calibration)))
    with tempfile.TemporaryDirectory() as scratch:
        prepared = Path(scratch) / "prepared.onnx"
        zeroed = prepare_float(fp32_path, prepared)
        quantizable = _nodes(prepared, recipe.quantized_ops)
        nodes = [n.name for n in quantizable if n.op_type not in recipe.float_ops and n.name not in recipe.float_nodes
                 and not (recipe.float_depthwise and _is_depthwise(n))][recipe.float_prefix:]
        cache = Path(cache_dir) / f"ranges-{recipe.calibration_key()}.json" if cache_dir else None
        quantize_static(str(prepared), str(int8_path), PhotoCalibration(input_name, calibration),
                        quant_format=QuantFormat.QDQ, op_types_to_quantize=list(recipe.quantized_ops),
                        nodes_to_exclude=[n.name for n in quantizable if n.name not in nodes],
                        per_channel=recipe.per_channel, reduce_range=recipe.reduce_range,
                        activation_type=QuantType[recipe.activation], weight_type=QuantType[recipe.weight],
                        calibrate_method=CalibrationMethod[recipe.calibration], extra_options=options,
                        calibration_cache_path=cache)
    return {"format": "QDQ", **asdict(recipe), "calibration_images": len(calibration),
            "quantized_nodes": len(nodes), "nodes_left_float": len(quantizable) - len(nodes), "dead_channels_zeroed": zeroed}


def _is_depthwise(node) -> bool:
    return node.op_type == "Conv" and any(a.name == "group" and a.i > 1 for a in node.attribute)


def _nodes(model_path: Path, op_types) -> list:
    return [n for n in onnx.load(str(model_path)).graph.node if n.op_type in op_types]


def agreement(reference: np.ndarray, int8_path: Path, pixels: np.ndarray) -> dict:
    """Top-1 agreement and probability drift of the int8 model against the fp32 probabilities on the same images."""
    quantized = runtime.predict(runtime.open_session(int8_path), pixels)
    return {
        "inputs": int(len(pixels)),
        "top1_agreement": round(float((reference.argmax(1) == quantized.argmax(1)).mean()), 4),
        "mean_l1_prob_diff": round(float(np.abs(reference - quantized).sum(1).mean()), 4),
        "cpu": machine.cpu_model(), "cpu_int8_features": machine.int8_features(),
    }


def speedup(fp32_path: Path, int8_path: Path, input_size: int, threads: int) -> dict:
    """Median latency of fp32 and int8 at batch 1 and 8, measured interleaved in one run with the same threads."""
    result = {"threads": threads, "cpu": machine.cpu_model()}
    for batch in (1, 8):
        medians = median_latency_ms({"fp32": fp32_path, "int8": int8_path}, input_size, batch, threads, repeats=20)
        result[f"batch{batch}"] = {"fp32_ms": medians["fp32"], "int8_ms": medians["int8"],
                                   "speedup": round(medians["fp32"] / medians["int8"], 3)}
    return result


def int8_study(fp32_dir: Path, int8_model: Path, calibration: np.ndarray, held_out: np.ndarray, threads: int = 1,
               recipe: Int8Recipe = RECIPE, latency: bool = True) -> dict:
    """Quantize the bundle's model into int8_model by `recipe`; agreement on the held-out images and speed-up, with
    the CPU and its int8-relevant extensions (the agreement depends on VNNI)."""
    manifest = bundle.read_bundle(fp32_dir)
    fp32_model = Path(fp32_dir) / manifest["model_file"]
    method = quantize_model(fp32_model, int8_model, manifest["input"]["name"], calibration, recipe)
    reference = runtime.predict(runtime.open_session(fp32_model), held_out)
    study = {"method": method, "agreement": agreement(reference, int8_model, held_out), "bar": AGREEMENT_BAR,
             "size_mb": round(int8_model.stat().st_size / 1e6, 2), "cpu": machine.cpu_model(),
             "cpu_int8_features": machine.int8_features()}
    if latency:
        study["latency"] = speedup(fp32_model, int8_model, manifest["input"]["height"], threads)
    return study


def study_and_ship_pixels(fp32_dir: Path, calibration: np.ndarray, held_out: np.ndarray, threads: int = 1,
                          recipe: Int8Recipe = RECIPE, extra: dict | None = None) -> dict:
    """Record the int8 study in the fp32 manifest; write <dir>-int8 only when agreement reaches the bar."""
    fp32_dir = Path(fp32_dir)
    int8_dir = fp32_dir.parent / f"{fp32_dir.name}-int8"
    with tempfile.TemporaryDirectory() as scratch:
        int8_model = Path(scratch) / "model.onnx"
        study = {**int8_study(fp32_dir, int8_model, calibration, held_out, threads, recipe), **(extra or {})}
        quantized = study["method"]["quantized_nodes"] > 0  # a recipe that leaves every node float is not int8
        study["shipped"] = quantized and study["agreement"]["top1_agreement"] >= AGREEMENT_BAR
        manifest = bundle.read_bundle(fp32_dir)
        manifest["metrics"]["int8"] = study
        bundle.write_manifest(fp32_dir, manifest)
        if int8_dir.exists():
            shutil.rmtree(int8_dir)
        if study["shipped"]:
            int8_dir.mkdir(parents=True)
            shutil.copyfile(int8_model, int8_dir / manifest["model_file"])
            bundle.write_manifest(int8_dir, {**manifest, "name": int8_dir.name, "precision": "int8"})
    return study


def recipe_from_json(text: str) -> Int8Recipe:
    """An Int8Recipe from its fields as JSON (lists become tuples)."""
    return Int8Recipe(**{k: tuple(v) if isinstance(v, list) else v for k, v in json.loads(text).items()})


def main(argv: list[str] | None = None) -> None:
    """CLI: python -m hashtagnet.export.quantize --fp32 models/efficientnet-lite0 [--recipe JSON] --threads 1"""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fp32", required=True, type=Path)
    parser.add_argument("--recipe", help="Int8Recipe fields as JSON (default: RECIPE), e.g. '{\"calibration\": \"Percentile\"}'")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    recipe = recipe_from_json(args.recipe) if args.recipe else RECIPE
    sets = int8_photo_sets(bundle.read_bundle(args.fp32)["input"])
    extra = {"calibration_photos": len(sets["calibration_photos"]), "agreement_photos": len(sets["agreement_photos"]),
             "photo_sets": "devset/labels.json + textset/real.json, kind photo, split by image (photos.split_by_image)"}
    print(json.dumps(study_and_ship_pixels(args.fp32, sets["calibration"], sets["agreement"], args.threads, recipe, extra),
                     indent=1))


if __name__ == "__main__":
    main()
