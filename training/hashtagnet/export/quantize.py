"""int8 variant of a bundle: ONNX Runtime static quantization calibrated on real photos, with measured agreement and speed."""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process

from hashtagnet.data import images, photos

from . import bundle, machine, runtime
from .latency import median_latency_ms

AGREEMENT_BAR = 0.98
# Calibration uses crop fractions the agreement set never uses, so agreement is not measured on calibration data.
CALIBRATION_CROPS = (0.9, 0.7)
AGREEMENT_CROPS = (1.0, 0.8, 0.6)
# Clip must be listed so ReLU6 is folded into the conv's output range instead of quantizing the raw conv range.
QUANTIZED_OPS = ("Conv", "Gemm", "Add", "Clip")
# The stem and first blocks stay float: after BatchNorm folding their per-channel weights carry outliers
# (|w| up to 17 next to ~0.5), and int8 there alone cuts top-1 agreement to ~0.8 (training/README.md).
FLOAT_PREFIX_NODES = 10
DEAD_CHANNEL_THRESHOLD = 1e-5
CALIBRATION = (CalibrationMethod.Percentile, {"CalibPercentile": 99.999})


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


def photo_views(manifest: dict, crop_fractions, flips) -> np.ndarray:
    """Crops (and mirrors) of every real photo, each resized by the bundle's rule: uint8 [N,H,W,3]."""
    spec = manifest["input"]
    views = []
    for path in photos.all_photo_paths():
        for view in photos.variants(images.load_rgb(path), crop_fractions, flips):
            views.append(images.resize_for_input(view, spec))
    return np.stack(views)


class PhotoCalibration(CalibrationDataReader):
    """Feeds calibration images one at a time under the bundle's input name."""

    def __init__(self, input_name: str, pixels: np.ndarray):
        self.batches = iter([{input_name: pixels[i:i + 1]} for i in range(len(pixels))])

    def get_next(self):
        return next(self.batches, None)


def quantize_model(fp32_path: Path, int8_path: Path, input_name: str, calibration: np.ndarray,
                   quant_format: QuantFormat = QuantFormat.QDQ) -> dict:
    """Static int8 quantization (per-channel int8 weights, uint8 activations); returns what was done."""
    method, options = CALIBRATION
    with tempfile.TemporaryDirectory() as scratch:
        cleaned, prepared = Path(scratch) / "cleaned.onnx", Path(scratch) / "prepared.onnx"
        zeroed = zero_dead_channels(fp32_path, cleaned)
        quant_pre_process(str(cleaned), str(prepared), skip_symbolic_shape=True)
        candidates = [n.name for n in onnx.load(str(prepared)).graph.node if n.op_type in QUANTIZED_OPS]
        quantize_static(str(prepared), str(int8_path), PhotoCalibration(input_name, calibration),
                        quant_format=quant_format, op_types_to_quantize=list(QUANTIZED_OPS),
                        nodes_to_quantize=candidates[FLOAT_PREFIX_NODES:], per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        calibrate_method=method, extra_options=dict(options))
    return {"format": quant_format.name, "calibration": f"{method.name} {options}", "calibration_images": len(calibration),
            "float_nodes": FLOAT_PREFIX_NODES, "quantized_nodes": len(candidates) - FLOAT_PREFIX_NODES,
            "dead_channels_zeroed": zeroed}


def agreement(fp32_path: Path, int8_path: Path, pixels: np.ndarray) -> dict:
    """Top-1 agreement and probability drift of the int8 model against fp32 on the same images."""
    reference = runtime.predict(runtime.open_session(fp32_path), pixels)
    quantized = runtime.predict(runtime.open_session(int8_path), pixels)
    return {
        "inputs": int(len(pixels)),
        "top1_agreement": round(float((reference.argmax(1) == quantized.argmax(1)).mean()), 4),
        "mean_l1_prob_diff": round(float(np.abs(reference - quantized).sum(1).mean()), 4),
    }


def speedup(fp32_path: Path, int8_path: Path, input_size: int, threads: int) -> dict:
    """Median latency of fp32 and int8 at batch 1 and 8, measured interleaved in one run with the same threads."""
    result = {"threads": threads}
    for batch in (1, 8):
        medians = median_latency_ms({"fp32": fp32_path, "int8": int8_path}, input_size, batch, threads, repeats=20)
        result[f"batch{batch}"] = {"fp32_ms": medians["fp32"], "int8_ms": medians["int8"],
                                   "speedup": round(medians["fp32"] / medians["int8"], 3)}
    return result


def int8_study(fp32_dir: Path, int8_model: Path, threads: int = 1) -> dict:
    """Quantize the bundle's model into int8_model and measure agreement (>= 300 real-photo views) and speed-up;
    the CPU and its int8-relevant extensions are recorded because the agreement depends on them (VNNI or not)."""
    manifest = bundle.read_bundle(fp32_dir)
    fp32_model = Path(fp32_dir) / manifest["model_file"]
    calibration = photo_views(manifest, CALIBRATION_CROPS, flips=(False,))
    method = quantize_model(fp32_model, int8_model, manifest["input"]["name"], calibration)
    evaluation = photo_views(manifest, AGREEMENT_CROPS, flips=(False, True))
    return {"method": method, "agreement": agreement(fp32_model, int8_model, evaluation),
            "latency": speedup(fp32_model, int8_model, manifest["input"]["height"], threads),
            "bar": AGREEMENT_BAR, "size_mb": round(int8_model.stat().st_size / 1e6, 2),
            "cpu": machine.cpu_model(), "cpu_int8_features": machine.int8_features()}


def study_and_ship(fp32_dir: Path, threads: int = 1) -> dict:
    """Record the int8 study in the fp32 manifest; write models/<name>-int8 only when agreement reaches the bar."""
    fp32_dir = Path(fp32_dir)
    int8_dir = fp32_dir.parent / f"{fp32_dir.name}-int8"
    with tempfile.TemporaryDirectory() as scratch:
        int8_model = Path(scratch) / "model.onnx"
        study = int8_study(fp32_dir, int8_model, threads)
        study["shipped"] = study["agreement"]["top1_agreement"] >= AGREEMENT_BAR
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


def main(argv: list[str] | None = None) -> None:
    """CLI: python -m hashtagnet.export.quantize --fp32 models/efficientnet-lite0 --threads 1"""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fp32", required=True, type=Path)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    print(json.dumps(study_and_ship(args.fp32, args.threads), indent=1))


if __name__ == "__main__":
    main()
