"""Convert nsfwjs's bundled MobileNetV2 (TF.js layers model, npm) into our ONNX bundle: models/nsfw-mobilenetv2.

Usage (from training/): python -m hashtagnet.convert.nsfwjs_convert --out ../models/nsfw-mobilenetv2
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

from hashtagnet.data import images
from hashtagnet.export import machine
from hashtagnet.export.bundle import write_manifest

from .provenance import conversion_stamp
from .nsfwjs_onnx import OPSET, keras_to_onnx
from .nsfwjs_tfjs import DEFAULT_PACKAGE_DIR, TfjsLayersModel, read_layers_model

INPUT_NAME, OUTPUT_NAME = "image", "probabilities"
SIZE = 224
# nsfwjs's NSFW_CLASSES in output order; display names fit for a sentence.
CLASSES = [
    {"id": "drawing", "name": "drawing"},
    {"id": "hentai", "name": "explicit drawing"},
    {"id": "neutral", "name": "neutral image"},
    {"id": "porn", "name": "pornographic image"},
    {"id": "sexy", "name": "sexually suggestive image"},
]
EVERYDAY_PHOTOS = ["chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png", "astronaut.png"]
SKIMAGE_DATA = Path("/usr/lib/python3/dist-packages/skimage/data")


def load_photo(path: Path, size: int = SIZE) -> np.ndarray:
    """An RGB photo stretched to size x size with bilinear resampling (the bundle's stretch rule), as uint8 HWC."""
    return images.resize_stretch(images.load_rgb(path), size, size)


def score_everyday_photos(model_path: Path) -> dict[str, dict[str, float]]:
    """Class probabilities for the everyday skimage photos, in one batch (also exercises a dynamic batch)."""
    photos = [name for name in EVERYDAY_PHOTOS if (SKIMAGE_DATA / name).exists()]
    batch = np.stack([load_photo(SKIMAGE_DATA / name) for name in photos])
    session = ort.InferenceSession(str(model_path), providers=["CPUExecutionProvider"])
    (probs,) = session.run([OUTPUT_NAME], {INPUT_NAME: batch})
    return {name: {c["id"]: round(float(p), 5) for c, p in zip(CLASSES, row)} for name, row in zip(photos, probs)}



def build_manifest(name: str, source: TfjsLayersModel, metrics: dict) -> dict:
    """The bundle manifest, minus the model sha256 that write_manifest fills in."""
    return {
        "format_version": 1,
        "name": name,
        "version": f"{source.package_version}-onnx.1",
        "task": "nsfw",
        "description": "nsfwjs MobileNetV2 (224x224) NSFW classifier: drawing, hentai, neutral, porn, sexy.",
        "model_file": "model.onnx",
        "precision": "fp32",
        "input": {
            "name": INPUT_NAME, "dtype": "uint8", "layout": "NHWC", "channels": "RGB",
            "height": SIZE, "width": SIZE, "resize": {"method": "stretch"}, "interpolation": "bilinear",
            "normalization": {"mean": [0.0, 0.0, 0.0], "std": [1.0, 1.0, 1.0]},
        },
        "output": {"name": OUTPUT_NAME, "dtype": "float32", "kind": "probabilities", "temperature": 1},
        "classes": CLASSES,
        "provenance": {
            "source": {
                "registry": "npm", "package": "nsfwjs", "version": source.package_version,
                "file": f"dist/models/{source.model_dir.name}/model.min.js",
                "file_sha256": source.files["model.min.js"],
                "files_sha256": source.files,
            },
            "license": "MIT (Copyright (c) 2019 Infinite Red, Inc.; see LICENSE.nsfwjs)",
            "training_data": "Trained in Keras by the nsfwjs authors (GantMan/nsfw_model) on web images gathered by "
            "alexkimxyz/nsfw_data_scraper, five classes. Not retrained or fine-tuned here.",
            "weights": "TF.js weights are uint8 affine-quantised (v * scale + min) in the npm package; "
            "dequantised to float32 exactly as tfjs-core decodeWeight does. No further quantisation.",
            "preprocessing": "nsfwjs: tf.browser.fromPixels -> toFloat -> div(255) -> resizeBilinear(224, 224, "
            "alignCorners=true) when not already 224x224. The graph does cast and /255; the resize is the server's.",
            "export_command": f"python -m hashtagnet.convert.nsfwjs_convert --out models/{name}",
            **conversion_stamp(OPSET),
        },
        "metrics": metrics,
    }


def convert(out_dir: Path, package_dir: Path = DEFAULT_PACKAGE_DIR, model: str = "mobilenet_v2") -> Path:
    """Write model.onnx, LICENSE.nsfwjs and model.json (last) into out_dir; return the manifest path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    source = read_layers_model(package_dir, model)
    proto = keras_to_onnx(source, INPUT_NAME, OUTPUT_NAME)
    model_path = out_dir / "model.onnx"
    onnx.save(proto, model_path)
    shutil.copyfile(Path(package_dir) / "LICENSE", out_dir / "LICENSE.nsfwjs")
    metrics = {
        "everyday_photos": {"resize": "PIL bilinear stretch to 224x224", "scores": score_everyday_photos(model_path),
                            "cpu": machine.cpu_model()},
        "parity": "test/parity/nsfw-parity.test.ts compares against the original in @tensorflow/tfjs",
    }
    return write_manifest(out_dir, build_manifest(out_dir.name, source, metrics))


def main(argv: list[str] | None = None) -> None:
    """CLI entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="bundle directory, e.g. models/nsfw-mobilenetv2")
    parser.add_argument("--nsfwjs-dir", type=Path, default=DEFAULT_PACKAGE_DIR, help="the nsfwjs npm package")
    parser.add_argument("--model", default="mobilenet_v2", help="nsfwjs dist/models/<model> (a layers model)")
    args = parser.parse_args(argv)
    print(convert(args.out, args.nsfwjs_dir, args.model).read_text())


if __name__ == "__main__":
    main()
