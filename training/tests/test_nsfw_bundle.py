"""The committed NSFW bundle (models/nsfw-mobilenetv2): valid manifest, intact model, sane behaviour on real photos."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from hashtagnet import MODELS_DIR
from hashtagnet.convert.nsfwjs_convert import SKIMAGE_DATA, convert, load_photo
from hashtagnet.convert.nsfwjs_layers import same_padding
from hashtagnet.convert.nsfwjs_tfjs import DEFAULT_PACKAGE_DIR, dequantize
from hashtagnet.export.bundle import read_bundle, sha256_file

BUNDLE = MODELS_DIR / "nsfw-mobilenetv2"
EVERYDAY = ["chelsea.png", "coffee.png", "rocket.jpg", "motorcycle_left.png"]


@pytest.fixture(scope="module")
def manifest() -> dict:
    return read_bundle(BUNDLE)


@pytest.fixture(scope="module")
def session(manifest) -> ort.InferenceSession:
    return ort.InferenceSession(str(BUNDLE / manifest["model_file"]), providers=["CPUExecutionProvider"])


def run(session: ort.InferenceSession, manifest: dict, batch: np.ndarray) -> np.ndarray:
    return session.run([manifest["output"]["name"]], {manifest["input"]["name"]: batch})[0]


def test_manifest_validates_and_names_the_nsfwjs_classes_in_output_order(manifest):
    assert manifest["task"] == "nsfw"
    assert [c["id"] for c in manifest["classes"]] == ["drawing", "hentai", "neutral", "porn", "sexy"]
    assert manifest["input"]["resize"] == {"method": "stretch"}
    assert manifest["provenance"]["source"]["package"] == "nsfwjs"
    assert manifest["provenance"]["license"].startswith("MIT")
    assert (BUNDLE / "LICENSE.nsfwjs").read_text().startswith("MIT License")


def test_model_file_sha256_matches_the_manifest(manifest):
    assert sha256_file(BUNDLE / manifest["model_file"]) == manifest["sha256"]


def test_graph_takes_uint8_nhwc_with_a_dynamic_batch_and_returns_probabilities(manifest):
    graph = onnx.load(str(BUNDLE / manifest["model_file"])).graph
    (image,), (probs,) = graph.input, graph.output
    assert image.name == "image" and image.type.tensor_type.elem_type == onnx.TensorProto.UINT8
    dims = [d.dim_param or d.dim_value for d in image.type.tensor_type.shape.dim]
    assert dims == ["N", 224, 224, 3]
    assert probs.name == "probabilities"
    assert [d.dim_param or d.dim_value for d in probs.type.tensor_type.shape.dim] == ["N", 5]


@pytest.mark.parametrize("batch_size", [1, 3, 7])
def test_any_batch_size_gives_rows_that_sum_to_one(session, manifest, batch_size):
    rng = np.random.default_rng(batch_size)
    batch = rng.integers(0, 256, size=(batch_size, 224, 224, 3), dtype=np.uint8)
    probs = run(session, manifest, batch)
    assert probs.shape == (batch_size, 5) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_a_batch_gives_the_same_rows_as_single_images(session, manifest):
    batch = np.stack([load_photo(SKIMAGE_DATA / name) for name in EVERYDAY])
    together = run(session, manifest, batch)
    alone = np.concatenate([run(session, manifest, batch[i : i + 1]) for i in range(len(batch))])
    np.testing.assert_allclose(together, alone, atol=1e-5)


@pytest.mark.parametrize("photo", EVERYDAY)
def test_everyday_photo_scores_neutral_or_drawing_highest(session, manifest, photo):
    probs = run(session, manifest, load_photo(SKIMAGE_DATA / photo)[None])[0]
    top = manifest["classes"][int(np.argmax(probs))]["id"]
    assert top in ("neutral", "drawing"), f"{photo}: {dict(zip([c['id'] for c in manifest['classes']], probs))}"
    assert probs[3] + probs[1] < 0.1  # porn + hentai


def test_uint8_weights_dequantise_like_tfjs_decode_weight():
    spec = {"name": "w", "shape": [2, 2], "dtype": "float32", "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}}
    values = dequantize(spec, bytes([0, 1, 2, 255]))
    np.testing.assert_array_equal(values, np.array([[-1.0, -0.5], [0.0, 126.5]], np.float32))


def test_tensorflow_same_padding_puts_the_odd_pixel_at_the_end():
    assert same_padding(224, 3, 2) == (0, 1)
    assert same_padding(112, 3, 1) == (1, 1)
    assert same_padding(7, 1, 1) == (0, 0)


def test_conversion_from_the_npm_package_reproduces_the_committed_model_byte_for_byte(manifest, tmp_path):
    assert (DEFAULT_PACKAGE_DIR / "package.json").exists(), "run npm ci first: nsfwjs is a dev dependency"
    written = read_bundle(convert(tmp_path / "nsfw-mobilenetv2").parent)
    assert written["sha256"] == manifest["sha256"]
    assert written["provenance"]["source"]["files_sha256"] == manifest["provenance"]["source"]["files_sha256"]
