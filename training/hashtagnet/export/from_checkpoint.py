"""Checkpoint to served bundle in one command: load, calibrate the temperature, export, verify parity, optionally int8."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import numpy as np
import torch

from hashtagnet.data.corpus import ImageTable, labelled_table
from hashtagnet.data.stream import HashtagStream, folder_records
from hashtagnet.models.backbones import Classifier, build_model
from hashtagnet.train.evaluate import predict_logits
from hashtagnet.train.transfer import calibrate_temperature, expected_calibration_error

from . import bundle, quantize
from .exporter import export_bundle

PARITY_TOLERANCE = 1e-4  # max |dp| ONNX Runtime vs PyTorch; measured 7e-7 on the shipped bundles
PARITY_IMAGES = 32


def load_trained(path: Path) -> tuple[Classifier, dict, list[str]]:
    """The model, recipe and class ids of any checkpoint the trainers write (table or streaming; step-*.pt or final.pt)."""
    payload = torch.load(path, map_location="cpu", weights_only=False)
    missing = [key for key in ("model", "recipe", "classes") if key not in payload]
    if missing:
        raise ValueError(f"{path}: not a hashtagnet checkpoint (missing {missing})")
    recipe, classes = payload["recipe"], list(payload["classes"])
    model = build_model(recipe["model"]["backbone"], len(classes), **recipe["model"]["options"])
    state = {key.removeprefix("module."): value for key, value in payload["model"].items()}
    model.load_state_dict(state, strict=True)
    return model.eval(), recipe, classes


def calibration_set(source: Path, classes: list[str], size: int) -> ImageTable:
    """The labelled calibration images at the model's input size: a folder root/<class id>/<image>, or any source the
    stream reads (JSONL manifest with `label`, tar shards with `label` in KEY.json)."""
    source = Path(source)
    records = folder_records(source) if source.is_dir() else iter(HashtagStream([str(source)]))
    table = labelled_table(records, size, classes)
    if len(table) == 0:
        raise ValueError(f"{source}: no labelled images")
    return table


def temperature_report(logits: torch.Tensor, labels: np.ndarray) -> dict:
    """The NLL-minimising temperature on the calibration set, with NLL and ECE before and after."""
    temperature = calibrate_temperature(logits, labels)
    target = torch.as_tensor(labels)

    def scores(t: float) -> dict:
        probs = torch.softmax(logits / t, dim=1)
        nll = float(torch.nn.functional.cross_entropy(logits / t, target))
        return {"nll": round(nll, 4), "ece": round(expected_calibration_error(probs.numpy(), labels), 4)}

    return {"temperature": round(temperature, 4), "images": int(len(labels)), "uncalibrated": scores(1.0),
            "calibrated": scores(temperature)}


def bundle_from_checkpoint(checkpoint: Path, calibration: Path, out_dir: Path, *, name: str | None = None,
                           version: str = "0.1.0", resize_shorter: int | None = None, int8: bool = False,
                           int8_recipe: quantize.Int8Recipe = quantize.Int8Recipe(), command: str = "") -> dict:
    """Write a verified caption bundle for `checkpoint`; with int8, also the int8 study (and <out>-int8 at the bar)."""
    model, recipe, classes = load_trained(checkpoint)
    size = int(recipe["data"]["image_size"])
    table = calibration_set(calibration, classes, size)
    with torch.no_grad():
        logits = predict_logits(model, table, recipe)
    calibrated = temperature_report(logits, table.single_labels())
    parity = list(table.images[:: max(1, len(table) // PARITY_IMAGES)])
    provenance = {
        "source": {"package": "hashtagnet", "version": f"{recipe['name']}", "checkpoint": Path(checkpoint).name,
                   "checkpoint_sha256": bundle.sha256_file(Path(checkpoint))},
        "license": "Apache-2.0 (project code); class names and hierarchy: WordNet 3.0 license (Princeton); "
                   "weights: as the training data's terms allow",
        "training_data": f"recipe {recipe['name']}: {recipe['data']['kind']} from {recipe['data']['sources'] or 'generated sets'}",
        "export_command": command,
    }
    out_dir = Path(out_dir)
    manifest = export_bundle(model, out_dir, name=name or out_dir.name, version=version, class_ids=classes,
                             input_size=size, resize_shorter=resize_shorter or size, mean=recipe["normalise"]["mean"],
                             std=recipe["normalise"]["std"], temperature=calibrated["temperature"],
                             provenance=provenance, metrics={"calibration": calibrated}, parity_images=parity)
    if manifest["metrics"]["parity"]["max_abs_prob_diff"] > PARITY_TOLERANCE:
        raise RuntimeError(f"{out_dir}: ONNX Runtime differs from PyTorch: {manifest['metrics']['parity']}")
    if int8:
        # Int8 ranges from every other calibration image, agreement on the rest: disjoint by image.
        extra = {"calibration_set": str(calibration), "split": "calibration images 0, 2, 4, ...; agreement 1, 3, 5, ..."}
        quantize.study_and_ship_pixels(out_dir, table.images[0::2], table.images[1::2], recipe=int8_recipe, extra=extra)
        manifest = bundle.read_bundle(out_dir)
    return manifest


def main(argv: list[str] | None = None) -> dict:
    """CLI: python -m hashtagnet.export.from_checkpoint --checkpoint CKPT --calibration DIR_OR_MANIFEST --out DIR [--int8]"""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--checkpoint", required=True, type=Path)
    parser.add_argument("--calibration", required=True, type=Path,
                        help="labelled images: a folder <class id>/<image>, a JSONL manifest or tar shards with labels")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--name")
    parser.add_argument("--version", default="0.1.0")
    parser.add_argument("--resize-shorter", type=int, help="served resize: shorter side before the centre crop "
                        "(default: the input size, the trainers' evaluation rule)")
    parser.add_argument("--int8", action="store_true", help="also quantize; <out>-int8 is written only at the bar")
    parser.add_argument("--int8-recipe", help="Int8Recipe fields as JSON (default: S8S8 QDQ, per-channel, MinMax, "
                        "all nodes; Lite0's float prefix is architecture-specific)")
    args = parser.parse_args(argv)
    command = "python -m hashtagnet.export.from_checkpoint " + shlex.join(sys.argv[1:] if argv is None else argv)
    manifest = bundle_from_checkpoint(args.checkpoint, args.calibration, args.out, name=args.name, version=args.version,
                                      resize_shorter=args.resize_shorter, int8=args.int8, command=command,
                                      int8_recipe=quantize.recipe_from_json(args.int8_recipe) if args.int8_recipe
                                      else quantize.Int8Recipe())
    metrics = manifest["metrics"]
    print(f"{args.out}: T = {metrics['calibration']['temperature']}, parity {metrics['parity']}")
    if "int8" in metrics:
        print(f"int8: agreement {metrics['int8']['agreement']}, shipped {metrics['int8']['shipped']}")
    return manifest


if __name__ == "__main__":
    main()
